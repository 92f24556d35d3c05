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
use crate::i18n::{Lang, fill};
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
    let shape = config.run_shape(experiment.train_size);
    let base = python_float(config.learning_rate);
    let mut code = ScheduleCode::default();
    let pre = &mut code.preamble;

    // The peak rate: the post's tip 1 (scaled), else the base rate.
    let mut peak = "learning_rate";
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
            pre.push(format!("batch_size = {}", shape.batch));
            pre.push(format!(
                "learning_rate = {base} * (batch_size / {}){power}",
                s.base_batch
            ));
        }
    }
    // The post's tip 2.
    if warmup {
        if s.rule != ScalingRule::None {
            pre.push(String::new());
        }
        pre.push(format!("# {}", t.code_lr_warmup));
        pre.push(format!("initial_lr = {}", python_float(s.warmup_start)));
        let target = if s.rule == ScalingRule::None {
            base.clone()
        } else {
            "learning_rate".into()
        };
        pre.push(format!("final_lr = {target}"));
        pre.push(format!("warmup_epochs = {}", s.warmup_epochs));
        peak = "final_lr";
    }
    code.learning_rate = Some(peak.into());
    if !warmup && !cosine {
        // A scaling rule alone: one number, no per-update rate.
        return Some(code);
    }

    // `lr_at(step)`: Schedule::rate, branch for branch.
    pre.push(String::new());
    pre.push(format!("# {}", t.code_lr_per_update));
    pre.push(format!(
        "steps_per_epoch = {}  # ceil({} / {})",
        shape.updates_per_epoch, experiment.train_size, shape.batch
    ));
    let warmup_steps = s.warmup_updates(shape);
    if warmup {
        pre.push("warmup_steps = warmup_epochs * steps_per_epoch".into());
    }
    let span = shape.total_updates.saturating_sub(warmup_steps + 1);
    if cosine && span > 0 {
        code.imports.push("import math".into());
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
    if cosine && span > 0 {
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

    code.keras_setup = vec![
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
    ];
    code.keras_callbacks = vec!["LearningRatePerUpdate()".into()];
    code.pytorch_setup = vec![
        format!(
            "# {}",
            fill(t.code_lr_pytorch_scheduler, &[&format!("lr={peak}")])
        ),
        "scheduler = torch.optim.lr_scheduler.LambdaLR(".into(),
        format!("    optimizer, lambda step: {RATE_FUNCTION}(step + 1) / {peak}"),
        ")".into(),
    ];
    code.pytorch_after_step = vec!["scheduler.step()".into()];
    Some(code)
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
pub(crate) mod tests;
