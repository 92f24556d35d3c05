//! Whether this is the student's first visit: nothing stored yet in `localStorage`. The
//! first-visit suggestion shows then, with or without settings in the link and in an embed,
//! and the visit is recorded at once so the next one does not show it again.
//!
//! Storage can fail (disabled, full, a sandboxed iframe's `SecurityError`): every step is
//! guarded, and a visit whose storage cannot be read counts as a first one (the suggestion
//! can be dismissed), never as an error. Read through `Reflect` so that an exception thrown
//! by the `localStorage` getter itself comes back as an `Err`.

use js_sys::{Function, Reflect};
use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};

/// The key the visit is recorded under (`js/shell.js` reads it too, through the static header).
const KEY: &str = crate::shell::VISITED_KEY;

/// `true` on a first visit (nothing stored, or storage unreadable); records the visit.
pub fn take() -> bool {
    let first = stored().map_or(true, |v| v.is_none());
    if first {
        let _ = call(&"setItem".into(), &[KEY.into(), "1".into()]);
    }
    first
}

/// The stored value, `None` when there is none.
fn stored() -> Result<Option<String>, JsValue> {
    let v = call(&"getItem".into(), &[KEY.into()])?;
    Ok(v.as_string())
}

/// Calls `localStorage[method](...args)`; any exception is an `Err`.
fn call(method: &JsValue, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let storage = Reflect::get(&window(), &"localStorage".into())?;
    if storage.is_null() || storage.is_undefined() {
        return Err(JsValue::NULL);
    }
    let f: Function = Reflect::get(&storage, method)?.dyn_into()?;
    let args: js_sys::Array = args.iter().collect();
    f.apply(&storage, &args)
}
