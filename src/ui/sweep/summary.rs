//! Under the sweep's chart: the fitted critical batch size with its bootstrap interval over
//! seeds (or why there is no fit), the measured noise scale, and what the sweep did not
//! tune.

use super::SweepResults;
use crate::i18n::fill;
use crate::sweep::{MIN_FIT_SIZES, seeds::FitOutcome};
use crate::trainer::schedule::ScalingRule;
use crate::ui::lab::Lab;
use leptos::prelude::*;

/// `b-crit` (`data-value`, `data-low`, `data-high`, `data-fit`): the fit, or why there is none.
#[component]
pub fn SweepSummary(lab: Lab, results: SweepResults) -> impl IntoView {
    let fit = results.fit;
    let interval = results.interval();
    let b_crit = results.fit().map(|f| f.b_crit);
    let sizes = results.rows.iter().map(|r| r.batch_size as f64);
    let b_min = sizes.clone().fold(f64::INFINITY, f64::min);
    let b_max = sizes.fold(0.0, f64::max);
    let (budget, target) = (results.budget, results.target);
    let fit_key = match fit {
        FitOutcome::Fitted(..) => "fitted",
        FitOutcome::TooFew(_) => "too-few",
        FitOutcome::Starved(_) => "starved",
        FitOutcome::NoTrend => "no-trend",
    };
    let text = move || {
        let lang = lab.lang.get();
        let s = lang.strings();
        let int = |v: f64| lang.int(v.round() as usize);
        let main = match fit {
            FitOutcome::Fitted(f, _) if f.b_crit < b_min => fill(
                s.sweep_b_crit_below,
                &[&format!("{:.2}", f.b_crit), &int(b_min)],
            ),
            FitOutcome::Fitted(f, _) if f.b_crit > b_max => {
                fill(s.sweep_b_crit_above, &[&int(f.b_crit), &int(b_max)])
            }
            FitOutcome::Fitted(f, _) => fill(s.sweep_b_crit, &[&int(f.b_crit)]),
            FitOutcome::TooFew(n) => {
                fill(s.sweep_no_fit, &[&lang.int(n), &lang.int(MIN_FIT_SIZES)])
            }
            FitOutcome::Starved(n) => fill(
                s.sweep_no_fit_starved,
                &[&lang.int(n), &lang.int(budget), &lang.percent(target, 1)],
            ),
            FitOutcome::NoTrend => s.sweep_no_trend.to_owned(),
        };
        match interval {
            Some(i) => format!(
                "{main} {}",
                fill(
                    s.sweep_b_crit_interval,
                    &[&int(i.low), &int(i.high), &lang.int(i.draws)]
                )
            ),
            None => main,
        }
    };
    let number = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
    view! {
        <p
            class="b-crit"
            data-testid="b-crit"
            data-fit=fit_key
            data-value=number(b_crit)
            data-low=number(interval.map(|i| i.low))
            data-high=number(interval.map(|i| i.high))
        >
            {text}
        </p>
    }
}

/// `sweep-noise-scale` (the noise scale the runs measured) and what the sweep did not tune.
#[component]
pub fn SummaryNotes(lab: Lab, results: SweepResults) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let rule = results.rule;
    view! {
        {results.noise_scale.map(|m| m.value).map(|v| view! {
            <p class="b-noise" data-testid="sweep-noise-scale" data-value=format!("{v}")>
                {move || {
                    let lang = lab.lang.get();
                    fill(lang.strings().sweep_noise_scale, &[&lang.int(v.round() as usize)])
                }}
            </p>
        })}
        <p class="hint">
            {move || match rule {
                ScalingRule::None => t().sweep_tuning_note.to_owned(),
                ScalingRule::Linear => fill(t().sweep_scaled_note, &[t().lr_rule_linear]),
                ScalingRule::Sqrt => fill(t().sweep_scaled_note, &[t().lr_rule_sqrt]),
            }}
        </p>
    }
}
