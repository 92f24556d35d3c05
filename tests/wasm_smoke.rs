//! Browser smoke test (`cargo test --target wasm32-unknown-unknown --test wasm_smoke`, run by
//! scripts/test in headless Chromium through wasm-bindgen-test-runner): the library works in a
//! real page, not only natively.
#![cfg(target_arch = "wasm32")]

use batch_lab::anatomy::EpochAnatomy;
use batch_lab::experiment::Experiment;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn epoch_arithmetic_in_the_browser() {
    let a = EpochAnatomy::new(200, 20, 10);
    assert_eq!((a.updates_per_epoch, a.total_updates), (10, 100));
    assert_eq!(EpochAnatomy::new(250, 30, 1).updates_per_epoch, 9);
    // The default experiment is the post's Keras example: N = 8,000 at B = 32.
    assert_eq!(Experiment::default().updates_per_epoch(), 250);
}

#[wasm_bindgen_test]
fn simd128_runs_in_the_browser() {
    // .cargo/config.toml builds wasm32 with +simd128 (the trainer's kernels rely on it):
    // these intrinsics only compile with it, and the browser must execute them.
    use core::arch::wasm32::{i32x4, i32x4_add, i32x4_extract_lane};
    let v = i32x4_add(i32x4(1, 2, 3, 4), i32x4(10, 20, 30, 40));
    assert_eq!(i32x4_extract_lane::<3>(v), 44);
}
