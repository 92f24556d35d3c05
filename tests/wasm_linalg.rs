//! The wasm32 SIMD128 sgemm against the definition (in f64), in a real browser:
//! `cargo test --target wasm32-unknown-unknown --test wasm_linalg` (headless Chromium through
//! wasm-bindgen-test-runner). Odd sizes exercise every edge of the kernel: partial register
//! tiles (m not a multiple of 4), narrow right-hand panels (n not a multiple of 8, padded to 4
//! or 8), several `k` blocks, both operand layouts, and `beta` 0 (old C ignored, even NaN),
//! 1 and other values. The product that skips zeros of `op(A)` gives `gemm`'s bits on
//! mostly-zero operands (MNIST's blank pixels), real SIMD128 this time.
#![cfg(target_arch = "wasm32")]

use batch_lab::trainer::linalg::{self, Op};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

type Gemm = fn(usize, usize, usize, &[f32], Op, &[f32], Op, f32, &mut [f32]);

/// The kernels under test: the SIMD128 one itself and the public entry point.
fn kernels() -> Vec<(&'static str, Gemm)> {
    let mut list: Vec<(&'static str, Gemm)> = vec![
        ("linalg::gemm", linalg::gemm),
        ("linalg::gemm_skipping_zeros", linalg::gemm_skipping_zeros),
    ];
    #[cfg(target_feature = "simd128")]
    list.push(("simd128::gemm", linalg::simd128::gemm));
    list
}

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

/// Checks `C = op(A)·op(B) + beta·C` for one shape against the f64 definition, with a
/// tolerance from the standard bound for a k-term f32 sum: |error| ≤ (k+2)·ε·Σ|terms|.
#[allow(clippy::too_many_arguments)]
fn check(name: &str, f: Gemm, m: usize, k: usize, n: usize, op_a: Op, op_b: Op, beta: f32) {
    let a = fill(m * k, (m * 131 + k * 17 + n) as u32);
    let b = fill(k * n, (k * 71 + n * 3 + m) as u32);
    let mut c = fill(m * n, (n * 37 + m) as u32);
    if beta == 0.0 {
        // Old contents must be ignored entirely, NaN included.
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
    f(m, k, n, &a, op_a, &b, op_b, beta, &mut c);
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
                "{name} m={m} k={k} n={n} {op_a:?}{op_b:?} beta={beta}: C[{i},{j}] = {got}, \
                 want {want} (tolerance {tol})"
            );
        }
    }
}

const SIZES: [usize; 11] = [1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 33];
const OPS: [(Op, Op); 4] = [
    (Op::N, Op::N),
    (Op::N, Op::T),
    (Op::T, Op::N),
    (Op::T, Op::T),
];

#[wasm_bindgen_test]
fn odd_shapes_match_the_definition() {
    for (name, f) in kernels() {
        for m in SIZES {
            for k in SIZES {
                for n in SIZES {
                    for (op_a, op_b) in OPS {
                        for beta in [0.0, 1.0] {
                            check(name, f, m, k, n, op_a, op_b, beta);
                        }
                    }
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn deep_and_trainer_shapes_match_the_definition() {
    // Several k blocks (k > 256), many row blocks, and the model's own products at small B.
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
    ];
    for (name, f) in kernels() {
        for (m, k, n) in shapes {
            for (op_a, op_b) in OPS {
                for beta in [0.0, 1.0, 0.5] {
                    check(name, f, m, k, n, op_a, op_b, beta);
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn degenerate_shapes() {
    for (name, f) in kernels() {
        // k = 0: C = beta·C, with beta = 0 clearing even NaN.
        let mut c = [f32::NAN, 2.0, 3.0, 4.0];
        f(2, 0, 2, &[], Op::N, &[], Op::N, 0.0, &mut c);
        assert_eq!(c, [0.0; 4], "{name}");
        let mut c = [1.0, 2.0, 3.0, 4.0];
        f(2, 0, 2, &[], Op::T, &[], Op::T, 1.0, &mut c);
        assert_eq!(c, [1.0, 2.0, 3.0, 4.0], "{name}");
        // m = 0 or n = 0: nothing to do, C untouched.
        let mut c = [7.0];
        f(0, 3, 5, &[], Op::N, &[0.0; 15], Op::N, 0.0, &mut c);
        f(3, 2, 0, &[0.0; 6], Op::N, &[], Op::N, 0.0, &mut c);
        assert_eq!(c, [7.0], "{name}");
        // Longer slices than needed: only the leading values are used or written.
        let a = [1.0, 2.0, 99.0];
        let b = [3.0, 4.0, 99.0];
        let mut c = [10.0, -1.0];
        f(1, 2, 1, &a, Op::N, &b, Op::N, 1.0, &mut c);
        assert_eq!(c, [21.0, -1.0], "{name}");
    }
}

/// `gemm_skipping_zeros` against `gemm`, every bit of C, with op(A) about three quarters
/// zeros (some −0, one NaN) and blank rows: the model's products at B = 1, 2, 8 (which take
/// the dense path) and 32 (which skip), Aᵀ packed and read in place (one panel), and odd sizes.
#[wasm_bindgen_test]
fn skipping_zeros_keeps_every_bit() {
    let shapes = [
        (1, 784, 128),
        (2, 784, 128),
        (8, 784, 128),
        (32, 784, 128),
        (784, 1, 128),
        (784, 2, 128),
        (784, 8, 128),
        (784, 32, 128),
        (33, 300, 21),
        (17, 10, 128),
        (32, 20, 8),
        (40, 33, 5),
    ];
    for (m, k, n) in shapes {
        for (op_a, op_b) in [(Op::N, Op::N), (Op::T, Op::N), (Op::N, Op::T)] {
            for beta in [0.0, 1.0] {
                let mut a = fill(m * k, (m * 7 + k) as u32);
                for (i, v) in a.iter_mut().enumerate() {
                    if i % 4 != 0 || (i / k) % 5 == 1 {
                        *v = if i % 12 == 3 { -0.0 } else { 0.0 };
                    }
                }
                a[m * k / 2] = f32::NAN;
                let b = fill(k * n, (k * 13 + n) as u32);
                let c0 = fill(m * n, (n * 5 + m) as u32);
                let (mut dense, mut skipped) = (c0.clone(), c0);
                linalg::gemm(m, k, n, &a, op_a, &b, op_b, beta, &mut dense);
                linalg::gemm_skipping_zeros(m, k, n, &a, op_a, &b, op_b, beta, &mut skipped);
                let differ = dense
                    .iter()
                    .zip(&skipped)
                    .position(|(d, s)| d.to_bits() != s.to_bits());
                assert_eq!(
                    differ, None,
                    "m={m} k={k} n={n} {op_a:?}{op_b:?} beta={beta}: first differing value"
                );
            }
        }
    }
}
