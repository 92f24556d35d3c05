//! Matrix products, the trainer's hot path (about 0.41 MFLOP per MNIST sample, nearly all
//! of it here). Row-major storage throughout; transposes are expressed as strides, never
//! copied by the caller.
//!
//! One entry point, [`gemm`], with two kernels behind it:
//! - in the browser (wasm32 built with `+simd128`, as `.cargo/config.toml` does), the
//!   hand-written [`simd128`] kernel: a 4×8 register tile over packed or in-place panels of
//!   `op(B)`, tuned for the model's shapes. In headless Chromium it runs the five products
//!   of a training step 20–40 % faster than `matrixmultiply` at B ≥ 8 and about 5× faster
//!   at B = 1 (table and command in docs/perf-notes.md, "Matrix kernel");
//! - everywhere else, `matrixmultiply`'s sgemm: cache-blocked, runtime-dispatched AVX/FMA on
//!   x86-64, with arbitrary strides, which is exactly what the backward pass needs (`Xᵀ·Δ`,
//!   `Δ·Wᵀ`).
//!
//! The model calls [`gemm`], and [`gemm_skipping_zeros`] where the left operand is the
//! input batch (mostly blank pixels for MNIST), so a kernel can change without touching it.

/// The hand-written SIMD128 kernel (wasm32 built with `+simd128`; natively, its unit tests
/// run the same code on portable stand-ins for the SIMD128 operations).
#[cfg(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    all(test, not(target_arch = "wasm32"))
))]
pub mod simd128;

/// Whether an operand is used as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// As stored.
    N,
    /// Transposed.
    T,
}

impl Op {
    /// (row stride, column stride) of an operand that is `rows × cols` after this op and
    /// stored row-major: as stored `(cols, 1)`, transposed `(1, rows)`.
    pub fn strides(self, rows: usize, cols: usize) -> (isize, isize) {
        match self {
            Op::N => (cols as isize, 1),
            Op::T => (1, rows as isize),
        }
    }
}

/// What every kernel does first. Panics unless the slices hold `op(A)` (m×k), `op(B)` (k×n)
/// and `C` (m×n): every kernel relies on these bounds for its unchecked or strided reads.
/// Then finishes the call when there is nothing to multiply (`m`, `n` or `k` zero, so
/// `C = beta·C`; `beta = 0` clears `C` even where it holds NaN, which 0·NaN would not) and
/// returns true if it did.
pub(crate) fn check_shapes_or_finish(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) -> bool {
    assert!(a.len() >= m * k, "A is {} values, needs {}", a.len(), m * k);
    assert!(b.len() >= k * n, "B is {} values, needs {}", b.len(), k * n);
    assert!(c.len() >= m * n, "C is {} values, needs {}", c.len(), m * n);
    if m == 0 || n == 0 {
        return true;
    }
    if k > 0 {
        return false;
    }
    let c = &mut c[..m * n];
    if beta == 0.0 {
        c.fill(0.0);
    } else if beta != 1.0 {
        c.iter_mut().for_each(|v| *v *= beta);
    }
    true
}

/// `C = op(A) · op(B) + beta · C` where `op(A)` is `m×k`, `op(B)` is `k×n` and `C` is `m×n`,
/// all row-major. `A` is stored `m×k` (or `k×m` when transposed), likewise `B`.
/// `beta = 0` overwrites `C` (its old contents, even NaN, are ignored).
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd128::gemm(m, k, n, a, op_a, b, op_b, beta, c);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    portable(m, k, n, a, op_a, b, op_b, beta, c);
}

/// [`gemm`], with the same result bit for bit, for an `op(A)` with many zeros (MNIST's
/// pixels: about four in five are blank). In the browser the SIMD128 kernel skips the steps
/// of `k` where a register tile's rows of `op(A)` are all zero
/// ([`simd128::gemm_skipping_zeros`] says why that keeps the bits); elsewhere this is
/// [`gemm`].
#[allow(clippy::too_many_arguments)]
pub fn gemm_skipping_zeros(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd128::gemm_skipping_zeros(m, k, n, a, op_a, b, op_b, beta, c);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    portable(m, k, n, a, op_a, b, op_b, beta, c);
}

/// [`gemm`] through `matrixmultiply`: the kernel of native builds (and of wasm32 without
/// `+simd128`); public so the wasm benchmark can measure it against the SIMD128 kernel.
#[allow(clippy::too_many_arguments)]
pub fn portable(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
) {
    if check_shapes_or_finish(m, k, n, a, b, beta, c) {
        return;
    }
    let (rsa, csa) = op_a.strides(m, k);
    let (rsb, csb) = op_b.strides(k, n);
    // SAFETY: `check_shapes_or_finish` asserted that every index the strides reach lies inside the slices:
    // op(A) spans m×k values of `a`, op(B) k×n of `b`, C m×n of `c`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, in f64.
    fn naive(m: usize, k: usize, n: usize, a: &[f32], op_a: Op, b: &[f32], op_b: Op) -> Vec<f64> {
        let at = |i: usize, p: usize| match op_a {
            Op::N => a[i * k + p],
            Op::T => a[p * m + i],
        } as f64;
        let bt = |p: usize, j: usize| match op_b {
            Op::N => b[p * n + j],
            Op::T => b[j * k + p],
        } as f64;
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| at(i, p) * bt(p, j)).sum();
            }
        }
        c
    }

    #[test]
    fn matches_the_definition_for_every_transpose() {
        let (m, k, n) = (7, 13, 5);
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 37 % 11) as f32 - 5.0) / 3.0)
            .collect();
        let b: Vec<f32> = (0..k * n)
            .map(|i| ((i * 17 % 7) as f32 - 3.0) / 2.0)
            .collect();
        for op_a in [Op::N, Op::T] {
            for op_b in [Op::N, Op::T] {
                let mut c = vec![f32::NAN; m * n];
                gemm(m, k, n, &a, op_a, &b, op_b, 0.0, &mut c);
                let want = naive(m, k, n, &a, op_a, &b, op_b);
                for (got, want) in c.iter().zip(&want) {
                    assert!(
                        (*got as f64 - want).abs() < 1e-4,
                        "{op_a:?}{op_b:?}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_inner_dimension_scales_c() {
        let mut c = [f32::NAN, 2.0];
        gemm(1, 0, 2, &[], Op::N, &[], Op::T, 0.0, &mut c);
        assert_eq!(c, [0.0, 0.0]);
        let mut c = [1.0, 2.0];
        gemm(2, 0, 1, &[], Op::T, &[], Op::N, 0.5, &mut c);
        assert_eq!(c, [0.5, 1.0]);
    }

    #[test]
    fn beta_one_accumulates() {
        let a = [1.0, 2.0];
        let b = [3.0, 4.0];
        let mut c = [10.0];
        gemm(1, 2, 1, &a, Op::N, &b, Op::N, 1.0, &mut c);
        assert_eq!(c, [21.0]);
    }
}
