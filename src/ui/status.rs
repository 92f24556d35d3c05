//! The status line: phase, epoch e/E, update s/S, samples seen, samples/s; announced
//! politely to screen readers.

use super::lab::{Lab, Phase};
use crate::i18n::fill;
use crate::trainer::session::ConfigError;
use crate::worker::protocol::RunError;
use leptos::prelude::*;

#[component]
pub fn StatusLine(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let int = move |n: usize| lab.lang.get().int(n);
    let phase_text = move || {
        let s = t();
        match lab.phase.get() {
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
            Phase::Ready => s.status_ready.to_owned(),
            Phase::Running => s.status_running.to_owned(),
            Phase::Paused => s.status_paused.to_owned(),
            Phase::Finished => s.status_finished.to_owned(),
            Phase::Diverged => s.status_diverged.to_owned(),
            Phase::Failed(error) => {
                let detail = match error {
                    RunError::Config(ConfigError::BadLearningRate) => s.error_bad_lr.to_owned(),
                    RunError::Config(ConfigError::ZeroWidth) => s.error_zero_width.to_owned(),
                    RunError::Config(_) => s.error_generic.to_owned(),
                    RunError::Data(m) => m,
                    RunError::MnistLoad(m) => fill(s.error_mnist, &[&m]),
                };
                fill(s.error_prefix, &[&detail])
            }
        }
    };
    let numbers = move || {
        let s = t();
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
    };
    let state = move || match lab.phase.get() {
        Phase::Starting => "starting",
        Phase::Loading(..) => "loading",
        Phase::Ready => "ready",
        Phase::Running => "running",
        Phase::Paused => "paused",
        Phase::Finished => "finished",
        Phase::Diverged => "diverged",
        Phase::Failed(_) => "error",
    };
    view! {
        <p class="status" data-testid="status" data-state=state role="status" aria-live="polite">
            <strong>{phase_text}</strong>
            {move || t().separator}
            <span>{numbers}</span>
        </p>
    }
}
