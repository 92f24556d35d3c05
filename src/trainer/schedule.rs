//! The learning-rate schedule: how the rate follows the batch size (a scaling rule), how
//! it starts (a warm-up) and how it ends (constant, or a cosine decay to a floor). The one
//! function [`Schedule::rate`] gives the rate of any update; the session applies it at
//! every update, and the page's preview, its readouts and the batch-size sweep call the
//! same function, so what is drawn before a run is what the run uses.
//!
//! **Scaling rule** (Goyal et al. 2017; the post's `0.001 * (B / 32)`): the *peak* rate is
//! `base` (none), `base × B/B₀` (linear) or `base × √(B/B₀)` (square root, the usual
//! advice for Adam), B the batch size in effect (`min(B, N)`), B₀ = [`DEFAULT_BASE_BATCH`]
//! unless set.
//!
//! **Warm-up** over `k` epochs, `W = k × ceil(N / B)` updates (per update, as Goyal et al.
//! and Keras' `CosineDecay(warmup_steps=…)` do; the post's 0.0001 → 0.001 over 3 epochs).
//! With updates counted from 1 (as [`StepRecord::update`] counts them):
//!
//! - update `u ≤ W` uses `start + (peak − start) × (u − 1) / W`: the first update uses
//!   exactly `start`, each later one a step `(peak − start) / W` higher;
//! - update `W + 1` (the first after warm-up) uses exactly `peak`.
//!
//! This is Keras' rule with its 0-based `iterations` (`warmup_target` reached at step
//! `warmup_steps`). `k = 0` is no warm-up.
//!
//! **After warm-up**: constant at `peak`, or a cosine from `peak` at update `W + 1` down to
//! `floor × peak` at the run's last update `T`:
//! `floor·peak + (peak − floor·peak) × (1 + cos(π (u − W − 1) / (T − W − 1))) / 2`, so the
//! last update uses exactly the floor (Keras' `CosineDecay(alpha=floor)` would reach it one
//! update after the run; here a student sees the floor reached). A run with a single update
//! after warm-up uses `peak` for it.
//!
//! Arithmetic is in f64 on the f32 settings, rounded once to f32; the end points above are
//! exact (never `a + (b − a)` rounding away from `b`). Without a rule, warm-up or decay the
//! rate is `base` itself, bit for bit, so a run without a schedule is unchanged.
//!
//! [`StepRecord::update`]: super::session::StepRecord::update

use serde::{Deserialize, Serialize};

/// B₀ of the scaling rules when none is set: the post's `0.001 * (B / 32)`.
pub const DEFAULT_BASE_BATCH: usize = 32;
/// The warm-up's first rate when none is set: the post's `initial_lr = 0.0001`.
pub const DEFAULT_WARMUP_START: f32 = 0.0001;

/// How the peak rate follows the batch size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScalingRule {
    /// The base rate for every B.
    #[default]
    None,
    /// `base × B / B₀`.
    Linear,
    /// `base × √(B / B₀)`.
    Sqrt,
}

crate::keyed!(ScalingRule {
    None => "none",
    Linear => "linear",
    Sqrt => "sqrt",
});

/// What the rate does after warm-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decay {
    /// Stays at the peak.
    #[default]
    Constant,
    /// Cosine from the peak to `floor × peak` at the last update.
    Cosine,
}

crate::keyed!(Decay {
    Constant => "constant",
    Cosine => "cosine",
});

/// A learning-rate schedule (the base rate itself is [`TrainConfig::learning_rate`]).
///
/// [`TrainConfig::learning_rate`]: super::session::TrainConfig::learning_rate
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub rule: ScalingRule,
    /// B₀ of the rule, ≥ 1.
    pub base_batch: usize,
    /// Warm-up length in epochs; 0 is no warm-up.
    pub warmup_epochs: usize,
    /// The warm-up's first rate (finite, > 0).
    pub warmup_start: f32,
    pub decay: Decay,
    /// The cosine's last rate as a fraction of the peak, `0..=1` (Keras' `alpha`).
    pub floor: f32,
}

impl Default for Schedule {
    /// No rule, no warm-up, constant: the base rate at every update.
    fn default() -> Self {
        Schedule {
            rule: ScalingRule::None,
            base_batch: DEFAULT_BASE_BATCH,
            warmup_epochs: 0,
            warmup_start: DEFAULT_WARMUP_START,
            decay: Decay::Constant,
            floor: 0.0,
        }
    }
}

/// The shape of a run that the schedule depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunShape {
    /// Batch size in effect, `min(B, N)`.
    pub batch: usize,
    /// `ceil(N / B)`.
    pub updates_per_epoch: usize,
    /// `epochs × ceil(N / B)`.
    pub total_updates: usize,
}

/// Why a schedule was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    BaseBatch,
    WarmupStart,
    Floor,
}

impl Schedule {
    /// Whether the session can run it: B₀ ≥ 1, a finite positive warm-up start (when
    /// warming up), a floor in `0..=1`.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.base_batch == 0 {
            return Err(ScheduleError::BaseBatch);
        }
        if self.warmup_epochs > 0 && !(self.warmup_start.is_finite() && self.warmup_start > 0.0) {
            return Err(ScheduleError::WarmupStart);
        }
        if !(0.0..=1.0).contains(&self.floor) {
            return Err(ScheduleError::Floor);
        }
        Ok(())
    }

    /// The peak rate for batch size `batch` (in effect): `base` scaled by the rule. This is
    /// the rate after warm-up (the "effective" rate the page shows beside the controls).
    pub fn peak(&self, base: f32, batch: usize) -> f32 {
        let ratio = batch.max(1) as f64 / self.base_batch.max(1) as f64;
        match self.rule {
            ScalingRule::None => base,
            ScalingRule::Linear => (base as f64 * ratio) as f32,
            ScalingRule::Sqrt => (base as f64 * ratio.sqrt()) as f32,
        }
    }

    /// Warm-up updates, `warmup_epochs × updates_per_epoch`.
    pub fn warmup_updates(&self, shape: RunShape) -> usize {
        self.warmup_epochs.saturating_mul(shape.updates_per_epoch)
    }

    /// The rate of update `update` (1-based; 0 reads as 1) of a run of `shape` with base
    /// rate `base`: see the module comment for the exact rule.
    pub fn rate(&self, base: f32, shape: RunShape, update: usize) -> f32 {
        let u = update.max(1);
        let peak = self.peak(base, shape.batch);
        let warmup = self.warmup_updates(shape);
        if u <= warmup {
            let t = (u - 1) as f64 / warmup as f64;
            return lerp(self.warmup_start, peak, t);
        }
        match self.decay {
            Decay::Constant => peak,
            Decay::Cosine => {
                let span = shape.total_updates.saturating_sub(warmup + 1);
                if span == 0 {
                    return peak;
                }
                let p = ((u - warmup - 1) as f64 / span as f64).min(1.0);
                let floor = (peak as f64 * self.floor as f64) as f32;
                if p >= 1.0 {
                    return floor;
                }
                // Fraction of the way down, 0 at the peak and 1 at the floor.
                lerp(peak, floor, (1.0 - (std::f64::consts::PI * p).cos()) / 2.0)
            }
        }
    }
}

/// `a + (b − a) t` in f64, rounded to f32: exactly `a` at `t = 0`.
fn lerp(a: f32, b: f32, t: f64) -> f32 {
    let (a, b) = (a as f64, b as f64);
    (a + (b - a) * t) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(batch: usize, updates_per_epoch: usize, epochs: usize) -> RunShape {
        RunShape {
            batch,
            updates_per_epoch,
            total_updates: updates_per_epoch * epochs,
        }
    }

    #[test]
    fn no_schedule_is_the_base_rate_bit_for_bit() {
        let s = Schedule::default();
        for base in [0.001f32, 0.0123, 3.3e-6, 7.0] {
            for u in [0, 1, 2, 250, 2500] {
                assert_eq!(
                    s.rate(base, shape(32, 250, 10), u).to_bits(),
                    base.to_bits()
                );
            }
        }
    }

    #[test]
    fn linear_and_sqrt_rules() {
        let linear = Schedule {
            rule: ScalingRule::Linear,
            ..Schedule::default()
        };
        // The post: 0.001 * (256 / 32) = 0.008, and B = B₀ changes nothing.
        assert_eq!(linear.peak(0.001, 256), 0.008);
        assert_eq!(linear.peak(0.001, 32), 0.001);
        assert_eq!(linear.peak(0.001, 8), 0.00025);
        assert_eq!(linear.rate(0.001, shape(256, 32, 10), 100), 0.008);
        let sqrt = Schedule {
            rule: ScalingRule::Sqrt,
            ..Schedule::default()
        };
        assert_eq!(sqrt.peak(0.001, 128), 0.002);
        assert_eq!(sqrt.peak(0.001, 32), 0.001);
        assert_eq!(sqrt.peak(0.001, 8), 0.0005);
        assert_eq!(sqrt.peak(0.001, 64), (0.001f32 as f64 * 2f64.sqrt()) as f32);
        // Another B₀.
        let b0 = Schedule {
            base_batch: 100,
            ..linear
        };
        assert_eq!(b0.peak(0.01, 50), 0.005);
        assert_eq!(
            Schedule::default().peak(0.001, 4096),
            0.001,
            "no rule: no scaling"
        );
    }

    #[test]
    fn warmup_end_points_are_exact() {
        // The post: 0.0001 → 0.001 over 3 epochs; N = 8,000 at B = 32: 250 updates/epoch.
        let s = Schedule {
            warmup_epochs: 3,
            warmup_start: 0.0001,
            ..Schedule::default()
        };
        let run = shape(32, 250, 10);
        assert_eq!(s.warmup_updates(run), 750);
        assert_eq!(s.rate(0.001, run, 1), 0.0001, "first update: the start");
        assert_eq!(
            s.rate(0.001, run, 751),
            0.001,
            "first after warm-up: the peak"
        );
        assert_eq!(s.rate(0.001, run, 2500), 0.001);
        // Linear in between, one equal step per update, rising to just below the peak.
        let step = (0.001f64 - 0.0001f32 as f64) / 750.0;
        for u in [2, 100, 375, 750] {
            let want = 0.0001f32 as f64 + step * (u - 1) as f64;
            assert!((s.rate(0.001, run, u) as f64 - want).abs() < 1e-10, "{u}");
        }
        assert!(s.rate(0.001, run, 750) < 0.001);
        let rates: Vec<f32> = (1..=751).map(|u| s.rate(0.001, run, u)).collect();
        assert!(rates.windows(2).all(|w| w[0] < w[1]), "strictly rising");
        // With linear scaling the warm-up climbs to the scaled rate.
        let goyal = Schedule {
            rule: ScalingRule::Linear,
            ..s
        };
        let big = shape(256, 32, 10);
        assert_eq!(goyal.rate(0.001, big, 1), 0.0001);
        assert_eq!(goyal.rate(0.001, big, 97), 0.008);
        // A one-update warm-up: the start, then the peak.
        let one = shape(8000, 1, 5);
        let s1 = Schedule {
            warmup_epochs: 1,
            ..s
        };
        assert_eq!(
            (s1.rate(0.001, one, 1), s1.rate(0.001, one, 2)),
            (0.0001, 0.001)
        );
    }

    #[test]
    fn cosine_decays_from_the_peak_to_the_floor() {
        let s = Schedule {
            decay: Decay::Cosine,
            floor: 0.5,
            ..Schedule::default()
        };
        let run = shape(32, 10, 10); // 100 updates
        assert_eq!(s.rate(0.01, run, 1), 0.01, "starts at the peak");
        assert_eq!(
            s.rate(0.01, run, 100),
            0.005,
            "the last update uses the floor"
        );
        // Halfway (update 1 + 99/2 is between updates): symmetric about the mean.
        let mid = (s.rate(0.01, run, 50) + s.rate(0.01, run, 51)) / 2.0;
        assert!((mid - 0.0075).abs() < 1e-5, "{mid}");
        let rates: Vec<f32> = (1..=100).map(|u| s.rate(0.01, run, u)).collect();
        assert!(rates.windows(2).all(|w| w[0] > w[1]), "strictly falling");
        assert!(rates.iter().all(|&r| (0.005..=0.01).contains(&r)));
        // Floor 0 (Keras' default alpha): down to zero.
        let zero = Schedule { floor: 0.0, ..s };
        assert_eq!(zero.rate(0.01, run, 100), 0.0);
        // With warm-up: the peak after it, then down to the floor.
        let warm = Schedule {
            warmup_epochs: 2,
            warmup_start: 0.001,
            ..s
        };
        assert_eq!(warm.rate(0.01, run, 1), 0.001);
        assert_eq!(warm.rate(0.01, run, 21), 0.01);
        assert_eq!(warm.rate(0.01, run, 100), 0.005);
        assert!(warm.rate(0.01, run, 60) < 0.01);
        // Past the end (never asked by a session) stays at the floor; one update after
        // warm-up uses the peak.
        assert_eq!(warm.rate(0.01, run, 500), 0.005);
        let short = shape(32, 10, 3);
        assert!(warm.rate(0.01, short, 21) == 0.01);
        let one_after = RunShape {
            total_updates: 21,
            ..short
        };
        assert_eq!(warm.rate(0.01, one_after, 21), 0.01);
    }

    #[test]
    fn keys_round_trip_and_validation() {
        for r in ScalingRule::ALL {
            assert_eq!(ScalingRule::from_key(r.key()), Some(r));
        }
        for d in Decay::ALL {
            assert_eq!(Decay::from_key(&d.key().to_uppercase()), Some(d));
        }
        assert_eq!(ScalingRule::from_key("cubic"), None);
        assert_eq!(Schedule::default().validate(), Ok(()));
        let bad = |s: Schedule| s.validate().err();
        assert_eq!(
            bad(Schedule {
                base_batch: 0,
                ..Schedule::default()
            }),
            Some(ScheduleError::BaseBatch)
        );
        assert_eq!(
            bad(Schedule {
                warmup_epochs: 1,
                warmup_start: 0.0,
                ..Schedule::default()
            }),
            Some(ScheduleError::WarmupStart)
        );
        assert_eq!(
            bad(Schedule {
                floor: 1.5,
                ..Schedule::default()
            }),
            Some(ScheduleError::Floor)
        );
    }
}
