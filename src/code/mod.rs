//! The code mirror: the Keras and the PyTorch program that reproduce an [`Experiment`], as
//! the post writes them (its Keras MNIST example and its PyTorch `DataLoader` loop), so a
//! student can carry the settings of the page into their own notebook.
//!
//! Pure text generation, natively tested: [`generate`] builds the program from a [`Plan`]
//! (the numbers both frameworks share, worked out once here); [`keras`] and [`pytorch`] only
//! write them in their own idiom. Comments in the code follow the page's language
//! (`src/i18n.rs`, keys `code_*`).
//!
//! The sizes are the experiment's: N training samples and the validation samples it holds
//! out. PyTorch splits them explicitly (the app's own validation count,
//! [`Experiment::validation_size`]); Keras' `validation_split=s` takes the last `s` of what it
//! is given, so the Keras program loads `N + n_val` samples with `n_val` from
//! [`generated_validation_size`], the smallest count for which Keras keeps exactly N for
//! training. For the post's MNIST example both are 8,000 + 2,000.
//!
//! A learning-rate schedule (scaling rule, warm-up, decay) enters through one function,
//! [`lr_schedule`] (written in [`schedule`]); both writers place what it returns.

pub mod keras;
pub mod pytorch;
pub mod schedule;

use crate::experiment::{DataSource, Experiment, generated_validation_size};
use crate::i18n::{Lang, Strings, fill};
use crate::trainer::data::{mnist, toy::Toy};
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;

/// Which program to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framework {
    Keras,
    PyTorch,
}

crate::keyed!(Framework {
    Keras => "keras",
    PyTorch => "pytorch",
});

/// The Python program for `experiment` in `framework`, with comments in `lang`.
pub fn generate(framework: Framework, experiment: &Experiment, lang: Lang) -> String {
    let plan = Plan::of(experiment, lang);
    match framework {
        Framework::Keras => keras::write(&plan, lang),
        Framework::PyTorch => pytorch::write(&plan, lang),
    }
}

/// Python code that a learning-rate schedule adds to both programs. Every part is optional
/// (empty: nothing is added), so a schedule can use only what it needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScheduleCode {
    /// Lines placed after the framework's own imports, in both programs (e.g. `import math`).
    pub imports: Vec<String>,
    /// Lines placed before the model is built, in both programs (e.g. a scaled base rate
    /// `learning_rate = 0.001 * (batch_size / 32)`).
    pub preamble: Vec<String>,
    /// A Python expression that replaces the learning-rate number in the optimiser (e.g.
    /// `learning_rate`); `None`: the experiment's number.
    pub learning_rate: Option<String>,
    /// Keras: lines placed after `model.compile(...)`, defining callbacks.
    pub keras_setup: Vec<String>,
    /// Keras: expressions for `model.fit(..., callbacks=[...])`.
    pub keras_callbacks: Vec<String>,
    /// PyTorch: lines placed after the optimiser is made (e.g. a `LambdaLR` scheduler).
    pub pytorch_setup: Vec<String>,
    /// PyTorch: lines run after each `optimizer.step()` (e.g. `scheduler.step()`).
    pub pytorch_after_step: Vec<String>,
    /// PyTorch: lines run at the end of each epoch.
    pub pytorch_after_epoch: Vec<String>,
}

/// The learning-rate schedule's code for `experiment`, comments in `lang`: the one place
/// where the schedule (scaling of the rate with B, warm-up, cosine decay) is written out for
/// Keras and PyTorch; `None` when the experiment has none.
pub fn lr_schedule(experiment: &Experiment, lang: Lang) -> Option<ScheduleCode> {
    schedule::code(experiment, lang)
}

/// What to load: the data set and how many samples each program takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Data {
    Mnist,
    /// The post's `randn(·, 10)` features with labels in {0, 1}.
    Random,
    Toy {
        toy: Toy,
        noise: f32,
    },
}

/// Everything both programs say, worked out once from an experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub data: Data,
    /// Training samples N.
    pub train: usize,
    /// Validation samples the app holds out (PyTorch's explicit split).
    pub validation: usize,
    /// Samples Keras loads so that `validation_split` keeps exactly N for training.
    pub keras_total: usize,
    pub validation_split: f64,
    pub features: usize,
    pub classes: usize,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub optimizer: OptimizerKind,
    pub learning_rate: f32,
    /// B as the run uses it (never above N).
    pub batch_size: usize,
    pub epochs: usize,
    pub schedule: Option<ScheduleCode>,
}

impl Plan {
    /// The plan of `e`; `lang` is the language of the schedule's comments.
    pub fn of(e: &Experiment, lang: Lang) -> Plan {
        let (data, features, classes) = match e.source {
            DataSource::Mnist => (
                Data::Mnist,
                mnist::IMAGE_SIDE * mnist::IMAGE_SIDE,
                mnist::CLASSES,
            ),
            DataSource::Random => (Data::Random, RANDOM_FEATURES, RANDOM_CLASSES),
            DataSource::Toy { toy, noise } => (Data::Toy { toy, noise }, 2, toy.classes()),
        };
        let split = if e.validation_split > 0.0 && e.validation_split < 1.0 {
            e.validation_split
        } else {
            0.0
        };
        Plan {
            data,
            train: e.train_size,
            validation: if split > 0.0 { e.validation_size() } else { 0 },
            keras_total: e.train_size + generated_validation_size(e.train_size, split),
            validation_split: split,
            features,
            classes,
            hidden: e.config.hidden.clone(),
            activation: e.config.activation,
            optimizer: e.config.optimizer,
            learning_rate: e.config.learning_rate,
            batch_size: e.batch_in_effect(),
            epochs: e.config.epochs,
            schedule: lr_schedule(e, lang),
        }
    }

    /// The learning rate as the optimiser is given it: the schedule's expression, else the
    /// number (`None` when it is the framework's default for Adam, which the post leaves
    /// out: `optimizer='adam'`, `torch.optim.Adam(model.parameters())`).
    pub fn learning_rate_arg(&self) -> Option<String> {
        if let Some(expr) = self.schedule.as_ref().and_then(|s| s.learning_rate.clone()) {
            return Some(expr);
        }
        let default_adam = matches!(self.optimizer, OptimizerKind::Adam { .. })
            && self.optimizer == OptimizerKind::adam()
            && self.learning_rate == OptimizerKind::adam().default_learning_rate();
        (!default_adam).then(|| python_float(self.learning_rate))
    }
}

/// Features and classes of the post's PyTorch example (`randn(·, 10)`, `randint(0, 2, ·)`).
const RANDOM_FEATURES: usize = 10;
const RANDOM_CLASSES: usize = 2;

/// The activation's name in Keras (`activation='relu'`); PyTorch's module is built from it.
/// Keras' own names, not the URL's keys (they happen to be spelt alike today).
pub fn activation_name(a: Activation) -> &'static str {
    match a {
        Activation::Relu => "relu",
        Activation::Tanh => "tanh",
        Activation::Sigmoid => "sigmoid",
    }
}

/// A float literal as Python reads it back: Rust's shortest round-trip form of the value in
/// its own type (an `f32` learning rate of 0.9 is `0.9`, not its `f64` widening), with `.0`
/// added to whole numbers.
pub fn python_float(x: impl std::fmt::Display) -> String {
    let s = x.to_string();
    if s.contains(['.', 'e', 'E', 'N', 'n']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `# 학습 8,000개 + 검증 2,000개`: the comment that states the sizes.
pub fn sizes_comment(train: usize, validation: usize, lang: Lang) -> String {
    let t = lang.strings();
    if validation == 0 {
        format!(
            "# {}",
            fill(t.code_sizes_no_validation, &[&lang.int(train)])
        )
    } else {
        format!(
            "# {}",
            fill(t.code_sizes, &[&lang.int(train), &lang.int(validation)])
        )
    }
}

/// The lines that generate a 2-D toy set of `total` points into `X` and `y` with numpy
/// (the same shapes the app draws, not the same points), after the note that says so.
pub fn toy_lines(toy: Toy, noise: f32, total: usize, t: &Strings) -> Vec<String> {
    let n = total.to_string();
    let noise = python_float(noise);
    let mut lines = vec![format!("# {}", fill(t.code_toy_note, &[toy_name(toy, t)]))];
    let body: Vec<String> = match toy {
        Toy::Spirals => vec![
            format!("y = np.arange({n}) % 2"),
            format!("r = np.sqrt(np.random.rand({n}))"),
            "angle = 3 * np.pi * r + y * np.pi".into(),
            "X = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)".into(),
        ],
        Toy::Circles => vec![
            format!("y = np.arange({n}) % 2"),
            format!(
                "r = np.where(y == 0, np.random.uniform(0, 0.5, {n}), np.random.uniform(0.7, 1, {n}))"
            ),
            format!("a = np.random.uniform(0, 2 * np.pi, {n})"),
            "X = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)".into(),
        ],
        Toy::Xor => vec![
            format!("y = np.arange({n}) % 2"),
            format!(
                "X = np.random.uniform(0.05, 1, ({n}, 2)) * np.random.choice([-1, 1], ({n}, 1))"
            ),
            "X[:, 1] *= np.where(y == 0, 1, -1)".into(),
        ],
        Toy::Blobs => vec![
            format!("y = np.arange({n}) % 3"),
            "a = 2 * np.pi * y / 3 + np.pi / 2".into(),
            format!(
                "X = 0.6 * np.stack([np.cos(a), np.sin(a)], axis=1) + 0.2 * np.random.randn({n}, 2)"
            ),
        ],
        Toy::Moons => vec![
            format!("y = np.arange({n}) % 2"),
            format!("s = np.random.uniform(0, np.pi, {n})"),
            "mx = np.where(y == 0, np.cos(s), 1 - np.cos(s))".into(),
            "my = np.where(y == 0, np.sin(s), 0.5 - np.sin(s))".into(),
            "X = np.stack([0.65 * (mx - 0.5), 1.04 * (my - 0.25)], axis=1)".into(),
        ],
    };
    lines.extend(body);
    lines.push(format!(
        "X = (X + {noise} * np.random.randn({n}, 2)).astype('float32')"
    ));
    lines
}

/// The toy's name as the data-set menu shows it.
fn toy_name(toy: Toy, t: &Strings) -> &'static str {
    match toy {
        Toy::Spirals => t.dataset_spirals,
        Toy::Circles => t.dataset_circles,
        Toy::Xor => t.dataset_xor,
        Toy::Blobs => t.dataset_blobs,
        Toy::Moons => t.dataset_moons,
    }
}

#[cfg(test)]
pub(crate) mod tests;
