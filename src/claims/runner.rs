//! A card's run, free of the browser: its [`Plan`] as jobs (every arm with every seed), the
//! readings of each job's recorded run ([`RunHistory`], the same record the lab keeps, so a
//! card and the card's groups in the lab read the same numbers), and the card's result:
//! each contrast's per-seed pairs, difference, 95 % interval and p, and the verdict by the
//! card's rule ([`super::outcome`], [`super::verdict`]). The browser side
//! (`src/ui/claims/runs.rs`) only trains the jobs in a worker pool and hands the records here.

use super::{Claim, Contrast, Measure, Outcome, Plan, Verdict, outcome, step_memory};
use crate::experiment::Experiment;
use crate::history::RunHistory;
use crate::history::groups::{Group, GroupStats, Spread, stats};
use crate::stats::compare::Comparison;
use crate::stats::describe::sd;
use crate::trainer::session::Status;
use crate::worker::protocol::{ProbeRequest, RunId};

/// One job of a card: an arm trained with one seed, as run `run`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimJob {
    pub run: RunId,
    pub arm: usize,
    pub seed: u64,
    /// The arm's experiment with the job's seed.
    pub experiment: Experiment,
}

/// The plan's jobs, numbered from `first_run`: seed by seed, and within a seed the arm
/// with the most updates first, so a card with more jobs than workers has its slow runs
/// started early and ends sooner.
pub fn jobs(plan: &Plan, first_run: RunId) -> Vec<ClaimJob> {
    let mut arms: Vec<usize> = (0..plan.arms.len()).collect();
    arms.sort_by_key(|&a| std::cmp::Reverse(plan.arms[a].experiment.total_updates()));
    let mut out = Vec::new();
    for &seed in &plan.seeds {
        for &arm in &arms {
            let mut experiment = plan.arms[arm].experiment.clone();
            experiment.config.seed = seed;
            out.push(ClaimJob {
                run: first_run.wrapping_add(out.len() as RunId),
                arm,
                seed,
                experiment,
            });
        }
    }
    out
}

/// The gradient-fan probe `plan` asks of `job`'s run at each checkpoint (the end of each
/// epoch in [`super::FAN_EPOCHS`]): [`super::FAN_BATCHES`] mini-batches of the arm's B,
/// drawn with the job's seed, so the arms of a seed are probed alike. `None` when the card
/// measures no gradient cosine.
pub fn fan_probe(plan: &Plan, job: &ClaimJob) -> Option<ProbeRequest> {
    plan.measures(Measure::GradientCosine)
        .then(|| ProbeRequest::GradientFan {
            batch: job.experiment.batch_in_effect(),
            batches: super::FAN_BATCHES,
            seed: job.seed,
        })
}

/// The sharpness probe `plan` asks of `job`'s run once it has finished, at its final
/// weights (the minimum it ended in): the default power iteration over a subset chosen
/// with the job's seed, so the arms of a seed are measured on the same rows. `None` when
/// the card measures no sharpness. Its job holds its worker until the answer
/// ([`crate::worker::host::Job::hold`]).
pub fn sharpness_probe(plan: &Plan, job: &ClaimJob) -> Option<ProbeRequest> {
    plan.measures(Measure::Sharpness).then(|| {
        ProbeRequest::Sharpness(crate::trainer::probe::sharpness::Probe {
            seed: job.seed,
            ..Default::default()
        })
    })
}

/// Whether the end of epoch `epoch` (1-based) is a gradient-fan checkpoint.
pub fn is_checkpoint(epoch: usize) -> bool {
    super::FAN_EPOCHS.contains(&epoch)
}

/// The mean of the cosines a run's probes measured (`None` where a gradient was zero, left
/// out); `None` when there are none.
pub fn mean_cosine(cosines: &[Option<f64>]) -> Option<f64> {
    let xs: Vec<f64> = cosines.iter().flatten().copied().collect();
    crate::stats::describe::mean(&xs)
}

/// What a card reads from one run that ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The record as the worker reported it.
    pub record: RunHistory,
    /// A probe's value, when the card measures one (sharpness, mean gradient cosine).
    pub probe: Option<f64>,
}

/// Whether `r` ran to its end (not diverged, not cut short).
fn finished(r: &RunHistory) -> bool {
    r.status == Some(Status::Finished)
}

/// The validation accuracy at each epoch end, in order.
fn epoch_validations(r: &RunHistory) -> Vec<f64> {
    let upe = r.info.updates_per_epoch.max(1) as f64;
    (r.validation.iter())
        .filter(|p| p.at.update > 0.0 && (p.at.update / upe).fract() == 0.0)
        .map(|p| p.metrics.accuracy)
        .collect()
}

/// The per-batch training losses of epoch `epoch` (0-based).
fn epoch_losses(r: &RunHistory, epoch: usize) -> Vec<f64> {
    let upe = r.info.updates_per_epoch.max(1) as f64;
    let (from, to) = (epoch as f64 * upe, (epoch + 1) as f64 * upe);
    (r.steps.update.iter().zip(&r.steps.loss))
        .filter(|&(&u, _)| u > from && u <= to)
        .map(|(_, &l)| f64::from(l))
        .collect()
}

/// `measure` of `reading`, the run of arm `arm`; `same_seed` holds the same seed's readings
/// of every arm (for [`Measure::CurveDistanceTo`]). `None` when the run does not have it
/// (it did not finish, or never reached the target).
pub fn value(measure: Measure, reading: &Reading, same_seed: &[Option<&Reading>]) -> Option<f64> {
    let r = &reading.record;
    let done = finished(r);
    match measure {
        Measure::StepMemory => {
            Some(step_memory(&r.experiment, r.info.features, r.info.classes) as f64)
        }
        Measure::FinalValAccuracy => {
            done.then(|| r.validation.last().map(|p| p.metrics.accuracy))?
        }
        Measure::ValAccuracyAtUpdate(u) => (r.validation.iter())
            .find(|p| p.at.update == u as f64)
            .map(|p| p.metrics.accuracy),
        Measure::SecondsPerEpoch => {
            let last = r.epochs.last().filter(|_| done)?;
            Some(last.at.seconds / r.epochs.len() as f64)
        }
        // Interpolated between validation points, as the sweep times its target.
        Measure::SecondsToValAccuracy(target) => {
            crate::sweep::interpolated_reaching(r, target).map(|c| c.seconds)
        }
        Measure::LossSpread => {
            let last = r.epochs.len().checked_sub(1).filter(|_| done)?;
            sd(&epoch_losses(r, last))
        }
        Measure::GradientCosine | Measure::Sharpness => reading.probe,
        Measure::ValAccuracyAtSeconds(s) => (r.validation.iter())
            .take_while(|p| p.at.seconds <= s)
            .last()
            .map(|p| p.metrics.accuracy),
        Measure::CurveDistanceTo(arm) => {
            let other = same_seed.get(arm).copied().flatten()?;
            super::curve_distance(&epoch_validations(r), &epoch_validations(&other.record))
        }
        Measure::FirstEpochLossRise => super::worst_rise(&epoch_losses(r, 0)),
    }
}

/// Readings of a card's jobs: `by_arm[arm][seed index]`, `None` where the job has not ended
/// (or failed before recording anything).
pub type Readings = Vec<Vec<Option<Reading>>>;

/// Empty readings for `plan`.
pub fn empty_readings(plan: &Plan) -> Readings {
    vec![vec![None; plan.seeds.len()]; plan.arms.len()]
}

/// One contrast as measured.
#[derive(Clone, Debug, PartialEq)]
pub struct ContrastResult {
    /// Per seed (higher-claimed, other), the seeds where both had a value.
    pub pairs: Vec<(f64, f64)>,
    /// The paired comparison (`None` for an exact measure, or fewer than two pairs).
    pub comparison: Option<Comparison>,
    pub outcome: Option<Outcome>,
}

impl ContrastResult {
    /// Mean of the higher-claimed side minus the other: the comparison's difference, or for
    /// an exact measure the first pair's.
    pub fn difference(&self) -> Option<f64> {
        match &self.comparison {
            Some(c) => Some(c.difference),
            None => self.pairs.first().map(|(h, l)| h - l),
        }
    }
}

/// A card's result.
#[derive(Clone, Debug, PartialEq)]
pub struct CardResult {
    pub contrasts: Vec<ContrastResult>,
    /// By the card's rule; `None` when some contrast cannot tell.
    pub verdict: Option<Verdict>,
}

impl CardResult {
    /// The card's headline: its first contrast.
    pub fn headline(&self) -> Option<&ContrastResult> {
        self.contrasts.first()
    }
}

/// Each contrast's per-seed pairs from the readings (seeds missing a value left out).
pub fn pairs(plan: &Plan, readings: &Readings) -> Vec<Vec<(f64, f64)>> {
    (plan.contrasts.iter())
        .map(|c| match *c {
            Contrast::Arms {
                measure,
                higher,
                lower,
            } => {
                let h = arm_values(plan, readings, measure, higher);
                let l = arm_values(plan, readings, measure, lower);
                (h.into_iter().zip(l))
                    .filter_map(|(h, l)| Some((h?, l?)))
                    .collect()
            }
            Contrast::FallsWithBatch { measure } => {
                let per_seed = per_seed_points(plan, readings, measure);
                super::falls_with_batch_pairs(&per_seed).unwrap_or_default()
            }
        })
        .collect()
}

/// Each seed's `(B, measure)` over all the plan's arms, for the seeds where every arm has
/// it: what a [`Contrast::FallsWithBatch`] fits ([`super::falls_with_batch_pairs`]) and the
/// `noise` card draws ([`super::slope_chart`]).
pub fn per_seed_points(plan: &Plan, readings: &Readings, measure: Measure) -> Vec<Vec<(f64, f64)>> {
    (0..plan.seeds.len())
        .filter_map(|k| {
            let same = seed_readings(readings, k);
            (0..plan.arms.len())
                .map(|a| {
                    let b = plan.arms[a].experiment.batch_in_effect() as f64;
                    Some((b, value(measure, same.get(a).copied().flatten()?, &same)?))
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect()
}

/// Seed `k`'s reading of every arm.
fn seed_readings(readings: &Readings, k: usize) -> Vec<Option<&Reading>> {
    (readings.iter())
        .map(|arm| arm.get(k).and_then(Option::as_ref))
        .collect()
}

/// `measure` of each of arm `arm`'s seeds (`None` where it has none: not run, or, for a
/// target, never reached), in seed order.
pub fn arm_values(
    plan: &Plan,
    readings: &Readings,
    measure: Measure,
    arm: usize,
) -> Vec<Option<f64>> {
    (0..plan.seeds.len())
        .map(|k| {
            let same = seed_readings(readings, k);
            value(measure, same.get(arm).copied().flatten()?, &same)
        })
        .collect()
}

/// The card's result from its readings.
pub fn result(claim: Claim, readings: &Readings) -> CardResult {
    let plan = claim.plan();
    let pairs = pairs(&plan, readings);
    let contrasts = (plan.contrasts.iter().zip(&pairs))
        .map(|(c, p)| {
            let measure = c.measure();
            let (outcome, comparison) =
                outcome(measure, p).map_or((None, None), |(o, c)| (Some(o), c));
            ContrastResult {
                pairs: p.clone(),
                comparison,
                outcome,
            }
        })
        .collect();
    CardResult {
        contrasts,
        verdict: super::verdict(claim, &pairs),
    }
}

/// Each arm's mean over seeds of the card's first measure (its headline), where every
/// seed of the arm has it; for the card's per-arm line (memory at each B, the loss spread
/// at each B, seconds per epoch…).
pub fn arm_headline_means(plan: &Plan, readings: &Readings) -> Vec<Option<f64>> {
    let Some(measure) = plan.contrasts.first().map(|c| c.measure()) else {
        return vec![None; plan.arms.len()];
    };
    (0..plan.arms.len())
        .map(|a| {
            let values: Option<Vec<f64>> =
                arm_values(plan, readings, measure, a).into_iter().collect();
            crate::stats::describe::mean(&values?)
        })
        .collect()
}

/// An arm's finished seeds summarised as the lab's run list summarises a seed group
/// ([`crate::history::groups::stats`]); `None` before any seed ended.
pub fn arm_stats(arm: &[Option<Reading>]) -> Option<GroupStats> {
    let records: Vec<RunHistory> = arm.iter().flatten().map(|r| r.record.clone()).collect();
    let group = Group {
        id: records.first()?.run,
        runs: records.iter().map(|r| r.run).collect(),
    };
    Some(stats(&records, &group))
}

/// An arm's mean final validation accuracy in points ([`arm_stats`]): the number the card
/// shows beside the arm and the lab's `data-val-accuracy-mean`.
pub fn arm_val_accuracy_mean(arm: &[Option<Reading>]) -> Option<f64> {
    arm_stats(arm)?.val_accuracy.map(|s| s.mean)
}

/// The paired comparison of arm `a`'s generalisation gaps (training minus validation
/// accuracy, points, [`crate::history::groups::SeedEnd::gap`]) with arm `b`'s, seed by seed:
/// `a − b`.
pub fn gap_comparison(readings: &Readings, a: usize, b: usize) -> Option<Comparison> {
    let (ga, gb) = (arm_stats(readings.get(a)?)?, arm_stats(readings.get(b)?)?);
    let pairs: Vec<(f64, f64)> = (ga.ends.iter())
        .filter_map(|e| {
            let f = gb.ends.iter().find(|f| f.seed == e.seed)?;
            Some((e.gap, f.gap))
        })
        .collect();
    crate::stats::compare::paired(&pairs)
}

/// What a card shows beyond its contrasts, where it has it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    /// The log–log chart of a card whose measure falls with B (`noise`).
    pub slope: Option<super::SlopeChart>,
    /// The target (a fraction) and each arm's seeds' training seconds to it (`None`: never
    /// reached), for a card timing a target (`time`).
    pub to_target: Option<(f64, Vec<Vec<Option<f64>>>)>,
    /// Each arm's generalisation gap over its seeds, and the first arm's minus the
    /// second's, seed by seed (`generalise`).
    pub gaps: Option<(Vec<Option<Spread>>, Option<Comparison>)>,
}

/// The [`Details`] of `claim` from its readings.
pub fn details(claim: Claim, readings: &Readings) -> Details {
    let plan = claim.plan();
    let slope = (plan.contrasts.iter()).find_map(|c| match *c {
        Contrast::FallsWithBatch { measure } => {
            super::slope_chart(&per_seed_points(&plan, readings, measure))
        }
        Contrast::Arms { .. } => None,
    });
    let to_target = (plan.contrasts.iter()).find_map(|c| match c.measure() {
        m @ Measure::SecondsToValAccuracy(target) => Some((
            target,
            (0..plan.arms.len())
                .map(|a| arm_values(&plan, readings, m, a))
                .collect(),
        )),
        _ => None,
    });
    let gaps = (claim == Claim::Generalise).then(|| {
        let spreads = (readings.iter())
            .map(|arm| arm_stats(arm).and_then(|s| s.gap))
            .collect();
        (spreads, gap_comparison(readings, 0, 1))
    });
    Details {
        slope,
        to_target,
        gaps,
    }
}

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
