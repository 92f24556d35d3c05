//! A percentile bootstrap over groups of seeds: resample each group's values with
//! replacement (keeping its size), recompute the statistic, and read the 2.5th and 97.5th
//! percentiles of what came out. Resampling *within* each group keeps the design (three
//! seeds at every B stay three seeds at every B) and asks only how much the answer moves
//! with the draw of seeds.
//!
//! The generator is seeded ([`crate::trainer::rng`], PCG-32, the same stream on wasm and
//! native), so the same data and seed give the same interval: a shared link reproduces it.

use super::describe::{quantile_sorted, sorted};
use crate::trainer::rng::{self, Stream};

/// Resamples drawn per interval: enough that the 2.5 % tails hold 50 draws each.
pub const DRAWS: usize = 2000;

/// A percentile interval and how many resamples it rests on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The 2.5th and 97.5th percentiles of the resampled statistic.
    pub low: f64,
    pub high: f64,
    /// Resamples whose statistic existed (a refit can fail on an odd draw); the interval
    /// is over these, so a count far below `draws` says the interval is shaky.
    pub valid: usize,
    pub draws: usize,
}

/// The 95 % percentile interval of `statistic` over `draws` resamples of `groups`, drawn
/// with the bootstrap stream of `seed`. `None` when no resample gave a statistic (or
/// `draws` is 0). Empty groups stay empty.
pub fn percentile_interval(
    groups: &[Vec<f64>],
    draws: usize,
    seed: u64,
    mut statistic: impl FnMut(&[Vec<f64>]) -> Option<f64>,
) -> Option<Interval> {
    let mut rng = rng::seeded(seed, Stream::Bootstrap);
    let mut resample: Vec<Vec<f64>> = groups.iter().map(|g| vec![0.0; g.len()]).collect();
    let mut values = Vec::with_capacity(draws);
    for _ in 0..draws {
        for (out, group) in resample.iter_mut().zip(groups) {
            for slot in out.iter_mut() {
                *slot = group[rng::index(&mut rng, group.len())];
            }
        }
        values.extend(statistic(&resample).filter(|v| v.is_finite()));
    }
    let values = sorted(&values);
    Some(Interval {
        low: quantile_sorted(&values, 0.025)?,
        high: quantile_sorted(&values, 0.975)?,
        valid: values.len(),
        draws,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::describe::mean;

    #[test]
    fn deterministic_for_a_seed_and_brackets_the_mean() {
        let groups = vec![vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]];
        let stat = |g: &[Vec<f64>]| mean(&g[0]);
        let a = percentile_interval(&groups, DRAWS, 7, stat).unwrap();
        assert_eq!(Some(a), percentile_interval(&groups, DRAWS, 7, stat));
        assert_ne!(Some(a), percentile_interval(&groups, DRAWS, 8, stat));
        assert!(a.low < 4.5 && 4.5 < a.high, "{a:?}");
        assert_eq!((a.valid, a.draws), (DRAWS, DRAWS));
        // The bootstrap standard error of a mean of 8 is about sd/√8 ≈ 0.8 (sd with 1/n):
        // the interval spans roughly ±1.96 of it.
        assert!((a.high - a.low - 2.0 * 1.96 * 0.8).abs() < 0.6, "{a:?}");
    }

    #[test]
    fn failed_statistics_are_counted_and_none_is_none() {
        let groups = vec![vec![0.0, 1.0]];
        // Defined only when the resample holds a 1.
        let stat = |g: &[Vec<f64>]| g[0].contains(&1.0).then_some(1.0);
        let i = percentile_interval(&groups, 1000, 3, stat).unwrap();
        assert!((700..=800).contains(&i.valid), "about 3/4 hold a 1: {i:?}");
        assert_eq!(percentile_interval(&groups, 100, 3, |_| None), None);
        assert_eq!(percentile_interval(&groups, 0, 3, |_| Some(1.0)), None);
        let with_empty = vec![vec![], vec![2.0]];
        let i = percentile_interval(&with_empty, 10, 1, |g| Some(g[1][0])).unwrap();
        assert_eq!((i.low, i.high), (2.0, 2.0));
    }
}
