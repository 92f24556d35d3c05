//! An experiment: everything a student sets before pressing Train — which data, how many
//! training samples N, the validation split, and the training configuration. It is what the
//! page sends to the worker, what a shared link encodes, and what names a run in history.
//!
//! N always counts **training** samples only (the N of `ceil(N / B)`); validation samples are
//! held out separately. For MNIST the validation set is the last `split × 10,000` digits of
//! the file, whatever N is, so runs with different N are judged on the same digits; N is cut
//! from the front. Generated sets produce N training and `round(N·s/(1−s))` validation
//! samples, which is exactly Keras' `validation_split=s` over `N + n_val` samples.

use crate::trainer::data::{DataError, Dataset, mnist, random, toy};
use crate::trainer::session::TrainConfig;
use serde::{Deserialize, Serialize};

/// Where the samples come from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum DataSource {
    /// The committed MNIST-10k asset (784 pixel features, 10 classes).
    Mnist,
    /// The post's PyTorch example: `randn(·, 10)` features, labels in {0, 1}, unrelated.
    Random,
    /// A 2-D toy set with gaussian noise of this standard deviation.
    Toy { toy: toy::Toy, noise: f32 },
}

impl DataSource {
    /// Samples the source can provide in all (training + validation), `None` if unbounded.
    pub fn capacity(self) -> Option<usize> {
        match self {
            DataSource::Mnist => Some(mnist::COUNT),
            _ => None,
        }
    }
}

/// Largest generated set (training + validation): keeps memory and generation time small.
pub const MAX_GENERATED: usize = 100_000;

/// A complete, reproducible experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub source: DataSource,
    /// Training samples N.
    pub train_size: usize,
    /// Keras' `validation_split` (0 disables validation).
    pub validation_split: f64,
    pub config: TrainConfig,
}

impl Default for Experiment {
    /// The post's Keras example: 10,000 digits with `validation_split=0.2` (N = 8,000,
    /// 250 updates per epoch at B = 32), `Dense(128, relu)`, Adam, 10 epochs.
    fn default() -> Self {
        Experiment {
            source: DataSource::Mnist,
            train_size: 8_000,
            validation_split: 0.2,
            config: TrainConfig::default(),
        }
    }
}

impl Experiment {
    /// Validation samples this experiment holds out.
    pub fn validation_size(&self) -> usize {
        let s = self.validation_split;
        match self.source.capacity() {
            Some(total) => (total as f64 * s).round() as usize,
            None => (self.train_size as f64 * s / (1.0 - s)).round() as usize,
        }
    }

    /// The largest N the source allows with this split.
    pub fn max_train_size(&self) -> usize {
        match self.source.capacity() {
            Some(total) => total - self.validation_size(),
            None => (MAX_GENERATED as f64 * (1.0 - self.validation_split)).floor() as usize,
        }
    }

    /// The batch size the session will use: B clamped to `1..=N` (Keras and PyTorch treat
    /// `batch_size > N` as one full batch).
    pub fn batch_in_effect(&self) -> usize {
        self.config.batch_size.clamp(1, self.train_size.max(1))
    }

    /// `ceil(N / B)` with B clamped to N, as the session will run it.
    pub fn updates_per_epoch(&self) -> usize {
        self.train_size.div_ceil(self.batch_in_effect())
    }

    /// `epochs × ceil(N / B)`.
    pub fn total_updates(&self) -> usize {
        self.config.epochs * self.updates_per_epoch()
    }

    /// The training and validation sets. `mnist` must hold the decoded asset when the source
    /// is MNIST (the worker loads it once and reuses it across runs).
    pub fn datasets(&self, mnist: Option<&Dataset>) -> Result<(Dataset, Dataset), DataError> {
        if !(0.0..1.0).contains(&self.validation_split) {
            return Err(DataError::Invalid(format!(
                "validation split must be in [0, 1), got {}",
                self.validation_split
            )));
        }
        if self.train_size == 0 || self.train_size > self.max_train_size() {
            return Err(DataError::Invalid(format!(
                "N must be between 1 and {}, got {}",
                self.max_train_size(),
                self.train_size
            )));
        }
        let n_val = self.validation_size();
        let seed = self.config.seed;
        let pool = match self.source {
            DataSource::Mnist => {
                let data = mnist.ok_or_else(|| DataError::Invalid("MNIST is not loaded".into()))?;
                return data.train_and_validation(self.train_size, n_val);
            }
            DataSource::Random => random::pytorch_example(self.train_size + n_val, seed),
            DataSource::Toy { toy, noise } => {
                toy::generate(toy, self.train_size + n_val, noise, seed)?
            }
        };
        pool.train_and_validation(self.train_size, n_val)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_keras_example() {
        let e = Experiment::default();
        assert_eq!(
            (e.train_size, e.validation_size(), e.max_train_size()),
            (8000, 2000, 8000)
        );
        assert_eq!((e.updates_per_epoch(), e.total_updates()), (250, 2500));
    }

    #[test]
    fn mnist_validation_is_fixed_whatever_n() {
        let data = Dataset::new(
            1,
            10,
            (0..10_000).map(|i| i as f32).collect(),
            vec![0; 10_000],
        );
        let small = Experiment {
            train_size: 200,
            ..Experiment::default()
        };
        let (train, val) = small.datasets(Some(&data)).unwrap();
        assert_eq!((train.len(), val.len()), (200, 2000));
        assert_eq!(val.x[0], 8000.0);
        let too_big = Experiment {
            train_size: 8001,
            ..Experiment::default()
        };
        assert!(too_big.datasets(Some(&data)).is_err());
        assert!(small.datasets(None).is_err(), "MNIST must be loaded first");
    }

    #[test]
    fn generated_sets_follow_keras_split_arithmetic() {
        let e = Experiment {
            source: DataSource::Random,
            train_size: 1000,
            ..Experiment::default()
        };
        assert_eq!(e.validation_size(), 250); // 1000 train + 250 val = 1250, of which 20 % is 250
        let (train, val) = e.datasets(None).unwrap();
        assert_eq!((train.len(), val.len(), train.features), (1000, 250, 10));
        let toy = Experiment {
            source: DataSource::Toy {
                toy: toy::Toy::Xor,
                noise: 0.1,
            },
            train_size: 200,
            validation_split: 0.0,
            ..Experiment::default()
        };
        let (train, val) = toy.datasets(None).unwrap();
        assert_eq!((train.len(), val.len(), train.features), (200, 0, 2));
    }

    #[test]
    fn batch_above_n_counts_as_one_batch() {
        let mut e = Experiment {
            source: DataSource::Random,
            train_size: 100,
            ..Experiment::default()
        };
        e.config.batch_size = 5000;
        assert_eq!(e.updates_per_epoch(), 1);
        e.config.batch_size = 0;
        assert_eq!(
            e.updates_per_epoch(),
            100,
            "0 is read as 1, never a division by zero"
        );
    }
}
