//! The `noise` card's log–log chart: each B's spread of the last epoch's batch losses (the
//! seeds' geometric mean), the fitted line whose slope the card reports, and the reference
//! slope −1/2 of sampling alone through the same centre ([`crate::claims::slope_chart`]).
//! The slope is written beside the chart as text, not on the canvas: the web backend
//! measures every canvas label with a forced layout (docs: field notes), and a sentence
//! reads better in HTML, in either language. Only the tick labels are drawn.

use crate::claims::SlopeChart;
use crate::claims::markdown::number;
use crate::i18n::{Lang, fill};
use crate::plot::scale::Scale;
use crate::ui::charts::canvas::{fit_backing_store, pixel_ratio};
use crate::ui::charts::draw::{FONT, cleared_context};
use crate::ui::charts::theme::ChartTheme;
use crate::ui::sweep::chart::draw_ticks;
use leptos::html;
use leptos::prelude::*;
use plotters::prelude::{
    ChartBuilder, Circle, Color, DashedLineSeries, FontDesc, FontFamily, FontStyle,
    IntoDrawingArea, LineSeries,
};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Tick label size in CSS pixels.
const TEXT_PX: f64 = 12.0;

/// The scales that hold the points and both lines over the points' B (a little beyond).
fn scales(c: &SlopeChart) -> (Scale, Scale) {
    let bs = c.points.iter().map(|p| p.0);
    let (b_lo, b_hi) = (
        bs.clone().fold(f64::INFINITY, f64::min),
        bs.fold(0.0, f64::max),
    );
    let x = Scale::log(b_lo / 1.5, b_hi * 1.5);
    let (x0, x1) = x.range();
    let ys = (c.points.iter().map(|p| p.1)).chain([
        c.fit.at(x0),
        c.fit.at(x1),
        c.reference.at(x0),
        c.reference.at(x1),
    ]);
    let (y_lo, y_hi) = (
        ys.clone().fold(f64::INFINITY, f64::min),
        ys.fold(0.0, f64::max),
    );
    (x, Scale::log(y_lo / 1.2, y_hi * 1.2))
}

/// Draws `c` on `canvas` at its backing size (pixel ratio `ratio`).
fn draw(
    canvas: &HtmlCanvasElement,
    c: &SlopeChart,
    ratio: f64,
    theme: &ChartTheme,
) -> Result<(), String> {
    let px = |css: f64| (css * ratio).round() as i32;
    let (w, h) = (canvas.width() as i32, canvas.height() as i32);
    if w < px(100.0) || h < px(80.0) {
        return Ok(());
    }
    let (x, y) = scales(c);
    cleared_context(canvas)?;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(24.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(err)?;
    let axis = theme.text.mix(0.5).stroke_width(px(1.0).max(1) as u32);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(axis)
        .draw()
        .map_err(err)?;
    let (xp, yp) = chart.plotting_area().get_pixel_range();
    let font = FontDesc::new(FontFamily::Name(FONT), TEXT_PX * ratio, FontStyle::Normal);
    let label = font.color(&theme.text.mix(0.9));
    let grid = theme.text.mix(0.12).stroke_width(px(1.0).max(1) as u32);
    // x ticks at the card's batch sizes: the only B it measured.
    let x_ticks: Vec<f64> = c.points.iter().map(|p| p.0).collect();
    let ticks = (x_ticks, y.ticks(4));
    draw_ticks(&root, (x, y), ticks, (xp, yp), &label, grid, px(5.0))?;
    let at = |b: f64, v: f64| (x.to_unit(b), y.to_unit(v));
    // A line is straight on these axes: its two ends, cut to the plot (many short segments
    // of a wide stroke drew it wavy).
    let line = |l: crate::claims::LogLogLine| l.segment(x, y);
    let width = px(2.0).max(1) as u32;
    chart
        .draw_series(DashedLineSeries::new(
            line(c.reference),
            px(5.0),
            px(4.0),
            theme.text.mix(0.6).stroke_width(width),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            line(c.fit),
            theme.train.stroke_width(width),
        ))
        .map_err(err)?;
    chart
        .draw_series(
            (c.points.iter()).map(|&(b, v)| Circle::new(at(b, v), px(4.0), theme.train.filled())),
        )
        .map_err(err)?;
    root.present().map_err(|e| e.to_string())
}

/// The measured slope, the reference and what the dots are, in words.
fn caption(c: &SlopeChart, lang: Lang) -> String {
    let t = lang.strings();
    format!(
        "{} · {} · {}",
        fill(
            t.claim_slope_measured,
            &[&number(c.fit.slope).replace('-', "−")]
        ),
        t.claim_slope_reference,
        t.claim_slope_points
    )
}

/// The chart and its caption, drawn once laid out and again when the chart or the language
/// changes; nothing before the card has a chart.
#[component]
pub fn SlopeFigure(chart: Signal<Option<SlopeChart>>, lang: RwSignal<Lang>) -> impl IntoView {
    let canvas_ref = NodeRef::<html::Canvas>::new();
    Effect::new(move |_| {
        let (Some(c), Some(canvas)) = (chart.get(), canvas_ref.get()) else {
            return;
        };
        lang.track();
        request_animation_frame(move || {
            let ratio = pixel_ratio();
            let size = (canvas.client_width() as f64, canvas.client_height() as f64);
            fit_backing_store(&canvas, size, ratio);
            let theme = ChartTheme::of(&canvas);
            if let Err(e) = draw(&canvas, &c, ratio, &theme) {
                web_sys::console::warn_1(&format!("Batch Lab slope chart: {e}").into());
            }
            let _ = canvas.set_attribute("data-drawn", "true");
        });
    });
    view! {
        <Show when=move || chart.with(Option::is_some)>
            <figure class="claim-slope" data-testid="claim-slope">
                <canvas
                    node_ref=canvas_ref
                    data-testid="claim-slope-chart"
                    data-points=move || chart.with(|c| c.as_ref().map_or(0, |c| c.points.len()))
                    role="img"
                    aria-label=move || lang.get().strings().claim_slope_label
                    style:display="block"
                    style:width="100%"
                    style:max-width="420px"
                    style:height="180px"
                ></canvas>
                <figcaption>{move || chart.get().map(|c| caption(&c, lang.get()))}</figcaption>
            </figure>
        </Show>
    }
}
