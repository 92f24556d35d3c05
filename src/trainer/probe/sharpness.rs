//! Sharpness: the largest eigenvalue of the training loss' Hessian at the current weights
//! (Keskar et al. 2017, "On large-batch training for deep learning: generalization gap and
//! sharp minima"). A large value means the loss rises steeply in some direction away from
//! the minimum; the post's "large batches risk bad minima" becomes "large-batch runs end
//! where this number is larger", which a reader can check.
//!
//! The Hessian of MNIST's 101,770 weights has 10¹⁰ entries and is never formed. Power
//! iteration needs only Hessian-vector products, and a product is a central difference of
//! two gradients the model already computes: `Hv ≈ (∇L(w + εv) − ∇L(w − εv)) / 2ε`, exact
//! for a quadratic and with an `O(ε²)` error otherwise. The loss is the mean over a fixed
//! subset of the training data ([`super::subset`]), the same at every checkpoint of a run.
//!
//! Power iteration converges to the eigenvalue of largest *magnitude*. Near a minimum that
//! is the largest eigenvalue; where the loss also curves down more steeply than it curves
//! up (early in training), [`top_eigenvalue`] runs a second iteration on `H − λ₁I`, whose
//! largest-magnitude eigenvalue is `λ_max − λ₁`, so the answer is always the largest.

use super::{gradient, norm, shifted, subset};
use crate::trainer::data::Dataset;
use crate::trainer::model::{Mlp, Workspace};
use crate::trainer::rng::{self, Stream};
use serde::{Deserialize, Serialize};

/// How a sharpness is measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// Training rows the loss is averaged over (all of them when the set is smaller).
    pub subset: usize,
    /// Most power iterations (each two gradients over the subset), per iteration run.
    pub iterations: usize,
    /// Stop when the estimate moves by less than this fraction of itself in one iteration.
    pub tolerance: f64,
    /// ε of the central difference, for a unit `v`. In f32, 1e-3 keeps each weight's move
    /// (ε/√d per weight on average) far above its rounding while the `O(ε²)` error stays
    /// far below the eigenvalue (checked against an explicit Hessian in `tests/curvature.rs`).
    pub step: f64,
    /// Chooses the subset and the start vector.
    pub seed: u64,
}

impl Default for Probe {
    /// 1,000 rows and at most 50 iterations to 0.1 %: "20–50 iterations usually settle"
    /// (one iteration at 1,000 MNIST rows is two gradients, about 0.8 GFLOP).
    fn default() -> Self {
        Probe {
            subset: 1000,
            iterations: 50,
            tolerance: 1e-3,
            step: 1e-3,
            seed: 0,
        }
    }
}

/// A measured top eigenvalue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sharpness {
    /// The estimate of the largest eigenvalue (the last Rayleigh quotient).
    pub eigenvalue: f64,
    /// Hessian-vector products spent.
    pub products: usize,
    /// Whether the estimate settled within the tolerance before the iterations ran out.
    pub converged: bool,
}

/// The largest eigenvalue of the symmetric operator `hv` (a Hessian-vector product) on
/// vectors of `dim` values, by power iteration from a seeded random start, with the shift
/// described in the module comment when the largest-magnitude eigenvalue is negative.
pub fn top_eigenvalue(
    dim: usize,
    mut hv: impl FnMut(&[f64]) -> Vec<f64>,
    iterations: usize,
    tolerance: f64,
    seed: u64,
) -> Sharpness {
    let start = start_vector(dim, seed);
    let first = power_iteration(&start, &mut hv, 0.0, iterations, tolerance);
    if first.eigenvalue >= 0.0 {
        return first;
    }
    let shift = first.eigenvalue;
    let second = power_iteration(&start, &mut hv, shift, iterations, tolerance);
    Sharpness {
        eigenvalue: second.eigenvalue + shift,
        products: first.products + second.products,
        converged: second.converged,
    }
}

/// A unit vector with independent normal entries: almost surely not orthogonal to the
/// top eigenvector, which power iteration needs.
fn start_vector(dim: usize, seed: u64) -> Vec<f64> {
    let mut rng = rng::seeded(seed, Stream::Probe);
    let mut v: Vec<f64> = (0..dim).map(|_| f64::from(rng::normal(&mut rng))).collect();
    let n = norm(&v);
    v.iter_mut().for_each(|x| *x /= n);
    v
}

/// Power iteration on `H − shift·I`, returning its eigenvalue estimate (shift not added).
fn power_iteration(
    start: &[f64],
    hv: &mut impl FnMut(&[f64]) -> Vec<f64>,
    shift: f64,
    iterations: usize,
    tolerance: f64,
) -> Sharpness {
    let mut v = start.to_vec();
    let mut estimate = f64::NAN;
    for k in 1..=iterations.max(1) {
        let mut w = hv(&v);
        w.iter_mut().zip(&v).for_each(|(w, v)| *w -= shift * v);
        // The Rayleigh quotient of a unit v: exact for an eigenvector, and its error is
        // the square of v's, so it settles before v does.
        let rayleigh: f64 = w.iter().zip(&v).map(|(w, v)| w * v).sum();
        let n = norm(&w);
        let settled = (rayleigh - estimate).abs() <= tolerance * rayleigh.abs();
        estimate = rayleigh;
        if settled || n == 0.0 || !n.is_finite() {
            return Sharpness {
                eigenvalue: estimate,
                products: k,
                converged: settled || n == 0.0,
            };
        }
        v = w.into_iter().map(|x| x / n).collect();
    }
    Sharpness {
        eigenvalue: estimate,
        products: iterations.max(1),
        converged: false,
    }
}

/// `H·v` of the mean loss over `rows`, by the central difference of two gradients at
/// `w ± (step/‖v‖)·v` (so every `v` moves the weights by `step`).
pub fn hessian_vector(
    model: &Mlp,
    data: &Dataset,
    rows: &[u32],
    v: &[f64],
    step: f64,
    ws: &mut Workspace,
) -> Vec<f64> {
    let eps = step / norm(v);
    let up = gradient(&shifted(model, v, eps), data, rows, ws);
    let down = gradient(&shifted(model, v, -eps), data, rows, ws);
    up.iter()
        .zip(&down)
        .map(|(u, d)| (u - d) / (2.0 * eps))
        .collect()
}

/// The sharpness of `model` on the training set `data`, measured as `probe` says.
pub fn measure(model: &Mlp, data: &Dataset, probe: &Probe, ws: &mut Workspace) -> Sharpness {
    let rows = subset(data.len(), probe.subset, probe.seed);
    top_eigenvalue(
        model.spec.parameter_count(),
        |v| hessian_vector(model, data, &rows, v, probe.step, ws),
        probe.iterations,
        probe.tolerance,
        probe.seed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `H·v` for a dense symmetric matrix.
    fn product(h: &[Vec<f64>]) -> impl FnMut(&[f64]) -> Vec<f64> + '_ {
        move |v| {
            h.iter()
                .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
                .collect()
        }
    }

    /// A rotated diagonal: eigenvalues known, eigenvectors not the axes.
    fn rotated(eigenvalues: &[f64]) -> Vec<Vec<f64>> {
        let n = eigenvalues.len();
        // A Householder reflection Q = I − 2uuᵀ/‖u‖² is orthogonal: H = Q·diag·Q.
        let u: Vec<f64> = (0..n).map(|i| 1.0 + i as f64 * 0.7).collect();
        let uu: f64 = u.iter().map(|x| x * x).sum();
        let q = |i: usize, j: usize| f64::from(u8::from(i == j)) - 2.0 * u[i] * u[j] / uu;
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| (0..n).map(|k| q(i, k) * eigenvalues[k] * q(k, j)).sum())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_the_top_eigenvalue_of_a_quadratic() {
        let h = rotated(&[0.5, 9.0, 3.0, -1.0, 6.0]);
        let s = top_eigenvalue(5, product(&h), 500, 1e-12, 3);
        assert!((s.eigenvalue - 9.0).abs() < 1e-8, "{s:?}");
        assert!(s.converged);
    }

    /// The most negative eigenvalue is the largest in magnitude: the shifted second
    /// iteration still returns the largest one.
    #[test]
    fn a_larger_negative_eigenvalue_does_not_win() {
        let h = rotated(&[2.0, -7.0, 0.5, 3.0]);
        let s = top_eigenvalue(4, product(&h), 2000, 1e-13, 1);
        assert!((s.eigenvalue - 3.0).abs() < 1e-6, "{s:?}");
        let plain = top_eigenvalue(4, product(&rotated(&[-7.0, -2.0])), 2000, 1e-13, 1);
        assert!(
            (plain.eigenvalue + 2.0).abs() < 1e-6,
            "all negative: {plain:?}"
        );
    }

    #[test]
    fn stops_when_out_of_iterations_and_says_so() {
        let h = rotated(&[1.0, 0.999, 0.5]);
        let s = top_eigenvalue(3, product(&h), 3, 1e-12, 2);
        assert_eq!((s.products, s.converged), (3, false));
        assert_eq!(
            top_eigenvalue(3, product(&h), 3, 1e-12, 2),
            s,
            "deterministic"
        );
    }

    /// The subset and the start vector come from the probe's seed, so a measurement
    /// repeats to the bit (a fresh workspace included).
    #[test]
    fn measuring_a_network_is_deterministic_for_a_seed() {
        use crate::trainer::model::{Activation, ModelSpec};
        let data = crate::trainer::data::random::generate(300, 8, 3, 4);
        let spec = ModelSpec {
            inputs: 8,
            hidden: vec![6],
            activation: Activation::Tanh,
            classes: 3,
        };
        let model = Mlp::new(spec, &mut rng::seeded(2, Stream::Init));
        let probe = Probe {
            subset: 200,
            ..Probe::default()
        };
        let mut ws = Workspace::default();
        let a = measure(&model, &data, &probe, &mut ws);
        let b = measure(&model, &data, &probe, &mut Workspace::default());
        assert_eq!(a, b);
        assert!(a.eigenvalue > 0.0 && a.converged, "{a:?}");
    }
}
