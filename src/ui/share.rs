//! "Copy link" and "Copy embed code" for the current settings, and the clipboard copy (with
//! its result line) that the code mirror's "Copy code" uses too.

use super::embed::{embed_snippet, link};
use super::lab::Lab;
use crate::i18n::Lang;
use crate::layout::Layout;
use crate::url_state::Panel;
use leptos::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};

/// What the last copy did.
#[derive(Clone, Debug, PartialEq)]
pub enum Copied {
    Nothing,
    Done,
    /// The clipboard refused: the text is shown for copying by hand.
    Failed(String),
}

/// Writes `text` to the clipboard and reports the outcome in `result`.
pub fn copy_to_clipboard(text: String, result: WriteSignal<Copied>) {
    result.set(Copied::Nothing);
    let clipboard = window().navigator().clipboard();
    spawn_local(async move {
        match JsFuture::from(clipboard.write_text(&text)).await {
            Ok(_) => result.set(Copied::Done),
            Err(_) => result.set(Copied::Failed(text)),
        }
    });
}

/// "Copied", or the text to copy by hand when the clipboard refused.
#[component]
pub fn CopyResult(
    copied: ReadSignal<Copied>,
    lang: RwSignal<Lang>,
    test_id: &'static str,
) -> impl IntoView {
    let t = move || lang.get().strings();
    view! {
        <span class="share-result" data-testid=test_id aria-live="polite">
            {move || match copied.get() {
                Copied::Nothing => None,
                Copied::Done => Some(view! { <span>{t().copied}</span> }.into_any()),
                Copied::Failed(text) => Some(
                    view! {
                        <span>{t().copy_failed}</span>
                        <textarea readonly rows="3" data-testid="copy-text">{text}</textarea>
                    }
                    .into_any(),
                ),
            }}
        </span>
    }
}

/// "Copy link" and "Copy embed code" of the page in `layout` (with `claim`: the one card of
/// `view=claims`, [`crate::url_state::PageState::in_view`]).
#[component]
pub fn SharePanel(
    lab: Lab,
    embed: bool,
    hide: Vec<Panel>,
    layout: Layout,
    #[prop(default = None)] claim: Option<crate::claims::Claim>,
) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let (copied, set_copied) = signal(Copied::Nothing);
    // The embed code writes the page's view (`view=`), the link too.
    let state = move || untrack(|| lab.page_state(embed, hide.clone()).in_view(layout, claim));
    let copy = move |text: String| copy_to_clipboard(text, set_copied);
    let state_for_embed = state.clone();
    view! {
        <div class="share" role="group">
            <button data-testid="copy-link" on:click={
                let state = state.clone();
                move |_| copy(link(&state()))
            }>{move || t().copy_link}</button>
            <button
                data-testid="copy-embed"
                on:click=move |_| copy(embed_snippet(&state_for_embed(), lab.lang.get_untracked().strings().app_title))
            >
                {move || t().copy_embed}
            </button>
            <CopyResult copied=copied lang=lab.lang test_id="copy-result" />
        </div>
    }
}
