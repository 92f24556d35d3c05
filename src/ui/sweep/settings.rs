//! The sweep's settings: batch sizes, target accuracy, what it measures (`sweep-mode`), seeds
//! per B (`sweep-seeds`) and each run's budget in epochs (`sweep-budget`). The sizes, the
//! target, the seeds and the budget are read with the link's rule ([`Typed`]), the mode's
//! menu is generated from [`SweepMode::ALL`] ([`options`]), as the other controls are.

use super::Sweep;
use crate::settings::{MAX_EPOCHS, SEEDS_RANGE};
use crate::sweep::{SweepMode, default_budget, default_sizes, default_target, format_sizes};
use crate::ui::menu::options;
use crate::ui::typed_box::Typed;
use crate::url_state::{TARGET_PERCENT_RANGE, percent_text};
use leptos::prelude::*;

/// The settings row; `typed_sizes` reads the sizes box (the panel's Sweep waits while it is
/// refused).
#[component]
pub fn SweepSettings(sweep: Sweep, typed_sizes: Typed) -> impl IntoView {
    let lab = sweep.lab;
    let t = move || lab.lang.get().strings();
    let state = move || lab.page_state(false, Vec::new());
    let on_sizes = typed_sizes.on_state_change(
        move || untrack(state),
        move |st| {
            let default = default_sizes(lab.experiment.get_untracked().train_size);
            // Set even when equal, so the box shows the sizes used.
            lab.sweep_sizes
                .set(st.sweep_sizes.filter(|sizes| *sizes != default));
        },
    );
    let typed_target = Typed::new(lab, "target", "sweep-target");
    let on_target = typed_target.on_state_change(
        move || untrack(state),
        move |st| {
            let default = default_target(lab.experiment.get_untracked().source);
            lab.sweep_target
                .set(st.sweep_target.filter(|&target| target != default));
        },
    );
    view! {
        <div class="sweep-settings">
            <label class="field">
                <span>{move || t().sweep_sizes}</span>
                <input
                    type="text"
                    inputmode="numeric"
                    data-testid="sweep-sizes"
                    aria-invalid=typed_sizes.invalid()
                    prop:value=move || format_sizes(&sweep.sizes())
                    on:change=on_sizes
                />
                {typed_sizes.reason(lab.lang)}
            </label>
            <label class="field">
                <span>{move || t().sweep_target}</span>
                <input
                    type="number"
                    min=TARGET_PERCENT_RANGE.0
                    max=TARGET_PERCENT_RANGE.1
                    step="any"
                    data-testid="sweep-target"
                    prop:value=move || percent_text(sweep.target())
                    on:change=on_target
                    aria-invalid=typed_target.invalid()
                />
                {typed_target.reason(lab.lang)}
            </label>
            <ModeSeedsBudget sweep=sweep />
        </div>
    }
}

/// The settings folded under their one-line summary (`sweep-settings-line`) once a sweep has
/// started (the sweep view), open before: the results then take their room.
#[component]
pub fn FoldedSettings(sweep: Sweep, typed_sizes: Typed) -> impl IntoView {
    let lab = sweep.lab;
    let line = move || {
        let lang = lab.lang.get();
        crate::i18n::fill(
            lang.strings().sweep_settings_line,
            &[
                &format_sizes(&sweep.sizes()),
                &lang.percent(sweep.target(), 0),
                &lang.int(lab.sweep_seeds.get() as usize),
                &lang.int(sweep.budget()),
            ],
        )
    };
    view! {
        <details
            class="sweep-settings-fold"
            prop:open=move || sweep.phase.get() == super::SweepPhase::Idle
        >
            <summary data-testid="sweep-settings-line">{line}</summary>
            <SweepSettings sweep=sweep typed_sizes=typed_sizes />
        </details>
    }
}

/// `sweep-mode`, `sweep-seeds` and `sweep-budget`.
#[component]
fn ModeSeedsBudget(sweep: Sweep) -> impl IntoView {
    let lab = sweep.lab;
    let t = move || lab.lang.get().strings();
    let state = move || lab.page_state(false, Vec::new());
    let typed_seeds = Typed::new(lab, "sweep-seeds", "sweep-seeds");
    let typed_budget = Typed::new(lab, "sweep-budget", "sweep-budget");
    let on_seeds = typed_seeds.on_state_change(
        move || untrack(state),
        move |st| {
            // Set even when equal, so the box shows the value used.
            lab.sweep_seeds.set(st.sweep_seeds);
        },
    );
    let on_budget = typed_budget.on_state_change(
        move || untrack(state),
        move |st| {
            let default = default_budget(
                &lab.experiment.get_untracked(),
                lab.sweep_mode.get_untracked(),
            );
            lab.sweep_budget
                .set(st.sweep_budget.filter(|&b| b != default));
        },
    );
    view! {
        <label class="field">
            <span>{move || t().sweep_mode}</span>
            <select
                data-testid="sweep-mode"
                prop:value=move || lab.sweep_mode.get().key()
                on:change=move |ev| {
                    if let Some(mode) = SweepMode::from_key(&event_target_value(&ev)) {
                        lab.sweep_mode.set(mode);
                    }
                }
            >
                {options(lab.lang, &SweepMode::ALL, move || lab.sweep_mode.get())}
            </select>
        </label>
        <label class="field">
            <span>{move || t().sweep_seeds}</span>
            <input
                type="number"
                min=SEEDS_RANGE.0
                max=SEEDS_RANGE.1
                step="1"
                data-testid="sweep-seeds"
                prop:value=move || lab.sweep_seeds.get().to_string()
                on:change=on_seeds
                aria-invalid=typed_seeds.invalid()
            />
            {typed_seeds.reason(lab.lang)}
        </label>
        <label class="field">
            <span>{move || t().sweep_budget}</span>
            <input
                type="number"
                min="1"
                max=MAX_EPOCHS
                step="1"
                data-testid="sweep-budget"
                prop:value=move || sweep.budget().to_string()
                on:change=on_budget
                aria-invalid=typed_budget.invalid()
            />
            {typed_budget.reason(lab.lang)}
            <small class="hint">
                {move || match lab.sweep_mode.get() {
                    SweepMode::Target => t().sweep_budget_target,
                    SweepMode::Epochs => t().sweep_budget_epochs,
                }}
            </small>
        </label>
    }
}
