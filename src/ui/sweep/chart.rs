//! The sweep's log–log chart: updates (S) and training samples (E) needed to reach the
//! target against the batch size B, with McCandlish et al.'s fitted curves
//! `S(B) = S_min (1 + B_crit/B)` and `E(B) = E_min (1 + B/B_crit)` and the critical batch
//! size marked. Both axes are logarithmic, drawn in scale units with ticks placed here, as
//! the training charts do.

use super::SweepResults;
use crate::plot::scale::{Scale, compact, log_floor};
use crate::ui::charts::draw::FONT;
use crate::ui::charts::theme::ChartTheme;
use crate::ui::lab::Lab;
use leptos::html;
use leptos::prelude::*;
use plotters::prelude::{
    ChartBuilder, Circle, Color, DashedLineSeries, EmptyElement, FontDesc, FontFamily, FontStyle,
    IntoDrawingArea, PathElement, Rectangle, Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Draws `results` on `canvas` at its backing size (pixel ratio `ratio`).
pub fn draw(
    canvas: &HtmlCanvasElement,
    results: &SweepResults,
    ratio: f64,
    theme: &ChartTheme,
    labels: (&str, &str, &str),
) -> Result<(), String> {
    let px = |css: f64| (css * ratio).round() as i32;
    let (w, h) = (canvas.width() as i32, canvas.height() as i32);
    if w < px(120.0) || h < px(100.0) {
        return Ok(());
    }
    let steps: Vec<(f64, f64)> = results
        .rows
        .iter()
        .filter_map(|r| Some((r.batch_size as f64, r.reached?.update as f64)))
        .collect();
    let samples: Vec<(f64, f64)> = results
        .rows
        .iter()
        .filter_map(|r| Some((r.batch_size as f64, r.reached?.samples as f64)))
        .collect();
    let b_lo = results
        .rows
        .iter()
        .map(|r| r.batch_size as f64)
        .fold(f64::INFINITY, f64::min);
    let b_hi = results
        .rows
        .iter()
        .map(|r| r.batch_size as f64)
        .fold(0.0, f64::max);
    let x = Scale::log(log_floor(b_lo.max(1.0)), (b_hi * 1.5).max(10.0));
    let ys = steps.iter().chain(&samples).map(|p| p.1);
    let y_lo = ys.clone().fold(f64::INFINITY, f64::min);
    let y_hi = ys.fold(0.0, f64::max);
    let y = if y_lo.is_finite() {
        Scale::log(log_floor(y_lo.max(1.0)), (y_hi * 2.0).max(10.0))
    } else {
        Scale::log(1.0, 10.0)
    };

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    root.fill(&theme.backdrop.mix(0.0))
        .map_err(|e| e.to_string())?;
    let font = |size: f64| FontDesc::new(FontFamily::Name(FONT), size * ratio, FontStyle::Normal);
    let label = font(11.0).color(&theme.text.mix(0.8));
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(24.0))
        .margin_right(px(16.0))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(theme.text.mix(0.5).stroke_width(px(1.0).max(1) as u32))
        .axis_desc_style(label.clone())
        .x_desc(labels.0)
        .draw()
        .map_err(|e| e.to_string())?;
    let (xp, yp) = chart.plotting_area().get_pixel_range();
    let grid = theme.text.mix(0.12).stroke_width(px(1.0).max(1) as u32);
    for t in x.ticks(8) {
        let px_x = xp.start + ((xp.end - xp.start) as f64 * x.to_unit(t)).round() as i32;
        root.draw(&PathElement::new(
            vec![(px_x, yp.start), (px_x, yp.end)],
            grid,
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            compact(t),
            (px_x, yp.end + px(6.0)),
            label.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    }
    for t in y.ticks(6) {
        let px_y = yp.end - ((yp.end - yp.start) as f64 * y.to_unit(t)).round() as i32;
        root.draw(&PathElement::new(
            vec![(xp.start, px_y), (xp.end, px_y)],
            grid,
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            compact(t),
            (xp.start - px(6.0), px_y),
            label.pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    let at = |b: f64, v: f64| (x.to_unit(b), y.to_unit(v));
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    let line = px(2.0).max(1) as u32;
    if let Some(fit) = results.fit {
        let curve = |f: &dyn Fn(f64) -> f64| {
            (0..=64)
                .map(|i| {
                    let b = x.from_unit(i as f64 / 64.0);
                    at(b, f(b))
                })
                .filter(|p| p.1.is_finite())
                .collect::<Vec<_>>()
        };
        chart
            .draw_series(DashedLineSeries::new(
                curve(&|b| fit.steps(b)),
                px(5.0),
                px(4.0),
                theme.train.mix(0.7).stroke_width(line),
            ))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                curve(&|b| fit.samples(b)),
                px(5.0),
                px(4.0),
                theme.validation.mix(0.7).stroke_width(line),
            ))
            .map_err(err)?;
        let u = x.to_unit(fit.b_crit);
        if (0.0..=1.0).contains(&u) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(u, 0.0), (u, 1.0)],
                    theme.text.mix(0.5).stroke_width(px(1.0).max(1) as u32),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("B_crit ≈ {}", compact(fit.b_crit.round())),
                    (u, 0.97),
                    label.pos(Pos::new(HPos::Left, VPos::Top)),
                )))
                .map_err(err)?;
        }
    }
    // The measured noise scale, dotted, labelled under B_crit's label (at the top, where the
    // S curve, flat at large B, does not run).
    if let Some(v) = results.noise_scale {
        let u = x.to_unit(v);
        if (0.0..=1.0).contains(&u) {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(u, 0.0), (u, 1.0)],
                    px(2.0),
                    px(3.0),
                    theme.text.mix(0.6).stroke_width(px(1.0).max(1) as u32),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("B_noise ≈ {}", compact(v.round())),
                    (u, 0.88),
                    label.pos(Pos::new(HPos::Left, VPos::Top)),
                )))
                .map_err(err)?;
        }
    }
    let r = px(4.0);
    chart
        .draw_series(
            steps
                .iter()
                .map(|&(b, s)| Circle::new(at(b, s), r, theme.train.filled())),
        )
        .map_err(err)?;
    chart
        .draw_series(samples.iter().map(|&(b, e)| {
            EmptyElement::at(at(b, e))
                + Rectangle::new([(-r, -r), (r, r)], theme.validation.filled())
        }))
        .map_err(err)?;
    // Legend in the title band.
    let mid = px(12.0);
    let mut lx = xp.start;
    for (text, colour, square) in [
        (labels.1, theme.train, false),
        (labels.2, theme.validation, true),
    ] {
        if square {
            root.draw(&Rectangle::new(
                [(lx, mid - r), (lx + 2 * r, mid + r)],
                colour.filled(),
            ))
            .map_err(|e| e.to_string())?;
        } else {
            root.draw(&Circle::new((lx + r, mid), r, colour.filled()))
                .map_err(|e| e.to_string())?;
        }
        root.draw(&Text::new(
            text.to_owned(),
            (lx + 3 * r, mid),
            label.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        lx += 3 * r + px(8.0) + (text.chars().count() as f64 * 6.5 * ratio) as i32;
    }
    root.present().map_err(|e| e.to_string())
}

/// The chart as a component: drawn once laid out, and again when the language changes.
#[component]
pub fn SweepChart(lab: Lab, results: SweepResults) -> impl IntoView {
    let canvas_ref = NodeRef::<html::Canvas>::new();
    Effect::new(move |_| {
        let lang = lab.lang.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let results = results.clone();
        // After layout: the canvas' CSS size is known in the next frame.
        request_animation_frame(move || {
            let ratio = window().device_pixel_ratio().clamp(0.5, 4.0);
            let (w, h) = (canvas.client_width() as f64, canvas.client_height() as f64);
            canvas.set_width((w * ratio).round() as u32);
            canvas.set_height((h * ratio).round() as u32);
            let s = lang.strings();
            let theme = ChartTheme::of(&canvas);
            if let Err(e) = draw(
                &canvas,
                &results,
                ratio,
                &theme,
                (
                    s.sweep_axis_batch,
                    s.sweep_series_updates,
                    s.sweep_series_samples,
                ),
            ) {
                web_sys::console::warn_1(&format!("Batch Lab sweep chart: {e}").into());
            }
            let _ = canvas.set_attribute("data-drawn", "true");
        });
    });
    view! {
        <canvas
            node_ref=canvas_ref
            class="sweep-chart"
            data-testid="sweep-chart"
            role="img"
            aria-label=move || lab.lang.get().strings().sweep_chart_label
            style:display="block"
            style:width="100%"
            style:height="260px"
        ></canvas>
    }
}
