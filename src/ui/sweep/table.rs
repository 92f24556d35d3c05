//! The sweep's results table: one row per batch size, the median over its seeds of the
//! updates, samples and seconds to the target (interpolated), their range over the seeds
//! that reached it, and how many did. A B whose median never reached shows how far it got
//! (a lower bound) instead of a number.

use super::SweepResults;
use crate::i18n::{Lang, fill};
use crate::sweep::seeds::{SeedRow, Spread};
use crate::ui::lab::Lab;
use leptos::prelude::*;

/// A whole number of updates or samples (interpolated values, rounded for reading).
fn whole(lang: Lang, v: f64) -> String {
    lang.int(v.round() as usize)
}

/// "410 (301–500)": the median and the range over the seeds that reached; for a B whose
/// median did not reach, "≥ 10 (not reached)".
fn spread_text(lang: Lang, s: &Spread, format: impl Fn(f64) -> String) -> String {
    let t = lang.strings();
    match (s.median, s.range) {
        (Some(m), Some((lo, hi))) if lo < hi => {
            format!("{} ({}–{})", format(m), format(lo), format(hi))
        }
        (Some(m), _) => format(m),
        (None, _) => fill(t.sweep_cell_at_least, &[&format(s.at_least)]),
    }
}

/// The table and the runs whose worker stopped ([`TableNotes`] says how to read it). Every
/// text reads the language when it renders (not once when the table is built), so a switch
/// of language rewrites the rows too, not only the headers.
#[component]
pub fn SweepTable(lab: Lab, results: SweepResults) -> impl IntoView {
    let lang = move || lab.lang.get();
    let t = move || lang().strings();
    let target = results.target;
    let caption = move || fill(t().sweep_table_caption, &[&lang().percent(target, 1)]);
    let rows = results.rows.iter().map(|r| {
        let failed = results.failed.contains(&r.batch_size);
        view! { <SweepRow lab row=*r budget=results.budget failed /> }
    });
    view! {
        // Scrolls sideways on a phone: focusable and named, so a keyboard can scroll it
        // (axe-core: scrollable-region-focusable).
        // The caption shows above the region (inside it, it scrolled out of sight on a phone).
        <p class="table-title" aria-hidden="true">{caption}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().sweep_col_batch}</th>
                        <th scope="col">{move || t().sweep_col_upe}</th>
                        <th scope="col">{move || t().sweep_col_reached}</th>
                        <th scope="col">{move || t().sweep_col_updates}</th>
                        <th scope="col">{move || t().sweep_col_samples}</th>
                        <th scope="col">{move || t().sweep_col_seconds}</th>
                        <th scope="col">{move || t().sweep_col_final_acc}</th>
                        <th scope="col">{move || t().sweep_col_final_loss}</th>
                    </tr>
                </thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
        {(!results.failed.is_empty()).then(|| {
            let failed = results.failed.clone();
            let listed = move || failed.iter().map(|&b| lang().int(b)).collect::<Vec<_>>().join(", ");
            view! {
                <p class="error" data-testid="sweep-failed" data-value=results.failed.len()>
                    {move || fill(t().sweep_worker_stopped, &[&listed()])}
                </p>
            }
        })}
    }
}

/// How to read the table (medians and ranges over how many seeds, interpolated) and how many
/// runs never reached the target.
#[component]
pub fn TableNotes(lab: Lab, results: SweepResults) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let seeds = results.seeds;
    let never = results.runs.iter().filter(|r| r.crossing.is_none()).count();
    view! {
        <p class="hint">{move || fill(t().sweep_table_note, &[&int(seeds)])}</p>
        {(never > 0).then(|| view! {
            <p class="hint">{move || fill(t().sweep_never, &[&int(never)])}</p>
        })}
    }
}

/// One B's row. Its data-* hooks are numbers (language-free); its cells are texts in the
/// current language. A B with a seed whose worker stopped shows what that seed recorded,
/// marked.
#[component]
fn SweepRow(lab: Lab, row: SeedRow, budget: usize, failed: bool) -> impl IntoView {
    let lang = move || lab.lang.get();
    let r = row;
    let median = |s: &Spread| s.median.map(|m| format!("{m}")).unwrap_or_default();
    view! {
        <tr
            data-testid="sweep-row"
            data-batch-size=r.batch_size
            data-updates-per-epoch=r.updates_per_epoch
            data-budget-updates=r.updates_per_epoch * budget
            data-seeds=r.seeds
            data-reached=r.reached
            data-updates-to-target=median(&r.updates)
            data-samples-to-target=median(&r.samples)
            data-seconds-to-target=median(&r.seconds)
            data-updates-at-least=format!("{}", r.updates.at_least)
            data-final-val-accuracy=r.final_accuracy.map(|a| format!("{a}")).unwrap_or_default()
            data-failed=failed.then_some("true")
        >
            <th scope="row">
                {move || lang().int(r.batch_size)}
                {failed.then(|| view! { " " <span class="error">{move || lang().strings().sweep_row_stopped}</span> })}
            </th>
            <td>{move || lang().int(r.updates_per_epoch)}</td>
            <td>{move || format!("{} / {}", lang().int(r.reached), lang().int(r.seeds))}</td>
            <td>{move || spread_text(lang(), &r.updates, |v| whole(lang(), v))}</td>
            <td>{move || spread_text(lang(), &r.samples, |v| whole(lang(), v))}</td>
            <td>{move || spread_text(lang(), &r.seconds, |v| format!("{v:.2}"))}</td>
            <td>{move || r.final_accuracy.map_or_else(|| "—".to_owned(), |a| lang().percent(a, 1))}</td>
            <td>{r.final_loss.map_or_else(|| "—".to_owned(), |l| format!("{l:.3}"))}</td>
        </tr>
    }
}
