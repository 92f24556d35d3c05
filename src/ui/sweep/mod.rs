//! The one-click batch-size sweep: the current setup trained once per batch size, in
//! parallel Web Workers, every run added to the charts (as one group in the run list, beside
//! the student's runs, which it never pushes out), then a results table and a log–log
//! chart of updates and samples to a target accuracy, with the critical batch size fitted.
//!
//! - this file: the sweep's state and its workers (start, schedule, cancel), and the panel;
//! - [`chart`]: the results' log–log chart.
//!
//! The arithmetic (the default sizes, the experiment of each run, when a run reached the
//! target, the fit) is in [`crate::sweep`], tested natively. Each run is the same worker code
//! as a single run with its own seed-determined data and weights, so it is bit-for-bit the
//! same whichever worker trains it and however many run at once. Runs start smallest B
//! first: those take longest, so the workers finish together.

pub mod chart;

use super::lab::{Lab, Phase};
use crate::experiment::{DataSource, Experiment};
use crate::i18n::fill;
use crate::sweep::{
    self, Fit, Row, default_sizes, default_target, experiment_for, fit_steps, format_sizes,
    parse_sizes, sizes_within, worker_count,
};
use crate::trainer::schedule::ScalingRule;
use crate::worker::bridge::{self, Spawned};
use crate::worker::protocol::{Command, Event, RunId, Speed, WorkerFault};
use crate::worker::watchdog::{self, Watchdog};
use gloo_timers::callback::Interval;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Sweep runs are numbered from here, apart from the single-run path's ids.
const FIRST_SWEEP_RUN: RunId = 1 << 31;

/// Where the sweep stands.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepPhase {
    Idle,
    /// Runs finished so far, of how many.
    Running {
        done: usize,
        total: usize,
    },
    Done,
    /// Cancelled after this many runs had finished.
    Cancelled {
        done: usize,
    },
}

impl SweepPhase {
    fn key(&self) -> &'static str {
        match self {
            SweepPhase::Idle => "idle",
            SweepPhase::Running { .. } => "running",
            SweepPhase::Done => "done",
            SweepPhase::Cancelled { .. } => "cancelled",
        }
    }
}

/// A finished sweep's results, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepResults {
    pub target: f64,
    pub rows: Vec<Row>,
    pub fit: Option<Fit>,
    /// The gradient-noise scale the runs measured at the target, and where
    /// ([`sweep::sweep_noise_scale`]).
    pub noise_scale: Option<sweep::MeasuredNoise>,
    /// Click to last run finished, wall time.
    pub seconds: f64,
    pub workers: usize,
    /// The learning-rate scaling rule its runs used.
    pub rule: ScalingRule,
    /// Batch sizes whose worker stopped (crashed or fell silent) during their run: their
    /// rows show what they recorded before.
    pub failed: Vec<usize>,
}

/// One of the sweep's workers, with what the page needs to notice its death.
struct SweepWorker {
    spawned: Spawned,
    /// The run it trains.
    run: RunId,
    /// Tells this worker's `error` events from a replaced one's.
    serial: u64,
    watchdog: Watchdog,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// One sweep in progress.
struct Active {
    base: Experiment,
    target: f64,
    /// Batch sizes in the order they are started, with their run ids.
    runs: Vec<(usize, RunId)>,
    next: usize,
    done: usize,
    /// One slot per worker (dropping one ends its worker).
    workers: Vec<Option<SweepWorker>>,
    started_ms: f64,
    failed: Vec<usize>,
    /// Checks every [`watchdog::CHECK_EVERY_MS`] that no worker fell silent.
    _checker: Interval,
}

/// The sweep's state: signals the panel reads and the workers' bookkeeping.
#[derive(Clone, Copy)]
pub struct Sweep {
    lab: Lab,
    pub phase: RwSignal<SweepPhase>,
    pub results: RwSignal<Option<SweepResults>>,
    active: StoredValue<Option<Active>, LocalStorage>,
    next_id: StoredValue<RunId>,
    serial: StoredValue<u64>,
}

impl Sweep {
    pub fn new(lab: Lab) -> Self {
        Sweep {
            lab,
            phase: RwSignal::new(SweepPhase::Idle),
            results: RwSignal::new(None),
            active: StoredValue::new_local(None),
            next_id: StoredValue::new(FIRST_SWEEP_RUN),
            serial: StoredValue::new(0),
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

    /// Starts a sweep of the current setup (pausing a single run in progress).
    pub fn start(self) {
        self.cancel_workers();
        self.lab.pause();
        let base = self.lab.experiment.get_untracked();
        let sizes = self.sizes_untracked();
        let target = self.target_untracked();
        let runs: Vec<(usize, RunId)> = sizes
            .iter()
            .map(|&b| {
                let id = self.next_id.get_value();
                self.next_id
                    .set_value(id.wrapping_add(1).max(FIRST_SWEEP_RUN));
                (b, id)
            })
            .collect();
        let hardware = window().navigator().hardware_concurrency();
        let hardware = (hardware.is_finite() && hardware >= 1.0).then_some(hardware as usize);
        let count = self
            .lab
            .sweep_workers
            .get_untracked()
            .unwrap_or_else(|| worker_count(hardware, runs.len()))
            .clamp(1, runs.len().max(1));
        let total = runs.len();
        self.active.set_value(Some(Active {
            base,
            target,
            runs,
            next: 0,
            done: 0,
            workers: (0..count).map(|_| None).collect(),
            started_ms: super::now_ms(),
            failed: Vec::new(),
            _checker: Interval::new(watchdog::CHECK_EVERY_MS as u32, move || {
                self.check_workers()
            }),
        }));
        self.results.set(None);
        self.phase.set(SweepPhase::Running { done: 0, total });
        for slot in 0..count {
            self.start_next(slot);
        }
        self.count_workers();
    }

    fn sizes_untracked(&self) -> Vec<usize> {
        untrack(|| self.sizes())
    }

    fn target_untracked(&self) -> f64 {
        untrack(|| self.target())
    }

    /// Gives worker `slot` the next run, or ends it when none is left.
    fn start_next(self, slot: usize) {
        let job = self.active.try_update_value(|a| {
            let a = a.as_mut()?;
            let Some(&(batch, run)) = a.runs.get(a.next) else {
                end_later(a.workers[slot].take()); // nothing left for this worker
                return None;
            };
            a.next += 1;
            Some((experiment_for(&a.base, batch), run))
        });
        let Some(Some((experiment, run))) = job else {
            self.count_workers();
            return;
        };
        let existing = self
            .active
            .with_value(|a| a.as_ref().is_some_and(|a| a.workers[slot].is_some()));
        if !existing {
            let worker = self.spawn_worker(slot, run);
            self.active.update_value(|a| {
                if let Some(a) = a {
                    a.workers[slot] = Some(worker);
                }
            });
        }
        self.active.update_value(|a| {
            if let Some(w) = a.as_mut().and_then(|a| a.workers[slot].as_mut()) {
                w.run = run;
                w.spawned
                    .bridge
                    .send(Command::Configure { run, experiment });
            }
        });
    }

    /// A fresh worker for `slot`, at full speed, whose `error` event ends its run.
    fn spawn_worker(self, slot: usize, run: RunId) -> SweepWorker {
        let serial = self.serial.get_value().wrapping_add(1);
        self.serial.set_value(serial);
        let spawned = bridge::spawn(move |event| self.on_event(slot, event));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default(); // handled here, not the page's own error
            // Not from inside this listener: the worker (and the listener) is dropped.
            wasm_bindgen_futures::spawn_local(async move {
                self.worker_died(slot, serial, WorkerFault::Crashed)
            });
        });
        if let Some(worker) = &spawned.worker {
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        }
        spawned.bridge.send(Command::Speed {
            run,
            speed: Speed::Max,
        });
        SweepWorker {
            spawned,
            run,
            serial,
            watchdog: Watchdog::new(super::now_ms()),
            _on_error: on_error,
        }
    }

    /// Worker `slot` (if it is still the one numbered `serial`) stopped: end it, keep what
    /// its run recorded, note the run as failed and go on with the next run in a new worker.
    fn worker_died(self, slot: usize, serial: u64, fault: WorkerFault) {
        let dead = self.active.try_update_value(|a| {
            let a = a.as_mut()?;
            let w = a.workers.get_mut(slot)?;
            if w.as_ref().is_none_or(|w| w.serial != serial) {
                return None;
            }
            let w = w.take()?;
            let batch = a.runs.iter().find(|(_, id)| *id == w.run).map(|r| r.0);
            a.failed.extend(batch);
            Some(w)
        });
        let Some(Some(w)) = dead else {
            return;
        };
        if let Some(worker) = &w.spawned.worker {
            worker.set_onerror(None);
            worker.set_onmessageerror(None);
            worker.terminate();
        }
        end_later(w);
        web_sys::console::warn_1(
            &format!(
                "Batch Lab: a sweep worker stopped ({fault:?}); its run keeps what it recorded"
            )
            .into(),
        );
        self.run_done(slot);
    }

    /// Every [`watchdog::CHECK_EVERY_MS`]: a sweep worker silent for longer than its run
    /// allows (a worker always streams during a sweep) is dead.
    fn check_workers(self) {
        let now = super::now_ms();
        let dead: Vec<(usize, u64)> = self.lab.history.with_value(|h| {
            self.active
                .try_update_value(|a| {
                    let Some(a) = a.as_mut() else {
                        return Vec::new();
                    };
                    a.workers
                        .iter_mut()
                        .enumerate()
                        .filter_map(|(slot, w)| {
                            let w = w.as_mut()?;
                            let info = h.get(w.run).map(|r| &r.info);
                            let limit = if info.is_none() && a.base.source == DataSource::Mnist {
                                watchdog::DOWNLOAD_LIMIT_MS
                            } else {
                                watchdog::silence_limit_ms(info)
                            };
                            w.watchdog
                                .check(now, true, limit)
                                .then_some((slot, w.serial))
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        for (slot, serial) in dead {
            self.worker_died(slot, serial, WorkerFault::Silent);
        }
    }

    /// For the end-to-end tests: `sweep-crash` / `sweep-silence` fail the first worker
    /// (see [`super::test_fault`]).
    fn install_fault_hook(self) {
        super::test_fault::listen(move |detail| {
            let Some(fault) = detail.strip_prefix("sweep-") else {
                return;
            };
            self.active.with_value(|a| {
                let worker = a
                    .as_ref()
                    .and_then(|a| a.workers.iter().flatten().next())
                    .and_then(|w| w.spawned.worker.as_ref());
                if let Some(worker) = worker {
                    super::test_fault::inflict(worker, fault);
                }
            });
        });
    }

    fn send(&self, slot: usize, command: Command) {
        self.active.with_value(|a| {
            if let Some(w) = a.as_ref().and_then(|a| a.workers[slot].as_ref()) {
                w.spawned.bridge.send(command);
            }
        });
    }

    /// One event from worker `slot`.
    fn on_event(self, slot: usize, event: Event) {
        let run = event.run();
        let now = super::now_ms();
        let ours = self
            .active
            .try_update_value(|a| {
                let w = a.as_mut()?.workers.get_mut(slot)?.as_mut()?;
                w.watchdog.heard(now);
                Some(w.run == run)
            })
            .flatten()
            .unwrap_or(false);
        if !ours {
            return; // a cancelled sweep's, or a run this worker has left
        }
        let lab = self.lab;
        match event {
            Event::Ready { info, .. } => {
                let (group, experiment) = self.active.with_value(|a| {
                    let a = a.as_ref().expect("ours");
                    let batch = a.runs.iter().find(|(_, id)| *id == run).map_or(1, |r| r.0);
                    let group = a.runs.first().map_or(run, |r| r.1);
                    (group, experiment_for(&a.base, batch))
                });
                lab.history
                    .update_value(|h| h.begin_sweep(group, run, experiment, info));
                lab.version.update(|v| *v += 1);
                self.send(slot, Command::Start { run });
            }
            Event::Progress { steps, .. } => {
                lab.history.update_value(|h| {
                    if let Some(record) = h.get_mut(run) {
                        steps.iter().for_each(|s| record.record(s));
                    }
                });
                lab.version.update(|v| *v += 1);
            }
            Event::Finished { status, .. } => {
                lab.history.update_value(|h| {
                    if let Some(record) = h.get_mut(run) {
                        record.status = Some(status);
                    }
                });
                self.run_done(slot);
            }
            Event::Error { .. } => self.run_done(slot),
            Event::Loading { .. } | Event::Paused { .. } => {}
        }
    }

    fn run_done(self, slot: usize) {
        let progress = self.active.try_update_value(|a| {
            let a = a.as_mut()?;
            a.done += 1;
            Some((a.done, a.runs.len()))
        });
        let Some(Some((done, total))) = progress else {
            return;
        };
        self.phase.set(SweepPhase::Running { done, total });
        if done == total {
            self.finish();
        } else {
            self.start_next(slot);
        }
    }

    /// All runs ended: the results, from the runs' histories.
    fn finish(self) {
        let Some(mut a) = self.active.try_update_value(Option::take).flatten() else {
            return;
        };
        let workers = a.workers.len();
        end_later(std::mem::take(&mut a.workers));
        let seconds = (super::now_ms() - a.started_ms) / 1000.0;
        let mut rows: Vec<Row> = self.lab.history.with_value(|h| {
            a.runs
                .iter()
                .filter_map(|(_, id)| h.get(*id))
                .map(|r| sweep::row(r, a.target))
                .collect()
        });
        rows.sort_by_key(|r| r.batch_size);
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|r| Some((r.batch_size as f64, r.reached?.update as f64)))
            .collect();
        let noise_scale = sweep::sweep_noise_scale(&rows);
        self.results.set(Some(SweepResults {
            target: a.target,
            rows,
            fit: fit_steps(&points),
            noise_scale,
            seconds,
            workers,
            failed: std::mem::take(&mut a.failed),
            rule: a.base.config.schedule.rule,
        }));
        self.phase.set(SweepPhase::Done);
        self.count_workers();
        self.lab.version.update(|v| *v += 1);
    }

    /// Cancel: every worker of the sweep ends at once; runs keep what they recorded.
    pub fn cancel(self) {
        if let SweepPhase::Running { done, .. } = self.phase.get_untracked() {
            self.cancel_workers();
            self.phase.set(SweepPhase::Cancelled { done });
        }
    }

    /// Ends the sweep's workers (dropping a bridge terminates its worker); true if a sweep
    /// was running.
    fn cancel_workers(self) -> bool {
        let active = self.active.try_update_value(Option::take).flatten();
        let was = active.is_some();
        end_later(active);
        self.count_workers();
        was
    }

    fn count_workers(self) {
        let n = self
            .active
            .with_value(|a| a.as_ref().map_or(0, |a| a.workers.iter().flatten().count()));
        self.lab.sweep_live.set(n);
    }
}

/// Drops `workers` (ending them) in a task of its own: a bridge must not be dropped inside
/// its own worker's message callback, which is where a sweep's last event arrives.
fn end_later<T: 'static>(workers: T) {
    super::in_next_task(move || drop(workers));
}

/// The sweep panel: sizes, target, Sweep / Cancel, progress, and the results.
#[component]
pub fn SweepPanel(lab: Lab) -> impl IntoView {
    let sweep = Sweep::new(lab);
    sweep.install_fault_hook();
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let (sizes_error, set_sizes_error) = signal(false);
    let running = move || matches!(sweep.phase.get(), SweepPhase::Running { .. });
    let progress_done = move || match sweep.phase.get() {
        SweepPhase::Running { done, .. } => done,
        SweepPhase::Done => sweep.results.get().map_or(0, |r| r.rows.len()),
        SweepPhase::Cancelled { done } => done,
        SweepPhase::Idle => 0,
    };
    let progress_text = move || match sweep.phase.get() {
        SweepPhase::Idle => String::new(),
        SweepPhase::Running { done, total } => fill(
            t().sweep_running,
            &[
                &int((done + 1).min(total)),
                &int(total),
                &int(lab.sweep_live.get()),
            ],
        ),
        SweepPhase::Done => sweep.results.get().map_or_else(String::new, |r| {
            fill(
                t().sweep_done,
                &[
                    &int(r.rows.len()),
                    &format!("{:.1}", r.seconds),
                    &int(r.workers),
                ],
            )
        }),
        SweepPhase::Cancelled { .. } => t().sweep_cancelled.to_owned(),
    };
    let busy = move || {
        matches!(lab.phase.get(), Phase::Starting | Phase::Loading(..)) && lab.info.get().is_none()
    };
    view! {
        <section
            class="panel sweep"
            aria-labelledby="sweep-title"
            data-testid="sweep-panel"
            data-state=move || sweep.phase.get().key()
            data-workers=move || lab.sweep_live.get()
        >
            <h2 id="sweep-title">{move || t().section_sweep}</h2>
            <crate::ui::explain::Explain lang=lab.lang text=|t| t.explain_sweep />
            <p class="hint">{move || t().sweep_intro}</p>
            <div class="sweep-settings">
                <label class="field">
                    <span>{move || t().sweep_sizes}</span>
                    <input
                        type="text"
                        inputmode="numeric"
                        data-testid="sweep-sizes"
                        aria-invalid=move || sizes_error.get().to_string()
                        prop:value=move || format_sizes(&sweep.sizes())
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let n = lab.experiment.get_untracked().train_size;
                            match parse_sizes(&text, n) {
                                Ok(sizes) => {
                                    set_sizes_error.set(false);
                                    let default = default_sizes(n);
                                    lab.sweep_sizes.set((sizes != default).then_some(sizes));
                                }
                                Err(_) => set_sizes_error.set(true),
                            }
                        }
                    />
                    <Show when=move || sizes_error.get()>
                        <small class="error">{move || crate::i18n::labels::limits::sweep_sizes_error(t())}</small>
                    </Show>
                </label>
                <label class="field">
                    <span>{move || t().sweep_target}</span>
                    <input
                        type="number"
                        min="1"
                        max="100"
                        step="1"
                        data-testid="sweep-target"
                        prop:value=move || format!("{}", (sweep.target() * 1000.0).round() / 10.0)
                        on:change=move |ev| {
                            if let Ok(p) = event_target_value(&ev).trim().parse::<f64>()
                                && p.is_finite()
                            {
                                let target = (p.clamp(1.0, 100.0) / 100.0 * 1000.0).round() / 1000.0;
                                let default = default_target(lab.experiment.get_untracked().source);
                                lab.sweep_target.set((target != default).then_some(target));
                            }
                        }
                    />
                </label>
            </div>
            <div class="buttons">
                <button
                    class="primary"
                    data-testid="sweep"
                    aria-disabled=move || (running() || busy() || sizes_error.get()).to_string()
                    on:click=move |_| {
                        // An invalid list is refused, not swapped for the last valid one.
                        if !running() && !busy() && !sizes_error.get_untracked() {
                            sweep.start();
                        }
                    }
                >
                    {move || t().sweep_start}
                </button>
                <button
                    data-testid="sweep-cancel"
                    aria-disabled=move || (!running()).to_string()
                    on:click=move |_| sweep.cancel()
                >
                    {move || t().sweep_cancel}
                </button>
                <span
                    class="sweep-progress"
                    data-testid="sweep-progress"
                    data-value=progress_done
                    role="status"
                    aria-live="polite"
                >
                    {progress_text}
                </span>
            </div>
            {move || sweep.results.get().map(|r| view! { <Results lab=lab results=r /> })}
        </section>
    }
}

/// The results: one row per batch size, the log–log chart and the fitted critical batch.
#[component]
fn Results(lab: Lab, results: SweepResults) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let lang = lab.lang.get_untracked();
    let pct = move |v: f64| lang.percent(v, 1);
    let target = results.target;
    let rows = results.rows.clone();
    let b_crit = results.fit.map(|f| f.b_crit);
    let rule = results.rule;
    let sizes = results.rows.iter().map(|r| r.batch_size as f64);
    let b_min = sizes.clone().fold(f64::INFINITY, f64::min);
    let b_max = sizes.fold(0.0, f64::max);
    let row_view = move |r: Row| {
        let reached = r.reached;
        let cell = move |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
        view! {
            <tr
                data-testid="sweep-row"
                data-batch-size=r.batch_size
                data-updates-per-epoch=r.updates_per_epoch
                data-updates-to-target=reached.map(|x| x.update.to_string()).unwrap_or_default()
                data-samples-to-target=reached.map(|x| x.samples.to_string()).unwrap_or_default()
                data-seconds-to-target=reached.map(|x| format!("{}", x.seconds)).unwrap_or_default()
                data-final-val-accuracy=r.final_validation.map(|m| format!("{}", m.accuracy)).unwrap_or_default()
            >
                <th scope="row">{lang.int(r.batch_size)}</th>
                <td>{lang.int(r.updates_per_epoch)}</td>
                <td>{cell(reached.map(|x| lang.int(x.update)))}</td>
                <td>{cell(reached.map(|x| lang.int(x.samples)))}</td>
                <td>{cell(reached.map(|x| format!("{:.2}", x.seconds)))}</td>
                <td>{cell(r.final_validation.map(|m| pct(m.accuracy)))}</td>
                <td>{cell(r.final_validation.map(|m| format!("{:.3}", m.loss)))}</td>
            </tr>
        }
    };
    let never = results.rows.iter().filter(|r| r.reached.is_none()).count();
    let reached_count = results.rows.len() - never;
    view! {
        <div class="sweep-results" data-testid="sweep-results">
            <div class="table-scroll">
                <table>
                    <caption>{move || fill(t().sweep_table_caption, &[&pct(target)])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().sweep_col_batch}</th>
                            <th scope="col">{move || t().sweep_col_upe}</th>
                            <th scope="col">{move || t().sweep_col_updates}</th>
                            <th scope="col">{move || t().sweep_col_samples}</th>
                            <th scope="col">{move || t().sweep_col_seconds}</th>
                            <th scope="col">{move || t().sweep_col_final_acc}</th>
                            <th scope="col">{move || t().sweep_col_final_loss}</th>
                        </tr>
                    </thead>
                    <tbody>{rows.into_iter().map(row_view).collect_view()}</tbody>
                </table>
            </div>
            {(!results.failed.is_empty()).then(|| {
                let failed = results.failed.iter().map(|&b| lang.int(b)).collect::<Vec<_>>().join(", ");
                view! {
                    <p class="error" data-testid="sweep-failed" data-value=results.failed.len()>
                        {move || fill(t().sweep_worker_stopped, &[&failed])}
                    </p>
                }
            })}
            {(never > 0).then(|| view! {
                <p class="hint">{move || fill(t().sweep_never, &[&lang.int(never)])}</p>
            })}
            <chart::SweepChart lab=lab results=results.clone() />
            <p class="b-crit" data-testid="b-crit" data-value=b_crit.map(|b| format!("{b}")).unwrap_or_default()>
                {move || {
                    let lang = lab.lang.get();
                    let s = lang.strings();
                    match b_crit {
                        Some(b) if b < b_min => fill(s.sweep_b_crit_below, &[&format!("{b:.2}"), &lang.int(b_min as usize)]),
                        Some(b) if b > b_max => fill(s.sweep_b_crit_above, &[&lang.int(b.round() as usize), &lang.int(b_max as usize)]),
                        Some(b) => fill(s.sweep_b_crit, &[&lang.int(b.round() as usize)]),
                        None if reached_count < 3 => fill(s.sweep_no_fit, &[&lang.int(reached_count)]),
                        None => s.sweep_no_trend.to_owned(),
                    }
                }}
            </p>
            {results.noise_scale.map(|m| m.value).map(|v| view! {
                <p class="b-noise" data-testid="sweep-noise-scale" data-value=format!("{v}")>
                    {move || {
                        let lang = lab.lang.get();
                        fill(lang.strings().sweep_noise_scale, &[&lang.int(v.round() as usize)])
                    }}
                </p>
            })}
            <p class="hint">
                {move || match rule {
                    ScalingRule::None => t().sweep_tuning_note.to_owned(),
                    ScalingRule::Linear => fill(t().sweep_scaled_note, &[t().lr_rule_linear]),
                    ScalingRule::Sqrt => fill(t().sweep_scaled_note, &[t().lr_rule_sqrt]),
                }}
            </p>
        </div>
    }
}
