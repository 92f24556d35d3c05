//! A multi-layer perceptron: dense layers with one hidden activation and a softmax output
//! (the softmax itself is fused into the loss, see [`crate::trainer::loss`]).
//!
//! Forward and backward passes work on a whole batch at once as matrix products, so a batch
//! of B costs B times one sample's arithmetic but only one pass of overhead: that is the
//! "large batches are faster per sample" effect the app measures.

use super::linalg::{Op, gemm, gemm_skipping_zeros};
use super::loss::{Totals, softmax_cross_entropy};
use super::rng::{self, Rng};

/// Hidden-layer non-linearity (Keras `activation=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
}

crate::keyed!(Activation {
    Relu => "relu",
    Tanh => "tanh",
    Sigmoid => "sigmoid",
});

impl Activation {
    /// Applies the function in place.
    pub fn apply(self, z: &mut [f32]) {
        match self {
            Activation::Relu => z.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Tanh => z.iter_mut().for_each(|v| *v = v.tanh()),
            Activation::Sigmoid => z.iter_mut().for_each(|v| *v = 1.0 / (1.0 + (-*v).exp())),
        }
    }

    /// Multiplies `grad` by the derivative, expressed through the layer's *output* `a` so
    /// the pre-activations need not be kept: ReLU `a > 0`, tanh `1 − a²`, sigmoid `a(1 − a)`.
    pub fn backprop(self, a: &[f32], grad: &mut [f32]) {
        let pairs = grad.iter_mut().zip(a);
        match self {
            Activation::Relu => pairs.for_each(|(g, &a)| *g = if a > 0.0 { *g } else { 0.0 }),
            Activation::Tanh => pairs.for_each(|(g, &a)| *g *= 1.0 - a * a),
            Activation::Sigmoid => pairs.for_each(|(g, &a)| *g *= a * (1.0 - a)),
        }
    }
}

/// The shape of a network: `inputs → hidden[0] → … → classes`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ModelSpec {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub classes: usize,
}

impl ModelSpec {
    /// Layer widths from input to output.
    pub fn widths(&self) -> Vec<usize> {
        let mut w = Vec::with_capacity(self.hidden.len() + 2);
        w.push(self.inputs);
        w.extend(&self.hidden);
        w.push(self.classes);
        w
    }

    /// Trainable parameters (weights and biases).
    pub fn parameter_count(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// Floating-point operations (multiply and add counted separately) of one training
    /// sample: forward `2·in·out` per layer, weight gradient `2·in·out`, input gradient
    /// `2·in·out` except for the first layer, whose input gradient is never needed.
    pub fn train_flops_per_sample(&self) -> u64 {
        let widths = self.widths();
        widths
            .windows(2)
            .enumerate()
            .map(|(l, w)| {
                let mm = 2 * (w[0] * w[1]) as u64;
                if l == 0 { 2 * mm } else { 3 * mm }
            })
            .sum()
    }
}

/// One fully connected layer: `y = x·W + b` with `W` stored `n_in × n_out` (Keras' kernel
/// layout). Also used, with the same shapes, to hold a layer's gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    pub n_in: usize,
    pub n_out: usize,
    pub w: Vec<f32>,
    pub b: Vec<f32>,
}

impl Dense {
    /// All zeros.
    pub fn zeros(n_in: usize, n_out: usize) -> Self {
        Dense {
            n_in,
            n_out,
            w: vec![0.0; n_in * n_out],
            b: vec![0.0; n_out],
        }
    }

    /// Keras' default `Dense` initialisation: Glorot-uniform kernel,
    /// `U(±sqrt(6 / (fan_in + fan_out)))`, and zero bias.
    pub fn glorot_uniform(n_in: usize, n_out: usize, rng: &mut Rng) -> Self {
        let limit = (6.0 / (n_in + n_out) as f32).sqrt();
        let mut layer = Dense::zeros(n_in, n_out);
        layer
            .w
            .iter_mut()
            .for_each(|v| *v = rng::uniform(rng, -limit, limit));
        layer
    }
}

/// The network's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub spec: ModelSpec,
    pub layers: Vec<Dense>,
}

/// Buffers of one forward/backward pass, kept between steps so that, once they have grown
/// to the largest batch, the pass itself allocates no activations or gradients. (The wasm
/// SIMD128 kernel reuses its packing storage too; natively, `matrixmultiply` allocates a
/// packing buffer per product. Each update's [`crate::trainer::session::StepRecord`] owns
/// two small vectors of its own.) `acts[0]` is the gathered input batch, `acts[l]` the output of layer `l`
/// (the last holds logits, then the loss gradient).
#[derive(Debug, Default)]
pub struct Workspace {
    acts: Vec<Vec<f32>>,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
    /// Predicted class per row of the last pass.
    pub predictions: Vec<u8>,
    /// Whether the backward pass also measures each example's squared gradient norm (the
    /// gradient-noise meter, see [`crate::trainer::noise`]); off, it costs one branch per layer.
    per_example: bool,
    /// `‖g_i‖²` per row of the last backward pass when [`Workspace::set_per_example_norms`] is on.
    per_example_sq: Vec<f64>,
    /// After [`Mlp::forward_backward_deferred`]: the first layer's inputs transposed
    /// (`n_in × rows`, so a block of the kernel gradient's rows reads contiguous rows), and
    /// the layer's shape `(n_in, n_out, rows)`; `ws.delta` then holds its Δ.
    inputs_t: Vec<f32>,
    deferred: Option<(usize, usize, usize)>,
}

impl Workspace {
    /// The input buffer for `rows` samples, to be filled by the caller.
    pub fn input_mut(&mut self, rows: usize, features: usize) -> &mut [f32] {
        if self.acts.is_empty() {
            self.acts.push(Vec::new());
        }
        self.acts[0].resize(rows * features, 0.0);
        &mut self.acts[0]
    }

    /// Turns the per-example gradient norms on or off for the following backward passes.
    /// They are only read off buffers the pass fills anyway, so the gradients (and hence
    /// training) are bit-for-bit the same either way.
    pub fn set_per_example_norms(&mut self, on: bool) {
        self.per_example = on;
        self.per_example_sq.clear();
    }

    /// The output layer's values of the last pass, row by row: the logits after a pass
    /// without gradients (with gradients they were replaced by the loss gradient).
    pub fn logits(&self) -> &[f32] {
        self.acts.last().map_or(&[], Vec::as_slice)
    }

    /// The squared norm `‖g_i‖²` of each example's own loss gradient (all layers, weights
    /// and biases) from the last backward pass, in batch order; empty when the measurement
    /// is off. The batch gradient is the mean of these examples' gradients.
    pub fn per_example_sq_norms(&self) -> &[f64] {
        &self.per_example_sq
    }

    /// Rows `row0..row0 + out.len() / n_out` of the first layer's kernel gradient `Xᵀ·Δ`
    /// after [`Mlp::forward_backward_deferred`], written to `out` (overwritten). With `row0`
    /// and the block a multiple of 4 rows (or the block ending at the last row), each value
    /// is the same sum, in the same order, as [`Mlp::forward_backward`] computes.
    pub fn first_kernel_rows(&self, row0: usize, out: &mut [f32]) {
        let (n_in, n_out, rows) = self.deferred.expect("a deferred backward pass");
        let block = out.len() / n_out;
        assert!(row0 + block <= n_in && block * n_out == out.len());
        // Plain `gemm`: the session defers only batches below 16 rows, whose k = B is too
        // short for `gemm_skipping_zeros` to skip anything.
        gemm(
            block,
            rows,
            n_out,
            &self.inputs_t[row0 * rows..(row0 + block) * rows],
            Op::N,
            &self.delta,
            Op::N,
            0.0,
            out,
        );
    }

    /// An upper bound on the squared norm of the first layer's kernel gradient after
    /// [`Mlp::forward_backward_deferred`]: `Σᵢⱼ (Σᵣ xᵣᵢ δᵣⱼ)² ≤ B·Σᵣ ‖xᵣ‖²‖δᵣ‖²` (Cauchy–Schwarz),
    /// NaN or ∞ when an input or Δ is. Below about 1e30 every value of the gradient, and every
    /// f32 partial sum of its squares, is finite — known before any of it is computed.
    pub fn first_kernel_sq_bound(&self) -> f64 {
        let (n_in, n_out, rows) = self.deferred.expect("a deferred backward pass");
        let x = self.acts[0].chunks_exact(n_in);
        let sum: f64 = x
            .zip(self.delta.chunks_exact(n_out))
            .map(|(x, d)| row_sq(x) * row_sq(d))
            .sum();
        rows as f64 * sum
    }
}

/// Adds, for every row, `‖δ_r‖² (‖a_r‖² + 1)` to `out[r]`: a dense layer's per-example
/// weight-and-bias gradient is the outer product `a_r ⊗ δ_r` plus `δ_r`, whose squared norm
/// factorises, so no per-example gradient is ever formed (Goodfellow 2015).
fn add_per_example_sq(out: &mut [f64], inputs: &[f32], n_in: usize, delta: &[f32], n_out: usize) {
    let rows = inputs.chunks_exact(n_in).zip(delta.chunks_exact(n_out));
    for (o, (a, d)) in out.iter_mut().zip(rows) {
        *o += row_sq(d) * (row_sq(a) + 1.0);
    }
}

/// `Σ v²` of one row (at most a few thousand values) in eight f32 lanes, which the compiler
/// vectorises, summed in f64: an input row of MNIST costs ~100 vector operations.
fn row_sq(v: &[f32]) -> f64 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = v.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += x * x;
        }
    }
    let tail: f64 = chunks.remainder().iter().map(|&x| f64::from(x * x)).sum();
    lanes.iter().map(|&l| f64::from(l)).sum::<f64>() + tail
}

impl Mlp {
    /// A freshly initialised network (Keras defaults, see [`Dense::glorot_uniform`]).
    pub fn new(spec: ModelSpec, rng: &mut Rng) -> Self {
        let layers = spec
            .widths()
            .windows(2)
            .map(|w| Dense::glorot_uniform(w[0], w[1], rng))
            .collect();
        Mlp { spec, layers }
    }

    /// Zeroed gradients shaped like the parameters.
    pub fn zero_gradients(&self) -> Vec<Dense> {
        self.layers
            .iter()
            .map(|l| Dense::zeros(l.n_in, l.n_out))
            .collect()
    }

    /// Forward pass over the `rows` samples already in `ws.input_mut`, then the loss against
    /// `labels`. With `grads`, also the backward pass: `grads` receives the gradient of the
    /// mean batch loss (overwritten, not accumulated).
    pub fn forward_backward(
        &self,
        ws: &mut Workspace,
        labels: &[u8],
        grads: Option<&mut [Dense]>,
    ) -> Totals {
        self.pass(ws, labels, grads, false)
    }

    /// [`Mlp::forward_backward`], except that the first layer's kernel gradient `grads[0].w`
    /// is left untouched: [`Workspace::first_kernel_rows`] computes it in blocks of rows, so
    /// that a caller can use each block while it is in cache (the session folds it into the
    /// gradient norm and the optimiser step) instead of storing 100,352 values for MNIST and
    /// reading them back twice.
    pub fn forward_backward_deferred(
        &self,
        ws: &mut Workspace,
        labels: &[u8],
        grads: &mut [Dense],
    ) -> Totals {
        self.pass(ws, labels, Some(grads), true)
    }

    fn pass(
        &self,
        ws: &mut Workspace,
        labels: &[u8],
        grads: Option<&mut [Dense]>,
        defer_first_kernel: bool,
    ) -> Totals {
        let rows = labels.len();
        ws.deferred = None;
        let n_layers = self.layers.len();
        ws.acts.resize_with(n_layers + 1, Vec::new);
        ws.predictions.clear();
        for (l, layer) in self.layers.iter().enumerate() {
            let (inputs, outputs) = ws.acts.split_at_mut(l + 1);
            let (x, y) = (&inputs[l], &mut outputs[0]);
            y.resize(rows * layer.n_out, 0.0);
            for row in y.chunks_exact_mut(layer.n_out) {
                row.copy_from_slice(&layer.b);
            }
            // The input batch may be mostly zeros (MNIST's blank pixels); a hidden layer's
            // rows seldom are all zero where a tile of four of them is read.
            let product = if l == 0 { gemm_skipping_zeros } else { gemm };
            product(
                rows,
                layer.n_in,
                layer.n_out,
                x,
                Op::N,
                &layer.w,
                Op::N,
                1.0,
                y,
            );
            if l + 1 < n_layers {
                self.spec.activation.apply(y);
            }
        }
        let want_grad = grads.is_some();
        let totals = softmax_cross_entropy(
            &mut ws.acts[n_layers],
            labels,
            self.spec.classes,
            want_grad,
            &mut ws.predictions,
        );
        if let Some(grads) = grads {
            self.backward(ws, rows, grads, defer_first_kernel);
        }
        totals
    }

    /// Backward pass; `ws.acts[last]` holds dL/dlogits.
    fn backward(&self, ws: &mut Workspace, rows: usize, grads: &mut [Dense], defer_first: bool) {
        let n_layers = self.layers.len();
        ws.delta.clear();
        ws.delta.extend_from_slice(&ws.acts[n_layers]);
        if ws.per_example {
            ws.per_example_sq.clear();
            ws.per_example_sq.resize(rows, 0.0);
        }
        for l in (0..n_layers).rev() {
            let layer = &self.layers[l];
            if ws.per_example {
                add_per_example_sq(
                    &mut ws.per_example_sq,
                    &ws.acts[l],
                    layer.n_in,
                    &ws.delta,
                    layer.n_out,
                );
            }
            let g = &mut grads[l];
            // dW = Xᵀ·Δ, db = column sums of Δ.
            if l == 0 && defer_first {
                transpose(&ws.acts[0], rows, layer.n_in, &mut ws.inputs_t);
                ws.deferred = Some((layer.n_in, layer.n_out, rows));
            } else {
                let product = if l == 0 { gemm_skipping_zeros } else { gemm };
                product(
                    layer.n_in,
                    rows,
                    layer.n_out,
                    &ws.acts[l],
                    Op::T,
                    &ws.delta,
                    Op::N,
                    0.0,
                    &mut g.w,
                );
            }
            g.b.iter_mut().for_each(|v| *v = 0.0);
            for row in ws.delta.chunks_exact(layer.n_out) {
                g.b.iter_mut().zip(row).for_each(|(b, d)| *b += d);
            }
            if l == 0 {
                if ws.per_example {
                    // Δ is the gradient of the *mean* loss, δ_r / rows; each example's own
                    // loss gradient is `rows` times that, its squared norm rows² times.
                    let scale = (rows as f64) * (rows as f64);
                    ws.per_example_sq.iter_mut().for_each(|v| *v *= scale);
                }
                break; // the input gradient is never needed
            }
            // ΔX = Δ·Wᵀ, then through the previous layer's activation.
            ws.delta_prev.resize(rows * layer.n_in, 0.0);
            gemm(
                rows,
                layer.n_out,
                layer.n_in,
                &ws.delta,
                Op::N,
                &layer.w,
                Op::T,
                0.0,
                &mut ws.delta_prev,
            );
            self.spec
                .activation
                .backprop(&ws.acts[l], &mut ws.delta_prev);
            std::mem::swap(&mut ws.delta, &mut ws.delta_prev);
        }
    }

    /// Parameter tensors in a fixed order (per layer: kernel, then bias), for optimisers.
    pub fn tensors_mut(&mut self) -> impl Iterator<Item = &mut [f32]> {
        self.layers
            .iter_mut()
            .flat_map(|l| [l.w.as_mut_slice(), l.b.as_mut_slice()])
    }
}

/// `out` (`cols × rows`) = the transpose of `x` (`rows × cols`), both row-major.
fn transpose(x: &[f32], rows: usize, cols: usize, out: &mut Vec<f32>) {
    out.resize(rows * cols, 0.0);
    for (r, row) in x.chunks_exact(cols).enumerate() {
        for (c, &v) in row.iter().enumerate() {
            out[c * rows + r] = v;
        }
    }
}

/// Gradient tensors in the order of [`Mlp::tensors_mut`].
pub fn gradient_tensors(grads: &[Dense]) -> impl Iterator<Item = &[f32]> {
    grads.iter().flat_map(|l| [l.w.as_slice(), l.b.as_slice()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keras_mnist_model_sizes() {
        let spec = ModelSpec {
            inputs: 784,
            hidden: vec![128],
            activation: Activation::Relu,
            classes: 10,
        };
        assert_eq!(spec.parameter_count(), 101_770); // Keras' model.summary()
        // 784·128·2·2 + 128·10·2·3 ≈ 0.41 MFLOP per training sample.
        assert_eq!(spec.train_flops_per_sample(), 401_408 + 7_680);
    }

    /// The deferred pass's kernel gradient, made in blocks of rows, is the whole pass's to
    /// the bit, and its bound holds.
    #[test]
    fn deferred_first_kernel_rows_match_the_whole_gradient() {
        let data = crate::trainer::data::random::generate(9, 20, 4, 1);
        let spec = ModelSpec {
            inputs: 20,
            hidden: vec![12],
            activation: Activation::Tanh,
            classes: 4,
        };
        let model = Mlp::new(spec, &mut rng::seeded(3, rng::Stream::Init));
        let mut ws = Workspace::default();
        let (mut whole, mut deferred) = (model.zero_gradients(), model.zero_gradients());
        ws.input_mut(9, 20).copy_from_slice(&data.x);
        model.forward_backward(&mut ws, &data.y, Some(&mut whole));
        ws.input_mut(9, 20).copy_from_slice(&data.x);
        model.forward_backward_deferred(&mut ws, &data.y, &mut deferred);
        let mut rows = vec![f32::NAN; 20 * 12];
        for (b, block) in rows.chunks_mut(8 * 12).enumerate() {
            ws.first_kernel_rows(b * 8, block); // rows 0..8, 8..16, 16..20
        }
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&rows), bits(&whole[0].w));
        assert_eq!(deferred[1], whole[1]);
        assert_eq!(bits(&deferred[0].b), bits(&whole[0].b));
        let sq: f64 = rows.iter().map(|&g| f64::from(g) * f64::from(g)).sum();
        let bound = ws.first_kernel_sq_bound();
        assert!(sq > 0.0 && sq <= bound, "{sq} vs {bound}");
    }

    #[test]
    fn glorot_limits_and_zero_bias() {
        let mut rng = rng::seeded(1, rng::Stream::Init);
        let d = Dense::glorot_uniform(784, 128, &mut rng);
        let limit = (6.0f32 / 912.0).sqrt();
        assert!(d.w.iter().all(|w| w.abs() <= limit));
        let max = d.w.iter().fold(0.0f32, |m, w| m.max(w.abs()));
        assert!(max > 0.99 * limit, "uniform over the whole range");
        assert!(d.b.iter().all(|&b| b == 0.0));
    }
}
