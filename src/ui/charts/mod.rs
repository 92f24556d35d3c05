//! The loss and accuracy charts (the post's monitoring figure: `subplot(1,2,1)` loss,
//! `subplot(1,2,2)` accuracy) of every visible kept run, and the readout under a pointer.
//!
//! - [`draw`]: drawing one chart of the runs with plotters ([`traces`]: the runs' series);
//! - [`theme`]: colours (the page's ink, the run colours);
//! - [`layers`]: the back layer of ended runs each frame draws over;
//! - [`key`]: the colour key above each chart (which colour and marker is which run);
//! - [`lr`]: the learning-rate strip under them (rates used, and the planned schedule);
//! - [`frame`]: one redraw of both charts, with the per-run series cache;
//! - [`pointer`]: the cursor a pointer or the arrow keys move, and its readout;
//! - this file: the component — when to redraw (the frame's schedule and the canvases'
//!   sizes) and each chart's figure.
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
mod frame;
pub mod key;
mod layers;
pub mod lr;
pub mod of_lab;
mod pointer;
pub mod theme;
mod traces;

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

use crate::history::History;
use crate::i18n::Lang;
use crate::plot::ChartView;
use crate::plot::looks::Looks;
use crate::plot::pacing::{charts_per_frame, drawing_share, frames_before_redraw, next_redraw_at};
use crate::plot::scale::Scale;
use crate::worker::protocol::RunId;
use draw::{PlotArea, axis_label};
use key::{ChartKey, KeyItem};
use pointer::{Cursor, Readout};

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

impl DrawKey {
    /// Whether chart `i` drawn under `self` looks as it would under `other`: the same inputs
    /// and its own size (the other chart's size is not its business).
    fn same_for(&self, other: &DrawKey, i: usize) -> bool {
        let own = |k: &DrawKey| DrawKey {
            sizes: [k.sizes[i]; 2],
            ..*k
        };
        own(self) == own(other)
    }
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
    /// What each chart last drew (a frame may draw one of them, [`charts_per_frame`]).
    last: [Option<DrawKey>; 2],
    /// Each chart draws again even if its key is the same: its run layer became ready.
    forced: [bool; 2],
    /// The number of the draw that last drew each chart (0: never), and of the last draw:
    /// the one drawn longest ago goes first.
    drawn_in: [u64; 2],
    draws: u64,
    /// The current run's updates each chart last showed.
    shown_updates: [Option<usize>; 2],
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
    cache: HashMap<(RunId, ChartKind), frame::Cached>,
    /// The key's items and what they were built from.
    key_items: Option<(key::KeyInputs, Vec<KeyItem>)>,
    /// Each chart's back layer (behind a `RefCell`: drawn while the cache is borrowed).
    backs: std::cell::RefCell<[layers::BackLayer; 2]>,
    /// For each chart: draws it again ([`Self::forced`]) once its run layer is ready.
    wakes: [Option<layers::Wake>; 2],
    /// Asks for the next redraw ([`scheduler`]): a frame that drew one chart of two.
    schedule: Option<layers::Wake>,
    /// Where each plot is (backing pixels) and its pixel ratio, and the x scale it was drawn
    /// at: for the pointer.
    areas: [(PlotArea, f64); 2],
    scales: [Option<Scale>; 2],
}

impl ChartsState {
    /// Stops what is pending or watching: the frame, the delayed redraw, the observer.
    fn stop(&mut self) {
        if let Some(frame) = self.frame.take() {
            frame.cancel();
        }
        if let Some(delayed) = self.delayed.take() {
            delayed.clear();
        }
        if let Some((observer, _callback)) = self.observer.take() {
            observer.disconnect();
        }
    }
}

/// The charts' state, kept on the page's thread (it holds canvases and callbacks).
type State = StoredValue<ChartsState, LocalStorage>;

/// What the charts are drawn from: the component's inputs.
#[derive(Clone, Copy)]
struct Inputs {
    history: StoredValue<History>,
    looks: StoredValue<Looks>,
    version: ReadSignal<u64>,
    current: Signal<Option<RunId>>,
    lang: Signal<Lang>,
    view: Signal<ChartView>,
}

impl Inputs {
    /// Reads the history with the runs' looks ([`with_looks`]).
    fn with_runs<R>(&self, read: impl FnOnce(&History, &Looks) -> R) -> R {
        with_looks(self.history, self.looks, read)
    }

    /// Subscribes the running effect to every input.
    fn track(&self) {
        self.version.track();
        self.current.track();
        self.lang.track();
        self.view.track();
    }

    /// What a frame at `ratio` and `sizes` would draw (None once the component is gone).
    fn key(&self, ratio: f64, sizes: [(f64, f64); 2]) -> Option<DrawKey> {
        Some(DrawKey {
            version: self.version.try_get_untracked()?,
            run: self.current.try_get_untracked()?,
            lang: self.lang.try_get_untracked()?,
            view: self.view.try_get_untracked()?,
            ratio,
            sizes,
        })
    }
}

/// Reads `history` with `looks` brought up to date with it first ([`Looks::follow`]). Every
/// reader of the runs' slots and visibility (the charts, the learning-rate strip, the run
/// list) reads through here, so whichever reads first after runs came or went gives the new
/// ones their slots, and all of them read the same.
pub fn with_looks<R>(
    history: StoredValue<History>,
    looks: StoredValue<Looks>,
    read: impl FnOnce(&History, &Looks) -> R,
) -> R {
    history.with_value(|h| {
        looks.update_value(|l| l.follow(h));
        looks.with_value(|l| read(h, l))
    })
}

/// The loss and accuracy charts of the visible runs in `history`, side by side (stacked on
/// narrow screens), redrawn on the next animation frame after `version`, `current`, `lang`,
/// `view` or the size changed (many version bumps in one frame cost one redraw; paced while
/// the workers occupy every core, [`scheduler`]).
///
/// Root: `data-testid="charts"`, `data-updates` = updates of the current run (0 when
/// cleared); after each frame that drew, `data-drawn` = the current run's updates every
/// laid-out chart shows (the fewest, while the cores are busy and a frame draws one chart; 0
/// while one still shows another run) and `data-draw-ms` = how long that frame's drawing
/// took. Canvases:
/// `data-testid="loss-chart"` and `"accuracy-chart"` (each `role="img"` with an
/// `aria-label`, focusable: the arrow keys move a cursor whose readout is announced) with
/// `data-runs` (runs drawn), `data-x-max` (the largest x of any drawn run's data, in the
/// axis' unit), `data-layer` (what the last frame did with the runs that ended: `whole`,
/// `drawn`, `appended` or `kept`, [`layers::Layering`]), `data-layer-pending` (ended runs
/// still drawn in front while their layer waits for idle time) and `data-plot` (the plot area as
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
    /// How each run is drawn (its slot, whether it is shown), shared with the run list;
    /// charts mounted alone keep their own.
    #[prop(optional)]
    looks: StoredValue<Looks>,
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
    let inputs = Inputs {
        history,
        looks,
        version,
        current,
        lang,
        view,
    };
    let root_ref = NodeRef::<html::Div>::new();
    let canvases = [NodeRef::<html::Canvas>::new(), NodeRef::new()];
    let state = StoredValue::new_local(ChartsState::default());
    let cursor = RwSignal::new(None::<Cursor>);
    // The runs the last frame drew, for the key: set only when they change.
    let key_items = RwSignal::new(Vec::<KeyItem>::new());

    let redraw =
        move |per_frame| frame::redraw(inputs, (root_ref, canvases), state, key_items, per_frame);
    let schedule = scheduler(state, training, redraw);
    state.update_value(|s| {
        for (i, wake) in s.wakes.iter_mut().enumerate() {
            *wake = Some(std::rc::Rc::new(move || {
                if state.try_update_value(|s| s.forced[i] = true).is_some() {
                    schedule();
                }
            }));
        }
        s.schedule = Some(std::rc::Rc::new(schedule));
    });
    // Data, run, language or view changed: draw on the next frame.
    Effect::new(move |_| {
        inputs.track();
        schedule();
    });
    follow_sizes(state, canvases, schedule);
    on_cleanup(move || {
        state.try_update_value(ChartsState::stop);
    });

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
            {ChartKind::ALL
                .into_iter()
                .zip(canvases)
                .map(|(kind, node)| view! {
                    <ChartFigure kind node inputs state cursor key_items=key_items.read_only() waiting />
                })
                .collect_view()}
        </div>
        <Readout inputs state cursor />
    }
}

/// When to redraw: on the next animation frame, or, while training workers occupy every
/// core, once the last redraw's share of a core allows and one frame later than that
/// ([`crate::plot::pacing`]: not in the frame that lays out the progress just shown), one
/// chart per frame ([`charts_per_frame`]). `redraw` gets how many charts it may draw. Calling
/// the returned function while a redraw is on its way does nothing.
fn scheduler(
    state: State,
    training: Signal<usize>,
    redraw: impl Fn(usize) + Copy + 'static,
) -> impl Fn() + Copy + 'static {
    // Draws after `frames` animation frames ([`frames_before_redraw`]); `s.frame` holds the
    // frame awaited now, so stopping cancels it.
    fn frame(
        state: State,
        (frames, per_frame): (u32, usize),
        redraw: impl Fn(usize) + Copy + 'static,
    ) {
        // The callback always runs later (never inside this call), so storing the handle
        // after requesting it is safe.
        let handle = request_animation_frame_with_handle(move || {
            if frames > 1 {
                frame(state, (frames - 1, per_frame), redraw);
            } else if state.try_update_value(|s| s.frame = None).is_some() {
                redraw(per_frame);
            }
        });
        if let Ok(handle) = handle {
            state.try_update_value(|s| s.frame = Some(handle));
        }
    }
    let cores = crate::ui::cores();
    move || {
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
        let training = training.try_get_untracked().unwrap_or(0);
        let frames = (
            frames_before_redraw(training, cores),
            charts_per_frame(training, cores),
        );
        let share = drawing_share(training, cores);
        let wait = next_redraw_at(last_start, last_cost, share) - super::now_ms();
        if wait <= 0.0 {
            frame(state, frames, redraw);
            return;
        }
        let delayed = set_timeout_with_handle(
            move || {
                if state.try_update_value(|s| s.delayed = None).is_some() {
                    frame(state, frames, redraw);
                }
            },
            std::time::Duration::from_millis(wait.ceil() as u64),
        );
        if let Ok(handle) = delayed {
            state.update_value(|s| s.delayed = Some(handle));
        }
    }
}

/// Size changed (including the first layout): remember it and `schedule` a redraw. With a
/// ResizeObserver, its reports; without one, window resizes.
fn follow_sizes(
    state: State,
    canvases: [NodeRef<html::Canvas>; 2],
    schedule: impl Fn() + Copy + 'static,
) {
    Effect::new(move |_| {
        let (Some(loss), Some(accuracy)) = (canvases[0].get(), canvases[1].get()) else {
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
}

/// One chart: its colour key, its canvas (pointer and keyboard move the cursor) and the
/// cursor's line over the plot.
#[component]
fn ChartFigure(
    kind: ChartKind,
    node: NodeRef<html::Canvas>,
    inputs: Inputs,
    state: State,
    cursor: RwSignal<Option<Cursor>>,
    key_items: ReadSignal<Vec<KeyItem>>,
    /// What covers the plot while nothing can be drawn yet ([`Charts`]' `waiting`).
    waiting: Signal<Option<String>>,
) -> impl IntoView {
    let Inputs { lang, view, .. } = inputs;
    let label = move || {
        let lang = lang.get();
        format!(
            "{} ({})",
            kind.title(lang),
            axis_label(view.get().axis, lang)
        )
    };
    let point_at = move |offset_x: i32| pointer::point_at(state, cursor, kind, offset_x as f64);
    let cursor_box = move || pointer::cursor_box(state, cursor, kind);
    let px = |v: f64| format!("{v:.1}px");
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
                aria-label=label
                on:pointermove=move |ev| point_at(ev.offset_x())
                on:pointerdown=move |ev| point_at(ev.offset_x())
                on:pointerleave=move |_| cursor.set(None)
                on:keydown=move |ev| pointer::on_key(cursor, kind, ev)
                on:blur=move |_| cursor.set(None)
            ></canvas>
            <Show when=move || waiting.with(Option::is_some)>
                <p class="chart-waiting" data-testid="chart-waiting" aria-hidden="true">
                    {move || waiting.get()}
                </p>
            </Show>
            <Show when=move || cursor_box().is_some()>
                <div
                    class="chart-cursor"
                    aria-hidden="true"
                    style:left=move || cursor_box().map(|b| px(b.0))
                    style:top=move || cursor_box().map(|b| px(b.1))
                    style:height=move || cursor_box().map(|b| px(b.2))
                ></div>
            </Show>
            </div>
        </figure>
    }
}
