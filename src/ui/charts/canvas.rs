//! A chart canvas' backing store: the one rule for how many device pixels every chart draws.

use web_sys::HtmlCanvasElement;

/// The window's device pixel ratio, within 0.5–4 (1 when the browser reports nothing usable):
/// charts draw at CSS size × this ratio so their lines and text stay sharp on HiDPI screens,
/// and the clamp bounds the backing store (a zoomed-out page must not allocate a huge one).
pub fn pixel_ratio() -> f64 {
    let ratio = leptos::prelude::window().device_pixel_ratio();
    if ratio.is_finite() && ratio > 0.0 {
        ratio.clamp(0.5, 4.0)
    } else {
        1.0
    }
}

/// Sizes `canvas`' backing store to CSS size `(w, h)` × `ratio`, touching it only when it
/// changes (setting a canvas' width clears it, even to the same value).
pub fn fit_backing_store(canvas: &HtmlCanvasElement, (w, h): (f64, f64), ratio: f64) {
    let (bw, bh) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
    if canvas.width() != bw {
        canvas.set_width(bw);
    }
    if canvas.height() != bh {
        canvas.set_height(bh);
    }
}
