//! The learning-rate schedule in Python: the post's two tips (`learning_rate = 0.001 *
//! (batch_size / 32)`, and a warm-up from `initial_lr` to `final_lr` over `warmup_epochs`)
//! written with the experiment's numbers, plus one function `lr_at(step)` that computes the
//! rate of update `step` (1, 2, …) by the app's own rule ([`Schedule::rate`], the formula in
//! `src/trainer/schedule.rs`), so the program's rates are the run's.
//!
//! Keras sets the rate before every update with a callback (`on_train_batch_begin`);
//! PyTorch multiplies the optimiser's rate (`final_lr`) by `lr_at(step + 1) / final_lr` with
//! `LambdaLR`, stepped after every update. A scaling rule alone changes one number and
//! needs neither.
//!
//! [`Schedule::rate`]: crate::trainer::schedule::Schedule::rate

use super::{ScheduleCode, python_float};
use crate::experiment::Experiment;
use crate::i18n::{Lang, Strings, fill};
use crate::trainer::schedule::{Decay, ScalingRule};

/// The name of the Python function that gives update `step`'s rate (tests run it).
pub const RATE_FUNCTION: &str = "lr_at";

/// The schedule's code for `experiment`, comments in `lang`; `None` when the experiment has
/// no schedule (no rule, no warm-up, constant), so the post's own examples stay as printed.
pub fn code(experiment: &Experiment, lang: Lang) -> Option<ScheduleCode> {
    let t = lang.strings();
    let config = &experiment.config;
    let s = config.schedule;
    let warmup = s.warmup_epochs > 0;
    let cosine = s.decay == Decay::Cosine;
    if s.rule == ScalingRule::None && !warmup && !cosine {
        return None;
    }
    let mut code = ScheduleCode::default();
    let peak = peak_rate(&mut code.preamble, experiment, t);
    code.learning_rate = Some(peak.into());
    if !warmup && !cosine {
        // A scaling rule alone: one number, no per-update rate.
        return Some(code);
    }
    if rate_function(&mut code.preamble, experiment, t, peak) {
        code.imports.push("import math".into());
    }
    code.keras_setup = keras_callback(t);
    code.keras_callbacks = vec!["LearningRatePerUpdate()".into()];
    code.pytorch_setup = pytorch_scheduler(t, peak);
    code.pytorch_after_step = vec!["scheduler.step()".into()];
    Some(code)
}

/// The peak rate's lines: the post's tip 1 (scaled), then tip 2 (warm-up from `initial_lr`
/// to `final_lr`). Returns the Python name of the rate after warm-up.
fn peak_rate(pre: &mut Vec<String>, experiment: &Experiment, t: &Strings) -> &'static str {
    let config = &experiment.config;
    let s = config.schedule;
    let warmup = s.warmup_epochs > 0;
    let base = python_float(config.learning_rate);
    match s.rule {
        ScalingRule::None => {
            if !warmup {
                pre.push(format!("learning_rate = {base}"));
            }
        }
        rule => {
            let (comment, power) = match rule {
                ScalingRule::Sqrt => (t.code_lr_sqrt_scaling, " ** 0.5"),
                _ => (t.code_lr_linear_scaling, ""),
            };
            pre.push(format!("# {comment}"));
            pre.push(format!(
                "batch_size = {}",
                config.run_shape(experiment.train_size).batch
            ));
            pre.push(format!(
                "learning_rate = {base} * (batch_size / {}){power}",
                s.base_batch
            ));
        }
    }
    if !warmup {
        return "learning_rate";
    }
    if s.rule != ScalingRule::None {
        pre.push(String::new());
    }
    pre.push(format!("# {}", t.code_lr_warmup));
    pre.push(format!("initial_lr = {}", python_float(s.warmup_start)));
    let target = if s.rule == ScalingRule::None {
        base
    } else {
        "learning_rate".into()
    };
    pre.push(format!("final_lr = {target}"));
    pre.push(format!("warmup_epochs = {}", s.warmup_epochs));
    "final_lr"
}

/// `lr_at(step)`: [`Schedule::rate`], branch for branch, after the constants it needs.
/// Returns whether the code uses `math` (the cosine decay).
///
/// [`Schedule::rate`]: crate::trainer::schedule::Schedule::rate
fn rate_function(pre: &mut Vec<String>, experiment: &Experiment, t: &Strings, peak: &str) -> bool {
    let config = &experiment.config;
    let s = config.schedule;
    let shape = config.run_shape(experiment.train_size);
    let warmup = s.warmup_epochs > 0;
    let span = shape
        .total_updates
        .saturating_sub(s.warmup_updates(shape) + 1);
    let cosine = s.decay == Decay::Cosine && span > 0;
    pre.push(String::new());
    pre.push(format!("# {}", t.code_lr_per_update));
    pre.push(format!(
        "steps_per_epoch = {}  # ceil({} / {})",
        shape.updates_per_epoch, experiment.train_size, shape.batch
    ));
    if warmup {
        pre.push("warmup_steps = warmup_epochs * steps_per_epoch".into());
    }
    if cosine {
        pre.push(format!("total_steps = {} * steps_per_epoch", config.epochs));
        pre.push(format!(
            "alpha = {}  # {}",
            python_float(s.floor),
            t.code_lr_floor
        ));
    }
    pre.push(String::new());
    pre.push(format!("def {RATE_FUNCTION}(step):"));
    pre.push(format!("    \"\"\"{}\"\"\"", t.code_lr_function));
    if warmup {
        pre.push("    if step <= warmup_steps:".into());
        pre.push(format!(
            "        return initial_lr + ({peak} - initial_lr) * (step - 1) / warmup_steps"
        ));
    }
    if cosine {
        let after = if warmup { "warmup_steps - 1" } else { "1" };
        let span_expr = if warmup {
            "total_steps - warmup_steps - 1"
        } else {
            "total_steps - 1"
        };
        pre.push(format!(
            "    progress = min((step - {after}) / ({span_expr}), 1.0)"
        ));
        pre.push(format!("    floor = alpha * {peak}"));
        pre.push("    if progress >= 1.0:".into());
        pre.push("        return floor".into());
        pre.push(format!(
            "    return {peak} + (floor - {peak}) * (1 - math.cos(math.pi * progress)) / 2"
        ));
    } else {
        pre.push(format!("    return {peak}"));
    }
    cosine
}

/// Keras: a callback that sets the rate before every update.
fn keras_callback(t: &Strings) -> Vec<String> {
    vec![
        String::new(),
        format!("# {}", t.code_lr_keras_callback),
        "class LearningRatePerUpdate(keras.callbacks.Callback):".into(),
        "    def __init__(self):".into(),
        "        super().__init__()".into(),
        "        self.step = 0".into(),
        String::new(),
        "    def on_train_batch_begin(self, batch, logs=None):".into(),
        "        self.step += 1".into(),
        format!("        self.model.optimizer.learning_rate = {RATE_FUNCTION}(self.step)"),
    ]
}

/// PyTorch: `LambdaLR` multiplies the optimiser's rate (`peak`) by `lr_at(step + 1) / peak`.
fn pytorch_scheduler(t: &Strings, peak: &str) -> Vec<String> {
    vec![
        format!(
            "# {}",
            fill(t.code_lr_pytorch_scheduler, &[&format!("lr={peak}")])
        ),
        "scheduler = torch.optim.lr_scheduler.LambdaLR(".into(),
        format!("    optimizer, lambda step: {RATE_FUNCTION}(step + 1) / {peak}"),
        ")".into(),
    ]
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
pub(crate) mod tests;
