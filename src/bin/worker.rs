//! The Web Worker binary: Trunk builds it for wasm32 (`data-bin="worker"`, `data-type="worker"`,
//! with a loader shim, `worker_loader.js`). Natively it is an empty program.

fn main() {
    #[cfg(target_arch = "wasm32")]
    batch_lab::worker::register();
}
