//! The gradient-noise meter: the simple noise scale `B_simple = tr(Σ) / |G|²` of
//! McCandlish et al. 2018 ("An Empirical Model of Large-Batch Training", appendix A),
//! measured from what one update already has.
//!
//! For a batch of B examples, `|G_B|²` is the squared norm of the update's own gradient and
//! `|G_1|²` the mean of the examples' own squared gradient norms (see
//! [`crate::trainer::model::Workspace::per_example_sq_norms`]). Over batches drawn
//! independently, `E|G_B|² = |G|² + tr(Σ)/B` for every B, so two batch sizes inside one batch
//! (1 and B) give unbiased estimates of both:
//!
//! - `|G|² ≈ (B·|G_B|² − |G_1|²) / (B − 1)`,
//! - `tr(Σ) ≈ (|G_1|² − |G_B|²) / (1 − 1/B)`.
//!
//! Each is noisy on its own (either can come out negative), so the meter keeps an
//! exponential moving average of each and reports the ratio of the averages, never an
//! average of ratios. Both averages share one decay, so the usual start-up bias correction
//! would cancel in the ratio and is left out.

use serde::{Deserialize, Serialize};

/// What one update contributes: its batch size and the two squared norms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseSample {
    /// Examples in the batch (the partial last batch of an epoch has fewer).
    pub batch_size: usize,
    /// `|G_1|²`: the mean over the batch of each example's squared gradient norm.
    pub per_example_sq: f64,
    /// `|G_B|²`: the squared norm of the batch's mean gradient (the update's gradient).
    pub batch_sq: f64,
}

/// Unbiased estimates from one batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimates {
    /// `|G|²`, the true gradient's squared norm.
    pub gradient_sq: f64,
    /// `tr(Σ)`, the trace of one example's gradient covariance.
    pub trace: f64,
}

impl NoiseSample {
    /// The two estimates; `None` for a batch of one (no second batch size inside it) or
    /// non-finite input.
    pub fn estimates(&self) -> Option<Estimates> {
        if self.batch_size < 2 || !(self.per_example_sq.is_finite() && self.batch_sq.is_finite()) {
            return None;
        }
        let b = self.batch_size as f64;
        Some(Estimates {
            gradient_sq: (b * self.batch_sq - self.per_example_sq) / (b - 1.0),
            trace: (self.per_example_sq - self.batch_sq) / (1.0 - 1.0 / b),
        })
    }
}

/// Weight of the past in the moving averages, per update: they remember about the last
/// 1 / (1 − DECAY) = 100 updates, so the reading follows training but not each batch.
pub const DECAY: f64 = 0.99;

/// The largest noise scale reported (samples): when the averaged `|G|²` is zero, negative or
/// this small beside `tr(Σ)`, the gradient is lost in the noise and the meter reads this.
/// It is far above any training-set size the app allows.
pub const MAX_SCALE: f64 = 1e7;

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

    /// `B_simple = EMA(tr Σ) / EMA(|G|²)` in samples, within `0..=MAX_SCALE`; `None` before
    /// the first estimate.
    pub fn scale(&self) -> Option<f64> {
        if self.samples == 0 {
            return None;
        }
        Some(ratio(self.trace, self.gradient_sq))
    }
}

/// `trace / gradient_sq` clamped to `0..=MAX_SCALE` (a negative trace reads 0; a gradient
/// that is not clearly positive reads [`MAX_SCALE`]).
fn ratio(trace: f64, gradient_sq: f64) -> f64 {
    let trace = trace.max(0.0);
    if trace == 0.0 {
        0.0
    } else if gradient_sq <= trace / MAX_SCALE {
        MAX_SCALE
    } else {
        trace / gradient_sq
    }
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

    fn sample(b: usize, g1: f64, gb: f64) -> NoiseSample {
        NoiseSample {
            batch_size: b,
            per_example_sq: g1,
            batch_sq: gb,
        }
    }

    #[test]
    fn estimates_follow_the_formulas() {
        // |G|² = 1, tr Σ = 8, B = 4: E|G_B|² = 1 + 8/4 = 3, |G_1|² = 1 + 8 = 9.
        let e = sample(4, 9.0, 3.0).estimates().unwrap();
        assert!((e.gradient_sq - 1.0).abs() < 1e-12);
        assert!((e.trace - 8.0).abs() < 1e-12);
        assert_eq!(
            sample(1, 9.0, 9.0).estimates(),
            None,
            "B = 1 has no second size"
        );
        assert_eq!(sample(4, f64::NAN, 3.0).estimates(), None);
    }

    #[test]
    fn the_meter_is_a_ratio_of_averages() {
        let mut m = NoiseMeter::default();
        assert_eq!(m.scale(), None);
        m.add(&sample(1, 5.0, 5.0));
        assert_eq!(m.scale(), None, "a batch of one adds nothing");
        // Two batches: (|G|², tr Σ) = (1, 8) then (3, 8): ratio of averages 8/2 = 4,
        // where the average of ratios would be (8 + 8/3)/2 ≈ 5.3.
        m.add(&sample(4, 9.0, 3.0));
        m.add(&sample(4, 11.0, 5.0));
        let want = (DECAY * 8.0 * (1.0 - DECAY) + (1.0 - DECAY) * 8.0)
            / (DECAY * 1.0 * (1.0 - DECAY) + (1.0 - DECAY) * 3.0);
        assert!((m.scale().unwrap() - want).abs() < 1e-9, "{:?}", m.scale());
        assert_eq!(m.samples(), 2);
    }

    #[test]
    fn tiny_or_negative_denominators_are_clamped() {
        assert_eq!(ratio(8.0, 0.0), MAX_SCALE);
        assert_eq!(ratio(8.0, -1.0), MAX_SCALE);
        assert_eq!(ratio(8.0, 1e-300), MAX_SCALE);
        assert_eq!(ratio(-1.0, 2.0), 0.0);
        assert_eq!(ratio(0.0, 0.0), 0.0);
        assert_eq!(ratio(8.0, 2.0), 4.0);
    }

    #[test]
    fn regimes_split_at_a_factor_of_two() {
        assert_eq!(regime(32, 420.0), Regime::Noisy);
        assert_eq!(regime(256, 420.0), Regime::Balanced);
        assert_eq!(regime(840, 420.0), Regime::Balanced);
        assert_eq!(regime(841, 420.0), Regime::Large);
    }
}
