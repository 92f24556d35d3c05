//! The hover readout's look-ups: which recorded row, and which evaluation, lie under the
//! pointer's x. Rows are read through a closure so any column (a history's per-update x on
//! any axis, validation points) can be searched without copying it; both searches are
//! binary, so hovering costs O(log n) however long the run.

/// The row that covers `x` in increasing row positions `xs`: row i stands for
/// `(xs[i−1], xs[i]]` (rows may be merged pairs whose x is the later update of the pair), so
/// the answer is the first i with `xs[i] >= x`. `None` when `xs` is empty or `x` is past the
/// last row by more than `tolerance` (the run ended earlier; a NaN `x` is never covered);
/// `x` before the first row gives `Some(0)`.
pub fn covering_row(
    xs: impl Fn(usize) -> f64,
    len: usize,
    x: f64,
    tolerance: f64,
) -> Option<usize> {
    if x.is_nan() {
        return None;
    }
    let last = len.checked_sub(1)?;
    let i = partition_point(len, |i| xs(i) < x);
    if i < len {
        Some(i)
    } else {
        (x - xs(last) <= tolerance).then_some(last)
    }
}

/// Among points (e.g. validation evaluations) at increasing x, the last at or before x
/// (+ `tolerance`, so a pointer a hair left of an evaluation still shows it), if any.
pub fn last_at_or_before(
    xs: impl Fn(usize) -> f64,
    len: usize,
    x: f64,
    tolerance: f64,
) -> Option<usize> {
    let limit = x + tolerance;
    partition_point(len, |i| xs(i) <= limit).checked_sub(1)
}

/// The first index in `0..len` where `before` turns false, given that it is true for a
/// prefix and false after (as `slice::partition_point`, but over an index closure).
fn partition_point(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looks up in a slice, as the charts do in a history column.
    fn cover(xs: &[f64], x: f64, tolerance: f64) -> Option<usize> {
        covering_row(|i| xs[i], xs.len(), x, tolerance)
    }

    /// [`last_at_or_before`] over a slice.
    fn last(xs: &[f64], x: f64, tolerance: f64) -> Option<usize> {
        last_at_or_before(|i| xs[i], xs.len(), x, tolerance)
    }

    #[test]
    fn covering_rows() {
        let xs = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(cover(&xs, 2.0, 0.0), Some(1), "exact hit");
        assert_eq!(cover(&xs, 8.0, 0.0), Some(3), "exact hit on the last row");
        assert_eq!(cover(&xs, 3.0, 0.0), Some(2), "between rows: the later one");
        assert_eq!(cover(&xs, 2.0001, 0.0), Some(2));
        assert_eq!(cover(&xs, 0.5, 0.0), Some(0), "before the first row");
        assert_eq!(cover(&xs, -1e9, 0.0), Some(0));
        assert_eq!(cover(&xs, 8.5, 0.0), None, "past the end");
        assert_eq!(
            cover(&xs, 8.5, 1.0),
            Some(3),
            "past the end within tolerance"
        );
        assert_eq!(cover(&xs, 9.5, 1.0), None);
        assert_eq!(cover(&xs, f64::NAN, 1.0), None);
        assert_eq!(cover(&[], 1.0, 10.0), None, "empty");
    }

    #[test]
    fn merged_pairs_cover_both_updates() {
        let rows: Vec<f64> = (1..=1000).map(f64::from).collect();
        let merged: Vec<f64> = rows.chunks(2).map(|pair| pair[1]).collect();
        assert_eq!(merged[..4], [2.0, 4.0, 6.0, 8.0]);
        assert_eq!(cover(&merged, 7.0, 0.0), Some(3));
        assert_eq!(cover(&merged, 8.0, 0.0), Some(3));
        assert_eq!(cover(&merged, 9.0, 0.0), Some(4));
        assert_eq!(cover(&merged, 1.0, 0.0), Some(0));
        assert_eq!(cover(&merged, 999.0, 0.0), Some(499));
        assert_eq!(cover(&merged, 1001.0, 0.0), None);
    }

    #[test]
    fn last_point_at_or_before() {
        let xs = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(last(&xs, 4.0, 0.0), Some(2), "exact hit");
        assert_eq!(
            last(&xs, 5.0, 0.0),
            Some(2),
            "between points: the earlier one"
        );
        assert_eq!(last(&xs, 3.9, 0.0), Some(1));
        assert_eq!(
            last(&xs, 3.9, 0.2),
            Some(2),
            "just before, within tolerance"
        );
        assert_eq!(last(&xs, 0.5, 0.0), None, "before the first point");
        assert_eq!(last(&xs, 0.5, 0.5), Some(0));
        assert_eq!(last(&xs, 1e9, 0.0), Some(3), "after the last point");
        assert_eq!(last(&xs, f64::NAN, 0.0), None);
        assert_eq!(last(&[], 1.0, 10.0), None, "empty");
    }

    #[test]
    fn binary_search_agrees_with_a_scan() {
        let mut seed = 42u64;
        let mut x = 0.0;
        let xs: Vec<f64> = (0..100_000)
            .map(|_| {
                // Gaps of 0 (repeated x) to 2, so both searches meet duplicates.
                x += (lcg(&mut seed) * 4.0).floor() * 0.5;
                x
            })
            .collect();
        let end = *xs.last().unwrap();
        for _ in 0..2000 {
            let q = (lcg(&mut seed) * 1.1 - 0.05) * end;
            let tol = if lcg(&mut seed) < 0.5 { 0.0 } else { 3.0 };
            let scan_cover = xs
                .iter()
                .position(|&v| v >= q)
                .or_else(|| (q - end <= tol).then_some(xs.len() - 1));
            assert_eq!(cover(&xs, q, tol), scan_cover, "{q} {tol}");
            let scan_last = xs.iter().rposition(|&v| v <= q + tol);
            assert_eq!(last(&xs, q, tol), scan_last, "{q} {tol}");
        }
    }

    /// A deterministic pseudo-random number in [0, 1) (Knuth's MMIX LCG): no dependency,
    /// same inputs on every run.
    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }
}
