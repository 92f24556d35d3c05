//! Smoothing of noisy per-update curves, as TensorBoard and W&B do it, but fair across
//! point densities: the decay depends on how far apart points are on the x axis, not on how
//! many there are, so a run recorded every update and one thinned to merged pairs (or a
//! short run next to a long one) look equally smooth at the same setting.

/// Points per chart width at which one point decays the average by exactly the weight:
/// [`reference_spacing`] divides a chart's x span by this.
pub const REFERENCE_POINTS: f64 = 1000.0;

/// The largest smoothing weight the control offers and [`clamp_weight`] allows: at 1 the
/// average would never move.
pub const MAX_WEIGHT: f64 = 0.99;

/// The least x spacing a point is taken to cover, as a share of the reference spacing.
/// Points at the same x (duplicates, out-of-order x, a coarse clock) would otherwise have
/// no weight at all and vanish from the average; with this floor each still counts a
/// little (about 0.1 % of a reference-spaced point), so a burst of them moves the curve.
pub const MIN_COVER: f64 = 1e-3;

/// Exponential moving average with bias correction, weighted by x spacing.
///
/// `xs` are positions in a common unit for every run on a chart (pass scale units, e.g.
/// `Scale::to_unit`, so log axes smooth in screen space), `ys` the raw values, `weight` in
/// [0, 1) (0 = raw: output equals input; clamped by [`clamp_weight`]), `reference` the x
/// spacing at which one point decays the average by exactly `weight`.
///
/// Point i covers the spacing Δ = x_i − x_{i−1} (at least `reference` × [`MIN_COVER`]) and
/// decays the average by d = weight^(Δ / reference); the first point uses d = weight. Then
/// num = d·num + (1−d)·y, den = d·den + (1−d) and the output is num / den, which starts
/// exactly at the first value (no pull toward zero or toward the first point). A point with
/// non-finite x or y is output as its raw y and left out of the average; the next point's
/// Δ then reaches back to the last averaged one. A `reference` that is not positive and
/// finite gives a plain per-point EMA (d = weight for every point).
pub fn smooth(xs: &[f64], ys: &[f32], weight: f64, reference: f64) -> Vec<f32> {
    let mut out = Vec::with_capacity(ys.len());
    smooth_into(xs.iter().copied(), ys, weight, reference, &mut out);
    out
}

/// Same as [`smooth`], into a caller's buffer (cleared first) so redraws need not allocate.
/// `out` always gets one value per y; ys past the end of `xs` pass through raw.
pub fn smooth_into(
    xs: impl IntoIterator<Item = f64>,
    ys: &[f32],
    weight: f64,
    reference: f64,
    out: &mut Vec<f32>,
) {
    out.clear();
    out.reserve(ys.len());
    let mut average = Average::new(weight, reference);
    let mut xs = xs.into_iter();
    for &y in ys {
        let x = xs.next().unwrap_or(f64::NAN);
        out.push(average.push(x, y));
    }
}

/// Reference spacing for a chart whose x span (in the units passed as xs) is `span`:
/// span / [`REFERENCE_POINTS`], so the same weight smooths every run on a chart equally.
/// A span that is not positive and finite counts as 1 (one scale unit).
pub fn reference_spacing(span: f64) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    span / REFERENCE_POINTS
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

/// The running, bias-corrected average of [`smooth`].
struct Average {
    /// Decay per reference spacing, clamped.
    weight: f64,
    /// The reference spacing, or `None` for a per-point EMA.
    reference: Option<f64>,
    /// Weighted sum of the values averaged so far.
    num: f64,
    /// Sum of their weights; 0 until the first value is averaged.
    den: f64,
    /// x of the last value averaged.
    last_x: f64,
}

impl Average {
    /// An empty average; see [`smooth`] for the meaning of the arguments.
    fn new(weight: f64, reference: f64) -> Average {
        Average {
            weight: clamp_weight(weight),
            reference: (reference.is_finite() && reference > 0.0).then_some(reference),
            num: 0.0,
            den: 0.0,
            last_x: f64::NAN,
        }
    }

    /// Averages in `y` at `x` (unless either is non-finite) and returns the smoothed value
    /// there.
    fn push(&mut self, x: f64, y: f32) -> f32 {
        if !(x.is_finite() && y.is_finite()) {
            return y;
        }
        let first = self.den == 0.0;
        let d = self.decay(x, first);
        self.num = d * self.num + (1.0 - d) * f64::from(y);
        self.den = d * self.den + (1.0 - d);
        self.last_x = x;
        // num / den is y up to rounding for the first value; return it exactly.
        if first {
            y
        } else {
            (self.num / self.den) as f32
        }
    }

    /// How much the average keeps when a point at `x` arrives: weight^(Δ / reference).
    fn decay(&self, x: f64, first: bool) -> f64 {
        match self.reference {
            Some(reference) if !first => {
                let dx = (x - self.last_x).max(reference * MIN_COVER);
                self.weight.powf(dx / reference)
            }
            _ => self.weight,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A noisy-looking but deterministic series.
    fn wiggle(n: usize) -> (Vec<f64>, Vec<f32>) {
        let xs = (0..n).map(|i| i as f64).collect();
        let ys = (0..n).map(|i| ((i * 37 % 11) as f32) * 0.3 - 1.0).collect();
        (xs, ys)
    }

    #[test]
    fn weight_zero_returns_the_input() {
        let (xs, ys) = wiggle(200);
        assert_eq!(smooth(&xs, &ys, 0.0, 1.0), ys);
        assert_eq!(
            smooth(&xs, &ys, -3.0, 1.0),
            ys,
            "negative weight clamps to 0"
        );
        assert_eq!(smooth(&xs, &ys, f64::NAN, 1.0), ys);
        let dup = [0.0, 0.0, 0.0, 1.0];
        assert_eq!(smooth(&dup, &ys[..4], 0.0, 1.0), &ys[..4]);
    }

    #[test]
    fn first_output_is_the_first_input_exactly() {
        let ys = [0.7f32, 0.1, 0.2];
        for w in [0.5, 0.9, 0.99] {
            for reference in [1.0, 0.01, 0.0] {
                assert_eq!(smooth(&[0.0, 1.0, 2.0], &ys, w, reference)[0], 0.7);
            }
        }
        // The second output weighs both values by their spacing: d = 0.5, so
        // num = 0.5 × 0.5 × 0.7 + 0.5 × 0.1, den = 0.5 × 0.5 + 0.5.
        let out = smooth(&[0.0, 1.0], &ys[..2], 0.5, 1.0);
        assert!((out[1] - (0.175 + 0.05) / 0.75).abs() < 1e-6, "{out:?}");
    }

    #[test]
    fn constant_input_stays_constant() {
        let xs: Vec<f64> = (0..500).map(|i| (i as f64).sqrt()).collect();
        let ys = vec![0.3f32; 500];
        for w in [0.5, 0.9, 0.99] {
            assert_eq!(smooth(&xs, &ys, w, 0.01), ys);
        }
    }

    #[test]
    fn step_moves_monotonically_to_the_new_level() {
        let xs: Vec<f64> = (0..100).map(f64::from).collect();
        let ys: Vec<f32> = (0..100).map(|i| if i < 50 { 0.0 } else { 1.0 }).collect();
        let out = smooth(&xs, &ys, 0.9, 1.0);
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
    fn decay_depends_on_spacing_not_point_count() {
        // Two points 3 references apart decay like 0.8³; the per-point EMA ignores the gap.
        let out = smooth(&[0.0, 3.0], &[1.0, 0.0], 0.8, 1.0);
        let d = 0.8f64.powi(3);
        assert!((f64::from(out[1]) - d * 0.2 / (d * 0.2 + 1.0 - d)).abs() < 1e-6);
        let plain = smooth(&[0.0, 3.0], &[1.0, 0.0], 0.8, 0.0);
        assert!((plain[1] - 0.8 * 0.2 / (0.8 * 0.2 + 0.2)).abs() < 1e-6);
    }

    #[test]
    fn same_curve_at_any_density() {
        // y(x) = 1 before 0.5, 0 after, sampled at 101 and 10,001 points on [0, 1].
        let run = |n: usize, reference: f64| {
            let xs: Vec<f64> = (0..=n).map(|i| i as f64 / n as f64).collect();
            let ys: Vec<f32> = xs.iter().map(|&x| f32::from(x < 0.5)).collect();
            let i = (0.6 * n as f64).round() as usize;
            assert!((xs[i] - 0.6).abs() < 1e-12);
            smooth(&xs, &ys, MAX_WEIGHT, reference)[i]
        };
        let reference = reference_spacing(1.0);
        let (sparse, dense) = (run(100, reference), run(10_000, reference));
        assert!(
            sparse > 0.2 && dense > 0.2,
            "still decaying: {sparse} {dense}"
        );
        assert!((sparse - dense).abs() < 0.05, "{sparse} vs {dense}");
        // Per-point EMA (each run's own spacing as reference) is not fair at all.
        let (sparse, dense) = (run(100, 0.01), run(10_000, 1e-4));
        assert!(sparse > 0.5 && dense < 0.01, "{sparse} vs {dense}");
    }

    #[test]
    fn merged_rows_smooth_like_the_rows_they_merge() {
        // A history thinned to means of 100 rows (x = the last of each) against the full one.
        let n = 10_000;
        let xs: Vec<f64> = (1..=n).map(|i| i as f64 / n as f64).collect();
        let ys: Vec<f32> = (0..n)
            .map(|i| f32::from(i < n / 2) + ((i * 37 % 11) as f32 - 5.0) * 0.1)
            .collect();
        let merged_x: Vec<f64> = xs.chunks(100).map(|c| c[99]).collect();
        let merged_y: Vec<f32> = ys
            .chunks(100)
            .map(|c| c.iter().sum::<f32>() / 100.0)
            .collect();
        let reference = reference_spacing(1.0);
        let full = smooth(&xs, &ys, MAX_WEIGHT, reference);
        let thin = smooth(&merged_x, &merged_y, MAX_WEIGHT, reference);
        // Skip the first tenth (one e-folding length at this weight): each run's first
        // point counts as one reference spacing however many rows it stands for.
        let worst = (10..merged_x.len())
            .map(|k| (thin[k] - full[k * 100 + 99]).abs())
            .fold(0.0, f32::max);
        assert!(worst < 0.01, "{worst}");
    }

    #[test]
    fn non_finite_values_pass_through_without_poisoning() {
        let (xs, mut ys) = wiggle(50);
        let clean = |skip: &[usize]| -> Vec<f32> {
            let keep = |i: &usize| !skip.contains(i);
            let xs: Vec<f64> = (0..50).filter(keep).map(|i| xs[i]).collect();
            let ys: Vec<f32> = (0..50).filter(keep).map(|i| ys[i]).collect();
            smooth(&xs, &ys, 0.9, 1.0)
        };
        let expected = clean(&[10, 20]);
        ys[10] = f32::NAN;
        ys[20] = f32::INFINITY;
        let out = smooth(&xs, &ys, 0.9, 1.0);
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
    fn non_finite_x_passes_through() {
        let xs = [0.0, f64::NEG_INFINITY, 1.0, f64::NAN];
        let out = smooth(&xs, &[0.0, 5.0, 1.0, 7.0], 0.5, 1.0);
        assert_eq!(out[1], 5.0);
        assert_eq!(out[3], 7.0);
        assert_eq!(out[2], smooth(&[0.0, 1.0], &[0.0, 1.0], 0.5, 1.0)[1]);
    }

    #[test]
    fn duplicate_x_still_counts_a_little() {
        let mut xs = vec![0.0, 1.0];
        let mut ys = vec![0.0f32, 0.0];
        let before = smooth(&xs, &ys, 0.9, 1.0)[1];
        xs.extend([1.0; 10]);
        ys.extend([1.0; 10]);
        let out = smooth(&xs, &ys, 0.9, 1.0);
        assert_eq!(before, 0.0);
        assert!(out[2..].windows(2).all(|w| w[0] < w[1]), "{out:?}");
        // Each duplicate weighs 1 − 0.9^0.001 ≈ 1e-4 against den ≈ 0.19.
        assert!(out[11] > 1e-3 && out[11] < 1e-2, "{}", out[11]);
    }

    #[test]
    fn into_reuses_and_resizes_the_buffer() {
        let mut out = vec![9.0f32; 7];
        smooth_into([0.0, 1.0], &[1.0, 1.0, 4.0], 0.5, 1.0, &mut out);
        assert_eq!(out, vec![1.0, 1.0, 4.0], "ys past the xs pass through");
        smooth_into(Vec::new(), &[], 0.5, 1.0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn weight_and_reference_bounds() {
        assert_eq!(clamp_weight(0.5), 0.5);
        assert_eq!(clamp_weight(1.0), MAX_WEIGHT);
        assert_eq!(clamp_weight(f64::INFINITY), MAX_WEIGHT);
        assert_eq!(clamp_weight(-0.1), 0.0);
        assert_eq!(clamp_weight(f64::NAN), 0.0);
        assert_eq!(reference_spacing(1.0), 0.001);
        assert_eq!(reference_spacing(5000.0), 5.0);
        assert_eq!(reference_spacing(0.0), 0.001);
        assert_eq!(reference_spacing(f64::NAN), 0.001);
        // Weight 1 would freeze the average: it is clamped, so the curve still follows.
        let out = smooth(&[0.0, 1000.0], &[0.0, 1.0], 1.0, 1.0);
        assert!(out[1] > 0.99, "{out:?}");
    }
}
