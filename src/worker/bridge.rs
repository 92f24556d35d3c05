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

use super::protocol::{Command, Event};
use super::runner::{Runner, Schedule};
use crate::trainer::data::mnist;
use gloo_timers::callback::Timeout;
use gloo_worker::{HandlerId, Registrable, Worker, WorkerScope};
use js_sys::Uint8Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MessageChannel, MessagePort, ReadableStreamDefaultReader, Response, WorkerGlobalScope,
};

/// The script the page spawns: Trunk's `data-loader-shim` output for `data-bin="worker"`.
pub const LOADER_URL: &str = "./worker_loader.js";

/// Internal messages of the worker.
pub enum Msg {
    /// Time for the next slice.
    Tick,
    /// MNIST download progress.
    Loading { loaded: u64, total: Option<u64> },
    /// The MNIST download finished (the compressed bytes) or failed.
    Mnist(Result<Vec<u8>, String>),
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
            runner: Runner::default(),
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
                match result.and_then(|bytes| mnist::decode(&bytes).map_err(|e| e.to_string())) {
                    Ok(data) => self.runner.provide_mnist(data),
                    Err(message) => self.runner.mnist_failed(message),
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
            scope.send_future(async move {
                Msg::Mnist(
                    fetch_with_progress(mnist::ASSET_FILE, move |loaded, total| {
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

/// Milliseconds on the worker's monotonic clock.
fn now() -> f64 {
    js_sys::global()
        .unchecked_into::<WorkerGlobalScope>()
        .performance()
        .map_or(0.0, |p| p.now())
}

/// Downloads `url` (relative to the worker script, i.e. next to the page), reporting bytes
/// received so far and the total when the server sends a length.
async fn fetch_with_progress(
    url: &str,
    progress: impl Fn(u64, Option<u64>),
) -> Result<Vec<u8>, String> {
    let text = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let global: WorkerGlobalScope = js_sys::global().unchecked_into();
    let response: Response = JsFuture::from(global.fetch_with_str(url))
        .await
        .map_err(text)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok());
    let body = response.body().ok_or("empty response")?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(text)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).map_err(text)?;
        if done.as_bool() == Some(true) {
            break;
        }
        let value: Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(text)?
            .unchecked_into();
        bytes.extend(value.to_vec());
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}

/// Entry point of the worker binary (`src/bin/worker.rs`).
pub fn register() {
    console_error_panic_hook::set_once();
    TrainerWorker::registrar().register();
}
