//! Each chart's back layer: an off-screen canvas holding the axes, the heading and the runs
//! that have ended, redrawn only when something it shows changed ([`BackKey`]); every frame
//! copies it and draws the runs still changing over it ([`super::draw::Part`] says why).

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use super::draw::{Part, PlotArea, RunStyle, Scene, draw_part, y_top};
use super::theme::ChartTheme;
use crate::history::XAxis;
use crate::i18n::Lang;
use crate::plot::ChartView;
use crate::plot::scale::Scale;
use crate::worker::protocol::RunId;

/// Everything a back layer's pixels depend on: the same key, the same pixels.
#[derive(Clone, Debug, PartialEq)]
struct BackKey {
    size: (u32, u32),
    ratio: f64,
    lang: Lang,
    view: ChartView,
    scale: Scale,
    y_max: f64,
    theme: ChartTheme,
    front: usize,
    /// Every series (the heading and the styles depend on all of them); what the back
    /// layer's own series were drawn from.
    runs: Vec<RunKey>,
}

#[derive(Clone, Debug, PartialEq)]
struct RunKey {
    run: RunId,
    style: RunStyle,
    /// Rows, last update and stride of a back-layer run (`None` for the front's).
    rows: Option<(usize, f64, usize)>,
    /// Epochs and validations recorded (a back-layer run's marks, the top run's epoch
    /// boundaries on the seconds axis).
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
        let top = |i: usize| i + 1 == scene.series.len();
        let runs = scene
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let steps = &s.run.steps;
                let back = i < front;
                RunKey {
                    run: s.run.run,
                    style: s.style,
                    rows: back.then(|| {
                        let last = steps.update.last().copied().unwrap_or(0.0);
                        (steps.len(), last, steps.stride)
                    }),
                    // On the seconds axis the top run's epoch boundaries (in the back
                    // layer) are where its epochs ended; elsewhere they are planned.
                    epochs: if back || (top(i) && view.axis == XAxis::Seconds) {
                        s.run.epochs.len()
                    } else {
                        0
                    },
                    validations: if back { s.run.validation.len() } else { 0 },
                }
            })
            .collect();
        BackKey {
            size,
            ratio,
            lang: scene.lang,
            view,
            scale: scene.scale,
            y_max: y_top(scene),
            theme: *theme,
            front,
            runs,
        }
    }
}

/// A chart's back layer and what it holds.
#[derive(Default)]
pub struct BackLayer {
    canvas: Option<HtmlCanvasElement>,
    /// What the layer holds.
    key: Option<BackKey>,
    /// What the last frame's back would have held, when the layer was not drawn for it.
    wanted: Option<BackKey>,
}

impl BackLayer {
    /// Draws `scene` on `canvas`: series before `front` from the back layer, those from
    /// `front` on over it. A back that differs from the last frame's is not layered yet:
    /// the scene is drawn whole (dragging the smoothing slider or resizing changes every
    /// frame's back, and a layer would then cost a second pass and a copy); a back that
    /// holds still for a second frame becomes the layer.
    pub fn draw(
        &mut self,
        canvas: &HtmlCanvasElement,
        scene: &Scene,
        view: ChartView,
        front: usize,
        ratio: f64,
        theme: &ChartTheme,
    ) -> Result<PlotArea, String> {
        let size = (canvas.width(), canvas.height());
        let key = BackKey::of(scene, view, front, size, ratio, theme);
        if self.key.as_ref() != Some(&key) && self.wanted.as_ref() != Some(&key) {
            self.wanted = Some(key);
            return draw_part(canvas, scene, ratio, theme, Part::Whole);
        }
        let back = match &self.canvas {
            Some(c) => c.clone(),
            None => {
                let c: HtmlCanvasElement = leptos::prelude::document()
                    .create_element("canvas")
                    .map_err(super::draw::js_error)?
                    .unchecked_into();
                self.canvas = Some(c.clone());
                c
            }
        };
        if self.key.as_ref() != Some(&key) {
            self.key = None;
            if back.width() != size.0 {
                back.set_width(size.0);
            }
            if back.height() != size.1 {
                back.set_height(size.1);
            }
            draw_part(&back, scene, ratio, theme, Part::Back { front })?;
            self.key = Some(key);
        }
        draw_part(
            canvas,
            scene,
            ratio,
            theme,
            Part::Front { front, back: &back },
        )
    }
}
