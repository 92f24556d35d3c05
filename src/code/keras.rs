//! The Keras program, in the post's own layout: its MNIST example (`keras.Sequential`,
//! `model.compile(optimizer='adam', ...)`, `history = model.fit(X_train, y_train,
//! batch_size=…, epochs=…, validation_split=…)`) with the experiment's numbers, plus
//! `shuffle=True` (Keras' default, written out because the app reshuffles every epoch too).

use super::{Data, Plan, activation_name, python_float, sizes_comment, toy_lines};
use crate::i18n::{Lang, Strings};
use crate::trainer::optim::OptimizerKind;

/// The Keras program for `plan`, with comments in `lang`.
pub fn write(plan: &Plan, lang: Lang) -> String {
    let t = lang.strings();
    let mut out: Vec<String> = Vec::new();
    if !matches!(plan.data, Data::Mnist) {
        out.push("import numpy as np".into());
    }
    out.push("import tensorflow as tf".into());
    out.push("from tensorflow import keras".into());
    if let Some(s) = &plan.schedule {
        out.extend(s.imports.iter().cloned());
    }
    out.push(String::new());
    data_lines(&mut out, plan, lang);
    out.push(String::new());
    if let Some(s) = &plan.schedule
        && !s.preamble.is_empty()
    {
        out.extend(s.preamble.iter().cloned());
        out.push(String::new());
    }
    model_lines(&mut out, plan, t);
    fit_lines(&mut out, plan, t);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `X_train, y_train`: Keras' own MNIST loader, NumPy's random numbers, or the 2-D set;
/// the first `keras_total` examples, of which `validation_split` is held out.
fn data_lines(out: &mut Vec<String>, plan: &Plan, lang: Lang) {
    let t = lang.strings();
    out.push(format!("# {}", t.code_data));
    let total = plan.keras_total;
    let keras_validation = total - plan.train;
    match plan.data {
        Data::Mnist => {
            out.push(
                "(X_train, y_train), (X_test, y_test) = keras.datasets.mnist.load_data()".into(),
            );
            out.push("X_train = X_train.reshape(-1, 28*28) / 255.0".into());
            out.push(sizes_comment(plan.train, keras_validation, lang));
            out.push(format!(
                "X_train, y_train = X_train[:{total}], y_train[:{total}]"
            ));
        }
        Data::Random => {
            out.push(sizes_comment(plan.train, keras_validation, lang));
            out.push(format!(
                "X_train = np.random.randn({total}, {}).astype('float32')",
                plan.features
            ));
            out.push(format!(
                "y_train = np.random.randint(0, {}, ({total},))",
                plan.classes
            ));
        }
        Data::Toy { toy, noise } => {
            out.extend(toy_lines(toy, noise, total, t));
            out.push(sizes_comment(plan.train, keras_validation, lang));
            out.push("X_train, y_train = X, y".into());
        }
    }
}

/// The `Sequential` model and its `compile`, then the schedule's callback class if any.
fn model_lines(out: &mut Vec<String>, plan: &Plan, t: &Strings) {
    out.push(format!("# {}", t.code_model));
    out.push("model = keras.Sequential([".into());
    let act = activation_name(plan.activation);
    let mut layers: Vec<String> = plan
        .hidden
        .iter()
        .map(|w| format!("    keras.layers.Dense({w}, activation='{act}')"))
        .collect();
    layers.push(format!(
        "    keras.layers.Dense({}, activation='softmax')",
        plan.classes
    ));
    out.push(layers.join(",\n"));
    out.push("])".into());
    out.push(String::new());
    out.push(format!("model.compile(optimizer={},", optimizer(plan)));
    out.push("              loss='sparse_categorical_crossentropy',".into());
    out.push("              metrics=['accuracy'])".into());
    if let Some(s) = &plan.schedule {
        out.extend(s.keras_setup.iter().cloned());
    }
}

/// `history = model.fit(…)` with the post's comments on `batch_size` and `epochs`.
fn fit_lines(out: &mut Vec<String>, plan: &Plan, t: &Strings) {
    out.push(String::new());
    out.push(format!("# {}", t.code_train));
    out.push("history = model.fit(".into());
    let mut args: Vec<(String, Option<&str>)> = vec![
        ("X_train, y_train".into(), None),
        (
            format!("batch_size={}", plan.batch_size),
            Some(t.code_batch_size),
        ),
        (format!("epochs={}", plan.epochs), Some(t.code_epochs)),
    ];
    if plan.validation_split > 0.0 {
        args.push((
            format!("validation_split={}", python_float(plan.validation_split)),
            None,
        ));
    }
    args.push(("shuffle=True".into(), None));
    if let Some(s) = plan
        .schedule
        .as_ref()
        .filter(|s| !s.keras_callbacks.is_empty())
    {
        args.push((
            format!("callbacks=[{}]", s.keras_callbacks.join(", ")),
            None,
        ));
    }
    let last = args.len() - 1;
    for (i, (arg, comment)) in args.into_iter().enumerate() {
        let arg = if i == last { arg } else { format!("{arg},") };
        out.push(match comment {
            Some(c) => format!("    {arg:<20}# {c}"),
            None => format!("    {arg}"),
        });
    }
    out.push(")".into());
}

/// `'adam'` as the post writes it, or the optimiser object with its learning rate.
fn optimizer(plan: &Plan) -> String {
    let lr = plan.learning_rate_arg();
    match (plan.optimizer, lr) {
        (OptimizerKind::Adam { .. }, None) => "'adam'".into(),
        (OptimizerKind::Adam { .. }, Some(lr)) => {
            format!("keras.optimizers.Adam(learning_rate={lr})")
        }
        (OptimizerKind::Sgd, lr) => format!(
            "keras.optimizers.SGD(learning_rate={})",
            lr.unwrap_or_else(|| python_float(plan.learning_rate))
        ),
        (OptimizerKind::Momentum { momentum }, lr) => format!(
            "keras.optimizers.SGD(learning_rate={}, momentum={})",
            lr.unwrap_or_else(|| python_float(plan.learning_rate)),
            python_float(momentum)
        ),
    }
}
