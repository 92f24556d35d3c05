//! The worker pool's decisions (src/worker/pool.rs, src/worker/host.rs), natively with an
//! injected clock: which worker trains which job and in what order, what a worker owes and
//! when its silence means death, the restart budget, a worker whose files did not download,
//! and cancel. The browser shell that carries out the actions is covered end to end
//! (tests/e2e/tests/faults.rs, compare.rs).

use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::trainer::session::Status;
use batch_lab::worker::host::Job;
use batch_lab::worker::pool::{Action, MAX_RESTARTS, Pool, PoolEvent};
use batch_lab::worker::protocol::{
    Command, DownloadFailure, Event, RunId, RunInfo, Speed, WorkerFault,
};
use batch_lab::worker::watchdog::{DOWNLOAD_LIMIT_MS, SILENCE_LIMIT_MS, STARTUP_LIMIT_MS};

mod common;

fn experiment(source: DataSource) -> Experiment {
    Experiment {
        source,
        ..common::post_example(10)
    }
}

fn job(run: RunId) -> Job {
    Job::new(run, experiment(DataSource::Random), 42)
}

fn info() -> RunInfo {
    RunInfo {
        train_size: 200,
        validation_size: 50,
        batch_size: 20,
        updates_per_epoch: 10,
        total_updates: 100,
        epochs: 10,
        features: 10,
        classes: 2,
        parameter_count: 106,
        flops_per_sample: 600,
        points: None,
        validation_points: None,
    }
}

fn ready(run: RunId) -> Event {
    Event::Ready {
        run,
        info: info(),
        boundary: None,
    }
}

fn progress(run: RunId) -> Event {
    Event::Progress {
        run,
        steps: Vec::new(),
        batch: None,
        wasm_memory: None,
        boundary: None,
    }
}

fn finished(run: RunId) -> Event {
    Event::Finished {
        run,
        status: Status::Finished,
    }
}

fn spawns(actions: &[Action]) -> Vec<(usize, u64)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Spawn { slot, serial } => Some((*slot, *serial)),
            _ => None,
        })
        .collect()
}

/// `(slot, run)` of every `Configure` sent.
fn configured(actions: &[Action]) -> Vec<(usize, RunId)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send {
                slot,
                command: Command::Configure { run, .. },
            } => Some((*slot, *run)),
            _ => None,
        })
        .collect()
}

fn sent(actions: &[Action]) -> Vec<(usize, Command)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send { slot, command } => Some((*slot, command.clone())),
            _ => None,
        })
        .collect()
}

fn ends(actions: &[Action]) -> Vec<usize> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::End { slot } => Some(*slot),
            _ => None,
        })
        .collect()
}

fn reports(actions: &[Action]) -> Vec<PoolEvent> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Report(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn stopped(actions: &[Action]) -> Vec<(RunId, WorkerFault, bool)> {
    reports(actions)
        .into_iter()
        .filter_map(|e| match e {
            PoolEvent::Stopped { run, fault, halted } => Some((run, fault, halted)),
            _ => None,
        })
        .collect()
}

/// Checks the pool every second from `from` up to `to` (ms); the actions of all checks.
fn check_until(pool: &mut Pool, from: f64, to: f64) -> Vec<Action> {
    let mut t = from;
    let mut actions = Vec::new();
    while t <= to {
        pool.check(t);
        actions.extend(pool.take_actions());
        t += 1000.0;
    }
    actions
}

#[test]
fn a_job_is_configured_in_a_fresh_worker_and_started_when_ready() {
    let mut pool = Pool::new(1, 1);
    pool.submit(job(1), 0.0);
    let a = pool.take_actions();
    assert_eq!(spawns(&a), [(0, 1)]);
    let commands = sent(&a);
    assert!(
        matches!(
            commands.as_slice(),
            [
                (0, Command::Speed { run: 1, speed: Speed::Max }),
                (0, Command::Configure { run: 1, experiment }),
            ] if experiment.config.seed == 42
        ),
        "{commands:?}"
    );
    assert_eq!(reports(&a), [PoolEvent::Workers(1)]);
    pool.on_event(0, 1, ready(1), 100.0);
    let a = pool.take_actions();
    assert_eq!(reports(&a), [PoolEvent::Worker(ready(1))]);
    assert_eq!(sent(&a), [(0, Command::Start { run: 1 })], "start: true");

    // A job that holds until its caller starts it.
    let mut pool = Pool::new(1, 1);
    let held = Job {
        start: false,
        speed: Speed::EpochPerSecond,
        ..job(1)
    };
    pool.submit(held, 0.0);
    let a = pool.take_actions();
    assert!(sent(&a).contains(&(
        0,
        Command::Speed {
            run: 1,
            speed: Speed::EpochPerSecond
        }
    )));
    pool.on_event(0, 1, ready(1), 100.0);
    assert!(sent(&pool.take_actions()).is_empty(), "held at update 0");
    assert!(pool.send(Command::Start { run: 1 }, 200.0));
    assert_eq!(sent(&pool.take_actions()), [(0, Command::Start { run: 1 })]);
    assert!(!pool.send(Command::Start { run: 7 }, 200.0), "no such job");
}

#[test]
fn jobs_start_in_the_order_submitted_on_the_first_free_worker() {
    let mut pool = Pool::new(2, 0);
    for run in [10, 11, 12, 13] {
        pool.submit(job(run), 0.0);
    }
    let a = pool.take_actions();
    assert_eq!(spawns(&a), [(0, 1), (1, 2)]);
    assert_eq!(configured(&a), [(0, 10), (1, 11)]);
    assert_eq!(pool.queued().map(|j| j.run).collect::<Vec<_>>(), [12, 13]);
    // Slot 1 finishes first: it takes the next job, in the same worker.
    pool.on_event(1, 2, ready(11), 10.0);
    pool.on_event(1, 2, finished(11), 20.0);
    let a = pool.take_actions();
    assert!(spawns(&a).is_empty());
    assert_eq!(configured(&a), [(1, 12)]);
    assert_eq!(
        reports(&a),
        [
            PoolEvent::Worker(ready(11)),
            PoolEvent::Worker(finished(11)),
        ],
        "the job's events, then the next job"
    );
    pool.on_event(
        0,
        1,
        Event::Error {
            run: 10,
            error: batch_lab::worker::protocol::RunError::Data("bad".into()),
        },
        30.0,
    );
    assert_eq!(
        configured(&pool.take_actions()),
        [(0, 13)],
        "an error ends a job too"
    );
    // Queue empty: with keep_idle 0 each worker ends once its job ends.
    pool.on_event(1, 2, finished(12), 40.0);
    let a = pool.take_actions();
    assert_eq!(ends(&a), [1]);
    assert_eq!(reports(&a).last(), Some(&PoolEvent::Workers(1)));
    pool.on_event(0, 1, finished(13), 50.0);
    assert_eq!(ends(&pool.take_actions()), [0]);
    assert_eq!(pool.live(), 0);
}

#[test]
fn events_of_left_runs_and_replaced_workers_are_dropped() {
    let mut pool = Pool::new(1, 1);
    pool.submit(job(1), 0.0);
    pool.on_event(0, 1, ready(1), 10.0);
    pool.take_actions();
    // The single run moves on: run 1 is cancelled, run 2 reuses the worker.
    assert!(pool.cancel(1, 20.0));
    pool.submit(job(2), 20.0);
    let a = pool.take_actions();
    assert!(spawns(&a).is_empty(), "the idle worker is kept and reused");
    assert_eq!(
        sent(&a)
            .into_iter()
            .map(|(_, c)| c.run())
            .collect::<Vec<_>>(),
        [1, 2, 2],
        "Reset 1, then Speed and Configure 2: {a:?}"
    );
    pool.on_event(0, 1, progress(1), 30.0);
    assert!(pool.take_actions().is_empty(), "run 1 was left");
    pool.on_event(0, 99, ready(2), 30.0);
    assert!(pool.take_actions().is_empty(), "not this worker's serial");
}

#[test]
fn a_dead_workers_job_is_stopped_not_requeued_and_the_next_gets_a_fresh_worker() {
    let mut pool = Pool::new(1, 0);
    pool.submit(job(1), 0.0);
    pool.submit(job(2), 0.0);
    pool.on_event(0, 1, ready(1), 10.0);
    pool.on_event(0, 1, progress(1), 20.0);
    pool.take_actions();
    pool.on_error(0, 1, 30.0);
    let a = pool.take_actions();
    assert_eq!(ends(&a), [0]);
    assert_eq!(stopped(&a), [(1, WorkerFault::Crashed, false)]);
    assert_eq!(spawns(&a), [(0, 2)], "a fresh worker for the next job");
    assert_eq!(configured(&a), [(0, 2)], "run 1 is not run again");
    // A late error of the dead worker changes nothing.
    pool.on_error(0, 1, 40.0);
    assert!(pool.take_actions().is_empty());
}

#[test]
fn the_restart_budget_halts_the_pool_until_retry() {
    let mut pool = Pool::new(1, 1);
    let mut serial = 0;
    // Workers that die while configuring (heard, never ready).
    for run in 1..=MAX_RESTARTS + 1 {
        pool.submit(job(run), 0.0);
        let a = pool.take_actions();
        serial = spawns(&a).first().expect("a fresh worker").1;
        pool.on_event(
            0,
            serial,
            Event::Loading {
                run,
                loaded: 1,
                total: None,
            },
            1.0,
        );
        pool.on_error(0, serial, 2.0);
        let a = pool.take_actions();
        let halted = run > MAX_RESTARTS;
        assert_eq!(
            stopped(&a),
            [(run, WorkerFault::Crashed, halted)],
            "death {run}"
        );
    }
    assert_eq!(pool.halted(), Some(WorkerFault::Crashed));
    pool.submit(job(9), 3.0);
    let a = pool.take_actions();
    assert!(spawns(&a).is_empty(), "no endless restart");
    assert_eq!(stopped(&a), [(9, WorkerFault::Crashed, true)]);
    pool.retry(4.0);
    pool.submit(job(10), 4.0);
    let a = pool.take_actions();
    assert_eq!(spawns(&a), [(0, serial + 1)]);

    // A worker that reaches Ready clears the count: deaths mid-run restart every time.
    let mut pool = Pool::new(1, 1);
    for run in 1..=2 * MAX_RESTARTS + 2 {
        pool.submit(job(run), 0.0);
        let serial = spawns(&pool.take_actions())[0].1;
        pool.on_event(0, serial, ready(run), 1.0);
        pool.on_error(0, serial, 2.0);
        assert_eq!(
            stopped(&pool.take_actions()),
            [(run, WorkerFault::Crashed, false)]
        );
    }
    assert_eq!(pool.halted(), None);
}

#[test]
fn a_worker_whose_files_did_not_download_halts_the_pool_at_once() {
    let mut pool = Pool::new(2, 0);
    for run in 1..=3 {
        pool.submit(job(run), 0.0);
    }
    pool.take_actions();
    // Slot 0's worker errors before saying anything: ended, its files fetched first.
    pool.on_error(0, 1, 50.0);
    let a = pool.take_actions();
    assert_eq!(ends(&a), [0]);
    assert!(a.contains(&Action::Probe { slot: 0, serial: 1 }), "{a:?}");
    assert!(stopped(&a).is_empty(), "not reported before the probe");
    assert!(spawns(&a).is_empty(), "the slot waits for the probe");
    pool.probed(0, 1, Some(DownloadFailure::Http(404)), 60.0);
    let a = pool.take_actions();
    let fault = WorkerFault::Download(DownloadFailure::Http(404));
    assert_eq!(
        stopped(&a),
        [(1, fault, true), (3, fault, true)],
        "its job and the queued one"
    );
    assert!(spawns(&a).is_empty(), "never restarted");
    assert_eq!(pool.halted(), Some(fault));
    // The other slot's worker fails the same way: its job stops, still no restart.
    pool.on_error(1, 2, 70.0);
    pool.probed(1, 2, Some(DownloadFailure::Http(404)), 80.0);
    let a = pool.take_actions();
    assert_eq!(stopped(&a), [(2, fault, true)]);
    assert!(spawns(&a).is_empty());
    // Retry: workers start again.
    pool.retry(90.0);
    pool.submit(job(4), 90.0);
    assert_eq!(spawns(&pool.take_actions()).len(), 1);
}

#[test]
fn a_worker_that_never_spoke_but_downloads_crashed() {
    let mut pool = Pool::new(1, 1);
    pool.submit(job(1), 0.0);
    pool.take_actions();
    pool.on_error(0, 1, 10.0);
    pool.take_actions();
    pool.probed(0, 1, None, 20.0);
    let a = pool.take_actions();
    assert_eq!(stopped(&a), [(1, WorkerFault::Crashed, false)]);
    // Silence before the first message: probed too (after the start-up allowance).
    let mut pool = Pool::new(1, 1);
    pool.submit(job(1), 0.0);
    pool.take_actions();
    let a = check_until(&mut pool, 1000.0, STARTUP_LIMIT_MS - 1000.0);
    assert!(
        a.is_empty(),
        "loading its wasm is allowed {STARTUP_LIMIT_MS} ms: {a:?}"
    );
    let a = check_until(&mut pool, STARTUP_LIMIT_MS, STARTUP_LIMIT_MS + 2000.0);
    assert!(a.contains(&Action::Probe { slot: 0, serial: 1 }), "{a:?}");
    pool.probed(
        0,
        1,
        Some(DownloadFailure::Network),
        STARTUP_LIMIT_MS + 2500.0,
    );
    assert_eq!(
        stopped(&pool.take_actions()),
        [(1, WorkerFault::Download(DownloadFailure::Network), true)]
    );
}

#[test]
fn silence_counts_only_while_the_worker_owes_an_answer() {
    let mut pool = Pool::new(1, 1);
    pool.submit(
        Job {
            start: false,
            ..job(1)
        },
        0.0,
    );
    pool.on_event(0, 1, ready(1), 500.0);
    pool.take_actions();
    // Holding at update 0: a long silence is fine.
    let a = check_until(&mut pool, 1000.0, 60_000.0);
    assert!(stopped(&a).is_empty(), "{a:?}");
    // Training: a Progress is due every slice.
    pool.send(Command::Start { run: 1 }, 60_500.0);
    pool.on_event(0, 1, progress(1), 61_000.0);
    pool.take_actions();
    let a = check_until(&mut pool, 61_000.0, 61_000.0 + SILENCE_LIMIT_MS - 1000.0);
    assert!(stopped(&a).is_empty(), "{a:?}");
    let a = check_until(
        &mut pool,
        61_000.0 + SILENCE_LIMIT_MS,
        61_000.0 + SILENCE_LIMIT_MS + 1000.0,
    );
    assert_eq!(stopped(&a), [(1, WorkerFault::Silent, false)]);

    // Paused: nothing is owed until a Step asks for an answer.
    let mut pool = Pool::new(1, 1);
    pool.submit(job(1), 0.0);
    pool.on_event(0, 1, ready(1), 100.0);
    pool.send(Command::Pause { run: 1 }, 200.0);
    pool.on_event(0, 1, Event::Paused { run: 1, update: 3 }, 300.0);
    pool.take_actions();
    assert!(stopped(&check_until(&mut pool, 1000.0, 30_000.0)).is_empty());
    pool.send(Command::Step { run: 1 }, 30_500.0);
    let a = check_until(&mut pool, 31_000.0, 31_000.0 + SILENCE_LIMIT_MS + 1000.0);
    assert_eq!(stopped(&a), [(1, WorkerFault::Silent, false)]);
}

#[test]
fn mnist_may_download_for_longer_than_the_silence_limit() {
    let mut pool = Pool::new(1, 1);
    pool.submit(Job::new(1, experiment(DataSource::Mnist), 1), 0.0);
    pool.on_event(
        0,
        1,
        Event::Loading {
            run: 1,
            loaded: 10,
            total: None,
        },
        100.0,
    );
    pool.take_actions();
    let a = check_until(&mut pool, 1000.0, DOWNLOAD_LIMIT_MS - 1000.0);
    assert!(stopped(&a).is_empty(), "{a:?}");
    let a = check_until(&mut pool, DOWNLOAD_LIMIT_MS, DOWNLOAD_LIMIT_MS + 2000.0);
    assert_eq!(stopped(&a), [(1, WorkerFault::Silent, false)]);
}

#[test]
fn cancel_drops_queued_jobs_and_resets_placed_ones() {
    let mut pool = Pool::new(2, 0);
    for run in 1..=4 {
        pool.submit(job(run), 0.0);
    }
    pool.take_actions();
    assert!(pool.cancel(3, 1.0), "a queued job");
    assert!(pool.take_actions().is_empty());
    assert!(pool.cancel(1, 2.0), "a placed job");
    let a = pool.take_actions();
    assert_eq!(
        sent(&a)
            .into_iter()
            .filter(|(_, c)| matches!(c, Command::Reset { .. } | Command::Configure { .. }))
            .collect::<Vec<_>>()
            .len(),
        2
    );
    assert_eq!(configured(&a), [(0, 4)], "its worker takes the next job");
    assert!(!pool.cancel(1, 3.0), "already gone");
    pool.cancel_all(4.0);
    let a = pool.take_actions();
    assert_eq!(ends(&a).len(), 2, "keep_idle 0: every worker ends");
    assert!(stopped(&a).is_empty(), "cancelled jobs report nothing");
    assert_eq!(reports(&a).last(), Some(&PoolEvent::Workers(0)));
    assert_eq!(pool.placed(), [None, None]);
    pool.on_event(0, 1, progress(4), 5.0);
    assert!(pool.take_actions().is_empty(), "nothing after cancel");
}

#[test]
fn a_job_carries_its_seed() {
    let j = Job::new(5, experiment(DataSource::Random), 7);
    assert_eq!(
        (j.run, j.seed(), j.start, j.speed),
        (5, 7, true, Speed::Max)
    );
}

/// A job with `hold` stays on its worker after it finishes, so the caller can probe its
/// final weights (the claims' sharpness): commands still reach it, the worker owes nothing
/// (a long probe is no silence), and the next job waits until the caller cancels it.
#[test]
fn a_held_job_keeps_its_worker_after_it_finishes_until_cancelled() {
    use batch_lab::trainer::probe::sharpness::Probe;
    use batch_lab::worker::protocol::ProbeRequest;
    let mut pool = Pool::new(1, 0);
    pool.submit(
        Job {
            hold: true,
            ..job(1)
        },
        0.0,
    );
    pool.submit(job(2), 0.0);
    pool.take_actions();
    pool.on_event(0, 1, ready(1), 100.0);
    pool.on_event(0, 1, finished(1), 200.0);
    let a = pool.take_actions();
    assert_eq!(
        reports(&a),
        [PoolEvent::Worker(ready(1)), PoolEvent::Worker(finished(1))]
    );
    assert_eq!(pool.placed(), [Some(1)], "held: job 2 waits");
    let probe = Command::Probe {
        run: 1,
        request: ProbeRequest::Sharpness(Probe::default()),
    };
    assert!(
        pool.send(probe.clone(), 300.0),
        "the probe reaches the finished run"
    );
    assert_eq!(sent(&pool.take_actions()), [(0, probe)]);
    // Minutes of probing: no silence check fires (the worker owes nothing).
    pool.check(600_000.0);
    assert!(
        reports(&pool.take_actions()).is_empty(),
        "not dead of silence"
    );
    assert!(pool.cancel(1, 600_100.0));
    let a = pool.take_actions();
    assert_eq!(pool.placed(), [Some(2)], "the next job gets the worker");
    assert!(sent(&a).contains(&(0, Command::Reset { run: 1 })));
    // Without `hold` a finished job frees its worker at once.
    pool.on_event(0, 1, ready(2), 600_200.0);
    pool.on_event(0, 1, finished(2), 600_300.0);
    pool.take_actions();
    assert_eq!(pool.placed(), [None]);
}
