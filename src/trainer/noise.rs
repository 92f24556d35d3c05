//! The gradient-noise meter: the simple noise scale `B_simple = tr(Σ) / |G|²` of
//! McCandlish et al. 2018 ("An Empirical Model of Large-Batch Training", appendix A),
//! measured from what one update already has.
//!
//! For a batch of B examples, `|G_B|²` is the squared norm of the update's own gradient and
//! `|G_1|²` the mean of the examples' own squared gradient norms (see
//! [`crate::trainer::model::Workspace::per_example_sq_norms`]): two batch sizes, 1 and B,
//! inside every batch. `G` is the mean of the N per-example gradients `g_i` and
//! `tr(Σ) = (1/N) Σ_i ‖g_i − G‖²` (the population covariance, divided by N).
//!
//! **How the trainer draws batches.** Every epoch is one random permutation of the N
//! training examples cut into consecutive batches of B (the last holds `N mod B` when B does
//! not divide N; see [`crate::trainer::session`]). Whatever its position in the epoch, a
//! batch of b examples is then a uniformly random b-subset, drawn *without replacement*, and
//! the finite-population correction applies:
//!
//! - `E|G_1|² = (1/N) Σ_i ‖g_i‖² = |G|² + tr(Σ)` exactly (each member is uniform on the set);
//! - `E|G_B|² = |G|² + tr(Σ) · (N − b) / (b (N − 1))`.
//!
//! Subtracting, `E(|G_1|² − |G_B|²) = tr(Σ) · N (b − 1) / (b (N − 1))`, so
//!
//! - `tr̂ = (|G_1|² − |G_B|²) · b (N − 1) / (N (b − 1))` and
//! - `Ĝ² = |G_1|² − tr̂`
//!
//! have expectations `tr(Σ)` and `|G|²` over the draw of the permutation, with the weights
//! held fixed: each is unbiased in that sense. (The trainer moves the weights between the
//! batches of an epoch, and where they move depends on which examples came first; no
//! estimator from one batch can undo that.) `tests/noise_scale.rs` checks this by averaging over every batch of every
//! permutation of a tiny set. (The formulas for independent draws, `E|G_B|² = |G|² +
//! tr(Σ)/b`, which this module used before, put `|G|²` low by `tr(Σ)/(N − 1)` at every b:
//! the noise scale high by about `B_simple / N`, a large error on a 400-sample set.) As
//! N → ∞ both become the independent-draw formulas. At b = N the batch is the whole set and
//! both estimates are exact; at b = 1 there is no second batch size and no estimate.
//!
//! Each estimate is noisy on its own (`Ĝ²` can come out negative), so the meter keeps an
//! exponential moving average of each and reports the ratio of the averages, never an
//! average of ratios. That ratio is *not* unbiased (the mean of a ratio is not the ratio of
//! the means): only its numerator and denominator are. Both averages share one decay, so the
//! usual start-up bias correction would cancel in the ratio and is left out. When the
//! averaged `Ĝ²` is not positive, the gradient cannot be told from the noise and the meter
//! gives no estimate rather than a made-up large number.

use serde::{Deserialize, Serialize};

/// What one update contributes: its batch size, the set it was drawn from, and the two
/// squared norms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseSample {
    /// Examples in the batch, b (the partial last batch of an epoch has fewer than B).
    pub batch_size: usize,
    /// Training examples N the epoch's permutation runs over: the finite-population
    /// correction needs it.
    pub population: usize,
    /// `|G_1|²`: the mean over the batch of each example's squared gradient norm.
    pub per_example_sq: f64,
    /// `|G_B|²`: the squared norm of the batch's mean gradient (the update's gradient).
    pub batch_sq: f64,
}

/// Estimates from one batch, each unbiased for a batch drawn without replacement (see the
/// module comment).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimates {
    /// `|G|²`, the true gradient's squared norm.
    pub gradient_sq: f64,
    /// `tr(Σ)`, the trace of the per-example gradients' population covariance.
    pub trace: f64,
}

impl NoiseSample {
    /// The two estimates; `None` when there is no estimate: a batch of one (no second batch
    /// size inside it), a batch larger than its set, or non-finite input.
    pub fn estimates(&self) -> Option<Estimates> {
        let (b, n) = (self.batch_size, self.population);
        if b < 2 || n < b || !(self.per_example_sq.is_finite() && self.batch_sq.is_finite()) {
            return None;
        }
        let (b, n) = (b as f64, n as f64);
        let trace = (self.per_example_sq - self.batch_sq) * b * (n - 1.0) / (n * (b - 1.0));
        Some(Estimates {
            gradient_sq: self.per_example_sq - trace,
            trace,
        })
    }
}

/// Weight of the past in the moving averages, per update: they remember about the last
/// 1 / (1 − DECAY) = 100 updates, so the reading follows training but not each batch.
pub const DECAY: f64 = 0.99;

/// Moving averages of `tr(Σ)` and `|G|²` over a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoiseMeter {
    trace: f64,
    gradient_sq: f64,
    samples: usize,
}

impl NoiseMeter {
    /// Adds one update's sample (ignored when it gives no estimate).
    pub fn add(&mut self, sample: &NoiseSample) {
        let Some(e) = sample.estimates() else {
            return;
        };
        self.trace = DECAY * self.trace + (1.0 - DECAY) * e.trace;
        self.gradient_sq = DECAY * self.gradient_sq + (1.0 - DECAY) * e.gradient_sq;
        self.samples += 1;
    }

    /// Updates that gave an estimate so far.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// `B_simple = EMA(tr Σ) / EMA(|G|²)` in samples; `None` (no estimate) before the first
    /// estimate, or while the averaged `|G|²` is not positive (see [`ratio`]).
    pub fn scale(&self) -> Option<f64> {
        if self.samples == 0 {
            return None;
        }
        ratio(self.trace, self.gradient_sq)
    }
}

/// `trace / gradient_sq`, or `None` when `gradient_sq` is not positive: `|G|²` is never
/// negative, so such an average says the gradient is lost in the noise, and no finite
/// number would be a measurement. A trace below zero can only be rounding (`|G_1|² ≥ |G_B|²`
/// for every batch: a mean of squares is at least the square of the mean) and reads 0.
fn ratio(trace: f64, gradient_sq: f64) -> Option<f64> {
    (gradient_sq > 0.0 && trace.is_finite()).then(|| trace.max(0.0) / gradient_sq)
}

/// Where a batch size stands against the noise scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// B < B_simple / 2: each update's gradient is mostly noise; a larger batch would cut
    /// the number of updates almost in proportion.
    Noisy,
    /// B within a factor of two of B_simple: the efficient trade of updates for samples.
    Balanced,
    /// B > 2 · B_simple: past the noise scale, a larger batch buys few fewer updates.
    Large,
}

/// The regime of batch size `batch` at noise scale `scale` (samples).
pub fn regime(batch: usize, scale: f64) -> Regime {
    let b = batch as f64;
    if b < scale / 2.0 {
        Regime::Noisy
    } else if b > scale * 2.0 {
        Regime::Large
    } else {
        Regime::Balanced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(b: usize, n: usize, g1: f64, gb: f64) -> NoiseSample {
        NoiseSample {
            batch_size: b,
            population: n,
            per_example_sq: g1,
            batch_sq: gb,
        }
    }

    #[test]
    fn estimates_follow_the_formulas() {
        // N = 9, |G|² = 1, tr Σ = 8, b = 3: E|G_B|² = 1 + 8·(9 − 3)/(3·8) = 3,
        // E|G_1|² = 1 + 8 = 9; tr̂ = (9 − 3)·3·8/(9·2) = 8, Ĝ² = 9 − 8 = 1.
        let e = sample(3, 9, 9.0, 3.0).estimates().unwrap();
        assert!((e.gradient_sq - 1.0).abs() < 1e-12, "{e:?}");
        assert!((e.trace - 8.0).abs() < 1e-12, "{e:?}");
        // b = N: the batch is the set, |G_B|² = |G|² and |G_1|² − |G_B|² = tr Σ exactly.
        let e = sample(9, 9, 9.0, 1.0).estimates().unwrap();
        assert_eq!((e.gradient_sq, e.trace), (1.0, 8.0));
        assert_eq!(
            sample(1, 9, 9.0, 9.0).estimates(),
            None,
            "b = 1 has no second size"
        );
        assert_eq!(sample(1, 1, 9.0, 9.0).estimates(), None, "N = 1");
        assert_eq!(sample(4, 3, 9.0, 3.0).estimates(), None, "b > N");
        assert_eq!(sample(4, 9, f64::NAN, 3.0).estimates(), None);
        assert_eq!(sample(4, 9, 9.0, f64::INFINITY).estimates(), None);
    }

    #[test]
    fn the_meter_is_a_ratio_of_averages() {
        let mut m = NoiseMeter::default();
        assert_eq!(m.scale(), None);
        m.add(&sample(1, 9, 5.0, 5.0));
        assert_eq!(m.scale(), None, "a batch of one adds nothing");
        // Two batches of 3 from N = 9: (|G|², tr Σ) = (1, 8) then (3, 8): the ratio of
        // averages, where the average of ratios would be (8 + 8/3)/2 ≈ 5.3.
        m.add(&sample(3, 9, 9.0, 3.0));
        m.add(&sample(3, 9, 11.0, 5.0));
        let want = (DECAY * 8.0 * (1.0 - DECAY) + (1.0 - DECAY) * 8.0)
            / (DECAY * 1.0 * (1.0 - DECAY) + (1.0 - DECAY) * 3.0);
        assert!((m.scale().unwrap() - want).abs() < 1e-9, "{:?}", m.scale());
        assert_eq!(m.samples(), 2);
    }

    #[test]
    fn a_gradient_lost_in_the_noise_gives_no_estimate() {
        assert_eq!(ratio(8.0, 0.0), None);
        assert_eq!(ratio(8.0, -1.0), None);
        assert_eq!(ratio(0.0, 0.0), None);
        assert_eq!(ratio(f64::NAN, 2.0), None);
        assert_eq!(ratio(-1e-18, 2.0), Some(0.0), "rounding below zero");
        assert_eq!(ratio(8.0, 2.0), Some(4.0));
        // A meter whose averaged |G|² went negative: no estimate, not a large number.
        let mut m = NoiseMeter::default();
        m.add(&sample(3, 9, 9.0, 0.5));
        assert!(sample(3, 9, 9.0, 0.5).estimates().unwrap().gradient_sq < 0.0);
        assert_eq!((m.samples(), m.scale()), (1, None));
    }

    #[test]
    fn regimes_split_at_a_factor_of_two() {
        assert_eq!(regime(32, 420.0), Regime::Noisy);
        assert_eq!(regime(256, 420.0), Regime::Balanced);
        assert_eq!(regime(840, 420.0), Regime::Balanced);
        assert_eq!(regime(841, 420.0), Regime::Large);
    }
}
