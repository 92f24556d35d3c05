//! How the charts show the runs: the x axis (epochs, weight updates, samples seen,
//! training time), a log scale for the counted axes, and the smoothing of the per-update
//! trace. They change only the drawing, never a run.

use super::lab::Lab;
use super::menu::options;
use crate::plot::smoothing::{MAX_WEIGHT, clamp_weight};
use crate::plot::view::XAxis;
use crate::plot::view::log_allowed;
use leptos::prelude::*;

#[component]
pub fn ViewControls(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let view = lab.view;
    view! {
        <div class="view-controls">
            <label class="inline-field">
                <span>{move || t().x_axis}</span>
                <select
                    data-testid="x-axis"
                    prop:value=move || view.get().axis.key()
                    on:change=move |ev| {
                        if let Some(axis) = XAxis::from_key(&event_target_value(&ev)) {
                            view.update(|v| v.axis = axis);
                        }
                    }
                >
                    {options(lab.lang, &XAxis::ALL, move || view.get().axis)}
                </select>
            </label>
            <label class="inline-field check">
                <input
                    type="checkbox"
                    data-testid="x-log"
                    prop:checked=move || view.get().log_x
                    disabled=move || !log_allowed(view.get().axis)
                    on:change=move |ev| view.update(|v| v.log_x = event_target_checked(&ev))
                />
                <span>{move || t().x_log}</span>
            </label>
            <label class="inline-field smoothing" title=move || t().smoothing_title>
                <span>{move || t().smoothing}</span>
                <input
                    type="range"
                    data-testid="smoothing"
                    min="0"
                    max=MAX_WEIGHT
                    step="0.01"
                    prop:value=move || view.get().smoothing.to_string()
                    on:input=move |ev| {
                        if let Ok(w) = event_target_value(&ev).parse::<f64>() {
                            view.update(|v| v.smoothing = clamp_weight(w));
                        }
                    }
                />
                <output>{move || format!("{:.2}", view.get().smoothing)}</output>
            </label>
        </div>
    }
}
