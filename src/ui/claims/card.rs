//! One claim's card: the post's sentence, the experiment in one line, Run / Cancel / Open in
//! the lab with progress, the measured result ([`super::result`]), the rule and why.

use super::result::ClaimResult;
use super::runs::{CardPhase, Claims};
use crate::claims::{Claim, text};
use crate::i18n::{Lang, fill};
use crate::layout::Layout;
use leptos::prelude::*;

/// A number as a `data-*` value (empty when there is none).
fn data(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

#[component]
pub fn ClaimCard(claims: Claims, claim: Claim) -> impl IntoView {
    let lab = claims.lab;
    let lang = lab.lang;
    let t = move || lang.get().strings();
    let card = Memo::new(move |_| claims.card(claim));
    let headline = move || card.with(|c| c.result.as_ref().and_then(|r| r.headline().cloned()));
    let inference = move || {
        headline()
            .and_then(|h| h.comparison)
            .and_then(|c| c.inference)
    };
    let running = move || {
        matches!(
            card.with(|c| c.phase.clone()),
            CardPhase::Running { .. } | CardPhase::Queued
        )
    };
    let (heading, words) = text::quote(claim);
    let switch = use_context::<crate::ui::LayoutSwitch>();
    // Open in the lab: the card's groups go into the lab's run list; in the focused claims
    // view, which has no run list, the page becomes the full lab in place (the runs live in
    // this page only), scrolled to the run list.
    let open = move |_| {
        claims.open(claim);
        if let Some(s) = switch.filter(|s| s.0.get_untracked() != Layout::Full) {
            s.0.set(Layout::Full);
            crate::ui::scroll_to_run_list();
        }
    };
    let title_id = format!("claim-{}", claim.key());
    let labelled_by = title_id.clone();
    view! {
        <article
            class="claim-card"
            data-testid="claim"
            data-claim=claim.key()
            aria-labelledby=labelled_by
            data-state=move || card.with(|c| c.phase.key())
            data-verdict=move || card.with(|c| c.result.as_ref().and_then(|r| r.verdict).map(|v| v.key()).unwrap_or_default())
            data-diff=move || data(headline().and_then(|h| h.difference()))
            data-ci-low=move || data(inference().map(|i| i.low))
            data-ci-high=move || data(inference().map(|i| i.high))
            data-p=move || data(inference().map(|i| i.p))
            data-seconds=move || data(card.with(|c| c.seconds))
            data-slope=move || data(card.with(|c| c.details.slope.as_ref().map(|s| s.fit.slope)))
        >
            <p class="claim-heading">{move || heading.get(lang.get())}</p>
            <h3 id=title_id lang="ko">{words.ko}</h3>
            <Show when=move || lang.get() == Lang::En>
                <p class="claim-en" lang="en">{words.en}</p>
            </Show>
            <p class="claim-experiment">{move || text::experiment_line(claim, lang.get())}</p>
            <div class="buttons">
                <button
                    class="primary"
                    data-testid="claim-run"
                    aria-disabled=move || running().to_string()
                    on:click=move |_| claims.run(claim)
                >
                    {move || t().claim_run}
                </button>
                <button
                    data-testid="claim-cancel"
                    aria-disabled=move || (!running()).to_string()
                    on:click=move |_| claims.cancel(claim)
                >
                    {move || t().claim_cancel}
                </button>
                <button
                    data-testid="claim-open"
                    aria-disabled=move || (card.with(|c| c.phase != CardPhase::Done)).to_string()
                    on:click=open
                >
                    {move || t().claim_open}
                </button>
                <span class="claim-progress" data-testid="claim-progress" role="status" aria-live="polite">
                    {move || progress(card.with(|c| (c.phase.clone(), c.seconds)), lang.get())}
                </span>
            </div>
            <ClaimResult claims=claims claim=claim />
            <p class="claim-rule">
                <strong>{move || t().claim_rule}": "</strong>
                {move || text::card_rule(claim, lang.get())}
            </p>
            <p class="claim-why">
                <strong>{move || t().claim_why}": "</strong>
                {move || text::why(claim).get(lang.get())}
            </p>
        </article>
    }
}

/// The progress line's words.
fn progress((phase, seconds): (CardPhase, Option<f64>), lang: Lang) -> String {
    let t = lang.strings();
    match phase {
        CardPhase::Idle => String::new(),
        CardPhase::Queued => t.claim_queued.to_owned(),
        CardPhase::Running { done, total } => {
            fill(t.claim_running, &[&lang.int(done), &lang.int(total)])
        }
        CardPhase::Done => fill(t.claim_done, &[&format!("{:.1}", seconds.unwrap_or(0.0))]),
        CardPhase::Cancelled => t.claim_cancelled.to_owned(),
    }
}
