//! Helpers for the end-to-end tests in `tests/`: a WebDriver session on headless Chromium
//! (through chromedriver) looking at the built, served app.
//!
//! `scripts/test` builds `dist/` with Trunk, serves it on 127.0.0.1, starts chromedriver and
//! runs `cargo test -p batch-lab-e2e` with:
//! - `APP_URL`: the served page, e.g. `http://127.0.0.1:41234/` (required);
//! - `WEBDRIVER_URL`: chromedriver, e.g. `http://127.0.0.1:41235` (required);
//! - `CHROME_BIN`: optional path of the Chromium binary chromedriver should start;
//! - `E2E_SCREENSHOT_DIR`: optional; where to save PNGs of what the tests saw.

pub mod server;
pub mod sweep_reading;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// Chromium flags that work on a headless CI machine with no network but the registries.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,800",
];

/// How long to wait for anything the page does (first paint, worker start, updates).
pub const TIMEOUT: Duration = Duration::from_secs(30);

fn required_env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v,
        _ => panic!(
            "{name} is not set: the end-to-end tests need a built and served app plus a \
             running chromedriver. Run them with `scripts/test`, which builds dist/, serves it, \
             starts chromedriver and sets APP_URL and WEBDRIVER_URL."
        ),
    }
}

/// A WebDriver session plus the fresh Chromium profile directory it uses.
pub struct Session {
    pub client: Client,
    pub app_url: String,
    profile: std::path::PathBuf,
}

impl Session {
    /// Connects to chromedriver (`WEBDRIVER_URL`) with a fresh headless Chromium and opens
    /// `APP_URL`. Panics with a pointer to `scripts/test` when either is unset.
    pub async fn open() -> Session {
        let app_url = required_env("APP_URL");
        let s = Session::start(app_url.clone(), &[]).await;
        s.client
            .goto(&app_url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {app_url}: {e}"));
        s
    }

    /// A fresh headless Chromium ([`CHROMIUM_ARGS`] plus `extra_args`, e.g. a proxy) on its
    /// own profile, through chromedriver (`WEBDRIVER_URL`), on no page yet; `app_url` is what
    /// [`Session::open_at`] appends a query to. The one place a browser is started.
    pub async fn start(app_url: String, extra_args: &[String]) -> Session {
        let webdriver_url = required_env("WEBDRIVER_URL");

        // One directory per session: tests run two at a time in one process, and two
        // Chromiums on one profile make the second exit at start (or the first lose its
        // connection when the other session deletes the directory). The name was once
        // `Instant::now().elapsed()`, which is ~0 for every session: they collided.
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!(
            "batch-lab-e2e-profile-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile); // left over from an earlier process
        std::fs::create_dir_all(&profile).expect("create a Chromium profile directory");

        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(extra_args.iter().cloned());
        let mut chrome_options = json!({ "args": args });
        if let Ok(bin) = std::env::var("CHROME_BIN") {
            chrome_options["binary"] = Value::String(bin);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), chrome_options);
        // Chromium's console, for [`browser_log`].
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));

        // chromedriver occasionally fails to start a browser while others are starting on
        // this 2-core machine: try a few times before giving up.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&webdriver_url)
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < 4 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                Err(e) => panic!("cannot start a WebDriver session at {webdriver_url}: {e}"),
            }
        };
        Session {
            client,
            app_url,
            profile,
        }
    }

    /// Ends the browser session and removes the profile directory.
    pub async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    /// Saves a PNG of the page to `$E2E_SCREENSHOT_DIR/NAME.png` when that variable is set
    /// (scripts/test sets it to `target/e2e`), so a person can look at what the test saw.
    pub async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("E2E_SCREENSHOT_DIR") else {
            return;
        };
        let png = self.client.screenshot().await.expect("take a screenshot");
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        std::fs::create_dir_all(&dir).expect("create the screenshot directory");
        std::fs::write(&path, png).expect("write the screenshot");
        eprintln!("screenshot: {}", path.display());
    }

    /// Uncaught errors the page recorded (`js/errors.js`, loaded first by index.html).
    pub async fn page_errors(&self) -> Vec<String> {
        let v = self
            .client
            .execute("return window.__batchLabErrors || [];", vec![])
            .await
            .expect("read window.__batchLabErrors");
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits for the element with this `data-testid`.
    pub async fn by_test_id(&self, id: &str) -> fantoccini::elements::Element {
        let css = format!("[data-testid=\"{id}\"]");
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no element {css} on {} within {TIMEOUT:?}: {e}",
                    self.app_url
                )
            })
    }

    /// Polls `attr` of the element with this `data-testid` until `pred` holds; returns the last
    /// value seen (`Err` with it on time-out).
    pub async fn wait_attr(
        &self,
        id: &str,
        attr: &str,
        pred: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        self.wait_attr_within(TIMEOUT, id, attr, pred).await
    }

    /// [`Session::wait_attr`] with its own time limit (a long run under a slow policy).
    pub async fn wait_attr_within(
        &self,
        limit: Duration,
        id: &str,
        attr: &str,
        pred: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        poll(limit, async || {
            match self.by_test_id(id).await.attr(attr).await {
                Ok(Some(v)) if pred(&v) => Ok(v),
                Ok(Some(v)) => Err(v),
                _ => Err(String::new()),
            }
        })
        .await
    }

    /// Polls `probe` until it gives `Ok`; on time-out ([`TIMEOUT`]) takes a screenshot and
    /// panics with `what`, the last `Err` (what the page showed instead) and the page's errors.
    pub async fn until<T>(&self, what: &str, probe: impl AsyncFnMut() -> Result<T, String>) -> T {
        self.until_within(TIMEOUT, what, probe).await
    }

    /// [`Session::until`] with its own time limit (a long run on a busy machine).
    pub async fn until_within<T>(
        &self,
        limit: Duration,
        what: &str,
        probe: impl AsyncFnMut() -> Result<T, String>,
    ) -> T {
        match poll(limit, probe).await {
            Ok(v) => v,
            Err(last) => {
                self.screenshot("timed-out").await;
                let errors = self.page_errors().await;
                panic!("{what}: not within {limit:?}; last seen {last}; page errors {errors:?}")
            }
        }
    }

    /// The visible text of the element with this `data-testid` now.
    pub async fn text(&self, id: &str) -> String {
        self.by_test_id(id).await.text().await.unwrap_or_default()
    }

    /// Exports the kept runs as JSON with the export panel's button and parses what was
    /// downloaded (`window.__batchLabLastExport`).
    pub async fn export_json(&self) -> Value {
        self.click("export-json").await;
        self.wait_attr("export", "data-last-export", |v| {
            v.ends_with("-history.json")
        })
        .await
        .expect("the JSON export happened");
        let export = self
            .js("return window.__batchLabLastExport || null;", vec![])
            .await;
        let text = export["text"].as_str().expect("the JSON export's text");
        serde_json::from_str(text).expect("the export is valid JSON")
    }

    /// `attr` of the element with this `data-testid` now ("" when it has none).
    pub async fn attr(&self, id: &str, attr: &str) -> String {
        self.by_test_id(id)
            .await
            .attr(attr)
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Runs `script` in the page (arguments as `arguments[i]`); panics if it throws.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Replaces the text of the `<input>` with this `data-testid` and commits it with Tab (the
    /// page's inputs apply their value on `change`).
    pub async fn type_into(&self, id: &str, text: &str) {
        let input = self.by_test_id(id).await;
        input.clear().await.expect("clear input");
        let tab: char = fantoccini::key::Key::Tab.into();
        input
            .send_keys(&format!("{text}{tab}"))
            .await
            .expect("type into input");
    }
}

/// Shorthands the page tests share.
impl Session {
    /// `attr` of the element with this `data-testid` as a number; for `value`, the input's
    /// live property (Leptos sets `value` as a property, not an attribute).
    pub async fn number(&self, id: &str, attr: &str) -> i64 {
        let el = self.by_test_id(id).await;
        let v = if attr == "value" {
            el.prop(attr).await
        } else {
            el.attr(attr).await
        };
        let v = v.ok().flatten().unwrap_or_default();
        v.parse()
            .unwrap_or_else(|_| panic!("{id} {attr} is {v:?}, not a number"))
    }

    /// Every element with this `data-testid`, in document order, as its `data-*` attributes
    /// (keyed as `dataset` keys them: `data-batch-size` is `batchSize`) with `text`, its
    /// visible text, and `current`, whether it has the class `current`. Read them with
    /// [`data_text`] and [`data_number`].
    pub async fn datasets(&self, id: &str) -> Vec<Value> {
        let v = self
            .js(
                "return [...document.querySelectorAll(`[data-testid=\"${arguments[0]}\"]`)]
                    .map(e => ({ ...e.dataset, text: e.innerText,
                                 current: e.classList.contains('current') }));",
                vec![id.into()],
            )
            .await;
        v.as_array()
            .cloned()
            .unwrap_or_else(|| panic!("no array of {id}: {v}"))
    }

    /// The loss chart's key: each `chart-key-item`'s `data-*` (`seeds`, `batchSize`, `run`,
    /// `colour`) and its `text`, in order (the accuracy chart's key is the same).
    pub async fn chart_key(&self) -> Vec<Value> {
        let v = self
            .js(
                "const key = document.querySelector('[data-testid=chart-key]');
                 return key ? [...key.querySelectorAll('[data-testid=chart-key-item]')]
                    .map(e => ({ ...e.dataset, text: e.textContent })) : [];",
                vec![],
            )
            .await;
        v.as_array().cloned().unwrap_or_default()
    }

    /// The live property `name` (e.g. `value`) of the element with this `data-testid`.
    pub async fn prop(&self, id: &str, name: &str) -> String {
        let el = self.by_test_id(id).await;
        el.prop(name).await.ok().flatten().unwrap_or_default()
    }

    /// Clicks the element with this `data-testid`.
    pub async fn click(&self, id: &str) {
        let el = self.by_test_id(id).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {id}: {e}"));
    }

    /// Waits until the whole page is built (`<html data-built="true">`).
    pub async fn wait_built(&self) {
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css("html[data-built=\"true\"]"))
            .await
            .unwrap_or_else(|e| panic!("the page was never fully built: {e}"));
    }

    /// Makes the next page opened a first visit: empties the storage once the open page has
    /// recorded its own visit, which it does as it starts (emptied before that, the page would
    /// record it again, and the next one would not be a first visit).
    pub async fn forget_visits(&self) {
        self.wait_built().await;
        self.js("localStorage.clear(); return true;", vec![]).await;
    }

    /// Waits until the status line's `data-state` is one of `want`, and the whole page is built
    /// (`<html data-built="true">`: its deferred parts mount one at a time, so a state can come
    /// before the last panel); panics with what the page showed otherwise.
    pub async fn wait_state(&self, want: &[&str]) -> String {
        self.wait_built().await;
        match self
            .wait_attr("status", "data-state", |v| want.contains(&v))
            .await
        {
            Ok(v) => v,
            Err(last) => {
                let text = self
                    .by_test_id("status")
                    .await
                    .text()
                    .await
                    .unwrap_or_default();
                let errors = self.page_errors().await;
                panic!(
                    "status never became {want:?}: last {last:?}, text {text:?}, errors {errors:?}"
                )
            }
        }
    }

    /// What the decision-boundary canvas shows (see [`BoundaryShot`]).
    pub async fn boundary_shot(&self) -> BoundaryShot {
        self.by_test_id("decision-boundary").await;
        let script = r#"
            const c = document.querySelector('[data-testid="decision-boundary"]');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let hash = 2166136261, blueish = 0, orangeish = 0;
            for (let i = 0; i < d.length; i++) hash = Math.imul(hash ^ d[i], 16777619) >>> 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 2] - d[i] > 10) blueish++;
                if (d[i] - d[i + 2] > 10) orangeish++;
            }
            return [c.dataset.updates ?? '', c.dataset.classes ?? '', hash, blueish, orangeish,
                    c.width * c.height];
        "#;
        let v = self
            .client
            .execute(script, vec![])
            .await
            .expect("read the decision boundary");
        let a = v.as_array().expect("an array");
        let num = |i: usize| a[i].as_u64().unwrap_or(0);
        let parsed = |i: usize| a[i].as_str().and_then(|t| t.parse().ok());
        BoundaryShot {
            updates: parsed(0),
            classes: parsed(1),
            hash: num(2),
            first_colour: num(3) as usize,
            second_colour: num(4) as usize,
            pixels: num(5) as usize,
        }
    }

    /// Opens the app with `query` (e.g. `?preset=calc200`).
    pub async fn open_at(&self, query: &str) {
        let url = format!("{}{query}", self.app_url);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }
}

/// The decision-boundary canvas at one moment: its `data-updates` and `data-classes`, an
/// FNV-1a hash of its pixels, and how many pixels lean to the first class' colour (blue:
/// more blue than red) and to the second's (orange: more red than blue), of `pixels`.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryShot {
    pub updates: Option<u64>,
    pub classes: Option<u64>,
    pub hash: u64,
    pub first_colour: usize,
    pub second_colour: usize,
    pub pixels: usize,
}

/// Chromium's console since the last call (chromedriver's `goog:loggingPrefs` browser log,
/// read with its `POST /session/{id}/se/log` command, which fantoccini does not wrap).
pub async fn browser_log(client: &Client) -> Vec<Value> {
    let webdriver_url = std::env::var("WEBDRIVER_URL").expect("WEBDRIVER_URL");
    let id = client
        .session_id()
        .await
        .expect("session id")
        .expect("a session");
    let hostport = webdriver_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let body = r#"{"type":"browser"}"#;
    let request = format!(
        "POST /session/{id}/se/log HTTP/1.1\r\nHost: {hostport}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(&hostport)
        .await
        .expect("connect to chromedriver");
    stream.write_all(request.as_bytes()).await.expect("send");
    // chromedriver keeps the connection open whatever `Connection` says: read the head, then
    // exactly Content-Length bytes.
    let mut reader = tokio::io::BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.expect("read") == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().expect("a Content-Length");
        }
        head.push_str(&line);
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).await.expect("read the log");
    let json = String::from_utf8_lossy(&body);
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "chromedriver refused the log command: {head}{json}"
    );
    let v: Value = serde_json::from_str(json.trim())
        .unwrap_or_else(|e| panic!("chromedriver's log is not JSON ({e}): {json}"));
    v["value"].as_array().cloned().unwrap_or_default()
}

/// `key` of a [`Session::datasets`] entry as text ("" when it has none).
pub fn data_text(d: &Value, key: &str) -> String {
    d[key].as_str().unwrap_or_default().to_owned()
}

/// `key` of a [`Session::datasets`] entry as a number; panics, naming the entry, when it
/// is not one.
pub fn data_number(d: &Value, key: &str) -> f64 {
    let t = data_text(d, key);
    t.parse()
        .unwrap_or_else(|_| panic!("data-{key} is {t:?}, not a number: {d}"))
}

/// Runs one end-to-end case in a fresh browser: a time limit, a screenshot named `name`
/// whatever the outcome (a failed assertion included: its panic is caught, the screenshot
/// taken and the browser closed, then the panic resumes), and no uncaught page errors allowed.
pub async fn run_case(name: &str, case: impl AsyncFnOnce(&Session)) {
    run_case_in(Session::open().await, name, case).await
}

/// [`run_case`] in a browser the caller started (e.g. [`Session::start`] with a recording
/// proxy, [`server::TestServer::proxy_args`]).
pub async fn run_case_in(s: Session, name: &str, case: impl AsyncFnOnce(&Session)) {
    let outcome = tokio::time::timeout(
        Duration::from_secs(120),
        CatchUnwind(std::pin::pin!(case(&s))),
    )
    .await;
    s.screenshot(name).await;
    let errors = s.page_errors().await;
    s.close().await;
    match outcome {
        Err(_) => panic!("{name} timed out"),
        Ok(Err(panic)) => {
            eprintln!("{name} failed; screenshot taken, browser closed");
            std::panic::resume_unwind(panic)
        }
        Ok(Ok(())) => {}
    }
    assert!(errors.is_empty(), "uncaught page errors: {errors:?}");
}

/// Polls `probe` every 100 ms until it gives `Ok` or `limit` has passed; `Err` holds the
/// last thing it saw. The one waiting loop of these tests: [`Session::until`] and
/// [`Session::wait_attr`] are made of it.
pub async fn poll<T>(
    limit: Duration,
    mut probe: impl AsyncFnMut() -> Result<T, String>,
) -> Result<T, String> {
    let start = Instant::now();
    loop {
        match probe().await {
            Ok(v) => return Ok(v),
            Err(last) if start.elapsed() > limit => return Err(last),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// A future that turns a panic while polling `F` into `Err(payload)` (what
/// `futures::FutureExt::catch_unwind` does, without the dependency).
struct CatchUnwind<F>(F);

impl<F: std::future::Future + Unpin> std::future::Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn std::any::Any + Send>>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::pin::Pin::new(inner).poll(cx)
        })) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// The MNIST asset's file name in `dist/` (src/trainer/data/mnist.rs `ASSET_FILE`).
pub const ASSET_FILE: &str = "mnist-10k.bin.z";

/// The release build the tests that serve `dist/` themselves (faults, hosting) serve:
/// `APP_DIST` (scripts/test sets it), else `dist/` at the repository root. Panics with how
/// to build it when it is missing.
pub fn dist_dir() -> std::path::PathBuf {
    let dir = std::env::var("APP_DIST")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist")
        });
    assert!(
        dir.join("index.html").is_file() && dir.join(ASSET_FILE).is_file(),
        "no built app in {} (build it with `trunk build index.html --release`, or set APP_DIST)",
        dir.display()
    );
    dir
}

/// The `Content-Type` a static server sends for `path`.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        // The MNIST asset (zlib, decoded by the worker itself) and anything else.
        _ => "application/octet-stream",
    }
}

/// `axe.min.js` of the pinned axe-core (scripts/install.sh installs it into
/// `$BATCH_LAB_TOOLS/node_modules`, else `target/tools/node_modules` of the repository).
/// Panics with how to install it when it is missing.
pub fn axe_source() -> String {
    let tools = std::env::var("BATCH_LAB_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/tools")
        });
    let path = tools.join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): install axe-core with `scripts/install.sh`",
            path.display()
        )
    })
}

/// One rule axe-core found broken: its id, impact, help text and the elements (their CSS
/// selectors and axe's summary of what is wrong with each).
#[derive(Clone, Debug)]
pub struct AxeViolation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<(String, String)>,
}

impl std::fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} ({}): {} — {} element(s)",
            self.id,
            self.impact,
            self.help,
            self.nodes.len()
        )?;
        for (target, summary) in self.nodes.iter().take(6) {
            writeln!(f, "    {target}: {}", summary.replace('\n', " / "))?;
        }
        Ok(())
    }
}

impl Session {
    /// Runs axe-core (injected into the page the first time) on the whole document, every
    /// rule axe runs by default at every impact, and returns its violations. The page's own
    /// frames are left out (`iframes: false`): each embed is audited on its own page.
    pub async fn axe(&self) -> Vec<AxeViolation> {
        let present = self
            .js("return typeof window.axe === 'object';", vec![])
            .await;
        if present != Value::Bool(true) {
            // WebDriver's script runs outside the page's Content-Security-Policy.
            self.js(&format!("{}\n;return true;", axe_source()), vec![])
                .await;
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { iframes: false, resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact || '', help: v.help,
                  nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary || '']) }))))
              .catch(e => done({ error: String(e) }));
        "#;
        let v = self
            .client
            .execute_async(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("axe.run: {e}"));
        if let Some(err) = v.get("error") {
            panic!("axe.run failed: {err}");
        }
        v.as_array()
            .expect("axe's violations")
            .iter()
            .map(|x| AxeViolation {
                id: x["id"].as_str().unwrap_or_default().to_owned(),
                impact: x["impact"].as_str().unwrap_or_default().to_owned(),
                help: x["help"].as_str().unwrap_or_default().to_owned(),
                nodes: x["nodes"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|n| {
                                (
                                    n[0].as_str().unwrap_or_default().to_owned(),
                                    n[1].as_str().unwrap_or_default().to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Panics listing every axe-core violation on the page now (see [`Session::axe`]).
    pub async fn assert_no_axe_violations(&self, what: &str) {
        let found = self.axe().await;
        let list: String = found.iter().map(ToString::to_string).collect();
        assert!(
            found.is_empty(),
            "{what}: {} accessibility rule(s) broken (axe-core):\n{list}",
            found.len()
        );
    }

    /// Sets the browser window's size in CSS pixels (e.g. 375 × 740 for a phone).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize to {width}x{height}: {e}"));
    }
}
