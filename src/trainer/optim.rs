//! Optimisers with Keras' exact update rules, so the app's curves match what a reader gets
//! from `model.compile(optimizer=...)`.
//!
//! The learning rate is passed to every [`Optimizer::step`] rather than stored, so
//! schedules (linear scaling with batch size, warm-up) only decide a number per step.

/// Which optimiser, with its hyper-parameters (the learning rate is separate, see module doc).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum OptimizerKind {
    /// `w ← w − lr·g` (Keras `SGD()`).
    Sgd,
    /// Keras `SGD(momentum=m)`: `v ← m·v − lr·g`, `w ← w + v`.
    Momentum { momentum: f32 },
    /// Keras `Adam` (see [`OptimizerKind::adam`] for the defaults).
    Adam {
        beta1: f32,
        beta2: f32,
        epsilon: f32,
    },
}

impl OptimizerKind {
    /// Keras' `Adam()` defaults: β₁ 0.9, β₂ 0.999, ε 1e-7.
    pub const fn adam() -> Self {
        OptimizerKind::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
        }
    }

    /// SGD with the customary momentum 0.9.
    pub const fn momentum() -> Self {
        OptimizerKind::Momentum { momentum: 0.9 }
    }

    /// The learning rate Keras uses when none is given: 0.001 for Adam, 0.01 for SGD.
    pub fn default_learning_rate(self) -> f32 {
        match self {
            OptimizerKind::Adam { .. } => 0.001,
            _ => 0.01,
        }
    }
}

/// An optimiser and its per-parameter state (velocity, or Adam's two moments).
#[derive(Clone, Debug)]
pub struct Optimizer {
    kind: OptimizerKind,
    /// Updates applied so far (Keras' `iterations`).
    iterations: u64,
    first: Vec<Vec<f32>>,
    second: Vec<Vec<f32>>,
}

impl Optimizer {
    /// A fresh optimiser (state is created on the first step).
    pub fn new(kind: OptimizerKind) -> Self {
        Optimizer {
            kind,
            iterations: 0,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// One update of every parameter tensor with its gradient, in matching order.
    pub fn step<'a>(
        &mut self,
        params: impl Iterator<Item = &'a mut [f32]>,
        grads: impl Iterator<Item = &'a [f32]>,
        lr: f32,
    ) {
        self.iterations += 1;
        let t = self.iterations as i32;
        for (i, (p, g)) in params.zip(grads).enumerate() {
            debug_assert_eq!(p.len(), g.len());
            match self.kind {
                OptimizerKind::Sgd => p.iter_mut().zip(g).for_each(|(w, g)| *w -= lr * g),
                OptimizerKind::Momentum { momentum } => {
                    let v = state(&mut self.first, i, p.len());
                    for ((w, g), v) in p.iter_mut().zip(g).zip(v) {
                        *v = flush_subnormal(momentum * *v - lr * g);
                        *w += *v;
                    }
                }
                OptimizerKind::Adam {
                    beta1,
                    beta2,
                    epsilon,
                } => {
                    // Keras: alpha = lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ); m += (g − m)(1 − β₁);
                    // v += (g² − v)(1 − β₂); w −= alpha·m/(sqrt(v) + ε).
                    let alpha = lr * (1.0 - beta2.powi(t)).sqrt() / (1.0 - beta1.powi(t));
                    let m = state(&mut self.first, i, p.len());
                    let v = state(&mut self.second, i, p.len());
                    for (((w, &g), m), v) in p.iter_mut().zip(g).zip(m).zip(v.iter_mut()) {
                        *m = flush_subnormal(*m + (g - *m) * (1.0 - beta1));
                        *v = flush_subnormal(*v + (g * g - *v) * (1.0 - beta2));
                        *w -= alpha * *m / (v.sqrt() + epsilon);
                    }
                }
            }
        }
    }
}

/// Zero for a subnormal value (|x| < `f32::MIN_POSITIVE`, about 1.2e-38), else `x`.
///
/// Why: a moment whose gradient stays zero (a pixel that is blank in most digits) decays by
/// β each step into the subnormal range, and x86 CPUs handle subnormal operands in a slow
/// microcode path — with wasm there is no flush-to-zero mode to turn on. At B = 1 on MNIST
/// that made every update five times slower after ~2,000 updates (5,100 → 1,000 samples/s
/// natively). TensorFlow runs its CPU kernels with flush-to-zero set, so this is also what
/// Keras computes.
#[inline(always)]
fn flush_subnormal(x: f32) -> f32 {
    if x.abs() < f32::MIN_POSITIVE { 0.0 } else { x }
}

/// State tensor `i`, created as zeros of length `len` on first use.
fn state(tensors: &mut Vec<Vec<f32>>, i: usize, len: usize) -> &mut [f32] {
    if tensors.len() <= i {
        tensors.resize_with(i + 1, Vec::new);
    }
    if tensors[i].len() != len {
        tensors[i] = vec![0.0; len];
    }
    &mut tensors[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: OptimizerKind, grads: &[f32], lr: f32) -> Vec<f32> {
        let mut opt = Optimizer::new(kind);
        let mut w = vec![1.0f32];
        let mut trace = Vec::new();
        for &g in grads {
            opt.step(
                std::iter::once(w.as_mut_slice()),
                std::iter::once([g].as_slice()),
                lr,
            );
            trace.push(w[0]);
        }
        trace
    }

    #[test]
    fn sgd_and_momentum_by_hand() {
        assert_eq!(run(OptimizerKind::Sgd, &[0.5, 0.5], 0.1), vec![0.95, 0.9]);
        // v1 = −0.05 → w 0.95; v2 = 0.9·(−0.05) − 0.05 = −0.095 → w 0.855.
        let w = run(OptimizerKind::momentum(), &[0.5, 0.5], 0.1);
        assert!(
            (w[0] - 0.95).abs() < 1e-7 && (w[1] - 0.855).abs() < 1e-6,
            "{w:?}"
        );
    }

    /// A moment whose gradient goes to zero decays towards zero; it must land on zero, never
    /// on a subnormal value (slow on x86, see `flush_subnormal`). Without the flush the
    /// momentum and Adam's first moment are subnormal for ~60 steps on the way down.
    #[test]
    fn decayed_moments_become_zero_not_subnormal() {
        for kind in [OptimizerKind::momentum(), OptimizerKind::adam()] {
            let mut opt = Optimizer::new(kind);
            let mut w = vec![1.0f32];
            for step in 0..3000 {
                let g = if step == 0 { 1.0 } else { 0.0 };
                opt.step(
                    std::iter::once(w.as_mut_slice()),
                    std::iter::once([g].as_slice()),
                    0.001,
                );
                for x in opt.first.iter().chain(&opt.second).flatten() {
                    assert!(!x.is_subnormal(), "{kind:?} step {step}: {x:e}");
                }
            }
            assert_eq!(opt.first[0][0], 0.0, "{kind:?}");
            assert!(w[0].is_finite());
        }
    }

    #[test]
    fn adam_first_steps_by_hand() {
        // Step 1: m = 0.1·g, v = 0.001·g², alpha = lr·sqrt(0.001)/0.1, so the update is
        // lr·g/(|g| + ε·sqrt(0.001)/…) ≈ lr·sign(g): Adam's first step has size lr.
        let w = run(OptimizerKind::adam(), &[2.0, -1.0], 0.001);
        let step1 = 0.001 * (0.001f64).sqrt() / 0.1 * 0.2 / ((0.004f64).sqrt() + 1e-7);
        assert!((w[0] as f64 - (1.0 - step1)).abs() < 1e-7, "{}", w[0]);
        // Step 2 by hand: m = 0.9·0.2 + 0.1·(−1) = 0.08; v = 0.999·0.004 + 0.001·1 = 0.004996;
        // alpha = 0.001·sqrt(1 − 0.999²)/(1 − 0.9²).
        let alpha2 = 0.001 * (1.0 - 0.999f64.powi(2)).sqrt() / (1.0 - 0.9f64.powi(2));
        let step2 = alpha2 * 0.08 / (0.004996f64.sqrt() + 1e-7);
        assert!(
            (w[1] as f64 - (1.0 - step1 - step2)).abs() < 1e-6,
            "{} vs {}",
            w[1],
            1.0 - step1 - step2
        );
    }
}
