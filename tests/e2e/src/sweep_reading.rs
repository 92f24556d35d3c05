//! The sweep's numbers read independently of the page, from what it exports: where a run's
//! exported validation points cross a target, and a median, written here rather than
//! called from `batch_lab::sweep`, so a test compares two readings, not one twice.

/// Where the validation points `(update, accuracy)` (in order) first reach `target`:
/// log-linear in updates between the last point below and the first at or over it, at the
/// fraction of the way in accuracy; the first point itself when it already reaches it;
/// `None` if none does.
pub fn crossing(updates: &[f64], accuracy: &[f64], target: f64) -> Option<f64> {
    let i = accuracy.iter().position(|&a| a >= target)?;
    if i == 0 {
        return Some(updates[0]);
    }
    let (u0, u1, a0, a1) = (updates[i - 1], updates[i], accuracy[i - 1], accuracy[i]);
    let f = (target - a0) / (a1 - a0);
    Some((u0.ln() + f * (u1.ln() - u0.ln())).exp())
}

/// The median, `f64::INFINITY` standing for "never"; the mean of the middle two for an
/// even count.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    assert!(n > 0, "no values");
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_and_median() {
        // 0.6 at u 1, 0.8 at u 4: 0.7 half-way in log, u = 2.
        assert!((crossing(&[1.0, 4.0], &[0.6, 0.8], 0.7).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(crossing(&[1.0, 4.0], &[0.6, 0.8], 0.5), Some(1.0));
        assert_eq!(crossing(&[1.0, 4.0], &[0.6, 0.8], 0.9), None);
        assert_eq!(median(&[3.0, 1.0, f64::INFINITY]), 3.0);
        assert_eq!(median(&[1.0, 2.0]), 1.5);
        assert_eq!(median(&[1.0, f64::INFINITY, f64::INFINITY]), f64::INFINITY);
    }
}
