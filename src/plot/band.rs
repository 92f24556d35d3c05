//! The band of a group of seeded runs: per pixel column, the spread of the runs' values
//! (min–max, and mean ± sample sd), computed from each run's trace after thinning
//! ([`super::series::thin`]) so that its cost is bounded by the chart's width, not by the
//! updates recorded. Each run contributes the value it draws in a column (its bucket's mean,
//! or that mean smoothed), so the band follows whichever x axis and smoothing the runs are
//! drawn with. Columns are found with [`column_end`], the boundaries the thinning itself used.

use super::scale::Scale;
use super::series::{Bucket, column_end};
use crate::stats::describe::{mean, min_max, sd};
use std::collections::BTreeMap;

/// One run's thinned trace as drawn: its buckets and the value drawn for each.
#[derive(Clone, Copy, Debug)]
pub struct Trace<'a> {
    pub buckets: &'a [Bucket],
    /// One per bucket (extra values or buckets are ignored).
    pub values: &'a [f32],
}

/// The spread of the runs in one pixel column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandColumn {
    /// The largest x of the runs' buckets in the column (a bucket's x is its last sample's).
    pub x: f64,
    /// Runs with a finite value here (runs still in progress may not have reached it).
    pub runs: usize,
    pub mean: f64,
    /// Sample standard deviation across the runs; `None` with a single run.
    pub sd: Option<f64>,
    pub min: f64,
    pub max: f64,
}

/// The band of `traces`, thinned on `scale` to `columns` pixel columns: one entry per column
/// where some run has a finite value, in increasing x. A run with two buckets in one column
/// (thinned on another scale) counts once, with its later value.
pub fn band(traces: &[Trace], scale: &Scale, columns: usize) -> Vec<BandColumn> {
    let columns = columns.max(1);
    // Per column met: (largest x, each run's value); a map, so its size follows the buckets
    // and not `columns`.
    let mut cells: BTreeMap<usize, (f64, Vec<f64>)> = BTreeMap::new();
    for trace in traces {
        let mut col = 0;
        let mut last: Option<usize> = None;
        for (b, &v) in trace.buckets.iter().zip(trace.values) {
            if !v.is_finite() {
                continue;
            }
            while b.x >= column_end(scale, columns, col) {
                col += 1;
            }
            let cell = cells
                .entry(col)
                .or_insert_with(|| (f64::NEG_INFINITY, Vec::new()));
            cell.0 = cell.0.max(b.x);
            match last {
                Some(c) if c == col => *cell.1.last_mut().expect("pushed before") = f64::from(v),
                _ => cell.1.push(f64::from(v)),
            }
            last = Some(col);
        }
    }
    cells
        .into_values()
        .filter_map(|(x, values)| summarise(x, &values))
        .collect()
}

/// One column's summary; `None` when no run has a value there.
fn summarise(x: f64, values: &[f64]) -> Option<BandColumn> {
    let (min, max) = min_max(values)?;
    Some(BandColumn {
        x,
        runs: values.len(),
        mean: mean(values)?,
        sd: sd(values),
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fixtures::{experiment, info, step};
    use crate::history::{Column, RunHistory};
    use crate::plot::series::thin;
    use crate::plot::view::XAxis;

    fn bucket(x: f64) -> Bucket {
        Bucket {
            x,
            update: 0.0,
            min: 0.0,
            mean: 0.0,
            max: 0.0,
            smooth_min: 0.0,
            smooth_max: 0.0,
            smooth_last: 0.0,
        }
    }

    #[test]
    fn per_column_spread_of_given_traces() {
        // Ten columns of width 1 on [0, 10].
        let scale = Scale::linear(0.0, 10.0);
        let a = [bucket(0.5), bucket(1.5), bucket(2.5)];
        let b = [bucket(0.9), bucket(1.2), bucket(3.5)];
        let c = [bucket(0.1)];
        let traces = [
            Trace {
                buckets: &a,
                values: &[1.0, 2.0, 3.0],
            },
            Trace {
                buckets: &b,
                values: &[3.0, 4.0, 5.0],
            },
            Trace {
                buckets: &c,
                values: &[2.0],
            },
        ];
        let got = band(&traces, &scale, 10);
        let want = [
            (0.9, 3, 2.0, Some(1.0), 1.0, 3.0),
            (1.5, 2, 3.0, Some(2f64.sqrt()), 2.0, 4.0),
            (2.5, 1, 3.0, None, 3.0, 3.0),
            (3.5, 1, 5.0, None, 5.0, 5.0),
        ];
        assert_eq!(got.len(), want.len());
        for (g, (x, runs, mean, sd, min, max)) in got.iter().zip(want) {
            assert_eq!(
                (g.x, g.runs, g.mean, g.min, g.max),
                (x, runs, mean, min, max)
            );
            assert_eq!(
                g.sd.map(|s| (s * 1e12).round()),
                sd.map(|s| (s * 1e12).round())
            );
        }
    }

    #[test]
    fn non_finite_values_and_repeated_columns() {
        let scale = Scale::linear(0.0, 10.0);
        let a = [bucket(0.2), bucket(0.7), bucket(5.0)];
        let traces = [Trace {
            buckets: &a,
            values: &[1.0, 6.0, f32::NAN],
        }];
        let got = band(&traces, &scale, 10);
        assert_eq!(got.len(), 1, "NaN skipped");
        assert_eq!(
            (got[0].runs, got[0].mean, got[0].x),
            (1, 6.0, 0.7),
            "later value"
        );
        assert!(band(&[], &scale, 10).is_empty());
        assert!(band(&traces, &scale, 0).len() == 1, "0 columns read as 1");
    }

    /// Three seeds' runs thinned as the charts thin them: constant losses 1, 2 and 4 over
    /// 300 updates give, in every one of 30 columns, min 1, max 4, mean 7/3 and
    /// sd √(7/3); a run recorded for only the first 149 updates adds to the first 15 columns.
    #[test]
    fn band_after_thinning_real_histories() {
        let run = |loss: f64, updates: usize| {
            let mut r = RunHistory::new(1, experiment(100), info(100, 0));
            (1..=updates).for_each(|u| r.record(&step(u, loss, 100, false)));
            r
        };
        let scale = Scale::linear(0.0, 300.0);
        let runs = [run(1.0, 300), run(2.0, 300), run(4.0, 300), run(8.0, 149)];
        let thinned: Vec<Vec<Bucket>> = runs
            .iter()
            .map(|r| thin(r, XAxis::Update, Column::Loss, &scale, 30))
            .collect();
        let means: Vec<Vec<f32>> = thinned
            .iter()
            .map(|t| t.iter().map(|b| b.mean).collect())
            .collect();
        let traces: Vec<Trace> = thinned
            .iter()
            .zip(&means)
            .map(|(buckets, values)| Trace { buckets, values })
            .collect();
        let got = band(&traces[..3], &scale, 30);
        assert_eq!(got.len(), 30);
        for c in &got {
            assert_eq!((c.runs, c.min, c.max), (3, 1.0, 4.0));
            assert!((c.mean - 7.0 / 3.0).abs() < 1e-12);
            assert!((c.sd.unwrap() - (7.0f64 / 3.0).sqrt()).abs() < 1e-12);
        }
        assert_eq!(got.last().unwrap().x, 300.0);
        let with_partial = band(&traces, &scale, 30);
        assert_eq!(
            with_partial.iter().map(|c| c.runs).collect::<Vec<_>>(),
            [vec![4; 15], vec![3; 15]].concat()
        );
        assert_eq!(with_partial[0].max, 8.0);
    }
}
