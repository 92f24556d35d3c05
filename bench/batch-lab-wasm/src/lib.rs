//! Batch Lab's trainer behind a minimal JS API, for the TF.js comparison benchmark
//! (`scripts/bench`, `bench/tfjs/`). Timing is done in JS around these calls.
//! [`ceiling`] measures the browser's wasm SIMD GFLOP/s limit the trainer is compared with.

mod ceiling;
mod parts;

use batch_lab::trainer::data::{Dataset, mnist};
use batch_lab::trainer::session::{Session, TrainConfig};
use wasm_bindgen::prelude::*;

/// MNIST-10k decoded and split as the app and Keras do: first 8000 train, last 2000 validation.
#[wasm_bindgen]
pub struct Data {
    train: Dataset,
    validation: Dataset,
}

#[wasm_bindgen]
impl Data {
    #[wasm_bindgen(constructor)]
    pub fn new(compressed: &[u8]) -> Result<Data, JsError> {
        let all = mnist::decode(compressed).map_err(|e| JsError::new(&format!("{e:?}")))?;
        let (train, validation) = all
            .split_validation(0.2)
            .map_err(|e| JsError::new(&format!("{e:?}")))?;
        Ok(Data { train, validation })
    }

    #[wasm_bindgen(getter)]
    pub fn train_len(&self) -> usize {
        self.train.len()
    }

    #[wasm_bindgen(getter)]
    pub fn validation_len(&self) -> usize {
        self.validation.len()
    }
}

/// One training session (the post's model: 784-128 ReLU-10, Adam 0.001, Glorot, sparse CE).
#[wasm_bindgen]
pub struct Run {
    session: Session,
}

#[wasm_bindgen]
impl Run {
    /// Trains on the first `train_n` training samples (0 = all 8000); validates each epoch
    /// on the 2000 validation samples when `validate` is set.
    #[wasm_bindgen(constructor)]
    pub fn new(
        data: &Data,
        batch_size: usize,
        epochs: usize,
        train_n: usize,
        validate: bool,
    ) -> Result<Run, JsError> {
        let n = if train_n == 0 {
            data.train.len()
        } else {
            train_n.min(data.train.len())
        };
        let config = TrainConfig {
            batch_size,
            epochs,
            ..TrainConfig::default()
        };
        let validation = if validate {
            data.validation.clone()
        } else {
            data.validation.range(0, 0)
        };
        let session = Session::new(config, data.train.take(n), validation)
            .map_err(|e| JsError::new(&format!("{e:?}")))?;
        Ok(Run { session })
    }

    /// Flops of one training sample by the trainer's own count
    /// (`ModelSpec::train_flops_per_sample`, 409,088 for 784-128-10): samples/s times this is
    /// the achieved GFLOP/s. An f64 (exact below 2^53) so JS gets a number, not a BigInt.
    #[wasm_bindgen(getter)]
    pub fn train_flops_per_sample(&self) -> f64 {
        self.session.model().spec.train_flops_per_sample() as f64
    }

    /// Up to `n` weight updates; returns the training samples they used.
    pub fn steps(&mut self, n: usize) -> usize {
        let mut samples = 0;
        for _ in 0..n {
            match self.session.step() {
                Some(r) => samples += r.batch_size,
                None => break,
            }
        }
        samples
    }

    /// Trains to the end of the configured epochs; returns the training samples used.
    pub fn run_to_end(&mut self) -> usize {
        let mut samples = 0;
        while let Some(r) = self.session.step() {
            samples += r.batch_size;
        }
        samples
    }

    /// Validation accuracy at the last epoch end (NaN if none).
    pub fn last_val_accuracy(&self) -> f64 {
        self.session
            .history()
            .last()
            .and_then(|h| h.validation)
            .map_or(f64::NAN, |m| m.accuracy)
    }

    /// Validation accuracy with the current weights, evaluated now.
    pub fn val_accuracy_now(&mut self) -> f64 {
        self.session
            .evaluate_validation()
            .map_or(f64::NAN, |m| m.accuracy)
    }
}

/// µs per update at batch `batch` on the first `n` training samples: `[whole step,
/// forward + backward, gradient norm, optimiser step]` (see `parts.rs`).
#[wasm_bindgen]
pub fn parts(data: &Data, batch: usize, n: usize, reps: usize) -> Vec<f64> {
    parts::parts(&data.train.take(n), batch, reps)
}

/// Bit fingerprint of a few training runs (see `parts.rs`): equal lines, equal training.
#[wasm_bindgen]
pub fn fingerprint(data: &Data) -> String {
    parts::fingerprint(&data.train, &data.validation)
}
