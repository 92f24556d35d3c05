//! The learning-rate chart's pure part: the schedule planned for an experiment, as points
//! on the charts' x axis (the dashed preview drawn before and under a run), and the rate a
//! kept run recorded at a given update (what the chart's readouts report).

use crate::experiment::Experiment;
use crate::history::RunHistory;
use crate::plot::view::XAxis;

/// The rate `e`'s run will use, at up to about `points` updates spread evenly from the first
/// to the last, always including the first, the last warm-up update, the first after it,
/// and the last: `(x on axis, rate)` in increasing x. Empty on the seconds axis (a run's
/// time is not known before it runs).
pub fn planned(e: &Experiment, axis: XAxis, points: usize) -> Vec<(f64, f32)> {
    if axis == XAxis::Seconds {
        return Vec::new();
    }
    let n = e.train_size;
    let shape = e.config.run_shape(n);
    let total = shape.total_updates.max(1);
    let warmup = e.config.schedule.warmup_updates(shape);
    let points = points.clamp(2, total.max(2));
    let mut updates: Vec<usize> = (0..points)
        .map(|i| 1 + ((total - 1) as f64 * i as f64 / (points - 1) as f64).round() as usize)
        .chain([1, warmup, warmup + 1, total])
        .filter(|u| (1..=total).contains(u))
        .collect();
    updates.sort_unstable();
    updates.dedup();
    let per_epoch = shape.updates_per_epoch.max(1);
    updates
        .into_iter()
        .map(|u| {
            let x = match axis {
                XAxis::Epoch => u as f64 / per_epoch as f64,
                XAxis::Update => u as f64,
                XAxis::Samples => {
                    let (epochs_done, step) = ((u - 1) / per_epoch, (u - 1) % per_epoch + 1);
                    (epochs_done * n + (step * shape.batch).min(n)) as f64
                }
                XAxis::Seconds => unreachable!("returned above"),
            };
            (x, e.config.rate_at(n, u))
        })
        .collect()
}

/// The learning rate `run` recorded at update `update`, if that update's row is kept as
/// recorded (rows merged past the history's capacity hold means, and are not read).
pub fn recorded_rate(run: &RunHistory, update: usize) -> Option<f32> {
    let steps = &run.steps;
    let i = steps
        .update
        .binary_search_by(|u| u.total_cmp(&(update as f64)))
        .ok()?;
    let merged = steps.stride > 1 && i + 1 < steps.len();
    (!merged).then(|| steps.learning_rate[i])
}

/// A learning rate with at most `significant` significant digits, trailing zeros dropped:
/// `0.0002`, `0.008`, `0.001414` (tick labels and readouts; `data-value`s carry the exact
/// f32 instead).
pub fn format_rate(v: f64, significant: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let magnitude = v.abs().log10().floor() as i64;
    let decimals = (significant as i64 - 1 - magnitude).clamp(0, 12) as usize;
    super::scale::trimmed(v, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::Preset;

    #[test]
    fn rates_print_short() {
        assert_eq!(format_rate(0.0002, 2), "0.0002");
        assert_eq!(format_rate(0.1 * 0.002, 2), "0.0002"); // 0.00020000000000000001
        assert_eq!(format_rate(0.008, 4), "0.008");
        assert_eq!(format_rate(0.001 * 2f64.sqrt(), 4), "0.001414");
        assert_eq!(format_rate(0.25, 2), "0.25");
        assert_eq!(format_rate(1.5, 2), "1.5");
        assert_eq!(format_rate(12.0, 2), "12");
        assert_eq!(format_rate(0.0, 2), "0");
        assert_eq!(format_rate(f64::NAN, 2), "");
    }

    #[test]
    fn the_warmup_preview_starts_at_the_start_and_reaches_the_peak() {
        let e = Preset::Warmup.experiment(); // 250 updates per epoch, 10 epochs
        let p = planned(&e, XAxis::Update, 50);
        assert_eq!(p.first(), Some(&(1.0, 0.0001)));
        assert_eq!(p.last(), Some(&(2500.0, 0.001)));
        let at = |u: f64| p.iter().find(|q| q.0 == u).map(|q| q.1);
        assert!(at(750.0).unwrap() < 0.001);
        assert_eq!(at(751.0), Some(0.001));
        assert!(p.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(p.len() <= 54);
        // The same points on the epochs and samples axes.
        let epochs = planned(&e, XAxis::Epoch, 50);
        assert_eq!(epochs.first().unwrap().0, 1.0 / 250.0);
        assert_eq!(epochs.last().unwrap().0, 10.0);
        let samples = planned(&e, XAxis::Samples, 50);
        assert_eq!(samples.first().unwrap().0, 32.0);
        assert_eq!(samples.last().unwrap().0, 80_000.0);
        assert!(planned(&e, XAxis::Seconds, 50).is_empty());
    }

    #[test]
    fn a_partial_last_batch_counts_its_samples() {
        let mut e = Preset::Calculation200.experiment();
        e.config.batch_size = 30; // 200 = 6 × 30 + 20: 7 updates per epoch
        let p = planned(&e, XAxis::Samples, 1000);
        let xs: Vec<f64> = p.iter().map(|q| q.0).take(8).collect();
        assert_eq!(xs, [30.0, 60.0, 90.0, 120.0, 150.0, 180.0, 200.0, 230.0]);
        assert_eq!(p.len(), 70);
    }

    #[test]
    fn recorded_rates_are_read_by_update() {
        use crate::history::fixtures::{experiment, info, step};
        let mut run = RunHistory::new(1, experiment(4), info(4, 0));
        for u in 1..=6 {
            let mut s = step(u, 1.0, 4, false);
            s.learning_rate = [0.0001, 0.0002, 0.0003, 0.0004, 0.005, 0.006][u - 1];
            run.record(&s);
        }
        assert_eq!(recorded_rate(&run, 1), Some(0.0001));
        assert_eq!(recorded_rate(&run, 5), Some(0.005));
        assert_eq!(recorded_rate(&run, 7), None, "not recorded yet");
        assert_eq!(recorded_rate(&run, 0), None);
    }
}
