//! The worker boundary: what crosses between page and Web Worker ([`protocol`]), the
//! worker's logic ([`runner`], plain Rust, natively tested) and, in the browser, the
//! gloo-worker shell around it ([`bridge`]).

pub mod protocol;
pub mod runner;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub use bridge::{LOADER_URL, TrainerWorker, register};
