//! The trainer: plain Rust, no browser dependency, so the code that runs in the Web Worker
//! is also tested and benchmarked natively. One part differs by target: the matrix kernel
//! (wasm32 runs the hand-written SIMD128 one, native builds `matrixmultiply`; see
//! [`linalg`]). The SIMD128 kernel's own code is also unit-tested natively, on portable
//! stand-ins for its SIMD operations; the real instructions are tested in a browser
//! (`tests/wasm_linalg.rs`) and benchmarked there (`benches/wasm_gemm.rs`).
//!
//! - [`data`]: data sets (MNIST-10k, random noise, 2-D toys), cutting and Keras-style splits.
//! - [`rng`]: the one portable seeded generator every random choice goes through.
//! - [`linalg`]: the matrix products (the hot path).
//! - [`model`]: the MLP (dense layers, activations) with forward and backward passes.
//! - [`loss`]: softmax + sparse categorical cross-entropy.
//! - [`noise`]: the gradient-noise meter (simple noise scale from per-example norms).
//! - [`probe`]: measurements at a checkpoint, off the training's clock: the sharpness (top
//!   Hessian eigenvalue) and the gradient fan (mini-batch against full-batch gradient).
//! - [`optim`]: SGD, SGD with momentum, Adam (Keras' update rules).
//! - [`schedule`]: the learning rate of every update (scaling with B, warm-up, decay).
//! - [`session`]: a training run that performs exactly one weight update per call.

pub mod data;
pub mod linalg;
pub mod loss;
pub mod model;
pub mod noise;
pub mod optim;
pub mod probe;
pub mod rng;
pub mod schedule;
pub mod session;
