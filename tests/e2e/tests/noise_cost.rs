//! Issue 12's gradient-noise meter and cost panel end to end: the meter shows a number after
//! the first updates (and says B ≥ 2 is needed at B = 1), the cost panel's batch memory is
//! the formula for the current layers and B, and a run reports its throughput and the
//! worker's real wasm memory.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, run_case};

/// Bytes a batch of `b` takes in a net of these layer widths, written out from the
/// definition in docs/concepts.md: every layer's values for the batch (the input included)
/// plus the backward pass's two error buffers, each as wide as the widest non-input layer;
/// f32.
fn batch_memory(widths: &[u64], b: u64) -> u64 {
    let widest = widths[1..].iter().copied().max().unwrap();
    4 * b * (widths.iter().sum::<u64>() + 2 * widest)
}

/// The `data-value` of `id` once it is a number satisfying `pred`.
async fn wait_number(s: &Session, id: &str, what: &str, pred: impl Fn(f64) -> bool) -> f64 {
    let v = s
        .wait_attr(id, "data-value", |v| v.parse::<f64>().is_ok_and(&pred))
        .await
        .unwrap_or_else(|last| panic!("{id}: {what}; last data-value {last:?}"));
    v.parse().expect("a number")
}

async fn text(s: &Session, id: &str) -> String {
    s.by_test_id(id).await.text().await.unwrap_or_default()
}

async fn meter_after_first_updates(s: &Session) {
    s.open_at("?lang=en&data=moons&n=400&b=32&epochs=20&layers=16&seed=7&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    assert_eq!(
        s.attr("noise-scale", "data-value").await,
        "",
        "no reading before the first update"
    );
    assert!(
        text(s, "noise-scale")
            .await
            .contains("after the first updates")
    );

    s.click("step").await;
    let first = wait_number(s, "noise-scale", "a reading after one update", |v| {
        v.is_finite() && v >= 0.0
    })
    .await;
    let t = text(s, "noise-scale").await;
    assert!(
        t.contains("noise scale") && t.contains("Your B = 32"),
        "the meter names the scale and B: {t:?} ({first})"
    );
    // It leads with the post's terms (B = 32 against B = 8: √4 = 2 times less noise) and
    // says where its number comes from.
    let lead = text(s, "noise-lead").await;
    assert!(
        lead.contains("compared with B = 8") && lead.contains("2 times smaller"),
        "{lead:?}"
    );
    assert!(t.contains("Measured on this run at update"), "{t:?}");

    s.click("train").await;
    s.wait_state(&["finished"]).await;
    let last = wait_number(s, "noise-scale", "a reading at the end", |v| v > 0.0).await;
    // The meter shows what the export holds: the last kept row's `noise_scale`, at the
    // update it names.
    let export = s.export_json().await["updates"].clone();
    let rows = export["noise_scale"].as_array().expect("noise_scale rows");
    let exported = rows
        .last()
        .and_then(|v| v.as_f64())
        .expect("a last reading");
    assert_eq!(last, exported.round(), "meter {last} vs export {exported}");
    let at = export["update"].as_array().and_then(|u| u.last()).cloned();
    let at = at.and_then(|u| u.as_u64()).expect("the last row's update");
    let t = text(s, "noise-scale").await;
    assert!(
        t.contains(&format!("at update {at}")),
        "the meter names update {at}: {t:?}"
    );
    s.by_test_id("noise-trace").await; // the trace over training is drawn
    // The run measured its own speed, and the worker reported its real memory.
    wait_number(s, "cost-samples-per-second", "measured throughput", |v| {
        v > 0.0
    })
    .await;
    let wasm = wait_number(s, "cost-wasm-memory", "the worker's memory", |v| v > 0.0).await;
    assert_eq!(wasm % 65_536.0, 0.0, "wasm memory comes in 64 KiB pages");

    // Korean: the same reading, in Korean words.
    s.click("language").await;
    s.wait_attr("noise-scale", "data-value", |v| v.parse::<f64>().is_ok())
        .await
        .expect("still a reading");
    let ko = text(s, "noise-scale").await;
    assert!(ko.contains("노이즈 스케일"), "{ko:?}");
    assert!(
        ko.contains("B = 32의 그래디언트 노이즈는 B = 8보다 2배 작습니다."),
        "{ko:?}"
    );
    assert!(!ko.contains("노이즈가 큰 구간"), "{ko:?}");
}

async fn batch_of_one_needs_two(s: &Session) {
    s.open_at("?lang=en&data=moons&n=200&b=1&epochs=1&layers=8&seed=7")
        .await;
    s.wait_state(&["ready"]).await;
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one update");
    let t = text(s, "noise-scale").await;
    assert!(t.contains("B ≥ 2"), "{t:?}");
    assert_eq!(s.attr("noise-scale", "data-value").await, "");
}

async fn batch_memory_follows_layers_and_b(s: &Session) {
    s.open_at("?lang=en&data=spirals&n=400&b=20&layers=16-8&seed=1")
        .await;
    s.wait_state(&["ready"]).await;
    let want = batch_memory(&[2, 16, 8, 2], 20);
    wait_number(s, "cost-batch-memory", "the formula at B = 20", |v| {
        v == want as f64
    })
    .await;

    s.type_into("batch-size", "50").await;
    s.wait_state(&["ready"]).await;
    let want = batch_memory(&[2, 16, 8, 2], 50);
    wait_number(s, "cost-batch-memory", "the formula at B = 50", |v| {
        v == want as f64
    })
    .await;

    s.type_into("hidden-layers", "64").await;
    s.wait_state(&["ready"]).await;
    let want = batch_memory(&[2, 64, 2], 50);
    wait_number(s, "cost-batch-memory", "the formula for 2-64-2", |v| {
        v == want as f64
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meter_reads_after_the_first_updates() {
    run_case("noise-meter", meter_after_first_updates).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meter_needs_a_batch_of_two() {
    run_case("noise-meter-b1", batch_of_one_needs_two).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cost_batch_memory_is_the_formula() {
    run_case("cost-batch-memory", batch_memory_follows_layers_and_b).await;
}

/// Full-batch on random labels (B = N = 400): the meter's estimates are exact at B = N
/// (the batch is the whole set), so it shows a finite reading. The independent-draw formulas
/// it used before put |G|² below zero here within about 50 updates (|G|² − tr Σ/(N − 1)),
/// and the meter showed its clamp, 10,000,000.
async fn full_batch_reads_a_number(s: &Session) {
    s.open_at("?lang=en&data=random&n=400&b=400&epochs=200&layers=16&seed=3&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    s.wait_state(&["finished"]).await;
    let v = wait_number(s, "noise-scale", "a reading after 200 full batches", |v| {
        v.is_finite() && v > 0.0
    })
    .await;
    let t = text(s, "noise-scale").await;
    eprintln!("random data, B = N, 200 updates: {v}, {t:?}");
    assert!(v != 1e7 && !t.contains("10,000,000"), "{v} {t:?}");
    s.js(
        "document.querySelector('[data-testid=noise-scale]').scrollIntoView();",
        vec![],
    )
    .await;
    s.screenshot("noise-meter-full-batch").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meter_reads_a_full_batch_run() {
    run_case("noise-meter-full-batch", full_batch_reads_a_number).await;
}
