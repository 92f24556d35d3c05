//! A short, dismissible note when a link's settings were not used as written.

use crate::i18n::{Lang, fill};
use crate::url_state::Notice;
use leptos::prelude::*;

#[component]
pub fn Notices(notices: Vec<Notice>, lang: RwSignal<Lang>) -> impl IntoView {
    let (open, set_open) = signal(!notices.is_empty());
    let t = move || lang.get().strings();
    let items = move || {
        let s = t();
        notices
            .iter()
            .map(|n| match n {
                Notice::Clamped { key, used } => fill(s.notice_clamped, &[key, used]),
                Notice::Invalid { key } => fill(s.notice_invalid, &[key]),
                Notice::Unknown { key } => fill(s.notice_unknown, &[key]),
            })
            .map(|text| view! { <li>{text}</li> })
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || open.get()>
            <div class="notice" role="status" data-testid="url-notice">
                <strong>{move || t().notice_title}</strong>
                <ul>{items.clone()}</ul>
                <button class="dismiss" on:click=move |_| set_open.set(false)>
                    {move || t().dismiss}
                </button>
            </div>
        </Show>
    }
}
