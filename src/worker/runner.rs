//! The worker's brain, free of any browser API so it is tested natively: it turns
//! [`Command`]s into [`Event`]s and, on each tick, trains for one time slice.
//!
//! The browser shell (`worker::bridge`) only forwards messages, fetches MNIST when
//! [`Runner::wants_mnist`] says so, and schedules the next tick as a real macrotask (a
//! `MessageChannel` message at full speed, `setTimeout` in slow motion and at the epoch
//! pace), which is what lets a Pause that arrives mid-run be handled before the next slice
//! starts.

use super::pace::Pace;
use super::protocol::{
    BATCH_VIEW_LIMIT, BatchDetail, Command, Event, MnistFailure, ProbeRequest, ProbeResult,
    RunError, RunId, RunInfo, Speed, StepSummary, carries_pixels,
};
use crate::boundary::{Grid, Mapper, Throttle};
use crate::experiment::{DataSource, Experiment};
use crate::trainer::data::Dataset;
use crate::trainer::model::Workspace;
use crate::trainer::probe::{fan, sharpness};
use crate::trainer::session::{Session, StepRecord};

/// Training time per slice at [`Speed::Max`]: long enough to amortise a message, short
/// enough that at most ~60 messages a second cross and a Pause lands within one slice.
pub const SLICE_MS: f64 = 15.0;

/// When the shell should call [`Runner::tick`] next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// Not until a command arrives.
    Idle,
    /// After this many milliseconds (0: as soon as pending messages are handled).
    After(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Holding,
    Running,
    Done,
}

struct Active {
    run: RunId,
    session: Session,
    state: State,
    /// Training time accumulated before the current stretch of running.
    trained_ms: f64,
    /// For 2-D data: computes the decision boundary.
    mapper: Option<Mapper>,
    throttle: Throttle,
    /// At [`Speed::EpochPerSecond`]: the pace, anchored at the first tick after a start
    /// (`None` until then, and again after a pause, a step or a change of speed).
    pace: Option<Pace>,
    /// At [`Speed::EpochPerSecond`]: milliseconds from the last tick to the next update due.
    wait_ms: f64,
}

impl Active {
    /// The epoch pace counts again from the next tick (a pause, a step, a start or a new
    /// speed must not make the run sprint to catch up).
    fn restart_pace(&mut self) {
        self.pace = None;
        self.wait_ms = 0.0;
    }

    /// The decision boundary with the current weights (`None` for data that is not 2-D).
    fn grid(&mut self) -> Option<Grid> {
        let update = self.session.updates_done();
        Some(self.mapper.as_mut()?.grid(self.session.model(), update))
    }
}

/// Reads the worker's memory in bytes (the browser shell passes one that reads the wasm
/// memory; tests inject their own).
pub type MemoryProbe = Box<dyn Fn() -> u64>;

/// Holds at most one run (the current one) and the decoded MNIST set once loaded.
#[derive(Default)]
pub struct Runner {
    /// Stamps every `Progress` event with the worker's memory (`None`: not stamped).
    memory: Option<MemoryProbe>,
    mnist: Option<Dataset>,
    /// A configuration waiting for MNIST to arrive.
    pending: Option<(RunId, Experiment)>,
    active: Option<Active>,
    speed: Speed,
    /// Failed MNIST downloads since the last good one: a retry must not reuse the
    /// browser's cached copy (it may be the damaged file).
    mnist_failures: u32,
}

impl Runner {
    /// A runner whose `Progress` events report the memory `probe` reads.
    pub fn with_memory_probe(probe: MemoryProbe) -> Self {
        Runner {
            memory: Some(probe),
            ..Runner::default()
        }
    }

    fn memory(&self) -> Option<u64> {
        self.memory.as_ref().map(|probe| probe())
    }

    /// The current speed.
    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// The run commands are accepted for (configured or waiting for data).
    pub fn current_run(&self) -> Option<RunId> {
        self.pending
            .as_ref()
            .map(|p| p.0)
            .or(self.active.as_ref().map(|a| a.run))
    }

    /// True when a configuration waits for MNIST and it has not been provided.
    pub fn wants_mnist(&self) -> bool {
        self.pending.is_some() && self.mnist.is_none()
    }

    /// True when the next MNIST download must bypass the browser's cache: an earlier one
    /// failed, and a cached copy may be the truncated or corrupted file.
    pub fn mnist_bypass_cache(&self) -> bool {
        self.mnist_failures > 0
    }

    /// Hands over the decoded MNIST set and configures any run that was waiting for it.
    pub fn provide_mnist(&mut self, data: Dataset) -> Vec<Event> {
        self.mnist = Some(data);
        self.mnist_failures = 0;
        match self.pending.take() {
            Some((run, experiment)) => self.configure(run, experiment),
            None => Vec::new(),
        }
    }

    /// MNIST could not be had: the waiting run fails with the reason. The page's Retry
    /// configures the run again, which asks for a fresh download
    /// ([`Runner::mnist_bypass_cache`]); other data sets stay usable meanwhile.
    pub fn mnist_failed(&mut self, failure: MnistFailure) -> Vec<Event> {
        self.mnist_failures = self.mnist_failures.saturating_add(1);
        match self.pending.take() {
            Some((run, _)) => vec![Event::Error {
                run,
                error: RunError::MnistLoad(failure),
            }],
            None => Vec::new(),
        }
    }

    /// Applies one command. Commands for a run other than the current one are ignored
    /// (they were sent before the page moved on), except `Configure`, which starts a new run.
    pub fn handle(&mut self, command: Command) -> Vec<Event> {
        if let Command::Configure { run, experiment } = command {
            return self.configure(run, experiment);
        }
        if let Command::Speed { speed, .. } = command {
            self.speed = speed; // speed is the page's setting, not a run's
            if let Some(active) = self.active.as_mut() {
                active.restart_pace();
            }
            return Vec::new();
        }
        let Some(active) = self.active.as_mut().filter(|a| a.run == command.run()) else {
            if matches!(command, Command::Reset { .. }) && self.current_run() == Some(command.run())
            {
                self.pending = None;
            }
            return Vec::new();
        };
        let run = active.run;
        active.restart_pace();
        match command {
            Command::Start { .. } | Command::Resume { .. } => {
                if active.state == State::Holding {
                    active.state = State::Running;
                }
                Vec::new()
            }
            Command::Pause { .. } => {
                if active.state == State::Running {
                    active.state = State::Holding;
                }
                vec![Event::Paused {
                    run,
                    update: active.session.updates_done(),
                }]
            }
            Command::Step { .. } => self.step_once(),
            Command::Reset { .. } => {
                self.active = None;
                Vec::new()
            }
            Command::Probe { request, .. } => {
                // Outside any tick, so no training time passes; a running run goes on at
                // the next tick, its pace restarted above like after any command.
                vec![Event::Probed {
                    run,
                    update: active.session.updates_done(),
                    result: probe(&active.session, request),
                }]
            }
            Command::Configure { .. } | Command::Speed { .. } => unreachable!("handled above"),
        }
    }

    /// One update at the student's command (the Step button): the run holds afterwards, and
    /// every step shows its boundary, as slow motion does.
    fn step_once(&mut self) -> Vec<Event> {
        let Some(active) = self.active.as_mut().filter(|a| a.state != State::Done) else {
            return Vec::new();
        };
        active.state = State::Holding;
        let run = active.run;
        let Some(record) = active.session.step() else {
            return Vec::new();
        };
        // A single step's time is not training throughput; count no time.
        let summary = StepSummary::of(&record, active.trained_ms);
        let batch = self.batch_detail(&record);
        let wasm_memory = self.memory();
        let active = self.active.as_mut().expect("still active");
        let boundary = active.grid();
        let mut events = vec![Event::Progress {
            run,
            steps: vec![summary],
            batch: Some(batch),
            wasm_memory,
            boundary,
        }];
        events.push(if active.session.is_done() {
            active.state = State::Done;
            Event::Finished {
                run,
                status: active.session.status(),
            }
        } else {
            Event::Paused {
                run,
                update: active.session.updates_done(),
            }
        });
        events
    }

    /// When the next tick is due.
    pub fn schedule(&self) -> Schedule {
        match &self.active {
            Some(a) if a.state == State::Running => match self.speed() {
                Speed::Max => Schedule::After(0.0),
                Speed::PerSecond(n) => Schedule::After(1000.0 / n.max(1) as f64),
                Speed::EpochPerSecond => Schedule::After(a.wait_ms),
            },
            _ => Schedule::Idle,
        }
    }

    /// Trains one slice: at [`Speed::Max`] updates until [`SLICE_MS`] have passed by `now`,
    /// in slow motion exactly one update, at [`Speed::EpochPerSecond`] the updates its pace
    /// says are due (for at most [`SLICE_MS`]; none when the tick came early). Returns the
    /// events to post.
    pub fn tick(&mut self, now: &mut dyn FnMut() -> f64) -> Vec<Event> {
        let speed = self.speed();
        let Some(active) = self.active.as_mut().filter(|a| a.state == State::Running) else {
            return Vec::new();
        };
        let run = active.run;
        let start = now();
        let mut pace = (speed == Speed::EpochPerSecond).then(|| {
            active
                .pace
                .take()
                .unwrap_or_else(|| Pace::new(active.session.updates_per_epoch() as f64))
        });
        let mut steps = Vec::new();
        let mut last = None;
        let mut clock = start;
        loop {
            if let Some(p) = pace.as_mut()
                && p.allowed(clock, active.session.updates_done()) == 0
            {
                break;
            }
            let Some(record) = active.session.step() else {
                break;
            };
            clock = now();
            let elapsed = clock - start;
            steps.push(StepSummary::of(&record, active.trained_ms + elapsed));
            last = Some(record);
            let one_only = matches!(speed, Speed::PerSecond(_));
            if active.session.is_done() || one_only || elapsed >= SLICE_MS {
                break;
            }
        }
        if let Some(mut p) = pace {
            active.wait_ms = p.wait(now(), active.session.updates_done());
            active.pace = Some(p);
            if steps.is_empty() {
                return Vec::new(); // woken before the next update was due
            }
        }
        active.trained_ms += now() - start;
        let done = active.session.is_done();
        if done {
            active.state = State::Done;
        }
        let boundary = if active.mapper.is_none() || steps.is_empty() {
            None
        } else {
            let wall = now();
            let due = done
                || match speed {
                    Speed::Max => active.throttle.due_training(active.trained_ms),
                    Speed::PerSecond(_) | Speed::EpochPerSecond => active.throttle.due_wall(wall),
                };
            due.then(|| {
                let grid = active.grid();
                let cost = now() - wall;
                active.throttle.made(active.trained_ms, wall, cost);
                grid
            })
            .flatten()
        };
        let status = active.session.status();
        let batch = last.map(|r| self.batch_detail(&r));
        let mut events = vec![Event::Progress {
            run,
            steps,
            batch,
            wasm_memory: self.memory(),
            boundary,
        }];
        if done {
            events.push(Event::Finished { run, status });
        }
        events
    }

    fn configure(&mut self, run: RunId, experiment: Experiment) -> Vec<Event> {
        self.active = None;
        self.pending = None;
        if experiment.source == DataSource::Mnist && self.mnist.is_none() {
            self.pending = Some((run, experiment));
            return Vec::new();
        }
        let (train, validation) = match experiment.datasets(self.mnist.as_ref()) {
            Ok(sets) => sets,
            Err(e) => {
                return vec![Event::Error {
                    run,
                    error: RunError::Data(e.to_string()),
                }];
            }
        };
        let points = (train.features == 2).then(|| (train.x.clone(), train.y.clone()));
        let validation_points = (validation.features == 2 && !validation.is_empty())
            .then(|| (validation.x.clone(), validation.y.clone()));
        let mapper = Mapper::new(train.features, train.classes, &train.x);
        let session = match Session::new(experiment.config.clone(), train, validation) {
            Ok(s) => s,
            Err(e) => {
                return vec![Event::Error {
                    run,
                    error: RunError::Config(e),
                }];
            }
        };
        let spec = &session.model().spec;
        let info = RunInfo {
            train_size: session.train_len(),
            validation_size: session.validation_len(),
            batch_size: session.batch_size(),
            updates_per_epoch: session.updates_per_epoch(),
            total_updates: session.total_updates(),
            epochs: experiment.config.epochs,
            features: spec.inputs,
            classes: spec.classes,
            parameter_count: spec.parameter_count(),
            flops_per_sample: spec.train_flops_per_sample(),
            points,
            validation_points,
        };
        let mut active = Active {
            run,
            session,
            state: State::Holding,
            trained_ms: 0.0,
            mapper,
            throttle: Throttle::default(),
            pace: None,
            wait_ms: 0.0,
        };
        let boundary = active.grid();
        self.active = Some(active);
        vec![Event::Ready {
            run,
            info,
            boundary,
        }]
    }

    /// What the page shows of a batch: up to [`BATCH_VIEW_LIMIT`] samples (for MNIST with
    /// their pixels as bytes).
    fn batch_detail(&self, record: &StepRecord) -> BatchDetail {
        let active = self
            .active
            .as_ref()
            .expect("a batch belongs to the active run");
        let data = active.session.train_data();
        let shown = record.batch_indices.len().min(BATCH_VIEW_LIMIT);
        let indices = record.batch_indices[..shown].to_vec();
        let pixels = carries_pixels(data.features).then(|| {
            indices
                .iter()
                .flat_map(|&i| {
                    data.row(i as usize)
                        .iter()
                        .map(|&v| (v * 255.0).round() as u8)
                })
                .collect()
        });
        BatchDetail {
            update: record.update,
            batch_size: record.batch_size,
            labels: indices.iter().map(|&i| data.y[i as usize]).collect(),
            predictions: record.predictions[..shown].to_vec(),
            indices,
            pixels,
        }
    }
}

/// What the page asked to measure on `session`'s model as it stands (the claims cards'
/// sharpness and gradient fan), on its training data, with a workspace of its own.
fn probe(session: &Session, request: ProbeRequest) -> ProbeResult {
    let (model, data) = (session.model(), session.train_data());
    let ws = &mut Workspace::default();
    match request {
        ProbeRequest::Sharpness(probe) => {
            ProbeResult::Sharpness(sharpness::measure(model, data, &probe, ws))
        }
        ProbeRequest::GradientFan {
            batch,
            batches,
            seed,
        } => {
            let rows = fan::batches(data.len(), batch, batches, seed);
            ProbeResult::GradientFan(fan::cosines(model, data, &rows, ws))
        }
    }
}
