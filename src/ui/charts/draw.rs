//! The loss and accuracy charts (the post's monitoring figure: `subplot(1,2,1)` loss,
//! `subplot(1,2,2)` accuracy), drawn with plotters on two canvases.
//!
//! Per chart: the per-update training values as a faint min–max band with the bucket means
//! (thinned to the pixel width by [`thin`]), the epoch means as a solid line with circles,
//! validation as squares joined by a dashed line, and light vertical lines at the epoch
//! boundaries. Colours are Okabe–Ito (blue training, orange validation) and the series also
//! differ by line style and marker shape.
//!
//! Cost: a redraw happens at most once per animation frame and only when the history
//! version, the run, the language, the x axis or the size changed. It costs about the pixel
//! width of the chart, however many updates were recorded, and measures no text through the
//! DOM (plotters' web font code appends a `<span>` per measurement): the label areas have
//! fixed sizes, tick labels sit in the left and bottom areas (never measured), and the legend
//! and title are placed with the canvas' own `measureText`.
//!
//! HiDPI: the canvas backing store is its CSS size × `devicePixelRatio`, and every font,
//! stroke and label area is scaled by that ratio (plotters lays out in backing pixels, so the
//! context is never `scale()`d).

use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{
    ChartBuilder, Circle, Color, DashedLineSeries, DrawingArea, EmptyElement, FontDesc, FontFamily,
    FontStyle, IntoDrawingArea, LineSeries, PathElement, Polygon, RGBColor, Rectangle, Text,
    TextStyle,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ResizeObserver, ResizeObserverEntry};

use crate::history::{Bucket, Column, History, Point, RunHistory, XAxis, thin};
use crate::i18n::Lang;
use crate::trainer::session::Metrics;
use crate::worker::protocol::RunId;

/// The font stack of the page (style/main.css), so Hangul renders on the canvas too.
const FONT: &str = "system-ui, \"Noto Sans KR\", \"Noto Sans CJK KR\", sans-serif";

/// Okabe–Ito blue (training) and orange (validation); sky blue replaces the blue on dark
/// backgrounds, where #0072B2 has too little contrast.
const TRAIN: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const TRAIN_ON_DARK: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const VALIDATION: RGBColor = RGBColor(0xE6, 0x9F, 0x00);

/// Inline sizing of the two-chart row: side by side, wrapping to a stack below ~2 × 300 px.
const ROW_STYLE: &str = "display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;";
const FIGURE_STYLE: &str = "flex:1 1 300px;min-width:0;margin:0;";
/// The canvas fills its figure's width; its height is fixed (smaller on phones).
const CANVAS_STYLE: &str = "display:block;width:100%;height:clamp(210px,58vw,260px);";

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Loss,
    Accuracy,
}

impl ChartKind {
    /// Both charts, in page order.
    pub const ALL: [ChartKind; 2] = [ChartKind::Loss, ChartKind::Accuracy];

    /// The per-update column the chart shows.
    pub fn column(self) -> Column {
        match self {
            ChartKind::Loss => Column::Loss,
            ChartKind::Accuracy => Column::Accuracy,
        }
    }

    /// The chart's title.
    pub fn title(self, lang: Lang) -> &'static str {
        let s = lang.strings();
        match self {
            ChartKind::Loss => s.chart_loss,
            ChartKind::Accuracy => s.chart_accuracy,
        }
    }

    /// The canvas' `data-testid`.
    pub fn test_id(self) -> &'static str {
        match self {
            ChartKind::Loss => "loss-chart",
            ChartKind::Accuracy => "accuracy-chart",
        }
    }

    fn metric(self, m: &Metrics) -> f64 {
        match self {
            ChartKind::Loss => m.loss,
            ChartKind::Accuracy => m.accuracy,
        }
    }
}

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

/// The colours of a chart: text (also axes and grid, at lower opacity), the two series, and
/// the legend's backdrop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartTheme {
    pub text: RGBColor,
    pub train: RGBColor,
    pub validation: RGBColor,
    pub backdrop: RGBColor,
}

impl Default for ChartTheme {
    fn default() -> Self {
        ChartTheme::for_text(RGBColor(0x33, 0x33, 0x33))
    }
}

impl ChartTheme {
    /// The theme for a text colour: dark text means a light page and vice versa.
    pub fn for_text(text: RGBColor) -> Self {
        let dark_page = luminance(text) > 0.5;
        ChartTheme {
            text,
            train: if dark_page { TRAIN_ON_DARK } else { TRAIN },
            validation: VALIDATION,
            backdrop: if dark_page {
                RGBColor(0x1e, 0x1e, 0x1e)
            } else {
                RGBColor(0xff, 0xff, 0xff)
            },
        }
    }

    /// The theme of `el` from its computed style: `--chart-text` (else its `color`, which
    /// follows `color-scheme: light dark`), and `--chart-train`, `--chart-validation`,
    /// `--chart-backdrop` when set. Neutral greys when nothing can be read.
    pub fn of(el: &web_sys::Element) -> Self {
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten())
        else {
            return ChartTheme::default();
        };
        let read = |name: &str| {
            style
                .get_property_value(name)
                .ok()
                .and_then(|v| parse_color(&v))
        };
        let mut theme = ChartTheme::for_text(
            read("--chart-text")
                .or_else(|| read("color"))
                .unwrap_or(RGBColor(0x33, 0x33, 0x33)),
        );
        if let Some(c) = read("--chart-train") {
            theme.train = c;
        }
        if let Some(c) = read("--chart-validation") {
            theme.validation = c;
        }
        if let Some(c) = read("--chart-backdrop") {
            theme.backdrop = c;
        }
        theme
    }
}

fn luminance(c: RGBColor) -> f64 {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0
}

/// `#rgb`, `#rrggbb`, `rgb(r, g, b)` or `rgba(r g b / a)`; `None` for anything else.
pub fn parse_color(s: &str) -> Option<RGBColor> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        return match hex.len() {
            3 => Some(RGBColor(
                digit(0, 1)? * 17,
                digit(1, 1)? * 17,
                digit(2, 1)? * 17,
            )),
            6 | 8 => Some(RGBColor(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        };
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner
        .split([',', ' ', '/'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<f64>()
                .ok()
                .map(|v| v.round().clamp(0.0, 255.0) as u8)
        });
    Some(RGBColor(parts.next()??, parts.next()??, parts.next()??))
}

/// Draws one chart on `canvas` at its current backing size, inferring the pixel ratio from
/// the backing width over the CSS width (1 when the canvas is not laid out), with the theme
/// read from the canvas' computed style. See [`draw_chart_with`].
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    run: Option<&RunHistory>,
    kind: ChartKind,
    axis: XAxis,
    lang: Lang,
) -> Result<(), String> {
    let css_width = canvas.client_width();
    let scale = if css_width > 0 {
        canvas.width() as f64 / css_width as f64
    } else {
        1.0
    };
    let theme = ChartTheme::of(canvas);
    draw_chart_with(canvas, run, kind, axis, lang, scale, &theme)
}

/// Layout in CSS pixels (multiplied by the pixel ratio when drawn).
const TITLE_BAND: f64 = 26.0;
const LEFT_AREA: f64 = 44.0;
const BOTTOM_AREA: f64 = 36.0;
const RIGHT_MARGIN: f64 = 16.0;
const TITLE_FONT: f64 = 13.0;
const LABEL_FONT: f64 = 11.0;

/// Draws one chart on `canvas` (cleared first) at its current backing size, with every
/// length multiplied by `scale` (the device pixel ratio the backing size was made with).
/// `run` `None` or without updates draws the empty axes, title and legend. Non-finite
/// values are skipped. Errors are the canvas' or plotters' messages.
pub fn draw_chart_with(
    canvas: &HtmlCanvasElement,
    run: Option<&RunHistory>,
    kind: ChartKind,
    axis: XAxis,
    lang: Lang,
    scale: f64,
    theme: &ChartTheme,
) -> Result<(), String> {
    let scale = if scale.is_finite() {
        scale.clamp(0.25, 8.0)
    } else {
        1.0
    };
    let (width, height) = (canvas.width() as i32, canvas.height() as i32);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("the canvas has no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context".to_owned())?;
    ctx.clear_rect(0.0, 0.0, width as f64, height as f64);
    let px = |css: f64| (css * scale).round() as i32;
    let (top, left, bottom, right) = (
        px(TITLE_BAND),
        px(LEFT_AREA),
        px(BOTTOM_AREA),
        px(RIGHT_MARGIN),
    );
    if width <= left + right + px(10.0) || height <= top + bottom + px(10.0) {
        return Ok(()); // too small (or hidden) to draw anything readable
    }
    let plot_w = width - left - right;
    let plot_w_css = plot_w as f64 / scale;

    let font =
        |size: f64, style: FontStyle| FontDesc::new(FontFamily::Name(FONT), size * scale, style);
    let text_style = |size: f64, style: FontStyle, alpha: f64| -> TextStyle<'static> {
        font(size, style).color(&theme.text.mix(alpha))
    };

    // Data first: the loss range depends on it.
    let x_max = x_extent(run, axis);
    let buckets = match run {
        Some(r) => thin(
            r,
            axis,
            kind.column(),
            (0.0, x_max),
            (plot_w.max(1) as usize).min(4096),
        ),
        None => Vec::new(),
    };
    let epochs = run.map_or_else(Vec::new, |r| points(r, &r.epochs, kind, axis));
    let validation = run.map_or_else(Vec::new, |r| points(r, &r.validation, kind, axis));
    let y_max = match kind {
        ChartKind::Loss => loss_ceiling(run, &buckets, &epochs, &validation),
        // A little headroom so markers at 100 % are not cut in half; labels stop at 100 %.
        ChartKind::Accuracy => 1.04,
    };

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    let mut chart = ChartBuilder::on(&root)
        .margin_top(top)
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)
        .map_err(|e| e.to_string())?;

    let x_format = move |v: &f64| format_x(*v, axis);
    let y_format = move |v: &f64| format_y(*v, kind);
    let x_labels = ((plot_w_css / 80.0) as usize).clamp(2, 10);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .x_labels(x_labels)
        .y_labels(6)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .bold_line_style(theme.text.mix(0.12).stroke_width(px(1.0).max(1) as u32))
        .axis_style(theme.text.mix(0.5).stroke_width(px(1.0).max(1) as u32))
        .set_all_tick_mark_size(px(4.0))
        .label_style(text_style(LABEL_FONT, FontStyle::Normal, 0.8))
        .axis_desc_style(text_style(LABEL_FONT, FontStyle::Normal, 0.8))
        .x_desc(axis_label(axis, lang))
        .draw()
        .map_err(|e| e.to_string())?;

    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let clip_pad = px(5.0) as f64;

    // Series, clipped to the plot area (values above the robust loss ceiling run off it).
    ctx.save();
    ctx.begin_path();
    ctx.rect(
        x_pixels.start as f64,
        y_pixels.start as f64 - clip_pad,
        (x_pixels.end - x_pixels.start) as f64 + clip_pad,
        (y_pixels.end - y_pixels.start) as f64 + clip_pad,
    );
    ctx.clip();
    let drawn = (|| -> Result<(), String> {
        let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
        let y_clamp = |v: f64| v.clamp(-0.05 * y_max, 1.5 * y_max);
        let thin_px = px(1.0).max(1) as u32;

        // Epoch boundaries: light vertical lines.
        let boundary = theme.text.mix(0.13).stroke_width(thin_px);
        chart
            .draw_series(
                epoch_boundaries(run, axis, x_max, (plot_w_css / 6.0) as usize)
                    .into_iter()
                    .map(|x| PathElement::new(vec![(x, 0.0), (x, y_max)], boundary)),
            )
            .map_err(err)?;

        // Per-update values: a faint min–max band and a light line of bucket means.
        if buckets.len() >= 2 {
            let band = buckets
                .iter()
                .map(|b| (b.x, y_clamp(b.max as f64)))
                .chain(buckets.iter().rev().map(|b| (b.x, y_clamp(b.min as f64))))
                .collect::<Vec<_>>();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    theme.train.mix(0.16).filled(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                buckets.iter().map(|b| (b.x, y_clamp(b.mean as f64))),
                theme.train.mix(0.45).stroke_width(thin_px),
            ))
            .map_err(err)?;
        if buckets.len() == 1 {
            let b = buckets[0];
            chart
                .draw_series(std::iter::once(Circle::new(
                    (b.x, y_clamp(b.mean as f64)),
                    px(2.0),
                    theme.train.mix(0.45).filled(),
                )))
                .map_err(err)?;
        }

        // Epoch means: solid line with circles.
        let line = theme.train.stroke_width(px(2.0).max(1) as u32);
        let clamped =
            |p: &[(f64, f64)]| p.iter().map(|&(x, y)| (x, y_clamp(y))).collect::<Vec<_>>();
        let epochs = clamped(&epochs);
        chart
            .draw_series(LineSeries::new(epochs.iter().copied(), line))
            .map_err(err)?;
        let markers = |n: usize| n as f64 <= plot_w_css / 10.0;
        if markers(epochs.len()) {
            chart
                .draw_series(
                    epochs
                        .iter()
                        .map(|&p| Circle::new(p, px(3.5), theme.train.filled())),
                )
                .map_err(err)?;
        }

        // Validation: dashed line with squares.
        let validation = clamped(&validation);
        if validation.len() >= 2 {
            chart
                .draw_series(DashedLineSeries::new(
                    validation.iter().copied(),
                    px(6.0),
                    px(4.0),
                    theme.validation.stroke_width(px(2.0).max(1) as u32),
                ))
                .map_err(err)?;
        }
        if markers(validation.len()) || validation.len() == 1 {
            let r = px(3.5);
            chart
                .draw_series(validation.iter().map(|&p| {
                    EmptyElement::at(p)
                        + Rectangle::new([(-r, -r), (r, r)], theme.validation.filled())
                }))
                .map_err(err)?;
        }
        Ok(())
    })();
    ctx.restore();
    drawn?;

    // Title and legend: in the title band when they fit side by side, else the legend goes
    // into the plot's emptier corner (top right for loss, bottom right for accuracy).
    let title = kind.title(lang);
    let title_style = text_style(TITLE_FONT, FontStyle::Bold, 1.0);
    let legend_font = text_style(LABEL_FONT, FontStyle::Normal, 0.9);
    let has_validation = run.is_none_or(|r| r.info.validation_size > 0);
    let s = lang.strings();
    let mut entries = vec![
        (s.series_train_step, LegendMark::Band),
        (s.series_train_epoch, LegendMark::Line),
    ];
    if has_validation {
        entries.push((s.series_validation, LegendMark::Dashed));
    }
    let measure = |text: &str, size: f64, style: &str| -> f64 {
        ctx.set_font(&format!("{style} {}px {FONT}", size * scale));
        ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
    };
    let title_w = measure(title, TITLE_FONT, "bold");
    let widths: Vec<f64> = entries
        .iter()
        .map(|(t, _)| measure(t, LABEL_FONT, "normal"))
        .collect();
    let swatch = px(20.0);
    let gap = px(5.0);
    let spacing = px(14.0);
    let row_w: f64 = widths
        .iter()
        .map(|w| w + (swatch + gap + spacing) as f64)
        .sum::<f64>()
        - spacing as f64;
    let band_mid = top / 2 + px(1.0);
    let legend = Legend {
        root: &root,
        theme,
        scale,
        style: &legend_font,
        swatch,
        gap,
    };
    if left as f64 + title_w + px(24.0) as f64 + row_w <= (width - right) as f64 {
        root.draw(&Text::new(
            title,
            (left, band_mid),
            title_style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        let mut x = (width - right) as f64 - row_w;
        for ((text, mark), w) in entries.iter().zip(&widths) {
            legend.entry(x as i32, band_mid, text, *mark)?;
            x += w + (swatch + gap + spacing) as f64;
        }
    } else {
        root.draw(&Text::new(
            title,
            ((x_pixels.start + x_pixels.end) / 2, band_mid),
            title_style.pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        let pad = px(6.0);
        let row_h = px(16.0);
        let box_w =
            pad * 2 + swatch + gap + widths.iter().cloned().fold(0.0, f64::max).ceil() as i32;
        let box_h = pad * 2 + row_h * entries.len() as i32 - (row_h - px(12.0));
        let x1 = x_pixels.end - px(6.0);
        let x0 = (x1 - box_w).max(x_pixels.start);
        let (y0, y1) = match kind {
            ChartKind::Loss => (y_pixels.start + px(6.0), y_pixels.start + px(6.0) + box_h),
            ChartKind::Accuracy => (y_pixels.end - px(6.0) - box_h, y_pixels.end - px(6.0)),
        };
        root.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            theme.backdrop.mix(0.85).filled(),
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            theme.text.mix(0.2).stroke_width(px(1.0).max(1) as u32),
        ))
        .map_err(|e| e.to_string())?;
        for (i, (text, mark)) in entries.iter().enumerate() {
            let y = y0 + pad + px(6.0) + row_h * i as i32;
            legend.entry(x0 + pad, y, text, *mark)?;
        }
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LegendMark {
    /// Per-update values: a faint band with a light line.
    Band,
    /// Epoch means: a solid line with a circle.
    Line,
    /// Validation: a dashed line with a square.
    Dashed,
}

struct Legend<'a> {
    root: &'a DrawingArea<CanvasBackend, Shift>,
    theme: &'a ChartTheme,
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
        let t = self.theme;
        let wide = px(2.0).max(1) as u32;
        match mark {
            LegendMark::Band => {
                self.root
                    .draw(&Rectangle::new(
                        [(x0, y - px(4.0)), (x1, y + px(4.0))],
                        t.train.mix(0.16).filled(),
                    ))
                    .map_err(err)?;
                self.root
                    .draw(&PathElement::new(
                        vec![(x0, y), (x1, y)],
                        t.train.mix(0.45).stroke_width(px(1.0).max(1) as u32),
                    ))
                    .map_err(err)?;
            }
            LegendMark::Line => {
                self.root
                    .draw(&PathElement::new(
                        vec![(x0, y), (x1, y)],
                        t.train.stroke_width(wide),
                    ))
                    .map_err(err)?;
                self.root
                    .draw(&Circle::new((mid, y), px(3.5), t.train.filled()))
                    .map_err(err)?;
            }
            LegendMark::Dashed => {
                let dash = (x1 - x0 - px(3.0)) / 3;
                for (a, b) in [(x0, x0 + dash), (x1 - dash, x1)] {
                    self.root
                        .draw(&PathElement::new(
                            vec![(a, y), (b, y)],
                            t.validation.stroke_width(wide),
                        ))
                        .map_err(err)?;
                }
                let r = px(3.5);
                self.root
                    .draw(&Rectangle::new(
                        [(mid - r, y - r), (mid + r, y + r)],
                        t.validation.filled(),
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

fn js_error(e: wasm_bindgen::JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// The finite (x, value) of `points` on `axis`.
fn points(run: &RunHistory, points: &[Point], kind: ChartKind, axis: XAxis) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter_map(|p| {
            let (x, y) = (run.x(axis, p.at), kind.metric(&p.metrics));
            (x.is_finite() && y.is_finite()).then_some((x, y))
        })
        .collect()
}

/// The x range's end: the whole run as planned (so the chart does not rescale while it
/// trains), never less than what was recorded; seconds grow with the run, so they are
/// rounded up to a nice number to change the scale only now and then.
pub fn x_extent(run: Option<&RunHistory>, axis: XAxis) -> f64 {
    let Some(run) = run else { return 1.0 };
    let last = run
        .steps
        .len()
        .checked_sub(1)
        .map_or(0.0, |i| run.step_x(axis, i));
    let m = run.planned_x_max(axis).max(last);
    let m = if axis == XAxis::Seconds {
        nice_ceil(m)
    } else {
        m
    };
    if m.is_finite() && m > 0.0 { m } else { 1.0 }
}

/// The loss axis' top: the largest epoch mean or validation loss and the 98th percentile
/// of the per-update bucket means (spikes may run off the top), at least ln(classes) × 1.1
/// (the loss of an untrained net), rounded up to a nice number so it rarely changes.
pub fn loss_ceiling(
    run: Option<&RunHistory>,
    buckets: &[Bucket],
    epochs: &[(f64, f64)],
    validation: &[(f64, f64)],
) -> f64 {
    let Some(run) = run else { return 1.0 };
    let mut top = (run.info.classes.max(2) as f64).ln() * 1.1;
    for &(_, y) in epochs.iter().chain(validation) {
        top = top.max(y);
    }
    let mut means: Vec<f32> = buckets
        .iter()
        .map(|b| b.mean)
        .filter(|v| v.is_finite())
        .collect();
    if !means.is_empty() {
        let k = ((means.len() - 1) as f64 * 0.98).round() as usize;
        let (_, p98, _) = means.select_nth_unstable_by(k, f32::total_cmp);
        top = top.max(*p98 as f64);
    }
    nice_ceil(top)
}

/// The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is at least `v` (1 for
/// non-positive or non-finite `v`).
pub fn nice_ceil(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    // m × 10^k computed as m / 10^-k for negative k, so 0.8 is exactly 0.8.
    let k = v.log10().floor() as i32;
    let times = |m: f64| {
        if k >= 0 {
            m * 10f64.powi(k)
        } else {
            m / 10f64.powi(-k)
        }
    };
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(times)
        .find(|&c| c >= v * (1.0 - 1e-6))
        .unwrap_or_else(|| times(10.0))
}

/// Where epochs end on `axis` inside (0, x_max), at most about `limit` of them (every k-th
/// when there are more).
pub fn epoch_boundaries(
    run: Option<&RunHistory>,
    axis: XAxis,
    x_max: f64,
    limit: usize,
) -> Vec<f64> {
    let Some(run) = run else { return Vec::new() };
    let info = &run.info;
    let unit = match axis {
        XAxis::Epoch => Some(1.0),
        XAxis::Update => Some(info.updates_per_epoch as f64),
        XAxis::Samples => Some(info.train_size as f64),
        XAxis::Seconds => None,
    };
    let all: Vec<f64> = match unit {
        Some(u) if u > 0.0 => (1..info.epochs).map(|k| k as f64 * u).collect(),
        Some(_) => Vec::new(),
        None => run
            .epochs
            .iter()
            .map(|p| run.x(axis, p.at))
            .filter(|x| x.is_finite())
            .collect(),
    };
    let step = all.len().div_ceil(limit.max(1)).max(1);
    all.into_iter()
        .enumerate()
        .filter(|&(i, x)| (i + 1) % step == 0 && x > 0.0 && x < x_max)
        .map(|(_, x)| x)
        .collect()
}

/// `v` with at most `decimals` decimals, trailing zeros dropped.
fn trimmed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A tick value, short: `0.25`, `8,000`, `12k`, `1.5M`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        String::new()
    } else if a >= 1e9 {
        format!("{v:.0e}")
    } else if a >= 1e6 {
        format!("{}M", trimmed(v / 1e6, 1))
    } else if a >= 1e4 {
        format!("{}k", trimmed(v / 1e3, 1))
    } else if v.fract() == 0.0 && v >= 0.0 {
        Lang::En.int(v as usize)
    } else if a >= 10.0 {
        trimmed(v, 1)
    } else {
        trimmed(v, 2)
    }
}

fn format_x(v: f64, _axis: XAxis) -> String {
    compact(v)
}

fn format_y(v: f64, kind: ChartKind) -> String {
    match kind {
        ChartKind::Loss => compact(v),
        ChartKind::Accuracy if v <= 1.0 + 1e-9 => format!("{:.0}%", v * 100.0),
        ChartKind::Accuracy => String::new(),
    }
}

/// What the last frame drew; a frame with the same key draws nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DrawKey {
    version: u64,
    run: Option<RunId>,
    lang: Lang,
    axis: XAxis,
    ratio: f64,
    sizes: [(f64, f64); 2],
}

/// What a ResizeObserver calls (kept alive as long as the observer).
type ResizeCallback = Closure<dyn FnMut(js_sys::Array, ResizeObserver)>;

#[derive(Default)]
struct ChartsState {
    last: Option<DrawKey>,
    frame: Option<AnimationFrameRequestHandle>,
    /// CSS content sizes of the two canvases, from the ResizeObserver.
    sizes: [(f64, f64); 2],
    observer: Option<(ResizeObserver, ResizeCallback)>,
    /// A draw error was already logged (log once, not every frame).
    logged: bool,
}

/// The loss and accuracy charts of run `current` in `history`, side by side (stacked on
/// narrow screens), redrawn on the next animation frame after `version`, `current`, `lang`,
/// `axis` or the size changed (many version bumps in one frame cost one redraw).
///
/// Root: `data-testid="charts"`, `data-updates` = updates of the current run (0 when cleared);
/// after each frame that drew, `data-drawn` = the updates that frame showed and `data-draw-ms`
/// = how long drawing both charts took. Both are set directly, not through signals, so a
/// frame costs no extra reactive work; the benchmark (`bench/app`) reads them to time the
/// run "to the last point drawn" and the redraws.
/// Canvases: `data-testid="loss-chart"` and `"accuracy-chart"` (each `role="img"` with an
/// `aria-label`), inside `<figure class="chart">`s in `<div class="charts">`; the essential
/// sizing is inline (width 100 %, height 210–260 px).
#[component]
pub fn Charts(
    history: StoredValue<History>,
    version: ReadSignal<u64>,
    #[prop(into)] current: Signal<Option<RunId>>,
    #[prop(into)] lang: Signal<Lang>,
    #[prop(into)] axis: Signal<XAxis>,
) -> impl IntoView {
    let root_ref = NodeRef::<html::Div>::new();
    let loss_ref = NodeRef::<html::Canvas>::new();
    let accuracy_ref = NodeRef::<html::Canvas>::new();
    let state = StoredValue::new_local(ChartsState::default());

    let redraw = move || {
        let (Some(loss), Some(accuracy)) = (loss_ref.get_untracked(), accuracy_ref.get_untracked())
        else {
            return;
        };
        let canvases = [loss, accuracy];
        let ratio = window().device_pixel_ratio();
        let ratio = if ratio.is_finite() && ratio > 0.0 {
            ratio.clamp(0.5, 4.0)
        } else {
            1.0
        };
        let Some((observed, observing)) = state.try_with_value(|s| (s.sizes, s.observer.is_some()))
        else {
            return;
        };
        // With a ResizeObserver, its sizes only: before its first report (which comes right
        // after the page's first layout) there is nothing to draw yet, and asking the canvas
        // for its size here would force that layout inside this frame's callback (on a
        // fresh page, a 16-25 ms layout of everything plus the first draw in one long task).
        let mut sizes = observed;
        if !observing {
            for (size, c) in sizes.iter_mut().zip(&canvases) {
                *size = (c.client_width() as f64, c.client_height() as f64);
            }
        }
        let (Some(version), Some(run), Some(lang), Some(axis)) = (
            version.try_get_untracked(),
            current.try_get_untracked(),
            lang.try_get_untracked(),
            axis.try_get_untracked(),
        ) else {
            return;
        };
        let key = DrawKey {
            version,
            run,
            lang,
            axis,
            ratio,
            sizes,
        };
        if state.with_value(|s| s.last == Some(key)) {
            return;
        }
        let started = super::now_ms();
        let theme = ChartTheme::of(&canvases[0]);
        let mut error = None;
        let mut drawn_updates = 0;
        for ((canvas, kind), (w, h)) in canvases.iter().zip(ChartKind::ALL).zip(sizes) {
            if w < 1.0 || h < 1.0 {
                continue; // hidden: draw when it gets a size
            }
            let (bw, bh) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
            if canvas.width() != bw {
                canvas.set_width(bw);
            }
            if canvas.height() != bh {
                canvas.set_height(bh);
            }
            let result = history.try_with_value(|h| {
                let record = run.and_then(|id| h.get(id));
                drawn_updates = record.map_or(0, |r| r.updates());
                draw_chart_with(canvas, record, kind, axis, lang, ratio, &theme)
            });
            if let Some(Err(e)) = result {
                error = Some(e);
            }
        }
        if let Some(root) = root_ref.get_untracked() {
            let _ = root.set_attribute("data-drawn", &drawn_updates.to_string());
            let _ =
                root.set_attribute("data-draw-ms", &format!("{:.2}", super::now_ms() - started));
        }
        state.update_value(|s| {
            s.last = Some(key);
            if let Some(e) = error
                && !s.logged
            {
                s.logged = true;
                web_sys::console::warn_1(&format!("Batch Lab chart: {e}").into());
            }
        });
    };

    let schedule = move || {
        if state.try_with_value(|s| s.frame.is_some()).unwrap_or(true) {
            return; // a frame is already pending (or the component is gone)
        }
        // The callback always runs later (never inside this call), so storing the handle
        // after requesting it is safe.
        let handle = request_animation_frame_with_handle(move || {
            if state.try_update_value(|s| s.frame = None).is_some() {
                redraw();
            }
        });
        if let Ok(handle) = handle {
            state.update_value(|s| s.frame = Some(handle));
        }
    };

    // Data, run, language or axis changed: draw on the next frame.
    Effect::new(move |_| {
        version.track();
        current.track();
        lang.track();
        axis.track();
        schedule();
    });

    // Size changed (including the first layout): remember it and draw on the next frame.
    Effect::new(move |_| {
        let (Some(loss), Some(accuracy)) = (loss_ref.get(), accuracy_ref.get()) else {
            return;
        };
        if state.with_value(|s| s.observer.is_some()) {
            return;
        }
        let (loss_el, accuracy_el): (web_sys::Element, web_sys::Element) =
            (loss.into(), accuracy.into());
        let targets = [loss_el.clone(), accuracy_el.clone()];
        let callback = ResizeCallback::new(move |entries: js_sys::Array, _: ResizeObserver| {
            let mut sizes = state.try_with_value(|s| s.sizes).unwrap_or_default();
            for entry in entries.iter() {
                let Ok(entry) = entry.dyn_into::<ResizeObserverEntry>() else {
                    continue;
                };
                let target = entry.target();
                if let Some(i) = targets.iter().position(|t| *t == target) {
                    let rect = entry.content_rect();
                    sizes[i] = (rect.width(), rect.height());
                }
            }
            if state.try_update_value(|s| s.sizes = sizes).is_some() {
                schedule();
            }
        });
        match ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            Ok(observer) => {
                observer.observe(&loss_el);
                observer.observe(&accuracy_el);
                state.update_value(|s| s.observer = Some((observer, callback)));
            }
            Err(_) => {
                // No ResizeObserver: follow window resizes instead.
                let handle = window_event_listener(leptos::ev::resize, move |_| {
                    state.try_update_value(|s| s.sizes = Default::default());
                    schedule();
                });
                on_cleanup(move || handle.remove());
                schedule();
            }
        }
    });

    on_cleanup(move || {
        state.try_update_value(|s| {
            if let Some(frame) = s.frame.take() {
                frame.cancel();
            }
            if let Some((observer, _callback)) = s.observer.take() {
                observer.disconnect();
            }
        });
    });

    let label = move |kind: ChartKind| {
        move || {
            let lang = lang.get();
            format!("{} ({})", kind.title(lang), axis_label(axis.get(), lang))
        }
    };

    view! {
        <div
            node_ref=root_ref
            class="charts"
            data-testid="charts"
            data-updates=move || {
                version.track();
                let run = current.get();
                history.with_value(|h| run.and_then(|r| h.get(r)).map_or(0, |r| r.updates()))
            }
            style=ROW_STYLE
        >
            <figure class="chart chart-loss" style=FIGURE_STYLE>
                <canvas
                    node_ref=loss_ref
                    data-testid="loss-chart"
                    role="img"
                    aria-label=label(ChartKind::Loss)
                    style=CANVAS_STYLE
                ></canvas>
            </figure>
            <figure class="chart chart-accuracy" style=FIGURE_STYLE>
                <canvas
                    node_ref=accuracy_ref
                    data-testid="accuracy-chart"
                    role="img"
                    aria-label=label(ChartKind::Accuracy)
                    style=CANVAS_STYLE
                ></canvas>
            </figure>
        </div>
    }
}
