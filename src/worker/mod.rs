//! The worker boundary: what crosses between page and Web Worker ([`protocol`]), the
//! worker's logic ([`runner`], plain Rust, natively tested; its paces in [`pace`]), how the
//! page notices a dead worker ([`watchdog`], likewise) and, in the browser, the
//! gloo-worker shell around it ([`bridge`]).

pub mod pace;
pub mod protocol;
pub mod runner;
pub mod watchdog;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub use bridge::{LOADER_URL, TrainerWorker, register};
