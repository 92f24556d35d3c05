//! The post's examples as ready-made setups: each one names a section of the post and the
//! experiment that reproduces it. A link's `?preset=…` and the page's preset menu both go
//! through [`Preset::from_key`] and [`Preset::experiment`], so choosing one in the menu is
//! exactly opening its link.

use crate::experiment::{DataSource, Experiment};

/// Ready-made setups matching the post's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// The post's Keras example: MNIST, N = 8,000, B = 32, 10 epochs (the default).
    Keras,
    /// "200 / 20 = 10": N = 200, B = 20, 10 epochs.
    Calculation200,
    /// The calculation example: 1,000 samples, B = 50, 20 epochs = 400 updates.
    Calculation1000,
    /// Small batch (B = 8) on MNIST.
    SmallBatch,
    /// Large batch (B = 256) on MNIST.
    LargeBatch,
    /// The post's PyTorch loop: `randn(1000, 10)`, labels in {0, 1}, B = 32.
    PyTorch,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::Keras,
        Preset::Calculation200,
        Preset::Calculation1000,
        Preset::SmallBatch,
        Preset::LargeBatch,
        Preset::PyTorch,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Preset::Keras => "keras",
            Preset::Calculation200 => "calc200",
            Preset::Calculation1000 => "calc1000",
            Preset::SmallBatch => "small-batch",
            Preset::LargeBatch => "large-batch",
            Preset::PyTorch => "pytorch",
        }
    }

    /// The preset named `key` (any case, surrounding space ignored), `None` if unknown.
    pub fn from_key(key: &str) -> Option<Preset> {
        let key = key.trim().to_ascii_lowercase();
        Preset::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The preset whose experiment `e` is, if any (the menu shows it as chosen).
    pub fn matching(e: &Experiment) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.experiment() == *e)
    }

    /// The experiment the preset stands for: its data set's defaults
    /// ([`Experiment::with_source`]), refined.
    pub fn experiment(self) -> Experiment {
        let mut e = Experiment::with_source(match self {
            Preset::PyTorch => DataSource::Random,
            _ => DataSource::Mnist,
        });
        match self {
            Preset::Keras => {}
            Preset::Calculation200 => {
                e.train_size = 200;
                e.config.batch_size = 20;
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
}
