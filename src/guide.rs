//! The post's batch-size guide ("배치 사이즈 선택 가이드": data set size → recommended batch
//! sizes) and, beside it, an epoch guide (data set size → epochs), as tables the page shows
//! with the row for the current N marked and each suggested value a button.
//!
//! The batch rows are the post's table: small (N < 1,000) 16–32, medium (1,000–10,000)
//! 32–64, large (N > 10,000) 64–256 (buttons at the powers of two in each range). The post
//! has no epoch table; ours follows its examples (8,000 MNIST digits for 10 epochs, 1,000
//! samples for 20) and the arithmetic of the anatomy panel: a small set gives few updates per
//! epoch (`200 / 20 = 10`), so it needs more epochs for the same number of updates.
//!
//! A button is a lesson's next step, so it also opens the teaching view ([`BUTTON_STAGING`]):
//! the raw trace on the update axis at one epoch per second, as the small- and large-batch
//! presets do.

use crate::preset::{Staging, TEACHING};

/// What every guide button sets besides its value (the teaching presets' staging).
pub const BUTTON_STAGING: Staging = TEACHING;

/// A size class of the post's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SizeClass {
    /// N < 1,000.
    Small,
    /// 1,000 ≤ N ≤ 10,000.
    Medium,
    /// N > 10,000.
    Large,
}

impl SizeClass {
    /// Every class, in the table's order.
    pub const ALL: [SizeClass; 3] = [SizeClass::Small, SizeClass::Medium, SizeClass::Large];

    /// The class of N training samples, with the post's bounds (`< 1000`, `1000-10000`,
    /// `> 10000`).
    pub fn of(n: usize) -> SizeClass {
        if n < 1_000 {
            SizeClass::Small
        } else if n <= 10_000 {
            SizeClass::Medium
        } else {
            SizeClass::Large
        }
    }

    /// The batch sizes the post recommends for this class.
    pub fn batch_sizes(self) -> &'static [usize] {
        match self {
            SizeClass::Small => &[16, 32],
            SizeClass::Medium => &[32, 64],
            SizeClass::Large => &[64, 128, 256],
        }
    }

    /// Epoch counts for this class (ours, see the module comment).
    pub fn epochs(self) -> &'static [usize] {
        match self {
            SizeClass::Small => &[50, 100, 200],
            SizeClass::Medium => &[10, 20, 50],
            SizeClass::Large => &[5, 10, 20],
        }
    }
}

/// One suggested value as a button: what the table says and what clicking it sets. A batch
/// above N sets N (one full batch, the most the batch control allows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub shown: usize,
    pub sets: usize,
}

/// The batch buttons of `class` for N training samples.
pub fn batch_suggestions(class: SizeClass, n: usize) -> Vec<Suggestion> {
    class
        .batch_sizes()
        .iter()
        .map(|&b| Suggestion {
            shown: b,
            sets: b.min(n.max(1)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_posts_bounds() {
        let row = |n| SizeClass::of(n);
        assert_eq!(row(1), SizeClass::Small);
        assert_eq!(row(100), SizeClass::Small);
        assert_eq!(row(999), SizeClass::Small);
        assert_eq!(row(1_000), SizeClass::Medium);
        assert_eq!(row(10_000), SizeClass::Medium);
        assert_eq!(row(10_001), SizeClass::Large);
        assert_eq!(row(100_000), SizeClass::Large);
        assert_eq!(row(0), SizeClass::Small);
        // The post's examples: 200 samples, 1,000 samples, 8,000 MNIST digits.
        assert_eq!(row(200).batch_sizes(), &[16, 32]);
        assert_eq!(row(1_000).batch_sizes(), &[32, 64]);
        assert_eq!(row(8_000).epochs(), &[10, 20, 50]);
        assert_eq!(row(100_000).batch_sizes(), &[64, 128, 256]);
    }

    #[test]
    fn the_post_recommends_within_its_ranges() {
        let ranges = [(16, 32), (32, 64), (64, 256)];
        for (class, (lo, hi)) in SizeClass::ALL.into_iter().zip(ranges) {
            let sizes = class.batch_sizes();
            assert_eq!((sizes[0], *sizes.last().unwrap()), (lo, hi));
            assert!(sizes.iter().all(|b| b.is_power_of_two()));
        }
    }

    #[test]
    fn buttons_open_raw_on_the_update_axis_at_an_epoch_per_second() {
        use crate::plot::view::XAxis;
        use crate::worker::protocol::Speed;
        assert_eq!(BUTTON_STAGING.view.smoothing, 0.0);
        assert_eq!(BUTTON_STAGING.view.axis, XAxis::Update);
        assert_eq!(BUTTON_STAGING.speed, Speed::EpochPerSecond);
        assert_eq!(
            Some(BUTTON_STAGING),
            crate::preset::Preset::SmallBatch.staging()
        );
    }

    #[test]
    fn a_batch_above_n_sets_n() {
        assert_eq!(
            batch_suggestions(SizeClass::Small, 1),
            vec![
                Suggestion { shown: 16, sets: 1 },
                Suggestion { shown: 32, sets: 1 }
            ]
        );
        assert_eq!(batch_suggestions(SizeClass::Small, 20)[1].sets, 20);
        assert_eq!(batch_suggestions(SizeClass::Large, 100_000)[2].sets, 256);
        assert_eq!(batch_suggestions(SizeClass::Small, 0)[0].sets, 1);
    }
}
