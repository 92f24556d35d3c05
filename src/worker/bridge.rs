//! The browser shell around [`Runner`]: a gloo-worker `Worker` that forwards commands,
//! posts events, fetches MNIST (with progress) when asked, and paces training slices.
//!
//! Pacing matters: gloo's own messages are queued as microtasks, so a loop that
//! re-triggered itself that way would never let a Pause in. Each slice is therefore
//! scheduled as a real macrotask, and incoming commands are handled between slices — a
//! Pause lands within one slice (≈ [`super::runner::SLICE_MS`]). At full speed the next
//! slice is a message to ourselves on a `MessageChannel` ([`Yield`]), not `setTimeout(0)`:
//! browsers clamp nested timers to ≥ 4 ms, which left the trainer idle ~20 % of the time
//! (4 ms after every 15 ms slice). Slow motion keeps `setTimeout` for its delays.

use super::protocol::{Command, Event, MnistFailure};
use super::runner::{Runner, Schedule};
use crate::trainer::data::mnist;
use gloo_timers::callback::Timeout;
use gloo_worker::{HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use js_sys::{Array, Object, Proxy, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MessageChannel, MessagePort, ReadableStreamDefaultReader, RequestInit, Response,
    WorkerGlobalScope,
};

/// The script the page spawns: Trunk's `data-loader-shim` output for `data-bin="worker"`.
pub const LOADER_URL: &str = "./worker_loader.js";

/// Internal messages of the worker.
pub enum Msg {
    /// Time for the next slice.
    Tick,
    /// MNIST download progress.
    Loading { loaded: u64, total: Option<u64> },
    /// The MNIST download finished (the compressed bytes) or failed (why, and the browser's
    /// own words for the console).
    Mnist(Result<Vec<u8>, (MnistFailure, String)>),
}

/// The trainer's Web Worker.
pub struct TrainerWorker {
    runner: Runner,
    /// Where events go (the page's bridge).
    page: Option<HandlerId>,
    /// The pending slice, if any.
    next: Next,
    /// Schedules an immediate slice; `None` where `MessageChannel` is missing (then
    /// `setTimeout(0)` does it).
    yielder: Option<Yield>,
    fetching: bool,
}

/// The next slice's trigger.
enum Next {
    None,
    /// A slow-motion delay (or a zero delay without [`Yield`]); dropping it cancels it.
    Timer {
        _cancel_on_drop: Timeout,
    },
    /// A message on the [`Yield`] channel is on its way (it cannot be recalled; a tick
    /// that finds nothing to run does nothing).
    Yielded,
}

/// A `MessageChannel` whose messages to itself become `Msg::Tick`s: a macrotask with no
/// minimum delay, queued behind any command the page has already sent.
struct Yield {
    port: MessagePort,
    _receiver: MessagePort,
    _on_message: Closure<dyn FnMut()>,
}

impl Yield {
    fn new(scope: &WorkerScope<TrainerWorker>) -> Option<Yield> {
        let channel = MessageChannel::new().ok()?;
        let scope = scope.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || scope.send_message(Msg::Tick));
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Yield {
            port: channel.port2(),
            _receiver: receiver,
            _on_message: on_message,
        })
    }

    /// Queues one tick; false if the message could not be posted.
    fn post(&self) -> bool {
        self.port.post_message(&JsValue::NULL).is_ok()
    }
}

impl Worker for TrainerWorker {
    type Message = Msg;
    type Input = Command;
    type Output = Event;

    fn create(scope: &WorkerScope<Self>) -> Self {
        TrainerWorker {
            runner: Runner::with_memory_probe(Box::new(wasm_memory_bytes)),
            page: None,
            next: Next::None,
            yielder: Yield::new(scope),
            fetching: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Self::Message) {
        let events = match msg {
            Msg::Tick => {
                self.next = Next::None;
                self.runner.tick(&mut now)
            }
            Msg::Loading { loaded, total } => match self.runner.current_run() {
                Some(run) if self.runner.wants_mnist() => {
                    vec![Event::Loading { run, loaded, total }]
                }
                _ => Vec::new(),
            },
            Msg::Mnist(result) => {
                self.fetching = false;
                let decoded = result.and_then(|bytes| {
                    mnist::decode(&bytes).map_err(|e| (MnistFailure::Damaged, e.to_string()))
                });
                match decoded {
                    Ok(data) => self.runner.provide_mnist(data),
                    Err((failure, detail)) => {
                        web_sys::console::warn_1(
                            &format!("MNIST could not be loaded ({failure:?}): {detail}").into(),
                        );
                        self.runner.mnist_failed(failure)
                    }
                }
            }
        };
        self.post(scope, events);
    }

    fn received(&mut self, scope: &WorkerScope<Self>, command: Self::Input, id: HandlerId) {
        self.page = Some(id);
        let speed_changed = matches!(command, Command::Speed { .. });
        let events = self.runner.handle(command);
        if speed_changed && matches!(self.next, Next::Timer { .. }) {
            self.next = Next::None; // re-pace at once rather than after a slow-motion delay
        }
        self.post(scope, events);
    }
}

impl TrainerWorker {
    /// Sends `events` to the page, then starts a download or schedules the next slice.
    fn post(&mut self, scope: &WorkerScope<Self>, events: Vec<Event>) {
        if let Some(page) = self.page {
            for event in events {
                scope.respond(page, event);
            }
        }
        if self.runner.wants_mnist() && !self.fetching {
            self.fetching = true;
            let progress = scope.clone();
            let bypass_cache = self.runner.mnist_bypass_cache();
            scope.send_future(async move {
                Msg::Mnist(
                    fetch_with_progress(mnist::ASSET_FILE, bypass_cache, move |loaded, total| {
                        progress.send_message(Msg::Loading { loaded, total })
                    })
                    .await,
                )
            });
        }
        match self.runner.schedule() {
            Schedule::Idle => {
                if let Next::Timer { .. } = self.next {
                    self.next = Next::None;
                }
            }
            Schedule::After(_) if !matches!(self.next, Next::None) => {}
            Schedule::After(ms) => {
                if ms <= 0.0 && self.yielder.as_ref().is_some_and(Yield::post) {
                    self.next = Next::Yielded;
                } else {
                    let scope = scope.clone();
                    self.next = Next::Timer {
                        _cancel_on_drop: Timeout::new(ms.round() as u32, move || {
                            scope.send_message(Msg::Tick)
                        }),
                    };
                }
            }
        }
    }
}

/// This module's WebAssembly memory in bytes (in the worker: the worker's own). It only
/// grows, so it is the high-water mark of what training has needed.
fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as u64
}

/// Milliseconds on the worker's monotonic clock.
fn now() -> f64 {
    js_sys::global()
        .unchecked_into::<WorkerGlobalScope>()
        .performance()
        .map_or(0.0, |p| p.now())
}

/// Downloads `url` (relative to the worker script, i.e. next to the page), reporting bytes
/// received so far and the total when the server sends a length. With `bypass_cache` the
/// request skips the browser's HTTP cache (`cache: "reload"`), so a retry after a truncated
/// or corrupted download really downloads again.
async fn fetch_with_progress(
    url: &str,
    bypass_cache: bool,
    progress: impl Fn(u64, Option<u64>),
) -> Result<Vec<u8>, (MnistFailure, String)> {
    let network = |e: JsValue| {
        let detail = e.as_string().unwrap_or_else(|| format!("{e:?}"));
        (MnistFailure::Network, detail)
    };
    let global: WorkerGlobalScope = js_sys::global().unchecked_into();
    let init = RequestInit::new();
    if bypass_cache {
        // `RequestInit::set_cache` needs one more web-sys feature; the property is the same.
        Reflect::set(&init, &"cache".into(), &"reload".into()).map_err(network)?;
    }
    // Said before the request: on a slow connection the wait for the first byte is the
    // download too, and the page should say so (and allow it the download's silence limit).
    progress(0, None);
    let response: Response = JsFuture::from(global.fetch_with_str_and_init(url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    if !response.ok() {
        let status = response.status();
        return Err((
            MnistFailure::Http(status),
            format!("HTTP {status} for {url}"),
        ));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok());
    let body = response
        .body()
        .ok_or((MnistFailure::Damaged, "empty response".to_owned()))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(network)?;
        let done = Reflect::get(&chunk, &"done".into()).map_err(network)?;
        if done.as_bool() == Some(true) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(network)?
            .unchecked_into();
        bytes.extend(value.to_vec());
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}

/// A trainer worker as the page holds it: gloo's bridge, and the `Worker` object under it
/// when it could be had (see [`spawn`]).
pub struct Spawned {
    pub bridge: WorkerBridge<TrainerWorker>,
    pub worker: Option<web_sys::Worker>,
}

/// Spawns a trainer worker whose events go to `callback`.
///
/// gloo-worker 0.6 keeps the `Worker` object it creates to itself, but the page needs it:
/// to hear the worker's `error` event (a panic, a trap, out of memory) and to `terminate()`
/// a worker that stopped answering. So for the duration of the (synchronous) spawn, the
/// global `Worker` constructor is wrapped in a `Proxy` whose `construct` trap records the
/// object it makes, then restored. No script is evaluated (CSP-safe); if the wrap cannot be
/// installed the worker is spawned as before and `worker` is `None` (the page then only has
/// its silence check).
pub fn spawn(callback: impl Fn(Event) + 'static) -> Spawned {
    let global = js_sys::global();
    let key = JsValue::from_str("Worker");
    let original = Reflect::get(&global, &key).ok().filter(|c| c.is_function());
    let captured: Rc<RefCell<Option<web_sys::Worker>>> = Rc::default();
    let record = captured.clone();
    let construct = Closure::<dyn FnMut(JsValue, Array) -> Result<JsValue, JsValue>>::new(
        move |target: JsValue, args: Array| {
            let target: &js_sys::Function = target.unchecked_ref();
            let made = Reflect::construct(target, &args)?;
            *record.borrow_mut() = Some(made.clone().unchecked_into());
            Ok(made)
        },
    );
    let wrapped = original.as_ref().is_some_and(|original| {
        let handler = Object::new();
        Reflect::set(&handler, &"construct".into(), construct.as_ref()).is_ok()
            && Reflect::set(&global, &key, &Proxy::new(original, &handler)).is_ok()
    });
    let bridge = TrainerWorker::spawner()
        .callback(callback)
        .with_loader(true)
        .spawn(LOADER_URL);
    if let (true, Some(original)) = (wrapped, &original) {
        let _ = Reflect::set(&global, &key, original);
    }
    drop(construct);
    let worker = captured.borrow_mut().take();
    Spawned { bridge, worker }
}

/// Entry point of the worker binary (`src/bin/worker.rs`).
pub fn register() {
    console_error_panic_hook::set_once();
    TrainerWorker::registrar().register();
}
