//! The arithmetic of an epoch, as the post writes it: `200 / 20 = 10` updates per epoch,
//! `20 × 20 = 400` updates in all. Shown live beside the sliders, so it lives apart from
//! any drawing and is tested natively.

use crate::experiment::Experiment;
use crate::trainer::session::{batch_in_effect, updates_per_epoch};

/// Updates and batches of one configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochAnatomy {
    /// Training samples N.
    pub samples: usize,
    /// The batch size as set (may exceed N).
    pub batch_requested: usize,
    /// The batch size in effect, `min(B, N)`.
    pub batch: usize,
    /// `ceil(N / B)`.
    pub updates_per_epoch: usize,
    /// Samples in the last batch when B does not divide N (`N mod B`), else `None`.
    pub partial_batch: Option<usize>,
    pub epochs: usize,
    /// `epochs × ceil(N / B)`.
    pub total_updates: usize,
}

impl EpochAnatomy {
    /// The anatomy of `experiment`'s training run (B and N of 0 are read as 1).
    pub fn of(experiment: &Experiment) -> Self {
        Self::new(
            experiment.train_size,
            experiment.config.batch_size,
            experiment.config.epochs,
        )
    }

    /// The anatomy for N samples, batch B and `epochs`.
    pub fn new(samples: usize, batch_requested: usize, epochs: usize) -> Self {
        let samples = samples.max(1);
        let batch = batch_in_effect(samples, batch_requested);
        let updates_per_epoch = updates_per_epoch(samples, batch_requested);
        let remainder = samples % batch;
        EpochAnatomy {
            samples,
            batch_requested,
            batch,
            updates_per_epoch,
            partial_batch: (remainder != 0).then_some(remainder),
            epochs,
            total_updates: epochs * updates_per_epoch,
        }
    }

    /// `200 / 20 = 10` when B divides N, `⌈250 / 30⌉ = 9` when it does not.
    pub fn per_epoch_formula(&self, int: impl Fn(usize) -> String) -> String {
        let (n, b, u) = (
            int(self.samples),
            int(self.batch),
            int(self.updates_per_epoch),
        );
        match self.partial_batch {
            None => format!("{n} / {b} = {u}"),
            Some(_) => format!("⌈{n} / {b}⌉ = {u}"),
        }
    }

    /// `20 × 20 = 400` (epochs × updates per epoch = total).
    pub fn total_formula(&self, int: impl Fn(usize) -> String) -> String {
        format!(
            "{} × {} = {}",
            int(self.epochs),
            int(self.updates_per_epoch),
            int(self.total_updates)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(n: usize) -> String {
        n.to_string()
    }

    #[test]
    fn the_posts_examples() {
        let a = EpochAnatomy::new(200, 20, 10);
        assert_eq!(
            (a.updates_per_epoch, a.total_updates, a.partial_batch),
            (10, 100, None)
        );
        assert_eq!(a.per_epoch_formula(plain), "200 / 20 = 10");
        let b = EpochAnatomy::new(1000, 50, 20);
        assert_eq!(b.total_formula(plain), "20 × 20 = 400");
    }

    /// The session, the experiment and the panel read `ceil(N / B)` from one function.
    #[test]
    fn one_count_of_updates_per_epoch() {
        use crate::experiment::DataSource;
        use crate::trainer::data::random;
        use crate::trainer::session::{Session, TrainConfig};
        assert_eq!(updates_per_epoch(200, 20), 10);
        assert_eq!(updates_per_epoch(250, 30), 9);
        assert_eq!(updates_per_epoch(100, 5000), 1);
        assert_eq!(updates_per_epoch(100, 0), 100);
        assert_eq!(batch_in_effect(0, 0), 1);
        for n in [1, 2, 7, 64, 250] {
            let data = random::generate(n, 2, 2, 1);
            for b in [1, 3, 8, 64, 250, 1000] {
                let mut e = Experiment {
                    source: DataSource::Random,
                    train_size: n,
                    ..Experiment::default()
                };
                e.config.batch_size = b;
                let config = TrainConfig {
                    batch_size: b,
                    ..TrainConfig::default()
                };
                let session = Session::new(config, data.clone(), data.range(0, 0)).unwrap();
                let want = n.div_ceil(b.min(n));
                assert_eq!(session.updates_per_epoch(), want, "N {n}, B {b}");
                assert_eq!(e.updates_per_epoch(), want, "N {n}, B {b}");
                assert_eq!(EpochAnatomy::of(&e).updates_per_epoch, want, "N {n}, B {b}");
            }
        }
    }

    #[test]
    fn remainder_and_extremes() {
        let a = EpochAnatomy::new(250, 30, 1);
        assert_eq!((a.updates_per_epoch, a.partial_batch), (9, Some(10)));
        assert_eq!(a.per_epoch_formula(plain), "⌈250 / 30⌉ = 9");
        let full = EpochAnatomy::new(100, 5000, 3);
        assert_eq!(
            (full.batch, full.updates_per_epoch, full.total_updates),
            (100, 1, 3)
        );
        let sgd = EpochAnatomy::new(100, 0, 2);
        assert_eq!((sgd.batch, sgd.updates_per_epoch), (1, 100));
    }
}
