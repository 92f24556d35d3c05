//! Each chart's back layer: an off-screen canvas holding the axes, the heading and the runs
//! that have ended, redrawn only when something it shows changed ([`BackKey`]); every frame
//! copies it and draws the runs still changing over it ([`super::draw::Part`] says why).
//! Each run in it is also kept rasterised on its own canvas ([`RunLayers`]), so the back is
//! put together again from copies when a run leaves it.

use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlCanvasElement;

use super::draw::{
    Part, PlotArea, RunStyle, Scene, context, draw_part, js_error, names_validation,
};
use super::theme::ChartTheme;
use crate::i18n::Lang;
use crate::plot::ChartView;
use crate::plot::scale::Scale;
use crate::plot::view::XAxis;
use crate::worker::protocol::RunId;

/// Everything a back layer's pixels depend on: the same key, the same pixels.
#[derive(Clone, Debug, PartialEq)]
struct BackKey {
    frame: FrameKey,
    /// The back's runs, in drawing order.
    runs: Vec<RunKey>,
}

/// What the back's axes, heading, epoch boundaries and line strengths depend on, the runs
/// still changing included.
#[derive(Clone, Debug, PartialEq)]
struct FrameKey {
    size: (u32, u32),
    ratio: f64,
    lang: Lang,
    view: ChartView,
    scale: Scale,
    y_max: f64,
    theme: ChartTheme,
    /// Several runs drawn: each gets a tick where it ends.
    several: bool,
    /// The heading names the validation series.
    validation: bool,
    /// Where the top run's epoch boundaries (drawn under every run) come from.
    boundaries: Option<Boundaries>,
    /// The rows of every seed drawn in a group's band: the band is drawn with the frame
    /// (under every run), from seeds that may still be training.
    bands: Vec<(RunId, (usize, f64, usize))>,
}

#[derive(Clone, Debug, PartialEq)]
enum Boundaries {
    /// Planned from the run's settings (the epochs, updates and samples axes): a run started
    /// with the settings of the one before draws the same lines.
    Planned {
        epochs: usize,
        updates_per_epoch: usize,
        train_size: usize,
    },
    /// Where the run's epochs ended (the seconds axis).
    Recorded { run: RunId, epochs: usize },
}

#[derive(Clone, Debug, PartialEq)]
struct RunKey {
    run: RunId,
    style: RunStyle,
    /// Rows, last update and stride.
    rows: (usize, f64, usize),
    /// Epochs and validations recorded (the run's marks).
    epochs: usize,
    validations: usize,
}

impl BackKey {
    fn of(
        scene: &Scene,
        view: ChartView,
        front: usize,
        size: (u32, u32),
        ratio: f64,
        theme: &ChartTheme,
    ) -> Self {
        let boundaries = scene.series.last().map(|s| match view.axis {
            XAxis::Seconds => Boundaries::Recorded {
                run: s.run.run,
                epochs: s.run.epochs.len(),
            },
            _ => Boundaries::Planned {
                epochs: s.run.info.epochs,
                updates_per_epoch: s.run.info.updates_per_epoch,
                train_size: s.run.info.train_size,
            },
        });
        let runs = scene.series[..front.min(scene.series.len())]
            .iter()
            .map(|s| {
                let steps = &s.run.steps;
                let last = steps.update.last().copied().unwrap_or(0.0);
                RunKey {
                    run: s.run.run,
                    style: s.style,
                    rows: (steps.len(), last, steps.stride),
                    epochs: s.run.epochs.len(),
                    validations: s.run.validation.len(),
                }
            })
            .collect();
        BackKey {
            frame: FrameKey {
                size,
                ratio,
                lang: scene.lang,
                view,
                scale: scene.scale,
                y_max: scene.y_max,
                theme: *theme,
                several: scene.series.len() > 1,
                validation: names_validation(scene),
                boundaries,
                bands: banded_rows(scene),
            },
            runs,
        }
    }
}

/// [`FrameKey::bands`] of `scene`.
fn banded_rows(scene: &Scene) -> Vec<(RunId, (usize, f64, usize))> {
    (scene.series.iter())
        .filter(|s| scene.grouped.contains(&s.style.slot))
        .map(|s| {
            let steps = &s.run.steps;
            let last = steps.update.last().copied().unwrap_or(0.0);
            (s.run.run, (steps.len(), last, steps.stride))
        })
        .collect()
}

/// What a frame did with the back layer (the canvas' `data-layer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layering {
    /// No layer: the scene drawn whole.
    Whole,
    /// The layer drawn again, then copied.
    Drawn,
    /// Runs that ended drawn over the layer, then copied.
    Appended,
    /// The layer copied as it was.
    Kept,
}

impl Layering {
    pub fn as_str(self) -> &'static str {
        match self {
            Layering::Whole => "whole",
            Layering::Drawn => "drawn",
            Layering::Appended => "appended",
            Layering::Kept => "kept",
        }
    }
}

/// A chart's back layer and what it holds.
#[derive(Default)]
pub struct BackLayer {
    canvas: Option<HtmlCanvasElement>,
    /// What the layer holds.
    key: Option<BackKey>,
    /// The last frame's [`FrameKey`], when the layer was not drawn for it.
    wanted: Option<FrameKey>,
    runs: RunLayers,
}

/// The most backing pixels of one chart's run layers (4 bytes each: 32 MB). Eight kept runs
/// on a 446 × 260 canvas at 2× take 7.4 M; past the budget the back's runs are drawn
/// straight onto it, as before there were run layers.
const RUN_LAYER_PIXELS: u64 = 8_000_000;

/// Called when a run layer has been rasterised: the charts draw again (the layer can now
/// join the back).
pub type Wake = Rc<dyn Fn()>;

/// One run rasterised alone on a transparent canvas of the chart's size.
struct Layer {
    key: RunKey,
    canvas: HtmlCanvasElement,
    /// Rasterised: copying it costs a copy. Until then it holds only the recorded drawing,
    /// which the first copy would rasterise inside that frame.
    ready: Rc<Cell<bool>>,
}

/// The back's runs, each rasterised alone on a transparent canvas of the chart's size, for
/// one [`FrameKey`]. Why: when the oldest of eight kept runs leaves the back (every run's
/// start once eight are kept), the back had to be drawn again from its seven other runs, and
/// stroking their per-update traces (a line through every pixel column's range) took
/// 45-140 ms of rasterising in Chromium's software canvas, a long task at each run's start
/// (`scripts/bench` overlay part, docs/perf-notes.md). Copying seven finished bitmaps takes
/// well under a millisecond.
///
/// A run that joins the back is recorded on its layer at once but rasterised in the page's
/// idle time ([`rasterise_when_idle`]); until then it is drawn over the back as it was while
/// it trained. Rasterising it inside the frame where it ended (13-16 ms for one run's trace)
/// was the slowest frame of every run.
#[derive(Default)]
struct RunLayers {
    frame: Option<FrameKey>,
    layers: Vec<Layer>,
}

impl RunLayers {
    fn over_budget(key: &BackKey) -> bool {
        let (w, h) = key.frame.size;
        w as u64 * h as u64 * key.runs.len() as u64 > RUN_LAYER_PIXELS
    }

    /// How many of `key`'s runs, from the first, the back can take now: those whose layer is
    /// rasterised (all of them past [`RUN_LAYER_PIXELS`], where no layers are kept). Runs
    /// without a layer get one, recorded now and rasterised when the page is idle, after
    /// which `wake` is called.
    fn ready(
        &mut self,
        scene: &Scene,
        (ratio, theme): (f64, &ChartTheme),
        key: &BackKey,
        wake: &Wake,
    ) -> Result<usize, String> {
        if Self::over_budget(key) {
            self.layers.clear();
            return Ok(key.runs.len());
        }
        if self.frame.as_ref() != Some(&key.frame) {
            self.layers.clear();
            self.frame = Some(key.frame.clone());
        }
        self.layers.retain(|l| key.runs.contains(&l.key));
        let mut fresh = Vec::new();
        for (i, run) in key.runs.iter().enumerate() {
            if self.layers.iter().any(|l| &l.key == run) {
                continue;
            }
            let canvas = offscreen(key.frame.size)?;
            draw_part(
                &canvas,
                scene,
                ratio,
                theme,
                Part::Append { from: i, to: i + 1 },
            )?;
            let ready = Rc::new(Cell::new(false));
            fresh.push((canvas.clone(), ready.clone()));
            self.layers.push(Layer {
                key: run.clone(),
                canvas,
                ready,
            });
        }
        if !fresh.is_empty() {
            rasterise_when_idle(fresh.into(), wake.clone());
        }
        Ok((key.runs.iter())
            .take_while(|run| self.layer(run).is_some_and(|l| l.ready.get()))
            .count())
    }

    fn layer(&self, run: &RunKey) -> Option<&Layer> {
        self.layers.iter().find(|l| &l.key == run)
    }

    /// Layers recorded but not rasterised yet.
    fn pending(&self) -> usize {
        self.layers.iter().filter(|l| !l.ready.get()).count()
    }

    /// Puts the back's runs `from..` (of `key`, every one [`RunLayers::ready`]) on `back`,
    /// which holds the frame and the runs before `from`: each copied from its layer, or,
    /// past [`RUN_LAYER_PIXELS`], drawn onto `back` directly.
    fn put(
        &self,
        back: &HtmlCanvasElement,
        scene: &Scene,
        (ratio, theme): (f64, &ChartTheme),
        key: &BackKey,
        from: usize,
    ) -> Result<(), String> {
        let to = key.runs.len();
        let ctx = context(back)?;
        for (i, run) in key.runs.iter().enumerate().skip(from) {
            match self.layer(run) {
                Some(l) if !Self::over_budget(key) => ctx
                    .draw_image_with_html_canvas_element(&l.canvas, 0.0, 0.0)
                    .map_err(js_error)?,
                _ => {
                    draw_part(back, scene, ratio, theme, Part::Append { from: i, to })?;
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// Rasterises `queue`'s layers one per idle period of the page (a timeout where the browser
/// has no `requestIdleCallback`), marking each ready and calling `wake` after each. Copying
/// a canvas is what makes Chromium rasterise its recorded drawing, so each is copied once
/// onto a 1 × 1 canvas.
fn rasterise_when_idle(mut queue: VecDeque<(HtmlCanvasElement, Rc<Cell<bool>>)>, wake: Wake) {
    let task = move || {
        let Some((layer, ready)) = queue.pop_front() else {
            return;
        };
        // The layer was dropped meanwhile (a new frame, a run removed): nothing to do.
        if Rc::strong_count(&ready) > 1 {
            if let Ok(scratch) = offscreen((1, 1))
                && let Ok(ctx) = context(&scratch)
            {
                let _ = ctx.draw_image_with_html_canvas_element(&layer, 0.0, 0.0);
            }
            ready.set(true);
            wake();
        }
        if !queue.is_empty() {
            rasterise_when_idle(queue, wake);
        }
    };
    let global = js_sys::global();
    let idle = js_sys::Reflect::get(&global, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(request) => {
            let _ = request.call1(&global, &Closure::once_into_js(task));
        }
        None => {
            gloo_timers::callback::Timeout::new(0, task).forget();
        }
    }
}

/// A canvas outside the document, `size` backing pixels.
fn offscreen(size: (u32, u32)) -> Result<HtmlCanvasElement, String> {
    let c: HtmlCanvasElement = (leptos::prelude::document().create_element("canvas"))
        .map_err(js_error)?
        .unchecked_into();
    c.set_width(size.0);
    c.set_height(size.1);
    Ok(c)
}

impl BackLayer {
    /// Draws `scene` on `canvas`: series before `front` from the back layer, those from
    /// `front` on over it.
    ///
    /// A frame (size, scales, smoothing…) that differs from the last frame's is not layered
    /// yet: the scene is drawn whole (dragging the smoothing slider or resizing changes every
    /// frame, and a layer would then cost a second pass and a copy); a frame that holds still
    /// for a second frame gets the layer. A change of the back's runs alone is one event (a
    /// run ended, was removed or hidden): the layer is redrawn at once, or, when runs were only
    /// added after those it holds, given just those ([`Part::Append`]). So a run's start
    /// (the last run joins the back, the oldest is dropped, the new one appears over a back
    /// whose boundaries it shares) costs one back instead of four whole frames, and that back
    /// is the frame with copies of its runs' layers ([`RunLayers`]). The run that joined is
    /// drawn in front until its layer is rasterised in idle time; `wake` is called then.
    pub fn draw(
        &mut self,
        canvas: &HtmlCanvasElement,
        scene: &Scene,
        (view, front): (ChartView, usize),
        (ratio, theme): (f64, &ChartTheme),
        wake: &Wake,
    ) -> Result<(PlotArea, Layering), String> {
        let size = (canvas.width(), canvas.height());
        let mut key = BackKey::of(scene, view, front, size, ratio, theme);
        let frame_held = self.key.as_ref().is_some_and(|k| k.frame == key.frame);
        if !frame_held && self.wanted.as_ref() != Some(&key.frame) {
            self.wanted = Some(key.frame);
            let area = draw_part(canvas, scene, ratio, theme, Part::Whole)?;
            return Ok((area, Layering::Whole));
        }
        // Runs whose layer is not rasterised yet stay in front for now (RunLayers).
        let ready = self.runs.ready(scene, (ratio, theme), &key, wake)?;
        key.runs.truncate(ready);
        let front = front.min(ready);
        let back = match &self.canvas {
            Some(c) => c.clone(),
            None => {
                let c = offscreen(size)?;
                self.canvas = Some(c.clone());
                c
            }
        };
        let layering = match self.key.take() {
            Some(held) if held == key => {
                self.key = Some(held);
                Layering::Kept
            }
            Some(held) if frame_held && key.runs.starts_with(&held.runs) => {
                let from = held.runs.len();
                self.runs.put(&back, scene, (ratio, theme), &key, from)?;
                self.key = Some(key);
                Layering::Appended
            }
            _ => {
                if back.width() != size.0 {
                    back.set_width(size.0);
                }
                if back.height() != size.1 {
                    back.set_height(size.1);
                }
                // The frame alone, then every back run from its layer.
                draw_part(&back, scene, ratio, theme, Part::Back { front: 0 })?;
                self.runs.put(&back, scene, (ratio, theme), &key, 0)?;
                self.key = Some(key);
                Layering::Drawn
            }
        };
        self.wanted = None;
        let front = Part::Front { front, back: &back };
        let area = draw_part(canvas, scene, ratio, theme, front)?;
        Ok((area, layering))
    }

    /// Runs waiting for their layer to be rasterised (drawn in front until then).
    pub fn pending(&self) -> usize {
        self.runs.pending()
    }
}
