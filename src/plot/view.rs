//! How the charts show the kept runs: which x axis, whether it is logarithmic, and how much
//! the per-update training trace is smoothed. One value shared by the controls, the URL and
//! the charts; the names of the axes live here once ([`axis_key`]).

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

/// Every axis, in menu order.
pub const AXES: [XAxis; 4] = [XAxis::Epoch, XAxis::Update, XAxis::Samples, XAxis::Seconds];

/// The axis' name in the URL (`x=`) and as the selector's value.
pub fn axis_key(axis: XAxis) -> &'static str {
    match axis {
        XAxis::Epoch => "epoch",
        XAxis::Update => "update",
        XAxis::Samples => "samples",
        XAxis::Seconds => "seconds",
    }
}

/// The axis named `key`.
pub fn axis_from_key(key: &str) -> Option<XAxis> {
    AXES.into_iter().find(|a| axis_key(*a) == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_log_needs_a_count_axis() {
        for a in AXES {
            assert_eq!(axis_from_key(axis_key(a)), Some(a));
        }
        assert_eq!(axis_from_key("steps"), None);
        let mut v = ChartView {
            log_x: true,
            ..ChartView::default()
        };
        assert!(!v.log_applies(), "no log epochs");
        v.axis = XAxis::Samples;
        assert!(v.log_applies());
    }
}
