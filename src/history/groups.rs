//! Seed groups: the student's kept runs that differ only in their seed, taken together so
//! the page can say how much of a difference is the setting and how much the draw of
//! initial weights and batch order (issue 22).
//!
//! The rule ([`groups`]): going through the student's runs oldest first, a run joins the
//! newest group whose runs have the same experiment but for the seed, unless that group
//! already has its seed — then it starts a new group. So `seeds=3` (seeds 42, 43, 44
//! trained together) is one group, the same three seeds trained one at a time are one group
//! too, and the same settings trained again with the same seed start a second group instead
//! of counting one seed twice (which would fake a spread of zero). A sweep's runs are never
//! grouped here: the sweep has its own rows.
//!
//! A group's numbers come from its finished seeds only ([`finals`]): a seed still training
//! has no final value, and a diverged one has no meaningful accuracy.

use super::RunHistory;
use crate::comparison::{GroupFinals, SeedFinal};
use crate::stats::describe::{mean, sd};
use crate::trainer::session::Status;
use crate::worker::protocol::RunId;

/// Runs that differ only in seed: the group's id is its first run's.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: RunId,
    /// Its runs' ids, oldest first.
    pub runs: Vec<RunId>,
}

/// The experiment with the seed left out: what groups compare.
fn key(r: &RunHistory) -> crate::experiment::Experiment {
    let mut e = r.experiment.clone();
    e.config.seed = 0;
    e
}

/// The student's runs of `runs` in groups (see the module's rule), oldest group first.
pub fn groups<'a>(runs: impl IntoIterator<Item = &'a RunHistory>) -> Vec<Group> {
    let mut groups: Vec<(crate::experiment::Experiment, Vec<u64>, Group)> = Vec::new();
    for r in runs.into_iter().filter(|r| r.sweep.is_none()) {
        let k = key(r);
        let seed = r.experiment.config.seed;
        match groups.iter_mut().rev().find(|(gk, _, _)| *gk == k) {
            Some((_, seeds, g)) if !seeds.contains(&seed) => {
                seeds.push(seed);
                g.runs.push(r.run);
            }
            _ => groups.push((
                k,
                vec![seed],
                Group {
                    id: r.run,
                    runs: vec![r.run],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, _, g)| g).collect()
}

/// Each grouped run's group: its index in `groups`. One pass over the groups' runs, so a
/// list of runs finds each run's group without searching every group for it.
pub fn by_run(groups: &[Group]) -> std::collections::HashMap<RunId, usize> {
    (groups.iter().enumerate())
        .flat_map(|(i, g)| g.runs.iter().map(move |&run| (run, i)))
        .collect()
}

/// `members` as (seeds, ids) in seed order: seeds trained in parallel enter the history in
/// the order their workers were ready.
pub fn in_seed_order(members: &[&RunHistory]) -> (Vec<u64>, Vec<RunId>) {
    let mut pairs: Vec<(u64, RunId)> = (members.iter())
        .map(|r| (r.experiment.config.seed, r.run))
        .collect();
    pairs.sort_unstable();
    pairs.into_iter().unzip()
}

/// One finished seed's end, in percentage points (accuracy) and loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedEnd {
    pub seed: u64,
    /// Final validation accuracy, points.
    pub val_accuracy: f64,
    pub val_loss: f64,
    /// Final epoch's training accuracy (the epoch's mean, as Keras reports it) minus the
    /// final validation accuracy, points: the generalisation gap in one number.
    pub gap: f64,
}

/// `r`'s end, if it finished (not diverged, not still training) with a validation point
/// and an epoch summary.
pub fn end_of(r: &RunHistory) -> Option<SeedEnd> {
    if r.status != Some(Status::Finished) {
        return None;
    }
    let val = r.validation.last()?.metrics;
    let train = r.epochs.last()?.metrics;
    Some(SeedEnd {
        seed: r.experiment.config.seed,
        val_accuracy: 100.0 * val.accuracy,
        val_loss: val.loss,
        gap: 100.0 * (train.accuracy - val.accuracy),
    })
}

/// Mean and sample standard deviation (`None` with fewer than two seeds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub sd: Option<f64>,
}

impl Spread {
    fn of(xs: &[f64]) -> Option<Spread> {
        Some(Spread {
            mean: mean(xs)?,
            sd: sd(xs),
        })
    }
}

/// A group's finished seeds summarised (`None` fields before any seed finished).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupStats {
    /// Finished seeds, in seed order.
    pub ends: Vec<SeedEnd>,
    pub val_accuracy: Option<Spread>,
    pub val_loss: Option<Spread>,
    pub gap: Option<Spread>,
    /// The sharpness of the minimum each finished seed ended in, where a claims card
    /// measured it ([`RunHistory::sharpness`]): over those seeds only.
    pub sharpness: Option<Spread>,
}

/// The id of the group of each of `runs` (a sweep's run is its own group), in order: the
/// `group` column of the exports.
pub fn group_ids<'a>(runs: impl IntoIterator<Item = &'a RunHistory> + Clone) -> Vec<RunId> {
    let groups = groups(runs.clone());
    runs.into_iter()
        .map(|r| {
            (groups.iter())
                .find(|g| g.runs.contains(&r.run))
                .map_or(r.run, |g| g.id)
        })
        .collect()
}

/// The finished seeds of `group` among `runs`, summarised.
pub fn stats(runs: &[RunHistory], group: &Group) -> GroupStats {
    let mut ends: Vec<SeedEnd> = (group.runs.iter())
        .filter_map(|id| runs.iter().find(|r| r.run == *id))
        .filter_map(end_of)
        .collect();
    ends.sort_by_key(|e| e.seed);
    let col = |f: fn(&SeedEnd) -> f64| ends.iter().map(f).collect::<Vec<f64>>();
    let sharpness: Vec<f64> = (group.runs.iter())
        .filter_map(|id| runs.iter().find(|r| r.run == *id))
        .filter(|r| end_of(r).is_some())
        .filter_map(|r| r.sharpness)
        .collect();
    GroupStats {
        sharpness: Spread::of(&sharpness),
        val_accuracy: Spread::of(&col(|e| e.val_accuracy)),
        val_loss: Spread::of(&col(|e| e.val_loss)),
        gap: Spread::of(&col(|e| e.gap)),
        ends,
    }
}

/// Every group with its finished seeds, as the comparison panel takes them (oldest first),
/// named by `labels` (one per group, in the same order).
pub fn finals(runs: &[RunHistory], labels: &[String]) -> Vec<GroupFinals> {
    groups(runs)
        .iter()
        .zip(labels)
        .map(|(g, label)| GroupFinals {
            group: g.id,
            label: label.clone(),
            seeds: (stats(runs, g).ends.iter())
                .map(|e| SeedFinal {
                    seed: e.seed,
                    val_accuracy: e.val_accuracy,
                    val_loss: e.val_loss,
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fixtures::{experiment, info};
    use crate::history::{Point, Position};
    use crate::trainer::session::Metrics;

    /// A finished run of `seed` and batch size `b`: final training accuracy `train`,
    /// validation accuracy `val` (fractions), validation loss `loss`.
    fn run(id: RunId, b: usize, seed: u64, train: f64, val: f64, loss: f64) -> RunHistory {
        let mut e = experiment(4);
        e.config.batch_size = b;
        e.config.seed = seed;
        let mut r = RunHistory::new(id, e, info(4, 10));
        let at = Position::default();
        let m = |loss, accuracy| Metrics { loss, accuracy };
        r.epochs.push(Point {
            at,
            metrics: m(0.1, 0.1),
        });
        r.epochs.push(Point {
            at,
            metrics: m(0.5, train),
        });
        r.validation.push(Point {
            at,
            metrics: m(loss, val),
        });
        r.status = Some(Status::Finished);
        r
    }

    #[test]
    fn runs_that_differ_only_in_seed_form_one_group() {
        let runs = vec![
            run(1, 8, 42, 0.9, 0.8, 0.5),
            run(2, 8, 43, 0.9, 0.8, 0.5),
            run(3, 512, 42, 0.9, 0.8, 0.5),
            run(4, 8, 44, 0.9, 0.8, 0.5),
            // The same settings and seed again: a new group, not a second seed 42.
            run(5, 8, 42, 0.9, 0.8, 0.5),
            run(6, 8, 43, 0.9, 0.8, 0.5),
        ];
        let gs = groups(&runs);
        let ids: Vec<(RunId, &[RunId])> = gs.iter().map(|g| (g.id, &g.runs[..])).collect();
        assert_eq!(ids, vec![(1, &[1, 2, 4][..]), (3, &[3]), (5, &[5, 6])]);
        // Each run finds its group in one look-up; a group's runs sort by seed.
        let index = by_run(&gs);
        let group_of: Vec<usize> = (1..=6).map(|id| index[&id]).collect();
        assert_eq!(group_of, [0, 0, 1, 0, 2, 2]);
        assert_eq!(
            in_seed_order(&[&runs[5], &runs[4]]),
            (vec![42, 43], vec![5, 6])
        );
    }

    #[test]
    fn groups_are_named_without_their_seeds() {
        let runs = vec![
            run(1, 8, 42, 0.9, 0.8, 0.5),
            run(2, 8, 43, 0.9, 0.8, 0.5),
            run(3, 32, 42, 0.9, 0.8, 0.5),
        ];
        let names = crate::history::labels::group_labels(&runs, crate::i18n::Lang::En);
        assert_eq!(names, ["B = 8", "B = 32"]);
        let h = crate::history::History { runs };
        let f = h.group_finals();
        assert_eq!(f.iter().map(|g| g.seeds.len()).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(f[0].label, "B = 8");
    }

    #[test]
    fn a_sweep_run_is_in_no_group() {
        let mut sweep = run(2, 8, 43, 0.9, 0.8, 0.5);
        sweep.sweep = Some(2);
        let runs = vec![run(1, 8, 42, 0.9, 0.8, 0.5), sweep];
        assert_eq!(groups(&runs).len(), 1);
        assert_eq!(groups(&runs)[0].runs, vec![1]);
    }

    #[test]
    fn group_stats_match_hand_computed_numbers() {
        // Validation accuracy 80, 84, 86 points: mean 83.333…, sd = sqrt(((−3.333)² +
        // 0.667² + 2.667²)/2) = sqrt(9.3333) = 3.05505. Gap: 95−80, 93−84, 90−86 = 15, 9, 4
        // points: mean 9.3333. Loss 0.50, 0.40, 0.30: mean 0.4, sd 0.1.
        let mut runs = vec![
            run(1, 8, 44, 0.90, 0.86, 0.30),
            run(2, 8, 42, 0.95, 0.80, 0.50),
            run(3, 8, 43, 0.93, 0.84, 0.40),
        ];
        // A seed still training counts for nothing yet.
        let mut training = run(4, 8, 45, 0.99, 0.99, 0.01);
        training.status = None;
        runs.push(training);
        let g = &groups(&runs)[0];
        assert_eq!(g.runs.len(), 4);
        let s = stats(&runs, g);
        assert_eq!(
            s.ends.iter().map(|e| e.seed).collect::<Vec<_>>(),
            [42, 43, 44]
        );
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        let acc = s.val_accuracy.expect("three seeds");
        close(acc.mean, 250.0 / 3.0);
        close(acc.sd.expect("three seeds"), (28.0f64 / 3.0).sqrt());
        close(s.gap.expect("gap").mean, 28.0 / 3.0);
        let loss = s.val_loss.expect("loss");
        close(loss.mean, 0.4);
        close(loss.sd.expect("sd"), 0.1);
    }

    #[test]
    fn a_groups_sharpness_is_over_its_finished_measured_seeds() {
        let mut runs = vec![
            run(1, 8, 42, 0.9, 0.8, 0.5),
            run(2, 8, 43, 0.9, 0.8, 0.5),
            run(3, 8, 44, 0.9, 0.8, 0.5),
            run(4, 8, 45, 0.9, 0.8, 0.5),
        ];
        let g = groups(&runs)[0].clone();
        assert_eq!(stats(&runs, &g).sharpness, None, "none measured yet");
        runs[0].sharpness = Some(1.0);
        runs[1].sharpness = Some(3.0);
        runs[2].sharpness = Some(100.0);
        runs[2].status = Some(Status::Diverged); // no minimum: not counted
        let s = stats(&runs, &g).sharpness.expect("two seeds measured");
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.sd, Some(2.0f64.sqrt()));
    }

    #[test]
    fn one_seed_has_a_mean_and_no_sd_and_finals_list_finished_seeds() {
        let mut diverged = run(2, 8, 43, 0.9, 0.1, f64::NAN);
        diverged.status = Some(Status::Diverged);
        let runs = vec![run(1, 8, 42, 0.9, 0.8, 0.5), diverged];
        let s = stats(&runs, &groups(&runs)[0]);
        assert_eq!(s.val_accuracy.map(|a| a.sd), Some(None));
        let f = finals(&runs, &["B = 8".to_string()]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].group, 1);
        assert_eq!(f[0].label, "B = 8");
        assert_eq!(f[0].seeds.len(), 1);
        assert!((f[0].seeds[0].val_accuracy - 80.0).abs() < 1e-9);
    }
}
