//! Property tests of the URL parser: any string in, valid settings out; and every valid
//! state survives a round trip through its link.
#![cfg(not(target_arch = "wasm32"))]

use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::plot::smoothing::MAX_WEIGHT;
use batch_lab::plot::view::ChartView;
use batch_lab::plot::view::XAxis;
use batch_lab::settings::{FLOOR_RANGE, LR_RANGE, MAX_BASE_BATCH, MAX_EPOCHS, SPLIT_RANGE};
use batch_lab::sweep::MAX_SIZES;
use batch_lab::trainer::data::toy::Toy;
use batch_lab::trainer::schedule::{Decay, ScalingRule, Schedule};
use batch_lab::trainer::session::Session;
use batch_lab::url_state::{PageState, parse, to_query};
use batch_lab::worker::protocol::Speed;
use proptest::prelude::*;

/// Everything [`parse`] returns is usable: the experiment (see [`assert_valid`]), the view
/// and the sweep's sizes and target.
fn assert_valid_state(state: &PageState) {
    let e = &state.experiment;
    assert_valid(e);
    let smoothing = state.view.smoothing;
    assert!(
        (0.0..=MAX_WEIGHT).contains(&smoothing),
        "smooth {smoothing}"
    );
    if let Some(sizes) = &state.sweep_sizes {
        assert!((1..=MAX_SIZES).contains(&sizes.len()), "sweep {sizes:?}");
        assert!(
            sizes.iter().all(|b| (1..=e.train_size).contains(b)),
            "sweep {sizes:?} for N {}",
            e.train_size
        );
        assert!(sizes.windows(2).all(|w| w[0] < w[1]), "sweep {sizes:?}");
    }
    if let Some(target) = state.sweep_target {
        assert!((0.01..=1.0).contains(&target), "target {target}");
    }
}

/// Settings the trainer accepts: a session can be built on (a stand-in for) the data.
fn assert_valid(e: &Experiment) {
    assert!(
        (1..=e.max_train_size()).contains(&e.train_size),
        "N {}",
        e.train_size
    );
    assert!(
        (1..=e.train_size).contains(&e.config.batch_size),
        "B {}",
        e.config.batch_size
    );
    assert!((1..=MAX_EPOCHS).contains(&e.config.epochs));
    assert!((LR_RANGE.0..=LR_RANGE.1).contains(&e.config.learning_rate));
    assert!((SPLIT_RANGE.0..=SPLIT_RANGE.1).contains(&e.validation_split));
    let schedule = &e.config.schedule;
    assert!((1..=MAX_BASE_BATCH).contains(&schedule.base_batch));
    assert!((0..=MAX_EPOCHS).contains(&schedule.warmup_epochs));
    assert!((LR_RANGE.0..=LR_RANGE.1).contains(&schedule.warmup_start));
    assert!((FLOOR_RANGE.0..=FLOOR_RANGE.1).contains(&schedule.floor));
    // Build a session on a tiny set of the right shape (generating 100k samples per case
    // would make the property slow without testing anything more).
    let features = if let DataSource::Toy { .. } = e.source {
        2
    } else {
        10
    };
    let tiny = batch_lab::trainer::data::random::generate(4, features, 2, 0);
    Session::new(e.config.clone(), tiny.clone(), tiny).expect("the trainer accepts the settings");
}

fn query_chars() -> impl Strategy<Value = String> {
    // Keys and values the parser knows, mixed with arbitrary text, separators and escapes.
    let atom = prop_oneof![
        Just("n".to_owned()),
        Just("b".to_owned()),
        Just("epochs".to_owned()),
        Just("lr".to_owned()),
        Just("split".to_owned()),
        Just("data".to_owned()),
        Just("layers".to_owned()),
        Just("noise".to_owned()),
        Just("preset".to_owned()),
        Just("hide".to_owned()),
        Just("x".to_owned()),
        Just("xlog".to_owned()),
        Just("smooth".to_owned()),
        Just("sweep".to_owned()),
        Just("target".to_owned()),
        Just("samples".to_owned()),
        Just("rule".to_owned()),
        Just("b0".to_owned()),
        Just("warmup".to_owned()),
        Just("warmup-lr".to_owned()),
        Just("decay".to_owned()),
        Just("floor".to_owned()),
        Just("linear".to_owned()),
        Just("sqrt".to_owned()),
        Just("cosine".to_owned()),
        Just("linear-scaling".to_owned()),
        Just("small-batch".to_owned()),
        Just("speed".to_owned()),
        Just("epoch".to_owned()),
        Just("max".to_owned()),
        Just(",".to_owned()),
        Just("0.99".to_owned()),
        Just("%2C".to_owned()),
        Just("=".to_owned()),
        Just("&".to_owned()),
        Just("%".to_owned()),
        Just("-1e309".to_owned()),
        Just("spirals".to_owned()),
        Just("random".to_owned()),
        "[0-9]{1,25}",
        "[ -~]{0,12}",
        ".{0,8}",
    ];
    prop::collection::vec(atom, 0..30).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_query_gives_valid_settings(query in query_chars()) {
        let (state, _notices) = parse(&query);
        assert_valid_state(&state);
    }

    #[test]
    fn arbitrary_unicode_never_panics(query in ".{0,300}") {
        let (state, _) = parse(&query);
        assert_valid_state(&state);
    }

    #[test]
    fn parsed_states_round_trip(query in query_chars()) {
        let (state, _) = parse(&query);
        let (back, notices) = parse(&to_query(&state));
        prop_assert!(notices.is_empty(), "{:?}", notices);
        prop_assert_eq!(back, state);
    }

    #[test]
    fn valid_states_round_trip(
        n in 1usize..8000,
        b in 1usize..9000,
        epochs in 1usize..=200,
        seed in any::<u64>(),
        toy in prop::option::of(0usize..5),
        hidden in prop::collection::vec(1usize..=1024, 0..=4),
        axis in 0usize..4,
        log_x in any::<bool>(),
        smoothing in prop_oneof![Just(0.6), Just(0.0), Just(MAX_WEIGHT), 0.0..=MAX_WEIGHT],
        sizes in prop::option::of(prop::collection::btree_set(1usize..9000, 1..=MAX_SIZES)),
        target in prop::option::of(prop_oneof![
            (1u32..=100).prop_map(|p| f64::from(p) / 100.0),
            (10u32..=1000).prop_map(|p| f64::from(p) / 1000.0),
            (1.0f64..=100.0).prop_map(|p| p / 100.0),
        ]),
        (workers, speed) in (
            prop::option::of(1usize..=batch_lab::sweep::MAX_SWEEP_WORKERS),
            prop_oneof![
                Just(Speed::EpochPerSecond),
                Just(Speed::Max),
                (1u32..=1000).prop_map(Speed::PerSecond),
            ],
        ),
        schedule in (
            0usize..3,
            1usize..=MAX_BASE_BATCH,
            0usize..=MAX_EPOCHS,
            prop_oneof![Just(0.0001f32), LR_RANGE.0..=LR_RANGE.1],
            any::<bool>(),
            prop_oneof![Just(0.0f32), Just(1.0f32), FLOOR_RANGE.0..=FLOOR_RANGE.1],
        ),
    ) {
        let mut state = PageState::default();
        let e = &mut state.experiment;
        if let Some(t) = toy {
            e.source = DataSource::Toy { toy: Toy::ALL[t], noise: 0.2 };
        }
        e.train_size = n;
        e.config.batch_size = b.min(n);
        e.config.epochs = epochs;
        e.config.seed = seed;
        e.config.hidden = hidden;
        state.view = ChartView { axis: XAxis::ALL[axis], log_x, smoothing };
        state.sweep_sizes = sizes.map(|s| {
            let mut s: Vec<usize> = s.into_iter().map(|b| b.min(n)).collect();
            s.dedup();
            s
        });
        state.sweep_target = target;
        state.sweep_workers = workers;
        state.speed = speed;
        let (rule, base_batch, warmup_epochs, warmup_start, cosine, floor) = schedule;
        state.experiment.config.schedule = Schedule {
            rule: ScalingRule::ALL[rule],
            base_batch,
            warmup_epochs,
            warmup_start,
            decay: if cosine { Decay::Cosine } else { Decay::Constant },
            floor,
        };
        let (back, notices) = parse(&to_query(&state));
        prop_assert!(notices.is_empty(), "{:?}", notices);
        prop_assert_eq!(back, state);
    }
}
