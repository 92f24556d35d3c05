//! The focused views (`view=` in the URL; [`crate::layout::Layout`]): each a purpose-built
//! layout for one part of the post, made of the page's own components (same control ids:
//! `train`, `step`, `reset`, `status`, `batch-size`, `epochs`, the charts), with a root
//! `view-<name>` that the end-to-end tests measure. The full lab is `view-full` in
//! [`super::App`].
//!
//! - [`AnatomyView`]: N, B, epochs, the arithmetic and the epoch strip ([`strip`]).
//! - [`RaceView`]: small against large batch, two runs at once ([`race`]).
//! - [`LrView`]: the learning-rate strip above the loss and accuracy charts.
//! - [`SweepView`]: the sweep panel alone.
//! - [`ClaimsView`]: the post's claims as cards, or one card.
//!
//! What a reader sees first mounts at once; the rest (the epoch strip, the charts) in tasks
//! of their own ([`super::Deferred`]): the anatomy embed built in one task was the example
//! post's longest task in Lighthouse (150 ms at its 4× CPU slowdown).

pub mod race;
pub mod strip;

use super::Deferred;
use super::anatomy_panel::AnatomyPanel;
use super::charts::of_lab::{LabCharts, LabLrChart};
use super::controls::{BatchField, Buttons, EpochsField, TrainSizeField};
use super::lab::Lab;
use super::start::StartEmbed;
use super::status::StatusLine;
use super::sweep::SweepPanel;
use super::view_controls::ViewControls;
use leptos::prelude::*;
use strip::EpochStripView;

/// A focused view's root: `<main data-testid="view-NAME" data-started>`, the deferred
/// embed's start button first (src/ui/start.rs), then the view's parts.
#[component]
fn ViewRoot(lab: Lab, name: &'static str, children: Children) -> impl IntoView {
    view! {
        <main
            class=format!("focused view-{name}")
            data-testid=format!("view-{name}")
            data-started=move || lab.started.get().to_string()
        >
            <StartEmbed lab=lab />
            {children()}
        </main>
    }
}

/// N, B and epochs as three number fields on one line (the full lab's ids and bounds).
#[component]
fn SizeFields(lab: Lab) -> impl IntoView {
    view! {
        <div class="size-fields">
            <TrainSizeField lab=lab compact=true />
            <BatchField lab=lab compact=true />
            <EpochsField lab=lab compact=true />
        </div>
    }
}

/// "200 / 20 = 10": the sizes, the arithmetic with the progress bars, one epoch as a strip,
/// and Train / Step.
#[component]
pub fn AnatomyView(lab: Lab) -> impl IntoView {
    view! {
        <ViewRoot lab=lab name="anatomy">
            <SizeFields lab=lab />
            <AnatomyPanel lab=lab />
            <Deferred>
                <EpochStripView lab=lab />
            </Deferred>
            <Deferred>
                <Buttons lab=lab />
                <StatusLine lab=lab />
            </Deferred>
        </ViewRoot>
    }
}

/// The scaling rule as arithmetic: `0.001 × 256 / 32 = 0.008` (linear), `0.001 × √(256 / 32)
/// = 0.0028` (square root), or the rate alone when it is not scaled.
fn scaling_formula(e: &crate::experiment::Experiment) -> String {
    use crate::plot::lr::format_rate;
    use crate::trainer::schedule::ScalingRule;
    let c = &e.config;
    let (base, b, b0) = (
        c.learning_rate as f64,
        e.batch_in_effect(),
        c.schedule.base_batch,
    );
    let peak = format_rate(c.peak_rate(e.train_size) as f64, 4);
    match c.schedule.rule {
        ScalingRule::None => peak,
        ScalingRule::Linear => format!("{} × {b} / {b0} = {peak}", format_rate(base, 4)),
        ScalingRule::Sqrt => format!("{} × √({b} / {b0}) = {peak}", format_rate(base, 4)),
    }
}

/// The learning-rate tips: the rule's arithmetic, and the planned and used rate above the
/// loss chart.
#[component]
pub fn LrView(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    view! {
        <ViewRoot lab=lab name="lr">
            <SizeFields lab=lab />
            <p class="lr-formula">
                <output
                    data-testid="effective-lr"
                    data-value=move || exp.get().config.peak_rate(exp.get().train_size).to_string()
                >
                    {move || crate::i18n::fill(t().effective_lr, &[&scaling_formula(&exp.get())])}
                </output>
            </p>
            <Buttons lab=lab />
            <StatusLine lab=lab />
            <Deferred>
                <LabLrChart lab=lab />
                <LabCharts lab=lab />
            </Deferred>
        </ViewRoot>
    }
}

/// Small against large batch: the two runs' lines, Train / Step, the status, the axis switch
/// and the loss and accuracy charts of both runs.
#[component]
pub fn RaceView(lab: Lab) -> impl IntoView {
    view! {
        <ViewRoot lab=lab name="race">
            <race::RaceEntries lab=lab />
            <Buttons lab=lab />
            <StatusLine lab=lab />
            <Deferred>
                <ViewControls lab=lab />
                <LabCharts lab=lab />
            </Deferred>
        </ViewRoot>
    }
}

/// The batch-size sweep: its controls, progress, table and chart (the single run's status
/// line would only count a run this view never shows).
#[component]
pub fn SweepView(lab: Lab) -> impl IntoView {
    view! {
        <ViewRoot lab=lab name="sweep">
            <SweepPanel lab=lab focused=true />
        </ViewRoot>
    }
}

/// The post's claims as cards, or one card (`claim=KEY`; an unknown key is named in the
/// notices and every card is shown).
#[component]
pub fn ClaimsView(lab: Lab, claim: Option<crate::claims::Claim>) -> impl IntoView {
    view! {
        <ViewRoot lab=lab name="claims">
            <crate::ui::claims::ClaimsPanel lab=lab only=claim />
        </ViewRoot>
    }
}
