//! The checkpoint probes (`trainer::probe`) against an independent f64 reference: the
//! sharpness probe against the top eigenvalue of an explicit Hessian, and the gradient fan
//! against cosines of explicitly computed gradients.
//!
//! The Hessian is formed entry by entry from second central differences of the f64
//! reference loss (`tests/common`, no code shared with the trainer), and its eigenvalues
//! come from the cyclic Jacobi method, exact to rounding for a small symmetric matrix; the
//! probe under test only ever sees the f32 model's own gradients.
#![cfg(not(target_arch = "wasm32"))]

mod reference;

use batch_lab::trainer::data::Dataset;
use batch_lab::trainer::model::{Activation, Mlp, ModelSpec, Workspace};
use batch_lab::trainer::probe::{fan, sharpness};
use batch_lab::trainer::rng::{self, Stream};
use reference::reference_loss;

/// A small net with non-zero biases and its data, from one seed.
fn setup(activation: Activation, rows: usize, seed: u64) -> (Mlp, Dataset) {
    let spec = ModelSpec {
        inputs: 3,
        hidden: vec![4],
        activation,
        classes: 3,
    };
    let mut model = Mlp::new(spec.clone(), &mut rng::seeded(seed, Stream::Init));
    let mut rng = rng::seeded(seed, Stream::Data);
    for layer in &mut model.layers {
        layer
            .b
            .iter_mut()
            .for_each(|b| *b = rng::uniform(&mut rng, -0.5, 0.5));
    }
    let x = (0..rows * spec.inputs)
        .map(|_| rng::normal(&mut rng))
        .collect();
    let y = (0..rows)
        .map(|_| rng::index(&mut rng, spec.classes) as u8)
        .collect();
    (model, Dataset::new(spec.inputs, spec.classes, x, y))
}

/// The model's parameters flattened as the probes flatten them (per layer: kernel, bias).
fn flat(model: &Mlp) -> Vec<f64> {
    let tensors = model.layers.iter().flat_map(|l| l.w.iter().chain(&l.b));
    tensors.map(|&v| f64::from(v)).collect()
}

/// The f64 reference loss of flat parameters `p` over `rows` of `data`.
fn loss(model: &Mlp, p: &[f64], data: &Dataset, rows: &[u32]) -> f64 {
    let mut layers = Vec::new();
    let mut rest = p;
    for l in &model.layers {
        let (head, tail) = rest.split_at(l.w.len() + l.b.len());
        layers.push(head.to_vec());
        rest = tail;
    }
    let x: Vec<f64> = rows
        .iter()
        .flat_map(|&r| data.row(r as usize).iter().map(|&v| f64::from(v)))
        .collect();
    let y: Vec<u8> = rows.iter().map(|&r| data.y[r as usize]).collect();
    reference_loss(&layers, &model.spec, &x, &y)
}

/// ∇L by central differences of the reference loss.
fn reference_gradient(model: &Mlp, data: &Dataset, rows: &[u32]) -> Vec<f64> {
    let (p, h) = (flat(model), 1e-6);
    (0..p.len())
        .map(|i| {
            let (mut up, mut down) = (p.clone(), p.clone());
            up[i] += h;
            down[i] -= h;
            (loss(model, &up, data, rows) - loss(model, &down, data, rows)) / (2.0 * h)
        })
        .collect()
}

/// The Hessian by second central differences of the reference loss, symmetrised.
fn reference_hessian(model: &Mlp, data: &Dataset, rows: &[u32]) -> Vec<Vec<f64>> {
    let (p, h) = (flat(model), 1e-4);
    let at = |i: usize, si: f64, j: usize, sj: f64| {
        let mut q = p.clone();
        q[i] += si * h;
        q[j] += sj * h;
        loss(model, &q, data, rows)
    };
    let second = |i: usize, j: usize| {
        (at(i, 1.0, j, 1.0) - at(i, 1.0, j, -1.0) - at(i, -1.0, j, 1.0) + at(i, -1.0, j, -1.0))
            / (4.0 * h * h)
    };
    // Each entry from the pair in one order, so the matrix is exactly symmetric.
    let n = p.len();
    (0..n)
        .map(|i| (0..n).map(|j| second(i.min(j), i.max(j))).collect())
        .collect()
}

/// All eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending.
fn jacobi_eigenvalues(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let n = a.len();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-24 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                // The rotation that zeroes a[p][q] (Numerical Recipes §11.1).
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (kp, kq) = (row[p], row[q]);
                    row[p] = c * kp - s * kq;
                    row[q] = s * kp + c * kq;
                }
                let (low, high) = a.split_at_mut(q);
                for (pk, qk) in low[p].iter_mut().zip(high[0].iter_mut()) {
                    (*pk, *qk) = (c * *pk - s * *qk, s * *pk + c * *qk);
                }
            }
        }
    }
    let mut eig: Vec<f64> = (0..n).map(|i| a[i][i]).collect();
    eig.sort_by(f64::total_cmp);
    eig
}

#[test]
fn jacobi_reference_on_known_matrices() {
    assert_eq!(
        jacobi_eigenvalues(vec![vec![2.0, 1.0], vec![1.0, 2.0]])
            .iter()
            .map(|v| (v * 1e12).round() / 1e12)
            .collect::<Vec<_>>(),
        vec![1.0, 3.0]
    );
    // [[4, 1, 0], [1, 3, 1], [0, 1, 2]]: eigenvalues 3 and 3 ± √3.
    let e = jacobi_eigenvalues(vec![
        vec![4.0, 1.0, 0.0],
        vec![1.0, 3.0, 1.0],
        vec![0.0, 1.0, 2.0],
    ]);
    let want = [3.0 - 3f64.sqrt(), 3.0, 3.0 + 3f64.sqrt()];
    for (g, w) in e.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "{e:?}");
    }
}

/// Relative distance of two vectors, `‖a − b‖ / ‖b‖`.
fn relative(a: &[f64], b: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    let size: f64 = b.iter().map(|y| y * y).sum();
    (diff / size).sqrt()
}

/// Hessian-vector products by central differences of the f32 model's gradients
/// (ε = 1e-3, the default) are the explicit f64 Hessian times v to 0.1 %, and power
/// iteration on them finds the explicit Hessian's largest eigenvalue to 0.1 %.
fn sharpness_matches_explicit_hessian(activation: Activation, seed: u64) {
    let (model, data) = setup(activation, 12, seed);
    let rows: Vec<u32> = (0..12).collect();
    let hess = reference_hessian(&model, &data, &rows);
    let eig = jacobi_eigenvalues(hess.clone());
    let top = *eig.last().unwrap();
    assert!(top > 0.0);
    let step = sharpness::Probe::default().step;
    let mut ws = Workspace::default();
    let mut v_rng = rng::seeded(seed, Stream::Data);
    for _ in 0..3 {
        let v: Vec<f64> = (0..hess.len())
            .map(|_| f64::from(rng::normal(&mut v_rng)))
            .collect();
        let want: Vec<f64> = hess
            .iter()
            .map(|row| row.iter().zip(&v).map(|(a, b)| a * b).sum())
            .collect();
        let got = sharpness::hessian_vector(&model, &data, &rows, &v, step, &mut ws);
        let err = relative(&got, &want);
        assert!(err < 1e-3, "{activation:?}: Hv off by {err}");
    }
    let probe = sharpness::Probe {
        subset: 12,
        iterations: 2000,
        tolerance: 1e-9,
        step,
        seed,
    };
    let s = sharpness::measure(&model, &data, &probe, &mut ws);
    assert!(
        (s.eigenvalue - top).abs() < 1e-3 * top,
        "{activation:?}: probe {s:?} vs explicit {top} (spectrum {eig:?})"
    );
}

#[test]
fn sharpness_of_a_tanh_net_matches_its_explicit_hessian() {
    sharpness_matches_explicit_hessian(Activation::Tanh, 1);
    sharpness_matches_explicit_hessian(Activation::Tanh, 2);
}

#[test]
fn sharpness_of_a_sigmoid_net_matches_its_explicit_hessian() {
    sharpness_matches_explicit_hessian(Activation::Sigmoid, 3);
}

/// Each mini-batch's cosine with the full-batch gradient equals the cosine of the f64
/// reference gradients of the same rows to 1e-4, and small batches really fan out.
#[test]
fn gradient_fan_matches_reference_gradients() {
    let (model, data) = setup(Activation::Tanh, 24, 5);
    let batches = fan::batches(24, 4, 5, 9);
    let mut ws = Workspace::default();
    let got = fan::cosines(&model, &data, &batches, &mut ws);
    let all: Vec<u32> = (0..24).collect();
    let full = reference_gradient(&model, &data, &all);
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    for (rows, got) in batches.iter().zip(&got) {
        let g = reference_gradient(&model, &data, rows);
        let dot: f64 = g.iter().zip(&full).map(|(a, b)| a * b).sum();
        let want = dot / (norm(&g) * norm(&full));
        let got = got.expect("non-zero gradients");
        assert!((got - want).abs() < 1e-4, "{rows:?}: {got} vs {want}");
    }
    let values: Vec<f64> = got.iter().flatten().copied().collect();
    let spread = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        - values.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(
        spread > 0.05,
        "batches of 4 of 24 point different ways: {values:?}"
    );
}
