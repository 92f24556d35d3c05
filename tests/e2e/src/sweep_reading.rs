//! The sweep as the tests read it: its rows on the page and its runs in the export, and its
//! numbers read independently of the page from what it exports — where a run's exported
//! validation points cross a target, and a median, written here rather than called from
//! `batch_lab::sweep`, so a test compares two readings, not one twice.

use crate::Session;
use serde_json::Value;

/// Sweep runs are numbered from here (`FIRST_SWEEP_RUN` in src/ui/sweep/runs.rs).
pub const FIRST_SWEEP_RUN: u64 = 1 << 31;

/// Every `sweep-row`, in order ([`Session::datasets`]: its `data-*` and its `text`).
pub async fn sweep_rows(s: &Session) -> Vec<Value> {
    s.datasets("sweep-row").await
}

/// The sweep's runs in an export ([`Session::export_json`]), in its order.
pub fn sweep_runs(json: &Value) -> Vec<&Value> {
    json["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .filter(|r| r["run"].as_u64().unwrap_or(0) >= FIRST_SWEEP_RUN)
        .collect()
}

/// A JSON array of numbers as `f64`s (NaN for a `null`).
pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

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
