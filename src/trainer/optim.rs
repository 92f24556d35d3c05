//! Optimisers with Keras' exact update rules, so the app's curves match what a reader gets
//! from `model.compile(optimizer=...)`.
//!
//! The learning rate is passed to every [`Optimizer::step`] rather than stored, so
//! schedules (linear scaling with batch size, warm-up) only decide a number per step.

/// The momentum of the `momentum` optimiser: Keras' and PyTorch's customary 0.9 (both
/// default to 0, so their code sets it; the menu's label states it).
pub const MOMENTUM: f32 = 0.9;

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

crate::keyed!(impl OptimizerKind);

impl OptimizerKind {
    /// Every optimiser the page offers, with its usual hyper-parameters, in menu order.
    pub const ALL: [OptimizerKind; 3] = [
        OptimizerKind::adam(),
        OptimizerKind::Sgd,
        OptimizerKind::momentum(),
    ];

    /// The menu/URL name: `adam`, `sgd`, `momentum`.
    pub fn key(self) -> &'static str {
        match self {
            OptimizerKind::Adam { .. } => "adam",
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum { .. } => "momentum",
        }
    }

    /// Keras' `Adam()` defaults: β₁ 0.9, β₂ 0.999, ε 1e-7.
    pub const fn adam() -> Self {
        OptimizerKind::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
        }
    }

    /// SGD with the customary momentum ([`MOMENTUM`]).
    pub const fn momentum() -> Self {
        OptimizerKind::Momentum { momentum: MOMENTUM }
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

/// The numbers one update applies to every parameter, worked out once per update by
/// [`Optimizer::begin_step`] (for Adam, Keras' bias-corrected step size `alpha`).
#[derive(Clone, Copy, Debug)]
pub struct StepRule {
    kind: OptimizerKind,
    lr: f32,
    /// Adam's `lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ)`; unused by the others.
    alpha: f32,
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
        let rule = self.begin_step(lr, std::iter::empty());
        for (i, (p, g)) in params.zip(grads).enumerate() {
            self.reserve(i, p.len());
            self.apply(&rule, i, 0, p, g);
        }
    }

    /// Starts an update with learning rate `lr` of tensors of the given lengths (in the
    /// order of [`Optimizer::step`]): counts the update and returns its [`StepRule`]. Then
    /// [`Optimizer::apply`] updates each tensor, whole or in pieces, in any order — the same
    /// arithmetic per value as [`Optimizer::step`], so the same bits.
    pub fn begin_step(&mut self, lr: f32, lens: impl Iterator<Item = usize>) -> StepRule {
        self.iterations += 1;
        for (i, len) in lens.enumerate() {
            self.reserve(i, len);
        }
        let alpha = match self.kind {
            OptimizerKind::Adam { beta1, beta2, .. } => {
                let t = self.iterations as i32;
                // Keras: alpha = lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ).
                lr * (1.0 - beta2.powi(t)).sqrt() / (1.0 - beta1.powi(t))
            }
            _ => 0.0,
        };
        StepRule {
            kind: self.kind,
            lr,
            alpha,
        }
    }

    /// Updates `p`, values `offset..offset + p.len()` of tensor `tensor`, with their gradient
    /// `g` under `rule` (from [`Optimizer::begin_step`] of this update).
    pub fn apply(
        &mut self,
        rule: &StepRule,
        tensor: usize,
        offset: usize,
        p: &mut [f32],
        g: &[f32],
    ) {
        assert_eq!(p.len(), g.len());
        let lr = rule.lr;
        let range = offset..offset + p.len();
        match rule.kind {
            OptimizerKind::Sgd => p.iter_mut().zip(g).for_each(|(w, g)| *w -= lr * g),
            OptimizerKind::Momentum { momentum } => {
                let v = &mut self.first[tensor][range];
                for ((w, g), v) in p.iter_mut().zip(g).zip(v) {
                    *v = flush_subnormal(momentum * *v - lr * g);
                    *w += *v;
                }
            }
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => adam(
                p,
                g,
                &mut self.first[tensor][range.clone()],
                &mut self.second[tensor][range],
                1.0 - beta1,
                1.0 - beta2,
                rule.alpha,
                epsilon,
            ),
        }
    }

    /// Creates the state of tensor `i` (zeros of length `len`) if it has none of that size.
    fn reserve(&mut self, i: usize, len: usize) {
        match self.kind {
            OptimizerKind::Sgd => {}
            OptimizerKind::Momentum { .. } => state(&mut self.first, i, len),
            OptimizerKind::Adam { .. } => {
                state(&mut self.first, i, len);
                state(&mut self.second, i, len);
            }
        }
    }
}

/// Keras' Adam on one run of values: `m += (g − m)(1 − β₁)`, `v += (g² − v)(1 − β₂)`,
/// `w −= alpha·m/(sqrt(v) + ε)`, moments flushed to zero below `f32::MIN_POSITIVE`.
///
/// In wasm with `+simd128`, four values at a time, and where all four new first moments are
/// zero the weights are left alone: `alpha·0/(sqrt(v) + ε)` is zero (the moments are finite or +∞ there, never
/// NaN, and never −0 after the flush), so `w − 0 = w` and skipping the division and the
/// square root — the costliest operations here, on x86 a divider that does not pipeline —
/// changes no bit. Those are the weights of inputs that have been zero for a while, e.g.
/// the 122–160 of MNIST's 784 pixels that are blank in every training image.
#[allow(clippy::too_many_arguments)]
#[inline]
fn adam(
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    one_minus_beta1: f32,
    one_minus_beta2: f32,
    alpha: f32,
    epsilon: f32,
) {
    let n = w.len();
    let (g, m, v) = (&g[..n], &mut m[..n], &mut v[..n]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let quads = n / 4 * 4;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: every pointer below is at a multiple of 4 below `quads` ≤ n, and each slice
    // holds n values, so each 16-byte access lies inside its slice (wasm loads need no
    // alignment).
    unsafe {
        use core::arch::wasm32::*;
        let (c1, c2) = (f32x4_splat(one_minus_beta1), f32x4_splat(one_minus_beta2));
        let (av, ev) = (f32x4_splat(alpha), f32x4_splat(epsilon));
        let tiny = f32x4_splat(f32::MIN_POSITIVE);
        let flush = |x: v128| v128_andnot(x, f32x4_lt(f32x4_abs(x), tiny));
        for i in (0..quads).step_by(4) {
            let gv = v128_load(g.as_ptr().add(i) as *const v128);
            let mp = m.as_mut_ptr().add(i) as *mut v128;
            let vp = v.as_mut_ptr().add(i) as *mut v128;
            let m0 = v128_load(mp);
            let v0 = v128_load(vp);
            let m1 = flush(f32x4_add(m0, f32x4_mul(f32x4_sub(gv, m0), c1)));
            let v1 = flush(f32x4_add(
                v0,
                f32x4_mul(f32x4_sub(f32x4_mul(gv, gv), v0), c2),
            ));
            v128_store(mp, m1);
            v128_store(vp, v1);
            if v128_any_true(m1) {
                let wp = w.as_mut_ptr().add(i) as *mut v128;
                let step = f32x4_div(f32x4_mul(av, m1), f32x4_add(f32x4_sqrt(v1), ev));
                v128_store(wp, f32x4_sub(v128_load(wp), step));
            }
        }
    }
    // Elsewhere the compiler vectorises the plain loop below over every value (a branch per
    // four values would keep it from doing so); the skip only saves work, never changes it.
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let quads = 0;
    for i in quads..n {
        let g = g[i];
        let mi = flush_subnormal(m[i] + (g - m[i]) * one_minus_beta1);
        let vi = flush_subnormal(v[i] + (g * g - v[i]) * one_minus_beta2);
        m[i] = mi;
        v[i] = vi;
        w[i] -= alpha * mi / (vi.sqrt() + epsilon);
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
fn state(tensors: &mut Vec<Vec<f32>>, i: usize, len: usize) {
    if tensors.len() <= i {
        tensors.resize_with(i + 1, Vec::new);
    }
    if tensors[i].len() != len {
        tensors[i] = vec![0.0; len];
    }
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

    /// `begin_step` + `apply` in pieces, in any order, is `step` to the bit, for every
    /// optimiser; with gradients that are zero on some runs (Adam then skips weights whose
    /// first moments are all zero) and lengths that are not multiples of four.
    #[test]
    fn pieces_equal_whole_steps() {
        let grad = |step: usize, i: usize| {
            if i % 11 < 5 && step > 2 {
                0.0
            } else {
                ((i * 7 + step * 13) % 17) as f32 / 8.0 - 1.0
            }
        };
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::momentum(),
            OptimizerKind::adam(),
        ] {
            let (mut a, mut b) = (Optimizer::new(kind), Optimizer::new(kind));
            let (mut wa, mut wb) = (vec![0.5f32; 103], vec![0.5f32; 103]);
            let (mut ba, mut bb) = (vec![-0.25f32; 6], vec![-0.25f32; 6]);
            for step in 0..1200 {
                let g: Vec<f32> = (0..103).map(|i| grad(step, i)).collect();
                let gb: Vec<f32> = (0..6).map(|i| grad(step, i + 1)).collect();
                a.step(
                    [wa.as_mut_slice(), ba.as_mut_slice()].into_iter(),
                    [g.as_slice(), gb.as_slice()].into_iter(),
                    0.01,
                );
                let rule = b.begin_step(0.01, [103, 6].into_iter());
                b.apply(&rule, 1, 0, &mut bb, &gb);
                for (start, end) in [(40, 103), (0, 17), (17, 40)] {
                    b.apply(&rule, 0, start, &mut wb[start..end], &g[start..end]);
                }
            }
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&wa), bits(&wb), "{kind:?}");
            assert_eq!(bits(&ba), bits(&bb), "{kind:?}");
            assert_eq!(bits(&a.first.concat()), bits(&b.first.concat()), "{kind:?}");
            assert_eq!(
                bits(&a.second.concat()),
                bits(&b.second.concat()),
                "{kind:?}"
            );
        }
    }

    /// Adam leaves a weight exactly where it is once its first moment has decayed to zero
    /// (the division it skips would have subtracted 0).
    #[test]
    fn adam_keeps_weights_whose_moment_is_zero() {
        let mut opt = Optimizer::new(OptimizerKind::adam());
        let mut w = vec![0.3f32; 8];
        for step in 0..1500 {
            let g = if step == 0 { 1.0 } else { 0.0 };
            opt.step(
                std::iter::once(w.as_mut_slice()),
                std::iter::once([g; 8].as_slice()),
                0.001,
            );
        }
        assert!(opt.first[0].iter().all(|&m| m == 0.0) && opt.second[0][0] > 0.0);
        let before = w.clone();
        opt.step(
            std::iter::once(w.as_mut_slice()),
            std::iter::once([0.0; 8].as_slice()),
            0.001,
        );
        assert_eq!(w, before);
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
