//! Student's t distribution: its CDF and quantile, through the regularised incomplete beta
//! function `I_x(a, b)` (a continued fraction evaluated with the modified Lentz method, as in
//! Press et al., *Numerical Recipes*, 3rd ed., §6.4) and `ln Γ` (Lanczos, g = 7, 9 terms).
//! Degrees of freedom need not be whole: Welch's test gives fractional ones.
//!
//! Accuracy: within 1e-10 of SciPy on the values the tests check (they require 1e-6).

/// `ln Γ(x)` for `x > 0`: Lanczos' series (g = 7, n = 9), relative error near 1e-15;
/// below 1/2 through the reflection `Γ(x) Γ(1 − x) = π / sin(πx)`.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let series = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |s, (i, c)| s + c / (x + (i + 1) as f64));
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// The regularised incomplete beta function `I_x(a, b)` for `a, b > 0` and `0 ≤ x ≤ 1`
/// (clamped outside). The continued fraction converges fast for `x < (a + 1)/(a + b + 2)`;
/// on the other side it is evaluated for `1 − I_{1−x}(b, a)`, the same value.
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    // x^a (1 − x)^b / B(a, b), in logarithms against overflow.
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * continued_fraction(a, b, x) / a
    } else {
        1.0 - front * continued_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of `I_x(a, b)` (Numerical Recipes' `betacf`), modified Lentz.
/// Stops when a step changes the value by less than 1e-15 relative, or after 10,000
/// iterations (convergence takes about √max(a, b) of them; ten thousand covers 10⁸
/// degrees of freedom).
fn continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const EPS: f64 = 1e-15;
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        // Even step.
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        h *= d * c;
        // Odd step.
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + aa * d);
        c = guard(1.0 + aa / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// `P(T > t)` for `t ≥ 0` and `df` degrees of freedom. With `x = df/(df + t²)`,
/// `P(T > t) = I_x(df/2, 1/2) / 2`; for `t² < df` it is computed as
/// `(1 − I_{1−x}(1/2, df/2)) / 2` with `1 − x = t²/(df + t²)` formed directly, so neither
/// argument loses digits to a subtraction.
fn upper_tail(t: f64, df: f64) -> f64 {
    let t2 = t * t;
    if t2 < df {
        0.5 - 0.5 * incomplete_beta(0.5, 0.5 * df, t2 / (df + t2))
    } else {
        0.5 * incomplete_beta(0.5 * df, 0.5, df / (df + t2))
    }
}

/// `P(T ≤ t)` for Student's t with `df > 0` degrees of freedom; NaN for `df ≤ 0` or NaN input.
pub fn cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t >= 0.0 {
        1.0 - upper_tail(t, df)
    } else {
        upper_tail(-t, df)
    }
}

/// Two-sided p-value of a t statistic: `P(|T| ≥ |t|)`, from the tail directly (no `1 − cdf`
/// cancellation for large |t|).
pub fn two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    (2.0 * upper_tail(t.abs(), df)).min(1.0)
}

/// The `p` quantile of Student's t with `df > 0` degrees of freedom: the `t` with
/// `cdf(t, df) = p` (`−∞` at 0, `+∞` at 1, NaN outside `[0, 1]` or for `df ≤ 0`). By
/// symmetry it solves `P(T > t) = min(p, 1 − p)` for `t ≥ 0`: doubling to bracket, then
/// bisection to the last bit. The tail is monotone, so bisection cannot fail, and a
/// hundred-odd CDF evaluations per quantile cost nothing beside a training run.
pub fn quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    let tail = p.min(1.0 - p);
    let sign = if p < 0.5 { -1.0 } else { 1.0 };
    if tail == 0.0 {
        return sign * f64::INFINITY;
    }
    if tail == 0.5 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while upper_tail(hi, df) > tail {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return sign * f64::INFINITY;
        }
    }
    // Until lo and hi are neighbouring floats (their midpoint equals one of them).
    loop {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if upper_tail(mid, df) > tail {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    sign * 0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
        assert!(
            (got - want).abs() <= tol,
            "{what}: {got} vs {want} (off by {:e})",
            (got - want).abs()
        );
    }

    /// Reference values from SciPy 1.17.1 (NumPy 2.4.6): `scipy.stats.t.cdf(t, df)`.
    #[test]
    fn cdf_matches_scipy() {
        let cases = [
            (2.0, 3.0, 0.9303370157205785),
            (-1.5, 1.0, 0.18716704181099886),
            (0.0, 5.0, 0.5),
            (0.5, 2.5, 0.6711510400651426),
            (3.7, 10.0, 0.9979457515899799),
            (-2.2, 4.3, 0.04395972161105888),
            (10.0, 30.0, 0.9999999999771237),
            (1.96, 1000.0, 0.9748634075221256),
            (-4.0, 2.0, 0.028595479208968315),
            (0.1, 0.7, 0.5293453084240403),
            (-30.0, 3.0, 4.067640213581979e-05),
        ];
        for (t, df, want) in cases {
            assert_close(cdf(t, df), want, 1e-6, &format!("t.cdf({t}, {df})"));
            // Far tighter in fact; the issue asks for 1e-6.
            assert_close(cdf(t, df), want, 1e-10, &format!("t.cdf({t}, {df}) tight"));
        }
    }

    /// Reference values from SciPy 1.17.1: `scipy.stats.t.ppf(p, df)`.
    #[test]
    fn quantile_matches_scipy() {
        let cases = [
            (0.975, 1.0, 12.706204736174694),
            (0.975, 2.0, 4.302652729749462),
            (0.975, 3.0, 3.1824463052837078),
            (0.975, 4.0, 2.7764451051977934),
            (0.975, 9.0, 2.262157162798205),
            (0.975, 30.0, 2.0422724563012378),
            (0.975, 4.3, 2.70169489828223),
            (0.5, 7.0, 0.0),
            (0.025, 3.0, -3.1824463052837086),
            (0.999, 2.0, 22.327124770119866),
            (0.6, 1.5, 0.30074539256979543),
            (0.9999, 1.0, 3183.098757118502),
            (0.001, 50.0, -3.2614090557983184),
        ];
        for (p, df, want) in cases {
            let want: f64 = want;
            // Relative for the large quantiles of 1 and 2 degrees of freedom.
            let tol = 1e-6 * want.abs().max(1.0);
            assert_close(quantile(p, df), want, tol, &format!("t.ppf({p}, {df})"));
        }
    }

    #[test]
    fn quantile_inverts_cdf_and_edges_are_defined() {
        for df in [0.5, 1.0, 2.7, 8.0, 120.0] {
            for p in [1e-9, 0.01, 0.3, 0.5, 0.77, 0.999_999] {
                assert_close(
                    cdf(quantile(p, df), df),
                    p,
                    1e-12,
                    &format!("p {p} df {df}"),
                );
            }
        }
        assert_eq!(quantile(0.0, 3.0), f64::NEG_INFINITY);
        assert_eq!(quantile(1.0, 3.0), f64::INFINITY);
        assert!(quantile(1.2, 3.0).is_nan() && quantile(0.5, 0.0).is_nan());
        assert!(cdf(1.0, -1.0).is_nan() && cdf(f64::NAN, 3.0).is_nan());
        assert_eq!(cdf(f64::INFINITY, 3.0), 1.0);
        assert_eq!(cdf(f64::NEG_INFINITY, 3.0), 0.0);
        assert_eq!(two_sided_p(0.0, 4.0), 1.0);
        assert_close(
            two_sided_p(-2.0, 3.0),
            2.0 * (1.0 - 0.9303370157205785),
            1e-12,
            "p",
        );
    }

    #[test]
    fn ln_gamma_known_values() {
        assert_close(ln_gamma(1.0), 0.0, 1e-14, "Γ(1)");
        assert_close(ln_gamma(5.0), 24f64.ln(), 1e-13, "Γ(5)");
        assert_close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-14,
            "Γ(1/2)",
        );
        assert_close(ln_gamma(0.1), 2.252_712_651_734_206, 1e-13, "Γ(0.1)");
    }
}
