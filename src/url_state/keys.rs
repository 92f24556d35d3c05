//! The table of URL keys ([`KEYS`]): each key declared once, with how its value is read
//! (parser, bounds, what a clamp or an unreadable value reports) and written, and its line
//! in `docs/url.md` (a test renders the tables there from this one). The page's input boxes
//! read what is typed with the same rows ([`super::read_typed`]), so a box and a link can
//! never disagree on a value.

use super::{PageState, Panel, percent_fraction, percent_text, sizes_text};
use crate::experiment::{DataSource, MAX_GENERATED};
use crate::i18n::Lang;
use crate::layout::Layout;
use crate::plot::smoothing::MAX_WEIGHT;
use crate::plot::view::ChartView;
use crate::plot::view::XAxis;
use crate::preset::Preset;
use crate::settings::{
    self, DEFAULT_SWEEP_SEEDS, FLOOR_RANGE, LR_RANGE, LayersError, MAX_BASE_BATCH, MAX_EPOCHS,
    MAX_LAYERS, MAX_WIDTH, SEEDS_RANGE, SPEED_RANGE, SPLIT_RANGE, Setting,
};
use crate::sweep::{MAX_SIZES, MAX_SWEEP_WORKERS, SizesError, SweepMode, parse_sizes};
use crate::trainer::data::toy::MAX_NOISE;
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;
use crate::trainer::schedule::{Decay, ScalingRule, Schedule};
use crate::worker::protocol::Speed;

/// What reading one value did.
#[derive(Clone, Debug, PartialEq)]
pub enum Read {
    /// Used as written.
    Used,
    /// Out of range: this (as the link writes it) was used instead.
    Clamped(String),
    /// Not used; nothing changed.
    Invalid(Why),
    /// The key means nothing with these settings (noise on MNIST); nothing changed.
    NotHere,
    /// A list with some unknown names: the known ones were used, these were not.
    Partly(Vec<String>),
}

/// Why a value was not used: shown beside an input box, named by a link's notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// Not a finite number.
    NotANumber,
    /// A seed must be a whole number 0 … 2⁶⁴ − 1.
    NotASeed,
    /// Hidden layers: 1–[`MAX_WIDTH`] units each, at most [`MAX_LAYERS`].
    Layers(LayersError),
    /// Not one of the names the key takes.
    UnknownName,
    /// A sweep list that is empty or has an unreadable entry.
    Sizes,
    /// Longer than any value read.
    TooLong,
}

/// The part of `docs/url.md` a key is listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Experiment,
    Schedule,
    Page,
    Sweep,
    Seeds,
}

// Named in `docs/url.md`'s markers: `<!-- keys: experiment -->` … `<!-- /keys -->`.
crate::keyed!(Section {
    Experiment => "experiment",
    Schedule => "schedule",
    Page => "page",
    Sweep => "sweep",
    Seeds => "seeds",
});

/// One URL key.
pub struct Key {
    pub name: &'static str,
    pub section: Section,
    /// The values it takes, for `docs/url.md` (bounds from the constants).
    pub values: fn() -> String,
    /// Its default, for `docs/url.md`.
    pub default: fn() -> String,
    /// Reads `value` into the state.
    pub read: fn(&mut PageState, &str) -> Read,
    /// The value the link writes, `None` to leave the key out.
    pub write: fn(&PageState) -> Option<String>,
}

/// A finite number, or [`Why::NotANumber`].
fn number(text: &str) -> Result<f64, Why> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(Why::NotANumber),
    }
}

/// `x` within `[lo, hi]`: stored by `store`, reported as clamped when that changed it.
fn within<T: PartialOrd + Copy + std::fmt::Display>(
    x: T,
    (lo, hi): (T, T),
    store: impl FnOnce(T),
) -> Read {
    let used = if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        store(x);
        return Read::Used;
    };
    store(used);
    Read::Clamped(used.to_string())
}

/// A whole number (rounded) within `[lo, hi]`.
fn whole(text: &str, (lo, hi): (usize, usize), store: impl FnOnce(usize)) -> Read {
    match number(text) {
        Ok(x) => within(x.round(), (lo as f64, hi as f64), |v| store(v as usize)),
        Err(why) => Read::Invalid(why),
    }
}

/// A real number within `[lo, hi]`, read as f64 (so `1e308` is a number, clamped) and
/// stored, and reported when clamped, in the setting's own type `T`.
fn real<T: Copy + std::fmt::Display + Into<f64>>(
    text: &str,
    (lo, hi): (T, T),
    narrow: fn(f64) -> T,
    store: impl FnOnce(T),
) -> Read {
    let x = match number(text) {
        Ok(x) => x,
        Err(why) => return Read::Invalid(why),
    };
    let used = if x < lo.into() {
        lo
    } else if x > hi.into() {
        hi
    } else {
        store(narrow(x));
        return Read::Used;
    };
    store(used);
    Read::Clamped(used.to_string())
}

/// [`real`] for an f32 setting.
fn real32(text: &str, bounds: (f32, f32), store: impl FnOnce(f32)) -> Read {
    real(text, bounds, |x| x as f32, store)
}

/// [`real`] for an f64 setting.
fn real64(text: &str, bounds: (f64, f64), store: impl FnOnce(f64)) -> Read {
    real(text, bounds, |x| x, store)
}

/// A name of `S`, stored by `store`.
fn named<S: Setting>(text: &str, store: impl FnOnce(S)) -> Read {
    match S::from_key(text) {
        Some(v) => {
            store(v);
            Read::Used
        }
        None => Read::Invalid(Why::UnknownName),
    }
}

/// `value` written only when it differs from `default`.
fn unless<T: PartialEq>(value: T, default: T, text: impl FnOnce(T) -> String) -> Option<String> {
    (value != default).then(|| text(value))
}

/// `lo–hi`.
fn range(lo: impl std::fmt::Display, hi: impl std::fmt::Display) -> String {
    format!("{lo}–{hi}")
}

/// `` `a`, `b`, `c` ``: every key of `S`.
fn names<S: Setting>() -> String {
    let all: Vec<String> = S::ALL.iter().map(|v| format!("`{}`", v.key())).collect();
    all.join(", ")
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn none() -> Option<String> {
    None
}

/// The keys, in the order a link applies them: `preset` first, then `data` (with the set's
/// defaults, as its menu), then every other key refines them; N before B and the sweep's
/// sizes (which N bounds), `opt` before `lr` (which refines the optimiser's rate).
pub const KEYS: &[Key] = &[
    Key {
        name: "preset",
        section: Section::Experiment,
        values: || format!("{} (below)", names::<Preset>()),
        default: || s("none: the Keras example"),
        read: |st, v| {
            named(v, |p: Preset| {
                st.experiment = p.experiment();
                if let Some(staging) = p.staging() {
                    st.view = staging.view;
                    st.speed = staging.speed;
                }
            })
        },
        write: |_| none(),
    },
    Key {
        name: "data",
        section: Section::Experiment,
        values: names::<DataSource>,
        default: || s("`mnist`"),
        read: |st, v| named(v, |d| st.experiment.set_source(d)),
        write: |st| Some(st.experiment.source.key().to_owned()),
    },
    Key {
        name: "split",
        section: Section::Experiment,
        values: || {
            let (lo, hi) = SPLIT_RANGE;
            format!(
                "validation split, {} (Keras' `validation_split`; 0 = no validation)",
                range(lo, hi)
            )
        },
        default: || s("0.2"),
        read: |st, v| {
            let e = &mut st.experiment;
            real64(v, SPLIT_RANGE, |x| {
                e.validation_split = x;
                e.set_train_size(e.train_size);
            })
        },
        write: |st| Some(st.experiment.validation_split.to_string()),
    },
    Key {
        name: "n",
        section: Section::Experiment,
        values: || {
            format!(
                "training samples N, a whole number from 1 up to what the set holds: MNIST 10,000 minus the validation share (8,000 at `split=0.2`), generated sets ⌊{} × (1 − split)⌋",
                crate::i18n::Lang::En.int(MAX_GENERATED)
            )
        },
        default: || s("the set's (below)"),
        read: |st, v| {
            let e = &mut st.experiment;
            whole(v, (1, e.max_train_size()), |n| e.set_train_size(n))
        },
        write: |st| Some(st.experiment.train_size.to_string()),
    },
    Key {
        name: "noise",
        section: Section::Experiment,
        values: || {
            format!(
                "noise of a 2-D set, {} (on MNIST or random data the key is ignored with a notice)",
                range(0, MAX_NOISE)
            )
        },
        default: || crate::experiment::DEFAULT_NOISE.to_string(),
        read: |st, v| match &mut st.experiment.source {
            DataSource::Toy { noise, .. } => real32(v, (0.0, MAX_NOISE), |x| *noise = x),
            _ => Read::NotHere,
        },
        write: |st| match st.experiment.source {
            DataSource::Toy { noise, .. } => Some(noise.to_string()),
            _ => None,
        },
    },
    Key {
        name: "seed",
        section: Section::Experiment,
        values: || s("a whole number 0 … 2⁶⁴ − 1 (not clamped: anything else is unreadable)"),
        default: || {
            crate::trainer::session::TrainConfig::default()
                .seed
                .to_string()
        },
        read: |st, v| match v.trim().parse::<u64>() {
            Ok(seed) => {
                st.experiment.config.seed = seed;
                Read::Used
            }
            Err(_) => Read::Invalid(Why::NotASeed),
        },
        write: |st| Some(st.experiment.config.seed.to_string()),
    },
    Key {
        name: "b",
        section: Section::Experiment,
        values: || s("batch size B, 1–N (a B above N is read as N: one full batch)"),
        default: || {
            crate::trainer::session::TrainConfig::default()
                .batch_size
                .to_string()
        },
        read: |st, v| {
            let e = &mut st.experiment;
            whole(v, (1, e.train_size), |b| e.config.batch_size = b)
        },
        write: |st| Some(st.experiment.config.batch_size.to_string()),
    },
    Key {
        name: "epochs",
        section: Section::Experiment,
        values: || range(1, MAX_EPOCHS),
        default: || s("the set's"),
        read: |st, v| whole(v, (1, MAX_EPOCHS), |n| st.experiment.config.epochs = n),
        write: |st| Some(st.experiment.config.epochs.to_string()),
    },
    Key {
        name: "opt",
        section: Section::Experiment,
        values: || {
            format!(
                "{}, with the optimiser's usual rate (Adam {}, SGD {}), exactly as choosing it in the menu; an `lr` in the link then sets the rate",
                names::<OptimizerKind>(),
                OptimizerKind::adam().default_learning_rate(),
                OptimizerKind::Sgd.default_learning_rate()
            )
        },
        default: || s("`adam`"),
        read: |st, v| named(v, |o| st.experiment.set_optimizer(o)),
        write: |st| Some(st.experiment.config.optimizer.key().to_owned()),
    },
    Key {
        name: "lr",
        section: Section::Experiment,
        values: || format!("learning rate, {}", range(LR_RANGE.0, LR_RANGE.1)),
        default: || s("the set's"),
        read: |st, v| real32(v, LR_RANGE, |x| st.experiment.config.learning_rate = x),
        write: |st| Some(st.experiment.config.learning_rate.to_string()),
    },
    Key {
        name: "layers",
        section: Section::Experiment,
        values: || {
            format!(
                "hidden layer widths, e.g. `128` or `64-32` (also `,`, `;` or a space between widths); each 1–{}, at most {MAX_LAYERS} layers; empty = no hidden layer",
                Lang::En.int(MAX_WIDTH)
            )
        },
        default: || s("the set's"),
        read: |st, v| match settings::parse_hidden(v) {
            Ok(widths) => {
                st.experiment.config.hidden = widths;
                Read::Used
            }
            Err(e) => Read::Invalid(Why::Layers(e)),
        },
        write: |st| {
            let widths: Vec<String> = st
                .experiment
                .config
                .hidden
                .iter()
                .map(usize::to_string)
                .collect();
            Some(widths.join("-"))
        },
    },
    Key {
        name: "act",
        section: Section::Experiment,
        values: names::<Activation>,
        default: || s("the set's"),
        read: |st, v| named(v, |a| st.experiment.set_activation(a)),
        write: |st| Some(st.experiment.config.activation.key().to_owned()),
    },
    Key {
        name: "rule",
        section: Section::Schedule,
        values: || s("`none`, `linear` (`lr × B / B₀`), `sqrt` (`lr × √(B / B₀)`)"),
        default: || format!("`{}`", Schedule::default().rule.key()),
        read: |st, v| named(v, |r| st.experiment.set_rule(r)),
        write: |st| {
            unless(
                st.experiment.config.schedule.rule,
                ScalingRule::default(),
                |r| r.key().to_owned(),
            )
        },
    },
    Key {
        name: "b0",
        section: Section::Schedule,
        values: || format!("B₀ of the rule, 1–{}", Lang::En.int(MAX_BASE_BATCH)),
        default: || Schedule::default().base_batch.to_string(),
        read: |st, v| {
            whole(v, (1, MAX_BASE_BATCH), |b| {
                st.experiment.config.schedule.base_batch = b
            })
        },
        write: |st| {
            unless(
                st.experiment.config.schedule.base_batch,
                Schedule::default().base_batch,
                |b| b.to_string(),
            )
        },
    },
    Key {
        name: "warmup",
        section: Section::Schedule,
        values: || format!("warm-up epochs, {} (0 = off)", range(0, MAX_EPOCHS)),
        default: || s("0"),
        read: |st, v| {
            whole(v, (0, MAX_EPOCHS), |k| {
                st.experiment.config.schedule.warmup_epochs = k
            })
        },
        write: |st| {
            unless(st.experiment.config.schedule.warmup_epochs, 0, |k| {
                k.to_string()
            })
        },
    },
    Key {
        name: "warmup-lr",
        section: Section::Schedule,
        values: || {
            format!(
                "the warm-up's first rate, {}",
                range(LR_RANGE.0, LR_RANGE.1)
            )
        },
        default: || Schedule::default().warmup_start.to_string(),
        read: |st, v| {
            real32(v, LR_RANGE, |x| {
                st.experiment.config.schedule.warmup_start = x
            })
        },
        write: |st| {
            unless(
                st.experiment.config.schedule.warmup_start,
                Schedule::default().warmup_start,
                |x| x.to_string(),
            )
        },
    },
    Key {
        name: "decay",
        section: Section::Schedule,
        values: || s("`constant`, `cosine` (after the warm-up)"),
        default: || format!("`{}`", Decay::default().key()),
        read: |st, v| named(v, |d| st.experiment.set_decay(d)),
        write: |st| {
            unless(st.experiment.config.schedule.decay, Decay::default(), |d| {
                d.key().to_owned()
            })
        },
    },
    Key {
        name: "floor",
        section: Section::Schedule,
        values: || {
            format!(
                "the cosine's last rate as a fraction of the peak, {}",
                range(FLOOR_RANGE.0, FLOOR_RANGE.1)
            )
        },
        default: || s("0"),
        read: |st, v| real32(v, FLOOR_RANGE, |x| st.experiment.config.schedule.floor = x),
        write: |st| unless(st.experiment.config.schedule.floor, 0.0, |x| x.to_string()),
    },
    Key {
        name: "lang",
        section: Section::Page,
        values: || format!("{} (a full tag such as `ko-KR` works)", names::<Lang>()),
        default: || s("the browser's languages, else Korean"),
        read: |st, v| named(v, |l| st.lang = Some(l)),
        write: |st| st.lang.map(|l| l.tag().to_owned()),
    },
    Key {
        name: "speed",
        section: Section::Page,
        values: || {
            format!(
                "`epoch` (one epoch per second), `max`, or updates per second, {} (the menu offers 1, 5, 20)",
                range(SPEED_RANGE.0, Lang::En.int(SPEED_RANGE.1 as usize))
            )
        },
        default: || format!("`{}`", Speed::PAGE_DEFAULT.key()),
        read: |st, v| named(v, |speed| st.speed = speed),
        write: |st| unless(st.speed, Speed::PAGE_DEFAULT, |s| s.key().into_owned()),
    },
    Key {
        name: "embed",
        section: Section::Page,
        values: || {
            s(
                "`1` (also `true`, `yes` or empty): the embed view for blogs; any other value turns it off",
            )
        },
        default: || s("off"),
        read: |st, v| {
            st.embed = matches!(v, "1" | "true" | "yes" | "");
            Read::Used
        },
        write: |st| st.embed.then(|| s("1")),
    },
    Key {
        name: "hide",
        section: Section::Page,
        values: || {
            format!(
                "panels to leave out, comma-separated: {} (`noise`: the noise meter, `runs`: the run list, `lr`: the learning-rate strip, `compare`: the comparison of two groups; an unknown name is named in a notice; the known ones still apply)",
                names::<Panel>()
            )
        },
        default: || s("none"),
        read: read_hide,
        write: |st| {
            let keys: Vec<&str> = st.hide.iter().map(|p| p.key()).collect();
            (!keys.is_empty()).then(|| keys.join(","))
        },
    },
    Key {
        name: "x",
        section: Section::Page,
        values: || format!("the charts' x axis: {}", names::<XAxis>()),
        default: || format!("`{}`", ChartView::default().axis.key()),
        read: |st, v| named(v, |a| st.view.axis = a),
        write: |st| {
            unless(st.view.axis, ChartView::default().axis, |a| {
                a.key().to_owned()
            })
        },
    },
    Key {
        name: "xlog",
        section: Section::Page,
        values: || {
            s(
                "`1` (or `true`, `yes`) / `0` (or `false`, `no`): log x, drawn on the update and samples axes only",
            )
        },
        default: || s("`0`"),
        read: |st, v| match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => {
                st.view.log_x = true;
                Read::Used
            }
            "0" | "false" | "no" => {
                st.view.log_x = false;
                Read::Used
            }
            _ => Read::Invalid(Why::UnknownName),
        },
        write: |st| {
            unless(st.view.log_x, ChartView::default().log_x, |l| {
                u8::from(l).to_string()
            })
        },
    },
    Key {
        name: "smooth",
        section: Section::Page,
        values: || format!("smoothing weight, {}", range(0, MAX_WEIGHT)),
        default: || ChartView::default().smoothing.to_string(),
        read: |st, v| real64(v, (0.0, MAX_WEIGHT), |w| st.view.smoothing = w),
        write: |st| {
            unless(st.view.smoothing, ChartView::default().smoothing, |w| {
                w.to_string()
            })
        },
    },
    Key {
        name: "sweep",
        section: Section::Sweep,
        values: || {
            format!(
                "batch sizes, separated by commas or spaces, e.g. `8,32,128`; each clamped to 1–N (with a notice), sorted, duplicates dropped; of more than {MAX_SIZES} sizes the first {MAX_SIZES} are kept (with a notice)"
            )
        },
        default: || {
            s(
                "8, 32, 128, … up to N (`sweep::default_sizes`: 8 · 4ᵏ up to N/4, then N/4 and N; for MNIST 8, 32, 128, 512, 2,000, 8,000)",
            )
        },
        read: read_sweep,
        write: |st| st.sweep_sizes.as_deref().map(sizes_text),
    },
    Key {
        name: "target",
        section: Section::Sweep,
        values: || {
            format!(
                "target validation accuracy in percent, {} (`90` or `90%`)",
                range(TARGET_PERCENT_RANGE.0, TARGET_PERCENT_RANGE.1)
            )
        },
        default: || s("90 (MNIST, 2-D sets), 60 (random data)"),
        read: read_target,
        write: |st| st.sweep_target.map(percent_text),
    },
    Key {
        name: "workers",
        section: Section::Sweep,
        values: || {
            format!(
                "Web Workers the sweep trains in, 1–{MAX_SWEEP_WORKERS} (`sweep::MAX_SWEEP_WORKERS`, the cap of the sweep's own rule too; never more than it has runs)"
            )
        },
        default: || {
            format!(
                "one per logical core (2 if the browser does not say), at most {MAX_SWEEP_WORKERS}"
            )
        },
        read: |st, v| whole(v, (1, MAX_SWEEP_WORKERS), |w| st.sweep_workers = Some(w)),
        write: |st| st.sweep_workers.map(|w| w.to_string()),
    },
    Key {
        name: "sweep-mode",
        section: Section::Sweep,
        values: || {
            format!(
                "what the sweep measures: {} (`target`: updates to reach the target accuracy; `epochs`: each B after a fixed number of epochs)",
                names::<SweepMode>()
            )
        },
        default: || format!("`{}`", SweepMode::default().key()),
        read: |st, v| named(v, |m| st.sweep_mode = m),
        write: |st| unless(st.sweep_mode, SweepMode::default(), |m| m.key().to_owned()),
    },
    Key {
        name: "sweep-seeds",
        section: Section::Sweep,
        values: || {
            format!(
                "seeds per batch size, {}",
                range(SEEDS_RANGE.0, SEEDS_RANGE.1)
            )
        },
        default: || DEFAULT_SWEEP_SEEDS.to_string(),
        read: |st, v| whole(v, seeds_range(), |k| st.sweep_seeds = k as u32),
        write: |st| unless(st.sweep_seeds, DEFAULT_SWEEP_SEEDS, |k| k.to_string()),
    },
    Key {
        name: "sweep-budget",
        section: Section::Sweep,
        values: || {
            format!(
                "the target sweep's budget in epochs, {} (written only when set)",
                range(1, MAX_EPOCHS)
            )
        },
        default: || s("the data set's"),
        read: |st, v| whole(v, (1, MAX_EPOCHS), |b| st.sweep_budget = Some(b)),
        write: |st| st.sweep_budget.map(|b| b.to_string()),
    },
    Key {
        name: "view",
        section: Section::Page,
        values: || {
            format!(
                "the focused view: {} — `anatomy` (N, B, epochs, the arithmetic and one epoch as a strip of batches; on MNIST it trains the calculation presets' 2-D moons instead, no download; Train animates at 5 updates a second unless `speed` says otherwise), `race` (one Train starts two runs of the same seed at once, each in its own worker: the link's `b`, else 8, against `race-b`, else 256, both in boxes the reader can change, on one loss and one accuracy chart with the axis switch), `lr` (the scaling rule's arithmetic, the learning-rate strip above the charts), `sweep` (the sweep panel alone), `claims` (the post's claims as cards; `claim` picks one), `full` (the whole lab); the copied embed code writes it",
                names::<Layout>()
            )
        },
        default: || format!("`{}`", Layout::default().key()),
        read: |st, v| named(v, |l| st.layout = l),
        write: |st| unless(st.layout, Layout::default(), |l| l.key().to_owned()),
    },
    Key {
        name: "claim",
        section: Section::Page,
        values: || {
            format!(
                "one card of `view=claims`: {} (that view's Copy link and embed code write it; the full lab's do not)",
                names::<crate::claims::Claim>()
            )
        },
        default: || s("every card"),
        read: |st, v| named(v, |c| st.claim = Some(c)),
        write: |st| st.claim.map(|c| c.key().to_owned()),
    },
    Key {
        name: "race-b",
        section: Section::Page,
        values: || s("the race view's second batch size, 1–N (its first is `b`)"),
        default: || crate::layout::RACE_B.to_string(),
        read: |st, v| whole(v, (1, st.experiment.train_size), |b| st.race_b = b),
        write: |st| unless(st.race_b, crate::layout::RACE_B, |b| b.to_string()),
    },
    Key {
        name: "seeds",
        section: Section::Seeds,
        values: || {
            format!(
                "how many seeds a single run is repeated with, {}",
                range(SEEDS_RANGE.0, SEEDS_RANGE.1)
            )
        },
        default: || s("1"),
        read: |st, v| whole(v, seeds_range(), |k| st.seeds = k as u32),
        write: |st| unless(st.seeds, 1, |k| k.to_string()),
    },
];

/// The sweep target's range in the URL, in percent.
pub const TARGET_PERCENT_RANGE: (f64, f64) = (1.0, 100.0);

fn seeds_range() -> (usize, usize) {
    (SEEDS_RANGE.0 as usize, SEEDS_RANGE.1 as usize)
}

/// The known panels are hidden; each unknown one is named on its own.
fn read_hide(st: &mut PageState, value: &str) -> Read {
    let mut unknown = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match Panel::from_key(part) {
            Some(p) if !st.hide.contains(&p) => st.hide.push(p),
            Some(_) => {}
            None => unknown.push(part.to_owned()),
        }
    }
    if unknown.is_empty() {
        Read::Used
    } else {
        Read::Partly(unknown)
    }
}

/// Sizes clamped to 1..=N (said so), or the first ones up to the cap (said so).
fn read_sweep(st: &mut PageState, value: &str) -> Read {
    let n = st.experiment.train_size;
    let (sizes, clamped) = match parse_sizes(value, n) {
        Ok(sizes) => {
            let clamped = crate::sweep::size_entries(value)
                .any(|p| p.parse::<u64>().map_or(true, |b| b < 1 || b > n as u64));
            (sizes, clamped)
        }
        Err(SizesError::TooMany) => (super::first_sizes_within_cap(value, n), true),
        Err(_) => return Read::Invalid(Why::Sizes),
    };
    let read = if clamped {
        Read::Clamped(sizes_text(&sizes))
    } else {
        Read::Used
    };
    st.sweep_sizes = Some(sizes);
    read
}

/// A percentage (`90` or `90%`) kept as the exact fraction it writes.
fn read_target(st: &mut PageState, value: &str) -> Read {
    let text = value.trim_end_matches('%').trim();
    match (number(text), percent_fraction(text)) {
        (Ok(x), Some(fraction)) if fraction.is_finite() => {
            let (lo, hi) = TARGET_PERCENT_RANGE;
            let mut used = x;
            let read = within(x, (lo, hi), |u| used = u);
            let fraction = if used == x { fraction } else { used / 100.0 };
            st.sweep_target = Some(fraction.clamp(lo / 100.0, hi / 100.0));
            read
        }
        _ => Read::Invalid(Why::NotANumber),
    }
}

/// `docs/url.md`'s table for `section`: a header and one row per key, in the table's order.
pub fn docs_rows(section: Section) -> String {
    let rows: String = KEYS
        .iter()
        .filter(|k| k.section == section)
        .map(|k| format!("| `{}` | {} | {} |\n", k.name, (k.values)(), (k.default)()))
        .collect();
    format!("| key | values | default |\n| --- | --- | --- |\n{rows}")
}

/// `doc` (the text of `docs/url.md`) with the tables between its markers rendered anew
/// from [`KEYS`].
#[cfg(test)]
fn render_docs(doc: &str) -> String {
    let mut out = String::new();
    let mut rest = doc;
    while let Some(start) = rest.find("<!-- keys: ") {
        let name_end = start + rest[start..].find(" -->").unwrap_or(0);
        let name = &rest[start + "<!-- keys: ".len()..name_end];
        let Some(end) = rest[name_end..]
            .find("<!-- /keys -->")
            .map(|i| i + name_end)
        else {
            break;
        };
        out.push_str(&rest[..name_end + " -->".len()]);
        match Section::from_key(name) {
            Some(section) => out.push_str(&format!("\n\n{}\n", docs_rows(section))),
            None => out.push_str(&rest[name_end + " -->".len()..end]),
        }
        rest = &rest[end..];
        out.push_str("<!-- /keys -->");
        rest = &rest["<!-- /keys -->".len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/url.md` lists exactly the table's keys with the table's bounds.
    /// `URL_DOCS_WRITE=1 cargo test --lib url_docs` writes the rendered tables into it.
    #[test]
    fn url_docs_are_rendered_from_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/url.md");
        let doc = std::fs::read_to_string(path).expect("docs/url.md");
        let rendered = render_docs(&doc);
        if std::env::var_os("URL_DOCS_WRITE").is_some() {
            std::fs::write(path, &rendered).expect("write docs/url.md");
        }
        for section in Section::ALL {
            let marker = format!("<!-- keys: {} -->", section.key());
            assert!(doc.contains(&marker), "{marker} missing");
        }
        assert!(
            doc == rendered,
            "docs/url.md differs from url_state::KEYS; URL_DOCS_WRITE=1 cargo test --lib url_docs"
        );
        let mut names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KEYS.len(), "a key declared twice");
    }

    /// Changing a bound changes the docs: the rows are filled from the constants.
    #[test]
    fn url_docs_rows_carry_the_constants() {
        let experiment = docs_rows(Section::Experiment);
        assert!(experiment.contains(&format!("| `epochs` | 1–{MAX_EPOCHS} |")));
        assert!(experiment.contains(&format!("at most {MAX_LAYERS} layers")));
        let sweep = docs_rows(Section::Sweep);
        assert!(sweep.contains(&format!("the first {MAX_SIZES} are kept")));
        assert!(sweep.contains(&format!("1–{MAX_SWEEP_WORKERS}")));
    }
}
