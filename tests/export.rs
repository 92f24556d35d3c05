//! Exports of real (short) runs: the worker's runner trains, its events become a
//! `RunHistory` exactly as the page records them, and the exported JSON and CSV are read back
//! (the JSON with serde_json, a native-only dev-dependency: the app writes JSON by hand).
#![cfg(not(target_arch = "wasm32"))]

use batch_lab::experiment::{DataSource, Experiment};
use batch_lab::export::{epochs_csv, file_stem, keras_history_json, updates_csv};
use batch_lab::history::{History, RunHistory};
use batch_lab::trainer::data::toy::Toy;
use batch_lab::trainer::optim::OptimizerKind;
use batch_lab::trainer::session::{Status, TrainConfig};
use batch_lab::worker::protocol::{Command, Event};
use batch_lab::worker::runner::{Runner, Schedule};
use serde_json::Value;

/// The post's "200 samples, batch 20" on random data, small net, few epochs.
fn post_example(epochs: usize) -> Experiment {
    Experiment {
        source: DataSource::Random,
        train_size: 200,
        validation_split: 0.2,
        config: TrainConfig {
            hidden: vec![8],
            batch_size: 20,
            epochs,
            ..TrainConfig::default()
        },
    }
}

/// Trains `experiment` to its end in the runner and records it as the page does.
fn train(experiment: &Experiment) -> RunHistory {
    let run = 7;
    let mut runner = Runner::default();
    let mut history = History::default();
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
                Event::Ready { info, .. } => history.begin(run, info),
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
    history.get(run).expect("recorded").clone()
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

    let text = keras_history_json(&run, &experiment);
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
}

#[test]
fn csvs_have_a_row_per_epoch_and_per_update() {
    let mut experiment = post_example(3);
    experiment.config.validate_every = Some(4);
    let run = train(&experiment);
    assert_eq!(
        run.validation.len(),
        9,
        "epoch ends 10, 20, 30 and every 4th update (20 is both)"
    );

    let epochs = epochs_csv(&run);
    let lines: Vec<&str> = epochs.lines().collect();
    assert_eq!(lines.len(), 1 + 3);
    assert_eq!(
        lines[0],
        "epoch,update,samples_seen,seconds,loss,accuracy,val_loss,val_accuracy"
    );
    for (i, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 8, "{line}");
        let e = &run.epochs[i];
        assert_eq!(cells[0], (i + 1).to_string());
        assert_eq!(cells[1], ((i + 1) * 10).to_string());
        assert_eq!(cells[2], ((i + 1) * 200).to_string());
        assert_eq!(cells[4].parse::<f64>().unwrap(), e.metrics.loss);
        assert_eq!(cells[5].parse::<f64>().unwrap(), e.metrics.accuracy);
        assert!(!cells[6].is_empty() && !cells[7].is_empty(), "{line}");
    }

    let updates = updates_csv(&run);
    let lines: Vec<&str> = updates.lines().collect();
    assert_eq!(lines.len(), 1 + 30);
    assert_eq!(
        lines[0],
        "update,epoch,samples_seen,seconds,loss,accuracy,learning_rate,gradient_norm,val_loss,val_accuracy"
    );
    let mut with_validation = Vec::new();
    for (i, line) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 10, "{line}");
        let update = i + 1;
        assert_eq!(cells[0], update.to_string());
        assert_eq!(cells[1], update.div_ceil(10).to_string());
        assert_eq!(cells[4].parse::<f32>().unwrap(), run.steps.loss[i]);
        if !cells[8].is_empty() {
            with_validation.push(update);
        }
    }
    assert_eq!(with_validation, [4, 8, 10, 12, 16, 20, 24, 28, 30]);
    // The JSON lists every evaluation too, and still one val_* per epoch.
    let json: Value = serde_json::from_str(&keras_history_json(&run, &experiment)).unwrap();
    assert_eq!(json["validation"]["update"].as_array().unwrap().len(), 9);
    assert_eq!(json["history"]["val_loss"].as_array().unwrap().len(), 3);
}

#[test]
fn without_validation_there_are_no_val_keys() {
    let mut experiment = post_example(2);
    experiment.validation_split = 0.0;
    let run = train(&experiment);
    let json: Value = serde_json::from_str(&keras_history_json(&run, &experiment)).unwrap();
    assert_eq!(
        json["history"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["accuracy", "loss"]
    );
    assert!(json.get("validation").is_none());
    assert!(epochs_csv(&run).lines().skip(1).all(|l| l.ends_with(",,")));
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

    let text = keras_history_json(&run, &experiment);
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
    let updates = updates_csv(&run);
    assert_eq!(updates.lines().count(), 1 + run.steps.len());
    let last_row = updates.lines().last().unwrap();
    assert!(
        last_row.contains(",NaN,") || last_row.contains(",inf,"),
        "{last_row}"
    );
    let epochs = epochs_csv(&run);
    assert!(epochs.lines().nth(1).unwrap().contains(",NaN,") || epochs.contains(",inf,"));
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
