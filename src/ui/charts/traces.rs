//! The runs' series on one chart's plot, as [`super::draw::draw_part`] draws them: each
//! run's trace over its band of raw values, its epoch means with its marker, its validation
//! dashed with squares and its end tick under the x axis; and, with the frame, the current
//! run's epoch boundaries and each seed group's band and mean. See [`super::draw`] for why
//! they look as they do.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{
    ChartContext, Circle, Color, DrawingArea, EmptyElement, PathElement, Rectangle,
};
use plotters_canvas::CanvasBackend;
use web_sys::CanvasRenderingContext2d;

use super::draw::{
    BAND_ALPHA, LINE_WIDTH, MARKER_RADIUS, Pen, RunSeries, SEED_BAND_ALPHA, Scene, plot_columns,
    plot_mapping, seed_bands,
};
use super::theme::ChartTheme;
use crate::plot::path::polyline;
use crate::plot::scale::Scale;
use crate::plot::series::{ChartKind, epoch_boundaries, points};
use crate::plot::view::XAxis;

/// The plotters chart every chart here draws on: x in scale units (0..1), y in values.
pub(super) type Chart2d<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart's plot as one drawing pass sees it: where it is, how data maps onto it.
pub(super) struct Plot<'a> {
    pub ctx: &'a CanvasRenderingContext2d,
    /// Backing pixels per CSS pixel.
    pub ratio: f64,
    pub kind: ChartKind,
    pub axis: XAxis,
    pub x_scale: Scale,
    /// The plot's pixel ranges (backing pixels).
    pub x_pixels: Range<i32>,
    pub y_pixels: Range<i32>,
    /// The y axis' top.
    pub y_max: f64,
    /// The plot's width in CSS pixels: how many markers and boundaries fit.
    pub width_css: f64,
}

impl Plot<'_> {
    /// `css` CSS pixels in backing pixels.
    fn px(&self, css: f64) -> i32 {
        (css * self.ratio).round() as i32
    }

    /// `x` across the plot, 0..1.
    fn ux(&self, x: f64) -> f64 {
        self.x_scale.to_unit(x)
    }

    /// A value kept near the plot (values above the robust loss ceiling run off it).
    fn y_clamp(&self, v: f64) -> f64 {
        v.clamp(-0.05 * self.y_max, 1.5 * self.y_max)
    }

    /// (x, value) in backing pixels, unrounded.
    fn to_px(&self, x: f64, v: f64) -> (f64, f64) {
        plot_mapping(&self.x_pixels, &self.y_pixels, self.y_max)(self.ux(x), self.y_clamp(v))
    }

    /// Every series line's width, backing pixels.
    fn line_width(&self) -> f64 {
        self.px(LINE_WIDTH).max(1) as f64
    }

    /// Series go to the canvas as whole paths (plotters would make one call per point).
    fn pen(&self) -> Pen<'_> {
        Pen { ctx: self.ctx }
    }

    /// `points` (x, value) as one path in backing pixels.
    fn path(&self, points: &[(f64, f64)]) -> String {
        polyline(points.iter().map(|&(x, y)| self.to_px(x, y)), false)
    }

    /// `points` in the chart's coordinates (x across the plot), for plotters' markers.
    fn clamped(&self, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        (points.iter())
            .map(|&(x, y)| (self.ux(x), self.y_clamp(y)))
            .collect()
    }

    /// Whether `n` markers fit along the plot.
    fn markers(&self, n: usize) -> bool {
        n as f64 <= self.width_css / 10.0
    }

    /// Runs `draw` clipped to the plot (a little beyond its top and right, so a marker on
    /// the edge is whole).
    pub fn clipped(&self, draw: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        let clip_pad = self.px(5.0) as f64;
        let ctx = self.ctx;
        let (xs, ys) = (&self.x_pixels, &self.y_pixels);
        ctx.save();
        ctx.begin_path();
        ctx.rect(
            xs.start as f64,
            ys.start as f64 - clip_pad,
            (xs.end - xs.start) as f64 + clip_pad,
            (ys.end - ys.start) as f64 + clip_pad,
        );
        ctx.clip();
        let drawn = draw();
        ctx.restore();
        drawn
    }

    /// Epoch boundaries of the current (top) run: light vertical lines.
    pub fn epoch_boundaries(
        &self,
        chart: &mut Chart2d,
        scene: &Scene,
        theme: &ChartTheme,
    ) -> Result<(), String> {
        let Some(top_run) = scene.series.last() else {
            return Ok(());
        };
        let boundary = theme
            .text
            .mix(0.13)
            .stroke_width(self.px(1.0).max(1) as u32);
        let most = (self.width_css / 6.0) as usize;
        let xs = epoch_boundaries(top_run.run, self.axis, &self.x_scale, most);
        self.clipped(|| {
            chart
                .draw_series(xs.into_iter().map(|x| {
                    PathElement::new(vec![(self.ux(x), 0.0), (self.ux(x), self.y_max)], boundary)
                }))
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }

    /// Seed groups: each group's band across its seeds and its mean line, under the seeds'
    /// own traces (drawn with the frame, so a layered redraw draws them once). `width`: the
    /// canvas' backing width.
    pub fn seed_bands(&self, scene: &Scene, width: i32) -> Result<(), String> {
        let line_w = self.line_width();
        let pen = self.pen();
        for (colour, band) in seed_bands(scene, plot_columns(width as u32, self.ratio)) {
            self.clipped(|| {
                let upper = band.iter().map(|c| self.to_px(c.x, c.max));
                let lower = band.iter().rev().map(|c| self.to_px(c.x, c.min));
                pen.fill(&polyline(upper.chain(lower), true), colour, SEED_BAND_ALPHA)?;
                let mean = band.iter().map(|c| self.to_px(c.x, c.mean));
                pen.stroke(&polyline(mean, false), colour, 1.0, 2.0 * line_w, None)
            })?;
        }
        Ok(())
    }

    /// One run's series, clipped to the plot: trace, epoch means, validation. A seed of a
    /// group drawn as a band (`in_band`, [`Scene::grouped`]) has no trace of its
    /// own: its per-update values are the group's band and mean line, and its noisy trace
    /// over them would hide the band, the very thing the group is shown for.
    pub fn run(&self, chart: &mut Chart2d, s: &RunSeries, in_band: bool) -> Result<(), String> {
        self.clipped(|| {
            if !in_band {
                self.trace(chart, s)?;
            }
            self.epoch_means(chart, s)?;
            self.validation(chart, s)
        })
    }

    /// Per-update values: the raw min–max band, translucent, and over it the trace, solid:
    /// a line through every update's (smoothed) value, which at one bucket per pixel column
    /// sweeps from the bucket's least to its largest value — what drawing each update would
    /// show, so a B = 8 run thinned to ~18 updates per column stays as noisy as it is. Every
    /// run alike: runs differ by colour and marker, never by fading one toward the
    /// background.
    fn trace(&self, chart: &mut Chart2d, s: &RunSeries) -> Result<(), String> {
        let (colour, buckets) = (s.style.train, s.buckets);
        let pen = self.pen();
        if buckets.len() >= 2 {
            let band = (buckets.iter())
                .map(|b| self.to_px(b.x, b.max as f64))
                .chain(buckets.iter().rev().map(|b| self.to_px(b.x, b.min as f64)));
            pen.fill(&polyline(band, true), colour, BAND_ALPHA)?;
        }
        let trace = buckets.iter().enumerate().flat_map(|(i, b)| {
            // Alternate the sweep's direction so neighbouring columns join at their ends.
            let (a, z) = if i % 2 == 0 {
                (b.smooth_min, b.smooth_max)
            } else {
                (b.smooth_max, b.smooth_min)
            };
            let sweep = [a, z, b.smooth_last];
            (sweep.into_iter())
                .take(if a == z { 1 } else { 3 })
                .map(move |v| self.to_px(b.x, v as f64))
        });
        pen.stroke(
            &polyline(trace, false),
            colour,
            1.0,
            self.line_width(),
            None,
        )?;
        if let [b] = buckets {
            let at = (self.ux(b.x), self.y_clamp(b.smooth_last as f64));
            chart
                .draw_series(std::iter::once(Circle::new(
                    at,
                    self.px(2.0),
                    colour.filled(),
                )))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Epoch means: a solid line with the run's marker (markers where they fit).
    fn epoch_means(&self, chart: &mut Chart2d, s: &RunSeries) -> Result<(), String> {
        let epochs = points(s.run, &s.run.epochs, self.kind, self.axis);
        let (colour, line_w) = (s.style.train, self.line_width());
        self.pen()
            .stroke(&self.path(&epochs), colour, 1.0, line_w, None)?;
        let epochs = self.clamped(&epochs);
        if self.markers(epochs.len()) {
            let r = self.px(MARKER_RADIUS);
            chart
                .draw_series(epochs.iter().map(|&p| s.style.marker.element(p, r, colour)))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Validation: a dashed line with squares (squares where they fit, or a lone one).
    fn validation(&self, chart: &mut Chart2d, s: &RunSeries) -> Result<(), String> {
        let validation = points(s.run, &s.run.validation, self.kind, self.axis);
        let colour = s.style.validation;
        if validation.len() >= 2 {
            let dash = [self.px(6.0) as f64, self.px(4.0) as f64];
            let line_w = self.line_width();
            self.pen()
                .stroke(&self.path(&validation), colour, 1.0, line_w, Some(dash))?;
        }
        let validation = self.clamped(&validation);
        if self.markers(validation.len()) || validation.len() == 1 {
            let r = self.px(MARKER_RADIUS);
            chart
                .draw_series(validation.iter().map(|&p| {
                    EmptyElement::at(p) + Rectangle::new([(-r, -r), (r, r)], colour.filled())
                }))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Where a run ends, when runs are compared: a tick in its colour under the x axis.
    pub fn end_tick(
        &self,
        root: &DrawingArea<CanvasBackend, Shift>,
        s: &RunSeries,
    ) -> Result<(), String> {
        let end =
            (s.run.steps.len().checked_sub(1)).map(|last| self.ux(self.axis.step_x(s.run, last)));
        let Some(u) = end.filter(|u| u.is_finite()) else {
            return Ok(());
        };
        let (xs, y) = (&self.x_pixels, self.y_pixels.end);
        let x = xs.start + ((xs.end - xs.start) as f64 * u).round() as i32;
        root.draw(&PathElement::new(
            vec![(x, y - self.px(6.0)), (x, y + self.px(3.0))],
            s.style.train.stroke_width(self.px(3.0).max(1) as u32),
        ))
        .map_err(|e| e.to_string())
    }
}
