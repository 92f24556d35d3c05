//! Issue 10 ("compare runs") end to end: kept runs overlay on the charts and fill the run
//! list, the x axis puts them on a common footing (epochs, updates, samples), a repeated run
//! repeats exactly, the list's hide / pin / remove / clear act on the charts, and the
//! batch-size sweep records what it claims (a target read only at validated updates) and
//! cancels at once.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab::sweep::VALIDATIONS_PER_DOUBLING;
use batch_lab::trainer::session::geometric_validations;
use batch_lab_e2e::sweep_reading::{FIRST_SWEEP_RUN, crossing, numbers, sweep_rows, sweep_runs};
use batch_lab_e2e::{Session, TIMEOUT, run_case};
use fantoccini::Locator;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

/// The sweep these tests check: one seed per B, every B training the same epochs (issue
/// 22's `target` mode and seeds have their own test, tests/e2e/tests/sweep.rs).
const ONE_SEED_EPOCHS: &str = "sweep-mode=epochs&sweep-seeds=1";

/// One row of the run list, as its attributes say.
#[derive(Clone, Debug, PartialEq)]
struct RunItem {
    run: u64,
    batch: usize,
    visible: bool,
    pinned: bool,
    /// Empty until the run was validated.
    final_val_accuracy: String,
    /// Empty until the first update.
    first_loss: String,
    updates: usize,
    current: bool,
    label: String,
}

/// Every `run-item` of the run list, in order.
async fn run_items(s: &Session) -> Vec<RunItem> {
    let script = r#"
        return [...document.querySelectorAll('[data-testid="run-item"]')].map(e => {
            const label = e.querySelector('.run-label');
            const em = label && label.querySelector('em');
            const text = label ? label.textContent : '';
            return {
                data: { ...e.dataset },
                current: e.classList.contains('current'),
                label: (em ? text.replace(em.textContent, '') : text).trim(),
            };
        });
    "#;
    let v = s.js(script, vec![]).await;
    let str_of = |d: &Value, k: &str| d[k].as_str().unwrap_or_default().to_owned();
    let num = |d: &Value, k: &str| -> u64 {
        let t = str_of(d, k);
        t.parse()
            .unwrap_or_else(|_| panic!("run-item data-{k} is {t:?}, not a number: {d}"))
    };
    v.as_array()
        .expect("an array of run items")
        .iter()
        .map(|e| {
            let d = &e["data"];
            RunItem {
                run: num(d, "run"),
                batch: num(d, "batchSize") as usize,
                visible: str_of(d, "visible") == "true",
                pinned: str_of(d, "pinned") == "true",
                final_val_accuracy: str_of(d, "finalValAccuracy"),
                first_loss: str_of(d, "firstLoss"),
                updates: num(d, "updates") as usize,
                current: e["current"].as_bool().unwrap_or(false),
                label: e["label"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

/// Waits until the run list satisfies `pred`; returns it.
async fn wait_items(s: &Session, what: &str, pred: impl Fn(&[RunItem]) -> bool) -> Vec<RunItem> {
    s.until(what, async || {
        let items = run_items(s).await;
        if pred(&items) {
            Ok(items)
        } else {
            Err(format!("{items:#?}"))
        }
    })
    .await
}

/// Clicks `button` (`run-hide`, `run-pin`, `run-remove`) of the run-list row of `run`.
async fn click_in_item(s: &Session, run: u64, button: &str) {
    let css = format!("[data-testid=\"run-item\"][data-run=\"{run}\"] [data-testid=\"{button}\"]");
    s.client
        .wait()
        .at_most(TIMEOUT)
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Waits until both canvases say `attr` = `want` (set after the animation frame that drew).
async fn wait_both_charts(s: &Session, attr: &str, want: &str) {
    for id in ["loss-chart", "accuracy-chart"] {
        if let Err(last) = s.wait_attr(id, attr, |v| v == want).await {
            panic!("{id} {attr}: expected {want:?}, last {last:?}");
        }
    }
}

/// Chooses an x axis (`epoch`, `update`, `samples`, `seconds`) in the view controls.
async fn choose_axis(s: &Session, axis: &str) {
    s.by_test_id("x-axis")
        .await
        .select_by_value(axis)
        .await
        .unwrap_or_else(|e| panic!("choose the {axis} axis: {e}"));
}

/// The run list's current run, if listed.
async fn current_item(s: &Session) -> Option<RunItem> {
    run_items(s).await.into_iter().find(|i| i.current)
}

/// Clicks Train and waits until the run it starts has finished: from Ready that is the
/// current run; from Finished, Train starts a new run (a new id), which must finish.
async fn train_to_the_end(s: &Session) {
    let state = s.wait_state(&["ready", "finished"]).await;
    let before = current_item(s).await.map(|i| i.run);
    s.click("train").await;
    s.until("the run finished", async || {
        let status = s.attr("status", "data-state").await;
        let total = s.number("total-updates", "data-value").await as usize;
        let current = current_item(s).await;
        match &current {
            Some(c)
                if status == "finished"
                    && c.updates == total
                    && (state == "ready" || Some(c.run) != before) =>
            {
                Ok(())
            }
            _ => Err(format!(
                "status {status:?}, {total} updates planned, current run {current:?} \
                 (before Train: {state}, run {before:?}); items {:?}",
                run_items(s).await
            )),
        }
    })
    .await;
}

/// Parses one number attribute of a map of `data-*` values (empty → `None`).
fn opt_f64(d: &Value, key: &str) -> Option<f64> {
    let t = d[key].as_str().unwrap_or_default();
    (!t.is_empty()).then(|| {
        t.parse()
            .unwrap_or_else(|_| panic!("data-{key} is {t:?}, not a number: {d}"))
    })
}

/// Scrolls the element with this `data-testid` to the top of the window (for a screenshot).
async fn scroll_to(s: &Session, id: &str) {
    s.by_test_id(id).await;
    s.client
        .execute(
            "document.querySelector(`[data-testid=\"${arguments[0]}\"]`).scrollIntoView();",
            vec![id.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("scroll to {id}: {e}"));
}

// ---------------------------------------------------------------------------- the cases

/// B = 8 then B = 256 on the same 1,000 samples for 2 epochs: both runs stay, both charts
/// draw both, and the x axis puts them side by side (250 vs 8 updates, 2 epochs each, 2,000
/// samples each).
async fn two_batch_sizes_overlay(s: &Session) {
    s.open_at("?lang=en&data=random&n=1000&b=8&epochs=2&seed=42&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.number("total-updates", "data-value").await, 250);
    train_to_the_end(s).await;
    assert_eq!(s.number("step-counter", "data-value").await, 250);

    // A student changes B in the control (a finished run just reconfigures, it does not start).
    s.type_into("batch-size", "256").await;
    s.wait_state(&["ready"]).await;
    assert_eq!(s.number("updates-per-epoch", "data-value").await, 4);
    assert_eq!(s.number("total-updates", "data-value").await, 8);
    train_to_the_end(s).await;
    assert_eq!(s.number("step-counter", "data-value").await, 8);

    let items = wait_items(s, "two finished runs, B = 8 and B = 256", |items| {
        items.len() == 2 && items.iter().all(|i| !i.final_val_accuracy.is_empty())
    })
    .await;
    let (a, b) = (&items[0], &items[1]);
    assert_eq!((a.batch, a.updates), (8, 250), "{a:?}");
    assert_eq!((b.batch, b.updates), (256, 8), "{b:?}");
    assert!(
        b.current && !a.current,
        "the newer run is current: {items:?}"
    );
    assert!(a.visible && b.visible && !a.pinned && !b.pinned);
    assert_eq!(a.label, "B = 8", "named by what differs");
    assert_eq!(b.label, "B = 256");
    assert_ne!(a.run, b.run);
    for item in &items {
        let acc: f64 = item.final_val_accuracy.parse().expect("a number");
        assert!((0.0..=1.0).contains(&acc), "{item:?}");
    }

    wait_both_charts(s, "data-runs", "2").await;
    choose_axis(s, "update").await;
    wait_both_charts(s, "data-x-max", "250").await;
    let log = s.by_test_id("x-log").await;
    assert_eq!(
        log.prop("disabled").await.unwrap().as_deref(),
        Some("false"),
        "log x is allowed on the update axis"
    );
    choose_axis(s, "epoch").await;
    wait_both_charts(s, "data-x-max", "2").await;
    assert_eq!(
        s.by_test_id("x-log")
            .await
            .prop("disabled")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "no log x on the epoch axis"
    );
    choose_axis(s, "samples").await;
    wait_both_charts(s, "data-x-max", "2000").await;
    choose_axis(s, "seconds").await;
    for id in ["loss-chart", "accuracy-chart"] {
        let seconds = s
            .wait_attr(id, "data-x-max", |v| {
                v.parse::<f64>()
                    .is_ok_and(|x| x.is_finite() && x > 0.0 && x != 2000.0)
            })
            .await
            .unwrap_or_else(|last| panic!("{id}: seconds axis x-max {last:?}"));
        let seconds: f64 = seconds.parse().unwrap();
        assert!(seconds < 120.0, "{id}: {seconds} s of training?");
    }
    // The view changes only the drawing: still both runs.
    wait_both_charts(s, "data-runs", "2").await;
    assert_eq!(run_items(s).await, items);
    scroll_to(s, "x-axis").await;
    s.screenshot("compare-two-runs").await;
}

/// Train, finish, Train again: the same settings give the same first update (same seed, same
/// data order, same initial weights) and the same end; both runs stay. A third run with
/// another seed starts elsewhere.
async fn a_repeated_run_repeats_exactly(s: &Session) {
    s.open_at("?lang=en&data=random&n=200&b=20&epochs=3&seed=42&speed=max")
        .await;
    train_to_the_end(s).await;
    let first = wait_items(s, "one finished run", |items| {
        items.len() == 1 && items[0].updates == 30 && !items[0].final_val_accuracy.is_empty()
    })
    .await;
    assert!(!first[0].first_loss.is_empty());

    // Train on a finished run: a new run with identical settings.
    train_to_the_end(s).await;
    let items = wait_items(s, "two finished runs", |items| {
        items.len() == 2
            && items
                .iter()
                .all(|i| i.updates == 30 && !i.final_val_accuracy.is_empty())
    })
    .await;
    let kept = |i: &RunItem| {
        (
            i.run,
            i.batch,
            i.updates,
            i.first_loss.clone(),
            i.final_val_accuracy.clone(),
        )
    };
    assert_eq!(
        kept(&items[0]),
        kept(&first[0]),
        "the first run is kept as it was"
    );
    assert!(!items[0].current);
    assert_ne!(items[0].run, items[1].run);
    assert!(items[1].current);
    assert_eq!(
        items[0].first_loss, items[1].first_loss,
        "same settings, same first batch loss: {items:#?}"
    );
    let loss: f32 = items[0].first_loss.parse().expect("a number");
    assert!(loss.is_finite() && loss > 0.0, "{loss}");
    assert_eq!(
        items[0].final_val_accuracy, items[1].final_val_accuracy,
        "same settings, same end"
    );
    // Nothing differs, so the runs are numbered.
    assert_eq!(items[0].label, "B = 20 · #1");
    assert_eq!(items[1].label, "B = 20 · #2");

    // Another seed: another start (so equality above is not a constant). Same settings but
    // the seed: it joins the newest group without seed 7 (run #2's; src/history/groups.rs),
    // which is then the current row, drawn as one colour with one key item.
    s.type_into("seed", "7").await;
    train_to_the_end(s).await;
    let items = wait_items(s, "#1 and the group of seeds 42 and 7", |items| {
        items.len() == 2 && items[1].current && items.iter().all(|i| i.updates == 30)
    })
    .await;
    assert!(!items[0].current);
    let json = s.export_json().await;
    let runs = json["runs"].as_array().expect("runs").clone();
    let of_seed = |seed: u64| {
        (runs.iter())
            .filter(|r| r["seed"].as_u64() == Some(seed))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (fourty_two, seven) = (of_seed(42), of_seed(7));
    assert_eq!((fourty_two.len(), seven.len()), (2, 1), "{runs:#?}");
    assert_eq!(
        seven[0]["group"], fourty_two[1]["group"],
        "seed 7 is in run #2's group"
    );
    assert_ne!(fourty_two[0]["group"], fourty_two[1]["group"]);
    assert_eq!(fourty_two[0]["history"], fourty_two[1]["history"]);
    assert_ne!(
        seven[0]["history"]["loss"], fourty_two[0]["history"]["loss"],
        "seed 7 trains elsewhere than seed 42"
    );
    wait_both_charts(s, "data-runs", "3").await;
    let seeds: Vec<Value> = s
        .chart_key()
        .await
        .iter()
        .map(|k| k["seeds"].clone())
        .collect();
    assert_eq!(seeds, ["1", "2"], "#1, and the group as one key item");
    scroll_to(s, "x-axis").await;
    s.screenshot("compare-repeat").await;
}

/// While a run trains, its run-list row is updated in place, not built again for each
/// display update: the element marked at one update still holds the row at a later one,
/// with the later count and summary.
async fn the_training_row_updates_in_place(s: &Session) {
    s.open_at("?lang=en&data=random&n=200&b=20&epochs=50&seed=42&speed=20")
        .await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    let first = wait_items(s, "the run in progress listed", |items| {
        items.len() == 1 && items[0].current && items[0].updates >= 2
    })
    .await;
    let marked = s.js(r#"const row = document.querySelector('[data-testid="run-item"]');
               row.__marked = true;
               return [Number(row.dataset.updates), row.querySelector('.run-summary').textContent];"#, vec![]).await;
    let (at, summary) = (marked[0].as_u64().unwrap(), marked[1].to_string());
    assert!(at >= first[0].updates as u64);
    let later = s
        .until("the marked row shows later updates", async || {
            let v = s
                .client
                .execute(
                    r#"const row = document.querySelector('[data-testid="run-item"]');
                   return [row.__marked === true, Number(row.dataset.updates),
                           row.querySelector('.run-summary').textContent];"#,
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
            let (same, updates) = (v[0].as_bool().unwrap_or(false), v[1].as_u64().unwrap_or(0));
            if !same {
                panic!("the row was built again between updates {at} and {updates}");
            }
            if updates >= at + 3 {
                Ok(v)
            } else {
                Err(format!("{v}"))
            }
        })
        .await;
    assert_ne!(
        later[2].to_string(),
        summary,
        "the summary follows the updates"
    );
    s.click("pause").await;
}

/// Hide, show, pin, remove and clear act on the list and the charts.
async fn hide_pin_remove_clear(s: &Session) {
    s.open_at("?lang=en&data=random&n=200&b=20&epochs=2&seed=42&speed=max")
        .await;
    train_to_the_end(s).await; // B = 20: 20 updates
    s.type_into("batch-size", "50").await;
    train_to_the_end(s).await; // B = 50: 8 updates
    s.type_into("batch-size", "100").await;
    train_to_the_end(s).await; // B = 100: 4 updates
    let items = wait_items(s, "three finished runs", |items| {
        items.len() == 3 && items.iter().map(|i| i.updates).eq([20, 8, 4])
    })
    .await;
    let [b20, b50, b100] = [items[0].run, items[1].run, items[2].run];
    choose_axis(s, "update").await;
    wait_both_charts(s, "data-runs", "3").await;
    wait_both_charts(s, "data-x-max", "20").await;

    // Hide B = 20: the charts drop it (and its x extent), the list keeps it.
    click_in_item(s, b20, "run-hide").await;
    let items = wait_items(s, "B = 20 hidden", |items| {
        items.len() == 3 && !items[0].visible
    })
    .await;
    assert!(items[1].visible && items[2].visible, "{items:#?}");
    wait_both_charts(s, "data-runs", "2").await;
    wait_both_charts(s, "data-x-max", "8").await;
    // Show it again.
    click_in_item(s, b20, "run-hide").await;
    wait_items(s, "B = 20 shown again", |items| items[0].visible).await;
    wait_both_charts(s, "data-runs", "3").await;
    wait_both_charts(s, "data-x-max", "20").await;

    // Pin B = 20; only it is pinned.
    click_in_item(s, b20, "run-pin").await;
    let items = wait_items(s, "B = 20 pinned", |items| items[0].pinned).await;
    assert!(!items[1].pinned && !items[2].pinned, "{items:#?}");
    assert!(items.iter().all(|i| i.visible));

    // Remove B = 50 (not the current run): gone from the list and the charts.
    click_in_item(s, b50, "run-remove").await;
    let items = wait_items(s, "B = 50 removed", |items| items.len() == 2).await;
    assert_eq!(
        items.iter().map(|i| i.run).collect::<Vec<_>>(),
        [b20, b100],
        "{items:#?}"
    );
    assert!(items[0].pinned, "the pinned run is untouched");
    wait_both_charts(s, "data-runs", "2").await;

    // Clear all with a run in progress: only that run stays, still training. At 1 update/s
    // its 20 updates outlast the checks (4 updates at B = 100 could end before the click).
    s.type_into("batch-size", "20").await;
    s.wait_state(&["ready"]).await;
    s.by_test_id("speed")
        .await
        .select_by_value("1")
        .await
        .expect("choose 1 update/s");
    s.click("train").await;
    s.wait_state(&["running"]).await;
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= 1
    })
    .await
    .expect("the new run trains");
    scroll_to(s, "x-axis").await;
    s.screenshot("compare-before-clear").await;
    assert_eq!(
        run_items(s).await.len(),
        3,
        "B = 20, B = 100 and the run in progress"
    );
    s.click("clear-runs").await;
    let items = wait_items(s, "only the run in progress left", |items| items.len() == 1).await;
    assert!(items[0].current, "{items:#?}");
    assert!(![b20, b50, b100].contains(&items[0].run), "{items:#?}");
    assert_eq!(s.wait_state(&["running"]).await, "running");
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<i64>().unwrap_or(0) >= 2
    })
    .await
    .expect("it still trains after Clear all");
    wait_both_charts(s, "data-runs", "1").await;

    // Clear all when nothing is in progress: no run with any record is left.
    s.by_test_id("speed")
        .await
        .select_by_value("max")
        .await
        .expect("choose full speed");
    s.wait_state(&["finished"]).await;
    wait_items(s, "the run in progress finished", |items| {
        items.len() == 1 && items[0].updates == 20
    })
    .await;
    s.click("clear-runs").await;
    wait_items(s, "no run left in the list", |after| after.is_empty()).await;
    s.wait_attr("charts", "data-updates", |v| v == "0")
        .await
        .expect("the charts hold no update");
    wait_both_charts(s, "data-x-max", "0").await;
    // The run list shows trained runs only ("a run not yet trained is on no chart"), so the
    // charts, which say how many runs they drew, must agree: none.
    wait_both_charts(s, "data-runs", "0").await;
}

/// The sweep panel comes a task after the rest; waits for it and for it to be idle.
async fn sweep_panel_ready(s: &Session) {
    s.wait_state(&["ready"]).await;
    if let Err(last) = s
        .wait_attr("sweep-panel", "data-state", |v| v == "idle")
        .await
    {
        panic!("sweep panel not idle: {last:?}");
    }
}

/// Starts a sweep and waits until it is done; returns the rows.
async fn sweep_to_the_end(s: &Session) -> Vec<Value> {
    s.click("sweep").await;
    match s
        .wait_attr("sweep-panel", "data-state", |v| v == "done")
        .await
    {
        Ok(_) => {}
        Err(last) => {
            // A sweep can outlast TIMEOUT on a slow machine: give it the case's limit.
            assert_eq!(last, "running", "the sweep neither ran nor finished");
            s.until("the sweep finished", async || {
                let el = s.by_test_id("sweep-panel").await;
                match el.attr("data-state").await.ok().flatten() {
                    Some(v) if v == "done" => Ok(()),
                    v => Err(format!("{v:?}")),
                }
            })
            .await;
        }
    }
    s.by_test_id("sweep-results").await;
    sweep_rows(s).await
}

/// A sweep to check: the data (`data=` and more of a query), N, epochs, the sizes and the
/// target (percent) as typed into the sweep panel.
struct SweepCase {
    query: &'static str,
    n: u64,
    epochs: u64,
    sizes: &'static str,
    target_percent: u64,
}

/// What a checked sweep gave: batch size and updates to target (`None`: never) per row, and
/// the fitted B_crit.
struct SweepOutcome {
    reached: Vec<(u64, Option<f64>)>,
    b_crit: Option<f64>,
}

/// Runs `case`'s sweep (one seed per B, every epoch) and checks it: one row per B;
/// validation on the geometric schedule plus epoch ends, nowhere else; every "updates to
/// target" (and its samples and seconds) is the crossing interpolated log-linearly between
/// the exported validations around it, never after the first validated one at or over the
/// target; rows that never reached it are empty; B_crit is the fit of the rows' points;
/// the runs are in the run list and on the charts.
async fn sweep_and_check(s: &Session, case: &SweepCase) -> SweepOutcome {
    let SweepCase {
        query,
        n,
        epochs,
        sizes: sizes_text,
        target_percent,
    } = *case;
    s.open_at(&format!(
        "?lang=en&{query}&n={n}&epochs={epochs}&seed=42&{ONE_SEED_EPOCHS}"
    ))
    .await;
    sweep_panel_ready(s).await;
    s.type_into("sweep-sizes", sizes_text).await;
    s.until("the sizes applied", async || {
        let v = s.prop("sweep-sizes", "value").await;
        if v == sizes_text { Ok(()) } else { Err(v) }
    })
    .await;
    s.type_into("sweep-target", &target_percent.to_string())
        .await;
    s.until("the target applied", async || {
        let v = s.prop("sweep-target", "value").await;
        if v == target_percent.to_string() {
            Ok(())
        } else {
            Err(v)
        }
    })
    .await;
    let target = target_percent as f64 / 100.0;
    let want_sizes: Vec<u64> = sizes_text
        .split(", ")
        .map(|b| b.parse().expect("a size"))
        .collect();

    let rows = sweep_to_the_end(s).await;
    eprintln!("sweep {query}: {rows:?}");
    assert_eq!(
        s.by_test_id("sweep-panel")
            .await
            .attr("data-workers")
            .await
            .unwrap()
            .as_deref(),
        Some("0"),
        "no worker left once done"
    );
    assert_eq!(
        s.number("sweep-progress", "data-value").await as usize,
        want_sizes.len()
    );
    let sizes: Vec<u64> = rows
        .iter()
        .map(|r| r["batchSize"].as_str().unwrap_or("").parse().unwrap_or(0))
        .collect();
    assert_eq!(sizes, want_sizes, "one row per batch size: {rows:#?}");

    let json = s.export_json().await;
    let runs = sweep_runs(&json);
    assert_eq!(runs.len(), want_sizes.len(), "every sweep run exported");
    let items = run_items(s).await;

    let mut reached = Vec::new();
    for (row, &b) in rows.iter().zip(&sizes) {
        let upe: u64 = row["updatesPerEpoch"].as_str().unwrap().parse().unwrap();
        assert_eq!(upe, n.div_ceil(b), "updates per epoch at B = {b}");
        let total = upe * epochs;
        let run = runs
            .iter()
            .find(|r| r["params"]["batch_size"].as_u64() == Some(b))
            .unwrap_or_else(|| panic!("no exported sweep run with B = {b}"));
        let id = run["run"].as_u64().unwrap();
        assert_eq!(run["status"], "finished", "B = {b}");
        assert_eq!(run["params"]["total_updates"].as_u64(), Some(total));
        let recorded: Vec<u64> = numbers(&run["updates"]["update"])
            .iter()
            .map(|&u| u as u64)
            .collect();
        assert_eq!(
            recorded,
            (1..=total).collect::<Vec<_>>(),
            "B = {b}: every update recorded"
        );
        // The run is in the list, finished, with its validation.
        let item = items
            .iter()
            .find(|i| i.run == id)
            .unwrap_or_else(|| panic!("sweep run {id} (B = {b}) not in the run list"));
        assert_eq!((item.batch, item.updates as u64), (b as usize, total));
        assert!(!item.final_val_accuracy.is_empty(), "{item:?}");

        // Validation on the geometric schedule plus every epoch end, nowhere else.
        let validated: Vec<u64> = numbers(&run["validation"]["update"])
            .iter()
            .map(|&u| u as u64)
            .collect();
        let accuracy = numbers(&run["validation"]["accuracy"]);
        let samples = numbers(&run["validation"]["samples_seen"]);
        let seconds = numbers(&run["validation"]["seconds"]);
        let mut schedule: BTreeSet<u64> =
            geometric_validations(VALIDATIONS_PER_DOUBLING, total as usize)
                .map(|u| u as u64)
                .collect();
        schedule.extend((1..=epochs).map(|e| e * upe));
        assert_eq!(
            validated,
            schedule.iter().copied().collect::<Vec<_>>(),
            "B = {b}: validated updates"
        );
        let final_acc = opt_f64(row, "finalValAccuracy").expect("a final validation accuracy");
        assert_eq!(final_acc, *accuracy.last().unwrap(), "B = {b}");

        let first = accuracy.iter().position(|&a| a >= target);
        match (opt_f64(row, "updatesToTarget"), first) {
            (None, None) => {
                reached.push((b, None));
                assert_eq!(row["samplesToTarget"], "", "B = {b}");
                assert_eq!(row["secondsToTarget"], "", "B = {b}");
            }
            (Some(update), Some(i)) => {
                // Interpolated (log-linear) between the validations around the crossing,
                // read here from the exported points on their own.
                let want = crossing(&numbers(&run["validation"]["update"]), &accuracy, target)
                    .expect("reached");
                reached.push((b, Some(update)));
                assert!(
                    update <= total as f64,
                    "B = {b}: {update} > {total} updates"
                );
                assert!(
                    (update - want).abs() <= 1e-9 * want,
                    "B = {b}: {update} updates to {target}, the exported validations give {want}"
                );
                assert!(
                    update <= validated[i] as f64,
                    "B = {b}: not after the first validated update at ≥ {target}"
                );
                let want_samples = crossing(&samples, &accuracy, target).unwrap();
                let shown = opt_f64(row, "samplesToTarget").unwrap();
                assert!(
                    (shown - want_samples).abs() <= 1e-9 * want_samples,
                    "B = {b}"
                );
                let secs = opt_f64(row, "secondsToTarget").unwrap();
                let want_secs = crossing(&seconds, &accuracy, target).unwrap();
                assert!(
                    (secs - want_secs).abs() <= 1e-6 * want_secs.abs().max(1.0),
                    "B = {b}: {secs} s vs {want_secs} s"
                );
            }
            (shown, first) => panic!(
                "B = {b}: the row says {shown:?} updates to {target}, the run's validations \
                 first reach it at {:?} ({validated:?}, {accuracy:?})",
                first.map(|i| validated[i])
            ),
        }
    }
    // B_crit: the fit of the rows that reached the target, or nothing.
    let b_crit = s
        .by_test_id("b-crit")
        .await
        .attr("data-value")
        .await
        .unwrap()
        .unwrap_or_default();
    let b_crit = (!b_crit.is_empty()).then(|| b_crit.parse::<f64>().expect("a number"));
    // Epochs mode: a B that never reached the target leaves no fit (none over the survivors).
    let starved = reached.iter().any(|r| r.1.is_none());
    let points: Vec<(f64, f64)> = reached
        .iter()
        .filter_map(|&(b, u)| Some((b as f64, u?)))
        .collect();
    let fit = if starved { None } else { fit_b_crit(&points) };
    match (b_crit, fit) {
        (None, None) => {}
        (Some(shown), Some(fit)) => {
            assert!(
                (shown - fit).abs() <= 1e-9 * fit,
                "B_crit {shown}, the fit of {points:?} gives {fit}"
            );
            let text = s.by_test_id("b-crit").await.text().await.unwrap();
            assert!(
                text.contains(&format!("≈ {}", fit.round())),
                "the text names B_crit ≈ {}: {text:?}",
                fit.round()
            );
        }
        (shown, fit) => panic!("B_crit shown {shown:?}, the fit of {points:?} gives {fit:?}"),
    }

    scroll_to(s, "sweep-results").await;
    s.screenshot(&format!(
        "compare-sweep-results-{}",
        query.replace(['=', '&', '.'], "-")
    ))
    .await;
    // The charts draw exactly the listed (trained, visible) runs: the sweep's. The page's own
    // run, configured but never trained, is on no chart and not in the list.
    assert_eq!(items.len(), want_sizes.len(), "{items:#?}");
    wait_both_charts(s, "data-runs", &want_sizes.len().to_string()).await;
    SweepOutcome { reached, b_crit }
}

/// `S(B) = S_min (1 + B_crit / B)` fitted to `(B, S)` points by the page's own fit; its
/// B_crit.
fn fit_b_crit(points: &[(f64, f64)]) -> Option<f64> {
    batch_lab::sweep::fit_steps(points).map(|fit| fit.b_crit)
}

/// Blobs at 85 %: small batches reach it part-way through (a validated update well after
/// the first), the full batch (5 updates) never does.
async fn sweep_rows_match_the_runs(s: &Session) {
    let outcome = sweep_and_check(
        s,
        &SweepCase {
            query: "data=blobs&b=20&layers=128&act=relu&lr=0.001",
            n: 200,
            epochs: 5,
            sizes: "8, 32, 200",
            target_percent: 85,
        },
    )
    .await;
    let reached: Vec<_> = outcome.reached.iter().filter_map(|r| r.1).collect();
    assert!(
        !reached.is_empty(),
        "no run reached 85 %: {:?}",
        outcome.reached
    );
    assert!(
        reached.iter().any(|&u| u > 1.0),
        "every run reached the target at its first update: too easy to test anything"
    );
    assert!(
        outcome.reached.iter().any(|r| r.1.is_none()),
        "some run never reached it: {:?}",
        outcome.reached
    );
}

/// XOR at 90 % with a higher learning rate: every B reaches it, in fewer updates the larger
/// B, so a critical batch size is fitted.
async fn sweep_fits_the_critical_batch(s: &Session) {
    let outcome = sweep_and_check(
        s,
        &SweepCase {
            query: "data=xor&b=20&lr=0.01&layers=128&act=relu",
            n: 200,
            epochs: 5,
            sizes: "8, 32, 200",
            target_percent: 90,
        },
    )
    .await;
    assert!(
        outcome.reached.iter().all(|r| r.1.is_some()),
        "every run reaches 90 %: {:?}",
        outcome.reached
    );
    let b = outcome.b_crit.expect("a fitted B_crit");
    assert!(b.is_finite() && b > 0.0, "B_crit {b}");
}

/// Random noise: no run reaches the default 60 % (its labels carry no information), so
/// every row's "to target" cells are empty and no B_crit is fitted.
async fn sweep_on_noise_never_reaches(s: &Session) {
    s.open_at(&format!(
        "?lang=en&data=random&n=1000&b=32&epochs=2&seed=42&{ONE_SEED_EPOCHS}"
    ))
    .await;
    sweep_panel_ready(s).await;
    assert_eq!(s.prop("sweep-target", "value").await, "60");
    assert_eq!(
        s.prop("sweep-sizes", "value").await,
        "8, 32, 128, 250, 1000",
        "the default list for N = 1,000"
    );
    let rows = sweep_to_the_end(s).await;
    eprintln!("noise sweep rows: {rows:?}");
    assert_eq!(rows.len(), 5, "{rows:#?}");
    for row in &rows {
        for key in ["updatesToTarget", "samplesToTarget", "secondsToTarget"] {
            assert_eq!(row[key], "", "{key} of {row}");
        }
        let acc = opt_f64(row, "finalValAccuracy").expect("validated");
        assert!(acc < 0.6, "{row}");
    }
    assert_eq!(
        s.by_test_id("b-crit")
            .await
            .attr("data-value")
            .await
            .unwrap()
            .as_deref(),
        Some(""),
        "no fit without points"
    );

    // The rows follow a switch of language (their text was once frozen at the language the
    // sweep ended in): every row says "not reached" in English, then in Korean.
    let row_texts = async || {
        s.js(
            r#"return [...document.querySelectorAll('[data-testid="sweep-row"]')].map(r => r.innerText);"#,
            vec![],
        )
        .await
        .as_array()
        .expect("row texts")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
    };
    let en = row_texts().await;
    assert!(
        en.len() == 5 && en.iter().all(|t| t.contains("(not reached)")),
        "{en:#?}"
    );
    s.click("language").await;
    let ko = s
        .until("the rows in Korean", async || {
            let rows = row_texts().await;
            let korean = rows.len() == 5
                && rows
                    .iter()
                    .all(|t| t.contains("(못 이름)") && !t.contains("not reached"));
            if korean {
                Ok(rows)
            } else {
                Err(format!("{rows:?}"))
            }
        })
        .await;
    eprintln!("noise sweep rows in Korean: {ko:?}");
}

/// A sweep worker that crashes or falls silent mid-run is noticed: its run keeps what it
/// recorded and is named as failed, the sweep goes on in a fresh worker to the end.
async fn a_dead_sweep_worker_is_replaced(s: &Session) {
    for (fault, first) in [("sweep-crash", true), ("sweep-silence", false)] {
        if first {
            // Runs of seconds each (B = 4: 100,000 updates), so the fault lands mid-run
            // however slow the WebDriver round trips are.
            s.open_at(&format!(
                "?lang=en&data=spirals&n=2000&epochs=200&seed=3&{ONE_SEED_EPOCHS}"
            ))
            .await;
        }
        sweep_panel_ready_or_done(s).await;
        s.type_into("sweep-sizes", "4,16,64").await;
        // This sweep's runs, not an earlier sweep's (kept in the list).
        let before = run_items(s).await.iter().map(|i| i.run).max().unwrap_or(0);
        let first = before.max(FIRST_SWEEP_RUN - 1);
        s.click("sweep").await;
        wait_items(s, "this sweep's runs training", |items| {
            items.iter().any(|i| i.run > first && i.updates >= 2)
        })
        .await;
        s.client
            .execute(
                "document.dispatchEvent(new CustomEvent('batch-lab-test-fault', { detail: arguments[0] }));",
                vec![fault.into()],
            )
            .await
            .expect("make a sweep worker fail");
        let rows = sweep_to_the_end(s).await;
        assert_eq!(
            rows.len(),
            3,
            "{fault}: a row per B, the failed one too: {rows:#?}"
        );
        let failed = s.number("sweep-failed", "data-value").await;
        assert_eq!(failed, 1, "{fault}: one run failed");
        // The failed run's own row is marked, in its data and in words.
        let marked = s
            .js(
                r#"return [...document.querySelectorAll('[data-testid="sweep-row"][data-failed="true"]')]
                    .map(e => e.innerText);"#,
                vec![],
            )
            .await;
        let marked: Vec<&str> = marked
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(marked.len(), 1, "{fault}: one row marked failed: {rows:#?}");
        assert!(marked[0].contains("stopped"), "{fault}: {marked:?}");
        s.wait_attr("sweep-panel", "data-workers", |v| v == "0")
            .await
            .expect("no worker left");
        let progress = s.number("sweep-progress", "data-value").await;
        assert_eq!(progress, 3, "{fault}: every run ended");
        scroll_to(s, "sweep-panel").await;
        s.screenshot(&format!("compare-{fault}")).await;
    }
}

/// The sweep panel idle, or showing a finished sweep (a new one may start).
async fn sweep_panel_ready_or_done(s: &Session) {
    s.wait_state(&["ready"]).await;
    if let Err(last) = s
        .wait_attr("sweep-panel", "data-state", |v| v == "idle" || v == "done")
        .await
    {
        panic!("sweep panel not ready: {last:?}");
    }
}

/// A sweep's results own their numbers (issue 21): with the run list full of pinned runs
/// of the student's, a sweep still has a row per size, and after Clear all (which takes the
/// sweep's runs off the charts and the list) every row is still there with the same figures.
async fn sweep_rows_outlive_the_run_list(s: &Session) {
    s.open_at(&format!(
        "?lang=en&data=random&n=200&b=50&epochs=1&seed=42&speed=max&{ONE_SEED_EPOCHS}"
    ))
    .await;
    // Fill the run list with pinned runs (a new run drops the oldest unpinned one).
    let max_runs = batch_lab::history::MAX_RUNS;
    for _ in 0..max_runs {
        train_to_the_end(s).await;
        let run = current_item(s).await.expect("the run just trained").run;
        click_in_item(s, run, "run-pin").await;
        wait_items(s, "the run pinned", |items| {
            items.iter().any(|i| i.run == run && i.pinned)
        })
        .await;
    }
    let pinned = wait_items(s, "every kept run pinned", |items| {
        items.len() == max_runs && items.iter().all(|i| i.pinned)
    })
    .await;
    // The lab's last run has finished (not "ready"): wait for the sweep panel only.
    s.wait_attr("sweep-panel", "data-state", |v| v == "idle")
        .await
        .expect("the sweep panel idle");
    s.type_into("sweep-sizes", "5, 10, 20, 50, 100, 200").await;
    let rows = sweep_to_the_end(s).await;
    let batches = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["batchSize"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        batches(&rows),
        ["5", "10", "20", "50", "100", "200"],
        "a row per size beside {max_runs} pinned runs: {rows:#?}"
    );
    let items = run_items(s).await;
    for p in &pinned {
        assert!(
            items.iter().any(|i| i.run == p.run),
            "the sweep dropped none of the student's runs: {items:#?}"
        );
    }
    s.click("clear-runs").await;
    wait_items(s, "no run left in the list", |after| after.is_empty()).await;
    wait_both_charts(s, "data-runs", "0").await;
    assert_eq!(
        sweep_rows(s).await,
        rows,
        "Clear all leaves the sweep's rows and their figures as they were"
    );
}

/// Cancel ends every sweep worker at once: the state says so, no worker is left, and
/// nothing moves afterwards.
async fn cancel_stops_everything(s: &Session) {
    // MNIST, 200 epochs: runs far longer than the test.
    s.open_at(&format!("?lang=en&epochs=200&seed=42&{ONE_SEED_EPOCHS}"))
        .await;
    sweep_panel_ready(s).await;
    s.click("sweep").await;
    s.wait_attr("sweep-panel", "data-state", |v| v == "running")
        .await
        .expect("the sweep runs");
    let workers = s.number("sweep-panel", "data-workers").await;
    assert!(workers >= 1, "{workers} workers");
    // Wait until the sweep's runs are recording updates.
    wait_items(s, "sweep runs training", |items| {
        items
            .iter()
            .any(|i| i.run >= FIRST_SWEEP_RUN && i.updates >= 2)
    })
    .await;
    assert_eq!(
        s.by_test_id("sweep-panel")
            .await
            .attr("data-state")
            .await
            .unwrap()
            .as_deref(),
        Some("running"),
        "still running when cancelled"
    );
    s.click("sweep-cancel").await;
    s.wait_attr("sweep-panel", "data-state", |v| v == "cancelled")
        .await
        .expect("the sweep is cancelled");
    s.wait_attr("sweep-panel", "data-workers", |v| v == "0")
        .await
        .expect("no worker left");
    let progress = s.number("sweep-progress", "data-value").await;
    let items = run_items(s).await;
    assert!(
        items
            .iter()
            .any(|i| i.run >= FIRST_SWEEP_RUN && i.updates > 0),
        "cancelled runs keep what they recorded: {items:#?}"
    );
    // The one sleep that proves nothing happens.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(s.number("sweep-progress", "data-value").await, progress);
    assert_eq!(run_items(s).await, items, "nothing trains after Cancel");
    assert_eq!(s.number("sweep-panel", "data-workers").await, 0);
    assert_eq!(
        s.by_test_id("sweep")
            .await
            .attr("aria-disabled")
            .await
            .unwrap()
            .as_deref(),
        Some("false"),
        "a new sweep can start"
    );
    scroll_to(s, "sweep-panel").await;
    s.screenshot("compare-sweep-cancelled").await;
}

/// A sweep keeps the student's own runs: after B = 8 (the student's) and a sweep of 8, 32
/// and 200, the student's run is still listed, outside the sweep's one group, whose
/// `data-runs` is the sweep's size count; no two rows share a label, nor a colour and marker.
/// (XOR at 90 %, as `sweep_fits_the_critical_batch`: every B reaches it, so the sweep chart
/// has its fit and its noise-scale marker for the screenshots at the end.)
async fn a_sweep_keeps_the_students_runs(s: &Session) {
    s.open_at(&format!("?lang=en&data=xor&n=200&b=8&epochs=5&lr=0.01&layers=128&act=relu&seed=42&speed=max&{ONE_SEED_EPOCHS}"))
        .await;
    train_to_the_end(s).await;
    let mine = current_item(s).await.expect("the student's run").run;
    s.wait_state(&["finished"]).await;
    if let Err(last) = s
        .wait_attr("sweep-panel", "data-state", |v| v == "idle")
        .await
    {
        panic!("sweep panel not idle: {last:?}");
    }
    s.type_into("sweep-sizes", "8, 32, 200").await;
    sweep_to_the_end(s).await;
    let items = wait_items(s, "the student's run and three sweep runs", |items| {
        items.len() == 4
    })
    .await;
    assert!(items.iter().any(|i| i.run == mine), "{items:#?}");
    let groups = s.js(r#"return [...document.querySelectorAll('[data-testid="run-group"]')].map(g => ({
                runs: g.dataset.runs,
                items: [...g.querySelectorAll('[data-testid="run-item"]')].map(i => Number(i.dataset.run)),
            }));"#, vec![]).await;
    let groups = groups.as_array().expect("an array");
    assert_eq!(groups.len(), 1, "one group: {groups:?}");
    assert_eq!(groups[0]["runs"], "3", "{groups:?}");
    let in_group: Vec<u64> = groups[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(in_group.len(), 3);
    assert!(
        !in_group.contains(&mine),
        "the student's run is not the sweep's"
    );
    let mut labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), 4, "{items:#?}");
    assert!(
        items
            .iter()
            .any(|i| i.run != mine && i.label == "sweep B = 8"),
        "{items:#?}"
    );
    let looks = s
        .js(
            r#"return [...document.querySelectorAll('[data-testid="run-item"] .swatch')]
                .map(e => getComputedStyle(e).backgroundColor + ' ' + e.textContent);"#,
            vec![],
        )
        .await;
    let mut looks: Vec<String> = looks
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(looks.len(), 4);
    looks.sort();
    looks.dedup();
    assert_eq!(looks.len(), 4, "a colour-and-marker pair each: {looks:?}");
    wait_both_charts(s, "data-runs", "4").await;
    scroll_to(s, "run-list").await;
    s.screenshot("compare-sweep-keeps-runs").await;

    // The sweep chart in Korean, on a laptop and on a projector: drawn again at each size
    // (it redraws when the language changes).
    for (w, h, flips) in [(1280, 800, 1), (1920, 1080, 2)] {
        s.client
            .set_window_size(w, h)
            .await
            .expect("resize the window");
        for _ in 0..flips {
            s.js("document.querySelector('[data-testid=\"sweep-chart\"]').removeAttribute('data-drawn'); return true;", vec![]).await;
            s.click("language").await;
            s.wait_attr("sweep-chart", "data-drawn", |v| v == "true")
                .await
                .expect("the chart redrew");
        }
        assert_eq!(
            s.js("return document.documentElement.lang;", vec![]).await,
            "ko"
        );
        scroll_to(s, "sweep-chart").await;
        s.screenshot(&format!("compare-sweep-chart-ko-{w}x{h}"))
            .await;
        scroll_to(s, "run-list").await;
        s.screenshot(&format!("compare-run-list-ko-{w}x{h}")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_keeps_the_students_own_runs() {
    run_case("compare-sweep-keeps-runs", a_sweep_keeps_the_students_runs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_batch_sizes_share_the_charts() {
    run_case("compare-two-batch-sizes", two_batch_sizes_overlay).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_run_has_the_same_first_loss() {
    run_case("compare-repeated-run", a_repeated_run_repeats_exactly).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_list_row_updates_in_place() {
    run_case("compare-row-in-place", the_training_row_updates_in_place).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_list_hide_pin_remove_clear() {
    run_case("compare-run-list", hide_pin_remove_clear).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_rows_are_validated_updates() {
    run_case("compare-sweep", sweep_rows_match_the_runs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_fits_b_crit() {
    run_case("compare-sweep-fit", sweep_fits_the_critical_batch).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_on_noise_never_reaches_the_target() {
    run_case("compare-sweep-noise", sweep_on_noise_never_reaches).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_survives_a_dead_worker() {
    run_case(
        "compare-sweep-worker-death",
        a_dead_sweep_worker_is_replaced,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_rows_outlive_the_run_list_and_pinned_runs() {
    run_case("compare-sweep-rows-kept", sweep_rows_outlive_the_run_list).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_cancel_stops_every_worker() {
    run_case("compare-sweep-cancel", cancel_stops_everything).await;
}

/// The sweep's size list follows N and refuses what it cannot read: sizes set on 400
/// samples read "8, 20" once N is 20 (B = 32 and 128 both become the full batch, once), and
/// an unreadable list marks the field invalid and disables Sweep, which then starts nothing
/// (it used to run the last valid list).
async fn sweep_sizes_follow_n_and_refuse_bad_lists(s: &Session) {
    s.open_at("?lang=en&data=spirals&n=400&epochs=1&seed=42")
        .await;
    sweep_panel_ready(s).await;
    s.type_into("sweep-sizes", "8, 32, 128").await;
    s.until("the sizes applied", async || {
        let v = s.prop("sweep-sizes", "value").await;
        if v == "8, 32, 128" { Ok(()) } else { Err(v) }
    })
    .await;
    s.type_into("dataset-size", "20").await;
    s.until("the sizes follow N = 20", async || {
        let v = s.prop("sweep-sizes", "value").await;
        if v == "8, 20" { Ok(()) } else { Err(v) }
    })
    .await;

    s.type_into("sweep-sizes", "8;32;64").await;
    s.wait_attr("sweep-sizes", "aria-invalid", |v| v == "true")
        .await
        .expect("the list is marked invalid");
    s.wait_attr("sweep", "aria-disabled", |v| v == "true")
        .await
        .expect("Sweep is disabled while the list is invalid");
    s.click("sweep").await;
    s.click("step").await; // a round trip to the worker: a started sweep would show by now
    s.wait_attr("step-counter", "data-value", |v| v == "1")
        .await
        .expect("one update");
    let state = s
        .by_test_id("sweep-panel")
        .await
        .attr("data-state")
        .await
        .ok()
        .flatten();
    assert_eq!(state.as_deref(), Some("idle"), "no sweep started");
    assert!(sweep_rows(s).await.is_empty());

    s.type_into("sweep-sizes", "8, 20").await;
    s.wait_attr("sweep", "aria-disabled", |v| v == "false")
        .await
        .expect("a valid list enables Sweep again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_sizes_follow_n_and_refuse_invalid_lists() {
    run_case(
        "compare-sweep-sizes",
        sweep_sizes_follow_n_and_refuse_bad_lists,
    )
    .await;
}
