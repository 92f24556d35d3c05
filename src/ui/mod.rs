//! The page (Leptos, client-side rendering): controls, epoch anatomy, charts, batch view
//! and status, driving the trainer in a Web Worker.
//!
//! - [`lab`]: the page's state and its conversation with the worker.
//! - [`controls`], [`anatomy_panel`], [`charts`], [`batch_view`], [`status`]: one panel each.

pub mod anatomy_panel;
pub mod batch_view;
pub mod charts;
pub mod controls;
pub mod lab;
pub mod status;

use crate::experiment::Experiment;
use crate::i18n::Lang;
use anatomy_panel::AnatomyPanel;
use batch_view::BatchView;
use charts::Charts;
use controls::{Buttons, Controls};
use lab::Lab;
use leptos::prelude::*;
use status::StatusLine;

/// Mounts the app on `<body>`; called by the page binary (`src/main.rs`).
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The browser's preferred languages.
fn browser_languages() -> Vec<String> {
    let navigator = window().navigator();
    let mut langs: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = navigator.language() {
        langs.push(l);
    }
    langs
}

/// The whole lab.
#[component]
pub fn App() -> impl IntoView {
    let lang = Lang::negotiate(browser_languages().iter().map(String::as_str));
    let lab = Lab::new(Experiment::default(), lang);
    lab.connect();
    let t = move || lab.lang.get().strings();
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lab.lang.get().tag());
        }
    });
    let current = Signal::derive(move || Some(lab.run.get()));
    view! {
        <header class="top">
            <div>
                <h1>{move || t().app_title}</h1>
                <p class="subtitle">{move || t().app_subtitle}</p>
            </div>
            <button
                class="lang"
                data-testid="language"
                aria-label=move || t().language
                on:click=move |_| {
                    lab.lang.update(|l| *l = if *l == Lang::Ko { Lang::En } else { Lang::Ko })
                }
            >
                {move || t().other_language}
            </button>
        </header>
        <main class="lab">
            <div class="side">
                <Controls lab=lab />
            </div>
            <div class="center">
                <AnatomyPanel lab=lab />
                <Buttons lab=lab />
                <StatusLine lab=lab />
                <Charts
                    history=lab.history
                    version=lab.version.read_only()
                    current=current
                    lang=lab.lang
                    axis=lab.axis
                />
                <section class="panel" aria-labelledby="batch-title">
                    <h2 id="batch-title">{move || t().section_batch}</h2>
                    <BatchView batch=lab.batch info=lab.info lang=lab.lang />
                </section>
            </div>
        </main>
        <footer class="credit">
            <small>{move || t().mnist_credit}</small>
        </footer>
    }
}
