//! The cards' runs in the browser: a card's jobs ([`crate::claims::runner::jobs`]) trained
//! in a pool of workers ([`crate::worker::shell::WorkerPool`], as the sweep does: the same
//! scheduling, dead-worker handling and cancel), each run recorded as the lab records runs
//! ([`RunHistory`]) and read by the pure runner when it ends. One card trains at a time;
//! Run on another card (or Run all) queues it.

use crate::claims::runner::{self, ClaimJob, Reading, Readings};
use crate::claims::{Claim, Measure, Plan, markdown};
use crate::history::RunHistory;
use crate::sweep::worker_count;
use crate::trainer::session::Status;
use crate::ui::lab::Lab;
use crate::worker::host::Job;
use crate::worker::pool::PoolEvent;
use crate::worker::protocol::{Command, Event, ProbeResult, RunId, WorkerFault};
use crate::worker::shell::WorkerPool;
use leptos::prelude::*;

/// Card runs are numbered from here, apart from the single run's ids (from 1) and the
/// sweep's (from 2³¹).
const FIRST_CLAIM_RUN: RunId = 1 << 30;

/// Where a card stands (its `data-state`).
#[derive(Clone, Debug, PartialEq)]
pub enum CardPhase {
    Idle,
    /// Waiting for the card before it to finish.
    Queued,
    Running {
        done: usize,
        total: usize,
    },
    Done,
    Cancelled,
}

impl CardPhase {
    pub fn key(&self) -> &'static str {
        match self {
            CardPhase::Idle | CardPhase::Queued => "idle",
            CardPhase::Running { .. } => "running",
            CardPhase::Done => "done",
            CardPhase::Cancelled => "cancelled",
        }
    }
}

/// What a card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub phase: CardPhase,
    pub result: Option<runner::CardResult>,
    /// Each arm's mean final validation accuracy (points), as the lab's run list shows
    /// the arm's group.
    pub arm_means: Vec<Option<f64>>,
    /// Each arm's mean of the card's first measure ([`runner::arm_headline_means`]).
    pub arm_values: Vec<Option<f64>>,
    /// Click to last run ended, seconds.
    pub seconds: Option<f64>,
    /// The largest wasm memory a worker of the card reported, bytes.
    pub wasm_memory: Option<u64>,
    /// The slope chart, times to the target, gaps ([`runner::details`]).
    pub details: runner::Details,
}

impl Card {
    fn idle() -> Self {
        Card {
            phase: CardPhase::Idle,
            result: None,
            arm_means: Vec::new(),
            arm_values: Vec::new(),
            seconds: None,
            wasm_memory: None,
            details: runner::Details::default(),
        }
    }
}

/// The card in training.
struct Active {
    claim: Claim,
    plan: Plan,
    jobs: Vec<ClaimJob>,
    /// Records of runs in progress.
    records: Vec<RunHistory>,
    readings: Readings,
    ended: usize,
    pool: WorkerPool,
    started_ms: f64,
    /// After this many training seconds a run has all the card needs.
    cut: Option<f64>,
    wasm_memory: Option<u64>,
    /// The gradient-fan cosines each run's probes measured so far.
    cosines: Vec<(RunId, Vec<Option<f64>>)>,
    /// The top Hessian eigenvalue each run ended at (the sharpness card).
    sharpness: Vec<(RunId, f64)>,
}

impl Active {
    fn job(&self, run: RunId) -> Option<&ClaimJob> {
        self.jobs.iter().find(|j| j.run == run)
    }

    /// Ends `run`: its record becomes a reading. False if it is not a job in progress.
    fn end(&mut self, run: RunId) -> bool {
        let Some(job) = self.job(run).cloned() else {
            return false;
        };
        let Some(k) = self.plan.seeds.iter().position(|&s| s == job.seed) else {
            return false;
        };
        if self.readings[job.arm][k].is_some() {
            return false;
        }
        let record = match self.records.iter().position(|r| r.run == run) {
            Some(i) => self.records.swap_remove(i),
            None => {
                self.ended += 1; // failed before its first event: nothing to read
                return true;
            }
        };
        let cosines = (self.cosines.iter())
            .find(|(r, _)| *r == run)
            .map_or(&[][..], |(_, c)| c.as_slice());
        let sharpness = (self.sharpness.iter())
            .find(|(r, _)| *r == run)
            .map(|&(_, v)| v);
        self.readings[job.arm][k] = Some(Reading {
            record,
            probe: sharpness.or_else(|| runner::mean_cosine(cosines)),
        });
        self.ended += 1;
        true
    }
}

/// The training seconds after which every measure of `plan` is known (its time budget),
/// if all its measures are read at a time.
fn cut(plan: &Plan) -> Option<f64> {
    let mut budget = None;
    for c in &plan.contrasts {
        match *c {
            crate::claims::Contrast::Arms {
                measure: Measure::ValAccuracyAtSeconds(s),
                ..
            } => budget = Some(budget.map_or(s, |b: f64| b.max(s))),
            _ => return None,
        }
    }
    budget
}

/// The panel's state: every card, and the one training.
#[derive(Clone, Copy)]
pub struct Claims {
    pub lab: Lab,
    /// One per [`Claim::ALL`], in order.
    pub cards: RwSignal<Vec<Card>>,
    /// Every card's readings of its last run (for "Open in the lab").
    readings: StoredValue<Vec<Option<Readings>>>,
    /// The cards run so far, in order, for the Markdown table.
    pub rows: RwSignal<Vec<markdown::Row>>,
    queue: StoredValue<Vec<Claim>>,
    active: StoredValue<Option<Active>, LocalStorage>,
    next_id: StoredValue<RunId>,
}

fn index(claim: Claim) -> usize {
    Claim::ALL.iter().position(|&c| c == claim).unwrap_or(0)
}

impl Claims {
    pub fn new(lab: Lab) -> Self {
        Claims {
            lab,
            cards: RwSignal::new(Claim::ALL.iter().map(|_| Card::idle()).collect()),
            readings: StoredValue::new(vec![None; Claim::ALL.len()]),
            rows: RwSignal::new(Vec::new()),
            queue: StoredValue::new(Vec::new()),
            active: StoredValue::new_local(None),
            next_id: StoredValue::new(FIRST_CLAIM_RUN),
        }
    }

    /// `claim`'s card (tracked).
    pub fn card(&self, claim: Claim) -> Card {
        self.cards.with(|c| c[index(claim)].clone())
    }

    fn set_phase(&self, claim: Claim, phase: CardPhase) {
        self.cards.update(|c| c[index(claim)].phase = phase);
    }

    /// Whether a card trains now.
    pub fn busy(&self) -> bool {
        self.active.with_value(Option::is_some)
    }

    /// Run: trains `claim` now, or after the card in training.
    pub fn run(self, claim: Claim) {
        let queued = self.queue.with_value(|q| q.contains(&claim));
        let running = self.active.with_value(|a| a.as_ref().map(|a| a.claim));
        if queued || running == Some(claim) {
            return;
        }
        if running.is_some() {
            self.queue.update_value(|q| q.push(claim));
            self.set_phase(claim, CardPhase::Queued);
        } else {
            self.start(claim);
        }
    }

    /// Run all: every card, in turn.
    pub fn run_all(self) {
        for c in Claim::ALL {
            self.run(c);
        }
    }

    fn start(self, claim: Claim) {
        self.lab.pause();
        let plan = claim.plan();
        let first = self.next_id.get_value();
        let jobs = runner::jobs(&plan, first);
        // Ids stay below the sweep's: far enough below 2³¹, start again.
        let next = first.wrapping_add(jobs.len() as RunId);
        self.next_id.set_value(if next >= (1 << 31) - 1024 {
            FIRST_CLAIM_RUN
        } else {
            next
        });
        let hardware = crate::ui::cores();
        let count = worker_count(hardware, jobs.len()).clamp(1, jobs.len().max(1));
        let pool = WorkerPool::new(count, 0, move |event| self.on_pool_event(event));
        let total = jobs.len();
        let submitted: Vec<Job> = (jobs.iter())
            .map(|j| Job {
                hold: runner::sharpness_probe(&plan, j).is_some(),
                ..Job::new(j.run, j.experiment.clone(), j.seed)
            })
            .collect();
        self.active.set_value(Some(Active {
            claim,
            readings: runner::empty_readings(&plan),
            cut: cut(&plan),
            plan,
            jobs,
            records: Vec::new(),
            ended: 0,
            pool: pool.clone(),
            started_ms: crate::ui::now_ms(),
            wasm_memory: None,
            cosines: Vec::new(),
            sharpness: Vec::new(),
        }));
        self.cards.update(|c| {
            c[index(claim)] = Card {
                phase: CardPhase::Running { done: 0, total },
                ..Card::idle()
            }
        });
        for job in submitted {
            pool.submit(job);
        }
    }

    fn on_pool_event(self, event: PoolEvent) {
        match event {
            PoolEvent::Worker(event) => self.on_event(event),
            PoolEvent::Stopped { run, fault, .. } => self.stopped(run, fault),
            PoolEvent::Workers(_) => {}
        }
    }

    fn stopped(self, run: RunId, _fault: WorkerFault) {
        let ended = self
            .active
            .try_update_value(|a| a.as_mut().is_some_and(|a| a.end(run)));
        if ended == Some(true) {
            self.progress();
        }
    }

    fn on_event(self, event: Event) {
        let run = event.run();
        match event {
            Event::Ready { info, .. } => {
                self.active.update_value(|a| {
                    if let Some(a) = a.as_mut()
                        && let Some(job) = a.job(run)
                    {
                        let record = RunHistory::new(run, job.experiment.clone(), info);
                        a.records.push(record);
                    }
                });
            }
            Event::Progress {
                steps, wasm_memory, ..
            } => {
                // A run past the card's time budget has what the card needs: stop it.
                let cut = self.active.try_update_value(|a| {
                    let a = a.as_mut()?;
                    a.wasm_memory = a.wasm_memory.max(wasm_memory);
                    let record = a.records.iter_mut().find(|r| r.run == run)?;
                    steps.iter().for_each(|s| record.record(s));
                    let last = record.steps.seconds.last().copied()?;
                    let over = a.cut.is_some_and(|c| f64::from(last) > c);
                    over.then(|| a.pool.clone())
                });
                if let Some(Some(pool)) = cut {
                    pool.cancel(run);
                    self.ended(run);
                    return;
                }
                // A checkpoint's epoch ended: ask for the gradient fan (the worker measures
                // it between two updates, off the training's clock).
                let probe = self.active.with_value(|a| {
                    let a = a.as_ref()?;
                    let checkpoint = (steps.iter()).any(|s| {
                        s.epoch_end
                            .as_ref()
                            .is_some_and(|e| runner::is_checkpoint(e.epoch))
                    });
                    let request = runner::fan_probe(&a.plan, a.job(run)?).filter(|_| checkpoint)?;
                    Some((a.pool.clone(), request))
                });
                if let Some((pool, request)) = probe {
                    pool.send(Command::Probe { run, request });
                }
            }
            Event::Probed {
                result: ProbeResult::GradientFan(cosines),
                ..
            } => self.active.update_value(|a| {
                if let Some(a) = a.as_mut() {
                    match a.cosines.iter_mut().find(|(r, _)| *r == run) {
                        Some((_, c)) => c.extend(cosines),
                        None => a.cosines.push((run, cosines)),
                    }
                }
            }),
            Event::Finished { status, .. } => {
                // A card measuring the minimum a run ended in asks for it now, at the final
                // weights its worker holds (the job's `hold`); the run ends with the answer.
                let probe = self.active.try_update_value(|a| {
                    let a = a.as_mut()?;
                    if let Some(r) = a.records.iter_mut().find(|r| r.run == run) {
                        r.status = Some(status);
                    }
                    let request = runner::sharpness_probe(&a.plan, a.job(run)?)?;
                    Some((a.pool.clone(), request))
                });
                match probe.flatten() {
                    Some((pool, request)) if status == Status::Finished => {
                        pool.send(Command::Probe { run, request });
                    }
                    Some((pool, _)) => {
                        pool.cancel(run); // diverged: no minimum to measure
                        self.ended(run);
                    }
                    None => self.ended(run),
                }
            }
            Event::Probed {
                result: ProbeResult::Sharpness(sharpness),
                ..
            } => {
                let pool = self.active.try_update_value(|a| {
                    let a = a.as_mut()?;
                    a.sharpness.push((run, sharpness.eigenvalue));
                    Some(a.pool.clone())
                });
                if let Some(Some(pool)) = pool {
                    pool.cancel(run); // frees the held worker for the next job
                }
                self.ended(run);
            }
            Event::Error { .. } => self.ended(run),
            Event::Loading { .. } | Event::Paused { .. } => {}
        }
    }

    fn ended(self, run: RunId) {
        let ended = self
            .active
            .try_update_value(|a| a.as_mut().is_some_and(|a| a.end(run)));
        if ended == Some(true) {
            self.progress();
        }
    }

    fn progress(self) {
        let state = self
            .active
            .with_value(|a| a.as_ref().map(|a| (a.claim, a.ended, a.jobs.len())));
        let Some((claim, done, total)) = state else {
            return;
        };
        self.set_phase(claim, CardPhase::Running { done, total });
        if done >= total {
            self.finish();
        }
    }

    /// Every job ended: the card's result, then the next queued card.
    fn finish(self) {
        let Some(a) = self.active.try_update_value(Option::take).flatten() else {
            return;
        };
        let result = runner::result(a.claim, &a.readings);
        let arm_means = a
            .readings
            .iter()
            .map(|arm| runner::arm_val_accuracy_mean(arm))
            .collect();
        let seconds = (crate::ui::now_ms() - a.started_ms) / 1000.0;
        let i = index(a.claim);
        self.cards.update(|c| {
            c[i] = Card {
                phase: CardPhase::Done,
                result: Some(result.clone()),
                arm_means,
                arm_values: runner::arm_headline_means(&a.plan, &a.readings),
                seconds: Some(seconds),
                wasm_memory: a.wasm_memory,
                details: runner::details(a.claim, &a.readings),
            }
        });
        let readings = a.readings.clone();
        self.readings.update_value(|r| r[i] = Some(readings));
        self.rows.update(|rows| {
            rows.push(markdown::Row {
                claim: a.claim,
                result,
                seeds: a.plan.seeds.len(),
                date: today(),
            })
        });
        a.pool.cancel_all();
        crate::ui::in_next_task(move || drop(a));
        self.next();
    }

    fn next(self) {
        let next = self
            .queue
            .try_update_value(|q| (!q.is_empty()).then(|| q.remove(0)))
            .flatten();
        if let Some(claim) = next {
            self.start(claim);
        }
    }

    /// Cancel `claim`: its workers end at once (or it leaves the queue).
    pub fn cancel(self, claim: Claim) {
        let was_queued = self.queue.try_update_value(|q| {
            let before = q.len();
            q.retain(|&c| c != claim);
            q.len() != before
        });
        if was_queued == Some(true) {
            self.set_phase(claim, CardPhase::Cancelled);
            return;
        }
        let running = self.active.with_value(|a| a.as_ref().map(|a| a.claim));
        if running != Some(claim) {
            return;
        }
        let active = self.active.try_update_value(Option::take).flatten();
        if let Some(a) = active {
            a.pool.cancel_all();
            crate::ui::in_next_task(move || drop(a));
        }
        self.set_phase(claim, CardPhase::Cancelled);
        self.next();
    }

    /// Open in the lab: the card's last run's arms as seed groups in the lab's run list.
    pub fn open(self, claim: Claim) {
        let Some(readings) = self.readings.with_value(|r| r[index(claim)].clone()) else {
            return;
        };
        let lab = self.lab;
        // The sharp-minima card's probe is each run's sharpness (the run list's
        // `data-sharpness`); other cards' probes (gradient cosines) are not.
        let sharp = claim.plan().measures(Measure::Sharpness);
        let groups: Vec<Vec<RunHistory>> = (readings.iter())
            .map(|arm| {
                (arm.iter().flatten())
                    .map(|r| {
                        let mut record = r.record.clone();
                        record.sharpness = r.probe.filter(|_| sharp);
                        record
                    })
                    .collect()
            })
            .collect();
        lab.history.update_value(|h| h.adopt_groups(&groups));
        lab.version.update(|v| *v += 1);
    }
}

/// Today's date, `YYYY-MM-DD`, by the browser's clock.
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
