//! "Copy link" and "Copy embed code" for the current settings.

use super::embed::{embed_snippet, link};
use super::lab::Lab;
use crate::url_state::Panel;
use leptos::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};

/// What the last copy did.
#[derive(Clone, Debug, PartialEq)]
enum Copied {
    Nothing,
    Done,
    /// The clipboard refused: the text is shown for copying by hand.
    Failed(String),
}

#[component]
pub fn SharePanel(lab: Lab, embed: bool, hide: Vec<Panel>) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let (copied, set_copied) = signal(Copied::Nothing);
    let state = move || untrack(|| lab.page_state(embed, hide.clone()));
    let copy = move |text: String| {
        set_copied.set(Copied::Nothing);
        let clipboard = window().navigator().clipboard();
        spawn_local(async move {
            match JsFuture::from(clipboard.write_text(&text)).await {
                Ok(_) => set_copied.set(Copied::Done),
                Err(_) => set_copied.set(Copied::Failed(text)),
            }
        });
    };
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
            <span class="share-result" data-testid="copy-result" aria-live="polite">
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
        </div>
    }
}
