//! One epoch as a strip: a segment per batch, as wide as the batch (the partial last batch
//! visibly shorter), a cell per sample when N is small, the batches used so far filled and
//! the one the latest update used lit ([`crate::layout::EpochStrip`] is its logic).

use crate::layout::EpochStrip;
use crate::ui::lab::Lab;
use leptos::prelude::*;

/// Batches past which the strip drops its gaps: 80 segments of 2 px with 3 px gaps fill
/// about 400 px, a phone's width.
const DENSE_BATCHES: usize = 80;

/// `data-testid="epoch-strip"` with `data-cells` (samples drawn as cells), `data-batches`
/// (updates per epoch), `data-done` (batches used this epoch) and `data-last-batch`.
#[component]
pub fn EpochStripView(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let strip = Memo::new(move |_| {
        let e = lab.experiment.get();
        let done = lab.latest.get().map_or(0, |s| s.step_in_epoch);
        EpochStrip::new(e.train_size, e.batch_in_effect(), done)
    });
    let dense = Memo::new(move |_| strip.get().batches() > DENSE_BATCHES);
    let segments = move || {
        let s = strip.get();
        let current = s.current();
        let with_cells = s.cells > 0;
        s.sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let lit = Some(i) == current;
                let used = i < s.done && !lit;
                let cells = with_cells.then(|| {
                    (0..size)
                        .map(|_| view! { <span class="strip-cell"></span> })
                        .collect_view()
                });
                // Its width follows its size: a short last batch looks short.
                view! {
                    <span
                        class="strip-batch"
                        class:done=used
                        class:current=lit
                        style:flex-grow=size.to_string()
                    >
                        {cells}
                    </span>
                }
            })
            .collect_view()
    };
    let int = move |n: usize| lab.lang.get().int(n);
    let caption = move || {
        let s = strip.get();
        crate::i18n::fill(
            t().epoch_strip_caption,
            &[&int(s.batches()), &int(s.last_batch()), &int(s.done)],
        )
    };
    view! {
        <p class="strip-caption" data-testid="epoch-strip-caption">{caption}</p>
        <div
            // More batches than fit apart with gaps (250 at 375 px): one bar, no gaps, so the
            // strip stays inside its panel instead of running off the page.
            class="epoch-strip"
            class:dense=dense
            data-testid="epoch-strip"
            role="img"
            aria-label=move || t().epoch_strip
            data-cells=move || strip.get().cells.to_string()
            data-batches=move || strip.get().batches().to_string()
            data-done=move || strip.get().done.to_string()
            data-last-batch=move || strip.get().last_batch().to_string()
        >
            {segments}
        </div>
    }
}
