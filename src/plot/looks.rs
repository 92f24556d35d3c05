//! How the charts show each kept run: its colour-and-marker slot ([`super::slots`]) and
//! whether the student shows it. It is the charts' view state run by run, as
//! [`super::view`]'s is for all runs at once; the history ([`crate::history`]) keeps the
//! runs' records and decides which runs are kept (its caps and the student's pins).
//!
//! Why it follows the history instead of being told: runs come and go in many places (a
//! run trained, a sweep's seeds, a claims card opened, runs removed, dropped to make room,
//! cleared), and each would have to tell this too, in step. Instead whoever reads it brings
//! it up to date first ([`Looks::follow`]; on the page, `ui::charts::with_looks`): runs the
//! history no longer keeps are forgotten (their slots are free again), and each new one,
//! oldest first, gets its slot. So which runs stay is the history's rule alone, how they
//! look is this module's alone, and the one place that keeps the two in step is `follow`.
//! A run that came and went between two reads never gets a slot; it was never drawn.
//!
//! The rules, all here:
//! - a run keeps its slot while it is kept, so a curve never changes colour when another
//!   run comes or goes; a new run is shown until the student hides it;
//! - a student's run takes the slot of its seed group ([`crate::history::groups`], the rule
//!   the run list and the comparison use), so the charts band exactly the groups the run
//!   list shows; a group's first run takes a free slot of `0..MAX_RUNS` ([`pick`]);
//! - a sweep's run takes the slot of the sweep's runs of its batch size (a size's seeds are
//!   one colour and one band), or a free slot of `MAX_RUNS..MAX_VISIBLE`, so the student's
//!   runs and a sweep's are on the charts together, each in its own colour-and-marker pair.

use std::collections::HashMap;

use super::slots::pick;
use crate::history::groups::Group;
use crate::history::{History, MAX_RUNS, MAX_VISIBLE, RunHistory};
use crate::worker::protocol::RunId;

/// How one kept run is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// Colour-and-marker slot: `0..MAX_RUNS` for the student's runs, `MAX_RUNS..MAX_VISIBLE`
    /// for a sweep's.
    pub slot: usize,
    /// Drawn on the charts (hidden runs stay in the run list and the exports).
    pub visible: bool,
}

impl Default for Look {
    /// A run not followed (one drawn alone, outside any history): the first slot, shown.
    fn default() -> Self {
        Look {
            slot: 0,
            visible: true,
        }
    }
}

/// The look of every run of a history, as of the last [`Looks::follow`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Looks {
    looks: HashMap<RunId, Look>,
}

impl Looks {
    /// Brings the looks up to date with `h`: forgets the runs it no longer keeps and gives
    /// each new run, oldest first, its slot (see the module's rules), shown.
    pub fn follow(&mut self, h: &History) {
        let runs = h.runs();
        if runs.len() == self.looks.len() && runs.iter().all(|r| self.looks.contains_key(&r.run)) {
            return;
        }
        self.looks.retain(|&run, _| h.get(run).is_some());
        let groups = h.groups();
        for r in runs {
            if !self.looks.contains_key(&r.run) {
                let slot = self.slot_for(r, h, &groups);
                self.looks.insert(
                    r.run,
                    Look {
                        slot,
                        visible: true,
                    },
                );
            }
        }
    }

    /// The slot for new run `r` of `h` (`groups`: `h`'s seed groups): that of a run it is
    /// drawn with (its seed group's, its sweep size's), else a free one of its range.
    fn slot_for(&self, r: &RunHistory, h: &History, groups: &[Group]) -> usize {
        let with = match r.sweep {
            Some(sweep) => {
                let b = r.experiment.config.batch_size;
                (h.runs().iter())
                    .filter(|o| o.sweep == Some(sweep) && o.experiment.config.batch_size == b)
                    .find_map(|o| self.looks.get(&o.run))
            }
            None => (groups.iter())
                .find(|g| g.runs.contains(&r.run))
                .and_then(|g| g.runs.iter().find_map(|m| self.looks.get(m))),
        };
        with.map(|l| l.slot).unwrap_or_else(|| {
            let range = match r.sweep {
                Some(_) => MAX_RUNS..MAX_VISIBLE,
                None => 0..MAX_RUNS,
            };
            let used: Vec<usize> = self.looks.values().map(|l| l.slot).collect();
            pick(range.clone(), &used).unwrap_or(range.start)
        })
    }

    /// How `run` looks ([`Look::default`] for a run not followed).
    pub fn of(&self, run: RunId) -> Look {
        self.looks.get(&run).copied().unwrap_or_default()
    }

    /// Shows or hides `run` (a run not followed stays as it is).
    pub fn set_visible(&mut self, run: RunId, visible: bool) {
        if let Some(look) = self.looks.get_mut(&run) {
            look.visible = visible;
        }
    }

    /// The runs of `h` to draw, oldest first.
    pub fn visible<'a>(&'a self, h: &'a History) -> impl Iterator<Item = &'a RunHistory> + 'a {
        h.runs().iter().filter(|r| self.of(r.run).visible)
    }
}

#[cfg(test)]
mod tests {
    use super::super::slots::{colour_index, marker_index};
    use super::*;
    use crate::experiment::Experiment;
    use crate::history::MAX_SWEEP_SIZES;
    use crate::history::fixtures::{experiment, info, sized, step};

    /// A history and its looks, followed after every change as the page's readers do.
    #[derive(Default)]
    struct Page {
        h: History,
        looks: Looks,
    }

    impl Page {
        fn begin(&mut self, run: RunId, e: Experiment) {
            self.h.begin(run, e, info(2, 0));
            self.looks.follow(&self.h);
        }

        fn begin_in_group(&mut self, run: RunId, e: Experiment, group: &[RunId]) {
            self.h.begin_in_group(run, e, info(2, 0), group);
            self.looks.follow(&self.h);
        }

        fn begin_sweep(&mut self, sweep: RunId, run: RunId, e: Experiment) {
            self.h.begin_sweep(sweep, run, e, info(2, 0));
            self.looks.follow(&self.h);
        }

        fn adopt_groups(&mut self, groups: &[Vec<RunHistory>]) {
            self.h.adopt_groups(groups);
            self.looks.follow(&self.h);
        }

        /// The slot of `run`, which must be kept.
        fn slot(&self, run: RunId) -> usize {
            assert!(self.h.get(run).is_some(), "run {run} is not kept");
            self.looks.of(run).slot
        }

        /// The slots of the runs kept, sorted, without repeats.
        fn distinct_slots(&self, runs: impl Iterator<Item = RunId>) -> Vec<usize> {
            let mut slots: Vec<usize> = runs.map(|r| self.slot(r)).collect();
            slots.sort_unstable();
            slots.dedup();
            slots
        }
    }

    /// [`experiment`] with seed `seed`.
    fn seeded(seed: u64) -> Experiment {
        let mut e = experiment(2);
        e.config.seed = seed;
        e
    }

    #[test]
    fn every_kept_run_has_its_own_slot_and_the_freed_slot_is_reused() {
        let mut p = Page::default();
        for run in 0..10 {
            p.begin(run, sized(run as usize + 1));
        }
        assert_eq!(
            p.distinct_slots(2..10),
            (0..MAX_RUNS).collect::<Vec<_>>(),
            "every slot used once"
        );
        let before: Vec<usize> = (2..10).map(|r| p.slot(r)).collect();
        p.h.get_mut(3).unwrap().pinned = true;
        let slot_of_2 = p.slot(2);
        p.begin(100, sized(100));
        assert!(p.h.get(2).is_none());
        assert_eq!(p.slot(100), slot_of_2, "the freed slot is reused");
        let after: Vec<usize> = (3..10).map(|r| p.slot(r)).collect();
        assert_eq!(after, before[1..], "a kept run never changes colour");
    }

    #[test]
    fn a_seed_group_has_one_slot_however_its_seeds_were_trained() {
        let mut p = Page::default();
        p.begin(1, seeded(42));
        p.begin(2, seeded(42)); // the same seed again: a group of its own
        p.begin(3, seeded(7)); // joins run 2's group (the newest without seed 7)
        p.begin_in_group(4, seeded(8), &[4, 5]);
        p.begin_in_group(5, seeded(9), &[4, 5]);
        let groups: Vec<Vec<RunId>> = p.h.groups().into_iter().map(|g| g.runs).collect();
        assert_eq!(groups, [vec![1], vec![2, 3, 4, 5]]);
        let mut other = experiment(2);
        other.config.batch_size = 1;
        p.begin(6, other);
        let slot = |run| p.slot(run);
        assert_ne!(slot(1), slot(2));
        assert_eq!([slot(3), slot(4), slot(5)], [slot(2); 3]);
        assert!(
            ![slot(1), slot(2)].contains(&slot(6)),
            "another setting, another colour"
        );
    }

    #[test]
    fn followed_once_after_many_runs_the_rules_still_hold() {
        let mut h = History::default();
        h.begin(1, seeded(42), info(2, 0));
        h.begin(2, seeded(43), info(2, 0));
        h.begin(3, sized(1), info(2, 0));
        h.begin_sweep(10, 10, sized(4), info(2, 0));
        h.begin_sweep(10, 11, sized(8), info(2, 0));
        let mut e = sized(4);
        e.config.seed = 7;
        h.begin_sweep(10, 12, e, info(2, 0));
        let mut looks = Looks::default();
        looks.follow(&h);
        let slot = |run| looks.of(run).slot;
        assert_eq!(slot(1), slot(2), "one seed group, one slot");
        assert_ne!(slot(1), slot(3));
        assert_eq!(slot(10), slot(12), "one size's seeds, one slot");
        assert_ne!(slot(10), slot(11));
        assert!([1, 3].iter().all(|&r| slot(r) < MAX_RUNS));
        assert!(
            [10, 11]
                .iter()
                .all(|&r| (MAX_RUNS..MAX_VISIBLE).contains(&slot(r)))
        );
    }

    #[test]
    fn a_sweep_has_one_slot_per_size_for_all_its_seeds() {
        let mut p = Page::default();
        p.begin(1, experiment(2));
        // Six sizes × three seeds, seeds of a size interleaved with other sizes' (as a pool
        // of workers finishes them).
        let mut run = 100;
        for seed in [42, 43, 44] {
            for b in [1, 2, 4, 8, 16, 32] {
                let mut e = sized(b);
                e.config.seed = seed;
                p.begin_sweep(100, run, e);
                run += 1;
            }
        }
        let of_size = |p: &Page, b: usize| -> Vec<RunId> {
            (p.h.runs().iter())
                .filter(|r| r.sweep == Some(100) && r.experiment.config.batch_size == b)
                .map(|r| r.run)
                .collect()
        };
        for b in [1, 2, 4, 8, 16, 32] {
            let runs = of_size(&p, b);
            assert_eq!(runs.len(), 3);
            assert_eq!(
                p.distinct_slots(runs.into_iter()).len(),
                1,
                "B = {b}: one slot"
            );
        }
        let all = p.distinct_slots(100..118);
        assert_eq!(all.len(), 6, "a slot per size");
        assert!(all.iter().all(|s| (MAX_RUNS..MAX_VISIBLE).contains(s)));
        // Sizes beyond MAX_SWEEP_SIZES push out the oldest size; its slot is the new one's.
        let slot_of_1 = p.slot(100);
        p.begin_sweep(100, 200, sized(64));
        p.begin_sweep(100, 201, sized(128));
        p.begin_sweep(100, 202, sized(256));
        assert!(of_size(&p, 1).is_empty());
        assert_eq!(p.slot(202), slot_of_1);
        let sizes = [2, 4, 8, 16, 32, 64, 128, 256];
        let runs = sizes.iter().flat_map(|&b| of_size(&p, b));
        assert_eq!(p.distinct_slots(runs).len(), MAX_SWEEP_SIZES);
    }

    #[test]
    fn every_run_on_the_charts_has_its_own_colour_and_marker_pair() {
        let mut p = Page::default();
        for run in 0..MAX_RUNS as u32 {
            p.begin(run, sized(run as usize + 1));
        }
        for run in 100..100 + MAX_SWEEP_SIZES as u32 {
            p.begin_sweep(100, run, sized(run as usize));
        }
        assert_eq!(p.looks.visible(&p.h).count(), MAX_VISIBLE);
        let mut pairs: Vec<(usize, usize)> = (p.looks.visible(&p.h))
            .map(|r| {
                let s = p.looks.of(r.run).slot;
                (colour_index(s), marker_index(s))
            })
            .collect();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), MAX_VISIBLE);
        // A new student run takes the slot of the student's run it pushed out.
        let slot_of_0 = p.slot(0);
        p.begin(50, sized(50));
        assert_eq!(p.slot(50), slot_of_0);
    }

    #[test]
    fn a_hidden_run_stays_kept_and_off_the_charts() {
        let mut p = Page::default();
        p.begin(1, sized(1));
        p.begin(2, sized(2));
        p.h.get_mut(2).unwrap().record(&step(1, 1.0, 2, false));
        p.looks.set_visible(1, false);
        let shown = |p: &Page| p.looks.visible(&p.h).map(|r| r.run).collect::<Vec<_>>();
        assert_eq!(shown(&p), [2]);
        p.begin(3, sized(3));
        assert_eq!(
            shown(&p),
            [2, 3],
            "a new run is shown, the hidden one stays hidden"
        );
        p.looks.set_visible(1, true);
        assert_eq!(shown(&p), [1, 2, 3]);
    }

    #[test]
    fn every_group_of_an_adopted_card_has_its_own_slot() {
        let upe = 4;
        let mut p = Page::default();
        p.begin(1, experiment(upe));
        let arm = |a: usize| -> Vec<RunHistory> {
            (0..3u64)
                .map(|k| {
                    let mut e = experiment(upe);
                    e.config.batch_size = 1 << a;
                    e.config.seed = k + 1;
                    RunHistory::new(100 + (a * 3) as RunId + k as RunId, e, info(upe, 10))
                })
                .collect()
        };
        let card: Vec<Vec<RunHistory>> = (0..4).map(arm).collect();
        p.adopt_groups(&card);
        let slots: Vec<usize> = (p.h.groups().iter())
            .map(|g| {
                let s = p.slot(g.runs[0]);
                assert!(g.runs.iter().all(|&r| p.slot(r) == s), "{g:?}");
                s
            })
            .collect();
        let mut distinct = slots.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), slots.len(), "{slots:?}");
        assert!(slots.iter().all(|&s| s < MAX_RUNS));
        // Opened again: the same runs, the same colours.
        p.adopt_groups(&card);
        let again: Vec<usize> = (p.h.groups().iter()).map(|g| p.slot(g.runs[0])).collect();
        assert_eq!(again, slots);
    }
}
