//! Drawing one chart (loss or accuracy) of the kept runs with plotters on a canvas.
//!
//! Per run: the per-update training values (smoothed per update when smoothing is on) as a
//! solid line that sweeps each pixel column's range of values (thinned to the pixel width by
//! [`thin`], [`Bucket`]), over a translucent band of the raw values' range; the epoch means as a
//! solid line with the run's marker; validation as a dashed line with squares. Every line is
//! [`LINE_WIDTH`] wide and drawn at full strength in a colour with at least 3:1 contrast
//! against the page ([`crate::plot::palette`]): a lone run keeps the classic colours (blue
//! training, orange validation); several runs get one colour each ([`RUN_COLOURS`]) and one
//! marker shape each, the current run drawn last (on top) but no stronger — an older run
//! faded toward the background hid the very noise a B = 8 run is compared for — and a tick
//! on the x axis where each run ends: on the updates axis small and large batches end far
//! apart, on the epochs axis together. Which colour is which run: the chart key above each
//! chart ([`super::key`]).
//!
//! The x axis is drawn in scale units (0..1 across the plot) with its ticks and labels placed
//! here, so linear and log scales share one code path; plotters draws the y axis. No text is
//! measured through the DOM (plotters' web font code appends a `<span>` per measurement):
//! the label areas have fixed sizes, tick labels sit in them, and the legend and title are
//! placed with the canvas' own `measureText`.
//!
//! HiDPI: the canvas backing store is its CSS size × `devicePixelRatio`, and every font,
//! stroke and label area is scaled by that ratio (plotters lays out in backing pixels, so the
//! context is never `scale()`d).

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DynElement;
use plotters::prelude::ChartContext;
use plotters::prelude::{
    ChartBuilder, Circle, Color, DrawingArea, EmptyElement, FontDesc, FontFamily, FontStyle,
    IntoDrawingArea, IntoDynElement, PathElement, Polygon, RGBColor, Rectangle, ShapeStyle, Text,
    TextStyle,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

use super::theme::{ChartTheme, RUN_COLOURS};
use super::traces::Plot;
use crate::history::{Point, RunHistory};
use crate::i18n::Lang;
use crate::plot::looks::Looks;
use crate::plot::scale::{Scale, compact};
use crate::plot::series::{Bucket, ChartKind, loss_ceiling, points, thin, x_scale};
use crate::plot::view::ChartView;
use crate::plot::view::XAxis;

/// The font stack of the page (style/main.css), so Hangul renders on the canvas too.
pub const FONT: &str = "system-ui, \"Noto Sans KR\", \"Noto Sans CJK KR\", sans-serif";

/// Layout in CSS pixels (multiplied by the pixel ratio when drawn).
pub(super) const TITLE_BAND: f64 = 26.0;
pub(super) const LEFT_AREA: f64 = 44.0;
pub(super) const BOTTOM_AREA: f64 = 36.0;
pub(super) const RIGHT_MARGIN: f64 = 16.0;
pub(super) const TITLE_FONT: f64 = 14.0;
/// Tick labels and legend text: at least 12 CSS px, readable on a projector and a phone.
pub(super) const LABEL_FONT: f64 = 12.0;
/// Every series line (traces, epoch means, validation), CSS px.
pub(super) const LINE_WIDTH: f64 = 2.0;
/// Epoch-mean and validation markers' radius, CSS px.
pub(super) const MARKER_RADIUS: f64 = 3.5;
/// The raw min–max band behind a trace: a fill, not a line (well under 3:1 on purpose).
pub(super) const BAND_ALPHA: f64 = 0.12;

/// The x axis' label.
pub fn axis_label(axis: XAxis, lang: Lang) -> &'static str {
    let s = lang.strings();
    match axis {
        XAxis::Epoch => s.axis_epoch,
        XAxis::Update => s.axis_update,
        XAxis::Samples => s.axis_samples,
        XAxis::Seconds => s.axis_seconds,
    }
}

/// The marker shape of a run slot (its epoch means), so runs differ by more than colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Triangle,
    Diamond,
    Square,
    InvertedTriangle,
    Ring,
    Cross,
    Bar,
}

impl Marker {
    /// The marker of slot `slot` ([`crate::plot::slots::marker_index`]).
    pub fn of_slot(slot: usize) -> Marker {
        const ALL: [Marker; crate::plot::slots::MARKERS] = [
            Marker::Circle,
            Marker::Triangle,
            Marker::Diamond,
            Marker::Square,
            Marker::InvertedTriangle,
            Marker::Ring,
            Marker::Cross,
            Marker::Bar,
        ];
        ALL[crate::plot::slots::marker_index(slot)]
    }

    /// The marker as an element centred on `at`, radius `r` backing pixels.
    pub(super) fn element(
        self,
        at: (f64, f64),
        r: i32,
        colour: RGBColor,
    ) -> DynElement<'static, CanvasBackend, (f64, f64)> {
        let fill: ShapeStyle = colour.filled();
        let line: ShapeStyle = colour.stroke_width((r / 2).max(1) as u32);
        let poly =
            |pts: Vec<(i32, i32)>| (EmptyElement::at(at) + Polygon::new(pts, fill)).into_dyn();
        match self {
            Marker::Circle => (EmptyElement::at(at) + Circle::new((0, 0), r, fill)).into_dyn(),
            Marker::Ring => (EmptyElement::at(at) + Circle::new((0, 0), r, line)).into_dyn(),
            Marker::Triangle => poly(vec![(0, -r - 1), (r + 1, r), (-r - 1, r)]),
            Marker::InvertedTriangle => poly(vec![(0, r + 1), (r + 1, -r), (-r - 1, -r)]),
            Marker::Diamond => poly(vec![(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)]),
            Marker::Square => {
                (EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], fill)).into_dyn()
            }
            Marker::Cross => (EmptyElement::at(at)
                + PathElement::new(vec![(-r, -r), (r, r)], line)
                + PathElement::new(vec![(-r, r), (r, -r)], line))
            .into_dyn(),
            Marker::Bar => {
                (EmptyElement::at(at) + Rectangle::new([(-r, -r / 2), (r, r / 2)], fill)).into_dyn()
            }
        }
    }
}

/// How one run is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunStyle {
    pub train: RGBColor,
    pub validation: RGBColor,
    pub marker: Marker,
    /// The current run (or a lone run): drawn last, on top (drawn no stronger here; the
    /// learning-rate strip draws it stronger).
    pub strong: bool,
    /// Its colour-and-marker slot ([`crate::plot::looks`]): runs sharing one are a seed
    /// group, drawn with one band.
    pub slot: usize,
}

/// The styles of `runs` (drawn together, slots as `looks` says), given which is current: a
/// lone run keeps the theme's training and validation colours; several get their slot's
/// colour.
pub fn styles(
    runs: &[&RunHistory],
    looks: &Looks,
    current: Option<u32>,
    theme: &ChartTheme,
) -> Vec<RunStyle> {
    let alone = runs.len() == 1;
    runs.iter()
        .map(|r| {
            let slot = looks.of(r.run).slot;
            let colour = RUN_COLOURS[crate::plot::slots::colour_index(slot)];
            RunStyle {
                train: if alone { theme.train } else { colour },
                validation: if alone { theme.validation } else { colour },
                marker: if alone {
                    Marker::Circle
                } else {
                    Marker::of_slot(slot)
                },
                strong: alone || Some(r.run) == current,
                slot,
            }
        })
        .collect()
}

/// One run's series on one chart, ready to draw.
pub struct RunSeries<'a> {
    pub run: &'a RunHistory,
    pub style: RunStyle,
    /// The per-update trace thinned to the plot's pixel columns, with its values smoothed
    /// per update (equal to the raw values when smoothing is off).
    pub buckets: &'a [Bucket],
}

/// Everything one chart shows.
pub struct Scene<'a> {
    pub kind: ChartKind,
    pub axis: XAxis,
    pub scale: Scale,
    /// Whether a smoothed line is drawn over the raw trace.
    pub smoothing: bool,
    /// In drawing order: the last is on top.
    pub series: Vec<RunSeries<'a>>,
    pub lang: Lang,
    /// The y axis' top ([`y_top`]), computed once: the back layer's key and every drawing
    /// pass of a frame read it (the loss ceiling sorts the buckets' means).
    pub y_max: f64,
    /// The slots of the seed groups drawn as a band ([`grouped_slots`]), computed once for
    /// the same readers.
    pub grouped: Vec<usize>,
}

impl<'a> Scene<'a> {
    pub fn new(
        kind: ChartKind,
        axis: XAxis,
        scale: Scale,
        smoothing: bool,
        series: Vec<RunSeries<'a>>,
        lang: Lang,
    ) -> Self {
        let mut scene = Scene {
            kind,
            axis,
            scale,
            smoothing,
            series,
            lang,
            y_max: 0.0,
            grouped: Vec::new(),
        };
        scene.y_max = y_top(&scene);
        scene.grouped = grouped_slots(&scene.series);
        scene
    }
}

/// Where the plot sits on the canvas, in backing pixels: what a pointer position is
/// converted with.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlotArea {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// The plot's width in backing pixels for a canvas `width` backing pixels wide at pixel
/// ratio `ratio`: the number of buckets to thin a series to.
pub fn plot_columns(width: u32, ratio: f64) -> usize {
    let px = |css: f64| (css * ratio).round() as i64;
    (width as i64 - px(LEFT_AREA) - px(RIGHT_MARGIN)).clamp(1, 4096) as usize
}

/// Draws `run` alone (or empty axes for `None`) on `canvas` at its current backing size,
/// inferring the pixel ratio from the backing width over the CSS width (1 when the canvas is
/// not laid out), with the theme read from the canvas' computed style.
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    run: Option<&RunHistory>,
    kind: ChartKind,
    axis: XAxis,
    lang: Lang,
) -> Result<(), String> {
    let css_width = canvas.client_width();
    let ratio = if css_width > 0 {
        canvas.width() as f64 / css_width as f64
    } else {
        1.0
    };
    let theme = ChartTheme::of(canvas);
    draw_chart_with(canvas, run, kind, axis, lang, ratio, &theme)
}

/// Draws `run` alone on `canvas` with every length multiplied by `ratio` (the device pixel
/// ratio the backing size was made with), unsmoothed, on a linear x axis.
pub fn draw_chart_with(
    canvas: &HtmlCanvasElement,
    run: Option<&RunHistory>,
    kind: ChartKind,
    axis: XAxis,
    lang: Lang,
    ratio: f64,
    theme: &ChartTheme,
) -> Result<(), String> {
    let view = ChartView {
        axis,
        log_x: false,
        smoothing: 0.0,
    };
    let runs: Vec<&RunHistory> = run.into_iter().collect();
    let scale = x_scale(&runs, &view);
    let columns = plot_columns(canvas.width(), ratio);
    let buckets: Vec<Vec<Bucket>> = runs
        .iter()
        .map(|r| thin(r, axis, kind.column(), &scale, columns))
        .collect();
    let styles = styles(&runs, &Looks::default(), run.map(|r| r.run), theme);
    let series = runs
        .iter()
        .zip(&buckets)
        .zip(styles)
        .map(|((run, buckets), style)| RunSeries {
            run,
            style,
            buckets,
        })
        .collect();
    let scene = Scene::new(kind, axis, scale, false, series, lang);
    draw_scene(canvas, &scene, ratio, theme).map(|_| ())
}

/// Which part of a scene a drawing pass draws. Why layers: with eight kept runs of 110,000
/// updates, drawing every run's series took ~8 ms of the page's CPU per frame and the
/// canvas' rasterisation as much again (`scripts/bench`, overlay part), though during a run
/// only the run in progress changes. So the runs that have ended are drawn, with the axes
/// and the heading, into a back layer kept between frames, and each frame copies it and draws
/// the changing runs over it.
///
/// Each run's series and its end tick are drawn together, after the axes, the heading and
/// the epoch boundaries: so a back holding runs `0..n` and then given runs `n..m`
/// ([`Part::Append`]) has the same pixels as a back drawn with runs `0..m` in one pass.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// Everything, in one pass.
    Whole,
    /// Axes, grid, ticks, heading and the series before index `front`.
    Back { front: usize },
    /// The series `from..to` drawn over a [`Part::Back`] of the same scene that holds those
    /// before `from` (runs that ended since it was drawn).
    Append { from: usize, to: usize },
    /// `back` (a [`Part::Back`] of the same scene, same size) copied, then the series from
    /// index `front` on.
    Front {
        front: usize,
        back: &'a HtmlCanvasElement,
    },
}

/// Draws `scene` on `canvas` (cleared first) at its current backing size, with every length
/// multiplied by `ratio`. No series, or series without updates, draw the empty axes, title
/// and legend. Non-finite values are skipped. Returns where the plot is; errors are the
/// canvas' or plotters' messages.
pub fn draw_scene(
    canvas: &HtmlCanvasElement,
    scene: &Scene,
    ratio: f64,
    theme: &ChartTheme,
) -> Result<PlotArea, String> {
    draw_part(canvas, scene, ratio, theme, Part::Whole)
}

/// The loss axis' top (or the accuracy axis' headroom) for `scene`: every series counts, so
/// a back layer and the front drawn over it share one y scale.
fn y_top(scene: &Scene) -> f64 {
    match scene.kind {
        ChartKind::Loss => loss_ceiling(
            scene
                .series
                .iter()
                .map(|s| s.run.info.classes)
                .max()
                .unwrap_or(2),
            scene.series.iter().flat_map(|s| s.buckets.iter()),
            scene.series.iter().flat_map(|s| {
                let marks = |p: &[Point]| points(s.run, p, scene.kind, scene.axis);
                marks(&s.run.epochs)
                    .into_iter()
                    .chain(marks(&s.run.validation))
                    .map(|p| p.1)
            }),
        ),
        // A little headroom so markers at 100 % are not cut in half; labels stop at 100 %.
        ChartKind::Accuracy => 1.04,
    }
}

/// How strongly a seed group's band is filled: clearly a region, yet the group's mean line
/// and its seeds' epoch means stay readable over it.
pub(super) const SEED_BAND_ALPHA: f64 = 0.22;

/// The band of each seed group among `scene`'s series ([`Scene::grouped`]), with the group's
/// colour; groups of one seed have none, so a lone run draws as it always did.
///
/// Min–max, not mean ± 1 sd: with the 3 to 5 seeds a class trains, the sample sd is itself
/// very uncertain (with 3 seeds its relative error is about 50 %), and a ±1 sd band leaves
/// seeds outside it by construction, so a student sees curves outside "the spread". The
/// min–max band contains every seed's curve and says plainly "the seeds ended up anywhere
/// in here"; the run list names it so ([`crate::i18n`] `chart_band_min_max`).
pub(super) fn seed_bands(
    scene: &Scene,
    columns: usize,
) -> Vec<(RGBColor, Vec<crate::plot::band::BandColumn>)> {
    use crate::plot::band::{Trace, band};
    let mut bands = Vec::new();
    for &slot in &scene.grouped {
        let members: Vec<&RunSeries> = (scene.series.iter())
            .filter(|s| s.style.slot == slot)
            .collect();
        let values: Vec<Vec<f32>> = (members.iter())
            .map(|s| s.buckets.iter().map(|b| b.smooth_last).collect())
            .collect();
        let traces: Vec<Trace> = (members.iter())
            .zip(&values)
            .map(|(s, v)| Trace {
                buckets: s.buckets,
                values: v,
            })
            .collect();
        let columns = band(&traces, &scene.scale, columns);
        if columns.len() >= 2 {
            bands.push((members[0].style.train, columns));
        }
    }
    bands
}

/// The slots of the seed groups drawn with two or more seeds among `series`: runs sharing a
/// slot (a student's seed group or a sweep size's seeds, [`crate::plot::looks`]).
fn grouped_slots(series: &[RunSeries]) -> Vec<usize> {
    let mut slots: Vec<usize> = series.iter().map(|s| s.style.slot).collect();
    slots.sort_unstable();
    let mut grouped = slots.clone();
    grouped.dedup();
    grouped.retain(|g| slots.iter().filter(|s| *s == g).count() >= 2);
    grouped
}

/// Draws `part` of `scene` on `canvas` (see [`draw_scene`]).
pub fn draw_part(
    canvas: &HtmlCanvasElement,
    scene: &Scene,
    ratio: f64,
    theme: &ChartTheme,
    part: Part,
) -> Result<PlotArea, String> {
    let scale = if ratio.is_finite() {
        ratio.clamp(0.25, 8.0)
    } else {
        1.0
    };
    let (width, height) = (canvas.width() as i32, canvas.height() as i32);
    let (ctx, series, frame) = begin_part(canvas, scene.series.len(), part)?;
    let px = |css: f64| (css * scale).round() as i32;
    let (left, bottom, right) = (px(LEFT_AREA), px(BOTTOM_AREA), px(RIGHT_MARGIN));
    let heading = Heading::new(&ctx, scene, scale, (width, left, right));
    let top = heading.band;
    if width <= left + right + px(10.0) || height <= top + bottom + px(10.0) {
        return Ok(PlotArea::default()); // too small (or hidden) to draw anything readable
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    let margins = Margins {
        top,
        right,
        bottom,
        left,
    };
    let mut chart = plot_on(&root, margins, scene.y_max)?;
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let area = PlotArea {
        left: x_pixels.start as f64,
        right: x_pixels.end as f64,
        top: y_pixels.start as f64,
        bottom: y_pixels.end as f64,
    };
    if frame {
        let kind = scene.kind;
        let axes = Axes {
            theme,
            scale,
            y_labels: 6,
            y_format: &move |v: &f64| format_y(*v, kind),
            x_scale: &scene.scale,
            x_desc: axis_label(scene.axis, scene.lang),
        };
        draw_axes(&mut chart, &root, axes)?;
        heading.draw(&root, scene, theme, scale, (width, left, right))?;
    }
    let plot = Plot {
        ctx: &ctx,
        ratio: scale,
        kind: scene.kind,
        axis: scene.axis,
        x_scale: scene.scale,
        x_pixels,
        y_pixels,
        y_max: scene.y_max,
        width_css: (width - left - right) as f64 / scale,
    };
    if frame {
        plot.epoch_boundaries(&mut chart, scene, theme)?;
        plot.seed_bands(scene, width)?;
    }
    let several = scene.series.len() > 1;
    for s in &scene.series[series] {
        plot.run(&mut chart, s, scene.grouped.contains(&s.style.slot))?;
        if several {
            plot.end_tick(&root, s)?;
        }
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(area)
}

/// The context `part` draws with (cleared, or as it is for [`Part::Append`]; with the back
/// layer copied in for [`Part::Front`]), the series it draws of `n`, and whether it draws
/// the frame (axes, heading, boundaries, seed bands).
fn begin_part(
    canvas: &HtmlCanvasElement,
    n: usize,
    part: Part,
) -> Result<(CanvasRenderingContext2d, Range<usize>, bool), String> {
    let ctx = match part {
        Part::Append { .. } => context(canvas)?,
        _ => cleared_context(canvas)?,
    };
    let (series, frame) = match part {
        Part::Whole => (0..n, true),
        Part::Back { front } => (0..front.min(n), true),
        Part::Append { from, to } => (from.min(n)..to.min(n), false),
        Part::Front { front, back } => {
            ctx.draw_image_with_html_canvas_element(back, 0.0, 0.0)
                .map_err(js_error)?;
            (front.min(n)..n, false)
        }
    };
    Ok((ctx, series, frame))
}

/// What [`draw_axes`] draws: the chart's y labels and x scale, at pixel ratio `scale`.
pub(super) struct Axes<'a> {
    pub theme: &'a ChartTheme,
    pub scale: f64,
    pub y_labels: usize,
    pub y_format: &'a dyn Fn(&f64) -> String,
    pub x_scale: &'a Scale,
    pub x_desc: &'a str,
}

/// A chart's margins around the plot, in backing pixels: `bottom` and `left` hold the x and
/// y labels.
pub(super) struct Margins {
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub left: i32,
}

/// The plot every chart here draws on: x in scale units (0..1, ticks placed by
/// [`draw_axes`]), y from 0 to `y_max`.
pub(super) fn plot_on(
    root: &DrawingArea<CanvasBackend, Shift>,
    m: Margins,
    y_max: f64,
) -> Result<ChartContext<'_, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    ChartBuilder::on(root)
        .margin_top(m.top)
        .margin_right(m.right)
        .x_label_area_size(m.bottom)
        .y_label_area_size(m.left)
        .build_cartesian_2d(0.0..1.0, 0.0..y_max)
        .map_err(|e| e.to_string())
}

/// The axes every chart here shares: plotters' y grid, axis lines and y labels, then the x
/// ticks and labels placed in scale units (one code path for linear and log scales).
pub(super) fn draw_axes(
    chart: &mut ChartContext<CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    root: &DrawingArea<CanvasBackend, Shift>,
    axes: Axes,
) -> Result<(), String> {
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    let Axes {
        theme,
        scale,
        y_labels,
        y_format,
        x_scale,
        x_desc,
    } = axes;
    let px = |css: f64| (css * scale).round() as i32;
    let thin_px = px(1.0).max(1) as u32;
    let label = || {
        FontDesc::new(
            FontFamily::Name(FONT),
            LABEL_FONT * scale,
            FontStyle::Normal,
        )
        .color(&theme.text.mix(0.8))
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .x_labels(0)
        .y_labels(y_labels)
        .y_label_formatter(y_format)
        .bold_line_style(theme.text.mix(0.12).stroke_width(thin_px))
        .axis_style(theme.text.mix(0.5).stroke_width(thin_px))
        .set_all_tick_mark_size(px(4.0))
        .label_style(label())
        .axis_desc_style(label())
        .x_desc(x_desc)
        .draw()
        .map_err(err)?;

    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let tick_style = theme.text.mix(0.5).stroke_width(thin_px);
    let label_style = label().pos(Pos::new(HPos::Center, VPos::Top));
    let plot_w_css = (xs.end - xs.start) as f64 / scale;
    for t in x_scale.ticks(((plot_w_css / 70.0) as usize).clamp(2, 10)) {
        let x = xs.start + ((xs.end - xs.start) as f64 * x_scale.to_unit(t)).round() as i32;
        root.draw(&PathElement::new(
            vec![(x, ys.end), (x, ys.end + px(4.0))],
            tick_style,
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            compact(t),
            (x, ys.end + px(6.0)),
            label_style.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Whether the heading's legend names the validation series: when a run drawn is
/// validated, or none is drawn yet.
pub(super) fn names_validation(scene: &Scene) -> bool {
    scene.series.is_empty() || scene.series.iter().any(|s| s.run.info.validation_size > 0)
}

/// Where the title and the legend go: the title at the top left, the legend beside it when
/// it fits, else in rows of its own under it, right-aligned — never over the curves (a box in
/// the plot's corner hid the very lines it named).
struct Heading {
    title: &'static str,
    entries: Vec<(&'static str, LegendMark)>,
    widths: Vec<f64>,
    /// Rows of entries (index ranges), top to bottom.
    rows: Vec<std::ops::Range<usize>>,
    beside_title: bool,
    /// Height of the band above the plot, backing pixels.
    band: i32,
}

const LEGEND_ROW: f64 = 16.0;
const SWATCH: f64 = 20.0;
const SWATCH_GAP: f64 = 5.0;
const ENTRY_SPACING: f64 = 14.0;

impl Heading {
    /// Measures and lays out the heading of `scene` on a canvas `width` backing pixels wide.
    fn new(
        ctx: &CanvasRenderingContext2d,
        scene: &Scene,
        scale: f64,
        (width, left, right): (i32, i32, i32),
    ) -> Heading {
        let px = |css: f64| (css * scale).round() as i32;
        let s = scene.lang.strings();
        let has_validation = names_validation(scene);
        let mut entries = vec![
            (
                if scene.smoothing {
                    s.series_train_smoothed
                } else {
                    s.series_train_step
                },
                LegendMark::Band,
            ),
            (s.series_train_epoch, LegendMark::Line),
        ];
        if has_validation {
            entries.push((s.series_validation, LegendMark::Dashed));
        }
        let measure = |text: &str, size: f64, style: &str| -> f64 {
            ctx.set_font(&format!("{style} {}px {FONT}", size * scale));
            ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
        };
        let title = scene.kind.title(scene.lang);
        let title_w = measure(title, TITLE_FONT, "bold");
        let widths: Vec<f64> = entries
            .iter()
            .map(|(t, _)| measure(t, LABEL_FONT, "normal"))
            .collect();
        let entry_w = |w: f64| w + (px(SWATCH) + px(SWATCH_GAP)) as f64;
        let spacing = px(ENTRY_SPACING) as f64;
        let row_w = |r: &std::ops::Range<usize>| {
            widths[r.clone()]
                .iter()
                .map(|&w| entry_w(w) + spacing)
                .sum::<f64>()
                - spacing
        };
        let available = (width - right - left) as f64;
        let all = 0..entries.len();
        let beside_title = title_w + px(24.0) as f64 + row_w(&all) <= available;
        let rows = if beside_title {
            vec![all]
        } else {
            let mut rows = Vec::new();
            let mut start = 0;
            for i in 0..entries.len() {
                if i > start && row_w(&(start..i + 1)) > available {
                    rows.push(start..i);
                    start = i;
                }
            }
            rows.push(start..entries.len());
            rows
        };
        let band = px(TITLE_BAND)
            + if beside_title {
                0
            } else {
                px(LEGEND_ROW) * rows.len() as i32
            };
        Heading {
            title,
            entries,
            widths,
            rows,
            beside_title,
            band,
        }
    }

    /// Draws the title and the legend.
    fn draw(
        &self,
        root: &DrawingArea<CanvasBackend, Shift>,
        scene: &Scene,
        theme: &ChartTheme,
        scale: f64,
        (width, left, right): (i32, i32, i32),
    ) -> Result<(), String> {
        let px = |css: f64| (css * scale).round() as i32;
        let font = |size: f64, style: FontStyle| {
            FontDesc::new(FontFamily::Name(FONT), size * scale, style)
        };
        let title_style = font(TITLE_FONT, FontStyle::Bold).color(&theme.text);
        let legend_font = font(LABEL_FONT, FontStyle::Normal).color(&theme.text.mix(0.9));
        // With several runs the marks are neutral: they say what each line style means; the
        // key above the chart says which colour is which run.
        let (train, validation) = match scene.series.as_slice() {
            [one] => (one.style.train, one.style.validation),
            [] => (theme.train, theme.validation),
            _ => (theme.text, theme.text),
        };
        let title_mid = px(TITLE_BAND) / 2 + px(1.0);
        root.draw(&Text::new(
            self.title,
            (left, title_mid),
            title_style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        let legend = Legend {
            root,
            train,
            validation,
            scale,
            style: &legend_font,
            swatch: px(SWATCH),
            gap: px(SWATCH_GAP),
        };
        let spacing = px(ENTRY_SPACING) as f64;
        let entry_w = |w: f64| w + (px(SWATCH) + px(SWATCH_GAP)) as f64;
        for (i, row) in self.rows.iter().enumerate() {
            let y = if self.beside_title {
                title_mid
            } else {
                px(TITLE_BAND) + px(LEGEND_ROW) * i as i32 + px(LEGEND_ROW) / 2 - px(4.0)
            };
            let row_w = self.widths[row.clone()]
                .iter()
                .map(|&w| entry_w(w) + spacing)
                .sum::<f64>()
                - spacing;
            let mut x = (width - right) as f64 - row_w;
            for ((text, mark), w) in self.entries[row.clone()]
                .iter()
                .zip(&self.widths[row.clone()])
            {
                legend.entry(x as i32, y, text, *mark)?;
                x += entry_w(*w) + spacing;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LegendMark {
    /// Per-update values: a translucent band with a solid line.
    Band,
    /// Epoch means: a solid line with a circle.
    Line,
    /// Validation: a dashed line with a square.
    Dashed,
}

struct Legend<'a> {
    root: &'a DrawingArea<CanvasBackend, Shift>,
    train: RGBColor,
    validation: RGBColor,
    scale: f64,
    style: &'a TextStyle<'a>,
    swatch: i32,
    gap: i32,
}

impl Legend<'_> {
    /// One entry: its mark `swatch` wide from `x`, then the text, centred on `y`.
    fn entry(&self, x: i32, y: i32, text: &str, mark: LegendMark) -> Result<(), String> {
        let px = |css: f64| (css * self.scale).round() as i32;
        let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
        let (x0, x1) = (x, x + self.swatch);
        let mid = (x0 + x1) / 2;
        let wide = px(LINE_WIDTH).max(1) as u32;
        match mark {
            LegendMark::Band => {
                self.root
                    .draw(&Rectangle::new(
                        [(x0, y - px(4.0)), (x1, y + px(4.0))],
                        self.train.mix(BAND_ALPHA).filled(),
                    ))
                    .map_err(err)?;
                self.root
                    .draw(&PathElement::new(
                        vec![(x0, y), (x1, y)],
                        self.train.stroke_width(wide),
                    ))
                    .map_err(err)?;
            }
            LegendMark::Line => {
                self.root
                    .draw(&PathElement::new(
                        vec![(x0, y), (x1, y)],
                        self.train.stroke_width(wide),
                    ))
                    .map_err(err)?;
                self.root
                    .draw(&Circle::new((mid, y), px(3.5), self.train.filled()))
                    .map_err(err)?;
            }
            LegendMark::Dashed => {
                let dash = (x1 - x0 - px(3.0)) / 3;
                for (a, b) in [(x0, x0 + dash), (x1 - dash, x1)] {
                    self.root
                        .draw(&PathElement::new(
                            vec![(a, y), (b, y)],
                            self.validation.stroke_width(wide),
                        ))
                        .map_err(err)?;
                }
                let r = px(3.5);
                self.root
                    .draw(&Rectangle::new(
                        [(mid - r, y - r), (mid + r, y + r)],
                        self.validation.filled(),
                    ))
                    .map_err(err)?;
            }
        }
        self.root
            .draw(&Text::new(
                text,
                (x1 + self.gap, y),
                self.style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)
    }
}

/// Maps (x across the plot, 0..1; y, 0..`y_max`) to canvas pixels as plotters'
/// `Cartesian2d` does for the same pixel ranges (the last pixel of each range is the
/// range's end), without its rounding to whole pixels.
pub(super) fn plot_mapping(
    xs: &std::ops::Range<i32>,
    ys: &std::ops::Range<i32>,
    y_max: f64,
) -> impl Fn(f64, f64) -> (f64, f64) {
    let (x0, x1) = (xs.start as f64, (xs.end - 1) as f64);
    let (y0, y1) = (ys.start as f64, (ys.end - 1) as f64);
    move |u, v| (x0 + (x1 - x0) * u, y1 - (y1 - y0) * v / y_max)
}

/// Draws SVG path data ([`polyline`]) on a 2-D context, in one call per path.
pub(super) struct Pen<'a> {
    pub ctx: &'a CanvasRenderingContext2d,
}

impl Pen<'_> {
    fn path(d: &str) -> Result<Option<Path2d>, String> {
        if d.is_empty() {
            return Ok(None);
        }
        Path2d::new_with_path_string(d).map(Some).map_err(js_error)
    }

    /// Strokes `d` in `colour` at `alpha`, `width` backing pixels wide, dashed when `dash`
    /// (on, off lengths) is given.
    pub fn stroke(
        &self,
        d: &str,
        colour: RGBColor,
        alpha: f64,
        width: f64,
        dash: Option<[f64; 2]>,
    ) -> Result<(), String> {
        let Some(path) = Self::path(d)? else {
            return Ok(());
        };
        let ctx = self.ctx;
        ctx.set_stroke_style_str(&css_rgba(colour, alpha));
        ctx.set_line_width(width);
        if let Some([on, off]) = dash {
            let pattern = js_sys::Array::of2(&on.into(), &off.into());
            ctx.set_line_dash(&pattern).map_err(js_error)?;
        }
        ctx.stroke_with_path(&path);
        if dash.is_some() {
            ctx.set_line_dash(&js_sys::Array::new()).map_err(js_error)?;
        }
        Ok(())
    }

    /// Fills `d` in `colour` at `alpha`.
    pub fn fill(&self, d: &str, colour: RGBColor, alpha: f64) -> Result<(), String> {
        if let Some(path) = Self::path(d)? {
            self.ctx.set_fill_style_str(&css_rgba(colour, alpha));
            self.ctx.fill_with_path_2d(&path);
        }
        Ok(())
    }
}

/// `colour` at `alpha` as a CSS colour.
fn css_rgba(colour: RGBColor, alpha: f64) -> String {
    let RGBColor(r, g, b) = colour;
    format!("rgba({r},{g},{b},{alpha})")
}

/// The canvas' 2-D context, with the canvas cleared.
pub(crate) fn cleared_context(
    canvas: &HtmlCanvasElement,
) -> Result<CanvasRenderingContext2d, String> {
    let ctx = context(canvas)?;
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    Ok(ctx)
}

pub(super) fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("the canvas has no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context".to_owned())
}

pub(super) fn js_error(e: wasm_bindgen::JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

fn format_y(v: f64, kind: ChartKind) -> String {
    match kind {
        ChartKind::Loss => compact(v),
        ChartKind::Accuracy if v <= 1.0 + 1e-9 => format!("{:.0}%", v * 100.0),
        ChartKind::Accuracy => String::new(),
    }
}

impl Marker {
    /// The marker as SVG path data centred on (0, 0), radius `r`, the shapes
    /// [`Marker::element`] draws, and whether it is filled (else stroked): the chart key's.
    pub fn svg_path(self, r: f64) -> (String, bool) {
        let q = r + 1.0;
        let poly = |pts: &[(f64, f64)]| {
            let mut d = String::new();
            for (i, (x, y)) in pts.iter().enumerate() {
                d.push_str(&format!("{}{x} {y} ", if i == 0 { "M" } else { "L" }));
            }
            d.push('Z');
            d
        };
        let circle = format!(
            "M{} 0a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 {} 0Z",
            -r,
            2.0 * r,
            -2.0 * r
        );
        match self {
            Marker::Circle => (circle, true),
            Marker::Ring => (circle, false),
            Marker::Triangle => (poly(&[(0.0, -q), (q, r), (-q, r)]), true),
            Marker::InvertedTriangle => (poly(&[(0.0, q), (q, -r), (-q, -r)]), true),
            Marker::Diamond => (poly(&[(0.0, -q), (q, 0.0), (0.0, q), (-q, 0.0)]), true),
            Marker::Square => (poly(&[(-r, -r), (r, -r), (r, r), (-r, r)]), true),
            Marker::Cross => (
                format!("M{} {}L{r} {r}M{} {r}L{r} {}", -r, -r, -r, -r),
                false,
            ),
            Marker::Bar => {
                let h = r / 2.0;
                (poly(&[(-r, -h), (r, -h), (r, h), (-r, h)]), true)
            }
        }
    }

    /// The marker as a character, for the run list's swatches.
    pub fn glyph(self) -> &'static str {
        match self {
            Marker::Circle => "●",
            Marker::Triangle => "▲",
            Marker::Diamond => "◆",
            Marker::Square => "■",
            Marker::InvertedTriangle => "▼",
            Marker::Ring => "○",
            Marker::Cross => "✕",
            Marker::Bar => "▬",
        }
    }
}
