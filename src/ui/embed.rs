//! Living in an iframe: the page reports its height to the parent so the iframe can size
//! itself, keeps the URL in step with the settings, and builds the link and embed snippets.

pub use crate::embed_code::HEIGHT_MESSAGE;
use crate::url_state::{PageState, to_query};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{ResizeObserver, ResizeObserverEntry};

/// True when the page runs inside a frame.
pub fn in_frame() -> bool {
    let w = window();
    match w.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &w),
        _ => false,
    }
}

/// Posts `{type: "batch-lab:height", height}` to the parent whenever the page's height
/// changes (ResizeObserver on the root element). The parent's listener
/// (`embed/batch-lab-embed.js`, loaded by the include and the copied snippet) sets the
/// iframe's height from it.
///
/// It starts once the whole page has mounted ([`super::page_built`]): the page mounts in
/// several tasks, and a first report of the half-built page (169 px where the full one is
/// about 1,500) made the post's iframe shrink from its placeholder height and grow again.
pub fn report_height() {
    super::page_built(observe_height);
}

fn observe_height() {
    let Ok(Some(parent)) = window().parent() else {
        return;
    };
    let Some(root) = document().document_element() else {
        return;
    };
    let last = std::cell::Cell::new(0i32);
    let post = move |height: f64| {
        let h = height.ceil() as i32;
        if h == last.get() {
            return;
        }
        last.set(h);
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &HEIGHT_MESSAGE.into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from(h));
        let _ = parent.post_message(&msg, "*");
    };
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries.get(0).dyn_ref::<ResizeObserverEntry>() {
            let rect = entry.target().get_bounding_client_rect();
            post(rect.height());
        }
    });
    if let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        // Both live as long as the page.
        std::mem::forget(observer);
        callback.forget();
    }
}

/// Replaces the address bar's query with `state`'s (no history entry per slider move).
pub fn sync_url(state: &PageState) {
    let query = format!("?{}", to_query(state));
    if window().location().search().ok().as_deref() == Some(query.as_str()) {
        return;
    }
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&query));
    }
}

/// The page's address without query or fragment.
fn base_url() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// A link that reproduces `state` in the full page.
pub fn link(state: &PageState) -> String {
    let full = PageState {
        embed: false,
        hide: Vec::new(),
        ..state.clone()
    };
    format!("{}?{}", base_url(), to_query(&full))
}

/// The embed code for `state` in embed view ([`crate::embed_code::snippet`]: an iframe and
/// the listener file, no inline script or style).
pub fn embed_snippet(state: &PageState, title: &str) -> String {
    let embedded = PageState {
        embed: true,
        ..state.clone()
    };
    crate::embed_code::snippet(&base_url(), &to_query(&embedded), title)
}
