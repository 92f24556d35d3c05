//! The one-click batch-size sweep: the current setup trained for every batch size with
//! several seeds, in parallel Web Workers, every run added to the charts (as one group in the
//! run list, beside the student's runs, which it never pushes out), then a results table of
//! medians and ranges over seeds and a log–log chart of updates and samples to a target
//! accuracy, with the critical batch size fitted and its bootstrap interval.
//!
//! - this file: the sweep's phases and results, and the panel that puts the parts together;
//! - [`runs`]: the sweep's (B, seed) jobs in a pool of workers, and reading each run;
//! - [`settings`]: sizes, target, mode, seeds and budget;
//! - [`table`]: the rows over seeds;
//! - [`summary`]: the fitted critical batch size (or why there is none), the noise scale;
//! - [`chart`]: the results' log–log chart.
//!
//! The arithmetic (the default sizes, each run's experiment, where a run reached the target,
//! rows over seeds, the fit, the job order) is in [`crate::sweep`], tested natively. Each
//! run is the same worker code as a single run with its own seed-determined data and
//! weights, so it is bit-for-bit the same whichever worker trains it and however many run at
//! once.

pub mod chart;
pub mod runs;
pub mod settings;
pub mod summary;
pub mod table;

use super::lab::Lab;
use super::status::{RetryButton, stopped_for_good};
use super::typed_box::Typed;
use crate::i18n::fill;
use crate::stats::bootstrap::Interval;
use crate::sweep::seeds::{FitOutcome, SeedRow, SeedRun};
use crate::sweep::{Fit, MeasuredNoise, SweepMode};
use crate::trainer::schedule::ScalingRule;
use crate::worker::protocol::RunError;
use leptos::prelude::*;
pub use runs::Sweep;

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
    pub mode: SweepMode,
    /// Each run's budget in epochs, and the seeds per B.
    pub budget: usize,
    pub seeds: usize,
    /// Every (B, seed) run, as read when it ended.
    pub runs: Vec<SeedRun>,
    pub rows: Vec<SeedRow>,
    pub fit: FitOutcome,
    /// The gradient-noise scale the runs measured at the target, and where
    /// ([`crate::sweep::seeds::noise_scale`]).
    pub noise_scale: Option<MeasuredNoise>,
    /// Click to last run finished, wall time; the runs' training seconds added up.
    pub seconds: f64,
    pub train_seconds: f64,
    pub workers: usize,
    /// The learning-rate scaling rule its runs used.
    pub rule: ScalingRule,
    /// Batch sizes with a seed whose worker stopped (crashed or fell silent) during its run.
    pub failed: Vec<usize>,
}

impl SweepResults {
    /// The fitted curve, if any.
    pub fn fit(&self) -> Option<Fit> {
        match self.fit {
            FitOutcome::Fitted(fit, _) => Some(fit),
            _ => None,
        }
    }

    /// The fit's 95 % bootstrap interval for B_crit, if any.
    pub fn interval(&self) -> Option<Interval> {
        match self.fit {
            FitOutcome::Fitted(_, interval) => interval,
            _ => None,
        }
    }
}

/// The sweep panel: its settings, Sweep / Cancel, progress, and the results. `focused` (the
/// sweep view, made to fit an embed's height): the settings fold into their one-line summary
/// once a sweep has started, and the notes under the results into "How to read these
/// numbers"; both open with a click.
#[component]
pub fn SweepPanel(lab: Lab, #[prop(optional)] focused: bool) -> impl IntoView {
    let sweep = Sweep::new(lab);
    sweep.install_fault_hook();
    let t = move || lab.lang.get().strings();
    // The sizes box, read with the link's `sweep` rule: Sweep waits while it is refused.
    let typed_sizes = Typed::new(lab, "sweep", "sweep-sizes");
    let sizes_refused = move || untrack(move || typed_sizes.is_invalid());
    let running = move || matches!(sweep.phase.get(), SweepPhase::Running { .. });
    let busy = move || lab.first_load();
    // Sweep pressed while the trainer starts (or before a deferred embed started it,
    // src/ui/start.rs): the sweep starts once the trainer is ready, and says why it waits.
    let queued = RwSignal::new(false);
    Effect::new(move |_| {
        if queued.get() && !busy() {
            queued.set(false);
            if !running() && !sizes_refused() {
                sweep.start();
            }
        }
    });
    // Sweep, or Retry after the workers' files did not download: the same press.
    let press = move || {
        // An invalid list is refused, not swapped for the last valid one.
        if busy() {
            lab.connect();
            queued.set(!sizes_refused());
        } else if !running() && !sizes_refused() {
            sweep.start();
        }
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
            {if focused {
                view! { <settings::FoldedSettings sweep=sweep typed_sizes=typed_sizes /> }.into_any()
            } else {
                view! { <settings::SweepSettings sweep=sweep typed_sizes=typed_sizes /> }.into_any()
            }}
            <div class="buttons">
                <button
                    class="primary"
                    data-testid="sweep"
                    aria-disabled=move || (running() || queued.get() || typed_sizes.is_invalid()).to_string()
                    on:click=move |_| press()
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
                <Progress sweep=sweep />
            </div>
            <Halted sweep=sweep retry=press />
            <Show when=move || busy() && lab.started.get()>
                <p class="hint" data-testid="sweep-waiting">{move || t().sweep_waiting}</p>
            </Show>
            {move || sweep.results.get().map(|r| view! { <Results lab=lab results=r focused=focused /> })}
        </section>
    }
}

/// Why the sweep's workers stopped for good, when their files did not download: the
/// single run's words and its Retry (`sweep-error`, `sweep-retry`), which sweeps again.
#[component]
fn Halted(sweep: Sweep, retry: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lab = sweep.lab;
    move || {
        // Workers that kept crashing offer no Retry (the rows say which runs failed).
        let fault = (sweep.halted.get()).filter(|&f| RunError::WorkerStopped(f).offers_retry())?;
        let text = move || stopped_for_good(lab.lang.get().strings(), fault);
        Some(view! {
            <p class="error" data-testid="sweep-error" role="alert">
                {text}
                " "
                <RetryButton lang=lab.lang test_id="sweep-retry" on_retry=retry />
            </p>
        })
    }
}

/// Runs done of how many, or how the sweep ended.
#[component]
fn Progress(sweep: Sweep) -> impl IntoView {
    let lab = sweep.lab;
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let done = move || match sweep.phase.get() {
        SweepPhase::Running { done, .. } => done,
        SweepPhase::Done => sweep.results.get().map_or(0, |r| r.runs.len()),
        SweepPhase::Cancelled { done } => done,
        SweepPhase::Idle => 0,
    };
    let text = move || match sweep.phase.get() {
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
                    &int(r.runs.len()),
                    &format!("{:.1}", r.seconds),
                    &int(r.workers),
                ],
            )
        }),
        SweepPhase::Cancelled { .. } => t().sweep_cancelled.to_owned(),
    };
    view! {
        <span
            class="sweep-progress"
            data-testid="sweep-progress"
            data-value=done
            role="status"
            aria-live="polite"
        >
            {text}
        </span>
    }
}

/// The results: the rows over seeds, the log–log chart and the fit, with their notes (folded
/// when `focused`).
#[component]
fn Results(lab: Lab, results: SweepResults, focused: bool) -> impl IntoView {
    let (seconds, train_seconds, workers) =
        (results.seconds, results.train_seconds, results.workers);
    let t = move || lab.lang.get().strings();
    let r = results;
    let body = if focused {
        view! {
            <table::SweepTable lab=lab results=r.clone() />
            <chart::SweepChart lab=lab results=r.clone() />
            <summary::SweepSummary lab=lab results=r.clone() />
            <details class="sweep-notes" data-testid="sweep-notes">
                <summary>{move || t().sweep_notes}</summary>
                <table::TableNotes lab=lab results=r.clone() />
                <summary::SummaryNotes lab=lab results=r />
            </details>
        }
        .into_any()
    } else {
        view! {
            <table::SweepTable lab=lab results=r.clone() />
            <table::TableNotes lab=lab results=r.clone() />
            <chart::SweepChart lab=lab results=r.clone() />
            <summary::SweepSummary lab=lab results=r.clone() />
            <summary::SummaryNotes lab=lab results=r />
        }
        .into_any()
    };
    view! {
        <div
            class="sweep-results"
            class:folded=focused
            data-testid="sweep-results"
            data-seconds=format!("{seconds}")
            data-train-seconds=format!("{train_seconds}")
            data-workers=workers
        >
            {body}
        </div>
    }
}
