//! Exports of real (short) runs: the worker's runner trains, its events become a
//! `RunHistory` exactly as the page records them, and the exported JSON and CSV are read back
//! (the JSON with serde_json, a native-only dev-dependency: the app writes JSON by hand; the
//! CSV with the small RFC 4180 reader below).
#![cfg(not(target_arch = "wasm32"))]

use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::export::{
    epochs_csv, exported, file_stem, keras_history_json, primary_run, updates_csv,
};
use batch_lab::history::labels::labels;
use batch_lab::history::{History, RunHistory};
use batch_lab::i18n::Lang;
use batch_lab::trainer::data::toy::Toy;
use batch_lab::trainer::optim::OptimizerKind;
use batch_lab::trainer::session::{Status, TrainConfig, ValidationSchedule};
use batch_lab::worker::protocol::{Command, Event};
use batch_lab::worker::runner::{Runner, Schedule};
use serde_json::Value;

mod common;
use common::post_example;

/// Trains `experiment` to its end in the runner as run `run` and records it into `history`
/// as the page does.
fn train_into(history: &mut History, run: u32, experiment: &Experiment) {
    let mut runner = Runner::default();
    let mut t = 0.0;
    let mut clock = move || {
        t += 0.25;
        t
    };
    let mut events = runner.handle(Command::Configure {
        run,
        experiment: experiment.clone(),
    });
    events.extend(runner.handle(Command::Start { run }));
    for _ in 0..10_000 {
        for event in events.drain(..) {
            match event {
                Event::Ready { info, .. } => history.begin(run, experiment.clone(), info),
                Event::Progress { steps, .. } => {
                    let record = history.get_mut(run).expect("begun");
                    steps.iter().for_each(|s| record.record(s));
                }
                Event::Finished { status, .. } => {
                    history.get_mut(run).expect("begun").status = Some(status)
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        if runner.schedule() == Schedule::Idle {
            break;
        }
        events = runner.tick(&mut clock);
    }
}

/// Trains `experiment` to its end alone and returns its record.
fn train(experiment: &Experiment) -> RunHistory {
    let mut history = History::default();
    train_into(&mut history, 7, experiment);
    history.get(7).expect("recorded").clone()
}

/// A lone run's label, as the page would name it.
const LABEL: &str = "B = 20";

/// The JSON of `run` exported alone.
fn json_alone(run: &RunHistory) -> String {
    keras_history_json(run, &[(run, LABEL)])
}

/// Reads CSV text as RFC 4180 says (quoted fields, `""` inside quotes, commas and line
/// breaks within quotes): rows of fields, the header first.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(
        field.is_empty() && row.is_empty(),
        "the last line ends with \\n"
    );
    rows
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or_else(|| panic!("not a number: {x}")))
        .collect()
}

#[test]
fn json_is_keras_history_of_the_run() {
    let experiment = post_example(4);
    let run = train(&experiment);
    assert_eq!(run.status, Some(Status::Finished));
    assert_eq!((run.epochs.len(), run.steps.len()), (4, 40));

    let text = json_alone(&run);
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    let h = &json["history"];
    assert_eq!(
        h.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["accuracy", "loss", "val_accuracy", "val_loss"],
        "serde_json sorts keys"
    );
    assert!(
        text.starts_with(r#"{"history":{"loss":["#),
        "Keras' order in the file: {text}"
    );
    for key in ["loss", "accuracy", "val_loss", "val_accuracy"] {
        assert_eq!(h[key].as_array().unwrap().len(), 4, "{key}");
    }
    // Bit-exact: the epoch means and the validation at each epoch end.
    let means = |f: fn(&batch_lab::trainer::session::Metrics) -> f64| {
        run.epochs.iter().map(|p| f(&p.metrics)).collect::<Vec<_>>()
    };
    assert_eq!(floats(&h["loss"]), means(|m| m.loss));
    assert_eq!(floats(&h["accuracy"]), means(|m| m.accuracy));
    let val: Vec<_> = run.validation.iter().map(|p| p.metrics).collect();
    assert_eq!(
        floats(&h["val_loss"]),
        val.iter().map(|m| m.loss).collect::<Vec<_>>()
    );
    assert_eq!(
        floats(&h["val_accuracy"]),
        val.iter().map(|m| m.accuracy).collect::<Vec<_>>()
    );
    assert_eq!(json["epoch"], serde_json::json!([1, 2, 3, 4]));
    assert_eq!(json["runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["runs"][0]["label"], LABEL);
    assert_eq!(json["runs"][0]["history"], json["history"]);

    let p = &json["params"];
    assert_eq!(p["dataset"], "random");
    assert_eq!(
        (&p["train_size"], &p["validation_size"], &p["batch_size"]),
        (&Value::from(200), &Value::from(50), &Value::from(20))
    );
    assert_eq!(
        (&p["epochs"], &p["updates_per_epoch"], &p["total_updates"]),
        (&Value::from(4), &Value::from(10), &Value::from(40))
    );
    assert_eq!(p["learning_rate"].as_f64().unwrap() as f32, 0.001);
    assert_eq!(
        (&p["optimizer"], &p["activation"]),
        (&Value::from("adam"), &Value::from("relu"))
    );
    assert_eq!(p["hidden"], serde_json::json!([8]));
    assert_eq!(p["seed"], 42);
    assert_eq!(json["status"], "finished");

    let u = &json["updates"];
    assert_eq!(u["stride"], 1);
    assert_eq!(
        floats(&u["update"]),
        (1..=40).map(f64::from).collect::<Vec<_>>()
    );
    assert_eq!(
        floats(&u["epoch"]),
        (0..40).map(|i| f64::from(i / 10 + 1)).collect::<Vec<_>>()
    );
    assert_eq!(
        floats(&u["samples_seen"]),
        (1..=40).map(|i| f64::from(i * 20)).collect::<Vec<_>>()
    );
    for (key, column) in [
        ("loss", &run.steps.loss),
        ("accuracy", &run.steps.accuracy),
        ("learning_rate", &run.steps.learning_rate),
        ("gradient_norm", &run.steps.gradient_norm),
        ("seconds", &run.steps.seconds),
    ] {
        let read: Vec<f32> = floats(&u[key]).into_iter().map(|v| v as f32).collect();
        assert_eq!(&read, column, "{key} reads back as the same f32s");
    }
    // The noise meter (on by default) reads nothing until it has a batch to compare: null.
    let noise: Vec<Option<f32>> = u["noise_scale"]
        .as_array()
        .expect("noise_scale")
        .iter()
        .map(|v| v.as_f64().map(|v| v as f32))
        .collect();
    let recorded: Vec<Option<f32>> = run
        .steps
        .noise_scale
        .iter()
        .map(|v| v.is_finite().then_some(*v))
        .collect();
    assert_eq!(noise, recorded);
    assert!(noise.iter().any(Option::is_some), "{noise:?}");

    let lr = &p["lr_schedule"];
    assert_eq!(
        (
            &lr["rule"],
            &lr["decay"],
            &lr["base_batch"],
            &lr["warmup_epochs"]
        ),
        (
            &Value::from("none"),
            &Value::from("constant"),
            &Value::from(32),
            &Value::from(0)
        )
    );
}

#[test]
fn csvs_have_a_row_per_epoch_and_per_update() {
    let mut experiment = post_example(3);
    experiment.config.validation = ValidationSchedule::Every(4);
    let run = train(&experiment);
    assert_eq!(
        run.validation.len(),
        9,
        "epoch ends 10, 20, 30 and every 4th update (20 is both)"
    );

    let epochs = read_csv(&epochs_csv(&[(&run, LABEL)]));
    assert_eq!(epochs.len(), 1 + 3);
    assert_eq!(
        epochs[0],
        [
            "run",
            "epoch",
            "update",
            "samples_seen",
            "seconds",
            "loss",
            "accuracy",
            "val_loss",
            "val_accuracy",
            "seed",
            "group"
        ]
    );
    for (i, cells) in epochs[1..].iter().enumerate() {
        assert_eq!(cells.len(), 11, "{cells:?}");
        assert_eq!(cells[9], run.experiment.config.seed.to_string());
        assert_eq!(
            cells[10],
            run.run.to_string(),
            "a lone run is its own group"
        );
        let e = &run.epochs[i];
        assert_eq!(cells[0], LABEL);
        assert_eq!(cells[1], (i + 1).to_string());
        assert_eq!(cells[2], ((i + 1) * 10).to_string());
        assert_eq!(cells[3], ((i + 1) * 200).to_string());
        assert_eq!(cells[5].parse::<f64>().unwrap(), e.metrics.loss);
        assert_eq!(cells[6].parse::<f64>().unwrap(), e.metrics.accuracy);
        assert!(!cells[7].is_empty() && !cells[8].is_empty(), "{cells:?}");
    }

    let updates = read_csv(&updates_csv(&[(&run, LABEL)]));
    assert_eq!(updates.len(), 1 + 30);
    assert_eq!(
        updates[0].join(","),
        "run,update,epoch,samples_seen,seconds,loss,accuracy,learning_rate,gradient_norm,val_loss,val_accuracy,noise_scale,seed,group"
    );
    let mut with_validation = Vec::new();
    for (i, cells) in updates[1..].iter().enumerate() {
        assert_eq!(cells.len(), 14, "{cells:?}");
        // The meter's reading, or an empty cell where it had no estimate yet.
        let kept = run.steps.noise_scale[i];
        if kept.is_finite() {
            let noise = cells[11].parse::<f32>().unwrap();
            assert_eq!(noise.to_bits(), kept.to_bits(), "{cells:?}");
        } else {
            assert_eq!(cells[11], "", "{cells:?}");
        }
        let update = i + 1;
        assert_eq!(cells[0], LABEL);
        assert_eq!(cells[1], update.to_string());
        assert_eq!(cells[2], update.div_ceil(10).to_string());
        assert_eq!(cells[5].parse::<f32>().unwrap(), run.steps.loss[i]);
        if !cells[9].is_empty() {
            with_validation.push(update);
        }
    }
    assert_eq!(with_validation, [4, 8, 10, 12, 16, 20, 24, 28, 30]);
    // The JSON lists every evaluation too, and still one val_* per epoch.
    let json: Value = serde_json::from_str(&json_alone(&run)).unwrap();
    assert_eq!(json["validation"]["update"].as_array().unwrap().len(), 9);
    assert_eq!(json["history"]["val_loss"].as_array().unwrap().len(), 3);
}

#[test]
fn without_validation_there_are_no_val_keys() {
    let mut experiment = post_example(2);
    experiment.validation_split = 0.0;
    let run = train(&experiment);
    let json: Value = serde_json::from_str(&json_alone(&run)).unwrap();
    assert_eq!(
        json["history"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["accuracy", "loss"]
    );
    assert!(json.get("validation").is_none());
    assert!(
        epochs_csv(&[(&run, LABEL)])
            .lines()
            .skip(1)
            .all(|l| l.rsplit(',').nth(2) == Some("") && l.rsplit(',').nth(3) == Some(""))
    );
}

#[test]
fn a_diverged_run_exports_nulls_not_nan() {
    // One update per epoch (B = N): epoch 1 completes with weights blown up by lr 1e30, so
    // its validation is already non-finite, and update 2 diverges.
    let mut experiment = post_example(5);
    experiment.config.optimizer = OptimizerKind::Sgd;
    experiment.config.learning_rate = 1e30;
    experiment.config.batch_size = 200;
    let run = train(&experiment);
    assert_eq!(run.status, Some(Status::Diverged));
    let last = *run.steps.loss.last().unwrap();
    assert!(!last.is_finite(), "the diverged update's loss is {last}");

    let text = json_alone(&run);
    for bad in ["NaN", "nan", "inf", "Infinity"] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(json["status"], "diverged");
    let h = &json["history"];
    assert_eq!(h["loss"].as_array().unwrap().len(), run.epochs.len());
    let losses = json["updates"]["loss"].as_array().unwrap();
    assert_eq!(losses.len(), run.steps.len());
    assert!(losses.last().unwrap().is_null());
    let nulls = text.matches("null").count();
    let non_finite = run.steps.loss.iter().filter(|v| !v.is_finite()).count()
        + run
            .steps
            .gradient_norm
            .iter()
            .filter(|v| !v.is_finite())
            .count();
    assert!(
        nulls >= non_finite,
        "{nulls} nulls for {non_finite} non-finite values"
    );
    assert_eq!(run.epochs.len(), 1);
    assert!(
        h["val_loss"][0].is_null(),
        "validation after a 1e30 step: {text}"
    );
    assert!(h["loss"][0].is_f64(), "epoch 1's own mean was finite");
    // The CSVs keep every row, non-finite values spelled as pandas reads them.
    let updates = updates_csv(&[(&run, LABEL)]);
    assert_eq!(updates.lines().count(), 1 + run.steps.len());
    let last_row = updates.lines().last().unwrap();
    assert!(
        last_row.contains(",NaN,") || last_row.contains(",inf,"),
        "{last_row}"
    );
    let epochs = epochs_csv(&[(&run, LABEL)]);
    assert!(epochs.lines().nth(1).unwrap().contains(",NaN,") || epochs.contains(",inf,"));
}

#[test]
fn every_kept_run_is_exported_with_its_label() {
    // Two real runs that differ in B (and N, so that a label holds a comma): 200 / 20 = 10
    // updates per epoch, and 1,000 / 1,000 = one full batch per epoch.
    let small = post_example(3);
    let mut full = post_example(3);
    full.train_size = 1000;
    full.config.batch_size = 1000;
    let mut history = History::default();
    train_into(&mut history, 1, &small);
    train_into(&mut history, 2, &full);
    let runs = history.runs();
    let names = labels(runs, Lang::En);
    assert_eq!(names, ["B = 20 · N = 200", "B = 1,000 · N = 1,000"]);
    let kept = exported(runs, &names);
    assert_eq!(kept.len(), 2);
    let (a, b) = (&runs[0], &runs[1]);
    assert_eq!((a.epochs.len(), a.steps.len()), (3, 30));
    assert_eq!((b.epochs.len(), b.steps.len()), (3, 3));

    // CSV: both runs' rows, in history order, the run column read back as written.
    let epochs_text = epochs_csv(&kept);
    assert!(
        epochs_text.contains("\n\"B = 1,000 · N = 1,000\",1,1,1000,"),
        "the label with a comma is quoted: {epochs_text}"
    );
    let epochs = read_csv(&epochs_text);
    assert_eq!(epochs[0][0], "run");
    assert!(epochs.iter().all(|r| r.len() == 11), "{epochs:?}");
    // Every row carries its run's seed and its seed group (runs at different B: two groups).
    let groups: Vec<&str> = epochs[1..].iter().map(|r| r[10].as_str()).collect();
    assert_eq!(groups, ["1", "1", "1", "2", "2", "2"]);
    assert!(epochs[1..].iter().all(|r| r[9] == "42"), "{epochs:?}");
    let column: Vec<(&str, &str)> = epochs[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        column,
        [
            ("B = 20 · N = 200", "1"),
            ("B = 20 · N = 200", "2"),
            ("B = 20 · N = 200", "3"),
            ("B = 1,000 · N = 1,000", "1"),
            ("B = 1,000 · N = 1,000", "2"),
            ("B = 1,000 · N = 1,000", "3"),
        ]
    );
    assert_eq!(
        epochs[5][5].parse::<f64>().unwrap(),
        b.epochs[1].metrics.loss
    );
    let updates = read_csv(&updates_csv(&kept));
    assert_eq!(updates.len(), 1 + 30 + 3);
    assert!(updates.iter().all(|r| r.len() == 14), "{updates:?}");
    assert!(updates[1..31].iter().all(|r| r[0] == names[0]));
    assert_eq!(
        updates[31..]
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str()))
            .collect::<Vec<_>>(),
        [
            ("B = 1,000 · N = 1,000", "1", "1000"),
            ("B = 1,000 · N = 1,000", "2", "2000"),
            ("B = 1,000 · N = 1,000", "3", "3000"),
        ]
    );

    // JSON: the current run (run 1 here) at the top level exactly as alone, then `runs`.
    let current = primary_run(runs, 1).expect("a record");
    let text = keras_history_json(current, &kept);
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    let alone: Value = serde_json::from_str(&keras_history_json(a, &[])).unwrap();
    let mut top = json.as_object().unwrap().clone();
    let listed = top.remove("runs").expect("runs");
    let mut alone = alone.as_object().unwrap().clone();
    alone.remove("runs");
    assert_eq!(top, alone, "the top level is the current run's");
    assert_eq!(json["history"]["val_loss"].as_array().unwrap().len(), 3);
    assert_eq!(json["params"]["batch_size"], 20);
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), 2);
    for (entry, (run, label, epochs, batch)) in listed.iter().zip([
        (1, names[0].as_str(), 3, 20),
        (2, names[1].as_str(), 3, 1000),
    ]) {
        assert_eq!(entry["label"], label);
        assert_eq!(entry["run"], run);
        assert_eq!(entry["params"]["batch_size"], batch);
        assert_eq!(entry["epoch"].as_array().unwrap().len(), epochs);
        for key in ["loss", "accuracy", "val_loss", "val_accuracy"] {
            assert_eq!(
                entry["history"][key].as_array().unwrap().len(),
                epochs,
                "{label}: history.{key}"
            );
        }
        assert_eq!(entry["status"], "finished");
    }
    assert_eq!(
        floats(&listed[1]["history"]["loss"]),
        b.epochs.iter().map(|p| p.metrics.loss).collect::<Vec<_>>()
    );
    // With run 2 current, it moves to the top level; `runs` stays in history order.
    let json: Value =
        serde_json::from_str(&keras_history_json(primary_run(runs, 2).unwrap(), &kept)).unwrap();
    assert_eq!(json["params"]["batch_size"], 1000);
    assert_eq!(json["runs"][0]["run"], 1);
}

#[test]
fn file_stems_name_the_experiment() {
    assert_eq!(
        file_stem(&Experiment::default()),
        "batch-lab-mnist-n8000-b32-e10-seed42"
    );
    let toy = Experiment {
        source: DataSource::Toy {
            toy: Toy::Moons,
            noise: 0.2,
        },
        train_size: 300,
        validation_split: 0.0,
        config: TrainConfig {
            batch_size: 16,
            epochs: 50,
            seed: 7,
            ..TrainConfig::default()
        },
    };
    assert_eq!(file_stem(&toy), "batch-lab-moons-n300-b16-e50-seed7");
}
