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

use batch_lab_e2e::{ASSET_FILE, Session, TIMEOUT, content_type, dist_dir, run_case};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
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

/// One request for the asset: did it ask to bypass caches (`cache: "reload"` sends
/// `Cache-Control: no-cache`)?
#[derive(Clone, Debug)]
struct AssetRequest {
    no_cache: bool,
}

struct State {
    mode: Mode,
    asset_requests: Vec<AssetRequest>,
    /// Files answered with 404 whatever they are: those whose name starts with the first and
    /// ends with the second string (e.g. the page's own `batch-lab-…_bg.wasm`).
    refused: Option<(&'static str, &'static str)>,
    /// Requests answered with 404 because of `refused`.
    refusals: usize,
}

/// A static file server for `dist/` on 127.0.0.1 that can break the MNIST asset.
#[derive(Clone)]
struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let dist = dist_dir();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let server = Server {
            port,
            state: Arc::new(Mutex::new(State {
                mode: Mode::Normal,
                asset_requests: Vec::new(),
                refused: None,
                refusals: 0,
            })),
        };
        let state = server.state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (dist, state) = (dist.clone(), state.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &dist, &state);
                });
            }
        });
        server
    }

    fn url(&self, query: &str) -> String {
        format!("http://127.0.0.1:{}/{query}", self.port)
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

    fn asset_requests(&self) -> Vec<AssetRequest> {
        self.state.lock().unwrap().asset_requests.clone()
    }
}

/// Answers one request (one per connection: `Connection: close`).
fn serve(stream: TcpStream, dist: &std::path::Path, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut no_cache = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("cache-control:") && lower.contains("no-cache")
            || lower.starts_with("pragma:") && lower.contains("no-cache")
        {
            no_cache = true;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let name = match path.trim_start_matches('/') {
        "" => "index.html",
        other => other,
    };
    let mut out = stream;
    if name.contains("..") {
        return respond(&mut out, "400 Bad Request", "text/plain", &[], b"bad path");
    }
    let refused = {
        let mut state = state.lock().unwrap();
        let refused = state
            .refused
            .is_some_and(|(start, end)| name.starts_with(start) && name.ends_with(end));
        state.refusals += usize::from(refused);
        refused
    };
    if refused {
        return respond(&mut out, "404 Not Found", "text/plain", &[], b"not found");
    }
    let Ok(bytes) = std::fs::read(dist.join(name)) else {
        return respond(&mut out, "404 Not Found", "text/plain", &[], b"not found");
    };
    if name != ASSET_FILE {
        let cache = [("Cache-Control", "no-cache")];
        return respond(&mut out, "200 OK", content_type(name), &cache, &bytes);
    }
    let mode = {
        let mut state = state.lock().unwrap();
        state.asset_requests.push(AssetRequest { no_cache });
        state.mode
    };
    // A broken copy the browser may keep for an hour: only a real re-download gets past it.
    let cache = ("Cache-Control", "public, max-age=3600");
    let binary = "application/octet-stream";
    match mode {
        Mode::Normal => respond(&mut out, "200 OK", binary, &[cache], &bytes),
        Mode::Slow => {
            std::thread::sleep(Duration::from_secs(2));
            respond(
                &mut out,
                "200 OK",
                binary,
                &[("Cache-Control", "no-store")],
                &bytes,
            )
        }
        Mode::Missing => respond(&mut out, "404 Not Found", "text/plain", &[], b"not found"),
        Mode::Truncated => respond(
            &mut out,
            "200 OK",
            binary,
            &[cache],
            &bytes[..bytes.len() / 2],
        ),
        Mode::Corrupted => {
            let mut bad = bytes.clone();
            let middle = bad.len() / 2;
            for b in &mut bad[middle..middle + 4096] {
                *b ^= 0x5a;
            }
            respond(&mut out, "200 OK", binary, &[cache], &bad)
        }
        Mode::Cut => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {binary}\r\nContent-Length: {}\r\n\
                 Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            out.write_all(head.as_bytes())?;
            out.write_all(&bytes[..bytes.len() / 2])?;
            out.flush()?;
            std::thread::sleep(Duration::from_millis(200));
            out.shutdown(Shutdown::Both)
        }
        Mode::BadEncoding => respond(
            &mut out,
            "200 OK",
            binary,
            &[cache, ("Content-Encoding", "gzip")],
            &bytes,
        ),
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(body)?;
    out.flush()?;
    // Drain what the browser may still send, so closing does not reset the connection.
    let _ = out.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = out.read(&mut [0; 1024]);
    Ok(())
}

/// Waits until the server has seen more than `before` asset requests.
async fn wait_requests(server: &Server, before: usize) -> Vec<AssetRequest> {
    let start = Instant::now();
    loop {
        let requests = server.asset_requests();
        if requests.len() > before {
            return requests;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "no new request for {ASSET_FILE}: Retry did not download again"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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
    s.wait_attr("status", "data-state", |v| v == "loading")
        .await
        .expect("the status shows the download");
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
    let server = Server::start();
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
    let server = Server::start();
    run_case("faults-worker-crash", async |s| {
        worker_death(s, &server, "crash", "crashed", false).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_worker_is_noticed_and_replaced() {
    let server = Server::start();
    run_case("faults-worker-silent", async |s| {
        worker_death(s, &server, "silence", "stopped answering", false).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_died_while_paused_is_noticed_at_the_next_step() {
    let server = Server::start();
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
    let server = Server::start();
    run_case("faults-worker-script", async |s| {
        worker_files_missing(s, &server, ("worker", ".js")).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_wasm_that_cannot_download_offers_retry() {
    let server = Server::start();
    run_case("faults-worker-wasm", async |s| {
        worker_files_missing(s, &server, ("worker", "_bg.wasm")).await
    })
    .await;
}

/// The page's own wasm cannot be downloaded (404): instead of a blank page, index.html's
/// static message says so in both languages with a reload link, and the reload works once
/// the file is back.
async fn page_wasm_missing(s: &Session, server: &Server) {
    server.refuse(Some(("batch-lab-", "_bg.wasm")));
    s.client
        .goto(&server.url("?lang=ko"))
        .await
        .expect("open the app on the test server");
    let message = s
        .client
        .wait()
        .at_most(TIMEOUT)
        .for_element(fantoccini::Locator::Css(
            "[data-testid=\"load-failed\"]:not([hidden])",
        ))
        .await
        .expect("the load-failed message is shown");
    let text = message.text().await.unwrap_or_default();
    assert!(text.contains("불러오지 못했습니다"), "{text:?}");
    assert!(text.contains("could not be loaded"), "{text:?}");
    assert!(message.is_displayed().await.unwrap_or(false), "{text:?}");
    let status = s
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=\"status\"]"))
        .await
        .unwrap_or_default();
    assert!(status.is_empty(), "no app without its wasm");

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
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_whose_wasm_cannot_load_says_so_and_reloads() {
    let server = Server::start();
    run_case("faults-page-wasm", async |s| {
        page_wasm_missing(s, &server).await
    })
    .await;
}
