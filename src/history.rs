//! The session's run records and which of them are kept: every kept run's settings,
//! updates, epochs and validation points, keyed by [`RunId`].
//!
//! Charts, exports, overlays of several runs and the status line all read from here; how a
//! chart draws a run (its colour-and-marker slot, whether it is shown, the x axis) is the
//! charts' view state ([`crate::plot::looks`], [`crate::plot::view`]), which follows the
//! runs kept here. Up to [`MAX_RUNS`] of the student's runs are kept for overlays, and beside
//! them the runs of the latest batch-size sweep as one group (up to [`MAX_SWEEP_SIZES`]): a
//! sweep never pushes out a run the student trained. Each run has its [`Experiment`] (so a
//! run can be named by what differs from the others, [`labels`]) and the student's "pinned"
//! choice, which stays here because it decides which runs are dropped to make room.
//! Per-update values are kept as columns of `f32`; past [`STEP_CAPACITY`] rows, adjacent
//! pairs are merged (means, the later x), so a run of a million updates stays bounded in
//! memory while epoch and validation points are always kept exactly.

use crate::experiment::Experiment;
use crate::trainer::session::{Metrics, Status};
use crate::worker::protocol::{RunId, RunInfo, StepSummary};

pub mod groups;
pub mod labels;

/// Batch losses averaged to judge whether the loss blew up ([`RunHistory::loss_blowup`]).
pub const BLOWUP_WINDOW: usize = 20;
/// How far above its first loss a run's recent loss must be to count as blown up.
pub const BLOWUP_FACTOR: f32 = 10.0;

/// Per-update rows kept before pairs are merged.
pub const STEP_CAPACITY: usize = 1 << 17;

/// The x coordinates of one record on every axis.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Position {
    pub update: f64,
    pub samples: f64,
    pub seconds: f64,
}

/// Per-update values, one column each (merged pairwise past [`STEP_CAPACITY`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepColumns {
    pub update: Vec<f64>,
    pub samples: Vec<f64>,
    pub seconds: Vec<f32>,
    pub loss: Vec<f32>,
    pub accuracy: Vec<f32>,
    pub learning_rate: Vec<f32>,
    pub gradient_norm: Vec<f32>,
    /// The gradient-noise scale after each update (samples; NaN where there was none yet).
    pub noise_scale: Vec<f32>,
    /// Updates represented by each row since the last merge (1 until merging starts). Rows
    /// merged earlier stand for more: after a merge, a row holds two rows of the previous
    /// stride, so the newest rows (recorded since) may stand for fewer updates than this.
    pub stride: usize,
}

impl StepColumns {
    /// Rows kept.
    pub fn len(&self) -> usize {
        self.update.len()
    }

    /// True before the first update.
    pub fn is_empty(&self) -> bool {
        self.update.is_empty()
    }

    fn push(&mut self, s: &StepSummary) {
        self.update.push(s.update as f64);
        self.samples.push(s.samples_seen as f64);
        self.seconds.push((s.elapsed_ms / 1000.0) as f32);
        self.loss.push(s.loss as f32);
        self.accuracy.push(s.accuracy as f32);
        self.learning_rate.push(s.learning_rate);
        self.gradient_norm.push(s.gradient_norm as f32);
        self.noise_scale
            .push(s.noise_scale.map_or(f32::NAN, |v| v as f32));
        if self.len() > STEP_CAPACITY {
            self.merge_pairs();
        }
    }

    /// Halves the rows: x takes the later of each pair, values their mean.
    fn merge_pairs(&mut self) {
        fn later(v: &mut Vec<f64>) {
            *v = v.chunks(2).map(|c| c[c.len() - 1]).collect();
        }
        fn later32(v: &mut Vec<f32>) {
            *v = v.chunks(2).map(|c| c[c.len() - 1]).collect();
        }
        fn mean(v: &mut Vec<f32>) {
            *v = v
                .chunks(2)
                .map(|c| c.iter().sum::<f32>() / c.len() as f32)
                .collect();
        }
        later(&mut self.update);
        later(&mut self.samples);
        later32(&mut self.seconds);
        mean(&mut self.loss);
        mean(&mut self.accuracy);
        mean(&mut self.learning_rate);
        mean(&mut self.gradient_norm);
        later32(&mut self.noise_scale); // already a moving average: keep the later reading
        self.stride = self.stride.max(1) * 2;
    }
}

/// A value at a point of the run (an epoch end or a validation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub at: Position,
    pub metrics: Metrics,
}

/// Everything recorded for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunHistory {
    pub run: RunId,
    /// The settings the run was configured with (names it in the run list).
    pub experiment: Experiment,
    pub info: RunInfo,
    /// The sweep the run belongs to (named by the sweep's first run id); `None` for a run
    /// the student trained.
    pub sweep: Option<RunId>,
    /// Kept when older runs are dropped to make room.
    pub pinned: bool,
    pub steps: StepColumns,
    /// Training means per epoch (Keras `loss`/`accuracy`), at each epoch's last update.
    pub epochs: Vec<Point>,
    /// Validation evaluations (every epoch end, and every k updates if asked).
    pub validation: Vec<Point>,
    /// Set when the run ended.
    /// The largest Hessian eigenvalue of the training loss at the run's final weights, when
    /// the claims' sharp-minima card measured it (`None` until then).
    pub sharpness: Option<f64>,
    pub status: Option<Status>,
    /// The highest mean of [`BLOWUP_WINDOW`] consecutive recorded batch losses so far (NaN
    /// or ∞ once one was not finite); see [`RunHistory::loss_blowup`].
    peak_window_loss: f32,
}

impl RunHistory {
    /// An empty history for a configured run (not pinned).
    pub fn new(run: RunId, experiment: Experiment, info: RunInfo) -> Self {
        RunHistory {
            run,
            experiment,
            info,
            sweep: None,
            pinned: false,
            steps: StepColumns {
                stride: 1,
                ..StepColumns::default()
            },
            epochs: Vec::new(),
            validation: Vec::new(),
            status: None,
            sharpness: None,
            peak_window_loss: 0.0,
        }
    }

    /// Appends one update.
    pub fn record(&mut self, s: &StepSummary) {
        self.steps.push(s);
        let losses = &self.steps.loss;
        if losses.len() >= BLOWUP_WINDOW && self.peak_window_loss.is_finite() {
            let window = &losses[losses.len() - BLOWUP_WINDOW..];
            let mean = window.iter().sum::<f32>() / BLOWUP_WINDOW as f32;
            if !mean.is_finite() || mean > self.peak_window_loss {
                self.peak_window_loss = mean;
            }
        }
        let at = Position {
            update: s.update as f64,
            samples: s.samples_seen as f64,
            seconds: s.elapsed_ms / 1000.0,
        };
        if let Some(end) = &s.epoch_end {
            self.epochs.push(Point {
                at,
                metrics: end.train,
            });
        }
        if let Some(metrics) = s.validation {
            self.validation.push(Point { at, metrics });
        }
    }

    /// The latest gradient-noise scale (samples), if the run has one yet.
    pub fn noise_scale(&self) -> Option<f64> {
        self.steps
            .noise_scale
            .last()
            .filter(|v| v.is_finite())
            .map(|&v| f64::from(v))
    }

    /// Updates recorded.
    pub fn updates(&self) -> usize {
        self.steps.update.last().map_or(0, |&u| u as usize)
    }

    /// The loss blew up at some point of the run: the mean of some [`BLOWUP_WINDOW`]
    /// consecutive batch losses, or some epoch's mean, was over [`BLOWUP_FACTOR`] times the
    /// first batch loss (an untrained net's, about ln(classes)), or not finite. Healthy
    /// training never climbs that far above where it started; a learning rate far too high
    /// does. Once blown up, a run stays so: with lr 10 and SGD on MNIST the loss soars into
    /// the thousands within five updates, then the dead ReLUs leave it at chance level
    /// (~2.4) — a run that ends looking calm at chance accuracy must still say why.
    /// Returns the first loss and the worst of those means.
    pub fn loss_blowup(&self) -> Option<(f32, f32)> {
        let first = *self.steps.loss.first()?;
        let epochs = self
            .epochs
            .iter()
            .map(|p| p.metrics.loss as f32)
            .fold(0.0f32, |worst, l| {
                if !worst.is_finite() || !l.is_finite() {
                    worst + l // keeps the first NaN/∞
                } else {
                    worst.max(l)
                }
            });
        let peak = self.peak_window_loss;
        let worst = if peak.is_finite() && epochs.is_finite() {
            peak.max(epochs)
        } else if peak.is_finite() {
            epochs
        } else {
            peak
        };
        let blown = !worst.is_finite() || worst > BLOWUP_FACTOR * first;
        (blown && first.is_finite() && first > 0.0).then_some((first, worst))
    }
}

/// Which per-update value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Loss,
    Accuracy,
    LearningRate,
    GradientNorm,
    NoiseScale,
}

impl StepColumns {
    /// The column's values.
    pub fn values(&self, c: Column) -> &[f32] {
        match c {
            Column::Loss => &self.loss,
            Column::Accuracy => &self.accuracy,
            Column::LearningRate => &self.learning_rate,
            Column::GradientNorm => &self.gradient_norm,
            Column::NoiseScale => &self.noise_scale,
        }
    }
}

/// All runs of the session, oldest first, keyed by run id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    runs: Vec<RunHistory>,
}

/// The student's runs kept for overlays (a sweep's are kept apart, [`MAX_SWEEP_SIZES`]).
pub const MAX_RUNS: usize = 8;
/// A sweep's sizes kept beside the student's runs, as one group (each size with all its
/// seeds).
pub const MAX_SWEEP_SIZES: usize = 8;
/// The most runs on the charts at once: the student's and one sweep's. Each has its own
/// colour-and-marker pair ([`crate::plot::slots`]).
pub const MAX_VISIBLE: usize = MAX_RUNS + MAX_SWEEP_SIZES;

impl History {
    /// Starts recording `run`, trained by the student (replacing an earlier record of the
    /// same id). Beyond [`MAX_RUNS`] of the student's runs the oldest unpinned one is dropped
    /// (the oldest if every other one is pinned); the new run is never the one dropped, nor is
    /// a sweep's run.
    pub fn begin(&mut self, run: RunId, experiment: Experiment, info: RunInfo) {
        self.begin_in_group(run, experiment, info, &[]);
    }

    /// [`History::begin`] for one seed of a group trained together (`group`: its runs'
    /// ids): none of them is dropped to make room for another (a group of more seeds than
    /// [`MAX_RUNS`] is kept whole).
    pub fn begin_in_group(
        &mut self,
        run: RunId,
        experiment: Experiment,
        info: RunInfo,
        group: &[RunId],
    ) {
        self.begin_keeping(run, experiment, info, group);
    }

    /// [`History::begin`], keeping every run of `keep` (a group trained together, several
    /// groups opened together: a claims card's arms) whatever [`MAX_RUNS`] says.
    fn begin_keeping(&mut self, run: RunId, experiment: Experiment, info: RunInfo, keep: &[RunId]) {
        self.runs.retain(|r| r.run != run);
        let student = |r: &RunHistory| r.sweep.is_none() && !keep.contains(&r.run);
        let kept = self.runs.iter().filter(|r| keep.contains(&r.run)).count();
        if self.runs.iter().filter(|r| r.sweep.is_none()).count() >= MAX_RUNS.max(kept + 1) {
            let drop = (self.runs.iter())
                .position(|r| student(r) && !r.pinned)
                .or_else(|| self.runs.iter().position(student));
            if let Some(i) = drop {
                self.runs.remove(i);
            }
        }
        self.push(run, experiment, info, None);
    }

    /// Starts recording `run` of the sweep `sweep` in the sweep's group. The group holds one
    /// sweep: the runs of an earlier sweep go (its results are replaced too); the student's
    /// runs are never touched. A whole sweep of [`MAX_SWEEP_SIZES`] batch sizes is kept with
    /// all its seeds; a size beyond that pushes out the oldest size's runs.
    pub fn begin_sweep(&mut self, sweep: RunId, run: RunId, experiment: Experiment, info: RunInfo) {
        self.runs
            .retain(|r| r.run != run && r.sweep.is_none_or(|s| s == sweep));
        let in_group = |r: &RunHistory| r.sweep == Some(sweep);
        let b = experiment.config.batch_size;
        let size = |r: &RunHistory| r.experiment.config.batch_size;
        let mut sizes: Vec<usize> = Vec::new(); // the group's sizes, oldest first
        for r in self.runs.iter().filter(|r| in_group(r)) {
            if !sizes.contains(&size(r)) {
                sizes.push(size(r));
            }
        }
        if !sizes.contains(&b)
            && sizes.len() >= MAX_SWEEP_SIZES
            && let Some(&oldest) = sizes.first()
        {
            self.runs.retain(|r| !(in_group(r) && size(r) == oldest));
        }
        self.push(run, experiment, info, Some(sweep));
    }

    fn push(&mut self, run: RunId, experiment: Experiment, info: RunInfo, sweep: Option<RunId>) {
        let mut record = RunHistory::new(run, experiment, info);
        record.sweep = sweep;
        self.runs.push(record);
    }

    /// The sweep whose runs are kept as a group, if any.
    pub fn sweep_group(&self) -> Option<RunId> {
        self.runs.iter().find_map(|r| r.sweep)
    }

    /// Forgets every run of the sweep `sweep`.
    pub fn remove_sweep(&mut self, sweep: RunId) {
        self.runs.retain(|r| r.sweep != Some(sweep));
    }

    /// The record of `run`.
    pub fn get(&self, run: RunId) -> Option<&RunHistory> {
        self.runs.iter().find(|r| r.run == run)
    }

    /// The record of `run`, to append to.
    pub fn get_mut(&mut self, run: RunId) -> Option<&mut RunHistory> {
        self.runs.iter_mut().find(|r| r.run == run)
    }

    /// Forgets `run`.
    pub fn remove(&mut self, run: RunId) {
        self.runs.retain(|r| r.run != run);
    }

    /// Adds `groups`, each of runs that differ only in seed (a claims card's arms), as seed
    /// groups of the student's runs, each with everything it recorded. Every run of every
    /// group is kept, beyond [`MAX_RUNS`] if need be (a card of 4 arms × 3 seeds is 12 runs;
    /// keeping only the newest arms would silently drop part of the card); older runs go
    /// first. A record already here (the same card opened twice) is replaced.
    pub fn adopt_groups(&mut self, groups: &[Vec<RunHistory>]) {
        let keep: Vec<RunId> = groups.iter().flatten().map(|r| r.run).collect();
        for r in groups.iter().flatten() {
            self.begin_keeping(r.run, r.experiment.clone(), r.info.clone(), &keep);
            if let Some(kept) = self.get_mut(r.run) {
                *kept = r.clone();
            }
        }
    }

    /// Forgets `run` if it recorded no update: a run the student configured but never
    /// trained leaves nothing on the charts or in the run list.
    pub fn remove_if_empty(&mut self, run: RunId) {
        self.runs.retain(|r| r.run != run || r.updates() > 0);
    }

    /// Forgets every run but `keep` (the current one, if any).
    pub fn clear_except(&mut self, keep: Option<RunId>) {
        self.runs.retain(|r| Some(r.run) == keep);
    }

    /// Forgets every run but those of `keep` (the current group's).
    pub fn clear_except_all(&mut self, keep: &[RunId]) {
        self.runs.retain(|r| keep.contains(&r.run));
    }

    /// Every run kept, oldest first.
    pub fn runs(&self) -> &[RunHistory] {
        &self.runs
    }

    /// The student's runs in seed groups ([`groups`]), oldest first.
    pub fn groups(&self) -> Vec<groups::Group> {
        groups::groups(&self.runs)
    }

    /// Every seed group with its finished seeds, oldest first, named in English as the run
    /// list names them: what the comparison panel takes ([`crate::comparison`]).
    pub fn group_finals(&self) -> Vec<crate::comparison::GroupFinals> {
        self.group_finals_in(crate::i18n::Lang::En)
    }

    /// [`History::group_finals`] named in `lang`.
    pub fn group_finals_in(&self, lang: crate::i18n::Lang) -> Vec<crate::comparison::GroupFinals> {
        groups::finals(&self.runs, &labels::group_labels(&self.runs, lang))
    }
}

/// Synthetic runs for unit tests here and in [`crate::export`].
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::experiment::Experiment;
    use crate::trainer::session::{EpochSummary, Metrics};
    use crate::worker::protocol::{RunInfo, StepSummary};

    /// The experiment of [`info`]'s runs (B = 10, 3 epochs).
    pub fn experiment(upe: usize) -> Experiment {
        let mut e = Experiment {
            train_size: upe * 10,
            ..Experiment::default()
        };
        e.config.batch_size = 10;
        e.config.epochs = 3;
        e
    }

    /// [`experiment`] (2 updates an epoch as written) at batch size `b`.
    pub fn sized(b: usize) -> Experiment {
        let mut e = experiment(2);
        e.config.batch_size = b;
        e
    }

    /// A run of 3 epochs of `upe` updates, B = 10.
    pub fn info(upe: usize, validation_size: usize) -> RunInfo {
        RunInfo {
            train_size: upe * 10,
            validation_size,
            batch_size: 10,
            updates_per_epoch: upe,
            total_updates: upe * 3,
            epochs: 3,
            features: 2,
            classes: 2,
            parameter_count: 0,
            flops_per_sample: 0,
            points: None,
            validation_points: None,
        }
    }

    /// Update `update` with batch loss `loss`; at epoch ends an epoch summary (training
    /// loss `2·loss`) and, with `validate`, a validation point (loss `1 + update`).
    pub fn step(update: usize, loss: f64, upe: usize, validate: bool) -> StepSummary {
        let end = update.is_multiple_of(upe);
        let val = (validate && end).then_some(Metrics {
            loss: 1.0 + update as f64,
            accuracy: 0.5,
        });
        StepSummary {
            update,
            epoch: (update - 1) / upe + 1,
            step_in_epoch: (update - 1) % upe + 1,
            batch_size: 10,
            learning_rate: 0.001,
            loss,
            accuracy: 0.25,
            gradient_norm: 1.5,
            samples_seen: update * 10,
            elapsed_ms: update as f64 * 100.0,
            validation: val,
            epoch_end: end.then(|| EpochSummary {
                epoch: update / upe,
                train: Metrics {
                    loss: loss * 2.0,
                    accuracy: 0.75,
                },
                validation: val,
            }),
            noise_scale: Some(400.0 + update as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{experiment, info, sized, step};
    use super::*;

    #[test]
    fn records_steps_epochs_and_validation() {
        let mut run = RunHistory::new(1, experiment(4), info(4, 0));
        for u in 1..=8 {
            run.record(&step(u, u as f64, 4, true));
        }
        assert_eq!(run.updates(), 8);
        assert_eq!(run.epochs.len(), 2);
        assert_eq!(run.validation.len(), 2);
        assert_eq!(run.epochs[1].at.update, 8.0);
        assert_eq!(run.validation[1].at.samples, 80.0);
    }

    #[test]
    fn memory_stays_bounded_by_merging_pairs() {
        let mut run = RunHistory::new(1, experiment(1_000_000), info(1_000_000, 0));
        for u in 1..=(STEP_CAPACITY * 2 + 10) {
            run.record(&step(u, 1.0, 1_000_000, true));
        }
        assert!(run.steps.len() <= STEP_CAPACITY);
        assert!(run.steps.stride >= 2);
        assert_eq!(
            run.updates(),
            STEP_CAPACITY * 2 + 10,
            "the last update is kept"
        );
        assert!(run.steps.loss.iter().all(|&l| l == 1.0));
    }

    #[test]
    fn history_is_keyed_by_run_and_bounded() {
        let mut h = History::default();
        for run in 0..10 {
            h.begin(run, experiment(2), info(2, 0));
        }
        assert_eq!(h.runs().len(), MAX_RUNS);
        assert!(h.get(0).is_none() && h.get(1).is_none() && h.get(9).is_some());
        h.get_mut(9).unwrap().record(&step(1, 2.0, 2, true));
        assert_eq!(h.get(9).unwrap().updates(), 1);
        h.remove(9);
        assert!(h.get(9).is_none());
    }

    #[test]
    fn eviction_keeps_pinned_runs_and_the_new_one() {
        let mut h = History::default();
        for run in 0..MAX_RUNS as u32 {
            h.begin(run, experiment(2), info(2, 0));
        }
        h.get_mut(0).unwrap().pinned = true;
        h.get_mut(1).unwrap().pinned = true;
        h.begin(100, experiment(2), info(2, 0));
        assert!(h.get(0).is_some() && h.get(1).is_some(), "pinned runs stay");
        assert!(h.get(2).is_none(), "the oldest unpinned run goes");
        for r in 0..MAX_RUNS as u32 {
            if let Some(run) = h.get_mut(r) {
                run.pinned = true;
            }
        }
        h.get_mut(100).unwrap().pinned = true;
        h.begin(101, experiment(2), info(2, 0));
        assert_eq!(h.runs().len(), MAX_RUNS);
        assert!(h.get(101).is_some(), "the new run is never dropped");
        assert!(h.get(0).is_none(), "with all pinned, the oldest goes");
    }

    #[test]
    fn a_sweep_keeps_every_seed_of_its_sizes() {
        let mut h = History::default();
        h.begin(1, experiment(2), info(2, 0));
        // Six sizes × three seeds, seeds of a size interleaved with other sizes' (as a pool
        // of workers finishes them).
        let mut run = 100;
        for seed in [42, 43, 44] {
            for b in [1, 2, 4, 8, 16, 32] {
                let mut e = sized(b);
                e.config.seed = seed;
                h.begin_sweep(100, run, e, info(2, 0));
                run += 1;
            }
        }
        let sweep: Vec<&RunHistory> = h.runs().iter().filter(|r| r.sweep == Some(100)).collect();
        assert_eq!(sweep.len(), 18, "every seed of every size kept");
        // Sizes beyond MAX_SWEEP_SIZES push out the oldest size with all its seeds.
        h.begin_sweep(100, 200, sized(64), info(2, 0));
        h.begin_sweep(100, 201, sized(128), info(2, 0));
        h.begin_sweep(100, 202, sized(256), info(2, 0));
        let sizes = |h: &History| {
            let mut b: Vec<usize> = (h.runs().iter())
                .filter(|r| r.sweep == Some(100))
                .map(|r| r.experiment.config.batch_size)
                .collect();
            b.sort_unstable();
            b.dedup();
            b
        };
        assert_eq!(sizes(&h), [2, 4, 8, 16, 32, 64, 128, 256]);
        assert_eq!(
            h.runs().iter().filter(|r| r.sweep == Some(100)).count(),
            15 + 3
        );
        assert!(h.get(1).is_some(), "the student's run stays");
    }

    #[test]
    fn a_sweep_never_evicts_a_student_run() {
        let mut h = History::default();
        for run in 0..MAX_RUNS as u32 {
            h.begin(run, experiment(2), info(2, 0));
        }
        // A sweep of eight sizes beside eight student runs: all sixteen stay.
        for run in 100..100 + MAX_SWEEP_SIZES as u32 {
            h.begin_sweep(100, run, sized(run as usize), info(2, 0));
        }
        assert_eq!(h.runs().len(), MAX_VISIBLE);
        for run in 0..MAX_RUNS as u32 {
            assert!(h.get(run).is_some_and(|r| r.sweep.is_none()), "{run}");
        }
        assert_eq!(h.sweep_group(), Some(100));
        // A new student run pushes out the oldest student run, not a sweep run.
        h.begin(50, experiment(2), info(2, 0));
        assert!(h.get(0).is_none() && h.get(50).is_some());
        assert_eq!(h.runs().iter().filter(|r| r.sweep == Some(100)).count(), 8);
        // A new sweep replaces the old group, and only it.
        h.begin_sweep(200, 200, experiment(2), info(2, 0));
        assert!(h.runs().iter().all(|r| r.sweep != Some(100)));
        assert_eq!(h.sweep_group(), Some(200));
        assert_eq!(h.runs().len(), MAX_RUNS + 1);
        h.remove_sweep(200);
        assert_eq!(h.runs().len(), MAX_RUNS);
        assert_eq!(h.sweep_group(), None);
    }

    #[test]
    fn empty_runs_go_and_clearing_keeps_the_current_one() {
        let mut h = History::default();
        h.begin(1, experiment(2), info(2, 0));
        h.get_mut(1).unwrap().record(&step(1, 1.0, 2, false));
        h.begin(2, experiment(2), info(2, 0));
        h.remove_if_empty(1);
        h.remove_if_empty(2);
        assert_eq!(h.runs().iter().map(|r| r.run).collect::<Vec<_>>(), [1]);
        h.begin(3, experiment(2), info(2, 0));
        h.clear_except(Some(3));
        assert_eq!(h.runs().len(), 1);
    }

    #[test]
    fn a_loss_far_above_its_start_is_a_blowup() {
        let mut healthy = RunHistory::new(1, experiment(100), info(100, 0));
        for u in 1..=100 {
            healthy.record(&step(u, 2.3 / (1.0 + u as f64 / 10.0), 100, false));
        }
        assert_eq!(healthy.loss_blowup(), None);
        let mut wild = RunHistory::new(2, experiment(100), info(100, 0));
        for u in 1..=100 {
            wild.record(&step(u, if u < 5 { 2.3 } else { 70.0 }, 100, false));
        }
        let (first, worst) = wild.loss_blowup().expect("70 is far above 2.3");
        assert_eq!(first, 2.3);
        assert_eq!(
            worst, 140.0,
            "the fixture's epoch mean (2 × 70) is the worse"
        );
        let mut spike = RunHistory::new(3, experiment(100), info(100, 0));
        for u in 1..=100 {
            spike.record(&step(u, if u == 99 { 30.0 } else { 1.0 }, 100, false));
        }
        assert_eq!(spike.loss_blowup(), None, "one spike in 20 is not a blowup");
        // lr 10 with SGD on MNIST: thousands within five updates, then chance level (~2.4)
        // for the rest of the run; the warning stays.
        let mut calmed = RunHistory::new(5, experiment(1000), info(1000, 0));
        for u in 1..=1000 {
            let loss = match u {
                2 => 52.0,
                3 => 3853.0,
                4 => 1930.0,
                _ => 2.4,
            };
            calmed.record(&step(u, loss, 1000, false));
        }
        let (_, worst) = calmed.loss_blowup().expect("a blow-up that calmed down");
        assert!(worst > 250.0, "{worst}");
        let mut nan = RunHistory::new(6, experiment(100), info(100, 0));
        for u in 1..=30 {
            nan.record(&step(u, if u == 25 { f64::NAN } else { 2.3 }, 100, false));
        }
        assert!(nan.loss_blowup().is_some_and(|(_, w)| w.is_nan()));
        assert_eq!(
            RunHistory::new(4, experiment(1), info(1, 0)).loss_blowup(),
            None
        );
    }

    #[test]
    fn an_adopted_group_is_one_seed_group_with_its_records() {
        let upe = 4;
        let mut h = History::default();
        let mut other = fixtures::experiment(upe);
        other.config.batch_size = 5;
        h.begin(1, other, fixtures::info(upe, 10));
        let records: Vec<RunHistory> = (0..3u64)
            .map(|k| {
                let mut e = fixtures::experiment(upe);
                e.config.seed = k + 1;
                let mut r = RunHistory::new(100 + k as RunId, e, fixtures::info(upe, 10));
                (1..=upe).for_each(|u| r.record(&fixtures::step(u, 1.0, upe, true)));
                r.status = Some(crate::trainer::session::Status::Finished);
                r
            })
            .collect();
        h.adopt_groups(std::slice::from_ref(&records));
        assert_eq!(h.runs().len(), 4);
        let g = h.groups();
        assert_eq!(g.last().unwrap().runs, vec![100, 101, 102]);
        assert_eq!(h.get(101).unwrap().updates(), upe);
        // Opened again: replaced, not doubled.
        h.adopt_groups(std::slice::from_ref(&records));
        assert_eq!(h.runs().len(), 4);
    }

    /// A card of 4 arms × 3 seeds (12 runs, more than MAX_RUNS) is kept whole: every arm
    /// one group; the student's older runs go, pinned or not.
    #[test]
    fn every_arm_of_a_card_is_kept_beyond_the_cap() {
        let upe = 4;
        let mut h = History::default();
        for run in 0..3 {
            h.begin(run, fixtures::experiment(upe), fixtures::info(upe, 10));
        }
        h.get_mut(1).unwrap().pinned = true;
        let arm = |a: usize| -> Vec<RunHistory> {
            (0..3u64)
                .map(|k| {
                    let mut e = fixtures::experiment(upe);
                    e.config.batch_size = 1 << a;
                    e.config.seed = k + 1;
                    let mut r = RunHistory::new(
                        100 + (a * 3) as RunId + k as RunId,
                        e,
                        fixtures::info(upe, 10),
                    );
                    r.record(&fixtures::step(1, 1.0, upe, true));
                    r
                })
                .collect()
        };
        let card: Vec<Vec<RunHistory>> = (0..4).map(arm).collect();
        assert!(card.iter().flatten().count() > MAX_RUNS);
        h.adopt_groups(&card);
        let ids: Vec<RunId> = h.runs().iter().map(|r| r.run).collect();
        assert_eq!(
            ids,
            (100..112).collect::<Vec<_>>(),
            "the card whole, nothing else"
        );
        let groups = h.groups();
        assert_eq!(groups.len(), 4);
        // The next run the student trains pushes out the card's oldest run, as any other.
        h.begin(200, fixtures::experiment(upe), fixtures::info(upe, 10));
        assert_eq!(h.runs().len(), 12);
        assert!(h.get(100).is_none() && h.get(200).is_some());
    }
}
