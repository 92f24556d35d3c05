//! The post's claims, tested live (issue 24): one card per claim, each an experiment the
//! reader runs here over several seeds, with its measured result, 95 % interval and a
//! verdict by the rule written on the card.
//!
//! - this file: the panel (Run all, Copy results as Markdown, the cards);
//! - [`runs`]: the cards' jobs in a worker pool, progress, Cancel, Open in the lab;
//! - [`card`]: one card; [`result`]: its measured result and verdict; [`slope`]: the
//!   `noise` card's log–log chart.
//!
//! What a card runs, reads and concludes is pure and natively tested in
//! [`crate::claims`] ([`crate::claims::runner`], [`crate::claims::markdown`]).

pub mod card;
pub mod result;
pub mod runs;
pub mod slope;

use crate::claims::{Claim, markdown};
use crate::ui::share::{Copied, CopyResult, copy_to_clipboard};
use leptos::prelude::*;
use runs::Claims;

/// The claims panel: every card, or with `only` one card (`view=claims&claim=KEY`).
#[component]
pub fn ClaimsPanel(
    lab: crate::ui::lab::Lab,
    #[prop(default = None)] only: Option<Claim>,
) -> impl IntoView {
    // The page's cards (src/ui/mod.rs), so a card run in `view=claims` is still there when
    // "Open in the lab" switches to the full lab.
    let claims = use_context::<Claims>().unwrap_or_else(|| Claims::new(lab));
    let t = move || lab.lang.get().strings();
    let (copied, set_copied) = signal(Copied::Nothing);
    let table = move || {
        claims
            .rows
            .with(|rows| markdown::table(rows, lab.lang.get(), env!("CARGO_PKG_VERSION")))
    };
    let shown: Vec<Claim> = match only {
        Some(c) => vec![c],
        None => Claim::ALL.to_vec(),
    };
    view! {
        <section class="panel claims" aria-labelledby="claims-title" data-testid="claims">
            <h2 id="claims-title">{move || t().section_claims}</h2>
            <p class="hint">{move || t().claims_intro}</p>
            <div class="buttons">
                {only.is_none().then(|| view! {
                    <button class="primary" data-testid="run-all-claims" on:click=move |_| claims.run_all()>
                        {move || t().claims_run_all}
                    </button>
                })}
                <button
                    data-testid="copy-claims-markdown"
                    on:click=move |_| copy_to_clipboard(table(), set_copied)
                >
                    {move || t().claims_copy_markdown}
                </button>
                <CopyResult copied=copied lang=lab.lang test_id="copy-claims-result" />
            </div>
            <details class="claims-markdown">
                <summary>{move || t().claims_markdown}</summary>
                <pre data-testid="claims-markdown" data-rows=move || claims.rows.with(Vec::len)>{table}</pre>
            </details>
            <p class="claims-rule" data-testid="claims-rule">{move || crate::claims::text::rule(lab.lang.get())}</p>
            <div class="claim-cards">
                {shown.into_iter().map(|claim| view! { <card::ClaimCard claims=claims claim=claim /> }).collect_view()}
            </div>
        </section>
    }
}
