//! The page's state and its conversation with the worker: one [`Lab`] (a bundle of
//! signals, `Copy`) that controls read and write, and that turns worker events into
//! history and readouts. Events from a run the page has left are dropped here.
//!
//! Runs are kept for comparison: a run that recorded at least one update stays in the
//! history (and on the charts) when the student changes a setting or trains again, until
//! [`crate::history::MAX_RUNS`] push the oldest unpinned one out; Reset discards only the
//! current run.
//!
//! Seed repeats (`seeds` = k, issue 22): Train trains k copies of the experiment with seeds
//! s, s+1, …, s+k−1 as one group of jobs in the same pool, in parallel (as many workers as
//! [`crate::sweep::worker_count`] allows; the rest wait in the queue). `run` is the group's
//! first run; every command (pause, step, speed, reset) goes to every member, and the group
//! has finished when every member has. Each job carries its own seed, so a seed trains the
//! same numbers alone or beside others.
//!
//! The single run trains in a pool of one worker ([`crate::worker::pool`], which keeps the
//! worker between runs): each configuration is a job, cancelled when the next replaces it.
//! The worker can die (a panic or trap, out of memory, `terminate()`, a hang, or files that
//! did not download); the pool notices and says so, and the page says so in the status
//! line and configures the current settings again as a new job (the pool starts a fresh
//! worker, within its restart budget), keeping every kept run's history. A worker whose
//! files did not download is not restarted: the status offers Retry. Tests make the worker
//! fail through a hook that exists only in a browser driven by WebDriver
//! (`navigator.webdriver`): see [`Lab::install_fault_hook`]. No URL and no normal browser
//! can reach it.

use crate::boundary::Grid;
use crate::experiment::Experiment;
use crate::history::{History, RunHistory};
use crate::i18n::Lang;
use crate::plot::ChartView;
use crate::plot::looks::Looks;
use crate::plot::pacing::{DISPLAY_INTERVAL_PACED_MS, display_interval_ms, next_display_at};
use crate::trainer::session::{Status, batch_in_effect};
use crate::url_state::{PageState, Panel};
use crate::worker::host::Job;
use crate::worker::pool::PoolEvent;
use crate::worker::protocol::{
    BatchDetail, Command, Event, RunError, RunId, RunInfo, Speed, StepSummary, WorkerFault,
};
use crate::worker::shell::WorkerPool;
use leptos::prelude::*;

/// The most seeds one Train repeats the experiment with: the top of the `seeds` key's range
/// ([`crate::settings::SEEDS_RANGE`], its one home).
pub const MAX_SEEDS: usize = crate::settings::SEEDS_RANGE.1 as usize;

/// Where the current run stands, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Waiting for the worker to answer a configuration.
    Starting,
    /// Downloading MNIST: bytes so far and the total if known.
    Loading(u64, Option<u64>),
    Ready,
    Running,
    Paused,
    Finished,
    Diverged,
    Failed(RunError),
}

/// The page's state. Cheap to copy into every closure.
#[derive(Clone, Copy)]
pub struct Lab {
    pub lang: RwSignal<Lang>,
    pub experiment: RwSignal<Experiment>,
    pub run: RwSignal<RunId>,
    pub info: RwSignal<Option<RunInfo>>,
    pub phase: RwSignal<Phase>,
    pub latest: RwSignal<Option<StepSummary>>,
    pub batch: RwSignal<Option<BatchDetail>>,
    /// For 2-D data: the latest decision boundary the worker sent.
    pub boundary: RwSignal<Option<Grid>>,
    pub speed: RwSignal<Speed>,
    /// How the charts show the runs: x axis, log x, smoothing.
    pub view: RwSignal<ChartView>,
    /// How the charts show each run: its colour-and-marker slot and whether it is shown
    /// (read through [`crate::ui::charts::with_looks`], which follows `history`).
    pub looks: StoredValue<Looks>,
    /// The sweep's batch sizes and target accuracy as the student set them (`None`: the
    /// defaults for the data), and a fixed worker count (`None`: the measured rule).
    pub sweep_sizes: RwSignal<Option<Vec<usize>>>,
    pub sweep_target: RwSignal<Option<f64>>,
    pub sweep_workers: RwSignal<Option<usize>>,
    /// The seed-group settings of a link ([`PageState`]'s `seeds`, `sweep_mode`,
    /// `sweep_seeds`, `sweep_budget`), kept so the address carries them on.
    pub seeds: RwSignal<u32>,
    pub sweep_mode: RwSignal<crate::sweep::SweepMode>,
    pub sweep_seeds: RwSignal<u32>,
    pub sweep_budget: RwSignal<Option<usize>>,
    /// The race view's second batch size: the group is then two runs of the same seed, the
    /// first at the experiment's batch size, the second at this one (`None`: a seed group).
    pub race: RwSignal<Option<usize>>,
    /// The sweep's workers alive now (0 when no sweep runs): with the single run's worker,
    /// how many cores train, which sets how often the charts may redraw.
    pub sweep_live: RwSignal<usize>,
    /// Every run's records; `version` is bumped whenever it changes, `shown` follows it at
    /// the pace the page can afford ([`Lab::pace_display`]): what reads the history to show
    /// it (charts, run list, status, export) tracks `shown`.
    pub history: StoredValue<History>,
    pub version: RwSignal<u64>,
    pub shown: RwSignal<u64>,
    /// The last update the worker reported, put in `latest` when `shown` follows `version`.
    received: StoredValue<Option<StepSummary>>,
    /// When `shown` last followed `version` (page clock, ms).
    shown_at: StoredValue<f64>,
    /// Start training as soon as the pending configuration is ready.
    start_when_ready: StoredValue<bool>,
    /// Take one update as soon as the pending configuration is ready (Step pressed in a
    /// deferred embed before its worker existed, src/ui/start.rs).
    step_when_ready: StoredValue<bool>,
    /// The newest batch the worker sent, put in `batch` when `shown` follows `version`.
    held_batch: StoredValue<Option<BatchDetail>>,
    /// The current group's runs (`run` first, then one per further seed), and those that
    /// ended.
    members: StoredValue<Vec<RunId>>,
    ended: StoredValue<Vec<RunId>>,
    /// The single run's pool (`None` until [`Lab::connect`]): one worker per seed being
    /// trained, up to the worker count rule.
    pool: StoredValue<Option<WorkerPool>, LocalStorage>,
    /// The last worker death, shown in the status line until the student acts.
    pub notice: RwSignal<Option<WorkerFault>>,
    /// The training worker's wasm memory in bytes, as its latest progress reported it.
    pub wasm_memory: RwSignal<Option<u64>>,
    /// Whether the worker has been started ([`Lab::connect`]). An embed defers it until the
    /// reader first acts (src/ui/start.rs), so a post with four embeds does not start four
    /// trainers and four MNIST downloads on load.
    pub started: RwSignal<bool>,
}

impl Lab {
    /// State for `experiment` in `lang`; call [`Lab::connect`] to start the worker.
    pub fn new(experiment: Experiment, lang: Lang) -> Self {
        Lab {
            lang: RwSignal::new(lang),
            experiment: RwSignal::new(experiment),
            run: RwSignal::new(0),
            info: RwSignal::new(None),
            phase: RwSignal::new(Phase::Starting),
            latest: RwSignal::new(None),
            batch: RwSignal::new(None),
            boundary: RwSignal::new(None),
            speed: RwSignal::new(Speed::PAGE_DEFAULT),
            view: RwSignal::new(ChartView::default()),
            looks: StoredValue::new(Looks::default()),
            sweep_sizes: RwSignal::new(None),
            sweep_target: RwSignal::new(None),
            sweep_workers: RwSignal::new(None),
            seeds: RwSignal::new(PageState::default().seeds),
            sweep_mode: RwSignal::new(PageState::default().sweep_mode),
            sweep_seeds: RwSignal::new(PageState::default().sweep_seeds),
            race: RwSignal::new(None),
            sweep_budget: RwSignal::new(None),
            sweep_live: RwSignal::new(0),
            history: StoredValue::new(History::default()),
            version: RwSignal::new(0),
            shown: RwSignal::new(0),
            received: StoredValue::new(None),
            shown_at: StoredValue::new(f64::NEG_INFINITY),
            start_when_ready: StoredValue::new(false),
            step_when_ready: StoredValue::new(false),
            held_batch: StoredValue::new(None),
            members: StoredValue::new(vec![0]),
            ended: StoredValue::new(Vec::new()),
            pool: StoredValue::new_local(None),
            notice: RwSignal::new(None),
            wasm_memory: RwSignal::new(None),
            started: RwSignal::new(false),
        }
    }

    /// Everything the URL carries, read from the page's state (tracked, so an effect that
    /// calls it follows every setting).
    pub fn page_state(&self, embed: bool, hide: Vec<Panel>) -> PageState {
        PageState {
            experiment: self.experiment.get(),
            lang: Some(self.lang.get()),
            speed: self.speed.get(),
            embed,
            hide,
            view: self.view.get(),
            sweep_sizes: self.sweep_sizes.get(),
            sweep_target: self.sweep_target.get(),
            sweep_workers: self.sweep_workers.get(),
            seeds: self.seeds.get(),
            sweep_mode: self.sweep_mode.get(),
            sweep_seeds: self.sweep_seeds.get(),
            sweep_budget: self.sweep_budget.get(),
            // The page's view is not the lab's: the page sets it (src/ui/mod.rs).
            layout: crate::layout::Layout::Full,
            claim: None,
            race_b: self.race.get().unwrap_or(crate::layout::RACE_B),
        }
    }

    /// Workers training now: the single run's group (while it runs) and the sweep's.
    pub fn training_workers(&self) -> usize {
        let group = self.members.with_value(Vec::len).min(self.pool_size());
        self.sweep_live.get()
            + if self.phase.get() == Phase::Running {
                group
            } else {
                0
            }
    }

    /// Workers the single run's pool may have: the sweep's rule for the most seeds.
    fn pool_size(&self) -> usize {
        // A race's two runs each have their own worker, whatever the core count: run one
        // after the other they would be no race.
        if self.race.get_untracked().is_some() {
            return 2;
        }
        crate::sweep::worker_count(crate::ui::cores(), MAX_SEEDS)
    }

    /// The current group's run ids, its first run first.
    pub fn members(&self) -> Vec<RunId> {
        self.members.get_value()
    }

    /// Every seed group with its finished seeds (oldest first), for the comparison panel;
    /// tracks `shown`, so it follows the history as the page shows it.
    pub fn group_finals(&self) -> Vec<crate::comparison::GroupFinals> {
        self.shown.track();
        let lang = self.lang.get();
        self.history.with_value(|h| h.group_finals_in(lang))
    }

    /// Sets how many seeds Train trains (1–[`MAX_SEEDS`]); like a setting, a group in
    /// progress restarts with it.
    pub fn set_seeds(&self, k: u32) {
        let k = k.clamp(1, MAX_SEEDS as u32);
        if k != self.seeds.get_untracked() {
            self.seeds.set(k);
            let running = self.phase.get_untracked() == Phase::Running;
            self.configure(running);
        } else {
            self.seeds.set(k);
        }
    }

    /// Makes `shown` follow `version`, and `latest` and `batch` what the worker reported:
    /// at once while nothing trains, else at most every
    /// [`display_interval_ms`](crate::plot::pacing::display_interval_ms) (the first change after
    /// a quiet spell at once), or every [`DISPLAY_INTERVAL_PACED_MS`] when only a paced run
    /// trains. Why: training sends ~60 messages a second per worker, and the page showing
    /// each took the cores the training needs (`crate::plot::pacing`).
    pub fn pace_display(self) {
        let cores = crate::ui::cores();
        let pending = StoredValue::new(false);
        // Tracks the workers too: when training stops (a run ends or pauses, a sweep is
        // cancelled) the display catches up at once instead of up to one interval later.
        Effect::new(move |_| {
            self.version.track();
            let paced = self.sweep_live.get() == 0 && self.speed.get() != Speed::Max;
            let interval = display_interval_ms(self.training_workers(), cores)
                .map(|i| if paced { DISPLAY_INTERVAL_PACED_MS } else { i });
            let Some(interval) = interval else {
                pending.set_value(false);
                self.show_progress();
                return;
            };
            if pending.get_value() {
                return;
            }
            let now = super::now_ms();
            let at = next_display_at(now, self.shown_at.get_value(), interval);
            if at <= now {
                self.show_progress();
                return;
            }
            pending.set_value(true);
            set_timeout(
                move || {
                    if pending.try_set_value(false).is_none() {
                        self.show_progress();
                    }
                },
                std::time::Duration::from_millis((at - now).ceil() as u64),
            );
        });
    }

    /// Puts the latest progress on screen: `shown`, `latest` and the held batch.
    fn show_progress(&self) {
        self.shown_at.set_value(super::now_ms());
        if let Some(batch) = self.held_batch.try_update_value(Option::take).flatten() {
            self.batch.set(Some(batch));
        }
        let received = self.received.get_value();
        if self.latest.get_untracked() != received {
            self.latest.set(received);
        }
        self.shown.set(self.version.get_untracked());
    }

    /// Makes the single run's pool (its worker lives as long as the page), configures the
    /// first run and installs the test-fault hook. Once: later calls do nothing (a deferred
    /// embed calls it on every first-interaction path, [`Lab::train`] included).
    pub fn connect(self) {
        if self.started.get_untracked() {
            return;
        }
        self.started.set(true);
        let pool = WorkerPool::new(self.pool_size(), 1, move |event| self.on_pool_event(event));
        self.pool.set_value(Some(pool));
        crate::worker::shell::prefetch(
            self.experiment.get_untracked().source == crate::experiment::DataSource::Mnist,
        );
        self.configure(false);
        self.install_fault_hook();
    }

    /// Whether the page has never had a ready run: its worker starts (or, in a deferred
    /// embed, waits for the reader) or MNIST downloads. Not a later reconfiguration, which
    /// keeps the runs on the charts.
    pub fn first_load(&self) -> bool {
        matches!(self.phase.get(), Phase::Starting | Phase::Loading(..))
            && self.info.get().is_none()
    }

    fn pool(&self) -> Option<WorkerPool> {
        self.pool.get_value()
    }

    /// Whether a worker will train the next run: false after the pool gave up on its
    /// workers (they kept dying, or their files did not download) until the student acts.
    pub fn will_restart(&self) -> bool {
        self.pool().is_some_and(|p| p.halted().is_none())
    }

    /// Sends `command` to the current run's worker (the pool knows what it then owes).
    fn send(&self, command: Command) {
        if let Some(pool) = self.pool() {
            pool.send(command);
        }
    }

    /// Sends the command `make` builds for each member of the current group.
    fn send_all(&self, make: impl Fn(RunId) -> Command) {
        for run in self.members() {
            self.send(make(run));
        }
    }

    /// What the pool reports: the current run's worker events, or its worker's death.
    fn on_pool_event(self, event: PoolEvent) {
        match event {
            PoolEvent::Worker(event) => self.on_event(event),
            PoolEvent::Stopped { run, fault, halted } => self.worker_died(run, fault, halted),
            PoolEvent::Workers(_) => {}
        }
    }

    /// The current run's worker is gone: say so and (unless the pool halted) configure the
    /// current settings again as a new job, in a fresh worker. Kept runs, and the current
    /// run's updates so far, stay on the charts.
    fn worker_died(self, run: RunId, fault: WorkerFault, halted: bool) {
        if !self.members.with_value(|m| m.contains(&run)) {
            return; // a run the page has left
        }
        self.notice.set(Some(fault));
        if !halted {
            self.configure_job(false);
        }
        // `error` until the fresh worker is ready (or the student acts, if none was started).
        self.phase
            .set(Phase::Failed(RunError::WorkerStopped(fault)));
    }

    /// For the end-to-end tests only: in a browser driven by WebDriver
    /// (`navigator.webdriver` is true; no URL and no setting can make it so), a
    /// `batch-lab-test-fault` event on `document` makes the worker fail. Its `detail`:
    /// `"crash"` sends the worker a message it cannot decode (gloo-worker panics, the wasm
    /// traps, the worker reports an `error`); `"silence"` terminates it behind the page's
    /// back (no event at all: only the silence check can notice).
    fn install_fault_hook(self) {
        super::test_fault::listen(move |fault| {
            if let Some(pool) = self.pool() {
                pool.with_first_worker(|worker| super::test_fault::inflict(worker, fault));
            }
        });
    }

    /// Tries a failed download again: MNIST (the worker then bypasses the browser's cache)
    /// or the worker's own files (the pool starts workers again).
    pub fn retry(&self) {
        self.notice.set(None);
        self.configure(false);
    }

    /// Starts a new run with the current settings; with `start`, training begins as soon as
    /// it is ready. The old run stops; its record stays for comparison if it recorded any
    /// update. A student's action: a pool that gave up on its workers tries again.
    pub fn configure(&self, start: bool) {
        if let Some(pool) = self.pool() {
            pool.retry();
        }
        self.configure_job(start);
    }

    /// [`Lab::configure`] without clearing the pool's restart budget (after a worker died).
    fn configure_job(&self, start: bool) {
        let old = self.members();
        self.send_all(|run| Command::Reset { run });
        // The replaced group's jobs leave the pool too (a queued one would otherwise still be
        // configured, and trained, by a worker that frees up later).
        if let Some(pool) = self.pool() {
            old.iter().for_each(|&r| pool.cancel(r));
        }
        self.history
            .update_value(|h| old.iter().for_each(|&r| h.remove_if_empty(r)));
        let last = old.iter().copied().max().unwrap_or(0);
        let run = last.wrapping_add(1);
        let k = match self.race.get_untracked() {
            Some(_) => 2,
            None => self.seeds.get_untracked().clamp(1, MAX_SEEDS as u32),
        };
        self.members
            .set_value((0..k).map(|i| run.wrapping_add(i)).collect());
        self.ended.set_value(Vec::new());
        self.run.set(run);
        self.info.set(None);
        self.received.set_value(None);
        self.latest.set(None);
        self.batch.set(None);
        self.boundary.set(None);
        self.held_batch.set_value(None);
        self.phase.set(Phase::Starting);
        self.start_when_ready.set_value(start);
        self.step_when_ready.set_value(false);
        self.version.update(|v| *v += 1);
        let Some(pool) = self.pool() else { return };
        for (i, member) in self.members().into_iter().enumerate() {
            let experiment = self.member_experiment(i);
            let seed = experiment.config.seed;
            pool.submit(Job {
                speed: self.speed.get_untracked(),
                start: false,
                ..Job::new(member, experiment, seed)
            });
        }
    }

    /// What the current group's member `i` trains: the i-th seed of a seed group, or in a
    /// race ([`Lab::race`]) the same seed at the second batch size.
    pub fn member_experiment(&self, i: usize) -> Experiment {
        let mut e = self.experiment.get_untracked();
        match self.race.get_untracked() {
            Some(b) if i == 1 => e.config.batch_size = batch_in_effect(e.train_size, b),
            Some(_) => {}
            None => e.config.seed = e.config.seed.wrapping_add(i as u64),
        }
        e
    }

    /// [`Lab::member_experiment`], tracking the settings and the race's second B (for what
    /// shows it: the race view's lines and boxes).
    pub fn member_experiment_tracked(&self, i: usize) -> Experiment {
        self.experiment.track();
        self.race.track();
        self.member_experiment(i)
    }

    /// Changes the settings. A run in progress restarts from scratch with the same seed
    /// (its curves would otherwise mix two configurations); a held run just reconfigures.
    pub fn change(&self, edit: impl FnOnce(&mut Experiment)) {
        self.notice.set(None);
        let before = self.experiment.get_untracked();
        self.experiment.update(edit);
        if self.experiment.get_untracked() != before {
            let running = self.phase.get_untracked() == Phase::Running;
            self.configure(running);
        }
    }

    /// Sets the race's second batch size (the race view's `race-b` box). Like a changed
    /// setting, a run in progress restarts from scratch; the box is told even when nothing
    /// changed, so it shows the value in use.
    pub fn set_race_b(&self, b: usize) {
        self.notice.set(None);
        let before = self.race.get_untracked();
        self.race.set(Some(b));
        if before != Some(b) {
            let running = self.phase.get_untracked() == Phase::Running;
            self.configure(running);
        }
    }

    /// Sets the batch size, within `1..=N` (the batch control, the guide's buttons).
    pub fn set_batch(&self, b: usize) {
        self.change(|e| e.config.batch_size = batch_in_effect(e.train_size, b));
    }

    /// Sets the epoch count, within `1..=MAX_EPOCHS`.
    pub fn set_epochs(&self, n: usize) {
        self.change(|e| e.config.epochs = n.clamp(1, crate::settings::MAX_EPOCHS));
    }

    /// Applies a preset exactly as a link's `?preset=` does (its [`Preset::experiment`] and
    /// [`Preset::staging`]).
    pub fn apply_preset(&self, preset: crate::preset::Preset) {
        self.change(|e| *e = preset.experiment());
        if let Some(staging) = preset.staging() {
            self.stage(staging);
        }
    }

    /// Shows the runs as `staging` says (the charts' view and the pace).
    pub fn stage(&self, staging: crate::preset::Staging) {
        self.view.set(staging.view);
        if self.speed.get_untracked() != staging.speed {
            self.set_speed(staging.speed);
        }
    }

    /// Train: start, resume, or after the end start over.
    pub fn train(&self) {
        self.notice.set(None);
        // A deferred embed's first Train starts the worker and trains once it is ready.
        self.connect();
        match self.phase.get_untracked() {
            Phase::Ready => {
                self.send_all(|run| Command::Start { run });
                self.phase.set(Phase::Running);
            }
            Phase::Paused if self.all_ended() => self.configure(true),
            Phase::Paused => {
                self.send_all(|run| Command::Resume { run });
                self.phase.set(Phase::Running);
            }
            Phase::Finished | Phase::Diverged | Phase::Failed(_) => self.configure(true),
            Phase::Starting | Phase::Loading(..) => self.start_when_ready.set_value(true),
            Phase::Running => {}
        }
    }

    pub fn pause(&self) {
        if self.phase.get_untracked() == Phase::Running {
            self.send_all(|run| Command::Pause { run });
            self.phase.set(Phase::Paused);
        }
        self.start_when_ready.set_value(false);
        self.step_when_ready.set_value(false);
    }

    /// Exactly one update (pausing a running run first). In a deferred embed not started
    /// yet, Step starts the worker and takes the update once it is ready.
    pub fn step(&self) {
        self.notice.set(None);
        if !self.started.get_untracked() {
            self.connect();
            self.start_when_ready.set_value(false);
            self.step_when_ready.set_value(true);
            return;
        }
        if matches!(
            self.phase.get_untracked(),
            Phase::Ready | Phase::Paused | Phase::Running
        ) {
            self.send_all(|run| Command::Step { run });
            self.phase.set(Phase::Paused);
        }
    }

    /// Back to update 0 with the same settings; the current run's curves are discarded
    /// (kept runs stay).
    pub fn reset(&self) {
        self.notice.set(None);
        let members = self.members();
        self.history
            .update_value(|h| members.iter().for_each(|&r| h.remove(r)));
        self.configure(false);
    }

    /// Changes one kept run's record (pin or unpin it) and redraws.
    pub fn edit_run(&self, run: RunId, edit: impl FnOnce(&mut RunHistory)) {
        self.history.update_value(|h| {
            if let Some(r) = h.get_mut(run) {
                edit(r)
            }
        });
        self.version.update(|v| *v += 1);
    }

    /// Removes a kept run; removing the current run resets it.
    pub fn remove_run(&self, run: RunId) {
        if self.members.with_value(|m| m.contains(&run)) {
            self.reset();
        } else {
            self.history.update_value(|h| h.remove(run));
            self.version.update(|v| *v += 1);
        }
    }

    /// Removes every kept run; the current run too unless it is training or paused mid-run
    /// (then it stays, and is the only one left).
    pub fn clear_runs(&self) {
        let current = self.members();
        let mid_run = matches!(self.phase.get_untracked(), Phase::Running | Phase::Paused);
        self.history.update_value(|h| h.clear_except_all(&current));
        if mid_run {
            self.version.update(|v| *v += 1);
        } else {
            self.reset();
        }
    }

    pub fn set_speed(&self, speed: Speed) {
        self.speed.set(speed);
        self.send_all(|run| Command::Speed { run, speed });
    }

    /// Whether every member of the current group has ended.
    fn all_ended(&self) -> bool {
        let ended = self.ended.get_value();
        self.members
            .with_value(|m| m.iter().all(|r| ended.contains(r)))
    }

    /// Applies one worker event to the page's state.
    pub fn on_event(&self, event: Event) {
        let first = self.run.get_untracked();
        let run = event.run();
        let members = self.members();
        let Some(index) = members.iter().position(|&m| m == run) else {
            return; // from a run the page has left behind
        };
        let primary = run == first;
        match event {
            Event::Loading { loaded, total, .. } if primary => {
                self.phase.set(Phase::Loading(loaded, total))
            }
            Event::Loading { .. } => {}
            Event::Ready { info, boundary, .. } => {
                self.on_ready(run, index, primary, &members, info, boundary)
            }
            Event::Progress {
                steps,
                batch,
                wasm_memory,
                boundary,
                ..
            } => self.on_progress(run, primary, steps, batch, wasm_memory, boundary),
            Event::Paused { .. } => {
                if self.phase.get_untracked() == Phase::Running {
                    self.phase.set(Phase::Paused);
                }
            }
            Event::Finished { status, .. } => self.on_finished(run, status, &members),
            Event::Error { error, .. } => self.phase.set(Phase::Failed(error)),
            // The lab sends no probes (the claims cards will).
            Event::Probed { .. } => {}
        }
    }

    /// Member `index` of the group (`run`) is configured: records it in history and starts
    /// or steps it if the page is waiting to; the primary run also sets the page's phase.
    fn on_ready(
        &self,
        run: RunId,
        index: usize,
        primary: bool,
        members: &[RunId],
        info: RunInfo,
        boundary: Option<Grid>,
    ) {
        let experiment = self.member_experiment(index);
        // A race's two runs are two runs, each in its own colour, not one seed group.
        let group: &[RunId] = if self.race.get_untracked().is_some() {
            &[]
        } else {
            members
        };
        self.history
            .update_value(|h| h.begin_in_group(run, experiment, info.clone(), group));
        self.version.update(|v| *v += 1);
        let go = self.start_when_ready.get_value() || self.phase.get_untracked() == Phase::Running;
        let step = !go && self.step_when_ready.get_value();
        if go {
            self.send(Command::Start { run });
        } else if step {
            self.send(Command::Step { run });
        }
        if primary {
            self.boundary.set(boundary);
            self.info.set(Some(info));
            self.phase.set(match (go, step) {
                (true, _) => Phase::Running,
                (false, true) => Phase::Paused,
                _ => Phase::Ready,
            });
        }
    }

    /// A run's new updates: recorded in its history; the primary run's last step, batch and
    /// boundary are what the page shows.
    fn on_progress(
        &self,
        run: RunId,
        primary: bool,
        steps: Vec<StepSummary>,
        batch: Option<BatchDetail>,
        wasm_memory: Option<u64>,
        boundary: Option<Grid>,
    ) {
        if boundary.is_some() && primary {
            self.boundary.set(boundary);
        }
        // Reported with every message, and the same most of the time.
        if wasm_memory.is_some() && self.wasm_memory.get_untracked() != wasm_memory {
            self.wasm_memory.set(wasm_memory);
        }
        self.history.update_value(|h| {
            if let Some(record) = h.get_mut(run) {
                steps.iter().for_each(|s| record.record(s));
            }
        });
        if let Some(last) = steps.last().filter(|_| primary) {
            self.received.set_value(Some(last.clone()));
        }
        if batch.is_some() && primary {
            self.held_batch.set_value(batch);
        }
        self.version.update(|v| *v += 1);
    }

    /// A run ended: its status recorded; once every member has ended, the page's phase says
    /// how the group ended (diverged if any seed did: the status line says why).
    fn on_finished(&self, run: RunId, status: Status, members: &[RunId]) {
        self.history.update_value(|h| {
            if let Some(record) = h.get_mut(run) {
                record.status = Some(status);
            }
        });
        self.ended.update_value(|e| e.push(run));
        self.version.update(|v| *v += 1);
        if self.all_ended() {
            let diverged = self.history.with_value(|h| {
                members
                    .iter()
                    .any(|&m| h.get(m).is_some_and(|r| r.status == Some(Status::Diverged)))
            });
            self.phase.set(if diverged {
                Phase::Diverged
            } else {
                Phase::Finished
            });
        }
    }
}
