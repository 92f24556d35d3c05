//! One worker as the page holds it — is it alive, which job it trains and how far that job
//! has got — free of any browser API so its decisions are tested natively with an injected
//! clock (tests/worker_pool.rs).
//!
//! Why a host of its own: whether a silent worker is dead depends on what it owes (an
//! answer to `Configure`, a stream of `Progress` while training, the answer to a Pause or
//! Step, nothing while it holds a run), and that follows from the commands sent and the
//! events heard. The host sees both, so the rule is written once here rather than in every
//! page part that trains. A [`super::pool::Pool`] holds several hosts and their job queue.

use super::protocol::{Command, Event, RunId, RunInfo, Speed, WorkerFault};
use super::watchdog::{self, Watchdog};
use crate::experiment::{DataSource, Experiment};

/// One run to train: its id, the experiment, and how the worker is to run it.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub run: RunId,
    /// The experiment trained (its `config.seed` is the job's seed).
    pub experiment: Experiment,
    /// The pace; a worker starts at [`Speed::Max`].
    pub speed: Speed,
    /// Start training as soon as the run is ready (the sweep, seed repeats); without it the
    /// run holds at update 0 until the caller sends `Start` (the single run's Train).
    pub start: bool,
    /// Keep the run on its worker after it finishes, at its final weights, until the caller
    /// cancels it: a probe of the minimum it ended in (the claims' sharpness) is asked then.
    /// The worker owes nothing meanwhile, so a long probe is never taken for silence.
    pub hold: bool,
}

impl Job {
    /// `experiment` with `seed`, trained at full speed from the moment it is ready.
    pub fn new(run: RunId, mut experiment: Experiment, seed: u64) -> Job {
        experiment.config.seed = seed;
        Job {
            run,
            experiment,
            speed: Speed::Max,
            start: true,
            hold: false,
        }
    }

    /// The job's seed.
    pub fn seed(&self) -> u64 {
        self.experiment.config.seed
    }
}

/// How far a job on a worker has got, as far as what the worker owes goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// `Configure` sent, no `Ready` yet.
    Configuring,
    /// MNIST is downloading for it.
    Loading,
    /// Ready, paused or stepped: the worker owes nothing (unless asked).
    Holding,
    /// Training: a `Progress` every slice.
    Training,
}

/// A job placed on a worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub job: Job,
    pub stage: Stage,
    /// What the worker said about the run when it was ready (sets the silence limit).
    pub info: Option<RunInfo>,
}

/// A live worker (spawned, not known dead).
#[derive(Clone, Debug, PartialEq)]
pub struct Worker {
    /// Tells this worker's messages and `error` events from an earlier one's in the slot.
    pub serial: u64,
    watchdog: Watchdog,
    /// Whether it has said anything at all (a worker that never did may not have loaded).
    pub heard: bool,
    /// Dead and ended, but why is still being found out: its files are being fetched to see
    /// whether they download; the fault to report if they do.
    pub probing: Option<WorkerFault>,
}

/// What an event meant for the host's job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// Not from this worker, or about a run it no longer trains: drop it.
    Stale,
    /// About the job, which goes on.
    Job,
    /// The job's run is ready and is to start now (the host already counts it as training).
    StartNow,
    /// The job's last event (finished or failed): the host is free.
    Ended,
}

/// One slot of a pool: maybe a worker, maybe a job on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Host {
    pub worker: Option<Worker>,
    pub placed: Option<Placed>,
}

impl Host {
    /// A worker that is alive and not being probed.
    pub fn live(&self) -> Option<&Worker> {
        self.worker.as_ref().filter(|w| w.probing.is_none())
    }

    /// A live worker with no job: ready for the next one.
    pub fn idle(&self) -> bool {
        self.live().is_some() && self.placed.is_none()
    }

    /// The run this host trains, if any.
    pub fn run(&self) -> Option<RunId> {
        self.placed.as_ref().map(|p| p.job.run)
    }

    /// A fresh worker numbered `serial`, spawned at `now`.
    pub fn spawned(&mut self, serial: u64, now: f64) {
        self.worker = Some(Worker {
            serial,
            watchdog: Watchdog::new(now),
            heard: false,
            probing: None,
        });
    }

    /// Puts `job` on the worker: the commands that configure it.
    pub fn place(&mut self, job: Job) -> [Command; 2] {
        let run = job.run;
        let commands = [
            Command::Speed {
                run,
                speed: job.speed,
            },
            Command::Configure {
                run,
                experiment: job.experiment.clone(),
            },
        ];
        self.placed = Some(Placed {
            job,
            stage: Stage::Configuring,
            info: None,
        });
        commands
    }

    /// `command` is sent to the job's worker at `now`: what it makes the worker owe.
    pub fn sent(&mut self, command: &Command, now: f64) {
        let Some(p) = self.placed.as_mut().filter(|p| p.job.run == command.run()) else {
            return;
        };
        match command {
            Command::Start { .. } | Command::Resume { .. } if p.stage == Stage::Holding => {
                p.stage = Stage::Training
            }
            // Always answered (`Paused`, or the step's `Progress`).
            Command::Pause { .. } | Command::Step { .. } => {
                if p.stage == Stage::Training {
                    p.stage = Stage::Holding;
                }
                if let Some(w) = self.worker.as_mut() {
                    w.watchdog.asked(now);
                }
            }
            Command::Speed { speed, .. } => p.job.speed = *speed,
            _ => {}
        }
    }

    /// The worker numbered `serial` said `event` at `now`.
    pub fn heard(&mut self, serial: u64, event: &Event, now: f64) -> Heard {
        let Some(w) = self
            .worker
            .as_mut()
            .filter(|w| w.serial == serial && w.probing.is_none())
        else {
            return Heard::Stale;
        };
        w.watchdog.heard(now);
        w.heard = true;
        let Some(p) = self.placed.as_mut().filter(|p| p.job.run == event.run()) else {
            return Heard::Stale;
        };
        match event {
            Event::Loading { .. } => p.stage = Stage::Loading,
            Event::Ready { info, .. } => {
                p.info = Some(info.clone());
                p.stage = if p.job.start {
                    Stage::Training
                } else {
                    Stage::Holding
                };
                if p.job.start {
                    return Heard::StartNow;
                }
            }
            Event::Paused { .. } => p.stage = Stage::Holding,
            Event::Progress { .. } | Event::Probed { .. } => {}
            Event::Finished { .. } if p.job.hold => p.stage = Stage::Holding,
            Event::Finished { .. } | Event::Error { .. } => {
                self.placed = None;
                return Heard::Ended;
            }
        }
        Heard::Job
    }

    /// How long the worker may stay silent while it owes something: MNIST may download
    /// before a run is ready, else one update and a validation pass at the slowest speed.
    pub fn silence_limit_ms(&self) -> f64 {
        match &self.placed {
            Some(p)
                if matches!(p.stage, Stage::Configuring | Stage::Loading)
                    && p.job.experiment.source == DataSource::Mnist =>
            {
                watchdog::DOWNLOAD_LIMIT_MS
            }
            Some(p) => watchdog::silence_limit_ms(p.info.as_ref()),
            None => watchdog::silence_limit_ms(None),
        }
    }

    /// Every [`watchdog::CHECK_EVERY_MS`]: true when the live worker is dead by silence.
    pub fn silent(&mut self, now: f64) -> bool {
        let streaming = self.placed.as_ref().is_some_and(|p| {
            matches!(
                p.stage,
                Stage::Configuring | Stage::Loading | Stage::Training
            )
        });
        let limit = self.silence_limit_ms();
        match self.worker.as_mut().filter(|w| w.probing.is_none()) {
            Some(w) => w.watchdog.check(now, streaming, limit),
            None => false,
        }
    }
}
