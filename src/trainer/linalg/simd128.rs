//! A hand-written sgemm for wasm32 with 128-bit SIMD (plain `simd128`, no relaxed SIMD, so it
//! runs in every browser that has WebAssembly SIMD: Chrome 91+, Firefox 89+, Safari 16.4+).
//!
//! Design (see docs/perf-notes.md, "Matrix kernel", for the measurements behind it):
//! - a `4×8` register tile: 4 rows of `op(A)` times one 8-wide column panel of `op(B)`, held in
//!   8 `f32x4` accumulators. With the two `B` vectors and one broadcast `A` value that is 11
//!   live vector registers, which V8 keeps in registers on x86-64 (16 XMM); tiles with 12 or 16
//!   accumulators spill there and run slower;
//! - `op(B)` is read in panels of 8 columns. A row-major `B` used as stored is read in place
//!   when only a few rows of `A` would reuse a packed copy; otherwise (and always for `Bᵀ`, whose
//!   columns are strided) each panel is packed into `kc×8` contiguous values, zero-padded at
//!   the right edge. Panels narrower than 8 are always packed, so every load is in bounds;
//! - `op(A)` is never copied: each step of the inner loop broadcasts one value per tile row,
//!   found through the row and column strides, so `A` and `Aᵀ` cost the same;
//! - `k` is cut into blocks of at most [`KC`] so that a packed panel (`KC×8` values) and the
//!   `A` values of a tile stay in L1 while the tile row sweeps across all panels.
//!
//! No fused multiply-add: `simd128` has none, so every product is a separate multiply and add,
//! exactly as in the scalar definition (the summation order differs, as in any blocked gemm).

use super::Op;
use core::arch::wasm32::{
    f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_load32_splat, v128_store,
};
use std::cell::RefCell;

/// Rows of `op(A)` per register tile.
const MR: usize = 4;
/// Columns of `op(B)` per register tile (two `f32x4`).
const NR: usize = 8;
/// Depth of one block of `k`.
const KC: usize = 256;
/// With `op(B)` as stored, pack its panels only when at least this many rows of `A` reuse them.
const PACK_MIN_ROWS: usize = 2 * MR;

thread_local! {
    /// Reused storage for packed panels of `op(B)`, so a training step allocates nothing.
    static PACKED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Same contract as [`super::gemm`]: `C = op(A) · op(B) + beta · C`, row-major, `op(A)` is
/// `m×k`, `op(B)` is `k×n`; `beta = 0` ignores the old contents of `C`, even NaN.
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
    assert!(a.len() >= m * k, "A is {} values, needs {}", a.len(), m * k);
    assert!(b.len() >= k * n, "B is {} values, needs {}", b.len(), k * n);
    assert!(c.len() >= m * n, "C is {} values, needs {}", c.len(), m * n);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        scale(&mut c[..m * n], beta);
        return;
    }
    PACKED.with(|packed| {
        // Re-entrancy is impossible (nothing here calls back into gemm), but stay sound
        // anyway: if the buffer is somehow busy, use a fresh one.
        match packed.try_borrow_mut() {
            Ok(mut buf) => gemm_blocked(m, k, n, a, op_a, b, op_b, beta, c, &mut buf),
            Err(_) => gemm_blocked(m, k, n, a, op_a, b, op_b, beta, c, &mut Vec::new()),
        }
    });
}

/// `c *= beta`, with `beta = 0` writing zeros (never `0 · NaN`).
fn scale(c: &mut [f32], beta: f32) {
    if beta == 0.0 {
        c.fill(0.0);
    } else if beta != 1.0 {
        c.iter_mut().for_each(|v| *v *= beta);
    }
}

#[allow(clippy::too_many_arguments)]
fn gemm_blocked(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
    buf: &mut Vec<f32>,
) {
    // Strides of op(A): element (i, p) is a[i * rsa + p * csa].
    let (rsa, csa) = match op_a {
        Op::N => (k, 1),
        Op::T => (1, m),
    };
    let full_panels = n / NR;
    let tail = n % NR;
    let panels = full_panels + usize::from(tail > 0);
    let pack_all = op_b == Op::T || m >= PACK_MIN_ROWS;
    let mut p0 = 0;
    while p0 < k {
        let kc = KC.min(k - p0);
        // The first block applies beta; later blocks accumulate onto it.
        let beta_blk = if p0 == 0 { beta } else { 1.0 };
        // Pack the panels that need it: all of them, or only the narrow right-hand one.
        let first_packed = if pack_all { 0 } else { full_panels };
        let packed_len = (panels - first_packed) * kc * NR;
        buf.clear();
        buf.resize(packed_len, 0.0);
        for (q, dst) in buf.chunks_exact_mut(kc * NR).enumerate() {
            let j0 = (first_packed + q) * NR;
            pack_panel(dst, b, op_b, k, n, p0, kc, j0, NR.min(n - j0));
        }
        let mut i0 = 0;
        while i0 < m {
            let mr = MR.min(m - i0);
            for panel in 0..panels {
                let j0 = panel * NR;
                let nr = NR.min(n - j0);
                // Where the panel's row p (of this k block) starts, and the distance between rows.
                let (bp, ldb) = if panel >= first_packed {
                    let q = panel - first_packed;
                    (buf[q * kc * NR..(q + 1) * kc * NR].as_ptr(), NR)
                } else {
                    (b[p0 * n + j0..].as_ptr(), n)
                };
                let ap = a[i0 * rsa + p0 * csa..].as_ptr();
                let cp = c[i0 * n + j0..].as_mut_ptr();
                // SAFETY (all four arms): the tile reads op(A) rows i0..i0+mr, columns
                // p0..p0+kc, all inside `a` (checked against m×k by `gemm`); it reads kc rows of
                // 8 values at stride ldb from bp: a packed panel holds exactly kc×8 values, and
                // an in-place panel (only full, 8-wide ones, op(B) = B) ends at row p0+kc-1,
                // column j0+7 < n, inside `b`; it writes rows i0..i0+mr, columns j0..j0+nr of C
                // (stride n), inside `c`.
                unsafe {
                    match mr {
                        4 => tile::<4>(kc, ap, rsa, csa, bp, ldb, cp, n, nr, beta_blk),
                        3 => tile::<3>(kc, ap, rsa, csa, bp, ldb, cp, n, nr, beta_blk),
                        2 => tile::<2>(kc, ap, rsa, csa, bp, ldb, cp, n, nr, beta_blk),
                        _ => tile::<1>(kc, ap, rsa, csa, bp, ldb, cp, n, nr, beta_blk),
                    }
                }
            }
            i0 += mr;
        }
        p0 += kc;
    }
}

/// Copies rows `p0..p0+kc`, columns `j0..j0+nr` of `op(B)` into `dst` (`kc×8`, row-major);
/// columns `nr..8` of `dst` must already be zero.
#[allow(clippy::too_many_arguments)]
fn pack_panel(
    dst: &mut [f32],
    b: &[f32],
    op_b: Op,
    k: usize,
    n: usize,
    p0: usize,
    kc: usize,
    j0: usize,
    nr: usize,
) {
    match op_b {
        // op(B) = B, stored k×n: row p of the panel is contiguous.
        Op::N => {
            for (p, row) in dst.chunks_exact_mut(NR).enumerate() {
                let src = (p0 + p) * n + j0;
                row[..nr].copy_from_slice(&b[src..src + nr]);
            }
        }
        // op(B) = Bᵀ, B stored n×k: column j of the panel is a contiguous row of B.
        Op::T => {
            for jj in 0..nr {
                let src = &b[(j0 + jj) * k + p0..][..kc];
                for (row, &v) in dst.chunks_exact_mut(NR).zip(src) {
                    row[jj] = v;
                }
            }
        }
    }
}

/// One `R×8` register tile: `C[0..R, 0..nr] = A[0..R, 0..kc] · P[0..kc, 0..8] + beta · C`,
/// where `A[i, p] = *a.add(i * rsa + p * csa)` and row `p` of the panel `P` is the 8 values
/// at `b.add(p * ldb)`; only the first `nr` columns are written to `C` (row stride `ldc`).
///
/// # Safety
/// Every address named above must be valid for reads (A, P) or writes (C, `nr` per row).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn tile<const R: usize>(
    kc: usize,
    a: *const f32,
    rsa: usize,
    csa: usize,
    b: *const f32,
    ldb: usize,
    c: *mut f32,
    ldc: usize,
    nr: usize,
    beta: f32,
) {
    let zero = f32x4_splat(0.0);
    let mut acc = [[zero; 2]; R];
    let mut ap = a;
    let mut bp = b;
    for _ in 0..kc {
        // SAFETY: within the ranges the caller guarantees (row p of P, column p of A).
        unsafe {
            let b0 = v128_load(bp as *const v128);
            let b1 = v128_load(bp.add(4) as *const v128);
            for (r, acc) in acc.iter_mut().enumerate() {
                let ar = v128_load32_splat(ap.add(r * rsa) as *const u32);
                acc[0] = f32x4_add(acc[0], f32x4_mul(ar, b0));
                acc[1] = f32x4_add(acc[1], f32x4_mul(ar, b1));
            }
            ap = ap.add(csa);
            bp = bp.add(ldb);
        }
    }
    // SAFETY: rows 0..R of C, columns 0..nr, as the caller guarantees.
    unsafe {
        if nr == NR {
            for (r, acc) in acc.iter().enumerate() {
                let cr = c.add(r * ldc);
                for (h, &v) in acc.iter().enumerate() {
                    let cv = cr.add(4 * h) as *mut v128;
                    let out = if beta == 0.0 {
                        v
                    } else if beta == 1.0 {
                        f32x4_add(v, v128_load(cv))
                    } else {
                        f32x4_add(v, f32x4_mul(f32x4_splat(beta), v128_load(cv)))
                    };
                    v128_store(cv, out);
                }
            }
        } else {
            let mut tmp = [0.0f32; NR];
            for (r, acc) in acc.iter().enumerate() {
                v128_store(tmp.as_mut_ptr() as *mut v128, acc[0]);
                v128_store(tmp.as_mut_ptr().add(4) as *mut v128, acc[1]);
                let cr = c.add(r * ldc);
                for (j, &v) in tmp[..nr].iter().enumerate() {
                    let cj = cr.add(j);
                    *cj = if beta == 0.0 { v } else { v + beta * *cj };
                }
            }
        }
    }
}
