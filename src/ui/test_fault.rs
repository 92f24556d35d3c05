//! The end-to-end tests' way to make a worker fail, unreachable from a URL: a
//! `batch-lab-test-fault` DOM event whose `detail` names the fault and the worker, listened
//! to only when the browser is driven by WebDriver (`navigator.webdriver`).
//!
//! Faults: `crash` posts bytes the worker cannot decode (its deserialisation panics, the
//! page gets the worker's `error` event), `silence` terminates it without a word (only the
//! silence check can notice). Targets: no prefix = the single run's worker, `sweep-` = the
//! sweep's first worker (`sweep-crash`, `sweep-silence`).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `handler` with each test fault's `detail`, if the page is automated.
pub fn listen(mut handler: impl FnMut(&str) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let automated = js_sys::Reflect::get(&window.navigator(), &"webdriver".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true);
    let Some(document) = window.document() else {
        return;
    };
    if !automated {
        return;
    }
    let hook = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let detail = js_sys::Reflect::get(&e, &"detail".into())
            .ok()
            .and_then(|d| d.as_string())
            .unwrap_or_default();
        handler(&detail);
    });
    let _ = document
        .add_event_listener_with_callback("batch-lab-test-fault", hook.as_ref().unchecked_ref());
    hook.forget(); // lives as long as the page
}

/// Makes `worker` fail the way `fault` (`crash` or `silence`) names; anything else is ignored.
pub fn inflict(worker: &web_sys::Worker, fault: &str) {
    match fault {
        "crash" => {
            let garbage = js_sys::Uint8Array::from(&[0xff_u8; 8][..]);
            let _ = worker.post_message(&garbage);
        }
        "silence" => worker.terminate(),
        _ => {}
    }
}
