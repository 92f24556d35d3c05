//! The cost panel: what the current run costs, live — throughput measured from its own
//! records, the memory its batch takes (from the layer sizes, [`crate::cost`]) beside the
//! worker's actual wasm memory — and, once reached, the time to the target accuracy.

use super::lab::Lab;
use crate::cost::{self, batch_memory, format_bytes, parameter_memory, three_digits};
use crate::history::RunHistory;
use crate::i18n::{Lang, fill};
use crate::sweep::{default_target, first_reaching};
use crate::trainer::session::batch_in_effect;
use leptos::prelude::*;

#[component]
pub fn CostPanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    view! {
        <section class="panel cost" aria-labelledby="cost-title" data-testid="cost-panel">
            <h2 id="cost-title">{move || t().section_cost}</h2>
            <dl>
                <ThroughputRows lab=lab />
                <MemoryRows lab=lab />
                <TargetRow lab=lab />
            </dl>
            <small class="hint">{move || t().cost_note}</small>
        </section>
    }
}

/// Three significant digits, with separators from 1,000 up; a dash for nothing yet.
fn number(lang: Lang, v: Option<f64>) -> String {
    match v {
        Some(v) if v >= 1000.0 => lang.int(v.round() as usize),
        Some(v) => three_digits(v).unwrap_or_else(|| "—".to_owned()),
        None => "—".to_owned(),
    }
}

/// The target accuracy of the sweep (the student's, or the data set's default): the cost
/// panel times the single run to the same target.
fn target(lab: Lab) -> f64 {
    lab.sweep_target
        .get()
        .unwrap_or_else(|| default_target(lab.experiment.get().source))
}

/// The current run's records read with `read` (`None` before the worker has answered).
fn current_run<T>(lab: Lab, read: impl Fn(&RunHistory) -> T) -> Option<T> {
    lab.shown.track();
    let run = lab.run.get();
    lab.history.with_value(|h| h.get(run).map(&read))
}

/// Samples and updates per second, ms per update and seconds per epoch, measured from the
/// run's own records.
#[component]
fn ThroughputRows(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let throughput = move || current_run(lab, cost::run_throughput).flatten();
    let shown = move |f: fn(&cost::Throughput) -> f64| {
        move || number(lab.lang.get(), throughput().map(|x| f(&x)))
    };
    view! {
        <dt>{move || t().cost_samples_per_second}</dt>
        <dd
            data-testid="cost-samples-per-second"
            data-value=move || throughput().map(|x| format!("{}", x.samples_per_second)).unwrap_or_default()
        >
            {shown(|x| x.samples_per_second)}
        </dd>
        <dt>{move || t().cost_updates_per_second}</dt>
        <dd data-testid="cost-updates-per-second">{shown(|x| x.updates_per_second)}</dd>
        <dt>{move || t().cost_ms_per_update}</dt>
        <dd data-testid="cost-ms-per-update">{shown(|x| x.ms_per_update)}</dd>
        <dt>{move || t().cost_seconds_per_epoch}</dt>
        <dd data-testid="cost-seconds-per-epoch">{shown(|x| x.seconds_per_epoch)}</dd>
    }
}

/// The memory the batch takes (from the layer sizes) beside the worker's actual wasm memory.
#[component]
fn MemoryRows(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    // The network's widths and B in effect for the run on screen (before the worker has
    // answered: nothing, as the input width is not known yet).
    let memory = move || {
        let e = lab.experiment.get();
        let info = lab.info.get()?;
        let mut widths = vec![info.features];
        widths.extend(&e.config.hidden);
        widths.push(info.classes);
        let b = batch_in_effect(info.train_size, e.config.batch_size);
        Some((
            b,
            batch_memory(&widths, b),
            parameter_memory(info.parameter_count),
        ))
    };
    view! {
        <dt>{move || fill(t().cost_batch_memory, &[&memory().map_or_else(|| "—".to_owned(), |m| lab.lang.get().int(m.0))])}</dt>
        <dd
            data-testid="cost-batch-memory"
            data-value=move || memory().map(|m| m.1.total().to_string()).unwrap_or_default()
        >
            <strong>{move || memory().map_or_else(|| "—".to_owned(), |m| format_bytes(m.1.total()))}</strong>
            {move || memory().map(|(_, m, params)| view! {
                <small>
                    {fill(
                        t().cost_batch_memory_detail,
                        &[&format_bytes(m.activations), &format_bytes(m.errors), &format_bytes(params)],
                    )}
                </small>
            })}
        </dd>
        <dt>{move || t().cost_wasm_memory}</dt>
        <dd
            data-testid="cost-wasm-memory"
            data-value=move || lab.wasm_memory.get().map(|b| b.to_string()).unwrap_or_default()
        >
            {move || lab.wasm_memory.get().map_or_else(|| "—".to_owned(), format_bytes)}
        </dd>
    }
}

/// Seconds, updates and samples to the target accuracy, once the run reached it.
#[component]
fn TargetRow(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    // Some(None): a run that has not reached the target; None: no run yet.
    let reached = move || current_run(lab, |r| first_reaching(r, target(lab)));
    view! {
        <dt>{move || fill(t().cost_seconds_to_target, &[&lab.lang.get().percent(target(lab), 0)])}</dt>
        <dd
            data-testid="cost-seconds-to-target"
            data-value=move || reached().flatten().map(|r| format!("{}", r.seconds)).unwrap_or_default()
        >
            {move || {
                let lang = lab.lang.get();
                match reached() {
                    Some(Some(r)) => fill(
                        lang.strings().cost_reached,
                        &[&number(lang, Some(r.seconds)), &lang.int(r.update), &lang.int(r.samples)],
                    ),
                    Some(None) => lang.strings().cost_not_reached.to_owned(),
                    None => "—".to_owned(),
                }
            }}
        </dd>
    }
}
