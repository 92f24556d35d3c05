//! The wasm matrix-product ceiling of the browser running the benchmark: a tight 4×8
//! register-tile micro-kernel over small packed panels that stay in L1, so the figure is
//! limited by the engine's SIMD code generation and the core, never by memory, packing or
//! edges. The trainer's achieved GFLOP/s is reported as a fraction of it.
//!
//! The tile is the shape of the trainer's own kernel (`src/trainer/linalg/simd128.rs`): 8
//! `f32x4` accumulators (4 rows × 2 vectors); per k step 2 B vector loads, 4 A broadcasts and
//! 8 multiplies + 8 adds. Timing is done in JS around these calls.

#[cfg(target_feature = "relaxed-simd")]
use core::arch::wasm32::f32x4_relaxed_madd;
use core::arch::wasm32::{
    f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128, v128_load, v128_load32_splat,
};
use std::hint::black_box;
use wasm_bindgen::prelude::*;

/// Panel depth: A is K×4 and B K×8 floats, 12 KiB together, so both stay in L1 and the
/// k loop is long enough that the per-pass overhead does not count.
const K: usize = 256;
const MR: usize = 4;
const NR: usize = 8;

/// Flops of one pass of the tile over the panels, multiply and add counted separately
/// (2 per lane), as the trainer counts its own.
#[wasm_bindgen]
pub fn ceiling_flops_per_pass() -> f64 {
    (2 * MR * NR * K) as f64
}

/// `passes` passes of the plain SIMD128 tile (`f32x4_mul` + `f32x4_add`, what the app uses);
/// returns a checksum of the accumulators so the work is observable.
#[wasm_bindgen]
pub fn ceiling_simd128(passes: u32) -> f32 {
    run(passes, |a, b, c| f32x4_add(c, f32x4_mul(a, b)))
}

/// `passes` passes with the fused `f32x4_relaxed_madd`: the upper reference only, since the
/// app must run where relaxed SIMD is missing (Safari, Firefox). Only in the module built
/// with `+relaxed-simd`, which the benchmark loads after validating it.
#[cfg(target_feature = "relaxed-simd")]
#[wasm_bindgen]
pub fn ceiling_relaxed_madd(passes: u32) -> f32 {
    run(passes, |a, b, c| f32x4_relaxed_madd(a, b, c))
}

/// Whether this module was built with relaxed SIMD (a check for the benchmark's loader).
#[wasm_bindgen]
pub fn relaxed_simd_built() -> bool {
    cfg!(target_feature = "relaxed-simd")
}

/// Runs the tile `passes` times over the same panels, carrying the accumulators across
/// passes. The values (0.5–0.875) keep every sum normal and finite, so no denormal or
/// overflow path is measured.
#[inline(always)]
fn run(passes: u32, madd: impl Fn(v128, v128, v128) -> v128) -> f32 {
    let a: Vec<f32> = (0..K * MR).map(|i| 0.5 + (i % 7) as f32 / 16.0).collect();
    let b: Vec<f32> = (0..K * NR).map(|i| 0.5 + (i % 5) as f32 / 16.0).collect();
    let mut acc = [f32x4_splat(0.0); MR * 2];
    for _ in 0..passes {
        // Opaque pointers each pass: the compiler cannot prove the panels unchanged and hoist
        // or fold the passes.
        let (pa, pb) = (black_box(a.as_ptr()), black_box(b.as_ptr()));
        // SAFETY: pa and pb point to K×MR and K×NR floats, exactly what `tile` reads.
        acc = unsafe { tile(pa, pb, acc, &madd) };
    }
    acc.iter()
        .map(|&v| {
            f32x4_extract_lane::<0>(v)
                + f32x4_extract_lane::<1>(v)
                + f32x4_extract_lane::<2>(v)
                + f32x4_extract_lane::<3>(v)
        })
        .sum()
}

/// One pass: `acc[2r + h] += a[p][r] · b[p][4h..4h + 4]` for p in 0..K. Inlined into `run`
/// so the 8 accumulators, 2 B vectors and the A broadcast (11 of the 16 xmm registers)
/// stay in registers through the k loop.
///
/// # Safety
/// `a` must be readable for K×MR floats and `b` for K×NR.
#[inline(always)]
unsafe fn tile(
    a: *const f32,
    b: *const f32,
    mut acc: [v128; MR * 2],
    madd: &impl Fn(v128, v128, v128) -> v128,
) -> [v128; MR * 2] {
    for p in 0..K {
        // SAFETY: p < K, so every read is inside the panels (see the function's contract).
        unsafe {
            let b0 = v128_load(b.add(NR * p) as *const v128);
            let b1 = v128_load(b.add(NR * p + 4) as *const v128);
            for r in 0..MR {
                let ar = v128_load32_splat(a.add(MR * p + r) as *const u32);
                acc[2 * r] = madd(ar, b0, acc[2 * r]);
                acc[2 * r + 1] = madd(ar, b1, acc[2 * r + 1]);
            }
        }
    }
    acc
}
