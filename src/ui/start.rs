//! Deferred start of an embed (issue 23): an embed on screen shows its view at once, but
//! starts its worker (and, when its data is MNIST, the 0.7 MB download) only when the reader
//! first acts: a click anywhere in it, a changed setting, or the `start-embed` button. A post
//! with four embeds then does not start four trainers and four downloads as it loads. The
//! full lab opened as a page starts at once, as it always has.
//!
//! Clicks and changes, not `pointerdown`: on a phone a finger that scrolls the post over an
//! embed sends `pointerdown` into it, and scrolling past is not wanting a trainer.

use super::lab::Lab;
use leptos::prelude::*;

/// Whether this page waits for the reader before starting its worker: an embed (`embed=1`)
/// inside a frame. An `embed=1` page opened on its own (a test, a shared link) starts at once.
pub fn deferred(embed: bool) -> bool {
    embed && super::embed::in_frame()
}

/// Starts `lab` now, or (when [`deferred`]) on the reader's first click or change anywhere in
/// the page. The listeners stay for the page's life; [`Lab::connect`] does nothing twice.
pub fn start(lab: Lab, defer: bool) {
    if !defer {
        lab.connect();
        return;
    }
    // The start waits for the event's own handlers (a timeout, not a microtask): they see the
    // embed not started yet and act on that. Step, for one, stays enabled until then and
    // takes its update once the worker is ready; started first, it would be disabled while
    // the worker loads, and Leptos drops clicks on a disabled button.
    for event in ["click", "change", "input"] {
        let handle = window_event_listener_untyped(event, move |_| {
            set_timeout(move || lab.connect(), std::time::Duration::ZERO)
        });
        std::mem::forget(handle);
    }
}

/// The `start-embed` button and what starts the lab otherwise, while it has not started
/// (nothing once it has, or in a page that starts at once).
#[component]
pub fn StartEmbed(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    view! {
        <Show when=move || !lab.started.get()>
            <p class="start-embed">
                <button data-testid="start-embed" on:click=move |_| lab.connect()>
                    {move || t().start_embed}
                </button>
                <small>{move || t().start_embed_hint}</small>
            </p>
        </Show>
    }
}
