//! Smoothing of noisy per-update curves by counting updates, as TensorBoard's step EMA does
//! (with its bias correction): a run's moving average spans the same number of *its own*
//! updates whatever the x axis. Why updates and not x units: the lesson is that a small
//! batch's per-batch loss is noisier than a large batch's. Smoothing by x spacing (W&B's
//! default, and this app's until issue 20) averages over a fixed stretch of the axis, which
//! on the epoch or samples axis holds 32 times more B = 8 updates than B = 256 updates, and
//! so cancels exactly the difference in noise the comparison is about. Counted in updates,
//! B = 8 stays visibly noisier than B = 256 on every axis.
//!
//! The charts smooth every recorded row while thinning a trace to one bucket per pixel column
//! ([`super::series::Thinned`]), so thinning does not change the smoothing; a value standing
//! for k updates (a merged history row, or a bucket's mean given to [`smooth`]) decays the
//! average by weight^k, so merging rows does not change how far the average reaches.

/// The largest smoothing weight the control offers and [`clamp_weight`] allows: at 1 the
/// average would never move.
pub const MAX_WEIGHT: f64 = 0.99;

/// Exponential moving average over updates, with bias correction.
///
/// `updates` are the update numbers the values end at (increasing; a run's first update is
/// 1), `ys` the values (each the mean of the updates since the previous entry), `weight` in
/// [0, 1) per update (0 = raw: output equals input; clamped by [`clamp_weight`]).
///
/// Value i stands for k = u_i − u_{i−1} updates (u before the first value is 0; k is at
/// least 1, so repeated or out-of-order update numbers still count as one update each) and
/// decays the average by d = weight^k. Then num = d·num + (1−d)·y, den = d·den + (1−d) and
/// the output is num / den, which starts exactly at the first value (no pull toward zero).
/// For a value per update this is TensorBoard's smoothing; for the mean of k updates it is
/// the same average as if the k values had been equal to their mean. A value with a
/// non-finite update or y is output as its raw y and left out of the average; the next
/// value's k then reaches back to the last averaged one. Values past the end of `updates`
/// pass through raw.
pub fn smooth(updates: &[f64], ys: &[f32], weight: f64) -> Vec<f32> {
    let mut average = Average::new(weight);
    let mut updates = updates.iter().copied();
    ys.iter()
        .map(|&y| average.push(updates.next().unwrap_or(f64::NAN), y))
        .collect()
}

/// Bounds of the weight control (0..=[`MAX_WEIGHT`]) and the clamp used for hostile input
/// (URLs, stored settings): NaN becomes 0 (no smoothing).
pub fn clamp_weight(w: f64) -> f64 {
    if w.is_nan() {
        0.0
    } else {
        w.clamp(0.0, MAX_WEIGHT)
    }
}

/// The running, bias-corrected average of [`smooth`], one value at a time: the charts feed
/// it every recorded row while thinning ([`super::series::Thinned`]), so the smoothed line is
/// exact per update however the trace is thinned to pixel columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Average {
    /// Decay per update, clamped.
    weight: f64,
    /// Weighted sum of the values averaged so far.
    num: f64,
    /// Sum of their weights; 0 until the first value is averaged.
    den: f64,
    /// Update number of the last value averaged (0 before the first).
    last: f64,
}

impl Average {
    /// An empty average of `weight` per update (clamped by [`clamp_weight`]).
    pub fn new(weight: f64) -> Average {
        Average {
            weight: clamp_weight(weight),
            num: 0.0,
            den: 0.0,
            last: 0.0,
        }
    }

    /// Averages in `y`, which ends at update `u` (unless either is non-finite), and returns
    /// the smoothed value there.
    pub fn push(&mut self, u: f64, y: f32) -> f32 {
        if !(u.is_finite() && y.is_finite()) {
            return y;
        }
        let first = self.den == 0.0;
        let k = (u - self.last).max(1.0);
        let d = if k == 1.0 {
            self.weight
        } else {
            self.weight.powf(k)
        };
        self.num = d * self.num + (1.0 - d) * f64::from(y);
        self.den = d * self.den + (1.0 - d);
        self.last = u;
        // num / den is y up to rounding for the first value; return it exactly.
        if first || self.den == 0.0 {
            y
        } else {
            (self.num / self.den) as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A noisy-looking but deterministic series, one value per update from update 1.
    fn wiggle(n: usize) -> (Vec<f64>, Vec<f32>) {
        let us = (1..=n).map(|i| i as f64).collect();
        let ys = (0..n).map(|i| ((i * 37 % 11) as f32) * 0.3 - 1.0).collect();
        (us, ys)
    }

    /// A deterministic noise in [-1, 1] (a hash of `i`).
    fn noise(i: usize) -> f32 {
        let h = (i as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(17);
        (h % 2001) as f32 / 1000.0 - 1.0
    }

    #[test]
    fn weight_zero_returns_the_input() {
        let (us, ys) = wiggle(200);
        assert_eq!(smooth(&us, &ys, 0.0), ys);
        assert_eq!(smooth(&us, &ys, -3.0), ys, "negative weight clamps to 0");
        assert_eq!(smooth(&us, &ys, f64::NAN), ys);
        let dup = [1.0, 1.0, 1.0, 2.0];
        assert_eq!(smooth(&dup, &ys[..4], 0.0), &ys[..4]);
    }

    #[test]
    fn first_output_is_the_first_input_exactly() {
        let ys = [0.7f32, 0.1, 0.2];
        for w in [0.5, 0.9, 0.99] {
            for first in [1.0, 40.0] {
                assert_eq!(smooth(&[first, first + 1.0], &ys[..2], w)[0], 0.7);
            }
        }
        // One value per update is TensorBoard's EMA: d = 0.5, so
        // num = 0.5 × 0.5 × 0.7 + 0.5 × 0.1, den = 0.5 × 0.5 + 0.5.
        let out = smooth(&[1.0, 2.0], &ys[..2], 0.5);
        assert!((out[1] - (0.175 + 0.05) / 0.75).abs() < 1e-6, "{out:?}");
    }

    #[test]
    fn constant_input_stays_constant() {
        let us: Vec<f64> = (1..=500).map(|i| (i * 3) as f64).collect();
        let ys = vec![0.3f32; 500];
        for w in [0.5, 0.9, 0.99] {
            assert_eq!(smooth(&us, &ys, w), ys);
        }
    }

    #[test]
    fn step_moves_monotonically_to_the_new_level() {
        let (us, _) = wiggle(100);
        let ys: Vec<f32> = (0..100).map(|i| if i < 50 { 0.0 } else { 1.0 }).collect();
        let out = smooth(&us, &ys, 0.9);
        assert!(out[..50].iter().all(|&v| v == 0.0));
        assert!(out[50..].windows(2).all(|w| w[0] < w[1]), "{out:?}");
        assert!(
            out[50] > 0.05 && out[50] < 0.15,
            "one step of 0.9: {}",
            out[50]
        );
        assert!(out[99] > 0.99 && out[99] <= 1.0);
    }

    #[test]
    fn a_value_standing_for_k_updates_decays_by_weight_to_the_k() {
        // The mean of 3 updates after one: d = 0.8³.
        let out = smooth(&[1.0, 4.0], &[1.0, 0.0], 0.8);
        let d = 0.8f64.powi(3);
        let want = d * 0.2 / (d * 0.2 + 1.0 - d);
        assert!((f64::from(out[1]) - want).abs() < 1e-6, "{out:?}");
        // Repeated and backward update numbers count as one update each.
        let same = smooth(&[2.0, 2.0], &[1.0, 0.0], 0.8);
        let back = smooth(&[2.0, 1.0], &[1.0, 0.0], 0.8);
        let one = smooth(&[2.0, 3.0], &[1.0, 0.0], 0.8);
        assert_eq!(same, one);
        assert_eq!(back, one);
    }

    #[test]
    fn thinned_and_full_histories_agree_at_the_same_update() {
        // A run recorded every update, and the same run thinned to means of 25 updates (as
        // the charts' pixel buckets and the history's merged rows hold them), smoothed at
        // the same weight, give the same values at each bucket's last update.
        let n = 10_000;
        let us: Vec<f64> = (1..=n).map(|u| u as f64).collect();
        // Piecewise constant over the buckets: the agreement is exact.
        let steps: Vec<f32> = (0..n).map(|i| ((i / 25) % 7) as f32).collect();
        // Noisy within buckets (checked below).
        let noisy: Vec<f32> = (0..n)
            .map(|i| 2.0 * (-(i as f32) / 3000.0).exp() + 0.3 * noise(i))
            .collect();
        let thin = |ys: &[f32]| -> (Vec<f64>, Vec<f32>) {
            let u = us.chunks(25).map(|c| c[24]).collect();
            let y = ys
                .chunks(25)
                .map(|c| c.iter().sum::<f32>() / 25.0)
                .collect();
            (u, y)
        };
        for w in [0.6, 0.9, 0.99] {
            let full = smooth(&us, &steps, w);
            let (tu, ty) = thin(&steps);
            let thinned = smooth(&tu, &ty, w);
            for (k, v) in thinned.iter().enumerate() {
                let at = full[k * 25 + 24];
                assert!((v - at).abs() < 1e-4, "{w}: bucket {k}: {v} vs {at}");
            }
        }
        // Noisy within buckets: the bucket's mean stands for its updates, so the two agree
        // up to the noise the average has not yet averaged out (small at 0.99, ~100 updates).
        let full = smooth(&us, &noisy, 0.99);
        let (tu, ty) = thin(&noisy);
        let thinned = smooth(&tu, &ty, 0.99);
        let worst = (1..thinned.len())
            .map(|k| (thinned[k] - full[k * 25 + 24]).abs())
            .fold(0.0, f32::max);
        assert!(worst < 0.05, "{worst}");
    }

    /// Mean |Δ| between neighbouring smoothed values: how rough a drawn line is.
    fn roughness(v: &[f32]) -> f32 {
        v.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f32>() / (v.len() - 1) as f32
    }

    #[test]
    fn two_batch_sizes_smooth_over_the_same_number_of_updates() {
        // B = 8 and B = 256 over the same 10 epochs of 8,000 samples: 10,000 and 320 updates,
        // per-batch noise ∝ 1/√B. On the epoch axis thinned to 500 pixel columns, B = 8's
        // buckets hold 20 updates each, B = 256's one. Smoothed by updates, each run's average
        // reaches over the same number of its own updates: a step reaches half-way after
        // the same count, and B = 8 stays the rougher line.
        let run = |batch: usize| -> (Vec<f64>, Vec<f32>) {
            let updates = 10 * 8000 / batch;
            let per = (updates / 500).max(1);
            let ys: Vec<f32> = (0..updates)
                .map(|i| 0.5 + noise(i * batch) / (batch as f32).sqrt())
                .collect();
            let u = (1..=updates)
                .collect::<Vec<_>>()
                .chunks(per)
                .map(|c| *c.last().unwrap() as f64)
                .collect();
            let y = ys
                .chunks(per)
                .map(|c| c.iter().sum::<f32>() / c.len() as f32)
                .collect();
            (u, y)
        };
        let (u8_, y8) = run(8);
        let (u256, y256) = run(256);
        for w in [0.6, 0.9] {
            let (r8, r256) = (
                roughness(&smooth(&u8_, &y8, w)),
                roughness(&smooth(&u256, &y256, w)),
            );
            assert!(r8 > 1.5 * r256, "{w}: B = 8 {r8} vs B = 256 {r256}");
        }
        // A step smoothed at 0.9: half-way after ln 0.5 / ln 0.9 ≈ 6.6 updates for both.
        for per in [1usize, 20] {
            let us: Vec<f64> = (1..=200).map(|k| (k * per) as f64).collect();
            let ys: Vec<f32> = (0..200).map(|k| f32::from(k * per >= 100 * per)).collect();
            let out = smooth(&us, &ys, 0.9);
            let half = us[(0..200).find(|&k| out[k] >= 0.5).unwrap()] - 100.0 * per as f64;
            assert!(
                half <= (7 * per) as f64 && half >= 1.0,
                "{per} updates per value: half-way {half} updates after the step"
            );
        }
    }

    #[test]
    fn non_finite_values_pass_through_without_poisoning() {
        let (us, mut ys) = wiggle(50);
        let clean = |skip: &[usize]| -> Vec<f32> {
            let keep = |i: &usize| !skip.contains(i);
            let us: Vec<f64> = (0..50).filter(keep).map(|i| us[i]).collect();
            let ys: Vec<f32> = (0..50).filter(keep).map(|i| ys[i]).collect();
            smooth(&us, &ys, 0.9)
        };
        let expected = clean(&[10, 20]);
        ys[10] = f32::NAN;
        ys[20] = f32::INFINITY;
        let out = smooth(&us, &ys, 0.9);
        assert!(out[10].is_nan());
        assert_eq!(out[20], f32::INFINITY);
        let rest: Vec<f32> = (0..50)
            .filter(|i| ![10, 20].contains(i))
            .map(|i| out[i])
            .collect();
        assert_eq!(rest, expected);
        assert!(rest.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn non_finite_update_passes_through() {
        let us = [1.0, f64::NEG_INFINITY, 2.0, f64::NAN];
        let out = smooth(&us, &[0.0, 5.0, 1.0, 7.0], 0.5);
        assert_eq!(out[1], 5.0);
        assert_eq!(out[3], 7.0);
        assert_eq!(out[2], smooth(&[1.0, 2.0], &[0.0, 1.0], 0.5)[1]);
    }

    #[test]
    fn values_past_the_updates_pass_through() {
        assert_eq!(
            smooth(&[1.0, 2.0], &[1.0, 1.0, 4.0], 0.5),
            vec![1.0, 1.0, 4.0]
        );
        assert!(smooth(&[], &[], 0.5).is_empty());
    }

    #[test]
    fn weight_bounds() {
        assert_eq!(clamp_weight(0.5), 0.5);
        assert_eq!(clamp_weight(1.0), MAX_WEIGHT);
        assert_eq!(clamp_weight(f64::INFINITY), MAX_WEIGHT);
        assert_eq!(clamp_weight(-0.1), 0.0);
        assert_eq!(clamp_weight(f64::NAN), 0.0);
        // Weight 1 would freeze the average: it is clamped, so the curve still follows.
        let out = smooth(&[1.0, 1001.0], &[0.0, 1.0], 1.0);
        assert!(out[1] > 0.99, "{out:?}");
    }
}
