//! What the charts draw, computed without a canvas: the x scale shared by every kept run,
//! each run's per-update trace thinned to one bucket per pixel column and smoothed, the loss
//! axis' top, the epoch boundaries, and what a pointer at some x reads from each run.
//!
//! Costs are bounded by the chart's pixel width, not by the updates recorded: [`thin`] reads
//! each row once (O(rows + columns), no logarithm per row even on a log axis), smoothing each
//! row per update as it goes (so the smoothed line is exact per update however it is
//! thinned; changing the smoothing reads the rows again). The charts cache a finished run's
//! buckets; only the run in progress is thinned again on each frame.

use super::lookup::{covering_row, last_at_or_before};
use super::scale::{Scale, log_floor, nice_ceil};
use super::smoothing;
use super::view::ChartView;
use crate::history::{Column, Point, RunHistory};
use crate::i18n::Lang;
use crate::plot::view::XAxis;
use crate::trainer::session::Metrics;

/// Which chart: the post's monitoring figure has loss on the left, accuracy on the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Loss,
    Accuracy,
}

impl ChartKind {
    /// Both charts, in page order.
    pub const ALL: [ChartKind; 2] = [ChartKind::Loss, ChartKind::Accuracy];

    /// The per-update column the chart shows.
    pub fn column(self) -> Column {
        match self {
            ChartKind::Loss => Column::Loss,
            ChartKind::Accuracy => Column::Accuracy,
        }
    }

    /// The chart's title.
    pub fn title(self, lang: Lang) -> &'static str {
        let s = lang.strings();
        match self {
            ChartKind::Loss => s.chart_loss,
            ChartKind::Accuracy => s.chart_accuracy,
        }
    }

    /// The canvas' `data-testid` (a test-hook contract).
    pub fn test_id(self) -> &'static str {
        match self {
            ChartKind::Loss => "loss-chart",
            ChartKind::Accuracy => "accuracy-chart",
        }
    }

    /// The chart's value of an epoch mean or a validation.
    pub fn metric(self, m: &Metrics) -> f64 {
        match self {
            ChartKind::Loss => m.loss,
            ChartKind::Accuracy => m.accuracy,
        }
    }
}

/// One pixel column of a thinned series: the x and the update number of its last sample,
/// the min, mean and max of the values that fell in it (min/max keep spikes visible), and
/// the same for the values smoothed per update ([`Thinned::smoothed`]): the least and the
/// largest smoothed value in the column and the last one. Unsmoothed, those equal the raw
/// min, max and last value.
///
/// Why the extremes and not only a mean: a line through every update sweeps from the lowest
/// to the highest value in each pixel column. Drawn from bucket means instead, a B = 8 run on
/// the epoch axis (about 18 updates per column) would be averaged over 18 updates per pixel
/// and look as smooth as B = 256, hiding the noise the comparison is about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    pub x: f64,
    pub update: f64,
    pub min: f32,
    pub mean: f32,
    pub max: f32,
    pub smooth_min: f32,
    pub smooth_max: f32,
    pub smooth_last: f32,
}

/// The x range's end for `run`: the whole run as planned (so the chart does not rescale
/// while it trains), never less than what was recorded; seconds grow with the run, so they
/// are rounded up to a nice number to change the scale only now and then.
pub fn x_extent(run: &RunHistory, axis: XAxis) -> f64 {
    let last = run
        .steps
        .len()
        .checked_sub(1)
        .map_or(0.0, |i| axis.step_x(run, i));
    let m = axis.planned_x_max(run).max(last);
    let m = if axis == XAxis::Seconds {
        nice_ceil(m)
    } else {
        m
    };
    if m.is_finite() && m > 0.0 { m } else { 1.0 }
}

/// Where `run`'s first update lies on `axis` (where a log axis may start): update 1, one
/// batch of samples, 1 / updates-per-epoch of an epoch, or the first recorded time.
pub fn first_x(run: &RunHistory, axis: XAxis) -> f64 {
    let info = &run.info;
    match axis {
        XAxis::Update => 1.0,
        XAxis::Samples => info.batch_size.max(1) as f64,
        XAxis::Epoch => 1.0 / info.updates_per_epoch.max(1) as f64,
        XAxis::Seconds => run.steps.seconds.first().map_or(0.001, |&s| s as f64),
    }
}

/// The x scale both charts share for `runs`: from 0 (or, on a log axis, the power of ten at
/// or below the earliest first update) to the furthest run's planned end.
pub fn x_scale(runs: &[&RunHistory], view: &ChartView) -> Scale {
    let hi = runs
        .iter()
        .map(|r| x_extent(r, view.axis))
        .fold(0.0, f64::max);
    let hi = if hi > 0.0 { hi } else { 1.0 };
    if view.log_applies() {
        let first = runs
            .iter()
            .map(|r| first_x(r, view.axis))
            .filter(|x| x.is_finite() && *x > 0.0)
            .fold(f64::INFINITY, f64::min);
        let lo = log_floor(if first.is_finite() { first } else { 1.0 });
        Scale::log(lo, hi.max(lo * 10.0))
    } else {
        Scale::linear(0.0, hi)
    }
}

/// Thins `run`'s per-update `column` to at most `columns` buckets, one per pixel column of
/// `scale`. Rows come in increasing x, so the column boundaries are walked alongside them
/// (one `from_unit` per column, none per row). Non-finite values are skipped.
pub fn thin(
    run: &RunHistory,
    axis: XAxis,
    column: Column,
    scale: &Scale,
    columns: usize,
) -> Vec<Bucket> {
    let mut thinned = Thinned::default();
    thinned.extend(run, axis, column, scale, columns);
    thinned.buckets
}

/// Where pixel column `col` of `columns` (at least 1) ends on `scale`; the last column has
/// no end. The one definition [`Thinned`] and [`super::band`] share, so that buckets of
/// different runs thinned alike land in the same columns.
pub fn column_end(scale: &Scale, columns: usize, col: usize) -> f64 {
    if col + 1 >= columns {
        f64::INFINITY
    } else {
        scale.from_unit((col + 1) as f64 / columns as f64)
    }
}

/// A trace thinned up to some row, which rows appended later extend exactly as if the whole
/// trace were thinned again ([`thin`]): why it exists is the run in progress, whose trace a
/// chart would otherwise read from its first row on every frame (with 110,000 rows, ~1 ms
/// per chart per frame in the page's wasm).
///
/// Valid only for the same run, axis, column, scale, column count and smoothing weight, and
/// while the run's rows are only appended to: the caller starts afresh when any of these
/// changed, or when the history merged rows (its row count fell or its stride changed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thinned {
    /// The buckets so far; the last one may still grow.
    pub buckets: Vec<Bucket>,
    /// The per-update smoothing of every row read ([`smoothing::Average`]; the default,
    /// weight 0, leaves values raw).
    average: smoothing::Average,
    /// Rows read.
    rows: usize,
    /// The pixel column the next row is compared against.
    col: usize,
    /// The last bucket's column and how many values it holds.
    open: Option<(usize, usize)>,
}

impl Thinned {
    /// Nothing read yet; rows read will be smoothed with `weight` per update
    /// ([`smoothing`]: each run's average reaches over the same number of its own updates).
    pub fn smoothed(weight: f64) -> Thinned {
        Thinned {
            average: smoothing::Average::new(weight),
            ..Thinned::default()
        }
    }

    /// Rows read so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Reads `run`'s rows from the first one not read yet.
    pub fn extend(
        &mut self,
        run: &RunHistory,
        axis: XAxis,
        column: Column,
        scale: &Scale,
        columns: usize,
    ) {
        let values = run.steps.values(column);
        let columns = columns.max(1);
        let boundary = |col: usize| column_end(scale, columns, col);
        let mut col = self.col;
        let mut next = boundary(col);
        for (i, &v) in values.iter().enumerate().skip(self.rows) {
            if !v.is_finite() {
                continue;
            }
            let x = axis.step_x(run, i);
            let update = run.steps.update[i];
            let smooth = self.average.push(update, v);
            while x >= next {
                col += 1;
                next = boundary(col);
            }
            match (&mut self.open, self.buckets.last_mut()) {
                (Some((c, n)), Some(b)) if *c == col => {
                    b.x = x;
                    b.update = update;
                    b.min = b.min.min(v);
                    b.max = b.max.max(v);
                    b.mean += (v - b.mean) / (*n as f32 + 1.0);
                    b.smooth_min = b.smooth_min.min(smooth);
                    b.smooth_max = b.smooth_max.max(smooth);
                    b.smooth_last = smooth;
                    *n += 1;
                }
                _ => {
                    self.buckets.push(Bucket {
                        x,
                        update,
                        min: v,
                        mean: v,
                        max: v,
                        smooth_min: smooth,
                        smooth_max: smooth,
                        smooth_last: smooth,
                    });
                    self.open = Some((col, 1));
                }
            }
        }
        self.col = col;
        self.rows = self.rows.max(values.len());
    }
}

/// The finite (x, value) of `points` on `axis`.
pub fn points(run: &RunHistory, points: &[Point], kind: ChartKind, axis: XAxis) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter_map(|p| {
            let (x, y) = (axis.x(run, p.at), kind.metric(&p.metrics));
            (x.is_finite() && y.is_finite()).then_some((x, y))
        })
        .collect()
}

/// The loss axis' top for runs with `classes` classes: the largest epoch mean or validation
/// loss and the 98th percentile of the per-update bucket means (spikes may run off the top),
/// at least ln(classes) × 1.1 (the loss of an untrained net), rounded up to a nice number so
/// it rarely changes.
pub fn loss_ceiling<'a>(
    classes: usize,
    buckets: impl IntoIterator<Item = &'a Bucket>,
    marks: impl IntoIterator<Item = f64>,
) -> f64 {
    let mut top = (classes.max(2) as f64).ln() * 1.1;
    for y in marks {
        if y.is_finite() {
            top = top.max(y);
        }
    }
    let mut means: Vec<f32> = buckets
        .into_iter()
        .map(|b| b.mean)
        .filter(|v| v.is_finite())
        .collect();
    if !means.is_empty() {
        let k = ((means.len() - 1) as f64 * 0.98).round() as usize;
        let (_, p98, _) = means.select_nth_unstable_by(k, f32::total_cmp);
        top = top.max(*p98 as f64);
    }
    nice_ceil(top)
}

/// Where `run`'s epochs end on `axis` inside the scale's range (exclusive), at most about
/// `limit` of them (every k-th when there are more). Planned for counted axes, recorded for
/// seconds.
pub fn epoch_boundaries(run: &RunHistory, axis: XAxis, scale: &Scale, limit: usize) -> Vec<f64> {
    let info = &run.info;
    let unit = match axis {
        XAxis::Epoch => Some(1.0),
        XAxis::Update => Some(info.updates_per_epoch as f64),
        XAxis::Samples => Some(info.train_size as f64),
        XAxis::Seconds => None,
    };
    let all: Vec<f64> = match unit {
        Some(u) if u > 0.0 => (1..info.epochs).map(|k| k as f64 * u).collect(),
        Some(_) => Vec::new(),
        None => run
            .epochs
            .iter()
            .map(|p| axis.x(run, p.at))
            .filter(|x| x.is_finite())
            .collect(),
    };
    let (lo, hi) = scale.range();
    let step = all.len().div_ceil(limit.max(1)).max(1);
    all.into_iter()
        .enumerate()
        .filter(|&(i, x)| (i + 1) % step == 0 && x > lo && x < hi)
        .map(|(_, x)| x)
        .collect()
}

/// What a run shows at the pointer's x.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// The per-update value of the row that covers x (a merged row's mean).
    pub value: f32,
    /// The update that row ends at.
    pub update: usize,
    /// The latest validation at or before x.
    pub validation: Option<f64>,
}

/// What `run` shows at `x` on `axis` for `kind`; `None` before the run's first update or
/// past its end (another run may go on further on this axis).
pub fn read_at(run: &RunHistory, axis: XAxis, kind: ChartKind, x: f64) -> Option<Reading> {
    let n = run.steps.len();
    let tolerance = 1e-9 * x.abs().max(1.0);
    let row = covering_row(|i| axis.step_x(run, i), n, x, tolerance)?;
    let validation = last_at_or_before(
        |i| axis.x(run, run.validation[i].at),
        run.validation.len(),
        x,
        tolerance,
    )
    .map(|i| kind.metric(&run.validation[i].metrics));
    Some(Reading {
        value: run.steps.values(kind.column())[row],
        update: run.steps.update[row] as usize,
        validation,
    })
}

/// The smoothed value drawn at `x`: the last of the bucket that covers it.
pub fn smoothed_at(buckets: &[Bucket], x: f64) -> Option<f32> {
    let i = covering_row(|i| buckets[i].x, buckets.len(), x, 0.0)?;
    Some(buckets[i].smooth_last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fixtures::{experiment, info, step};

    fn run(upe: usize, updates: usize) -> RunHistory {
        let mut r = RunHistory::new(1, experiment(upe), info(upe, 5));
        for u in 1..=updates {
            r.record(&step(u, u as f64, upe, true));
        }
        r
    }

    #[test]
    fn thinning_keeps_min_and_max_per_pixel_column() {
        let mut r = RunHistory::new(1, experiment(1000), info(1000, 0));
        for u in 1..=3000 {
            let spike = if u == 1234 { 100.0 } else { 1.0 };
            r.record(&step(u, spike, 1000, true));
        }
        let scale = Scale::linear(0.0, 3000.0);
        let buckets = thin(&r, XAxis::Update, Column::Loss, &scale, 300);
        assert_eq!(buckets.len(), 300);
        assert_eq!(buckets.iter().map(|b| b.max).fold(0.0, f32::max), 100.0);
        assert!(buckets.iter().all(|b| b.min == 1.0));
        let spiky = buckets.iter().find(|b| b.max == 100.0).unwrap();
        assert!((spiky.mean - 10.9).abs() < 1e-3, "{spiky:?}");
    }

    #[test]
    fn extending_a_thinned_trace_equals_thinning_it_whole() {
        let total = 5000;
        let loss = |u: usize| match u {
            777 | 1500 => f64::NAN,
            _ => 1.0 + ((u * 7919) % 97) as f64 / 50.0,
        };
        let mut full = RunHistory::new(1, experiment(250), info(250, 20));
        (1..=total).for_each(|u| full.record(&step(u, loss(u), 250, true)));
        for (scale, columns) in [
            (Scale::linear(0.0, total as f64), 300),
            (Scale::log(1.0, 10_000.0), 450),
            (Scale::linear(0.0, total as f64), 7_000),
        ] {
            let whole = thin(&full, XAxis::Update, Column::Loss, &scale, columns);
            // The same rows arriving in uneven chunks, thinned as they come.
            let mut growing = RunHistory::new(1, experiment(250), info(250, 20));
            let mut thinned = Thinned::default();
            let mut u = 1;
            for chunk in [1, 2, 3, 50, 999, 1, 1, 1944, 2000].into_iter().cycle() {
                let end = (u + chunk).min(total + 1);
                (u..end).for_each(|u| growing.record(&step(u, loss(u), 250, true)));
                thinned.extend(&growing, XAxis::Update, Column::Loss, &scale, columns);
                assert_eq!(thinned.rows(), growing.steps.len());
                u = end;
                if u > total {
                    break;
                }
            }
            assert_eq!(thinned.buckets, whole, "{scale:?}, {columns} columns");
        }
    }

    #[test]
    fn log_thinning_gives_early_updates_their_own_columns() {
        let r = run(1000, 3000);
        let scale = Scale::log(1.0, 3000.0);
        let buckets = thin(&r, XAxis::Update, Column::Loss, &scale, 300);
        // The first decade (updates 1..10) spans ~29 % of the width: one bucket per update.
        assert_eq!(
            &buckets[..9].iter().map(|b| b.x).collect::<Vec<_>>(),
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
        );
        assert!(buckets.len() <= 300);
        let n: usize = 3000;
        assert_eq!(buckets.last().unwrap().x, n as f64);
    }

    #[test]
    fn the_scale_spans_every_run_and_log_starts_at_a_power_of_ten() {
        let small = run(125, 10); // B = 10, 3 epochs of 125 updates
        let large = run(4, 12);
        let view = ChartView {
            axis: XAxis::Update,
            log_x: false,
            smoothing: 0.0,
        };
        assert_eq!(x_scale(&[&small, &large], &view).range(), (0.0, 375.0));
        let epochs = ChartView {
            axis: XAxis::Epoch,
            ..view
        };
        assert_eq!(x_scale(&[&small, &large], &epochs).range(), (0.0, 3.0));
        let log = ChartView {
            log_x: true,
            axis: XAxis::Samples,
            ..view
        };
        assert_eq!(x_scale(&[&small, &large], &log).range(), (10.0, 3750.0));
    }

    /// `run` thinned on `axis` into `columns` columns of `scale`, smoothed with `weight`.
    fn thin_smoothed(
        run: &RunHistory,
        axis: XAxis,
        scale: &Scale,
        columns: usize,
        weight: f64,
    ) -> Vec<Bucket> {
        let mut t = Thinned::smoothed(weight);
        t.extend(run, axis, Column::Loss, scale, columns);
        t.buckets
    }

    #[test]
    fn smoothing_changes_only_the_smoothed_values_and_starts_at_the_first_value() {
        let r = run(100, 300);
        let scale = Scale::linear(0.0, 300.0);
        let raw = thin(&r, XAxis::Update, Column::Loss, &scale, 300);
        assert!(
            raw.iter()
                .all(|b| (b.smooth_min, b.smooth_max) == (b.min, b.max))
        );
        let s = thin_smoothed(&r, XAxis::Update, &scale, 300, 0.9);
        assert!(
            s.iter()
                .zip(&raw)
                .all(|(a, b)| (a.x, a.min, a.mean, a.max) == (b.x, b.min, b.mean, b.max))
        );
        assert_eq!(s[0].smooth_last, raw[0].mean);
        let last = s.len() - 1;
        assert!(last > 250, "about one bucket per update: {last}");
        assert!(
            s[last].smooth_last < raw[last].mean,
            "a rising trace lags when smoothed"
        );
    }

    #[test]
    fn thinning_does_not_change_the_smoothing() {
        // A noisy trace smoothed per update while thinned to 300 columns (10 updates each)
        // holds, in each bucket, exactly the per-update smoothed values of its updates: its
        // last, least and largest, on the update axis and on the epoch axis alike.
        let mut r = RunHistory::new(1, experiment(1000), info(1000, 0));
        let loss = |u: usize| 1.0 + ((u * 7919) % 97) as f64 / 50.0;
        for u in 1..=3000 {
            r.record(&step(u, loss(u), 1000, true));
        }
        let ys: Vec<f32> = (1..=3000).map(|u| loss(u) as f32).collect();
        let us: Vec<f64> = (1..=3000).map(|u| u as f64).collect();
        for w in [0.0, 0.6, 0.95] {
            let every = smoothing::smooth(&us, &ys, w);
            for (axis, scale) in [
                (XAxis::Update, Scale::linear(0.0, 3000.0)),
                (XAxis::Epoch, Scale::linear(0.0, 3.0)),
            ] {
                let buckets = thin_smoothed(&r, axis, &scale, 300, w);
                assert!(buckets.len() >= 299, "{axis:?}");
                let mut first = 0;
                for b in &buckets {
                    let end = b.update as usize;
                    let held = &every[first..end];
                    let lo = held.iter().copied().fold(f32::INFINITY, f32::min);
                    let hi = held.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    assert_eq!(
                        (b.smooth_min, b.smooth_max, b.smooth_last),
                        (lo, hi, every[end - 1]),
                        "{axis:?} {w}: {b:?}"
                    );
                    first = end;
                }
            }
        }
        // Noise shows: at 0.6 the smoothed values still spread within a bucket of 10.
        let b = thin_smoothed(&r, XAxis::Epoch, &Scale::linear(0.0, 3.0), 300, 0.6);
        let spread = b.iter().map(|b| b.smooth_max - b.smooth_min).sum::<f32>() / b.len() as f32;
        assert!(spread > 0.5, "{spread}");
    }

    #[test]
    fn readings_come_from_the_covering_row_and_the_last_validation() {
        let r = run(4, 10);
        let at = read_at(&r, XAxis::Update, ChartKind::Loss, 6.5).unwrap();
        assert_eq!((at.update, at.value), (7, 7.0));
        assert_eq!(
            at.validation,
            Some(5.0),
            "validated at update 4: loss 1 + 4"
        );
        assert_eq!(read_at(&r, XAxis::Update, ChartKind::Loss, 10.5), None);
        let before = read_at(&r, XAxis::Update, ChartKind::Loss, 2.0).unwrap();
        assert_eq!(before.validation, None);
        let by_epoch = read_at(&r, XAxis::Epoch, ChartKind::Accuracy, 2.0).unwrap();
        assert_eq!((by_epoch.update, by_epoch.validation), (8, Some(0.5)));
    }

    #[test]
    fn readings_survive_merged_rows() {
        use crate::history::STEP_CAPACITY;
        let total = STEP_CAPACITY + 10;
        let mut r = RunHistory::new(1, experiment(total), info(total, 0));
        for u in 1..=total {
            r.record(&step(u, u as f64, total, false));
        }
        assert!(r.steps.stride >= 2, "rows were merged");
        // Update 7 sits in the merged row of updates 7 and 8 (x = 8, mean loss 7.5).
        let at = read_at(&r, XAxis::Update, ChartKind::Loss, 7.0).unwrap();
        assert_eq!((at.update, at.value), (8, 7.5));
    }

    #[test]
    fn extents_are_planned_ends_and_seconds_so_far() {
        let r = run(100, 250); // 3 epochs of 100 updates planned, B = 10
        assert_eq!(x_extent(&r, XAxis::Epoch), 3.0);
        assert_eq!(x_extent(&r, XAxis::Update), 300.0);
        assert_eq!(x_extent(&r, XAxis::Samples), 3000.0);
        assert_eq!(
            x_extent(&r, XAxis::Seconds),
            25.0,
            "25 s so far, a nice number"
        );
        let fresh = RunHistory::new(2, experiment(4), info(4, 0));
        assert_eq!(
            x_extent(&fresh, XAxis::Seconds),
            1.0,
            "nothing recorded yet"
        );
        let seconds = Scale::linear(0.0, 30.0);
        assert_eq!(
            epoch_boundaries(&r, XAxis::Seconds, &seconds, 100),
            vec![10.0, 20.0],
            "the recorded epoch ends"
        );
    }

    #[test]
    fn boundaries_and_ceiling() {
        let r = run(100, 250);
        let scale = Scale::linear(0.0, 3.0);
        assert_eq!(
            epoch_boundaries(&r, XAxis::Epoch, &scale, 100),
            vec![1.0, 2.0]
        );
        let updates = Scale::linear(0.0, 300.0);
        assert_eq!(
            epoch_boundaries(&r, XAxis::Update, &updates, 100),
            vec![100.0, 200.0]
        );
        assert_eq!(epoch_boundaries(&r, XAxis::Epoch, &scale, 1).len(), 1);
        let b = [Bucket {
            x: 1.0,
            update: 1.0,
            min: 0.0,
            mean: 0.2,
            max: 9.0,
            smooth_min: 0.2,
            smooth_max: 0.2,
            smooth_last: 0.2,
        }];
        assert_eq!(loss_ceiling(10, &b, [0.5]), nice_ceil(10f64.ln() * 1.1));
        assert_eq!(loss_ceiling(2, &b, [3.3, f64::NAN]), 4.0);
    }
}
