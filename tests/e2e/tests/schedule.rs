//! Issue 12's learning-rate schedule end to end: the post's warm-up recipe (`?preset=warmup`,
//! 0.0001 → 0.001 over 3 epochs) starts at exactly 0.0001 and reaches exactly 0.001 at the
//! first update after warm-up, as the worker recorded them (the LR chart's and `lr-now`'s
//! `data-value`s); linear scaling at B = 256 shows 0.008 beside the controls, follows the
//! batch, and the worker's first update uses the rate the page showed.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, run_case};

/// Waits until `attr` of `id` reads exactly `want`; panics with what it read instead.
async fn expect_attr(s: &Session, id: &str, attr: &str, want: &str) {
    if let Err(last) = s.wait_attr(id, attr, |v| v == want).await {
        panic!("{id} {attr}: wanted {want:?}, last saw {last:?}");
    }
}

/// Chooses `value` in the `<select>` with this `data-testid`.
async fn choose(s: &Session, id: &str, value: &str) {
    s.by_test_id(id)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {id}: {e}"));
}

async fn the_posts_warmup_recipe(s: &Session) {
    s.open_at("?preset=warmup&lang=en&speed=max").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.prop("warmup-epochs", "value").await, "3");
    assert_eq!(s.prop("warmup-start", "value").await, "0.0001");
    assert_eq!(s.prop("lr-rule", "value").await, "none");
    // Before any update: the rate after warm-up, and the dashed preview's ends.
    expect_attr(s, "effective-lr", "data-value", "0.001").await;
    expect_attr(s, "lr-chart", "data-planned-first", "0.0001").await;
    expect_attr(s, "lr-chart", "data-planned-last", "0.001").await;

    // One update: exactly the start value, as the worker reports it.
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one update");
    expect_attr(s, "lr-now", "data-value", "0.0001").await;
    expect_attr(s, "lr-chart", "data-first-rate", "0.0001").await;

    // The rest: 250 updates per epoch, so update 751 is the first after warm-up.
    s.click("train").await;
    s.wait_attr("lr-chart", "data-warmup-updates", |v| v == "750")
        .await
        .expect("the run got past its warm-up");
    expect_attr(s, "lr-chart", "data-after-warmup-rate", "0.001").await;
    expect_attr(s, "lr-chart", "data-first-rate", "0.0001").await;
    s.wait_state(&["finished"]).await;
    expect_attr(s, "lr-now", "data-value", "0.001").await;
    assert_eq!(s.number("lr-chart", "data-runs").await, 1);
    s.screenshot("schedule-warmup-finished").await;
}

async fn linear_scaling_follows_the_batch(s: &Session) {
    s.open_at("?preset=linear-scaling&lang=en").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.prop("lr-rule", "value").await, "linear");
    assert_eq!(s.prop("lr-base-batch", "value").await, "32");
    assert_eq!(s.prop("batch-size", "value").await, "256");
    // The post: 0.001 * (256 / 32).
    expect_attr(s, "effective-lr", "data-value", "0.008").await;
    s.type_into("batch-size", "512").await;
    expect_attr(s, "effective-lr", "data-value", "0.016").await;
    choose(s, "lr-rule", "sqrt").await;
    expect_attr(s, "effective-lr", "data-value", "0.004").await; // 0.001 · √16
    s.wait_state(&["ready"]).await;
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one update");
    expect_attr(s, "lr-now", "data-value", "0.004").await;
    // The link carries the schedule (written only when it is not the default).
    let url = s.client.current_url().await.expect("the page's URL");
    assert!(url.as_str().contains("rule=sqrt"), "{url}");
    choose(s, "lr-rule", "none").await;
    expect_attr(s, "effective-lr", "data-value", "0.001").await;
    let url = s.client.current_url().await.expect("the page's URL");
    assert!(!url.as_str().contains("rule="), "{url}");
    assert!(url.as_str().contains("b=512"), "{url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_warmup_preset_starts_at_the_start_and_reaches_the_peak() {
    run_case("schedule-warmup", the_posts_warmup_recipe).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linear_scaling_at_256_shows_0_008() {
    run_case("schedule-linear", linear_scaling_follows_the_batch).await;
}
