//! The f64 reference that native tests check the trainer against: the forward pass and the
//! loss re-implemented from their definitions with plain loops, sharing no code with the
//! trainer. `tests/gradient_check.rs` differentiates it once (gradients), and
//! `tests/curvature.rs` twice (the Hessian).

use batch_lab::trainer::model::{Activation, ModelSpec};

/// Mean cross-entropy of the softmax of the net's logits, in f64.
pub fn reference_loss(layers: &[Vec<f64>], spec: &ModelSpec, x: &[f64], labels: &[u8]) -> f64 {
    let widths = spec.widths();
    let rows = labels.len();
    let mut total = 0.0;
    for r in 0..rows {
        let mut a: Vec<f64> = x[r * spec.inputs..(r + 1) * spec.inputs].to_vec();
        for (l, params) in layers.iter().enumerate() {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            let mut z: Vec<f64> = (0..n_out).map(|j| params[n_in * n_out + j]).collect();
            for (i, ai) in a.iter().enumerate() {
                for (j, zj) in z.iter_mut().enumerate() {
                    *zj += ai * params[i * n_out + j];
                }
            }
            if l + 1 < layers.len() {
                for v in z.iter_mut() {
                    *v = match spec.activation {
                        Activation::Relu => v.max(0.0),
                        Activation::Tanh => v.tanh(),
                        Activation::Sigmoid => 1.0 / (1.0 + (-*v).exp()),
                    };
                }
            }
            a = z;
        }
        total += reference_cross_entropy(&a, labels[r] as usize);
    }
    total / rows as f64
}

/// `−ln softmax(z)[label]` straight from the definition.
pub fn reference_cross_entropy(z: &[f64], label: usize) -> f64 {
    let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
    -((z[label] - max).exp() / sum).ln()
}
