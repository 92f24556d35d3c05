//! The worker's protocol logic: configure/start/pause/step/reset, slices, stale run ids,
//! MNIST loading and errors. The same tests run natively (`cargo test`) and in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown --test worker_runner`), where they
//! also prove every message survives gloo-worker's bincode codec. The real worker in a page
//! is covered end to end in tests/e2e.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use batch_lab::boundary::{GRID_SIDE, Grid, MIN_INTERVAL_MS};
use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::trainer::data::{Dataset, toy::Toy};
use batch_lab::trainer::session::{ConfigError, Status, TrainConfig};
use batch_lab::worker::protocol::{
    Command, Event, MnistFailure, RunError, RunInfo, Speed, StepSummary,
};
use batch_lab::worker::runner::{Runner, SLICE_MS, Schedule};

mod common;

/// The post's "200 samples, batch 20, 10 epochs" on random data, small net.
fn post_example() -> Experiment {
    common::post_example(10)
}

/// A clock that advances `ms` per reading.
fn clock(ms: f64) -> impl FnMut() -> f64 {
    let mut t = 0.0;
    move || {
        t += ms;
        t
    }
}

fn steps(events: &[Event]) -> Vec<StepSummary> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::Progress { steps, .. } => steps.clone(),
            _ => Vec::new(),
        })
        .collect()
}

fn configured(run: u32, experiment: Experiment) -> Runner {
    let mut r = Runner::default();
    let events = r.handle(Command::Configure { run, experiment });
    assert!(
        matches!(events.as_slice(), [Event::Ready { .. }]),
        "{events:?}"
    );
    r
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn ready_reports_the_epoch_anatomy() {
    let mut r = Runner::default();
    let events = r.handle(Command::Configure {
        run: 1,
        experiment: post_example(),
    });
    let [Event::Ready { run: 1, info, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!((info.train_size, info.validation_size), (200, 50));
    assert_eq!(
        (info.batch_size, info.updates_per_epoch, info.total_updates),
        (20, 10, 100)
    );
    assert!(!info.carries_pixels(), "random data: no digit cells");
    assert_eq!(
        r.schedule(),
        Schedule::Idle,
        "configured runs hold until Start"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_run_goes_to_exactly_its_total_and_finishes() {
    let mut r = configured(1, post_example());
    r.handle(Command::Start { run: 1 });
    let mut all = Vec::new();
    let mut finished = 0;
    for _ in 0..1000 {
        if r.schedule() == Schedule::Idle {
            break;
        }
        let events = r.tick(&mut clock(0.5));
        finished += events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Event::Finished {
                        status: Status::Finished,
                        ..
                    }
                )
            })
            .count();
        all.extend(steps(&events));
    }
    assert_eq!(all.len(), 100);
    assert_eq!(
        all.iter().map(|s| s.update).collect::<Vec<_>>(),
        (1..=100).collect::<Vec<_>>()
    );
    assert_eq!(all.iter().filter(|s| s.epoch_end.is_some()).count(), 10);
    assert_eq!(finished, 1);
    assert!(r.tick(&mut clock(1.0)).is_empty(), "nothing after the end");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_max_speed_slice_stops_after_slice_ms() {
    let mut r = configured(1, post_example());
    r.handle(Command::Start { run: 1 });
    // Each clock reading advances 1 ms: the slice must end once SLICE_MS have passed.
    let n = steps(&r.tick(&mut clock(1.0))).len();
    assert_eq!(n, SLICE_MS as usize);
    assert_eq!(r.schedule(), Schedule::After(0.0));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn slow_motion_is_one_update_per_tick_at_the_chosen_rate() {
    let mut r = configured(1, post_example());
    r.handle(Command::Speed {
        run: 1,
        speed: Speed::PerSecond(5),
    });
    r.handle(Command::Start { run: 1 });
    assert_eq!(r.schedule(), Schedule::After(200.0));
    assert_eq!(steps(&r.tick(&mut clock(0.001))).len(), 1);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn step_is_exactly_one_update_and_pause_holds() {
    let mut r = configured(1, post_example());
    let events = r.handle(Command::Step { run: 1 });
    assert_eq!(steps(&events).len(), 1);
    assert!(matches!(
        events.last(),
        Some(Event::Paused { update: 1, .. })
    ));
    let Some(Event::Progress {
        batch: Some(batch), ..
    }) = events.first()
    else {
        panic!()
    };
    assert_eq!(
        (batch.batch_size, batch.indices.len(), batch.labels.len()),
        (20, 20, 20)
    );
    assert!(batch.pixels.is_none(), "pixels only for MNIST");

    r.handle(Command::Start { run: 1 });
    let during = steps(&r.tick(&mut clock(1.0)));
    assert!(!during.is_empty());
    // Pause arrives between two slices: the next tick trains nothing.
    let paused = r.handle(Command::Pause { run: 1 });
    let [Event::Paused { update, .. }] = paused.as_slice() else {
        panic!("{paused:?}")
    };
    assert_eq!(*update, during.last().unwrap().update);
    assert_eq!(r.schedule(), Schedule::Idle);
    assert!(r.tick(&mut clock(0.1)).is_empty());
    // Step while paused: one more.
    assert_eq!(
        steps(&r.handle(Command::Step { run: 1 }))[0].update,
        update + 1
    );
    // Resume continues from there.
    r.handle(Command::Resume { run: 1 });
    assert_eq!(steps(&r.tick(&mut clock(100.0)))[0].update, update + 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn commands_for_a_stale_run_are_ignored() {
    let mut r = configured(1, post_example());
    r.handle(Command::Configure {
        run: 2,
        experiment: post_example(),
    });
    assert!(r.handle(Command::Start { run: 1 }).is_empty());
    assert!(r.handle(Command::Step { run: 1 }).is_empty());
    assert!(r.handle(Command::Pause { run: 1 }).is_empty());
    assert_eq!(r.schedule(), Schedule::Idle);
    r.handle(Command::Reset { run: 1 });
    assert_eq!(
        steps(&r.handle(Command::Step { run: 2 })).len(),
        1,
        "run 2 survives a stale reset"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reset_drops_the_run() {
    let mut r = configured(3, post_example());
    r.handle(Command::Start { run: 3 });
    r.handle(Command::Reset { run: 3 });
    assert_eq!(r.schedule(), Schedule::Idle);
    assert!(r.tick(&mut clock(1.0)).is_empty());
    assert!(r.handle(Command::Step { run: 3 }).is_empty());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mnist_is_requested_then_the_waiting_run_is_configured() {
    let mut r = Runner::default();
    let experiment = Experiment {
        train_size: 200,
        ..Experiment::default()
    };
    assert!(
        r.handle(Command::Configure { run: 4, experiment })
            .is_empty()
    );
    assert!(r.wants_mnist());
    // A stand-in with MNIST's shape (the real asset is tested in mnist_data.rs).
    let fake = Dataset::new(
        784,
        10,
        vec![0.5; 784 * 10_000],
        (0..10_000).map(|i| (i % 10) as u8).collect(),
    );
    let events = r.provide_mnist(fake);
    let [Event::Ready { run: 4, info, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        (
            info.train_size,
            info.validation_size,
            info.updates_per_epoch
        ),
        (200, 2000, 7)
    );
    assert!(
        info.carries_pixels(),
        "the page lays out digit cells from this"
    );
    assert!(!r.wants_mnist());
    let events = r.handle(Command::Step { run: 4 });
    let Some(Event::Progress {
        batch: Some(batch), ..
    }) = events.first()
    else {
        panic!()
    };
    assert_eq!(batch.pixels.as_ref().map(Vec::len), Some(32 * 784));
    assert_eq!(batch.pixels.as_ref().unwrap()[0], 128, "0.5 → byte 128");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mnist_failure_and_bad_settings_are_reported_not_panicked() {
    let mut r = Runner::default();
    r.handle(Command::Configure {
        run: 5,
        experiment: Experiment::default(),
    });
    let events = r.mnist_failed(MnistFailure::Network);
    assert!(matches!(
        events.as_slice(),
        [Event::Error {
            run: 5,
            error: RunError::MnistLoad(_)
        }]
    ));

    let mut bad = post_example();
    bad.config.learning_rate = -1.0;
    let events = r.handle(Command::Configure {
        run: 6,
        experiment: bad,
    });
    assert_eq!(
        events,
        vec![Event::Error {
            run: 6,
            error: RunError::Config(ConfigError::BadLearningRate)
        }]
    );
    let too_many = Experiment {
        train_size: 9_000,
        ..Experiment::default()
    };
    r.provide_mnist(Dataset::new(
        784,
        10,
        vec![0.0; 784 * 10_000],
        vec![0; 10_000],
    ));
    let events = r.handle(Command::Configure {
        run: 7,
        experiment: too_many,
    });
    assert!(
        matches!(
            events.as_slice(),
            [Event::Error {
                run: 7,
                error: RunError::Data(_)
            }]
        ),
        "{events:?}"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn divergence_ends_the_run_with_its_status() {
    let mut e = post_example();
    e.config.optimizer = batch_lab::trainer::optim::OptimizerKind::Sgd;
    e.config.learning_rate = 1e30;
    let mut r = configured(8, e);
    r.handle(Command::Start { run: 8 });
    let mut status = None;
    for _ in 0..200 {
        for event in r.tick(&mut clock(0.01)) {
            if let Event::Finished { status: s, .. } = event {
                status = Some(s);
            }
        }
    }
    assert_eq!(status, Some(Status::Diverged));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn two_d_sets_send_their_points() {
    let e = Experiment {
        source: DataSource::Toy {
            toy: Toy::Spirals,
            noise: 0.1,
        },
        train_size: 100,
        validation_split: 0.2,
        config: TrainConfig {
            hidden: vec![8],
            ..TrainConfig::default()
        },
    };
    let mut r = Runner::default();
    let events = r.handle(Command::Configure {
        run: 9,
        experiment: e,
    });
    let [Event::Ready { info, .. }] = events.as_slice() else {
        panic!()
    };
    let (xy, labels) = info.points.as_ref().expect("2-D points");
    assert_eq!((xy.len(), labels.len()), (200, 100));
    let (vxy, vlabels) = info.validation_points.as_ref().expect("validation points");
    assert_eq!((vxy.len(), vlabels.len()), (50, 25));
}

fn spirals(epochs: usize) -> Experiment {
    Experiment {
        source: DataSource::Toy {
            toy: Toy::Spirals,
            noise: 0.1,
        },
        train_size: 200,
        validation_split: 0.2,
        config: TrainConfig {
            hidden: vec![16, 16],
            batch_size: 32,
            epochs,
            ..TrainConfig::default()
        },
    }
}

fn boundaries(events: &[Event]) -> Vec<&Grid> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { boundary, .. } | Event::Ready { boundary, .. } => boundary.as_ref(),
            _ => None,
        })
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn two_d_sets_send_a_throttled_boundary_and_the_last_one() {
    let mut r = Runner::default();
    let ready = r.handle(Command::Configure {
        run: 3,
        experiment: spirals(200),
    });
    let initial = boundaries(&ready);
    assert_eq!(initial.len(), 1, "Ready carries the untrained boundary");
    assert_eq!(initial[0].update, 0);
    assert_eq!(initial[0].cells.len(), GRID_SIDE * GRID_SIDE);
    r.handle(Command::Start { run: 3 });
    // Each clock reading advances 0.5 ms: a grid costs 0.5 ms by this clock, so the
    // screen interval (100 ms of training) governs.
    let mut c = clock(0.5);
    let mut grids = Vec::new();
    let mut last_update = 0;
    while r.schedule() != Schedule::Idle {
        let events = r.tick(&mut c);
        if let Some(s) = steps(&events).last() {
            last_update = s.update;
        }
        for grid in boundaries(&events) {
            let trained = steps(&events).last().unwrap().elapsed_ms;
            grids.push((grid.update, trained, grid.distinct_classes()));
        }
    }
    assert_eq!(last_update, 7 * 200, "ceil(160 / 32) · 200 updates");
    assert_eq!(
        grids.last().map(|g| g.0),
        Some(last_update),
        "the last is sent"
    );
    assert!(grids.len() >= 3, "{grids:?}");
    for pair in grids[..grids.len() - 1].windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= MIN_INTERVAL_MS,
            "at most one grid per 100 ms of training: {pair:?}"
        );
    }
    assert!(
        grids.last().unwrap().2 >= 2,
        "a trained net predicts both classes"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn steps_show_their_boundary_and_other_data_has_none() {
    let mut r = configured(6, spirals(5));
    let events = r.handle(Command::Step { run: 6 });
    assert_eq!(
        boundaries(&events)
            .iter()
            .map(|g| g.update)
            .collect::<Vec<_>>(),
        [1]
    );
    let mut r = Runner::default();
    let mut events = r.handle(Command::Configure {
        run: 7,
        experiment: post_example(),
    });
    events.extend(r.handle(Command::Step { run: 7 }));
    assert!(boundaries(&events).is_empty(), "random data is not 2-D");
    let [Event::Ready { info, .. }, ..] = events.as_slice() else {
        panic!()
    };
    assert!(info.validation_points.is_none());
}

/// Every kind of event and command crosses gloo-worker's default codec unchanged.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
fn messages_survive_the_worker_codec() {
    use batch_lab::worker::protocol::ProbeRequest;
    use gloo_worker::{Bincode, Codec};
    let mut r = Runner::default();
    let configure = Command::Configure {
        run: 1,
        experiment: post_example(),
    };
    assert_eq!(
        Bincode::decode::<Command>(Bincode::encode(configure.clone())),
        configure
    );
    let mut events = r.handle(configure);
    events.extend(r.handle(Command::Step { run: 1 }));
    let small = batch_lab::trainer::probe::sharpness::Probe {
        subset: 50,
        iterations: 3,
        ..Default::default()
    };
    for request in [
        ProbeRequest::Sharpness(small),
        ProbeRequest::GradientFan {
            batch: 20,
            batches: 2,
            seed: 1,
        },
    ] {
        let probe = Command::Probe { run: 1, request };
        assert_eq!(
            Bincode::decode::<Command>(Bincode::encode(probe.clone())),
            probe
        );
        events.extend(r.handle(probe));
    }
    events.extend(r.mnist_failed(MnistFailure::Damaged));
    r.handle(Command::Configure {
        run: 2,
        experiment: Experiment::default(),
    });
    events.extend(r.mnist_failed(MnistFailure::Network));
    assert!(events.len() >= 6);
    for event in events {
        assert_eq!(
            Bincode::decode::<Event>(Bincode::encode(event.clone())),
            event
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_failed_mnist_download_is_retried_fresh_and_other_data_stays_usable() {
    let mut r = Runner::default();
    r.handle(Command::Configure {
        run: 1,
        experiment: Experiment::default(),
    });
    assert!(r.wants_mnist());
    assert!(
        !r.mnist_bypass_cache(),
        "the first download may use the cache"
    );
    let events = r.mnist_failed(MnistFailure::Damaged);
    assert_eq!(
        events,
        vec![Event::Error {
            run: 1,
            error: RunError::MnistLoad(MnistFailure::Damaged)
        }]
    );
    assert!(!r.wants_mnist(), "nothing waits any more: no download loop");
    assert_eq!(r.current_run(), None);

    // Another data set works meanwhile.
    let events = r.handle(Command::Configure {
        run: 2,
        experiment: post_example(),
    });
    assert!(matches!(events.as_slice(), [Event::Ready { run: 2, .. }]));
    assert!(!r.wants_mnist());

    // Retry (the page configures MNIST again): a pending fetch that bypasses the cache.
    assert!(
        r.handle(Command::Configure {
            run: 3,
            experiment: Experiment::default(),
        })
        .is_empty()
    );
    assert!(r.wants_mnist());
    assert!(
        r.mnist_bypass_cache(),
        "a cached copy may be the damaged file"
    );
    assert_eq!(r.current_run(), Some(3));
    let events = r.mnist_failed(MnistFailure::Http(404));
    assert!(matches!(
        events.as_slice(),
        [Event::Error {
            run: 3,
            error: RunError::MnistLoad(MnistFailure::Http(404))
        }]
    ));

    // Second retry succeeds; later downloads may use the cache again.
    r.handle(Command::Configure {
        run: 4,
        experiment: Experiment {
            train_size: 200,
            ..Experiment::default()
        },
    });
    assert!(r.wants_mnist() && r.mnist_bypass_cache());
    let fake = Dataset::new(
        784,
        10,
        vec![0.5; 784 * 10_000],
        (0..10_000).map(|i| (i % 10) as u8).collect(),
    );
    let events = r.provide_mnist(fake);
    assert!(matches!(events.as_slice(), [Event::Ready { run: 4, .. }]));
    assert!(!r.mnist_bypass_cache());
}

mod watchdog {
    use batch_lab::worker::watchdog::{
        CHECK_EVERY_MS, SILENCE_LIMIT_MS, STARTUP_LIMIT_MS, Watchdog, silence_limit_ms,
    };

    use super::*;

    /// Checks every second from `from` up to `to` (ms); the first time the worker counts as
    /// dead, or `None`.
    fn first_death(
        w: &mut Watchdog,
        from: f64,
        to: f64,
        streaming: bool,
        limit: f64,
    ) -> Option<f64> {
        let mut t = from;
        while t <= to {
            if w.check(t, streaming, limit) {
                return Some(t);
            }
            t += CHECK_EVERY_MS;
        }
        None
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_new_worker_gets_the_startup_allowance_then_is_dead() {
        let mut w = Watchdog::new(0.0);
        let death = first_death(&mut w, 1000.0, 60_000.0, false, SILENCE_LIMIT_MS);
        assert_eq!(
            death,
            Some(STARTUP_LIMIT_MS),
            "a worker that never loads is dead"
        );

        let mut w = Watchdog::new(0.0);
        w.heard(2500.0);
        assert_eq!(
            first_death(&mut w, 1000.0, 600_000.0, false, SILENCE_LIMIT_MS),
            None,
            "an idle worker that has answered owes nothing"
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_training_worker_that_falls_silent_is_dead_within_the_limit() {
        let mut w = Watchdog::new(0.0);
        w.heard(500.0);
        // Training: progress every 15 ms until t = 20 s, then nothing.
        let mut t = 500.0;
        while t < 20_000.0 {
            w.heard(t);
            if (t % CHECK_EVERY_MS) < 15.0 {
                assert!(!w.check(t, true, SILENCE_LIMIT_MS), "alive at {t}");
            }
            t += 15.0;
        }
        let last = t - 15.0;
        let death = first_death(&mut w, 20_000.0, 60_000.0, true, SILENCE_LIMIT_MS)
            .expect("silence while training is death");
        assert!(
            death - last >= SILENCE_LIMIT_MS && death - last <= SILENCE_LIMIT_MS + CHECK_EVERY_MS,
            "noticed {} ms after the last event",
            death - last
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn an_unanswered_pause_or_step_is_death_and_an_answer_clears_it() {
        let mut w = Watchdog::new(0.0);
        w.heard(100.0);
        // Idle for ten minutes: nothing owed.
        assert_eq!(
            first_death(&mut w, 1000.0, 600_000.0, false, SILENCE_LIMIT_MS),
            None
        );
        // A Step is sent at 600.5 s: the idle time before it does not count.
        w.asked(600_500.0);
        assert!(!w.check(601_000.0, false, SILENCE_LIMIT_MS));
        w.heard(601_020.0);
        assert_eq!(
            first_death(&mut w, 602_000.0, 700_000.0, false, SILENCE_LIMIT_MS),
            None
        );
        // Another Step, never answered.
        w.asked(700_200.0);
        let death = first_death(&mut w, 701_000.0, 720_000.0, false, SILENCE_LIMIT_MS);
        assert_eq!(death, Some(706_000.0));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_page_that_slept_does_not_blame_the_worker() {
        let mut w = Watchdog::new(0.0);
        w.heard(1000.0);
        assert!(!w.check(2000.0, true, SILENCE_LIMIT_MS));
        // The laptop sleeps for an hour mid-run; the next check comes late.
        assert!(
            !w.check(3_602_000.0, true, SILENCE_LIMIT_MS),
            "late check: count anew"
        );
        w.heard(3_602_010.0);
        assert_eq!(
            first_death(&mut w, 3_603_000.0, 3_700_000.0, true, SILENCE_LIMIT_MS)
                .map(|t| t - 3_602_010.0),
            Some(5990.0),
        );
        // A throttled background tab checks once a minute: never blamed.
        let mut w = Watchdog::new(0.0);
        w.heard(10.0);
        let mut t = 60_000.0;
        while t < 3_600_000.0 {
            assert!(!w.check(t, true, SILENCE_LIMIT_MS));
            t += 60_000.0;
        }
    }

    #[test]
    fn the_limit_grows_with_the_work_of_one_update() {
        let info = |flops_per_sample: u64, batch_size: usize, validation_size: usize| RunInfo {
            train_size: 8000,
            validation_size,
            batch_size,
            updates_per_epoch: 1,
            total_updates: 1,
            epochs: 1,
            features: 784,
            classes: 10,
            parameter_count: 0,
            flops_per_sample,
            points: None,
            validation_points: None,
        };
        assert_eq!(silence_limit_ms(None), SILENCE_LIMIT_MS);
        // The post's model, B = 32: far below the floor.
        assert_eq!(
            silence_limit_ms(Some(&info(409_088, 32, 2000))),
            SILENCE_LIMIT_MS
        );
        // 4 × 1024 layers, full batch of 10,000: minutes per update on a slow machine.
        let huge = silence_limit_ms(Some(&info(23_700_000, 10_000, 0)));
        assert!(huge > 60_000.0 * 10.0, "{huge}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn progress_carries_the_injected_memory_and_the_noise_scale() {
    let mut r = Runner::with_memory_probe(Box::new(|| 17 * 65_536));
    r.handle(Command::Configure {
        run: 1,
        experiment: post_example(),
    });
    let mut events = r.handle(Command::Step { run: 1 });
    r.handle(Command::Start { run: 1 });
    events.extend(r.tick(&mut clock(0.5)));
    let progress: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { wasm_memory, .. } => Some(*wasm_memory),
            _ => None,
        })
        .collect();
    assert!(progress.len() >= 2, "{events:?}");
    assert!(progress.iter().all(|&m| m == Some(17 * 65_536)));
    let summaries = steps(&events);
    // The meter reads once its averaged |G|² estimate is positive (the unbiased estimate of
    // one early batch may not be): some update of this short run carries a reading.
    let read = summaries
        .iter()
        .find_map(|s| s.noise_scale)
        .expect("B = 20 reads within the run");
    assert!(read.is_finite() && read >= 0.0, "{read}");
    // Without a probe (the default), nothing is claimed.
    let mut plain = configured(2, post_example());
    let events = plain.handle(Command::Step { run: 2 });
    assert!(matches!(
        events.first(),
        Some(Event::Progress {
            wasm_memory: None,
            ..
        })
    ));
}

/// 8,000 random samples (the post's N) at batch size `b`, a small net, 3 epochs.
fn paced_example(b: usize) -> Experiment {
    Experiment {
        source: DataSource::Random,
        train_size: 8000,
        validation_split: 0.2,
        config: TrainConfig {
            hidden: vec![8],
            batch_size: b,
            epochs: 3,
            ..TrainConfig::default()
        },
    }
}

/// A clock the test moves (as the worker's event loop does between ticks) that also
/// advances `cost` ms per reading (the time training takes).
#[derive(Clone)]
struct Wall {
    t: std::rc::Rc<std::cell::Cell<f64>>,
    cost: f64,
}

impl Wall {
    fn new(cost: f64) -> Self {
        Wall {
            t: std::rc::Rc::new(std::cell::Cell::new(0.0)),
            cost,
        }
    }
    fn now(&self) -> f64 {
        self.t.get()
    }
    fn wait(&self, ms: f64) {
        self.t.set(self.t.get() + ms);
    }
    fn reader(&self) -> impl FnMut() -> f64 + use<> {
        let (t, cost) = (self.t.clone(), self.cost);
        move || {
            t.set(t.get() + cost);
            t.get()
        }
    }
}

/// Runs `r` as the worker shell does (wait what [`Runner::schedule`] says, then tick) until
/// it idles or the next tick would come at or after `until_ms`; returns each update with the wall-clock time
/// of the tick that made it.
fn drive(r: &mut Runner, wall: &Wall, until_ms: f64) -> Vec<(f64, StepSummary)> {
    drive_late(r, wall, until_ms, 0.0)
}

/// [`drive`] with every timer firing `late_ms` after it was due (a busy machine).
fn drive_late(r: &mut Runner, wall: &Wall, until_ms: f64, late_ms: f64) -> Vec<(f64, StepSummary)> {
    let mut made = Vec::new();
    while wall.now() < until_ms {
        match r.schedule() {
            Schedule::Idle => break,
            Schedule::After(ms) => {
                assert!(ms.is_finite() && ms >= 0.0, "{ms}");
                if wall.now() + ms >= until_ms {
                    break;
                }
                wall.wait(if ms > 0.0 { ms + late_ms } else { ms });
            }
        }
        let events = r.tick(&mut wall.reader());
        made.extend(steps(&events).into_iter().map(|s| (wall.now(), s)));
    }
    made
}

/// The wall-clock times at which each epoch ended.
fn epoch_ends(made: &[(f64, StepSummary)]) -> Vec<f64> {
    made.iter()
        .filter(|(_, s)| s.epoch_end.is_some())
        .map(|(t, _)| *t)
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_epoch_pace_takes_about_a_second_per_epoch_at_every_batch_size() {
    for (b, upe) in [(8, 1000), (256, 32)] {
        let mut r = configured(1, paced_example(b));
        r.handle(Command::Speed {
            run: 1,
            speed: Speed::EpochPerSecond,
        });
        r.handle(Command::Start { run: 1 });
        let wall = Wall::new(0.002);
        let made = drive(&mut r, &wall, 10_000.0);
        assert_eq!(made.len(), 3 * upe, "B = {b}: the whole run");
        let ends = epoch_ends(&made);
        assert_eq!(ends.len(), 3);
        for pair in ends.windows(2) {
            let epoch_ms = pair[1] - pair[0];
            assert!(
                (950.0..=1050.0).contains(&epoch_ms),
                "B = {b}: an epoch took {epoch_ms} ms of clock"
            );
        }
        // Spread evenly: no second of the run holds much more than its share.
        let first_second = made.iter().filter(|(t, _)| *t < made[0].0 + 500.0).count();
        assert!(
            first_second.abs_diff(upe / 2) <= upe / 20 + 1,
            "B = {b}: {first_second} updates in the first half second"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn late_timers_and_full_slices_do_not_slow_the_epoch_pace() {
    // Every timer fires 100 ms late and an update costs ~0.15 ms: a tick then owes ~116
    // updates, more than a 15 ms slice holds (~100); the rest is made up at once, not
    // dropped (dropping it, as re-anchoring at every full slice did, made an epoch 1.32 s).
    let mut r = configured(1, paced_example(8));
    r.handle(Command::Speed {
        run: 1,
        speed: Speed::EpochPerSecond,
    });
    r.handle(Command::Start { run: 1 });
    let wall = Wall::new(0.15);
    let made = drive_late(&mut r, &wall, 10_000.0, 100.0);
    let ends = epoch_ends(&made);
    eprintln!("epochs ended at {ends:?} ms");
    assert_eq!(ends.len(), 3);
    for pair in ends.windows(2) {
        let epoch_ms = pair[1] - pair[0];
        assert!(
            (900.0..=1100.0).contains(&epoch_ms),
            "an epoch took {epoch_ms} ms of clock"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_epoch_pace_is_capped_by_what_the_machine_can_do() {
    // 4 clock readings cost 2 ms each: an update costs ~2 ms, so at most ~500 a second
    // where the pace asks for 1,000.
    let mut r = configured(1, paced_example(8));
    r.handle(Command::Speed {
        run: 1,
        speed: Speed::EpochPerSecond,
    });
    r.handle(Command::Start { run: 1 });
    let wall = Wall::new(2.0);
    let made = drive(&mut r, &wall, 2000.0);
    let per_second = made.len() as f64 / (wall.now() / 1000.0);
    assert!(
        (300.0..=520.0).contains(&per_second),
        "{per_second} updates/s: the machine's pace, no more"
    );
    let first = made.iter().position(|(t, _)| *t > 1000.0).unwrap();
    let later = made.len() - first;
    assert!(
        later as f64 <= per_second * (wall.now() - 1000.0) / 1000.0 * 1.1,
        "no sprint to catch up: {later} after 1 s"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn pause_and_step_work_at_the_epoch_pace() {
    let mut r = configured(1, paced_example(256));
    r.handle(Command::Speed {
        run: 1,
        speed: Speed::EpochPerSecond,
    });
    r.handle(Command::Start { run: 1 });
    let wall = Wall::new(0.01);
    let made = drive(&mut r, &wall, 300.0);
    // 300 ms at 32 updates per second: the updates due at 0, 31.25, …, 281.25 ms.
    assert_eq!(
        made.len(),
        10,
        "{:?}",
        made.iter().map(|m| m.0).collect::<Vec<_>>()
    );
    let paused = r.handle(Command::Pause { run: 1 });
    assert_eq!(paused, vec![Event::Paused { run: 1, update: 10 }]);
    assert_eq!(r.schedule(), Schedule::Idle);
    wall.wait(5000.0);
    assert!(r.tick(&mut wall.reader()).is_empty(), "paused: nothing");
    let step = steps(&r.handle(Command::Step { run: 1 }));
    assert_eq!(step.iter().map(|s| s.update).collect::<Vec<_>>(), [11]);
    wall.wait(5000.0);
    r.handle(Command::Resume { run: 1 });
    assert_eq!(r.schedule(), Schedule::After(0.0));
    // Ten seconds passed while paused: the run goes on at its pace, not ten seconds' worth
    // of updates at once.
    let resumed = drive(&mut r, &wall, wall.now() + 100.0);
    assert_eq!(
        resumed.iter().map(|(_, s)| s.update).collect::<Vec<_>>(),
        [12, 13, 14, 15]
    );
    let Schedule::After(wait) = r.schedule() else {
        panic!("still running")
    };
    assert!((10.0..=31.25).contains(&wait), "{wait}");
}

/// A probe measures the run's current weights exactly as the trainer's probes measure the
/// same weights, and leaves the run as it was: the next updates are those of an unprobed
/// run, and no training time passes.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_probe_measures_the_current_weights_off_the_training_clock() {
    use batch_lab::trainer::model::Workspace;
    use batch_lab::trainer::probe::{fan, sharpness};
    use batch_lab::trainer::session::Session;
    use batch_lab::worker::protocol::{ProbeRequest, ProbeResult};
    let experiment = post_example();
    let mut r = configured(1, experiment.clone());
    r.handle(Command::Speed {
        run: 1,
        speed: Speed::Max,
    });
    r.handle(Command::Start { run: 1 });
    let first = steps(&r.tick(&mut clock(1.0)));
    let done = first.len();
    assert!(done > 1 && done < 100, "{done}");

    let (train, validation) = experiment.datasets(None).unwrap();
    let mut same = Session::new(experiment.config.clone(), train, validation).unwrap();
    for _ in 0..done {
        same.step();
    }
    let ws = &mut Workspace::default();
    let probe = sharpness::Probe {
        subset: 100,
        iterations: 10,
        ..sharpness::Probe::default()
    };
    let events = r.handle(Command::Probe {
        run: 1,
        request: ProbeRequest::Sharpness(probe),
    });
    let want = sharpness::measure(same.model(), same.train_data(), &probe, ws);
    assert_eq!(
        events,
        [Event::Probed {
            run: 1,
            update: done,
            result: ProbeResult::Sharpness(want),
        }]
    );
    let events = r.handle(Command::Probe {
        run: 1,
        request: ProbeRequest::GradientFan {
            batch: 20,
            batches: 4,
            seed: 3,
        },
    });
    let rows = fan::batches(200, 20, 4, 3);
    let want = fan::cosines(same.model(), same.train_data(), &rows, ws);
    assert_eq!(want.len(), 4);
    assert_eq!(
        events,
        [Event::Probed {
            run: 1,
            update: done,
            result: ProbeResult::GradientFan(want),
        }]
    );
    assert!(
        r.handle(Command::Probe {
            run: 2,
            request: ProbeRequest::Sharpness(probe),
        })
        .is_empty()
    );

    // Training goes on where it was, as if never measured, its clock a reading or two on.
    let next = steps(&r.tick(&mut clock(1.0)));
    assert_eq!(next[0].update, done + 1);
    assert_eq!(next[0].loss, same.step().unwrap().loss);
    let gap = next[0].elapsed_ms - first[done - 1].elapsed_ms;
    assert!(gap > 0.0 && gap < 3.0, "{gap}");
}
