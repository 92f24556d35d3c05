//! Names for kept runs by what differs between them: with runs at B = 8 and B = 256 the
//! list says "B = 8" and "B = 256", not every setting of each. A setting that every kept run
//! shares says nothing about the curves, so it is left out; when nothing differs (the same
//! settings trained twice), the runs are numbered.
//!
//! A sweep's runs are named among themselves (they differ by B) and say they are the
//! sweep's ("sweep B = 8"), so the student's own "B = 8" beside them is another name; and
//! whatever the settings, no two runs share a name (a name two runs would share gets each
//! run's number in the list).

use super::RunHistory;
use crate::experiment::{DataSource, Experiment};
use crate::i18n::{Lang, fill};
use crate::settings;
use crate::trainer::schedule::{Decay, ScalingRule, Schedule};

/// A setting that can tell runs apart, in the order labels list them (batch size first:
/// it is what the app is about).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Batch,
    LearningRate,
    Schedule,
    Epochs,
    TrainSize,
    Data,
    Noise,
    Split,
    Optimizer,
    Layers,
    Activation,
    Seed,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Batch,
        Field::LearningRate,
        Field::Schedule,
        Field::Epochs,
        Field::TrainSize,
        Field::Data,
        Field::Noise,
        Field::Split,
        Field::Optimizer,
        Field::Layers,
        Field::Activation,
        Field::Seed,
    ];

    /// The setting's value in `e`, as shown (also what runs are compared by, so two values
    /// that print alike count as the same).
    pub fn describe(self, e: &Experiment, lang: Lang) -> String {
        let s = lang.strings();
        let c = &e.config;
        match self {
            Field::Batch => format!("B = {}", lang.int(e.batch_in_effect())),
            Field::LearningRate => format!("lr {:?}", c.learning_rate),
            Field::Schedule => describe_schedule(&c.schedule, lang),
            Field::Epochs => fill(s.run_label_epochs, &[&lang.int(c.epochs)]),
            Field::TrainSize => format!("N = {}", lang.int(e.train_size)),
            Field::Data => e.source.key().to_owned(),
            Field::Noise => match e.source {
                DataSource::Toy { noise, .. } => fill(s.run_label_noise, &[&format!("{noise:?}")]),
                _ => String::new(),
            },
            Field::Split => format!("split {:?}", e.validation_split),
            Field::Optimizer => c.optimizer.key().to_owned(),
            Field::Layers if c.hidden.is_empty() => s.run_label_no_hidden.to_owned(),
            Field::Layers => settings::format_hidden(&c.hidden),
            Field::Activation => c.activation.key().to_owned(),
            Field::Seed => fill(s.run_label_seed, &[&c.seed.to_string()]),
        }
    }
}

/// A schedule in a few words: "lr × B/32 · warm-up 3 ep · cosine", or "lr as is".
fn describe_schedule(schedule: &Schedule, lang: Lang) -> String {
    let s = lang.strings();
    let b0 = schedule.base_batch;
    let mut parts = Vec::new();
    match schedule.rule {
        ScalingRule::None => {}
        ScalingRule::Linear => parts.push(format!("lr × B/{b0}")),
        ScalingRule::Sqrt => parts.push(format!("lr × √(B/{b0})")),
    }
    if schedule.warmup_epochs > 0 {
        parts.push(fill(
            s.run_label_warmup,
            &[&lang.int(schedule.warmup_epochs)],
        ));
    }
    if schedule.decay == Decay::Cosine {
        parts.push(s.run_label_cosine.to_owned());
    }
    if parts.is_empty() {
        s.run_label_fixed_lr.to_owned()
    } else {
        parts.join(s.separator)
    }
}

/// The runs compared: those with at least one update (all of them when none has one).
fn compared(runs: &[RunHistory]) -> impl Iterator<Item = &RunHistory> {
    let any_trained = runs.iter().any(|r| r.updates() > 0);
    runs.iter().filter(move |r| !any_trained || r.updates() > 0)
}

/// The settings on which `experiments` do not all agree, in [`Field::ALL`] order.
pub fn differing(experiments: &[&Experiment]) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| {
            let mut values = experiments.iter().map(|e| f.describe(e, Lang::En));
            let first = values.next();
            values.any(|v| Some(v) != first)
        })
        .collect()
}

/// One label per run of `runs`, in order: what differs from the other runs of its kind (the
/// student's, or the sweep's; at most three settings, joined by " · "), or — when nothing
/// differs, or for a lone run — its batch size; a sweep's runs say so ("sweep B = 8"). A
/// label that several runs would share gets each one's number in the list ("B = 32 · #2"),
/// so no two runs are named alike.
///
/// Only runs that recorded an update count in the comparison: a run configured but not yet
/// trained is on no chart, and must not make the others' names longer.
pub fn labels(runs: &[RunHistory], lang: Lang) -> Vec<String> {
    labels_of(&runs.iter().collect::<Vec<_>>(), lang, false)
}

/// One label per seed group of `runs` ([`super::groups::groups`], in that order): the
/// groups named among themselves as [`labels`] names runs, by their first runs, so the
/// seed — which differs inside a group by definition — names no group unless it is what
/// tells two groups apart.
pub fn group_labels(runs: &[RunHistory], lang: Lang) -> Vec<String> {
    let firsts: Vec<&RunHistory> = (super::groups::groups(runs).iter())
        .filter_map(|g| runs.iter().find(|r| r.run == g.id))
        .collect();
    labels_of(&firsts, lang, true)
}

/// [`labels`] of runs given by reference.
/// `groups`: the runs are seed groups' first runs, whichever seed of each was ready first,
/// so the seed names them only when nothing else tells them apart.
fn labels_of(runs: &[&RunHistory], lang: Lang, groups: bool) -> Vec<String> {
    let s = lang.strings();
    let student: Vec<&RunHistory> = runs.iter().copied().filter(|r| r.sweep.is_none()).collect();
    let sweep: Vec<&RunHistory> = runs.iter().copied().filter(|r| r.sweep.is_some()).collect();
    let mut student_fields = differing_among(&student);
    if groups && student_fields.len() > 1 {
        student_fields.retain(|f| *f != Field::Seed);
    }
    let sweep_fields = differing_among(&sweep);
    let mut names: Vec<String> = runs
        .iter()
        .map(|r| {
            if r.sweep.is_some() {
                fill(s.run_label_sweep, &[&describe(r, &sweep_fields, lang)])
            } else {
                describe(r, &student_fields, lang)
            }
        })
        .collect();
    // Numbered where alike (the same settings trained twice, or a difference past the
    // third setting).
    let alike: Vec<bool> = (0..names.len())
        .map(|i| names.iter().filter(|n| **n == names[i]).count() > 1)
        .collect();
    for (i, name) in names.iter_mut().enumerate() {
        if alike[i] {
            *name = format!("{name}{}#{}", s.separator, i + 1);
        }
    }
    names
}

/// The settings on which the trained ones of `runs` differ.
fn differing_among(runs: &[&RunHistory]) -> Vec<Field> {
    let any_trained = runs.iter().any(|r| r.updates() > 0);
    let experiments: Vec<&Experiment> = runs
        .iter()
        .filter(|r| !any_trained || r.updates() > 0)
        .map(|r| &r.experiment)
        .collect();
    differing(&experiments)
}

/// `r` by `fields` (its batch size when none differs).
fn describe(r: &RunHistory, fields: &[Field], lang: Lang) -> String {
    if fields.is_empty() {
        return Field::Batch.describe(&r.experiment, lang);
    }
    fields
        .iter()
        .take(3)
        .map(|f| f.describe(&r.experiment, lang))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(lang.strings().separator)
}

/// The seed every run shares, when all share one and the same model and data (then they
/// start from the same initial weights and visit the samples in the same shuffled order);
/// `None` otherwise.
pub fn shared_start(runs: &[RunHistory]) -> Option<u64> {
    let runs: Vec<&RunHistory> = compared(runs).collect();
    let first = &runs.first()?.experiment;
    let same = |e: &Experiment| {
        e.config.seed == first.config.seed
            && e.config.hidden == first.config.hidden
            && e.source == first.source
            && e.train_size == first.train_size
            && e.validation_split == first.validation_split
    };
    (runs.len() > 1 && runs.iter().all(|r| same(&r.experiment))).then_some(first.config.seed)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::info;
    use super::*;

    fn run(id: u32, edit: impl FnOnce(&mut Experiment)) -> RunHistory {
        let mut e = Experiment::default();
        edit(&mut e);
        RunHistory::new(id, e, info(2, 0))
    }

    #[test]
    fn labels_name_only_what_differs() {
        let runs = [
            run(1, |e| e.config.batch_size = 8),
            run(2, |e| e.config.batch_size = 256),
            run(3, |e| {
                e.config.batch_size = 256;
                e.config.learning_rate = 0.008;
            }),
        ];
        assert_eq!(
            labels(&runs, Lang::En),
            [
                "B = 8 · lr 0.001",
                "B = 256 · lr 0.001",
                "B = 256 · lr 0.008"
            ]
        );
        assert_eq!(labels(&runs[..2], Lang::En), ["B = 8", "B = 256"]);
        assert_eq!(labels(&runs[..1], Lang::En), ["B = 8"]);
    }

    #[test]
    fn runs_differing_by_schedule_say_how() {
        // The comparison: B = 512 as is, and with linear scaling and warm-up.
        let runs = [
            run(1, |e| e.config.batch_size = 512),
            run(2, |e| {
                e.config.batch_size = 512;
                e.config.schedule.rule = ScalingRule::Linear;
                e.config.schedule.warmup_epochs = 3;
            }),
            run(3, |e| {
                e.config.batch_size = 512;
                e.config.schedule.rule = ScalingRule::Sqrt;
                e.config.schedule.decay = Decay::Cosine;
            }),
        ];
        assert_eq!(
            labels(&runs, Lang::En),
            [
                "lr as is",
                "lr × B/32 · warm-up 3 ep",
                "lr × √(B/32) · cosine"
            ]
        );
        assert_eq!(labels(&runs[..2], Lang::Ko)[1], "lr × B/32 · 워밍업 3 에폭");
    }

    #[test]
    fn groups_are_named_by_their_seed_only_when_nothing_else_differs() {
        // Two seed groups whose first-ready seeds differ (8 at B = 8, 7 at B = 512).
        let runs = [
            run(1, |e| {
                e.config.batch_size = 8;
                e.config.seed = 8;
            }),
            run(2, |e| {
                e.config.batch_size = 8;
                e.config.seed = 7;
            }),
            run(3, |e| {
                e.config.batch_size = 512;
                e.config.seed = 7;
            }),
        ];
        assert_eq!(group_labels(&runs, Lang::En), ["B = 8", "B = 512"]);
        // The same settings twice with the same seed: two groups told apart by nothing but
        // the seeds they hold.
        let same = [
            run(1, |_| {}),
            run(2, |_| {}),
            run(3, |e| e.config.seed = 7),
        ];
        assert_eq!(
            group_labels(&same, Lang::En),
            ["B = 32 · #1", "B = 32 · #2"]
        );
    }

    #[test]
    fn identical_runs_are_numbered_and_share_their_start() {
        let runs = [run(1, |_| {}), run(2, |_| {})];
        assert_eq!(labels(&runs, Lang::En), ["B = 32 · #1", "B = 32 · #2"]);
        assert_eq!(shared_start(&runs), Some(42));
        let other_seed = [run(1, |_| {}), run(2, |e| e.config.seed = 7)];
        assert_eq!(shared_start(&other_seed), None);
        assert_eq!(labels(&other_seed, Lang::Ko), ["시드 42", "시드 7"]);
        let other_batch = [run(1, |_| {}), run(2, |e| e.config.batch_size = 8)];
        assert_eq!(
            shared_start(&other_batch),
            Some(42),
            "B does not change the start"
        );
    }

    #[test]
    fn an_untrained_run_does_not_lengthen_the_names() {
        use super::super::fixtures::step;
        let mut runs = [
            run(1, |e| e.config.batch_size = 8),
            run(2, |e| e.config.batch_size = 256),
            run(3, |e| e.config.learning_rate = 0.1),
        ];
        runs[0].record(&step(1, 1.0, 2, false));
        runs[1].record(&step(1, 1.0, 2, false));
        assert_eq!(labels(&runs, Lang::En)[..2], ["B = 8", "B = 256"]);
        assert_eq!(shared_start(&runs), Some(42));
    }

    #[test]
    fn sweep_runs_say_so_and_no_two_runs_share_a_name() {
        use super::super::fixtures::step;
        let mut runs = vec![
            run(1, |e| e.config.batch_size = 8),
            run(2, |e| e.config.batch_size = 256),
        ];
        for (id, b) in [(10, 8), (11, 32), (12, 512), (13, 8000)] {
            let mut r = run(id, |e| e.config.batch_size = b);
            r.sweep = Some(10);
            runs.push(r);
        }
        for r in &mut runs {
            r.record(&step(1, 1.0, 2, false));
        }
        assert_eq!(
            labels(&runs, Lang::En),
            [
                "B = 8",
                "B = 256",
                "sweep B = 8",
                "sweep B = 32",
                "sweep B = 512",
                "sweep B = 8,000"
            ]
        );
        assert_eq!(labels(&runs, Lang::Ko)[2], "스윕 B = 8");
        // The same B twice among the student's runs, with a fourth setting apart: numbered.
        runs.push(run(3, |e| {
            e.config.batch_size = 8;
            e.config.seed = 7;
        }));
        runs.push(run(4, |e| {
            e.config.batch_size = 8;
            e.config.learning_rate = 0.01;
            e.config.epochs = 3;
            e.config.seed = 9;
        }));
        runs.push(run(5, |e| {
            e.config.batch_size = 8;
            e.config.learning_rate = 0.01;
            e.config.epochs = 3;
            e.config.seed = 11;
        }));
        for r in &mut runs[6..] {
            r.record(&step(1, 1.0, 2, false));
        }
        let names = labels(&runs, Lang::En);
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(names[7], "B = 8 · lr 0.01 · 3 epochs · #8", "{names:?}");
    }

    #[test]
    fn a_batch_above_n_is_named_as_it_acts() {
        let runs = [
            run(1, |e| e.config.batch_size = 100_000),
            run(2, |e| e.config.batch_size = 8000),
        ];
        assert!(differing(&[&runs[0].experiment, &runs[1].experiment]).is_empty());
    }
}
