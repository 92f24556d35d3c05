//! The post's examples as ready-made setups: each one names a section of the post and the
//! experiment that reproduces it. A link's `?preset=…` and the page's preset menu both go
//! through [`Preset::from_key`] and [`Preset::experiment`], so choosing one in the menu is
//! exactly opening its link.
//!
//! The teaching presets (small and large batch) also set how the page shows the run
//! ([`Preset::staging`]): the raw per-update trace on the update axis, at one epoch per
//! second, so the difference in noise the post describes is what the class sees (smoothing,
//! and the epoch axis that squeezes B = 8's thousand updates per epoch into the width of
//! B = 256's 32, would hide it). The guide's buttons open the same way
//! ([`crate::guide`]).

use crate::experiment::{DEFAULT_NOISE, DataSource, Experiment};
use crate::plot::view::ChartView;
use crate::plot::view::XAxis;
use crate::trainer::data::toy::Toy;
use crate::trainer::schedule::ScalingRule;
use crate::worker::protocol::Speed;

/// How a page opens the charts and the pace for teaching: what [`Preset::staging`] and the
/// guide's buttons set besides the experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Staging {
    pub view: ChartView,
    pub speed: Speed,
}

/// The teaching staging: the update axis (linear), no smoothing, one epoch per second.
pub const TEACHING: Staging = Staging {
    view: ChartView {
        axis: XAxis::Update,
        log_x: false,
        smoothing: 0.0,
    },
    speed: Speed::EpochPerSecond,
};

/// The calculation presets' data, and the anatomy view's ([`crate::layout::Layout::experiment`]):
/// two 2-D half-moons, generated in the worker. Their lesson is arithmetic (`200 / 20 = 10`),
/// which any data teaches; MNIST would cost a 0.7 MB download before the first Step, and
/// the moons still learn visibly (the full lab draws their decision boundary).
pub const CALCULATION_DATA: DataSource = DataSource::Toy {
    toy: Toy::Moons,
    noise: DEFAULT_NOISE,
};

/// Ready-made setups matching the post's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// The post's Keras example: MNIST, N = 8,000, B = 32, 10 epochs (the default).
    Keras,
    /// "200 / 20 = 10": N = 200, B = 20, 10 epochs, on [`CALCULATION_DATA`].
    Calculation200,
    /// The calculation example: 1,000 samples, B = 50, 20 epochs = 400 updates, on
    /// [`CALCULATION_DATA`].
    Calculation1000,
    /// Small batch (B = 8) on MNIST.
    SmallBatch,
    /// Large batch (B = 256) on MNIST.
    LargeBatch,
    /// The post's PyTorch loop: `randn(1000, 10)`, labels in {0, 1}, B = 32.
    PyTorch,
    /// The post's first tip, `learning_rate = 0.001 * (batch_size / 32)` at
    /// `batch_size = 256`: MNIST, B = 256, linear scaling with B₀ = 32 (lr 0.008).
    LinearScaling,
    /// The post's second tip: warm up from `initial_lr = 0.0001` to `final_lr = 0.001` over
    /// `warmup_epochs = 3` (per update), on the Keras example (MNIST, B = 32).
    Warmup,
}

// In the menu's order (its groups, [`Preset::group`], are runs of this list).
crate::keyed!(Preset {
    Keras => "keras",
    Calculation200 => "calc200",
    Calculation1000 => "calc1000",
    SmallBatch => "small-batch",
    LargeBatch => "large-batch",
    LinearScaling => "linear-scaling",
    Warmup => "warmup",
    PyTorch => "pytorch",
});

/// A group of the preset menu (an `<optgroup>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetGroup {
    /// Small against large batches.
    Batch,
    /// Learning rate and batch size.
    LearningRate,
}

impl Preset {
    /// The menu group the preset sits in, `None` for the top level.
    pub fn group(self) -> Option<PresetGroup> {
        match self {
            Preset::SmallBatch | Preset::LargeBatch => Some(PresetGroup::Batch),
            Preset::LinearScaling | Preset::Warmup => Some(PresetGroup::LearningRate),
            _ => None,
        }
    }

    /// The preset whose experiment `e` is, if any (the menu shows it as chosen).
    pub fn matching(e: &Experiment) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.experiment() == *e)
    }

    /// What the preset sets besides its experiment: [`TEACHING`] for the small- and
    /// large-batch comparison, nothing for the others (they keep the page's view and pace).
    pub fn staging(self) -> Option<Staging> {
        matches!(self, Preset::SmallBatch | Preset::LargeBatch).then_some(TEACHING)
    }

    /// The experiment the preset stands for: its data set's defaults
    /// ([`Experiment::with_source`]), refined.
    pub fn experiment(self) -> Experiment {
        let mut e = Experiment::with_source(match self {
            Preset::PyTorch => DataSource::Random,
            Preset::Calculation200 | Preset::Calculation1000 => CALCULATION_DATA,
            _ => DataSource::Mnist,
        });
        match self {
            Preset::Keras => {}
            Preset::Calculation200 => {
                e.train_size = 200;
                e.config.batch_size = 20;
                e.config.epochs = 10;
            }
            Preset::Calculation1000 => {
                e.train_size = 1000;
                e.config.batch_size = 50;
                e.config.epochs = 20;
            }
            Preset::SmallBatch => e.config.batch_size = 8,
            Preset::LargeBatch => e.config.batch_size = 256,
            Preset::PyTorch => {
                // `torch.nn.Linear(10, 2)`, `epochs = 10`.
                e.train_size = 1000;
                e.config.hidden = vec![];
                e.config.epochs = 10;
            }
            Preset::LinearScaling => {
                e.config.batch_size = 256;
                e.config.schedule.rule = ScalingRule::Linear;
                e.config.schedule.base_batch = 32;
            }
            Preset::Warmup => {
                e.config.learning_rate = 0.001;
                e.config.schedule.warmup_epochs = 3;
                e.config.schedule.warmup_start = 0.0001;
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_presets_and_experiments_name_them_back() {
        for p in Preset::ALL {
            assert_eq!(Preset::from_key(p.key()), Some(p));
            assert_eq!(
                Preset::from_key(&format!(" {} ", p.key().to_uppercase())),
                Some(p)
            );
            assert_eq!(Preset::matching(&p.experiment()), Some(p));
            let e = p.experiment();
            assert!(e.config.batch_size <= e.train_size);
        }
        assert_eq!(Preset::from_key("nope"), None);
        let mut e = Preset::Calculation200.experiment();
        e.config.seed += 1;
        assert_eq!(Preset::matching(&e), None);
    }

    #[test]
    fn the_calculation_presets_keep_the_posts_numbers_without_a_download() {
        let (a, b) = (
            Preset::Calculation200.experiment(),
            Preset::Calculation1000.experiment(),
        );
        assert_eq!(
            (a.train_size, a.config.batch_size, a.config.epochs),
            (200, 20, 10)
        );
        assert_eq!((a.updates_per_epoch(), a.total_updates()), (10, 100));
        assert_eq!(
            (b.train_size, b.config.batch_size, b.config.epochs),
            (1000, 50, 20)
        );
        assert_eq!((b.updates_per_epoch(), b.total_updates()), (20, 400));
        for e in [a, b] {
            assert_eq!(e.source, CALCULATION_DATA);
            assert!(e.train_size <= e.max_train_size());
        }
    }

    #[test]
    fn the_teaching_presets_open_raw_on_the_update_axis_at_an_epoch_per_second() {
        for p in [Preset::SmallBatch, Preset::LargeBatch] {
            let staging = p.staging().expect("a teaching preset");
            assert_eq!(staging.view.smoothing, 0.0, "{p:?}");
            assert_eq!(staging.view.axis, XAxis::Update, "{p:?}");
            assert!(!staging.view.log_applies(), "{p:?}");
            assert_eq!(staging.speed, Speed::EpochPerSecond, "{p:?}");
        }
        for p in Preset::ALL {
            if !matches!(p, Preset::SmallBatch | Preset::LargeBatch) {
                assert_eq!(p.staging(), None, "{p:?} keeps the page's view");
            }
        }
    }

    #[test]
    fn the_posts_two_learning_rate_recipes() {
        // `0.001 * (256 / 32)`.
        let e = Preset::LinearScaling.experiment();
        assert_eq!(e.config.batch_size, 256);
        assert_eq!(e.config.peak_rate(e.train_size), 0.008);
        assert_eq!(e.config.rate_at(e.train_size, 1), 0.008);
        // 0.0001 → 0.001 over 3 epochs of 250 updates.
        let w = Preset::Warmup.experiment();
        let n = w.train_size;
        assert_eq!(w.updates_per_epoch(), 250);
        assert_eq!(w.config.rate_at(n, 1), 0.0001);
        assert!(w.config.rate_at(n, 750) < 0.001);
        assert_eq!(w.config.rate_at(n, 751), 0.001);
        assert_eq!(w.config.rate_at(n, w.total_updates()), 0.001);
        for p in Preset::ALL {
            assert!(p.experiment().config.schedule.validate().is_ok(), "{p:?}");
        }
    }
}
