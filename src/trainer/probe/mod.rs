//! Measurements of a network at a checkpoint that training itself never makes: how curved
//! the training loss is where the weights sit ([`sharpness`]), and how well a mini-batch's
//! gradient points along the full-batch one ([`fan`]). They answer two of the post's claims
//! ("large batches risk bad minima", "large batches give stable gradients") with numbers.
//!
//! Both read the weights and never change them, nor any random stream of the run (their own
//! draws use [`Stream::Probe`]), so a run measured at a checkpoint trains on exactly as it
//! would have unmeasured. Gradients come from the model's own backward pass
//! ([`Mlp::forward_backward`]), in chunks of [`EVAL_CHUNK`] rows so a full-batch gradient
//! of 8,000 digits needs no 8,000-row workspace, and are summed in f64, flattened in the
//! order of [`gradient_tensors`] (per layer: kernel, then bias).

pub mod fan;
pub mod sharpness;

use super::data::Dataset;
use super::model::{Mlp, Workspace, gradient_tensors};
use super::rng::{self, Stream};
use super::session::EVAL_CHUNK;
use rand::seq::SliceRandom;

/// The gradient of the mean loss over the training rows `rows` of `data` (indices, any
/// order, repeats counted), flattened; all zeros for no rows.
pub fn gradient(model: &Mlp, data: &Dataset, rows: &[u32], ws: &mut Workspace) -> Vec<f64> {
    let mut grads = model.zero_gradients();
    let mut sum = vec![0.0f64; model.spec.parameter_count()];
    let mut labels = Vec::with_capacity(EVAL_CHUNK.min(rows.len()));
    for chunk in rows.chunks(EVAL_CHUNK) {
        let input = ws.input_mut(chunk.len(), data.features);
        for (dst, &i) in input.chunks_exact_mut(data.features).zip(chunk) {
            dst.copy_from_slice(data.row(i as usize));
        }
        labels.clear();
        labels.extend(chunk.iter().map(|&i| data.y[i as usize]));
        model.forward_backward(ws, &labels, Some(&mut grads));
        // Each chunk's gradient is of its own mean loss: weigh it by its rows.
        let weight = chunk.len() as f64 / rows.len() as f64;
        let flat = gradient_tensors(&grads).flatten();
        for (s, &g) in sum.iter_mut().zip(flat) {
            *s += weight * f64::from(g);
        }
    }
    sum
}

/// Every row of `data`, in order: the rows of the full-batch gradient.
pub fn all_rows(data: &Dataset) -> Vec<u32> {
    (0..data.len() as u32).collect()
}

/// `size` distinct rows of `0..n` (all of them when `size ≥ n`), chosen by `seed` and
/// sorted: the probes' fixed subsets, the same for every checkpoint of a run so that
/// measurements along the run differ only by the weights.
pub fn subset(n: usize, size: usize, seed: u64) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.shuffle(&mut rng::seeded(seed, Stream::Probe));
    order.truncate(size.min(n));
    order.sort_unstable();
    order
}

/// The cosine of the angle between `a` and `b`; `None` when either is all zeros (or not
/// finite), where no direction exists.
pub fn cosine(a: &[f64], b: &[f64]) -> Option<f64> {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let (na, nb) = (norm(a), norm(b));
    let c = dot / (na * nb);
    (na > 0.0 && nb > 0.0 && c.is_finite()).then_some(c.clamp(-1.0, 1.0))
}

/// The Euclidean norm.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// A copy of `model` with every weight moved by `step × v` (`v` flattened as
/// [`gradient`]'s result), rounded once to f32.
fn shifted(model: &Mlp, v: &[f64], step: f64) -> Mlp {
    let mut moved = model.clone();
    let weights = moved.tensors_mut().flat_map(|t| t.iter_mut());
    for (w, &d) in weights.zip(v) {
        *w = (f64::from(*w) + step * d) as f32;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_are_distinct_sorted_and_seeded() {
        let s = subset(100, 10, 7);
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, subset(100, 10, 7));
        assert_ne!(s, subset(100, 10, 8));
        assert_eq!(subset(5, 10, 7), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn cosine_of_known_vectors() {
        assert_eq!(cosine(&[1.0, 0.0], &[2.0, 0.0]), Some(1.0));
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 3.0]), Some(0.0));
        assert!((cosine(&[1.0, 1.0], &[1.0, 0.0]).unwrap() - 0.5f64.sqrt()).abs() < 1e-15);
        assert!((cosine(&[1.0, -2.0], &[-2.0, 4.0]).unwrap() + 1.0).abs() < 1e-15);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), None);
    }

    /// The chunked gradient is the mean over all rows: the same as one pass over a batch
    /// that fits in one chunk, to f32 rounding, whatever the chunking.
    #[test]
    fn chunked_gradient_is_the_mean_over_all_rows() {
        use crate::trainer::model::{Activation, ModelSpec};
        let data = crate::trainer::data::random::generate(EVAL_CHUNK + 37, 6, 3, 2);
        let spec = ModelSpec {
            inputs: 6,
            hidden: vec![5],
            activation: Activation::Tanh,
            classes: 3,
        };
        let model = Mlp::new(spec, &mut rng::seeded(1, Stream::Init));
        let mut ws = Workspace::default();
        let chunked = gradient(&model, &data, &all_rows(&data), &mut ws);
        let mut grads = model.zero_gradients();
        ws.input_mut(data.len(), 6).copy_from_slice(&data.x);
        model.forward_backward(&mut ws, &data.y, Some(&mut grads));
        let whole: Vec<f64> = gradient_tensors(&grads)
            .flatten()
            .map(|&g| g.into())
            .collect();
        let scale = norm(&whole);
        for (c, w) in chunked.iter().zip(&whole) {
            assert!((c - w).abs() < 1e-5 * scale, "{c} vs {w}");
        }
    }
}
