//! A hand-written sgemm for wasm32 with 128-bit SIMD (plain `simd128`, no relaxed SIMD, so it
//! runs in every browser that has WebAssembly SIMD: Chrome 91+, Firefox 89+, Safari 16.4+).
//!
//! Design (docs/perf-notes.md, "Matrix kernel", has the measurements behind each choice):
//! - a `4×8` register tile: 4 rows of `op(A)` times one 8-wide column panel of `op(B)`, held in
//!   8 `f32x4` accumulators. With the two `B` vectors and one broadcast `A` value that is 11
//!   live vector registers, which V8 keeps in registers on x86-64; `5×8` and `6×8` spill there
//!   and run slower, and so does unrolling `k` by two. Tiles with fewer accumulators (the last
//!   1–3 rows, or a 4-wide right edge) keep two sets of partial sums over alternate steps of
//!   `k`, so that consecutive adds into one register do not wait for each other;
//! - `op(B)` is read in panels of 8 columns. A row-major `B` used as stored is read in place
//!   unless many rows of `A` ([`PACK_B_MIN_ROWS`]) reuse it; otherwise, and always for `Bᵀ`
//!   (whose columns are strided), each panel is packed into `kc×8` contiguous values. The
//!   right-hand panel, when narrower than 8 (the model's `n = 10`), is always packed and
//!   zero-padded to 4 or 8 columns, so every load is in bounds;
//! - `op(A)` is read through its strides, one broadcast value per tile row and step, so `A`
//!   is never copied; only a deep `Aᵀ` (the `Xᵀ·Δ` of the weight gradients) is packed,
//!   per tile, into `kc×4` contiguous values, read by every panel;
//! - rows are processed in blocks of [`MC`]: each panel is used by all the tiles of a block
//!   while it is in L1, and `k` is cut into blocks of at most [`KC`] so that it fits there;
//! - one row of `A`, or a `k` of at most [`STREAM_MAX_K`] (the gradient at B = 1, an outer
//!   product), is a different problem: there is almost nothing to reuse, so C is computed a
//!   row at a time, 32 contiguous columns per pass ([`stream_rows`]).
//!
//! No fused multiply-add: `simd128` has none, so every product is a separate multiply and add,
//! as in the scalar definition (the summation order differs, as in any blocked gemm).

//!
//! Natively (unit tests only), the same code runs on `emulated`: portable stand-ins for the
//! handful of `core::arch::wasm32` operations it uses, so every path of the kernel — blocking,
//! packing, partial tiles, edges and each pointer offset — is also tested without a browser.

use super::Op;
#[cfg(target_arch = "wasm32")]
use core::arch::wasm32::{
    f32x4_add, f32x4_mul, f32x4_splat, i32x4, v128, v128_bitselect, v128_load, v128_load32_splat,
    v128_store,
};
#[cfg(not(target_arch = "wasm32"))]
use emulated::{
    f32x4_add, f32x4_mul, f32x4_splat, i32x4, v128, v128_bitselect, v128_load, v128_load32_splat,
    v128_store,
};
use std::cell::RefCell;

/// Rows of `op(A)` per register tile.
const MR: usize = 4;
/// Columns of `op(B)` per register tile (two `f32x4`).
const NR: usize = 8;
/// Depth of one block of `k`.
const KC: usize = 256;
/// Rows of `op(A)` per block: every panel of `op(B)` is used by this many rows while in L1.
const MC: usize = 16;
/// With `op(B)` as stored, pack its panels only when at least this many rows of `A` reuse them.
const PACK_B_MIN_ROWS: usize = 64;
/// Up to this depth (and for a single row), `C` is computed one row at a time, 32 columns per
/// pass: with so few steps per tile, writing C in long contiguous runs is what counts.
const STREAM_MAX_K: usize = 2;
/// Pack `Aᵀ` only for at least this many steps of `k`.
const PACK_A_MIN_K: usize = 16;
/// [`gemm_skipping_zeros`] skips zeros from this many rows of `op(A)` and this many steps of
/// `k` on. Below, listing the steps and checking that B is finite cost about what the
/// skipping saves: the post's model on MNIST trained 14 % slower at B = 1 and 1–3 % at B = 8
/// when every product skipped (CPU time, `bench/wasm-ab.mjs`).
const SKIP_MIN_ROWS: usize = 16;
/// See [`SKIP_MIN_ROWS`].
const SKIP_MIN_K: usize = 16;

const _: () = assert!(MC.is_multiple_of(MR), "a block holds whole tiles");

/// Reused storage for packed operands, so a product allocates nothing once it has grown.
#[derive(Default)]
struct Scratch {
    b: Vec<f32>,
    a: Vec<f32>,
    /// With zeros skipped: the steps of `k` each tile of a row block takes, tile after tile.
    steps: Vec<u32>,
    /// Where each tile's steps end in `steps`.
    ends: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
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
    product(m, k, n, a, op_a, b, op_b, beta, c, false);
}

/// [`gemm`], bit for bit, taking only the steps of `k` where a register tile's four rows of
/// `op(A)` are not all zero.
///
/// Why the bits do not change: every value of `C` is a sum of products in a fixed order,
/// starting from +0. A skipped term is `±0 · b`, which is ±0 when `b` is finite, and adding
/// ±0 to a partial sum leaves it as it was (a partial sum from +0 is never −0, and
/// `+0 + −0 = +0`; wasm keeps subnormals, so no sum flushes to −0). So steps are skipped only
/// when every value of `op(B)` is finite, checked
/// first with one pass over B, and only where that pass and the lists are cheap beside the
/// product: from [`SKIP_MIN_ROWS`] rows and [`SKIP_MIN_K`] steps on; smaller products are
/// [`gemm`]'s. Only full `4×8` tiles skip, which keep one sum per value: the smaller ones sum
/// even and odd steps apart.
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
    let skip = m >= SKIP_MIN_ROWS && k >= SKIP_MIN_K && b.get(..k * n).is_some_and(all_finite);
    product(m, k, n, a, op_a, b, op_b, beta, c, skip);
}

/// Whether no value is infinite or NaN (no early exit, so the loop vectorises).
fn all_finite(v: &[f32]) -> bool {
    const EXP: u32 = 0x7f80_0000;
    v.iter()
        .fold(0u32, |bad, x| bad | u32::from(x.to_bits() & EXP == EXP))
        == 0
}

#[allow(clippy::too_many_arguments)]
fn product(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
    skip: bool,
) {
    if super::check_shapes_or_finish(m, k, n, a, b, beta, c) {
        return;
    }
    let c = &mut c[..m * n];
    if op_b == Op::N && (m == 1 || k <= STREAM_MAX_K) {
        let (rsa, csa) = op_a.strides(m, k);
        let (rsa, csa) = (rsa as usize, csa as usize);
        stream_rows(k, n, a, rsa, csa, b, beta, c);
        return;
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut s) if skip => blocked::<true>(m, k, n, a, op_a, b, op_b, beta, c, &mut s),
        Ok(mut s) => blocked::<false>(m, k, n, a, op_a, b, op_b, beta, c, &mut s),
        // Unreachable (nothing in here calls gemm again), but sound regardless.
        Err(_) => {
            let mut s = Scratch::default();
            match skip {
                true => blocked::<true>(m, k, n, a, op_a, b, op_b, beta, c, &mut s),
                false => blocked::<false>(m, k, n, a, op_a, b, op_b, beta, c, &mut s),
            }
        }
    });
}

/// The blocked product; with `SKIP`, full tiles take only their listed steps
/// ([`gemm_skipping_zeros`]). Two functions, never inlined: with a run-time flag, or both
/// inlined into one caller, the tile loop that does not skip ran 1.4 % (flag) to 30 % (both
/// inlined) slower at B = 8 (CPU time, `bench/wasm-ab.mjs`).
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn blocked<const SKIP: bool>(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    op_a: Op,
    b: &[f32],
    op_b: Op,
    beta: f32,
    c: &mut [f32],
    s: &mut Scratch,
) {
    // Strides of op(A): element (i, p) is a[i * rsa + p * csa].
    let (rsa, csa) = op_a.strides(m, k);
    let (rsa, csa) = (rsa as usize, csa as usize);
    let full = n / NR;
    let tail_n = n % NR;
    let tail_w = match tail_n {
        0 => 0,
        1..=4 => 4,
        _ => NR,
    };
    let panels = full + usize::from(tail_n > 0);
    let pack_b = op_b == Op::T || m >= PACK_B_MIN_ROWS;
    // Packing Aᵀ pays once several panels reuse it and k is deep enough to amortise the
    // bookkeeping; for a handful of steps its strided values are read in place.
    let pack_a = op_a == Op::T && panels > 1 && k >= PACK_A_MIN_K;
    let mut p0 = 0;
    while p0 < k {
        let kc = KC.min(k - p0);
        // The first block applies beta; later blocks add onto it.
        let beta_blk = if p0 == 0 { beta } else { 1.0 };

        // op(B): pack all full panels or none, and the narrow right-hand one if any.
        let packed_full = if pack_b { full } else { 0 };
        s.b.clear();
        s.b.resize((packed_full * NR + tail_w) * kc, 0.0);
        let (full_buf, tail_buf) = s.b.split_at_mut(packed_full * NR * kc);
        for (q, dst) in full_buf.chunks_exact_mut(NR * kc).enumerate() {
            pack_b_full(dst, b, op_b, k, n, p0, q * NR);
        }
        if tail_n > 0 {
            pack_b_tail(tail_buf, tail_w, b, op_b, k, n, p0, full * NR, tail_n);
        }
        // Panel j: its first row and the distance between rows.
        let (full_ptr, full_step, full_ldb) = if pack_b {
            (full_buf.as_ptr(), NR * kc, NR)
        } else {
            (b[p0 * n..].as_ptr(), NR, n)
        };
        let tail_ptr = tail_buf.as_ptr();
        let a_ptr = a.as_ptr();
        let c_ptr = c.as_mut_ptr();

        let mut ib = 0;
        while ib < m {
            let mb = MC.min(m - ib);
            // Aᵀ is stored k×m: op(A)'s column p is a row of it, so a tile's values for step
            // p are adjacent. Gather them per tile into kc×MR runs (read by every panel).
            if pack_a {
                s.a.clear();
                s.a.resize(mb.div_ceil(MR) * kc * MR, 0.0);
                for (t, dst) in s.a.chunks_exact_mut(kc * MR).enumerate() {
                    let i0 = ib + t * MR;
                    pack_a_tile(dst, a, m, p0, i0, MR.min(m - i0));
                }
            }
            if SKIP {
                tile_steps(s, a, rsa, csa, pack_a, kc, p0, ib, m.min(ib + mb));
            }
            let a_packed = s.a.as_ptr();
            for panel in 0..panels {
                let j0 = panel * NR;
                let (bp, ldb, w) = if panel < full {
                    // SAFETY: panel < full, so this stays within the packed buffer
                    // (packed_full panels of NR·kc values) or within row p0 of `b`.
                    (unsafe { full_ptr.add(panel * full_step) }, full_ldb, NR)
                } else {
                    (tail_ptr, tail_w, tail_w)
                };
                let nr = NR.min(n - j0);
                let mut i0 = ib;
                while i0 < ib + mb {
                    let mr = MR.min(m - i0);
                    // SAFETY: offsets of values inside `s.a` (tile (i0-ib)/MR of the packed
                    // block), `a` (row i0 < m, column p0 < k of op(A)) and `c` (i0 < m, j0 < n).
                    let (ap, ars, acs, cp) = unsafe {
                        let (ap, ars, acs) = if pack_a {
                            (a_packed.add((i0 - ib) * kc), 1, MR)
                        } else {
                            (a_ptr.add(i0 * rsa + p0 * csa), rsa, csa)
                        };
                        (ap, ars, acs, c_ptr.add(i0 * n + j0))
                    };
                    // SAFETY: the tile reads op(A) rows i0..i0+mr, columns p0..p0+kc, through
                    // (ap, ars, acs): either its packed copy (kc×MR values) or `a` itself,
                    // where that range lies inside the m×k values checked by `gemm`. It reads
                    // kc rows of w values, ldb apart, from bp: a packed panel holds exactly
                    // kc×w values; an in-place one (full, op(B) = B) ends at row p0+kc-1,
                    // column j0+7 < n, inside `b`. It writes rows i0..i0+mr, columns
                    // j0..j0+nr of C (row stride n), inside `c`, which is m×n values.
                    unsafe {
                        if SKIP && w == NR && mr == MR {
                            let t = (i0 - ib) / MR;
                            let from = if t == 0 { 0 } else { s.ends[t - 1] };
                            let steps = &s.steps[from..s.ends[t]];
                            tile_at::<4, 2>(steps, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk);
                        } else if w == NR {
                            match mr {
                                4 => tile::<4, 2>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                3 => tile::<3, 2>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                2 => tile::<2, 2>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                _ => tile::<1, 2>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                            }
                        } else {
                            match mr {
                                4 => tile::<4, 1>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                3 => tile::<3, 1>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                2 => tile::<2, 1>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                                _ => tile::<1, 1>(kc, ap, ars, acs, bp, ldb, cp, n, nr, beta_blk),
                            }
                        }
                    }
                    i0 += mr;
                }
            }
            ib += mb;
        }
        p0 += kc;
    }
}

/// `C = op(A)·B + beta·C` for a row-major `B` used as stored, one row of C at a time: each
/// run of 32 columns keeps 8 independent accumulators over all of `k`, reading rows of `B`
/// contiguously; then runs of 4, then the last `n % 4` columns as the run of 4 that ends at
/// column `n` (only its new lanes are kept). `A[i, p] = a[i * rsa + p * csa]`; `c` is `m×n`.
#[allow(clippy::too_many_arguments)]
fn stream_rows(
    k: usize,
    n: usize,
    a: &[f32],
    rsa: usize,
    csa: usize,
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    if n < 4 {
        for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
            for (j, cv) in c_row.iter_mut().enumerate() {
                let sum = (0..k).fold(0.0, |s, p| s + a[i * rsa + p * csa] * b[p * n + j]);
                *cv = if beta == 0.0 { sum } else { sum + beta * *cv };
            }
        }
        return;
    }
    let m = c.len() / n;
    let n32 = n / 32 * 32;
    let n4 = n / 4 * 4;
    let (a, b, c) = (a.as_ptr(), b.as_ptr(), c.as_mut_ptr());
    // SAFETY: `gemm` checked that `a` holds op(A) (element (i, p) at i·rsa + p·csa for i < m,
    // p < k), `b` holds k×n values and `c` m×n. Every run below reads columns j..j+4·V ≤ n of
    // rows p < k of B and writes the same columns of row i < m of C.
    unsafe {
        for i in 0..m {
            let ai = a.add(i * rsa);
            let ci = c.add(i * n);
            let mut j = 0;
            while j < n32 {
                let acc = run::<8>(k, ai, csa, b.add(j), n);
                store_run(ci.add(j), &acc, beta);
                j += 32;
            }
            while j < n4 {
                let acc = run::<1>(k, ai, csa, b.add(j), n);
                store_run(ci.add(j), &acc, beta);
                j += 4;
            }
            if n4 < n {
                // Columns n-4..n: the first 4-(n-n4) of them are final already; keep those.
                let [acc] = run::<1>(k, ai, csa, b.add(n - 4), n);
                let cv = ci.add(n - 4) as *mut v128;
                let cur = v128_load(cv);
                let new = match beta {
                    0.0 => acc,
                    1.0 => f32x4_add(acc, cur),
                    _ => f32x4_add(acc, f32x4_mul(f32x4_splat(beta), cur)),
                };
                let keep = match n - n4 {
                    1 => i32x4(-1, -1, -1, 0),
                    2 => i32x4(-1, -1, 0, 0),
                    _ => i32x4(-1, 0, 0, 0),
                };
                v128_store(cv, v128_bitselect(cur, new, keep));
            }
        }
    }
}

/// `Σ_p A[p] · B[p, 0..4V]` over `k` steps, with `A[p] = *a.add(p * csa)` and row `p` of B at
/// `b.add(p * ldb)`.
///
/// # Safety
/// Those `k` values of A and `k` runs of `4V` values of B must be readable.
#[inline(always)]
unsafe fn run<const V: usize>(
    k: usize,
    a: *const f32,
    csa: usize,
    b: *const f32,
    ldb: usize,
) -> [v128; V] {
    let mut acc = [f32x4_splat(0.0); V];
    // SAFETY: as the caller guarantees.
    unsafe {
        for p in 0..k {
            let ap = v128_load32_splat(a.add(p * csa) as *const u32);
            let bp = b.add(p * ldb);
            for (h, acc) in acc.iter_mut().enumerate() {
                let bv = v128_load(bp.add(4 * h) as *const v128);
                *acc = f32x4_add(*acc, f32x4_mul(ap, bv));
            }
        }
    }
    acc
}

/// `c = acc + beta·c` for the `4V` values at `c` (`beta = 0` never reads them).
///
/// # Safety
/// Those values must be valid for reads and writes.
#[inline(always)]
unsafe fn store_run<const V: usize>(c: *mut f32, acc: &[v128; V], beta: f32) {
    for (h, &v) in acc.iter().enumerate() {
        // SAFETY: as the caller guarantees.
        unsafe {
            let cv = c.add(4 * h) as *mut v128;
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
}

/// Copies rows `p0..p0+kc`, columns `j0..j0+8` of `op(B)` into `dst` (`kc×8`, row-major).
fn pack_b_full(dst: &mut [f32], b: &[f32], op_b: Op, k: usize, n: usize, p0: usize, j0: usize) {
    match op_b {
        // op(B) = B, stored k×n: row p of the panel is contiguous.
        Op::N => {
            for (p, row) in dst.chunks_exact_mut(NR).enumerate() {
                let src = (p0 + p) * n + j0;
                row.copy_from_slice(&b[src..src + NR]);
            }
        }
        // op(B) = Bᵀ, B stored n×k: column j of the panel is a contiguous row of B.
        Op::T => {
            let kc = dst.len() / NR;
            let cols: [&[f32]; NR] = core::array::from_fn(|jj| &b[(j0 + jj) * k + p0..][..kc]);
            for (p, row) in dst.chunks_exact_mut(NR).enumerate() {
                for (v, col) in row.iter_mut().zip(&cols) {
                    *v = col[p];
                }
            }
        }
    }
}

/// Copies rows `p0..p0+kc`, columns `j0..j0+nr` of `op(B)` into `dst` (`kc×w`, row-major);
/// columns `nr..w` of `dst` must already be zero.
#[allow(clippy::too_many_arguments)]
fn pack_b_tail(
    dst: &mut [f32],
    w: usize,
    b: &[f32],
    op_b: Op,
    k: usize,
    n: usize,
    p0: usize,
    j0: usize,
    nr: usize,
) {
    let kc = dst.len() / w;
    for jj in 0..nr {
        let col = dst[jj..].iter_mut().step_by(w);
        match op_b {
            Op::N => col
                .zip(b[p0 * n + j0 + jj..].iter().step_by(n))
                .for_each(|(d, &v)| *d = v),
            Op::T => col
                .zip(&b[(j0 + jj) * k + p0..][..kc])
                .for_each(|(d, &v)| *d = v),
        }
    }
}

/// Lists, for each full tile of rows `ib..ie` of `op(A)`, the steps `p < kc` of the block
/// starting at `p0` where one of the tile's four values is not zero (NaN counts as not zero),
/// into `s.steps`, and where each tile's list ends into `s.ends`. A last, partial tile gets an
/// empty list (it is computed in full). Reads the packed `Aᵀ` tiles in `s.a` when `packed`.
#[allow(clippy::too_many_arguments)]
fn tile_steps(
    s: &mut Scratch,
    a: &[f32],
    rsa: usize,
    csa: usize,
    packed: bool,
    kc: usize,
    p0: usize,
    ib: usize,
    ie: usize,
) {
    s.steps.clear();
    s.ends.clear();
    let mut i0 = ib;
    while i0 < ie {
        if ie - i0 >= MR {
            let t = (i0 - ib) / MR;
            for p in 0..kc {
                let any = if packed {
                    s.a[(t * kc + p) * MR..][..MR].iter().any(|&v| v != 0.0)
                } else {
                    (0..MR).any(|r| a[(i0 + r) * rsa + (p0 + p) * csa] != 0.0)
                };
                if any {
                    s.steps.push(p as u32);
                }
            }
        }
        s.ends.push(s.steps.len());
        i0 += MR;
    }
}

/// Copies op(A) rows `i0..i0+mr`, columns `p0..p0+kc` into `dst` (`kc×MR`, row `p` holding
/// the tile's values for step `p`), where `A` is stored `k×m` (op(A) = Aᵀ).
fn pack_a_tile(dst: &mut [f32], a: &[f32], m: usize, p0: usize, i0: usize, mr: usize) {
    let rows = dst.chunks_exact_mut(MR).enumerate();
    if mr == MR {
        for (p, d) in rows {
            let src = (p0 + p) * m + i0;
            d.copy_from_slice(&a[src..src + MR]);
        }
    } else {
        for (p, d) in rows {
            let src = (p0 + p) * m + i0;
            for (d, &v) in d.iter_mut().zip(&a[src..src + mr]) {
                *d = v;
            }
        }
    }
}

/// One `R×4V` register tile: `C[0..R, 0..nr] = A[0..R, 0..kc] · P[0..kc, 0..4V] + beta · C`
/// where `A[i, p] = *a.add(i * rsa + p * csa)`, row `p` of the panel `P` is the `4V` values at
/// `b.add(p * ldb)`, and only the first `nr ≤ 4V` columns are written to `C` (row stride
/// `ldc`; `beta = 0` never reads `C`).
///
/// # Safety
/// Every address named above must be valid for reads (A, P) or writes (C, `nr` per row).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn tile<const R: usize, const V: usize>(
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
    // Small tiles keep two sets of partial sums (even and odd steps of k) so that consecutive
    // adds into one accumulator are independent; 4×8 has enough accumulators without.
    let mut acc = [[zero; V]; R];
    let mut acc2 = [[zero; V]; R];
    let split = R * V < 6;
    let mut ap = a;
    let mut bp = b;
    let mut left = kc;
    // SAFETY: steps 0..kc only, as the caller guarantees.
    unsafe {
        if split {
            while left >= 2 {
                step::<R, V>(&mut acc, ap, rsa, bp);
                step::<R, V>(&mut acc2, ap.add(csa), rsa, bp.add(ldb));
                ap = ap.add(2 * csa);
                bp = bp.add(2 * ldb);
                left -= 2;
            }
        }
        while left > 0 {
            step::<R, V>(&mut acc, ap, rsa, bp);
            ap = ap.add(csa);
            bp = bp.add(ldb);
            left -= 1;
        }
    }
    if split {
        for (row, row2) in acc.iter_mut().zip(&acc2) {
            for (v, &v2) in row.iter_mut().zip(row2) {
                *v = f32x4_add(*v, v2);
            }
        }
    }
    // SAFETY: as the caller guarantees.
    unsafe { store_tile(&acc, c, ldc, nr, beta) }
}

/// [`tile`] without its split sums, over the listed steps of `k` only, in order (steps
/// `p < kc`; [`gemm_skipping_zeros`]).
///
/// # Safety
/// As for [`tile`].
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn tile_at<const R: usize, const V: usize>(
    steps: &[u32],
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
    let mut acc = [[f32x4_splat(0.0); V]; R];
    // SAFETY: steps below kc only, and the stores, as the caller guarantees.
    unsafe {
        for &p in steps {
            let p = p as usize;
            step::<R, V>(&mut acc, a.add(p * csa), rsa, b.add(p * ldb));
        }
        store_tile(&acc, c, ldc, nr, beta);
    }
}

/// `C[0..R, 0..nr] = acc + beta · C` (`beta = 0` never reads `C`).
///
/// # Safety
/// Rows `0..R` of `C` (stride `ldc`), columns `0..nr`, must be valid for reads and writes.
#[inline(always)]
unsafe fn store_tile<const R: usize, const V: usize>(
    acc: &[[v128; V]; R],
    c: *mut f32,
    ldc: usize,
    nr: usize,
    beta: f32,
) {
    // SAFETY: rows 0..R of C, columns 0..nr, as the caller guarantees.
    unsafe {
        if nr == 4 * V {
            for (r, row) in acc.iter().enumerate() {
                let cr = c.add(r * ldc);
                for (h, &v) in row.iter().enumerate() {
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
            for (r, row) in acc.iter().enumerate() {
                for (h, &v) in row.iter().enumerate() {
                    v128_store(tmp.as_mut_ptr().add(4 * h) as *mut v128, v);
                }
                let cr = c.add(r * ldc);
                for (j, &v) in tmp[..nr].iter().enumerate() {
                    let cj = cr.add(j);
                    *cj = if beta == 0.0 { v } else { v + beta * *cj };
                }
            }
        }
    }
}

/// One step of k for an `R×4V` tile: `acc[r] += A[r, p] · P[p, ..]`.
///
/// # Safety
/// `a.add(r * rsa)` for `r < R` and the `4V` values at `b` must be readable.
#[inline(always)]
unsafe fn step<const R: usize, const V: usize>(
    acc: &mut [[v128; V]; R],
    a: *const f32,
    rsa: usize,
    b: *const f32,
) {
    // SAFETY: as the caller guarantees.
    unsafe {
        let mut bv = [f32x4_splat(0.0); V];
        for (h, v) in bv.iter_mut().enumerate() {
            *v = v128_load(b.add(4 * h) as *const v128);
        }
        for (r, row) in acc.iter_mut().enumerate() {
            let ar = v128_load32_splat(a.add(r * rsa) as *const u32);
            for (v, &bh) in row.iter_mut().zip(&bv) {
                *v = f32x4_add(*v, f32x4_mul(ar, bh));
            }
        }
    }
}

/// The `core::arch::wasm32` operations the kernel uses, in portable Rust with the same
/// signatures and semantics: four IEEE f32 lanes added or multiplied one by one (no fused
/// multiply-add, as in `simd128`), unaligned 16-byte loads and stores, a 4-byte load copied
/// to every lane, and a bitwise select. Compiled for native unit tests only.
#[cfg(not(target_arch = "wasm32"))]
mod emulated {
    /// 128 bits, viewed as four 32-bit lanes.
    #[allow(non_camel_case_types)]
    #[derive(Clone, Copy)]
    pub struct v128([u32; 4]);

    fn lanes(v: v128) -> [f32; 4] {
        v.0.map(f32::from_bits)
    }

    fn from_lanes(l: [f32; 4]) -> v128 {
        v128(l.map(f32::to_bits))
    }

    pub fn f32x4_splat(x: f32) -> v128 {
        from_lanes([x; 4])
    }

    pub fn f32x4_add(a: v128, b: v128) -> v128 {
        let (a, b) = (lanes(a), lanes(b));
        from_lanes(core::array::from_fn(|i| a[i] + b[i]))
    }

    pub fn f32x4_mul(a: v128, b: v128) -> v128 {
        let (a, b) = (lanes(a), lanes(b));
        from_lanes(core::array::from_fn(|i| a[i] * b[i]))
    }

    pub const fn i32x4(a0: i32, a1: i32, a2: i32, a3: i32) -> v128 {
        v128([a0 as u32, a1 as u32, a2 as u32, a3 as u32])
    }

    /// Bits of `v1` where `c` is 1, of `v2` where it is 0.
    pub fn v128_bitselect(v1: v128, v2: v128, c: v128) -> v128 {
        v128(core::array::from_fn(|i| {
            (v1.0[i] & c.0[i]) | (v2.0[i] & !c.0[i])
        }))
    }

    /// # Safety
    /// 16 bytes at `m` must be readable (any alignment).
    pub unsafe fn v128_load(m: *const v128) -> v128 {
        // SAFETY: as the caller guarantees.
        unsafe { m.read_unaligned() }
    }

    /// # Safety
    /// 4 bytes at `m` must be readable (any alignment).
    pub unsafe fn v128_load32_splat(m: *const u32) -> v128 {
        // SAFETY: as the caller guarantees.
        v128([unsafe { m.read_unaligned() }; 4])
    }

    /// # Safety
    /// 16 bytes at `m` must be writable (any alignment).
    pub unsafe fn v128_store(m: *mut v128, a: v128) {
        // SAFETY: as the caller guarantees.
        unsafe { m.write_unaligned(a) }
    }
}

/// The kernel's own code on [`emulated`] lanes against the definition in f64: the shapes of
/// `tests/wasm_linalg.rs` (which runs the real SIMD128 build in a browser), natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{Op, gemm};

    /// Deterministic values in [-1, 1) (xorshift).
    fn fill(len: usize, seed: u32) -> Vec<f32> {
        let mut s = seed.wrapping_mul(2_654_435_761) | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s >> 8) as f32 / (1u32 << 23) as f32 - 1.0
            })
            .collect()
    }

    /// `C = op(A)·op(B) + beta·C` for one shape against the f64 definition, within the
    /// standard bound for a k-term f32 sum: |error| ≤ (k+2)·ε·Σ|terms|.
    fn check(m: usize, k: usize, n: usize, op_a: Op, op_b: Op, beta: f32) {
        let a = fill(m * k, (m * 131 + k * 17 + n) as u32);
        let b = fill(k * n, (k * 71 + n * 3 + m) as u32);
        let mut c = fill(m * n, (n * 37 + m) as u32);
        if beta == 0.0 {
            // Old contents must be ignored entirely, NaN and infinity included.
            c.iter_mut().step_by(3).for_each(|v| *v = f32::NAN);
            c.iter_mut()
                .skip(1)
                .step_by(3)
                .for_each(|v| *v = f32::INFINITY);
        }
        let c0 = c.clone();
        let at = |i: usize, p: usize| match op_a {
            Op::N => a[i * k + p],
            Op::T => a[p * m + i],
        } as f64;
        let bt = |p: usize, j: usize| match op_b {
            Op::N => b[p * n + j],
            Op::T => b[j * k + p],
        } as f64;
        gemm(m, k, n, &a, op_a, &b, op_b, beta, &mut c);
        for i in 0..m {
            for j in 0..n {
                let old = if beta == 0.0 {
                    0.0
                } else {
                    beta as f64 * c0[i * n + j] as f64
                };
                let want: f64 = (0..k).map(|p| at(i, p) * bt(p, j)).sum::<f64>() + old;
                let mag: f64 = (0..k).map(|p| (at(i, p) * bt(p, j)).abs()).sum::<f64>() + old.abs();
                let tol = (k + 2) as f64 * f32::EPSILON as f64 * mag + 1e-30;
                let got = c[i * n + j] as f64;
                assert!(
                    (got - want).abs() <= tol,
                    "m={m} k={k} n={n} {op_a:?}{op_b:?} beta={beta}: C[{i},{j}] = {got}, \
                     want {want} (tolerance {tol})"
                );
            }
        }
    }

    const OPS: [(Op, Op); 4] = [
        (Op::N, Op::N),
        (Op::N, Op::T),
        (Op::T, Op::N),
        (Op::T, Op::T),
    ];

    #[test]
    fn odd_shapes_match_the_definition() {
        const SIZES: [usize; 11] = [1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 33];
        for m in SIZES {
            for k in SIZES {
                for n in SIZES {
                    for (op_a, op_b) in OPS {
                        for beta in [0.0, 1.0] {
                            check(m, k, n, op_a, op_b, beta);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn deep_and_trainer_shapes_match_the_definition() {
        // Several k blocks (k > KC), many row blocks, packed B (m ≥ PACK_B_MIN_ROWS), and the
        // model's own products at small B.
        let shapes = [
            (5, 300, 21),
            (37, 600, 12),
            (3, 513, 130),
            (1, 784, 128),
            (9, 784, 128),
            (33, 784, 10),
            (784, 9, 128),
            (128, 33, 10),
            (17, 10, 128),
            (64, 257, 40),
            (70, 20, 37),
        ];
        for (m, k, n) in shapes {
            for (op_a, op_b) in OPS {
                for beta in [0.0, 1.0, 0.5] {
                    check(m, k, n, op_a, op_b, beta);
                }
            }
        }
    }

    /// Values in [-1, 1) of which about `zeros` in 8 are zero (every fourth of those −0).
    fn sparse(len: usize, seed: u32, zeros: u32) -> Vec<f32> {
        let mut s = seed.wrapping_mul(2_246_822_519) | 1;
        fill(len, seed)
            .into_iter()
            .map(|v| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                match (s >> 24) % 8 < zeros {
                    true if s.is_multiple_of(4) => -0.0,
                    true => 0.0,
                    false => v,
                }
            })
            .collect()
    }

    /// `gemm_skipping_zeros` against `gemm` on the same operands: every bit of C.
    fn same_bits(m: usize, k: usize, n: usize, op_a: Op, op_b: Op, beta: f32, zeros: u32) {
        let mut a = sparse(m * k, (m * 7 + k * 3 + n) as u32, zeros);
        // Blank rows of op(A) (the first column of op(A) and its last 300 steps too).
        for i in 0..m {
            for p in 0..k {
                if i % 5 == 1 || p == 0 || p + 300 >= k.max(600) {
                    let at = match op_a {
                        Op::N => i * k + p,
                        Op::T => p * m + i,
                    };
                    a[at] = 0.0;
                }
            }
        }
        if m * k > 7 {
            a[m * k / 2] = f32::NAN;
        }
        let b = fill(k * n, (k * 13 + n) as u32);
        let c0 = fill(m * n, (n * 5 + m) as u32);
        let (mut dense, mut skipped) = (c0.clone(), c0);
        gemm(m, k, n, &a, op_a, &b, op_b, beta, &mut dense);
        super::gemm_skipping_zeros(m, k, n, &a, op_a, &b, op_b, beta, &mut skipped);
        for (i, (d, s)) in dense.iter().zip(&skipped).enumerate() {
            assert_eq!(
                d.to_bits(),
                s.to_bits(),
                "m={m} k={k} n={n} {op_a:?}{op_b:?} beta={beta} zeros={zeros}/8: \
                 C[{}] = {d} in full, {s} skipping zeros",
                i
            );
        }
    }

    #[test]
    fn skipping_zeros_keeps_every_bit() {
        // The model's products at B = 1, 2, 8, 32, 33 (forward X·W, gradients Xᵀ·Δ with Aᵀ
        // packed or read in place; below 16 rows or steps they take the dense path), deep k,
        // edges.
        let shapes = [
            (1, 784, 128),
            (2, 784, 128),
            (8, 784, 128),
            (32, 784, 128),
            (33, 784, 10),
            (784, 1, 128),
            (784, 2, 128),
            (784, 8, 128),
            (784, 32, 128),
            (32, 8, 128),
            (5, 300, 21),
            (6, 513, 130),
            (70, 20, 37),
            (17, 10, 128),
            (3, 7, 5),
            // One panel (n ≤ 8): Aᵀ read in place, not packed, at sizes that skip.
            (32, 20, 8),
            (40, 33, 5),
            (24, 17, 7),
        ];
        for (m, k, n) in shapes {
            for (op_a, op_b) in OPS {
                for beta in [0.0, 1.0, 0.5] {
                    for zeros in [0, 6, 8] {
                        same_bits(m, k, n, op_a, op_b, beta, zeros);
                    }
                }
            }
        }
        for m in [1, 3, 4, 5, 8, 12, 16, 17, 21] {
            for k in [1, 2, 3, 9, 31] {
                for (op_a, op_b) in OPS {
                    same_bits(m, k, 16, op_a, op_b, 1.0, 6);
                }
            }
        }
    }

    #[test]
    fn zeros_are_skipped_only_while_b_is_finite() {
        // Row 1 of B is ∞ and column 1 of A is zero: 0·∞ is NaN, so the product in full has
        // NaN in every value, and skipping the step would hide it.
        let (m, k, n) = (16, 16, 8);
        let a: Vec<f32> = (0..m * k)
            .map(|i| if i % k == 1 { 0.0 } else { 1.0 })
            .collect();
        let mut b = vec![0.5f32; k * n];
        b[n..2 * n].fill(f32::INFINITY);
        let mut c = vec![0.0; m * n];
        super::gemm_skipping_zeros(m, k, n, &a, Op::N, &b, Op::N, 0.0, &mut c);
        assert!(c.iter().all(|v| v.is_nan()), "{c:?}");
        // The skipping itself: the same product with the check left out is finite (15 · 0.5).
        super::product(m, k, n, &a, Op::N, &b, Op::N, 0.0, &mut c, true);
        assert!(c.iter().all(|&v| v == 7.5), "{c:?}");
    }

    #[test]
    fn degenerate_shapes() {
        let mut c = [f32::NAN, 2.0, 3.0, 4.0];
        gemm(2, 0, 2, &[], Op::N, &[], Op::N, 0.0, &mut c);
        assert_eq!(c, [0.0; 4]);
        let mut c = [7.0];
        gemm(0, 3, 5, &[], Op::N, &[0.0; 15], Op::N, 0.0, &mut c);
        gemm(3, 2, 0, &[0.0; 6], Op::N, &[], Op::N, 0.0, &mut c);
        assert_eq!(c, [7.0]);
        // Longer slices than needed: only the leading values are used or written.
        let mut c = [10.0, -1.0];
        gemm(
            1,
            2,
            1,
            &[1.0, 2.0, 99.0],
            Op::N,
            &[3.0, 4.0, 99.0],
            Op::N,
            1.0,
            &mut c,
        );
        assert_eq!(c, [21.0, -1.0]);
    }
}
