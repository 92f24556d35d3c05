//! How often the page may show new training progress and redraw the charts while training
//! runs beside them.
//!
//! Why: the page's main thread, and the browser's threads that render its frames, share the
//! machine's cores with the training workers, and each millisecond they take is one a
//! worker may lose. Two rules follow. The progress shown (and so what the charts draw) follows
//! the workers' messages at most every [`display_interval_ms`], not with each of the ~60 a
//! second a worker sends. And a chart redraw waits until the last one's cost fits a share of
//! one core, small when the workers fill every core: measured on a 2-core machine
//! (`scripts/bench`, the sweep part), drawing at every frame cost the default sweep 7 s of
//! main-thread CPU and made it 1.6× slower than with the charts hidden.

/// The main thread's share of one core for drawing while a core is left for it.
pub const SHARE_WITH_A_FREE_CORE: f64 = 0.5;
/// The share while training workers occupy every core.
pub const SHARE_WHEN_CORES_ARE_BUSY: f64 = 0.05;
/// The longest wait between redraws, whatever a redraw cost: curves never look frozen.
pub const MAX_WAIT_MS: f64 = 1000.0;

/// Shortest time between two updates of what shows training progress (status, counters,
/// epoch anatomy, batch view, run list; the charts then redraw within their share) while one
/// run trains and a core is left for the page. Why: a message arrives with every slice the
/// worker trains (~60 a second), and updating the page for each made ~110 frames of style,
/// layout and paint in the post's default run: the page's main thread and compositor then
/// used more than the spare core and slowed the worker they show by ~1.5× (`scripts/bench`,
/// tax part: the same run in the app and in a bare worker). Measured in that run (2-core
/// machine, alternated builds): every message 2.2–3.3 s of main-thread CPU, every 100 ms
/// 1.2 s, every 200 ms 0.6–0.7 s and ~10 % less run time than at 100 ms.
pub const DISPLAY_INTERVAL_WITH_A_FREE_CORE_MS: f64 = 200.0;
/// The same while training workers occupy every core: during a sweep re-rendering for each
/// of ~120 messages a second took 5–6 s of main-thread CPU from the workers.
pub const DISPLAY_INTERVAL_WHEN_CORES_ARE_BUSY_MS: f64 = 250.0;

/// The same while the only training is a paced run (one epoch per second, or slow motion):
/// it leaves most of its core idle, and the class watching it should see the curves grow in
/// small steps (at B = 256, 32 updates a second: one or two per display) rather than five
/// jumps a second.
pub const DISPLAY_INTERVAL_PACED_MS: f64 = 50.0;

/// The shortest time between two updates of the progress shown, with `training` workers
/// training on `cores` cores (`None`: unknown, assume two); `None` when nothing trains (the
/// page shows every change at once).
pub fn display_interval_ms(training: usize, cores: Option<usize>) -> Option<f64> {
    match training {
        0 => None,
        _ if cores_are_busy(training, cores) => Some(DISPLAY_INTERVAL_WHEN_CORES_ARE_BUSY_MS),
        _ => Some(DISPLAY_INTERVAL_WITH_A_FREE_CORE_MS),
    }
}

/// When the progress may be shown next, at `now_ms`, when it was last shown at `last_ms`
/// with `interval_ms` between updates: at once (`now_ms`) if the interval has passed, else
/// when it will have. So the first message after a quiet spell shows without delay.
pub fn next_display_at(now_ms: f64, last_ms: f64, interval_ms: f64) -> f64 {
    let due = last_ms + interval_ms;
    if due.is_finite() {
        due.max(now_ms)
    } else {
        now_ms
    }
}

/// The main thread's drawing share when `training` workers train on `cores` cores
/// (`None`: unknown, assume two).
pub fn drawing_share(training: usize, cores: Option<usize>) -> f64 {
    if cores_are_busy(training, cores) {
        SHARE_WHEN_CORES_ARE_BUSY
    } else {
        SHARE_WITH_A_FREE_CORE
    }
}

/// Whether `training` workers occupy every one of `cores` cores (`None`: unknown, assume
/// two): then every rule here leaves the workers as much as it can.
pub fn cores_are_busy(training: usize, cores: Option<usize>) -> bool {
    training >= cores.unwrap_or(2).max(1)
}

/// How many animation frames a redraw waits once it is due: two while training workers
/// occupy every core, else one. Why: a redraw is due right after the page showed new
/// progress (status, counters, run list), and drawn in the next frame it shares that
/// frame's style, layout and paint with those changes; on a main thread that gets only
/// part of a core beside the workers, the two together made tasks of 50–65 ms. Waiting one
/// more frame gives each its own. Measured on the default target sweep (2 cores, 2
/// workers, `BENCH_APP_PARTS=targetsweep`, 4 sweeps each, alternated): 2 of 4 sweeps with a
/// long task and 2 long tasks in all, against 4 of 4 and 10.
pub fn frames_before_redraw(training: usize, cores: Option<usize>) -> u32 {
    if cores_are_busy(training, cores) {
        2
    } else {
        1
    }
}

/// How many of the two charts (loss, accuracy) one frame may redraw: one while training
/// workers occupy every core, else both. Why: there the page's thread gets about half a core,
/// so a frame's wall time is about twice its CPU time, and a frame that redrew both charts
/// (and then painted and committed both canvases) took 25 ms of CPU and 50-55 ms of wall
/// time: the default target sweep's long tasks (a trace of one, `docs/perf-notes.md`). Drawn
/// in turn, each chart still redraws as often (the wait after a redraw is its cost over the
/// share, and each costs about half).
pub fn charts_per_frame(training: usize, cores: Option<usize>) -> usize {
    if cores_are_busy(training, cores) {
        1
    } else {
        2
    }
}

/// The charts a frame draws, by index: of those out of date (`stale`), the one drawn longest
/// ago first (`drawn_in`: the number of the draw that last drew each, 0 for never; every
/// chart drawn takes the next number, so two never tie once drawn), at most `per_frame`
/// ([`charts_per_frame`]); and whether any is left for a later frame. So charts drawn one per
/// frame take turns, whatever made them out of date.
pub fn charts_to_draw(
    stale: [bool; 2],
    drawn_in: [u64; 2],
    per_frame: usize,
) -> (Vec<usize>, bool) {
    let mut due: Vec<usize> = (0..stale.len()).filter(|&i| stale[i]).collect();
    due.sort_by_key(|&i| drawn_in[i]);
    let left = due.len() > per_frame.max(1);
    due.truncate(per_frame.max(1));
    (due, left)
}

/// The updates of the current run that every laid-out chart shows: the fewest, while they are
/// drawn in turn (`shown`: what each shows of the current run, `None` for none of it: it
/// still shows another run). 0 when none is laid out.
pub fn shown_by_every_chart(shown: [Option<usize>; 2], laid_out: [bool; 2]) -> usize {
    (0..shown.len())
        .filter(|&i| laid_out[i])
        .map(|i| shown[i].unwrap_or(0))
        .min()
        .unwrap_or(0)
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
    fn while_the_cores_are_busy_a_redraw_waits_a_frame_more_and_draws_one_chart() {
        let cases = [
            (0, Some(2), false),
            (1, Some(2), false),
            (2, Some(2), true),
            (3, Some(8), false),
            (2, None, true),
        ];
        for (training, cores, busy) in cases {
            assert_eq!(cores_are_busy(training, cores), busy);
            let frames = frames_before_redraw(training, cores);
            assert_eq!(frames, if busy { 2 } else { 1 }, "{training} on {cores:?}");
            let charts = charts_per_frame(training, cores);
            assert_eq!(charts, if busy { 1 } else { 2 }, "{training} on {cores:?}");
        }
    }

    #[test]
    fn progress_is_shown_at_a_pace_while_training() {
        assert_eq!(display_interval_ms(0, Some(2)), None);
        assert_eq!(display_interval_ms(0, None), None);
        assert_eq!(
            display_interval_ms(1, Some(2)),
            Some(DISPLAY_INTERVAL_WITH_A_FREE_CORE_MS)
        );
        assert_eq!(
            display_interval_ms(2, Some(2)),
            Some(DISPLAY_INTERVAL_WHEN_CORES_ARE_BUSY_MS)
        );
        assert_eq!(
            display_interval_ms(1, Some(1)),
            Some(DISPLAY_INTERVAL_WHEN_CORES_ARE_BUSY_MS)
        );
        assert_eq!(
            display_interval_ms(3, Some(8)),
            Some(DISPLAY_INTERVAL_WITH_A_FREE_CORE_MS)
        );
        // Shown long ago (or never): at once; shown recently: when the interval has passed.
        assert_eq!(next_display_at(1000.0, 800.0, 100.0), 1000.0);
        assert_eq!(next_display_at(1000.0, f64::NEG_INFINITY, 100.0), 1000.0);
        assert_eq!(next_display_at(1000.0, 960.0, 100.0), 1060.0);
        assert_eq!(next_display_at(1000.0, 900.0, 100.0), 1000.0);
    }

    #[test]
    fn charts_drawn_one_a_frame_take_turns() {
        // (stale, draw that last drew each, charts a frame) → (drawn now, any left)
        type Case = ([bool; 2], [u64; 2], usize, &'static [usize], bool);
        let cases: [Case; 8] = [
            // Both out of date, never drawn: the loss chart first, the accuracy chart left.
            ([true, true], [0, 0], 1, &[0], true),
            // Then the accuracy chart, drawn longer ago, whatever made the loss chart out of
            // date again (new history, a resize, the language).
            ([true, true], [1, 0], 1, &[1], true),
            ([true, true], [7, 6], 1, &[1], true),
            ([true, true], [7, 8], 1, &[0], true),
            ([false, true], [7, 6], 1, &[1], false),
            // Two a frame: both, nothing left; nothing out of date: nothing.
            ([true, true], [7, 6], 2, &[1, 0], false),
            ([false, false], [7, 6], 2, &[], false),
            // A count of 0 still draws one.
            ([true, true], [0, 0], 0, &[0], true),
        ];
        for (stale, drawn_in, per_frame, now, left) in cases {
            let drawn = charts_to_draw(stale, drawn_in, per_frame);
            assert_eq!(
                drawn,
                (now.to_vec(), left),
                "{stale:?} {drawn_in:?} {per_frame}"
            );
        }
    }

    #[test]
    fn the_updates_shown_are_those_every_laid_out_chart_shows() {
        assert_eq!(shown_by_every_chart([Some(40), Some(32)], [true, true]), 32);
        // One chart still shows another run: none of this one's updates are on both.
        assert_eq!(shown_by_every_chart([Some(40), None], [true, true]), 0);
        // A hidden chart does not hold the figure back.
        assert_eq!(shown_by_every_chart([Some(40), None], [true, false]), 40);
        assert_eq!(
            shown_by_every_chart([Some(40), Some(32)], [false, false]),
            0
        );
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
