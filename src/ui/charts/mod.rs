//! The loss and accuracy charts (the post's monitoring figure: `subplot(1,2,1)` loss,
//! `subplot(1,2,2)` accuracy) of every visible kept run, and the readout under a pointer.
//!
//! - [`draw`]: drawing one chart of the runs with plotters;
//! - [`theme`]: colours (the page's ink, the run colours);
//! - [`layers`]: the back layer of ended runs each frame draws over;
//! - [`key`]: the colour key above each chart (which colour and marker is which run);
//! - [`lr`]: the learning-rate strip under them (rates used, and the planned schedule);
//! - this file: the component — when to redraw, the per-run series cache, the pointer and
//!   keyboard readout.
//!
//! The pure parts (scales, ticks, thinning, smoothing, look-ups) live in [`crate::plot`],
//! tested natively.
//!
//! Cost: a redraw happens at most once per animation frame and only when the history
//! version, the current run, the language, the view or the size changed; while training
//! workers occupy every core (a sweep) redraws are spaced so drawing takes a small share of
//! a core ([`crate::plot::pacing`]). Each run's thinned
//! and smoothed series is cached per chart under the rows it was made from, the x scale,
//! the width and the smoothing, so a frame during training reads only the rows the run in progress recorded
//! since the last frame ([`crate::plot::series::Thinned`]), however many runs are kept; a
//! change of smoothing reads every row again (rows are smoothed per update as they are
//! read). Runs that ended are drawn once into a back layer ([`layers`]), so a frame draws only the runs still changing.

pub mod canvas;
pub mod draw;
pub mod key;
mod layers;
pub mod lr;
pub mod of_lab;
pub mod theme;

pub use crate::plot::ChartKind;
pub use draw::{draw_chart, draw_chart_with};
pub use lr::LrChart;
pub use theme::{ChartTheme, parse_color};

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ResizeObserver, ResizeObserverEntry};

use crate::history::labels::labels;
use crate::history::{History, RunHistory};
use crate::i18n::{Lang, fill};
use crate::plot::ChartView;
use crate::plot::pacing::{drawing_share, next_redraw_at};
use crate::plot::scale::{Scale, compact};
use crate::plot::series::{Thinned, read_at, smoothed_at, x_scale};
use crate::worker::protocol::RunId;
use draw::{PlotArea, RunSeries, Scene, axis_label, plot_columns, styles};
use key::{ChartKey, KeyItem};
use theme::run_colour_css;

/// What the last frame drew; a frame with the same key draws nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DrawKey {
    version: u64,
    run: Option<RunId>,
    lang: Lang,
    view: ChartView,
    ratio: f64,
    sizes: [(f64, f64); 2],
}

/// What a cached series was made from: the same key means the same buckets.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SeriesKey {
    rows: usize,
    last_update: f64,
    /// The history's row stride: it changes when the history merges rows.
    stride: usize,
    view: ChartView,
    scale: Scale,
    columns: usize,
}

impl SeriesKey {
    /// Whether buckets made under `self` hold for `new` once the rows recorded since are
    /// read: same axis, scale, width and smoothing, rows only appended.
    fn extends_to(&self, new: &SeriesKey) -> bool {
        self.view.axis == new.view.axis
            && self.view.log_x == new.view.log_x
            && self.view.smoothing == new.view.smoothing
            && self.scale == new.scale
            && self.columns == new.columns
            && self.stride == new.stride
            && self.rows <= new.rows
    }
}

/// One run's series on one chart, as last drawn.
struct Cached {
    key: SeriesKey,
    thinned: Thinned,
}

/// What a ResizeObserver calls (kept alive as long as the observer).
type ResizeCallback = Closure<dyn FnMut(js_sys::Array, ResizeObserver)>;

/// Follows the CSS content size of `elements`: `report` gets `(index, (width, height))` for
/// those that changed, after the browser's own layout (the first report comes right after the
/// page's first one). Why: a frame callback that asks an element for its size forces that
/// layout inside itself, and on a fresh page that is a layout of everything plus the first
/// draw in one long task. None where there is no ResizeObserver. To stop, `disconnect` the
/// observer; keep the callback until then (the observer calls it).
pub(super) fn observe_sizes(
    elements: Vec<web_sys::Element>,
    mut report: impl FnMut(&[(usize, (f64, f64))]) + 'static,
) -> Option<(ResizeObserver, ResizeCallback)> {
    let targets = elements.clone();
    let callback = ResizeCallback::new(move |entries: js_sys::Array, _: ResizeObserver| {
        let changes: Vec<(usize, (f64, f64))> = entries
            .iter()
            .filter_map(|entry| {
                let entry = entry.dyn_into::<ResizeObserverEntry>().ok()?;
                let i = targets.iter().position(|t| *t == entry.target())?;
                let rect = entry.content_rect();
                Some((i, (rect.width(), rect.height())))
            })
            .collect();
        report(&changes);
    });
    let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    for element in &elements {
        observer.observe(element);
    }
    Some((observer, callback))
}

#[derive(Default)]
struct ChartsState {
    last: Option<DrawKey>,
    frame: Option<AnimationFrameRequestHandle>,
    /// A redraw waiting for its turn ([`crate::plot::pacing`]).
    delayed: Option<TimeoutHandle>,
    /// When the last redraw started and what it cost (page clock, ms).
    last_start_ms: f64,
    last_cost_ms: f64,
    /// CSS content sizes of the two canvases, from the ResizeObserver.
    sizes: [(f64, f64); 2],
    observer: Option<(ResizeObserver, ResizeCallback)>,
    /// A draw error was already logged (log once, not every frame).
    logged: bool,
    cache: HashMap<(RunId, ChartKind), Cached>,
    /// Each chart's back layer (behind a `RefCell`: drawn while the cache is borrowed).
    backs: std::cell::RefCell<[layers::BackLayer; 2]>,
    /// Where each plot is (backing pixels), its pixel ratio and x scale: for the pointer.
    areas: [(PlotArea, f64); 2],
    scale: Option<Scale>,
}

/// Where the pointer (or the keyboard cursor) reads the charts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cursor {
    chart: ChartKind,
    /// Position across the plot, 0..1.
    unit: f64,
}

/// The loss and accuracy charts of the visible runs in `history`, side by side (stacked on
/// narrow screens), redrawn on the next animation frame after `version`, `current`, `lang`,
/// `view` or the size changed (many version bumps in one frame cost one redraw).
///
/// Root: `data-testid="charts"`, `data-updates` = updates of the current run (0 when
/// cleared); after each frame that drew, `data-drawn` = the current run's updates that frame
/// showed and `data-draw-ms` = how long drawing both charts took. Canvases:
/// `data-testid="loss-chart"` and `"accuracy-chart"` (each `role="img"` with an
/// `aria-label`, focusable: the arrow keys move a cursor whose readout is announced) with
/// `data-runs` (runs drawn), `data-x-max` (the largest x of any drawn run's data, in the
/// axis' unit) and `data-layer` (what the last frame did with the runs that ended: `whole`,
/// `drawn`, `appended` or `kept`, [`layers::Layering`]) and `data-plot` (the plot area as
/// "left top right bottom" in backing pixels, where a pixel test reads the series). Above each canvas, the colour key
/// of the runs the last frame drew ([`key`]: `data-testid="chart-key"`, one
/// `"chart-key-item"` per run with `data-batch-size`). The readout: `data-testid="chart-readout"`. The essential sizing is set
/// through the CSSOM (`style:` properties, allowed under a strict Content-Security-Policy,
/// unlike `style="…"` attributes), so the charts lay out even without the stylesheet. Attributes set after a frame are
/// written directly, not through signals, so a frame costs no extra reactive work; the
/// benchmark (`bench/app`) and the end-to-end tests read them.
#[component]
pub fn Charts(
    history: StoredValue<History>,
    version: ReadSignal<u64>,
    #[prop(into)] current: Signal<Option<RunId>>,
    #[prop(into)] lang: Signal<Lang>,
    #[prop(into)] view: Signal<ChartView>,
    /// Workers training now (the single run's and a sweep's): how often redraws may come.
    #[prop(into)]
    training: Signal<usize>,
    /// While set, this line covers each plot instead of an empty 0–1 axis: nothing can be
    /// drawn yet (the worker starts, MNIST downloads, a deferred embed waits). Hidden from
    /// screen readers: the status line announces the same.
    #[prop(optional, into)]
    waiting: Signal<Option<String>>,
) -> impl IntoView {
    let root_ref = NodeRef::<html::Div>::new();
    let loss_ref = NodeRef::<html::Canvas>::new();
    let accuracy_ref = NodeRef::<html::Canvas>::new();
    let state = StoredValue::new_local(ChartsState::default());
    let cursor = RwSignal::new(None::<Cursor>);
    // The runs the last frame drew, for the key: set only when they change.
    let (key_items, set_key_items) = signal(Vec::<KeyItem>::new());

    let redraw = move || {
        let (Some(loss), Some(accuracy)) = (loss_ref.get_untracked(), accuracy_ref.get_untracked())
        else {
            return;
        };
        let canvases = [loss, accuracy];
        let ratio = canvas::pixel_ratio();
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
        if sizes.iter().all(|&(w, h)| w < 1.0 || h < 1.0) {
            // Not laid out yet (or hidden): nothing to draw, and nothing to read either. The
            // theme below is computed style, which would make this frame restyle the page.
            return;
        }
        let (Some(version), Some(run), Some(lang), Some(view)) = (
            version.try_get_untracked(),
            current.try_get_untracked(),
            lang.try_get_untracked(),
            view.try_get_untracked(),
        ) else {
            return;
        };
        let key = DrawKey {
            version,
            run,
            lang,
            view,
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
        let mut areas = [(PlotArea::default(), ratio); 2];
        let mut used_scale = None;
        let mut drawn_key = Vec::new();
        history.with_value(|h| {
            // Visible runs, the current one last (drawn on top). The x scale also spans a run
            // configured but not trained yet (its planned length), which draws nothing.
            // Runs that ended first (they go to the back layer), then those still changing.
            let settled = |r: &RunHistory| r.status.is_some() && Some(r.run) != run;
            let mut shown: Vec<&RunHistory> = h.visible().filter(|r| settled(r)).collect();
            shown.extend(h.visible().filter(|r| !settled(r) && Some(r.run) != run));
            shown.extend(h.visible().filter(|r| Some(r.run) == run));
            let scale = x_scale(&shown, &view);
            let runs: Vec<&RunHistory> = shown.into_iter().filter(|r| r.updates() > 0).collect();
            drawn_updates = run.and_then(|id| h.get(id)).map_or(0, |r| r.updates());
            used_scale = Some(scale);
            let styles = styles(&runs, run, &theme);
            let names = labels(h.runs(), lang);
            let named = |id: RunId| {
                h.runs()
                    .iter()
                    .position(|r| r.run == id)
                    .map(|i| names[i].clone())
                    .unwrap_or_default()
            };
            drawn_key = runs
                .iter()
                .zip(&styles)
                .map(|(r, style)| KeyItem::new(r, style, named(r.run)))
                .collect();
            let x_max = runs
                .iter()
                .filter_map(|r| {
                    let last = r.steps.len().checked_sub(1)?;
                    Some(r.step_x(view.axis, last))
                })
                .fold(0.0, f64::max);
            for (i, ((canvas, kind), (w, h_css))) in
                canvases.iter().zip(ChartKind::ALL).zip(sizes).enumerate()
            {
                if w < 1.0 || h_css < 1.0 {
                    continue; // hidden: draw when it gets a size
                }
                canvas::fit_backing_store(canvas, (w, h_css), ratio);
                let columns = plot_columns(canvas.width(), ratio);
                state.update_value(|s| {
                    for r in &runs {
                        let key = SeriesKey {
                            rows: r.steps.len(),
                            last_update: r.steps.update.last().copied().unwrap_or(0.0),
                            stride: r.steps.stride,
                            view,
                            scale,
                            columns,
                        };
                        if s.cache.get(&(r.run, kind)).is_some_and(|c| c.key == key) {
                            continue;
                        }
                        // The run in progress: read only the rows recorded since. A change
                        // of smoothing reads every row again (each row is smoothed as read).
                        let mut thinned = s
                            .cache
                            .remove(&(r.run, kind))
                            .filter(|c| c.key.extends_to(&key))
                            .map(|c| c.thinned)
                            .unwrap_or_else(|| Thinned::smoothed(view.smoothing));
                        thinned.extend(r, view.axis, kind.column(), &scale, columns);
                        s.cache.insert((r.run, kind), Cached { key, thinned });
                    }
                    s.cache.retain(|(id, _), _| h.get(*id).is_some());
                });
                let result = state.with_value(|s| {
                    let series = runs
                        .iter()
                        .zip(&styles)
                        .filter_map(|(r, style)| {
                            let c = s.cache.get(&(r.run, kind))?;
                            Some(RunSeries {
                                run: r,
                                style: *style,
                                buckets: &c.thinned.buckets,
                            })
                        })
                        .collect();
                    let scene =
                        Scene::new(kind, view.axis, scale, view.smoothing > 0.0, series, lang);
                    let front = scene.series.iter().take_while(|s| settled(s.run)).count();
                    let mut back = s.backs.borrow_mut();
                    back[i].draw(canvas, &scene, view, front, ratio, &theme)
                });
                match result {
                    Ok((area, layering)) => {
                        areas[i] = (area, ratio);
                        let _ = canvas.set_attribute("data-layer", layering.as_str());
                        let plot =
                            format!("{} {} {} {}", area.left, area.top, area.right, area.bottom);
                        let _ = canvas.set_attribute("data-plot", &plot);
                    }
                    Err(e) => error = Some(e),
                }
                let _ = canvas.set_attribute("data-runs", &runs.len().to_string());
                let _ = canvas.set_attribute("data-x-max", &format!("{x_max}"));
            }
        });
        if key_items.with_untracked(|k| *k != drawn_key) {
            set_key_items.set(drawn_key);
        }
        let cost = super::now_ms() - started;
        if let Some(root) = root_ref.get_untracked() {
            let _ = root.set_attribute("data-drawn", &drawn_updates.to_string());
            let _ = root.set_attribute("data-draw-ms", &format!("{cost:.2}"));
        }
        state.update_value(|s| {
            s.last = Some(key);
            s.last_start_ms = started;
            s.last_cost_ms = cost;
            s.areas = areas;
            s.scale = used_scale;
            if let Some(e) = error
                && !s.logged
            {
                s.logged = true;
                web_sys::console::warn_1(&format!("Batch Lab chart: {e}").into());
            }
        });
    };

    let frame = move || {
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
    let cores = {
        let c = window().navigator().hardware_concurrency();
        (c.is_finite() && c >= 1.0).then_some(c as usize)
    };
    let schedule = move || {
        let Some((pending, last_start, last_cost)) = state.try_with_value(|s| {
            (
                s.frame.is_some() || s.delayed.is_some(),
                s.last_start_ms,
                s.last_cost_ms,
            )
        }) else {
            return; // the component is gone
        };
        if pending {
            return; // a redraw is already on its way
        }
        let share = drawing_share(training.try_get_untracked().unwrap_or(0), cores);
        let wait = next_redraw_at(last_start, last_cost, share) - super::now_ms();
        if wait <= 0.0 {
            frame();
            return;
        }
        let delayed = set_timeout_with_handle(
            move || {
                if state.try_update_value(|s| s.delayed = None).is_some() {
                    frame();
                }
            },
            std::time::Duration::from_millis(wait.ceil() as u64),
        );
        if let Ok(handle) = delayed {
            state.update_value(|s| s.delayed = Some(handle));
        }
    };

    // Data, run, language or view changed: draw on the next frame.
    Effect::new(move |_| {
        version.track();
        current.track();
        lang.track();
        view.track();
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
        let observed = observe_sizes(vec![loss.into(), accuracy.into()], move |changes| {
            let mut sizes = state.try_with_value(|s| s.sizes).unwrap_or_default();
            for &(i, size) in changes {
                sizes[i] = size;
            }
            if state.try_update_value(|s| s.sizes = sizes).is_some() {
                schedule();
            }
        });
        match observed {
            Some(observer) => state.update_value(|s| s.observer = Some(observer)),
            None => {
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
            if let Some(delayed) = s.delayed.take() {
                delayed.clear();
            }
            if let Some((observer, _callback)) = s.observer.take() {
                observer.disconnect();
            }
        });
    });

    let label = move |kind: ChartKind| {
        move || {
            let lang = lang.get();
            format!(
                "{} ({})",
                kind.title(lang),
                axis_label(view.get().axis, lang)
            )
        }
    };

    // Pointer: the plot position under it, from the last frame's plot area.
    let point_at = move |kind: ChartKind, offset_x: f64| {
        let i = kind as usize;
        let (area, ratio) = state.with_value(|s| s.areas[i]);
        let width = area.right - area.left;
        if width <= 0.0 {
            return;
        }
        let unit = (offset_x * ratio - area.left) / width;
        cursor.set((-0.02..=1.02).contains(&unit).then_some(Cursor {
            chart: kind,
            unit: unit.clamp(0.0, 1.0),
        }));
    };
    let on_key = move |kind: ChartKind, ev: leptos::ev::KeyboardEvent| {
        let step = if ev.shift_key() { 0.1 } else { 0.02 };
        let at = cursor
            .get_untracked()
            .filter(|c| c.chart == kind)
            .map_or(1.0, |c| c.unit);
        let unit = match ev.key().as_str() {
            "ArrowLeft" => at - step,
            "ArrowRight" => at + step,
            "Home" => 0.0,
            "End" => 1.0,
            "Escape" => {
                cursor.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(Cursor {
            chart: kind,
            unit: unit.clamp(0.0, 1.0),
        }));
    };

    // The readout: each visible run's value at the cursor's x.
    let readout = move || {
        let c = cursor.get()?;
        version.track();
        let lang = lang.get();
        let view = view.get();
        let scale = state.with_value(|s| s.scale)?;
        let x = scale.from_unit(c.unit);
        let t = lang.strings();
        let rows = history.with_value(|h| {
            let names = labels(h.runs(), lang);
            h.runs()
                .iter()
                .zip(names)
                .filter(|(r, _)| r.visible)
                .map(|(r, name)| {
                    let reading = read_at(r, view.axis, c.chart, x);
                    let shown = state.with_value(|s| {
                        let cached = s.cache.get(&(r.run, c.chart))?;
                        smoothed_at(&cached.thinned.buckets, x)
                    });
                    let text = match reading {
                        None => t.readout_no_data.to_owned(),
                        Some(at) => {
                            let value = format_value(c.chart, at.value as f64);
                            let mut s = fill(t.readout_value, &[&value, &lang.int(at.update)]);
                            if view.smoothing > 0.0
                                && let Some(v) = shown
                            {
                                s.push_str(&fill(
                                    t.readout_smoothed,
                                    &[&format_value(c.chart, v as f64)],
                                ));
                            }
                            if let Some(v) = at.validation {
                                s.push_str(&fill(
                                    t.readout_validation,
                                    &[&format_value(c.chart, v)],
                                ));
                            }
                            s
                        }
                    };
                    (r.slot, name, text)
                })
                .collect::<Vec<_>>()
        });
        let heading = format!(
            "{} · {} = {}",
            c.chart.title(lang),
            axis_label(view.axis, lang),
            compact(x)
        );
        Some(view! {
            <div class="chart-readout" data-testid="chart-readout" role="status" aria-live="polite">
                <div class="readout-heading">{heading}</div>
                <ul>
                    {rows
                        .into_iter()
                        .map(|(slot, name, text)| {
                            view! {
                                <li>
                                    <span class="swatch" style:background-color=run_colour_css(slot)></span>
                                    <span class="readout-name">{name}</span>
                                    <span class="readout-value">{text}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    };
    // The cursor line over the plot, in CSS pixels: (left, top, height).
    let cursor_box = move |kind: ChartKind| {
        let c = cursor.get().filter(|c| c.chart == kind)?;
        let (area, ratio) = state.with_value(|s| s.areas[kind as usize]);
        Some((
            (area.left + (area.right - area.left) * c.unit) / ratio,
            area.top / ratio,
            (area.bottom - area.top) / ratio,
        ))
    };
    let px = |v: f64| format!("{v:.1}px");
    let figure = move |kind: ChartKind, node: NodeRef<html::Canvas>| {
        view! {
            <figure
                class=format!("chart chart-{}", if kind == ChartKind::Loss { "loss" } else { "accuracy" })
                style:flex="1 1 300px"
                style:min-width="0"
                style:margin="0"
            >
                <ChartKey items=key_items lang=lang />
                <div class="chart-canvas" style:position="relative">
                <canvas
                    style:display="block"
                    style:width="100%"
                    style:height="clamp(210px,58vw,max(260px,18vw))"
                    node_ref=node
                    data-testid=kind.test_id()
                    role="img"
                    tabindex="0"
                    aria-label=label(kind)
                    on:pointermove=move |ev| point_at(kind, ev.offset_x() as f64)
                    on:pointerdown=move |ev| point_at(kind, ev.offset_x() as f64)
                    on:pointerleave=move |_| cursor.set(None)
                    on:keydown=move |ev| on_key(kind, ev)
                    on:blur=move |_| cursor.set(None)
                ></canvas>
                <Show when=move || waiting.with(Option::is_some)>
                    <p class="chart-waiting" data-testid="chart-waiting" aria-hidden="true">
                        {move || waiting.get()}
                    </p>
                </Show>
                <Show when=move || cursor_box(kind).is_some()>
                    <div
                        class="chart-cursor"
                        aria-hidden="true"
                        style:left=move || cursor_box(kind).map(|b| px(b.0))
                        style:top=move || cursor_box(kind).map(|b| px(b.1))
                        style:height=move || cursor_box(kind).map(|b| px(b.2))
                    ></div>
                </Show>
                </div>
            </figure>
        }
    };

    view! {
        <div
            node_ref=root_ref
            class="charts"
            data-testid="charts"
            style:display="flex"
            style:flex-wrap="wrap"
            style:gap="1rem"
            style:align-items="flex-start"
            data-updates=move || {
                version.track();
                let run = current.get();
                history.with_value(|h| run.and_then(|r| h.get(r)).map_or(0, |r| r.updates()))
            }
        >
            {figure(ChartKind::Loss, loss_ref)}
            {figure(ChartKind::Accuracy, accuracy_ref)}
        </div>
        {readout}
    }
}

/// A loss or an accuracy, as the readout shows it.
fn format_value(kind: ChartKind, v: f64) -> String {
    match kind {
        ChartKind::Loss if v.is_finite() => format!("{v:.4}"),
        ChartKind::Loss => "—".to_owned(),
        ChartKind::Accuracy => Lang::En.percent(v, 1),
    }
}
