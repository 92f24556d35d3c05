//! Pure noise, as in the post's PyTorch example: `X = torch.randn(1000, 10)`,
//! `y = torch.randint(0, 2, (1000,))`. The labels carry no information about the features,
//! so a net can only memorise: training accuracy climbs while validation stays at chance.
//! That is the clearest picture of overfitting a student can get.

use super::Dataset;
use crate::trainer::rng::{self, Stream};

/// Features per sample in the post's example.
pub const FEATURES: usize = 10;
/// Classes in the post's example.
pub const CLASSES: usize = 2;

/// `n` samples of `features` standard-normal values with labels uniform in
/// `0..classes`, all from `seed`.
pub fn generate(n: usize, features: usize, classes: usize, seed: u64) -> Dataset {
    assert!((1..=256).contains(&classes), "classes must be in 1..=256");
    let mut rng = rng::seeded(seed, Stream::Data);
    let x = (0..n * features).map(|_| rng::normal(&mut rng)).collect();
    let y = (0..n)
        .map(|_| rng::index(&mut rng, classes) as u8)
        .collect();
    Dataset::new(features, classes, x, y)
}

/// The post's data set: `randn(n, 10)` with labels in {0, 1}.
pub fn pytorch_example(n: usize, seed: u64) -> Dataset {
    generate(n, FEATURES, CLASSES, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_balance_and_determinism() {
        let d = pytorch_example(1000, 3);
        assert_eq!((d.len(), d.features, d.classes), (1000, 10, 2));
        let ones = d.class_counts()[1];
        assert!((430..=570).contains(&ones), "{ones} ones of 1000");
        assert_eq!(d, pytorch_example(1000, 3));
        assert_ne!(d, pytorch_example(1000, 4));
        let mean = d.x.iter().map(|&v| v as f64).sum::<f64>() / d.x.len() as f64;
        assert!(mean.abs() < 0.05);
    }
}
