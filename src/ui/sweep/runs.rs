//! The sweep's runs: its (B, seed) jobs in a pool of workers ([`crate::worker::pool`]:
//! scheduling, a dead worker, cancel), each run recorded twice: in the lab's history (the
//! sweep's group on the charts, each size's seeds in one slot, [`crate::history::MAX_SWEEP_SIZES`]
//! sizes) and in a record of the sweep's own, read into a [`SeedRun`] when the run ends and then
//! dropped, so no run's result depends on what the charts still keep.

use super::{SweepPhase, SweepResults};
use crate::experiment::Experiment;
use crate::history::RunHistory;
use crate::sweep::seeds::{self, SeedRun, job_order};
use crate::sweep::{
    Crossing, SweepMode, default_budget, default_sizes, default_target, seed_experiment,
    sizes_within, worker_count,
};
use crate::trainer::session::updates_per_epoch;
use crate::ui::lab::Lab;
use crate::worker::host::Job;
use crate::worker::pool::PoolEvent;
use crate::worker::protocol::{Event, RunId, WorkerFault};
use crate::worker::shell::WorkerPool;
use leptos::prelude::*;

/// Sweep runs are numbered from here, apart from the single-run path's ids.
const FIRST_SWEEP_RUN: RunId = 1 << 31;

/// One job: a batch size and a seed, with its run id.
#[derive(Clone, Copy, Debug)]
struct SweepJob {
    batch: usize,
    seed: u64,
    run: RunId,
}

/// One sweep in progress.
struct Active {
    base: Experiment,
    target: f64,
    mode: SweepMode,
    budget: usize,
    seeds: usize,
    /// In the order submitted ([`job_order`]).
    jobs: Vec<SweepJob>,
    /// The sweep's own record of each run in progress.
    records: Vec<RunHistory>,
    /// Runs that ended, read.
    ended: Vec<SeedRun>,
    /// Its workers (ending the pool ends them).
    pool: WorkerPool,
    workers: usize,
    started_ms: f64,
}

impl Active {
    fn job(&self, run: RunId) -> Option<SweepJob> {
        self.jobs.iter().copied().find(|j| j.run == run)
    }

    fn experiment(&self, job: SweepJob) -> Experiment {
        seed_experiment(
            &self.base,
            job.batch,
            job.seed,
            self.mode,
            self.budget,
            self.target,
        )
    }

    /// Reads `run`'s record into a [`SeedRun`] and drops the record.
    fn end(&mut self, run: RunId, failed: bool) -> bool {
        let Some(job) = self.job(run) else {
            return false;
        };
        let read = match self.records.iter().position(|r| r.run == run) {
            Some(i) => seeds::seed_run(&self.records.swap_remove(i), job.seed, self.target),
            // Ended before its first event (its worker failed at once): nothing recorded.
            None => SeedRun {
                batch_size: job.batch,
                updates_per_epoch: updates_per_epoch(self.base.train_size, job.batch),
                seed: job.seed,
                crossing: None,
                done: Crossing {
                    update: 0.0,
                    samples: 0.0,
                    seconds: 0.0,
                },
                noise: None,
                final_validation: None,
                finished: false,
                failed,
            },
        };
        self.ended.push(SeedRun { failed, ..read });
        true
    }
}

/// The sweep's state: signals the panel reads and the workers' bookkeeping.
#[derive(Clone, Copy)]
pub struct Sweep {
    pub lab: Lab,
    pub phase: RwSignal<SweepPhase>,
    pub results: RwSignal<Option<SweepResults>>,
    /// Why the sweep's pool stopped starting workers (their files did not download, or they
    /// kept dying), until the next sweep.
    pub halted: RwSignal<Option<WorkerFault>>,
    active: StoredValue<Option<Active>, LocalStorage>,
    next_id: StoredValue<RunId>,
}

impl Sweep {
    pub fn new(lab: Lab) -> Self {
        Sweep {
            lab,
            phase: RwSignal::new(SweepPhase::Idle),
            results: RwSignal::new(None),
            halted: RwSignal::new(None),
            active: StoredValue::new_local(None),
            next_id: StoredValue::new(FIRST_SWEEP_RUN),
        }
    }

    /// The batch sizes the sweep will use: the student's list, or the default for N.
    pub fn sizes(&self) -> Vec<usize> {
        let e = self.lab.experiment.get();
        self.lab
            .sweep_sizes
            .get()
            .map(|s| sizes_within(&s, e.train_size))
            .unwrap_or_else(|| default_sizes(e.train_size))
    }

    /// The target validation accuracy (fraction): the student's, or the data set's default.
    pub fn target(&self) -> f64 {
        self.lab
            .sweep_target
            .get()
            .unwrap_or_else(|| default_target(self.lab.experiment.get().source))
    }

    /// Each run's budget in epochs: the student's, or [`default_budget`].
    pub fn budget(&self) -> usize {
        self.lab.sweep_budget.get().unwrap_or_else(|| {
            default_budget(&self.lab.experiment.get(), self.lab.sweep_mode.get())
        })
    }

    /// Starts a sweep of the current setup (pausing a single run in progress): every
    /// (B, seed) job, longest expected first ([`job_order`]).
    pub fn start(self) {
        self.cancel_workers();
        self.halted.set(None);
        self.lab.pause();
        let (base, sizes, target, budget) = untrack(|| {
            (
                self.lab.experiment.get(),
                self.sizes(),
                self.target(),
                self.budget(),
            )
        });
        let mode = self.lab.sweep_mode.get_untracked();
        let seeds = self.lab.sweep_seeds.get_untracked().max(1);
        let jobs: Vec<SweepJob> = job_order(&sizes, seeds, base.config.seed, mode)
            .into_iter()
            .map(|(batch, seed)| {
                let run = self.next_id.get_value();
                self.next_id
                    .set_value(run.wrapping_add(1).max(FIRST_SWEEP_RUN));
                SweepJob { batch, seed, run }
            })
            .collect();
        let hardware = crate::ui::cores();
        let count = self
            .lab
            .sweep_workers
            .get_untracked()
            .unwrap_or_else(|| worker_count(hardware, jobs.len()))
            .clamp(1, jobs.len().max(1));
        let total = jobs.len();
        let pool = WorkerPool::new(count, 0, move |event| self.on_pool_event(event));
        let active = Active {
            base,
            target,
            mode,
            budget,
            seeds: seeds as usize,
            jobs,
            records: Vec::new(),
            ended: Vec::new(),
            pool: pool.clone(),
            workers: count,
            started_ms: super::super::now_ms(),
        };
        let submitted: Vec<Job> = (active.jobs.iter())
            .map(|&j| Job::new(j.run, active.experiment(j), j.seed))
            .collect();
        self.active.set_value(Some(active));
        self.results.set(None);
        self.phase.set(SweepPhase::Running { done: 0, total });
        for job in submitted {
            pool.submit(job);
        }
    }

    /// What the sweep's pool reports (a cancelled sweep's pool reports nothing).
    fn on_pool_event(self, event: PoolEvent) {
        match event {
            PoolEvent::Worker(event) => self.on_event(event),
            PoolEvent::Stopped { run, fault, halted } => {
                if halted {
                    self.halted.set(Some(fault));
                }
                self.run_stopped(run, fault)
            }
            PoolEvent::Workers(n) => self.lab.sweep_live.set(n),
        }
    }

    /// The worker of `run` stopped (crashed, fell silent, or could not be downloaded): the
    /// run keeps what it recorded and is noted as failed; the pool goes on with the next.
    fn run_stopped(self, run: RunId, _fault: WorkerFault) {
        let ended = self
            .active
            .try_update_value(|a| a.as_mut().is_some_and(|a| a.end(run, true)));
        if ended == Some(true) {
            self.run_done();
        }
    }

    /// For the end-to-end tests: `sweep-crash` / `sweep-silence` fail the first worker
    /// (see [`crate::ui::test_fault`]).
    pub fn install_fault_hook(self) {
        crate::ui::test_fault::listen(move |detail| {
            let Some(fault) = detail.strip_prefix("sweep-") else {
                return;
            };
            if let Some(pool) = self.pool() {
                pool.with_first_worker(|worker| crate::ui::test_fault::inflict(worker, fault));
            }
        });
    }

    /// The running sweep's pool (a handle: never call it while `active` is borrowed).
    fn pool(&self) -> Option<WorkerPool> {
        self.active
            .with_value(|a| a.as_ref().map(|a| a.pool.clone()))
    }

    /// One event of one of the sweep's runs.
    fn on_event(self, event: Event) {
        let run = event.run();
        let lab = self.lab;
        match event {
            Event::Ready { info, .. } => {
                let begun = self.active.try_update_value(|a| {
                    let a = a.as_mut()?;
                    let experiment = a.experiment(a.job(run)?);
                    a.records
                        .push(RunHistory::new(run, experiment.clone(), info.clone()));
                    Some((a.jobs[0].run, experiment))
                });
                if let Some(Some((group, experiment))) = begun {
                    lab.history
                        .update_value(|h| h.begin_sweep(group, run, experiment, info));
                    lab.version.update(|v| *v += 1);
                }
            }
            Event::Progress { steps, .. } => {
                let ours = self.active.try_update_value(|a| {
                    let record = a.as_mut()?.records.iter_mut().find(|r| r.run == run)?;
                    steps.iter().for_each(|s| record.record(s));
                    Some(())
                });
                if ours.flatten().is_some() {
                    lab.history.update_value(|h| {
                        if let Some(record) = h.get_mut(run) {
                            steps.iter().for_each(|s| record.record(s));
                        }
                    });
                    lab.version.update(|v| *v += 1);
                }
            }
            Event::Finished { status, .. } => {
                lab.history.update_value(|h| {
                    if let Some(record) = h.get_mut(run) {
                        record.status = Some(status);
                    }
                });
                let ended = self.active.try_update_value(|a| {
                    let a = a.as_mut()?;
                    if let Some(r) = a.records.iter_mut().find(|r| r.run == run) {
                        r.status = Some(status);
                    }
                    Some(a.end(run, false))
                });
                if ended == Some(Some(true)) {
                    self.run_done();
                }
            }
            Event::Error { .. } => {
                let ended = self
                    .active
                    .try_update_value(|a| a.as_mut().is_some_and(|a| a.end(run, false)));
                if ended == Some(true) {
                    self.run_done();
                }
            }
            Event::Loading { .. } | Event::Paused { .. } | Event::Probed { .. } => {}
        }
    }

    fn run_done(self) {
        let progress = self
            .active
            .with_value(|a| a.as_ref().map(|a| (a.ended.len(), a.jobs.len())));
        let Some((done, total)) = progress else {
            return;
        };
        self.phase.set(SweepPhase::Running { done, total });
        if done == total {
            self.finish();
        }
    }

    /// All runs ended: the results, from the runs read.
    fn finish(self) {
        let Some(a) = self.active.try_update_value(Option::take).flatten() else {
            return;
        };
        let seconds = (super::super::now_ms() - a.started_ms) / 1000.0;
        let runs = a.ended.clone();
        let failed = {
            let mut f: Vec<usize> = runs
                .iter()
                .filter(|r| r.failed)
                .map(|r| r.batch_size)
                .collect();
            f.sort_unstable();
            f.dedup();
            f
        };
        self.results.set(Some(SweepResults {
            target: a.target,
            mode: a.mode,
            budget: a.budget,
            seeds: a.seeds,
            rows: seeds::rows(&runs),
            fit: seeds::fit_outcome(&runs, a.mode),
            noise_scale: seeds::noise_scale(&runs),
            train_seconds: runs.iter().map(|r| r.done.seconds).sum(),
            runs,
            seconds,
            workers: a.workers,
            rule: a.base.config.schedule.rule,
            failed,
        }));
        self.phase.set(SweepPhase::Done);
        self.lab.version.update(|v| *v += 1);
        a.pool.cancel_all(); // nothing is left; ends any worker still idle
        end_later(a);
    }

    /// Cancel: every worker of the sweep ends at once; runs keep what they recorded.
    pub fn cancel(self) {
        if let SweepPhase::Running { done, .. } = self.phase.get_untracked() {
            self.cancel_workers();
            self.phase.set(SweepPhase::Cancelled { done });
        }
    }

    /// Ends the sweep's workers at once (its runs keep what they recorded).
    fn cancel_workers(self) {
        let active = self.active.try_update_value(Option::take).flatten();
        if let Some(a) = &active {
            a.pool.cancel_all();
        }
        self.lab.sweep_live.set(0);
        end_later(active);
    }
}

/// Drops a finished or cancelled sweep (its pool) in a task of its own: a pool must not be
/// dropped inside its own worker's message callback, which is where a sweep's last event
/// arrives.
fn end_later<T: 'static>(active: T) {
    crate::ui::in_next_task(move || drop(active));
}
