//! Updates spread evenly over the clock, for the paces a class can watch: at "one epoch per
//! second" a run makes `ceil(N/B)` updates per second, so B = 8 and B = 256 both take about a
//! second per epoch and the curves grow while a teacher talks (at full speed the post's run
//! is over in one or two seconds; at 20 updates per second it takes minutes).
//!
//! Free of any browser API: the runner asks it, with the worker's clock, how many updates
//! are due now and how long to wait for the next one, and the native tests drive it with an
//! injected clock.

/// A pace of `rate` updates per second, anchored where training (re)started.
#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    /// Updates per second (at least a tiny positive rate).
    rate: f64,
    /// Clock and update count at the anchor; `None` until the first tick after a start,
    /// a resume or a change of speed.
    anchor: Option<(f64, usize)>,
}

/// The shortest wait between two ticks when the next update is not yet due: about a display
/// frame. The page draws at most once a frame, so ticking more often would only send more
/// messages; at 1,000 updates per second a tick does the ~16 updates due since the last.
pub const MIN_WAIT_MS: f64 = 16.0;

/// How far behind the pace may fall before it gives up on the missed updates: a tick that
/// came late (a busy machine's timers, an epoch end's validation) is made up over the next
/// ticks, but a machine that cannot keep up at all is not asked for ever more.
pub const MAX_DEBT_MS: f64 = 250.0;

impl Pace {
    /// A pace of `rate` updates per second.
    pub fn new(rate: f64) -> Self {
        Pace {
            rate: if rate.is_finite() && rate > 0.0 {
                rate
            } else {
                1.0
            },
            anchor: None,
        }
    }

    /// Updates per second.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Forgets the anchor: the next [`Pace::allowed`] starts counting again (after a pause,
    /// a single step or a change of speed, the run must not sprint to catch up).
    pub fn restart(&mut self) {
        self.anchor = None;
    }

    /// How many more updates may run at `now`, with `done` made so far. The first update
    /// after a (re)start is due at once, the k-th `k / rate` seconds after it.
    pub fn allowed(&mut self, now: f64, done: usize) -> usize {
        let (t0, u0) = *self.anchor.get_or_insert((now, done));
        let elapsed = (now - t0).max(0.0);
        let due = u0 + (elapsed * self.rate / 1000.0).floor() as usize + 1;
        due.saturating_sub(done)
    }

    /// After a tick that ended at `now` with `done` updates: when the next update is due, in
    /// milliseconds from `now` (0 when it is already due, else at least [`MIN_WAIT_MS`]).
    ///
    /// A tick trains while [`Pace::allowed`] says so, for at most a slice; updates still due
    /// after it are made up at once (wait 0). When they are more than [`MAX_DEBT_MS`] (and
    /// one update) behind, the machine cannot keep up: the pace re-anchors at `now` and goes
    /// as fast as the machine allows rather than racing later to make up the lost time.
    pub fn wait(&mut self, now: f64, done: usize) -> f64 {
        let Some((t0, u0)) = self.anchor else {
            return 0.0;
        };
        let next_at = t0 + done.saturating_sub(u0) as f64 * 1000.0 / self.rate;
        if next_at <= now {
            if now - next_at > MAX_DEBT_MS.max(1000.0 / self.rate) {
                self.anchor = Some((now, done));
            }
            0.0
        } else {
            (next_at - now).max(MIN_WAIT_MS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_update_is_due_at_once_then_one_per_interval() {
        let mut p = Pace::new(4.0); // one every 250 ms
        assert_eq!(p.allowed(1000.0, 10), 1);
        assert_eq!(p.wait(1000.5, 11), 249.5);
        assert_eq!(p.allowed(1100.0, 11), 0, "not yet");
        assert_eq!(p.allowed(1250.0, 11), 1);
        assert_eq!(p.allowed(1760.0, 11), 3, "three due by 1,760 ms");
        p.restart();
        assert_eq!(p.allowed(5000.0, 14), 1, "a restart does not catch up");
    }

    #[test]
    fn fast_paces_wait_about_a_frame_and_a_slow_machine_reanchors() {
        let mut p = Pace::new(1000.0);
        assert_eq!(p.allowed(0.0, 0), 1);
        assert_eq!(p.wait(0.1, 1), MIN_WAIT_MS, "due in 0.9 ms: wait a frame");
        assert_eq!(p.allowed(16.0, 1), 16);
        // The machine managed only 5 of those by 40 ms: behind, so go on at once and make
        // them up.
        assert_eq!(p.wait(40.0, 6), 0.0);
        assert_eq!(p.allowed(40.0, 6), 35);
        // Far behind (the machine cannot keep up): count from here.
        assert_eq!(p.wait(400.0, 20), 0.0);
        assert_eq!(p.allowed(400.0, 20), 1);
        assert_eq!(Pace::new(f64::NAN).rate(), 1.0);
        assert_eq!(Pace::new(0.0).rate(), 1.0);
    }
}
