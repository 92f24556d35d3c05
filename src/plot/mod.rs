//! The charts' pure logic, kept apart from any drawing so it can be tested natively:
//!
//! - [`scale`]: linear and log axes, their ticks, and short tick labels;
//! - [`smoothing`]: an exponential moving average over each run's own updates
//!   (TensorBoard's step smoothing, with bias correction), the same on every x axis;
//! - [`palette`]: the series colours and the 3:1 contrast they keep (WCAG luminance);
//! - [`slots`]: which colour and marker a run's slot is drawn with, and the free slot a new
//!   run takes;
//! - [`looks`]: each kept run's slot and whether it is shown, following the history;
//! - [`lookup`]: which recorded row or evaluation lies under the pointer when hovering;
//! - [`band`]: the spread of a group's seeds per pixel column (min–max and mean ± sd);
//! - [`series`]: what a chart of the kept runs shows (shared x scale, thinning to pixel
//!   columns, smoothing of the thinned trace, loss ceiling, epoch boundaries, readings);
//! - [`pacing`]: how often the charts may redraw while workers train beside them;
//! - [`path`]: a series as SVG path data, handed to the canvas in one call;
//! - [`sparkline`]: one run's values as a small SVG path (the noise meter's trace);
//! - [`lr`]: the learning-rate chart's planned schedule and recorded rates;
//! - [`view`]: the view settings (x axis, log x, smoothing) and the axes' names.
//!
//! Nothing here touches the browser; `src/ui/charts/` draws with it.

pub mod band;
pub mod looks;
pub mod lookup;
pub mod lr;
pub mod pacing;
pub mod palette;
pub mod path;
pub mod scale;
pub mod series;
pub mod slots;
pub mod smoothing;
pub mod sparkline;
pub mod view;

pub use series::ChartKind;
pub use view::ChartView;
