//! Every setting in the URL, so a link reproduces the exact run: the query string is read
//! once at start (hostile input is clamped or ignored, each with a notice, never a panic)
//! and rewritten as the settings change.
//!
//! Keys: `lang`, `data` (mnist, random, spirals, circles, xor, blobs, moons), `n`, `split`,
//! `noise`, `seed`, `b` (batch size), `epochs`, `lr`, `opt` (adam, sgd, momentum), `layers`
//! (`128` or `64-32`), `act` (relu, tanh, sigmoid), `speed` ([`speed_key`]: `epoch`, one
//! epoch per second, the default and written only when it differs; `1`, `5`, `20` updates
//! per second; `max`), `embed` (1), `hide` (panels, comma-separated:
//! [`Panel::key`] of each of [`Panel::ALL`]), and
//! `preset` (applied first, then the other keys; [`Preset::from_key`], as the page's preset
//! menu). The learning-rate schedule ([`crate::trainer::schedule`]), each key written only
//! when it differs from no schedule: `rule` (none, linear, sqrt), `b0` (B₀ of the rule,
//! 1–100,000), `warmup` (warm-up epochs, 0–200; 0 is off), `warmup-lr` (the warm-up's first
//! rate, within the `lr` bounds), `decay` (constant, cosine) and `floor` (the cosine's end as
//! a fraction of the peak, 0–1). `data` is applied next, as choosing the set in the
//! menu does ([`Experiment::set_source`]: the set's N, network, learning rate and epochs), so
//! `?data=spirals` is the experiment the menu gives; every other key then refines it.
//!
//! The charts' view: `x` (epoch, update, samples, seconds), `xlog` (1 or 0: log x, which
//! only the update and samples axes draw) and `smooth` (smoothing weight, 0–0.99); each is
//! written only when it differs from [`ChartView::default`], so a plain link stays short.
//!
//! The batch-size sweep: `sweep` (its batch sizes, comma-separated, e.g. `8,32,128`; read by
//! [`crate::sweep::parse_sizes`], so clamped to 1..=N, sorted, at most
//! [`crate::sweep::MAX_SIZES`]; absent: the default list for N) and `target` (the target
//! validation accuracy in percent, 1–100, e.g. `target=90`; absent: the data set's default),
//! and `workers` (how many Web Workers it trains in, 1–4: [`MAX_SWEEP_WORKERS`]; absent: the
//! measured rule).
//!
//! The readers' list of these keys, with values, bounds and defaults, is `docs/url.md`: a
//! change of a key here changes it there (it says how to check the two agree).

pub use crate::experiment::toy_key;
use crate::experiment::{DataSource, Experiment};
use crate::i18n::Lang;
use crate::plot::smoothing::MAX_WEIGHT;
use crate::plot::view::{ChartView, axis_from_key, axis_key};
pub use crate::preset::Preset;
use crate::settings::{self, FLOOR_RANGE, LR_RANGE, MAX_BASE_BATCH, MAX_EPOCHS, SPLIT_RANGE};
use crate::sweep::{MAX_SWEEP_WORKERS, SizesError, parse_sizes};
use crate::trainer::data::toy::MAX_NOISE;
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;
use crate::trainer::schedule::{Decay, ScalingRule, Schedule};
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
}

impl Panel {
    pub const ALL: [Panel; 12] = [
        Panel::Controls,
        Panel::Anatomy,
        Panel::Charts,
        Panel::Batch,
        Panel::Sweep,
        Panel::Code,
        Panel::Guide,
        Panel::Cost,
        Panel::Noise,
        Panel::Runs,
        Panel::Lr,
        Panel::Export,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Panel::Controls => "controls",
            Panel::Anatomy => "anatomy",
            Panel::Charts => "charts",
            Panel::Batch => "batch",
            Panel::Sweep => "sweep",
            Panel::Code => "code",
            Panel::Guide => "guide",
            Panel::Cost => "cost",
            Panel::Noise => "noise",
            Panel::Runs => "runs",
            Panel::Lr => "lr",
            Panel::Export => "export",
        }
    }

    /// The panel whose [`Panel::key`] is `key` (any case).
    pub fn from_key(key: &str) -> Option<Panel> {
        let key = key.to_ascii_lowercase();
        Panel::ALL.into_iter().find(|p| p.key() == key)
    }
}

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
    /// The focused view (`view`: anatomy, lr, sweep, full; [`crate::layout::Layout`]).
    pub layout: crate::layout::Layout,
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
            layout: crate::layout::Layout::Full,
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
/// The sweep target's range in the URL, in percent.
pub const TARGET_PERCENT_RANGE: (f64, f64) = (1.0, 100.0);
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

/// The menu/URL name of a data source ([`DataSource::key`]).
pub fn data_key(source: DataSource) -> &'static str {
    source.key()
}

/// The menu/URL name of an optimiser.
pub fn optimizer_key(optimizer: OptimizerKind) -> &'static str {
    match optimizer {
        OptimizerKind::Adam { .. } => "adam",
        OptimizerKind::Sgd => "sgd",
        OptimizerKind::Momentum { .. } => "momentum",
    }
}

/// The menu/URL name of an activation.
pub fn activation_key(activation: Activation) -> &'static str {
    match activation {
        Activation::Relu => "relu",
        Activation::Tanh => "tanh",
        Activation::Sigmoid => "sigmoid",
    }
}

/// The speed's name in the URL (`speed=`) and as the speed menu's value.
pub fn speed_key(speed: Speed) -> String {
    match speed {
        Speed::Max => "max".into(),
        Speed::EpochPerSecond => "epoch".into(),
        Speed::PerSecond(n) => n.to_string(),
    }
}

/// The speed named `key` ([`speed_key`]; any case; 1–1,000 updates per second), `None` if
/// it names none.
pub fn speed_from_key(key: &str) -> Option<Speed> {
    match key.trim().to_ascii_lowercase().as_str() {
        "max" => Some(Speed::Max),
        "epoch" => Some(Speed::EpochPerSecond),
        v => match v.parse::<u32>() {
            Ok(n) if (1..=1000).contains(&n) => Some(Speed::PerSecond(n)),
            _ => None,
        },
    }
}

/// Reads a query string (with or without the leading `?`; `#` fragments are ignored).
pub fn parse(query: &str) -> (PageState, Vec<Notice>) {
    let query = query
        .split('#')
        .next()
        .unwrap_or("")
        .trim_start_matches('?');
    let pairs: Vec<(String, String)> = query
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
        .collect();
    let mut notices = Vec::new();
    let mut state = PageState::default();
    // The preset first (its experiment, and a teaching preset's view and pace), so explicit
    // keys refine it.
    if let Some((_, v)) = pairs.iter().find(|(k, _)| k == "preset") {
        match Preset::from_key(v) {
            Some(p) => {
                state.experiment = p.experiment();
                if let Some(staging) = p.staging() {
                    state.view = staging.view;
                    state.speed = staging.speed;
                }
            }
            None => notices.push(Notice::Invalid {
                key: "preset".into(),
            }),
        }
    }
    // The data set next, with its defaults (as the menu does); the last readable `data`
    // wins. N's range depends on it.
    if let Some(source) = pairs
        .iter()
        .rev()
        .filter(|(k, v)| k == "data" && v.len() <= MAX_VALUE_LEN)
        .find_map(|(_, v)| DataSource::from_key(v))
    {
        state.experiment.set_source(source);
    }
    let mut noise = None;
    for (key, value) in &pairs {
        if value.len() > MAX_VALUE_LEN {
            notices.push(Notice::Invalid { key: shown(key) });
            continue;
        }
        let e = &mut state.experiment;
        let ok = match key.as_str() {
            "preset" => true,
            "data" => DataSource::from_key(value).is_some(),
            "noise" => {
                noise = Some(value.clone());
                true
            }
            "lang" => match Lang::from_tag(value) {
                Some(l) => set(&mut state.lang, Some(l)),
                None => false,
            },
            "opt" => match value.to_ascii_lowercase().as_str() {
                "adam" => set(&mut e.config.optimizer, OptimizerKind::adam()),
                "sgd" => set(&mut e.config.optimizer, OptimizerKind::Sgd),
                "momentum" => set(&mut e.config.optimizer, OptimizerKind::momentum()),
                _ => false,
            },
            "rule" => match ScalingRule::from_key(value) {
                Some(r) => set(&mut e.config.schedule.rule, r),
                None => false,
            },
            "decay" => match Decay::from_key(value) {
                Some(d) => set(&mut e.config.schedule.decay, d),
                None => false,
            },
            "act" => match value.to_ascii_lowercase().as_str() {
                "relu" => set(&mut e.config.activation, Activation::Relu),
                "tanh" => set(&mut e.config.activation, Activation::Tanh),
                "sigmoid" => set(&mut e.config.activation, Activation::Sigmoid),
                _ => false,
            },
            "layers" => match settings::parse_hidden(value) {
                Ok(w) => set(&mut e.config.hidden, w),
                Err(_) => false,
            },
            "seed" => match value.parse::<u64>() {
                Ok(s) => set(&mut e.config.seed, s),
                Err(_) => false,
            },
            "speed" => match speed_from_key(value) {
                Some(speed) => set(&mut state.speed, speed),
                None => false,
            },
            "embed" => set(
                &mut state.embed,
                matches!(value.as_str(), "1" | "true" | "yes" | ""),
            ),
            // The known panels are hidden; each unknown one is named on its own.
            "hide" => {
                for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    match Panel::from_key(part) {
                        Some(p) if !state.hide.contains(&p) => state.hide.push(p),
                        Some(_) => {}
                        None => notices.push(Notice::Unknown {
                            key: format!("hide={}", shown(part)),
                        }),
                    }
                }
                true
            }
            "view" => match crate::layout::Layout::from_key(value) {
                Some(l) => set(&mut state.layout, l),
                None => false,
            },
            "x" => match axis_from_key(&value.to_ascii_lowercase()) {
                Some(axis) => set(&mut state.view.axis, axis),
                None => false,
            },
            "xlog" => match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => set(&mut state.view.log_x, true),
                "0" | "false" | "no" => set(&mut state.view.log_x, false),
                _ => false,
            },
            // Numeric, below (the sweep's sizes after N, which bounds them).
            "n" | "split" | "b" | "epochs" | "lr" | "smooth" | "sweep" | "target" | "workers"
            | "b0" | "warmup" | "warmup-lr" | "floor" => true,
            _ => {
                notices.push(Notice::Unknown { key: shown(key) });
                continue;
            }
        };
        if !ok {
            notices.push(Notice::Invalid { key: shown(key) });
        }
    }
    let e = &mut state.experiment;
    if let Some(v) = noise {
        match (&mut e.source, v.parse::<f32>()) {
            (DataSource::Toy { noise, .. }, Ok(x)) if x.is_finite() => {
                *noise = clamp_notice("noise", x, 0.0, MAX_NOISE, &mut notices);
            }
            (DataSource::Toy { .. }, _) => notices.push(Notice::Invalid {
                key: "noise".into(),
            }),
            _ => notices.push(Notice::Unknown {
                key: "noise".into(),
            }),
        }
    }
    let number = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && v.len() <= MAX_VALUE_LEN)
            .map(|(_, v)| v.clone())
    };
    if let Some(v) = number("split") {
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                e.validation_split =
                    clamp_notice("split", x, SPLIT_RANGE.0, SPLIT_RANGE.1, &mut notices)
            }
            _ => notices.push(Notice::Invalid {
                key: "split".into(),
            }),
        }
    }
    let max_n = e.max_train_size();
    match number("n").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            e.train_size = clamp_notice("n", x.round(), 1.0, max_n as f64, &mut notices) as usize
        }
        Some(_) => notices.push(Notice::Invalid { key: "n".into() }),
        None => e.train_size = e.train_size.min(max_n),
    }
    match number("b").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            e.config.batch_size =
                clamp_notice("b", x.round(), 1.0, e.train_size as f64, &mut notices) as usize
        }
        Some(_) => notices.push(Notice::Invalid { key: "b".into() }),
        None => {}
    }
    // Whatever happened above, B never exceeds N (a preset's B with a smaller N, say).
    e.config.batch_size = e.batch_in_effect();
    match number("epochs").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            e.config.epochs =
                clamp_notice("epochs", x.round(), 1.0, MAX_EPOCHS as f64, &mut notices) as usize
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "epochs".into(),
        }),
        None => {}
    }
    match number("workers").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            let max = MAX_SWEEP_WORKERS as f64;
            state.sweep_workers =
                Some(clamp_notice("workers", x.round(), 1.0, max, &mut notices) as usize)
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "workers".into(),
        }),
        None => {}
    }
    match number("lr").map(|v| v.parse::<f32>()) {
        Some(Ok(x)) if x.is_finite() => {
            e.config.learning_rate = clamp_notice("lr", x, LR_RANGE.0, LR_RANGE.1, &mut notices)
        }
        Some(_) => notices.push(Notice::Invalid { key: "lr".into() }),
        None => {}
    }
    let schedule = &mut e.config.schedule;
    match number("b0").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            let max = MAX_BASE_BATCH as f64;
            schedule.base_batch = clamp_notice("b0", x.round(), 1.0, max, &mut notices) as usize
        }
        Some(_) => notices.push(Notice::Invalid { key: "b0".into() }),
        None => {}
    }
    match number("warmup").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            let max = MAX_EPOCHS as f64;
            schedule.warmup_epochs =
                clamp_notice("warmup", x.round(), 0.0, max, &mut notices) as usize
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "warmup".into(),
        }),
        None => {}
    }
    match number("warmup-lr").map(|v| v.parse::<f32>()) {
        Some(Ok(x)) if x.is_finite() => {
            schedule.warmup_start =
                clamp_notice("warmup-lr", x, LR_RANGE.0, LR_RANGE.1, &mut notices)
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "warmup-lr".into(),
        }),
        None => {}
    }
    match number("floor").map(|v| v.parse::<f32>()) {
        Some(Ok(x)) if x.is_finite() => {
            schedule.floor = clamp_notice("floor", x, FLOOR_RANGE.0, FLOOR_RANGE.1, &mut notices)
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "floor".into(),
        }),
        None => {}
    }
    match number("smooth").map(|v| v.parse::<f64>()) {
        Some(Ok(x)) if x.is_finite() => {
            state.view.smoothing = clamp_notice("smooth", x, 0.0, MAX_WEIGHT, &mut notices)
        }
        Some(_) => notices.push(Notice::Invalid {
            key: "smooth".into(),
        }),
        None => {}
    }
    if let Some(v) = number("sweep") {
        match parse_sizes(&v, e.train_size) {
            Ok(sizes) => {
                // parse_sizes clamps to 1..=N silently: say so, as for other numbers.
                let n = e.train_size as u64;
                let clamped = v
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|p| !p.is_empty())
                    .any(|p| p.parse::<u64>().map_or(true, |b| b < 1 || b > n));
                if clamped {
                    notices.push(Notice::Clamped {
                        key: "sweep".into(),
                        used: sizes_text(&sizes),
                    });
                }
                state.sweep_sizes = Some(sizes);
            }
            Err(SizesError::TooMany) => {
                let sizes = first_sizes_within_cap(&v, e.train_size);
                notices.push(Notice::Clamped {
                    key: "sweep".into(),
                    used: sizes_text(&sizes),
                });
                state.sweep_sizes = Some(sizes);
            }
            Err(_) => notices.push(Notice::Invalid {
                key: "sweep".into(),
            }),
        }
    }
    if let Some(v) = number("target") {
        let text = v.trim_end_matches('%').trim();
        match (text.parse::<f64>(), percent_fraction(text)) {
            (Ok(x), Some(fraction)) if x.is_finite() && fraction.is_finite() => {
                let (lo, hi) = TARGET_PERCENT_RANGE;
                let used = clamp_notice("target", x, lo, hi, &mut notices);
                let fraction = if used == x { fraction } else { used / 100.0 };
                state.sweep_target = Some(fraction.clamp(lo / 100.0, hi / 100.0));
            }
            _ => notices.push(Notice::Invalid {
                key: "target".into(),
            }),
        }
    }
    (state, notices)
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
/// (`0.9` → `90`, `0.372` → `37.2`), so [`percent_fraction`] reads it back exactly.
fn percent_text(fraction: f64) -> String {
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

fn set<T>(slot: &mut T, value: T) -> bool {
    *slot = value;
    true
}

/// A `sweep=` list with more distinct sizes than a sweep runs ([`crate::sweep::MAX_SIZES`]): its first
/// entries, as written, up to the cap (the link keeps what it can and says so, rather than
/// falling back to the default list). `text` must be readable ([`parse_sizes`] failed only
/// with [`SizesError::TooMany`]).
fn first_sizes_within_cap(text: &str, n: usize) -> Vec<usize> {
    let entries: Vec<&str> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let mut kept = Vec::new();
    for end in 1..=entries.len() {
        match parse_sizes(&entries[..end].join(","), n) {
            Ok(sizes) => kept = sizes,
            Err(_) => break,
        }
    }
    kept
}

/// `x` limited to `[lo, hi]`, with a notice when that changed it.
fn clamp_notice<T: PartialOrd + Copy + std::fmt::Display>(
    key: &str,
    x: T,
    lo: T,
    hi: T,
    notices: &mut Vec<Notice>,
) -> T {
    let used = if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        return x;
    };
    notices.push(Notice::Clamped {
        key: key.into(),
        used: used.to_string(),
    });
    used
}

/// The query string (without `?`) that [`parse`] reads back as `state`.
pub fn to_query(state: &PageState) -> String {
    let e = &state.experiment;
    let c = &e.config;
    let mut parts = vec![
        format!("data={}", data_key(e.source)),
        format!("n={}", e.train_size),
        format!("split={}", e.validation_split),
        format!("b={}", c.batch_size),
        format!("epochs={}", c.epochs),
        format!("lr={}", c.learning_rate),
        format!("opt={}", optimizer_key(c.optimizer)),
        format!(
            "layers={}",
            c.hidden
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("-")
        ),
        format!("act={}", activation_key(c.activation)),
        format!("seed={}", c.seed),
    ];
    if let DataSource::Toy { noise, .. } = e.source {
        parts.push(format!("noise={noise}"));
    }
    let (schedule, none) = (&c.schedule, Schedule::default());
    if schedule.rule != none.rule {
        parts.push(format!("rule={}", schedule.rule.key()));
    }
    if schedule.base_batch != none.base_batch {
        parts.push(format!("b0={}", schedule.base_batch));
    }
    if schedule.warmup_epochs != none.warmup_epochs {
        parts.push(format!("warmup={}", schedule.warmup_epochs));
    }
    if schedule.warmup_start != none.warmup_start {
        parts.push(format!("warmup-lr={}", schedule.warmup_start));
    }
    if schedule.decay != none.decay {
        parts.push(format!("decay={}", schedule.decay.key()));
    }
    if schedule.floor != none.floor {
        parts.push(format!("floor={}", schedule.floor));
    }
    if let Some(lang) = state.lang {
        parts.push(format!("lang={}", lang.tag()));
    }
    if state.speed != Speed::PAGE_DEFAULT {
        parts.push(format!("speed={}", speed_key(state.speed)));
    }
    if state.embed {
        parts.push("embed=1".into());
    }
    if !state.hide.is_empty() {
        parts.push(format!(
            "hide={}",
            state
                .hide
                .iter()
                .map(|p| p.key())
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if state.layout != crate::layout::Layout::Full {
        parts.push(format!("view={}", state.layout.key()));
    }
    let (view, default) = (&state.view, ChartView::default());
    if view.axis != default.axis {
        parts.push(format!("x={}", axis_key(view.axis)));
    }
    if view.log_x != default.log_x {
        parts.push(format!("xlog={}", u8::from(view.log_x)));
    }
    if view.smoothing != default.smoothing {
        parts.push(format!("smooth={}", view.smoothing));
    }
    if let Some(sizes) = &state.sweep_sizes {
        parts.push(format!("sweep={}", sizes_text(sizes)));
    }
    if let Some(target) = state.sweep_target {
        parts.push(format!("target={}", percent_text(target)));
    }
    if let Some(workers) = state.sweep_workers {
        parts.push(format!("workers={workers}"));
    }
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::XAxis;
    use crate::plot::view::DEFAULT_SMOOTHING;
    use crate::trainer::data::toy::Toy;

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
        // The menu offers exactly the sets a link names.
        let controls = include_str!("ui/controls.rs");
        let menu = &controls[controls.find("data-testid=\"dataset\"").unwrap()..];
        let menu = &menu[..menu.find("</select>").unwrap()];
        let offered: Vec<&str> = menu
            .split("<option value=\"")
            .skip(1)
            .map(|o| &o[..o.find('"').unwrap()])
            .collect();
        let all: Vec<&str> = DataSource::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(offered, all);
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
        assert_eq!(data_key(s.experiment.source), "xor");
        assert_eq!(notices, [Notice::Invalid { key: "data".into() }]);
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
        let (s, notices) = parse("hide=cost,noise,runs,lr,export,sweep");
        assert_eq!(
            s.hide,
            [
                Panel::Cost,
                Panel::Noise,
                Panel::Runs,
                Panel::Lr,
                Panel::Export,
                Panel::Sweep
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
            vec![
                Notice::Invalid { key: "rule".into() },
                Notice::Invalid {
                    key: "decay".into()
                },
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

    #[test]
    fn view_survives_a_link_and_a_bad_one_is_named() {
        let (s, notices) = parse("view=anatomy&embed=1");
        assert_eq!((s.layout, notices.len()), (Layout::Anatomy, 0));
        assert!(to_query(&s).contains("view=anatomy"));
        assert_eq!(parse(&to_query(&s)).0.layout, Layout::Anatomy);
        // The default is not written.
        assert!(!to_query(&PageState::default()).contains("view="));
        let (s, notices) = parse("view=everything");
        assert_eq!(s.layout, Layout::Full);
        assert_eq!(notices, vec![Notice::Invalid { key: "view".into() }]);
    }
}
