//! The batch-size guide (the post's table) and the epoch guide ([`crate::guide`]): the row
//! for the current N is marked (`data-selected="true"`), and every suggested value is a
//! button that sets it and opens the teaching view ([`crate::guide::BUTTON_STAGING`]).

use super::explain::Explain;
use super::lab::Lab;
use crate::guide::{BUTTON_STAGING, SizeClass, batch_suggestions};
use crate::i18n::{Strings, fill};
use leptos::prelude::*;

/// Picks one string of the current language.
type Text = fn(&'static Strings) -> &'static str;

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

#[component]
pub fn GuidePanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let n = move || exp.get().train_size;
    let current = Memo::new(move |_| SizeClass::of(n()));
    let int = move |v: usize| lab.lang.get().int(v);

    let batch_row = move |class: SizeClass| {
        let (label, reason, _) = row_text(class);
        let buttons = move || {
            batch_suggestions(class, n())
                .into_iter()
                .map(|s| {
                    let text = if s.shown == s.sets {
                        int(s.shown)
                    } else {
                        fill(t().guide_clamped, &[&int(s.shown), &int(s.sets)])
                    };
                    view! {
                        <button
                            class="guide-value"
                            data-testid="guide-batch"
                            data-value=s.sets.to_string()
                            aria-pressed=move || (exp.get().config.batch_size == s.sets).to_string()
                            title=move || fill(t().guide_set_batch, &[&int(s.sets)])
                            on:click=move |_| {
                                lab.set_batch(s.sets);
                                lab.stage(BUTTON_STAGING);
                            }
                        >
                            // The name starts with what the button shows, then what it does
                            // (WCAG 2.5.3 "label in name": a speech user says what they see).
                            {text}
                            <span class="visually-hidden">
                                {move || format!(", {}", fill(t().guide_set_batch, &[&int(s.sets)]))}
                            </span>
                        </button>
                    }
                })
                .collect_view()
        };
        view! {
            <tr
                data-testid="guide-row"
                data-selected=move || (current.get() == class).to_string()
                class:selected=move || current.get() == class
            >
                <th scope="row">{move || label(t())}<small>{move || reason(t())}</small></th>
                <td><div class="guide-values">{buttons}</div></td>
            </tr>
        }
    };
    let epoch_row = move |class: SizeClass| {
        let (label, _, reason) = row_text(class);
        let buttons = class
            .epochs()
            .iter()
            .map(|&e| {
                view! {
                    <button
                        class="guide-value"
                        data-testid="guide-epochs"
                        data-value=e.to_string()
                        aria-pressed=move || (exp.get().config.epochs == e).to_string()
                        title=move || fill(t().guide_set_epochs, &[&int(e)])
                        on:click=move |_| {
                            lab.set_epochs(e);
                            lab.stage(BUTTON_STAGING);
                        }
                    >
                        {int(e)}
                        <span class="visually-hidden">
                            {move || format!(", {}", fill(t().guide_set_epochs, &[&int(e)]))}
                        </span>
                    </button>
                }
            })
            .collect_view();
        view! {
            <tr
                data-testid="epoch-guide-row"
                data-selected=move || (current.get() == class).to_string()
                class:selected=move || current.get() == class
            >
                <th scope="row">{move || label(t())}<small>{move || reason(t())}</small></th>
                <td><div class="guide-values">{buttons}</div></td>
            </tr>
        }
    };
    view! {
        <section class="panel guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{move || t().section_guide}</h2>
            <Explain lang=lab.lang text=|t| t.explain_guide />
            <p class="guide-n" data-testid="guide-n" data-value=move || n().to_string()>
                {move || fill(t().guide_current_n, &[&int(n())])}
            </p>
            <table class="guide-table" data-testid="batch-guide">
                <caption>{move || t().guide_batch_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().guide_col_size}</th>
                        <th scope="col">{move || t().guide_col_batch}</th>
                    </tr>
                </thead>
                <tbody>{SizeClass::ALL.map(batch_row)}</tbody>
            </table>
            <table class="guide-table" data-testid="epoch-guide">
                <caption>{move || t().guide_epoch_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().guide_col_size}</th>
                        <th scope="col">{move || t().guide_col_epochs}</th>
                    </tr>
                </thead>
                <tbody>{SizeClass::ALL.map(epoch_row)}</tbody>
            </table>
        </section>
    }
}
