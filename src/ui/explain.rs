//! "What am I looking at?": a short explanation under a panel's heading, behind a
//! `<details>` toggle, so it opens by click, touch, Enter or Space (never on hover only) and
//! stays out of the way once read.

use crate::i18n::{Lang, Strings};
use leptos::prelude::*;

/// The toggle and its text, `text` picked from the current language's strings.
#[component]
pub fn Explain(lang: RwSignal<Lang>, text: fn(&'static Strings) -> &'static str) -> impl IntoView {
    let t = move || lang.get().strings();
    view! {
        <details class="explain" data-testid="explain">
            <summary>{move || t().explain_toggle}</summary>
            <p>{move || text(t())}</p>
        </details>
    }
}
