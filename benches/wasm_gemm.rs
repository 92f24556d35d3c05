//! GFLOP/s (2·m·k·n / time) of the trainer's five matrix products per training step
//! (784-128-10 MLP, batch B ∈ {1, 8, 32, 128, 512}) for each candidate sgemm kernel.
//!
//! In headless Chromium (the numbers that decide the wasm kernel; see docs/perf-notes.md):
//!
//! ```text
//! cargo bench --target wasm32-unknown-unknown --bench wasm_gemm
//! ```
//!
//! Natively (`cargo bench --bench wasm_gemm`) the same table for the native candidates.
//! Figures only, no assertions beyond a cross-check that all candidates agree.

use batch_lab::trainer::linalg::{self, Op};

/// A kernel with `linalg::gemm`'s contract.
type Gemm = fn(usize, usize, usize, &[f32], Op, &[f32], Op, f32, &mut [f32]);

/// The `gemm` crate (0.19, `wasm-simd128-enable`, no rayon), single-threaded.
#[cfg(target_arch = "wasm32")]
#[allow(clippy::too_many_arguments)]
fn gemm_crate(
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
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    // gemm's convention: dst = alpha·dst + beta·lhs·rhs, with (column, row) strides.
    let (lhs_rs, lhs_cs) = op_a.strides(m, k);
    let (rhs_rs, rhs_cs) = op_b.strides(k, n);
    // SAFETY: the assert above keeps every strided index inside the slices.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            beta != 0.0,
            a.as_ptr(),
            lhs_cs,
            lhs_rs,
            b.as_ptr(),
            rhs_cs,
            rhs_rs,
            beta,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

fn candidates() -> Vec<(&'static str, Gemm)> {
    let mut list: Vec<(&'static str, Gemm)> = vec![("matrixmultiply", linalg::portable)];
    #[cfg(target_arch = "wasm32")]
    list.push(("gemm 0.19", gemm_crate));
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    list.push(("simd128 4x8", linalg::simd128::gemm));
    list.push(("linalg::gemm", linalg::gemm));
    list
}

/// One product of a training step: (label, m, k, n, op_a, op_b, beta).
type Shape = (&'static str, usize, usize, usize, Op, Op, f32);

/// The five products of one step of the 784-128-10 model at batch `bs` (see model.rs).
fn shapes(bs: usize) -> [Shape; 5] {
    [
        ("fwd1 X·W1", bs, 784, 128, Op::N, Op::N, 1.0),
        ("fwd2 H·W2", bs, 128, 10, Op::N, Op::N, 1.0),
        ("dW1 Xᵀ·Δ", 784, bs, 128, Op::T, Op::N, 0.0),
        ("dW2 Hᵀ·Δ", 128, bs, 10, Op::T, Op::N, 0.0),
        ("dX2 Δ·W2ᵀ", bs, 10, 128, Op::N, Op::T, 0.0),
    ]
}

/// Deterministic values in [-1, 1).
fn fill(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect()
}

/// Seconds since some origin: `performance.now()` in the browser, `Instant` natively.
#[cfg(target_arch = "wasm32")]
fn now() -> f64 {
    thread_local!(static ORIGIN: wasm_bindgen_test::Instant = wasm_bindgen_test::Instant::now());
    ORIGIN.with(|o| o.elapsed().as_secs_f64())
}
#[cfg(not(target_arch = "wasm32"))]
fn now() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Seconds per call of `f` on shape `s`, averaged over `reps` calls.
fn time_calls(f: Gemm, s: &Shape, a: &[f32], b: &[f32], c: &mut [f32], reps: usize) -> f64 {
    let &(_, m, k, n, op_a, op_b, beta) = s;
    let t = now();
    for _ in 0..reps {
        f(m, k, n, a, op_a, b, op_b, beta, c);
    }
    (now() - t) / reps as f64
}

/// Runs every candidate on every shape and batch size and prints one table: GFLOP/s per
/// product, then per whole step (the five products' flops over the sum of their times).
/// Each figure is the best of `rounds` timed runs of about `run_secs`; the rounds interleave
/// the candidates so that a burst of load on the machine hits them all alike.
fn run(run_secs: f64, rounds: usize, mut print: impl FnMut(&str)) {
    let cands = candidates();
    let mut header = format!(
        "{:<12} {:>4} {:>5} {:>4} {:>4}",
        "product", "B", "m", "k", "n"
    );
    for (name, _) in &cands {
        header += &format!(" {name:>14}");
    }
    print(&header);
    for bs in [1, 8, 32, 128, 512] {
        let shapes = shapes(bs);
        let data: Vec<_> = shapes
            .iter()
            .map(|&(_, m, k, n, ..)| (fill(m * k, 1), fill(k * n, 2), fill(m * n, 3)))
            .collect();
        // reps[shape][candidate] and best seconds per call.
        let mut reps = vec![vec![1usize; cands.len()]; shapes.len()];
        let mut best = vec![vec![f64::INFINITY; cands.len()]; shapes.len()];
        let mut outs = vec![vec![Vec::new(); cands.len()]; shapes.len()];
        for (si, s) in shapes.iter().enumerate() {
            let (a, b, c0) = &data[si];
            for (ci, &(_, f)) in cands.iter().enumerate() {
                let mut c = c0.clone();
                // One checked call, then calibrate: double reps until a run takes a tenth.
                let &(_, m, k, n, op_a, op_b, beta) = s;
                f(m, k, n, a, op_a, b, op_b, beta, &mut c);
                outs[si][ci] = c.clone();
                let mut r = 1;
                loop {
                    let dt = time_calls(f, s, a, b, &mut c, r) * r as f64;
                    if dt >= run_secs / 10.0 {
                        reps[si][ci] = ((r as f64 * run_secs / dt).ceil() as usize).max(1);
                        break;
                    }
                    r *= 2;
                }
            }
            // Cross-check: every candidate gives the first one's C.
            for (ci, (name, _)) in cands.iter().enumerate() {
                let err = outs[si][ci]
                    .iter()
                    .zip(&outs[si][0])
                    .map(|(x, y)| (x - y).abs() / (1.0 + y.abs()))
                    .fold(0.0f32, f32::max);
                assert!(err < 1e-4, "{name} disagrees on {} B={bs}: {err}", s.0);
            }
        }
        for _ in 0..rounds {
            for (si, s) in shapes.iter().enumerate() {
                let (a, b, c0) = &data[si];
                for (ci, &(_, f)) in cands.iter().enumerate() {
                    // Timed calls with beta = 1 keep adding into C; the values stay finite.
                    let mut c = c0.clone();
                    let t = time_calls(f, s, a, b, &mut c, reps[si][ci]);
                    best[si][ci] = best[si][ci].min(t);
                }
            }
        }
        let flops = |s: &Shape| 2.0 * (s.1 * s.2 * s.3) as f64;
        for (si, s) in shapes.iter().enumerate() {
            let &(label, m, k, n, ..) = s;
            let mut line = format!("{label:<12} {bs:>4} {m:>5} {k:>4} {n:>4}");
            for t in &best[si] {
                line += &format!(" {:>14.2}", flops(s) / t / 1e9);
            }
            print(&line);
        }
        let step_flops: f64 = shapes.iter().map(flops).sum();
        let mut line = format!("{:<12} {bs:>4} {:>15}", "= step", "");
        for ci in 0..cands.len() {
            let t: f64 = best.iter().map(|row| row[ci]).sum();
            line += &format!(" {:>14.2}", step_flops / t / 1e9);
        }
        print(&line);
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::{
        Criterion, console_log, wasm_bindgen_bench, wasm_bindgen_test_configure,
    };

    // A dedicated worker, like the trainer in the app.
    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    #[wasm_bindgen_bench]
    fn gemm_gflops(_: &mut Criterion) {
        console_log!(
            "sgemm GFLOP/s, wasm32 simd128 in a browser worker (one thread), best of 15 runs of ~4 ms"
        );
        super::run(0.004, 15, |line| console_log!("{line}"));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "sgemm GFLOP/s, native {} (one thread), best of 15 runs of ~10 ms",
        std::env::consts::ARCH
    );
    run(0.01, 15, |line| println!("{line}"));
}
