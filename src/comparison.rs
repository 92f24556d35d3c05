//! Two groups of seeded runs side by side: what a comparison needs to know of each group.
//!
//! This module is the meeting point of the run history (which forms the groups, see
//! [`crate::history`]) and the comparison panel (which tests them with
//! [`crate::stats::compare`]): the history hands over [`GroupFinals`], nothing else, so the
//! panel and its tests never depend on how runs are stored.

use crate::i18n::{Strings, fill};
use crate::stats::compare::{Comparison, Test};
use crate::worker::protocol::RunId;

/// One seed's run of a group, as it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedFinal {
    pub seed: u64,
    /// Final validation accuracy, in percentage points (95.3, not 0.953).
    pub val_accuracy: f64,
    /// Final validation loss.
    pub val_loss: f64,
}

/// A group of runs that differ only in their seed, as a comparison sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupFinals {
    /// The group's id (its first run's id): stable for the group's life.
    pub group: RunId,
    /// The group's name in the run list.
    pub label: String,
    /// The seeds that finished, in seed order (seeds still training are not here).
    pub seeds: Vec<SeedFinal>,
}

/// The verdict on a comparison's accuracy difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The 95 % interval of A − B excludes 0: more than seed-to-seed noise.
    Real,
    /// The interval holds 0: within seed-to-seed noise.
    Noise,
    /// A group has a single seed (or, paired, a single pair): no spread to judge against.
    OneSeed,
}

impl Verdict {
    /// The test hook's value (`data-verdict`).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Real => "real",
            Verdict::Noise => "noise",
            Verdict::OneSeed => "one-seed",
        }
    }

    /// The rule: **real when the 95 % interval excludes 0**. For a t-test that is the same
    /// decision as p < 0.05 (both compare |t| with the same t quantile), so the page never
    /// shows an interval and a p that disagree; the interval is the one read here because a
    /// zero standard error (every seed moved by the same amount) has a point interval and no
    /// finite t. No inference (one seed) is [`Verdict::OneSeed`].
    pub fn of(c: &Comparison) -> Verdict {
        match c.inference {
            None => Verdict::OneSeed,
            Some(i) if i.low > 0.0 || i.high < 0.0 => Verdict::Real,
            Some(_) => Verdict::Noise,
        }
    }
}

/// The test hook's value of a test (`data-test`).
pub fn test_key(test: Test) -> &'static str {
    match test {
        Test::Paired => "paired",
        Test::Welch => "welch",
    }
}

/// Groups A and B compared: final validation accuracy (points) and loss, A − B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupComparison {
    pub test: Test,
    /// Accuracy, A − B in percentage points; its verdict is the comparison's.
    pub accuracy: Comparison,
    /// Loss, A − B, by the same test; `None` when a final loss is not finite (a run that
    /// diverged), which leaves the accuracy comparison standing.
    pub loss: Option<Comparison>,
    pub verdict: Verdict,
    /// Seeds in A and in B.
    pub seeds: (usize, usize),
}

/// The groups a comparison can take: those with at least one finished seed, in the same
/// order. The history hands over every group, also one configured or training whose seeds
/// have not finished yet; counting it would make it the default A and leave nothing to
/// compare while a new setting trains.
pub fn comparable(groups: Vec<GroupFinals>) -> Vec<GroupFinals> {
    groups.into_iter().filter(|g| !g.seeds.is_empty()).collect()
}

/// The pair a comparison starts with: **A is the newest group, B the one before it**
/// (`groups` oldest first), so the difference reads "what my last change did" (positive:
/// the new setting ends higher). `None` with fewer than two groups.
pub fn default_pair(groups: &[GroupFinals]) -> Option<(RunId, RunId)> {
    match groups {
        [.., b, a] => Some((a.group, b.group)),
        _ => None,
    }
}

/// Paired when both groups finished exactly the same seeds (same initial weights and batch
/// order for each seed, so seed k of A and of B differ only in the setting compared); else
/// Welch. A group whose seeds are still arriving is compared by Welch until the other's
/// seeds match, rather than paired on a subset that drops finished runs.
pub fn choose_test(a: &GroupFinals, b: &GroupFinals) -> Test {
    let seeds = |g: &GroupFinals| {
        let mut s: Vec<u64> = g.seeds.iter().map(|s| s.seed).collect();
        s.sort_unstable();
        s
    };
    let (sa, sb) = (seeds(a), seeds(b));
    let distinct = sa.windows(2).all(|w| w[0] != w[1]);
    if !sa.is_empty() && sa == sb && distinct {
        Test::Paired
    } else {
        Test::Welch
    }
}

/// A − B by [`choose_test`]: paired values are matched by seed value, not by position.
/// `None` when a group has no finished seed or an accuracy is not finite.
pub fn compare(a: &GroupFinals, b: &GroupFinals) -> Option<GroupComparison> {
    use crate::stats::compare::{paired, welch};
    let test = choose_test(a, b);
    let by = |value: fn(&SeedFinal) -> f64| match test {
        Test::Paired => {
            let pairs: Vec<(f64, f64)> = (a.seeds.iter())
                .filter_map(|sa| {
                    let sb = b.seeds.iter().find(|sb| sb.seed == sa.seed)?;
                    Some((value(sa), value(sb)))
                })
                .collect();
            paired(&pairs)
        }
        Test::Welch => {
            let values = |g: &GroupFinals| g.seeds.iter().map(value).collect::<Vec<_>>();
            welch(&values(a), &values(b))
        }
    };
    let accuracy = by(|s| s.val_accuracy)?;
    Some(GroupComparison {
        test,
        accuracy,
        loss: by(|s| s.val_loss),
        verdict: Verdict::of(&accuracy),
        seeds: (a.seeds.len(), b.seeds.len()),
    })
}

/// The comparison in one plain sentence, then the test used: e.g. "B = 8 ends above
/// B = 2,000 by 1.2 points (95 % CI 0.6 to 1.8, 5 seeds each): more than seed-to-seed
/// noise. Test: paired on seeds." Points are written with one decimal; a difference that
/// rounds to 0.0 is said as level.
pub fn sentence(s: &Strings, a: &str, b: &str, c: &GroupComparison) -> String {
    let d = c.accuracy.difference;
    let points = format!("{:.1}", d.abs());
    let head = if points == "0.0" {
        fill(s.cmp_level, &[a, b])
    } else if d > 0.0 {
        fill(s.cmp_higher, &[a, b, &points])
    } else {
        fill(s.cmp_lower, &[a, b, &points])
    };
    let seeds = match c.seeds {
        (na, nb) if na == nb => fill(s.cmp_seeds_each, &[&na.to_string()]),
        (na, nb) => fill(s.cmp_seeds_both, &[&na.to_string(), &nb.to_string()]),
    };
    let body = match (c.verdict, c.accuracy.inference) {
        (Verdict::OneSeed, _) | (_, None) => fill(s.cmp_one_seed, &[&head]),
        (verdict, Some(i)) => {
            let interval = fill(
                s.cmp_interval,
                &[&signed(i.low, 1), &signed(i.high, 1), &seeds],
            );
            let tail = if verdict == Verdict::Real {
                s.cmp_real
            } else {
                s.cmp_noise
            };
            fill(tail, &[&head, &interval])
        }
    };
    let test = match c.test {
        Test::Paired => s.cmp_test_paired,
        Test::Welch => s.cmp_test_welch,
    };
    format!("{body} {test}")
}

/// `x` with `decimals` places and a real minus sign when negative ("−0.4", "1.2").
pub fn signed(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let zero = text.chars().all(|c| c == '0' || c == '.');
    if x < 0.0 && !zero {
        format!("−{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, KO};

    fn group(group: RunId, label: &str, seeds: &[u64], acc: &[f64], loss: &[f64]) -> GroupFinals {
        GroupFinals {
            group,
            label: label.into(),
            seeds: (seeds.iter().zip(acc).zip(loss))
                .map(|((&seed, &val_accuracy), &val_loss)| SeedFinal {
                    seed,
                    val_accuracy,
                    val_loss,
                })
                .collect(),
        }
    }

    fn close(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{what}: {got} vs {want}"
        );
    }

    /// `[difference, ci low, ci high, p]` of `c`.
    fn check(c: &Comparison, want: [f64; 4], what: &str) {
        let i = c.inference.expect("enough seeds");
        for (got, want) in [c.difference, i.low, i.high, i.p].into_iter().zip(want) {
            close(got, want, what);
        }
    }

    const A: [f64; 5] = [95.3, 94.8, 95.9, 95.1, 94.6];
    const SEEDS: [u64; 5] = [42, 43, 44, 45, 46];

    /// Reference numbers: SciPy 1.17.1, `r = scipy.stats.ttest_rel(a, b)`,
    /// `(a - b).mean()`, `r.confidence_interval(0.95)`, `r.pvalue`. The two B groups sit on
    /// either side of the threshold (p 0.034 and 0.075).
    #[test]
    fn paired_on_seeds_either_side_of_the_threshold() {
        let loss_a = [0.161, 0.170, 0.152, 0.166, 0.175];
        let loss_b = [0.190, 0.186, 0.181, 0.172, 0.201];
        let a = group(3, "B = 8", &SEEDS, &A, &loss_a);
        // Listed in another order: pairs are matched by seed value, not position.
        let mut b = group(
            1,
            "B = 512",
            &SEEDS,
            &[94.6, 94.5, 94.8, 95.0, 93.4],
            &loss_b,
        );
        b.seeds.reverse();
        assert_eq!(choose_test(&a, &b), Test::Paired);
        let c = compare(&a, &b).unwrap();
        assert_eq!(
            (c.test, c.verdict, c.seeds),
            (Test::Paired, Verdict::Real, (5, 5))
        );
        check(
            &c.accuracy,
            [
                0.6799999999999983,
                0.08193542122191644,
                1.2780645787780802,
                0.03428855687786908,
            ],
            "accuracy, real",
        );
        check(
            &c.loss.unwrap(),
            [
                -0.021199999999999997,
                -0.03366002243507775,
                -0.008739977564922247,
                0.009144789588307244,
            ],
            "loss",
        );
        let b = group(
            1,
            "B = 512",
            &SEEDS,
            &[94.6, 94.5, 94.8, 95.3, 93.4],
            &loss_b,
        );
        let c = compare(&a, &b).unwrap();
        assert_eq!((c.test, c.verdict), (Test::Paired, Verdict::Noise));
        check(
            &c.accuracy,
            [
                0.6199999999999989,
                -0.10080707283899326,
                1.3408070728389911,
                0.07531892559569257,
            ],
            "accuracy, noise",
        );
    }

    /// Reference numbers: SciPy 1.17.1, `r = scipy.stats.ttest_ind(a, b, equal_var=False)`,
    /// `a.mean() - b.mean()`, `r.confidence_interval(0.95)`, `r.pvalue` (p 0.040 and 0.145).
    #[test]
    fn welch_when_the_seeds_differ_either_side_of_the_threshold() {
        let b = group(
            1,
            "B = 512",
            &[1, 2, 3, 4],
            &[94.1, 94.6, 93.8, 94.9],
            &[0.18, 0.19, 0.175, 0.2],
        );
        let a = group(
            2,
            "B = 8",
            &[1, 2, 5],
            &[94.9, 95.6, 95.2],
            &[0.16, 0.15, 0.17],
        );
        assert_eq!(choose_test(&a, &b), Test::Welch);
        let c = compare(&a, &b).unwrap();
        assert_eq!(
            (c.test, c.verdict, c.seeds),
            (Test::Welch, Verdict::Real, (3, 4))
        );
        check(
            &c.accuracy,
            [
                0.88333333333334,
                0.06256794274612654,
                1.7040987239205534,
                0.0395271672275074,
            ],
            "accuracy, real",
        );
        check(
            &c.loss.unwrap(),
            [
                -0.026249999999999968,
                -0.047203677190294585,
                -0.005296322809705347,
                0.023939688731047824,
            ],
            "loss",
        );
        let a = group(
            2,
            "B = 8",
            &[1, 2, 5],
            &[94.9, 95.6, 94.6],
            &[0.16, 0.15, 0.17],
        );
        let c = compare(&a, &b).unwrap();
        assert_eq!(c.verdict, Verdict::Noise);
        check(
            &c.accuracy,
            [
                0.6833333333333513,
                -0.3545186806792644,
                1.721185347345967,
                0.1453081836253178,
            ],
            "accuracy, noise",
        );
    }

    #[test]
    fn one_seed_cannot_tell() {
        let a = group(2, "B = 8", &[42], &[93.5], &[0.2]);
        let b = group(1, "B = 512", &[42], &[91.25], &[0.3]);
        let c = compare(&a, &b).unwrap();
        assert_eq!((c.test, c.verdict), (Test::Paired, Verdict::OneSeed));
        close(c.accuracy.difference, 2.25, "the point difference stands");
        // Five seeds against one (different seeds): Welch, still one seed on one side.
        let many = group(3, "B = 32", &SEEDS, &A, &[0.2; 5]);
        let c = compare(&many, &b).unwrap();
        assert_eq!(
            (c.test, c.verdict, c.seeds),
            (Test::Welch, Verdict::OneSeed, (5, 1))
        );
        // Repeated seeds cannot be paired by seed.
        let twice = group(4, "x", &[42, 42], &[1.0, 2.0], &[0.1, 0.1]);
        assert_eq!(choose_test(&twice, &twice.clone()), Test::Welch);
        // No finished seed: nothing to compare; a diverged loss leaves accuracy standing.
        assert_eq!(compare(&group(5, "e", &[], &[], &[]), &b), None);
        let diverged = group(6, "lr = 1", &[42], &[10.0], &[f64::NAN]);
        let c = compare(&diverged, &b).unwrap();
        assert_eq!((c.loss, c.verdict), (None, Verdict::OneSeed));
    }

    #[test]
    fn the_newest_group_is_a() {
        let g = |id| group(id, "g", &[1], &[1.0], &[1.0]);
        assert_eq!(default_pair(&[]), None);
        assert_eq!(default_pair(&[g(1)]), None);
        assert_eq!(default_pair(&[g(1), g(4), g(7)]), Some((7, 4)));
        // A group still training (no finished seed) is not one to compare yet.
        let training = group(9, "B = 64", &[], &[], &[]);
        let groups = comparable(vec![g(1), g(4), training]);
        assert_eq!(default_pair(&groups), Some((4, 1)));
    }

    #[test]
    fn sentences_in_both_languages() {
        let a = group(2, "B = 8", &SEEDS, &A, &[0.2; 5]);
        let b = group(
            1,
            "B = 2,000",
            &SEEDS,
            &[94.6, 94.5, 94.8, 95.0, 93.4],
            &[0.3; 5],
        );
        let c = compare(&a, &b).unwrap();
        assert_eq!(
            sentence(&EN, "B = 8", "B = 2,000", &c),
            "B = 8 ends above B = 2,000 by 0.7 points (95 % CI 0.1 to 1.3, 5 seeds each): \
             more than seed-to-seed noise. Test: paired on seeds (paired t-test)."
        );
        assert_eq!(
            sentence(&KO, "B = 8", "B = 2,000", &c),
            "B = 8이 B = 2,000보다 0.7%p 높게 끝납니다 (95% 신뢰구간 0.1 ~ 1.3, 시드 각 5개): \
             시드에 따른 흔들림보다 큽니다. 검정: 시드별 대응 t검정 (같은 시드끼리 짝지음)."
        );
        let c = compare(&b, &a).unwrap();
        assert!(
            sentence(&EN, "B = 2,000", "B = 8", &c)
                .starts_with("B = 2,000 ends below B = 8 by 0.7 points (95 % CI −1.3 to −0.1,"),
            "{}",
            sentence(&EN, "B = 2,000", "B = 8", &c)
        );
        let one = group(3, "B = 32", &[7], &[93.04], &[0.2]);
        let other = group(4, "B = 512", &[8], &[93.0], &[0.2]);
        let c = compare(&one, &other).unwrap();
        assert_eq!(
            sentence(&EN, "B = 32", "B = 512", &c),
            "B = 32 ends level with B = 512, but one seed cannot tell whether that is the \
             setting or the seed: train each setting with several seeds. Test: Welch's t-test \
             (the seeds differ, so no pairs)."
        );
        assert!(sentence(&KO, "B = 32", "B = 512", &c).starts_with("B = 32와 B = 512의"));
        let few = group(5, "B = 64", &[1, 2, 3], &[93.0, 94.0, 95.0], &[0.2; 3]);
        let c = compare(&few, &b).unwrap();
        assert!(
            sentence(&EN, "B = 64", "B = 2,000", &c)
                .contains("3 and 5 seeds): within seed-to-seed noise."),
            "{}",
            sentence(&EN, "B = 64", "B = 2,000", &c)
        );
    }

    #[test]
    fn signed_numbers() {
        assert_eq!(signed(-0.44, 1), "−0.4");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(1.25, 2), "1.25");
    }
}
