//! How the charts show the kept runs: which x axis, whether it is logarithmic, and how much
//! the per-update training trace is smoothed. One value shared by the controls, the URL and
//! the charts; the names of the axes live here once ([`XAxis::key`]).

use crate::history::XAxis;

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
