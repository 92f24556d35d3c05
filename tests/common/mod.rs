//! Fixtures shared by the integration tests (each test file is its own crate; this module
//! is included by `mod common;`).

use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::trainer::session::TrainConfig;

/// The post's "200 samples, batch 20 = 10 updates per epoch" on random data, with a small
/// net (one hidden layer of 8) so that a test trains it in milliseconds.
pub fn post_example(epochs: usize) -> Experiment {
    Experiment {
        source: DataSource::Random,
        train_size: 200,
        validation_split: 0.2,
        config: TrainConfig {
            hidden: vec![8],
            batch_size: 20,
            epochs,
            ..TrainConfig::default()
        },
    }
}
