use super::*;
use crate::history::fixtures;
use crate::trainer::session::Metrics;

/// A finished run of `arm`'s experiment with seed `seed`: `epochs` epochs of `upe` updates,
/// batch loss `loss(update)`, validation accuracy `val(epoch)` at each epoch end, 0.1 s an
/// update.
fn run(
    experiment: &Experiment,
    run: RunId,
    upe: usize,
    epochs: usize,
    loss: impl Fn(usize) -> f64,
    val: impl Fn(usize) -> f64,
) -> Reading {
    let mut info = fixtures::info(upe, 100);
    info.epochs = epochs;
    info.total_updates = upe * epochs;
    info.features = 784;
    info.classes = 10;
    let mut record = RunHistory::new(run, experiment.clone(), info);
    for u in 1..=upe * epochs {
        let mut s = fixtures::step(u, loss(u), upe, true);
        if let Some(v) = s.validation.as_mut() {
            v.accuracy = val(u / upe);
        }
        if let Some(e) = s.epoch_end.as_mut() {
            e.validation = s.validation;
            e.train = Metrics {
                loss: 0.1,
                accuracy: val(u / upe) + 0.02,
            };
        }
        record.record(&s);
    }
    record.status = Some(Status::Finished);
    Reading {
        record,
        probe: None,
    }
}

#[test]
fn jobs_are_every_arm_with_every_seed_slowest_first() {
    let plan = Claim::Noise.plan();
    let jobs = jobs(&plan, 100);
    assert_eq!(jobs.len(), 4 * 3);
    assert_eq!(
        jobs.iter().map(|j| j.run).collect::<Vec<_>>(),
        (100..112).collect::<Vec<_>>()
    );
    // B = 8 (arm 0) has the most updates: first within each seed.
    assert_eq!(
        jobs[..4]
            .iter()
            .map(|j| (j.arm, j.seed))
            .collect::<Vec<_>>(),
        [(0, 1), (1, 1), (2, 1), (3, 1)]
    );
    assert!(jobs.iter().all(|j| j.experiment.config.seed == j.seed));
    assert_eq!(jobs[11].seed, 3);
    assert_eq!(super::jobs(&Claim::Memory.plan(), 0).len(), 3);
}

/// Loss spread `c / √B` (sampling alone) holds; a spread that does not change with B does
/// not hold.
#[test]
fn noise_card_on_both_sides_of_its_rule() {
    let plan = Claim::Noise.plan();
    let card = |exponent: f64| {
        let mut readings = empty_readings(&plan);
        for (a, arm) in plan.arms.iter().enumerate() {
            let b = arm.experiment.batch_in_effect() as f64;
            for (k, &seed) in plan.seeds.iter().enumerate() {
                // Seed-dependent wobble so the slopes differ a little.
                let amp = b.powf(exponent) * (1.0 + 0.03 * seed as f64 * (a as f64 - 1.5));
                readings[a][k] = Some(run(
                    &arm.experiment,
                    (a * 10 + k) as RunId,
                    10,
                    2,
                    |u| 1.0 + amp * if u % 2 == 0 { 1.0 } else { -1.0 },
                    |_| 0.9,
                ));
            }
        }
        result(Claim::Noise, &readings)
    };
    let falls = card(-0.5);
    assert_eq!(falls.verdict, Some(Verdict::Holds));
    let h = falls.headline().unwrap();
    assert_eq!(h.pairs.len(), 3);
    // Pairs are (0, slope): the difference is minus the mean slope, about +1/2.
    let d = h.difference().unwrap();
    assert!((d - 0.5).abs() < 0.05, "{d}");
    let i = h.comparison.unwrap().inference.unwrap();
    assert!(i.low < d && d < i.high && i.p < 0.05);
    let flat = card(0.0);
    assert_ne!(flat.verdict, Some(Verdict::Holds));
    assert!(flat.headline().unwrap().difference().unwrap().abs() < 0.05);
}

/// Memory: exact arithmetic, B = 256 needs more than B = 8; no test, so no interval.
#[test]
fn memory_card_is_exact() {
    let plan = Claim::Memory.plan();
    let mut readings = empty_readings(&plan);
    for (a, arm) in plan.arms.iter().enumerate() {
        readings[a][0] = Some(run(&arm.experiment, a as RunId, 4, 1, |_| 1.0, |_| 0.9));
    }
    let r = result(Claim::Memory, &readings);
    assert_eq!(r.verdict, Some(Verdict::Holds));
    let h = r.headline().unwrap();
    assert!(h.comparison.is_none());
    let mem = |a: usize| step_memory(&plan.arms[a].experiment, 784, 10) as f64;
    assert_eq!(h.difference(), Some(mem(1) - mem(0)));
    assert!(mem(1) > 1.1 * mem(0));
    let per_arm = arm_headline_means(&plan, &readings);
    assert_eq!(per_arm, vec![Some(mem(0)), Some(mem(1)), Some(mem(2))]);
    // Not all arms ended: no verdict.
    readings[1][0] = None;
    assert_eq!(result(Claim::Memory, &readings).verdict, None);
}

#[test]
fn readings_of_one_run() {
    let e = Claim::Warmup.plan().arms[0].experiment.clone();
    // 3 epochs of 5 updates; losses 1..=15; accuracy 0.5, 0.6, 0.7 at epoch ends.
    let a = run(&e, 1, 5, 3, |u| u as f64, |ep| 0.4 + 0.1 * ep as f64);
    let b = run(&e, 2, 5, 3, |u| u as f64, |ep| 0.5 + 0.1 * ep as f64);
    let same = [Some(&a), Some(&b)];
    let v = |m| value(m, &a, &same);
    assert_eq!(v(Measure::WorstFirstEpochLoss), Some(5.0));
    // The first batch's loss (from the shared initial weights) does not count.
    let spike = run(
        &e,
        3,
        5,
        3,
        |u| if u == 1 { 99.0 } else { u as f64 },
        |_| 0.5,
    );
    assert_eq!(
        value(Measure::WorstFirstEpochLoss, &spike, &same),
        Some(5.0)
    );
    assert!((v(Measure::FinalValAccuracy).unwrap() - 0.7).abs() < 1e-12);
    // 15 updates at 0.1 s over 3 epochs.
    assert!((v(Measure::SecondsPerEpoch).unwrap() - 0.5).abs() < 1e-6);
    // Last epoch's losses 11..=15: SD √2.5.
    assert!((v(Measure::LossSpread).unwrap() - 2.5f64.sqrt()).abs() < 1e-6);
    assert!((v(Measure::SecondsToValAccuracy(0.6)).unwrap() - 1.0).abs() < 1e-6);
    assert_eq!(v(Measure::SecondsToValAccuracy(0.99)), None);
    assert!((v(Measure::ValAccuracyAtSeconds(1.2)).unwrap() - 0.6).abs() < 1e-12);
    assert!((v(Measure::ValAccuracyAtUpdate(5)).unwrap() - 0.5).abs() < 1e-12);
    assert!((v(Measure::CurveDistanceTo(1)).unwrap() - 0.1).abs() < 1e-12);
    assert_eq!(v(Measure::Sharpness), None);
    // A diverged run has no final accuracy.
    let mut d = a.clone();
    d.record.status = Some(Status::Diverged);
    assert_eq!(value(Measure::FinalValAccuracy, &d, &same), None);
    // The arm's mean is the run list's: points.
    let arm = [Some(a.clone()), Some(b.clone())];
    assert!((arm_val_accuracy_mean(&arm).unwrap() - 75.0).abs() < 1e-9);
}
