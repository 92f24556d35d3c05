//! The one-click batch-size sweep: the current setup trained once per batch size, in
//! parallel Web Workers, every run added to the charts (as one group in the run list, beside
//! the student's runs, which it never pushes out), then a results table and a log–log
//! chart of updates and samples to a target accuracy, with the critical batch size fitted.
//!
//! - this file: the sweep's state, its jobs in a pool of workers ([`crate::worker::pool`]:
//!   scheduling, a dead worker, cancel), and the panel;
//! - [`chart`]: the results' log–log chart.
//!
//! The arithmetic (the default sizes, the experiment of each run, when a run reached the
//! target, the fit) is in [`crate::sweep`], tested natively. Each run is the same worker code
//! as a single run with its own seed-determined data and weights, so it is bit-for-bit the
//! same whichever worker trains it and however many run at once. Runs start smallest B
//! first: those take longest, so the workers finish together.

pub mod chart;

use super::lab::{Lab, Phase};
use crate::experiment::Experiment;
use crate::i18n::fill;
use crate::sweep::{
    self, Fit, Row, default_sizes, default_target, experiment_for, fit_steps, format_sizes,
    parse_sizes, sizes_within, worker_count,
};
use crate::trainer::schedule::ScalingRule;
use crate::worker::host::Job;
use crate::worker::pool::PoolEvent;
use crate::worker::protocol::{Event, RunId, WorkerFault};
use crate::worker::shell::WorkerPool;
use leptos::prelude::*;

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

/// One sweep in progress.
struct Active {
    base: Experiment,
    target: f64,
    /// Batch sizes in the order they are started, with their run ids.
    runs: Vec<(usize, RunId)>,
    done: usize,
    /// Its workers (one job per batch size; ending the pool ends them).
    pool: WorkerPool,
    workers: usize,
    started_ms: f64,
    failed: Vec<usize>,
}

/// The sweep's state: signals the panel reads and the workers' bookkeeping.
#[derive(Clone, Copy)]
pub struct Sweep {
    lab: Lab,
    pub phase: RwSignal<SweepPhase>,
    pub results: RwSignal<Option<SweepResults>>,
    active: StoredValue<Option<Active>, LocalStorage>,
    next_id: StoredValue<RunId>,
}

impl Sweep {
    pub fn new(lab: Lab) -> Self {
        Sweep {
            lab,
            phase: RwSignal::new(SweepPhase::Idle),
            results: RwSignal::new(None),
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
        let pool = WorkerPool::new(count, 0, move |event| self.on_pool_event(event));
        let jobs: Vec<Job> = runs
            .iter()
            .map(|&(batch, run)| {
                let experiment = experiment_for(&base, batch);
                let seed = experiment.config.seed;
                Job::new(run, experiment, seed)
            })
            .collect();
        self.active.set_value(Some(Active {
            base,
            target,
            runs,
            done: 0,
            pool: pool.clone(),
            workers: count,
            started_ms: super::now_ms(),
            failed: Vec::new(),
        }));
        self.results.set(None);
        self.phase.set(SweepPhase::Running { done: 0, total });
        for job in jobs {
            pool.submit(job);
        }
    }

    fn sizes_untracked(&self) -> Vec<usize> {
        untrack(|| self.sizes())
    }

    fn target_untracked(&self) -> f64 {
        untrack(|| self.target())
    }

    /// What the sweep's pool reports (a cancelled sweep's pool reports nothing).
    fn on_pool_event(self, event: PoolEvent) {
        match event {
            PoolEvent::Worker(event) => self.on_event(event),
            PoolEvent::Stopped { run, fault, .. } => self.run_stopped(run, fault),
            PoolEvent::Workers(n) => self.lab.sweep_live.set(n),
        }
    }

    /// The worker of `run` stopped (crashed, fell silent, or could not be downloaded): the
    /// run keeps what it recorded and is noted as failed; the pool goes on with the next.
    fn run_stopped(self, run: RunId, _fault: WorkerFault) {
        let found = self.active.try_update_value(|a| {
            let a = a.as_mut()?;
            let batch = a.runs.iter().find(|(_, id)| *id == run)?.0;
            a.failed.push(batch);
            Some(())
        });
        if let Some(Some(())) = found {
            self.run_done();
        }
    }

    /// For the end-to-end tests: `sweep-crash` / `sweep-silence` fail the first worker
    /// (see [`super::test_fault`]).
    fn install_fault_hook(self) {
        super::test_fault::listen(move |detail| {
            let Some(fault) = detail.strip_prefix("sweep-") else {
                return;
            };
            if let Some(pool) = self.pool() {
                pool.with_first_worker(|worker| super::test_fault::inflict(worker, fault));
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
        let ours = self.active.with_value(|a| {
            a.as_ref()
                .is_some_and(|a| a.runs.iter().any(|r| r.1 == run))
        });
        if !ours {
            return; // a cancelled sweep's
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
                self.run_done();
            }
            Event::Error { .. } => self.run_done(),
            Event::Loading { .. } | Event::Paused { .. } => {}
        }
    }

    fn run_done(self) {
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
        }
    }

    /// All runs ended: the results, from the runs' histories.
    fn finish(self) {
        let Some(mut a) = self.active.try_update_value(Option::take).flatten() else {
            return;
        };
        let workers = a.workers;
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
    super::in_next_task(move || drop(active));
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
    // Sweep pressed while the trainer starts (or before a deferred embed started it,
    // src/ui/start.rs): the sweep starts once the trainer is ready, and says why it waits.
    let queued = RwSignal::new(false);
    Effect::new(move |_| {
        if queued.get() && !busy() {
            queued.set(false);
            if !running() && !sizes_error.get_untracked() {
                sweep.start();
            }
        }
    });
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
                    aria-disabled=move || (running() || queued.get() || sizes_error.get()).to_string()
                    on:click=move |_| {
                        // An invalid list is refused, not swapped for the last valid one.
                        if busy() {
                            lab.connect();
                            queued.set(!sizes_error.get_untracked());
                        } else if !running() && !sizes_error.get_untracked() {
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
            <Show when=move || busy() && lab.started.get()>
                <p class="hint" data-testid="sweep-waiting">{move || t().sweep_waiting}</p>
            </Show>
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
    let failed_sizes = results.failed.clone();
    let row_view = move |r: Row| {
        let reached = r.reached;
        // A run whose worker stopped: its row shows what it recorded before, marked.
        let failed = failed_sizes.contains(&r.batch_size);
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
                data-failed=failed.then_some("true")
            >
                <th scope="row">
                    {lang.int(r.batch_size)}
                    {failed.then(|| view! { " " <span class="error">{move || t().sweep_row_stopped}</span> })}
                </th>
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
            // Scrolls sideways on a phone: focusable and named, so a keyboard can scroll it
            // (axe-core: scrollable-region-focusable).
            <div
                class="table-scroll"
                tabindex="0"
                role="region"
                aria-label=move || fill(t().sweep_table_caption, &[&pct(target)])
            >
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
