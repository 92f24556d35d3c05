//! Noticing that the worker has died, free of any browser API so it is tested natively with
//! an injected clock.
//!
//! A worker can die without a word: `terminate()`, a hang, or a crash whose `error` event
//! never reaches the page. The page therefore also watches for silence. It only expects to
//! hear from the worker when something is due: while starting or loading (an answer to
//! `Configure`), while training (a `Progress` every slice, ≈ 15 ms at full speed, one per
//! update in slow motion) and after a Pause or Step (their answer). An idle worker owes
//! nothing and is not pinged: if it died meanwhile, the next command finds out.
//!
//! The page calls [`Watchdog::check`] every [`CHECK_EVERY_MS`]; the worker is dead when it
//! has owed an answer for longer than the limit ([`silence_limit_ms`]: at least
//! [`SILENCE_LIMIT_MS`], more for a model whose single update is slow, and
//! [`STARTUP_LIMIT_MS`] before a new worker has said anything at all). A check that comes
//! late (a suspended laptop, a throttled background tab) starts the count over rather than
//! blaming the worker for the page's own sleep.

use super::protocol::RunInfo;

/// How often the page checks.
pub const CHECK_EVERY_MS: f64 = 1000.0;
/// Least silence, while an answer is due, that counts as death.
pub const SILENCE_LIMIT_MS: f64 = 5000.0;
/// Silence allowed before a new worker's first message (loading and compiling its wasm).
pub const STARTUP_LIMIT_MS: f64 = 30_000.0;
/// Silence allowed while MNIST downloads (a slow network is not a dead worker).
pub const DOWNLOAD_LIMIT_MS: f64 = 60_000.0;
/// A gap between two checks longer than this means the page itself was asleep.
pub const LATE_CHECK_MS: f64 = 3.0 * CHECK_EVERY_MS;
/// The slowest training speed allowed for, in FLOP per millisecond (0.25 GFLOP/s; the
/// trainer does 5–20 GFLOP/s in a browser).
pub const SLOWEST_FLOPS_PER_MS: f64 = 250_000.0;
/// How many times its estimated length one uninterruptible job may take.
pub const JOB_MARGIN: f64 = 4.0;

/// The longest silence a live worker can keep while training `info`: one update (the
/// worker cannot answer in the middle of one) plus a validation pass, at
/// [`SLOWEST_FLOPS_PER_MS`], times [`JOB_MARGIN`], and never less than [`SILENCE_LIMIT_MS`].
pub fn silence_limit_ms(info: Option<&RunInfo>) -> f64 {
    let job_ms = info.map_or(0.0, |i| {
        // A validation pass is forward only: about a third of a training sample's FLOPs.
        let samples = i.batch_size as f64 + i.validation_size as f64 / 3.0;
        i.flops_per_sample as f64 * samples / SLOWEST_FLOPS_PER_MS
    });
    SILENCE_LIMIT_MS.max(JOB_MARGIN * job_ms)
}

/// One worker's liveness as the page sees it (start a new one with each worker).
#[derive(Clone, Debug, PartialEq)]
pub struct Watchdog {
    /// When the worker last said anything (`None`: not yet, since it was spawned).
    last_heard: Option<f64>,
    /// Since when an answer has been due (`None`: nothing is due).
    due_since: Option<f64>,
    /// A command that is always answered (Pause, Step) has been sent and not answered.
    awaiting_reply: bool,
    last_check: f64,
}

impl Watchdog {
    /// A worker spawned at `now`: its first message is due.
    pub fn new(now: f64) -> Self {
        Watchdog {
            last_heard: None,
            due_since: Some(now),
            awaiting_reply: false,
            last_check: now,
        }
    }

    /// The worker said something (any event, of any run).
    pub fn heard(&mut self, now: f64) {
        self.last_heard = Some(now);
        self.awaiting_reply = false;
    }

    /// A command that the worker always answers was sent at `now`.
    pub fn asked(&mut self, now: f64) {
        self.awaiting_reply = true;
        self.due_since.get_or_insert(now);
    }

    /// True when the worker is dead: an answer has been due for `limit_ms` (the page's
    /// [`silence_limit_ms`], or [`DOWNLOAD_LIMIT_MS`] while MNIST downloads) with nothing
    /// heard. `streaming`: the page expects events without asking (starting, loading,
    /// training).
    pub fn check(&mut self, now: f64, streaming: bool, limit_ms: f64) -> bool {
        let late = now - self.last_check > LATE_CHECK_MS;
        self.last_check = now;
        let never_heard = self.last_heard.is_none();
        if !(streaming || self.awaiting_reply || never_heard) {
            self.due_since = None;
            return false;
        }
        if late {
            // The page slept (or its timers were throttled): count from now.
            self.due_since = Some(now);
            return false;
        }
        let due_since = *self.due_since.get_or_insert(now);
        let quiet_since = self.last_heard.map_or(due_since, |h| h.max(due_since));
        let limit = if never_heard {
            limit_ms.max(STARTUP_LIMIT_MS)
        } else {
            limit_ms
        };
        now - quiet_since >= limit
    }
}
