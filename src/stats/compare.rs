//! Is the difference between two groups of seeded runs more than seed-to-seed noise? A
//! t-test on the groups' final values, with a 95 % confidence interval for the difference
//! of means and a two-sided p-value.
//!
//! - **Paired** ([`paired`]): when both groups ran the same seeds (same initial weights and
//!   batch order), seed k of A and seed k of B share everything but the setting compared,
//!   so the per-seed differences are tested (n − 1 degrees of freedom). Pairing removes the
//!   seed's own effect, which with few seeds is most of the noise.
//! - **Welch** ([`welch`]): independent groups, variances not assumed equal, with the
//!   Welch–Satterthwaite degrees of freedom.
//!
//! With one seed (or one pair) there is no spread to compare against: the result says so
//! ([`Comparison::inference`] is `None`) instead of inventing an interval.

use super::describe::{mean, sd};
use super::student_t;

/// The confidence level of every interval here.
pub const LEVEL: f64 = 0.95;

/// Which test produced a [`Comparison`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    Paired,
    Welch,
}

/// What the data say beyond the point difference (absent when one seed cannot tell).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inference {
    /// The 95 % confidence interval of the difference, `low ≤ high`.
    pub low: f64,
    pub high: f64,
    /// Two-sided p-value of "no difference".
    pub p: f64,
    /// Degrees of freedom (fractional for Welch).
    pub df: f64,
    /// The t statistic, difference / standard error.
    pub t: f64,
}

/// A comparison of group A with group B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    pub test: Test,
    /// Mean of A minus mean of B (for paired data, also the mean per-seed difference).
    pub difference: f64,
    /// `None` when there are too few seeds to estimate the noise: "cannot tell".
    pub inference: Option<Inference>,
}

/// The paired t-test on `(a, b)` values of the same seeds. `None` for no pairs or any
/// non-finite value.
pub fn paired(pairs: &[(f64, f64)]) -> Option<Comparison> {
    let diffs: Vec<f64> = pairs.iter().map(|&(a, b)| a - b).collect();
    if !diffs.iter().all(|d| d.is_finite()) {
        return None;
    }
    let difference = mean(&diffs)?;
    let n = diffs.len() as f64;
    let inference = sd(&diffs).map(|s| infer(difference, s / n.sqrt(), n - 1.0));
    Some(Comparison {
        test: Test::Paired,
        difference,
        inference,
    })
}

/// Welch's t-test of independent groups `a` and `b`. `None` when either group is empty or
/// holds a non-finite value; no inference unless both have two values or more (a single
/// run says nothing about its group's spread).
pub fn welch(a: &[f64], b: &[f64]) -> Option<Comparison> {
    if !a.iter().chain(b).all(|v| v.is_finite()) {
        return None;
    }
    let difference = mean(a)? - mean(b)?;
    let inference = sd(a).zip(sd(b)).map(|(sa, sb)| {
        let (va, vb) = (sa * sa / a.len() as f64, sb * sb / b.len() as f64);
        let se = (va + vb).sqrt();
        // Welch–Satterthwaite; both spreads zero leaves 0/0, where the pooled count stands.
        let df = if va + vb > 0.0 {
            (va + vb).powi(2) / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64)
        } else {
            (a.len() + b.len() - 2) as f64
        };
        infer(difference, se, df)
    });
    Some(Comparison {
        test: Test::Welch,
        difference,
        inference,
    })
}

/// Interval, p and t for a difference with standard error `se` on `df` degrees of freedom.
/// A zero standard error (every seed gave exactly the same difference) leaves nothing to
/// doubt: the interval is the point, p is 0, or 1 when the difference itself is 0.
fn infer(difference: f64, se: f64, df: f64) -> Inference {
    if se == 0.0 {
        let none = difference == 0.0;
        return Inference {
            low: difference,
            high: difference,
            p: if none { 1.0 } else { 0.0 },
            df,
            t: if none {
                0.0
            } else {
                difference.signum() * f64::INFINITY
            },
        };
    }
    let half = student_t::quantile(0.5 + LEVEL / 2.0, df) * se;
    let t = difference / se;
    Inference {
        low: difference - half,
        high: difference + half,
        p: student_t::two_sided_p(t, df),
        df,
        t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{what}: {got} vs {want}"
        );
    }

    fn check(c: &Comparison, want: [f64; 6], what: &str) {
        let i = c.inference.expect("enough seeds");
        let [t, p, df, low, high, diff] = want;
        assert_close(c.difference, diff, what);
        assert_close(i.t, t, what);
        assert_close(i.p, p, what);
        assert_close(i.df, df, what);
        assert_close(i.low, low, what);
        assert_close(i.high, high, what);
    }

    /// SciPy 1.17.1: `r = scipy.stats.ttest_rel(a, b)`; `r.statistic, r.pvalue, r.df`,
    /// `r.confidence_interval(0.95)`, and `(a - b).mean()`.
    #[test]
    fn paired_matches_scipy_ttest_rel() {
        let a = [95.3, 94.8, 95.9, 95.1, 94.6];
        let b = [92.3, 92.9, 93.1, 91.8, 92.6];
        let pairs: Vec<_> = a.into_iter().zip(b).collect();
        let c = paired(&pairs).unwrap();
        assert_eq!(c.test, Test::Paired);
        check(
            &c,
            [
                9.369749612033777,
                0.0007227025281100272,
                4.0,
                1.8295677502157526,
                3.3704322497842476,
                2.6,
            ],
            "5 seeds",
        );
        let a = [0.912, 0.915, 0.909];
        let b = [0.910, 0.916, 0.905];
        let pairs: Vec<_> = a.into_iter().zip(b).collect();
        check(
            &paired(&pairs).unwrap(),
            [
                1.1470786693528088,
                0.37005921165128797,
                2.0,
                -0.0045849428127091125,
                0.007918276146042449,
                0.001666666666666668,
            ],
            "3 seeds, within noise",
        );
    }

    /// SciPy 1.17.1: `r = scipy.stats.ttest_ind(a, b, equal_var=False)`; `r.statistic,
    /// r.pvalue, r.df`, `r.confidence_interval(0.95)`, and `a.mean() - b.mean()`.
    #[test]
    fn welch_matches_scipy_ttest_ind() {
        let c = welch(&[95.3, 94.8, 95.9, 95.1, 94.6], &[92.3, 93.9, 91.1]).unwrap();
        assert_eq!(c.test, Test::Welch);
        check(
            &c,
            [
                3.2158983302427995,
                0.06975168606542606,
                2.3126950664381423,
                -0.4836520514892042,
                5.896985384822588,
                2.706666666666692,
            ],
            "5 against 3",
        );
        check(
            &welch(&[1.0, 2.0, 3.0, 4.0], &[2.5, 2.0, 3.5, 4.5, 5.0, 3.0, 2.0]).unwrap(),
            [
                -0.9090909090909093,
                0.3989073472190391,
                5.901249496170899,
                -2.6446848882652425,
                1.216113459693814,
                -0.7142857142857144,
            ],
            "4 against 7",
        );
    }

    #[test]
    fn one_seed_cannot_tell() {
        let c = paired(&[(95.3, 92.3)]).unwrap();
        assert_eq!((c.difference, c.inference), (95.3 - 92.3, None));
        let c = welch(&[95.3], &[92.3, 93.0, 92.1]).unwrap();
        assert!((c.difference - (95.3 - 92.466_666_666_666_67)).abs() < 1e-9);
        assert_eq!(c.inference, None, "one run says nothing about A's spread");
        assert_eq!(paired(&[]), None);
        assert_eq!(welch(&[], &[1.0, 2.0]), None);
        assert_eq!(paired(&[(1.0, f64::NAN), (2.0, 1.0)]), None);
        assert_eq!(welch(&[1.0, f64::INFINITY], &[1.0, 2.0]), None);
    }

    #[test]
    fn identical_differences_leave_no_doubt() {
        let same = paired(&[(2.0, 1.0), (3.0, 2.0), (5.0, 4.0)]).unwrap();
        let i = same.inference.unwrap();
        assert_eq!((i.low, i.high, i.p, i.df), (1.0, 1.0, 0.0, 2.0));
        let none = paired(&[(2.0, 2.0), (3.0, 3.0)])
            .unwrap()
            .inference
            .unwrap();
        assert_eq!((none.low, none.high, none.p, none.t), (0.0, 0.0, 1.0, 0.0));
        let flat = welch(&[1.0, 1.0], &[1.0, 1.0, 1.0])
            .unwrap()
            .inference
            .unwrap();
        assert_eq!((flat.p, flat.df), (1.0, 3.0));
    }
}
