//! Where one update's time goes at a batch size, in the browser: each part of
//! `Session::step` timed on its own in a loop (`scripts/bench`, `BENCH_PARTS_PROFILE`).
//! Only the trainer's public API, so the same code measures an older revision too.

use batch_lab::trainer::data::Dataset;
use batch_lab::trainer::model::{Activation, Mlp, ModelSpec, Workspace, gradient_tensors};
use batch_lab::trainer::optim::{Optimizer, OptimizerKind};
use batch_lab::trainer::rng::{self, Stream};
use batch_lab::trainer::session::{Session, TrainConfig};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// Microseconds per call of `f`, over `reps` calls (after two untimed ones).
fn per_call(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    f();
    let t0 = now();
    for _ in 0..reps {
        f();
    }
    (now() - t0) * 1e3 / reps as f64
}

/// `Σ x²` as the session computes the gradient norm (8 f32 lanes, blocks of 1,024, f64).
fn sum_of_squares(values: &[f32]) -> f64 {
    values
        .chunks(1024)
        .map(|block| {
            let mut lanes = [0.0f32; 8];
            let mut chunks = block.chunks_exact(8);
            for chunk in &mut chunks {
                for (lane, &v) in lanes.iter_mut().zip(chunk) {
                    *lane += v * v;
                }
            }
            let tail: f32 = chunks.remainder().iter().map(|v| v * v).sum();
            lanes.iter().map(|&l| l as f64).sum::<f64>() + tail as f64
        })
        .sum()
}

/// µs per update at batch `batch` on `train`: `[whole Session::step, forward + backward,
/// gradient norm, optimiser step]`, each over `reps` calls.
pub fn parts(train: &Dataset, batch: usize, reps: usize) -> Vec<f64> {
    let config = TrainConfig {
        batch_size: batch,
        epochs: 100_000,
        ..TrainConfig::default()
    };
    let mut session = Session::new(config, train.clone(), train.range(0, 0)).expect("config");
    let step = per_call(reps, || {
        session.step();
    });

    let spec = ModelSpec {
        inputs: train.features,
        hidden: vec![128],
        activation: Activation::Relu,
        classes: train.classes,
    };
    let mut model = Mlp::new(spec, &mut rng::seeded(42, Stream::Init));
    let mut grads = model.zero_gradients();
    let mut ws = Workspace::default();
    ws.set_per_example_norms(true);
    let labels = &train.y[..batch];
    let fb = per_call(reps, || {
        ws.input_mut(batch, train.features)
            .copy_from_slice(&train.x[..batch * train.features]);
        model.forward_backward(&mut ws, labels, Some(&mut grads));
    });
    let mut norm = 0.0;
    let norm_us = per_call(reps, || {
        norm += gradient_tensors(&grads)
            .map(sum_of_squares)
            .sum::<f64>()
            .sqrt();
    });
    let mut opt = Optimizer::new(OptimizerKind::adam());
    let adam = per_call(reps, || {
        opt.step(model.tensors_mut(), gradient_tensors(&grads), 0.001);
    });
    assert!(norm.is_finite());
    vec![step, fb, norm_us, adam]
}

/// A hash of every record's loss, gradient norm and noise scale and of the final weights, for
/// runs at B = 1, 8, 32 (Adam), 5 (momentum) and 3 (SGD) on the first 2,000 samples: two
/// builds that train bit for bit alike print the same line.
pub fn fingerprint(train: &Dataset, validation: &Dataset) -> String {
    use batch_lab::trainer::optim::OptimizerKind as K;
    let fnv = |h: &mut u64, x: u64| {
        *h ^= x;
        *h = h.wrapping_mul(0x100000001b3);
    };
    let mut out = String::new();
    for (batch, optimizer, updates) in [
        (1, K::adam(), 1200),
        (8, K::adam(), 600),
        (32, K::adam(), 600),
        (5, K::momentum(), 300),
        (3, K::Sgd, 300),
    ] {
        let config = TrainConfig {
            batch_size: batch,
            epochs: 1000,
            optimizer,
            ..TrainConfig::default()
        };
        let mut s =
            Session::new(config, train.take(2000), validation.range(0, 200)).expect("config");
        let mut h = 0xcbf29ce484222325u64;
        for _ in 0..updates {
            let r = s.step().expect("long enough");
            fnv(&mut h, r.loss.to_bits());
            fnv(&mut h, r.gradient_norm.to_bits());
            fnv(&mut h, r.noise_scale.unwrap_or(-1.0).to_bits());
            if let Some(v) = r.validation {
                fnv(&mut h, v.loss.to_bits());
            }
        }
        for l in &s.model().layers {
            for w in l.w.iter().chain(&l.b) {
                fnv(&mut h, u64::from(w.to_bits()));
            }
        }
        out += &format!("B={batch} {h:016x}\n");
    }
    out
}
