//! The race view: small against large batch. One Train starts two runs of the same seed at
//! once, each in its own worker ([`Lab::race`] makes the group two runs, the second at
//! [`RACE_B`]), drawn on one loss and one accuracy chart with the updates/epochs switch;
//! each run's line says its B, its updates per epoch and how far it has got.

use crate::anatomy::EpochAnatomy;
use crate::i18n::fill;
use crate::ui::lab::Lab;
use leptos::prelude::*;

/// The race's default batch sizes: the small batch (the first run, the page's `b`) and the
/// large one (the second run).
pub const RACE_A: usize = 8;
pub const RACE_B: usize = 256;

/// `race-a` / `race-b`: a run's B (`data-batch-size`) and the updates it has taken
/// (`data-updates`), with its updates per epoch beside its name.
#[component]
fn RaceEntry(lab: Lab, index: usize) -> impl IntoView {
    let experiment = Memo::new(move |_| {
        lab.experiment.track();
        lab.race.track();
        lab.member_experiment(index)
    });
    let b = move || experiment.get().batch_in_effect();
    let per_epoch = move || EpochAnatomy::of(&experiment.get()).updates_per_epoch;
    let updates = move || {
        lab.shown.track();
        let run = lab.members().get(index).copied();
        run.and_then(|r| lab.history.with_value(|h| h.get(r).map(|r| r.updates())))
            .unwrap_or(0)
    };
    let text = move || {
        let lang = lab.lang.get();
        fill(
            lang.strings().race_entry,
            &[&lang.int(b()), &lang.int(per_epoch()), &lang.int(updates())],
        )
    };
    view! {
        <li
            class="race-entry"
            data-testid=if index == 0 { "race-a" } else { "race-b" }
            data-batch-size=move || b().to_string()
            data-updates=move || updates().to_string()
        >
            {text}
        </li>
    }
}

/// The two runs' lines and the sentence that says what to look at.
#[component]
pub fn RaceEntries(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    view! {
        <p class="race-lead">{move || t().race_lead}</p>
        <ul class="race-entries">
            <RaceEntry lab=lab index=0 />
            <RaceEntry lab=lab index=1 />
        </ul>
    }
}
