//! One redraw of the loss and accuracy charts: which visible runs, in what order and style;
//! each run's thinned series, cached per run and chart and extended by the rows recorded
//! since; both canvases drawn (ended runs through their back layer) and the hooks the tests
//! and the benchmark read written on them.

use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

use super::draw::{PlotArea, RunSeries, RunStyle, Scene, plot_columns, styles};
use super::key::KeyItem;
use super::layers::Layering;
use super::{ChartKind, ChartTheme, ChartsState, DrawKey, Inputs, State, canvas};
use crate::history::{History, RunHistory};
use crate::plot::ChartView;
use crate::plot::looks::Looks;
use crate::plot::pacing::{charts_to_draw, shown_by_every_chart};
use crate::plot::scale::Scale;
use crate::plot::series::{Thinned, x_scale};
use crate::worker::protocol::RunId;

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
pub(super) struct Cached {
    key: SeriesKey,
    pub(super) thinned: Thinned,
}

/// What one frame drew, for the component's state, its hooks and the key.
struct Drawn {
    /// The current run's updates.
    updates: usize,
    /// Where each chart this frame drew has its plot.
    areas: [Option<(PlotArea, f64)>; 2],
    scale: Scale,
    key: Vec<KeyItem>,
    error: Option<String>,
}

/// Draws the charts whose picture is out of date (at most `per_frame` of them, the one
/// drawn longest ago first, and asks for another frame for the rest), then writes the root's
/// `data-drawn` and `data-draw-ms` and sets the key's items if they changed (the keys above
/// both charts: while the charts take turns, the one not drawn yet follows its key a turn
/// later).
pub(super) fn redraw(
    inputs: Inputs,
    (root, nodes): (NodeRef<html::Div>, [NodeRef<html::Canvas>; 2]),
    state: State,
    key_items: RwSignal<Vec<KeyItem>>,
    per_frame: usize,
) {
    let (Some(loss), Some(accuracy)) = (nodes[0].get_untracked(), nodes[1].get_untracked()) else {
        return;
    };
    let canvases = [loss, accuracy];
    let ratio = canvas::pixel_ratio();
    let Some(sizes) = sizes_to_draw(state, &canvases) else {
        return;
    };
    let Some(key) = inputs.key(ratio, sizes) else {
        return;
    };
    let laid_out = sizes.map(laid_out);
    let Some((now, later)) = state.try_with_value(|s| {
        let stale = [0, 1].map(|i| {
            let same = s.last[i].is_some_and(|last| last.same_for(&key, i));
            laid_out[i] && (s.forced[i] || !same)
        });
        charts_to_draw(stale, s.drawn_in, per_frame)
    }) else {
        return;
    };
    if now.is_empty() {
        return;
    }
    let started = super::super::now_ms();
    let theme = ChartTheme::of(&canvases[0]);
    let drawn =
        inputs.with_runs(|h, looks| draw_runs((h, looks), (&canvases, &now), key, &theme, state));
    if key_items.with_untracked(|k| *k != drawn.key) {
        key_items.set(drawn.key);
    }
    let cost = super::super::now_ms() - started;
    let shown = state.try_update_value(|s| {
        for &i in &now {
            s.last[i] = Some(key);
            s.forced[i] = false;
            s.draws += 1;
            s.drawn_in[i] = s.draws;
            s.shown_updates[i] = Some(drawn.updates);
            s.scales[i] = Some(drawn.scale);
            if let Some(area) = drawn.areas[i] {
                s.areas[i] = area;
            }
        }
        s.last_start_ms = started;
        s.last_cost_ms = cost;
        if let Some(e) = drawn.error
            && !s.logged
        {
            s.logged = true;
            web_sys::console::warn_1(&format!("Batch Lab chart: {e}").into());
        }
        // A chart not yet redrawn since the current run changed shows none of its updates.
        let of_this_run = |i: usize| s.last[i].is_some_and(|k| k.run == key.run);
        let shown = [0, 1].map(|i| s.shown_updates[i].filter(|_| of_this_run(i)));
        shown_by_every_chart(shown, laid_out)
    });
    if let (Some(root), Some(shown)) = (root.get_untracked(), shown) {
        let _ = root.set_attribute("data-drawn", &shown.to_string());
        let _ = root.set_attribute("data-draw-ms", &format!("{cost:.2}"));
    }
    if later && let Some(schedule) = state.try_with_value(|s| s.schedule.clone()).flatten() {
        schedule();
    }
}

/// Whether a chart of CSS size `size` is laid out (a hidden one is drawn when it gets a size).
fn laid_out((w, h): (f64, f64)) -> bool {
    w >= 1.0 && h >= 1.0
}

/// The canvases' CSS sizes to draw at, or None when there is nothing to draw (the component
/// is gone, or no canvas is laid out).
fn sizes_to_draw(state: State, canvases: &[HtmlCanvasElement; 2]) -> Option<[(f64, f64); 2]> {
    let (observed, observing) = state.try_with_value(|s| (s.sizes, s.observer.is_some()))?;
    // With a ResizeObserver, its sizes only: before its first report (which comes right
    // after the page's first layout) there is nothing to draw yet, and asking the canvas
    // for its size here would force that layout inside this frame's callback (on a
    // fresh page, a 16-25 ms layout of everything plus the first draw in one long task).
    let mut sizes = observed;
    if !observing {
        for (size, c) in sizes.iter_mut().zip(canvases) {
            *size = (c.client_width() as f64, c.client_height() as f64);
        }
    }
    // Not laid out yet (or hidden): nothing to draw, and nothing to read either. The theme
    // is computed style, which would make this frame restyle the page.
    sizes.iter().any(|&size| laid_out(size)).then_some(sizes)
}

/// Whether `r` ended and is not the current run `run`: it goes to the back layer.
fn settled(r: &RunHistory, run: Option<RunId>) -> bool {
    r.status.is_some() && Some(r.run) != run
}

/// The visible runs of `h` in drawing order: those that ended first (they go to the back
/// layer), then those still changing, the current one last (drawn on top).
fn shown_runs<'a>(h: &'a History, looks: &'a Looks, run: Option<RunId>) -> Vec<&'a RunHistory> {
    let mut shown: Vec<&RunHistory> = looks.visible(h).filter(|r| settled(r, run)).collect();
    shown.extend(
        looks
            .visible(h)
            .filter(|r| !settled(r, run) && Some(r.run) != run),
    );
    shown.extend(looks.visible(h).filter(|r| Some(r.run) == run));
    shown
}

/// Draws the visible runs of `h` (as `looks` says) on the canvases numbered in `which` as
/// `key` says, and writes each one's `data-layer`, `data-plot`, `data-runs` and `data-x-max`.
fn draw_runs(
    (h, looks): (&History, &Looks),
    (canvases, which): (&[HtmlCanvasElement; 2], &[usize]),
    key: DrawKey,
    theme: &ChartTheme,
    state: State,
) -> Drawn {
    let DrawKey {
        run, view, ratio, ..
    } = key;
    // The x scale also spans a run configured but not trained yet (its planned length),
    // which draws nothing.
    let shown = shown_runs(h, looks, run);
    let scale = x_scale(&shown, &view);
    let runs: Vec<&RunHistory> = shown.into_iter().filter(|r| r.updates() > 0).collect();
    let styles = styles(&runs, looks, run, theme);
    let mut drawn = Drawn {
        updates: run.and_then(|id| h.get(id)).map_or(0, |r| r.updates()),
        areas: [None; 2],
        scale,
        key: (state.try_update_value(|s| {
            KeyItem::of_runs_cached(&mut s.key_items, &runs, &styles, h, key.lang)
        }))
        .unwrap_or_default(),
        error: None,
    };
    let x_max = runs
        .iter()
        .filter_map(|r| {
            let last = r.steps.len().checked_sub(1)?;
            Some(view.axis.step_x(r, last))
        })
        .fold(0.0, f64::max);
    for (i, ((canvas, kind), (w, h_css))) in canvases
        .iter()
        .zip(ChartKind::ALL)
        .zip(key.sizes)
        .enumerate()
    {
        if !which.contains(&i) {
            continue; // drawn in another frame, or hidden (`redraw` picks laid-out ones only)
        }
        canvas::fit_backing_store(canvas, (w, h_css), ratio);
        let columns = plot_columns(canvas.width(), ratio);
        state.update_value(|s| s.refresh_series(h, &runs, kind, (view, scale, columns)));
        let chart = Chart {
            index: i,
            kind,
            canvas,
            scale,
        };
        match state.with_value(|s| s.draw_chart(&chart, &runs, &styles, key, theme)) {
            Ok((area, layering)) => {
                drawn.areas[i] = Some((area, ratio));
                let _ = canvas.set_attribute("data-layer", layering.as_str());
                let pending = state.with_value(|s| s.backs.borrow()[i].pending());
                let _ = canvas.set_attribute("data-layer-pending", &pending.to_string());
                let plot = format!("{} {} {} {}", area.left, area.top, area.right, area.bottom);
                let _ = canvas.set_attribute("data-plot", &plot);
            }
            Err(e) => drawn.error = Some(e),
        }
        let _ = canvas.set_attribute("data-runs", &runs.len().to_string());
        let _ = canvas.set_attribute("data-x-max", &format!("{x_max}"));
    }
    drawn
}

/// One of the two charts, as a frame draws it.
struct Chart<'a> {
    /// Its place in [`ChartKind::ALL`] (and its back layer's).
    index: usize,
    kind: ChartKind,
    canvas: &'a HtmlCanvasElement,
    scale: Scale,
}

impl ChartsState {
    /// Brings the cached series of `runs` on chart `kind` up to date for `view`, `scale` and
    /// `columns`, and forgets those of runs no longer in `h`.
    fn refresh_series(
        &mut self,
        h: &History,
        runs: &[&RunHistory],
        kind: ChartKind,
        (view, scale, columns): (ChartView, Scale, usize),
    ) {
        for r in runs {
            let key = SeriesKey {
                rows: r.steps.len(),
                last_update: r.steps.update.last().copied().unwrap_or(0.0),
                stride: r.steps.stride,
                view,
                scale,
                columns,
            };
            if self.cache.get(&(r.run, kind)).is_some_and(|c| c.key == key) {
                continue;
            }
            // The run in progress: read only the rows recorded since. A change of smoothing
            // reads every row again (each row is smoothed as read).
            let mut thinned = self
                .cache
                .remove(&(r.run, kind))
                .filter(|c| c.key.extends_to(&key))
                .map(|c| c.thinned)
                .unwrap_or_else(|| Thinned::smoothed(view.smoothing));
            thinned.extend(r, view.axis, kind.column(), &scale, columns);
            self.cache.insert((r.run, kind), Cached { key, thinned });
        }
        self.cache.retain(|(id, _), _| h.get(*id).is_some());
    }

    /// Draws `runs`' cached series on `chart`, the runs that ended through its back layer.
    fn draw_chart(
        &self,
        chart: &Chart,
        runs: &[&RunHistory],
        styles: &[RunStyle],
        key: DrawKey,
        theme: &ChartTheme,
    ) -> Result<(PlotArea, Layering), String> {
        let kind = chart.kind;
        let series = runs
            .iter()
            .zip(styles)
            .filter_map(|(r, style)| {
                let c = self.cache.get(&(r.run, kind))?;
                Some(RunSeries {
                    run: r,
                    style: *style,
                    buckets: &c.thinned.buckets,
                })
            })
            .collect();
        let view = key.view;
        let smoothing = view.smoothing > 0.0;
        let scene = Scene::new(kind, view.axis, chart.scale, smoothing, series, key.lang);
        let front = (scene.series.iter())
            .take_while(|s| settled(s.run, key.run))
            .count();
        let mut back = self.backs.borrow_mut();
        let wake = self.wakes[chart.index]
            .clone()
            .unwrap_or_else(|| Rc::new(|| ()));
        back[chart.index].draw(
            chart.canvas,
            &scene,
            (view, front),
            (key.ratio, theme),
            &wake,
        )
    }
}
