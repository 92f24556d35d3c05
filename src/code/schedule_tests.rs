//! The schedule's Python against the post's two tips, and its `lr_at` run by python3
//! against the app's own rates ([`TrainConfig::rate_at`]).
//!
//! [`TrainConfig::rate_at`]: crate::trainer::session::TrainConfig::rate_at

use super::RATE_FUNCTION;
use crate::code::{Framework, generate, lr_schedule};
use crate::experiment::{DataSource, Experiment};
use crate::i18n::Lang;
use crate::preset::Preset;
use crate::trainer::rng::{self, Stream};
use crate::trainer::schedule::{Decay, ScalingRule, Schedule};

/// Every line of `want` appears in `code`, in this order.
fn assert_lines_in_order(code: &str, want: &[&str]) {
    let mut lines = code.lines();
    for w in want {
        assert!(
            lines.any(|l| l == *w),
            "{w:?} is missing (or out of order) in:\n{code}"
        );
    }
}

#[test]
fn no_schedule_adds_nothing() {
    for p in [Preset::Keras, Preset::PyTorch, Preset::LargeBatch] {
        assert_eq!(lr_schedule(&p.experiment(), Lang::Ko), None, "{p:?}");
    }
}

#[test]
fn the_posts_linear_scaling_in_both_frameworks() {
    let e = Preset::LinearScaling.experiment();
    // The post: `batch_size = 256`, `learning_rate = 0.001 * (batch_size / 32)`.
    let post = [
        "# 큰 배치 사이즈 사용 시 learning rate도 증가",
        "batch_size = 256",
        "learning_rate = 0.001 * (batch_size / 32)",
    ];
    let keras = generate(Framework::Keras, &e, Lang::Ko);
    assert_lines_in_order(
        &keras,
        &[
            post[0],
            post[1],
            post[2],
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),",
            "    batch_size=256,     # 배치 사이즈",
        ],
    );
    // A rule alone is one number: no per-update rate.
    assert!(!keras.contains(RATE_FUNCTION) && !keras.contains("callbacks="));
    let torch = generate(Framework::PyTorch, &e, Lang::Ko);
    assert_lines_in_order(
        &torch,
        &[
            "    batch_size=256,",
            post[0],
            post[1],
            post[2],
            "optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)",
        ],
    );
    assert!(!torch.contains("LambdaLR") && !torch.contains("scheduler.step()"));
    // The square-root rule.
    let mut sqrt = e.clone();
    sqrt.config.schedule.rule = ScalingRule::Sqrt;
    let code = generate(Framework::Keras, &sqrt, Lang::En);
    assert!(
        code.contains("learning_rate = 0.001 * (batch_size / 32) ** 0.5\n"),
        "{code}"
    );
}

#[test]
fn the_posts_warmup_in_both_frameworks() {
    let e = Preset::Warmup.experiment();
    // The post's three lines and its comment, then the app's per-update rule: 250 updates
    // per epoch (N = 8,000, B = 32), 750 of warm-up.
    let post = [
        "# 처음에는 작은 learning rate로 시작",
        "initial_lr = 0.0001",
        "final_lr = 0.001",
        "warmup_epochs = 3",
        "steps_per_epoch = 250  # ceil(8000 / 32)",
        "warmup_steps = warmup_epochs * steps_per_epoch",
        "def lr_at(step):",
        "    if step <= warmup_steps:",
        "        return initial_lr + (final_lr - initial_lr) * (step - 1) / warmup_steps",
        "    return final_lr",
    ];
    let keras = generate(Framework::Keras, &e, Lang::Ko);
    let mut want = post.to_vec();
    want.extend([
        "model.compile(optimizer=keras.optimizers.Adam(learning_rate=final_lr),",
        "class LearningRatePerUpdate(keras.callbacks.Callback):",
        "    def on_train_batch_begin(self, batch, logs=None):",
        "        self.step += 1",
        "        self.model.optimizer.learning_rate = lr_at(self.step)",
        "    shuffle=True,",
        "    callbacks=[LearningRatePerUpdate()]",
    ]);
    assert_lines_in_order(&keras, &want);
    assert!(!keras.contains("import math"), "no cosine, no math");
    let torch = generate(Framework::PyTorch, &e, Lang::Ko);
    let mut want = post.to_vec();
    want.extend([
        "optimizer = torch.optim.Adam(model.parameters(), lr=final_lr)",
        "scheduler = torch.optim.lr_scheduler.LambdaLR(",
        "    optimizer, lambda step: lr_at(step + 1) / final_lr",
        "        optimizer.step()",
        "        scheduler.step()",
    ]);
    assert_lines_in_order(&torch, &want);
    // Warm-up to a scaled rate: final_lr is the post's scaled learning_rate.
    let mut goyal = e.clone();
    goyal.config.batch_size = 256;
    goyal.config.schedule.rule = ScalingRule::Linear;
    goyal.config.schedule.decay = Decay::Cosine;
    goyal.config.schedule.floor = 0.1;
    let code = generate(Framework::PyTorch, &goyal, Lang::En);
    assert_lines_in_order(
        &code,
        &[
            "import math",
            "learning_rate = 0.001 * (batch_size / 32)",
            "final_lr = learning_rate",
            "steps_per_epoch = 32  # ceil(8000 / 256)",
            "total_steps = 10 * steps_per_epoch",
            "alpha = 0.1  # the last update's rate = alpha × the peak",
            "    progress = min((step - warmup_steps - 1) / (total_steps - warmup_steps - 1), 1.0)",
        ],
    );
}

/// A random experiment with a random schedule (any rule, B₀, warm-up, decay, floor).
pub(crate) fn random_schedule(rng: &mut rng::Rng, e: &mut Experiment) {
    e.config.schedule = Schedule {
        rule: ScalingRule::ALL[rng::index(rng, 3)],
        base_batch: 1 + rng::index(rng, 512),
        warmup_epochs: [0, 0, 1, 2, 3, 7][rng::index(rng, 6)],
        warmup_start: 10f32.powf(rng::uniform(rng, -6.0, -1.0)),
        decay: Decay::ALL[rng::index(rng, 2)],
        floor: [0.0, 0.1, rng::uniform(rng, 0.0, 1.0), 1.0][rng::index(rng, 4)],
    };
    assert_eq!(e.config.schedule.validate(), Ok(()));
}

/// python3 runs the program's own `lr_at` (the preamble: plain Python, `math` at most) at
/// chosen updates of many schedules; every rate is the app's within 1e-6 (f32 against
/// Python's float).
#[test]
fn python_rates_are_the_apps() {
    let mut rng = rng::seeded(12, Stream::Data);
    let mut cases = vec![Preset::Warmup.experiment()];
    let mut cosine = Preset::Warmup.experiment();
    cosine.config.schedule.decay = Decay::Cosine;
    cosine.config.schedule.floor = 0.05;
    cases.push(cosine);
    for _ in 0..60 {
        let mut e =
            Experiment::with_source(DataSource::ALL[rng::index(&mut rng, DataSource::ALL.len())]);
        e.train_size = 1 + rng::index(&mut rng, e.max_train_size());
        e.config.batch_size = 1 + rng::index(&mut rng, 600);
        e.config.epochs = 1 + rng::index(&mut rng, 30);
        e.config.learning_rate = 10f32.powf(rng::uniform(&mut rng, -5.0, 0.0));
        random_schedule(&mut rng, &mut e);
        cases.push(e);
    }
    let mut script = String::new();
    let mut expected: Vec<(usize, usize, f32)> = Vec::new();
    let mut with_function = 0;
    for (i, e) in cases.iter().enumerate() {
        let Some(code) = lr_schedule(e, Lang::En) else {
            continue;
        };
        if !code.preamble.iter().any(|l| l.starts_with("def lr_at(")) {
            continue; // a rule alone: checked through `learning_rate` below
        }
        with_function += 1;
        let n = e.train_size;
        let total = e.total_updates();
        let warm = e.config.schedule.warmup_updates(e.config.run_shape(n));
        let mut updates = vec![
            1,
            2,
            3,
            warm,
            warm + 1,
            warm + 2,
            total / 2,
            total - 1,
            total,
        ];
        updates.extend((0..5).map(|_| 1 + rng::index(&mut rng, total)));
        updates.retain(|&u| (1..=total).contains(&u));
        updates.sort_unstable();
        updates.dedup();
        script.push_str(&code.imports.join("\n"));
        script.push('\n');
        script.push_str(&code.preamble.join("\n"));
        script.push('\n');
        for u in updates {
            script.push_str(&format!("print({i}, {u}, repr({RATE_FUNCTION}({u})))\n"));
            expected.push((i, u, e.config.rate_at(n, u)));
        }
    }
    assert!(with_function > 20, "enough schedules with a function");
    // Rules alone: the program's `learning_rate` is the app's peak.
    for (i, e) in cases.iter().enumerate() {
        if let Some(code) = lr_schedule(e, Lang::En)
            && code
                .preamble
                .iter()
                .any(|l| l.starts_with("learning_rate = "))
            && !code.preamble.iter().any(|l| l.starts_with("def lr_at("))
        {
            script.push_str(&code.preamble.join("\n"));
            script.push_str(&format!("\nprint({i}, 0, repr(learning_rate))\n"));
            expected.push((i, 0, e.config.peak_rate(e.train_size)));
        }
    }
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 must be installed (scripts/install.sh)");
    assert!(
        out.status.success(),
        "python3 failed: {}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<(usize, usize, f64)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut p = l.split(' ');
            let mut next = || p.next().expect("three fields");
            (
                next().parse().expect("case"),
                next().parse().expect("update"),
                next().parse().expect("rate"),
            )
        })
        .collect();
    assert_eq!(got.len(), expected.len(), "one rate per question");
    for ((i, u, py), (ei, eu, app)) in got.into_iter().zip(expected) {
        assert_eq!((i, u), (ei, eu));
        let app = app as f64;
        let scale = py.abs().max(app.abs());
        assert!(
            (py - app).abs() <= 1e-6 * scale,
            "case {i} update {u}: python {py}, app {app}\n{:?}",
            cases[i].config
        );
    }
}
