//! `js/warm.js` (issue 23) fetches what a first visit's run will ask for while the page's wasm
//! is still downloading. It runs before any Rust does, so it names the files and the presets
//! without MNIST itself; these tests hold those names to the app's own, so a renamed asset or
//! a new preset on other data cannot silently turn the warm-up into a wasted download.

use crate::experiment::DataSource;
use crate::preset::Preset;
use crate::trainer::data::mnist;

const WARM_JS: &str = include_str!("../js/warm.js");

/// The strings of the JS array assigned to `const name = [...]`.
fn js_array(name: &str) -> Vec<&'static str> {
    let start = WARM_JS
        .find(&format!("const {name} = ["))
        .unwrap_or_else(|| panic!("js/warm.js has no const {name}"));
    let body = &WARM_JS[start..];
    let body = &body[body.find('[').unwrap() + 1..body.find(']').unwrap()];
    body.split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_warm_up_fetches_the_asset_the_worker_fetches() {
    assert!(
        WARM_JS.contains(&format!("const MNIST_FILE = \"{}\";", mnist::ASSET_FILE)),
        "js/warm.js must name {}",
        mnist::ASSET_FILE
    );
}

#[test]
fn the_warm_up_fetches_the_loader_the_page_spawns() {
    // bridge.rs is wasm-only; its constant is read from the source.
    let bridge = include_str!("worker/bridge.rs");
    let loader = bridge
        .split("LOADER_URL: &str = \"./")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("bridge.rs declares LOADER_URL");
    assert_eq!(
        js_array("WORKER_FILES"),
        [loader, "worker.js", "worker_bg.wasm"]
    );
}

#[test]
fn the_warm_up_skips_mnist_for_exactly_the_presets_on_other_data() {
    let without: Vec<&str> = Preset::ALL
        .into_iter()
        .filter(|p| p.experiment().source != DataSource::Mnist)
        .map(Preset::key)
        .collect();
    assert_eq!(js_array("PRESETS_WITHOUT_MNIST"), without);
    assert_eq!(
        DataSource::Mnist.key(),
        "mnist",
        "js/warm.js compares `data` with it"
    );
}
