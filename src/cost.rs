//! What a run costs, as the cost panel shows it: throughput measured from the run's own
//! records, and the memory a batch of B takes in the training step, from the layer sizes.
//! The post's "large batches need more memory but use the hardware better", in numbers.

use crate::history::RunHistory;

/// Bytes of one stored value (the trainer computes in f32).
const VALUE_BYTES: u64 = 4;

/// The training step's memory that grows with B, as the trainer's workspace holds it
/// ([`crate::trainer::model::Workspace`]), in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchMemory {
    /// Every layer's values for the batch, the gathered input included:
    /// `B × Σ widths` floats.
    pub activations: u64,
    /// The backward pass's error signals (the gradient with respect to each layer's
    /// output): two buffers it alternates between, each `B ×` the widest non-input layer.
    pub errors: u64,
}

impl BatchMemory {
    /// Activations and errors together: what `cost-batch-memory` reports.
    pub fn total(&self) -> u64 {
        self.activations + self.errors
    }
}

/// The memory a batch of `batch` samples takes in a network of layer `widths` (input first,
/// classes last; see [`crate::trainer::model::ModelSpec::widths`]).
pub fn batch_memory(widths: &[usize], batch: usize) -> BatchMemory {
    let b = batch as u64;
    let sum: u64 = widths.iter().map(|&w| w as u64).sum();
    let widest = widths.iter().skip(1).copied().max().unwrap_or(0) as u64;
    BatchMemory {
        activations: b * sum * VALUE_BYTES,
        errors: 2 * b * widest * VALUE_BYTES,
    }
}

/// The weights and their gradients (the same for every B), in bytes.
pub fn parameter_memory(parameter_count: usize) -> u64 {
    2 * parameter_count as u64 * VALUE_BYTES
}

/// Throughput of a run so far, over its training time (pauses and single steps excluded).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throughput {
    pub samples_per_second: f64,
    pub updates_per_second: f64,
    pub ms_per_update: f64,
    /// `ceil(N / B)` updates at the measured rate.
    pub seconds_per_epoch: f64,
}

/// The throughput of `updates` updates over `samples` samples in `elapsed_ms` of training;
/// `None` before any training time has been measured.
pub fn throughput(
    updates: usize,
    samples: usize,
    elapsed_ms: f64,
    updates_per_epoch: usize,
) -> Option<Throughput> {
    if updates == 0 || !(elapsed_ms.is_finite() && elapsed_ms > 0.0) {
        return None;
    }
    let seconds = elapsed_ms / 1000.0;
    let ms_per_update = elapsed_ms / updates as f64;
    Some(Throughput {
        samples_per_second: samples as f64 / seconds,
        updates_per_second: updates as f64 / seconds,
        ms_per_update,
        seconds_per_epoch: ms_per_update * updates_per_epoch as f64 / 1000.0,
    })
}

/// The throughput of a kept run, from its last record.
pub fn run_throughput(run: &RunHistory) -> Option<Throughput> {
    let s = &run.steps;
    let (&update, &samples, &seconds) = (s.update.last()?, s.samples.last()?, s.seconds.last()?);
    throughput(
        update as usize,
        samples as usize,
        f64::from(seconds) * 1000.0,
        run.info.updates_per_epoch,
    )
}

/// Bytes for people: `512 B`, `150 KB`, `1.2 MB`, `2.5 GB` (decimal units, as browsers and
/// operating systems show file sizes; the same in both languages).
pub fn format_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    let (value, unit) = if b >= 1e9 {
        (b / 1e9, "GB")
    } else if b >= 1e6 {
        (b / 1e6, "MB")
    } else if b >= 1e3 {
        (b / 1e3, "KB")
    } else {
        return format!("{bytes} B");
    };
    if value >= 100.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// `v` to three significant digits for a readout (`0.0123`, `4.32`, `43.2`), whole from 100
/// up (`524`, `4324`); `None` for non-finite values. Rates and times in the cost panel span
/// five decades between a toy set and MNIST, so fixed decimals would read `0.01` or `4324.3`.
pub fn three_digits(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    if v.abs() >= 100.0 || v == 0.0 {
        return Some(format!("{:.0}", v));
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    Some(format!("{v:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_significant_digits() {
        assert_eq!(three_digits(0.012345).as_deref(), Some("0.0123"));
        assert_eq!(three_digits(4.321).as_deref(), Some("4.32"));
        assert_eq!(three_digits(43.21).as_deref(), Some("43.2"));
        assert_eq!(three_digits(524.04).as_deref(), Some("524"));
        assert_eq!(three_digits(4324.3).as_deref(), Some("4324"));
        assert_eq!(three_digits(0.0).as_deref(), Some("0"));
        assert_eq!(three_digits(f64::NAN), None);
    }

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(150_784), "151 KB");
        assert_eq!(format_bytes(1_234_567), "1.2 MB");
        assert_eq!(format_bytes(17 * 65_536), "1.1 MB");
        assert_eq!(format_bytes(2_500_000_000), "2.5 GB");
    }

    #[test]
    fn the_posts_model_at_b_32() {
        // 784-128-10: activations 32 × 922 floats, errors 2 × 32 × 128 floats.
        let m = batch_memory(&[784, 128, 10], 32);
        assert_eq!(m.activations, 32 * 922 * 4);
        assert_eq!(m.errors, 2 * 32 * 128 * 4);
        assert_eq!(m.total(), 118_016 + 32_768);
        // Linear in B: 256 costs 8 × as much as 32.
        assert_eq!(batch_memory(&[784, 128, 10], 256).total(), 8 * m.total());
        assert_eq!(parameter_memory(101_770), 814_160);
    }

    #[test]
    fn the_widest_non_input_layer_sizes_the_error_buffers() {
        // The input (2 wide) needs no error buffer; 16 is the widest of the rest.
        assert_eq!(batch_memory(&[2, 16, 8, 2], 10).errors, 2 * 10 * 16 * 4);
        assert_eq!(batch_memory(&[5, 3], 1).errors, 2 * 3 * 4);
        assert_eq!(batch_memory(&[], 7).total(), 0);
    }

    #[test]
    fn throughput_from_time_and_counts() {
        let t = throughput(250, 8000, 2000.0, 250).unwrap();
        assert_eq!(t.samples_per_second, 4000.0);
        assert_eq!(t.updates_per_second, 125.0);
        assert_eq!(t.ms_per_update, 8.0);
        assert_eq!(t.seconds_per_epoch, 2.0);
        assert_eq!(throughput(0, 0, 10.0, 5), None);
        assert_eq!(
            throughput(3, 30, 0.0, 5),
            None,
            "single steps count no time"
        );
    }
}
