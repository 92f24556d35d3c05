//! Statistics for groups of seeded runs: how sure the app may be of what it shows.
//!
//! - [`describe`]: mean, sample standard deviation, quantiles, median and range (the one
//!   home of each);
//! - [`student_t`]: Student's t CDF and quantile, via the regularised incomplete beta;
//! - [`compare`]: paired and Welch t-tests with a 95 % interval of the difference;
//! - [`bootstrap`]: a seeded percentile bootstrap over groups of seeds.
//!
//! **Why a hand-written Student t, not `statrs`.** Measured (session 8: a cdylib exporting
//! the CDF and the quantile, wasm32, `opt-level = "s"`, LTO, over a 1.7 KB baseline that
//! already uses `ln`/`exp`): `statrs` 0.19.1 with `default-features = false` (no nalgebra,
//! no rand; it still brings approx, num-traits, libm and thiserror's proc macro) adds
//! 18.0 KB (9.2 KB gzipped); [`student_t`] adds 9.8 KB (4.1 KB gzipped). Both are small
//! and both agree with SciPy far below 1e-6 (`statrs` to 1e-12 on the same cases). The
//! hand-written one wins on half the size and no new dependency in a crate whose other
//! parts change every session; it is about eighty lines whose every path the tests pin
//! against SciPy. Swapping in `statrs::distribution::StudentsT` would change only
//! [`student_t`]'s bodies, not its callers or its tests.
//!
//! Everything here is pure arithmetic on `f64` slices: no browser API, tested natively.

pub mod bootstrap;
pub mod compare;
pub mod describe;
pub mod student_t;
