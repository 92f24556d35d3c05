//! Finite-difference gradient checks against an independent f64 reference.
//!
//! The reference (`tests/common`) re-implements the forward pass and loss from their definitions in
//! f64 with plain loops (no shared code with the trainer), takes central differences of
//! it for every parameter, and compares them with the trainer's analytic f32 gradients.
#![cfg(not(target_arch = "wasm32"))]

mod reference;

use batch_lab::trainer::loss::softmax_cross_entropy;
use batch_lab::trainer::model::{Activation, Dense, Mlp, ModelSpec, Workspace};
use batch_lab::trainer::rng::{self, Stream};
use reference::{reference_cross_entropy, reference_loss};

/// Relative error with a floor, so near-zero gradients compare absolutely.
fn close(analytic: f64, numeric: f64) -> bool {
    (analytic - numeric).abs() <= 2e-3 * numeric.abs().max(analytic.abs()).max(1e-2)
}

fn check(activation: Activation, hidden: Vec<usize>, classes: usize, rows: usize, seed: u64) {
    let spec = ModelSpec {
        inputs: 5,
        hidden,
        activation,
        classes,
    };
    let mut rng = rng::seeded(seed, Stream::Data);
    let model = Mlp::new(spec.clone(), &mut rng::seeded(seed, Stream::Init));
    // Non-zero biases, so the bias gradients are exercised away from the origin.
    let mut model = model;
    for layer in &mut model.layers {
        layer
            .b
            .iter_mut()
            .for_each(|b| *b = rng::uniform(&mut rng, -0.5, 0.5));
    }
    let x: Vec<f32> = (0..rows * spec.inputs)
        .map(|_| rng::normal(&mut rng))
        .collect();
    let labels: Vec<u8> = (0..rows)
        .map(|_| rng::index(&mut rng, classes) as u8)
        .collect();

    let mut ws = Workspace::default();
    ws.input_mut(rows, spec.inputs).copy_from_slice(&x);
    let mut grads: Vec<Dense> = model.zero_gradients();
    let totals = model.forward_backward(&mut ws, &labels, Some(&mut grads));

    let mut params: Vec<Vec<f64>> = model
        .layers
        .iter()
        .map(|l| l.w.iter().chain(&l.b).map(|&v| v as f64).collect())
        .collect();
    let x64: Vec<f64> = x.iter().map(|&v| v as f64).collect();
    let loss = reference_loss(&params, &spec, &x64, &labels);
    assert!(
        (totals.loss() - loss).abs() < 1e-5,
        "forward: {} vs reference {loss}",
        totals.loss()
    );

    let h = 1e-6;
    for l in 0..params.len() {
        let analytic: Vec<f32> = grads[l].w.iter().chain(&grads[l].b).cloned().collect();
        for p in 0..params[l].len() {
            let keep = params[l][p];
            params[l][p] = keep + h;
            let up = reference_loss(&params, &spec, &x64, &labels);
            params[l][p] = keep - h;
            let down = reference_loss(&params, &spec, &x64, &labels);
            params[l][p] = keep;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                close(analytic[p] as f64, numeric),
                "{activation:?} layer {l} param {p}: analytic {} vs numeric {numeric}",
                analytic[p]
            );
        }
    }
}

#[test]
fn relu_net_with_two_hidden_layers() {
    check(Activation::Relu, vec![7, 6], 4, 9, 1);
}

#[test]
fn tanh_net_with_two_hidden_layers() {
    check(Activation::Tanh, vec![6, 5], 3, 8, 2);
}

#[test]
fn sigmoid_net_with_two_hidden_layers() {
    check(Activation::Sigmoid, vec![6, 4], 3, 7, 3);
}

#[test]
fn single_sample_and_no_hidden_layer() {
    check(Activation::Relu, vec![], 3, 1, 4); // logistic regression, B = 1
    check(Activation::Tanh, vec![3], 2, 1, 5);
}

#[test]
fn loss_gradient_including_large_logits() {
    let cases: [(&[f32], u8); 4] = [
        (&[0.3, -1.2, 2.0], 0),
        (&[50.0, -30.0, 49.0], 2),
        (&[-80.0, 0.0, 80.0, 10.0], 1),
        (&[1.0e3, 1.0e3, -1.0e3], 1),
    ];
    for (logits, label) in cases {
        let classes = logits.len();
        let mut grad = logits.to_vec();
        let totals = softmax_cross_entropy(&mut grad, &[label], classes, true, &mut Vec::new());
        let z: Vec<f64> = logits.iter().map(|&v| v as f64).collect();
        let want = reference_cross_entropy(&z, label as usize);
        assert!(
            (totals.loss() - want).abs() < 1e-3 * want.max(1.0),
            "{logits:?}: {} vs {want}",
            totals.loss()
        );
        for j in 0..classes {
            let h = 1e-4;
            let mut up = z.clone();
            up[j] += h;
            let mut down = z.clone();
            down[j] -= h;
            let numeric = (reference_cross_entropy(&up, label as usize)
                - reference_cross_entropy(&down, label as usize))
                / (2.0 * h);
            assert!(
                (grad[j] as f64 - numeric).abs() < 1e-4,
                "{logits:?}[{j}]: {} vs {numeric}",
                grad[j]
            );
        }
    }
}
