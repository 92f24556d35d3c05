//! Faults the page must survive (issue 11), end to end in headless Chromium against the
//! release build:
//!
//! - **MNIST cannot be loaded**: the asset is missing (404), truncated, corrupted, cut off
//!   half-way, or sent with a content encoding it does not have. The page says so in words
//!   a student understands (never the browser's `TypeError`), offers Retry, and Retry really
//!   downloads again: the broken copies are served with `Cache-Control: max-age=3600`, so a
//!   retry that used the browser's cache would fail again. Spirals trains meanwhile.
//! - **The worker dies**: it crashes (a message it cannot decode makes gloo-worker panic and
//!   the wasm trap: the page hears the worker's `error` event), or it is terminated behind
//!   the page's back (no event at all: the page's silence check must notice). Either way the
//!   status reads `error`, then `ready` with a fresh worker, the interrupted run stays in the
//!   run list with its updates, and Train works again without a reload.
//!
//! The worker is made to fail through the page's test hook, a `batch-lab-test-fault` event
//! that the page listens to only when `navigator.webdriver` is true (a browser driven by
//! WebDriver; no URL can turn it on): see `Lab::install_fault_hook` in src/ui/lab.rs.
//!
//! A small HTTP server in this file serves `dist/` (`APP_DIST`, else `../../dist` from this
//! crate) and breaks the MNIST asset on demand. Needs WEBDRIVER_URL (and APP_URL, which
//! [`Session::open`] loads first); run through `scripts/test`.

use batch_lab_e2e::server::{Reply, Request, TestServer};
use batch_lab_e2e::{ASSET_FILE, Session, TIMEOUT, dist_dir, poll, run_case};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the server sends the MNIST asset.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Normal,
    /// 404.
    Missing,
    /// The first half, with a matching length.
    Truncated,
    /// Full length, bytes flipped.
    Corrupted,
    /// The full length announced, half sent, then the connection closed.
    Cut,
    /// `Content-Encoding: gzip` on bytes that are not gzip.
    BadEncoding,
    /// Sent whole after two seconds (a slow connection).
    Slow,
}

struct State {
    mode: Mode,
    /// Files answered with 404 whatever they are: those whose name starts with the first and
    /// ends with the second string (e.g. the page's own `batch-lab-…_bg.wasm`).
    refused: Option<(&'static str, &'static str)>,
    /// Requests answered with 404 because of `refused`.
    refusals: usize,
}

/// `dist/` on the tests' server ([`TestServer`]), with the MNIST asset broken on demand.
struct Server {
    http: TestServer,
    state: Arc<Mutex<State>>,
}

impl Server {
    async fn start() -> Server {
        let dist = dist_dir();
        let state = Arc::new(Mutex::new(State {
            mode: Mode::Normal,
            refused: None,
            refusals: 0,
        }));
        let shared = state.clone();
        let http = TestServer::start(move |r| answer(r, &dist, &mut shared.lock().unwrap())).await;
        Server { http, state }
    }

    fn url(&self, query: &str) -> String {
        format!("{}/{query}", self.http.origin())
    }

    fn set(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    fn refuse(&self, files: Option<(&'static str, &'static str)>) {
        self.state.lock().unwrap().refused = files;
    }

    fn refusals(&self) -> usize {
        self.state.lock().unwrap().refusals
    }

    /// The requests for the MNIST asset so far.
    fn asset_requests(&self) -> Vec<Request> {
        let asset = format!("/{ASSET_FILE}");
        let mut requests = self.http.requests();
        requests.retain(|r| r.path == asset);
        requests
    }
}

/// The answer to one request: files from `dist/`, the asset as `state` says.
fn answer(request: &Request, dist: &std::path::Path, state: &mut State) -> Reply {
    let name = request.path.trim_start_matches('/');
    if state
        .refused
        .is_some_and(|(start, end)| name.starts_with(start) && name.ends_with(end))
    {
        state.refusals += 1;
        return Reply::status(404);
    }
    let reply = Reply::file(dist, "/", &request.path);
    if name != ASSET_FILE || reply.status != 200 {
        return reply.header("Cache-Control", "no-cache");
    }
    // A broken copy the browser may keep for an hour: only a real re-download gets past it.
    let cached = |r: Reply| r.header("Cache-Control", "public, max-age=3600");
    let uncached = |r: Reply| r.header("Cache-Control", "no-store");
    match state.mode {
        Mode::Normal => cached(reply),
        Mode::Slow => Reply {
            delay: Duration::from_secs(2),
            ..uncached(reply)
        },
        Mode::Missing => Reply::status(404),
        Mode::Truncated => {
            let half = reply.body.len() / 2;
            cached(Reply::bytes(
                200,
                reply.content_type,
                reply.body[..half].to_vec(),
            ))
        }
        Mode::Corrupted => {
            let mut bad = reply.body.clone();
            let middle = bad.len() / 2;
            for b in &mut bad[middle..middle + 4096] {
                *b ^= 0x5a;
            }
            cached(Reply::bytes(200, reply.content_type, bad))
        }
        Mode::Cut => Reply {
            cut: true,
            ..uncached(reply)
        },
        Mode::BadEncoding => cached(reply).header("Content-Encoding", "gzip"),
    }
}

/// Waits until the server has seen more than `before` asset requests.
async fn wait_requests(server: &Server, before: usize) -> Vec<Request> {
    poll(TIMEOUT, async || {
        let requests = server.asset_requests();
        if requests.len() > before {
            Ok(requests)
        } else {
            Err(format!("{} requests", requests.len()))
        }
    })
    .await
    .unwrap_or_else(|last| {
        panic!("no new request for {ASSET_FILE}: Retry did not download again ({last})")
    })
}

/// Waits for the status to be `error` with a message about MNIST containing `phrase`, in
/// plain words, and a Retry button.
async fn expect_mnist_error(s: &Session, phrase: &str) {
    s.wait_state(&["error"]).await;
    let text = s.text("status").await;
    assert!(
        text.contains("Could not load MNIST") && text.contains(phrase),
        "status {text:?} should say {phrase:?}"
    );
    assert!(
        text.contains("Retry"),
        "status {text:?} should say what to do"
    );
    for internal in [
        "JsValue",
        "TypeError",
        "Error(",
        "Malformed",
        "zlib",
        "inflate",
    ] {
        assert!(
            !text.contains(internal),
            "internal text {internal:?} in {text:?}"
        );
    }
    s.by_test_id("retry").await;
}

/// Slow motion (20 updates/s): a small run would otherwise end before a test can pause it
/// or make the worker fail mid-run.
async fn slow_motion(s: &Session) {
    s.by_test_id("speed")
        .await
        .select_by_value("20")
        .await
        .expect("choose 20 updates/s");
}

async fn train_a_little(s: &Session) {
    s.click("train").await;
    s.wait_attr("step-counter", "data-value", |v| {
        v.parse::<u64>().is_ok_and(|n| n >= 20)
    })
    .await
    .expect("training makes progress");
}

async fn mnist_faults(s: &Session, server: &Server) {
    // While the download is under way the status says so, with no "Update 0/0" beside it.
    server.set(Mode::Slow);
    s.client
        .goto(&server.url("?lang=en&data=mnist"))
        .await
        .expect("open the app on the test server");
    // (Once the page is built: until its anatomy panel has mounted the middle column waits.)
    s.wait_state(&["loading"]).await;
    let text = s.text("status").await;
    assert!(text.contains("Downloading MNIST"), "{text:?}");
    assert!(
        !text.contains("Update"),
        "nothing to count while loading: {text:?}"
    );
    s.wait_state(&["ready"]).await;

    server.set(Mode::Missing);
    s.client
        .goto(&server.url("?lang=en&data=mnist"))
        .await
        .expect("open the app on the test server");
    expect_mnist_error(s, "HTTP 404").await;
    slow_motion(s).await;

    let cases = [
        (Mode::Truncated, "incomplete or damaged"),
        (Mode::Corrupted, "incomplete or damaged"),
        (Mode::Cut, "interrupted"),
        (Mode::BadEncoding, "interrupted"),
        (Mode::Missing, "HTTP 404"),
        // Last: a corrupted copy the browser may cache for an hour.
        (Mode::Corrupted, "incomplete or damaged"),
    ];
    for (mode, phrase) in cases {
        server.set(mode);
        let before = server.asset_requests().len();
        s.click("retry").await;
        let requests = wait_requests(server, before).await;
        assert!(
            requests.last().is_some_and(|r| r.no_cache),
            "a retry must bypass the cache: {requests:?}"
        );
        expect_mnist_error(s, phrase).await;
        eprintln!("MNIST {mode:?}: {:?}", s.text("status").await);
    }

    // Other data sets stay usable.
    s.by_test_id("dataset")
        .await
        .select_by_value("spirals")
        .await
        .expect("choose spirals");
    s.wait_state(&["ready"]).await;
    assert!(
        s.client
            .find(fantoccini::Locator::Css("[data-testid=\"retry\"]"))
            .await
            .is_err(),
        "no Retry once nothing failed"
    );
    train_a_little(s).await;
    s.click("pause").await;
    s.wait_state(&["paused"]).await;

    // Back to MNIST: still broken (and cached as broken), then fixed: Retry succeeds.
    s.by_test_id("dataset")
        .await
        .select_by_value("mnist")
        .await
        .expect("choose MNIST");
    expect_mnist_error(s, "incomplete or damaged").await;
    server.set(Mode::Normal);
    let before = server.asset_requests().len();
    s.click("retry").await;
    let requests = wait_requests(server, before).await;
    assert!(requests.last().is_some_and(|r| r.no_cache), "{requests:?}");
    s.wait_state(&["ready"]).await;
    train_a_little(s).await;
    s.wait_state(&["running"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mnist_that_cannot_be_loaded_is_explained_and_retried() {
    let server = Server::start().await;
    run_case("faults-mnist", async |s| mnist_faults(s, &server).await).await;
}

/// Records every `data-state` the status line takes from now on (`window.__states`).
async fn record_states(s: &Session) {
    s.js(
        r#"
            const el = document.querySelector('[data-testid="status"]');
            window.__states = [el.dataset.state];
            new MutationObserver(() => window.__states.push(el.dataset.state))
                .observe(el, { attributes: true, attributeFilter: ['data-state'] });
            "#,
        vec![],
    )
    .await;
}

async fn recorded_states(s: &Session) -> Vec<String> {
    let v = s.js("return window.__states || [];", vec![]).await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `(run, updates)` of every run in the run list.
async fn runs(s: &Session) -> Vec<(u64, u64)> {
    let v = s
        .js(
            r#"return [...document.querySelectorAll('[data-testid="run-item"]')]
                .map(e => [Number(e.dataset.run), Number(e.dataset.updates)]);"#,
            vec![],
        )
        .await;
    v.as_array()
        .expect("an array")
        .iter()
        .map(|p| (p[0].as_u64().unwrap_or(0), p[1].as_u64().unwrap_or(0)))
        .collect()
}

/// Trains, makes the worker fail with `fault` (`crash` or `silence`), and checks that the
/// page notices, says so, recovers with the runs kept, and trains again. With `paused`, the
/// worker dies while the run is paused (an idle worker owes no answer) and the student's next
/// Step is what finds out.
async fn worker_death(s: &Session, server: &Server, fault: &str, says: &str, paused: bool) {
    s.client
        .goto(&server.url("?lang=en&data=spirals"))
        .await
        .expect("open the app on the test server");
    s.wait_state(&["ready"]).await;
    slow_motion(s).await;
    // A first run, kept for comparison, then a second one that is interrupted.
    train_a_little(s).await;
    s.click("pause").await;
    s.wait_state(&["paused"]).await;
    s.type_into("batch-size", "8").await;
    s.wait_state(&["ready"]).await;
    train_a_little(s).await;
    if paused {
        s.click("pause").await;
        s.wait_state(&["paused"]).await;
    }
    let before = runs(s).await;
    assert!(before.len() >= 2, "{before:?}");

    record_states(s).await;
    let started = Instant::now();
    s.client
        .execute(
            "document.dispatchEvent(new CustomEvent('batch-lab-test-fault', { detail: arguments[0] }));",
            vec![fault.into()],
        )
        .await
        .expect("make the worker fail");
    if paused {
        s.click("step").await;
    }
    let state = s.wait_attr("status", "data-state", |v| v == "ready").await;
    let text = s.text("status").await;
    let states = recorded_states(s).await;
    assert!(
        state.is_ok(),
        "no recovery after {fault}: states {states:?}, status {text:?}"
    );
    eprintln!(
        "worker {fault}: recovered after {:?}; states {states:?}; status {text:?}",
        started.elapsed()
    );
    assert!(
        states.iter().any(|s| s == "error"),
        "the status never said error: {states:?}"
    );
    assert!(
        text.contains("restarted") && text.contains(says),
        "status {text:?} should say the trainer stopped ({says}) and was restarted"
    );

    // Every run that had updates is still listed with them.
    let after = runs(s).await;
    for (run, updates) in before.iter().filter(|(_, u)| *u > 0) {
        assert!(
            after.iter().any(|(r, u)| r == run && u >= updates),
            "run {run} ({updates} updates) lost: before {before:?}, after {after:?}"
        );
    }

    // Train works again, without a reload.
    train_a_little(s).await;
    let status = s.text("status").await;
    assert!(
        !status.contains("restarted"),
        "the notice stays after Train: {status:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crashed_worker_is_noticed_and_replaced() {
    let server = Server::start().await;
    run_case("faults-worker-crash", async |s| {
        worker_death(s, &server, "crash", "crashed", false).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_worker_is_noticed_and_replaced() {
    let server = Server::start().await;
    run_case("faults-worker-silent", async |s| {
        worker_death(s, &server, "silence", "stopped answering", false).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_died_while_paused_is_noticed_at_the_next_step() {
    let server = Server::start().await;
    run_case("faults-worker-paused", async |s| {
        worker_death(s, &server, "silence", "stopped answering", true).await
    })
    .await;
}

/// The worker's own files cannot be downloaded (404): the status says so (not "it crashed"),
/// offers Retry, starts no worker again by itself, and Retry works once the files are back.
/// `files`: the refused files' name prefix and suffix.
async fn worker_files_missing(s: &Session, server: &Server, files: (&'static str, &'static str)) {
    server.refuse(Some(files));
    s.client
        .goto(&server.url("?lang=en&data=spirals"))
        .await
        .expect("open the app on the test server");
    // A script that is missing fails at once; a missing wasm may only show as silence
    // (STARTUP_LIMIT_MS, 30 s), after which the files are fetched to tell why.
    let text = s
        .until_within(TIMEOUT * 2, "the status names the download", async || {
            let text = s.text("status").await;
            if text.contains("could not be downloaded") {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await;
    assert_eq!(s.attr("status", "data-state").await, "error");
    assert!(
        text.contains("HTTP 404") && text.contains("Retry"),
        "{text:?}"
    );
    assert!(!text.contains("crashed"), "not a crash: {text:?}");
    s.by_test_id("retry").await;
    s.screenshot(&format!(
        "faults-worker-download-{}",
        files.1.trim_start_matches(['_', '.'])
    ))
    .await;
    // No endless restart: nothing asks for the files again until Retry (the one sleep
    // that proves nothing happens).
    let refusals = server.refusals();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        server.refusals(),
        refusals,
        "the page kept restarting the worker"
    );
    assert_eq!(s.attr("status", "data-state").await, "error");

    server.refuse(None);
    s.click("retry").await;
    s.wait_state(&["ready"]).await;
    slow_motion(s).await;
    train_a_little(s).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_script_that_cannot_download_offers_retry() {
    let server = Server::start().await;
    run_case("faults-worker-script", async |s| {
        worker_files_missing(s, &server, ("worker", ".js")).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_wasm_that_cannot_download_offers_retry() {
    let server = Server::start().await;
    run_case("faults-worker-wasm", async |s| {
        worker_files_missing(s, &server, ("worker", "_bg.wasm")).await
    })
    .await;
}

/// The sweep's workers cannot download their files (404) while the single run's worker,
/// started before, trains on: the sweep panel says so in the single run's words and offers
/// its own Retry (`sweep-retry`), and Retry sweeps again once the files are back.
async fn sweep_worker_files_missing(s: &Session, server: &Server) {
    let query =
        "?lang=en&data=spirals&n=200&epochs=1&seed=42&sweep=8,32&sweep-mode=epochs&sweep-seeds=1";
    s.client
        .goto(&server.url(query))
        .await
        .expect("open the app on the test server");
    s.wait_state(&["ready"]).await;
    s.wait_attr("sweep-panel", "data-state", |v| v == "idle")
        .await
        .expect("the sweep panel is idle");
    server.refuse(Some(("worker", ".js")));
    s.click("sweep").await;
    let error = "const e = document.querySelector('[data-testid=\"sweep-error\"]'); \
                 return e ? e.innerText : null;";
    let text = s
        .until_within(
            TIMEOUT * 2,
            "the sweep panel names the download",
            async || match s.js(error, vec![]).await.as_str() {
                Some(text) => Ok(text.to_owned()),
                None => Err(s.attr("sweep-panel", "data-state").await),
            },
        )
        .await;
    assert!(
        text.contains("could not be downloaded") && text.contains("HTTP 404"),
        "{text:?}"
    );
    assert!(!text.contains("crashed"), "not a crash: {text:?}");
    assert_eq!(s.attr("sweep-panel", "data-state").await, "done");
    assert_ne!(
        s.attr("status", "data-state").await,
        "error",
        "the single run is unharmed"
    );
    assert!(server.refusals() > 0);
    s.by_test_id("sweep-retry").await;
    let show = "document.querySelector('[data-testid=\"sweep-error\"]') \
                .scrollIntoView({ block: 'center' }); return true;";
    s.js(show, vec![]).await;
    s.screenshot("faults-sweep-download-error").await;
    s.click("language").await; // Korean, on a phone
    s.resize(375, 800).await;
    s.js(show, vec![]).await;
    s.screenshot("faults-sweep-download-error-ko-375").await;
    s.resize(1280, 800).await;

    server.refuse(None);
    s.click("sweep-retry").await;
    s.until_within(TIMEOUT * 2, "the retried sweep finished", async || {
        let state = s.attr("sweep-panel", "data-state").await;
        let gone = s.js(error, vec![]).await.is_null();
        if state == "done" && gone {
            Ok(())
        } else {
            Err(format!("{state}, error shown: {}", !gone))
        }
    })
    .await;
    let rows = s.datasets("sweep-row").await;
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert!(
        rows.iter().all(|r| r["failed"] != "true"),
        "no failed run after Retry: {rows:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sweep_whose_worker_files_cannot_download_offers_retry() {
    let server = Server::start().await;
    run_case("faults-sweep-worker-download", async |s| {
        sweep_worker_files_missing(s, &server).await
    })
    .await;
}

/// The element `css` selects, once it is there (the page is still loading).
async fn shown(s: &Session, css: &str) -> fantoccini::elements::Element {
    s.client
        .wait()
        .at_most(TIMEOUT)
        .for_element(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// Every element `css` selects now.
async fn all(s: &Session, css: &str) -> Vec<fantoccini::elements::Element> {
    s.client
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_default()
}

/// The page's own wasm cannot be downloaded (404): instead of a blank page, index.html's
/// static message says so in both languages with a reload link, under the page's static
/// header, and the reload works once the file is back.
async fn page_wasm_missing(s: &Session, server: &Server) {
    server.refuse(Some(("batch-lab-", "_bg.wasm")));
    s.client
        .goto(&server.url("?lang=ko"))
        .await
        .expect("open the app on the test server");
    let message = shown(s, "[data-testid=\"load-failed\"]:not([hidden])").await;
    let text = message.text().await.unwrap_or_default();
    assert!(text.contains("불러오지 못했습니다"), "{text:?}");
    assert!(text.contains("could not be loaded"), "{text:?}");
    assert!(message.is_displayed().await.unwrap_or(false), "{text:?}");
    let status = all(s, "[data-testid=\"status\"]").await;
    assert!(status.is_empty(), "no app without its wasm");
    // The header is static HTML (index.html, src/shell.rs): one, in the link's language.
    let headers = all(s, "header.top").await;
    assert_eq!(headers.len(), 1, "one static header");
    let title = headers[0].text().await.unwrap_or_default();
    assert!(title.starts_with("배치 실험실"), "{title:?}");
    assert!(headers[0].is_displayed().await.unwrap_or(false));
    // Its language button works before any wasm: the page in the other language.
    s.click("language").await;
    let message = shown(
        s,
        "html[lang=\"en\"] [data-testid=\"load-failed\"]:not([hidden])",
    )
    .await;
    let title = shown(s, "header.top h1")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(title, "Batch Lab");

    server.refuse(None);
    let reload = message
        .find(fantoccini::Locator::Css("p[lang=\"en\"] a"))
        .await
        .expect("a reload link");
    reload.click().await.expect("click reload");
    s.wait_state(&["ready"]).await;
    let hidden = s
        .by_test_id("load-failed")
        .await
        .attr("hidden")
        .await
        .unwrap_or_default();
    assert!(
        hidden.is_some(),
        "the message is hidden once the page starts"
    );
    let headers = all(s, "header.top").await;
    assert_eq!(
        headers.len(),
        1,
        "the app adopts the static header, no second one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_whose_wasm_cannot_load_says_so_and_reloads() {
    let server = Server::start().await;
    run_case("faults-page-wasm", async |s| {
        page_wasm_missing(s, &server).await
    })
    .await;
}
