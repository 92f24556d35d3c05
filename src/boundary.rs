//! The decision boundary of a 2-D data set: what the net predicts over the whole plane.
//!
//! - [`Plane`]: the square of the data plane the batch view shows (the data's bounding box,
//!   squared, with a margin). The data plot and the grid share it, so the boundary image
//!   lies exactly behind the points.
//! - [`Grid`]: the predicted class and confidence at the centre of each of
//!   [`GRID_SIDE`]² cells, row 0 at the top (largest y), computed in the worker from the
//!   current weights with the trainer's own forward pass ([`Mlp::forward_backward`]), and
//!   sent as one byte per cell ([`encode_cell`]).
//! - [`Throttle`]: when the worker may compute the next grid, so that at full speed the
//!   grids take at most [`BUDGET`] of training time, and never more than one is sent per
//!   [`MIN_INTERVAL_MS`] (the screen gains nothing from more).

use crate::trainer::model::{Mlp, Workspace};
use serde::{Deserialize, Serialize};

/// Cells per side of the grid (64 × 64 = 4,096 forward passes per grid).
pub const GRID_SIDE: usize = 64;
/// The plane shown is the bounding box's larger side times this (a 4 % margin each side).
pub const MARGIN: f64 = 1.08;
/// Most classes a cell's byte can hold (4 bits; the 2-D sets have 2 or 3).
pub const MAX_CLASSES: usize = 16;
/// Confidence levels per cell (4 bits): enough steps for lightness on screen.
pub const LEVELS: u8 = 16;
/// At most this fraction of training time goes to grids at full speed.
pub const BUDGET: f64 = 0.04;
/// At least this much time (training time at full speed, wall time in slow motion) between
/// two grids: ten a second is as smooth as a student can follow.
pub const MIN_INTERVAL_MS: f64 = 100.0;

/// A square region of the data plane: centre and side length, in data units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plane {
    pub cx: f64,
    pub cy: f64,
    pub span: f64,
}

impl Plane {
    /// The square around the finite points of `xy` (x, y interleaved) with [`MARGIN`];
    /// `None` without any finite point.
    pub fn around(xy: &[f32]) -> Option<Plane> {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in xy.chunks_exact(2) {
            let (x, y) = (f64::from(p[0]), f64::from(p[1]));
            if x.is_finite() && y.is_finite() {
                (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            }
        }
        if x0 > x1 {
            return None;
        }
        Some(Plane {
            cx: (x0 + x1) / 2.0,
            cy: (y0 + y1) / 2.0,
            span: (x1 - x0).max(y1 - y0).max(1e-6) * MARGIN,
        })
    }

    /// The data coordinates of the centre of cell (`col`, `row`) of a `side` × `side`
    /// grid over the plane; row 0 is the top (largest y), as in an image.
    pub fn cell_centre(&self, side: usize, col: usize, row: usize) -> (f32, f32) {
        let step = self.span / side as f64;
        let left = self.cx - self.span / 2.0;
        let top = self.cy + self.span / 2.0;
        (
            (left + (col as f64 + 0.5) * step) as f32,
            (top - (row as f64 + 0.5) * step) as f32,
        )
    }
}

/// One cell's byte: the class in the high four bits, the confidence level in the low four.
/// The confidence is the predicted class' softmax probability `p`, from chance (`1/K`,
/// level 0) to certain (1, level 15).
pub fn encode_cell(class: usize, probability: f32, classes: usize) -> u8 {
    let chance = 1.0 / classes.max(1) as f32;
    let t = ((probability - chance) / (1.0 - chance).max(f32::EPSILON)).clamp(0.0, 1.0);
    let level = (t * f32::from(LEVELS - 1)).round() as u8;
    ((class.min(MAX_CLASSES - 1) as u8) << 4) | level
}

/// The class and the confidence (0 = chance, 1 = certain) of a cell's byte.
pub fn decode_cell(byte: u8) -> (u8, f32) {
    (byte >> 4, f32::from(byte & 0x0f) / f32::from(LEVELS - 1))
}

/// The net's predictions over the plane after `update` updates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub update: usize,
    pub plane: Plane,
    pub side: usize,
    /// `side²` bytes, row by row from the top ([`encode_cell`]).
    pub cells: Vec<u8>,
}

impl Grid {
    /// The number of distinct classes the grid predicts somewhere.
    pub fn distinct_classes(&self) -> usize {
        let mut seen = [false; MAX_CLASSES];
        self.cells
            .iter()
            .for_each(|&c| seen[decode_cell(c).0 as usize] = true);
        seen.iter().filter(|&&s| s).count()
    }
}

/// Weakest tint of a cell, at chance confidence (fraction of the class colour over the
/// backdrop); certain cells get [`STRONGEST_TINT`]. Kept light so the points stay legible.
pub const WEAKEST_TINT: f32 = 0.06;
pub const STRONGEST_TINT: f32 = 0.42;

/// The grid as an RGBA image (`side` × `side`): each cell the class' colour (from
/// `colours`, by class modulo their number) over `backdrop`, stronger the more confident.
pub fn paint(grid: &Grid, colours: &[[u8; 3]], backdrop: [u8; 3]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(grid.cells.len() * 4);
    for &cell in &grid.cells {
        let (class, confidence) = decode_cell(cell);
        let colour = colours
            .get(class as usize % colours.len().max(1))
            .copied()
            .unwrap_or(backdrop);
        let tint = WEAKEST_TINT + (STRONGEST_TINT - WEAKEST_TINT) * confidence;
        for (c, b) in colour.iter().zip(backdrop) {
            let (c, b) = (f32::from(*c), f32::from(b));
            rgba.push((b + (c - b) * tint).round() as u8);
        }
        rgba.push(255);
    }
    rgba
}

/// Computes grids for one run: the plane and the buffers, reused from grid to grid.
#[derive(Debug)]
pub struct Mapper {
    plane: Plane,
    workspace: Workspace,
    /// The grid's input points, filled once (they never move during a run).
    inputs: Vec<f32>,
    /// Zeros, as the forward pass wants labels (its loss is not used).
    labels: Vec<u8>,
}

impl Mapper {
    /// A mapper for 2-D data with `classes` classes whose training points are `xy`;
    /// `None` for other data (or more than [`MAX_CLASSES`] classes).
    pub fn new(features: usize, classes: usize, xy: &[f32]) -> Option<Mapper> {
        if features != 2 || classes > MAX_CLASSES {
            return None;
        }
        let plane = Plane::around(xy)?;
        let mut inputs = Vec::with_capacity(GRID_SIDE * GRID_SIDE * 2);
        for row in 0..GRID_SIDE {
            for col in 0..GRID_SIDE {
                let (x, y) = plane.cell_centre(GRID_SIDE, col, row);
                inputs.extend([x, y]);
            }
        }
        Some(Mapper {
            plane,
            workspace: Workspace::default(),
            inputs,
            labels: vec![0; GRID_SIDE * GRID_SIDE],
        })
    }

    /// The plane the grids cover.
    pub fn plane(&self) -> Plane {
        self.plane
    }

    /// The grid of `model`'s predictions, stamped with `update`.
    pub fn grid(&mut self, model: &Mlp, update: usize) -> Grid {
        let ws = &mut self.workspace;
        ws.input_mut(self.labels.len(), 2)
            .copy_from_slice(&self.inputs);
        model.forward_backward(ws, &self.labels, None);
        let classes = model.spec.classes;
        let cells = ws
            .logits()
            .chunks_exact(classes)
            .zip(&ws.predictions)
            .map(|(row, &class)| {
                let top = row[class as usize];
                let sum: f32 = row.iter().map(|&z| (z - top).exp()).sum();
                encode_cell(class as usize, 1.0 / sum, classes)
            })
            .collect();
        Grid {
            update,
            plane: self.plane,
            side: GRID_SIDE,
            cells,
        }
    }
}

/// Decides when the next grid is due.
///
/// At full speed the clock is the run's training time: after a grid that cost `c` ms, the
/// next waits for `max(MIN_INTERVAL_MS, c / BUDGET)` ms of training, so grids add at most
/// [`BUDGET`] to the training time however slow the machine. In slow motion (one update per
/// tick, the rest idle) the clock is wall time and only [`MIN_INTERVAL_MS`] applies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Throttle {
    /// Clock readings at the last grid (`None` before the first).
    last_trained_ms: Option<f64>,
    last_wall_ms: Option<f64>,
    /// What the last grid cost, in ms.
    cost_ms: f64,
}

impl Throttle {
    /// The training time that must pass between two grids at full speed.
    pub fn interval_ms(&self) -> f64 {
        MIN_INTERVAL_MS.max(self.cost_ms / BUDGET)
    }

    /// Whether a grid is due at full speed after `trained_ms` of training.
    pub fn due_training(&self, trained_ms: f64) -> bool {
        self.last_trained_ms
            .is_none_or(|last| trained_ms - last >= self.interval_ms())
    }

    /// Whether a grid is due in slow motion at wall time `wall_ms`.
    pub fn due_wall(&self, wall_ms: f64) -> bool {
        self.last_wall_ms
            .is_none_or(|last| wall_ms - last >= MIN_INTERVAL_MS)
    }

    /// Notes a grid made at these clock readings, which took `cost_ms`.
    pub fn made(&mut self, trained_ms: f64, wall_ms: f64, cost_ms: f64) {
        self.last_trained_ms = Some(trained_ms);
        self.last_wall_ms = Some(wall_ms);
        self.cost_ms = cost_ms.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trainer::model::{Activation, ModelSpec};
    use crate::trainer::rng;

    #[test]
    fn plane_is_the_bounding_square_with_margin() {
        let plane = Plane::around(&[0.0, 0.0, 2.0, 1.0, f32::NAN, 9.0]).unwrap();
        assert_eq!((plane.cx, plane.cy), (1.0, 0.5));
        assert!((plane.span - 2.0 * MARGIN).abs() < 1e-12);
        assert_eq!(Plane::around(&[f32::NAN, 1.0]), None);
        assert_eq!(Plane::around(&[]), None);
        // One point: a tiny square, not a zero-sized one.
        assert!(Plane::around(&[3.0, 3.0]).unwrap().span > 0.0);
    }

    #[test]
    fn cell_centres_cover_the_plane_top_down() {
        let plane = Plane {
            cx: 0.0,
            cy: 0.0,
            span: 4.0,
        };
        // 4 × 4 cells of side 1 over [-2, 2]².
        assert_eq!(plane.cell_centre(4, 0, 0), (-1.5, 1.5));
        assert_eq!(plane.cell_centre(4, 3, 0), (1.5, 1.5));
        assert_eq!(plane.cell_centre(4, 0, 3), (-1.5, -1.5));
        assert_eq!(plane.cell_centre(4, 2, 1), (0.5, 0.5));
    }

    #[test]
    fn cell_bytes_round_trip() {
        for classes in [2, 3, 16] {
            for class in 0..classes {
                for level in 0..LEVELS {
                    let chance = 1.0 / classes as f32;
                    let p = chance + (1.0 - chance) * f32::from(level) / f32::from(LEVELS - 1);
                    let byte = encode_cell(class, p, classes);
                    let (c, conf) = decode_cell(byte);
                    assert_eq!(c as usize, class);
                    assert!(
                        (conf - f32::from(level) / 15.0).abs() < 1e-6,
                        "{classes} {p}"
                    );
                }
            }
        }
        // Chance and below is level 0; certainty is level 15; out of range is clamped.
        assert_eq!(encode_cell(1, 0.5, 2), 0x10);
        assert_eq!(encode_cell(1, 0.2, 2), 0x10);
        assert_eq!(encode_cell(2, 1.0, 3), 0x2f);
        assert_eq!(encode_cell(40, 1.5, 3), 0xff);
    }

    #[test]
    fn grid_is_the_models_own_prediction() {
        let spec = ModelSpec {
            inputs: 2,
            hidden: vec![8],
            activation: Activation::Tanh,
            classes: 3,
        };
        let model = Mlp::new(spec, &mut rng::seeded(7, rng::Stream::Init));
        let xy = [-1.0, -1.0, 1.0, 1.0];
        let mut mapper = Mapper::new(2, 3, &xy).unwrap();
        let grid = mapper.grid(&model, 42);
        assert_eq!((grid.update, grid.side), (42, GRID_SIDE));
        assert_eq!(grid.cells.len(), GRID_SIDE * GRID_SIDE);
        // Spot-check cells against a one-row forward pass of the same model.
        let mut ws = Workspace::default();
        for (col, row) in [(0, 0), (63, 0), (17, 40), (63, 63)] {
            let (x, y) = grid.plane.cell_centre(GRID_SIDE, col, row);
            ws.input_mut(1, 2).copy_from_slice(&[x, y]);
            model.forward_backward(&mut ws, &[0], None);
            let z = ws.logits();
            let top = z[ws.predictions[0] as usize];
            let p = 1.0 / z.iter().map(|&v| (v - top).exp()).sum::<f32>();
            let want = encode_cell(ws.predictions[0] as usize, p, 3);
            assert_eq!(grid.cells[row * GRID_SIDE + col], want, "cell {col},{row}");
        }
        // Same weights, same grid.
        assert_eq!(mapper.grid(&model, 42), grid);
        assert!(grid.distinct_classes() >= 1);
        assert!(Mapper::new(784, 10, &xy).is_none());
        assert!(Mapper::new(2, 17, &xy).is_none());
    }

    #[test]
    fn paint_tints_by_class_and_confidence() {
        let grid = Grid {
            update: 0,
            plane: Plane {
                cx: 0.0,
                cy: 0.0,
                span: 1.0,
            },
            side: 2,
            cells: vec![0x00, 0x0f, 0x1f, 0x2f],
        };
        let white = [255, 255, 255];
        let rgba = paint(&grid, &[[0, 0, 255], [255, 0, 0]], white);
        assert_eq!(rgba.len(), 16);
        let px = |i: usize| &rgba[i * 4..i * 4 + 4];
        // Class 0 at chance: faint blue; certain: stronger blue.
        assert_eq!(px(0), [240, 240, 255, 255]);
        assert_eq!(px(1), [148, 148, 255, 255]);
        // Class 1 certain: red; class 2 wraps to the first colour.
        assert_eq!(px(2), [255, 148, 148, 255]);
        assert_eq!(px(3), px(1));
    }

    #[test]
    fn distinct_classes_counts_classes_present() {
        let grid = Grid {
            update: 0,
            plane: Plane {
                cx: 0.0,
                cy: 0.0,
                span: 1.0,
            },
            side: 2,
            cells: vec![0x0f, 0x03, 0x2a, 0x20],
        };
        assert_eq!(grid.distinct_classes(), 2);
    }

    #[test]
    fn throttle_keeps_grids_within_budget() {
        let mut t = Throttle::default();
        assert!(
            t.due_training(0.0) && t.due_wall(0.0),
            "the first grid is due at once"
        );
        // A cheap grid: the screen interval governs.
        t.made(0.0, 1_000.0, 1.0);
        assert_eq!(t.interval_ms(), MIN_INTERVAL_MS);
        assert!(!t.due_training(99.9));
        assert!(t.due_training(100.0));
        // An expensive grid (10 ms): the next waits 10 / BUDGET = 250 ms of training.
        t.made(100.0, 1_200.0, 10.0);
        assert!((t.interval_ms() - 250.0).abs() < 1e-9);
        assert!(!t.due_training(349.0));
        assert!(t.due_training(350.0));
        // Grid time over training time stays within the budget for any cost.
        for cost in [0.1, 1.0, 5.0, 40.0, 400.0] {
            let mut t = Throttle::default();
            let (mut trained, mut grid_time, mut grids) = (0.0, 0.0, 0);
            t.made(0.0, 0.0, cost);
            while trained < 100_000.0 {
                trained += 15.0; // one slice
                if t.due_training(trained) {
                    t.made(trained, 0.0, cost);
                    grid_time += cost;
                    grids += 1;
                }
            }
            assert!(grids > 0);
            assert!(grid_time / trained <= BUDGET + 1e-9, "cost {cost}");
        }
        // Slow motion: wall time.
        assert!(!t.due_wall(1_299.0));
        assert!(t.due_wall(1_300.0));
    }
}
