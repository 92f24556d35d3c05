//! The post's claims as experiments with verdicts: one card per claim (issue 24). This
//! module is the pure part: which claims there are ([`Claim`], keyed as the URL's
//! `claim=KEY` and the cards' `data-claim` name them), what each card runs ([`Plan`]: its
//! arms as [`Experiment`]s built with the project's own functions, its seeds, the contrasts
//! it measures) and how measured results become a verdict ([`verdict`]). The text of the
//! cards, the post's sentence and the rule in both languages, is in [`text`].
//!
//! **The verdict rule**, the same for every card so a reader learns it once: each contrast
//! says which arm the post claims is higher on some measure (more memory, longer time,
//! higher accuracy, …). Its per-seed pairs (higher-claimed, other) go through the paired
//! t-test ([`paired`]; the arms of a card run the same seeds, so seed k of each shares its
//! initial weights and data). A contrast *shows the claim* when the mean difference is
//! positive with p < [`ALPHA`], *shows the opposite* when it is negative with p < [`ALPHA`],
//! and is *within noise* otherwise. The card **holds** when every contrast shows the
//! claim, **does not hold** when none does, and **depends** when some do and some do not
//! (e.g. small batches generalise better at an equal number of epochs but not at an equal
//! number of updates). Exact measures (the memory arithmetic) have no seeds to test: they
//! show the claim when the difference is more than [`EXACT_MARGIN`] of the smaller value.
//! Fewer than two seeds cannot tell: no verdict ([`None`]), never a guess.

pub mod markdown;
pub mod runner;
pub mod text;

use crate::cost;
use crate::experiment::Experiment;
use crate::plot::scale::Scale;
use crate::preset::Preset;
use crate::stats::compare::{Comparison, paired};
use crate::sweep::{default_target, experiment_for};
use crate::trainer::model::ModelSpec;
use crate::trainer::schedule::ScalingRule;
use crate::trainer::session::ValidationSchedule;

/// A claim of the post, one card each, in the panel's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Claim {
    Memory,
    Generalise,
    Time,
    Noise,
    StableGradient,
    SharpMinima,
    FullBatch,
    LinearScaling,
    Warmup,
}

crate::keyed!(Claim {
    Memory => "memory",
    Generalise => "generalise",
    Time => "time",
    Noise => "noise",
    StableGradient => "stable-gradient",
    SharpMinima => "sharp-minima",
    FullBatch => "full-batch",
    LinearScaling => "linear-scaling",
    Warmup => "warmup",
});

/// What a card concludes (its `data-verdict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Holds,
    DoesNotHold,
    Depends,
}

crate::keyed!(Verdict {
    Holds => "holds",
    DoesNotHold => "does-not-hold",
    Depends => "depends",
});

/// The significance level of every card's rule.
pub const ALPHA: f64 = 0.05;

/// How much larger, as a fraction of the smaller value, an exact measure must be to show a
/// claim: 10 %, so "uses less memory" means a difference a reader would notice, not bytes.
pub const EXACT_MARGIN: f64 = 0.10;

/// What a contrast measures of each run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    /// The training step's memory (weights, gradients and the batch's buffers) from the
    /// layer sizes ([`cost::batch_memory`], [`cost::parameter_memory`]), in bytes; exact.
    StepMemory,
    /// Validation accuracy after the last epoch.
    FinalValAccuracy,
    /// Validation accuracy after this many updates (the other arm's whole run).
    ValAccuracyAtUpdate(usize),
    /// Training seconds per epoch.
    SecondsPerEpoch,
    /// Training seconds until validation accuracy first reaches this fraction.
    SecondsToValAccuracy(f64),
    /// The standard deviation of the per-batch training loss over the last epoch.
    LossSpread,
    /// The mean cosine between mini-batch and full-batch gradients at the checkpoints
    /// ([`crate::trainer::probe::fan`], at the end of each epoch in [`FAN_EPOCHS`]).
    GradientCosine,
    /// The largest Hessian eigenvalue of the training loss at the end of the run
    /// ([`crate::trainer::probe::sharpness`]).
    Sharpness,
    /// Validation accuracy after this many seconds of training.
    ValAccuracyAtSeconds(f64),
    /// The mean absolute difference, over epochs, between the run's validation accuracy
    /// and that of the same seed's run in this arm ([`curve_distance`]).
    CurveDistanceTo(usize),
    /// The first epoch's largest rise of the batch loss above its lowest value so far
    /// ([`worst_rise`]): how far the loss was thrown back up early in training.
    FirstEpochLossRise,
}

impl Measure {
    /// Computed rather than measured: the same for every seed, so not tested over seeds.
    pub fn is_exact(self) -> bool {
        matches!(self, Measure::StepMemory)
    }
}

/// One comparison a card makes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Contrast {
    /// The post claims arm `higher`'s value of `measure` exceeds arm `lower`'s.
    Arms {
        measure: Measure,
        higher: usize,
        lower: usize,
    },
    /// The post claims `measure` falls as B grows, over all the card's arms: each seed's
    /// log–log slope ([`log_log_slope`]) is tested against 0 (pairs `(0, slope)`).
    FallsWithBatch { measure: Measure },
}

impl Contrast {
    /// What the contrast measures of each run.
    pub fn measure(&self) -> Measure {
        match *self {
            Contrast::Arms { measure, .. } | Contrast::FallsWithBatch { measure } => measure,
        }
    }
}

/// One arm of a card: a run configuration, run once per seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    pub experiment: Experiment,
}

/// Everything a card runs and compares.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub arms: Vec<Arm>,
    /// Every arm runs each of these seeds.
    pub seeds: Vec<u64>,
    pub contrasts: Vec<Contrast>,
}

impl Plan {
    /// Whether a contrast of the plan compares its arms on `measure`.
    pub fn measures(&self, measure: Measure) -> bool {
        (self.contrasts.iter())
            .any(|c| matches!(c, Contrast::Arms { measure: m, .. } if *m == measure))
    }
}

/// The epochs at whose end the `stable-gradient` card measures the gradient fan.
pub const FAN_EPOCHS: [usize; 3] = [1, 2, 3];
/// Mini-batches per checkpoint in the gradient fan.
pub const FAN_BATCHES: usize = 8;
/// The `noise` card's batch sizes: two octaves either side of the post's B = 32.
pub const NOISE_BATCHES: [usize; 4] = [8, 32, 128, 512];
/// N of the cards that train many updates per epoch at B = N (`sharp-minima`), so that
/// full-batch training gets more than a handful of updates in a card's time.
pub const SMALL_N: usize = 2000;
/// The `full-batch` card's training-time budget, in seconds.
pub const TIME_BUDGET: f64 = 6.0;

/// Seeds 1..=n.
fn seeds(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

/// The post's Keras example (MNIST, N = 8,000, Adam 0.001, 10 epochs) at batch size `b`,
/// as the sweep builds its runs ([`experiment_for`]).
fn keras_at(b: usize) -> Experiment {
    experiment_for(&Preset::Keras.experiment(), b)
}

/// `keras_at(b)` over `epochs` epochs.
fn keras_epochs(b: usize, epochs: usize) -> Experiment {
    let mut e = keras_at(b);
    e.config.epochs = epochs;
    e
}

/// The post's `0.001 * (batch_size / 32)` experiment ([`Preset::LinearScaling`]) at `b`
/// with scaling `rule`.
fn scaled(b: usize, rule: ScalingRule) -> Experiment {
    let mut e = experiment_for(&Preset::LinearScaling.experiment(), b);
    e.config.schedule.rule = rule;
    e
}

fn arms(experiments: impl IntoIterator<Item = Experiment>) -> Vec<Arm> {
    experiments
        .into_iter()
        .map(|experiment| Arm { experiment })
        .collect()
}

impl Claim {
    /// The card's experiment (one function per card below, each saying why its arms are
    /// what they are).
    pub fn plan(self) -> Plan {
        match self {
            Claim::Memory => memory_plan(),
            Claim::Generalise => generalise_plan(),
            Claim::Time => time_plan(),
            Claim::Noise => Plan {
                arms: arms(NOISE_BATCHES.map(|b| keras_epochs(b, 2))),
                seeds: seeds(3),
                contrasts: vec![Contrast::FallsWithBatch {
                    measure: Measure::LossSpread,
                }],
            },
            Claim::StableGradient => stable_gradient_plan(),
            Claim::SharpMinima => sharp_minima_plan(),
            Claim::FullBatch => full_batch_plan(),
            Claim::LinearScaling => linear_scaling_plan(),
            Claim::Warmup => warmup_plan(),
        }
    }
}

/// `measure` claimed higher on arm `higher` than on arm `lower`.
fn between(measure: Measure, higher: usize, lower: usize) -> Contrast {
    Contrast::Arms {
        measure,
        higher,
        lower,
    }
}

/// The post's two batch sizes and B = N; memory is arithmetic, one seed shows it, and one
/// epoch is enough for the worker to report its wasm memory.
fn memory_plan() -> Plan {
    let n = Preset::Keras.experiment().train_size;
    Plan {
        arms: arms([keras_epochs(8, 1), keras_epochs(256, 1), keras_epochs(n, 1)]),
        seeds: seeds(1),
        contrasts: vec![between(Measure::StepMemory, 1, 0)],
    }
}

/// B = 8 against B = 256, 10 epochs, then at B = 256's number of updates: B = 8 is
/// validated every that many updates so the value exists.
fn generalise_plan() -> Plan {
    let large = keras_at(256);
    let updates = large.total_updates();
    let mut small = keras_at(8);
    small.config.validation = ValidationSchedule::Every(updates);
    Plan {
        arms: arms([small, large]),
        seeds: seeds(5),
        contrasts: vec![
            between(Measure::FinalValAccuracy, 0, 1),
            between(Measure::ValAccuracyAtUpdate(updates), 0, 1),
        ],
    }
}

/// Seconds per epoch and seconds to the data set's target, B = 8 against B = 256.
fn time_plan() -> Plan {
    let target = default_target(keras_at(8).source);
    Plan {
        arms: arms([keras_epochs(8, 3), keras_epochs(256, 3)]),
        seeds: seeds(3),
        contrasts: vec![
            between(Measure::SecondsPerEpoch, 0, 1),
            between(Measure::SecondsToValAccuracy(target), 0, 1),
        ],
    }
}

/// One epoch past the last checkpoint: the page asks for the fan when it sees a
/// checkpoint's epoch end, and a run that had already finished could not answer.
fn stable_gradient_plan() -> Plan {
    let epochs = FAN_EPOCHS[FAN_EPOCHS.len() - 1] + 1;
    Plan {
        arms: arms([keras_epochs(8, epochs), keras_epochs(256, epochs)]),
        seeds: seeds(3),
        contrasts: vec![between(Measure::GradientCosine, 1, 0)],
    }
}

/// Small against full batch at equal epochs, on N = 2,000 so B = N gets 50 updates.
fn sharp_minima_plan() -> Plan {
    let at = |b| {
        let mut e = keras_epochs(b, 50);
        e.set_train_size(SMALL_N);
        e.config.batch_size = b;
        e
    };
    Plan {
        arms: arms([at(32), at(SMALL_N)]),
        seeds: seeds(3),
        contrasts: vec![between(Measure::Sharpness, 1, 0)],
    }
}

/// Both arms may train as long as the controls allow; the budget stops them.
fn full_batch_plan() -> Plan {
    let n = Preset::Keras.experiment().train_size;
    let long = |b| keras_epochs(b, crate::settings::MAX_EPOCHS);
    Plan {
        arms: arms([long(n), long(32)]),
        seeds: seeds(3),
        contrasts: vec![between(Measure::ValAccuracyAtSeconds(TIME_BUDGET), 1, 0)],
    }
}

/// B = 32's curve is the reference (every rule gives it the base rate); B = 256 as is,
/// linearly scaled (0.008) and square-root scaled.
fn linear_scaling_plan() -> Plan {
    Plan {
        arms: arms([
            scaled(32, ScalingRule::Linear),
            scaled(256, ScalingRule::None),
            scaled(256, ScalingRule::Linear),
            scaled(256, ScalingRule::Sqrt),
        ]),
        seeds: seeds(3),
        contrasts: vec![
            between(Measure::CurveDistanceTo(0), 1, 2),
            between(Measure::CurveDistanceTo(0), 3, 2),
        ],
    }
}

/// B = 256 at the linearly scaled rate, without and with the post's warm-up (its start and
/// length as the warm-up preset has them).
fn warmup_plan() -> Plan {
    let plain = scaled(256, ScalingRule::Linear);
    let post = Preset::Warmup.experiment().config.schedule;
    let mut warm = plain.clone();
    warm.config.schedule.warmup_epochs = post.warmup_epochs;
    warm.config.schedule.warmup_start = post.warmup_start;
    Plan {
        arms: arms([plain, warm]),
        seeds: seeds(3),
        contrasts: vec![
            between(Measure::FirstEpochLossRise, 0, 1),
            between(Measure::FinalValAccuracy, 1, 0),
        ],
    }
}

/// What one contrast showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The claimed direction, beyond seed noise (or the margin, for an exact measure).
    Claimed,
    /// The opposite direction, beyond seed noise.
    Opposite,
    /// Neither.
    WithinNoise,
}

/// A contrast's outcome from its per-seed `(higher-claimed, other)` pairs, with the
/// comparison it rests on (`None` for an exact measure); `None` when the pairs cannot tell
/// (fewer than two seeds, or a non-finite value).
pub fn outcome(measure: Measure, pairs: &[(f64, f64)]) -> Option<(Outcome, Option<Comparison>)> {
    if measure.is_exact() {
        let &(higher, lower) = pairs.first()?;
        let out = if higher > lower * (1.0 + EXACT_MARGIN) {
            Outcome::Claimed
        } else if lower > higher * (1.0 + EXACT_MARGIN) {
            Outcome::Opposite
        } else {
            Outcome::WithinNoise
        };
        return (higher.is_finite() && lower.is_finite()).then_some((out, None));
    }
    let c = paired(pairs)?;
    let inference = c.inference?;
    let out = match (inference.p < ALPHA, c.difference) {
        (true, d) if d > 0.0 => Outcome::Claimed,
        (true, d) if d < 0.0 => Outcome::Opposite,
        _ => Outcome::WithinNoise,
    };
    Some((out, Some(c)))
}

/// The card's verdict from its contrasts' outcomes (see the module comment).
pub fn combine(outcomes: &[Outcome]) -> Option<Verdict> {
    let claimed = outcomes.iter().filter(|&&o| o == Outcome::Claimed).count();
    match claimed {
        _ if outcomes.is_empty() => None,
        0 => Some(Verdict::DoesNotHold),
        c if c == outcomes.len() => Some(Verdict::Holds),
        _ => Some(Verdict::Depends),
    }
}

/// The verdict of `claim` from each contrast's per-seed pairs, in the order of its
/// [`Plan::contrasts`]; `None` when a contrast cannot tell or a contrast's pairs are
/// missing.
pub fn verdict(claim: Claim, pairs: &[Vec<(f64, f64)>]) -> Option<Verdict> {
    let contrasts = claim.plan().contrasts;
    if pairs.len() != contrasts.len() {
        return None;
    }
    let outcomes: Option<Vec<Outcome>> = contrasts
        .iter()
        .zip(pairs)
        .map(|(c, p)| outcome(c.measure(), p).map(|(o, _)| o))
        .collect();
    combine(&outcomes?)
}

/// The training step's memory of `e` in bytes, for data of `features` inputs and `classes`
/// classes (what the worker reports of a data set): weights and gradients, plus the
/// batch's activations and error signals at the batch size in effect, as the cost panel
/// counts them ([`cost::parameter_memory`], [`cost::batch_memory`]).
pub fn step_memory(e: &Experiment, features: usize, classes: usize) -> u64 {
    let spec = ModelSpec {
        inputs: features,
        hidden: e.config.hidden.clone(),
        activation: e.config.activation,
        classes,
    };
    cost::parameter_memory(spec.parameter_count())
        + cost::batch_memory(&spec.widths(), e.batch_in_effect()).total()
}

/// A straight line on log–log axes: `ln y = intercept + slope · ln x`, i.e. `y = e^intercept · x^slope`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogLogLine {
    pub slope: f64,
    pub intercept: f64,
}

impl LogLogLine {
    /// The line's `y` at `x`.
    pub fn at(&self, x: f64) -> f64 {
        (self.intercept + self.slope * x.ln()).exp()
    }

    /// The line on log axes `x` and `y` in their unit coordinates (0..1 each): straight
    /// there, so its two ends over `x`'s range, cut where it leaves `0 ≤ y ≤ 1`; empty when
    /// it misses the plot.
    pub fn segment(&self, x: Scale, y: Scale) -> Vec<(f64, f64)> {
        let (b0, b1) = x.range();
        let (a, b) = ((0.0, y.to_unit(self.at(b0))), (1.0, y.to_unit(self.at(b1))));
        let at_y = |v: f64| (a.0 + (v - a.1) / (b.1 - a.1) * (b.0 - a.0), v);
        let cut = |end: (f64, f64), other: (f64, f64)| {
            if end.1 > 1.0 && other.1 <= 1.0 {
                at_y(1.0)
            } else if end.1 < 0.0 && other.1 >= 0.0 {
                at_y(0.0)
            } else {
                end
            }
        };
        let (p, q) = (cut(a, b), cut(b, a));
        let inside = |p: (f64, f64)| (0.0..=1.0).contains(&p.1);
        if inside(p) && inside(q) {
            vec![p, q]
        } else {
            Vec::new()
        }
    }
}

/// The least-squares line through `(ln x, ln y)`: its slope is the exponent `k` of
/// `y ∝ x^k`. `None` with fewer than two distinct x, or a value that is not positive and
/// finite.
pub fn log_log_fit(points: &[(f64, f64)]) -> Option<LogLogLine> {
    let ok = |v: f64| v.is_finite() && v > 0.0;
    if points.iter().any(|&(x, y)| !ok(x) || !ok(y)) {
        return None;
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let mx = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| LogLogLine {
        slope: sxy / sxx,
        intercept: my - sxy / sxx * mx,
    })
}

/// The slope of [`log_log_fit`]. The `noise` card fits its loss spread against B, where
/// sampling alone gives `k = −1/2` (the standard error of a mean of B).
pub fn log_log_slope(points: &[(f64, f64)]) -> Option<f64> {
    log_log_fit(points).map(|l| l.slope)
}

/// The slope sampling alone gives the `noise` card's spread: `1/√B`.
pub const REFERENCE_SLOPE: f64 = -0.5;

/// What the `noise` card draws on its log–log chart.
#[derive(Clone, Debug, PartialEq)]
pub struct SlopeChart {
    /// Each B with the geometric mean of its seeds' values.
    pub points: Vec<(f64, f64)>,
    /// The least-squares line through `points`. Every seed is measured at the same B, so
    /// its slope is exactly the mean of the seeds' slopes: the card's headline, drawn.
    pub fit: LogLogLine,
    /// Slope [`REFERENCE_SLOPE`] through the same centre (mean ln B, mean ln value).
    pub reference: LogLogLine,
}

/// The chart of `per_seed`, each seed's `(B, value)` points at the same B in the same
/// order; `None` when the seeds' B differ or the points do not fit ([`log_log_fit`]).
pub fn slope_chart(per_seed: &[Vec<(f64, f64)>]) -> Option<SlopeChart> {
    let first = per_seed.first()?;
    let same_b = (per_seed.iter())
        .all(|s| s.len() == first.len() && s.iter().zip(first).all(|(a, b)| a.0 == b.0));
    if !same_b {
        return None;
    }
    let k = per_seed.len() as f64;
    let points: Vec<(f64, f64)> = (0..first.len())
        .map(|i| {
            let ln_mean = per_seed.iter().map(|s| s[i].1.ln()).sum::<f64>() / k;
            (first[i].0, ln_mean.exp())
        })
        .collect();
    let fit = log_log_fit(&points)?;
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0.ln()).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1.ln()).sum::<f64>() / n;
    Some(SlopeChart {
        points,
        fit,
        reference: LogLogLine {
            slope: REFERENCE_SLOPE,
            intercept: my - REFERENCE_SLOPE * mx,
        },
    })
}

/// The largest rise of a loss curve above its lowest value so far: `max_i (l_i − min_{j<i}
/// l_j)`, 0 for a curve that never climbs back. The `warmup` card's measure of early
/// instability on the first epoch's batch losses: a rate too large for the initial weights
/// throws the loss back up after it has fallen, which a small warm-up rate does not; a
/// loss that merely falls slowly (warm-up's tiny first rate) is no rise at all. `None`
/// with fewer than two values or a value that is not finite.
pub fn worst_rise(losses: &[f64]) -> Option<f64> {
    if losses.len() < 2 || losses.iter().any(|l| !l.is_finite()) {
        return None;
    }
    let mut lowest = losses[0];
    let mut rise = 0.0f64;
    for &l in &losses[1..] {
        rise = rise.max(l - lowest);
        lowest = lowest.min(l);
    }
    Some(rise)
}

/// The pairs of a [`Contrast::FallsWithBatch`]: each seed's `(B, value)` points become
/// `(0, slope)`, so "falls with B" is "the slope is below 0". `None` when a seed's points
/// do not fit.
pub fn falls_with_batch_pairs(per_seed: &[Vec<(f64, f64)>]) -> Option<Vec<(f64, f64)>> {
    per_seed
        .iter()
        .map(|points| log_log_slope(points).map(|s| (0.0, s)))
        .collect()
}

/// The mean absolute difference between two curves sampled at the same points (e.g. the
/// validation accuracy at each epoch end), over the points both have; `None` when they
/// share none.
pub fn curve_distance(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len().min(b.len());
    let sum: f64 = a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum();
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests;
