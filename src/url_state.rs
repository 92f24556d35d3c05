//! Every setting in the URL, so a link reproduces the exact run: the query string is read
//! once at start (hostile input is clamped or ignored, each with a notice, never a panic)
//! and rewritten as the settings change.
//!
//! The keys are the rows of one table, [`KEYS`] (`url_state/keys.rs`): each key's name,
//! how its value is read (parser, bounds, default) and written, in the order a link applies
//! them (`preset`, then `data` with the set's defaults as its menu gives them, then every
//! other key refines them). [`parse`] and [`to_query`] only walk that table, the page's
//! input boxes read typed values with its rows ([`read_typed`]), and the readers' list in
//! `docs/url.md` is rendered from it (a test compares the two).

mod keys;

pub use keys::{KEYS, Key, Read, Section, TARGET_PERCENT_RANGE, Why, docs_rows};

use crate::experiment::Experiment;
use crate::i18n::Lang;
use crate::plot::view::ChartView;
pub use crate::preset::Preset;
use crate::settings::DEFAULT_SWEEP_SEEDS;
use crate::sweep::{SweepMode, parse_sizes};
use crate::worker::protocol::Speed;

/// Panels a teacher can hide in the embed view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Controls,
    Anatomy,
    Charts,
    Batch,
    /// The batch-size sweep.
    Sweep,
    /// The code mirror (Keras and PyTorch).
    Code,
    /// The batch-size and epoch guide.
    Guide,
    /// The memory and time estimate beside the charts.
    Cost,
    /// The gradient-noise meter under the batch slider.
    Noise,
    /// The list of kept runs under the charts.
    Runs,
    /// The learning-rate strip under the charts.
    Lr,
    /// The export buttons (CSV, JSON).
    Export,
    /// The comparison of two groups of runs, under the run list.
    Compare,
}

crate::keyed!(Panel {
    Controls => "controls",
    Anatomy => "anatomy",
    Charts => "charts",
    Batch => "batch",
    Sweep => "sweep",
    Code => "code",
    Guide => "guide",
    Cost => "cost",
    Noise => "noise",
    Runs => "runs",
    Lr => "lr",
    Export => "export",
    Compare => "compare",
});

/// Everything the URL carries.
#[derive(Clone, Debug, PartialEq)]
pub struct PageState {
    pub experiment: Experiment,
    /// `None`: follow the browser's language.
    pub lang: Option<Lang>,
    pub speed: Speed,
    pub embed: bool,
    pub hide: Vec<Panel>,
    /// The charts' x axis, log x and smoothing (`x`, `xlog`, `smooth`).
    pub view: ChartView,
    /// The sweep's batch sizes (`sweep`): sorted, distinct, each in `1..=N`. `None`: the
    /// default list for N ([`crate::sweep::default_sizes`]).
    pub sweep_sizes: Option<Vec<usize>>,
    /// The sweep's target validation accuracy as a fraction, `0.01..=1` (`target`, written
    /// in percent). `None`: the data set's default ([`crate::sweep::default_target`]).
    pub sweep_target: Option<f64>,
    /// Web Workers a sweep uses (`workers`, `1..=MAX_SWEEP_WORKERS`). `None`: the measured
    /// rule ([`crate::sweep::worker_count`]); a fixed number is for comparing them.
    pub sweep_workers: Option<usize>,
    /// Seeds a single run is repeated with (`seeds`, [`SEEDS_RANGE`]; 1: one run).
    pub seeds: u32,
    /// What the sweep measures (`sweep-mode`).
    pub sweep_mode: SweepMode,
    /// Seeds per batch size in a sweep (`sweep-seeds`, [`SEEDS_RANGE`]).
    pub sweep_seeds: u32,
    /// The target sweep's budget in epochs (`sweep-budget`, `1..=MAX_EPOCHS`). `None`: the
    /// data set's default.
    pub sweep_budget: Option<usize>,
    /// The focused view (`view`: anatomy, lr, sweep, full; [`crate::layout::Layout`]).
    pub layout: crate::layout::Layout,
    /// The one card `view=claims` shows (`claim`); `None`: every card.
    pub claim: Option<crate::claims::Claim>,
    /// The race view's second batch size (`race-b`; the first is the page's `b`), used
    /// within `1..=N`.
    pub race_b: usize,
}

impl Default for PageState {
    fn default() -> Self {
        PageState {
            experiment: Experiment::default(),
            lang: None,
            speed: Speed::PAGE_DEFAULT,
            embed: false,
            hide: Vec::new(),
            view: ChartView::default(),
            sweep_sizes: None,
            sweep_target: None,
            sweep_workers: None,
            seeds: 1,
            sweep_mode: SweepMode::default(),
            sweep_seeds: DEFAULT_SWEEP_SEEDS,
            sweep_budget: None,
            layout: crate::layout::Layout::Full,
            claim: None,
            race_b: crate::layout::RACE_B,
        }
    }
}

impl PageState {
    /// This state shown as `layout`, with `claim` where the view has cards to pick from
    /// (`view=claims`): what the address bar, "Copy link" and the embed code of a view all
    /// write, so an embedded card's link names its card and the full lab's names none.
    pub fn in_view(
        self,
        layout: crate::layout::Layout,
        claim: Option<crate::claims::Claim>,
    ) -> PageState {
        PageState {
            layout,
            claim: claim.filter(|_| layout == crate::layout::Layout::Claims),
            ..self
        }
    }
}

/// Something in the URL that was not used as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The value was out of range; `used` was taken instead.
    Clamped { key: String, used: String },
    /// The value could not be read; the default stayed.
    Invalid { key: String },
    /// The key means nothing here.
    Unknown { key: String },
}

/// Longest value read (anything longer is refused as invalid).
const MAX_VALUE_LEN: usize = 64;
/// Most parameters read from one URL.
const MAX_PARAMS: usize = 40;

/// Decodes `%XX` escapes and `+` (as a space); invalid escapes stay as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A short, safe rendering of a value for notices.
fn shown(v: &str) -> String {
    v.chars().filter(|c| !c.is_control()).take(16).collect()
}

/// The query's `key=value` pairs: keys lower-cased, both `%`-decoded and trimmed, at most
/// [`MAX_PARAMS`] (a `#` fragment and a leading `?` are ignored).
fn pairs(query: &str) -> Vec<(String, String)> {
    let query = query
        .split('#')
        .next()
        .unwrap_or("")
        .trim_start_matches('?');
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .take(MAX_PARAMS)
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                decode(k).trim().to_ascii_lowercase(),
                decode(v).trim().to_owned(),
            )
        })
        .collect()
}

/// Reads a query string (with or without the leading `?`; `#` fragments are ignored): each
/// key of [`KEYS`] in the table's order, each time it is given (so the last readable value
/// counts), with a notice for every value not used as written.
pub fn parse(query: &str) -> (PageState, Vec<Notice>) {
    let pairs = pairs(query);
    let mut notices: Vec<Notice> = pairs
        .iter()
        .filter(|(k, _)| !KEYS.iter().any(|row| row.name == k))
        .map(|(k, _)| Notice::Unknown { key: shown(k) })
        .collect();
    let mut state = PageState::default();
    for row in KEYS {
        for (_, value) in pairs.iter().filter(|(k, _)| k == row.name) {
            let key = row.name.to_owned();
            let read = if value.len() > MAX_VALUE_LEN {
                Read::Invalid(Why::TooLong)
            } else {
                (row.read)(&mut state, value)
            };
            match read {
                Read::Used => {}
                Read::Clamped(used) => notices.push(Notice::Clamped { key, used }),
                Read::Invalid(_) => notices.push(Notice::Invalid { key }),
                Read::NotHere => notices.push(Notice::Unknown { key }),
                Read::Partly(unknown) => {
                    notices.extend(unknown.iter().map(|part| Notice::Unknown {
                        key: format!("{key}={}", shown(part)),
                    }))
                }
            }
        }
    }
    // What the view trains (the anatomy view: no MNIST), so the page, its link and its
    // copied embed code say what is trained.
    state.experiment = state.layout.experiment(state.experiment);
    (state, notices)
}

/// What typing `text` into the box for `key` makes of the page's `state` (the experiment, or a
/// setting kept beside it such as the sweep's seeds and budget): the link's row for `key`
/// ([`KEYS`]), so a box and a link read a value alike. A value out of range is used clamped,
/// and the value used comes back beside the state (as the link writes it), for the box to say
/// as a link's notice would; `Err` says why nothing changes.
pub fn read_typed(
    key: &str,
    text: &str,
    mut state: PageState,
) -> Result<(PageState, Option<String>), Why> {
    let row = KEYS
        .iter()
        .find(|row| row.name == key)
        .ok_or(Why::UnknownName)?;
    if text.len() > MAX_VALUE_LEN {
        return Err(Why::TooLong);
    }
    match (row.read)(&mut state, text) {
        Read::Invalid(why) => Err(why),
        Read::NotHere | Read::Partly(_) => Err(Why::UnknownName),
        Read::Used => Ok((state, None)),
        Read::Clamped(used) => Ok((state, Some(used))),
    }
}

/// `8,32,128`: batch sizes as the `sweep` key writes them.
fn sizes_text(sizes: &[usize]) -> String {
    sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `fraction` in percent, written by moving its shortest decimal form's point two places
/// (`0.9` → `90`, `0.372` → `37.2`), so [`percent_fraction`] reads it back exactly: how the
/// `target` key writes a target and how its box shows the target in use.
pub fn percent_text(fraction: f64) -> String {
    let text = format!("{fraction}");
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if !(int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())) {
        return format!("{}", fraction * 100.0); // NaN or ±∞: never a valid state
    }
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let whole = format!("{int}{moved}");
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        w => w,
    };
    if rest.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{rest}")
    }
}

/// The fraction a percentage written as `text` stands for, `text / 100` rounded once (the
/// decimal shifted by two places, not a division of the rounded percentage, so every
/// [`percent_text`] reads back exactly); `None` when `text` is not a number.
fn percent_fraction(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    format!("{mantissa}e{}", exponent.checked_sub(2)?)
        .parse::<f64>()
        .ok()
}

/// A `sweep=` list with more distinct sizes than a sweep runs ([`crate::sweep::MAX_SIZES`]): its first
/// entries, as written, up to the cap (the link keeps what it can and says so, rather than
/// falling back to the default list). `text` must be readable ([`parse_sizes`] failed only
/// with [`SizesError::TooMany`]).
fn first_sizes_within_cap(text: &str, n: usize) -> Vec<usize> {
    let entries: Vec<&str> = crate::sweep::size_entries(text).collect();
    let mut kept = Vec::new();
    for end in 1..=entries.len() {
        match parse_sizes(&entries[..end].join(","), n) {
            Ok(sizes) => kept = sizes,
            Err(_) => break,
        }
    }
    kept
}

/// The query string (without `?`) that [`parse`] reads back as `state`: every key of
/// [`KEYS`] that writes itself, in the table's order.
pub fn to_query(state: &PageState) -> String {
    let parts: Vec<String> = KEYS
        .iter()
        .filter_map(|row| (row.write)(state).map(|v| format!("{}={v}", row.name)))
        .collect();
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::DataSource;
    use crate::plot::smoothing::MAX_WEIGHT;
    use crate::plot::view::DEFAULT_SMOOTHING;
    use crate::plot::view::XAxis;
    use crate::settings::{LR_RANGE, MAX_EPOCHS, SEEDS_RANGE, Setting};
    use crate::sweep::MAX_SWEEP_WORKERS;
    use crate::trainer::data::toy::Toy;
    use crate::trainer::model::Activation;
    use crate::trainer::optim::OptimizerKind;
    use crate::trainer::schedule::{Decay, ScalingRule, Schedule};

    #[test]
    fn the_posts_examples_by_link() {
        let (s, notices) = parse("?n=200&b=20&epochs=10&lang=ko");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (s.experiment.train_size, s.experiment.config.batch_size),
            (200, 20)
        );
        assert_eq!(s.experiment.updates_per_epoch(), 10);
        assert_eq!(s.lang, Some(Lang::Ko));
        let (s, _) = parse("preset=calc1000");
        assert_eq!(
            (
                s.experiment.updates_per_epoch(),
                s.experiment.total_updates()
            ),
            (20, 400)
        );
        let (s, _) = parse("preset=large-batch&seed=7");
        assert_eq!(
            (s.experiment.config.batch_size, s.experiment.config.seed),
            (256, 7)
        );
    }

    /// What choosing a set in the menu does (`apply_source` in `ui/controls.rs`: the name
    /// read by [`DataSource::from_key`], then [`Experiment::set_source`]).
    fn menu_choice(mut e: Experiment, key: &str) -> Experiment {
        e.set_source(DataSource::from_key(key).expect("a menu value"));
        e
    }

    #[test]
    fn the_menu_and_the_link_give_the_same_experiment_for_every_data_set() {
        // The menu is generated from DataSource::ALL (ui/menu.rs), so it offers exactly these.
        let all: Vec<&str> = DataSource::ALL.iter().map(|s| s.key()).collect();
        for key in all {
            let (s, notices) = parse(&format!("data={key}"));
            assert!(notices.is_empty(), "{key}: {notices:?}");
            assert_eq!(
                s.experiment,
                menu_choice(Experiment::default(), key),
                "{key}"
            );
            // After a preset, as choosing the set in the menu after opening the preset.
            for preset in Preset::ALL {
                let (s, _) = parse(&format!("preset={}&data={key}", preset.key()));
                assert_eq!(
                    s.experiment,
                    menu_choice(preset.experiment(), key),
                    "{} then {key}",
                    preset.key()
                );
            }
            // Explicit keys refine the set's defaults, wherever they stand in the link.
            let mut want = menu_choice(Experiment::default(), key);
            want.config.hidden = vec![8];
            want.config.epochs = 3;
            want.config.batch_size = 5;
            for query in [
                format!("data={key}&layers=8&epochs=3&b=5"),
                format!("layers=8&epochs=3&b=5&data={key}"),
            ] {
                assert_eq!(parse(&query).0.experiment, want, "{query}");
            }
        }
        // The case: `?data=spirals` used to keep Dense(128) for 10 epochs.
        let (s, _) = parse("data=spirals");
        let c = &s.experiment.config;
        assert_eq!(
            (s.experiment.train_size, c.hidden.clone(), c.epochs),
            (400, vec![32, 32], 100)
        );
        assert_eq!(c.activation, Activation::Tanh);
        // The last readable name wins; an unreadable one is reported and changes nothing.
        let (s, notices) = parse("data=xor&data=nope");
        assert_eq!(DataSource::key(s.experiment.source), "xor");
        assert_eq!(notices, [Notice::Invalid { key: "data".into() }]);
    }

    /// Issue 21: a box and a link read a value by one rule. Typed `1e308` stayed in the lr
    /// box while 0.01 was used (`?lr=1e308` was unreadable, `100` clamped); a seed of `-1` or
    /// `1e30` stayed while 42 was used; hidden layers `-3` became a layer of 3 units.
    #[test]
    fn a_box_and_a_link_read_a_value_alike() {
        let e = Experiment::default();
        let state = || PageState {
            experiment: e.clone(),
            ..PageState::default()
        };
        let typed = |key, text| read_typed(key, text, state()).map(|(st, _)| st.experiment);
        for text in ["1e308", "100", "1e30"] {
            let boxed = typed("lr", text).expect(text);
            assert_eq!(boxed.config.learning_rate, LR_RANGE.1, "{text}");
            let (s, notices) = parse(&format!("lr={text}"));
            assert_eq!(s.experiment, boxed, "{text}");
            assert_eq!(
                notices,
                [Notice::Clamped {
                    key: "lr".into(),
                    used: LR_RANGE.1.to_string()
                }]
            );
        }
        for text in ["-1", "1e30", "4.5", "", "abc", "1e400"] {
            assert_eq!(typed("seed", text), Err(Why::NotASeed), "{text}");
            let (s, notices) = parse(&format!("seed={text}"));
            assert_eq!(s.experiment, e, "{text}");
            assert_eq!(notices, [Notice::Invalid { key: "seed".into() }]);
        }
        for text in ["-3", "64,-3", "abc"] {
            assert!(
                matches!(typed("layers", text), Err(Why::Layers(_))),
                "{text}"
            );
            assert_eq!(parse(&format!("layers={text}")).0.experiment, e, "{text}");
        }
        assert_eq!(typed("lr", "NaN"), Err(Why::NotANumber));
        assert_eq!(typed("b", "1e400"), Err(Why::NotANumber));
        // In range: used as typed; B within N; N shrinks B with it.
        assert_eq!(typed("lr", "0.05").unwrap().config.learning_rate, 0.05);
        assert_eq!(typed("b", "99999").unwrap().config.batch_size, 8000);
        let small = typed("n", "20").unwrap();
        assert_eq!((small.train_size, small.config.batch_size), (20, 20));
        assert_eq!(typed("noise", "0.5"), Err(Why::UnknownName));
        // The box says what was used instead of an out-of-range value, and only then.
        let used = |text| read_typed("lr", text, state()).unwrap().1;
        assert_eq!(used("100").as_deref(), Some("10"));
        assert_eq!(used("0.05"), None);
    }

    /// Issue 21: the optimiser menu set SGD's rate, `?opt=sgd` kept Adam's. Both now go
    /// through [`Experiment::set_optimizer`].
    #[test]
    fn the_optimiser_menu_and_the_link_give_the_same_experiment() {
        for kind in OptimizerKind::ALL {
            let mut menu = Experiment::default();
            menu.set_optimizer(kind);
            let (s, notices) = parse(&format!("opt={}", kind.key()));
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(s.experiment, menu, "{}", kind.key());
        }
        let (s, _) = parse("opt=sgd");
        assert_eq!(s.experiment.config.learning_rate, 0.01);
        // A link's own `lr` refines the optimiser's rate, wherever it stands.
        for query in ["opt=sgd&lr=0.05", "lr=0.05&opt=sgd"] {
            assert_eq!(
                parse(query).0.experiment.config.learning_rate,
                0.05,
                "{query}"
            );
        }
    }

    /// A link's `act`, `rule` and `decay` apply their value as the menus do, through
    /// [`Experiment::set_activation`], [`Experiment::set_rule`] and [`Experiment::set_decay`].
    #[test]
    fn the_activation_rule_and_decay_menus_and_links_give_the_same_experiment() {
        fn same<S: Setting>(key: &str, set: fn(&mut Experiment, S)) {
            for value in S::ALL.iter().copied() {
                let mut menu = Experiment::default();
                set(&mut menu, value);
                let (s, notices) = parse(&format!("{key}={}", value.key()));
                assert!(notices.is_empty(), "{notices:?}");
                assert_eq!(s.experiment, menu, "{key}={}", value.key());
            }
        }
        same::<Activation>("act", Experiment::set_activation);
        same::<ScalingRule>("rule", Experiment::set_rule);
        same::<Decay>("decay", Experiment::set_decay);
        assert_eq!(
            parse("act=tanh").0.experiment.config.activation,
            Activation::Tanh
        );
    }

    #[test]
    fn presets_start_from_their_data_sets_defaults() {
        assert_eq!(Preset::Keras.experiment(), Experiment::default());
        let p = Preset::PyTorch.experiment();
        assert_eq!(p.source, DataSource::Random);
        assert_eq!(
            (p.train_size, p.config.hidden.len(), p.config.epochs),
            (1000, 0, 10)
        );
        assert_eq!((p.config.batch_size, p.validation_split), (32, 0.2));
    }

    #[test]
    fn the_code_and_guide_panels_can_be_hidden() {
        let (s, notices) = parse("embed=1&hide=code,GUIDE");
        assert_eq!(s.hide, vec![Panel::Code, Panel::Guide]);
        assert!(notices.is_empty(), "{notices:?}");
        let (back, _) = parse(&to_query(&s));
        assert_eq!(back.hide, s.hide);
    }

    #[test]
    fn hostile_values_are_clamped_or_ignored_with_notices() {
        let (s, notices) = parse(
            "n=-5&b=99999999999&epochs=1e9&lr=NaN&data=<script>&layers=0&zzz=1&split=0.9&hide=charts,evil",
        );
        let e = &s.experiment;
        assert_eq!(e.train_size, 1);
        assert_eq!(e.config.batch_size, 1);
        assert_eq!(e.config.epochs, MAX_EPOCHS);
        assert_eq!(e.config.learning_rate, 0.001);
        assert_eq!(e.source, DataSource::Mnist);
        assert_eq!(e.validation_split, 0.5);
        assert_eq!(s.hide, vec![Panel::Charts]);
        for key in ["n", "b", "epochs", "split"] {
            assert!(
                notices
                    .iter()
                    .any(|n| matches!(n, Notice::Clamped { key: k, .. } if k == key)),
                "{key}: {notices:?}"
            );
        }
        assert!(
            notices.contains(&Notice::Unknown {
                key: "hide=evil".into()
            }),
            "only the unknown panel is named: {notices:?}"
        );
        for key in ["lr", "data", "layers"] {
            assert!(
                notices
                    .iter()
                    .any(|n| matches!(n, Notice::Invalid { key: k } if k == key)),
                "{key}: {notices:?}"
            );
        }
        assert!(notices.contains(&Notice::Unknown { key: "zzz".into() }));
        assert!(
            !notices
                .iter()
                .any(|n| n == &Notice::Invalid { key: "hide".into() }),
            "{notices:?}"
        );
        let (s, notices) = parse("hide=cost,noise,runs,lr,export,sweep,compare");
        assert_eq!(
            s.hide,
            [
                Panel::Cost,
                Panel::Noise,
                Panel::Runs,
                Panel::Lr,
                Panel::Export,
                Panel::Sweep,
                Panel::Compare
            ]
        );
        assert!(notices.is_empty(), "{notices:?}");
        let (s, _) = parse("n=1&b=abc");
        assert_eq!(
            s.experiment.config.batch_size, 1,
            "an unreadable B still fits N"
        );
    }

    #[test]
    fn round_trip() {
        let mut state = PageState::default();
        state.experiment.source = DataSource::Toy {
            toy: Toy::Moons,
            noise: 0.25,
        };
        state.experiment.train_size = 300;
        state.experiment.config.hidden = vec![8, 4];
        state.experiment.config.learning_rate = 0.03;
        state.lang = Some(Lang::En);
        state.speed = Speed::PerSecond(5);
        state.embed = true;
        state.hide = vec![Panel::Controls, Panel::Batch];
        state.view = ChartView {
            axis: XAxis::Samples,
            log_x: true,
            smoothing: 0.25,
        };
        state.sweep_sizes = Some(vec![8, 32, 300]);
        state.sweep_target = Some(0.9);
        let query = to_query(&state);
        assert!(
            query.ends_with("&x=samples&xlog=1&smooth=0.25&sweep=8,32,300&target=90"),
            "{query}"
        );
        let (back, notices) = parse(&query);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, state);
    }

    #[test]
    fn teaching_presets_bring_their_view_and_pace_and_keys_refine_them() {
        let (s, notices) = parse("preset=small-batch");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(s.experiment.config.batch_size, 8);
        assert_eq!(
            (s.view.axis, s.view.smoothing, s.speed),
            (XAxis::Update, 0.0, Speed::EpochPerSecond)
        );
        let (back, _) = parse(&to_query(&s));
        assert_eq!(back, s, "the link keeps the teaching view");
        let (s, _) = parse("preset=large-batch&speed=max&x=epoch&smooth=0.5");
        assert_eq!(s.experiment.config.batch_size, 256);
        assert_eq!(
            (s.view.axis, s.view.smoothing, s.speed),
            (XAxis::Epoch, 0.5, Speed::Max)
        );
        let (s, _) = parse("preset=calc200");
        assert_eq!(s.view, ChartView::default(), "not a teaching preset");
    }

    #[test]
    fn the_epoch_pace_is_the_default_and_a_link_keeps_any_speed() {
        assert_eq!(PageState::default().speed, Speed::EpochPerSecond);
        assert_eq!(parse("").0.speed, Speed::EpochPerSecond);
        assert!(!to_query(&PageState::default()).contains("speed="));
        for (key, speed) in [
            ("epoch", Speed::EpochPerSecond),
            ("max", Speed::Max),
            ("MAX", Speed::Max),
            ("20", Speed::PerSecond(20)),
            ("1", Speed::PerSecond(1)),
        ] {
            let (s, notices) = parse(&format!("speed={key}"));
            assert!(notices.is_empty(), "{key}: {notices:?}");
            assert_eq!(s.speed, speed, "{key}");
            let (back, _) = parse(&to_query(&s));
            assert_eq!(back.speed, speed, "{key} survives the link");
        }
        let max = PageState {
            speed: Speed::Max,
            ..PageState::default()
        };
        assert!(to_query(&max).contains("speed=max"), "Max is now written");
        for bad in ["0", "1001", "epochs", "-1", ""] {
            let (s, notices) = parse(&format!("speed={bad}"));
            assert_eq!(s.speed, Speed::EpochPerSecond, "{bad}");
            assert!(
                notices.contains(&Notice::Invalid {
                    key: "speed".into()
                }),
                "{bad}: {notices:?}"
            );
        }
    }

    #[test]
    fn the_view_and_sweep_keys() {
        let (s, notices) = parse("x=Update&xlog=1&smooth=0&sweep=8%2C32,128&target=95");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            s.view,
            ChartView {
                axis: XAxis::Update,
                log_x: true,
                smoothing: 0.0
            }
        );
        assert_eq!(s.sweep_sizes, Some(vec![8, 32, 128]));
        assert_eq!(s.sweep_target, Some(0.95));
        let (s, notices) = parse("x=steps&xlog=maybe&smooth=2&sweep=8,abc&target=0&n=100");
        assert_eq!(
            s.view,
            ChartView {
                smoothing: MAX_WEIGHT,
                ..ChartView::default()
            }
        );
        assert_eq!((s.sweep_sizes, s.sweep_target), (None, Some(0.01)));
        for key in ["x", "xlog", "sweep"] {
            assert!(
                notices.contains(&Notice::Invalid { key: key.into() }),
                "{key}: {notices:?}"
            );
        }
        for (key, used) in [("smooth", "0.99"), ("target", "1")] {
            assert!(
                notices.contains(&Notice::Clamped {
                    key: key.into(),
                    used: used.into()
                }),
                "{key}: {notices:?}"
            );
        }
        let (s, notices) = parse("n=100&sweep=0,8,500,8&target=150%25&smooth=NaN");
        assert_eq!(s.sweep_sizes, Some(vec![1, 8, 100]), "clamped to 1..=N");
        assert_eq!(s.sweep_target, Some(1.0));
        assert_eq!(s.view.smoothing, DEFAULT_SMOOTHING);
        assert!(notices.contains(&Notice::Clamped {
            key: "sweep".into(),
            used: "1,8,100".into()
        }));
        assert!(notices.contains(&Notice::Invalid {
            key: "smooth".into()
        }));
        let (s, notices) = parse("sweep=1,2,3,4,5,6,7,8,9");
        assert_eq!(
            s.sweep_sizes.map(|v| v.len()),
            Some(crate::sweep::MAX_SIZES),
            "more sizes than a sweep runs: the first ones up to the cap"
        );
        assert!(
            notices
                .iter()
                .any(|n| matches!(n, Notice::Clamped { key, .. } if key == "sweep"))
        );
    }

    #[test]
    fn the_default_view_and_sweep_stay_out_of_the_link() {
        let query = to_query(&PageState::default());
        for key in ["x=", "xlog", "smooth", "sweep", "target"] {
            assert!(!query.contains(key), "{key} in {query}");
        }
        let mut state = PageState::default();
        state.view.log_x = true;
        assert!(to_query(&state).ends_with("&xlog=1"));
    }

    #[test]
    fn targets_write_their_shortest_percentage() {
        for (fraction, text) in [
            (0.9, "90"),
            (0.6, "60"),
            (0.01, "1"),
            (1.0, "100"),
            (0.975, "97.5"),
            (0.372, "37.2"),
            (0.123456789, "12.3456789"),
        ] {
            assert_eq!(percent_text(fraction), text);
            assert_eq!(percent_fraction(text), Some(fraction), "{text}");
        }
        assert_eq!(percent_fraction("9e1"), Some(0.9));
        assert_eq!(percent_fraction("9.5E+1"), Some(0.95));
        assert_eq!(percent_fraction("abc"), None);
        assert_eq!(percent_fraction("1e-2147483648"), None);
        for thousandth in 10..=1000 {
            let fraction = thousandth as f64 / 1000.0;
            let text = percent_text(fraction);
            assert_eq!(percent_fraction(&text), Some(fraction), "{text}");
            let (s, notices) = parse(&format!("target={text}"));
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(s.sweep_target, Some(fraction));
        }
    }

    #[test]
    fn the_schedule_keys() {
        let (s, notices) =
            parse("rule=Linear&b0=64&warmup=3&warmup-lr=0.0001&decay=cosine&floor=0.1");
        assert!(notices.is_empty(), "{notices:?}");
        let schedule = s.experiment.config.schedule;
        assert_eq!(
            schedule,
            Schedule {
                rule: ScalingRule::Linear,
                base_batch: 64,
                warmup_epochs: 3,
                warmup_start: 0.0001,
                decay: Decay::Cosine,
                floor: 0.1,
            }
        );
        assert_eq!(parse(&to_query(&s)).0, s);
        // The default schedule stays out of the link.
        let plain = to_query(&PageState::default());
        for key in ["rule=", "b0=", "warmup=", "warmup-lr=", "decay=", "floor="] {
            assert!(!plain.contains(key), "{plain}");
        }
        // Presets, refined by keys.
        let (s, _) = parse("preset=warmup&warmup=5");
        assert_eq!(
            (
                s.experiment.config.schedule.warmup_epochs,
                s.experiment.config.schedule.warmup_start
            ),
            (5, 0.0001)
        );
        let (s, _) = parse("preset=linear-scaling");
        assert_eq!(
            s.experiment.config.peak_rate(s.experiment.train_size),
            0.008
        );
        // Bad values: clamped or ignored, with notices.
        let (s, notices) = parse("rule=cubic&b0=0&warmup=1000&warmup-lr=-1&decay=step&floor=2");
        let schedule = s.experiment.config.schedule;
        assert_eq!(
            (schedule.rule, schedule.base_batch, schedule.warmup_epochs),
            (ScalingRule::None, 1, MAX_EPOCHS)
        );
        assert_eq!(
            (schedule.warmup_start, schedule.decay, schedule.floor),
            (LR_RANGE.0, Decay::Constant, 1.0)
        );
        assert_eq!(
            notices,
            // In the table's order.
            vec![
                Notice::Invalid { key: "rule".into() },
                Notice::Clamped {
                    key: "b0".into(),
                    used: "1".into()
                },
                Notice::Clamped {
                    key: "warmup".into(),
                    used: "200".into()
                },
                Notice::Clamped {
                    key: "warmup-lr".into(),
                    used: LR_RANGE.0.to_string()
                },
                Notice::Invalid {
                    key: "decay".into()
                },
                Notice::Clamped {
                    key: "floor".into(),
                    used: "1".into()
                },
            ]
        );
        let (_, notices) = parse("warmup=soon&floor=NaN");
        assert_eq!(notices.len(), 2, "{notices:?}");
    }

    #[test]
    fn escapes_and_oddities() {
        assert_eq!(decode("a%20b+c%zz%4"), "a b c%zz%4");
        let (s, _) = parse("layers=64%2C32&&=&n");
        assert_eq!(s.experiment.config.hidden, vec![64, 32]);
    }

    #[test]
    fn a_sweep_list_past_the_cap_keeps_its_first_sizes_and_says_so() {
        use crate::sweep::MAX_SIZES;
        let long: Vec<String> = (1..=MAX_SIZES + 3).map(|k| (k * 10).to_string()).collect();
        let (s, notices) = parse(&format!("n=8000&sweep={}", long.join(",")));
        let want: Vec<usize> = (1..=MAX_SIZES).map(|k| k * 10).collect();
        assert_eq!(s.sweep_sizes.as_deref(), Some(&want[..]));
        assert_eq!(
            notices,
            [Notice::Clamped {
                key: "sweep".into(),
                used: sizes_text(&want)
            }]
        );
        // Written out of order, the first ones as written are kept (then sorted).
        let (s, _) = parse(&format!("n=8000&sweep=9000,5,{}", long.join(",")));
        let mut want: Vec<usize> = [8000, 5]
            .into_iter()
            .chain((1..=MAX_SIZES - 2).map(|k| k * 10))
            .collect();
        want.sort_unstable();
        assert_eq!(s.sweep_sizes.as_deref(), Some(&want[..]));
    }

    /// The sweep's sizes and target boxes read what is typed with the `sweep` and `target`
    /// rows, as a link does: a list past the cap keeps its first sizes, an out-of-range
    /// target is clamped to [`TARGET_PERCENT_RANGE`] and kept exactly otherwise, and what
    /// the rows cannot read is refused with its reason.
    #[test]
    fn the_sweep_boxes_read_a_value_as_a_link_does() {
        use crate::sweep::MAX_SIZES;
        let at_n = |n: usize| {
            let mut experiment = Experiment::with_source(DataSource::Random);
            experiment.set_train_size(n);
            PageState {
                experiment,
                ..PageState::default()
            }
        };
        let typed =
            |key: &str, text: &str| read_typed(key, text, at_n(400)).map(|(state, _)| state);
        let linked = |query: &str| parse(&format!("data=random&n=400&{query}")).0;
        let long: Vec<String> = (1..=MAX_SIZES + 2).map(|k| k.to_string()).collect();
        for list in ["8, 32, 128", "8 32 1000", &long.join(",")] {
            let box_sizes = typed("sweep", list).unwrap().sweep_sizes;
            assert_eq!(
                box_sizes,
                linked(&format!("sweep={list}")).sweep_sizes,
                "{list}"
            );
        }
        assert_eq!(
            typed("sweep", &long.join(",")).unwrap().sweep_sizes,
            Some((1..=MAX_SIZES).collect())
        );
        assert_eq!(typed("sweep", "8;32;64"), Err(Why::Sizes));
        assert_eq!(typed("sweep", " , "), Err(Why::Sizes));
        let (lo, hi) = TARGET_PERCENT_RANGE;
        for (text, target) in [("90", 0.9), ("90.55%", 0.9055), ("0.5", lo / 100.0)] {
            assert_eq!(typed("target", text).unwrap().sweep_target, Some(target));
            assert_eq!(linked(&format!("target={text}")).sweep_target, Some(target));
        }
        assert_eq!(
            typed("target", "1e9").unwrap().sweep_target,
            Some(hi / 100.0)
        );
        assert_eq!(typed("target", "ninety"), Err(Why::NotANumber));
        assert_eq!(
            percent_text(0.9055),
            "90.55",
            "the box shows the target in use"
        );
    }

    #[test]
    fn the_seed_group_keys_are_read_clamped_and_written() {
        let plain = to_query(&PageState::default());
        for key in ["seeds=", "sweep-mode=", "sweep-seeds=", "sweep-budget="] {
            assert!(!plain.contains(key), "{key} in {plain}");
        }
        let (s, notices) = parse("seeds=5&sweep-mode=Epochs&sweep-seeds=4&sweep-budget=30");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (s.seeds, s.sweep_mode, s.sweep_seeds, s.sweep_budget),
            (5, SweepMode::Epochs, 4, Some(30))
        );
        assert_eq!(parse(&to_query(&s)).0, s, "{}", to_query(&s));
        let (s, notices) = parse("seeds=0&sweep-mode=fast&sweep-seeds=99&sweep-budget=1e9");
        assert_eq!(
            (s.seeds, s.sweep_mode, s.sweep_seeds, s.sweep_budget),
            (1, SweepMode::Target, SEEDS_RANGE.1, Some(MAX_EPOCHS))
        );
        assert_eq!(
            notices,
            [
                Notice::Invalid {
                    key: "sweep-mode".into()
                },
                Notice::Clamped {
                    key: "sweep-seeds".into(),
                    used: SEEDS_RANGE.1.to_string()
                },
                Notice::Clamped {
                    key: "sweep-budget".into(),
                    used: MAX_EPOCHS.to_string()
                },
                Notice::Clamped {
                    key: "seeds".into(),
                    used: "1".into()
                },
            ]
        );
        let (s, notices) = parse("seeds=two&sweep-budget=");
        assert_eq!((s.seeds, s.sweep_budget, notices.len()), (1, None, 2));
    }

    #[test]
    fn sweep_workers_are_read_clamped_and_written() {
        let (s, notices) = parse("workers=3");
        assert_eq!((s.sweep_workers, notices.len()), (Some(3), 0));
        assert!(to_query(&s).contains("workers=3"));
        let (s, notices) = parse("workers=99");
        assert_eq!(s.sweep_workers, Some(MAX_SWEEP_WORKERS));
        assert_eq!(
            notices,
            [Notice::Clamped {
                key: "workers".into(),
                used: MAX_SWEEP_WORKERS.to_string()
            }]
        );
        let (s, notices) = parse("workers=many");
        assert_eq!((s.sweep_workers, notices.len()), (None, 1));
    }
}

#[cfg(test)]
mod view_key_tests {
    use super::*;
    use crate::layout::Layout;

    /// The race: B = 8 against `race-b` (256 unless the link says), which reads within N and
    /// survives a link; only the race view changes the default B.
    #[test]
    fn the_race_reads_both_batch_sizes() {
        let (s, notices) = parse("view=race");
        assert_eq!(
            (s.experiment.config.batch_size, s.race_b, notices.len()),
            (8, 256, 0)
        );
        assert!(!to_query(&s).contains("race-b="));
        let (s, notices) = parse("view=race&b=16&race-b=128");
        assert_eq!((s.experiment.config.batch_size, s.race_b), (16, 128));
        assert!(notices.is_empty());
        assert_eq!(parse(&to_query(&s)).0, s);
        let (s, notices) = parse("view=race&data=moons&n=200&race-b=999");
        assert_eq!(s.race_b, 200);
        assert_eq!(
            notices,
            vec![Notice::Clamped {
                key: "race-b".into(),
                used: "200".into()
            }]
        );
        assert_eq!(
            parse("race-b=many").1,
            vec![Notice::Invalid {
                key: "race-b".into()
            }]
        );
        assert_eq!(parse("b=32").0.experiment.config.batch_size, 32);
    }

    #[test]
    fn view_survives_a_link_and_a_bad_one_is_named() {
        let (s, notices) = parse("view=anatomy&embed=1");
        assert_eq!((s.layout, notices.len()), (Layout::Anatomy, 0));
        assert!(to_query(&s).contains("view=anatomy"));
        assert_eq!(parse(&to_query(&s)).0.layout, Layout::Anatomy);
        // The anatomy view trains without MNIST, and its link says so (and reads back alike).
        assert_eq!(s.experiment.source, crate::preset::CALCULATION_DATA);
        assert_eq!(parse(&to_query(&s)).0, s);
        let (calc, _) = parse("view=anatomy&data=mnist&n=200&b=20");
        assert_eq!(
            (calc.experiment.source, calc.experiment.updates_per_epoch()),
            (crate::preset::CALCULATION_DATA, 10)
        );
        // The default is not written.
        assert!(!to_query(&PageState::default()).contains("view="));
        let (s, notices) = parse("view=everything");
        assert_eq!(s.layout, Layout::Full);
        assert_eq!(notices, vec![Notice::Invalid { key: "view".into() }]);
    }

    /// `claim=KEY` picks one card of `view=claims` and survives a link; an unknown key is
    /// named and every card is shown (no claim).
    #[test]
    fn claim_survives_a_link_and_a_bad_one_is_named() {
        use crate::claims::Claim;
        let (s, notices) = parse("view=claims&claim=noise");
        assert_eq!(
            (s.layout, s.claim, notices.len()),
            (Layout::Claims, Some(Claim::Noise), 0)
        );
        assert_eq!(parse(&to_query(&s)).0.claim, Some(Claim::Noise));
        assert!(!to_query(&PageState::default()).contains("claim="));
        let (s, notices) = parse("view=claims&claim=sharp");
        assert_eq!((s.layout, s.claim), (Layout::Claims, None));
        assert_eq!(
            notices,
            vec![Notice::Invalid {
                key: "claim".into()
            }]
        );
    }

    /// A view's link names its card in `view=claims` only.
    #[test]
    fn a_claims_views_link_names_its_card() {
        use crate::claims::Claim;
        let s = PageState::default().in_view(Layout::Claims, Some(Claim::Noise));
        assert!(to_query(&s).contains("view=claims") && to_query(&s).contains("claim=noise"));
        let full = PageState::default().in_view(Layout::Full, Some(Claim::Noise));
        assert!(!to_query(&full).contains("claim="), "{}", to_query(&full));
        let all = PageState::default().in_view(Layout::Claims, None);
        assert!(!to_query(&all).contains("claim="));
    }
}
