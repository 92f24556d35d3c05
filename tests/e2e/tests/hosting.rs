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
//! The tests' HTTP server (`batch_lab_e2e::server`) serves `dist/` (`APP_DIST`, else
//! `../../dist` from this crate) under the sub-path and records every request. Needs WEBDRIVER_URL (chromedriver;
//! APP_URL is not used); run through `scripts/test`, or by hand:
//! `WEBDRIVER_URL=http://127.0.0.1:9515 cargo test -p batch-lab-e2e --test hosting`.

use batch_lab_e2e::server::{Reply, Request, TestServer};
use batch_lab_e2e::{ASSET_FILE, Session, browser_log, dist_dir};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// The policy a strict blog host may send (issue 11), on every response.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

/// `dist/` under `prefix` on the tests' server ([`TestServer`]) with [`CSP`] on every
/// response; also the browser's proxy, so every request the browser makes is recorded.
struct Server {
    http: TestServer,
    prefix: &'static str,
}

impl Server {
    async fn start(prefix: &'static str) -> Server {
        Server::start_dir(prefix, dist_dir()).await
    }

    /// Serves `dir` (not `dist/`) under `prefix`: a blog's site with the app in a folder.
    async fn start_dir(prefix: &'static str, dir: std::path::PathBuf) -> Server {
        Server::start_with(prefix, dir, "no-store").await
    }

    /// Serves `dir` under `prefix` with `cache` as every answer's `Cache-Control`.
    async fn start_with(
        prefix: &'static str,
        dir: std::path::PathBuf,
        cache: &'static str,
    ) -> Server {
        let http = TestServer::start(move |r| {
            let reply = if r.method == "GET" {
                Reply::file(&dir, prefix, &r.path)
            } else {
                Reply::status(404)
            };
            reply
                .header("Content-Security-Policy", CSP)
                .header("Cache-Control", cache)
        })
        .await;
        Server { http, prefix }
    }

    fn origin(&self) -> String {
        self.http.origin()
    }

    fn url(&self, query: &str) -> String {
        format!("{}{}{query}", self.origin(), self.prefix)
    }

    fn requests(&self) -> Vec<Request> {
        self.http.requests()
    }
}

/// A headless Chromium whose every request (any host, loopback included) goes through
/// `server` as its proxy, with its console kept for [`browser_log`].
async fn open_browser(server: &Server) -> Session {
    Session::start(server.url(""), &server.http.proxy_args()).await
}

/// Waits (up to 90 s: a run under the strict policy on a busy machine) until `attr` of the
/// element with this `data-testid` satisfies `pred`; panics with the status and page errors.
async fn wait_attr(s: &Session, id: &str, attr: &str, pred: impl Fn(&str) -> bool) -> String {
    match s
        .wait_attr_within(Duration::from_secs(90), id, attr, pred)
        .await
    {
        Ok(v) => v,
        Err(last) => {
            let status = s
                .js(
                    "const s = document.querySelector('[data-testid=status]'); return s ? s.innerText : document.body.innerText;",
                    vec![],
                )
                .await;
            let errors = s.page_errors().await;
            panic!("{id} {attr} stayed {last:?}; status {status}; page errors {errors:?}")
        }
    }
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
async fn trains_and_exports_under_csp(s: &Session, server: &Server) {
    let url = server.url("?n=200&b=20&epochs=1&lang=en&speed=max");
    s.client
        .goto(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    wait_attr(s, "status", "data-state", |v| v == "ready").await;
    eprintln!("ready");

    // The page's styles came from the stylesheet (a refused stylesheet leaves the body's
    // default font and margins).
    let sheets = s
        .js(
            "return Array.from(document.styleSheets).map(s => s.href);",
            vec![],
        )
        .await;
    assert_eq!(
        sheets.as_array().map(Vec::len),
        Some(1),
        "one stylesheet: {sheets}"
    );

    s.by_test_id("train")
        .await
        .click()
        .await
        .expect("click Train");
    wait_attr(s, "status", "data-state", |v| v == "finished").await;
    eprintln!("finished");
    let steps = s
        .by_test_id("step-counter")
        .await
        .attr("data-value")
        .await
        .ok()
        .flatten();
    assert_eq!(steps.as_deref(), Some("10"), "200 / 20 × 1 epoch");

    // The batch view: twenty digits in the CSS grid, each with its mark's border and colour
    // (classes and the CSSOM: no style attribute survives this CSP).
    wait_attr(s, "batch-view", "data-mode", |v| v == "digits").await;
    let grid = s.js(r#"const view = document.querySelector('[data-testid="batch-view"]');
           const g = view.querySelector('.batch-digits');
           const cells = Array.from(view.querySelectorAll('.batch-digit'));
           const marks = Array.from(view.querySelectorAll('.batch-mark'));
           return {
             display: g && getComputedStyle(g).display,
             columns: g && getComputedStyle(g).gridTemplateColumns.split(' ').length,
             cells: cells.length,
             marked: cells.filter(c => c.classList.contains('right') || c.classList.contains('wrong')).length,
             borders: cells.map(c => getComputedStyle(c).borderTopStyle + ' ' + getComputedStyle(c).borderTopColor),
             markColors: marks.map(m => getComputedStyle(m).color),
             styleAttributes: document.querySelectorAll('[style]').length,
           };"#, vec![])
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
    let foreign = s.js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin + '/') && !n.startsWith('data:') && !n.startsWith('blob:'));", vec![])
    .await;
    assert_eq!(
        foreign,
        json!([]),
        "the page loaded resources from elsewhere"
    );

    // Exports: JSON (a blob download) and PNG (the charts).
    for (button, suffix) in [("export-json", "-history.json"), ("export-png", ".png")] {
        s.by_test_id(button)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {button}: {e}"));
        wait_attr(s, "export", "data-last-export", |v| {
            v.split_whitespace().any(|name| name.ends_with(suffix))
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_csp_under_a_sub_path_and_no_other_origin() {
    let server = Server::start("/assets/batch-lab/").await;
    let s = open_browser(&server).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(240),
        trains_and_exports_under_csp(&s, &server),
    )
    .await;

    let page_violations = s
        .js("return window.__batchLabCspViolations || null;", vec![])
        .await;
    let page_errors = s
        .js("return window.__batchLabErrors || null;", vec![])
        .await;
    let log = browser_log(&s.client).await;
    s.screenshot("hosting-csp").await;
    s.close().await;
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
    let s = open_browser(&server).await;
    let run = async {
        let url = server.url("?data=xor&lang=en");
        s.client.goto(&url).await.expect("open the page");
        wait_attr(&s, "status", "data-state", |v| v == "ready").await;
        s.by_test_id("step")
            .await
            .click()
            .await
            .expect("click Step");
        wait_attr(&s, "step-counter", "data-value", |v| v == "1").await;
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), run).await;
    let page_errors = s
        .js("return window.__batchLabErrors || null;", vec![])
        .await;
    let log = browser_log(&s.client).await;
    s.close().await;
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

/// A first visit on a host that lets the browser keep files (GitHub Pages' `max-age=600`):
/// the page itself fetches the worker's module and wasm and MNIST while its worker loads
/// (`worker::shell::prefetch`), so they download side by side, and the worker's own requests
/// are served from the cache: each file reaches the server once, asked for by the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caching_host_serves_the_trainers_files_once_fetched_by_the_page() {
    let (page, asked) = first_visit_trainer_requests("max-age=600").await;
    for (file, referers) in asked {
        assert_eq!(
            referers,
            std::slice::from_ref(&page),
            "{file}: once, by the page"
        );
    }
}

/// On a host that forbids storing files (`no-store`) the page fetches none of them (the
/// worker would download them again): each reaches the server once, asked for by the worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_store_host_serves_the_trainers_files_once_fetched_by_the_worker() {
    let (page, asked) = first_visit_trainer_requests("no-store").await;
    for (file, referers) in asked {
        assert_eq!(referers.len(), 1, "{file}: once: {referers:?}");
        assert_ne!(referers[0], page, "{file}: by the worker, not the page");
    }
}

/// A first visit (`?lang=en`, until ready) on a host that sends `cache` with every file: the
/// page's address without its query, and for the worker's module and wasm and MNIST the
/// referer of each request for it, without its query (the page rewrites its query as it
/// starts; the worker's requests carry its script's address).
async fn first_visit_trainer_requests(cache: &'static str) -> (String, Vec<(String, Vec<String>)>) {
    let server = Server::start_with("/", dist_dir(), cache).await;
    let s = open_browser(&server).await;
    let run = async {
        s.client
            .goto(&server.url("?lang=en"))
            .await
            .expect("open the page");
        wait_attr(&s, "status", "data-state", |v| v == "ready").await;
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), run).await;
    s.close().await;
    outcome.unwrap_or_else(|_| panic!("the first visit timed out ({cache})"));
    let asked = ["/worker.js", "/worker_bg.wasm", &format!("/{ASSET_FILE}")]
        .map(|file| {
            let referers: Vec<String> = server
                .requests()
                .iter()
                .filter(|r| r.path == file)
                .map(|r| r.referer.split('?').next().unwrap_or_default().to_owned())
                .collect();
            eprintln!("{cache}: {file}: asked with referer {referers:?}");
            (file.to_owned(), referers)
        })
        .into();
    (server.url(""), asked)
}

/// A blog's site in a fresh temporary folder: the app (a link to `dist/`) at
/// `assets/batch-lab/`, and whatever posts the test writes beside it.
fn blog_site(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("batch-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("assets")).expect("create the site folder");
    let dist = dist_dir().canonicalize().expect("dist/");
    std::os::unix::fs::symlink(&dist, root.join("assets/batch-lab")).expect("link dist/");
    root
}

/// What "Copy embed code" writes on the app page at `url` (the clipboard call captured).
async fn copied_embed_code(s: &Session, url: &str) -> String {
    s.client.goto(url).await.expect("open the app");
    wait_attr(s, "status", "data-state", |v| v == "ready").await;
    s.js(
        r#"window.__copied = [];
           Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
             writeText: (text) => { window.__copied.push(text); return Promise.resolve(); },
           } });
           return true;"#,
        vec![],
    )
    .await;
    s.by_test_id("copy-embed")
        .await
        .click()
        .await
        .expect("click Copy embed code");
    s.until("the embed code was copied", async || {
        let v = s.js("return window.__copied;", vec![]).await;
        match v.as_array().and_then(|a| a.first()).and_then(Value::as_str) {
            Some(text) => Ok(text.to_owned()),
            None => Err(v.to_string()),
        }
    })
    .await
}

/// Per `iframe[data-batch-lab]` of the page: the height the listener gave it
/// (`data-batch-lab-height`), its CSS height and its own document's height.
const FRAME_HEIGHTS: &str = r#"return [...document.querySelectorAll('iframe[data-batch-lab]')].map(f => {
        let doc = null;
        try { doc = f.contentDocument && f.contentDocument.documentElement
            ? f.contentDocument.documentElement.getBoundingClientRect().height : null; } catch (e) {}
        const set = f.getAttribute('data-batch-lab-height');
        return [set === null ? null : Number(set), f.getBoundingClientRect().height, doc];
    });"#;

/// The index of an embed whose document has loaded (its boot `<meta>` is there) while the
/// frame lies more than 300 px below the window; `null` while there is none.
const LOADED_BELOW: &str = r#"
    const frames = [...document.querySelectorAll('iframe[data-batch-lab]')];
    const i = frames.findIndex(f => {
        const d = f.contentDocument;
        return d && d.readyState === 'complete' && d.querySelector('meta[name="batch-lab-boot"]')
            && f.getBoundingClientRect().top > innerHeight + 300;
    });
    return i < 0 ? null : i;
"#;

/// In frame `i`: `[a view built, the wasm started]`.
const FRAME_BUILT: &str = r#"
    const f = document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]];
    return [!!f.contentDocument.querySelector('[data-testid^="view-"]'), !!f.contentWindow.wasmBindings];
"#;

/// Scrolls each embed of the page into view (they load lazily) and waits until every one is
/// exactly as tall as its own document, sized by its own messages; returns the CSS heights.
async fn frames_fit_their_documents(s: &Session, count: usize) -> Vec<f64> {
    for i in 0..count {
        s.js(
            "document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]].scrollIntoView();",
            vec![json!(i)],
        )
        .await;
        s.until_within(
            Duration::from_secs(90),
            "the embed loads and reports its height",
            async || {
                let v = s.js(FRAME_HEIGHTS, vec![]).await;
                match v.get(i) {
                    Some(f) if f[0].is_number() && f[2].is_number() => Ok(()),
                    other => Err(format!("{other:?} of {v}")),
                }
            },
        )
        .await;
    }
    s.until_within(
        Duration::from_secs(60),
        "each iframe matches its own document",
        async || {
            let v = s.js(FRAME_HEIGHTS, vec![]).await;
            let frames: Vec<(Option<f64>, f64, Option<f64>)> =
                serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
            let fits = frames.len() == count
                && frames.iter().all(|(set, css, doc)| match (set, doc) {
                    (Some(set), Some(doc)) => {
                        (set - doc.ceil()).abs() <= 1.0 && (css - set).abs() <= 1.0
                    }
                    _ => false,
                });
            if fits {
                Ok(frames.iter().map(|f| f.1).collect())
            } else {
                Err(v.to_string())
            }
        },
    )
    .await
}

/// Issue 23: two snippets of "Copy embed code", pasted into one post that the blog serves
/// under the strict policy, both take their content's height (the old snippet's inline
/// script was refused and its fixed `id` served only the first iframe).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_copied_snippets_work_under_the_strict_csp() {
    let root = blog_site("snippets");
    let server = Server::start_dir("/", root.clone()).await;
    let s = open_browser(&server).await;
    let run = async {
        let app = server.url("assets/batch-lab/");
        let first =
            copied_embed_code(&s, &format!("{app}?view=anatomy&preset=calc200&lang=ko")).await;
        // The code writes the view it was copied from.
        assert!(first.contains("&amp;view=anatomy"), "{first}");
        let second = copied_embed_code(&s, &format!("{app}?preset=small-batch&lang=en")).await;
        eprintln!("copied:\n{first}\n{second}");
        for code in [&first, &second] {
            for bad in ["<script>", " style=", " id="] {
                assert!(!code.contains(bad), "{bad:?} in the copied code: {code}");
            }
        }
        let post = format!(
            "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>두 실험실</title>\
             <link rel=\"icon\" href=\"data:,\"></head>\n<body><h1>두 실험실</h1>\n<p>첫째</p>\n{first}\n\
             <p>둘째</p>\n{second}\n</body></html>\n"
        );
        std::fs::write(root.join("post.html"), post).expect("write the post");
        s.client
            .goto(&server.url("post.html"))
            .await
            .expect("open the post");
        let _ = browser_log(&s.client).await; // from here on
        let heights = frames_fit_their_documents(&s, 2).await;
        assert!(
            (heights[0] - heights[1]).abs() > 1.0 && heights.iter().all(|&h| h != 900.0),
            "two different embeds, each at its own height (not the placeholder): {heights:?}"
        );
        let listeners = s
            .js(
                "return window.batchLabEmbed && window.batchLabEmbed.listeners;",
                vec![],
            )
            .await;
        assert_eq!(listeners, json!(1), "one listener for both embeds");
    };
    let outcome = tokio::time::timeout(Duration::from_secs(240), run).await;
    let log = browser_log(&s.client).await;
    s.screenshot("hosting-two-snippets").await;
    s.close().await;
    let _ = std::fs::remove_dir_all(&root);
    outcome.unwrap_or_else(|_| panic!("the post with two snippets timed out"));
    assert_eq!(
        violations(&log),
        Vec::<String>::new(),
        "Chromium's console reports errors or CSP violations on the post"
    );
}

/// Copies the folder `from` into `to` (created), files and subfolders.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// The views the example post embeds, in its order.
const POST_VIEWS: [&str; 4] = ["anatomy", "race", "lr", "sweep"];

/// Builds the example blog (`embed/jekyll/example`) with the real Jekyll into `root/_site`
/// (emptied first) and copies `dist/` to its `/assets/batch-lab/`; returns `_site`.
fn build_example_site(root: &Path) -> std::path::PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let _ = std::fs::remove_dir_all(root);
    let site = root.join("_site");
    let built = std::process::Command::new("jekyll")
        .arg("build")
        .arg("--source")
        .arg(repo.join("embed/jekyll/example"))
        .arg("--destination")
        .arg(&site)
        .output()
        .unwrap_or_else(|e| panic!("run jekyll (scripts/install.sh installs it): {e}"));
    assert!(
        built.status.success(),
        "jekyll build failed: {}{}",
        String::from_utf8_lossy(&built.stdout),
        String::from_utf8_lossy(&built.stderr)
    );
    copy_dir(&dist_dir(), &site.join("assets/batch-lab"));
    site
}

/// Issue 23: the example blog (`embed/jekyll/example`, four `{% include batch-lab.html
/// view=… %}` in one Korean post) built by a real Jekyll, with `dist/` copied to its
/// `/assets/batch-lab/` and served under the strict policy: four iframes, each sized by its
/// own messages, the listener script in the page exactly once, no console error and no CSP
/// violation (in the post or in any embed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jekyll_example_post_embeds_four_views_under_the_strict_csp() {
    let root = std::env::temp_dir().join(format!("batch-lab-jekyll-{}", std::process::id()));
    let site = build_example_site(&root);
    let post_path = "2026/12/05/batch-size-and-epochs/index.html";
    let html = std::fs::read_to_string(site.join(post_path)).expect("the built post");
    // What Jekyll wrote: four iframes in the post's order, one listener script, nothing inline.
    let srcs: Vec<&str> = html
        .split("<iframe")
        .skip(1)
        .map(|f| {
            f.split("src=\"")
                .nth(1)
                .unwrap_or("")
                .split('"')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(srcs.len(), 4, "four embeds: {html}");
    for (src, view) in srcs.iter().zip(POST_VIEWS) {
        assert!(
            src.starts_with("/assets/batch-lab/?embed=1&amp;view=")
                && src.contains(&format!("view={view}")),
            "{src} should show view {view}"
        );
    }
    assert_eq!(html.matches("batch-lab-embed.js").count(), 1, "{html}");
    assert!(
        !html.contains("<script>") && !html.contains(" style="),
        "{html}"
    );

    let server = Server::start_dir("/", site.clone()).await;
    let s = open_browser(&server).await;
    let run = async {
        s.client
            .goto(&server.url("2026/12/05/batch-size-and-epochs/"))
            .await
            .expect("open the post");
        // An embed whose frame loaded away from the screen is only its placeholder: its
        // page has not started its wasm (js/boot.js), so the post's loading builds no lab
        // the reader cannot see.
        let below = s
            .until("an embed loaded below the window", async || {
                match s.js(LOADED_BELOW, vec![]).await {
                    Value::Null => Err("none yet".to_owned()),
                    v => Ok(v),
                }
            })
            .await;
        // Time for a started page to build its view (a sleep that proves nothing happens).
        tokio::time::sleep(Duration::from_secs(2)).await;
        let built = s.js(FRAME_BUILT, vec![below.clone()]).await;
        eprintln!("embed {below}, loaded below the window: [view, wasm] = {built}");
        assert_eq!(
            built,
            json!([false, false]),
            "embed {below} waits off screen: no view, no wasm started"
        );
        let heights = frames_fit_their_documents(&s, 4).await;
        eprintln!("embed heights: {heights:?}");
        let page = s
            .js(
                r#"return {
                    scripts: document.querySelectorAll('script[src$="batch-lab-embed.js"]').length,
                    listeners: window.batchLabEmbed && window.batchLabEmbed.listeners,
                    inner: [...document.querySelectorAll('iframe[data-batch-lab]')].map(f => {
                        const w = f.contentWindow;
                        return [w.__batchLabCspViolations || null, w.__batchLabErrors || null];
                    }),
                    roots: [...document.querySelectorAll('iframe[data-batch-lab]')].map(f => {
                        const r = f.contentDocument.querySelector('[data-testid^="view-"]');
                        return r ? r.dataset.testid : null;
                    }),
                };"#,
                vec![],
            )
            .await;
        assert_eq!(page["scripts"], 1, "{page}");
        assert_eq!(page["listeners"], 1, "{page}");
        // Each embed shows its own view.
        assert_eq!(
            page["roots"],
            json!(["view-anatomy", "view-race", "view-lr", "view-sweep"]),
            "{page}"
        );
        for inner in page["inner"].as_array().expect("the embeds") {
            assert_eq!(
                inner,
                &json!([[], []]),
                "an embed's violations and errors: {page}"
            );
        }
    };
    let outcome = tokio::time::timeout(Duration::from_secs(300), run).await;
    let log = browser_log(&s.client).await;
    s.screenshot("hosting-jekyll-post").await;
    s.close().await;
    let _ = std::fs::remove_dir_all(&root);
    outcome.unwrap_or_else(|_| panic!("the Jekyll post timed out"));
    assert_eq!(
        violations(&log),
        Vec::<String>::new(),
        "Chromium's console reports errors or CSP violations on the post"
    );
}

/// In frame `i` of the page: `[view root's data-started, status' data-state]` (nulls when
/// not there yet).
const FRAME_STATE: &str = r#"
    const d = document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]].contentDocument;
    const root = d && d.querySelector('[data-testid^="view-"]');
    const status = d && d.querySelector('[data-testid=status]');
    return [root ? root.dataset.started : null, status ? status.dataset.state : null];
"#;

/// Clicks the element with `data-testid` `id` inside frame `i` (same origin).
const FRAME_CLICK: &str = r#"
    const d = document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]].contentDocument;
    d.querySelector(`[data-testid="${arguments[1]}"]`).click();
    return true;
"#;

/// In frame `i`: `[waiting lines over the charts, their text]`.
const FRAME_WAITING: &str = r#"
    const d = document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]].contentDocument;
    const w = [...d.querySelectorAll('[data-testid=chart-waiting]')];
    return [w.length, w.map(e => e.textContent)];
"#;

/// In frame `i` (the race): `[Step disabled, status' data-state, the first run's updates]`.
const FRAME_STEP: &str = r#"
    const d = document.querySelectorAll('iframe[data-batch-lab]')[arguments[0]].contentDocument;
    const q = id => d.querySelector(`[data-testid="${id}"]`);
    return [q('step').disabled, q('status').dataset.state, q('race-a').dataset.updates];
"#;

/// Issue 23, deferred start: the example post's four embeds, all scrolled onto the screen
/// and sized, show their views (`data-started="false"`, a `start-embed` button) but request
/// neither the worker's files nor MNIST. Train in the lr embed starts that embed alone: its
/// worker and the MNIST download (once); `start-embed` in the anatomy embed then starts its
/// own worker and no download (the `calc200` preset trains 2-D moons, no MNIST). Until its first run is ready, the lr embed's charts show what they wait for
/// (`chart-waiting`) instead of an empty axis. Step in the race embed, before it started,
/// starts it and takes one update.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_posts_embeds_start_their_workers_only_when_the_reader_acts() {
    let root = std::env::temp_dir().join(format!("batch-lab-deferred-{}", std::process::id()));
    let site = build_example_site(&root);
    let server = Server::start_dir("/", site.clone()).await;
    let s = open_browser(&server).await;
    let count = |suffix: &str| {
        server
            .requests()
            .iter()
            .filter(|r| r.path.ends_with(suffix))
            .count()
    };
    let started = async |i: usize| s.js(FRAME_STATE, vec![json!(i)]).await;
    let run = async {
        s.client
            .goto(&server.url("2026/12/05/batch-size-and-epochs/"))
            .await
            .expect("open the post");
        frames_fit_their_documents(&s, 4).await;
        // Time for anything a loaded embed would start on its own.
        tokio::time::sleep(Duration::from_secs(3)).await;
        for i in 0..4 {
            assert_eq!(started(i).await[0], "false", "embed {i} waits");
        }
        let before = (
            count("/worker.js"),
            count("/worker_bg.wasm"),
            count(ASSET_FILE),
        );
        eprintln!("before any interaction: worker.js, worker_bg.wasm, MNIST = {before:?}");
        assert_eq!(
            before,
            (0, 0, 0),
            "nothing of the trainer before the reader acts"
        );

        // Before the reader acts the lr embed's charts say why they are empty (no 0–1 axis).
        let waiting = s.js(FRAME_WAITING, vec![json!(2)]).await;
        eprintln!("the lr embed's charts before Train: {waiting}");
        assert_eq!(
            waiting[0], 2,
            "both plots covered by the waiting line: {waiting}"
        );

        // Train in the lr embed (MNIST, the linear-scaling preset).
        s.js(FRAME_CLICK, vec![json!(2), json!("train")]).await;
        s.until_within(Duration::from_secs(90), "the lr embed trains", async || {
            let v = started(2).await;
            match v[1].as_str() {
                Some("running" | "paused" | "finished") => Ok(()),
                _ => Err(v.to_string()),
            }
        })
        .await;
        let after_train = (count("/worker_bg.wasm"), count(ASSET_FILE));
        eprintln!("after Train in the lr embed: worker_bg.wasm, MNIST = {after_train:?}");
        assert_eq!(after_train, (1, 1), "one worker and one MNIST download");
        for i in [0, 1, 3] {
            assert_eq!(started(i).await[0], "false", "embed {i} still waits");
        }

        // The start button of the anatomy embed.
        s.js(FRAME_CLICK, vec![json!(0), json!("start-embed")])
            .await;
        s.until_within(
            Duration::from_secs(90),
            "the anatomy embed is ready",
            async || {
                let v = started(0).await;
                match (v[0].as_str(), v[1].as_str()) {
                    (Some("true"), Some("ready")) => Ok(()),
                    _ => Err(v.to_string()),
                }
            },
        )
        .await;
        let after_start = (count("/worker_bg.wasm"), count(ASSET_FILE));
        eprintln!("after start-embed in the anatomy embed: {after_start:?}");
        assert_eq!(
            after_start,
            (2, 1),
            "the anatomy embed's own worker, and no MNIST"
        );
        for i in [1, 3] {
            assert_eq!(started(i).await[0], "false", "embed {i} still waits");
        }
        let waiting = s.js(FRAME_WAITING, vec![json!(2)]).await;
        assert_eq!(waiting[0], 0, "the lr embed's runs are drawn: {waiting}");

        // Step in the race embed before it started: enabled, it starts the embed and takes
        // exactly one update once the workers are ready (a disabled Step ignored the click).
        let step = s.js(FRAME_STEP, vec![json!(1)]).await;
        assert_eq!(
            step[0], false,
            "Step is enabled before the embed starts: {step}"
        );
        s.js(FRAME_CLICK, vec![json!(1), json!("step")]).await;
        s.until_within(
            Duration::from_secs(90),
            "Step took one update",
            async || {
                let v = s.js(FRAME_STEP, vec![json!(1)]).await;
                match (v[1].as_str(), v[2].as_str()) {
                    (Some("paused"), Some("1")) => Ok(()),
                    _ => Err(v.to_string()),
                }
            },
        )
        .await;
        assert_eq!(started(1).await[0], "true", "Step started the race embed");
    };
    let outcome = tokio::time::timeout(Duration::from_secs(300), run).await;
    s.screenshot("hosting-deferred").await;
    s.close().await;
    let _ = std::fs::remove_dir_all(&root);
    outcome.unwrap_or_else(|_| panic!("the deferred embeds timed out"));
}
