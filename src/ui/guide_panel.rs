//! The batch-size guide (the post's table) and the epoch guide ([`crate::guide`]): the row
//! for the current N is marked (`data-selected="true"`), and every suggested value is a
//! button that sets it and opens the teaching view ([`crate::guide::BUTTON_STAGING`]).

use super::explain::Explain;
use super::lab::Lab;
use crate::guide::{BUTTON_STAGING, SizeClass, batch_suggestions};
use crate::i18n::{Text, fill};
use leptos::prelude::*;

/// The size class's label and the reason of its batch and epoch rows.
fn row_text(class: SizeClass) -> (Text, Text, Text) {
    match class {
        SizeClass::Small => (
            |t| t.guide_small,
            |t| t.guide_reason_small_batch,
            |t| t.guide_reason_small_epochs,
        ),
        SizeClass::Medium => (
            |t| t.guide_medium,
            |t| t.guide_reason_medium_batch,
            |t| t.guide_reason_medium_epochs,
        ),
        SizeClass::Large => (
            |t| t.guide_large,
            |t| t.guide_reason_large_batch,
            |t| t.guide_reason_large_epochs,
        ),
    }
}

/// What a guide button sets: the batch size or the epochs, read and written through the lab.
#[derive(Clone, Copy)]
struct Target {
    testid: &'static str,
    /// "Set B = {}" / "Set epochs = {}": the button's title and the end of its name.
    action: Text,
    current: fn(&crate::experiment::Experiment) -> usize,
    set: fn(Lab, usize),
}

const BATCH: Target = Target {
    testid: "guide-batch",
    action: |t| t.guide_set_batch,
    current: |e| e.config.batch_size,
    set: |lab, b| lab.set_batch(b),
};

const EPOCHS: Target = Target {
    testid: "guide-epochs",
    action: |t| t.guide_set_epochs,
    current: |e| e.config.epochs,
    set: |lab, e| lab.set_epochs(e),
};

#[component]
pub fn GuidePanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let n = move || exp.get().train_size;
    let int = move |v: usize| lab.lang.get().int(v);
    view! {
        <section class="panel guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{move || t().section_guide}</h2>
            <Explain lang=lab.lang text=|t| t.explain_guide />
            <p class="guide-n" data-testid="guide-n" data-value=move || n().to_string()>
                {move || fill(t().guide_current_n, &[&int(n())])}
            </p>
            <GuideTable
                lab=lab
                testid="batch-guide"
                caption=|t| t.guide_batch_caption
                column=|t| t.guide_col_batch
                row=batch_row
            />
            <GuideTable
                lab=lab
                testid="epoch-guide"
                caption=|t| t.guide_epoch_caption
                column=|t| t.guide_col_epochs
                row=epoch_row
            />
        </section>
    }
}

/// One guide table: a row per size class, the current N's marked.
#[component]
fn GuideTable(
    lab: Lab,
    testid: &'static str,
    caption: Text,
    column: Text,
    row: fn(Lab, SizeClass, Memo<SizeClass>) -> AnyView,
) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let current = Memo::new(move |_| SizeClass::of(lab.experiment.get().train_size));
    view! {
        <table class="guide-table" data-testid=testid>
            <caption>{move || caption(t())}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t().guide_col_size}</th>
                    <th scope="col">{move || column(t())}</th>
                </tr>
            </thead>
            <tbody>{SizeClass::ALL.map(|class| row(lab, class, current))}</tbody>
        </table>
    }
}

/// The batch guide's row of `class`: the post's suggested sizes, each clamped to N (the
/// button then says so).
fn batch_row(lab: Lab, class: SizeClass, current: Memo<SizeClass>) -> AnyView {
    let t = move || lab.lang.get().strings();
    let int = move |v: usize| lab.lang.get().int(v);
    let (label, reason, _) = row_text(class);
    let buttons = move || {
        batch_suggestions(class, lab.experiment.get().train_size)
            .into_iter()
            .map(|s| {
                let text = if s.shown == s.sets {
                    int(s.shown)
                } else {
                    fill(t().guide_clamped, &[&int(s.shown), &int(s.sets)])
                };
                view! { <GuideButton lab=lab target=BATCH value=s.sets text=text /> }
            })
            .collect_view()
    };
    view! {
        <GuideRow lab=lab testid="guide-row" class=class current=current label=label reason=reason>
            {buttons}
        </GuideRow>
    }
    .into_any()
}

/// The epoch guide's row of `class`.
fn epoch_row(lab: Lab, class: SizeClass, current: Memo<SizeClass>) -> AnyView {
    let int = move |v: usize| lab.lang.get().int(v);
    let (label, _, reason) = row_text(class);
    let buttons = class
        .epochs()
        .iter()
        .map(|&e| view! { <GuideButton lab=lab target=EPOCHS value=e text=int(e) /> })
        .collect_view();
    view! {
        <GuideRow lab=lab testid="epoch-guide-row" class=class current=current label=label reason=reason>
            {buttons}
        </GuideRow>
    }
    .into_any()
}

/// A size class's row: its name and reason, then its buttons; `data-selected` on the
/// current N's class.
#[component]
fn GuideRow(
    lab: Lab,
    testid: &'static str,
    class: SizeClass,
    current: Memo<SizeClass>,
    label: Text,
    reason: Text,
    children: Children,
) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    view! {
        <tr
            data-testid=testid
            data-selected=move || (current.get() == class).to_string()
            class:selected=move || current.get() == class
        >
            <th scope="row">{move || label(t())}<small>{move || reason(t())}</small></th>
            <td><div class="guide-values">{children()}</div></td>
        </tr>
    }
}

/// A suggested value as a button that sets it and opens the teaching view.
#[component]
fn GuideButton(lab: Lab, target: Target, value: usize, text: String) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let action = move || fill((target.action)(t()), &[&lab.lang.get().int(value)]);
    view! {
        <button
            class="guide-value"
            data-testid=target.testid
            data-value=value.to_string()
            aria-pressed=move || ((target.current)(&lab.experiment.get()) == value).to_string()
            title=action
            on:click=move |_| {
                (target.set)(lab, value);
                lab.stage(BUTTON_STAGING);
            }
        >
            // The name starts with what the button shows, then what it does (WCAG 2.5.3
            // "label in name": a speech user says what they see).
            {text}
            <span class="visually-hidden">{move || format!(", {}", action())}</span>
        </button>
    }
}
