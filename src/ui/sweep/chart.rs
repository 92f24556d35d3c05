//! The sweep's log–log chart: updates (S) and training samples (E) needed to reach the
//! target against the batch size B, with McCandlish et al.'s fitted curves
//! `S(B) = S_min (1 + B_crit/B)` and `E(B) = E_min (1 + B/B_crit)` and the critical batch
//! size and the measured noise scale marked (saying which run measured it, at which update).
//! Each B is its median over seeds with a bar over the seeds that reached the target; a B
//! whose median never reached it is an open triangle pointing up at how far it got: a
//! lower bound, drawn, not dropped.
//! Both axes are logarithmic, drawn in scale units with ticks placed here, as the training
//! charts do.

use super::SweepResults;
use crate::i18n::fill;
use crate::plot::scale::{Scale, compact, log_floor};
use crate::sweep::Fit;
use crate::sweep::seeds::{SeedRow, Spread};
use crate::ui::charts::canvas::{fit_backing_store, pixel_ratio};
use crate::ui::charts::draw::FONT;
use crate::ui::charts::theme::ChartTheme;
use crate::ui::lab::Lab;
use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{
    Cartesian2d, ChartBuilder, ChartContext, Circle, Color, DashedLineSeries, EmptyElement,
    FontDesc, FontFamily, FontStyle, IntoDrawingArea, PathElement, Rectangle, Text,
};
use plotters::prelude::{DrawingArea, ShapeStyle, TextStyle};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The chart's words, in the page's language.
pub struct ChartText<'a> {
    /// The x axis' description.
    pub axis: &'a str,
    /// The legend's two series: updates (S) and samples (E) to the target.
    pub updates: &'a str,
    pub samples: &'a str,
    /// The lower bounds' legend entry (sizes whose median never reached the target).
    pub lower: &'a str,
    /// The noise-scale marker's label, saying where it was measured, and its value alone
    /// (drawn where the whole label does not fit beside the marker: a phone's narrow chart).
    pub noise: Option<(String, String)>,
}

/// A size's median (B, value) and its range over the seeds that reached the target.
type Median = (f64, f64, Option<(f64, f64)>);

/// A legend entry's mark.
#[derive(Clone, Copy)]
enum Mark {
    Circle,
    Square,
    /// An open triangle pointing up: a lower bound.
    Bound,
}

/// An open triangle pointing up, `r` from its centre: "at least this much".
fn up_triangle(r: i32, colour: plotters::style::RGBColor, width: u32) -> PathElement<(i32, i32)> {
    PathElement::new(
        vec![(0, -r), (r, r), (-r, r), (0, -r)],
        colour.stroke_width(width),
    )
}

/// Text size in CSS pixels: tick labels, legend and marker labels (read across a room).
const TEXT_PX: f64 = 13.0;
/// One row of the band above the plot, in CSS pixels.
const ROW_PX: f64 = 20.0;

/// What the chart plots, and its scales.
struct Points {
    steps: Vec<Median>,
    samples: Vec<Median>,
    /// Lower bounds (B, how far the median seed got) of the sizes whose median never reached.
    steps_bound: Vec<(f64, f64)>,
    samples_bound: Vec<(f64, f64)>,
    x: Scale,
    y: Scale,
}

/// The medians of the sizes whose median reached, with their ranges; the others' lower
/// bounds (how far their median seed got), drawn as such rather than dropped; the scales
/// that hold them all.
fn points(results: &SweepResults) -> Points {
    let median_of = |of: fn(&SeedRow) -> &Spread| -> Vec<Median> {
        results
            .rows
            .iter()
            .filter_map(|r| Some((r.batch_size as f64, of(r).median?, of(r).range)))
            .collect()
    };
    let steps = median_of(|r| &r.updates);
    let samples = median_of(|r| &r.samples);
    let bound_of = |of: fn(&SeedRow) -> &Spread| -> Vec<(f64, f64)> {
        results
            .rows
            .iter()
            .filter(|r| !r.reached_median() && of(r).at_least > 0.0)
            .map(|r| (r.batch_size as f64, of(r).at_least))
            .collect()
    };
    let steps_bound = bound_of(|r| &r.updates);
    let samples_bound = bound_of(|r| &r.samples);
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
    let ys = (steps.iter().chain(&samples))
        .flat_map(|p| [p.1, p.2.map_or(p.1, |r| r.0), p.2.map_or(p.1, |r| r.1)])
        .chain(steps_bound.iter().chain(&samples_bound).map(|p| p.1));
    let y_lo = ys.clone().fold(f64::INFINITY, f64::min);
    let y_hi = ys.fold(0.0, f64::max);
    let y = if y_lo.is_finite() {
        Scale::log(log_floor(y_lo.max(1.0)), (y_hi * 2.0).max(10.0))
    } else {
        Scale::log(1.0, 10.0)
    };

    Points {
        steps,
        samples,
        steps_bound,
        samples_bound,
        x,
        y,
    }
}

/// Each median with its range over the seeds that reached (a vertical bar), and the lower
/// bounds as open triangles pointing up, in the series' colours (`r`: the marks' radius,
/// `thin`: the bars' width, in backing pixels).
fn draw_points(
    chart: &mut ChartContext<'_, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    p: &Points,
    theme: &ChartTheme,
    r: i32,
    thin: u32,
) -> Result<(), String> {
    let at = |b: f64, v: f64| (p.x.to_unit(b), p.y.to_unit(v));
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    for (points, colour) in [(&p.steps, theme.train), (&p.samples, theme.validation)] {
        for &(b, _, range) in points.iter() {
            if let Some((lo, hi)) = range.filter(|(lo, hi)| lo < hi) {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![at(b, lo), at(b, hi)],
                        colour.mix(0.7).stroke_width(thin),
                    )))
                    .map_err(err)?;
            }
        }
    }
    chart
        .draw_series(
            p.steps
                .iter()
                .map(|&(b, s, _)| Circle::new(at(b, s), r, theme.train.filled())),
        )
        .map_err(err)?;
    chart
        .draw_series(p.samples.iter().map(|&(b, e, _)| {
            EmptyElement::at(at(b, e))
                + Rectangle::new([(-r, -r), (r, r)], theme.validation.filled())
        }))
        .map_err(err)?;
    // Lower bounds: an open triangle pointing up, in the series' colour.
    for (points, colour) in [
        (&p.steps_bound, theme.train),
        (&p.samples_bound, theme.validation),
    ] {
        chart
            .draw_series(points.iter().map(|&(b, v)| {
                EmptyElement::at(at(b, v)) + up_triangle(r + thin as i32, colour, thin)
            }))
            .map_err(err)?;
    }
    Ok(())
}

/// The fitted curves `S(B)` and `E(B)`, dashed (`dash` on, `gap` off, `line` wide).
fn draw_fit(
    chart: &mut ChartContext<'_, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    fit: Fit,
    p: &Points,
    theme: &ChartTheme,
    dash: i32,
    gap: i32,
    line: u32,
) -> Result<(), String> {
    let (x, y) = (p.x, p.y);
    let at = |b: f64, v: f64| (x.to_unit(b), y.to_unit(v));
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    // Each curve only where it is inside the plot (cut where it leaves, so it never
    // runs up into the labels above).
    let pieces = |f: &dyn Fn(f64) -> f64| {
        let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for i in 0..=128 {
            let b = x.from_unit(i as f64 / 128.0);
            let p = at(b, f(b));
            if p.1.is_finite() && (0.0..=1.0).contains(&p.1) {
                pieces.last_mut().expect("one").push(p);
            } else if !pieces.last().expect("one").is_empty() {
                pieces.push(Vec::new());
            }
        }
        pieces
    };
    for (f, colour) in [
        (&(|b| fit.steps(b)) as &dyn Fn(f64) -> f64, theme.train),
        (&|b| fit.samples(b), theme.validation),
    ] {
        for piece in pieces(f).into_iter().filter(|p| p.len() > 1) {
            chart
                .draw_series(DashedLineSeries::new(
                    piece,
                    dash,
                    gap,
                    colour.mix(0.8).stroke_width(line),
                ))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The grid lines and tick labels of both axes at `ticks` (x, y) (`off`: the labels'
/// distance from the axis, in backing pixels); the claims' slope chart draws its own too.
pub(crate) fn draw_ticks(
    root: &DrawingArea<CanvasBackend, Shift>,
    (x, y): (Scale, Scale),
    (x_ticks, y_ticks): (Vec<f64>, Vec<f64>),
    (xp, yp): (std::ops::Range<i32>, std::ops::Range<i32>),
    label: &TextStyle,
    grid: ShapeStyle,
    off: i32,
) -> Result<(), String> {
    for t in x_ticks {
        let px_x = xp.start + ((xp.end - xp.start) as f64 * x.to_unit(t)).round() as i32;
        root.draw(&PathElement::new(
            vec![(px_x, yp.start), (px_x, yp.end)],
            grid,
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            compact(t),
            (px_x, yp.end + off),
            label.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    }
    for t in y_ticks {
        let px_y = yp.end - ((yp.end - yp.start) as f64 * y.to_unit(t)).round() as i32;
        root.draw(&PathElement::new(
            vec![(xp.start, px_y), (xp.end, px_y)],
            grid,
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            compact(t),
            (xp.start - off, px_y),
            label.pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Draws `results` on `canvas` at its backing size (pixel ratio `ratio`).
///
/// Above the plot, a band of rows holds the legend (its entries placed by their measured
/// widths, wrapping to a new row when the next one would not fit, so "목표까지 업데이트 S"
/// and "목표까지 샘플 E" never overlap), then one row per marker (B_crit, the measured noise
/// scale): each marker's line runs up from the plot to its own label, so no curve, which
/// stays inside the plot, crosses a label, and two markers close in B do not collide.
pub fn draw(
    canvas: &HtmlCanvasElement,
    results: &SweepResults,
    ratio: f64,
    theme: &ChartTheme,
    text: &ChartText,
) -> Result<(), String> {
    let px = |css: f64| (css * ratio).round() as i32;
    let (w, h) = (canvas.width() as i32, canvas.height() as i32);
    if w < px(120.0) || h < px(100.0) {
        return Ok(());
    }
    let p = points(results);

    // A redraw at the same size (a language change) starts from a clear canvas.
    crate::ui::charts::draw::cleared_context(canvas)?;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    let font = FontDesc::new(FontFamily::Name(FONT), TEXT_PX * ratio, FontStyle::Normal);
    let band = Band {
        root: &root,
        ratio,
        label: font.color(&theme.text.mix(0.9)),
        theme,
        left: px(60.0),
        right: w - px(16.0),
        r: px(4.5),
    };
    let legend = band.legend(text, !p.steps_bound.is_empty());
    let markers = markers(results, p.x, text);
    let marker_row = legend.last().map_or(0, |e| e.row) + 1;
    let rows = marker_row + markers.len() as i32;

    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0) + rows * px(ROW_PX))
        .margin_right(px(16.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(band.left)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(theme.text.mix(0.5).stroke_width(px(1.0).max(1) as u32))
        .axis_desc_style(band.label.clone())
        .x_desc(text.axis)
        .draw()
        .map_err(|e| e.to_string())?;
    let (xp, yp) = chart.plotting_area().get_pixel_range();
    let grid = theme.text.mix(0.12).stroke_width(px(1.0).max(1) as u32);
    let pixels = (xp.clone(), yp.clone());
    let ticks = (p.x.ticks(8), p.y.ticks(6));
    draw_ticks(&root, (p.x, p.y), ticks, pixels, &band.label, grid, px(6.0))?;
    if let Some(fit) = results.fit() {
        let line = px(2.0).max(1) as u32;
        draw_fit(&mut chart, fit, &p, theme, px(5.0), px(4.0), line)?;
    }
    let x_px = |b: f64| xp.start + ((xp.end - xp.start) as f64 * p.x.to_unit(b)).round() as i32;
    let placed: Vec<(i32, i32, &Marker)> = (markers.iter().enumerate())
        .map(|(i, m)| (x_px(m.b), band.row_y(marker_row + i as i32), m))
        .collect();
    band.marker_lines(&placed, yp.end)?;
    band.marker_labels(&placed, w)?;
    draw_points(&mut chart, &p, theme, band.r, px(1.5).max(1) as u32)?;
    band.draw_legend(&legend)?;
    root.present().map_err(|e| e.to_string())
}

/// A marker on the B axis: B_crit (solid) or the measured noise scale (dotted).
struct Marker {
    b: f64,
    words: String,
    /// Drawn where `words` fits on neither side of the line (a phone's narrow chart).
    short: String,
    dotted: bool,
}

/// The markers inside the x scale `x`: the fitted B_crit, and the measured noise scale
/// where `text` names it.
fn markers(results: &SweepResults, x: Scale, text: &ChartText) -> Vec<Marker> {
    let inside = |b: &f64| (0.0..=1.0).contains(&x.to_unit(*b));
    let b_crit = results.fit().map(|f| f.b_crit).filter(inside);
    let noise = results.noise_scale.map(|m| m.value).filter(inside);
    let mut markers = Vec::new();
    if let Some(b) = b_crit {
        let words = format!("B_crit ≈ {}", compact(b.round()));
        markers.push(Marker {
            b,
            short: words.clone(),
            words,
            dotted: false,
        });
    }
    if let (Some(b), Some((long, short))) = (noise, &text.noise) {
        markers.push(Marker {
            b,
            words: long.clone(),
            short: short.clone(),
            dotted: true,
        });
    }
    markers
}

/// A legend entry placed in the band: its row and left edge, its words, colour and mark.
struct Entry<'a> {
    row: i32,
    x: i32,
    words: &'a str,
    colour: plotters::style::RGBColor,
    mark: Mark,
}

/// The band of rows above the plot (legend, then one row per marker), as drawn on `root`.
struct Band<'a, 'b> {
    root: &'a DrawingArea<CanvasBackend, Shift>,
    ratio: f64,
    label: TextStyle<'b>,
    theme: &'a ChartTheme,
    /// Where the legend's rows start and end (backing pixels).
    left: i32,
    right: i32,
    /// The marks' radius.
    r: i32,
}

impl<'b> Band<'_, 'b> {
    fn px(&self, css: f64) -> i32 {
        (css * self.ratio).round() as i32
    }

    /// The middle of band row `row`, backing pixels from the top.
    fn row_y(&self, row: i32) -> i32 {
        self.px(4.0) + row * self.px(ROW_PX) + self.px(ROW_PX) / 2
    }

    /// `t`'s width in the label style (a guess from its length where it cannot be measured).
    fn width_of(&self, t: &str) -> i32 {
        (self.root.estimate_text_size(t, &self.label))
            .map_or(t.chars().count() as i32 * self.px(TEXT_PX), |(w, _)| {
                w as i32
            })
    }

    /// The legend's entries by measured width, wrapping; the lower bounds' entry only
    /// when there are `bounds`.
    fn legend<'t>(&self, text: &ChartText<'t>, bounds: bool) -> Vec<Entry<'t>> {
        let theme = self.theme;
        let mut series = vec![
            (text.updates, theme.train, Mark::Circle),
            (text.samples, theme.validation, Mark::Square),
        ];
        if bounds {
            series.push((text.lower, theme.text, Mark::Bound));
        }
        let gap = self.px(16.0);
        let mut legend = Vec::new();
        let (mut row, mut x) = (0, self.left);
        for (i, (words, colour, mark)) in series.into_iter().enumerate() {
            let wide = 3 * self.r + self.width_of(words);
            if i > 0 && x + wide > self.right {
                row += 1;
                x = self.left;
            }
            legend.push(Entry {
                row,
                x,
                words,
                colour,
                mark,
            });
            x += wide + gap;
        }
        legend
    }

    /// Each marker's line from the plot's bottom `bottom` up to its own row (dotted for
    /// the noise scale). Drawn before every label: a higher marker's line passes through
    /// the lower rows, and must not run through their words.
    fn marker_lines(&self, placed: &[(i32, i32, &Marker)], bottom: i32) -> Result<(), String> {
        for &(x, top, m) in placed {
            let alpha = if m.dotted { 0.7 } else { 0.6 };
            let style = (self.theme.text.mix(alpha)).stroke_width(self.px(1.5).max(1) as u32);
            let segment = |y0: i32, y1: i32| {
                (self
                    .root
                    .draw(&PathElement::new(vec![(x, y0), (x, y1)], style)))
                .map_err(|e| e.to_string())
            };
            if !m.dotted {
                segment(bottom, top)?;
                continue;
            }
            let (dash, space) = (self.px(3.0).max(1), self.px(3.0).max(1));
            let mut y0 = bottom;
            while y0 > top {
                let y1 = (y0 - dash).max(top);
                segment(y0, y1)?;
                y0 = y1 - space;
            }
        }
        Ok(())
    }

    /// Each marker's label in its row, right of its line (left of it near the right edge
    /// `w`), on a box of the backdrop's colour; the short label when the whole one fits on
    /// neither side, and never past the canvas' edges.
    fn marker_labels(&self, placed: &[(i32, i32, &Marker)], w: i32) -> Result<(), String> {
        let px = |css: f64| self.px(css);
        for &(x, top, m) in placed {
            let (room_right, room_left) = (w - px(2.0) - x - px(5.0), x - px(5.0) - px(2.0));
            let words = if self.width_of(&m.words) <= room_right.max(room_left) {
                &m.words
            } else {
                &m.short
            };
            let wide = self.width_of(words);
            let (anchor, tx, x0) = if wide <= room_right {
                (HPos::Left, x + px(5.0), x + px(3.0))
            } else if wide <= room_left {
                (HPos::Right, x - px(5.0), x - px(7.0) - wide)
            } else {
                let tx = (w - px(2.0) - wide).min(x + px(5.0)).max(px(2.0));
                (HPos::Left, tx, tx - px(2.0))
            };
            let half = px(ROW_PX) / 2 - px(1.0);
            self.root
                .draw(&Rectangle::new(
                    [(x0, top - half), (x0 + wide + px(4.0), top + half)],
                    self.theme.backdrop.filled(),
                ))
                .map_err(|e| e.to_string())?;
            self.root
                .draw(&Text::new(
                    words.clone(),
                    (tx, top),
                    self.label.pos(Pos::new(anchor, VPos::Center)),
                ))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The legend: each entry's mark, then its words.
    fn draw_legend(&self, legend: &[Entry]) -> Result<(), String> {
        let (root, r) = (self.root, self.r);
        for e in legend {
            let (lx, mid) = (e.x, self.row_y(e.row));
            match e.mark {
                Mark::Square => root.draw(&Rectangle::new(
                    [(lx, mid - r), (lx + 2 * r, mid + r)],
                    e.colour.filled(),
                )),
                Mark::Circle => root.draw(&Circle::new((lx + r, mid), r, e.colour.filled())),
                Mark::Bound => root.draw(
                    &(EmptyElement::at((lx + r, mid))
                        + up_triangle(r, e.colour, self.px(1.5).max(1) as u32)),
                ),
            }
            .map_err(|e| e.to_string())?;
            root.draw(&Text::new(
                e.words.to_owned(),
                (lx + 3 * r, mid),
                self.label.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
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
            let ratio = pixel_ratio();
            let size = (canvas.client_width() as f64, canvas.client_height() as f64);
            fit_backing_store(&canvas, size, ratio);
            let s = lang.strings();
            let theme = ChartTheme::of(&canvas);
            let noise = results.noise_scale.map(|m| {
                let value = lang.int(m.value.round() as usize);
                let b = lang.int(m.batch_size);
                let long = match m.update {
                    Some(u) => fill(s.sweep_noise_marker, &[&value, &b, &lang.int(u)]),
                    None => fill(s.sweep_noise_marker_last, &[&value, &b]),
                };
                (long, format!("B_noise ≈ {value}"))
            });
            let text = ChartText {
                axis: s.sweep_axis_batch,
                updates: s.sweep_series_updates,
                samples: s.sweep_series_samples,
                lower: s.sweep_series_lower,
                noise,
            };
            if let Err(e) = draw(&canvas, &results, ratio, &theme, &text) {
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
            style:height="clamp(320px, 44vh, 520px)"
        ></canvas>
    }
}
