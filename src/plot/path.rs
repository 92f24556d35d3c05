//! Polylines as SVG path data (`M x y L x y …`), for the canvas' `Path2D`: one call hands
//! the browser a whole series. Why: drawing each run's per-update trace point by point cost
//! one wasm→JS call per `lineTo` — 35,000 calls per redraw with eight kept runs, most of a
//! redraw's time — while a path string is built in wasm and parsed natively in one call.

/// Appends `v` with at most one decimal (a tenth of a backing pixel is finer than anything
/// the canvas shows) and without trailing zeros. Digits are written by hand: `write!` goes
/// through `core::fmt`, which in wasm made building eight runs' paths slower than the
/// per-point canvas calls it replaces.
fn push_coord(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    push_digits(out, a / 10);
    if !a.is_multiple_of(10) {
        out.push('.');
        push_digits(out, a % 10);
    }
}

/// Appends `v` in decimal.
fn push_digits(out: &mut String, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| d as char));
}

/// SVG path data through `points` (canvas pixels), in order; a non-finite point breaks the
/// line (the next finite point starts a new subpath). `close` closes the last subpath (a
/// filled band). Empty when no point is finite. Coordinates far outside any canvas are
/// clamped so a wild value cannot produce an unreadable number.
pub fn polyline(points: impl IntoIterator<Item = (f64, f64)>, close: bool) -> String {
    const FAR: f64 = 1.0e6;
    let points = points.into_iter();
    let mut out = String::with_capacity(points.size_hint().0 * 12 + 1);
    let mut pen_down = false;
    for (x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            pen_down = false;
            continue;
        }
        out.push(if pen_down { 'L' } else { 'M' });
        push_coord(&mut out, x.clamp(-FAR, FAR));
        out.push(' ');
        push_coord(&mut out, y.clamp(-FAR, FAR));
        pen_down = true;
    }
    if close && !out.is_empty() {
        out.push('Z');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(
            polyline([(0.0, 10.0), (1.25, 9.94), (-3.06, 100.0)], false),
            "M0 10L1.3 9.9L-3.1 100"
        );
        assert_eq!(polyline([(-0.04, 0.5)], true), "M0 0.5Z");
    }

    #[test]
    fn digits_are_decimal() {
        for v in [0, 7, 10, 99, 100, 123_456_789, u64::MAX] {
            let mut s = String::new();
            push_digits(&mut s, v);
            assert_eq!(s, v.to_string());
        }
    }

    #[test]
    fn gaps_start_new_subpaths_and_nothing_finite_is_empty() {
        assert_eq!(
            polyline([(1.0, 1.0), (2.0, f64::NAN), (3.0, 3.0), (4.0, 4.0)], false),
            "M1 1M3 3L4 4"
        );
        assert_eq!(polyline([(f64::INFINITY, 1.0)], true), "");
        assert_eq!(polyline([(1e300, -1e300)], false), "M1000000 -1000000");
    }

    #[test]
    fn it_parses_back_to_the_points() {
        let pts: Vec<(f64, f64)> = (0..50)
            .map(|i| (i as f64 * 7.3, 200.0 - i as f64 * 1.37))
            .collect();
        let d = polyline(pts.iter().copied(), false);
        let read: Vec<(f64, f64)> = d
            .split(['M', 'L'])
            .filter(|s| !s.is_empty())
            .map(|s| {
                let (x, y) = s.split_once(' ').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        assert_eq!(read.len(), pts.len());
        for (a, b) in read.iter().zip(&pts) {
            assert!((a.0 - b.0).abs() <= 0.05 + 1e-9 && (a.1 - b.1).abs() <= 0.05 + 1e-9);
        }
    }
}
