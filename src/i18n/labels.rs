//! What each value of an enumerated setting ([`crate::settings::Setting`]) is called on the
//! page, in the language's [`Strings`]: the menus show these, next to the value's key.
//! Each `match` is exhaustive, so a new value cannot be added without its label.

use super::{Lang, Strings, fill};
use crate::code::Framework;
use crate::experiment::DataSource;
use crate::plot::view::XAxis;
use crate::preset::{Preset, PresetGroup};
use crate::settings::{MAX_LAYERS, MAX_WIDTH};
use crate::sweep::SweepMode;
use crate::trainer::data::toy::Toy;
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;
use crate::trainer::schedule::{Decay, ScalingRule};
use crate::url_state::{Panel, Why};
use crate::worker::protocol::Speed;
use std::borrow::Cow;

/// A value's name on the page, in the language of `t`.
pub trait Label {
    fn label(self, t: &'static Strings) -> Cow<'static, str>;
}

/// Labels that are one string of [`Strings`] each.
macro_rules! labels {
    ($ty:ty, $v:ident, $t:ident => $body:expr) => {
        impl Label for $ty {
            fn label(self, t: &'static Strings) -> Cow<'static, str> {
                let ($v, $t) = (self, t);
                Cow::Borrowed($body)
            }
        }
    };
}

impl Label for DataSource {
    fn label(self, t: &'static Strings) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            DataSource::Mnist => return Cow::Owned(limits::dataset_mnist(t)),
            DataSource::Random => t.dataset_random,
            DataSource::Toy { toy, .. } => match toy {
                Toy::Spirals => t.dataset_spirals,
                Toy::Circles => t.dataset_circles,
                Toy::Xor => t.dataset_xor,
                Toy::Blobs => t.dataset_blobs,
                Toy::Moons => t.dataset_moons,
            },
        })
    }
}

impl Label for OptimizerKind {
    fn label(self, t: &'static Strings) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            OptimizerKind::Adam { .. } => t.optimizer_adam,
            OptimizerKind::Sgd => t.optimizer_sgd,
            OptimizerKind::Momentum { .. } => return Cow::Owned(limits::optimizer_momentum(t)),
        })
    }
}

labels!(Activation, v, t => match v {
    Activation::Relu => t.activation_relu,
    Activation::Tanh => t.activation_tanh,
    Activation::Sigmoid => t.activation_sigmoid,
});

labels!(ScalingRule, v, t => match v {
    ScalingRule::None => t.lr_rule_none,
    ScalingRule::Linear => t.lr_rule_linear,
    ScalingRule::Sqrt => t.lr_rule_sqrt,
});

labels!(Decay, v, t => match v {
    Decay::Constant => t.lr_decay_constant,
    Decay::Cosine => t.lr_decay_cosine,
});

labels!(XAxis, v, t => match v {
    XAxis::Epoch => t.axis_epoch,
    XAxis::Update => t.axis_update,
    XAxis::Samples => t.axis_samples,
    XAxis::Seconds => t.axis_seconds,
});

labels!(Preset, v, t => match v {
    Preset::Keras => t.preset_keras,
    Preset::Calculation200 => t.preset_calc200,
    Preset::Calculation1000 => t.preset_calc1000,
    Preset::SmallBatch => t.preset_small_batch,
    Preset::LargeBatch => t.preset_large_batch,
    Preset::LinearScaling => t.preset_linear_scaling,
    Preset::Warmup => t.preset_warmup,
    Preset::PyTorch => t.preset_pytorch,
});

labels!(PresetGroup, v, t => match v {
    PresetGroup::Batch => t.preset_group_batch,
    PresetGroup::LearningRate => t.preset_group_lr,
});

labels!(Framework, v, t => match v {
    Framework::Keras => t.code_tab_keras,
    Framework::PyTorch => t.code_tab_pytorch,
});

labels!(SweepMode, v, t => match v {
    SweepMode::Target => t.sweep_mode_target,
    SweepMode::Epochs => t.sweep_mode_epochs,
});

labels!(Panel, v, t => match v {
    Panel::Controls => t.panel_controls,
    Panel::Anatomy => t.section_anatomy,
    Panel::Charts => t.panel_charts,
    Panel::Batch => t.section_batch,
    Panel::Sweep => t.section_sweep,
    Panel::Code => t.section_code,
    Panel::Guide => t.section_guide,
    Panel::Cost => t.section_cost,
    Panel::Noise => t.noise_title,
    Panel::Runs => t.section_runs,
    Panel::Lr => t.panel_lr,
    Panel::Export => t.section_export,
    Panel::Compare => t.section_compare,
});

/// A language is named in itself, whatever the page's language.
impl Label for Lang {
    fn label(self, _: &'static Strings) -> Cow<'static, str> {
        Cow::Borrowed(self.strings().lang_name)
    }
}

impl Label for Speed {
    fn label(self, t: &'static Strings) -> Cow<'static, str> {
        match self {
            Speed::Max => Cow::Borrowed(t.speed_max),
            Speed::EpochPerSecond => Cow::Borrowed(t.speed_epoch),
            Speed::PerSecond(n) => Cow::Owned(fill(t.speed_per_second, &[&n.to_string()])),
        }
    }
}

impl Why {
    /// Why a typed value was not used, shown under its box (limits filled from the constants).
    pub fn text(&self, t: &'static Strings) -> String {
        match self {
            Why::NotANumber => t.why_number.to_owned(),
            Why::NotASeed => t.why_seed.to_owned(),
            Why::Layers(_) => fill(
                t.why_layers,
                &[&Lang::En.int(MAX_WIDTH), &MAX_LAYERS.to_string()],
            ),
            Why::UnknownName => t.why_name.to_owned(),
            Why::Sizes => limits::sweep_sizes_error(t),
            Why::TooLong => t.why_too_long.to_owned(),
        }
    }
}

/// Texts that state a limit or another number the code sets, filled from the constant that
/// sets it (changing the constant changes the text).
pub mod limits {
    use super::{Lang, Strings, fill};
    use crate::experiment::Experiment;

    /// The MNIST menu entry's digit count ([`crate::trainer::data::mnist::COUNT`]).
    pub fn dataset_mnist(t: &'static Strings) -> String {
        let count = Lang::En.int(crate::trainer::data::mnist::COUNT);
        fill(t.dataset_mnist, &[&count])
    }

    /// The momentum menu entry's momentum ([`crate::trainer::optim::MOMENTUM`]).
    pub fn optimizer_momentum(t: &'static Strings) -> String {
        let momentum = crate::trainer::optim::MOMENTUM.to_string();
        fill(t.optimizer_momentum, &[&momentum])
    }

    /// The first-visit hint's batch size and epochs: the post's Keras example the page opens
    /// with ([`Experiment::default`]).
    pub fn first_visit(t: &'static Strings) -> String {
        let keras = Experiment::default().config;
        let (batch, epochs) = (keras.batch_size.to_string(), keras.epochs.to_string());
        fill(t.first_visit, &[&batch, &epochs])
    }

    /// How many runs stay on the charts ([`crate::history::MAX_RUNS`]).
    pub fn runs_hint(t: &'static Strings) -> String {
        fill(t.runs_hint, &[&crate::history::MAX_RUNS.to_string()])
    }

    /// How many sizes a sweep takes ([`crate::sweep::MAX_SIZES`]).
    pub fn sweep_sizes_error(t: &'static Strings) -> String {
        fill(t.sweep_sizes_error, &[&crate::sweep::MAX_SIZES.to_string()])
    }

    /// The updates the noise meter averages over: `1 / (1 − DECAY)`
    /// ([`crate::trainer::noise::DECAY`]).
    pub fn noise_help(t: &'static Strings) -> String {
        let updates = (1.0 / (1.0 - crate::trainer::noise::DECAY)).round();
        fill(t.noise_help, &[&updates.to_string()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Setting;

    /// Within one menu, no two values read alike (in either language), and each key names
    /// its value back.
    fn distinct<S: Setting + Label + std::fmt::Debug>() {
        for lang in Lang::ALL {
            let t = lang.strings();
            let labels: Vec<_> = S::ALL.iter().map(|v| v.label(t)).collect();
            for (i, a) in labels.iter().enumerate() {
                assert!(!a.is_empty());
                assert!(!labels[..i].contains(a), "{a} twice");
            }
        }
        for &v in S::ALL {
            assert_eq!(S::from_key(&v.key()), Some(v), "{v:?}");
            assert_eq!(S::from_key(&v.key().to_uppercase()), Some(v), "{v:?}");
        }
        assert_eq!(S::from_key("<script>"), None);
    }

    /// Each limit's text carries its constant's value, in both languages.
    #[test]
    fn limits_are_filled_from_their_constants() {
        for lang in Lang::ALL {
            let t = lang.strings();
            let runs = limits::runs_hint(t);
            assert!(
                runs.contains(&crate::history::MAX_RUNS.to_string()),
                "{runs}"
            );
            let sizes = limits::sweep_sizes_error(t);
            assert!(
                sizes.contains(&crate::sweep::MAX_SIZES.to_string()),
                "{sizes}"
            );
            let window = (1.0 / (1.0 - crate::trainer::noise::DECAY)).round() as u64;
            let noise = limits::noise_help(t);
            assert!(noise.contains(&window.to_string()), "{noise}");
            let layers = Why::Layers(any_layers_error()).text(t);
            assert!(layers.contains(&MAX_LAYERS.to_string()), "{layers}");
            let mnist = DataSource::Mnist.label(t).into_owned();
            let count = Lang::En.int(crate::trainer::data::mnist::COUNT);
            assert!(mnist.contains(&format!("({count}")), "{mnist}");
            let momentum = OptimizerKind::momentum().label(t).into_owned();
            let value = crate::trainer::optim::MOMENTUM.to_string();
            assert!(momentum.contains(&format!("({value})")), "{momentum}");
            let hint = limits::first_visit(t);
            let keras = crate::experiment::Experiment::default().config;
            let numbers = format!("{}, {}", keras.batch_size, keras.epochs);
            assert!(hint.contains(&numbers), "{hint}");
            for text in [runs, sizes, noise, layers, mnist, momentum, hint] {
                assert!(!text.contains("{}"), "{text}");
            }
        }
    }

    fn any_layers_error() -> crate::settings::LayersError {
        crate::settings::LayersError::TooMany(MAX_LAYERS + 1)
    }

    #[test]
    fn every_setting_has_distinct_labels_and_keys_that_name_it_back() {
        distinct::<DataSource>();
        distinct::<OptimizerKind>();
        distinct::<Activation>();
        distinct::<ScalingRule>();
        distinct::<Decay>();
        distinct::<XAxis>();
        distinct::<Preset>();
        distinct::<Framework>();
        distinct::<Panel>();
        distinct::<Lang>();
        distinct::<Speed>();
    }
}
