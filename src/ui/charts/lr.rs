//! The learning-rate strip under the loss and accuracy charts: the rate every kept, visible
//! run actually used at each update (from its history, in its run colour), and the schedule
//! planned for the current settings as a dashed line ([`crate::plot::lr::planned`]), so a
//! student sees the warm-up ramp or the scaled rate before pressing Train. It shares the
//! charts' x axis and scale ([`x_scale`]) and is drawn with plotters like them (fixed label
//! areas, no DOM text measurement, backing store at CSS size × `devicePixelRatio`).
//!
//! The canvas (`data-testid="lr-chart"`) carries, after each frame that drew: `data-runs`
//! (runs drawn), `data-first-rate` (the rate the current run's update 1 used),
//! `data-warmup-updates` (its warm-up length W in updates, 0 without warm-up) and
//! `data-after-warmup-rate` (the rate its update W + 1 used: the end of the ramp), the last
//! two only once recorded; and `data-planned-first` / `data-planned-last` (the dashed
//! preview's first and last rates). Values are the exact f32s, printed shortest.

use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::{
    Circle, Color, FontDesc, FontFamily, FontStyle, IntoDrawingArea, PathElement, Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::{HtmlCanvasElement, ResizeObserver};

use super::canvas::{fit_backing_store, pixel_ratio};
use super::draw::{
    Axes, BOTTOM_AREA, FONT, LABEL_FONT, Margins, Pen, RIGHT_MARGIN, TITLE_BAND, TITLE_FONT,
    axis_label, cleared_context, draw_axes, plot_mapping, plot_on, styles,
};
use super::theme::ChartTheme;
use crate::experiment::Experiment;
use crate::history::{Column, History, RunHistory};
use crate::i18n::Lang;
use crate::plot::ChartView;
use crate::plot::looks::Looks;
use crate::plot::lr::{format_rate, planned, recorded_rate};
use crate::plot::path::polyline;
use crate::plot::scale::Scale;
use crate::plot::series::{Bucket, thin, x_scale};
use crate::plot::view::XAxis;
use crate::worker::protocol::RunId;
use std::collections::HashMap;

/// Wider than the other charts' left area: rate labels such as `0.0008` need the room.
const LEFT: f64 = 52.0;
/// Points of the dashed preview (the schedule is smooth; its corners are always included).
const PREVIEW_POINTS: usize = 240;

/// What the strip draws from.
#[derive(Clone, Copy)]
struct Inputs {
    history: StoredValue<History>,
    looks: StoredValue<Looks>,
    current: Signal<Option<RunId>>,
    experiment: Signal<Experiment>,
    lang: Signal<Lang>,
    view: Signal<ChartView>,
}

/// The learning-rate strip; redrawn on the next animation frame after the history, the
/// current run, the settings, the language or the view changed.
#[component]
pub fn LrChart(
    history: StoredValue<History>,
    /// How each run is drawn, shared with the loss and accuracy charts ([`super::Charts`]).
    #[prop(optional)]
    looks: StoredValue<Looks>,
    version: ReadSignal<u64>,
    #[prop(into)] current: Signal<Option<RunId>>,
    #[prop(into)] experiment: Signal<Experiment>,
    #[prop(into)] lang: Signal<Lang>,
    #[prop(into)] view: Signal<ChartView>,
) -> impl IntoView {
    let inputs = Inputs {
        history,
        looks,
        current,
        experiment,
        lang,
        view,
    };
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let frames = Frames::new();
    let schedule = frames.scheduler(frame_drawer(canvas_ref, inputs, frames));
    Effect::new(move |_| {
        version.track();
        current.track();
        experiment.track();
        lang.track();
        view.track();
        schedule();
    });
    frames.follow_size(canvas_ref, schedule);

    let label = move || {
        let lang = lang.get();
        format!(
            "{} ({})",
            lang.strings().learning_rate,
            axis_label(view.get().axis, lang)
        )
    };
    view! {
        <figure class="chart chart-lr">
            <canvas
                class="lr-canvas"
                style:display="block"
                style:width="100%"
                style:height="150px"
                node_ref=canvas_ref
                data-testid="lr-chart"
                role="img"
                aria-label=label
            ></canvas>
        </figure>
    }
}

/// The strip's frame bookkeeping: the animation frame asked for, the canvas' CSS size as
/// the ResizeObserver last reported it ([`super::observe_sizes`]), and that observer.
#[derive(Clone, Copy)]
struct Frames {
    pending: StoredValue<Option<AnimationFrameRequestHandle>, LocalStorage>,
    size: StoredValue<Option<(f64, f64)>>,
    observer: StoredValue<Option<(ResizeObserver, super::ResizeCallback)>, LocalStorage>,
}

impl Frames {
    fn new() -> Self {
        Frames {
            pending: StoredValue::new_local(None),
            size: StoredValue::new(None),
            observer: StoredValue::new_local(None),
        }
    }

    /// One redraw per animation frame, whatever asked for it (data, settings, a resize):
    /// calling the returned function while a frame is requested does nothing.
    fn scheduler(self, redraw: impl Fn() + Copy + 'static) -> impl Fn() + Copy + 'static {
        let pending = self.pending;
        move || {
            if pending.with_value(|p| p.is_some()) {
                return;
            }
            let handle = request_animation_frame_with_handle(move || {
                if pending.try_update_value(|p| *p = None).is_some() {
                    redraw();
                }
            });
            if let Ok(handle) = handle {
                pending.update_value(|p| *p = Some(handle));
            }
        }
    }

    /// Size changed (including the first layout): remember it and `schedule` a redraw, from
    /// the ResizeObserver's reports and window resizes; all stopped when the strip goes.
    fn follow_size(self, canvas_ref: NodeRef<html::Canvas>, schedule: impl Fn() + Copy + 'static) {
        let Frames {
            pending,
            size,
            observer,
        } = self;
        Effect::new(move |_| {
            let Some(canvas) = canvas_ref.get() else {
                return;
            };
            if observer.with_value(Option::is_some) {
                return;
            }
            let observed = super::observe_sizes(vec![canvas.into()], move |changes| {
                if let Some(&(_, reported)) = changes.last()
                    && size.try_set_value(Some(reported)).is_none()
                {
                    schedule();
                }
            });
            observer.set_value(observed);
        });
        let on_resize = window_event_listener(leptos::ev::resize, move |_| schedule());
        on_cleanup(move || {
            on_resize.remove();
            if let Some(Some((observer, _callback))) = observer.try_update_value(Option::take) {
                observer.disconnect();
            }
            if let Some(Some(handle)) = pending.try_update_value(|p| p.take()) {
                handle.cancel();
            }
        });
    }
}

/// What a frame does: draws the strip at its last reported size (or, without an observer,
/// the size asked now); with an observer that has not reported yet, nothing — the first
/// report, after the page's layout, schedules the draw.
fn frame_drawer(
    canvas_ref: NodeRef<html::Canvas>,
    inputs: Inputs,
    frames: Frames,
) -> impl Fn() + Copy + 'static {
    let cache = StoredValue::new_local(Traces::new());
    move || {
        let Some(canvas) = canvas_ref.get_untracked() else {
            return;
        };
        let observing = frames.observer.with_value(Option::is_some);
        let size = match frames.size.get_value() {
            Some(size) => size,
            None if !observing => (canvas.client_width() as f64, canvas.client_height() as f64),
            None => return, // drawn once the observer reports, after the page's layout
        };
        redraw(&canvas, inputs, size, cache);
    }
}

/// Draws the strip at CSS size `size` and writes its test hooks.
fn redraw(
    canvas: &HtmlCanvasElement,
    inputs: Inputs,
    (w, h): (f64, f64),
    cache: StoredValue<Traces, LocalStorage>,
) {
    let (Some(run), Some(e), Some(lang), Some(view)) = (
        inputs.current.try_get_untracked(),
        inputs.experiment.try_get_untracked(),
        inputs.lang.try_get_untracked(),
        inputs.view.try_get_untracked(),
    ) else {
        return;
    };
    if w < 1.0 || h < 1.0 {
        return; // hidden: drawn when it gets a size
    }
    let ratio = pixel_ratio();
    fit_backing_store(canvas, (w, h), ratio);
    let theme = ChartTheme::of(canvas);
    let result = super::with_looks(inputs.history, inputs.looks, |h, looks| {
        let mut shown: Vec<&RunHistory> = looks.visible(h).filter(|r| Some(r.run) != run).collect();
        shown.extend(looks.visible(h).filter(|r| Some(r.run) == run));
        let scene = Scene {
            looks,
            scale_runs: &shown,
            runs: shown.iter().copied().filter(|r| r.updates() > 0).collect(),
            current: run,
            planned: planned(&e, view.axis, PREVIEW_POINTS),
            view,
            lang,
        };
        let drawn = cache
            .try_update_value(|c| {
                c.retain(|id, _| h.get(*id).is_some());
                draw(canvas, &scene, ratio, &theme, c)
            })
            .unwrap_or(Ok(()));
        write_hooks(canvas, &scene, run.and_then(|id| h.get(id)), &e);
        drawn
    });
    if let Err(e) = result {
        web_sys::console::warn_1(&format!("Batch Lab LR chart: {e}").into());
    }
}

/// The canvas' `data-*` hooks (see the module's opening comment) after a frame that drew.
fn write_hooks(
    canvas: &HtmlCanvasElement,
    scene: &Scene,
    now: Option<&RunHistory>,
    e: &Experiment,
) {
    let set = |name: &str, value: Option<String>| match value {
        Some(v) => canvas.set_attribute(name, &v),
        None => canvas.remove_attribute(name),
    };
    let _ = set("data-runs", Some(scene.runs.len().to_string()));
    let shape = e.config.run_shape(e.train_size);
    let warmup = e.config.schedule.warmup_updates(shape);
    let _ = set(
        "data-first-rate",
        now.and_then(|r| recorded_rate(r, 1)).map(|v| v.to_string()),
    );
    let after = now.and_then(|r| recorded_rate(r, warmup + 1));
    let _ = set(
        "data-warmup-updates",
        after.is_some().then(|| warmup.to_string()),
    );
    let _ = set("data-after-warmup-rate", after.map(|v| v.to_string()));
    let _ = set(
        "data-planned-first",
        scene.planned.first().map(|p| p.1.to_string()),
    );
    let _ = set(
        "data-planned-last",
        scene.planned.last().map(|p| p.1.to_string()),
    );
}

/// Each run's thinned rates as last drawn, under what they were made from: a frame during
/// training thins only the run in progress (thinning eight kept runs of 110,000 updates
/// every frame cost ~30 ms of main thread per frame: `scripts/bench`, overlay part).
type Traces = HashMap<RunId, (TraceKey, Vec<Bucket>)>;

/// What a cached trace was made from: the same key means the same buckets.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TraceKey {
    rows: usize,
    last_update: f64,
    axis: XAxis,
    scale: Scale,
    columns: usize,
}

/// What the strip shows.
struct Scene<'a> {
    /// How each run is drawn.
    looks: &'a Looks,
    /// Runs the x scale spans (as the other charts: a configured run's planned length too).
    scale_runs: &'a [&'a RunHistory],
    /// Runs with updates, in drawing order (the current one last).
    runs: Vec<&'a RunHistory>,
    current: Option<RunId>,
    /// The current settings' schedule: (x, rate).
    planned: Vec<(f64, f32)>,
    view: ChartView,
    lang: Lang,
}

/// Each run's rates thinned to `columns`, as (unit x, rate); a run's buckets are made again
/// only when its records, the axis, the scale or the width changed ([`Traces`]).
fn thinned_traces(
    scene: &Scene,
    cache: &mut Traces,
    x_scale: &Scale,
    columns: usize,
) -> Vec<Vec<(f64, f64)>> {
    let axis = scene.view.axis;
    scene
        .runs
        .iter()
        .map(|r| {
            let key = TraceKey {
                rows: r.steps.len(),
                last_update: r.steps.update.last().copied().unwrap_or(0.0),
                axis,
                scale: *x_scale,
                columns,
            };
            let entry = cache.entry(r.run).or_insert_with(|| (key, Vec::new()));
            if entry.0 != key || entry.1.is_empty() {
                *entry = (key, thin(r, axis, Column::LearningRate, x_scale, columns));
            }
            entry
                .1
                .iter()
                .map(|b| (x_scale.to_unit(b.x), b.mean as f64))
                .collect()
        })
        .collect()
}

/// The title at `(x, y)` (its left end, its vertical middle), and the dashed line's legend
/// beside it, placed with the canvas' own text metrics (never through the DOM).
fn title_and_legend(
    root: &DrawingArea<CanvasBackend, Shift>,
    ctx: &web_sys::CanvasRenderingContext2d,
    scene: &Scene,
    theme: &ChartTheme,
    ratio: f64,
    (x, y): (i32, i32),
) -> Result<(), String> {
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    let px = |css: f64| (css * ratio).round() as i32;
    let font =
        |size: f64, style: FontStyle| FontDesc::new(FontFamily::Name(FONT), size * ratio, style);
    let s = scene.lang.strings();
    let left_middle = Pos::new(HPos::Left, VPos::Center);
    let title_style = font(TITLE_FONT, FontStyle::Bold).color(&theme.text);
    root.draw(&Text::new(
        s.learning_rate,
        (x, y),
        title_style.pos(left_middle),
    ))
    .map_err(err)?;
    if scene.planned.is_empty() {
        return Ok(());
    }
    ctx.set_font(&format!("bold {}px {FONT}", TITLE_FONT * ratio));
    let title_w = ctx
        .measure_text(s.learning_rate)
        .map_or(80.0, |m| m.width()) as i32;
    let x0 = x + title_w + px(16.0);
    let mark = theme.text.mix(0.6).stroke_width(px(1.5).max(1) as u32);
    for (a, b) in [(x0, x0 + px(6.0)), (x0 + px(10.0), x0 + px(16.0))] {
        root.draw(&PathElement::new(vec![(a, y), (b, y)], mark))
            .map_err(err)?;
    }
    let label = font(LABEL_FONT, FontStyle::Normal).color(&theme.text.mix(0.8));
    root.draw(&Text::new(
        s.lr_chart_planned,
        (x0 + px(21.0), y),
        label.pos(left_middle),
    ))
    .map_err(err)
}

/// The strip's x scale: the charts' ([`x_scale`]), except while no run is configured yet (the
/// worker starting, MNIST downloading) and the axis is linear: then the planned schedule's
/// length, which the charts will span once the run exists (not the empty 0–1 the charts
/// show meanwhile, under a preview drawn to the planned length).
fn strip_scale(scene: &Scene) -> Scale {
    let planned_end = scene.planned.last().map(|p| p.0);
    match planned_end {
        Some(end) if scene.scale_runs.is_empty() && !scene.view.log_applies() && end > 0.0 => {
            Scale::linear(0.0, end)
        }
        _ => x_scale(scene.scale_runs, &scene.view),
    }
}

fn draw(
    canvas: &HtmlCanvasElement,
    scene: &Scene,
    ratio: f64,
    theme: &ChartTheme,
    cache: &mut Traces,
) -> Result<(), String> {
    let (width, height) = (canvas.width() as i32, canvas.height() as i32);
    let ctx = cleared_context(canvas)?;
    let px = |css: f64| (css * ratio).round() as i32;
    let (left, bottom, right, top) = (px(LEFT), px(BOTTOM_AREA), px(RIGHT_MARGIN), px(TITLE_BAND));
    if width <= left + right + px(10.0) || height <= top + bottom + px(10.0) {
        return Ok(());
    }
    let err = |e: plotters::drawing::DrawingAreaErrorKind<_>| e.to_string();
    let axis = scene.view.axis;
    let x_scale = strip_scale(scene);
    let ux = |x: f64| x_scale.to_unit(x);
    let columns = ((width - left - right) as usize).clamp(1, 4096);
    let traces = thinned_traces(scene, cache, &x_scale, columns);
    let y_max = traces
        .iter()
        .flatten()
        .map(|p| p.1)
        .chain(scene.planned.iter().map(|p| p.1 as f64))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let y_max = if y_max > 0.0 { y_max * 1.15 } else { 0.001 };

    let root = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("no canvas backend")?
        .into_drawing_area();
    let mut chart = plot_on(
        &root,
        Margins {
            top,
            right,
            bottom,
            left,
        },
        y_max,
    )?;
    let y_format = |v: &f64| format_rate(*v, 2);
    draw_axes(
        &mut chart,
        &root,
        Axes {
            theme,
            scale: ratio,
            y_labels: 4,
            y_format: &y_format,
            x_scale: &x_scale,
            x_desc: axis_label(axis, scene.lang),
        },
    )?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();

    title_and_legend(&root, &ctx, scene, theme, ratio, (left, top / 2))?;

    // The planned schedule, dashed, under the rates used.
    let planned: Vec<(f64, f64)> = scene
        .planned
        .iter()
        .map(|&(x, v)| (ux(x), v as f64))
        .collect();
    // Lines go to the canvas as whole paths (plotters would make one call per point).
    let map = plot_mapping(&xs, &ys, y_max);
    let path = |p: &[(f64, f64)]| polyline(p.iter().map(|&(u, v)| map(u, v)), false);
    let pen = Pen { ctx: &ctx };
    if planned.len() >= 2 {
        pen.stroke(
            &path(&planned),
            theme.text,
            0.55,
            px(1.5).max(1) as f64,
            Some([px(6.0) as f64, px(4.0) as f64]),
        )?;
    }
    let run_styles = styles(&scene.runs, scene.looks, scene.current, theme);
    for (trace, style) in traces.iter().zip(run_styles) {
        let (alpha, w) = if style.strong { (1.0, 2.0) } else { (0.7, 1.5) };
        if trace.len() == 1 {
            chart
                .draw_series(std::iter::once(Circle::new(
                    trace[0],
                    px(2.5),
                    style.train.mix(alpha).filled(),
                )))
                .map_err(err)?;
        } else {
            pen.stroke(&path(trace), style.train, alpha, px(w).max(1) as f64, None)?;
        }
    }
    root.present().map_err(|e| e.to_string())
}
