//! The status line: phase, epoch e/E, update s/S, samples seen, samples/s; announced
//! politely to screen readers. Test hooks on it: `data-state` (the phase) and
//! `data-seeds-ready` (the current group's seeds whose worker is ready).

use super::lab::{Lab, Phase};
use crate::i18n::Strings;
use crate::i18n::fill;
use crate::trainer::session::ConfigError;
use crate::worker::protocol::{DownloadFailure, MnistFailure, RunError, WorkerFault};
use leptos::prelude::*;

#[component]
pub fn StatusLine(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let state = move || match lab.phase.get() {
        Phase::Starting if !lab.started.get() => "idle",
        Phase::Starting => "starting",
        Phase::Loading(..) => "loading",
        Phase::Ready => "ready",
        Phase::Running => "running",
        Phase::Paused => "paused",
        Phase::Finished => "finished",
        Phase::Diverged => "diverged",
        Phase::Failed(_) => "error",
    };
    let blowup = move || blowup_text(lab);
    // How many of the current group's seeds have a worker ready with them (each is begun in
    // the history when its worker reports ready): a group trains in parallel only once all are.
    let seeds_ready = move || {
        lab.version.track();
        let members = lab.members();
        lab.history
            .with_value(|h| members.iter().filter(|&&r| h.get(r).is_some()).count())
    };
    let diverged_at = move || {
        (lab.phase.get() == Phase::Diverged)
            .then(|| lab.latest.get().map(|l| l.update))
            .flatten()
            .map(|u| fill(t().status_diverged_at, &[&lab.lang.get().int(u)]))
    };
    view! {
        <p
            class="status"
            data-testid="status"
            data-state=state
            data-seeds-ready=seeds_ready
            data-warning=move || blowup().map(|_| "loss-blowup")
            role="status"
            aria-live="polite"
        >
            <strong>{move || phase_text(lab, t())}</strong>
            {move || diverged_at().map(|d| view! { " " {d} })}
            // While the worker starts or MNIST downloads there is no run to count yet
            // ("Update 0/0"): the phase text alone says what is loading.
            {move || {
                let counting = !matches!(lab.phase.get(), Phase::Starting | Phase::Loading(..));
                counting.then(|| view! { {t().separator} <span>{move || numbers_text(lab, t())}</span> })
            }}
            {move || blowup().map(|w| view! { <span class="warning" data-testid="loss-warning">{w}</span> })}
        </p>
    }
}

/// The phase in words (tracked: the phase, the last worker death).
pub fn phase_text(lab: Lab, s: &'static Strings) -> String {
    match lab.phase.get() {
        // A deferred embed (src/ui/start.rs) before the reader acts.
        Phase::Starting if !lab.started.get() => s.status_not_started.to_owned(),
        Phase::Starting => s.status_starting.to_owned(),
        Phase::Loading(loaded, total) => {
            let amount = match total {
                Some(total) if total > 0 => {
                    format!("{:.0}%", 100.0 * loaded as f64 / total as f64)
                }
                _ => format!("{:.1} MB", loaded as f64 / 1e6),
            };
            fill(s.status_loading, &[&amount])
        }
        Phase::Ready => match lab.notice.get() {
            Some(fault) => fill(s.status_worker_restarted, &[&fault_text(s, fault)]),
            None => s.status_ready.to_owned(),
        },
        Phase::Running => s.status_running.to_owned(),
        Phase::Paused => s.status_paused.to_owned(),
        Phase::Finished => s.status_finished.to_owned(),
        Phase::Diverged => s.status_diverged.to_owned(),
        Phase::Failed(error) => fill(s.error_prefix, &[&error_text(lab, s, error)]),
    }
}

/// Why the run failed, and what the student can do.
fn error_text(lab: Lab, s: &'static Strings, error: RunError) -> String {
    match error {
        RunError::Config(ConfigError::BadLearningRate) => s.error_bad_lr.to_owned(),
        RunError::Config(ConfigError::ZeroWidth) => s.error_zero_width.to_owned(),
        RunError::Config(_) => s.error_generic.to_owned(),
        RunError::Data(m) => m,
        RunError::MnistLoad(failure) => format!(
            "{} {}",
            fill(s.error_mnist, &[&mnist_text(s, failure)]),
            s.mnist_retry_hint
        ),
        RunError::WorkerStopped(fault @ (WorkerFault::Crashed | WorkerFault::Silent))
            if lab.will_restart() =>
        {
            fill(s.status_worker_restarting, &[&fault_text(s, fault)])
        }
        RunError::WorkerStopped(fault) => stopped_for_good(s, fault),
    }
}

/// Epoch e/E, update s/S, samples seen and samples per second of the latest update shown.
fn numbers_text(lab: Lab, s: &'static Strings) -> String {
    let int = move |n: usize| lab.lang.get().int(n);
    let info = lab.info.get();
    let latest = lab.latest.get();
    let epochs = lab.experiment.get().config.epochs;
    let total = info.as_ref().map_or(0, |i| i.total_updates);
    let (epoch, update, samples, rate) = match &latest {
        Some(l) if l.elapsed_ms > 0.0 => (
            l.epoch,
            l.update,
            l.samples_seen,
            Some(l.samples_seen as f64 * 1000.0 / l.elapsed_ms),
        ),
        Some(l) => (l.epoch, l.update, l.samples_seen, None),
        None => (0, 0, 0, None),
    };
    let mut parts = vec![
        fill(s.status_epoch, &[&int(epoch), &int(epochs)]),
        fill(s.status_update, &[&int(update), &int(total)]),
        fill(s.status_samples, &[&int(samples)]),
    ];
    if let Some(rate) = rate {
        parts.push(fill(s.status_rate, &[&int(rate.round() as usize)]));
    }
    parts.join(s.separator)
}

/// A learning rate far too high may not make the loss infinite, only huge: say so while it
/// happens (the run goes on; a NaN/∞ loss stops it and says at which update).
fn blowup_text(lab: Lab) -> Option<String> {
    lab.shown.track();
    let run = lab.run.get();
    let (first, recent) = lab
        .history
        .with_value(|h| h.get(run).and_then(|r| r.loss_blowup()))?;
    let lr = lab.experiment.get().config.learning_rate;
    Some(fill(
        lab.lang.get().strings().warning_loss_blowup,
        &[
            &format!("{recent:.1}"),
            &format!("{first:.2}"),
            &format!("{lr:?}"),
        ],
    ))
}

/// Why the worker stopped, in the student's words.
fn fault_text(s: &Strings, fault: WorkerFault) -> String {
    match fault {
        WorkerFault::Crashed => s.worker_fault_crashed.to_owned(),
        WorkerFault::Silent => s.worker_fault_silent.to_owned(),
        WorkerFault::Download(failure) => download_text(s, failure),
    }
}

/// Why no worker will start again (until the student acts), and what to do: a failed
/// download names what failed and points at Retry; workers that kept dying point at a new
/// setting. The single run's status and the sweep panel say it alike.
pub fn stopped_for_good(s: &Strings, fault: WorkerFault) -> String {
    match fault {
        WorkerFault::Download(failure) => {
            fill(s.status_worker_download, &[&download_text(s, failure)])
        }
        fault => fill(s.status_worker_gave_up, &[&fault_text(s, fault)]),
    }
}

/// The Retry button a failed download offers ([`RunError::offers_retry`]): the single
/// run's (`retry`) and the sweep's (`sweep-retry`).
#[component]
pub fn RetryButton(
    lang: RwSignal<crate::i18n::Lang>,
    test_id: &'static str,
    on_retry: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button data-testid=test_id on:click=move |_| on_retry()>
            {move || lang.get().strings().retry}
        </button>
    }
}

/// Why the worker's files did not download, in the student's words.
fn download_text(s: &Strings, failure: DownloadFailure) -> String {
    match failure {
        DownloadFailure::Http(status @ (404 | 410)) => {
            fill(s.worker_download_missing, &[&status.to_string()])
        }
        DownloadFailure::Http(status) => fill(s.mnist_http, &[&status.to_string()]),
        DownloadFailure::Network => s.worker_download_network.to_owned(),
    }
}

/// Why MNIST could not be loaded, in the student's words (never the browser's error text).
fn mnist_text(s: &Strings, failure: MnistFailure) -> String {
    match failure {
        MnistFailure::Http(status @ (404 | 410)) => fill(s.mnist_not_found, &[&status.to_string()]),
        MnistFailure::Http(status) => fill(s.mnist_http, &[&status.to_string()]),
        MnistFailure::Network => s.mnist_network.to_owned(),
        MnistFailure::Damaged => s.mnist_damaged.to_owned(),
    }
}
