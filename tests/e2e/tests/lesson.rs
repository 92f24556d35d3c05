//! Issue 20 ("the lesson reads right") end to end, on pixels, the way a student sees it:
//! after B = 8 then B = 256 on MNIST (same seed, the page's defaults: epoch axis, smoothing
//! 0.6), with both runs on the loss chart, the B = 8 training trace must be the rougher one —
//! on the epoch axis and on the samples axis, where both runs span the same x range.
//!
//! Only ink a reader can see counts: a pixel (composited over the page's background) with at
//! least 3:1 contrast against that background (WCAG non-text contrast), assigned to the run
//! whose colour (from the chart key) is nearest. An older run faded toward the background
//! has no such ink, and fails here.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, data_text, run_case};
use serde_json::{Value, json};
use std::time::Duration;

/// How long a B = 8 run of the page's 10 MNIST epochs (10,000 updates) may take at full
/// speed on a busy 2-core machine.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);

/// The run list's rows as (run, batch size, updates, current).
async fn run_items(s: &Session) -> Vec<(u64, u64, u64, bool)> {
    (s.datasets("run-item").await.iter())
        .map(|d| {
            let n = |key: &str| data_text(d, key).parse().unwrap_or(0);
            (n("run"), n("batchSize"), n("updates"), d["current"] == true)
        })
        .collect()
}

/// Clicks Train and waits until a run with `batch` finished all `total` updates and the
/// status says so.
async fn train_to_the_end(s: &Session, batch: u64, total: u64) {
    s.wait_state(&["ready", "finished"]).await;
    assert_eq!(s.number("total-updates", "data-value").await as u64, total);
    s.click("train").await;
    s.until_within(RUN_TIMEOUT, "the run finished", async || {
        let status = s.attr("status", "data-state").await;
        let items = run_items(s).await;
        let done = items
            .iter()
            .any(|&(_, b, u, current)| current && b == batch && u == total);
        if status == "finished" && done {
            Ok(())
        } else {
            Err(format!("status {status:?}, runs {items:?}"))
        }
    })
    .await;
}

/// The chart key of the chart `chart` (`loss-chart`…): (batch size, colour) per item.
async fn key_of(s: &Session, chart: &str) -> Vec<(u64, [u8; 3])> {
    let v = s
        .client
        .execute(
            r#"const fig = document.querySelector(`[data-testid="${arguments[0]}"]`).closest('figure');
               const key = fig.querySelector('[data-testid="chart-key"]');
               if (!key) return null;
               return [...key.querySelectorAll('[data-testid="chart-key-item"]')].map(e =>
                   [+e.dataset.batchSize, e.dataset.colour || '']);"#,
            vec![chart.into()],
        )
        .await
        .expect("read the chart key");
    let Some(items) = v.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .map(|i| {
            let hex = i[1].as_str().unwrap_or_default().trim_start_matches('#');
            let byte =
                |k: usize| u8::from_str_radix(hex.get(k..k + 2).unwrap_or("00"), 16).unwrap_or(0);
            (i[0].as_u64().unwrap_or(0), [byte(0), byte(2), byte(4)])
        })
        .collect()
}

/// What one run's visible ink in the plot says, over the columns both runs span.
#[derive(Debug)]
struct Ink {
    /// Share of the columns holding any of the run's ink.
    coverage: f64,
    /// Mean ink pixels per column: a line lays down its width plus how far it moves there.
    per_column: f64,
    /// Mean |Δ| of the ink's centroid (mean y) from one column to the next, pixels.
    centroid_step: f64,
}

/// Reads the loss chart's pixels and measures each run's visible ink (see the file's doc).
/// `colours` are the runs' colours in order; the result is in the same order.
async fn measure(s: &Session, colours: &[[u8; 3]]) -> Vec<Ink> {
    let script = r#"
        const [colours] = arguments;
        const c = document.querySelector('[data-testid="loss-chart"]');
        const [left, top, right, bottom] = c.dataset.plot.split(' ').map(Number);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const rgba = s => { const m = (s.match(/[\d.]+/g) || []).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
        // The page's background behind the canvas, and its text colour (axes and grid).
        let bg = [255, 255, 255];
        for (let e = c; e; e = e.parentElement) {
            const [r, g, b, a] = rgba(getComputedStyle(e).backgroundColor);
            if (a > 0) { bg = [r, g, b]; break; }
        }
        const text = rgba(getComputedStyle(c).color).slice(0, 3);
        const lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        const lum = p => 0.2126 * lin(p[0]) + 0.7152 * lin(p[1]) + 0.0722 * lin(p[2]);
        const lb = lum(bg);
        const contrast = p => { const l = lum(p); return (Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05); };
        const classes = colours.concat([text]);
        const dist = (p, q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
        // The plot, less its edges: the axes, and the right edge where both runs' end ticks
        // stand (a trace near loss 0 runs just above the x axis: those rows count).
        const x0 = Math.ceil(left) + 2, x1 = Math.floor(right) - 6;
        const y0 = Math.ceil(top), y1 = Math.floor(bottom) - 1;
        const cols = colours.map(() => []);
        for (let x = x0; x < x1; x++) {
            const ys = colours.map(() => []);
            for (let y = y0; y < y1; y++) {
                const i = (y * c.width + x) * 4, a = d[i + 3] / 255;
                if (a === 0) continue;
                const p = [0, 1, 2].map(k => d[i + k] * a + bg[k] * (1 - a));
                if (contrast(p) < 3) continue;
                let best = 0;
                for (let k = 1; k < classes.length; k++) if (dist(p, classes[k]) < dist(p, classes[best])) best = k;
                if (best < colours.length && dist(p, classes[best]) < 90) ys[best].push(y);
            }
            ys.forEach((v, k) => cols[k].push(v));
        }
        return cols.map(columns => {
            let inked = 0, ink = 0, steps = 0, moved = 0, last = null;
            for (const ys of columns) {
                ink += ys.length;
                if (!ys.length) { last = null; continue; }
                inked++;
                const centroid = ys.reduce((a, b) => a + b, 0) / ys.length;
                if (last !== null) { moved += Math.abs(centroid - last); steps++; }
                last = centroid;
            }
            const n = columns.length;
            return [inked / n, ink / n, steps ? moved / steps : 0];
        });
    "#;
    let arg: Vec<Value> = colours.iter().map(|c| json!(c)).collect();
    let v = s
        .client
        .execute(script, vec![Value::Array(arg)])
        .await
        .expect("read the loss chart's pixels");
    v.as_array()
        .expect("one entry per run")
        .iter()
        .map(|r| Ink {
            coverage: r[0].as_f64().unwrap_or(0.0),
            per_column: r[1].as_f64().unwrap_or(0.0),
            centroid_step: r[2].as_f64().unwrap_or(0.0),
        })
        .collect()
}

/// Chooses an x axis and waits until both charts drew it (`data-x-max` is set by the frame
/// that drew).
async fn show_axis(s: &Session, axis: &str, x_max: &str) {
    s.by_test_id("x-axis")
        .await
        .select_by_value(axis)
        .await
        .unwrap_or_else(|e| panic!("choose the {axis} axis: {e}"));
    for id in ["loss-chart", "accuracy-chart"] {
        s.wait_attr(id, "data-x-max", |v| v == x_max)
            .await
            .unwrap_or_else(|last| panic!("{id} on the {axis} axis: x-max {last:?}"));
        s.wait_attr(id, "data-runs", |v| v == "2")
            .await
            .unwrap_or_else(|last| panic!("{id}: {last} runs drawn"));
    }
}

/// Scrolls the loss chart's figure to the top of the window and saves a screenshot.
async fn shoot(s: &Session, name: &str, width: u32, height: u32) {
    // Window size → viewport size: resize, then grow the window by what its frame takes.
    s.client
        .set_window_size(width, height)
        .await
        .expect("resize the window");
    let inner = s.js("return [innerWidth, innerHeight];", vec![]).await;
    let n = |i: usize| inner[i].as_u64().unwrap_or(0) as u32;
    s.client
        .set_window_size(2 * width - n(0).min(width), 2 * height - n(1).min(height))
        .await
        .expect("resize the window");
    s.js("document.querySelector('[data-testid=\"loss-chart\"]').closest('figure').scrollIntoView();", vec![]).await;
    // The resize is seen by the charts' ResizeObserver; wait for the frame at the new width.
    let css = width as f64;
    s.until_within(Duration::from_secs(10), "a frame at the new width", async || {
        let v = s.js("const c = document.querySelector('[data-testid=\"loss-chart\"]'); return [c.width, c.getBoundingClientRect().width * devicePixelRatio, innerWidth];", vec![]).await;
        let n = |i: usize| v[i].as_f64().unwrap_or(0.0);
        if (n(0) - n(1).round()).abs() < 1.0 && n(2) <= css {
            Ok(())
        } else {
            Err(format!("{v}"))
        }
    })
    .await;
    s.screenshot(name).await;
}

async fn small_batch_is_the_rougher_trace(s: &Session) {
    s.open_at("?speed=max&b=8&lang=ko").await;
    s.wait_state(&["ready"]).await;
    train_to_the_end(s, 8, 10_000).await;
    s.type_into("batch-size", "256").await;
    s.wait_state(&["ready"]).await;
    train_to_the_end(s, 256, 320).await;

    // Both runs on both charts, each named in the chart's key.
    let key = s
        .until_within(
            Duration::from_secs(30),
            "a key of B = 8 and B = 256",
            async || {
                let loss = key_of(s, "loss-chart").await;
                let accuracy = key_of(s, "accuracy-chart").await;
                let sizes: Vec<u64> = loss.iter().map(|k| k.0).collect();
                if sizes == [8, 256] && loss == accuracy {
                    Ok(loss)
                } else {
                    Err(format!("loss {loss:?}, accuracy {accuracy:?}"))
                }
            },
        )
        .await;
    let colours: Vec<[u8; 3]> = key.iter().map(|k| k.1).collect();
    assert_ne!(colours[0], colours[1], "two colours");

    let mut measured = Vec::new();
    for (axis, x_max) in [("epoch", "10"), ("samples", "80000")] {
        show_axis(s, axis, x_max).await;
        let ink = measure(s, &colours).await;
        eprintln!("{axis} axis: B = 8 {:?}, B = 256 {:?}", ink[0], ink[1]);
        measured.push((axis, ink));
    }
    // What the student sees, before any verdict (a failing run still leaves its pictures).
    show_axis(s, "epoch", "10").await;
    shoot(s, "lesson-overlay-1280", 1280, 800).await;
    shoot(s, "lesson-overlay-375", 375, 740).await;
    shoot(s, "lesson-overlay-1920", 1920, 1080).await;

    for (axis, ink) in &measured {
        for (b, i) in [8, 256].iter().zip(ink) {
            assert!(
                i.coverage > 0.9,
                "{axis} axis: B = {b}'s trace must be visible (≥ 3:1) across the chart: {i:?}"
            );
        }
        assert!(
            ink[0].per_column > 1.5 * ink[1].per_column,
            "{axis} axis: B = 8 must lay down more ink per column (move more) than B = 256: \
             {:?} vs {:?}",
            ink[0],
            ink[1]
        );
        assert!(
            ink[0].centroid_step > 1.2 * ink[1].centroid_step,
            "{axis} axis: B = 8's trace must move more from column to column: {:?} vs {:?}",
            ink[0],
            ink[1]
        );
    }
}

#[tokio::test]
async fn small_batch_trace_is_rougher_when_overlaid() {
    run_case("lesson-b8-b256-overlay", small_batch_is_the_rougher_trace).await;
}
