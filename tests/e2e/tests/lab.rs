//! The live lab, end to end in headless Chromium against the release build: the post's
//! "200 / 20 = 10" example runs to exactly 100 updates, Step is one update, Pause holds,
//! Reset clears, charts draw, and changing B mid-run restarts with the same seed.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, run_case};
use std::time::Duration;

/// Pixels of a chart canvas that differ from its top-left (background) pixel, and those
/// close to the training series' blue (Okabe–Ito #0072B2 or the dark theme's #56B4E9).
async fn chart_pixels(s: &Session, id: &str) -> (i64, i64) {
    let script = r#"
        const c = document.querySelector(`[data-testid="${arguments[0]}"]`);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let drawn = 0, blue = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) drawn++;
            if (Math.abs(d[i] - 0) < 40 && Math.abs(d[i + 1] - 114) < 40 && Math.abs(d[i + 2] - 178) < 40) blue++;
        }
        return [drawn, blue];
    "#;
    let v = s
        .client
        .execute(script, vec![id.into()])
        .await
        .expect("read canvas pixels");
    let a = v.as_array().expect("two numbers");
    (a[0].as_i64().unwrap_or(0), a[1].as_i64().unwrap_or(0))
}

/// The post's example on MNIST: N = 200, B = 20, 10 epochs.
async fn set_post_example(s: &Session) {
    s.wait_state(&["ready"]).await;
    s.type_into("dataset-size", "200").await;
    s.type_into("batch-size", "20").await;
    s.type_into("epochs", "10").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.number("updates-per-epoch", "data-value").await, 10);
    assert_eq!(s.number("total-updates", "data-value").await, 100);
}

async fn post_example_runs_to_exactly_100_updates(s: &Session) {
    set_post_example(s).await;
    let text = s.text("updates-per-epoch").await;
    assert_eq!(text.trim(), "200 / 20 = 10");
    // A first visit trains at one epoch per second; this test counts a whole run: Max.
    assert_eq!(
        s.prop("speed", "value").await,
        "epoch",
        "the first visit's pace"
    );
    s.by_test_id("speed")
        .await
        .select_by_value("max")
        .await
        .expect("choose full speed");
    s.click("train").await;
    s.wait_state(&["finished"]).await;
    assert_eq!(s.number("step-counter", "data-value").await, 100);
    assert_eq!(s.number("epoch-counter", "data-value").await, 10);
    // Nothing more arrives after the end (a sleep that proves nothing happens).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(s.number("step-counter", "data-value").await, 100);
    s.wait_attr("charts", "data-updates", |v| v == "100")
        .await
        .expect("charts hold 100 updates");
    // The next animation frame draws all of them and says so.
    s.wait_attr("charts", "data-drawn", |v| v == "100")
        .await
        .expect("a frame drew all 100 updates");
    for id in ["loss-chart", "accuracy-chart"] {
        let (drawn, blue) = chart_pixels(s, id).await;
        assert!(drawn > 2000, "{id}: only {drawn} drawn pixels");
        assert!(
            blue > 200,
            "{id}: only {blue} pixels of the training series"
        );
    }
    assert_eq!(s.number("batch-view", "data-count").await, 20);
    s.screenshot("lab-finished").await;
}

async fn step_pause_and_reset(s: &Session) {
    set_post_example(s).await;
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one step = one update");
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "2")
        .await
        .expect("a second step = 2 updates");
    assert_eq!(s.number("batch-view", "data-count").await, 20);
    // A sleep that proves nothing happens: Step never runs on.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        s.number("step-counter", "data-value").await,
        2,
        "Step never runs on"
    );

    // Slow motion keeps the run going long enough to pause it mid-epoch.
    let speed = s.by_test_id("speed").await;
    speed
        .select_by_value("5")
        .await
        .expect("choose 5 updates/s");
    s.click("train").await;
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= 4
    })
    .await
    .expect("training advances");
    s.click("pause").await;
    s.wait_state(&["paused"]).await;
    let held = s.number("step-counter", "data-value").await;
    // A sleep that proves nothing happens: at 5 updates/s a running run would make 6.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let later = s.number("step-counter", "data-value").await;
    assert!(later <= held + 1, "Pause holds: {held} then {later}");
    assert!(later < 100);

    // The frame that drew the paused run's updates, then the frame after Reset.
    s.wait_attr("charts", "data-drawn", |v| v == later.to_string())
        .await
        .expect("a frame drew the paused run");
    let (_, blue_before) = chart_pixels(s, "loss-chart").await;
    s.click("reset").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.number("step-counter", "data-value").await, 0);
    s.wait_attr("charts", "data-updates", |v| v == "0")
        .await
        .expect("Reset clears the charts");
    s.wait_attr("charts", "data-drawn", |v| v == "0")
        .await
        .expect("a frame drew the cleared charts");
    let (_, blue_after) = chart_pixels(s, "loss-chart").await;
    assert!(
        blue_after < blue_before,
        "the cleared chart shows less of the series: {blue_before} → {blue_after}"
    );
    assert_eq!(s.number("batch-view", "data-count").await, 0);
}

async fn changing_batch_mid_run_restarts_with_the_same_seed(s: &Session) {
    set_post_example(s).await;
    // Slow motion: after the restart the new run needs 3 s to climb back to where the old
    // one was, a wide window for the polls below to see the counter drop.
    s.by_test_id("speed")
        .await
        .select_by_value("5")
        .await
        .expect("choose 5 updates/s");
    s.click("train").await;
    let before: i64 = s
        .wait_attr("step-counter", "data-value", |v| {
            v.parse::<i64>().unwrap_or(0) >= 15
        })
        .await
        .expect("training advances")
        .parse()
        .expect("a number");
    s.type_into("batch-size", "10").await;
    // The documented rule: a new run from update 0 with the same seed, still training. Each
    // fact is awaited (the page applies the change asynchronously), none assumed in time.
    s.wait_attr("updates-per-epoch", "data-value", |v| v == "20")
        .await
        .expect("200 / 10 = 20 updates per epoch");
    s.wait_attr("total-updates", "data-value", |v| v == "200")
        .await
        .expect("10 epochs × 20 = 200 updates");
    // A run's counter never goes down: seeing it below where the old run was is the restart.
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().is_ok_and(|u| u < before)
    })
    .await
    .unwrap_or_else(|last| panic!("the counter never restarted from {before}: last {last}"));
    s.wait_state(&["running"]).await;
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= 3
    })
    .await
    .expect("the new run trains on");
    s.wait_attr("batch-view", "data-count", |v| v == "10")
        .await
        .expect("the new run's batches hold 10 samples");
    assert_eq!(s.number("seed", "value").await, 42, "same seed");

    // Same seed means the same run: its first losses are those of a fresh run with these
    // settings, trained in a freshly opened page (its own worker) from the page's link.
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= FIRST
    })
    .await
    .expect("the new run makes its first updates");
    s.click("pause").await;
    s.wait_state(&["paused"]).await;
    let restarted = first_losses(s).await;
    let current = current_first_loss(s).await;
    assert_eq!(
        current.parse::<f64>().ok(),
        restarted[0].as_f64(),
        "the run list's first loss is the run's"
    );
    let link = s.client.current_url().await.expect("the page's link");
    s.client.goto(link.as_str()).await.expect("open the link");
    s.wait_state(&["ready"]).await;
    assert_eq!(s.number("batch-size", "value").await, 10, "{link}");
    assert_eq!(s.number("dataset-size", "value").await, 200, "{link}");
    for u in 1..=FIRST {
        s.click("step").await;
        s.wait_attr("step-counter", "data-value", |v| v == u.to_string())
            .await
            .expect("one step = one update");
    }
    // The JSON export needs a completed epoch: train this run on to its end.
    s.by_test_id("speed")
        .await
        .select_by_value("max")
        .await
        .expect("choose full speed");
    s.click("train").await;
    s.wait_state(&["finished"]).await;
    let fresh = first_losses(s).await;
    assert_eq!(
        restarted, fresh,
        "the restarted run's first losses are a fresh run's"
    );
    assert_eq!(current_first_loss(s).await, current);
    // And not the first run's (B = 20): the restart really changed the run.
    s.click("reset").await;
    s.type_into("batch-size", "20").await;
    s.wait_state(&["ready"]).await;
    s.click("step").await;
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one update with B = 20");
    assert_ne!(
        current_first_loss(s).await,
        current,
        "B = 20 starts elsewhere"
    );
}

/// The small-batch preset opens as a class should watch it: the update axis, no smoothing,
/// one epoch per second. B = 8's first epoch (1,000 updates) then streams over about a
/// second (at full speed it ends in a fraction of one); the link keeps a change of speed,
/// and the guide's buttons open the same teaching view.
async fn small_batch_streams_an_epoch_a_second(s: &Session) {
    s.open_at("?lang=en&preset=small-batch").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.prop("speed", "value").await, "epoch");
    assert_eq!(s.prop("x-axis", "value").await, "update");
    assert_eq!(s.prop("smoothing", "value").await, "0");
    assert_eq!(s.number("updates-per-epoch", "data-value").await, 1000);
    // The page's clock, read every 5 ms: when the first update and the 1,001st showed.
    s.js(r#"window.__pace = {};
            const id = setInterval(() => {
                const v = Number(document.querySelector('[data-testid="step-counter"]').dataset.value);
                const t = performance.now();
                if (v >= 1 && window.__pace.first === undefined) window.__pace.first = t;
                if (v >= 1001) { window.__pace.epoch = t; clearInterval(id); }
            }, 5);
            return true;"#, vec![]).await;
    s.click("train").await;
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= 1001
    })
    .await
    .expect("the first epoch ends");
    let pace = s
        .js("return [window.__pace.first, window.__pace.epoch];", vec![])
        .await;
    let ms = |i: usize| pace[i].as_f64().expect("a time");
    let epoch_s = (ms(1) - ms(0)) / 1000.0;
    eprintln!("B = 8, one epoch at the epoch pace: {epoch_s:.2} s");
    assert!(
        (0.75..=2.5).contains(&epoch_s),
        "1,000 updates took {epoch_s:.2} s, not about one"
    );
    s.js(
        "document.querySelector('[data-testid=\"charts\"]').scrollIntoView(); return true;",
        vec![],
    )
    .await;
    s.screenshot("lab-epoch-pace-first-epoch").await;
    // What the machine does at full speed, for comparison (printed, not asserted: the
    // epoch pace is capped by it, and a loaded machine may be slower than the pace).
    s.js(r#"const counter = document.querySelector('[data-testid="step-counter"]');
            window.__max = { from: Number(counter.dataset.value) };
            const id = setInterval(() => {
                const v = Number(counter.dataset.value), t = performance.now();
                if (v > window.__max.from && window.__max.t0 === undefined) { window.__max.t0 = t; window.__max.v0 = v; }
                if (window.__max.t0 !== undefined && v >= window.__max.v0 + 1000) { window.__max.t1 = t; clearInterval(id); }
            }, 5);
            return true;"#, vec![]).await;
    s.by_test_id("speed")
        .await
        .select_by_value("max")
        .await
        .expect("choose full speed");
    s.wait_state(&["finished"]).await;
    let max = s
        .js("return (window.__max.t1 - window.__max.t0) / 1000;", vec![])
        .await;
    eprintln!("B = 8, 1,000 updates at full speed: {max} s");
    let url = s.client.current_url().await.expect("the page's URL");
    assert!(url.as_str().contains("speed=max"), "{url}");

    // A guide button: its value, and the teaching view and pace again.
    s.by_test_id("x-axis")
        .await
        .select_by_value("epoch")
        .await
        .expect("choose the epoch axis");
    let guide = s
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=\"guide-batch\"][data-value=\"64\"]",
        ))
        .await
        .expect("the guide's B = 64 button");
    guide.click().await.expect("click it");
    s.until("the guide's button sets B = 64", async || {
        match s.prop("batch-size", "value").await {
            b if b == "64" => Ok(()),
            b => Err(b),
        }
    })
    .await;
    assert_eq!(s.prop("x-axis", "value").await, "update");
    assert_eq!(s.prop("smoothing", "value").await, "0");
    assert_eq!(s.prop("speed", "value").await, "epoch");
}

/// Updates whose losses are compared.
const FIRST: i64 = 5;

/// The current run's first [`FIRST`] batch losses, from the JSON export.
async fn first_losses(s: &Session) -> Vec<serde_json::Value> {
    s.js("window.__batchLabLastExport = null; return true;", vec![])
        .await;
    s.click("export-json").await;
    let export = s
        .until("the JSON export", async || {
            match s.js("return window.__batchLabLastExport;", vec![]).await {
                serde_json::Value::Null => Err("none yet".to_owned()),
                export => Ok(export),
            }
        })
        .await;
    let json: serde_json::Value = serde_json::from_str(
        export["text"]
            .as_str()
            .expect("a JSON export (is export-json enabled?)"),
    )
    .expect("valid JSON");
    let updates = json["updates"]["update"].as_array().expect("updates");
    let want: Vec<serde_json::Value> = (1..=updates.len()).map(|u| u.into()).collect();
    assert_eq!(updates, &want, "one row per update, in order");
    let losses = json["updates"]["loss"].as_array().expect("losses");
    assert!(losses.len() >= FIRST as usize, "{losses:?}");
    assert!(
        losses
            .iter()
            .all(|l| l.as_f64().is_some_and(f64::is_finite)),
        "{losses:?}"
    );
    losses[..FIRST as usize].to_vec()
}

/// `data-first-loss` of the run list's current run.
async fn current_first_loss(s: &Session) -> String {
    let v = s
        .js(
            "const li = document.querySelector('[data-testid=\"run-item\"].current'); \
             return li ? li.getAttribute('data-first-loss') : null;",
            vec![],
        )
        .await;
    v.as_str()
        .expect("the current run is in the run list")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_posts_200_over_20_example_runs_exactly_100_updates() {
    run_case("lab-post-example", post_example_runs_to_exactly_100_updates).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_pause_reset() {
    run_case("lab-step-pause-reset", step_pause_and_reset).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_change_mid_run() {
    run_case(
        "lab-batch-change",
        changing_batch_mid_run_restarts_with_the_same_seed,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_small_batch_preset_streams_an_epoch_a_second() {
    run_case("lab-epoch-pace", small_batch_streams_an_epoch_a_second).await;
}
