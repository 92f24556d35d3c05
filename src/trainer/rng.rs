//! Seeded randomness. Every random choice in the trainer (data generation, weight
//! initialisation, per-epoch shuffles) draws from [`Rng`], a PCG-32 stream: unlike `SmallRng`
//! it is the same algorithm on 32-bit wasm and 64-bit native, so one seed names one run
//! everywhere.

use rand::{RngExt, SeedableRng};

/// The project's random generator.
pub type Rng = rand_pcg::Pcg32;

/// A generator for `seed`, split into an independent stream per `purpose` so that, for
/// example, changing the data set size does not change the weight initialisation.
pub fn seeded(seed: u64, purpose: Stream) -> Rng {
    Rng::seed_from_u64(seed ^ (purpose as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Independent uses of one seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    Data = 1,
    Init = 2,
    Shuffle = 3,
    /// Resampling seeds for a bootstrap interval ([`crate::stats::bootstrap`]).
    Bootstrap = 4,
    /// The curvature and gradient probes' subsets, batches and start vectors
    /// ([`crate::trainer::probe`]): drawing them never moves a run's own streams.
    Probe = 5,
}

/// A uniform draw in `[lo, hi)`.
pub fn uniform(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * rng.random::<f32>()
}

/// A standard normal draw (Box–Muller): a few lines that give the same values on every
/// platform, where a distribution crate would add a dependency for one function.
pub fn normal(rng: &mut Rng) -> f32 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]: ln is finite
    let u2 = rng.random::<f64>();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// A uniform index in `0..n`.
pub fn index(rng: &mut Rng, n: usize) -> usize {
    rng.random_range(0..n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_has_unit_moments() {
        let mut rng = seeded(7, Stream::Data);
        let xs: Vec<f64> = (0..200_000).map(|_| normal(&mut rng) as f64).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "variance {var}");
    }

    #[test]
    fn streams_differ_and_repeat() {
        let mut d1 = seeded(1, Stream::Data);
        let mut d2 = seeded(1, Stream::Data);
        let mut i1 = seeded(1, Stream::Init);
        let x1 = uniform(&mut d1, 0.0, 1.0);
        assert_eq!(x1, uniform(&mut d2, 0.0, 1.0));
        assert_ne!(x1, uniform(&mut i1, 0.0, 1.0));
    }
}
