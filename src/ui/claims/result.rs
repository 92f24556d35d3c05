//! A card's measured result: each comparison with its difference, 95 % interval and p, each
//! arm's mean final validation accuracy (the number its group shows in the lab's run list),
//! and the verdict.

use super::runs::{Card, Claims};
use crate::claims::markdown::{self, measured_contrast};
use crate::claims::runner;
use crate::claims::{Claim, Contrast, Outcome, text};
use crate::i18n::{Lang, fill};
use leptos::prelude::*;

#[component]
pub fn ClaimResult(claims: Claims, claim: Claim) -> impl IntoView {
    let lang = claims.lab.lang;
    let card = Memo::new(move |_| claims.card(claim));
    let slope = Signal::derive(move || card.with(|c| c.details.slope.clone()));
    view! {
        <div class="claim-result">
            <ul class="claim-contrasts">
                <ContrastRows claim=claim card=card lang=lang />
            </ul>
            <Show when=move || card.with(|c| c.result.is_some())>
                <ul class="claim-arms">
                    <ArmRows claim=claim card=card lang=lang />
                </ul>
            </Show>
            <GapLine claim=claim card=card lang=lang />
            <super::slope::SlopeFigure chart=slope lang=lang />
            <WasmMemory claim=claim card=card lang=lang />
            <Verdict card=card lang=lang />
        </div>
    }
}

/// One line per comparison of the claim's plan: its sentence and, once measured, the
/// difference with its mark (✓ claimed, ✗ opposite, ≈ within noise).
#[component]
fn ContrastRows(claim: Claim, card: Memo<Card>, lang: RwSignal<Lang>) -> impl IntoView {
    let contrasts = claim.plan().contrasts;
    move || {
        let lang = lang.get();
        let result = card.with(|c| c.result.clone());
        (contrasts.iter().enumerate())
            .map(|(i, c)| {
                let sentence = text::contrast(claim, c, lang);
                let outcome = result.as_ref().and_then(|r| r.contrasts.get(i)?.outcome);
                let measured = result
                    .as_ref()
                    .and_then(|r| measured_contrast(claim, i, r, lang))
                    .unwrap_or_default();
                let mark = match outcome {
                    Some(Outcome::Claimed) => "✓ ",
                    Some(Outcome::Opposite) => "✗ ",
                    Some(Outcome::WithinNoise) => "≈ ",
                    None => "",
                };
                view! {
                    <li data-testid="claim-contrast">
                        {sentence}
                        {(!measured.is_empty()).then(|| view! {
                            <span class="claim-measured">" — " {mark} {measured}</span>
                        })}
                    </li>
                }
            })
            .collect_view()
    }
}

/// One line per arm: its label, its value of the headline measure, what the card adds
/// ([`arm_extra`]) and its mean final validation accuracy.
#[component]
fn ArmRows(claim: Claim, card: Memo<Card>, lang: RwSignal<Lang>) -> impl IntoView {
    let plan = claim.plan();
    let arms = plan.arms;
    let headline = plan.contrasts.first().map(Contrast::measure);
    move || {
        let lang = lang.get();
        let t = lang.strings();
        let (means, values) = card.with(|c| (c.arm_means.clone(), c.arm_values.clone()));
        let details = card.with(|c| c.details.clone());
        (arms.iter().enumerate())
            .map(|(i, arm)| {
                let mean = means.get(i).copied().flatten();
                let raw = values.get(i).copied().flatten();
                let value = raw.zip(headline).map(|(v, m)| markdown::value(m, v));
                let extra = arm_extra(&details, i, lang);
                view! {
                    <li
                        data-testid="claim-arm"
                        data-arm=i
                        data-batch-size=arm.experiment.batch_in_effect()
                        data-val-accuracy-mean=mean.map(|m| format!("{m}")).unwrap_or_default()
                        data-value=raw.map(|v| format!("{v}")).unwrap_or_default()
                    >
                        {text::arm_label(claim, arm, lang)}
                        {value.map(|v| format!(": {v}"))}
                        {extra.map(|e| format!(" · {e}"))}
                        {mean.map(|m| format!(" · {}", fill(t.claim_arm_accuracy, &[&format!("{m:.1}%")])))}
                    </li>
                }
            })
            .collect_view()
    }
}

/// The card's verdict once it has a result, or that it has none.
#[component]
fn Verdict(card: Memo<Card>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let lang = lang.get();
        let t = lang.strings();
        card.with(|c| {
            let r = c.result.as_ref()?;
            Some(match r.verdict {
                Some(v) => view! {
                    <p class=format!("claim-verdict verdict-{}", v.key()) data-testid="claim-verdict">
                        {text::verdict(v, lang)}
                    </p>
                }
                .into_any(),
                None => view! { <p class="claim-verdict" data-testid="claim-verdict">{t.claim_no_verdict}</p> }
                    .into_any(),
            })
        })
    }
}

/// The memory card's measured wasm memory (no other card shows it).
#[component]
fn WasmMemory(claim: Claim, card: Memo<Card>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let t = lang.get().strings();
        card.with(|c| c.wasm_memory)
            .filter(|_| claim == Claim::Memory)
            .map(|m| view! { <p class="hint">{fill(t.claim_wasm_memory, &[&crate::cost::format_bytes(m)])}</p> })
    }
}

/// How the first two arms' generalisation gaps compare, on the cards that measure gaps.
#[component]
fn GapLine(claim: Claim, card: Memo<Card>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let lang = lang.get();
        let c = card.with(|c| c.details.gaps.as_ref().and_then(|g| g.1))?;
        let name = |i: usize| text::arm_label(claim, &claim.plan().arms[i], lang);
        Some(view! {
            <p class="claim-gap" data-testid="claim-gap-comparison" data-diff=c.difference.to_string()>
                {text::gap_comparison(&c, &name(0), &name(1), lang)}
            </p>
        })
    }
}

/// What an arm's line adds on some cards: its seconds to the target (`time`), its
/// generalisation gap (`generalise`).
fn arm_extra(details: &runner::Details, arm: usize, lang: Lang) -> Option<String> {
    if let Some((target, seconds)) = &details.to_target {
        return Some(text::to_target(seconds.get(arm)?, *target, lang));
    }
    let gap = details.gaps.as_ref()?.0.get(arm).copied().flatten()?;
    Some(text::gap(gap, lang))
}
