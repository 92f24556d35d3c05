//! Reading and bounding what the user types or slides: batch-size slider stops, hidden
//! layer lists, and the limits of every setting. Pure functions, so every extreme is
//! tested natively; the page only calls them.
//!
//! It also declares what an enumerated setting is ([`Setting`]: every value, and the key
//! each is named by in the URL, the menus, the exports and the run labels), and the
//! [`keyed!`](crate::keyed) macro that states an enum's values and keys once.

use crate::i18n::Lang;
use crate::worker::protocol::Speed;
use std::borrow::Cow;

/// A setting chosen from a list (data set, optimiser, activation, speed, …). One list of
/// values ([`Setting::ALL`], the menus' order) and one key per value ([`Setting::key`]), so
/// the page's menus, a link, the exports and the run labels cannot disagree on a name.
pub trait Setting: Copy + PartialEq + 'static {
    /// Every value, in the menus' order.
    const ALL: &'static [Self];
    /// The value's name in the URL, as a menu's `value`, in the exports and run labels
    /// (owned only for a number, such as a speed of 7 updates per second).
    fn key(self) -> Cow<'static, str>;
    /// The value named `key` (any case, surrounding space ignored), `None` if none is.
    fn from_key(key: &str) -> Option<Self> {
        let key = key.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.key().eq_ignore_ascii_case(key))
    }
}

/// Declares a field-less enum's values and keys once: `keyed!(Decay { Constant =>
/// "constant", Cosine => "cosine" })` gives `Decay::ALL` (in this order), `Decay::key`,
/// `Decay::from_key` (inherent, so callers need no import) and the [`Setting`] impl.
/// `keyed!(impl OptimizerKind)` does the last two for an enum with fields, whose inherent
/// `ALL` and `key` are written by hand.
#[macro_export]
macro_rules! keyed {
    ($ty:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the menus' order.
            pub const ALL: [$ty; [$($key),+].len()] = [$($ty::$variant),+];

            /// The value's name in the URL, the menus, the exports and the run labels.
            pub fn key(self) -> &'static str {
                match self {
                    $($ty::$variant => $key),+
                }
            }
        }
        $crate::keyed!(impl $ty);
    };
    (impl $ty:ident) => {
        impl $ty {
            /// The value named `key` (any case, surrounding space ignored).
            pub fn from_key(key: &str) -> Option<$ty> {
                <$ty as $crate::settings::Setting>::from_key(key)
            }
        }

        impl $crate::settings::Setting for $ty {
            const ALL: &'static [$ty] = &<$ty>::ALL;
            fn key(self) -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(<$ty>::key(self))
            }
        }
    };
}

/// The interface language: its key is its tag ([`Lang::tag`]), and a link may give a full
/// tag such as `ko-KR` ([`Lang::from_tag`]).
impl Setting for Lang {
    const ALL: &'static [Lang] = &Lang::ALL;
    fn key(self) -> Cow<'static, str> {
        Cow::Borrowed(self.tag())
    }
    fn from_key(key: &str) -> Option<Lang> {
        Lang::from_tag(key)
    }
}

/// Updates per second a link may ask for (`speed=7`); the menu offers [`Speed`]'s `ALL`.
pub const SPEED_RANGE: (u32, u32) = (1, 1000);

/// The pace: `epoch` (one epoch per second), `max`, or a number of updates per second
/// ([`SPEED_RANGE`]); the menu offers 1, 5 and 20.
impl Setting for Speed {
    const ALL: &'static [Speed] = &[
        Speed::PerSecond(1),
        Speed::PerSecond(5),
        Speed::PerSecond(20),
        Speed::EpochPerSecond,
        Speed::Max,
    ];
    fn key(self) -> Cow<'static, str> {
        match self {
            Speed::Max => Cow::Borrowed("max"),
            Speed::EpochPerSecond => Cow::Borrowed("epoch"),
            Speed::PerSecond(n) => Cow::Owned(n.to_string()),
        }
    }
    fn from_key(key: &str) -> Option<Speed> {
        let named = Self::ALL
            .iter()
            .copied()
            .find(|v| v.key().eq_ignore_ascii_case(key.trim()));
        named.or_else(|| match key.trim().parse::<u32>() {
            Ok(n) if (SPEED_RANGE.0..=SPEED_RANGE.1).contains(&n) => Some(Speed::PerSecond(n)),
            _ => None,
        })
    }
}

/// Largest epoch count the controls offer.
pub const MAX_EPOCHS: usize = 200;
/// Widest hidden layer accepted.
pub const MAX_WIDTH: usize = 1024;
/// Most hidden layers accepted.
pub const MAX_LAYERS: usize = 4;
/// Learning-rate bounds.
pub const LR_RANGE: (f32, f32) = (1e-6, 10.0);
/// Largest B₀ of a learning-rate scaling rule (the largest generated set).
pub const MAX_BASE_BATCH: usize = crate::experiment::MAX_GENERATED;
/// The cosine decay's floor, a fraction of the peak rate.
pub const FLOOR_RANGE: (f32, f32) = (0.0, 1.0);
/// Validation split bounds.
pub const SPLIT_RANGE: (f64, f64) = (0.0, 0.5);
/// Seed repeats of one run (`seeds`) and seeds per batch size in a sweep (`sweep-seeds`).
pub const SEEDS_RANGE: (u32, u32) = (1, 10);
/// Seeds per batch size in a sweep unless a link says otherwise.
pub const DEFAULT_SWEEP_SEEDS: u32 = 3;

/// Batch-size slider stops on a log scale: 1, 2, 4, … below N, then N itself (full batch).
pub fn batch_stops(n: usize) -> Vec<usize> {
    let n = n.max(1);
    let mut stops: Vec<usize> = std::iter::successors(Some(1usize), |b| b.checked_mul(2))
        .take_while(|&b| b < n)
        .collect();
    stops.push(n);
    stops
}

/// The slider position whose stop is closest to `batch` on a log scale.
pub fn nearest_stop(stops: &[usize], batch: usize) -> usize {
    let target = (batch.max(1) as f64).ln();
    (0..stops.len())
        .min_by(|&a, &b| {
            let da = ((stops[a] as f64).ln() - target).abs();
            let db = ((stops[b] as f64).ln() - target).abs();
            da.total_cmp(&db)
        })
        .unwrap_or(0)
}

/// Why a hidden-layer list was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayersError {
    NotANumber(String),
    Width(usize),
    TooMany(usize),
}

/// Parses `"128"`, `"64, 32"`, `"64-32"` (as a link writes it) or `""` (no hidden layer:
/// logistic regression). A `-` only joins two widths: `-3` is not a layer of 3 units.
pub fn parse_hidden(text: &str) -> Result<Vec<usize>, LayersError> {
    let mut widths = Vec::new();
    for group in text.split([',', ' ', ';']).filter(|g| !g.trim().is_empty()) {
        let group = group.trim();
        for part in group.split('-') {
            let width = part
                .parse::<usize>()
                .map_err(|_| LayersError::NotANumber(group.to_owned()))?;
            widths.push(width);
        }
    }
    if let Some(&w) = widths.iter().find(|&&w| w == 0 || w > MAX_WIDTH) {
        return Err(LayersError::Width(w));
    }
    if widths.len() > MAX_LAYERS {
        return Err(LayersError::TooMany(widths.len()));
    }
    Ok(widths)
}

/// `"128, 64"`.
pub fn format_hidden(widths: &[usize]) -> String {
    widths
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_include_one_and_n() {
        assert_eq!(batch_stops(200), vec![1, 2, 4, 8, 16, 32, 64, 128, 200]);
        assert_eq!(batch_stops(1), vec![1]);
        assert_eq!(batch_stops(0), vec![1]);
        assert_eq!(batch_stops(256), vec![1, 2, 4, 8, 16, 32, 64, 128, 256]);
        assert_eq!(*batch_stops(usize::MAX).last().unwrap(), usize::MAX);
    }

    #[test]
    fn nearest_stop_on_a_log_scale() {
        let stops = batch_stops(8000);
        assert_eq!(stops[nearest_stop(&stops, 32)], 32);
        assert_eq!(stops[nearest_stop(&stops, 20)], 16);
        assert_eq!(stops[nearest_stop(&stops, 1_000_000)], 8000);
        assert_eq!(stops[nearest_stop(&stops, 0)], 1);
    }

    #[test]
    fn hidden_layers() {
        assert_eq!(parse_hidden("128"), Ok(vec![128]));
        assert_eq!(parse_hidden(" 64, 32 "), Ok(vec![64, 32]));
        assert_eq!(parse_hidden(""), Ok(vec![]));
        assert_eq!(parse_hidden("0"), Err(LayersError::Width(0)));
        assert_eq!(parse_hidden("5000"), Err(LayersError::Width(5000)));
        assert_eq!(parse_hidden("a"), Err(LayersError::NotANumber("a".into())));
        assert_eq!(parse_hidden("1,1,1,1,1"), Err(LayersError::TooMany(5)));
        assert_eq!(parse_hidden("64-32"), Ok(vec![64, 32]));
        assert_eq!(format_hidden(&[64, 32]), "64, 32");
        // Issue 21: `-3` was read as a layer of 3 units (Dense(3) in the code mirror).
        for bad in ["-3", "3-", "64--32", "-"] {
            assert_eq!(
                parse_hidden(bad),
                Err(LayersError::NotANumber(bad.into())),
                "{bad}"
            );
        }
    }
}
