//! The code mirror: the Keras and the PyTorch program for the current settings
//! ([`crate::code`]), in two tabs, with a copy button. Both programs stay in the page (the
//! inactive one `hidden`), so each is always readable as text.

use super::explain::Explain;
use super::lab::Lab;
use super::share::{Copied, CopyResult, copy_to_clipboard};
use crate::code::{Framework, generate};
use crate::i18n::labels::Label;
use leptos::prelude::*;

/// The tab's and its panel's ids (also their `data-testid`s, a contract the e2e tests use).
fn ids(f: Framework) -> (&'static str, &'static str) {
    match f {
        Framework::Keras => ("code-tab-keras", "code-keras"),
        Framework::PyTorch => ("code-tab-pytorch", "code-pytorch"),
    }
}

#[component]
pub fn CodePanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let (tab, set_tab) = signal(Framework::Keras);
    let (copied, set_copied) = signal(Copied::Nothing);
    let program =
        move |f: Framework| Memo::new(move |_| generate(f, &lab.experiment.get(), lab.lang.get()));
    let programs = Framework::ALL.map(|f| (f, program(f)));
    let tab_id = |f: Framework| ids(f).0;
    let tab_button = move |f: Framework| {
        let (id, panel) = ids(f);
        view! {
            <button
                role="tab"
                id=id
                class="tab"
                data-testid=id
                aria-controls=panel
                aria-selected=move || (tab.get() == f).to_string()
                tabindex=move || if tab.get() == f { "0" } else { "-1" }
                on:click=move |_| set_tab.set(f)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Arrow keys move between the two tabs (the ARIA tabs pattern).
                    if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight") {
                        ev.prevent_default();
                        let all = Framework::ALL;
                        let i = all.iter().position(|&g| g == f).unwrap_or(0);
                        let step = if ev.key() == "ArrowLeft" { all.len() - 1 } else { 1 };
                        let other = all[(i + step) % all.len()];
                        set_tab.set(other);
                        if let Some(el) = document().get_element_by_id(tab_id(other)) {
                            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                        }
                    }
                }
            >
                {move || f.label(t())}
            </button>
        }
    };
    let code_block = move |(f, text): (Framework, Memo<String>)| {
        let id = ids(f).1;
        view! {
            <pre
                class="code"
                role="tabpanel"
                id=id
                data-testid=id
                aria-labelledby=tab_id(f)
                tabindex="0"
                hidden=move || tab.get() != f
            ><code>{move || text.get()}</code></pre>
        }
    };
    view! {
        <section class="panel code-panel" aria-labelledby="code-title">
            <div class="panel-head">
                <h2 id="code-title">{move || t().section_code}</h2>
                <button
                    data-testid="copy-code"
                    on:click=move |_| {
                        let shown = tab.get_untracked();
                        if let Some((_, text)) = programs.iter().find(|(f, _)| *f == shown) {
                            copy_to_clipboard(text.get_untracked(), set_copied);
                        }
                    }
                >
                    {move || t().copy_code}
                </button>
            </div>
            <Explain lang=lab.lang text=|t| t.explain_code />
            <div class="tabs" role="tablist" aria-label=move || t().code_tabs>
                {Framework::ALL.map(tab_button).into_iter().collect_view()}
            </div>
            {programs.map(code_block).into_iter().collect_view()}
            <CopyResult copied=copied lang=lab.lang test_id="copy-code-result" />
        </section>
    }
}
