//! The gradient-noise meter against its definition.
//!
//! An independent f64 reference (plain loops, no shared code with the trainer) computes
//! every example's own loss gradient explicitly, by central differences of its loss, and
//! from them the true quantities: `G = mean_i g_i`, `|G|²` and `tr(Σ) = mean_i ‖g_i − G‖²`.
//! The trainer's cheap per-example norms and the meter's estimates (unbiased for batches
//! drawn as the trainer draws them: consecutive slices of a random permutation) are
//! compared with those.
#![cfg(not(target_arch = "wasm32"))]

mod reference;

use batch_lab::trainer::data::{Dataset, random};
use batch_lab::trainer::model::{Activation, Mlp, ModelSpec, Workspace};
use batch_lab::trainer::noise::NoiseSample;
use batch_lab::trainer::rng::{self, Stream};
use batch_lab::trainer::session::{Session, TrainConfig};

/// `−ln softmax(net(x))[label]` in f64 (the shared reference, `tests/reference`, on one
/// example); `params[l]` is layer l's kernel (`n_in × n_out`, row-major) followed by its
/// bias.
fn example_loss(params: &[Vec<f64>], spec: &ModelSpec, x: &[f64], label: usize) -> f64 {
    reference::reference_loss(params, spec, x, &[label as u8])
}

/// Every example's own gradient (all parameters, flattened), by central differences.
fn per_example_gradients(model: &Mlp, data: &Dataset) -> Vec<Vec<f64>> {
    let mut params: Vec<Vec<f64>> = model
        .layers
        .iter()
        .map(|l| l.w.iter().chain(&l.b).map(|&v| f64::from(v)).collect())
        .collect();
    let h = 1e-6;
    (0..data.len())
        .map(|i| {
            let x: Vec<f64> = data.row(i).iter().map(|&v| f64::from(v)).collect();
            let label = data.y[i] as usize;
            let mut g = Vec::new();
            for l in 0..params.len() {
                for p in 0..params[l].len() {
                    let keep = params[l][p];
                    params[l][p] = keep + h;
                    let up = example_loss(&params, &model.spec, &x, label);
                    params[l][p] = keep - h;
                    let down = example_loss(&params, &model.spec, &x, label);
                    params[l][p] = keep;
                    g.push((up - down) / (2.0 * h));
                }
            }
            g
        })
        .collect()
}

fn norm_sq(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum()
}

/// `(|G|², tr Σ)` of the whole set, from the explicit per-example gradients.
fn true_quantities(grads: &[Vec<f64>]) -> (f64, f64) {
    let n = grads.len() as f64;
    let dim = grads[0].len();
    let mean: Vec<f64> = (0..dim)
        .map(|k| grads.iter().map(|g| g[k]).sum::<f64>() / n)
        .collect();
    let trace = grads
        .iter()
        .map(|g| norm_sq(&g.iter().zip(&mean).map(|(a, b)| a - b).collect::<Vec<_>>()))
        .sum::<f64>()
        / n;
    (norm_sq(&mean), trace)
}

fn small_set(n: usize, features: usize, classes: usize, seed: u64) -> Dataset {
    random::generate(n, features, classes, seed)
}

fn model(activation: Activation, hidden: Vec<usize>, data: &Dataset, seed: u64) -> Mlp {
    let spec = ModelSpec {
        inputs: data.features,
        hidden,
        activation,
        classes: data.classes,
    };
    let mut model = Mlp::new(spec, &mut rng::seeded(seed, Stream::Init));
    // Non-zero biases, so the bias terms of the norms are exercised.
    let mut rng = rng::seeded(seed, Stream::Shuffle);
    for layer in &mut model.layers {
        layer
            .b
            .iter_mut()
            .for_each(|b| *b = rng::uniform(&mut rng, -0.5, 0.5));
    }
    model
}

/// The trainer's sample for the batch made of `rows` (indices into `data`), drawn from all
/// of `data`.
fn trainer_sample(model: &Mlp, data: &Dataset, rows: &[usize], ws: &mut Workspace) -> NoiseSample {
    let input = ws.input_mut(rows.len(), data.features);
    for (dst, &i) in input.chunks_exact_mut(data.features).zip(rows) {
        dst.copy_from_slice(data.row(i));
    }
    let labels: Vec<u8> = rows.iter().map(|&i| data.y[i]).collect();
    let mut grads = model.zero_gradients();
    model.forward_backward(ws, &labels, Some(&mut grads));
    let batch_sq: f64 = grads
        .iter()
        .flat_map(|l| l.w.iter().chain(&l.b))
        .map(|&v| f64::from(v) * f64::from(v))
        .sum();
    let norms = ws.per_example_sq_norms();
    assert_eq!(norms.len(), rows.len());
    NoiseSample {
        batch_size: rows.len(),
        population: data.len(),
        per_example_sq: norms.iter().sum::<f64>() / rows.len() as f64,
        batch_sq,
    }
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-9)
}

#[test]
fn per_example_norms_equal_the_explicit_gradients() {
    for (activation, hidden) in [
        (Activation::Tanh, vec![4]),
        (Activation::Sigmoid, vec![5, 3]),
        (Activation::Relu, vec![6]),
        (Activation::Relu, vec![]),
    ] {
        let data = small_set(7, 5, 3, 11);
        let model = model(activation, hidden.clone(), &data, 3);
        let explicit = per_example_gradients(&model, &data);
        let mut ws = Workspace::default();
        ws.set_per_example_norms(true);
        // The whole set as one batch: each row's norm is its own gradient's, whatever B.
        let rows: Vec<usize> = (0..data.len()).collect();
        trainer_sample(&model, &data, &rows, &mut ws);
        for (i, (&got, g)) in ws.per_example_sq_norms().iter().zip(&explicit).enumerate() {
            assert!(
                close(got, norm_sq(g), 1e-4),
                "{activation:?} {hidden:?} example {i}: {got} vs explicit {}",
                norm_sq(g)
            );
        }
    }
}

/// Every permutation of `0..n` (Heap's algorithm, iteratively).
fn permutations(n: usize) -> Vec<Vec<usize>> {
    let mut p: Vec<usize> = (0..n).collect();
    let mut c = vec![0; n];
    let mut all = vec![p.clone()];
    let mut i = 0;
    while i < n {
        if c[i] < i {
            p.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
            all.push(p.clone());
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    all
}

/// The exact algebra, in f64 on made-up per-example gradients: over every batch of every
/// permutation, cut as the trainer cuts an epoch (consecutive batches of B, the last
/// holding the remainder), the estimates average to the true `|G|²` and `tr(Σ)` for every
/// B, partial batches included. The independent-draw formulas this replaced average to
/// `|G|² − tr(Σ)/(N − 1)` and `tr(Σ)·N/(N − 1)` instead.
#[test]
fn the_algebra_is_unbiased_over_every_batch_of_every_permutation() {
    let grads: [[f64; 3]; 6] = [
        [0.9, -0.2, 0.4],
        [1.3, 0.5, -0.1],
        [-0.4, 0.8, 0.3],
        [0.7, 0.1, 1.1],
        [0.2, -0.6, 0.5],
        [1.1, 0.3, -0.2],
    ];
    let n = grads.len();
    let nf = n as f64;
    let norm_sq = |v: &[f64; 3]| v.iter().map(|x| x * x).sum::<f64>();
    let mean_of = |rows: &[usize]| -> [f64; 3] {
        let mut m = [0.0; 3];
        for &i in rows {
            (0..3).for_each(|k| m[k] += grads[i][k] / rows.len() as f64);
        }
        m
    };
    let all: Vec<usize> = (0..n).collect();
    let g = mean_of(&all);
    let true_g = norm_sq(&g);
    let true_trace = grads
        .iter()
        .map(|x| norm_sq(&[x[0] - g[0], x[1] - g[1], x[2] - g[2]]))
        .sum::<f64>()
        / nf;
    let perms = permutations(n);
    assert_eq!(perms.len(), 720);
    for batch in 2..=n {
        let (mut sum_g, mut sum_t, mut count) = (0.0, 0.0, 0usize);
        let (mut old_g, mut old_t) = (0.0, 0.0);
        for p in &perms {
            for rows in p.chunks(batch) {
                let s = NoiseSample {
                    batch_size: rows.len(),
                    population: n,
                    per_example_sq: rows.iter().map(|&i| norm_sq(&grads[i])).sum::<f64>()
                        / rows.len() as f64,
                    batch_sq: norm_sq(&mean_of(rows)),
                };
                let Some(e) = s.estimates() else {
                    assert_eq!(rows.len(), 1, "only a batch of one gives none");
                    continue;
                };
                sum_g += e.gradient_sq;
                sum_t += e.trace;
                count += 1;
                let b = rows.len() as f64;
                old_g += (b * s.batch_sq - s.per_example_sq) / (b - 1.0);
                old_t += (s.per_example_sq - s.batch_sq) / (1.0 - 1.0 / b);
            }
        }
        let c = count as f64;
        assert!((sum_g / c - true_g).abs() < 1e-12, "B = {batch}: |G|²");
        assert!((sum_t / c - true_trace).abs() < 1e-12, "B = {batch}: tr Σ");
        // What the with-replacement formulas measured instead.
        let bias = true_trace / (nf - 1.0);
        assert!((old_g / c - (true_g - bias)).abs() < 1e-12, "B = {batch}");
        assert!((old_t / c - true_trace * nf / (nf - 1.0)).abs() < 1e-12);
    }
}

/// Exactly as the trainer samples: every epoch is a permutation of the set cut into
/// consecutive batches of B, the last holding `N mod B` (`Session::step` takes
/// `order[k·B .. min((k + 1)·B, N)]`). Over every batch of every permutation, at fixed
/// weights, the trainer's estimates average to the true `|G|²` and `tr(Σ)` of the explicit
/// f64 gradients, for the full batches and for the partial last ones alike.
#[test]
fn estimates_are_unbiased_over_every_batch_of_every_permutation() {
    for (n, b, activation) in [
        (6usize, 4usize, Activation::Tanh),
        (5, 2, Activation::Relu),
        (6, 3, Activation::Sigmoid),
    ] {
        let data = small_set(n, 4, 3, 21 + b as u64);
        let model = model(activation, vec![5], &data, 7);
        let (true_g, true_trace) = true_quantities(&per_example_gradients(&model, &data));
        assert!(true_trace > 0.0 && true_g > 0.0);
        let mut ws = Workspace::default();
        ws.set_per_example_norms(true);
        // Per batch size met (B, and the remainder): sum of each estimate, and the count.
        let mut sums = std::collections::BTreeMap::<usize, (f64, f64, usize)>::new();
        for order in permutations(n) {
            for rows in order.chunks(b) {
                let Some(e) = trainer_sample(&model, &data, rows, &mut ws).estimates() else {
                    assert_eq!(rows.len(), 1, "only a batch of one gives no estimate");
                    continue;
                };
                let entry = sums.entry(rows.len()).or_default();
                entry.0 += e.gradient_sq;
                entry.1 += e.trace;
                entry.2 += 1;
            }
        }
        assert!(sums.contains_key(&b));
        for (size, (sum_g, sum_trace, count)) in sums {
            let (mean_g, mean_trace) = (sum_g / count as f64, sum_trace / count as f64);
            assert!(
                close(mean_g, true_g, 1e-4),
                "N = {n}, batches of {size}: E[|G|² estimate] {mean_g} vs true {true_g}"
            );
            assert!(
                close(mean_trace, true_trace, 1e-4),
                "N = {n}, batches of {size}: E[tr Σ estimate] {mean_trace} vs true {true_trace}"
            );
        }
    }
}

/// B = N: the update's gradient is the true gradient, so `|G_B|² = |G|²` exactly (up to f32),
/// and both estimates are the true values (no other batch could have been drawn).
#[test]
fn full_batch_run_measures_the_true_gradient() {
    let data = small_set(9, 4, 3, 5);
    let config = TrainConfig {
        hidden: vec![6],
        activation: Activation::Tanh,
        batch_size: 9,
        epochs: 2,
        seed: 9,
        ..TrainConfig::default()
    };
    let mut session = Session::new(config, data.clone(), data.range(0, 0)).expect("config");
    for _ in 0..2 {
        let before = session.model().clone();
        let (true_g, true_trace) = true_quantities(&per_example_gradients(&before, &data));
        let record = session.step().expect("two epochs");
        let sample = record.noise.expect("the meter is on by default");
        assert_eq!(sample.batch_size, 9);
        assert!(
            close(sample.batch_sq, true_g, 1e-4),
            "|G_B|² {} vs |G|² {true_g}",
            sample.batch_sq
        );
        let e = sample.estimates().expect("B ≥ 2");
        assert!(
            close(e.trace, true_trace, 1e-4),
            "tr Σ estimate {} vs tr Σ {true_trace}",
            e.trace
        );
        assert!(
            close(e.gradient_sq, true_g, 1e-4),
            "|G|² estimate {} vs |G|² {true_g}",
            e.gradient_sq
        );
        let scale = record.noise_scale.expect("a reading after a batch of 9");
        assert!(scale.is_finite() && scale > 0.0);
    }
}

/// The meter only reads: every record and the final weights are bit-for-bit the same with
/// it on or off (partial last batches and a batch of one included).
#[test]
fn the_meter_does_not_change_training() {
    for batch_size in [1, 4, 7] {
        let data = small_set(29, 6, 4, 31);
        let config = TrainConfig {
            hidden: vec![8, 5],
            batch_size,
            epochs: 3,
            seed: 4,
            ..TrainConfig::default()
        };
        let run = |on: bool| {
            let mut s = Session::new(config.clone(), data.clone(), data.range(20, 29)).unwrap();
            s.set_noise_meter(on);
            let mut records = Vec::new();
            while let Some(r) = s.step() {
                records.push(r);
            }
            (records, s.model().clone())
        };
        let (on, model_on) = run(true);
        let (off, model_off) = run(false);
        assert_eq!(on.len(), off.len());
        for (a, b) in on.iter().zip(&off) {
            assert_eq!(a.loss.to_bits(), b.loss.to_bits(), "B = {batch_size}");
            assert_eq!(a.gradient_norm.to_bits(), b.gradient_norm.to_bits());
            assert_eq!(a.validation, b.validation);
            assert!(
                b.noise.is_none() && b.noise_scale.is_none(),
                "off reports nothing"
            );
        }
        assert_eq!(model_on, model_off);
        let last = on.last().unwrap().noise_scale;
        if batch_size == 1 {
            assert_eq!(last, None, "B = 1 gives no reading");
        } else {
            assert!(
                last.is_some_and(|s| s.is_finite()),
                "B = {batch_size}: {last:?}"
            );
        }
    }
}

/// The bias this correction removes, measured on a 400-sample toy set (moons, 16 tanh units,
/// trained 10 and 300 epochs at B = 32, then held fixed): the trainer's estimates averaged
/// over 300 random epochs of batches of 32, by the independent-draw formulas the meter used
/// before and by the without-replacement ones. `cargo test --test noise_scale --
/// --nocapture` prints the tables.
#[test]
fn the_bias_on_a_400_sample_toy_set() {
    for epochs in [10, 300] {
        bias_after(epochs);
    }
}

fn bias_after(epochs: usize) {
    use batch_lab::trainer::data::toy::{self, Toy};
    use rand::seq::SliceRandom;
    let data = toy::generate(Toy::Moons, 400, 0.1, 3).unwrap();
    let config = TrainConfig {
        hidden: vec![16],
        activation: Activation::Tanh,
        batch_size: 32,
        epochs,
        seed: 5,
        ..TrainConfig::default()
    };
    let mut session = Session::new(config, data.clone(), data.range(0, 0)).unwrap();
    while session.step().is_some() {}
    let model = session.model().clone();
    let (true_g, true_trace) = true_quantities(&per_example_gradients(&model, &data));
    let mut ws = Workspace::default();
    ws.set_per_example_norms(true);
    let mut rng = rng::seeded(77, Stream::Shuffle);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let (mut new_g, mut new_t, mut old_g, mut old_t, mut count) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut new_g_sq = 0.0;
    for _ in 0..300 {
        order.shuffle(&mut rng);
        for rows in order.chunks_exact(32) {
            let s = trainer_sample(&model, &data, rows, &mut ws);
            let e = s.estimates().unwrap();
            let b = 32.0;
            new_g += e.gradient_sq;
            new_g_sq += e.gradient_sq * e.gradient_sq;
            new_t += e.trace;
            old_g += (b * s.batch_sq - s.per_example_sq) / (b - 1.0);
            old_t += (s.per_example_sq - s.batch_sq) / (1.0 - 1.0 / b);
            count += 1.0;
        }
    }
    let (new_g, new_t, old_g, old_t) = (new_g / count, new_t / count, old_g / count, old_t / count);
    let se_g = ((new_g_sq / count - new_g * new_g) / count).sqrt();
    let n = data.len() as f64;
    println!("N = 400 moons, B = 32, after {epochs} epochs, {count} batches at fixed weights");
    println!("            |G|²        tr Σ        B_simple");
    println!(
        "true     {true_g:10.6} {true_trace:10.6} {:10.2}",
        true_trace / true_g
    );
    println!("before   {old_g:10.6} {old_t:10.6} {:10.2}", old_t / old_g);
    println!("after    {new_g:10.6} {new_t:10.6} {:10.2}", new_t / new_g);
    println!(
        "|G|² bias before {:+.2} % (predicted −tr Σ/(N − 1): {:+.2} %), after {:+.2} % (± {:.2} % s.e.)",
        100.0 * (old_g / true_g - 1.0),
        -100.0 * true_trace / (n - 1.0) / true_g,
        100.0 * (new_g / true_g - 1.0),
        100.0 * se_g / true_g
    );
    assert!(
        (new_g - true_g).abs() < 4.0 * se_g,
        "after: {new_g} vs {true_g} ± {se_g}"
    );
    let predicted = true_g - true_trace / (n - 1.0);
    assert!(
        (old_g - predicted).abs() < 4.0 * se_g,
        "before: {old_g} vs predicted {predicted} ± {se_g}"
    );
}
