//! The batch just used: the post's "100 problems, solved 10 at a time", one batch at a time.
//!
//! - MNIST (`batch.pixels`): a grid of the digits (28 × 28 canvases, crisp with
//!   `image-rendering: pixelated`), each with label → prediction, ✓ when right and ✗ with a
//!   dashed border when wrong (shape and line style as well as colour).
//! - 2-D sets (`info.points`): every training point, light and coloured by class, with the
//!   batch's points large and outlined (a cross over the wrong ones); classes also differ by
//!   marker shape. Validation points are hollow rings. Behind them, the net's decision
//!   boundary (`data-testid="decision-boundary"`, see [`crate::boundary`]).
//! - The random set: a compact list of the batch (index, label → prediction).
//!
//! At most [`BATCH_VIEW_LIMIT`] samples come with a batch; a note says when the batch is
//! larger. The caption with the batch size is always shown.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::boundary::{Grid, Plane, paint};
use crate::i18n::{Lang, fill};
use crate::ui::charts::ChartTheme;
use crate::worker::protocol::{BATCH_VIEW_LIMIT, BatchDetail, RunInfo};

/// Pixels of one MNIST digit (28 × 28).
const DIGIT: usize = 28 * 28;
/// Okabe–Ito bluish green (right) and vermillion (wrong).
const RIGHT_COLOR: &str = "#009E73";
const WRONG_COLOR: &str = "#D55E00";
/// Class colours (Okabe–Ito), by class index modulo the length.
const CLASS_COLORS: [[u8; 3]; 8] = [
    [0x00, 0x72, 0xB2],
    [0xE6, 0x9F, 0x00],
    [0x00, 0x9E, 0x73],
    [0xCC, 0x79, 0xA7],
    [0x56, 0xB4, 0xE9],
    [0xD5, 0x5E, 0x00],
    [0xF0, 0xE4, 0x42],
    [0x00, 0x00, 0x00],
];
/// Digit or list cells created per task. Creating a batch's 32–64 digit canvases in one go
/// took 20–55 ms of the main thread on a slow 2-core machine (a long task); 8 at a time keeps
/// every task short, and the whole grid is there within a few milliseconds.
const REVEAL_STEP: usize = 8;
/// Cells the compact view beside Train and Step shows (the first of the batch).
pub const COMPACT_CELLS: usize = 8;
/// Backing size of the scatter canvas (square; CSS scales it to at most 320 px).
const SCATTER_SIZE: u32 = 640;

/// What the view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Digits,
    Points,
    List,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Digits => "digits",
            Mode::Points => "points",
            Mode::List => "list",
        }
    }

    /// Digits when batches carry pixels, else the data plot for 2-D sets, else a list.
    fn of(pixels: bool, points: bool) -> Mode {
        match (pixels, points) {
            (true, _) => Mode::Digits,
            (false, true) => Mode::Points,
            (false, false) => Mode::List,
        }
    }
}

/// What the view lays out: its mode, the run's batch size and how many of a batch's
/// samples are shown (at most [`BATCH_VIEW_LIMIT`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    mode: Mode,
    batch_size: usize,
    shown: usize,
}

/// One shown sample: training-set index, label, prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sample {
    index: u32,
    label: u8,
    prediction: u8,
}

impl Sample {
    fn right(self) -> bool {
        self.label == self.prediction
    }
}

/// Sample `i` of the batch.
fn sample(batch: &Option<BatchDetail>, i: usize) -> Option<Sample> {
    let b = batch.as_ref()?;
    Some(Sample {
        index: *b.indices.get(i)?,
        label: *b.labels.get(i)?,
        prediction: *b.predictions.get(i)?,
    })
}

/// Samples shown: as many as have an index, a label and a prediction (at most 64).
fn shown_count(b: &BatchDetail) -> usize {
    b.indices
        .len()
        .min(b.labels.len())
        .min(b.predictions.len())
        .min(BATCH_VIEW_LIMIT)
}

/// The batch just used. Root: `data-testid="batch-view"`, `data-count` = the last update's
/// batch size (0 before the first), `data-mode` = `digits` | `points` | `list` | `empty`
/// (known from `info` before the first batch: the cells are laid out then, blank, and stay,
/// blank, while the next run is configured).
/// Items carry `data-testid="batch-item"` and `data-correct="true"|"false"`.
///
/// `compact`: the small view beside Train and Step — the same batch and cells, at most
/// [`COMPACT_CELLS`] of them, with the right/wrong count and no caption, note or data plot
/// (2-D sets show the count only); its hooks are `step-batch`, `step-batch-summary` and
/// `step-batch-item`, so the full view's stay unique.
#[component]
pub fn BatchView(
    #[prop(into)] batch: Signal<Option<BatchDetail>>,
    #[prop(into)] info: Signal<Option<RunInfo>>,
    #[prop(into)] boundary: Signal<Option<Grid>>,
    #[prop(into)] lang: Signal<Lang>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let t = move || lang.get().strings();
    let ids = if compact { Ids::COMPACT } else { Ids::FULL };
    let count = move || batch.with(|b| b.as_ref().map_or(0, |b| b.batch_size));
    let layout = layout_of(batch, info);
    let mode = Memo::new(move |_| layout.get().map(|l| l.mode));
    let cells = revealed_cells(layout, compact);
    let caption = move || {
        let b = layout.get().map(|l| l.batch_size);
        let b = b.map_or_else(|| "B".to_owned(), |b| lang.get().int(b));
        fill(t().batch_caption, &[&b])
    };
    let note = move || {
        let l = layout.get().filter(|_| !compact)?;
        (l.batch_size > l.shown).then(|| {
            let lang = lang.get();
            fill(
                t().batch_shown_of,
                &[&lang.int(l.shown), &lang.int(l.batch_size)],
            )
        })
    };
    let body = move || match mode.get() {
        Some(Mode::Digits) => view! {
            <div class="batch-digits" role="list">
                <For
                    each=move || 0..cells.get()
                    key=|i| *i
                    children=move |i| {
                        view! { <DigitCell i=i batch=batch lang=lang test_id=ids.item /> }
                    }
                />
            </div>
        }
        .into_any(),
        // The compact view has no room for the data plot: the count says it all.
        Some(Mode::Points) if compact => ().into_any(),
        Some(Mode::Points) => {
            view! { <Scatter batch=batch info=info boundary=boundary lang=lang /> }.into_any()
        }
        Some(Mode::List) => view! {
            <ol class="batch-list">
                <For
                    each=move || 0..cells.get()
                    key=|i| *i
                    children=move |i| {
                        view! { <ListItem i=i batch=batch lang=lang test_id=ids.item /> }
                    }
                />
            </ol>
        }
        .into_any(),
        None => ().into_any(),
    };

    view! {
        <div
            class="batch-view"
            class:compact=compact
            data-testid=ids.root
            data-count=move || count().to_string()
            data-mode=move || mode.get().map_or("empty", Mode::as_str)
        >
            {(!compact).then(|| view! { <p class="batch-caption">{caption}</p> })}
            <BatchSummary batch=batch lang=lang compact=compact summary_id=ids.summary />
            {move || note().map(|n| view! { <p class="batch-note" data-testid="batch-note">{n}</p> })}
            {body}
        </div>
    }
}

/// What the view lays out, from the latest batch or, before the first, from the run's
/// info (so the cells are laid out while the page waits for Train); between two runs (the
/// next one being configured) the previous layout stays, its cells blank.
fn layout_of(
    batch: Signal<Option<BatchDetail>>,
    info: Signal<Option<RunInfo>>,
) -> Memo<Option<Layout>> {
    Memo::new(move |previous: Option<&Option<Layout>>| {
        let points = info.with(|i| i.as_ref().is_some_and(|i| i.points.is_some()));
        let from_batch = batch.with(|b| {
            b.as_ref()
                .map(|b| (b.pixels.is_some(), b.batch_size, shown_count(b)))
        });
        let from_info = || {
            info.with(|i| {
                i.as_ref().map(|i| {
                    let b = i.batch_size;
                    (i.carries_pixels(), b, b.min(BATCH_VIEW_LIMIT))
                })
            })
        };
        match from_batch.or_else(from_info) {
            Some((pixels, batch_size, shown)) => Some(Layout {
                mode: Mode::of(pixels, points),
                batch_size,
                shown,
            }),
            None => previous.copied().flatten(),
        }
    })
}

/// How many cells exist now: one per shown sample, and before the first batch of a run one
/// blank cell per sample its batches will show, so the grid is built and laid out while the
/// page waits for Train, not in the first, busiest frames of a run (where it cost a long
/// task on a slow machine). Cells are created at most [`REVEAL_STEP`] per task; fewer cells
/// than before are dropped at once.
fn revealed_cells(layout: Memo<Option<Layout>>, compact: bool) -> Memo<usize> {
    let wanted = Memo::new(move |_| match layout.get() {
        Some(l) if l.mode != Mode::Points && compact => l.shown.min(COMPACT_CELLS),
        Some(l) if l.mode != Mode::Points => l.shown,
        _ => 0,
    });
    let revealed = RwSignal::new(0usize);
    Effect::new(move |_| {
        let (want, have) = (wanted.get(), revealed.get());
        if have > want {
            revealed.set(want);
        } else if have < want {
            super::in_next_task(move || {
                let want = wanted.get_untracked();
                revealed.try_update(|r| *r = (*r + REVEAL_STEP).min(want));
            });
        }
    });
    Memo::new(move |_| wanted.get().min(revealed.get()))
}

/// "7 of 8 right · label → prediction", or before the first batch a hint (the full view):
/// one line either way, so the first batch moves nothing on the page.
#[component]
fn BatchSummary(
    batch: Signal<Option<BatchDetail>>,
    lang: Signal<Lang>,
    compact: bool,
    summary_id: &'static str,
) -> impl IntoView {
    let t = move || lang.get().strings();
    let correct = move || {
        batch.with(|b| {
            let b = b.as_ref()?;
            let n = shown_count(b);
            let right = (0..n).filter(|&i| b.labels[i] == b.predictions[i]).count();
            Some(format!(
                "{} · {}",
                fill(
                    t().batch_correct_count,
                    &[&right.to_string(), &n.to_string()]
                ),
                t().batch_label_arrow_pred
            ))
        })
    };
    view! {
        <p class="batch-summary">
            {move || match correct() {
                Some(c) => view! { <span data-testid=summary_id>{c}</span> }.into_any(),
                None if compact => ().into_any(),
                None => {
                    view! {
                        <span class="batch-empty" data-testid="batch-empty">
                            {move || t().batch_empty}
                        </span>
                    }
                        .into_any()
                }
            }}
        </p>
    }
}

/// The test hooks of one view: the full panel's, or the compact one's beside the buttons.
#[derive(Clone, Copy)]
struct Ids {
    root: &'static str,
    summary: &'static str,
    item: &'static str,
}

impl Ids {
    const FULL: Ids = Ids {
        root: "batch-view",
        summary: "batch-summary",
        item: "batch-item",
    };
    const COMPACT: Ids = Ids {
        root: "step-batch",
        summary: "step-batch-summary",
        item: "step-batch-item",
    };
}

/// `✓` or `✗`, label → prediction, and the words for screen readers and tooltips.
fn describe(s: Sample, lang: Lang) -> String {
    let t = lang.strings();
    format!(
        "#{} · {} {} · {} {} · {}",
        s.index,
        t.label_short,
        s.label,
        t.prediction_short,
        s.prediction,
        if s.right() {
            t.batch_correct
        } else {
            t.batch_wrong
        }
    )
}

fn mark(s: Sample) -> &'static str {
    if s.right() { "✓" } else { "✗" }
}

fn mark_color(s: Sample) -> &'static str {
    if s.right() { RIGHT_COLOR } else { WRONG_COLOR }
}

/// One MNIST digit with its label, prediction and mark.
#[component]
fn DigitCell(
    i: usize,
    batch: Signal<Option<BatchDetail>>,
    lang: Signal<Lang>,
    test_id: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    let item = Memo::new(move |_| batch.with(|b| sample(b, i)));
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        batch.with(|b| {
            match b
                .as_ref()
                .and_then(|b| b.pixels.as_ref())
                .and_then(|p| p.get(i * DIGIT..(i + 1) * DIGIT))
            {
                Some(pixels) => {
                    let _ = draw_digit(&c, pixels);
                }
                // A blank cell (a new run's, before its first batch).
                None => {
                    if let Ok(ctx) = context(&c) {
                        ctx.clear_rect(0.0, 0.0, 28.0, 28.0);
                    }
                }
            }
        });
    });
    // The mark's border (style/main.css `.batch-digit.right`, `.wrong`): border plus padding
    // is 4px whatever the mark, so a cell never changes size. Classes, not `style="…"`: the
    // page must work under a `style-src 'self'` Content-Security-Policy (README).
    let mark_class = move || match item.get() {
        Some(s) if s.right() => "batch-item batch-digit right",
        Some(_) => "batch-item batch-digit wrong",
        None => "batch-item batch-digit",
    };
    view! {
        // A `<div>`, not a `<figure>`: a list item, and ARIA forbids a figure that role
        // (axe-core: aria-allowed-role, 32 cells on the page).
        <div
            class=mark_class
            role="listitem"
            data-testid=test_id
            data-correct=move || item.get().map(|s| s.right().to_string())
            title=move || item.get().map(|s| describe(s, lang.get()))
            aria-label=move || item.get().map(|s| describe(s, lang.get()))
            // Blank cells say nothing to a screen reader.
            aria-hidden=move || item.get().is_none().then_some("true")
        >
            <canvas
                node_ref=canvas
                width="28"
                height="28"
            ></canvas>
            <span class="batch-caption" aria-hidden="true">
                {move || match item.get() {
                    Some(s) => {
                        view! {
                            <span class="batch-mark" style:color=mark_color(s)>{mark(s)}</span>
                            {format!(" {}→{}", s.label, s.prediction)}
                        }
                            .into_any()
                    }
                    // Keeps the line's height while the cell is blank.
                    None => "\u{a0}".into_any(),
                }}
            </span>
        </div>
    }
}

/// One sample of the random set: `#index label→prediction ✓`.
#[component]
fn ListItem(
    i: usize,
    batch: Signal<Option<BatchDetail>>,
    lang: Signal<Lang>,
    test_id: &'static str,
) -> impl IntoView {
    let item = Memo::new(move |_| batch.with(|b| sample(b, i)));
    view! {
        <li
            class="batch-item"
            data-testid=test_id
            data-correct=move || item.get().map(|s| s.right().to_string())
            title=move || item.get().map(|s| describe(s, lang.get()))
            aria-hidden=move || item.get().is_none().then_some("true")
        >
            {move || {
                item.get()
                    .map(|s| {
                        view! {
                            <span class="batch-index">{format!("#{} ", s.index)}</span>
                            {format!("{}→{} ", s.label, s.prediction)}
                            <span class="batch-mark" style:color=mark_color(s)>{mark(s)}</span>
                        }
                    })
            }}
        </li>
    }
}

/// Draws one digit (784 grey levels, 0 = background) as dark ink on white paper.
pub fn draw_digit(canvas: &HtmlCanvasElement, pixels: &[u8]) -> Result<(), String> {
    if pixels.len() < DIGIT {
        return Err("a digit needs 784 pixels".to_owned());
    }
    let mut rgba = vec![0u8; DIGIT * 4];
    for (px, &v) in rgba.chunks_exact_mut(4).zip(pixels) {
        let ink = 255 - v;
        px.copy_from_slice(&[ink, ink, ink, 255]);
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), 28, 28)
        .map_err(|e| format!("{e:?}"))?;
    context(canvas)?
        .put_image_data(&image, 0.0, 0.0)
        .map_err(|e| format!("{e:?}"))
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context".to_owned())
}

/// Maps data coordinates into the square canvas (same scale on both axes, y up). The
/// square shown is the [`Plane`] the worker's boundary grid covers.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    cx: f64,
    cy: f64,
    /// Canvas pixels per data unit.
    k: f64,
}

impl Frame {
    fn of(xy: &[f32]) -> Option<Frame> {
        let plane = Plane::around(xy)?;
        Some(Frame {
            cx: plane.cx,
            cy: plane.cy,
            k: SCATTER_SIZE as f64 / plane.span,
        })
    }

    fn at(&self, x: f32, y: f32) -> (f64, f64) {
        let half = SCATTER_SIZE as f64 / 2.0;
        (
            half + (x as f64 - self.cx) * self.k,
            half - (y as f64 - self.cy) * self.k,
        )
    }
}

/// A class' marker: circle, square, triangle, diamond, then again.
fn marker_path(ctx: &CanvasRenderingContext2d, class: u8, x: f64, y: f64, r: f64) {
    ctx.begin_path();
    match class % 4 {
        0 => {
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        1 => ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8),
        2 => {
            ctx.move_to(x, y - r * 1.15);
            ctx.line_to(x + r * 1.05, y + r * 0.8);
            ctx.line_to(x - r * 1.05, y + r * 0.8);
            ctx.close_path();
        }
        _ => {
            ctx.move_to(x, y - r * 1.2);
            ctx.line_to(x + r * 1.2, y);
            ctx.line_to(x, y + r * 1.2);
            ctx.line_to(x - r * 1.2, y);
            ctx.close_path();
        }
    }
}

fn class_color(class: u8) -> String {
    let [r, g, b] = CLASS_COLORS[class as usize % CLASS_COLORS.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Draws every training point, light, into `layer` (cleared first), then the validation
/// points as hollow rings in their class colour.
fn draw_points_layer(
    layer: &HtmlCanvasElement,
    (xy, labels): (&[f32], &[u8]),
    validation: Option<(&[f32], &[u8])>,
    frame: Frame,
) {
    let Ok(ctx) = context(layer) else { return };
    let size = SCATTER_SIZE as f64;
    ctx.clear_rect(0.0, 0.0, size, size);
    ctx.set_global_alpha(0.45);
    // One path per class: far fewer fills than one per point.
    let classes = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    for class in 0..classes {
        ctx.begin_path();
        for (p, &label) in xy.chunks_exact(2).zip(labels) {
            if label as usize != class {
                continue;
            }
            let (x, y) = frame.at(p[0], p[1]);
            if x.is_finite() && y.is_finite() {
                ctx.move_to(x + 5.0, y);
                let _ = ctx.arc(x, y, 5.0, 0.0, std::f64::consts::TAU);
            }
        }
        ctx.set_fill_style_str(&class_color(class as u8));
        ctx.fill();
    }
    ctx.set_global_alpha(0.9);
    ctx.set_line_width(2.0);
    if let Some((vxy, vlabels)) = validation {
        for class in 0..classes {
            ctx.begin_path();
            for (p, &label) in vxy.chunks_exact(2).zip(vlabels) {
                if label as usize != class {
                    continue;
                }
                let (x, y) = frame.at(p[0], p[1]);
                if x.is_finite() && y.is_finite() {
                    ctx.move_to(x + 6.0, y);
                    let _ = ctx.arc(x, y, 6.0, 0.0, std::f64::consts::TAU);
                }
            }
            ctx.set_stroke_style_str(&class_color(class as u8));
            ctx.stroke();
        }
    }
    ctx.set_global_alpha(1.0);
}

/// The decision boundary behind the points: one canvas pixel per grid cell, scaled up by
/// CSS (smoothly, which blends the cell edges). `data-updates` = the update the grid was
/// computed at, `data-classes` = the classes it shows (both absent before a grid).
#[component]
fn Boundary(boundary: Signal<Option<Grid>>) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        boundary.with(|g| {
            let Ok(ctx) = context(&c) else { return };
            let Some(g) = g else {
                ctx.clear_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
                return;
            };
            let side = g.side as u32;
            if c.width() != side {
                c.set_width(side);
                c.set_height(side);
            }
            let b = ChartTheme::of(&c).backdrop;
            let rgba = paint(g, &CLASS_COLORS, [b.0, b.1, b.2]);
            if let Ok(image) =
                ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), side, side)
            {
                let _ = ctx.put_image_data(&image, 0.0, 0.0);
            }
        });
    });
    view! {
        <canvas
            class="batch-boundary"
            data-testid="decision-boundary"
            aria-hidden="true"
            node_ref=canvas
            width="64"
            height="64"
            data-updates=move || boundary.with(|g| g.as_ref().map(|g| g.update.to_string()))
            data-classes=move || {
                boundary.with(|g| g.as_ref().map(|g| g.distinct_classes().to_string()))
            }
        ></canvas>
    }
}

/// The 2-D data with the batch's points large and outlined.
#[component]
fn Scatter(
    batch: Signal<Option<BatchDetail>>,
    info: Signal<Option<RunInfo>>,
    boundary: Signal<Option<Grid>>,
    lang: Signal<Lang>,
) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    // The light layer of all points, redrawn only when the data changes.
    let layer = StoredValue::new_local(None::<(HtmlCanvasElement, Frame)>);
    let layer_version = RwSignal::new(0u64);

    Effect::new(move |_| {
        let built = info.with(|i| {
            let (xy, labels) = i.as_ref()?.points.as_ref()?;
            let frame = Frame::of(xy)?;
            let el = document().create_element("canvas").ok()?;
            let el: HtmlCanvasElement = el.dyn_into().ok()?;
            el.set_width(SCATTER_SIZE);
            el.set_height(SCATTER_SIZE);
            let validation = i
                .as_ref()?
                .validation_points
                .as_ref()
                .map(|(x, y)| (x.as_slice(), y.as_slice()));
            draw_points_layer(&el, (xy, labels), validation, frame);
            Some((el, frame))
        });
        layer.set_value(built);
        layer_version.update(|v| *v += 1);
    });

    Effect::new(move |_| {
        layer_version.track();
        let Some(c) = canvas.get() else { return };
        let Ok(ctx) = context(&c) else { return };
        let size = SCATTER_SIZE as f64;
        ctx.clear_rect(0.0, 0.0, size, size);
        let Some(frame) = layer.with_value(|l| {
            l.as_ref().map(|(el, frame)| {
                let _ = ctx.draw_image_with_html_canvas_element(el, 0.0, 0.0);
                *frame
            })
        }) else {
            return;
        };
        let outline = ChartTheme::of(&c).text;
        let outline = format!("rgb({},{},{})", outline.0, outline.1, outline.2);
        info.with_untracked(|i| {
            let Some((xy, _)) = i.as_ref().and_then(|i| i.points.as_ref()) else {
                return;
            };
            batch.with(|b| {
                let Some(b) = b else { return };
                ctx.set_line_width(3.0);
                ctx.set_stroke_style_str(&outline);
                for i in 0..shown_count(b) {
                    let at = b.indices[i] as usize * 2;
                    let Some(p) = xy.get(at..at + 2) else {
                        continue;
                    };
                    let (x, y) = frame.at(p[0], p[1]);
                    if !(x.is_finite() && y.is_finite()) {
                        continue;
                    }
                    let label = b.labels[i];
                    marker_path(&ctx, label, x, y, 11.0);
                    ctx.set_fill_style_str(&class_color(label));
                    ctx.fill();
                    ctx.stroke();
                    if b.predictions[i] != label {
                        // Wrong: a cross over the marker (not colour alone).
                        ctx.begin_path();
                        for (dx, dy) in [(1.0, 1.0), (1.0, -1.0)] {
                            ctx.move_to(x - 8.0 * dx, y - 8.0 * dy);
                            ctx.line_to(x + 8.0 * dx, y + 8.0 * dy);
                        }
                        ctx.stroke();
                    }
                }
            });
        });
    });

    view! {
        <div class="batch-plane">
            <Boundary boundary=boundary />
            <canvas
                class="batch-points"
                data-testid="batch-points"
                node_ref=canvas
                width=SCATTER_SIZE.to_string()
                height=SCATTER_SIZE.to_string()
            ></canvas>
        </div>
        <p class="batch-legend">{move || lang.get().strings().boundary_legend}</p>
    }
}
