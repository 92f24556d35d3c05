//! The charts wired to the page's [`Lab`]: the one place the full lab and the focused views
//! feed [`Charts`] and [`LrChart`] (which take plain signals, so tests can mount them alone).

use super::{Charts, LrChart};
use crate::ui::lab::Lab;
use leptos::prelude::*;

/// The loss and accuracy charts of the lab's runs, the current one drawn strongest.
#[component]
pub fn LabCharts(lab: Lab) -> impl IntoView {
    view! {
        <Charts
            history=lab.history
            looks=lab.looks
            version=lab.shown.read_only()
            current=Signal::derive(move || Some(lab.run.get()))
            lang=lab.lang
            view=lab.view
            training=move || lab.training_workers()
            // Until the first run is ready, and only while no kept run has curves to show.
            waiting=Signal::derive(move || {
                let empty = lab.history.with_value(|h| h.runs().is_empty());
                (lab.first_load() && empty)
                    .then(|| crate::ui::status::phase_text(lab, lab.lang.get().strings()))
            })
        />
    }
}

/// The learning-rate strip of the lab's runs and of the current settings' schedule.
#[component]
pub fn LabLrChart(lab: Lab) -> impl IntoView {
    view! {
        <LrChart
            history=lab.history
            looks=lab.looks
            version=lab.shown.read_only()
            current=Signal::derive(move || Some(lab.run.get()))
            experiment=lab.experiment
            lang=lab.lang
            view=lab.view
        />
    }
}
