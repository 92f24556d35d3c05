//! Which part of the post an embed serves (`view=` in the URL, the Jekyll include's `view`
//! parameter and the copied embed code): each is a purpose-built layout from the same build,
//! so a post with four embeds shows four small focused labs, not four copies of everything.

use crate::experiment::{DataSource, Experiment};
use crate::trainer::session::batch_in_effect;

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

/// The race view's default batch sizes: the small batch (the first run, the page's `b`) and
/// the large one (the second run, `race-b`): the post's 8 against 256.
pub const RACE_A: usize = 8;
pub const RACE_B: usize = 256;

impl Layout {
    /// What this view trains, given the link's experiment. The anatomy view shows no data and
    /// no chart, only N, B, epochs and the strip, so on MNIST (a 0.7 MB download and a decode
    /// for an arithmetic lesson) it trains the calculation presets' data
    /// ([`crate::preset::CALCULATION_DATA`]) with the link's N (within what that set allows),
    /// B and epochs, so its arithmetic is the link's. The race's small batch is [`RACE_A`]
    /// unless the link sets another B than the default. Every other view trains what it is
    /// given.
    pub fn experiment(self, mut e: Experiment) -> Experiment {
        let default_b = crate::trainer::session::TrainConfig::default().batch_size;
        if self == Layout::Race && e.config.batch_size == default_b {
            e.config.batch_size = batch_in_effect(e.train_size, RACE_A);
        }
        if self == Layout::Anatomy && e.source == DataSource::Mnist {
            let (n, b, epochs) = (e.train_size, e.config.batch_size, e.config.epochs);
            e.set_source(crate::preset::CALCULATION_DATA);
            e.config.batch_size = b;
            e.config.epochs = epochs;
            e.set_train_size(n);
        }
        e
    }
}

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
    /// The strip for `samples` in batches of `batch` (read as the session reads it,
    /// [`batch_in_effect`]), with `done` of its batches consumed (clamped to the epoch).
    pub fn new(samples: usize, batch: usize, done: usize) -> EpochStrip {
        let samples = samples.max(1);
        let batch = batch_in_effect(samples, batch);
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
    fn the_anatomy_view_trains_without_mnist_and_keeps_the_links_numbers() {
        use crate::preset::{CALCULATION_DATA, Preset};
        // The Keras example in the anatomy view: 8,000 / 32 = 250, ten epochs, on the moons.
        let e = Layout::Anatomy.experiment(Experiment::default());
        assert_eq!(e.source, CALCULATION_DATA);
        assert_eq!(
            (e.train_size, e.config.batch_size, e.config.epochs),
            (8000, 32, 10)
        );
        assert_eq!(e.updates_per_epoch(), 250);
        // N = 200, B = 30 on MNIST: the same 7 batches, the last of 20.
        let mut m = Experiment::default();
        m.set_train_size(200);
        m.config.batch_size = 30;
        let e = Layout::Anatomy.experiment(m);
        assert_eq!(
            (e.source, e.train_size, e.updates_per_epoch()),
            (CALCULATION_DATA, 200, 7)
        );
        // The calculation presets are already on that data: unchanged.
        for p in [Preset::Calculation200, Preset::Calculation1000] {
            assert_eq!(Layout::Anatomy.experiment(p.experiment()), p.experiment());
        }
        // Other data, and every other view, as given.
        let random = Experiment::with_source(DataSource::Random);
        assert_eq!(Layout::Anatomy.experiment(random.clone()), random);
        // The race: 8 unless the link says another B (then 8 against that B's partner).
        assert_eq!(
            Layout::Race
                .experiment(Experiment::default())
                .config
                .batch_size,
            RACE_A
        );
        let mut b16 = Experiment::default();
        b16.config.batch_size = 16;
        assert_eq!(Layout::Race.experiment(b16.clone()), b16);
        // Below 8 samples the race's small batch is one full batch, as the session reads it.
        let tiny = Experiment {
            train_size: 5,
            ..Experiment::with_source(DataSource::Random)
        };
        assert_eq!(
            tiny.config.batch_size,
            crate::trainer::session::TrainConfig::default().batch_size
        );
        assert_eq!(Layout::Race.experiment(tiny).config.batch_size, 5);
        for l in [Layout::Full, Layout::Lr, Layout::Sweep, Layout::Claims] {
            assert_eq!(l.experiment(Experiment::default()), Experiment::default());
        }
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
