//! The gradient-noise meter beside the batch slider: first how much less noisy this B's
//! gradient is than B = 8's (or one sample's), then the current run's simple noise scale
//! (measured by the trainer, see [`crate::trainer::noise`]) and where the chosen B stands
//! against it (the words: [`crate::noise_reading`]), its trace over the run as a sparkline
//! with B as a dashed line, and the formula and the paper behind "learn more".

use super::lab::Lab;
use crate::noise_reading::noise_text;
use crate::plot::sparkline::sparkline;
use crate::trainer::session::batch_in_effect;
use leptos::prelude::*;

/// The sparkline's box in SVG units (it is scaled to the panel's width by CSS).
const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 44.0;
/// Points drawn at most: about one per two SVG units.
const MAX_POINTS: usize = 120;

#[component]
pub fn NoiseMeter(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    // B in effect for the run on screen (before any run: the slider's value).
    let batch = move || {
        lab.info.get().map_or_else(
            || {
                let e = lab.experiment.get();
                batch_in_effect(e.train_size, e.config.batch_size)
            },
            |i| i.batch_size,
        )
    };
    let scale = move || {
        lab.shown.track();
        let run = lab.run.get();
        lab.history
            .with_value(|h| h.get(run).and_then(|r| r.noise_scale()))
    };
    // What the meter says: the comparison by B first, then this run's measurement
    // (`crate::noise_reading`, tested natively).
    let reading = Memo::new(move |_| {
        lab.shown.track();
        let run = lab.run.get();
        let update = lab
            .history
            .with_value(|h| h.get(run).map_or(0, |r| r.updates()));
        noise_text(lab.lang.get(), batch(), scale(), update)
    });
    let trace = move || {
        lab.shown.track();
        let run = lab.run.get();
        let b = batch() as f64;
        lab.history.with_value(|h| {
            let r = h.get(run)?;
            sparkline(
                &r.steps.update,
                &r.steps.noise_scale,
                Some(b),
                WIDTH,
                HEIGHT,
                MAX_POINTS,
            )
        })
    };
    view! {
        <div class="noise-meter" data-regime=move || reading.with(|r| r.regime)>
            <p
                class="noise-scale"
                data-testid="noise-scale"
                data-value=move || scale().map(|v| format!("{}", v.round())).unwrap_or_default()
                aria-live="polite"
            >
                <strong>{move || t().noise_title}</strong>
                <span class="noise-lead" data-testid="noise-lead">{move || reading.with(|r| r.lead.clone())}</span>
                " "
                <span class="noise-measured">{move || reading.with(|r| r.measured.clone())}</span>
            </p>
            {move || trace().map(|line| view! {
                <svg
                    class="noise-trace"
                    data-testid="noise-trace"
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    preserveAspectRatio="none"
                    role="img"
                    aria-label=move || t().noise_trace_label
                >
                    {line.reference_y.map(|y| view! {
                        <line class="noise-batch" x1="0" x2=WIDTH y1=y y2=y vector-effect="non-scaling-stroke"></line>
                    })}
                    <path class="noise-line" d=line.path vector-effect="non-scaling-stroke"></path>
                </svg>
            })}
            <details class="noise-more" data-testid="noise-more">
                <summary>{move || t().noise_more}</summary>
                <small class="noise-help">{move || crate::i18n::labels::limits::noise_help(t())}</small>
                <small class="noise-help">{move || t().noise_varies}</small>
            </details>
        </div>
    }
}
