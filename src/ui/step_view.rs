//! What Step just did, beside the buttons: where the update stands in its epoch ("이번 에폭
//! 3 / 250번째 업데이트") and a compact view of the batch it used (the batch panel's own
//! view, [`BatchView`] with `compact`), so pressing Step changes something in sight and
//! not only in the batch panel far below.

use super::batch_view::BatchView;
use super::lab::Lab;
use crate::anatomy::EpochAnatomy;
use crate::i18n::fill;
use leptos::prelude::*;

/// `show_batch`: whether the batch is shown at all (`hide=batch` hides both views).
#[component]
pub fn StepView(lab: Lab, show_batch: bool) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let per_epoch = move || EpochAnatomy::of(&lab.experiment.get()).updates_per_epoch;
    let in_epoch = move || lab.latest.get().map_or(0, |s| s.step_in_epoch);
    let text = move || match in_epoch() {
        0 => fill(t().step_in_epoch_none, &[&int(per_epoch())]),
        k => fill(t().step_in_epoch, &[&int(k), &int(per_epoch())]),
    };
    view! {
        <div class="step-view" data-testid="step-view">
            <p class="step-count" data-testid="step-in-epoch" data-value=move || in_epoch().to_string()>
                {text}
            </p>
            {show_batch.then(|| view! {
                <BatchView
                    batch=lab.batch
                    info=lab.info
                    boundary=lab.boundary
                    lang=lab.lang
                    compact=true
                />
            })}
        </div>
    }
}
