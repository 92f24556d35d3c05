//! The code mirror against the post's two examples, and every program it can write parses
//! as Python.

use super::*;
use crate::preset::Preset;
use crate::trainer::rng::{self, Stream};

/// The post's Keras example ("실전 예제 · TensorFlow/Keras"), as printed there.
const POST_KERAS: &str = "import tensorflow as tf
from tensorflow import keras

# 데이터 준비
(X_train, y_train), (X_test, y_test) = keras.datasets.mnist.load_data()
X_train = X_train.reshape(-1, 28*28) / 255.0

# 모델 생성
model = keras.Sequential([
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax')
])

model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

# 학습
history = model.fit(
    X_train, y_train,
    batch_size=32,      # 배치 사이즈
    epochs=10,          # 에폭 수
    validation_split=0.2
)
";

/// The post's PyTorch example ("실전 예제 · PyTorch"), as printed there.
const POST_PYTORCH: &str = "import torch
from torch.utils.data import DataLoader, TensorDataset

# 데이터 준비
X_train = torch.randn(1000, 10)
y_train = torch.randint(0, 2, (1000,))

# 데이터셋 및 데이터로더 생성
dataset = TensorDataset(X_train, y_train)
dataloader = DataLoader(
    dataset,
    batch_size=32,
    shuffle=True
)

# 학습 루프
model = torch.nn.Linear(10, 2)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())

epochs = 10
for epoch in range(epochs):
    for batch_X, batch_y in dataloader:
        # Forward pass
        outputs = model(batch_X)
        loss = criterion(outputs, batch_y)

        # Backward pass
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print(f'Epoch {epoch+1}/{epochs}, Loss: {loss.item():.4f}')
";

/// Every line of `post` appears in `generated`, in the same order (the generated program may
/// add lines between them; a line of the post that differs by one character fails). The
/// last argument of a call may gain a comma when the program adds an argument after it.
fn assert_contains_in_order(generated: &str, post: &str) {
    let mut lines = generated.lines();
    for want in post.lines() {
        let found = lines.any(|l| l == want || l == format!("{want},"));
        assert!(
            found,
            "the post's line {want:?} is missing (or out of order) in:\n{generated}"
        );
    }
}

#[test]
fn keras_matches_the_posts_example() {
    let code = generate(Framework::Keras, &Preset::Keras.experiment(), Lang::Ko);
    assert_contains_in_order(&code, POST_KERAS);
    let expected = "import tensorflow as tf
from tensorflow import keras

# 데이터 준비
(X_train, y_train), (X_test, y_test) = keras.datasets.mnist.load_data()
X_train = X_train.reshape(-1, 28*28) / 255.0
# 학습 8,000개 + 검증 2,000개
X_train, y_train = X_train[:10000], y_train[:10000]

# 모델 생성
model = keras.Sequential([
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10, activation='softmax')
])

model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

# 학습
history = model.fit(
    X_train, y_train,
    batch_size=32,      # 배치 사이즈
    epochs=10,          # 에폭 수
    validation_split=0.2,
    shuffle=True
)
";
    assert_eq!(code, expected);
}

#[test]
fn pytorch_matches_the_posts_example() {
    let code = generate(Framework::PyTorch, &Preset::PyTorch.experiment(), Lang::Ko);
    assert_contains_in_order(&code, POST_PYTORCH);
    let expected = "import torch
from torch.utils.data import DataLoader, TensorDataset

# 데이터 준비
X_train = torch.randn(1000, 10)
y_train = torch.randint(0, 2, (1000,))
# 검증 데이터 (학습에 쓰지 않음)
X_val = torch.randn(250, 10)
y_val = torch.randint(0, 2, (250,))

# 데이터셋 및 데이터로더 생성
dataset = TensorDataset(X_train, y_train)
dataloader = DataLoader(
    dataset,
    batch_size=32,
    shuffle=True
)

# 학습 루프
model = torch.nn.Linear(10, 2)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())

epochs = 10
for epoch in range(epochs):
    for batch_X, batch_y in dataloader:
        # Forward pass
        outputs = model(batch_X)
        loss = criterion(outputs, batch_y)

        # Backward pass
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    print(f'Epoch {epoch+1}/{epochs}, Loss: {loss.item():.4f}')
    # 검증: 에폭이 끝난 가중치로
    with torch.no_grad():
        val_outputs = model(X_val)
        val_loss = criterion(val_outputs, y_val).item()
        val_accuracy = (val_outputs.argmax(dim=1) == y_val).float().mean().item()
    print(f'    val_loss: {val_loss:.4f}, val_accuracy: {val_accuracy:.4f}')
";
    assert_eq!(code, expected);
    // Without validation it is the post's program line for line.
    let mut e = Preset::PyTorch.experiment();
    e.validation_split = 0.0;
    let code = generate(Framework::PyTorch, &e, Lang::Ko);
    assert_eq!(code, POST_PYTORCH);
}

#[test]
fn the_posts_numbers_reach_the_code() {
    let keras = |p: Preset| generate(Framework::Keras, &p.experiment(), Lang::En);
    let calc = keras(Preset::Calculation200);
    assert!(
        calc.contains("batch_size=20,") && calc.contains("epochs=10,"),
        "{calc}"
    );
    assert!(
        calc.contains("# 200 training + 50 validation samples"),
        "{calc}"
    );
    assert!(keras(Preset::Calculation1000).contains("epochs=20,"));
    assert!(keras(Preset::SmallBatch).contains("batch_size=8,"));
    assert!(keras(Preset::LargeBatch).contains("batch_size=256,"));
    // The same numbers on MNIST (the calculation presets' data is 2-D moons).
    let mut digits = Experiment::default();
    digits.set_train_size(200);
    digits.config.batch_size = 20;
    let calc = generate(Framework::Keras, &digits, Lang::En);
    // Keras keeps the first floor(250 · 0.8) = 200 for training.
    assert!(calc.contains("X_train[:250]"), "{calc}");
    let torch = generate(Framework::PyTorch, &digits, Lang::En);
    // PyTorch holds out the 2,000 digits that follow the N training ones (`X[N:N+2000]`):
    // torchvision's MNIST is not in the app's order, so the program matches the app's counts
    // (N training, 2,000 validation), not its exact digits.
    assert!(
        torch.contains("X_train, y_train = X[:200], y[:200]"),
        "{torch}"
    );
    assert!(
        torch.contains("X_val, y_val = X[200:2200], y[200:2200]"),
        "{torch}"
    );
    assert!(torch.contains("batch_size=20,"));
    assert!(torch.contains("# 200 training + 2,000 validation samples"));
}

#[test]
fn settings_reach_the_code() {
    let mut e = Experiment::with_source(DataSource::from_key("spirals").unwrap());
    e.config.hidden = vec![16, 16];
    e.config.optimizer = OptimizerKind::momentum();
    e.config.learning_rate = 0.05;
    e.config.batch_size = 1000; // above N = 400: one full batch, as the run does
    e.validation_split = 0.0;
    let keras = generate(Framework::Keras, &e, Lang::En);
    assert!(
        keras.contains("optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),"),
        "{keras}"
    );
    assert!(keras.contains("keras.layers.Dense(16, activation='tanh'),"));
    assert!(keras.contains("batch_size=400,"));
    assert!(!keras.contains("validation_split"));
    assert!(keras.contains("keras.layers.Dense(2, activation='softmax')"));
    let torch = generate(Framework::PyTorch, &e, Lang::En);
    assert!(torch.contains("lr=0.05, momentum=0.9)"), "{torch}");
    assert!(
        torch.contains(
            "torch.nn.Linear(2, 16),\n    torch.nn.Tanh(),\n    torch.nn.Linear(16, 16),"
        )
    );
    assert!(!torch.contains("X_val"));
    e.config.optimizer = OptimizerKind::adam();
    e.config.learning_rate = 0.001;
    assert!(generate(Framework::Keras, &e, Lang::En).contains("optimizer='adam',"));
    e.config.learning_rate = 0.01;
    assert!(
        generate(Framework::PyTorch, &e, Lang::En)
            .contains("torch.optim.Adam(model.parameters(), lr=0.01)")
    );
    assert_eq!(python_float(0.9f32), "0.9");
    assert_eq!(python_float(1.0f64), "1.0");
    assert_eq!(python_float(1e-6f32), "0.000001");
}

/// Python's verdict on each program: `None` if it parses, else its error. All in one
/// `python3` (`ast.parse` of each), so hundreds of programs take a fraction of a second.
pub(crate) fn python_parse_errors(programs: &[String]) -> Vec<Option<String>> {
    use std::io::Write;
    const SEP: &str = "\n#---- next program ----\n";
    let script = "import ast, sys\n\
        for i, src in enumerate(sys.stdin.read().split(sys.argv[1])):\n\
        \x20   try:\n\
        \x20       ast.parse(src)\n\
        \x20       print('ok')\n\
        \x20   except SyntaxError as e:\n\
        \x20       print(repr(e).replace('\\n', ' '))\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script, SEP])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 must be installed to check the generated code (scripts/install.sh)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(programs.join(SEP).as_bytes())
        .expect("write to python3");
    let out = child.wait_with_output().expect("python3 runs");
    assert!(out.status.success(), "python3 failed: {out:?}");
    let verdicts: Vec<Option<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| (l != "ok").then(|| l.to_owned()))
        .collect();
    assert_eq!(verdicts.len(), programs.len(), "one verdict per program");
    verdicts
}

pub(crate) fn assert_all_parse(programs: Vec<String>) {
    let errors = python_parse_errors(&programs);
    let bad: Vec<String> = programs
        .iter()
        .zip(&errors)
        .filter_map(|(p, e)| e.as_ref().map(|e| format!("{e}\n{p}")))
        .collect();
    assert!(
        bad.is_empty(),
        "{} programs do not parse:\n{}",
        bad.len(),
        bad[0]
    );
}

#[test]
fn every_preset_parses_in_both_frameworks_and_languages() {
    let mut programs = Vec::new();
    for preset in Preset::ALL {
        for framework in Framework::ALL {
            for lang in Lang::ALL {
                programs.push(generate(framework, &preset.experiment(), lang));
            }
        }
    }
    // The check itself can fail.
    let broken = vec!["model.fit(\n".to_string()];
    assert!(python_parse_errors(&broken)[0].is_some());
    assert_all_parse(programs);
}

#[test]
fn random_settings_parse() {
    let mut rng = rng::seeded(13, Stream::Data);
    let mut programs = Vec::new();
    for _ in 0..300 {
        let source = DataSource::ALL[rng::index(&mut rng, DataSource::ALL.len())];
        let mut e = Experiment::with_source(source);
        if let DataSource::Toy { noise, .. } = &mut e.source {
            *noise = rng::uniform(&mut rng, 0.0, 1.0);
        }
        e.validation_split = [0.0, 0.05, 0.2, 1.0 / 3.0, 0.5][rng::index(&mut rng, 5)];
        e.train_size = 1 + rng::index(&mut rng, e.max_train_size());
        e.config.batch_size = 1 + rng::index(&mut rng, 2 * e.train_size);
        e.config.epochs = 1 + rng::index(&mut rng, 200);
        e.config.learning_rate = 10f32.powf(rng::uniform(&mut rng, -6.0, 1.0));
        e.config.optimizer = [
            OptimizerKind::adam(),
            OptimizerKind::Sgd,
            OptimizerKind::momentum(),
        ][rng::index(&mut rng, 3)];
        e.config.activation =
            [Activation::Relu, Activation::Tanh, Activation::Sigmoid][rng::index(&mut rng, 3)];
        e.config.hidden = (0..rng::index(&mut rng, 5))
            .map(|_| 1 + rng::index(&mut rng, 1024))
            .collect();
        // Half of them with a learning-rate schedule of any kind.
        if rng::index(&mut rng, 2) == 0 {
            super::schedule::tests::random_schedule(&mut rng, &mut e);
        }
        for framework in Framework::ALL {
            let code = generate(framework, &e, Lang::ALL[rng::index(&mut rng, 2)]);
            assert!(code.contains(&format!("batch_size={}", e.batch_in_effect())));
            programs.push(code);
        }
    }
    assert_all_parse(programs);
}
