//! The gradient fan: at a checkpoint, the cosine between each of a few mini-batch
//! gradients and the full-batch gradient. A mini-batch gradient is an estimate of the
//! full one; the post's "large batches give stable gradients" says large-B estimates point
//! closer to it. Near 1 the batches all push the way full-batch descent would; near 0 each
//! batch pushes mostly its own way (the noise the small-batch curves show).
//!
//! The full-batch gradient costs a pass over the whole training set, so it is computed only
//! here, at checkpoints, and never inside an update.

use super::{all_rows, cosine, gradient};
use crate::trainer::data::Dataset;
use crate::trainer::model::{Mlp, Workspace};
use crate::trainer::rng::{self, Stream};
use crate::trainer::session::batch_in_effect;
use rand::seq::SliceRandom;

/// `count` mini-batches of `batch` rows of `0..n`, drawn as an epoch draws them (one
/// seeded permutation, cut into consecutive batches, no row twice), the permutation
/// starting afresh when one runs out. `batch` is read as the session reads it
/// ([`batch_in_effect`]), so the fan's batches are the size the run's are.
pub fn batches(n: usize, batch: usize, count: usize, seed: u64) -> Vec<Vec<u32>> {
    let batch = batch_in_effect(n, batch);
    let mut rng = rng::seeded(seed, Stream::Probe);
    let mut order: Vec<u32> = Vec::new();
    let mut next = 0;
    (0..count)
        .map(|_| {
            if next + batch > order.len() {
                order = (0..n as u32).collect();
                order.shuffle(&mut rng);
                next = 0;
            }
            next += batch;
            order[next - batch..next].to_vec()
        })
        .collect()
}

/// For each of `batches` (rows of `data`), the cosine between its mean-loss gradient and
/// the full-batch gradient over all of `data`; `None` for a batch whose gradient, or
/// where the full gradient, is zero (no direction to compare).
pub fn cosines(
    model: &Mlp,
    data: &Dataset,
    batches: &[Vec<u32>],
    ws: &mut Workspace,
) -> Vec<Option<f64>> {
    let full = gradient(model, data, &all_rows(data), ws);
    batches
        .iter()
        .map(|rows| cosine(&gradient(model, data, rows, ws), &full))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_an_epochs_cut_of_a_seeded_permutation() {
        let b = batches(10, 4, 3, 5);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 4]);
        let mut first_two: Vec<u32> = b[..2].concat();
        first_two.sort_unstable();
        first_two.dedup();
        assert_eq!(first_two.len(), 8, "no row twice within a permutation");
        assert_eq!(b, batches(10, 4, 3, 5));
        assert_ne!(b, batches(10, 4, 3, 6));
        let full = batches(10, 99, 2, 5);
        assert!(full.iter().all(|rows| rows.len() == 10), "B clamps to N");
    }

    /// A full batch is the full gradient: its cosine is 1 (to f32 rounding).
    #[test]
    fn the_full_batch_points_exactly_along_itself() {
        use crate::trainer::model::{Activation, ModelSpec};
        let data = crate::trainer::data::random::generate(64, 5, 3, 1);
        let spec = ModelSpec {
            inputs: 5,
            hidden: vec![4],
            activation: Activation::Relu,
            classes: 3,
        };
        let model = Mlp::new(spec, &mut rng::seeded(1, Stream::Init));
        let mut ws = Workspace::default();
        let c = cosines(&model, &data, &batches(64, 64, 1, 0), &mut ws);
        assert!((c[0].unwrap() - 1.0).abs() < 1e-6, "{c:?}");
    }
}
