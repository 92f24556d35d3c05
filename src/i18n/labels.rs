//! What each value of an enumerated setting ([`crate::settings::Setting`]) is called on the
//! page, in the language's [`Strings`]: the menus show these, next to the value's key.
//! Each `match` is exhaustive, so a new value cannot be added without its label.

use super::{Lang, Strings, fill};
use crate::code::Framework;
use crate::experiment::DataSource;
use crate::history::XAxis;
use crate::preset::{Preset, PresetGroup};
use crate::settings::{MAX_LAYERS, MAX_WIDTH};
use crate::sweep::MAX_SIZES;
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

labels!(DataSource, v, t => match v {
    DataSource::Mnist => t.dataset_mnist,
    DataSource::Random => t.dataset_random,
    DataSource::Toy { toy, .. } => match toy {
        Toy::Spirals => t.dataset_spirals,
        Toy::Circles => t.dataset_circles,
        Toy::Xor => t.dataset_xor,
        Toy::Blobs => t.dataset_blobs,
        Toy::Moons => t.dataset_moons,
    },
});

labels!(OptimizerKind, v, t => match v {
    OptimizerKind::Adam { .. } => t.optimizer_adam,
    OptimizerKind::Sgd => t.optimizer_sgd,
    OptimizerKind::Momentum { .. } => t.optimizer_momentum,
});

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
            Why::Sizes => fill(t.sweep_sizes_error, &[&MAX_SIZES.to_string()]),
            Why::TooLong => t.why_too_long.to_owned(),
        }
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
