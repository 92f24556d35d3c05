//! Tests of the claims' runner on synthetic finished runs: the jobs it submits (every arm with
//! every seed, slowest first), the probes it asks for (gradient fan, sharpness), and what each
//! card reads from its runs.

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

/// Readings of every arm of `plan` with every seed: `make(arm, seed index, experiment with
/// the seed, run id)`.
fn card_readings(
    plan: &Plan,
    make: impl Fn(usize, usize, Experiment, RunId) -> Reading,
) -> Readings {
    (0..plan.arms.len())
        .map(|a| {
            (plan.seeds.iter().enumerate())
                .map(|(i, &k)| {
                    let mut e = plan.arms[a].experiment.clone();
                    e.config.seed = k;
                    Some(make(a, i, e, (a * 10 + i) as RunId))
                })
                .collect()
        })
        .collect()
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
fn the_gradient_fan_is_asked_of_the_stable_gradient_card_only() {
    let plan = Claim::StableGradient.plan();
    let jobs = jobs(&plan, 0);
    let small = jobs.iter().find(|j| j.arm == 0).unwrap();
    assert_eq!(
        fan_probe(&plan, small),
        Some(ProbeRequest::GradientFan {
            batch: 8,
            batches: crate::claims::FAN_BATCHES,
            seed: small.seed
        })
    );
    // Every checkpoint falls before the run's end.
    let epochs = plan.arms[0].experiment.config.epochs;
    assert!(
        crate::claims::FAN_EPOCHS
            .iter()
            .all(|&e| is_checkpoint(e) && e < epochs)
    );
    assert!(!is_checkpoint(epochs));
    let noise = Claim::Noise.plan();
    assert_eq!(fan_probe(&noise, &super::jobs(&noise, 0)[0]), None);
    assert_eq!(
        mean_cosine(&[Some(0.2), None, Some(0.4)]),
        Some(0.30000000000000004)
    );
    assert_eq!(mean_cosine(&[None]), None);
}

#[test]
fn readings_of_one_run() {
    let e = Claim::Warmup.plan().arms[0].experiment.clone();
    // 3 epochs of 5 updates; losses 1..=15; accuracy 0.5, 0.6, 0.7 at epoch ends.
    let a = run(&e, 1, 5, 3, |u| u as f64, |ep| 0.4 + 0.1 * ep as f64);
    let b = run(&e, 2, 5, 3, |u| u as f64, |ep| 0.5 + 0.1 * ep as f64);
    let same = [Some(&a), Some(&b)];
    let v = |m| value(m, &a, &same);
    // Losses 1..=5 in the first epoch: each a rise above the lowest so far (1), at most 4.
    assert_eq!(v(Measure::FirstEpochLossRise), Some(4.0));
    // A high first batch that the loss only falls from is no rise; a climb back is.
    let spike = run(
        &e,
        3,
        5,
        3,
        |u| [99.0, 3.0, 2.0, 6.5, 1.0][(u - 1) % 5],
        |_| 0.5,
    );
    assert_eq!(value(Measure::FirstEpochLossRise, &spike, &same), Some(4.5));
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

#[test]
fn the_sharpness_is_asked_of_the_sharp_minima_card_only_with_each_seed() {
    let plan = Claim::SharpMinima.plan();
    let jobs = jobs(&plan, 0);
    for job in &jobs {
        match sharpness_probe(&plan, job) {
            Some(ProbeRequest::Sharpness(p)) => {
                assert_eq!(p.seed, job.seed, "the arms of a seed share their rows");
                let default = crate::trainer::probe::sharpness::Probe::default();
                assert_eq!(
                    (p.subset, p.iterations),
                    (default.subset, default.iterations)
                );
            }
            other => panic!("{other:?}"),
        }
    }
    for claim in Claim::ALL.into_iter().filter(|&c| c != Claim::SharpMinima) {
        let plan = claim.plan();
        assert_eq!(
            sharpness_probe(&plan, &super::jobs(&plan, 0)[0]),
            None,
            "{claim:?}"
        );
    }
}

/// The `warmup` card on synthetic first epochs either side of its rule: without warm-up the
/// loss falls and is thrown back up (a rise of about 1.5), with warm-up it falls slowly and
/// only wobbles (about 0.05); the claim holds. When both arms merely fall (no rise at all
/// beyond the wobble), the first contrast is within noise and the card does not hold.
#[test]
fn the_warmup_card_measures_the_rise_on_both_sides() {
    let plan = Claim::Warmup.plan();
    let upe = 10;
    let wobble = |u: usize, k: u64| 0.05 * (((u * 7 + k as usize * 3) % 5) as f64 - 2.0) / 2.0;
    let readings_of = |plain_rise: f64| -> Readings {
        card_readings(&plan, |a, _, e, id| {
            let k = e.config.seed;
            let loss = move |u: usize| {
                let falling = 2.3 - 0.1 * (u.min(upe)) as f64 + wobble(u, k);
                // Without warm-up (arm 0) the loss climbs back after update 4.
                if a == 0 && (5..=7).contains(&u) {
                    falling + plain_rise * (u - 4) as f64 / 3.0
                } else {
                    falling
                }
            };
            run(&e, id, upe, 2, loss, |ep| 0.8 + 0.01 * ep as f64)
        })
    };
    let unstable = result(Claim::Warmup, &readings_of(1.5));
    let rise = &unstable.contrasts[0];
    assert_eq!(rise.outcome, Some(Outcome::Claimed), "{rise:?}");
    assert!(
        rise.pairs
            .iter()
            .all(|&(plain, warm)| plain > 1.0 && warm < 0.1),
        "{rise:?}"
    );
    let calm = result(Claim::Warmup, &readings_of(0.0));
    assert_ne!(
        calm.contrasts[0].outcome,
        Some(Outcome::Claimed),
        "{calm:?}"
    );
    assert_ne!(calm.verdict, Some(Verdict::Holds));
}

/// The noise card's points per seed are every arm's (B, spread) and its chart's line has
/// the slope the card reports (minus its difference).
#[test]
fn the_noise_cards_chart_draws_its_headline_slope() {
    let plan = Claim::Noise.plan();
    let upe = 8;
    let readings = card_readings(&plan, |a, _, e, id| {
        let b = plan.arms[a].experiment.batch_in_effect() as f64;
        // Alternating losses of amplitude ∝ B^(−0.4 − 0.05 k): SD ∝ that too.
        let amp = b.powf(-0.4 - 0.05 * e.config.seed as f64);
        let loss = move |u: usize| 1.0 + if u.is_multiple_of(2) { amp } else { -amp };
        run(&e, id, upe, 2, loss, |_| 0.9)
    });
    let per_seed = per_seed_points(&plan, &readings, Measure::LossSpread);
    assert_eq!(per_seed.len(), 3);
    assert!(per_seed.iter().all(|s| s.len() == plan.arms.len()));
    let r = result(Claim::Noise, &readings);
    let chart = crate::claims::slope_chart(&per_seed).unwrap();
    let d = r.headline().unwrap().difference().unwrap();
    // Seeds' slopes −0.45, −0.5, −0.55 (f32 losses: to 1e-5).
    assert!((chart.fit.slope + 0.5).abs() < 1e-5, "{chart:?}");
    assert!(
        (chart.fit.slope + d).abs() < 1e-12,
        "{} vs {d}",
        chart.fit.slope
    );
    // The arm values are the seeds' values in order.
    let spreads = arm_values(&plan, &readings, Measure::LossSpread, 0);
    assert_eq!(spreads.len(), 3);
    assert!(
        spreads
            .iter()
            .zip(&per_seed)
            .all(|(v, s)| *v == Some(s[0].1))
    );
}

/// The `generalise` card's gaps are the run list's (training minus validation accuracy of
/// each finished seed, points), per arm with its SD, and compared seed by seed; the `time`
/// card's seconds to the target are per seed, `None` where a seed never reached it.
#[test]
fn details_of_the_generalise_and_time_cards() {
    let plan = Claim::Generalise.plan();
    let upe = 4;
    // Arm 0's seeds end 3, 4 and 5 points above their validation accuracy; arm 1's 1 point.
    let readings = card_readings(&plan, |a, i, e, id| {
        let mut r = run(&e, id, upe, 2, |_| 1.0, |_| 0.9);
        let gap = if a == 0 {
            0.03 + 0.01 * (i % 3) as f64
        } else {
            0.01
        };
        r.record.epochs.last_mut().unwrap().metrics.accuracy = 0.9 + gap;
        r
    });
    let d = details(Claim::Generalise, &readings);
    let (spreads, comparison) = d.gaps.expect("the generalise card's gaps");
    let g0 = spreads[0].unwrap();
    // Seeds 1..=5: gaps 3, 4, 5, 3, 4 points.
    assert!((g0.mean - 3.8).abs() < 1e-9, "{g0:?}");
    assert!((g0.sd.unwrap() - 0.7f64.sqrt()).abs() < 1e-9, "{g0:?}");
    assert!((spreads[1].unwrap().mean - 1.0).abs() < 1e-9);
    assert!((comparison.unwrap().difference - 2.8).abs() < 1e-9);
    assert_eq!((d.slope, d.to_target), (None, None));

    let plan = Claim::Time.plan();
    // Arm 1's first seed stays at 0.85; the others reach 0.95 at epoch 2.
    let readings = card_readings(&plan, |a, i, e, id| {
        let top = if a == 1 && i == 0 { 0.85 } else { 0.95 };
        run(
            &e,
            id,
            upe,
            3,
            |_| 1.0,
            move |ep| if ep >= 2 { top } else { 0.8 },
        )
    });
    let d = details(Claim::Time, &readings);
    let (target, seconds) = d.to_target.expect("the time card's seconds");
    assert_eq!(target, 0.9);
    assert_eq!(seconds[1][0], None, "never reached");
    // Validated at epoch ends: crossed between update 4 (0.8, 0.4 s) and 8 (0.95, 0.8 s), 2/3
    // of the way in accuracy, log-linearly in seconds: 0.4 · 2^(2/3).
    let want = 0.4 * 2f64.powf(2.0 / 3.0);
    assert!((seconds[0][0].unwrap() - want).abs() < 1e-6, "{seconds:?}");
    assert!(d.gaps.is_none());
}
