//! The PyTorch program, in the post's own layout: `TensorDataset` and
//! `DataLoader(dataset, batch_size=…, shuffle=True)`, the model, `CrossEntropyLoss`, the
//! optimiser, and the `for epoch in range(epochs)` loop with its forward and backward pass
//! and the post's `print`, plus a validation pass when the experiment holds samples out.

use super::{Data, Plan, ScheduleCode, python_float, sizes_comment, toy_lines};
use crate::i18n::{Lang, Strings};
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;

/// The PyTorch program for `plan`, with comments in `lang`.
pub fn write(plan: &Plan, lang: Lang) -> String {
    let t = lang.strings();
    let mut out: Vec<String> = vec![
        "import torch".into(),
        "from torch.utils.data import DataLoader, TensorDataset".into(),
    ];
    match plan.data {
        Data::Mnist => out.push("from torchvision import datasets".into()),
        Data::Toy { .. } => out.push("import numpy as np".into()),
        Data::Random => {}
    }
    if let Some(s) = &plan.schedule {
        out.extend(s.imports.iter().cloned());
    }
    out.push(String::new());
    data_lines(&mut out, plan, lang);
    out.push(String::new());
    out.push(format!("# {}", t.code_dataloader));
    out.push("dataset = TensorDataset(X_train, y_train)".into());
    out.push("dataloader = DataLoader(".into());
    out.push("    dataset,".into());
    out.push(format!("    batch_size={},", plan.batch_size));
    out.push("    shuffle=True".into());
    out.push(")".into());
    out.push(String::new());
    let schedule = plan.schedule.clone().unwrap_or_default();
    if !schedule.preamble.is_empty() {
        out.extend(schedule.preamble.iter().cloned());
        out.push(String::new());
    }
    out.push(format!("# {}", t.code_loop));
    out.extend(model(plan));
    out.push("criterion = torch.nn.CrossEntropyLoss()".into());
    out.push(format!("optimizer = {}", optimizer(plan)));
    out.extend(schedule.pytorch_setup.iter().cloned());
    out.push(String::new());
    loop_lines(&mut out, plan, &schedule, t);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `X_train, y_train` (and `X_val, y_val` when a validation split is held out): torchvision's
/// MNIST, torch's random numbers, or the 2-D set.
fn data_lines(out: &mut Vec<String>, plan: &Plan, lang: Lang) {
    let t = lang.strings();
    let (n, v) = (plan.train, plan.validation);
    out.push(format!("# {}", t.code_data));
    match plan.data {
        Data::Mnist => {
            out.push("mnist = datasets.MNIST(root='data', train=True, download=True)".into());
            out.push("X = mnist.data.reshape(-1, 28*28).float() / 255.0".into());
            out.push("y = mnist.targets".into());
            out.push(sizes_comment(n, v, lang));
            out.push(format!("X_train, y_train = X[:{n}], y[:{n}]"));
            if v > 0 {
                let end = n + v;
                out.push(format!("X_val, y_val = X[{n}:{end}], y[{n}:{end}]"));
            }
        }
        Data::Random => {
            let f = plan.features;
            let c = plan.classes;
            out.push(format!("X_train = torch.randn({n}, {f})"));
            out.push(format!("y_train = torch.randint(0, {c}, ({n},))"));
            if v > 0 {
                out.push(format!("# {}", t.code_validation_data));
                out.push(format!("X_val = torch.randn({v}, {f})"));
                out.push(format!("y_val = torch.randint(0, {c}, ({v},))"));
            }
        }
        Data::Toy { toy, noise } => {
            out.extend(toy_lines(toy, noise, n + v, t));
            out.push("X, y = torch.tensor(X), torch.tensor(y)".into());
            out.push(sizes_comment(n, v, lang));
            out.push(format!("X_train, y_train = X[:{n}], y[:{n}]"));
            if v > 0 {
                out.push(format!("X_val, y_val = X[{n}:], y[{n}:]"));
            }
        }
    }
}

/// The post's training loop (forward, backward, step), the schedule's lines after each
/// update and epoch, and the validation at each epoch's end.
fn loop_lines(out: &mut Vec<String>, plan: &Plan, schedule: &ScheduleCode, t: &Strings) {
    out.push(format!("epochs = {}", plan.epochs));
    out.push("for epoch in range(epochs):".into());
    out.push("    for batch_X, batch_y in dataloader:".into());
    out.push(format!("        # {}", t.code_forward));
    out.push("        outputs = model(batch_X)".into());
    out.push("        loss = criterion(outputs, batch_y)".into());
    out.push(String::new());
    out.push(format!("        # {}", t.code_backward));
    out.push("        optimizer.zero_grad()".into());
    out.push("        loss.backward()".into());
    out.push("        optimizer.step()".into());
    out.extend(
        schedule
            .pytorch_after_step
            .iter()
            .map(|l| format!("        {l}")),
    );
    out.push(String::new());
    out.extend(
        schedule
            .pytorch_after_epoch
            .iter()
            .map(|l| format!("    {l}")),
    );
    out.push("    print(f'Epoch {epoch+1}/{epochs}, Loss: {loss.item():.4f}')".into());
    if plan.validation > 0 {
        out.push(format!("    # {}", t.code_validation));
        out.push("    with torch.no_grad():".into());
        out.push("        val_outputs = model(X_val)".into());
        out.push("        val_loss = criterion(val_outputs, y_val).item()".into());
        out.push(
            "        val_accuracy = (val_outputs.argmax(dim=1) == y_val).float().mean().item()"
                .into(),
        );
        out.push(
            "    print(f'    val_loss: {val_loss:.4f}, val_accuracy: {val_accuracy:.4f}')".into(),
        );
    }
}

/// `torch.nn.Linear(10, 2)` with no hidden layer (the post's model), else a `Sequential` of
/// `Linear` layers with the activation between them (logits out: `CrossEntropyLoss` applies
/// the softmax).
fn model(plan: &Plan) -> Vec<String> {
    if plan.hidden.is_empty() {
        return vec![format!(
            "model = torch.nn.Linear({}, {})",
            plan.features, plan.classes
        )];
    }
    let act = match plan.activation {
        Activation::Relu => "torch.nn.ReLU()",
        Activation::Tanh => "torch.nn.Tanh()",
        Activation::Sigmoid => "torch.nn.Sigmoid()",
    };
    let mut layers = Vec::new();
    let mut width = plan.features;
    for &w in &plan.hidden {
        layers.push(format!("    torch.nn.Linear({width}, {w})"));
        layers.push(format!("    {act}"));
        width = w;
    }
    layers.push(format!("    torch.nn.Linear({width}, {})", plan.classes));
    vec![
        "model = torch.nn.Sequential(".into(),
        layers.join(",\n"),
        ")".into(),
    ]
}

/// `torch.optim.Adam(model.parameters())` as the post writes it, or with `lr=`.
fn optimizer(plan: &Plan) -> String {
    let lr = plan
        .learning_rate_arg()
        .unwrap_or_else(|| python_float(plan.learning_rate));
    match plan.optimizer {
        OptimizerKind::Adam { .. } => match plan.learning_rate_arg() {
            None => "torch.optim.Adam(model.parameters())".into(),
            Some(lr) => format!("torch.optim.Adam(model.parameters(), lr={lr})"),
        },
        OptimizerKind::Sgd => format!("torch.optim.SGD(model.parameters(), lr={lr})"),
        OptimizerKind::Momentum { momentum } => format!(
            "torch.optim.SGD(model.parameters(), lr={lr}, momentum={})",
            python_float(momentum)
        ),
    }
}
