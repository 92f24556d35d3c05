//! The cost panel: what the current run costs, live — throughput measured from its own
//! records, the memory its batch takes (from the layer sizes, [`crate::cost`]) beside the
//! worker's actual wasm memory — and, once reached, the time to the target accuracy.

use super::lab::Lab;
use crate::cost::{self, batch_memory, format_bytes, parameter_memory, three_digits};
use crate::i18n::fill;
use crate::sweep::{default_target, first_reaching};
use crate::trainer::session::batch_in_effect;
use leptos::prelude::*;

#[component]
pub fn CostPanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let target = move || {
        lab.sweep_target
            .get()
            .unwrap_or_else(|| default_target(lab.experiment.get().source))
    };
    // The current run's throughput and when it first reached the target (`None` before
    // the worker has answered).
    let current = move || {
        lab.shown.track();
        let run = lab.run.get();
        let target = target();
        lab.history.with_value(|h| {
            h.get(run)
                .map(|r| (cost::run_throughput(r), first_reaching(r, target)))
        })
    };
    let throughput = move || current().and_then(|c| c.0);
    let reached = move || current().and_then(|c| c.1);
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
    // Three significant digits, with separators from 1,000 up.
    let number = move |v: Option<f64>| match v {
        Some(v) if v >= 1000.0 => lab.lang.get().int(v.round() as usize),
        Some(v) => three_digits(v).unwrap_or_else(|| "—".to_owned()),
        None => "—".to_owned(),
    };
    view! {
        <section class="panel cost" aria-labelledby="cost-title" data-testid="cost-panel">
            <h2 id="cost-title">{move || t().section_cost}</h2>
            <dl>
                <dt>{move || t().cost_samples_per_second}</dt>
                <dd
                    data-testid="cost-samples-per-second"
                    data-value=move || throughput().map(|x| format!("{}", x.samples_per_second)).unwrap_or_default()
                >
                    {move || number(throughput().map(|x| x.samples_per_second))}
                </dd>
                <dt>{move || t().cost_updates_per_second}</dt>
                <dd data-testid="cost-updates-per-second">
                    {move || number(throughput().map(|x| x.updates_per_second))}
                </dd>
                <dt>{move || t().cost_ms_per_update}</dt>
                <dd data-testid="cost-ms-per-update">
                    {move || number(throughput().map(|x| x.ms_per_update))}
                </dd>
                <dt>{move || t().cost_seconds_per_epoch}</dt>
                <dd data-testid="cost-seconds-per-epoch">
                    {move || number(throughput().map(|x| x.seconds_per_epoch))}
                </dd>
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
                <dt>{move || fill(t().cost_seconds_to_target, &[&lab.lang.get().percent(target(), 0)])}</dt>
                <dd
                    data-testid="cost-seconds-to-target"
                    data-value=move || reached().map(|r| format!("{}", r.seconds)).unwrap_or_default()
                >
                    {move || {
                        let lang = lab.lang.get();
                        match reached() {
                            Some(r) => fill(
                                lang.strings().cost_reached,
                                &[&number(Some(r.seconds)), &lang.int(r.update), &lang.int(r.samples)],
                            ),
                            None if current().is_some() => lang.strings().cost_not_reached.to_owned(),
                            None => "—".to_owned(),
                        }
                    }}
                </dd>
            </dl>
            <small class="hint">{move || t().cost_note}</small>
        </section>
    }
}
