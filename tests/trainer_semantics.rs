//! The epoch and batch semantics the app teaches, checked against the blog post's
//! arithmetic and Keras/PyTorch behaviour.
#![cfg(not(target_arch = "wasm32"))]

use batch_lab::trainer::data::{Dataset, random, toy};
use batch_lab::trainer::model::{Mlp, Workspace, gradient_tensors};
use batch_lab::trainer::optim::OptimizerKind;
use batch_lab::trainer::rng::{self, Stream};
use batch_lab::trainer::schedule::{Decay, ScalingRule, Schedule};
use batch_lab::trainer::session::{
    ConfigError, Session, Status, StepRecord, TrainConfig, ValidationSchedule,
};

fn small_config(batch_size: usize, epochs: usize) -> TrainConfig {
    TrainConfig {
        hidden: vec![8],
        batch_size,
        epochs,
        seed: 5,
        ..TrainConfig::default()
    }
}

fn noise(n: usize) -> Dataset {
    random::pytorch_example(n, 11)
}

fn run_all(session: &mut Session) -> Vec<StepRecord> {
    std::iter::from_fn(|| session.step()).collect()
}

/// The updates after which validation was evaluated.
fn validated(records: &[StepRecord]) -> Vec<usize> {
    records
        .iter()
        .filter(|r| r.validation.is_some())
        .map(|r| r.update)
        .collect()
}

#[test]
fn post_example_200_over_20_is_10_updates_per_epoch() {
    let mut s = Session::new(small_config(20, 10), noise(200), noise(0)).unwrap();
    assert_eq!(s.updates_per_epoch(), 10);
    assert_eq!(s.total_updates(), 100);
    let records = run_all(&mut s);
    assert_eq!(records.len(), 100);
    assert!(records.iter().all(|r| r.batch_size == 20));
    let ends: Vec<usize> = records
        .iter()
        .filter(|r| r.epoch_end.is_some())
        .map(|r| r.update)
        .collect();
    assert_eq!(ends, (1..=10).map(|e| e * 10).collect::<Vec<_>>());
    assert_eq!(s.status(), Status::Finished);
    assert_eq!(records.last().unwrap().samples_seen, 2000);
    assert!(s.step().is_none(), "no update after the last epoch");
}

#[test]
fn post_calculation_1000_samples_batch_50_20_epochs_is_400_updates() {
    let mut s = Session::new(small_config(50, 20), noise(1000), noise(0)).unwrap();
    assert_eq!((s.updates_per_epoch(), s.total_updates()), (20, 400));
    let records = run_all(&mut s);
    assert_eq!(records.len(), 400);
    let last = records.last().unwrap();
    assert_eq!((last.epoch, last.step_in_epoch, last.update), (20, 20, 400));
    assert_eq!(s.history().len(), 20);
}

#[test]
fn partial_last_batch_holds_the_remainder_and_is_not_carried_over() {
    // 250 samples at B = 30: 8 full batches and one of 10, every epoch (where TensorFlow
    // Playground would carry 10 samples into the next epoch).
    let mut s = Session::new(small_config(30, 3), noise(250), noise(0)).unwrap();
    assert_eq!(s.updates_per_epoch(), 9);
    let records = run_all(&mut s);
    assert_eq!(records.len(), 27);
    for epoch in records.chunks(9) {
        let sizes: Vec<usize> = epoch.iter().map(|r| r.batch_size).collect();
        assert_eq!(sizes, [30, 30, 30, 30, 30, 30, 30, 30, 10]);
        assert!(epoch[8].epoch_end.is_some());
        assert_eq!(epoch[0].step_in_epoch, 1);
    }
    assert_eq!(records.last().unwrap().samples_seen, 750);
}

#[test]
fn every_sample_once_per_epoch_in_a_new_order() {
    let mut s = Session::new(small_config(7, 3), noise(100), noise(0)).unwrap();
    let records = run_all(&mut s);
    let mut orders = Vec::new();
    for e in 1..=3 {
        let order: Vec<u32> = records
            .iter()
            .filter(|r| r.epoch == e)
            .flat_map(|r| r.batch_indices.clone())
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (0..100).collect::<Vec<u32>>(),
            "epoch {e} uses each sample once"
        );
        orders.push(order);
    }
    assert_ne!(orders[0], orders[1]);
    assert_ne!(orders[1], orders[2]);
    assert_ne!(
        orders[0],
        (0..100).collect::<Vec<u32>>(),
        "the first epoch is shuffled too"
    );
}

#[test]
fn batch_size_extremes_sgd_and_full_batch() {
    let mut sgd = Session::new(small_config(1, 1), noise(40), noise(0)).unwrap();
    assert_eq!(sgd.updates_per_epoch(), 40);
    assert!(
        run_all(&mut sgd)
            .iter()
            .all(|r| r.batch_size == 1 && r.batch_indices.len() == 1)
    );

    // B > N acts as one full batch, exactly like B = N.
    let full = run_all(&mut Session::new(small_config(40, 2), noise(40), noise(0)).unwrap());
    let over = run_all(&mut Session::new(small_config(10_000, 2), noise(40), noise(0)).unwrap());
    assert_eq!(full.len(), 2);
    assert_eq!(full, over);
}

#[test]
fn full_batch_update_equals_gradient_descent_on_the_whole_set() {
    let data = toy::generate(toy::Toy::Moons, 64, 0.1, 2).unwrap();
    let config = TrainConfig {
        optimizer: OptimizerKind::Sgd,
        learning_rate: 0.5,
        ..small_config(64, 1)
    };
    let mut session = Session::new(config.clone(), data.clone(), noise(0).range(0, 0)).unwrap();
    session.step().unwrap();

    // The same initial net, one plain gradient-descent step on all 64 samples in order.
    let spec = session.model().spec.clone();
    let mut reference = Mlp::new(spec, &mut rng::seeded(config.seed, Stream::Init));
    let mut ws = Workspace::default();
    ws.input_mut(64, 2).copy_from_slice(&data.x);
    let mut grads = reference.zero_gradients();
    reference.forward_backward(&mut ws, &data.y, Some(&mut grads));
    for (w, g) in reference.tensors_mut().zip(gradient_tensors(&grads)) {
        w.iter_mut().zip(g).for_each(|(w, g)| *w -= 0.5 * g);
    }
    for (a, b) in session.model().layers.iter().zip(&reference.layers) {
        for (x, y) in a.w.iter().chain(&a.b).zip(b.w.iter().chain(&b.b)) {
            assert!((x - y).abs() < 1e-6, "{x} vs {y}");
        }
    }
}

#[test]
fn same_seed_gives_bit_identical_records_and_another_seed_does_not() {
    let config = TrainConfig {
        validation: ValidationSchedule::Every(7),
        ..small_config(16, 3)
    };
    let make = |seed| {
        let c = TrainConfig {
            seed,
            ..config.clone()
        };
        run_all(&mut Session::new(c, noise(200), noise(50)).unwrap())
    };
    let (a, b, c) = (make(1), make(1), make(2));
    assert_eq!(a, b);
    let bits = |r: &[StepRecord]| r.iter().map(|r| r.loss.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_ne!(bits(&a), bits(&c));
}

#[test]
fn epoch_summary_is_the_sample_weighted_running_mean_and_validation_is_reported() {
    let mut s = Session::new(small_config(30, 2), noise(100), noise(40)).unwrap();
    let records = run_all(&mut s);
    let epoch1: Vec<&StepRecord> = records.iter().filter(|r| r.epoch == 1).collect();
    let weighted = epoch1
        .iter()
        .map(|r| r.loss * r.batch_size as f64)
        .sum::<f64>()
        / 100.0;
    let summary = epoch1.last().unwrap().epoch_end.clone().unwrap();
    assert!((summary.train.loss - weighted).abs() < 1e-9);
    let correct: f64 = epoch1
        .iter()
        .map(|r| r.accuracy * r.batch_size as f64)
        .sum();
    assert!((summary.train.accuracy - correct / 100.0).abs() < 1e-9);
    assert!(summary.validation.is_some());
    // The default schedule validates at epoch ends only (4 updates per epoch).
    assert_eq!(validated(&records), vec![4, 8]);
    let predictions_match = records.iter().all(|r| r.predictions.len() == r.batch_size);
    assert!(predictions_match);
}

#[test]
fn every_k_validates_every_kth_update_and_every_epoch_end() {
    // 100 samples at B = 20: 5 updates per epoch, so every 3rd update and epoch ends differ.
    let run = |validation| {
        let config = TrainConfig {
            validation,
            ..small_config(20, 3)
        };
        run_all(&mut Session::new(config, noise(100), noise(20)).unwrap())
    };
    let every3 = run(ValidationSchedule::Every(3));
    assert_eq!(validated(&every3), vec![3, 5, 6, 9, 10, 12, 15]);
    assert_eq!(
        validated(&run(ValidationSchedule::EpochEnds)),
        vec![5, 10, 15]
    );
    assert_eq!(
        validated(&run(ValidationSchedule::Every(0))),
        vec![5, 10, 15],
        "k = 0 adds nothing"
    );
    // An update that is both (15) is evaluated once, and the epoch summary carries it.
    let last = every3.last().unwrap();
    assert_eq!(last.validation, last.epoch_end.as_ref().unwrap().validation);
    // Extra validations leave training untouched.
    let losses = |r: &[StepRecord]| r.iter().map(|r| r.loss.to_bits()).collect::<Vec<_>>();
    assert_eq!(losses(&every3), losses(&run(ValidationSchedule::EpochEnds)));
}

#[test]
fn geometric_validates_at_ceil_powers_of_two_and_every_epoch_end() {
    // 100 samples at B = 4: 25 updates per epoch, 4 epochs = 100 updates.
    let run = |validation| {
        let config = TrainConfig {
            validation,
            ..small_config(4, 4)
        };
        run_all(&mut Session::new(config, noise(100), noise(20)).unwrap())
    };
    let records = run(ValidationSchedule::Geometric { per_doubling: 2 });
    assert_eq!(records.len(), 100);
    // ceil(2^(j/2)) for j = 0, 1, …: 1, 2, 2, 3, 4, 6, 8, 12, 16, 23, 32, 46, 64, 91, (128);
    // plus the epoch ends 25, 50, 75, 100.
    assert_eq!(
        validated(&records),
        vec![
            1, 2, 3, 4, 6, 8, 12, 16, 23, 25, 32, 46, 50, 64, 75, 91, 100
        ]
    );
    let per_doubling_3 = run(ValidationSchedule::Geometric { per_doubling: 3 });
    // ceil(2^(j/3)): 1, 2, 2, 2, 3, 4, 4, 6, 7, 8, 11, 13, 16, 21, 26, 32, 41, 51, 64, 81, (102).
    assert_eq!(
        validated(&per_doubling_3),
        vec![
            1, 2, 3, 4, 6, 7, 8, 11, 13, 16, 21, 25, 26, 32, 41, 50, 51, 64, 75, 81, 100
        ]
    );
    assert_eq!(
        validated(&run(ValidationSchedule::Geometric { per_doubling: 0 })),
        vec![25, 50, 75, 100],
        "per_doubling = 0 adds nothing"
    );
}

#[test]
fn bad_configurations_are_refused_with_a_reason() {
    let bad = |c: TrainConfig, n| Session::new(c, noise(n), noise(0)).err();
    assert_eq!(bad(small_config(0, 1), 10), Some(ConfigError::ZeroBatch));
    assert_eq!(bad(small_config(1, 0), 10), Some(ConfigError::ZeroEpochs));
    assert_eq!(
        bad(small_config(1, 1), 0),
        Some(ConfigError::EmptyTrainingSet)
    );
    assert_eq!(
        bad(
            TrainConfig {
                hidden: vec![4, 0],
                ..small_config(1, 1)
            },
            10
        ),
        Some(ConfigError::ZeroWidth)
    );
    for lr in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        assert_eq!(
            bad(
                TrainConfig {
                    learning_rate: lr,
                    ..small_config(1, 1)
                },
                10
            ),
            Some(ConfigError::BadLearningRate)
        );
    }
    let mnist_shaped = Dataset::new(3, 2, vec![0.0; 3], vec![0]);
    assert_eq!(
        Session::new(small_config(1, 1), noise(10), mnist_shaped).err(),
        Some(ConfigError::ValidationShape)
    );
}

#[test]
fn a_diverging_learning_rate_stops_the_run_safely() {
    let config = TrainConfig {
        optimizer: OptimizerKind::Sgd,
        learning_rate: 1e30,
        ..small_config(10, 50)
    };
    let mut s = Session::new(config, noise(100), noise(20)).unwrap();
    let records = run_all(&mut s);
    let last = records.last().unwrap();
    assert!(last.diverged, "a learning rate of 1e30 must blow up");
    assert!(records.len() < 500);
    assert_eq!(s.status(), Status::Diverged);
    assert!(s.step().is_none());
    assert!(records[..records.len() - 1].iter().all(|r| !r.diverged));
}

#[test]
fn learning_rate_can_change_between_steps() {
    let mut s = Session::new(small_config(10, 1), noise(100), noise(0)).unwrap();
    assert_eq!(s.step().unwrap().learning_rate, 0.001);
    s.set_learning_rate(0.01).unwrap();
    assert_eq!(s.step().unwrap().learning_rate, 0.01);
    assert!(s.set_learning_rate(-1.0).is_err());
}

#[test]
fn every_update_uses_exactly_the_scheduled_rate() {
    // N = 100 at B = 20 (B₀ = 10, linear: peak 0.002), 5 updates per epoch, warm-up over
    // 2 epochs from 0.0001, then a cosine to half the peak at update 20.
    let config = TrainConfig {
        schedule: Schedule {
            rule: ScalingRule::Linear,
            base_batch: 10,
            warmup_epochs: 2,
            warmup_start: 0.0001,
            decay: Decay::Cosine,
            floor: 0.5,
        },
        ..small_config(20, 4)
    };
    let mut s = Session::new(config.clone(), noise(100), noise(0)).unwrap();
    let records = run_all(&mut s);
    assert_eq!(records.len(), 20);
    for r in &records {
        assert_eq!(
            r.learning_rate.to_bits(),
            config.rate_at(100, r.update).to_bits(),
            "update {}",
            r.update
        );
    }
    let rate = |u: usize| records[u - 1].learning_rate;
    assert_eq!(rate(1), 0.0001, "the first update uses the start");
    assert_eq!(
        rate(11),
        0.002,
        "the first after warm-up uses the scaled peak"
    );
    assert_eq!(rate(20), 0.001, "the last update uses the floor");
    assert_eq!(config.peak_rate(100), 0.002);

    // The optimiser applied those rates: a run without a schedule, given each rate by hand
    // before its update, is the same run bit for bit.
    let plain = TrainConfig {
        schedule: Schedule::default(),
        ..config.clone()
    };
    let mut by_hand = Session::new(plain, noise(100), noise(0)).unwrap();
    let mut manual = Vec::new();
    for u in 1..=20 {
        by_hand.set_learning_rate(config.rate_at(100, u)).unwrap();
        manual.push(by_hand.step().unwrap());
    }
    assert_eq!(manual, records);
    // And a different schedule changes the weights.
    let mut other = Session::new(small_config(20, 4), noise(100), noise(0)).unwrap();
    let others = run_all(&mut other);
    assert_ne!(others[5].loss.to_bits(), records[5].loss.to_bits());
}

#[test]
fn a_bad_schedule_is_refused() {
    let config = TrainConfig {
        schedule: Schedule {
            base_batch: 0,
            ..Schedule::default()
        },
        ..small_config(10, 1)
    };
    assert_eq!(
        Session::new(config, noise(10), noise(0)).err(),
        Some(ConfigError::BadSchedule)
    );
}

/// A target sweep's run ends at the first validation at or over its target, mid-epoch if
/// that is where it lands, with the same records as an unstopped run up to there; a target
/// it never reaches leaves the epochs as the budget.
#[test]
fn a_run_stops_at_its_validation_target_or_at_the_budget() {
    let data = toy::generate(toy::Toy::Moons, 400, 0.1, 3).unwrap();
    let (train, validation) = (data.range(0, 320), data.range(320, 400));
    let config = TrainConfig {
        learning_rate: 0.01,
        validation: ValidationSchedule::Geometric { per_doubling: 3 },
        ..small_config(16, 30)
    };
    let full =
        run_all(&mut Session::new(config.clone(), train.clone(), validation.clone()).unwrap());
    let target = 0.85;
    let first = full
        .iter()
        .position(|r| r.validation.is_some_and(|v| v.accuracy >= target))
        .expect("moons reach 85 % within 30 epochs");
    let stopping = TrainConfig {
        stop_at_val_accuracy: Some(target),
        ..config.clone()
    };
    let mut session = Session::new(stopping, train.clone(), validation.clone()).unwrap();
    let stopped = run_all(&mut session);
    assert_eq!(session.status(), Status::Finished);
    assert_eq!(stopped.len(), first + 1, "ends at update {}", first + 1);
    assert!(stopped.len() < full.len(), "before the budget");
    assert_eq!(stopped[..], full[..=first], "the same records up to there");
    // Never reached: every epoch of the budget, as without a target.
    let never = TrainConfig {
        stop_at_val_accuracy: Some(1.01),
        ..config
    };
    let mut session = Session::new(never, train, validation).unwrap();
    assert_eq!(run_all(&mut session).len(), full.len());
    assert_eq!(session.status(), Status::Finished);
}
