//! Issue 22 ("compare two groups") end to end: the panel under the run list compares the two
//! newest groups, A the newer, and says what it can. With one seed per run it can say only
//! the point difference — which must be the difference of the two runs' own final
//! validation accuracies, as the run list shows them — and that one seed cannot tell.
//! With three seeds a group at B = 8 and one at B = 512 are compared paired on seeds, and
//! the difference is that of the two groups' means as the run list shows them.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, data_number, data_text, run_case};
use serde_json::Value;

/// The `comparison` element's `data-*` attributes.
async fn comparison(s: &Session) -> Value {
    s.js(
        "const e = document.querySelector('[data-testid=\"comparison\"]'); return e ? { ...e.dataset } : null;",
        vec![],
    )
    .await
}

/// `(run id, data-final-val-accuracy)` of every run-list row, in order.
async fn finals(s: &Session) -> Vec<(u64, String)> {
    (s.datasets("run-item").await.iter())
        .map(|d| {
            (
                data_number(d, "run") as u64,
                data_text(d, "finalValAccuracy"),
            )
        })
        .collect()
}

/// Scrolls the comparison panel to the top of the window (for the screenshots).
async fn show_panel(s: &Session) {
    s.js(
        "document.querySelector('[data-testid=\"compare-panel\"]').scrollIntoView(true); return true;",
        vec![],
    )
    .await;
}

/// Trains the configured run to its end (from Ready).
async fn train_to_the_end(s: &Session) {
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    s.wait_state(&["finished"]).await;
}

/// Two one-seed runs at B = 8 and B = 64 on XOR: the comparison appears once the second
/// has finished, says `one-seed`, and its `data-diff` is the B = 64 run's final validation
/// accuracy minus the B = 8 run's, in points.
async fn one_seed_runs_compare_as_one_seed(s: &Session) {
    s.open_at("?lang=en&data=xor&n=200&b=8&epochs=3&lr=0.01&layers=16&seed=42&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    let first = comparison(s).await;
    assert_eq!(first["groups"], "0", "no finished run yet: {first}");
    assert_eq!(first["verdict"], "", "{first}");
    assert!(
        s.text("comparison").await.contains("train two settings"),
        "it says what to do"
    );
    train_to_the_end(s).await;
    s.wait_attr("comparison", "data-groups", |v| v == "1")
        .await
        .expect("one group");
    s.type_into("batch-size", "64").await;
    train_to_the_end(s).await;
    s.wait_attr("comparison", "data-verdict", |v| v == "one-seed")
        .await
        .expect("a one-seed verdict");
    let rows = s
        .until("two runs with a final validation accuracy", async || {
            let rows = finals(s).await;
            if rows.len() == 2 && rows.iter().all(|r| !r.1.is_empty()) {
                Ok(rows)
            } else {
                Err(format!("{rows:?}"))
            }
        })
        .await;
    let acc = |i: usize| -> f64 { rows[i].1.parse().expect("a number") };
    let c = comparison(s).await;
    eprintln!("rows {rows:?}, comparison {c}");
    assert_eq!(c["groups"], "2", "{c}");
    assert_eq!(c["test"], "paired", "same seed on both sides: {c}");
    for key in ["ciLow", "ciHigh", "p"] {
        assert_eq!(c[key], "", "one seed has no {key}: {c}");
    }
    let diff: f64 = c["diff"].as_str().unwrap().parse().expect("data-diff");
    let want = (acc(1) - acc(0)) * 100.0; // A = the newer run (B = 64), B = the older
    assert!(
        (diff - want).abs() < 1e-9,
        "data-diff {diff} vs the rows' {want}"
    );
    // The selects name both groups, A the newer.
    assert_eq!(s.prop("compare-a", "value").await, rows[1].0.to_string());
    assert_eq!(s.prop("compare-b", "value").await, rows[0].0.to_string());
    let text = s.text("comparison").await;
    assert!(text.contains("one seed cannot tell"), "{text}");
    show_panel(s).await;
    s.screenshot("compare-groups-one-seed-panel").await;

    // Swapping the sides negates the difference.
    s.by_test_id("compare-a")
        .await
        .select_by_value(&rows[0].0.to_string())
        .await
        .expect("choose A");
    s.by_test_id("compare-b")
        .await
        .select_by_value(&rows[1].0.to_string())
        .await
        .expect("choose B");
    let swapped = s
        .until("the sides swapped", async || {
            let c = comparison(s).await;
            let d: f64 = c["diff"].as_str().unwrap_or("").parse().unwrap_or(f64::NAN);
            if (d + want).abs() < 1e-9 {
                Ok(d)
            } else {
                Err(format!("{c}"))
            }
        })
        .await;
    assert!((swapped + diff).abs() < 1e-9);

    // In Korean the sentence says the same.
    s.click("language").await;
    s.until("the Korean sentence", async || {
        let text = s.text("comparison").await;
        if text.contains("시드 하나로는") {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;
    show_panel(s).await;
    s.screenshot("compare-groups-one-seed-panel-ko").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_one_seed_runs_compare_as_one_seed() {
    run_case("compare-groups-one-seed", one_seed_runs_compare_as_one_seed).await;
}

/// `(data-seeds, data-val-accuracy-mean)` of every run-list row (a group is one row).
async fn group_means(s: &Session) -> Vec<(String, String)> {
    (s.datasets("run-item").await.iter())
        .map(|d| (data_text(d, "seeds"), data_text(d, "valAccuracyMean")))
        .collect()
}

/// Three seeds at B = 8, then three at B = 512, on XOR: two groups of the same seeds, so
/// the test is paired; `data-diff` is the B = 512 group's mean minus the B = 8 group's (as
/// their rows show them), inside its own interval, and the verdict is one of the two a
/// spread allows.
async fn three_seed_groups_compare_paired(s: &Session) {
    s.open_at("?lang=en&data=xor&n=600&b=8&epochs=2&lr=0.01&layers=16&seed=42&seeds=3&speed=max")
        .await;
    train_to_the_end(s).await;
    s.wait_attr("comparison", "data-groups", |v| v == "1")
        .await
        .expect("one group");
    s.type_into("batch-size", "512").await;
    train_to_the_end(s).await;
    let rows = s
        .until("two groups of three finished seeds", async || {
            let rows = group_means(s).await;
            if rows.len() == 2 && rows.iter().all(|(n, m)| n == "3" && !m.is_empty()) {
                Ok(rows)
            } else {
                Err(format!("{rows:?}"))
            }
        })
        .await;
    let c = s
        .until("a paired comparison of two groups", async || {
            let c = comparison(s).await;
            if c["groups"] == "2" && c["test"] == "paired" && c["p"] != "" {
                Ok(c)
            } else {
                Err(format!("{c}"))
            }
        })
        .await;
    eprintln!("groups {rows:?}, comparison {c}");
    let num = |v: &Value| -> f64 { v.as_str().unwrap_or_default().parse().expect("a number") };
    let mean = |i: usize| -> f64 { rows[i].1.parse().expect("a mean") };
    let diff = num(&c["diff"]);
    let want = mean(1) - mean(0); // A = the newer group (B = 512)
    assert!(
        (diff - want).abs() < 1e-9,
        "data-diff {diff} vs the groups' means' {want}"
    );
    let (low, high, p) = (num(&c["ciLow"]), num(&c["ciHigh"]), num(&c["p"]));
    assert!(low <= diff && diff <= high, "{c}");
    assert!((0.0..=1.0).contains(&p), "{c}");
    let verdict = c["verdict"].as_str().unwrap_or_default();
    let excludes_zero = low > 0.0 || high < 0.0;
    assert_eq!(
        verdict,
        if excludes_zero { "real" } else { "noise" },
        "the rule: real when the interval excludes 0: {c}"
    );
    let text = s.text("comparison").await;
    assert!(text.contains("3 seeds each"), "{text}");
    assert!(text.contains("paired on seeds"), "{text}");
    show_panel(s).await;
    s.screenshot("compare-groups-three-seeds-panel").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_seed_groups_compare_paired_on_seeds() {
    run_case(
        "compare-groups-three-seeds",
        three_seed_groups_compare_paired,
    )
    .await;
}
