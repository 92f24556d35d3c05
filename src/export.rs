//! Export of the kept runs' histories as files: Keras-shaped JSON, CSV per epoch and per
//! update, and the file names. Plain Rust (no browser API), so it is tested natively; the
//! page's `ui::export_panel` turns these strings into downloads.
//!
//! An export holds every kept run ([`exported`]), each named by its label (what differs
//! from the other runs, [`crate::history::labels::labels`]), in history order (oldest first):
//!
//! - [`keras_history_json`] writes the current run at the top level, `{"history": {"loss",
//!   "accuracy", "val_loss", "val_accuracy"}, "epoch", "params", "updates", ...}`, shaped like
//!   Keras' `History` so a notebook can do `json.load(f)["history"]["val_loss"]` exactly as
//!   with `model.fit(...).history`, and every kept run under `"runs"`, each the same object
//!   plus its `"label"` and `"run"` id.
//! - [`epochs_csv`] writes one row per completed epoch of each run, [`updates_csv`] one per
//!   kept update row; their first column, `run`, holds the run's label.
//! - [`file_stem`] names the files, e.g. `batch-lab-mnist-n8000-b32-e10-seed42`.
//!
//! Numbers are written in Rust's shortest round-trip form (`{:?}`: `0.001`, `1e-7`, `1e30`),
//! so every value reads back bit-exactly (`f32` columns as `f32`, epoch means as `f64`).
//! In JSON a NaN or ±∞ (a diverged run) becomes `null`; in CSV it stays `NaN`, `inf` or
//! `-inf` (which pandas and Python's `float` read back), and an empty cell means "no value"
//! (no validation at that row). Labels are quoted as RFC 4180 says when they need it (they
//! may hold commas, as in "N = 8,000"): `"N = 8,000 · B = 32"`, inner quotes doubled.
//!
//! The JSON is written by hand with the tiny [`json`] writer below: the app carries no
//! serde_json, which keeps the wasm small.

use crate::experiment::{DataSource, Experiment};
use crate::history::groups::group_ids as group_ids_of;
use crate::history::{Point, RunHistory};
use crate::trainer::session::{Metrics, Status};
use crate::worker::protocol::RunId;
use std::fmt::Write;

/// A minimal JSON text writer: strings, numbers (non-finite as `null`), arrays and objects.
pub mod json {
    use std::fmt::Write;

    /// Appends `s` as a JSON string literal (quotes, backslashes and control characters
    /// escaped; everything else, Hangul included, as UTF-8).
    pub fn string(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// Appends `v` in shortest round-trip form, or `null` when it is NaN or ±∞.
    pub fn number(out: &mut String, v: f64) {
        if v.is_finite() {
            let _ = write!(out, "{v:?}");
        } else {
            out.push_str("null");
        }
    }

    /// Appends an `f32` in its own shortest round-trip form (`0.1`, not `0.10000000149…`),
    /// or `null` when it is NaN or ±∞.
    pub fn number32(out: &mut String, v: f32) {
        if v.is_finite() {
            let _ = write!(out, "{v:?}");
        } else {
            out.push_str("null");
        }
    }

    /// Appends a whole-number value (an update or sample count kept as `f64`) without a
    /// fraction, `17` rather than `17.0`; other values as [`number`].
    pub fn count(out: &mut String, v: f64) {
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            let _ = write!(out, "{}", v as i64);
        } else {
            number(out, v);
        }
    }

    /// Appends `[a, b, …]`, each item written by `item`.
    pub fn array<T>(
        out: &mut String,
        items: impl IntoIterator<Item = T>,
        mut item: impl FnMut(&mut String, T),
    ) {
        out.push('[');
        for (i, v) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item(out, v);
        }
        out.push(']');
    }

    /// An object being written: `{` on creation, `,"key":` per [`Object::key`], `}` on
    /// [`Object::end`].
    pub struct Object<'a> {
        out: &'a mut String,
        empty: bool,
    }

    impl<'a> Object<'a> {
        /// Opens an object in `out`.
        pub fn new(out: &'a mut String) -> Self {
            out.push('{');
            Object { out, empty: true }
        }

        /// Writes `"key":` and returns the text to write the value into.
        pub fn key(&mut self, key: &str) -> &mut String {
            if !self.empty {
                self.out.push(',');
            }
            self.empty = false;
            string(self.out, key);
            self.out.push(':');
            self.out
        }

        /// `"key": "value"`.
        pub fn string(&mut self, key: &str, value: &str) {
            string(self.key(key), value);
        }

        /// `"key": value` (`null` when not finite).
        pub fn number(&mut self, key: &str, value: f64) {
            number(self.key(key), value);
        }

        /// `"key": integer`.
        pub fn integer(&mut self, key: &str, value: u64) {
            let _ = write!(self.key(key), "{value}");
        }

        /// Closes the object.
        pub fn end(self) {
            self.out.push('}');
        }
    }
}

/// The base name of a run's files, e.g. `batch-lab-mnist-n8000-b32-e10-seed42` (then
/// `-epochs.csv`, `-updates.csv`, `-history.json`, `-loss.png`, `-accuracy.png`).
pub fn file_stem(experiment: &Experiment) -> String {
    let c = &experiment.config;
    format!(
        "batch-lab-{}-n{}-b{}-e{}-seed{}",
        experiment.source.key(),
        experiment.train_size,
        c.batch_size,
        c.epochs,
        c.seed
    )
}

/// The 1-based epoch an update belongs to: `ceil(update / updates_per_epoch)`.
pub fn epoch_of(update: f64, updates_per_epoch: usize) -> u64 {
    (update / updates_per_epoch.max(1) as f64).ceil().max(0.0) as u64
}

/// True when the run has validation data (Keras omits `val_*` otherwise).
fn has_validation(run: &RunHistory) -> bool {
    run.info.validation_size > 0 || !run.validation.is_empty()
}

/// The validation metrics evaluated exactly at `update`, if any.
fn validation_at(run: &RunHistory, update: f64) -> Option<Metrics> {
    run.validation
        .iter()
        .rev()
        .find(|p| p.at.update == update)
        .map(|p| p.metrics)
}

/// For each kept per-update row, the latest validation point within the updates the row
/// stands for (`(previous row's update, this row's update]`): with one row per update that
/// is the point at exactly that update; once rows are merged, no validation point is lost.
fn validation_per_row(run: &RunHistory) -> Vec<Option<Metrics>> {
    let mut out = Vec::with_capacity(run.steps.len());
    let mut points = run.validation.iter().peekable();
    for &update in &run.steps.update {
        let mut last = None;
        while let Some(p) = points.next_if(|p| p.at.update <= update) {
            last = Some(p.metrics);
        }
        out.push(last);
    }
    out
}

/// Which kept run an export puts at the top level of the JSON: the `current` run if it
/// recorded an update; else (the student changed a setting and has not trained the new run
/// yet) the newest kept run that did; else the current run's empty record, if any.
pub fn primary_run(runs: &[RunHistory], current: RunId) -> Option<&RunHistory> {
    let record = runs.iter().find(|r| r.run == current);
    record
        .filter(|r| r.updates() > 0)
        .or_else(|| runs.iter().rev().find(|r| r.updates() > 0))
        .or(record)
}

/// The runs an export holds, each with its label: every run of `runs` that recorded at
/// least one update (a run configured but never trained has nothing to export), in order.
/// `labels` are the runs' names, one per run of `runs` (as
/// [`crate::history::labels::labels`] gives them for the run list and the legend).
pub fn exported<'a>(
    runs: &'a [RunHistory],
    labels: &'a [String],
) -> Vec<(&'a RunHistory, &'a str)> {
    runs.iter()
        .zip(labels)
        .filter(|(r, _)| r.updates() > 0)
        .map(|(r, l)| (r, l.as_str()))
        .collect()
}

/// The current run as Keras' `history.history` and more, and every kept run the same way,
/// as one JSON object:
///
/// ```json
/// {"history": {"loss": [..], "accuracy": [..], "val_loss": [..], "val_accuracy": [..]},
///  "epoch": [1, 2, ..],
///  "params": {"dataset", "train_size", "validation_size", "batch_size", "epochs",
///             "learning_rate", "optimizer", "hidden", "activation", "seed",
///             "updates_per_epoch", "total_updates",
///             "lr_schedule": {"rule", "base_batch", "warmup_epochs", "warmup_start_lr",
///                             "decay", "floor"}},
///  "status": "running" | "finished" | "diverged",
///  "validation": {"update": [..], "samples_seen": [..], "seconds": [..], "loss": [..],
///                 "accuracy": [..]},
///  "updates": {"update": [..], "epoch": [..], "samples_seen": [..], "seconds": [..],
///              "loss": [..], "accuracy": [..], "learning_rate": [..],
///              "gradient_norm": [..], "noise_scale": [..], "stride": 1},
///  "runs": [{"label": "B = 8", "run": 3, "group": 3, "seed": 42, "history": {..},
///            "epoch": [..], "params": {..},
///            "status": .., "validation": {..}, "updates": {..}},
///           ...]}
/// ```
///
/// Everything before `runs` describes `current` (the run the page shows, see
/// [`primary_run`]), so a notebook written for one run keeps working. `runs` lists `runs`
/// in the order given (history order, oldest first: the current run is among them), each
/// as `{"label", "run", "group", "seed", ...}` followed by the same keys as the top level
/// for that run (`label` names it as the run list does, `run` is its id in the session,
/// `group` its seed group's id — the group's first run, see [`crate::history::groups`] —
/// and `seed` its seed, also in `params`).
///
/// `history` holds one value per completed epoch: `loss`/`accuracy` are the epoch's running
/// training means (as Keras reports them), `val_*` the validation evaluated at the epoch's
/// last update. Without validation data the `val_*` keys and `validation` are left out, as
/// Keras does. `epoch` is 1-based (Keras' own `History.epoch` counts from 0). `params` are
/// the run's own settings ([`RunHistory::experiment`]) and also have `noise` for the 2-D
/// toy sets; `lr_schedule` is the learning-rate schedule ([`crate::trainer::schedule`]; its
/// `rule` and `decay` values are the words the page's URL uses, e.g. `linear`, `cosine`;
/// `learning_rate` is the base rate it scales and warms up); `batch_size`, sizes and update
/// counts are the ones in effect (B clamped to N).
/// `validation` lists every evaluation, the periodic ones too. `updates` holds the kept
/// per-update rows; past the history's capacity adjacent rows are merged, `stride` updates
/// per row (values are means, positions the later update's); `noise_scale` is the gradient
/// noise meter's reading (`null` where it was off). NaN and ±∞ are written as `null`.
pub fn keras_history_json(current: &RunHistory, runs: &[(&RunHistory, &str)]) -> String {
    let size = |r: &RunHistory| 256 + r.steps.len() * 96 + r.epochs.len() * 64;
    let mut out =
        String::with_capacity(size(current) + runs.iter().map(|(r, _)| size(r)).sum::<usize>());
    let mut root = json::Object::new(&mut out);
    keras_fields(&mut root, current);
    let grouped: Vec<(&RunHistory, &str, RunId)> = runs
        .iter()
        .zip(group_ids(runs))
        .map(|(&(r, l), g)| (r, l, g))
        .collect();
    json::array(root.key("runs"), &grouped, |o, &(run, label, group)| {
        let mut entry = json::Object::new(o);
        entry.string("label", label);
        entry.integer("run", u64::from(run.run));
        entry.integer("group", u64::from(group));
        entry.integer("seed", run.experiment.config.seed);
        keras_fields(&mut entry, run);
        entry.end();
    });
    root.end();
    out
}

/// Writes one run's Keras-shaped keys (`history` to `updates`, see [`keras_history_json`])
/// into `root`.
fn keras_fields(root: &mut json::Object<'_>, run: &RunHistory) {
    let validated = has_validation(run);
    keras_history(root.key("history"), run, validated);
    json::array(root.key("epoch"), 1..=run.epochs.len(), |o, e| {
        let _ = write!(o, "{e}");
    });
    params(root.key("params"), run);
    root.string(
        "status",
        match run.status {
            None | Some(Status::Running) => "running",
            Some(Status::Finished) => "finished",
            Some(Status::Diverged) => "diverged",
        },
    );
    if validated {
        validation(root.key("validation"), &run.validation);
    }
    updates(root.key("updates"), run);
}

/// `history`: the epochs' training means, and (when `validated`) the validation at each
/// epoch's last update, as Keras' `History.history`.
fn keras_history(out: &mut String, run: &RunHistory, validated: bool) {
    let mut history = json::Object::new(out);
    let epoch_values = |f: fn(&Metrics) -> f64| run.epochs.iter().map(move |p| f(&p.metrics));
    json::array(history.key("loss"), epoch_values(|m| m.loss), json::number);
    json::array(
        history.key("accuracy"),
        epoch_values(|m| m.accuracy),
        json::number,
    );
    if validated {
        let at_ends: Vec<Option<Metrics>> = run
            .epochs
            .iter()
            .map(|p| validation_at(run, p.at.update))
            .collect();
        json::array(history.key("val_loss"), &at_ends, |o, m| {
            json::number(o, m.map_or(f64::NAN, |m| m.loss))
        });
        json::array(history.key("val_accuracy"), &at_ends, |o, m| {
            json::number(o, m.map_or(f64::NAN, |m| m.accuracy))
        });
    }
    history.end();
}

/// `params`: the run's own settings and the sizes and counts in effect.
fn params(out: &mut String, run: &RunHistory) {
    let (info, experiment) = (&run.info, &run.experiment);
    let c = &experiment.config;
    let mut params = json::Object::new(out);
    params.string("dataset", experiment.source.key());
    if let DataSource::Toy { noise, .. } = experiment.source {
        json::number32(params.key("noise"), noise);
    }
    params.integer("train_size", info.train_size as u64);
    params.integer("validation_size", info.validation_size as u64);
    params.integer("batch_size", info.batch_size as u64);
    params.integer("epochs", info.epochs as u64);
    json::number32(params.key("learning_rate"), c.learning_rate);
    params.string("optimizer", c.optimizer.key());
    json::array(params.key("hidden"), &c.hidden, |o, w| {
        let _ = write!(o, "{w}");
    });
    params.string("activation", c.activation.key());
    params.integer("seed", c.seed);
    params.integer("updates_per_epoch", info.updates_per_epoch as u64);
    params.integer("total_updates", info.total_updates as u64);
    let schedule = &c.schedule;
    let mut lr = json::Object::new(params.key("lr_schedule"));
    lr.string("rule", schedule.rule.key());
    lr.integer("base_batch", schedule.base_batch as u64);
    lr.integer("warmup_epochs", schedule.warmup_epochs as u64);
    json::number32(lr.key("warmup_start_lr"), schedule.warmup_start);
    lr.string("decay", schedule.decay.key());
    json::number32(lr.key("floor"), schedule.floor);
    lr.end();
    params.end();
}

/// `validation`: every evaluation, one array per column.
fn validation(out: &mut String, v: &[Point]) {
    let mut validation = json::Object::new(out);
    let column = |f: fn(&Point) -> f64| v.iter().map(f);
    /// A column: its key, what it reads of a point, how it is written.
    type Column = (&'static str, fn(&Point) -> f64, fn(&mut String, f64));
    let columns: [Column; 5] = [
        ("update", |p| p.at.update, json::count),
        ("samples_seen", |p| p.at.samples, json::count),
        ("seconds", |p| p.at.seconds, json::number),
        ("loss", |p| p.metrics.loss, json::number),
        ("accuracy", |p| p.metrics.accuracy, json::number),
    ];
    for (key, f, write) in columns {
        json::array(validation.key(key), column(f), write);
    }
    validation.end();
}

/// `updates`: the kept per-update rows, one array per column, and their `stride`.
fn updates(out: &mut String, run: &RunHistory) {
    let steps = &run.steps;
    let upe = run.info.updates_per_epoch;
    let mut updates = json::Object::new(out);
    json::array(
        updates.key("update"),
        steps.update.iter().copied(),
        json::count,
    );
    json::array(
        updates.key("epoch"),
        steps.update.iter().map(|&u| epoch_of(u, upe)),
        |o, e| {
            let _ = write!(o, "{e}");
        },
    );
    json::array(
        updates.key("samples_seen"),
        steps.samples.iter().copied(),
        json::count,
    );
    for (key, column) in [
        ("seconds", &steps.seconds),
        ("loss", &steps.loss),
        ("accuracy", &steps.accuracy),
        ("learning_rate", &steps.learning_rate),
        ("gradient_norm", &steps.gradient_norm),
        ("noise_scale", &steps.noise_scale),
    ] {
        json::array(updates.key(key), column.iter().copied(), json::number32);
    }
    updates.integer("stride", steps.stride.max(1) as u64);
    updates.end();
}

/// A CSV cell: shortest round-trip form, `NaN`/`inf`/`-inf` for non-finite values.
fn cell(out: &mut String, v: f64) {
    let _ = write!(out, "{v:?}");
}

fn cell32(out: &mut String, v: f32) {
    let _ = write!(out, "{v:?}");
}

/// A whole-number cell (update or sample count) without a fraction.
fn count_cell(out: &mut String, v: f64) {
    if v.is_finite() {
        json::count(out, v);
    } else {
        cell(out, v);
    }
}

/// `,val_loss,val_accuracy` cells: both empty when there is no validation value.
fn validation_cells(out: &mut String, m: Option<Metrics>) {
    out.push(',');
    if let Some(m) = m {
        cell(out, m.loss);
        out.push(',');
        cell(out, m.accuracy);
    } else {
        out.push(',');
    }
}

/// Appends `text` as one CSV field (RFC 4180): as it is, or — when it holds a comma, a
/// double quote, a line break, or starts or ends with a space — in double quotes with inner
/// quotes doubled (`a "b", c` → `"a ""b"", c"`).
fn text_cell(out: &mut String, text: &str) {
    let needs_quotes = text.contains([',', '"', '\n', '\r'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if needs_quotes {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// One row per completed epoch of each run, the runs one after another in the order given:
/// `run,epoch,update,samples_seen,seconds,loss,accuracy,val_loss,val_accuracy`, where `run`
/// is the run's label (quoted when it needs it), `epoch` counts from 1 within the run,
/// `update`, `samples_seen` and `seconds` locate the epoch's last update, `loss`/`accuracy`
/// are the epoch's training means and `val_*` the validation at that update (empty without
/// validation), then the run's `seed` and its seed group's id `group` (the group's first
/// run, [`crate::history::groups`]). Lines end with `\n`.
pub fn epochs_csv(runs: &[(&RunHistory, &str)]) -> String {
    let rows: usize = runs.iter().map(|(r, _)| r.epochs.len()).sum();
    let mut out = String::with_capacity(80 + rows * 96);
    out.push_str(
        "run,epoch,update,samples_seen,seconds,loss,accuracy,val_loss,val_accuracy,seed,group\n",
    );
    for (&(run, label), group) in runs.iter().zip(group_ids(runs)) {
        for (i, p) in run.epochs.iter().enumerate() {
            text_cell(&mut out, label);
            let _ = write!(out, ",{},", i + 1);
            count_cell(&mut out, p.at.update);
            out.push(',');
            count_cell(&mut out, p.at.samples);
            out.push(',');
            cell(&mut out, p.at.seconds);
            out.push(',');
            cell(&mut out, p.metrics.loss);
            out.push(',');
            cell(&mut out, p.metrics.accuracy);
            validation_cells(&mut out, validation_at(run, p.at.update));
            let _ = writeln!(out, ",{},{group}", run.experiment.config.seed);
        }
    }
    out
}

/// One row per kept per-update row of each run, the runs one after another in the order
/// given:
/// `run,update,epoch,samples_seen,seconds,loss,accuracy,learning_rate,gradient_norm,val_loss,val_accuracy,noise_scale`.
/// `run` is the run's label (quoted when it needs it); `epoch` is
/// `ceil(update / updates_per_epoch)`; `val_*` are filled where a validation point lies at
/// that update (once rows are merged: within the updates the row stands for), else empty;
/// `noise_scale` is the gradient noise meter's reading, empty where it was off or had no
/// estimate yet; then `seed` and `group` as in [`epochs_csv`] (new columns go last so the
/// columns before them keep their places). Lines end with `\n`.
pub fn updates_csv(runs: &[(&RunHistory, &str)]) -> String {
    let rows: usize = runs.iter().map(|(r, _)| r.steps.len()).sum();
    let mut out = String::with_capacity(120 + rows * 112);
    out.push_str(
        "run,update,epoch,samples_seen,seconds,loss,accuracy,learning_rate,gradient_norm,val_loss,val_accuracy,noise_scale,seed,group\n",
    );
    for (&(run, label), group) in runs.iter().zip(group_ids(runs)) {
        let s = &run.steps;
        let upe = run.info.updates_per_epoch;
        for (i, validation) in validation_per_row(run).into_iter().enumerate() {
            text_cell(&mut out, label);
            out.push(',');
            count_cell(&mut out, s.update[i]);
            let _ = write!(out, ",{},", epoch_of(s.update[i], upe));
            count_cell(&mut out, s.samples[i]);
            for v in [
                s.seconds[i],
                s.loss[i],
                s.accuracy[i],
                s.learning_rate[i],
                s.gradient_norm[i],
            ] {
                out.push(',');
                cell32(&mut out, v);
            }
            validation_cells(&mut out, validation);
            out.push(',');
            let noise_scale = s.noise_scale[i];
            if noise_scale.is_finite() {
                cell32(&mut out, noise_scale);
            }
            let _ = writeln!(out, ",{},{group}", run.experiment.config.seed);
        }
    }
    out
}

/// The seed group of each exported run, among the exported runs.
fn group_ids(runs: &[(&RunHistory, &str)]) -> Vec<RunId> {
    group_ids_of(runs.iter().map(|&(r, _)| r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::fixtures::{experiment, info, step};
    use crate::history::labels::labels;
    use crate::i18n::Lang;

    fn run(updates: usize, upe: usize, validate: bool) -> RunHistory {
        let mut r = RunHistory::new(1, experiment(upe), info(upe, if validate { 5 } else { 0 }));
        for u in 1..=updates {
            r.record(&step(u, u as f64, upe, validate));
        }
        r
    }

    /// `keras_history_json` of one run alone.
    fn json_of(r: &RunHistory) -> String {
        keras_history_json(r, &[(r, "B = 10")])
    }

    #[test]
    fn json_writer_escapes_and_nulls() {
        let mut s = String::new();
        json::string(&mut s, "a\"b\\c\nd\u{1}배치");
        assert_eq!(s, r#""a\"b\\c\nd\u0001배치""#);
        let mut s = String::new();
        json::array(
            &mut s,
            [
                1.5,
                f64::NAN,
                f64::INFINITY,
                -f64::INFINITY,
                1e-7,
                1e30,
                2.0,
            ],
            json::number,
        );
        assert_eq!(s, "[1.5,null,null,null,1e-7,1e30,2.0]");
        let mut s = String::new();
        json::array(&mut s, [0.1f32, f32::NAN], json::number32);
        assert_eq!(s, "[0.1,null]");
        let mut s = String::new();
        json::array(&mut s, [17.0, 0.5, f64::NAN], json::count);
        assert_eq!(s, "[17,0.5,null]");
        let mut s = String::new();
        let mut o = json::Object::new(&mut s);
        o.integer("a", 1);
        o.string("b", "x");
        json::array(o.key("c"), Vec::<f64>::new(), json::number);
        json::Object::new(o.key("d")).end();
        o.end();
        assert_eq!(s, r#"{"a":1,"b":"x","c":[],"d":{}}"#);
    }

    #[test]
    fn json_has_one_value_per_epoch_and_validation_at_epoch_ends() {
        let r = run(8, 4, true);
        let text = json_of(&r);
        assert!(text.starts_with(
            r#"{"history":{"loss":[8.0,16.0],"accuracy":[0.75,0.75],"val_loss":[5.0,9.0],"val_accuracy":[0.5,0.5]},"epoch":[1,2],"params":{"dataset":"mnist","train_size":40,"#
        ), "{text}");
        assert!(text.contains(r#""learning_rate":0.001,"optimizer":"adam","hidden":[128],"activation":"relu","seed":42,"updates_per_epoch":4,"total_updates":12,"lr_schedule":{"rule":"none","base_batch":32,"warmup_epochs":0,"warmup_start_lr":0.0001,"decay":"constant","floor":0.0}}"#), "{text}");
        assert!(text.contains(r#""validation":{"update":[4,8],"samples_seen":[40,80],"seconds":[0.4,0.8],"loss":[5.0,9.0]"#), "{text}");
        assert!(text.contains(r#""updates":{"update":[1,2,3,4,5,6,7,8],"epoch":[1,1,1,1,2,2,2,2],"samples_seen":[10,20,"#), "{text}");
        assert!(
            text.contains(
                r#""stride":1},"runs":[{"label":"B = 10","run":1,"group":1,"seed":42,"history":{"loss":[8.0,16.0],"#
            ),
            "{text}"
        );
        assert!(text.ends_with(r#""stride":1}}]}"#), "{text}");
    }

    #[test]
    fn json_lists_every_run_after_the_current_ones_top_level() {
        let a = run(8, 4, true);
        let mut b = run(3, 3, false);
        b.run = 2;
        b.experiment.config.batch_size = 256;
        b.experiment.config.learning_rate = 0.008;
        let text = keras_history_json(&b, &[(&a, "B = 10, \"a\""), (&b, "B = 256 · lr 0.008")]);
        assert!(
            text.starts_with(r#"{"history":{"loss":[6.0],"accuracy":[0.75]},"epoch":[1],"#),
            "the current run first: {text}"
        );
        assert!(text.contains(r#""learning_rate":0.008,"#), "{text}");
        let runs = &text[text.find(r#","runs":["#).expect("runs")..];
        assert!(
            runs.starts_with(
                r#","runs":[{"label":"B = 10, \"a\"","run":1,"group":1,"seed":42,"history":{"loss":[8.0,16.0],"#
            ),
            "{runs}"
        );
        assert!(
            runs.contains(r#"}},{"label":"B = 256 · lr 0.008","run":2,"group":2,"seed":42,"history":{"loss":[6.0],"accuracy":[0.75]},"epoch":[1],"#),
            "{runs}"
        );
        assert_eq!(text.matches(r#""params":"#).count(), 3);
        let empty = keras_history_json(&a, &[]);
        assert!(empty.ends_with(r#""stride":1},"runs":[]}"#), "{empty}");
    }

    #[test]
    fn without_validation_the_val_keys_are_left_out() {
        let text = json_of(&run(4, 4, false));
        assert!(!text.contains("val_"), "{text}");
        assert!(!text.contains("\"validation\""), "{text}");
        assert!(text.contains(r#""history":{"loss":[8.0],"accuracy":[0.75]}"#));
    }

    #[test]
    fn non_finite_values_become_null_in_json_and_nan_in_csv() {
        let mut r = run(4, 4, true);
        r.record(&step(5, f64::NAN, 4, true));
        r.record(&step(6, f64::INFINITY, 4, true));
        let text = json_of(&r);
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        assert!(
            text.contains(r#""loss":[1.0,2.0,3.0,4.0,null,null]"#),
            "{text}"
        );
        let csv = updates_csv(&[(&r, "B = 10")]);
        assert!(csv.contains("\nB = 10,5,2,50,0.5,NaN,"), "{csv}");
        assert!(csv.contains("\nB = 10,6,2,60,0.6,inf,"), "{csv}");
    }

    #[test]
    fn an_update_without_a_noise_estimate_leaves_its_cell_empty() {
        let mut r = run(0, 4, false);
        let mut first = step(1, 1.0, 4, false);
        first.noise_scale = None;
        r.record(&first);
        r.record(&step(2, 1.0, 4, false));
        let csv = updates_csv(&[(&r, "B = 10")]);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[1].ends_with(",,,,42,1"), "{csv}");
        assert!(lines[2].ends_with(",,,402.0,42,1"), "{csv}");
        assert!(!csv.contains("NaN"), "{csv}");
    }

    #[test]
    fn csv_rows_and_validation_cells() {
        let r = run(6, 3, true);
        let epochs = epochs_csv(&[(&r, "B = 10")]);
        assert_eq!(
            epochs,
            "run,epoch,update,samples_seen,seconds,loss,accuracy,val_loss,val_accuracy,seed,group\n\
             B = 10,1,3,30,0.3,6.0,0.75,4.0,0.5,42,1\n\
             B = 10,2,6,60,0.6,12.0,0.75,7.0,0.5,42,1\n"
        );
        let updates = updates_csv(&[(&r, "B = 10")]);
        let lines: Vec<&str> = updates.lines().collect();
        assert_eq!(lines.len(), 7);
        assert_eq!(
            lines[0],
            "run,update,epoch,samples_seen,seconds,loss,accuracy,learning_rate,gradient_norm,val_loss,val_accuracy,noise_scale,seed,group"
        );
        assert_eq!(
            lines[1],
            "B = 10,1,1,10,0.1,1.0,0.25,0.001,1.5,,,401.0,42,1"
        );
        assert_eq!(
            lines[3],
            "B = 10,3,1,30,0.3,3.0,0.25,0.001,1.5,4.0,0.5,403.0,42,1"
        );
        assert!(lines.iter().all(|l| l.split(',').count() == 14));
        let no_val = epochs_csv(&[(&run(3, 3, false), "x")]);
        assert!(
            no_val.ends_with("\nx,1,3,30,0.3,6.0,0.75,,,42,1\n"),
            "{no_val}"
        );
        assert_eq!(
            epochs_csv(&[]),
            "run,epoch,update,samples_seen,seconds,loss,accuracy,val_loss,val_accuracy,seed,group\n"
        );
    }

    #[test]
    fn csv_rows_of_every_run_in_order_with_quoted_labels() {
        let a = run(6, 3, false);
        let b = run(4, 4, true);
        let epochs = epochs_csv(&[(&a, "N = 8,000 · B = 10"), (&b, "say \"hi\"")]);
        let lines: Vec<&str> = epochs.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "\"N = 8,000 · B = 10\",1,3,30,0.3,6.0,0.75,,,42,1",
                "\"N = 8,000 · B = 10\",2,6,60,0.6,12.0,0.75,,,42,1",
                "\"say \"\"hi\"\"\",1,4,40,0.4,8.0,0.75,5.0,0.5,42,1",
            ]
        );
        let updates = updates_csv(&[(&a, "a"), (&b, "b")]);
        let firsts: Vec<&str> = updates
            .lines()
            .skip(1)
            .map(|l| l.split_once(',').unwrap().0)
            .collect();
        assert_eq!(firsts, ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b"]);
    }

    #[test]
    fn text_cells_are_quoted_only_when_needed() {
        let quoted = |t: &str| {
            let mut s = String::new();
            text_cell(&mut s, t);
            s
        };
        assert_eq!(quoted("B = 256 · lr 0.008"), "B = 256 · lr 0.008");
        assert_eq!(quoted("시드 42"), "시드 42");
        assert_eq!(quoted("N = 1,000"), "\"N = 1,000\"");
        assert_eq!(quoted("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(quoted("two\nlines"), "\"two\nlines\"");
        assert_eq!(quoted(" padded"), "\" padded\"");
        assert_eq!(quoted(""), "");
    }

    #[test]
    fn exports_hold_the_trained_runs_and_the_current_one_first() {
        let mut history = crate::history::History::default();
        for (id, b, updates) in [(1, 8, 4), (2, 256, 2), (3, 32, 0)] {
            let mut e = experiment(4);
            e.config.batch_size = b;
            history.begin(id, e, info(4, 0));
            let r = history.get_mut(id).unwrap();
            (1..=updates).for_each(|u| r.record(&step(u, 1.0, 4, false)));
        }
        let runs = history.runs();
        let names = labels(runs, Lang::En);
        assert_eq!(names, ["B = 8", "B = 40", "B = 32"], "B in effect: N = 40");
        let exported = exported(runs, &names);
        assert_eq!(
            exported
                .iter()
                .map(|(r, l)| (r.run, *l))
                .collect::<Vec<_>>(),
            [(1, "B = 8"), (2, "B = 40")],
            "the untrained run 3 has nothing to export"
        );
        assert_eq!(primary_run(runs, 1).map(|r| r.run), Some(1));
        assert_eq!(primary_run(runs, 2).map(|r| r.run), Some(2));
        assert_eq!(
            primary_run(runs, 3).map(|r| r.run),
            Some(2),
            "the current run has not trained: the newest run that did"
        );
        assert_eq!(primary_run(runs, 9).map(|r| r.run), Some(2), "no record");
        assert_eq!(primary_run(&runs[2..], 3).map(|r| r.run), Some(3));
        assert!(primary_run(&[], 3).is_none());
    }

    #[test]
    fn merged_rows_keep_their_validation_points() {
        let mut r = run(8, 4, true);
        // As if merged: rows now stand for updates (0, 2], (2, 4], (4, 6], (6, 8]...
        r.steps.update = vec![2.0, 5.0, 6.0, 8.0];
        let v = validation_per_row(&r);
        assert_eq!(
            v.iter().map(|m| m.map(|m| m.loss)).collect::<Vec<_>>(),
            vec![None, Some(5.0), None, Some(9.0)],
            "the point at update 4 lands in the row (2, 5]"
        );
    }

    #[test]
    fn stems_and_epochs_of_updates() {
        assert_eq!(
            file_stem(&Experiment::default()),
            "batch-lab-mnist-n8000-b32-e10-seed42"
        );
        let toy = Experiment {
            source: DataSource::Toy {
                toy: crate::trainer::data::toy::Toy::Spirals,
                noise: 0.1,
            },
            train_size: 200,
            ..Experiment::default()
        };
        assert!(file_stem(&toy).starts_with("batch-lab-spirals-n200-"));
        assert_eq!(
            [1.0, 250.0, 251.0, 500.0].map(|u| epoch_of(u, 250)),
            [1, 1, 2, 2]
        );
        assert_eq!(epoch_of(3.0, 0), 3, "never a division by zero");
    }
}
