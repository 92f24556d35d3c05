//! A sparkline: one run's values over its updates as an SVG path, on a log y scale. The
//! noise meter draws its trace with it (a few hundred points, crisp at any pixel ratio,
//! no canvas and no text to measure).

use super::scale::{Scale, log_floor, nice_ceil};

/// A path in a `width × height` box (y down), and where a reference value lies on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sparkline {
    /// SVG path data (`M x y L x y …`).
    pub path: String,
    /// The reference value's y, when it is inside the drawn range.
    pub reference_y: Option<f64>,
    /// The y scale's ends (data values at the bottom and the top).
    pub range: (f64, f64),
}

/// The positive finite `values` (one per x in `xs`; others are skipped) as a path over the
/// x span, at most about `max_points` of them (evenly thinned, the last always kept). The y range
/// spans the values and `reference` (from a whole decade up to a
/// round number, see [`log_floor`] and [`nice_ceil`]). `None` without two points to draw.
pub fn sparkline(
    xs: &[f64],
    values: &[f32],
    reference: Option<f64>,
    width: f64,
    height: f64,
    max_points: usize,
) -> Option<Sparkline> {
    // Thin by index first, so a run of 100,000 updates costs `max_points` steps per redraw.
    let n = xs.len().min(values.len());
    let stride = n.div_ceil(max_points.max(2)).max(1);
    let kept: Vec<(f64, f64)> = (0..n)
        .step_by(stride)
        .chain((n > 0 && !(n - 1).is_multiple_of(stride)).then(|| n - 1))
        .map(|i| (xs[i], f64::from(values[i])))
        .filter(|&(x, v)| x.is_finite() && v.is_finite() && v > 0.0)
        .collect();
    if kept.len() < 2 {
        return None;
    }
    let last = kept.len() - 1;
    let reference = reference.filter(|r| r.is_finite() && *r > 0.0);
    let ys = kept.iter().map(|p| p.1).chain(reference);
    let lo = ys.clone().fold(f64::INFINITY, f64::min);
    let hi = ys.fold(0.0, f64::max);
    let y = Scale::log(log_floor(lo), nice_ceil(hi).max(log_floor(lo) * 10.0));
    let (x0, x1) = (kept[0].0, kept[last].0);
    let span = (x1 - x0).max(f64::MIN_POSITIVE);
    let to_y = |v: f64| height * (1.0 - y.to_unit(v));
    let mut path = String::with_capacity(kept.len() * 14);
    for (i, &(x, v)) in kept.iter().enumerate() {
        let px = width * (x - x0) / span;
        path.push_str(&format!(
            "{}{:.1} {:.1}",
            if i == 0 { "M" } else { " L" },
            px,
            to_y(v)
        ));
    }
    Some(Sparkline {
        path,
        reference_y: reference.map(to_y),
        range: y.range(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_on_a_log_scale_with_the_reference_inside() {
        let xs = [1.0, 2.0, 3.0];
        let s = sparkline(&xs, &[100.0, 1000.0, 10.0], Some(32.0), 100.0, 50.0, 100).unwrap();
        assert_eq!(s.range, (10.0, 1000.0));
        assert_eq!(s.path, "M0.0 25.0 L50.0 0.0 L100.0 50.0");
        let r = s.reference_y.unwrap();
        assert!((r - 50.0 * (1.0 - 32f64.log10().fract() / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn gaps_and_thinning() {
        // NaN (no reading yet) and non-positive values are skipped.
        let s = sparkline(
            &[1.0, 2.0, 3.0],
            &[f32::NAN, 5.0, 0.0],
            None,
            10.0,
            10.0,
            10,
        );
        assert_eq!(s, None, "one point is no line");
        let xs: Vec<f64> = (0..1000).map(f64::from).collect();
        let ys: Vec<f32> = (0..1000).map(|i| 1.0 + i as f32).collect();
        let s = sparkline(&xs, &ys, Some(1e6), 200.0, 40.0, 50).unwrap();
        assert!(s.path.matches('L').count() <= 50);
        assert!(s.path.ends_with(&format!(
            "200.0 {:.1}",
            40.0 * (1.0 - 1000f64.log10() / 6.0)
        )));
        assert_eq!(s.range.1, 1e6, "the reference widens the range");
    }
}
