//! Which part of the post an embed serves (`view=` in the URL, the Jekyll include's `view`
//! parameter and the copied embed code): each is a purpose-built layout from the same build,
//! so a post with four embeds shows four small focused labs, not four copies of everything.

/// A focused view of the lab. `Full` is the whole lab (the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    #[default]
    Full,
    /// N, B and epochs, the arithmetic and one epoch drawn as a strip of batches; Step and
    /// Train. Works on the calculation presets' data (no MNIST download needed).
    Anatomy,
    /// Small against large batch: one Train starts two runs of the same seed at once (B = 8
    /// and 256 by default), each in its own worker, on one loss and one accuracy chart.
    Race,
    /// The learning-rate tips: the schedule strip above the loss chart.
    Lr,
    /// The batch-size sweep: its controls, progress, table and chart.
    Sweep,
    /// The post's claims as cards (`claim=KEY`: one card).
    Claims,
}

// The URL value, and the suffix of the view's root test id (`view-anatomy`); in the order
// the post uses them (`Full` last).
crate::keyed!(Layout {
    Anatomy => "anatomy",
    Race => "race",
    Lr => "lr",
    Sweep => "sweep",
    Claims => "claims",
    Full => "full",
});

/// One epoch as the anatomy view draws it: `batches` segments in the order they are
/// consumed, each as wide as its batch (the partial last one visibly shorter), and one cell
/// per sample when there are few enough to see ([`MAX_CELLS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochStrip {
    /// Sizes of this epoch's batches, in order (all `B` but perhaps the last).
    pub sizes: Vec<usize>,
    /// Samples drawn as cells (N, or 0 when N is above [`MAX_CELLS`]).
    pub cells: usize,
    /// Batches consumed so far this epoch.
    pub done: usize,
}

/// Above this many samples the strip shows batches only: 8,000 cells would be too thin to
/// see and too many elements for a small view.
pub const MAX_CELLS: usize = 1_000;

impl EpochStrip {
    /// The strip for `samples` in batches of `batch` (clamped to `1..=samples`), with `done`
    /// of its batches consumed (clamped to the epoch).
    pub fn new(samples: usize, batch: usize, done: usize) -> EpochStrip {
        let samples = samples.max(1);
        let batch = batch.clamp(1, samples);
        let full = samples / batch;
        let mut sizes = vec![batch; full];
        if !samples.is_multiple_of(batch) {
            sizes.push(samples % batch);
        }
        let done = done.min(sizes.len());
        EpochStrip {
            cells: if samples <= MAX_CELLS { samples } else { 0 },
            sizes,
            done,
        }
    }

    /// Updates per epoch (`ceil(N / B)`).
    pub fn batches(&self) -> usize {
        self.sizes.len()
    }

    /// The size of the last batch (B unless N is not a multiple of B).
    pub fn last_batch(&self) -> usize {
        self.sizes.last().copied().unwrap_or(0)
    }

    /// The batch the latest update used (lit), if any update was made this epoch.
    pub fn current(&self) -> Option<usize> {
        self.done.checked_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_anything_else_is_none() {
        for l in Layout::ALL {
            assert_eq!(Layout::from_key(l.key()), Some(l));
        }
        assert_eq!(Layout::from_key("ANATOMY"), Some(Layout::Anatomy));
        assert_eq!(Layout::from_key(""), None);
        assert_eq!(Layout::from_key("race-ish"), None);
        assert_eq!(Layout::default(), Layout::Full);
    }

    #[test]
    fn the_posts_examples_as_strips() {
        // 200 / 20 = 10 batches of 20.
        let s = EpochStrip::new(200, 20, 3);
        assert_eq!(
            (s.batches(), s.last_batch(), s.cells, s.done),
            (10, 20, 200, 3)
        );
        assert_eq!(s.current(), Some(2));
        // 1,000 / 50 = 20.
        assert_eq!(EpochStrip::new(1000, 50, 0).batches(), 20);
        // 200 / 30: six of 30 and a last batch of 20.
        let s = EpochStrip::new(200, 30, 99);
        assert_eq!(s.sizes, vec![30, 30, 30, 30, 30, 30, 20]);
        assert_eq!((s.last_batch(), s.done, s.current()), (20, 7, Some(6)));
        // MNIST's 8,000: batches only.
        let s = EpochStrip::new(8000, 32, 0);
        assert_eq!((s.batches(), s.cells, s.current()), (250, 0, None));
    }

    #[test]
    fn bad_sizes_never_panic() {
        assert_eq!(EpochStrip::new(0, 0, 5).sizes, vec![1]);
        assert_eq!(EpochStrip::new(10, 100, 0).sizes, vec![10]);
    }
}
