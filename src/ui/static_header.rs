//! The header `index.html` painted before the wasm arrived ([`crate::shell`], `js/shell.js`),
//! adopted as the page's own: its text follows the language, its buttons work, and the
//! first-visit suggestion follows the same signal as the drawn header's. Adopting the nodes,
//! not drawing the same header again, keeps the largest text of a first visit one paint (a
//! second copy, painted a few pixels larger once the page had a scroll bar, was a new
//! "largest contentful paint" seconds later).

use super::lab::Lab;
use crate::i18n::Lang;
use crate::shell::header_text;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::Element;

/// Adopts the static header if the page shows one and the app agrees with the script on its
/// language; `true` when adopted (else the caller [`remove`]s it and draws its own). Only a plain
/// full lab shows one (`js/shell.js`), so the caller asks only there.
pub fn adopt(lab: Lab, show_hint: RwSignal<bool>) -> bool {
    let Some(header) = document()
        .query_selector("header[data-static-header]:not([hidden])")
        .ok()
        .flatten()
    else {
        return false;
    };
    let picked = document()
        .document_element()
        .and_then(|r| r.get_attribute("lang"));
    if picked.as_deref() != Some(lab.lang.get_untracked().tag()) {
        return false;
    }
    // Adopted: from here the app's handlers answer its buttons, not the script's.
    let _ = header.remove_attribute("data-static-header");
    let part = |selector: &str| header.query_selector(selector).ok().flatten();
    let (title, subtitle, hint_text) = (part("h1"), part(".subtitle"), part(".first-visit span"));
    let (hint, close, lang_button) = (
        part(".first-visit"),
        part(".first-visit-close"),
        part(".lang"),
    );
    on_click(&close, move || show_hint.set(false));
    on_click(&lang_button, move || {
        let next: Lang = header_text(lab.lang.get_untracked(), true).other;
        lab.lang.set(next);
    });
    Effect::new(move |_| {
        let h = header_text(lab.lang.get(), true);
        set_text(&title, h.title);
        set_text(&subtitle, h.subtitle);
        set_text(&hint_text, &h.hint);
        set_attr(&close, "aria-label", h.dismiss);
        set_attr(&close, "title", h.dismiss);
        set_text(&lang_button, &h.other_label);
        set_attr(&lang_button, "title", h.language);
        set_attr(&lang_button, "lang", h.other.tag());
    });
    Effect::new(move |_| {
        if !show_hint.get()
            && let Some(h) = &hint
        {
            h.remove();
        }
    });
    true
}

/// Removes the static headers the page still has (`js/shell.js` keeps one only on a plain
/// visit; the app draws its own header everywhere else, or where it picked another language).
pub fn remove() {
    if let Ok(list) = document().query_selector_all("header[data-static-header]") {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.remove();
            }
        }
    }
}

/// Sets `e`'s text unless it already reads so: a new text node is a new paint.
fn set_text(e: &Option<Element>, text: &str) {
    if let Some(e) = e
        && e.text_content().as_deref() != Some(text)
    {
        e.set_text_content(Some(text));
    }
}

fn set_attr(e: &Option<Element>, name: &str, value: &str) {
    if let Some(e) = e
        && e.get_attribute(name).as_deref() != Some(value)
    {
        let _ = e.set_attribute(name, value);
    }
}

/// Calls `f` on each click of `e`, for the page's lifetime (the header is never removed).
fn on_click(e: &Option<Element>, f: impl Fn() + 'static) {
    if let Some(e) = e {
        let callback = Closure::<dyn Fn()>::new(f);
        let _ = e.add_event_listener_with_callback("click", callback.as_ref().unchecked_ref());
        callback.forget();
    }
}
