//! The browser shell of a [`Pool`]: it spawns, messages and ends the real Web Workers the
//! pool's [`Action`]s name, listens to their events and `error`s, runs the silence check,
//! fetches a dead worker's files when the pool asks, and hands every [`PoolEvent`] to the
//! caller's callback. It decides nothing itself (the pool does, natively tested), so it is
//! the only untested glue.
//!
//! Re-entrancy: the caller's callback may call back into the pool (the single run submits
//! a new job when its worker died). The pool is never borrowed while an action runs, so
//! that is safe; a bridge is never dropped inside its own worker's callback (ended workers
//! are terminated at once and dropped in a task of their own).

use super::bridge::{self, LOADER_URL, Spawned};
use super::host::Job;
use super::pool::{Action, Pool, PoolEvent};
use super::protocol::{Command, DownloadFailure, RunId, WorkerFault};
use super::watchdog::CHECK_EVERY_MS;
use gloo_timers::callback::{Interval, Timeout};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// The files a trainer worker loads: Trunk's loader shim (`data-loader-shim` in
/// index.html) imports `worker.js`, which instantiates `worker_bg.wasm`.
pub const WORKER_FILES: [&str; 3] = [LOADER_URL, "./worker.js", "./worker_bg.wasm"];

/// A live worker: gloo's bridge, the `Worker` under it, and its `error` listener.
struct Connection {
    spawned: Spawned,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

struct Inner {
    pool: Pool,
    workers: Vec<Option<Connection>>,
    checker: Option<Interval>,
}

/// A pool of trainer workers in the page (cheap to clone: a handle).
#[derive(Clone)]
pub struct WorkerPool {
    inner: Rc<RefCell<Inner>>,
    on_event: Rc<dyn Fn(PoolEvent)>,
}

impl WorkerPool {
    /// A pool of `size` workers keeping `keep_idle` alive when idle (see [`Pool::new`]),
    /// whose outcomes go to `on_event`.
    pub fn new(size: usize, keep_idle: usize, on_event: impl Fn(PoolEvent) + 'static) -> Self {
        let pool = Pool::new(size, keep_idle);
        let workers = (0..pool.size()).map(|_| None).collect();
        let this = WorkerPool {
            inner: Rc::new(RefCell::new(Inner {
                pool,
                workers,
                checker: None,
            })),
            on_event: Rc::new(on_event),
        };
        let weak = this.weak();
        let checker = Interval::new(CHECK_EVERY_MS as u32, move || {
            if let Some(pool) = upgrade(&weak) {
                pool.apply(|p, now| p.check(now));
            }
        });
        this.inner.borrow_mut().checker = Some(checker);
        this
    }

    pub fn submit(&self, job: Job) {
        self.apply(|p, now| p.submit(job, now));
    }

    /// Sends `command` to its run's worker; false when the pool has no job of that run.
    pub fn send(&self, command: Command) -> bool {
        let mut sent = false;
        self.apply(|p, now| sent = p.send(command, now));
        sent
    }

    pub fn cancel(&self, run: RunId) {
        self.apply(|p, now| {
            p.cancel(run, now);
        });
    }

    pub fn cancel_all(&self) {
        self.apply(|p, now| p.cancel_all(now));
    }

    pub fn retry(&self) {
        self.apply(|p, now| p.retry(now));
    }

    pub fn halted(&self) -> Option<WorkerFault> {
        self.inner.borrow().pool.halted()
    }

    pub fn live(&self) -> usize {
        self.inner.borrow().pool.live()
    }

    /// Calls `f` with the first live worker, if any (the end-to-end tests' fault hook).
    pub fn with_first_worker(&self, f: impl FnOnce(&web_sys::Worker)) {
        let inner = self.inner.borrow();
        let worker = inner
            .pool
            .first_live_slot()
            .and_then(|slot| inner.workers[slot].as_ref())
            .and_then(|c| c.spawned.worker.as_ref());
        if let Some(worker) = worker {
            f(worker);
        }
    }

    fn weak(&self) -> WeakPool {
        (Rc::downgrade(&self.inner), Rc::downgrade(&self.on_event))
    }

    /// Runs `f` on the pool, then carries out what it decided (with the pool released).
    fn apply(&self, f: impl FnOnce(&mut Pool, f64)) {
        let actions = {
            let mut inner = self.inner.borrow_mut();
            f(&mut inner.pool, now_ms());
            inner.pool.take_actions()
        };
        for action in actions {
            self.act(action);
        }
    }

    fn act(&self, action: Action) {
        match action {
            Action::Spawn { slot, serial } => {
                let connection = self.spawn(slot, serial);
                let old = self.inner.borrow_mut().workers[slot].replace(connection);
                end(old);
            }
            Action::Send { slot, command } => {
                if let Some(c) = &self.inner.borrow().workers[slot] {
                    c.spawned.bridge.send(command);
                }
            }
            Action::End { slot } => {
                let old = self.inner.borrow_mut().workers[slot].take();
                end(old);
            }
            Action::Probe { slot, serial } => {
                let weak = self.weak();
                wasm_bindgen_futures::spawn_local(async move {
                    let failure = probe_files().await;
                    if let Some(failure) = failure {
                        web_sys::console::warn_1(
                            &format!(
                                "Batch Lab: the worker's files did not download ({failure:?})"
                            )
                            .into(),
                        );
                    }
                    if let Some(pool) = upgrade(&weak) {
                        pool.apply(|p, now| p.probed(slot, serial, failure, now));
                    }
                });
            }
            Action::Report(event) => {
                if let PoolEvent::Stopped { fault, .. } = &event {
                    web_sys::console::warn_1(
                        &format!("Batch Lab: a worker stopped ({fault:?})").into(),
                    );
                }
                (self.on_event)(event)
            }
        }
    }

    /// A fresh worker for `slot`, its events and `error`s tagged with `serial`.
    fn spawn(&self, slot: usize, serial: u64) -> Connection {
        let weak = self.weak();
        let spawned = bridge::spawn(move |event| {
            if let Some(pool) = upgrade(&weak) {
                pool.apply(|p, now| p.on_event(slot, serial, event, now));
            }
        });
        let weak = self.weak();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default(); // handled here, not the page's own error
            let weak = weak.clone();
            // Not from inside this listener: ending the worker drops the listener.
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(pool) = upgrade(&weak) {
                    pool.apply(|p, now| p.on_error(slot, serial, now));
                }
            });
        });
        if let Some(worker) = &spawned.worker {
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        }
        Connection {
            spawned,
            _on_error: on_error,
        }
    }
}

type WeakPool = (Weak<RefCell<Inner>>, Weak<dyn Fn(PoolEvent)>);

fn upgrade(weak: &WeakPool) -> Option<WorkerPool> {
    Some(WorkerPool {
        inner: weak.0.upgrade()?,
        on_event: weak.1.upgrade()?,
    })
}

/// Terminates a worker at once and drops its bridge in a task of its own (a bridge must not
/// be dropped inside its own worker's message callback, where a run's last event arrives).
fn end(connection: Option<Connection>) {
    let Some(c) = connection else {
        return;
    };
    if let Some(worker) = &c.spawned.worker {
        worker.set_onerror(None);
        worker.set_onmessageerror(None);
        worker.terminate();
    }
    Timeout::new(0, move || drop(c)).forget();
}

/// Fetches the worker's files (bypassing the cache): the first that does not download.
async fn probe_files() -> Option<DownloadFailure> {
    let window = web_sys::window()?;
    for url in WORKER_FILES {
        let init = web_sys::RequestInit::new();
        let _ = js_sys::Reflect::set(&init, &"cache".into(), &"no-store".into());
        let response = match JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(_) => return Some(DownloadFailure::Network),
        };
        if !response.ok() {
            return Some(DownloadFailure::Http(response.status()));
        }
    }
    None
}

/// Starts the downloads a first run will need next, side by side: the worker's module and
/// wasm and, on MNIST, the data. Left to the worker they form a chain (the loader imports the
/// module, which fetches the wasm; the data only once the worker is ready and has been told the
/// experiment): at 10 Mbit/s a first visit's first chart point came 1.9× after its bytes alone
/// could (docs/benchmarks.md). The worker's own requests then find them in the HTTP cache
/// (static hosts send a max-age, GitHub Pages 600 s, or revalidate) or wait for the download
/// under way. Where the host forbids storing files ([`host_forbids_storing`]) they would
/// download twice, so nothing is fetched there. A hint, never a fault: a failure here is
/// dropped, and the worker's request reports its own. Called once the pool has spawned its
/// first worker, whose loader is already on its way.
pub fn prefetch(mnist: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if host_forbids_storing(&window) {
        return;
    }
    let [_, module, wasm] = WORKER_FILES;
    let data = mnist.then_some(crate::trainer::data::mnist::ASSET_FILE);
    for url in [module, wasm].into_iter().chain(data) {
        wasm_bindgen_futures::spawn_local(drain(JsFuture::from(window.fetch_with_str(url))));
    }
}

/// Whether the host sent the page's own wasm with `Cache-Control: no-store`: js/boot.js copies
/// that header to its `<meta name="batch-lab-boot" data-cache-control>` as the wasm arrives, so
/// the rule is known without a request of its own (one round trip fewer before the downloads
/// start). A page started some other way has no such attribute: most hosts let files be kept.
/// One file's rule stands for all: a host with a rule per file type (no-store for `*.js`
/// only) would be read wrongly, and the prefetch is a hint, so at worst a file downloads twice.
fn host_forbids_storing(window: &web_sys::Window) -> bool {
    window
        .document()
        .and_then(|d| {
            d.query_selector(r#"meta[name="batch-lab-boot"]"#)
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("data-cache-control"))
        .is_some_and(|v| v.to_ascii_lowercase().contains("no-store"))
}

/// Reads a fetched body to its last byte (or it would not be cached whole), and drops it.
async fn drain(
    request: impl std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>,
) {
    if let Ok(response) = request.await
        && let Ok(body) = response
            .unchecked_into::<web_sys::Response>()
            .array_buffer()
    {
        let _ = JsFuture::from(body).await;
    }
}

/// The page's monotonic clock in milliseconds.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
