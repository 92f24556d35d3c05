//! The gradient-noise meter beside the batch slider: the current run's simple noise scale
//! (measured by the trainer, see [`crate::trainer::noise`]), where the chosen B stands
//! against it, and its trace over the run as a sparkline with B as a dashed line.

use super::lab::Lab;
use crate::i18n::fill;
use crate::plot::sparkline::sparkline;
use crate::trainer::noise::{Regime, regime};
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
    let text = move || {
        let lang = lab.lang.get();
        let s = lang.strings();
        let b = batch();
        if b < 2 {
            return s.noise_needs_batch.to_owned();
        }
        let b_text = lang.int(b);
        let Some(v) = scale() else {
            // Updates at B ≥ 2 and still no reading: the meter's averaged |G|² is not
            // positive (see `crate::trainer::noise`), so it has no estimate to show.
            let updated = lab
                .history
                .with_value(|h| h.get(lab.run.get()).map(|r| r.updates()));
            return match updated {
                Some(u) if u > 0 => fill(s.noise_lost, &[&b_text]),
                _ => s.noise_waiting.to_owned(),
            };
        };
        let template = match regime(b, v) {
            Regime::Noisy => s.noise_noisy,
            Regime::Balanced => s.noise_balanced,
            Regime::Large => s.noise_large,
        };
        fill(template, &[&lang.int(v.round() as usize), &b_text])
    };
    let regime_key = move || match (batch(), scale()) {
        (b, _) if b < 2 => "none",
        (_, None) => "waiting",
        (b, Some(v)) => match regime(b, v) {
            Regime::Noisy => "noisy",
            Regime::Balanced => "balanced",
            Regime::Large => "large",
        },
    };
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
        <div class="noise-meter" data-regime=regime_key>
            <p
                class="noise-scale"
                data-testid="noise-scale"
                data-value=move || scale().map(|v| format!("{}", v.round())).unwrap_or_default()
                aria-live="polite"
            >
                <strong>{move || t().noise_title}</strong>
                " "
                <span>{text}</span>
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
            <small class="noise-help">{move || t().noise_help}</small>
        </div>
    }
}
