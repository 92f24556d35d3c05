//! Softmax output with sparse categorical cross-entropy, Keras'
//! `Dense(10, activation='softmax')` + `loss='sparse_categorical_crossentropy'`.
//!
//! Softmax and the loss are fused and computed from the logits with the log-sum-exp shift,
//! as Keras does when the loss sees a softmax layer's logits: exact for any logits (no
//! `exp` overflow at 1e4, no `log(0)`), and the gradient is simply `softmax − onehot`.

/// Loss and accuracy totals of one batch (or one chunk of an evaluation).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Sum over samples of `−ln softmax(z)[label]`.
    pub loss_sum: f64,
    /// Samples whose arg-max class equals their label.
    pub correct: usize,
    /// Samples counted.
    pub count: usize,
}

impl Totals {
    /// Mean loss per sample (NaN for an empty total).
    pub fn loss(&self) -> f64 {
        self.loss_sum / self.count as f64
    }

    /// Fraction of samples classified correctly.
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.count as f64
    }

    /// Adds another total to this one.
    pub fn add(&mut self, other: Totals) {
        self.loss_sum += other.loss_sum;
        self.correct += other.correct;
        self.count += other.count;
    }
}

/// For `logits` (`labels.len()` rows × `classes`): the batch totals, the predicted class of
/// every row appended to `predictions`, and — when `grad` is true — the logits replaced in
/// place by the gradient of the **mean** batch loss, `(softmax − onehot) / rows`.
pub fn softmax_cross_entropy(
    logits: &mut [f32],
    labels: &[u8],
    classes: usize,
    grad: bool,
    predictions: &mut Vec<u8>,
) -> Totals {
    let rows = labels.len();
    debug_assert_eq!(logits.len(), rows * classes);
    let scale = 1.0 / rows as f32;
    let mut totals = Totals {
        count: rows,
        ..Totals::default()
    };
    for (row, &label) in logits.chunks_exact_mut(classes).zip(labels) {
        let (argmax, max) = row
            .iter()
            .enumerate()
            .fold((0, f32::NEG_INFINITY), |best, (j, &z)| {
                if z > best.1 { (j, z) } else { best }
            });
        let sum: f32 = row.iter().map(|&z| (z - max).exp()).sum();
        let log_sum = sum.ln();
        let label = label as usize;
        totals.loss_sum += (log_sum - (row[label] - max)) as f64;
        totals.correct += usize::from(argmax == label);
        predictions.push(argmax as u8);
        if grad {
            let inv = 1.0 / sum;
            for (j, z) in row.iter_mut().enumerate() {
                let p = (*z - max).exp() * inv;
                *z = (p - f32::from(j == label)) * scale;
            }
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_logits_cost_ln_classes() {
        let mut z = vec![0.0; 10];
        let t = softmax_cross_entropy(&mut z, &[3], 10, true, &mut Vec::new());
        assert!((t.loss() - 10f64.ln()).abs() < 1e-6);
        assert!((z[3] - (0.1 - 1.0)).abs() < 1e-6);
        assert!((z[0] - 0.1).abs() < 1e-6);
    }

    #[test]
    fn stable_for_huge_logits() {
        let mut z = vec![1.0e4, -1.0e4, 0.0];
        let mut preds = Vec::new();
        let right = softmax_cross_entropy(&mut z.clone(), &[0], 3, false, &mut preds);
        assert_eq!(right.loss(), 0.0);
        let wrong = softmax_cross_entropy(&mut z, &[1], 3, true, &mut preds);
        assert!((wrong.loss() - 2.0e4).abs() < 1.0, "{}", wrong.loss());
        assert!(z.iter().all(|g| g.is_finite()));
        assert_eq!(preds, vec![0, 0]);
        assert_eq!((right.correct, wrong.correct), (1, 0));
    }

    #[test]
    fn gradient_rows_sum_to_zero_and_scale_with_batch() {
        let mut z = vec![0.5, -1.0, 2.0, 0.0, 0.1, -0.3];
        let t = softmax_cross_entropy(&mut z, &[2, 0], 3, true, &mut Vec::new());
        assert_eq!(t.count, 2);
        for row in z.chunks(3) {
            assert!(row.iter().sum::<f32>().abs() < 1e-6);
        }
        assert!(z[2] < 0.0 && z[2] > -0.5, "label entry is (p − 1) / 2");
    }
}
