//! The epoch anatomy beside the sliders: N, B, `N / B = updates per epoch` as the post
//! writes it, the total, and progress bars for the epoch and the run. Live with every
//! slider move, before and during training.

use super::lab::Lab;
use crate::anatomy::EpochAnatomy;
use crate::i18n::fill;
use leptos::prelude::*;

#[component]
pub fn AnatomyPanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let anatomy = move || EpochAnatomy::of(&lab.experiment.get());
    let int = move |n: usize| lab.lang.get().int(n);
    let latest = lab.latest;
    // Progress within the current epoch and the run, from the latest update.
    let epoch_done = move || latest.get().map_or(0, |s| s.step_in_epoch);
    let epoch_no = move || latest.get().map_or(0, |s| s.epoch);
    let update_no = move || latest.get().map_or(0, |s| s.update);
    let pct =
        |part: usize, whole: usize| format!("{:.1}%", 100.0 * part as f64 / whole.max(1) as f64);

    view! {
        <section class="panel anatomy" aria-labelledby="anatomy-title">
            <h2 id="anatomy-title">{move || t().section_anatomy}</h2>
            <super::explain::Explain lang=lab.lang text=|t| t.explain_anatomy />
            <dl>
                <dt>{move || t().anatomy_samples}</dt>
                <dd data-testid="train-size" data-value=move || anatomy().samples.to_string()>
                    {move || int(anatomy().samples)}
                </dd>
                <dt>{move || t().anatomy_batch}</dt>
                <dd data-testid="effective-batch" data-value=move || anatomy().batch.to_string()>
                    {move || int(anatomy().batch)}
                </dd>
                <dt>{move || t().anatomy_updates_per_epoch}</dt>
                <dd>
                    <code
                        class="formula"
                        data-testid="updates-per-epoch"
                        data-value=move || anatomy().updates_per_epoch.to_string()
                    >
                        {move || anatomy().per_epoch_formula(int)}
                    </code>
                    {move || {
                        anatomy()
                            .partial_batch
                            .map(|r| view! { <small class="partial">{fill(t().anatomy_partial, &[&int(r)])}</small> })
                    }}
                </dd>
                <dt>{move || t().anatomy_total}</dt>
                <dd>
                    <code
                        class="formula"
                        data-testid="total-updates"
                        data-value=move || anatomy().total_updates.to_string()
                    >
                        {move || anatomy().total_formula(int)}
                    </code>
                </dd>
            </dl>
            <div class="progress">
                <span>{move || t().anatomy_epoch_progress}</span>
                <div
                    class="bar"
                    role="progressbar"
                    aria-label=move || t().anatomy_epoch_progress
                    aria-valuemin="0"
                    aria-valuemax=move || anatomy().updates_per_epoch
                    aria-valuenow=epoch_done
                >
                    <div style:width=move || pct(epoch_done(), anatomy().updates_per_epoch)></div>
                </div>
                <span data-testid="epoch-counter" data-value=move || epoch_no().to_string()>
                    {move || fill(t().status_epoch, &[&int(epoch_no()), &int(anatomy().epochs)])}
                </span>
            </div>
            <div class="progress">
                <span>{move || t().anatomy_run_progress}</span>
                <div
                    class="bar"
                    role="progressbar"
                    aria-label=move || t().anatomy_run_progress
                    aria-valuemin="0"
                    aria-valuemax=move || anatomy().total_updates
                    aria-valuenow=update_no
                >
                    <div style:width=move || pct(update_no(), anatomy().total_updates)></div>
                </div>
                <span data-testid="step-counter" data-value=move || update_no().to_string()>
                    {move || fill(t().status_update, &[&int(update_no()), &int(anatomy().total_updates)])}
                </span>
            </div>
        </section>
    }
}

/// The anatomy in one line, `8,000 / 32 = 250 updates per epoch`: on a phone it stands beside
/// Train in the first screen while the panel itself moves below the charts (style/main.css,
/// "Phones first"); wider screens hide it, the panel above Train says the same.
#[component]
pub fn AnatomySummary(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let anatomy = move || EpochAnatomy::of(&lab.experiment.get());
    view! {
        <p class="anatomy-summary" data-testid="anatomy-summary">
            {move || fill(t().anatomy_summary, &[&anatomy().per_epoch_formula(int)])}
        </p>
    }
}
