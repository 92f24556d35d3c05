//! Summaries of a few numbers (a group's seeds, a sweep row's runs): the one home of the
//! mean, sample standard deviation, quantiles, median and range, so every panel that
//! reports "mean ± sd" or "median (min–max)" computes them alike.
//!
//! Values may be infinite (a run that never reached a target counts as `+∞` steps, which
//! the median and the range handle as the larger-than-everything it is); NaN is the
//! caller's to filter out.

/// Arithmetic mean; `None` for no values.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (divides by n − 1: the seeds are a sample of all seeds one
/// could have drawn); `None` for fewer than two values, where spread is unknown.
pub fn sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// `xs` sorted ascending (total order, so infinities sort to the ends and nothing panics).
pub fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The `q` quantile (0 ≤ q ≤ 1) of ascending `sorted` values, interpolated linearly between
/// the two nearest ranks (NumPy's default, "linear"), so a percentile interval matches what
/// a reader computes with `numpy.percentile`. `None` for no values or `q` outside `[0, 1]`.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let h = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let (a, b) = (sorted[lo], sorted[hi]);
    // Equal neighbours (infinite ones included) need no interpolation, which would give NaN.
    Some(if lo == hi || a == b {
        a
    } else {
        a + (h - lo as f64) * (b - a)
    })
}

/// Median (the mean of the middle two for an even count); `None` for no values.
pub fn median(xs: &[f64]) -> Option<f64> {
    quantile_sorted(&sorted(xs), 0.5)
}

/// `(min, max)`; `None` for no values.
pub fn min_max(xs: &[f64]) -> Option<(f64, f64)> {
    let first = *xs.first()?;
    Some(
        xs.iter()
            .fold((first, first), |(lo, hi), &x| (lo.min(x), hi.max(x))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_of_known_numbers() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), Some(5.0));
        // Σ(x − 5)² = 32, / 7.
        assert!((sd(&xs).unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
        assert_eq!(median(&xs), Some(4.5));
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(min_max(&xs), Some((2.0, 9.0)));
        assert_eq!(
            (mean(&[]), sd(&[1.0]), median(&[]), min_max(&[])),
            (None, None, None, None)
        );
        assert_eq!(sd(&[3.0, 3.0]), Some(0.0));
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) = [1.1, 3.0, 9.4]
        let s = sorted(&[4.0, 1.0, 10.0, 3.0, 2.0]);
        assert!((quantile_sorted(&s, 0.025).unwrap() - 1.1).abs() < 1e-12);
        assert_eq!(quantile_sorted(&s, 0.5), Some(3.0));
        assert!((quantile_sorted(&s, 0.975).unwrap() - 9.4).abs() < 1e-12);
        assert_eq!(quantile_sorted(&s, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&s, 1.0), Some(10.0));
        assert_eq!(quantile_sorted(&s, 1.5), None);
        assert_eq!(quantile_sorted(&s, f64::NAN), None);
    }

    #[test]
    fn infinite_values_are_larger_than_everything() {
        let inf = f64::INFINITY;
        assert_eq!(
            median(&[inf, 10.0, 20.0]),
            Some(20.0),
            "two of three reached"
        );
        assert_eq!(median(&[inf, 10.0, inf]), Some(inf), "most never reached");
        assert_eq!(median(&[inf, inf]), Some(inf));
        assert_eq!(min_max(&[inf, 3.0]), Some((3.0, inf)));
    }
}
