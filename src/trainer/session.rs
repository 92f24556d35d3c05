//! A training run that performs **exactly one weight update per call** of
//! [`Session::step`], with Keras `fit` / PyTorch `DataLoader(shuffle=True, drop_last=False)`
//! semantics:
//!
//! - the training set is reshuffled at the start of every epoch;
//! - an epoch is `ceil(N / B)` updates; the last batch of an epoch holds the remainder
//!   (`N mod B` samples) when B does not divide N, and is never carried into the next epoch;
//! - the batch loss is the mean over the batch, so B = N is full-batch gradient descent and
//!   B = 1 is plain SGD;
//! - the epoch's training loss/accuracy are Keras' running means over that epoch's batches
//!   (weighted by batch size, taken while the weights change); validation is evaluated
//!   after the epoch's last update, and optionally also on a [`ValidationSchedule`]: every
//!   `k` updates, or at geometrically spaced updates (the same relative precision for a run
//!   of 10 updates as for one of 10,000).
//!
//! Every record is rich on purpose: the UI, exports, run overlays and the gradient-noise
//! meter all read from the same stream.

use super::data::Dataset;
use super::loss::Totals;
use super::model::{Activation, Dense, Mlp, ModelSpec, Workspace, gradient_tensors};
use super::noise::{NoiseMeter, NoiseSample};
use super::optim::{Optimizer, OptimizerKind};
use super::rng::{self, Rng, Stream};
use super::schedule::{RunShape, Schedule};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// Everything that defines a run besides the data. Same config + same data + same seed
/// = bit-identical records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Hidden layer widths, input side first.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub optimizer: OptimizerKind,
    /// The base learning rate: every update's rate when [`TrainConfig::schedule`] is the
    /// default, else what the schedule scales and warms up ([`Schedule::rate`]).
    pub learning_rate: f32,
    /// How the rate follows B and the update count; the session applies it at every update.
    pub schedule: Schedule,
    /// Samples per update. Values above N act as N (one full batch), as in Keras/PyTorch.
    pub batch_size: usize,
    pub epochs: usize,
    /// Seeds weight initialisation and the per-epoch shuffles.
    pub seed: u64,
    /// When validation data is evaluated besides every epoch end.
    pub validation: ValidationSchedule,
    /// Ends the run ([`Status::Finished`]) at the first validation whose accuracy (a
    /// fraction) is at least this, before [`TrainConfig::epochs`] (then only a budget): how
    /// a target sweep trains each B just until it gets there, as McCandlish et al. measure
    /// steps to a target, instead of a fixed epoch count that starves large B. `None`: train
    /// every epoch. (Never `skip_serializing_if`: the worker's bincode needs every field.)
    #[serde(default)]
    pub stop_at_val_accuracy: Option<f64>,
}

impl Default for TrainConfig {
    /// The post's Keras example: `Dense(128, relu) → Dense(10, softmax)`, Adam(0.001),
    /// `batch_size=32`, `epochs=10`.
    fn default() -> Self {
        TrainConfig {
            hidden: vec![128],
            activation: Activation::Relu,
            optimizer: OptimizerKind::adam(),
            learning_rate: 0.001,
            schedule: Schedule::default(),
            batch_size: 32,
            epochs: 10,
            seed: 42,
            validation: ValidationSchedule::EpochEnds,
            stop_at_val_accuracy: None,
        }
    }
}

/// When a session evaluates its validation data. Every schedule includes each epoch's last
/// update; the others add updates within epochs (an update both schedules name is
/// evaluated once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValidationSchedule {
    /// After each epoch's last update only (Keras `fit`).
    #[default]
    EpochEnds,
    /// Also after every k-th update (updates k, 2k, 3k, …); `Every(0)` adds nothing.
    Every(usize),
    /// Also at geometrically spaced updates: update u is validated when
    /// `u = ceil(2^(j / per_doubling))` for some integer j ≥ 0, i.e. `per_doubling` points
    /// from u to 2u, and every update while they are that dense (per_doubling = 2: updates
    /// 1, 2, 3, 4, 6, 8, 12, 16, 23, 32, …). `per_doubling: 0` adds nothing.
    Geometric { per_doubling: u32 },
}

/// Why a session could not start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigError {
    EmptyTrainingSet,
    ZeroBatch,
    ZeroEpochs,
    ZeroWidth,
    BadLearningRate,
    /// B₀ is 0, the warm-up start is not a positive finite rate, or the floor is outside 0..=1.
    BadSchedule,
    ValidationShape,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConfigError::EmptyTrainingSet => "the training set is empty",
            ConfigError::ZeroBatch => "the batch size must be at least 1",
            ConfigError::ZeroEpochs => "the number of epochs must be at least 1",
            ConfigError::ZeroWidth => "every hidden layer needs at least one unit",
            ConfigError::BadLearningRate => "the learning rate must be a positive finite number",
            ConfigError::BadSchedule => "the learning-rate schedule is not valid",
            ConfigError::ValidationShape => "validation data must have the training data's shape",
        })
    }
}

impl std::error::Error for ConfigError {}

/// Loss and accuracy over a data set or an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub loss: f64,
    pub accuracy: f64,
}

impl From<Totals> for Metrics {
    fn from(t: Totals) -> Self {
        Metrics {
            loss: t.loss(),
            accuracy: t.accuracy(),
        }
    }
}

/// What the end of an epoch reports (one row of Keras' `history.history`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochSummary {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Running mean over the epoch's batches (Keras `loss`, `accuracy`).
    pub train: Metrics,
    /// Evaluated with the weights at the end of the epoch (Keras `val_loss`,
    /// `val_accuracy`); `None` without validation data.
    pub validation: Option<Metrics>,
}

/// Everything about one weight update.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRecord {
    /// 1-based epoch this update belongs to.
    pub epoch: usize,
    /// 1-based position of this update within its epoch (`1..=updates_per_epoch`).
    pub step_in_epoch: usize,
    /// 1-based count of updates since the run began.
    pub update: usize,
    /// Samples in this batch: B, or the remainder for an epoch's partial last batch.
    pub batch_size: usize,
    /// Learning rate applied in this update.
    pub learning_rate: f32,
    /// Mean loss of the batch, measured before the update (as Keras reports it).
    pub loss: f64,
    /// Accuracy on the batch, before the update.
    pub accuracy: f64,
    /// L2 norm of the whole gradient (all layers): the raw material of a noise meter.
    pub gradient_norm: f64,
    /// Training samples seen so far, this batch included.
    pub samples_seen: usize,
    /// Training-set indices that formed the batch, in batch order.
    pub batch_indices: Vec<u32>,
    /// The net's predicted class for each batch sample (before the update).
    pub predictions: Vec<u8>,
    /// Validation metrics when evaluated after this update (at an epoch end, or when the
    /// config's [`ValidationSchedule`] names this update).
    pub validation: Option<Metrics>,
    /// Present on the last update of an epoch.
    pub epoch_end: Option<EpochSummary>,
    /// True when the loss or gradient became NaN/∞: the run has stopped (learning rate too
    /// high); the weights are left as they were before this update.
    pub diverged: bool,
    /// This batch's squared gradient norms for the noise meter (`None` when it is off).
    pub noise: Option<NoiseSample>,
    /// The run's simple noise scale `B_simple` in samples after this update (see
    /// [`crate::trainer::noise`]); `None` with the meter off or before any batch of B ≥ 2.
    pub noise_scale: Option<f64>,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Running,
    Finished,
    Diverged,
}

/// A training run over fixed training and validation sets.
pub struct Session {
    config: TrainConfig,
    train: Dataset,
    validation: Dataset,
    model: Mlp,
    optimizer: Optimizer,
    /// The gradient (its first kernel only when an update could not fuse it, see
    /// [`Session::norm_and_update`]).
    grads: Vec<Dense>,
    workspace: Workspace,
    /// Reused per update: one block of rows of the first kernel's gradient, the squared norm
    /// of each 1,024-value block of that kernel, and each gradient tensor's squared norm.
    kernel_block: Vec<f32>,
    block_sq: Vec<f64>,
    tensor_sq: Vec<f64>,
    /// The batch's labels, reused from update to update.
    labels: Vec<u8>,
    shuffle_rng: Rng,
    order: Vec<u32>,
    batch_size: usize,
    learning_rate: f32,
    epoch: usize,
    step_in_epoch: usize,
    update: usize,
    samples_seen: usize,
    epoch_totals: Totals,
    status: Status,
    history: Vec<EpochSummary>,
    /// The next update [`ValidationSchedule::Geometric`] validates (advanced when reached).
    next_geometric: usize,
    /// The gradient-noise meter, `None` when switched off.
    noise: Option<NoiseMeter>,
    /// [`FUSE_BELOW_BATCH`]; tests set 0 to compare with the unfused path.
    fuse_below: usize,
}

/// Rows per chunk when evaluating, to bound memory on large sets.
pub(crate) const EVAL_CHUNK: usize = 512;

/// The batch size a run of `n` samples uses for a requested `batch`: `batch` clamped to
/// `1..=n` (Keras and PyTorch treat `batch_size > N` as one full batch; 0 is read as 1).
pub fn batch_in_effect(n: usize, batch: usize) -> usize {
    batch.clamp(1, n.max(1))
}

/// `ceil(N / B)`, the updates in one epoch, with B as [`batch_in_effect`] reads it: the one
/// place this is computed (the session, the experiment and the anatomy panel all call it).
pub fn updates_per_epoch(n: usize, batch: usize) -> usize {
    n.div_ceil(batch_in_effect(n, batch))
}

impl TrainConfig {
    /// What the schedule needs to know of a run of this config on `n` training samples.
    pub fn run_shape(&self, n: usize) -> RunShape {
        let per_epoch = updates_per_epoch(n, self.batch_size);
        RunShape {
            batch: batch_in_effect(n, self.batch_size),
            updates_per_epoch: per_epoch,
            total_updates: per_epoch.saturating_mul(self.epochs),
        }
    }

    /// The learning rate update `update` (1-based) of this run on `n` samples uses: the
    /// schedule applied to the base rate, exactly as [`Session::step`] applies it.
    pub fn rate_at(&self, n: usize, update: usize) -> f32 {
        self.schedule
            .rate(self.learning_rate, self.run_shape(n), update)
    }

    /// The rate after warm-up (before any decay) for this B on `n` samples: the base rate
    /// scaled by the rule.
    pub fn peak_rate(&self, n: usize) -> f32 {
        self.schedule
            .peak(self.learning_rate, batch_in_effect(n, self.batch_size))
    }
}

impl Session {
    /// A run ready for its first update. The batch size is clamped to N (Keras/PyTorch
    /// treat `batch_size > N` as one full batch).
    pub fn new(
        config: TrainConfig,
        train: Dataset,
        validation: Dataset,
    ) -> Result<Self, ConfigError> {
        if train.is_empty() {
            return Err(ConfigError::EmptyTrainingSet);
        }
        if config.batch_size == 0 {
            return Err(ConfigError::ZeroBatch);
        }
        if config.epochs == 0 {
            return Err(ConfigError::ZeroEpochs);
        }
        if config.hidden.contains(&0) {
            return Err(ConfigError::ZeroWidth);
        }
        if !(config.learning_rate.is_finite() && config.learning_rate > 0.0) {
            return Err(ConfigError::BadLearningRate);
        }
        if config.schedule.validate().is_err() {
            return Err(ConfigError::BadSchedule);
        }
        if !validation.is_empty()
            && (validation.features != train.features || validation.classes != train.classes)
        {
            return Err(ConfigError::ValidationShape);
        }
        let spec = ModelSpec {
            inputs: train.features,
            hidden: config.hidden.clone(),
            activation: config.activation,
            classes: train.classes,
        };
        let model = Mlp::new(spec, &mut rng::seeded(config.seed, Stream::Init));
        let mut workspace = Workspace::default();
        workspace.set_per_example_norms(true);
        Ok(Session {
            grads: model.zero_gradients(),
            kernel_block: Vec::new(),
            block_sq: Vec::new(),
            tensor_sq: Vec::new(),
            model,
            optimizer: Optimizer::new(config.optimizer),
            workspace,
            labels: Vec::new(),
            shuffle_rng: rng::seeded(config.seed, Stream::Shuffle),
            order: (0..train.len() as u32).collect(),
            batch_size: batch_in_effect(train.len(), config.batch_size),
            learning_rate: config.learning_rate,
            epoch: 0,
            step_in_epoch: 0,
            update: 0,
            samples_seen: 0,
            epoch_totals: Totals::default(),
            status: Status::Running,
            history: Vec::new(),
            next_geometric: 1,
            noise: Some(NoiseMeter::default()),
            fuse_below: FUSE_BELOW_BATCH,
            config,
            train,
            validation,
        })
    }

    /// The configuration the run started with.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Training samples N.
    pub fn train_len(&self) -> usize {
        self.train.len()
    }

    /// The training set.
    pub fn train_data(&self) -> &Dataset {
        &self.train
    }

    /// Validation samples.
    pub fn validation_len(&self) -> usize {
        self.validation.len()
    }

    /// The batch size in effect, `min(B, N)`.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// `ceil(N / B)`.
    pub fn updates_per_epoch(&self) -> usize {
        updates_per_epoch(self.train.len(), self.batch_size)
    }

    /// `epochs × ceil(N / B)`.
    pub fn total_updates(&self) -> usize {
        self.config.epochs * self.updates_per_epoch()
    }

    /// Updates done so far.
    pub fn updates_done(&self) -> usize {
        self.update
    }

    /// Where the run stands.
    pub fn status(&self) -> Status {
        self.status
    }

    /// True once no more updates will happen (finished or diverged).
    pub fn is_done(&self) -> bool {
        self.status != Status::Running
    }

    /// The model as trained so far.
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// Completed epochs' summaries (Keras' `history`).
    pub fn history(&self) -> &[EpochSummary] {
        &self.history
    }

    /// The base learning rate for the following updates (the config's schedule still
    /// applies to it; without one, it is the rate itself).
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), ConfigError> {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(ConfigError::BadLearningRate);
        }
        self.learning_rate = lr;
        Ok(())
    }

    /// Switches the gradient-noise meter (on by default). It only reads what the backward
    /// pass computes anyway, so training is bit-for-bit the same either way; off, it costs
    /// nothing. Switching it off forgets its averages.
    pub fn set_noise_meter(&mut self, on: bool) {
        self.workspace.set_per_example_norms(on);
        self.noise = on.then(NoiseMeter::default);
    }

    /// Performs one weight update and describes it; `None` once the run is done. The update
    /// uses the rate [`TrainConfig::rate_at`] gives for it (the schedule on the base rate). The
    /// forward and backward passes reuse the session's buffers (see [`Workspace`]); the
    /// session's own allocations per update are the two vectors the record hands out (the
    /// batch's indices and predictions, B values each).
    pub fn step(&mut self) -> Option<StepRecord> {
        if self.is_done() {
            return None;
        }
        let (batch_indices, epoch_over) = self.load_batch();
        let rows = batch_indices.len();
        let shape = self.config.run_shape(self.train.len());
        let learning_rate = self
            .config
            .schedule
            .rate(self.learning_rate, shape, self.update + 1);
        let (totals, gradient_norm, diverged) = self.learn(rows, learning_rate);
        let (noise, noise_scale) = self.measure_noise(rows, gradient_norm, diverged);

        self.step_in_epoch += 1;
        self.update += 1;
        self.samples_seen += rows;
        self.epoch_totals.add(totals);
        let mut record = StepRecord {
            epoch: self.epoch + 1,
            step_in_epoch: self.step_in_epoch,
            update: self.update,
            batch_size: rows,
            learning_rate,
            loss: totals.loss(),
            accuracy: totals.accuracy(),
            gradient_norm,
            samples_seen: self.samples_seen,
            batch_indices,
            predictions: self.workspace.predictions.clone(),
            validation: None,
            epoch_end: None,
            diverged,
            noise,
            noise_scale,
        };
        if diverged {
            self.status = Status::Diverged;
            return Some(record);
        }
        if self.validation_due() || epoch_over {
            record.validation = self.evaluate_validation();
        }
        if epoch_over {
            record.epoch_end = Some(self.close_epoch(record.validation));
        }
        if let (Some(target), Some(v)) = (self.config.stop_at_val_accuracy, record.validation)
            && v.accuracy >= target
        {
            self.status = Status::Finished;
        }
        Some(record)
    }

    /// The update's batch: reshuffles at an epoch's first update, then copies the next
    /// `min(B, what is left of the epoch)` samples and their labels into the workspace.
    /// Returns their indices, and whether this batch ends the epoch (the remainder batch
    /// when B does not divide N is the epoch's last, never carried over).
    fn load_batch(&mut self) -> (Vec<u32>, bool) {
        if self.step_in_epoch == 0 {
            self.order.shuffle(&mut self.shuffle_rng);
            self.epoch_totals = Totals::default();
        }
        let n = self.train.len();
        let start = self.step_in_epoch * self.batch_size;
        let end = (start + self.batch_size).min(n);
        let batch_indices = self.order[start..end].to_vec();
        let features = self.train.features;
        let input = self.workspace.input_mut(batch_indices.len(), features);
        self.labels.clear();
        for (dst, &i) in input.chunks_exact_mut(features).zip(&batch_indices) {
            dst.copy_from_slice(self.train.row(i as usize));
            self.labels.push(self.train.y[i as usize]);
        }
        (batch_indices, end == n)
    }

    /// The forward and backward passes over the loaded batch of `rows` samples and the
    /// optimiser step at `learning_rate`: the batch's loss totals, the gradient's norm, and
    /// whether the run diverged (then no weight changed). Small batches defer the first
    /// kernel's gradient to the fused update of [`Session::norm_and_update`].
    fn learn(&mut self, rows: usize, learning_rate: f32) -> (Totals, f64, bool) {
        let deferred = rows < self.fuse_below;
        let totals = if deferred {
            self.model
                .forward_backward_deferred(&mut self.workspace, &self.labels, &mut self.grads)
        } else {
            let grads = Some(self.grads.as_mut_slice());
            self.model
                .forward_backward(&mut self.workspace, &self.labels, grads)
        };
        let (gradient_norm, diverged) =
            self.norm_and_update(totals.loss_sum.is_finite(), learning_rate, deferred);
        (totals, gradient_norm, diverged)
    }

    /// The gradient-noise meter's reading of this update (when it is on): the sample it
    /// takes, and its running scale, which a diverged update does not feed.
    fn measure_noise(
        &mut self,
        rows: usize,
        gradient_norm: f64,
        diverged: bool,
    ) -> (Option<NoiseSample>, Option<f64>) {
        let noise = self.noise.is_some().then(|| {
            let per_example = self.workspace.per_example_sq_norms();
            NoiseSample {
                batch_size: rows,
                population: self.train.len(),
                per_example_sq: per_example.iter().sum::<f64>() / rows as f64,
                batch_sq: gradient_norm * gradient_norm,
            }
        });
        let noise_scale = match (&mut self.noise, &noise) {
            (Some(meter), Some(sample)) if !diverged => {
                meter.add(sample);
                meter.scale()
            }
            (Some(meter), _) => meter.scale(),
            _ => None,
        };
        (noise, noise_scale)
    }

    /// Whether the [`ValidationSchedule`] asks for a validation after the update just done
    /// (besides the epoch's end); a geometric schedule moves on to its next update.
    fn validation_due(&mut self) -> bool {
        match self.config.validation {
            ValidationSchedule::EpochEnds => false,
            ValidationSchedule::Every(k) => k > 0 && self.update.is_multiple_of(k),
            ValidationSchedule::Geometric { per_doubling } => {
                let due = per_doubling > 0 && self.update == self.next_geometric;
                if due {
                    self.next_geometric = next_geometric(self.update, per_doubling);
                }
                due
            }
        }
    }

    /// Ends the epoch after its last update: its summary (Keras' running means over its
    /// batches, and `validation`) goes into the history, and the run finishes after its
    /// last epoch.
    fn close_epoch(&mut self, validation: Option<Metrics>) -> EpochSummary {
        self.epoch += 1;
        self.step_in_epoch = 0;
        let summary = EpochSummary {
            epoch: self.epoch,
            train: self.epoch_totals.into(),
            validation,
        };
        self.history.push(summary.clone());
        if self.epoch == self.config.epochs {
            self.status = Status::Finished;
        }
        summary
    }

    /// After the backward pass (with `deferred`, [`Mlp::forward_backward_deferred`], which
    /// leaves the first kernel's gradient to be made here): the L2 norm of the whole gradient,
    /// and the optimiser step at rate `lr` unless the loss or that norm is not finite (then
    /// the run has diverged, returned as true, and no weight changes).
    ///
    /// The first layer's kernel (100,352 of MNIST's 101,770 parameters) is the costly part:
    /// storing its gradient, reading it back for the norm, then again with the weights and
    /// Adam's two moments is three passes over memory. When the bound of
    /// [`Workspace::first_kernel_sq_bound`] shows beforehand that it is finite, and the other
    /// tensors' norms and the loss are, the step is known not to diverge, so its gradient is
    /// made block by block (a few thousand values, in cache), each block added to the norm
    /// and applied at once. Each value's arithmetic, and the norm's order of summation
    /// (1,024-value blocks, in order), are those of the unfused path, which runs otherwise:
    /// the same bits either way.
    fn norm_and_update(&mut self, loss_finite: bool, lr: f32, deferred: bool) -> (f64, bool) {
        let ws = &self.workspace;
        let (n_in, n_out) = (self.grads[0].n_in, self.grads[0].n_out);
        self.tensor_sq.clear();
        self.tensor_sq
            .extend(gradient_tensors(&self.grads).skip(1).map(sum_of_squares));
        self.tensor_sq.insert(0, 0.0);
        let fuse = deferred
            && loss_finite
            && self.tensor_sq.iter().all(|v| v.is_finite())
            && ws.first_kernel_sq_bound() <= 1e30;
        if !fuse {
            if deferred {
                ws.first_kernel_rows(0, &mut self.grads[0].w);
            }
            self.tensor_sq[0] = sum_of_squares(&self.grads[0].w);
            let norm = self.tensor_sq.iter().sum::<f64>().sqrt();
            let diverged = !(loss_finite && norm.is_finite());
            if !diverged {
                self.optimizer
                    .step(self.model.tensors_mut(), gradient_tensors(&self.grads), lr);
            }
            return (norm, diverged);
        }
        let lens = self
            .model
            .layers
            .iter()
            .flat_map(|l| [l.w.len(), l.b.len()]);
        let rule = self.optimizer.begin_step(lr, lens);
        let tensors = self.model.tensors_mut().zip(gradient_tensors(&self.grads));
        for (i, (p, g)) in tensors.enumerate().skip(1) {
            self.optimizer.apply(&rule, i, 0, p, g);
        }
        let rows = block_rows(n_out);
        let w = &mut self.model.layers[0].w;
        self.block_sq.clear();
        for row0 in (0..n_in).step_by(rows) {
            let span = row0 * n_out..(row0 + rows).min(n_in) * n_out;
            self.kernel_block.resize(span.len(), 0.0);
            let g = &mut self.kernel_block[..];
            ws.first_kernel_rows(row0, g);
            self.block_sq.extend(g.chunks(1024).map(block_sq));
            self.optimizer.apply(&rule, 0, span.start, &mut w[span], g);
        }
        self.tensor_sq[0] = self.block_sq.iter().sum::<f64>();
        (self.tensor_sq.iter().sum::<f64>().sqrt(), false)
    }

    /// Validation metrics with the current weights, `None` without validation data.
    pub fn evaluate_validation(&mut self) -> Option<Metrics> {
        if self.validation.is_empty() {
            return None;
        }
        Some(evaluate(&self.model, &self.validation, &mut self.workspace).into())
    }
}

/// Every update up to `total` that [`ValidationSchedule::Geometric`] validates, in order
/// (epoch ends are validated too, and are not listed here): what a test or a reader compares
/// a run's validation points with.
pub fn geometric_validations(per_doubling: u32, total: usize) -> impl Iterator<Item = usize> {
    std::iter::successors(Some(next_geometric(0, per_doubling)), move |&u| {
        Some(next_geometric(u, per_doubling))
    })
    .take_while(move |&u| u <= total && u != usize::MAX)
}

/// The smallest update after `u` that [`ValidationSchedule::Geometric`] validates: the first
/// `ceil(2^(j/p))` strictly greater than `u`. Costs a logarithm and a few `exp2`s, so the
/// session calls it once per geometric validation, never per update.
fn next_geometric(u: usize, per_doubling: u32) -> usize {
    if u == usize::MAX {
        return u;
    }
    let p = u64::from(per_doubling.max(1));
    // 2^(j/p) as 2^(j div p) · 2^((j mod p)/p): exact at every power of two (where ceil
    // must not round up a hair's error); elsewhere 2^(j/p) is irrational, far from integers.
    // `as usize` saturates, so past usize::MAX the next point is usize::MAX (never reached).
    let value = |j: u64| -> usize {
        let whole = ((j / p).min(2000) as f64).exp2();
        let fraction = ((j % p) as f64 / p as f64).exp2();
        (whole * fraction).ceil() as usize
    };
    // ceil(2^(j/p)) > u  ⟺  2^(j/p) > u  ⟺  j > p·log2(u): start from that estimate and
    // correct for its rounding either way (a step or two).
    let mut j = if u == 0 {
        0
    } else {
        (p as f64 * (u as f64).log2()).floor() as u64
    };
    while j > 0 && value(j - 1) > u {
        j -= 1;
    }
    while value(j) <= u {
        j += 1;
    }
    value(j)
}

/// Batches below this many samples fuse the first kernel's gradient with the norm and the
/// optimiser step ([`Session::norm_and_update`]); larger ones compute it whole, where the
/// kernel packs the transposed inputs itself. Measured in docs/perf-notes.md: at B = 32 the
/// fused path, which transposes the inputs first, was about 4 % slower; at B ≤ 8 it is faster.
const FUSE_BELOW_BATCH: usize = 16;

/// Values per block of the first kernel's gradient that [`Session::norm_and_update`] makes
/// and uses at once: a whole number of rows and of the norm's 1,024-value blocks, about
/// this many (16 KB; measured against 1,024 and 16,384 in docs/perf-notes.md).
const FUSED_BLOCK: usize = 4096;

/// Rows of a kernel `n_out` wide per fused block: the fewest whole rows that fill whole
/// 1,024-value blocks, and a multiple of 4 (the SIMD128 kernel sums tiles of fewer rows in
/// another order), times as many as fit in [`FUSED_BLOCK`].
fn block_rows(n_out: usize) -> usize {
    let unit = (1024 / gcd(1024, n_out.max(1))).max(4);
    unit * (FUSED_BLOCK / (unit * n_out.max(1))).max(1)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// `Σ x²` of one tensor. Eight independent f32 lanes (which the compiler turns into SIMD),
/// folded into f64 per block of 1,024 so the sum of 100k squares keeps f64-like accuracy:
/// this runs on every update, and at B = 1 it costs as much as the matrix products.
fn sum_of_squares(values: &[f32]) -> f64 {
    values.chunks(1024).map(block_sq).sum()
}

/// `Σ x²` of one block of at most 1,024 values, as [`sum_of_squares`] sums each.
fn block_sq(block: &[f32]) -> f64 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = block.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += v * v;
        }
    }
    let tail: f32 = chunks.remainder().iter().map(|v| v * v).sum();
    lanes.iter().map(|&l| l as f64).sum::<f64>() + tail as f64
}

/// Loss and accuracy of `model` on all of `data` (forward passes only, in chunks).
pub fn evaluate(model: &Mlp, data: &Dataset, ws: &mut Workspace) -> Totals {
    let mut totals = Totals::default();
    for start in (0..data.len()).step_by(EVAL_CHUNK) {
        let end = (start + EVAL_CHUNK).min(data.len());
        ws.input_mut(end - start, data.features)
            .copy_from_slice(&data.x[start * data.features..end * data.features]);
        totals.add(model.forward_backward(ws, &data.y[start..end], None));
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::{FUSED_BLOCK, Session, TrainConfig, block_rows, next_geometric, sum_of_squares};
    use super::{batch_in_effect, updates_per_epoch};
    use crate::trainer::data::random;
    use crate::trainer::optim::OptimizerKind;

    /// Keras and PyTorch run `batch_size > N` as one full batch; 0 (and an empty set) as 1.
    #[test]
    fn a_batch_is_clamped_to_one_full_batch() {
        for (n, b, used) in [
            (8000, 32, 32),
            (200, 1000, 200),
            (200, 200, 200),
            (200, 0, 1),
        ] {
            assert_eq!(batch_in_effect(n, b), used, "N {n}, B {b}");
        }
        assert_eq!((batch_in_effect(0, 5), batch_in_effect(0, 0)), (1, 1));
        assert_eq!(updates_per_epoch(200, 1000), 1);
    }

    #[test]
    fn fused_blocks_are_whole_rows_and_whole_norm_blocks() {
        for n_out in [1, 7, 8, 10, 33, 128, 1000, 1024, 2048, 3000, 8192] {
            let rows = block_rows(n_out);
            assert!((rows * n_out).is_multiple_of(1024), "n_out {n_out}");
            assert!(rows.is_multiple_of(4), "n_out {n_out}");
            assert!(
                rows * n_out <= FUSED_BLOCK.max(1024 * n_out),
                "n_out {n_out}"
            );
        }
        assert_eq!(block_rows(128), 32);
        assert_eq!(block_rows(10), 512);
    }

    /// The fused first-kernel path (norm and optimiser step block by block) against the
    /// unfused one, record by record and weight by weight, to the bit: MNIST's shape (784
    /// inputs, 128 hidden) and an odd one, each optimiser, small batches and the partial
    /// last batch, and a learning rate that diverges.
    #[test]
    fn fused_updates_are_bit_identical_to_unfused() {
        let cases = [
            (784, vec![128], OptimizerKind::adam(), 0.001, 8),
            (784, vec![128], OptimizerKind::adam(), 0.001, 1),
            (37, vec![13, 6], OptimizerKind::adam(), 0.01, 5),
            (784, vec![128], OptimizerKind::momentum(), 0.01, 3),
            (50, vec![24], OptimizerKind::Sgd, 0.05, 7),
            (30, vec![16], OptimizerKind::Sgd, 1e30, 4),
        ];
        for (features, hidden, optimizer, learning_rate, batch_size) in cases {
            let data = random::generate(61, features, 10, 3);
            let config = TrainConfig {
                hidden,
                optimizer,
                learning_rate,
                batch_size,
                epochs: 3,
                ..TrainConfig::default()
            };
            let run = |fuse_below: usize| {
                let mut s = Session::new(config.clone(), data.clone(), data.range(0, 10)).unwrap();
                s.fuse_below = fuse_below;
                let records: Vec<_> = std::iter::from_fn(|| s.step())
                    .map(|r| (r.loss.to_bits(), r.gradient_norm.to_bits(), r.diverged))
                    .collect();
                let weights: Vec<u32> = s
                    .model()
                    .layers
                    .iter()
                    .flat_map(|l| l.w.iter().chain(&l.b).map(|w| w.to_bits()))
                    .collect();
                (records, weights)
            };
            let (fused, unfused) = (run(usize::MAX), run(0));
            assert_eq!(fused, unfused, "{features} {config:?}");
            if learning_rate > 1.0 {
                assert!(fused.0.last().unwrap().2, "the huge rate diverges");
            }
        }
    }

    /// `{ceil(2^(j/p)) : j ≥ 0} ∩ [1, limit]` by brute force (powers of two exactly).
    fn geometric_set(p: u32, limit: usize) -> Vec<usize> {
        let mut out: Vec<usize> = (0u32..)
            .map(|j| {
                if j % p == 0 {
                    1usize << (j / p)
                } else {
                    2f64.powf(f64::from(j) / f64::from(p)).ceil() as usize
                }
            })
            .take_while(|&v| v <= limit)
            .collect();
        out.dedup();
        out
    }

    #[test]
    fn next_geometric_walks_the_set_without_repeats() {
        for p in [1, 2, 3, 4, 7, 100] {
            let mut walked = vec![1];
            while let Some(&u) = walked.last().filter(|&&u| u < 5_000_000) {
                walked.push(next_geometric(u, p));
            }
            walked.pop();
            assert_eq!(walked, geometric_set(p, 5_000_000), "per_doubling = {p}");
        }
        assert_eq!(next_geometric(0, 3), 1);
        assert_eq!(next_geometric(1 << 20, 1), 1 << 21);
        assert_eq!(next_geometric((1 << 20) - 1, 1), 1 << 20);
        // Dense start: every update while points are closer than 1 apart.
        assert_eq!(next_geometric(5, 1_000_000), 6);
        assert_eq!(next_geometric(usize::MAX - 1, 3), usize::MAX);
    }

    #[test]
    fn sum_of_squares_matches_f64_on_every_length() {
        for n in [0, 1, 7, 8, 9, 1023, 1024, 1025, 101_770] {
            let values: Vec<f32> = (0..n)
                .map(|i| ((i * 7919 % 1000) as f32 - 500.0) * 1e-3)
                .collect();
            let want: f64 = values.iter().map(|&v| (v as f64) * (v as f64)).sum();
            let got = sum_of_squares(&values);
            assert!(
                (got - want).abs() <= 1e-6 * want.max(1e-12),
                "n = {n}: {got} vs {want}"
            );
        }
    }
}
