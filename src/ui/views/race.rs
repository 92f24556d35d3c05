//! The race view: small against large batch. One Train starts two runs of the same seed at
//! once, each in its own worker ([`Lab::race`] makes the group two runs, the second at
//! `race-b`), drawn on one loss and one accuracy chart with the updates/epochs switch; each
//! run's line has its B in a box the reader can change (the page's `b` and `race-b`, 8 and
//! 256 by default: [`crate::layout::RACE_A`], [`crate::layout::RACE_B`]), its updates per
//! epoch and how far it has got.

use crate::anatomy::EpochAnatomy;
use crate::i18n::fill;
use crate::ui::controls::batch_input;
use crate::ui::lab::Lab;
use crate::ui::typed_box::{NumberInput, Typed};
use crate::url_state::PageState;
use leptos::prelude::*;

/// The second run's B box (`race-b-size`, read with the link's `race-b` rule).
fn race_b_input(lab: Lab, typed: Typed) -> impl IntoView {
    let exp = lab.experiment;
    let apply = typed.on_state_change(
        move || PageState {
            experiment: exp.get_untracked(),
            ..PageState::default()
        },
        move |st| lab.set_race_b(st.race_b),
    );
    view! {
        <NumberInput
            lab=lab
            typed=typed
            shown=move || lab.member_experiment_tracked(1).config.batch_size.to_string()
            min="1"
            max=move || exp.get().train_size.to_string()
            on_change=Callback::new(apply)
        />
    }
}

/// `race-a` / `race-b`: a run's B (`data-batch-size`, in a box: `batch-size` for the first,
/// `race-b-size` for the second) and the updates it has taken (`data-updates`), with its
/// updates per epoch beside it.
#[component]
fn RaceEntry(lab: Lab, index: usize) -> impl IntoView {
    let experiment = Memo::new(move |_| lab.member_experiment_tracked(index));
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
            &[&lang.int(per_epoch()), &lang.int(updates())],
        )
    };
    let typed = if index == 0 {
        Typed::new(lab, "b", "batch-size")
    } else {
        Typed::new(lab, "race-b", "race-b-size")
    };
    let input = if index == 0 {
        batch_input(lab, typed).into_any()
    } else {
        race_b_input(lab, typed).into_any()
    };
    view! {
        <li
            class="race-entry"
            data-testid=if index == 0 { "race-a" } else { "race-b" }
            data-batch-size=move || b().to_string()
            data-updates=move || updates().to_string()
        >
            <label class="race-b-box">
                <span>{move || lab.lang.get().strings().race_batch_size}</span>
                {input}
            </label>
            <span>{text}</span>
            {typed.reason(lab.lang)}
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
