//! Tests of the claims' plans and verdicts: the nine cards and their settings, each card's
//! verdict rule on synthetic results on both sides of its threshold, and the measures the
//! cards compute (batch memory, log–log slopes, curve distances, the worst rise).

use super::*;
use crate::i18n::Lang;

#[test]
fn nine_cards_keyed_as_the_issue_names_them() {
    let keys: Vec<&str> = Claim::ALL.iter().map(|c| c.key()).collect();
    assert_eq!(
        keys,
        [
            "memory",
            "generalise",
            "time",
            "noise",
            "stable-gradient",
            "sharp-minima",
            "full-batch",
            "linear-scaling",
            "warmup",
        ]
    );
    for c in Claim::ALL {
        assert_eq!(
            Claim::from_key(&format!(" {} ", c.key().to_uppercase())),
            Some(c)
        );
    }
    assert_eq!(Claim::from_key("nope"), None);
    for v in Verdict::ALL {
        assert_eq!(Verdict::from_key(v.key()), Some(v));
    }
}

/// Every plan can run: valid experiments, contrasts naming its own arms, seeds distinct.
#[test]
fn every_plan_is_runnable() {
    for c in Claim::ALL {
        let plan = c.plan();
        assert!(!plan.arms.is_empty() && !plan.seeds.is_empty(), "{c:?}");
        let mut seeds = plan.seeds.clone();
        seeds.dedup();
        assert_eq!(seeds, plan.seeds, "{c:?}");
        for arm in &plan.arms {
            let e = &arm.experiment;
            assert!(e.config.schedule.validate().is_ok(), "{c:?}");
            assert!(e.train_size <= e.max_train_size(), "{c:?}");
            assert!(e.config.batch_size <= e.train_size, "{c:?}");
            assert!(e.config.epochs <= crate::settings::MAX_EPOCHS, "{c:?}");
        }
        for contrast in &plan.contrasts {
            if let Contrast::Arms {
                measure,
                higher,
                lower,
            } = *contrast
            {
                assert!(higher < plan.arms.len() && lower < plan.arms.len() && higher != lower);
                if let Measure::CurveDistanceTo(r) = measure {
                    assert!(r < plan.arms.len() && r != higher && r != lower, "{c:?}");
                }
            }
        }
        for lang in Lang::ALL {
            for contrast in &plan.contrasts {
                let s = text::contrast(c, contrast, lang);
                assert!(!s.contains("{}"), "{c:?} {lang:?}: {s}");
            }
            let (heading, words) = text::quote(c);
            assert!(!heading.get(lang).is_empty() && !words.get(lang).is_empty());
        }
    }
    assert!(!text::rule(Lang::Ko).contains("{}"));
    assert!(text::rule(Lang::En).contains("p < 0.05") && text::rule(Lang::En).contains("10%"));
}

/// The cards run what the issue and the post say.
#[test]
fn the_cards_run_the_posts_settings() {
    let batch = |c: Claim| -> Vec<usize> {
        c.plan()
            .arms
            .iter()
            .map(|a| a.experiment.batch_in_effect())
            .collect()
    };
    assert_eq!(batch(Claim::Memory), [8, 256, 8000]);
    let g = Claim::Generalise.plan();
    assert_eq!(batch(Claim::Generalise), [8, 256]);
    assert_eq!(g.seeds, [1, 2, 3, 4, 5]);
    assert!(g.arms.iter().all(|a| a.experiment.config.epochs == 10));
    // B = 256 makes 32 updates per epoch; B = 8 is validated after its 320th.
    assert_eq!(
        g.contrasts[1],
        Contrast::Arms {
            measure: Measure::ValAccuracyAtUpdate(320),
            higher: 0,
            lower: 1
        }
    );
    assert_eq!(
        g.arms[0].experiment.config.validation,
        ValidationSchedule::Every(320)
    );
    assert_eq!(batch(Claim::SharpMinima), [32, SMALL_N]);
    assert_eq!(batch(Claim::FullBatch), [8000, 32]);
    // 0.001 for B = 32; for B = 256: as is, × 8 (the post's 0.008), × √8.
    let peaks: Vec<f32> = Claim::LinearScaling
        .plan()
        .arms
        .iter()
        .map(|a| a.experiment.config.peak_rate(a.experiment.train_size))
        .collect();
    assert_eq!(peaks[..3], [0.001, 0.001, 0.008]);
    assert!((peaks[3] - 0.001 * 8f32.sqrt()).abs() < 1e-7);
    // Warm-up: 0.0001 at the first update, the scaled 0.008 after 3 epochs.
    let w = Claim::Warmup.plan();
    let (plain, warm) = (&w.arms[0].experiment, &w.arms[1].experiment);
    let n = warm.train_size;
    assert_eq!(plain.config.rate_at(n, 1), 0.008);
    assert_eq!(warm.config.rate_at(n, 1), 0.0001);
    assert_eq!(
        warm.config.rate_at(n, 3 * warm.updates_per_epoch() + 1),
        0.008
    );
    assert_eq!(
        text::arm_label(Claim::Warmup, &w.arms[1], Lang::En),
        "B = 256 (linear scaling) + 3-epoch warm-up"
    );
    assert_eq!(
        text::arm_label(Claim::Warmup, &w.arms[1], Lang::Ko),
        "B = 256 (선형 스케일링) + 워밍업 3에폭"
    );
}

/// Three paired differences `1, 1 + a, 1 − a`: mean 1, SD a, t = √3 / a on 2 df, whose
/// two-sided 5 % point is t = 4.303 (a = 0.4025).
fn around(a: f64, sign: f64) -> Vec<(f64, f64)> {
    [1.0, 1.0 + a, 1.0 - a]
        .iter()
        .map(|d| (10.0 + sign * d, 10.0))
        .collect()
}

#[test]
fn a_contrast_shows_the_claim_only_beyond_seed_noise() {
    let m = Measure::FinalValAccuracy;
    let just_in = outcome(m, &around(0.39, 1.0)).unwrap();
    assert_eq!(just_in.0, Outcome::Claimed);
    assert!(just_in.1.unwrap().inference.unwrap().p < ALPHA);
    let just_out = outcome(m, &around(0.41, 1.0)).unwrap();
    assert_eq!(just_out.0, Outcome::WithinNoise);
    assert!(just_out.1.unwrap().inference.unwrap().p > ALPHA);
    assert_eq!(
        outcome(m, &around(0.39, -1.0)).unwrap().0,
        Outcome::Opposite
    );
    assert_eq!(
        outcome(m, &around(0.41, -1.0)).unwrap().0,
        Outcome::WithinNoise
    );
    assert_eq!(outcome(m, &[(2.0, 1.0)]), None, "one seed cannot tell");
    assert_eq!(outcome(m, &[]), None);
}

#[test]
fn exact_measures_need_the_margin() {
    let m = Measure::StepMemory;
    assert_eq!(outcome(m, &[(111.0, 100.0)]).unwrap().0, Outcome::Claimed);
    assert_eq!(
        outcome(m, &[(109.0, 100.0)]).unwrap().0,
        Outcome::WithinNoise
    );
    assert_eq!(outcome(m, &[(100.0, 111.0)]).unwrap().0, Outcome::Opposite);
    assert_eq!(outcome(m, &[(f64::NAN, 1.0)]), None);
}

#[test]
fn all_claimed_holds_none_does_not_some_depends() {
    use Outcome::*;
    assert_eq!(combine(&[Claimed, Claimed]), Some(Verdict::Holds));
    assert_eq!(combine(&[Claimed, WithinNoise]), Some(Verdict::Depends));
    assert_eq!(combine(&[Opposite, Claimed]), Some(Verdict::Depends));
    assert_eq!(
        combine(&[WithinNoise, Opposite]),
        Some(Verdict::DoesNotHold)
    );
    assert_eq!(combine(&[Claimed]), Some(Verdict::Holds));
    assert_eq!(combine(&[WithinNoise]), Some(Verdict::DoesNotHold));
    assert_eq!(combine(&[]), None);
}

/// Each card's rule on synthetic results either side of its threshold.
#[test]
fn every_cards_verdict_on_both_sides_of_its_threshold() {
    let (yes, no) = (around(0.39, 1.0), around(0.41, 1.0));
    for c in Claim::ALL {
        let contrasts = c.plan().contrasts;
        let k = contrasts.len();
        if contrasts.iter().any(|ct| match ct {
            Contrast::Arms { measure, .. } => measure.is_exact(),
            Contrast::FallsWithBatch { .. } => false,
        }) {
            continue; // the memory card: below
        }
        assert_eq!(
            verdict(c, &vec![yes.clone(); k]),
            Some(Verdict::Holds),
            "{c:?}"
        );
        assert_eq!(
            verdict(c, &vec![no.clone(); k]),
            Some(Verdict::DoesNotHold),
            "{c:?}"
        );
        if k > 1 {
            let mut mixed = vec![yes.clone(); k];
            mixed[k - 1] = no.clone();
            assert_eq!(verdict(c, &mixed), Some(Verdict::Depends), "{c:?}");
        }
        assert_eq!(
            verdict(c, &vec![yes.clone(); k + 1]),
            None,
            "{c:?}: wrong count"
        );
        assert_eq!(
            verdict(c, &vec![vec![(2.0, 1.0)]; k]),
            None,
            "{c:?}: one seed"
        );
    }
}

/// The post's network (784-128-10) in f32: weights and gradients 2 × 101,770 × 4 bytes,
/// plus per sample 922 activations and 2 × 128 error values.
#[test]
fn the_memory_card_from_the_layer_sizes() {
    let plan = Claim::Memory.plan();
    let mem = |i: usize| step_memory(&plan.arms[i].experiment, 784, 10);
    let weights = 2 * 101_770 * 4;
    assert_eq!(mem(0), weights + 8 * 922 * 4 + 2 * 8 * 128 * 4);
    assert_eq!(mem(1), weights + 256 * 922 * 4 + 2 * 256 * 128 * 4);
    assert_eq!(mem(2), weights + 8000 * 922 * 4 + 2 * 8000 * 128 * 4);
    let pairs = vec![(mem(1) as f64, mem(0) as f64)];
    assert_eq!(verdict(Claim::Memory, &[pairs]), Some(Verdict::Holds));
    // B = 8 against 16 in a net whose weights (31 MB) dwarf 8 more samples' buffers
    // (0.2 MB): within the margin, the claim is not shown.
    let mut big = plan.arms[0].experiment.clone();
    big.config.hidden = vec![1024; 4];
    let mut big_large = big.clone();
    big_large.config.batch_size = 16;
    let pairs = vec![(
        step_memory(&big_large, 784, 10) as f64,
        step_memory(&big, 784, 10) as f64,
    )];
    assert_eq!(verdict(Claim::Memory, &[pairs]), Some(Verdict::DoesNotHold));
}

#[test]
fn log_log_slope_against_exact_numbers() {
    let sqrt_law: Vec<(f64, f64)> = NOISE_BATCHES
        .iter()
        .map(|&b| (b as f64, 3.0 / (b as f64).sqrt()))
        .collect();
    assert!((log_log_slope(&sqrt_law).unwrap() + 0.5).abs() < 1e-12);
    // ln x = 0, 1, 2 and ln y = 0, 1, 5: x̄ = 1, ȳ = 2, Sxy = 2 + 0 + 3 = 5, Sxx = 2.
    let e = std::f64::consts::E;
    let points = [(1.0, 1.0), (e, e), (e * e, e.powi(5))];
    assert!((log_log_slope(&points).unwrap() - 2.5).abs() < 1e-12);
    assert_eq!(log_log_slope(&[(8.0, 1.0), (8.0, 2.0)]), None);
    assert_eq!(log_log_slope(&[(8.0, 0.0), (16.0, 2.0)]), None);
    assert_eq!(log_log_slope(&[(8.0, 1.0)]), None);
}

/// The noise card: spreads falling as 1/√B (with a seed-dependent wobble) hold; spreads
/// that do not fall with B do not.
#[test]
fn the_noise_card_tests_each_seeds_slope() {
    let spreads = |law: f64, wobble: f64| -> Vec<Vec<(f64, f64)>> {
        (1..=3)
            .map(|s| {
                NOISE_BATCHES
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| {
                        let w = 1.0 + wobble * (((s * 7 + i * 3) % 5) as f64 - 2.0) / 10.0;
                        (b as f64, 0.4 * (b as f64).powf(law) * w)
                    })
                    .collect()
            })
            .collect()
    };
    let falling = falls_with_batch_pairs(&spreads(-0.5, 1.0)).unwrap();
    assert!(
        falling.iter().all(|&(_, s)| (s + 0.5).abs() < 0.1),
        "{falling:?}"
    );
    assert_eq!(verdict(Claim::Noise, &[falling]), Some(Verdict::Holds));
    let flat = falls_with_batch_pairs(&spreads(0.0, 1.0)).unwrap();
    assert_eq!(verdict(Claim::Noise, &[flat]), Some(Verdict::DoesNotHold));
}

#[test]
fn curve_distance_is_the_mean_absolute_gap() {
    let d = curve_distance(&[0.5, 0.75, 1.0], &[0.25, 0.75, 0.5]).unwrap();
    assert_eq!(d, 0.75 / 3.0);
    assert_eq!(
        curve_distance(&[0.5, 0.75], &[0.25]),
        Some(0.25),
        "common points only"
    );
    assert_eq!(curve_distance(&[], &[0.6]), None);
}

/// The chart's points are each B's geometric mean over seeds; its line's slope is the mean
/// of the seeds' slopes (seed k: `y = c_k · B^s_k`), and the reference line has slope −1/2
/// through the points' centre.
#[test]
fn the_slope_chart_against_exact_numbers() {
    let law = [(2.0, -0.4), (3.0, -0.5), (5.0, -0.75)];
    let per_seed: Vec<Vec<(f64, f64)>> = (law.iter())
        .map(|&(c, s)| {
            NOISE_BATCHES
                .iter()
                .map(|&b| (b as f64, c * (b as f64).powf(s)))
                .collect()
        })
        .collect();
    let chart = slope_chart(&per_seed).unwrap();
    let slope = -1.65 / 3.0;
    let gm = 30f64.cbrt();
    assert!((chart.fit.slope - slope).abs() < 1e-12, "{chart:?}");
    assert!((chart.fit.intercept - gm.ln()).abs() < 1e-12, "{chart:?}");
    for (i, &b) in NOISE_BATCHES.iter().enumerate() {
        let want = gm * (b as f64).powf(slope);
        assert!((chart.points[i].1 / want - 1.0).abs() < 1e-12);
        assert!((chart.fit.at(b as f64) / want - 1.0).abs() < 1e-12);
    }
    let slopes: Vec<f64> = falls_with_batch_pairs(&per_seed)
        .unwrap()
        .iter()
        .map(|p| p.1)
        .collect();
    assert!((slopes.iter().sum::<f64>() / 3.0 - chart.fit.slope).abs() < 1e-12);
    // The reference: slope −1/2, through the centre (mean ln B, mean ln y).
    let mx = NOISE_BATCHES.iter().map(|&b| (b as f64).ln()).sum::<f64>() / 4.0;
    let centre = (mx.exp(), chart.fit.at(mx.exp()));
    assert_eq!(chart.reference.slope, -0.5);
    assert!((chart.reference.at(centre.0) / centre.1 - 1.0).abs() < 1e-12);
    // Seeds at different B, or a spread of 0, have no chart.
    let mut other = per_seed.clone();
    other[1][0].0 = 16.0;
    assert_eq!(slope_chart(&other), None);
    other = per_seed.clone();
    other[2][3].1 = 0.0;
    assert_eq!(slope_chart(&other), None);
    assert_eq!(slope_chart(&[]), None);
}

#[test]
fn the_worst_rise_is_above_the_lowest_so_far() {
    assert_eq!(worst_rise(&[3.0, 2.0, 1.0]), Some(0.0), "falling only");
    assert_eq!(
        worst_rise(&[9.0, 2.0, 1.0]),
        Some(0.0),
        "a high start is no rise"
    );
    assert_eq!(worst_rise(&[2.0, 1.0, 3.5, 0.5, 1.5]), Some(2.5));
    assert_eq!(worst_rise(&[1.0, 1.25]), Some(0.25));
    assert_eq!(worst_rise(&[1.0]), None);
    assert_eq!(worst_rise(&[1.0, f64::NAN]), None);
}

/// On log axes a log–log line is a straight segment, cut to the plot.
#[test]
fn a_log_log_line_on_log_axes_is_its_ends_cut_to_the_plot() {
    let (x, y) = (Scale::log(1.0, 100.0), Scale::log(1.0, 100.0));
    let diagonal = LogLogLine {
        slope: 1.0,
        intercept: 0.0,
    };
    let close = |a: &[(f64, f64)], b: &[(f64, f64)]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| (p.0 - q.0).abs() < 1e-12 && (p.1 - q.1).abs() < 1e-12)
    };
    assert!(close(&diagonal.segment(x, y), &[(0.0, 0.0), (1.0, 1.0)]));
    // y = 1000 / x²: from 1000 (above the plot) to 0.1 (below): inside between x = √10
    // (y = 100, u = 0.25) and x = √1000 (y = 1, u = 0.75).
    let steep = LogLogLine {
        slope: -2.0,
        intercept: 1000f64.ln(),
    };
    assert!(
        close(&steep.segment(x, y), &[(0.25, 1.0), (0.75, 0.0)]),
        "{:?}",
        steep.segment(x, y)
    );
    let above = LogLogLine {
        slope: 0.0,
        intercept: 1000f64.ln(),
    };
    assert!(above.segment(x, y).is_empty());
}
