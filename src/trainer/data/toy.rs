//! Two-dimensional toy sets for small, fast nets whose decision boundary can be drawn:
//! two spirals, circles, XOR, gaussian blobs and moons. Size, noise and seed are free.
//!
//! Samples are generated with classes interleaved (sample `i` has class `i mod classes`),
//! so every prefix and every tail of the set has the same class mix: cutting to N and
//! Keras' "last 20 %" validation split both stay balanced without a shuffle.

use super::{DataError, Dataset};
use crate::trainer::rng::{self, Rng, Stream};
use std::f32::consts::PI;

/// The shapes on offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Toy {
    /// Two interleaved spiral arms (1.5 turns each): needs a non-linear boundary.
    Spirals,
    /// A disc inside a ring.
    Circles,
    /// Quadrants labelled by the sign of `x·y`.
    Xor,
    /// Three gaussian clusters: the one multi-class toy.
    Blobs,
    /// Two interlocking half-moons (as scikit-learn's `make_moons`).
    Moons,
}

crate::keyed!(Toy {
    Spirals => "spirals",
    Circles => "circles",
    Xor => "xor",
    Blobs => "blobs",
    Moons => "moons",
});

impl Toy {
    /// Number of classes.
    pub fn classes(self) -> usize {
        match self {
            Toy::Blobs => 3,
            _ => 2,
        }
    }
}

/// Largest noise accepted: beyond it every set is a blur.
pub const MAX_NOISE: f32 = 1.0;

/// `n` points of `toy`, each coordinate perturbed by gaussian noise of standard deviation
/// `noise` (the sets span roughly `[-1, 1]²`; 0 is noiseless, 0.1 a typical amount).
pub fn generate(toy: Toy, n: usize, noise: f32, seed: u64) -> Result<Dataset, DataError> {
    if !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(DataError::Invalid(format!(
            "noise must be in [0, {MAX_NOISE}], got {noise}"
        )));
    }
    let mut rng = rng::seeded(seed, Stream::Data);
    let classes = toy.classes();
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % classes;
        let (px, py) = point(toy, class, &mut rng);
        x.push(px + noise * rng::normal(&mut rng));
        x.push(py + noise * rng::normal(&mut rng));
        y.push(class as u8);
    }
    Ok(Dataset::new(2, classes, x, y))
}

/// A noiseless point of `class`.
fn point(toy: Toy, class: usize, rng: &mut Rng) -> (f32, f32) {
    let c = class as f32;
    match toy {
        Toy::Spirals => {
            let t = rng::uniform(rng, 0.0, 1.0).sqrt(); // even density along the arm
            let angle = 3.0 * PI * t + c * PI;
            (t * angle.cos(), t * angle.sin())
        }
        Toy::Circles => {
            let r = if class == 0 {
                rng::uniform(rng, 0.0, 0.5)
            } else {
                rng::uniform(rng, 0.7, 1.0)
            };
            let a = rng::uniform(rng, 0.0, 2.0 * PI);
            (r * a.cos(), r * a.sin())
        }
        Toy::Xor => {
            // Keep a small margin off the axes so the noiseless set is separable.
            let (ax, ay) = (rng::uniform(rng, 0.05, 1.0), rng::uniform(rng, 0.05, 1.0));
            let sx = if rng::index(rng, 2) == 0 { 1.0 } else { -1.0 };
            // Class 0: same signs (x·y > 0); class 1: opposite signs.
            let sy = if class == 0 { sx } else { -sx };
            (sx * ax, sy * ay)
        }
        Toy::Blobs => {
            let a = 2.0 * PI * c / 3.0 + PI / 2.0;
            (
                0.6 * a.cos() + 0.2 * rng::normal(rng),
                0.6 * a.sin() + 0.2 * rng::normal(rng),
            )
        }
        Toy::Moons => {
            let t = rng::uniform(rng, 0.0, PI);
            let (mx, my) = if class == 0 {
                (t.cos(), t.sin())
            } else {
                (1.0 - t.cos(), 0.5 - t.sin())
            };
            // Centre on the origin and fit in [-1, 1]².
            (0.65 * (mx - 0.5), 0.65 * (my - 0.25) * 1.6)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_toy_is_balanced_in_every_prefix_and_deterministic() {
        for toy in Toy::ALL {
            let d = generate(toy, 300, 0.1, 9).unwrap();
            assert_eq!((d.len(), d.features, d.classes), (300, 2, toy.classes()));
            let counts = d.take(30).class_counts();
            assert!(
                counts.iter().all(|&c| c == 30 / toy.classes()),
                "{toy:?} {counts:?}"
            );
            assert_eq!(d, generate(toy, 300, 0.1, 9).unwrap());
            assert!(
                d.x.iter().all(|v| v.abs() < 2.0),
                "{toy:?} stays near [-1, 1]²"
            );
        }
    }

    #[test]
    fn noiseless_xor_and_circles_obey_their_rule() {
        let xor = generate(Toy::Xor, 200, 0.0, 1).unwrap();
        for i in 0..xor.len() {
            let r = xor.row(i);
            assert_eq!(xor.y[i] == 1, r[0] * r[1] < 0.0);
        }
        let circles = generate(Toy::Circles, 200, 0.0, 1).unwrap();
        for i in 0..circles.len() {
            let r = circles.row(i);
            let radius = (r[0] * r[0] + r[1] * r[1]).sqrt();
            assert_eq!(circles.y[i] == 1, radius > 0.6);
        }
    }

    #[test]
    fn noise_out_of_range_is_refused() {
        assert!(generate(Toy::Moons, 10, -0.1, 1).is_err());
        assert!(generate(Toy::Moons, 10, f32::NAN, 1).is_err());
        assert!(generate(Toy::Moons, 10, 2.0, 1).is_err());
    }
}
