//! The arithmetic of an epoch, as the post writes it: `200 / 20 = 10` updates per epoch,
//! `20 × 20 = 400` updates in all. Shown live beside the sliders, so it lives apart from
//! any drawing and is tested natively.

use crate::experiment::Experiment;

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
        let batch = batch_requested.clamp(1, samples);
        let updates_per_epoch = samples.div_ceil(batch);
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
