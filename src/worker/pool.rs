//! A pool of worker hosts and their job queue: it owns every decision about the page's
//! trainer workers — which worker trains which job, when one is spawned, restarted or
//! ended, and when a dead one is given up on — as plain Rust tested natively with an
//! injected clock (tests/worker_pool.rs); the browser shell (`worker::shell`, wasm32 only)
//! carries out its [`Action`]s.
//!
//! Why one pool: the single run, the sweep, seed repeats and side-by-side runs all train
//! jobs in workers, and each must survive a worker that crashes, falls silent or cannot be
//! downloaded, and be cancelled. Written once here, each page part only says what to
//! train and reads what happened. The single run is a pool of one that keeps its idle
//! worker (`keep_idle` 1: the next run reuses it, MNIST already decoded); the sweep a pool
//! of `sweep::worker_count()` that ends each worker when the queue is empty (`keep_idle` 0).
//!
//! How to use it (through the shell, which has the same methods):
//! - [`Pool::submit`] a [`Job`] (run id, experiment, seed; its speed and whether it starts
//!   once ready). Jobs wait in the queue in the order submitted (a caller that wants the
//!   longest first submits them in that order) and go to the first free worker; a free
//!   slot without a worker gets a fresh one.
//! - [`Pool::send`] a command to a job's run (Start, Pause, Step, Speed…): the pool routes
//!   it to the worker that trains it and learns from it what that worker now owes.
//! - [`Pool::cancel`] one job or [`Pool::cancel_all`]: a queued job is dropped; a placed
//!   one is reset (its worker is kept or ended by `keep_idle`). Cancelled jobs report
//!   nothing more.
//! - Every outcome reaches the caller as a [`PoolEvent`]: the worker events of its jobs
//!   (every one carries its run id; events of cancelled or left runs are dropped here),
//!   [`PoolEvent::Stopped`] when a job's worker died, and [`PoolEvent::Workers`] when the
//!   count of live workers changes.
//!
//! A job whose worker dies is **failed, never re-queued**: what it recorded stays the
//! caller's, and running the same run id again would mix two trainings in one record. The
//! caller decides whether to submit a new job (the single run does, with its current
//! settings; the sweep keeps the partial row and goes on). The pool itself restarts
//! workers — the next job gets a fresh one — but not endlessly: after [`MAX_RESTARTS`]
//! deaths in a row without any worker reaching `Ready`, or at once when the dead worker's
//! own files did not download (it never said anything, and fetching its files fails), it
//! halts: queued and new jobs are stopped with the fault until the caller's [`Pool::retry`]
//! (the student's Retry or Train).

use super::host::{Heard, Host, Job};
use super::protocol::{Command, DownloadFailure, Event, RunId, WorkerFault};
use std::collections::VecDeque;

/// Worker deaths in a row, with no worker reaching `Ready` in between, after which the pool
/// stops starting fresh ones (a worker that dies while configuring would otherwise restart
/// forever) until [`Pool::retry`].
pub const MAX_RESTARTS: u32 = 2;

/// What the pool tells its caller.
// Nearly every value is a `Worker` event, passed on once: boxing it would only add an
// allocation per message.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum PoolEvent {
    /// An event of one of the pool's jobs, in the order the worker sent them.
    Worker(Event),
    /// The job's worker died (or the pool had halted before it could run): the job is over
    /// and will not run again; what it recorded stands. `halted`: the pool starts no more
    /// workers until [`Pool::retry`].
    Stopped {
        run: RunId,
        fault: WorkerFault,
        halted: bool,
    },
    /// Workers alive now.
    Workers(usize),
}

/// What the browser shell must do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start a fresh worker in `slot`; its events and `error`s carry `serial`.
    Spawn {
        slot: usize,
        serial: u64,
    },
    Send {
        slot: usize,
        command: Command,
    },
    /// End the worker in `slot` (terminate it, drop its bridge; nothing if there is none).
    End {
        slot: usize,
    },
    /// The worker in `slot` died before saying anything: fetch its files and call
    /// [`Pool::probed`] with what failed.
    Probe {
        slot: usize,
        serial: u64,
    },
    Report(PoolEvent),
}

/// The pool's state; every method takes the page clock `now` (ms) and leaves actions for
/// [`Pool::take_actions`].
#[derive(Clone, Debug)]
pub struct Pool {
    hosts: Vec<Host>,
    queue: VecDeque<Job>,
    keep_idle: usize,
    serial: u64,
    deaths_in_a_row: u32,
    halted: Option<WorkerFault>,
    live: usize,
    actions: Vec<Action>,
}

impl Pool {
    /// A pool of `size` workers (at least one) that keeps `keep_idle` of them alive while
    /// no job needs them. No worker starts before a job is submitted.
    pub fn new(size: usize, keep_idle: usize) -> Pool {
        Pool {
            hosts: vec![Host::default(); size.max(1)],
            queue: VecDeque::new(),
            keep_idle,
            serial: 0,
            deaths_in_a_row: 0,
            halted: None,
            live: 0,
            actions: Vec::new(),
        }
    }

    /// The actions decided since the last call, in order.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    /// Slots (the most workers at once).
    pub fn size(&self) -> usize {
        self.hosts.len()
    }

    /// Workers alive now.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Why the pool halted, if it has (see [`Pool::retry`]).
    pub fn halted(&self) -> Option<WorkerFault> {
        self.halted
    }

    /// The jobs waiting for a worker, in the order they will start.
    pub fn queued(&self) -> impl Iterator<Item = &Job> {
        self.queue.iter()
    }

    /// The run each slot trains.
    pub fn placed(&self) -> Vec<Option<RunId>> {
        self.hosts.iter().map(Host::run).collect()
    }

    /// The first slot with a live worker (the test-fault hook's target).
    pub fn first_live_slot(&self) -> Option<usize> {
        self.hosts.iter().position(|h| h.live().is_some())
    }

    /// Queues `job`; it starts at once if a worker is free (or a slot has none yet).
    pub fn submit(&mut self, job: Job, now: f64) {
        if let Some(fault) = self.halted {
            self.report(PoolEvent::Stopped {
                run: job.run,
                fault,
                halted: true,
            });
            return;
        }
        self.queue.push_back(job);
        self.assign(now);
    }

    /// Sends `command` to the worker training its run (a queued job only takes a new
    /// speed); false when no job of the pool has that run.
    pub fn send(&mut self, command: Command, now: f64) -> bool {
        let run = command.run();
        if let Command::Reset { .. } = command {
            return self.cancel(run, now);
        }
        if let Some(job) = self.queue.iter_mut().find(|j| j.run == run) {
            if let Command::Speed { speed, .. } = command {
                job.speed = speed;
            }
            return true;
        }
        let Some(slot) = self.hosts.iter().position(|h| h.run() == Some(run)) else {
            return false;
        };
        self.hosts[slot].sent(&command, now);
        self.actions.push(Action::Send { slot, command });
        true
    }

    /// Drops `run`'s job: from the queue, or reset on its worker. False if there is none.
    pub fn cancel(&mut self, run: RunId, now: f64) -> bool {
        if let Some(i) = self.queue.iter().position(|j| j.run == run) {
            self.queue.remove(i);
            return true;
        }
        let Some(slot) = self.hosts.iter().position(|h| h.run() == Some(run)) else {
            return false;
        };
        self.hosts[slot].placed = None;
        if self.hosts[slot].live().is_some() {
            let command = Command::Reset { run };
            self.actions.push(Action::Send { slot, command });
        }
        self.assign(now);
        true
    }

    /// Drops every job, queued and placed (idle workers beyond `keep_idle` end).
    pub fn cancel_all(&mut self, now: f64) {
        self.queue.clear();
        let runs: Vec<RunId> = self.hosts.iter().filter_map(Host::run).collect();
        for run in runs {
            self.cancel(run, now);
        }
        self.assign(now);
    }

    /// Clears a halt and the count of deaths: workers start again for queued and new jobs.
    pub fn retry(&mut self, now: f64) {
        self.halted = None;
        self.deaths_in_a_row = 0;
        self.assign(now);
    }

    /// The worker in `slot` numbered `serial` sent `event`.
    pub fn on_event(&mut self, slot: usize, serial: u64, event: Event, now: f64) {
        let Some(host) = self.hosts.get_mut(slot) else {
            return;
        };
        let heard = host.heard(serial, &event, now);
        if heard == Heard::Stale {
            return;
        }
        if matches!(event, Event::Ready { .. }) {
            self.deaths_in_a_row = 0;
        }
        let run = event.run();
        self.report(PoolEvent::Worker(event));
        match heard {
            Heard::StartNow => {
                let command = Command::Start { run };
                self.actions.push(Action::Send { slot, command });
            }
            Heard::Ended => self.assign(now),
            Heard::Job | Heard::Stale => {}
        }
    }

    /// The worker in `slot` numbered `serial` reported an `error` event (a panic, a trap,
    /// out of memory, or a script that did not load).
    pub fn on_error(&mut self, slot: usize, serial: u64, now: f64) {
        self.dead(slot, serial, WorkerFault::Crashed, now);
    }

    /// Every [`super::watchdog::CHECK_EVERY_MS`]: workers silent while they owe an answer
    /// are dead.
    pub fn check(&mut self, now: f64) {
        for slot in 0..self.hosts.len() {
            if self.hosts[slot].silent(now) {
                let serial = self.hosts[slot].worker.as_ref().map_or(0, |w| w.serial);
                self.dead(slot, serial, WorkerFault::Silent, now);
            }
        }
    }

    /// What fetching a dead worker's files found (`None`: they download, so it crashed or
    /// hung for another reason).
    pub fn probed(&mut self, slot: usize, serial: u64, failure: Option<DownloadFailure>, now: f64) {
        let Some(w) = self
            .hosts
            .get(slot)
            .and_then(|h| h.worker.as_ref())
            .filter(|w| w.serial == serial)
        else {
            return;
        };
        let Some(fault) = w.probing else {
            return;
        };
        let fault = failure.map_or(fault, WorkerFault::Download);
        self.died(slot, fault, now);
    }

    /// The worker in `slot` numbered `serial` is dead of `fault`. One that never said
    /// anything may not have loaded at all: it is ended now, and its files are fetched
    /// before its death is reported.
    fn dead(&mut self, slot: usize, serial: u64, fault: WorkerFault, now: f64) {
        let Some(w) = self
            .hosts
            .get_mut(slot)
            .and_then(|h| h.worker.as_mut())
            .filter(|w| w.serial == serial && w.probing.is_none())
        else {
            return; // an earlier worker's, or already handled
        };
        if w.heard {
            self.died(slot, fault, now);
        } else {
            w.probing = Some(fault);
            self.actions.push(Action::End { slot });
            self.actions.push(Action::Probe { slot, serial });
            self.count_live();
        }
    }

    /// The worker in `slot` is gone for good: its job is stopped, and the pool either goes
    /// on with fresh workers or halts.
    fn died(&mut self, slot: usize, fault: WorkerFault, now: f64) {
        let host = &mut self.hosts[slot];
        let probed = host.worker.take().is_some_and(|w| w.probing.is_some());
        if !probed {
            self.actions.push(Action::End { slot });
        }
        let job = host.placed.take();
        self.deaths_in_a_row += 1;
        let halt = matches!(fault, WorkerFault::Download(_)) || self.deaths_in_a_row > MAX_RESTARTS;
        if halt {
            self.halted = Some(fault);
        }
        if let Some(p) = job {
            self.report(PoolEvent::Stopped {
                run: p.job.run,
                fault,
                halted: halt,
            });
        }
        if halt {
            for job in std::mem::take(&mut self.queue) {
                self.report(PoolEvent::Stopped {
                    run: job.run,
                    fault,
                    halted: true,
                });
            }
        }
        self.assign(now);
    }

    /// Gives queued jobs to free workers (spawning where a slot has none, unless halted),
    /// then ends idle workers beyond `keep_idle`.
    fn assign(&mut self, now: f64) {
        while self.halted.is_none() && !self.queue.is_empty() {
            let slot = match self.hosts.iter().position(Host::idle) {
                Some(slot) => slot,
                None => match self.hosts.iter().position(|h| h.worker.is_none()) {
                    Some(slot) => {
                        self.serial += 1;
                        let serial = self.serial;
                        self.hosts[slot].spawned(serial, now);
                        self.actions.push(Action::Spawn { slot, serial });
                        slot
                    }
                    None => break,
                },
            };
            let job = self.queue.pop_front().expect("not empty");
            for command in self.hosts[slot].place(job) {
                self.actions.push(Action::Send { slot, command });
            }
        }
        let mut idle = self.hosts.iter().filter(|h| h.idle()).count();
        for slot in (0..self.hosts.len()).rev() {
            if idle <= self.keep_idle {
                break;
            }
            if self.hosts[slot].idle() {
                self.hosts[slot].worker = None;
                self.actions.push(Action::End { slot });
                idle -= 1;
            }
        }
        self.count_live();
    }

    fn count_live(&mut self) {
        let live = self.hosts.iter().filter(|h| h.live().is_some()).count();
        if live != self.live {
            self.live = live;
            self.report(PoolEvent::Workers(live));
        }
    }

    fn report(&mut self, event: PoolEvent) {
        self.actions.push(Action::Report(event));
    }
}
