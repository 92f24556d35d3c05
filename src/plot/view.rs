//! How the charts show the kept runs: which x axis (and where a run's records lie on it),
//! whether it is logarithmic, and how much the per-update training trace is smoothed. One
//! value shared by the controls, the URL and the charts; the names of the axes live here
//! once ([`XAxis::key`]). The history records positions in every unit ([`Position`]); which
//! one the charts count along is theirs to say.

use crate::history::{Position, RunHistory};

/// What the x axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum XAxis {
    /// Epochs (fractional within an epoch: update / updates-per-epoch).
    #[default]
    Epoch,
    /// Weight updates.
    Update,
    /// Training samples seen.
    Samples,
    /// Training wall time in seconds.
    Seconds,
}

impl XAxis {
    /// Where `p`, a position in `run`, lies on this axis.
    pub fn x(self, run: &RunHistory, p: Position) -> f64 {
        match self {
            XAxis::Epoch => p.update / run.info.updates_per_epoch.max(1) as f64,
            XAxis::Update => p.update,
            XAxis::Samples => p.samples,
            XAxis::Seconds => p.seconds,
        }
    }

    /// The x of `run`'s per-update row `i`.
    pub fn step_x(self, run: &RunHistory, i: usize) -> f64 {
        let s = &run.steps;
        self.x(
            run,
            Position {
                update: s.update[i],
                samples: s.samples[i],
                seconds: s.seconds[i] as f64,
            },
        )
    }

    /// `run`'s whole extent on this axis when it completes (for a stable x range while
    /// training), from its info; time grows with the run, so it is the time so far.
    pub fn planned_x_max(self, run: &RunHistory) -> f64 {
        let info = &run.info;
        match self {
            XAxis::Epoch => info.epochs as f64,
            XAxis::Update => info.total_updates as f64,
            XAxis::Samples => (info.epochs * info.train_size) as f64,
            XAxis::Seconds => run.steps.seconds.last().map_or(1.0, |&s| s as f64),
        }
    }
}

/// The charts' view settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartView {
    pub axis: XAxis,
    /// Log scale on x; only the updates and samples axes can have it (epochs and seconds
    /// start at 0 and are read linearly).
    pub log_x: bool,
    /// Smoothing weight of the per-update trace, `0..=MAX_WEIGHT` (0 = raw).
    pub smoothing: f64,
}

impl Default for ChartView {
    /// Epochs, linear, a light smoothing (the raw trace stays visible behind it).
    fn default() -> Self {
        ChartView {
            axis: XAxis::Epoch,
            log_x: false,
            smoothing: DEFAULT_SMOOTHING,
        }
    }
}

/// The smoothing a first visit gets.
pub const DEFAULT_SMOOTHING: f64 = 0.6;

impl ChartView {
    /// Whether x is drawn on a log scale: asked for, and the axis allows it.
    pub fn log_applies(&self) -> bool {
        self.log_x && log_allowed(self.axis)
    }
}

/// Axes that may be logarithmic: counts that start at one update or one batch.
pub fn log_allowed(axis: XAxis) -> bool {
    matches!(axis, XAxis::Update | XAxis::Samples)
}

// The axis' name in the URL (`x=`) and as the selector's value; `XAxis::ALL` is menu order.
crate::keyed!(XAxis {
    Epoch => "epoch",
    Update => "update",
    Samples => "samples",
    Seconds => "seconds",
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fixtures::{experiment, info, step};

    #[test]
    fn a_record_lies_on_every_axis() {
        let mut run = RunHistory::new(1, experiment(4), info(4, 0));
        for u in 1..=8 {
            run.record(&step(u, u as f64, 4, true));
        }
        let p = run.epochs[1].at;
        assert_eq!(XAxis::Epoch.x(&run, p), 2.0);
        assert_eq!(XAxis::Update.x(&run, p), 8.0);
        assert_eq!(XAxis::Samples.x(&run, p), 80.0);
        assert!((XAxis::Seconds.x(&run, p) - 0.8).abs() < 1e-12);
        assert_eq!(XAxis::Epoch.step_x(&run, 1), 0.5);
        assert_eq!(XAxis::Update.planned_x_max(&run), 12.0);
    }

    #[test]
    fn keys_round_trip_and_log_needs_a_count_axis() {
        for a in XAxis::ALL {
            assert_eq!(XAxis::from_key(a.key()), Some(a));
        }
        assert_eq!(XAxis::from_key("steps"), None);
        let mut v = ChartView {
            log_x: true,
            ..ChartView::default()
        };
        assert!(!v.log_applies(), "no log epochs");
        v.axis = XAxis::Samples;
        assert!(v.log_applies());
    }
}
