//! Batch Lab: a real mini-batch MLP trainer (plain Rust, no browser dependency) and,
//! on wasm32, the web app that drives it from a Web Worker.
//!
//! - [`trainer`]: data sets, model, loss, optimisers and the one-update-at-a-time session.
//! - [`experiment`]: the settings of one run (data, N, split, training config).
//! - [`boundary`]: the decision boundary of 2-D data (grid, encoding, throttle).

pub mod anatomy;
pub mod boundary;
pub mod claims;
pub mod code;
pub mod comparison;
pub mod cost;
pub mod embed_code;
pub mod experiment;
pub mod export;
pub mod guide;
pub mod history;
pub mod i18n;
pub mod layout;
pub mod noise_reading;
pub mod plot;
pub mod preset;
pub mod settings;
pub mod shell;
pub mod stats;
pub mod sweep;
pub mod trainer;
pub mod url_state;

/// The page (Leptos, client-side rendering); browser only.
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod worker;
