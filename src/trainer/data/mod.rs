//! Data sets as the trainer sees them: a dense `f32` feature matrix and class labels.
//!
//! Sources live in their own modules ([`mnist`], [`random`], [`toy`]); this module holds
//! what all of them share: cutting to a size N and Keras' `validation_split`.

pub mod mnist;
pub mod random;
pub mod toy;

/// Keras' `validation_split` cut: of `total` samples, the first
/// `floor(total · (1 − split))` train and the rest validate. Computed in f64 as Keras does in
/// Python (`int(floor(n * (1. - split)))`), so a split like 0.8 of 10 keeps 1, not 2: the
/// generated sets, the largest N and [`Dataset::split_validation`] must all cut where Keras
/// would.
pub fn keras_split_at(total: usize, split: f64) -> usize {
    (total as f64 * (1.0 - split)).floor() as usize
}

/// A labelled data set: `len()` rows of `features` values each, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Values per sample (784 for MNIST, 2 for the toy sets).
    pub features: usize,
    /// Number of classes; labels are `0..classes`.
    pub classes: usize,
    /// `len() * features` values, sample after sample.
    pub x: Vec<f32>,
    /// One label per sample.
    pub y: Vec<u8>,
}

/// Why a data set could not be built or split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataError {
    /// The bytes are not a Batch Lab data asset (wrong magic, truncated, bad compression).
    Malformed(String),
    /// A size, split or parameter outside what the set allows.
    Invalid(String),
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataError::Malformed(m) => write!(f, "malformed data: {m}"),
            DataError::Invalid(m) => write!(f, "invalid data request: {m}"),
        }
    }
}

impl std::error::Error for DataError {}

impl Dataset {
    /// A data set from parts; panics only on a programming error (sizes that disagree).
    pub fn new(features: usize, classes: usize, x: Vec<f32>, y: Vec<u8>) -> Self {
        assert_eq!(
            x.len(),
            y.len() * features,
            "feature matrix and labels disagree"
        );
        assert!(
            y.iter().all(|&l| (l as usize) < classes),
            "label out of range"
        );
        Dataset {
            features,
            classes,
            x,
            y,
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True when the set has no samples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The features of sample `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.features..(i + 1) * self.features]
    }

    /// The first `n` samples (all of them if `n` is larger): the post's "a data set of 200".
    /// Sources are stored in a class-balanced order, so a prefix keeps the class mix.
    pub fn take(&self, n: usize) -> Dataset {
        self.range(0, n.min(self.len()))
    }

    /// Samples `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Dataset {
        Dataset {
            features: self.features,
            classes: self.classes,
            x: self.x[start * self.features..end * self.features].to_vec(),
            y: self.y[start..end].to_vec(),
        }
    }

    /// Keras' `validation_split`: the **last** `fraction` of the samples, as given and before
    /// any shuffling, becomes validation data; training keeps the first
    /// `floor(len * (1 - fraction))`. A fraction of 0 gives an empty validation set.
    pub fn split_validation(&self, fraction: f64) -> Result<(Dataset, Dataset), DataError> {
        if !(0.0..1.0).contains(&fraction) {
            return Err(DataError::Invalid(format!(
                "validation split must be in [0, 1), got {fraction}"
            )));
        }
        let split_at = keras_split_at(self.len(), fraction);
        if split_at == 0 {
            return Err(DataError::Invalid("no training samples left".into()));
        }
        Ok((self.range(0, split_at), self.range(split_at, self.len())))
    }

    /// `n` training samples followed by `n_val` validation samples taken from the end of this
    /// set: the app's "N is the training size" rule, where validation is held out separately
    /// and never counts in N. Fails if the set is too small for both.
    pub fn train_and_validation(
        &self,
        n: usize,
        n_val: usize,
    ) -> Result<(Dataset, Dataset), DataError> {
        if n == 0 {
            return Err(DataError::Invalid("N must be at least 1".into()));
        }
        if n + n_val > self.len() {
            return Err(DataError::Invalid(format!(
                "{n} training + {n_val} validation samples requested, the set has {}",
                self.len()
            )));
        }
        let val_start = self.len() - n_val;
        Ok((self.range(0, n), self.range(val_start, self.len())))
    }

    /// How many samples of each class the set holds.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes];
        for &l in &self.y {
            counts[l as usize] += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting(n: usize) -> Dataset {
        Dataset::new(
            1,
            2,
            (0..n).map(|i| i as f32).collect(),
            (0..n).map(|i| (i % 2) as u8).collect(),
        )
    }

    /// Values Python gives for `int(math.floor(n * (1. - split)))`, including the ones where
    /// f64 lands below the exact product (10 × 0.2 is 1.9999999999999996).
    #[test]
    fn keras_split_at_is_pythons_floor_of_the_complement() {
        for (total, split, train) in [
            (10, 0.2, 8),
            (7, 0.25, 5),
            (6, 0.35, 3),
            (1250, 0.2, 1000),
            (100_000, 1.0 / 3.0, 66_666),
            (10, 0.8, 1),
            (5, 0.8, 0),
            (25, 0.56, 10),
            (10, 0.0, 10),
        ] {
            assert_eq!(keras_split_at(total, split), train, "{total} at {split}");
        }
    }

    #[test]
    fn keras_split_takes_the_last_fraction() {
        let (train, val) = counting(10).split_validation(0.2).unwrap();
        assert_eq!(train.x, vec![0., 1., 2., 3., 4., 5., 6., 7.]);
        assert_eq!(val.x, vec![8., 9.]);
        let (train, val) = counting(7).split_validation(0.25).unwrap();
        assert_eq!((train.len(), val.len()), (5, 2)); // floor(7 * 0.75) = 5
        assert!(counting(5).split_validation(1.0).is_err());
        assert_eq!(counting(5).split_validation(0.0).unwrap().1.len(), 0);
    }

    #[test]
    fn train_and_validation_never_overlap() {
        let (train, val) = counting(100).train_and_validation(30, 20).unwrap();
        assert_eq!(train.len(), 30);
        assert_eq!(val.x.first(), Some(&80.0));
        assert!(counting(10).train_and_validation(8, 3).is_err());
        assert!(counting(10).train_and_validation(0, 3).is_err());
    }

    #[test]
    fn take_cuts_to_n() {
        assert_eq!(counting(10).take(3).y, vec![0, 1, 0]);
        assert_eq!(counting(10).take(99).len(), 10);
    }
}
