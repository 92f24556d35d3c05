//! The built page in headless Chromium: it renders, its epoch arithmetic reacts to input, and
//! the trainer's Web Worker answers. Needs APP_URL and WEBDRIVER_URL (run through
//! `scripts/test`).

use batch_lab_e2e::Session;

/// `data-state` values of `status` that only a reply from the worker can produce.
const WORKER_ANSWERED: &[&str] = &["ready", "running", "paused", "finished"];

async fn check_page(s: &Session) -> Result<(), String> {
    let title = s
        .client
        .title()
        .await
        .map_err(|e| format!("page title: {e}"))?;
    if !title.contains("Batch Lab") {
        return Err(format!("title is {title:?}"));
    }

    // The page rendered its epoch arithmetic (whatever the defaults are).
    let initial = s
        .wait_attr("updates-per-epoch", "data-value", |v| !v.is_empty())
        .await;
    if initial.is_err() {
        return Err(format!(
            "updates-per-epoch never got a data-value: {initial:?}"
        ));
    }

    // The post's example: 200 samples in batches of 20 are 10 updates per epoch.
    s.type_into("dataset-size", "200").await;
    s.type_into("batch-size", "20").await;
    let updates = s
        .wait_attr("updates-per-epoch", "data-value", |v| v == "10")
        .await;
    let shown = s.text("updates-per-epoch").await;
    if updates.is_err() {
        return Err(format!(
            "after typing 200 and 20, updates-per-epoch data-value is {updates:?} (shows {shown:?}), want 10"
        ));
    }
    if !(shown.contains("200") && shown.contains("20") && shown.trim_end().ends_with("10")) {
        return Err(format!("updates-per-epoch shows {shown:?}"));
    }

    // The worker (spawned from ./worker_loader.js) configured the run and said so.
    let state = s
        .wait_attr("status", "data-state", |v| {
            WORKER_ANSWERED.contains(&v) || v == "error"
        })
        .await;
    let status = s.text("status").await;
    match state.as_deref() {
        Ok(v) if WORKER_ANSWERED.contains(&v) => {}
        _ => {
            return Err(format!(
                "the worker did not answer: status data-state {state:?}, text {status:?}, page errors {:?}",
                s.page_errors().await
            ));
        }
    }

    let errors = s.page_errors().await;
    if !errors.is_empty() {
        return Err(format!("uncaught page errors: {errors:?}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_computes_updates_per_epoch_and_worker_answers() {
    let s = Session::open().await;
    let result = check_page(&s).await;
    s.screenshot("page").await;
    s.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}
