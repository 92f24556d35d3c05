//! The messages that cross the page ↔ worker boundary. Plain data (serde), so both sides
//! and the native tests share one definition.
//!
//! Every message carries the [`RunId`] of the run it concerns. The page starts a new id for
//! every configuration; the worker ignores commands for any run but its current one, and
//! the page drops events from runs it has left behind. That makes Reset and "change B
//! mid-run" race-free even with messages still in flight.

use crate::boundary::Grid;
use crate::experiment::Experiment;
use crate::trainer::probe::sharpness::{self, Sharpness};
use crate::trainer::session::{ConfigError, EpochSummary, Metrics, Status, StepRecord};
use serde::{Deserialize, Serialize};

/// Names one run (one configuration, from its first update to its last).
pub type RunId = u32;

/// How fast the worker trains. A worker starts at [`Speed::Max`] (the sweep's pace); the
/// page sends its own, which on a first visit is [`Speed::EpochPerSecond`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speed {
    /// Slow motion: this many updates per second (to watch single steps).
    PerSecond(u32),
    /// As fast as the machine allows, in time slices.
    #[default]
    Max,
    /// One epoch per second: `ceil(N/B)` updates per second, spread evenly
    /// ([`super::pace`]), as many as the machine can do. Every B takes about the same time
    /// per epoch, so a class watches the curves grow.
    EpochPerSecond,
}

impl Speed {
    /// The page's pace until the student or a link picks another: one a class can watch.
    pub const PAGE_DEFAULT: Speed = Speed::EpochPerSecond;
}

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Build data and a fresh session for `run` (replacing any previous run); answered by
    /// `Ready` (after `Loading` events when MNIST must be fetched first) or `Error`.
    Configure { run: RunId, experiment: Experiment },
    /// Train continuously at the current speed.
    Start { run: RunId },
    /// Stop after the update in progress; answered by `Paused`.
    Pause { run: RunId },
    /// Continue after a pause (same as `Start`).
    Resume { run: RunId },
    /// Exactly one weight update, then hold (pauses a running run first).
    Step { run: RunId },
    /// Drop the run: no more events for it.
    Reset { run: RunId },
    /// Change the speed (applies from the next slice).
    Speed { run: RunId, speed: Speed },
    /// Measure the run at its current weights (between two updates, or after its last):
    /// answered by `Probed`. The run's state, weights, random streams and training time are
    /// untouched, so the measurement is off the training's clock. It blocks the worker while
    /// it computes (a sharpness on 1,000 MNIST digits is ~100 gradients): a page that
    /// probes a run must allow for that silence.
    Probe { run: RunId, request: ProbeRequest },
}

/// What [`Command::Probe`] measures (see [`crate::trainer::probe`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProbeRequest {
    /// The largest Hessian eigenvalue of the training loss.
    Sharpness(sharpness::Probe),
    /// The gradient fan: the cosine with the full-batch gradient of each of `batches`
    /// mini-batches of `batch` training rows, drawn with `seed`.
    GradientFan {
        batch: usize,
        batches: usize,
        seed: u64,
    },
}

/// What a [`ProbeRequest`] measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProbeResult {
    Sharpness(Sharpness),
    /// One cosine per mini-batch, `None` where a gradient was zero.
    GradientFan(Vec<Option<f64>>),
}

impl Command {
    /// The run the command is about.
    pub fn run(&self) -> RunId {
        match self {
            Command::Configure { run, .. }
            | Command::Start { run }
            | Command::Pause { run }
            | Command::Resume { run }
            | Command::Step { run }
            | Command::Reset { run }
            | Command::Speed { run, .. }
            | Command::Probe { run, .. } => *run,
        }
    }
}

/// Facts about a configured run that the page shows before the first update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub train_size: usize,
    pub validation_size: usize,
    /// B in effect (`min(B, N)`).
    pub batch_size: usize,
    pub updates_per_epoch: usize,
    pub total_updates: usize,
    pub epochs: usize,
    pub features: usize,
    pub classes: usize,
    pub parameter_count: usize,
    pub flops_per_sample: u64,
    /// For 2-D sets: the training points (x, y interleaved) and labels, for the data plot.
    pub points: Option<(Vec<f32>, Vec<u8>)>,
    /// For 2-D sets: the validation points, drawn apart from the training points.
    #[serde(default)]
    pub validation_points: Option<(Vec<f32>, Vec<u8>)>,
}

impl RunInfo {
    /// Whether this run's batches come with pixels (see [`carries_pixels`]).
    pub fn carries_pixels(&self) -> bool {
        carries_pixels(self.features)
    }
}

/// Batches of data with 28 × 28 features (MNIST) are sent with their pixels, so the page
/// can show the digits; the page lays out the digit grid from [`RunInfo`] before the first
/// batch arrives.
pub fn carries_pixels(features: usize) -> bool {
    features == crate::trainer::data::mnist::IMAGE_SIDE.pow(2)
}

/// The scalar part of one update's [`StepRecord`]: what charts and history keep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepSummary {
    pub update: usize,
    pub epoch: usize,
    pub step_in_epoch: usize,
    pub batch_size: usize,
    pub learning_rate: f32,
    pub loss: f64,
    pub accuracy: f64,
    pub gradient_norm: f64,
    pub samples_seen: usize,
    /// Milliseconds of training time since the run's first update began (pauses excluded).
    pub elapsed_ms: f64,
    pub validation: Option<Metrics>,
    pub epoch_end: Option<EpochSummary>,
    /// The run's gradient-noise scale after this update, in samples (see
    /// [`crate::trainer::noise`]); `None` before a batch of two or more, or with the meter off.
    #[serde(default)]
    pub noise_scale: Option<f64>,
}

impl StepSummary {
    /// The summary of `record`, finished `elapsed_ms` into the run.
    pub fn of(record: &StepRecord, elapsed_ms: f64) -> Self {
        StepSummary {
            update: record.update,
            epoch: record.epoch,
            step_in_epoch: record.step_in_epoch,
            batch_size: record.batch_size,
            learning_rate: record.learning_rate,
            loss: record.loss,
            accuracy: record.accuracy,
            gradient_norm: record.gradient_norm,
            samples_seen: record.samples_seen,
            elapsed_ms,
            validation: record.validation,
            epoch_end: record.epoch_end.clone(),
            noise_scale: record.noise_scale,
        }
    }
}

/// Most samples of a batch whose contents are sent for display.
pub const BATCH_VIEW_LIMIT: usize = 64;

/// The contents of the latest batch of a slice: the post's "10 problems solved at a time".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchDetail {
    pub update: usize,
    /// The whole batch's size (the lists below hold at most [`BATCH_VIEW_LIMIT`]).
    pub batch_size: usize,
    /// Training-set indices of the shown samples.
    pub indices: Vec<u32>,
    pub labels: Vec<u8>,
    /// The net's predictions before the update.
    pub predictions: Vec<u8>,
    /// For MNIST: the shown digits' pixels, 784 bytes each.
    pub pixels: Option<Vec<u8>>,
}

/// Why a run could not be configured or continue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RunError {
    Config(ConfigError),
    /// The data could not be built (message from the data layer).
    Data(String),
    /// MNIST could not be downloaded or decoded (the page offers Retry).
    MnistLoad(MnistFailure),
    /// The worker stopped (crashed or fell silent); the page starts a fresh one. Never sent
    /// by a worker: the page sets it itself.
    WorkerStopped(WorkerFault),
}

/// Why MNIST could not be had, in words a student can act on (the browser's own error text
/// goes to the worker's console, not to the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MnistFailure {
    /// The server answered with this HTTP status (404: the file is not there).
    Http(u16),
    /// The download failed or broke off: offline, a connection cut half-way, or a content
    /// encoding the browser could not undo.
    Network,
    /// The bytes arrived but are not the MNIST file: truncated or corrupted.
    Damaged,
}

impl RunError {
    /// Whether the page offers Retry for this error: a download that failed (MNIST, or the
    /// worker's own files) may work the next time; the other errors need a change of setting.
    pub fn offers_retry(&self) -> bool {
        matches!(
            self,
            RunError::MnistLoad(_) | RunError::WorkerStopped(WorkerFault::Download(_))
        )
    }
}

/// How the page found out that its worker had stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkerFault {
    /// The worker reported an uncaught error (a panic, a trap, out of memory).
    Crashed,
    /// The worker stopped answering (see [`super::watchdog`]).
    Silent,
    /// The worker never started because its own files (script, wasm) could not be
    /// downloaded: a fresh worker would fail the same way, so the page offers Retry instead
    /// of restarting it (see [`super::pool`]).
    Download(DownloadFailure),
}

/// Why the worker's files could not be downloaded, in words a student can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DownloadFailure {
    /// The server answered with this HTTP status (404: the file is not there).
    Http(u16),
    /// No answer at all: offline, or the connection failed.
    Network,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// MNIST download progress (bytes; `total` when the server says).
    Loading {
        run: RunId,
        loaded: u64,
        total: Option<u64>,
    },
    /// The run is configured and holds at update 0.
    Ready {
        run: RunId,
        info: RunInfo,
        /// For 2-D sets: the untrained net's decision boundary.
        #[serde(default)]
        boundary: Option<Grid>,
    },
    /// Updates done in one time slice, oldest first, and the last batch's contents.
    Progress {
        run: RunId,
        steps: Vec<StepSummary>,
        batch: Option<BatchDetail>,
        /// The worker's WebAssembly memory in bytes at the end of the slice (the cost
        /// panel's "actual memory"); `None` where it cannot be read (native tests).
        #[serde(default)]
        wasm_memory: Option<u64>,
        /// For 2-D sets: the decision boundary after the slice's last update, when one was
        /// due (see [`crate::boundary::Throttle`]; always after the last update of a run
        /// and after a single step).
        #[serde(default)]
        boundary: Option<Grid>,
    },
    /// Training holds after `update` updates.
    Paused {
        run: RunId,
        update: usize,
    },
    /// No more updates: all epochs done, or diverged.
    Finished {
        run: RunId,
        status: Status,
    },
    Error {
        run: RunId,
        error: RunError,
    },
    /// The answer to a [`Command::Probe`]: measured after `update` updates.
    Probed {
        run: RunId,
        update: usize,
        result: ProbeResult,
    },
}

impl Event {
    /// The run the event is about.
    pub fn run(&self) -> RunId {
        match self {
            Event::Loading { run, .. }
            | Event::Ready { run, .. }
            | Event::Progress { run, .. }
            | Event::Paused { run, .. }
            | Event::Finished { run, .. }
            | Event::Error { run, .. }
            | Event::Probed { run, .. } => *run,
        }
    }
}
