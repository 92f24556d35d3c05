//! Strict hosting (issue 11), end to end in headless Chromium against the release build:
//!
//! - the page works unchanged under a sub-path (`/assets/batch-lab/`, as a blog author copies
//!   `dist/` into a folder of the blog) and at the site root, from one build (Trunk.toml
//!   `public_url = "./"`: relative URLs);
//! - under `Content-Security-Policy:` [`CSP`] on every response (no inline script, no inline
//!   style, `'wasm-unsafe-eval'` for WebAssembly only): it trains on MNIST (fetching the asset),
//!   shows the batch view's grid, exports, and neither the page (`securitypolicyviolation`,
//!   recorded by js/errors.js) nor Chromium's console reports a violation;
//! - no request goes to any other origin: Chromium is told to use this file's server as its
//!   HTTP proxy for every host, loopback included (`--proxy-bypass-list=<-loopback>`), so the
//!   server sees every request the browser makes, wherever it goes, and refuses any that is
//!   not for itself.
//!
//! A small HTTP server in this file (tokio) serves `dist/` (`APP_DIST`, else `../../dist` from
//! this crate) under the sub-path and records every request. Needs WEBDRIVER_URL (chromedriver;
//! APP_URL is not used); run through `scripts/test`, or by hand:
//! `WEBDRIVER_URL=http://127.0.0.1:9515 cargo test -p batch-lab-e2e --test hosting`.

use batch_lab_e2e::{ASSET_FILE, CHROMIUM_ARGS, TIMEOUT, browser_log, content_type, dist_dir};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The policy a strict blog host may send (issue 11), on every response.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

/// One request the server saw.
#[derive(Clone, Debug)]
struct Request {
    method: String,
    /// `http://host:port/path?query` (the absolute form a proxy is sent, or the Host header
    /// plus the path), or `host:port` for a `CONNECT`.
    url: String,
    status: u16,
}

/// A static file server for `dist/` under `prefix` on 127.0.0.1, also the browser's proxy.
struct Server {
    port: u16,
    prefix: &'static str,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    async fn start(prefix: &'static str) -> Server {
        let dist = Arc::new(dist_dir());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (dist, log) = (dist.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, port, prefix, &dist, &log).await;
                });
            }
        });
        Server {
            port,
            prefix,
            requests,
        }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn url(&self, query: &str) -> String {
        format!("{}{}{query}", self.origin(), self.prefix)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

/// Answers one request (then closes the connection).
async fn serve(
    stream: TcpStream,
    port: u16,
    prefix: &str,
    dist: &Path,
    log: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(()); // a connection opened and closed unused (Chromium preconnects)
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut host = String::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("host")
        {
            host = value.trim().to_owned();
        }
    }
    let own = format!("127.0.0.1:{port}");
    let url = if method == "CONNECT" || target.starts_with("http://") {
        target.clone()
    } else {
        format!("http://{host}{target}")
    };
    let path_and_query = url.strip_prefix(&format!("http://{own}"));

    let (status, body, kind) = match path_and_query {
        // A request for another origin (through the proxy), or a CONNECT tunnel: refused.
        _ if method == "CONNECT" => (403, Vec::new(), "text/plain"),
        None => (403, Vec::new(), "text/plain"),
        Some(pq) => {
            let path = pq.split(['?', '#']).next().unwrap_or_default();
            match path.strip_prefix(prefix) {
                Some(rel) if method == "GET" && !rel.split('/').any(|s| s == "..") => {
                    let rel = if rel.is_empty() || rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.to_owned()
                    };
                    match tokio::fs::read(dist.join(&rel)).await {
                        Ok(bytes) => (200, bytes, content_type(&rel)),
                        Err(_) => (404, Vec::new(), "text/plain"),
                    }
                }
                _ => (404, Vec::new(), "text/plain"),
            }
        }
    };
    if std::env::var_os("HOSTING_DEBUG").is_some() {
        eprintln!("server: {method} {url} -> {status}");
    }
    log.lock().unwrap().push(Request {
        method,
        url,
        status,
    });
    let reason = match status {
        200 => "OK",
        403 => "Forbidden",
        _ => "Not Found",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {CSP}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = reader.into_inner();
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.flush().await?;
    let _ = stream.shutdown().await;
    Ok(())
}

/// A headless Chromium whose every request (any host, loopback included) goes through
/// `proxy_port`, with its console kept for [`browser_log`].
async fn open_browser(proxy_port: u16) -> (Client, PathBuf) {
    let webdriver_url = std::env::var("WEBDRIVER_URL").unwrap_or_else(|_| {
        panic!("WEBDRIVER_URL is not set: run the end-to-end tests with `scripts/test`")
    });
    static SESSIONS: AtomicUsize = AtomicUsize::new(0);
    let profile = std::env::temp_dir().join(format!(
        "batch-lab-e2e-hosting-{}-{}",
        std::process::id(),
        SESSIONS.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("create a Chromium profile directory");
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.push(format!("--proxy-server=http://127.0.0.1:{proxy_port}"));
    // Chromium never proxies loopback unless told to: without this, a request to another
    // port of 127.0.0.1 would go around the recording server.
    args.push("--proxy-bypass-list=<-loopback>".to_owned());
    let mut chrome_options = json!({ "args": args });
    if let Ok(bin) = std::env::var("CHROME_BIN") {
        chrome_options["binary"] = Value::String(bin);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), chrome_options);
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
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
    (client, profile)
}

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn by_test_id(client: &Client, id: &str) -> fantoccini::elements::Element {
    let css = format!("[data-testid=\"{id}\"]");
    client
        .wait()
        .at_most(TIMEOUT)
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("no element {css} within {TIMEOUT:?}: {e}"))
}

/// Polls `attr` of the element with this `data-testid` until `pred` holds.
async fn wait_attr(client: &Client, id: &str, attr: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < Duration::from_secs(90) {
        if let Ok(Some(v)) = by_test_id(client, id).await.attr(attr).await {
            if pred(&v) {
                return v;
            }
            last = v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = js(
        client,
        "const s = document.querySelector('[data-testid=status]'); return s ? s.innerText : document.body.innerText;",
    )
    .await;
    let errors = js(client, "return window.__batchLabErrors || null;").await;
    panic!("{id} {attr} stayed {last:?}; status {status}; page errors {errors}")
}

/// Every console entry that is an error, or that mentions the Content-Security-Policy.
fn violations(log: &[Value]) -> Vec<String> {
    log.iter()
        .filter(|e| {
            let msg = e["message"].as_str().unwrap_or_default();
            e["level"] == "SEVERE"
                || msg.contains("Content Security Policy")
                || msg.contains("Content-Security-Policy")
        })
        .map(|e| e.to_string())
        .collect()
}

/// Hosts headless Chromium itself calls whatever the page does (component updates, account
/// and autofill services, the default search engine's probe), even with
/// `--disable-background-networking`: seen through the proxy, refused, and not the page's.
/// Only these exact hosts are set aside (printed, not counted); the page's own requests are
/// also checked from inside (`performance.getEntriesByType("resource")`).
const BROWSER_HOSTS: &[&str] = &[
    "accounts.google.com",
    "clients2.google.com",
    "content-autofill.googleapis.com",
    "start.duckduckgo.com",
    "update.googleapis.com",
];

fn browser_own(r: &Request) -> bool {
    let rest = r.url.trim_start_matches("http://");
    let host = rest.split([':', '/']).next().unwrap_or_default();
    BROWSER_HOSTS.contains(&host)
}

/// The requests that went anywhere but `origin` + `prefix`, or failed.
fn stray(requests: &[Request], origin: &str, prefix: &str) -> Vec<String> {
    let own = format!("{origin}{prefix}");
    requests
        .iter()
        .filter(|r| !browser_own(r))
        .filter(|r| r.method != "GET" || !r.url.starts_with(&own) || r.status != 200)
        .map(|r| format!("{} {} -> {}", r.method, r.url, r.status))
        .collect()
}

/// Trains MNIST (N = 200, B = 20, one epoch: 10 updates) and exports, on a page served under
/// `/assets/batch-lab/` with the strict CSP.
async fn trains_and_exports_under_csp(client: &Client, server: &Server) {
    let url = server.url("?n=200&b=20&epochs=1&lang=en&speed=max");
    client
        .goto(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    wait_attr(client, "status", "data-state", |v| v == "ready").await;
    eprintln!("ready");

    // The page's styles came from the stylesheet (a refused stylesheet leaves the body's
    // default font and margins).
    let sheets = js(
        client,
        "return Array.from(document.styleSheets).map(s => s.href);",
    )
    .await;
    assert_eq!(
        sheets.as_array().map(Vec::len),
        Some(1),
        "one stylesheet: {sheets}"
    );

    by_test_id(client, "train")
        .await
        .click()
        .await
        .expect("click Train");
    wait_attr(client, "status", "data-state", |v| v == "finished").await;
    eprintln!("finished");
    let steps = by_test_id(client, "step-counter")
        .await
        .attr("data-value")
        .await
        .ok()
        .flatten();
    assert_eq!(steps.as_deref(), Some("10"), "200 / 20 × 1 epoch");

    // The batch view: twenty digits in the CSS grid, each with its mark's border and colour
    // (classes and the CSSOM: no style attribute survives this CSP).
    wait_attr(client, "batch-view", "data-mode", |v| v == "digits").await;
    let grid = js(
        client,
        r#"const g = document.querySelector('.batch-digits');
           const cells = Array.from(document.querySelectorAll('.batch-digit'));
           const marks = Array.from(document.querySelectorAll('.batch-mark'));
           return {
             display: g && getComputedStyle(g).display,
             columns: g && getComputedStyle(g).gridTemplateColumns.split(' ').length,
             cells: cells.length,
             marked: cells.filter(c => c.classList.contains('right') || c.classList.contains('wrong')).length,
             borders: cells.map(c => getComputedStyle(c).borderTopStyle + ' ' + getComputedStyle(c).borderTopColor),
             markColors: marks.map(m => getComputedStyle(m).color),
             styleAttributes: document.querySelectorAll('[style]').length,
           };"#,
    )
    .await;
    assert_eq!(grid["display"], "grid", "{grid}");
    assert!(grid["columns"].as_u64().unwrap_or(0) > 1, "{grid}");
    assert_eq!(grid["cells"], 20, "{grid}");
    assert_eq!(grid["marked"], 20, "{grid}");
    for border in grid["borders"].as_array().expect("borders") {
        let b = border.as_str().unwrap_or_default();
        assert!(
            b == "solid rgb(0, 158, 115)" || b == "dashed rgb(213, 94, 0)",
            "a digit's border is {b:?}: {grid}"
        );
    }
    for color in grid["markColors"].as_array().expect("mark colours") {
        let c = color.as_str().unwrap_or_default();
        assert!(
            c == "rgb(0, 158, 115)" || c == "rgb(213, 94, 0)",
            "a mark's colour is {c:?} (style:color through the CSSOM): {grid}"
        );
    }

    // Everything the page itself loaded (its resource timing) came from this server.
    let foreign = js(
        client,
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin + '/') && !n.startsWith('data:') && !n.startsWith('blob:'));",
    )
    .await;
    assert_eq!(
        foreign,
        json!([]),
        "the page loaded resources from elsewhere"
    );

    // Exports: JSON (a blob download) and PNG (the charts).
    for (button, suffix) in [("export-json", "-history.json"), ("export-png", ".png")] {
        by_test_id(client, button)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {button}: {e}"));
        wait_attr(client, "export", "data-last-export", |v| {
            v.split_whitespace().any(|name| name.ends_with(suffix))
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_csp_under_a_sub_path_and_no_other_origin() {
    let server = Server::start("/assets/batch-lab/").await;
    let (client, profile) = open_browser(server.port).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(240),
        trains_and_exports_under_csp(&client, &server),
    )
    .await;

    let page_violations = js(&client, "return window.__batchLabCspViolations || null;").await;
    let page_errors = js(&client, "return window.__batchLabErrors || null;").await;
    let log = browser_log(&client).await;
    if let Ok(dir) = std::env::var("E2E_SCREENSHOT_DIR")
        && let Ok(png) = client.screenshot().await
    {
        let path = Path::new(&dir).join("hosting-csp.png");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(&path, png);
        eprintln!("screenshot: {}", path.display());
    }
    let _ = client.close().await;
    let _ = std::fs::remove_dir_all(&profile);
    outcome.unwrap_or_else(|_| panic!("the CSP page timed out"));

    let requests = server.requests();
    eprintln!("{} requests:", requests.len());
    for r in &requests {
        eprintln!("  {} {} -> {}", r.method, r.url, r.status);
    }
    eprintln!("console: {} entries", log.len());
    for e in &log {
        eprintln!("  {e}");
    }
    // js/errors.js ran (it defines the list) and heard no violation.
    assert_eq!(page_violations, json!([]), "the page saw CSP violations");
    assert_eq!(page_errors, json!([]), "uncaught page errors");
    assert_eq!(
        violations(&log),
        Vec::<String>::new(),
        "Chromium's console reports errors or CSP violations"
    );
    // Every request went to this server, under the sub-path, and found its file.
    assert_eq!(
        stray(&requests, &server.origin(), server.prefix),
        Vec::<String>::new(),
        "requests outside {} (other origins, the site root, or 404s)",
        server.url("")
    );
    let got = |suffix: &str| requests.iter().any(|r| r.url.ends_with(suffix));
    for file in [
        ".css",
        ".wasm",
        "worker_loader.js",
        "worker.js",
        "worker_bg.wasm",
        ASSET_FILE,
    ] {
        assert!(got(file), "no request for *{file}: {requests:?}");
    }
}

/// The same build also works at the site root (the page starts and takes one step on a 2-D
/// set; no violation, no request elsewhere).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_build_works_at_the_root() {
    let server = Server::start("/").await;
    let (client, profile) = open_browser(server.port).await;
    let run = async {
        let url = server.url("?data=xor&lang=en");
        client.goto(&url).await.expect("open the page");
        wait_attr(&client, "status", "data-state", |v| v == "ready").await;
        by_test_id(&client, "step")
            .await
            .click()
            .await
            .expect("click Step");
        wait_attr(&client, "step-counter", "data-value", |v| v == "1").await;
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), run).await;
    let page_errors = js(&client, "return window.__batchLabErrors || null;").await;
    let log = browser_log(&client).await;
    let _ = client.close().await;
    let _ = std::fs::remove_dir_all(&profile);
    outcome.unwrap_or_else(|_| panic!("the page at the root timed out"));
    assert_eq!(page_errors, json!([]), "uncaught page errors or violations");
    assert_eq!(violations(&log), Vec::<String>::new(), "console errors");
    let requests = server.requests();
    assert_eq!(
        stray(&requests, &server.origin(), server.prefix),
        Vec::<String>::new(),
        "requests elsewhere or 404s: {requests:?}"
    );
}
