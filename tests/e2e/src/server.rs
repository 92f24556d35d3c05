//! The one HTTP server the end-to-end tests serve pages from (tokio, 127.0.0.1, one request
//! per connection). Each test says how to answer with a handler (`Fn(&Request) -> Reply`):
//! the faults tests break the MNIST asset or refuse the page's wasm, the hosting tests add a
//! strict Content-Security-Policy and serve `dist/` under a sub-path. Every request is
//! recorded, and the server doubles as the browser's HTTP proxy: a request for any other
//! origin (or a `CONNECT` tunnel) is refused with 403 and recorded, so a test can prove the
//! page asked nothing of the outside world.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// `http://host:port/path?query` (the absolute form a proxy is sent, or the Host header
    /// plus the path), or `host:port` for a `CONNECT`.
    pub url: String,
    /// The path on this server, without query or fragment (`/assets/batch-lab/index.html`);
    /// empty for another origin.
    pub path: String,
    /// The request asked to bypass caches (`Cache-Control` or `Pragma: no-cache`, as
    /// `fetch(…, {cache: "reload"})` sends).
    pub no_cache: bool,
    /// Its `Referer`: the page for the page's own requests, the worker's script for the
    /// worker's (empty without one).
    pub referer: String,
    /// The status it was answered with.
    pub status: u16,
}

/// How to answer a request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (a slow connection).
    pub delay: Duration,
    /// Announce the full length, send the first half, then close (a cut connection).
    pub cut: bool,
}

impl Reply {
    /// An empty answer with this status.
    pub fn status(status: u16) -> Reply {
        Reply::bytes(status, "text/plain", Vec::new())
    }

    pub fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            headers: Vec::new(),
            body,
            delay: Duration::ZERO,
            cut: false,
        }
    }

    /// `dir`'s file at `path` below `prefix` (`index.html` for a folder), or 404; 404 for a
    /// path outside `prefix` or one that climbs with `..`.
    pub fn file(dir: &Path, prefix: &str, path: &str) -> Reply {
        let Some(rel) = path.strip_prefix(prefix) else {
            return Reply::status(404);
        };
        if rel.split('/').any(|s| s == "..") {
            return Reply::status(404);
        }
        let rel = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_owned()
        };
        match std::fs::read(dir.join(&rel)) {
            Ok(bytes) => Reply::bytes(200, crate::content_type(&rel), bytes),
            Err(_) => Reply::status(404),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// The running server.
pub struct TestServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

impl TestServer {
    /// Listens on a free port of 127.0.0.1 and answers every request with `handler` (in the
    /// current tokio runtime, until the test ends).
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, handler) = (log.clone(), handler.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, port, &*handler, &log).await;
                });
            }
        });
        TestServer { port, requests }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// Chromium arguments that send every request (any host, loopback included) through this
    /// server as the proxy, so [`TestServer::requests`] sees everything the browser asks for.
    pub fn proxy_args(&self) -> Vec<String> {
        vec![
            format!("--proxy-server=http://127.0.0.1:{}", self.port),
            // Chromium never proxies loopback unless told to: without this, a request to
            // another port of 127.0.0.1 would go around the recording server.
            "--proxy-bypass-list=<-loopback>".to_owned(),
        ]
    }
}

/// Reads one request, answers it, records it, closes the connection.
async fn serve(
    stream: TcpStream,
    port: u16,
    handler: &Handler,
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
    let (mut host, mut no_cache, mut referer) = (String::new(), false, String::new());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 || header.trim().is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "host" => host = value.to_owned(),
            "referer" => referer = value.to_owned(),
            "cache-control" | "pragma" if value.to_ascii_lowercase().contains("no-cache") => {
                no_cache = true
            }
            _ => {}
        }
    }
    let url = if method == "CONNECT" || target.starts_with("http://") {
        target
    } else {
        format!("http://{host}{target}")
    };
    let own = url.strip_prefix(&format!("http://127.0.0.1:{port}"));
    let path = match own {
        Some(pq) if method != "CONNECT" => pq.split(['?', '#']).next().unwrap_or("/"),
        _ => "",
    };
    let mut request = Request {
        method,
        url: url.clone(),
        path: path.to_owned(),
        no_cache,
        referer,
        status: 0,
    };
    // Another origin (through the proxy) or a tunnel: refused, never the handler's business.
    let reply = if path.is_empty() {
        Reply::status(403)
    } else {
        handler(&request)
    };
    request.status = reply.status;
    if std::env::var_os("E2E_SERVER_DEBUG").is_some() {
        eprintln!(
            "server: {} {} -> {}",
            request.method, request.url, reply.status
        );
    }
    log.lock().unwrap().push(request);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut stream = reader.into_inner();
    write_reply(&mut stream, &reply).await
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    let body = if reply.cut {
        &reply.body[..reply.body.len() / 2]
    } else {
        &reply.body[..]
    };
    stream.write_all(body).await?;
    stream.flush().await?;
    if reply.cut {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = stream.shutdown().await;
    // Drain what the browser may still send, so closing does not reset the connection.
    let _ = tokio::time::timeout(Duration::from_millis(50), stream.read(&mut [0; 1024])).await;
    Ok(())
}
