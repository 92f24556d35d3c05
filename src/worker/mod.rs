//! The worker boundary: what crosses between page and Web Worker ([`protocol`]), the
//! worker's logic ([`runner`], plain Rust, natively tested; its paces in [`pace`]), and the
//! page's side: one worker's liveness and job ([`host`], with [`watchdog`] for silence) and
//! a pool of them with a job queue ([`pool`]), both natively tested; in the browser, the
//! gloo-worker shell inside the worker ([`bridge`]) and the pool's shell in the page
//! ([`shell`]).

pub mod host;
pub mod pace;
pub mod pool;
pub mod protocol;
pub mod runner;
pub mod watchdog;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub use bridge::{LOADER_URL, TrainerWorker, register};
