//! The page binary: Trunk builds it for wasm32 (`data-bin="batch-lab"` in index.html).
//! Natively it is an empty program, so `cargo build`/`clippy`/`test` keep working.

fn main() {
    #[cfg(target_arch = "wasm32")]
    batch_lab::ui::mount();
}
