//! Training throughput of the post's Keras model (784-128-10, ReLU, Adam) on MNIST-10k,
//! natively: `cargo bench --bench throughput`. Prints samples/s and achieved GFLOP/s per
//! batch size; no assertions (speed goals are figures to read, not tests to pass).
//! `-- --quick` runs shorter measurements.

use batch_lab::boundary::{BUDGET, MIN_INTERVAL_MS, Mapper};
use batch_lab::trainer::data::{mnist, toy};
use batch_lab::trainer::model::Activation;
use batch_lab::trainer::session::{Session, TrainConfig};
use std::time::{Duration, Instant};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let budget = Duration::from_millis(if quick { 300 } else { 2000 });
    let data = mnist::decode(include_bytes!("../assets/mnist-10k.bin.z")).expect("asset decodes");
    let (train, val) = data.split_validation(0.2).expect("split");
    println!(
        "Batch Lab trainer, native ({}), MNIST-10k 8000 train / 2000 val, 784-128-10 Adam",
        std::env::consts::ARCH
    );
    println!(
        "{:>6} {:>12} {:>12} {:>10} {:>9}",
        "batch", "samples/s", "updates/s", "GFLOP/s", "updates"
    );
    for batch_size in [1, 8, 32, 128, 512] {
        let config = TrainConfig {
            batch_size,
            epochs: 1000,
            ..TrainConfig::default()
        };
        let mut session =
            Session::new(config, train.clone(), val.range(0, 0)).expect("valid config");
        let flops = session.model().spec.train_flops_per_sample() as f64;
        // Warm up (allocations, caches), then time whole updates until the budget is spent.
        for _ in 0..3 {
            session.step();
        }
        let (start, mut samples, mut updates) = (Instant::now(), 0usize, 0usize);
        while start.elapsed() < budget {
            samples += session.step().expect("run is long enough").batch_size;
            updates += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        let rate = samples as f64 / secs;
        println!(
            "{batch_size:>6} {rate:>12.0} {:>12.0} {:>10.2} {updates:>9}",
            updates as f64 / secs,
            rate * flops / 1e9
        );
    }
    // The gradient-noise meter's cost: B = 32 with the meter on and off, in short
    // alternating pairs so that drift (thermal, other load) hits both alike; the median of
    // the pairs' ratios.
    let reps = if quick { 15 } else { 31 };
    let budget = budget / 3;
    let rate = |on: bool| {
        let config = TrainConfig {
            batch_size: 32,
            epochs: 1000,
            ..TrainConfig::default()
        };
        let mut session =
            Session::new(config, train.clone(), val.range(0, 0)).expect("valid config");
        session.set_noise_meter(on);
        for _ in 0..3 {
            session.step();
        }
        let (start, mut samples) = (Instant::now(), 0usize);
        while start.elapsed() < budget {
            samples += session.step().expect("run is long enough").batch_size;
        }
        samples as f64 / start.elapsed().as_secs_f64()
    };
    let mut pairs: Vec<(f64, f64)> = (0..reps)
        .map(|i| {
            // Alternate which goes first, so neither always runs on a warmer machine.
            if i % 2 == 0 {
                let off = rate(false);
                (off, rate(true))
            } else {
                let on = rate(true);
                (rate(false), on)
            }
        })
        .collect();
    // Also the best of each: the least disturbed measurement on a shared machine.
    let best_off = pairs.iter().map(|p| p.0).fold(0.0, f64::max);
    let best_on = pairs.iter().map(|p| p.1).fold(0.0, f64::max);
    pairs.sort_by(|a, b| (a.1 / a.0).total_cmp(&(b.1 / b.0)));
    let (off, on) = pairs[reps / 2];
    println!(
        "noise meter at B=32: off {off:.0} samples/s, on {on:.0} samples/s, on/off {:.3} ({:+.1} %), median of {reps} pairs; best on/best off {:.3} ({:+.1} %)",
        on / off,
        (on / off - 1.0) * 100.0,
        best_on / best_off,
        (best_on / best_off - 1.0) * 100.0
    );
    boundary_cost(budget);
    // The post's default run end to end: 10 epochs at B = 32 with validation each epoch.
    let start = Instant::now();
    let mut session = Session::new(TrainConfig::default(), train, val).expect("valid config");
    while session.step().is_some() {}
    let last = session
        .history()
        .last()
        .and_then(|h| h.validation)
        .expect("validated");
    println!(
        "default run (B=32, 10 epochs, validation each epoch): {:.2} s, val accuracy {:.2} %",
        start.elapsed().as_secs_f64(),
        last.accuracy * 100.0
    );
}

/// The decision boundary's cost on spirals (N = 400, 16-16 tanh, B = 32, the page's
/// spirals defaults): one 64 × 64 grid against one update, and the share of training time
/// grids take under the worker's throttle (one per max(100 ms, cost / BUDGET) of training).
fn boundary_cost(budget: Duration) {
    let data = toy::generate(toy::Toy::Spirals, 500, 0.1, 3).expect("spirals");
    let (train, val) = data.split_validation(0.2).expect("split");
    let config = TrainConfig {
        batch_size: 32,
        epochs: 100_000,
        hidden: vec![16, 16],
        activation: Activation::Tanh,
        learning_rate: 0.01,
        ..TrainConfig::default()
    };
    let mut session = Session::new(config, train.clone(), val).expect("valid config");
    let mut mapper = Mapper::new(2, train.classes, &train.x).expect("2-D");
    for _ in 0..3 {
        session.step();
        mapper.grid(session.model(), 0);
    }
    let (start, mut updates) = (Instant::now(), 0u32);
    while start.elapsed() < budget {
        session.step();
        updates += 1;
    }
    let update_ms = start.elapsed().as_secs_f64() * 1e3 / f64::from(updates);
    let (start, mut grids) = (Instant::now(), 0u32);
    while start.elapsed() < budget {
        std::hint::black_box(mapper.grid(session.model(), 0));
        grids += 1;
    }
    let grid_ms = start.elapsed().as_secs_f64() * 1e3 / f64::from(grids);
    let interval = MIN_INTERVAL_MS.max(grid_ms / BUDGET);
    println!(
        "decision boundary (spirals, 16-16 tanh, B=32): one update {:.1} µs, one 64x64 grid {:.3} ms (= {:.0} updates); throttled to one per {interval:.0} ms of training: {:.2} % of training time",
        update_ms * 1e3,
        grid_ms,
        grid_ms / update_ms,
        grid_ms / interval * 100.0
    );
}
