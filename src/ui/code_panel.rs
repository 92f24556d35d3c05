//! The code mirror: the Keras and the PyTorch program for the current settings
//! ([`crate::code`]), in two tabs, with a copy button. Both programs stay in the page (the
//! inactive one `hidden`), so each is always readable as text.

use super::explain::Explain;
use super::lab::Lab;
use super::share::{Copied, CopyResult, copy_to_clipboard};
use crate::code::{Framework, generate};
use leptos::prelude::*;

#[component]
pub fn CodePanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let (tab, set_tab) = signal(Framework::Keras);
    let (copied, set_copied) = signal(Copied::Nothing);
    let keras =
        Memo::new(move |_| generate(Framework::Keras, &lab.experiment.get(), lab.lang.get()));
    let pytorch =
        Memo::new(move |_| generate(Framework::PyTorch, &lab.experiment.get(), lab.lang.get()));
    let tab_button = move |f: Framework, id: &'static str, panel: &'static str| {
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
                        let other = if f == Framework::Keras { Framework::PyTorch } else { Framework::Keras };
                        set_tab.set(other);
                        let id = if other == Framework::Keras { "code-tab-keras" } else { "code-tab-pytorch" };
                        if let Some(el) = document().get_element_by_id(id) {
                            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                        }
                    }
                }
            >
                {move || if f == Framework::Keras { t().code_tab_keras } else { t().code_tab_pytorch }}
            </button>
        }
    };
    let code_block =
        move |f: Framework, id: &'static str, tab_id: &'static str, text: Memo<String>| {
            view! {
                <pre
                    class="code"
                    role="tabpanel"
                    id=id
                    data-testid=id
                    aria-labelledby=tab_id
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
                        let text = if tab.get_untracked() == Framework::Keras { keras.get_untracked() } else { pytorch.get_untracked() };
                        copy_to_clipboard(text, set_copied);
                    }
                >
                    {move || t().copy_code}
                </button>
            </div>
            <Explain lang=lab.lang text=|t| t.explain_code />
            <div class="tabs" role="tablist" aria-label=move || t().code_tabs>
                {tab_button(Framework::Keras, "code-tab-keras", "code-keras")}
                {tab_button(Framework::PyTorch, "code-tab-pytorch", "code-pytorch")}
            </div>
            {code_block(Framework::Keras, "code-keras", "code-tab-keras", keras)}
            {code_block(Framework::PyTorch, "code-pytorch", "code-tab-pytorch", pytorch)}
            <CopyResult copied=copied lang=lab.lang test_id="copy-code-result" />
        </section>
    }
}
