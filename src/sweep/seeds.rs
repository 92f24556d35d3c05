//! A sweep over seeds: each batch size trained with several seeds (a job is a (B, seed)
//! pair), each run read once it ends ([`SeedRun`]), and the runs of one B summarised as a
//! row of medians and ranges ([`SeedRow`]). The fit and its bootstrap interval
//! ([`super::fit_medians`], [`super::b_crit_interval`]) take [`seed_steps`].
//!
//! A seed that never reached the target counts as "infinitely many updates" in the median,
//! the order statistic a missing value cannot bias downwards: a B whose median is infinite
//! (most seeds never got there) did not reach the target, and its row carries a lower
//! bound instead ([`Spread::at_least`]). In `epochs` mode that lower bound is drawn on the
//! chart as such, so a B starved by the budget is not dropped, and the fit, which takes only
//! sizes whose median reached, is never drawn through the survivors alone.

use super::{Crossing, Fit, MeasuredNoise, SeedSteps, SweepMode, first_reaching};
use super::{interpolated_reaching, noise_scale_at};
use crate::history::RunHistory;
use crate::stats::bootstrap::Interval;
use crate::stats::describe::{median, min_max};
use crate::trainer::session::{Metrics, Status};

/// One (B, seed) run of a sweep, read from its history when it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedRun {
    pub batch_size: usize,
    pub updates_per_epoch: usize,
    pub seed: u64,
    /// Where it crossed the target, interpolated ([`interpolated_reaching`]); `None`: never.
    pub crossing: Option<Crossing>,
    /// How far it trained: its last update, samples and seconds.
    pub done: Crossing,
    /// The noise scale it had measured at the validated update where it reached the target
    /// (`None` if it never did, or measured none).
    pub noise: Option<MeasuredNoise>,
    pub final_validation: Option<Metrics>,
    /// It ended on its own (target reached or budget spent), not stopped nor diverged.
    pub finished: bool,
    /// Its worker stopped (crashed or fell silent) during the run.
    pub failed: bool,
}

/// `run` (trained with `seed`) read for `target` (a fraction).
pub fn seed_run(run: &RunHistory, seed: u64, target: f64) -> SeedRun {
    let reached_at = first_reaching(run, target).map(|r| r.update);
    let s = &run.steps;
    let done = s.len().checked_sub(1).map_or(
        Crossing {
            update: 0.0,
            samples: 0.0,
            seconds: 0.0,
        },
        |i| Crossing {
            update: s.update[i],
            samples: s.samples[i],
            seconds: f64::from(s.seconds[i]),
        },
    );
    SeedRun {
        batch_size: run.info.batch_size,
        updates_per_epoch: run.info.updates_per_epoch,
        seed,
        crossing: interpolated_reaching(run, target),
        done,
        noise: reached_at.and_then(|u| {
            Some(MeasuredNoise {
                value: noise_scale_at(run, Some(u))?,
                batch_size: run.info.batch_size,
                update: Some(u),
            })
        }),
        final_validation: run.validation.last().map(|p| p.metrics),
        finished: run.status == Some(Status::Finished),
        failed: false,
    }
}

/// One quantity over the seeds of one B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Median over seeds, a seed that never reached counted as infinite: `None` when the
    /// median is infinite (most seeds never reached the target).
    pub median: Option<f64>,
    /// Lowest and highest over the seeds that reached the target (`None`: none did).
    pub range: Option<(f64, f64)>,
    /// The median over seeds of where each crossed or, if it never did, how far it trained:
    /// the B needs at least this much (a lower bound when `median` is `None`).
    pub at_least: f64,
}

fn spread(runs: &[&SeedRun], of: impl Fn(&Crossing) -> f64) -> Spread {
    let values: Vec<f64> = runs
        .iter()
        .map(|r| r.crossing.as_ref().map_or(f64::INFINITY, &of))
        .collect();
    let bounds: Vec<f64> = runs
        .iter()
        .map(|r| of(r.crossing.as_ref().unwrap_or(&r.done)))
        .collect();
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    Spread {
        median: median(&values).filter(|m| m.is_finite()),
        range: min_max(&finite),
        at_least: median(&bounds).unwrap_or(0.0),
    }
}

/// One results row: the seeds of one B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedRow {
    pub batch_size: usize,
    pub updates_per_epoch: usize,
    /// Seeds run, and how many of them reached the target.
    pub seeds: usize,
    pub reached: usize,
    pub updates: Spread,
    pub samples: Spread,
    pub seconds: Spread,
    /// Median final validation accuracy and loss over the seeds that have one.
    pub final_accuracy: Option<f64>,
    pub final_loss: Option<f64>,
    /// Seeds whose worker stopped during their run.
    pub failed: usize,
}

impl SeedRow {
    /// The median of the seeds reached the target.
    pub fn reached_median(&self) -> bool {
        self.updates.median.is_some()
    }
}

/// The rows of `runs`, one per batch size, ascending.
pub fn rows(runs: &[SeedRun]) -> Vec<SeedRow> {
    let mut sizes: Vec<usize> = runs.iter().map(|r| r.batch_size).collect();
    sizes.sort_unstable();
    sizes.dedup();
    sizes
        .into_iter()
        .map(|b| {
            let of_b: Vec<&SeedRun> = runs.iter().filter(|r| r.batch_size == b).collect();
            let finals = |f: fn(&Metrics) -> f64| {
                let v: Vec<f64> = of_b
                    .iter()
                    .filter_map(|r| r.final_validation.as_ref().map(f))
                    .collect();
                median(&v)
            };
            SeedRow {
                batch_size: b,
                updates_per_epoch: of_b[0].updates_per_epoch,
                seeds: of_b.len(),
                reached: of_b.iter().filter(|r| r.crossing.is_some()).count(),
                updates: spread(&of_b, |c| c.update),
                samples: spread(&of_b, |c| c.samples),
                seconds: spread(&of_b, |c| c.seconds),
                final_accuracy: finals(|m| m.accuracy),
                final_loss: finals(|m| m.loss),
                failed: of_b.iter().filter(|r| r.failed).count(),
            }
        })
        .collect()
}

/// Each B's seeds' updates to the target (infinite: never), for [`super::fit_medians`] and
/// [`super::b_crit_interval`].
pub fn seed_steps(runs: &[SeedRun]) -> Vec<SeedSteps> {
    rows(runs)
        .iter()
        .map(|row| {
            let steps = runs
                .iter()
                .filter(|r| r.batch_size == row.batch_size)
                .map(|r| r.crossing.map_or(f64::INFINITY, |c| c.update))
                .collect();
            (row.batch_size as f64, steps)
        })
        .collect()
}

/// The sweep's measured noise scale: the median over the runs *that reached the target*,
/// each read at the update where it did ([`super::median_reading`]).
pub fn noise_scale(runs: &[SeedRun]) -> Option<MeasuredNoise> {
    super::median_reading(runs.iter().filter_map(|r| r.noise).collect())
}

/// What the sweep's fit of `S(B) = S_min (1 + B_crit / B)` came to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FitOutcome {
    /// Fitted to the medians of every B whose median reached the target, with the bootstrap
    /// interval over seeds ([`super::b_crit_interval`], [`super::B_CRIT_BOOTSTRAP_SEED`]).
    Fitted(Fit, Option<Interval>),
    /// Fewer than [`super::MIN_FIT_SIZES`] sizes whose median reached the target (how many did).
    TooFew(usize),
    /// `epochs` mode, where some B's median did not reach the target within the epochs (how
    /// many): those are lower bounds, and a fit over the others alone would be biased
    /// towards the sizes that happened to get there.
    Starved(usize),
    /// Enough sizes, but no curve of that shape fits (S does not fall with B).
    NoTrend,
}

/// The fit of `runs` for a sweep in `mode`.
pub fn fit_outcome(runs: &[SeedRun], mode: SweepMode) -> FitOutcome {
    let rows = rows(runs);
    let reached = rows.iter().filter(|r| r.reached_median()).count();
    let starved = rows.len() - reached;
    if mode == SweepMode::Epochs && starved > 0 {
        return FitOutcome::Starved(starved);
    }
    if reached < super::MIN_FIT_SIZES {
        return FitOutcome::TooFew(reached);
    }
    let steps = seed_steps(runs);
    match super::fit_medians(&steps) {
        Some(fit) => FitOutcome::Fitted(
            fit,
            super::b_crit_interval(&steps, super::B_CRIT_BOOTSTRAP_SEED),
        ),
        None => FitOutcome::NoTrend,
    }
}

/// The order a sweep submits its jobs in: longest expected wall time first, so the pool's
/// workers run out of work together (the longest-processing-time rule), each B's seeds
/// together (`seed0`, `seed0 + 1`, …).
///
/// A run's wall time is about the samples it trains over the samples per second at its B.
/// In `epochs` mode every B trains the same samples and a small B trains fewer samples per
/// second (more updates, each a smaller matrix product), so the smallest B goes first. In
/// `target` mode each B trains until it reaches the target, and the samples that takes,
/// `E(B) = E_min (1 + B / B_crit)`, grow with B up to the budget, much faster than the
/// per-sample cost falls: measured natively (`cargo test --release --test learning
/// measure_target_sweep -- --ignored`, the default MNIST sweep to 90 %, seeds 42–44, one
/// core) B = 8,000 took 3.5–4.6 s, 2,000 0.9–1.3 s, 512 0.34–0.46 s, 128 0.20–0.24 s,
/// 32 0.19–0.24 s, 8 0.24–0.35 s: largest B first.
///
/// In the browser (`BENCH_APP_PARTS=targetsweep scripts/bench`, the default MNIST target
/// sweep with 3 seeds, 18 runs, 2 workers, one rep on this 2-core VM while other jobs kept
/// its load near 12): 73.0 s from the click to the results for 137.6 s of the runs' own
/// training time, a parallel efficiency of 137.6 / 2 / 73.0 = 0.94.
pub fn job_order(sizes: &[usize], seeds: u32, seed0: u64, mode: SweepMode) -> Vec<(usize, u64)> {
    let mut sizes = sizes.to_vec();
    sizes.sort_unstable();
    sizes.dedup();
    if mode == SweepMode::Target {
        sizes.reverse();
    }
    sizes
        .into_iter()
        .flat_map(|b| (0..u64::from(seeds.max(1))).map(move |k| (b, seed0.wrapping_add(k))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(update: f64, batch: usize) -> Crossing {
        Crossing {
            update,
            samples: update * batch as f64,
            seconds: update / 100.0,
        }
    }

    /// A run at `batch` that reached the target at `update` (or trained `done` updates and
    /// never did), with noise scale `noise` there.
    fn seed(batch: usize, seed: u64, update: Option<f64>, done: f64) -> SeedRun {
        SeedRun {
            batch_size: batch,
            updates_per_epoch: 8000usize.div_ceil(batch),
            seed,
            crossing: update.map(|u| at(u, batch)),
            done: at(done, batch),
            noise: update.map(|u| MeasuredNoise {
                value: 1000.0 + u,
                batch_size: batch,
                update: Some(u.ceil() as usize),
            }),
            final_validation: Some(Metrics {
                loss: 0.3,
                accuracy: if update.is_some() { 0.91 } else { 0.8 },
            }),
            finished: true,
            failed: false,
        }
    }

    #[test]
    fn a_row_is_the_median_and_range_over_seeds() {
        let runs = [
            seed(8, 1, Some(500.0), 500.0),
            seed(8, 2, Some(300.5), 301.0),
            seed(8, 3, Some(410.0), 410.0),
            seed(32, 1, Some(120.0), 120.0),
        ];
        let rows = rows(&runs);
        assert_eq!(rows.len(), 2);
        let r = &rows[0];
        assert_eq!((r.batch_size, r.seeds, r.reached), (8, 3, 3));
        assert_eq!(r.updates.median, Some(410.0));
        assert_eq!(r.updates.range, Some((300.5, 500.0)));
        assert_eq!(r.samples.median, Some(410.0 * 8.0));
        assert_eq!(r.final_accuracy, Some(0.91));
        assert!(r.reached_median());
        assert_eq!((rows[1].batch_size, rows[1].seeds), (32, 1));
        // Two seeds: the mean of the two.
        let two = super::rows(&runs[..2]);
        assert_eq!(two[0].updates.median, Some(400.25));
    }

    #[test]
    fn a_seed_that_never_reached_counts_as_infinite_and_leaves_a_lower_bound() {
        // One of three never reached: the median is the larger of the two that did.
        let runs = [
            seed(2000, 1, Some(40.0), 40.0),
            seed(2000, 2, None, 50.0),
            seed(2000, 3, Some(45.0), 45.0),
        ];
        let r = &rows(&runs)[0];
        assert_eq!((r.reached, r.updates.median), (2, Some(45.0)));
        assert_eq!(
            r.updates.range,
            Some((40.0, 45.0)),
            "over the seeds that reached"
        );
        // Two of three never reached: not reached, at least the median of how far each got.
        let runs = [
            seed(8000, 1, Some(40.0), 40.0),
            seed(8000, 2, None, 10.0),
            seed(8000, 3, None, 10.0),
        ];
        let r = &rows(&runs)[0];
        assert_eq!((r.reached, r.updates.median), (1, None));
        assert!(!r.reached_median());
        assert_eq!(r.updates.at_least, 10.0, "a lower bound, not dropped");
        assert_eq!(r.samples.at_least, 80_000.0);
        // The fit's input keeps every seed, the unreached ones infinite.
        assert_eq!(
            seed_steps(&runs),
            vec![(8000.0, vec![40.0, f64::INFINITY, f64::INFINITY])]
        );
    }

    #[test]
    fn the_fit_uses_the_sizes_whose_median_reached() {
        // S(B) = 1000 (1 + 200/B) exactly at 8, 32, 128; B = 512 starved by the budget.
        let s = |b: f64| 1000.0 * (1.0 + 200.0 / b);
        let mut runs = Vec::new();
        for b in [8usize, 32, 128] {
            for k in 0..3 {
                runs.push(seed(b, k, Some(s(b as f64)), s(b as f64)));
            }
        }
        for k in 0..3 {
            runs.push(seed(512, k, None, 100.0));
        }
        let fit = super::super::fit_medians(&seed_steps(&runs)).expect("three sizes");
        assert!((fit.b_crit - 200.0).abs() < 1e-6, "{fit:?}");
        // Drop one reached size: two remain, no fit (and no interval).
        runs.retain(|r| r.batch_size != 128);
        let steps = seed_steps(&runs);
        assert_eq!(super::super::fit_medians(&steps), None);
        assert_eq!(
            super::super::b_crit_interval(&steps, super::super::B_CRIT_BOOTSTRAP_SEED),
            None
        );
    }

    #[test]
    fn epochs_mode_draws_no_fit_over_the_survivors() {
        let s = |b: f64| 1000.0 * (1.0 + 200.0 / b);
        let mut runs = Vec::new();
        for b in [8usize, 32, 128, 512] {
            for k in 0..3 {
                runs.push(seed(b, k, Some(s(b as f64)), s(b as f64)));
            }
        }
        let FitOutcome::Fitted(fit, interval) = fit_outcome(&runs, SweepMode::Epochs) else {
            panic!("every B reached: a fit");
        };
        assert!((fit.b_crit - 200.0).abs() < 1e-6);
        let i = interval.expect("an interval");
        // Every seed on the curve: every resample fits it, to rounding.
        assert!(
            (i.low - 200.0).abs() < 1e-6 && (i.high - 200.0).abs() < 1e-6,
            "{i:?}"
        );
        // B = 2,000 starved in every seed: a lower bound. Epochs mode: no fit at all;
        // target mode (it ran to its budget): the fit over the sizes that reached.
        for k in 0..3 {
            runs.push(seed(2000, k, None, 50.0));
        }
        assert_eq!(
            fit_outcome(&runs, SweepMode::Epochs),
            FitOutcome::Starved(1)
        );
        assert!(matches!(
            fit_outcome(&runs, SweepMode::Target),
            FitOutcome::Fitted(..)
        ));
        runs.retain(|r| r.batch_size >= 128);
        assert_eq!(fit_outcome(&runs, SweepMode::Target), FitOutcome::TooFew(2));
    }

    #[test]
    fn the_noise_scale_is_the_median_over_runs_that_reached() {
        let runs = [
            seed(8, 1, Some(500.0), 500.0),  // 1500
            seed(8, 2, None, 900.0),         // never: left out
            seed(32, 1, Some(100.0), 100.0), // 1100
            seed(128, 1, Some(40.0), 40.0),  // 1040
        ];
        let m = noise_scale(&runs).unwrap();
        assert_eq!((m.value, m.batch_size, m.update), (1100.0, 32, Some(100)));
        assert_eq!(noise_scale(&runs[1..2]), None);
    }

    #[test]
    fn jobs_go_longest_expected_first() {
        let sizes = [8, 2000, 32, 8000];
        assert_eq!(
            job_order(&sizes, 2, 42, SweepMode::Target),
            [
                (8000, 42),
                (8000, 43),
                (2000, 42),
                (2000, 43),
                (32, 42),
                (32, 43),
                (8, 42),
                (8, 43)
            ]
        );
        assert_eq!(
            job_order(&sizes, 1, 7, SweepMode::Epochs),
            [(8, 7), (32, 7), (2000, 7), (8000, 7)]
        );
        assert_eq!(job_order(&[8, 8], 0, 1, SweepMode::Epochs), [(8, 1)]);
    }
}
