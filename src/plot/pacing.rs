//! How often the charts may redraw while training runs beside them.
//!
//! Why: the page's main thread shares the machine's cores with the training workers. During
//! a single run there is a core to spare and the charts follow every animation frame. During
//! a sweep every core trains, and each millisecond spent drawing is a millisecond taken from
//! a worker: measured on a 2-core machine (`scripts/bench`, the sweep part), drawing at
//! every frame cost the default sweep 7 s of main-thread CPU and made it 1.6× slower than
//! with the charts hidden. So the charts get a share of one core — small when the workers
//! fill every core — and a redraw waits until the last one's cost fits that share.

/// The main thread's share of one core for drawing while a core is left for it.
pub const SHARE_WITH_A_FREE_CORE: f64 = 0.5;
/// The share while training workers occupy every core.
pub const SHARE_WHEN_CORES_ARE_BUSY: f64 = 0.05;
/// The longest wait between redraws, whatever a redraw cost: curves never look frozen.
pub const MAX_WAIT_MS: f64 = 1000.0;

/// The main thread's drawing share when `training` workers train on `cores` cores
/// (`None`: unknown, assume two).
pub fn drawing_share(training: usize, cores: Option<usize>) -> f64 {
    let cores = cores.unwrap_or(2).max(1);
    if training >= cores {
        SHARE_WHEN_CORES_ARE_BUSY
    } else {
        SHARE_WITH_A_FREE_CORE
    }
}

/// The earliest time (ms, same clock as `last_start_ms`) the next redraw may start, after a
/// redraw that started at `last_start_ms` and took `last_cost_ms`, so that drawing uses at
/// most `share` of a core: `last_start + cost / share`, capped at [`MAX_WAIT_MS`] after the
/// last start. A free redraw (cost 0, or no redraw yet) may come at once.
pub fn next_redraw_at(last_start_ms: f64, last_cost_ms: f64, share: f64) -> f64 {
    if !(last_start_ms.is_finite() && last_cost_ms.is_finite() && last_cost_ms > 0.0) {
        return f64::NEG_INFINITY;
    }
    let wait = (last_cost_ms / share.clamp(0.01, 1.0)).min(MAX_WAIT_MS);
    last_start_ms + wait
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_cores_get_a_small_share() {
        assert_eq!(drawing_share(0, Some(2)), SHARE_WITH_A_FREE_CORE);
        assert_eq!(drawing_share(1, Some(2)), SHARE_WITH_A_FREE_CORE);
        assert_eq!(drawing_share(2, Some(2)), SHARE_WHEN_CORES_ARE_BUSY);
        assert_eq!(drawing_share(3, Some(8)), SHARE_WITH_A_FREE_CORE);
        assert_eq!(drawing_share(1, Some(1)), SHARE_WHEN_CORES_ARE_BUSY);
        assert_eq!(drawing_share(2, None), SHARE_WHEN_CORES_ARE_BUSY);
        assert_eq!(drawing_share(1, Some(0)), SHARE_WHEN_CORES_ARE_BUSY);
    }

    #[test]
    fn the_wait_keeps_drawing_within_its_share() {
        // 12 ms draws at a 5 % share: one every 240 ms, i.e. 12 / 240 = 5 % of a core.
        assert_eq!(next_redraw_at(1000.0, 12.0, 0.05), 1240.0);
        // At half a core a 6 ms draw may follow 12 ms after it started (every frame).
        assert_eq!(next_redraw_at(1000.0, 6.0, 0.5), 1012.0);
        // A very slow draw still lets the curves move once a second.
        assert_eq!(next_redraw_at(1000.0, 200.0, 0.05), 1000.0 + MAX_WAIT_MS);
        // Nothing drawn yet, or a free draw: no wait.
        assert_eq!(
            next_redraw_at(f64::NEG_INFINITY, 5.0, 0.05),
            f64::NEG_INFINITY
        );
        assert_eq!(next_redraw_at(1000.0, 0.0, 0.05), f64::NEG_INFINITY);
        assert_eq!(next_redraw_at(1000.0, f64::NAN, 0.05), f64::NEG_INFINITY);
    }
}
