//! Browser tests of the charts and the batch view (`cargo test --target wasm32-unknown-unknown
//! --test wasm_charts`, headless Chromium through wasm-bindgen-test-runner): the draw
//! functions put pixels where the plot is, cope with empty and diverged histories, thin
//! 100,000 updates into one curve across the whole plot, and the components render and redraw
//! on animation frames. The tests wait for the page by polling what it shows (`data-drawn`,
//! attributes, cells), never for a fixed time. How long drawing takes is the benchmark's
//! business (`bench/app`), not these tests'.
#![cfg(target_arch = "wasm32")]

use batch_lab::experiment::Experiment;
use batch_lab::history::{History, RunHistory};
use batch_lab::i18n::Lang;
use batch_lab::plot::ChartView;
use batch_lab::plot::looks::Looks;
use batch_lab::plot::view::XAxis;
use batch_lab::trainer::session::{EpochSummary, Metrics, Status};
use batch_lab::ui::batch_view::BatchView;
use batch_lab::ui::charts::{
    ChartKind, ChartTheme, Charts, LrChart, draw_chart, draw_chart_with, parse_color,
};
use batch_lab::worker::protocol::{BatchDetail, RunInfo, StepSummary};
use leptos::prelude::*;
use plotters::style::RGBColor;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- synthetic runs

fn info(train_size: usize, batch_size: usize, epochs: usize) -> RunInfo {
    let upe = train_size.div_ceil(batch_size);
    RunInfo {
        train_size,
        validation_size: train_size / 4,
        batch_size,
        updates_per_epoch: upe,
        total_updates: upe * epochs,
        epochs,
        features: 784,
        classes: 10,
        parameter_count: 101_770,
        flops_per_sample: 410_000,
        points: None,
        validation_points: None,
    }
}

/// Update `u` of a run that learns: the loss falls from ln 10 with noise, the accuracy rises.
/// The experiment `info` describes (what names a run in the run list).
fn experiment(info: &RunInfo) -> Experiment {
    let mut e = Experiment {
        train_size: info.train_size,
        ..Experiment::default()
    };
    e.config.batch_size = info.batch_size;
    e.config.epochs = info.epochs;
    e
}

fn step(u: usize, info: &RunInfo, loss: impl Fn(usize) -> f64) -> StepSummary {
    let upe = info.updates_per_epoch;
    let end = u.is_multiple_of(upe);
    let l = loss(u);
    let acc = (1.0 - l / 2.5).clamp(0.0, 1.0);
    let epoch_metrics = Metrics {
        loss: l,
        accuracy: acc,
    };
    let val = Metrics {
        loss: l * 1.1 + 0.05,
        accuracy: (acc - 0.03).max(0.0),
    };
    StepSummary {
        update: u,
        epoch: (u - 1) / upe + 1,
        step_in_epoch: (u - 1) % upe + 1,
        batch_size: info.batch_size,
        learning_rate: 0.001,
        loss: l,
        accuracy: acc,
        gradient_norm: 1.0,
        samples_seen: u * info.batch_size,
        elapsed_ms: u as f64 * 2.0,
        validation: end.then_some(val),
        epoch_end: end.then_some(EpochSummary {
            epoch: u / upe,
            train: epoch_metrics,
            validation: Some(val),
        }),
        noise_scale: None,
    }
}

fn learning_loss(u: usize) -> f64 {
    let noise = ((u as f64 * 12.9898).sin() * 43758.5453).fract().abs() * 0.4;
    2.3 * (-(u as f64) / 150.0).exp() + 0.1 + noise
}

fn run(updates: usize, info: RunInfo) -> RunHistory {
    let mut r = RunHistory::new(1, experiment(&info), info.clone());
    for u in 1..=updates {
        r.record(&step(u, &info, learning_loss));
    }
    r
}

// ---------------------------------------------------------------- canvas helpers

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A canvas in the page, `w` × `h` CSS pixels with the same backing size.
fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let c: HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    c.set_width(w);
    c.set_height(h);
    c.set_attribute("style", &format!("display:block;width:{w}px;height:{h}px"))
        .unwrap();
    document().body().unwrap().append_child(&c).unwrap();
    c
}

fn rgba(c: &HtmlCanvasElement, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(x as f64, y as f64, w as f64, h as f64)
        .unwrap()
        .data()
        .0
}

/// Pixels in the rectangle for which `f(r, g, b, a)` holds.
fn count(
    c: &HtmlCanvasElement,
    rect: (u32, u32, u32, u32),
    f: impl Fn(u8, u8, u8, u8) -> bool,
) -> usize {
    rgba(c, rect.0, rect.1, rect.2, rect.3)
        .chunks_exact(4)
        .filter(|p| f(p[0], p[1], p[2], p[3]))
        .count()
}

fn bluish(r: u8, _g: u8, b: u8, a: u8) -> bool {
    a > 40 && b as i32 > r as i32 + 60
}

/// The validation colour: the light theme's amber #B07800 (issue 20: the Okabe–Ito orange
/// #E69F00 was 2.3:1 on white) or the dark theme's #E69F00.
fn orange(r: u8, g: u8, b: u8, a: u8) -> bool {
    a > 100 && r > 150 && g > 90 && r > g && (b as i32) < 90
}

fn inked(_r: u8, _g: u8, _b: u8, a: u8) -> bool {
    a > 0
}

/// The left half of the plot area of a `w` × `h` chart at scale 1 (inside the fixed label
/// areas, below the heading, whose legend takes a second row on narrow charts since the
/// labels grew to 12 px).
fn plot_area(w: u32, h: u32) -> (u32, u32, u32, u32) {
    (50, 50, (w - 50 - 20) / 2, h - 50 - 40)
}

/// How many elements below `root` match `selector`.
fn count_all(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Polls `done` (every 5 ms, for up to 5 s) until it holds; panics naming `what` otherwise.
async fn until(what: &str, done: impl Fn() -> bool) {
    let window = web_sys::window().unwrap();
    let performance = window.performance().unwrap();
    let start = performance.now();
    while !done() {
        assert!(performance.now() - start < 5000.0, "waited 5 s for {what}");
        sleep(5).await;
    }
}

// ---------------------------------------------------------------- draw functions

#[wasm_bindgen_test]
fn both_charts_draw_training_and_validation_in_the_plot_area() {
    let r = run(300, info(1000, 10, 5));
    assert_eq!(r.epochs.len(), 3);
    for kind in ChartKind::ALL {
        let c = canvas(600, 260);
        draw_chart(&c, Some(&r), kind, XAxis::Epoch, Lang::En).unwrap();
        let area = plot_area(600, 260);
        let blue = count(&c, area, bluish);
        let val = count(&c, area, orange);
        assert!(blue > 300, "{kind:?}: training pixels in the plot: {blue}");
        assert!(val > 20, "{kind:?}: validation pixels in the plot: {val}");
        // The right part of the x range (epochs 3..5 not trained yet) stays free of series.
        let future = count(&c, (470, 95, 100, 60), |r, g, b, a| {
            bluish(r, g, b, a) || orange(r, g, b, a)
        });
        assert!(
            future < 40,
            "{kind:?}: nothing drawn past the last update: {future}"
        );
        c.remove();
    }
}

#[wasm_bindgen_test]
fn every_axis_and_both_languages_draw() {
    let r = run(250, info(1000, 32, 4));
    let c = canvas(420, 240);
    for axis in [XAxis::Epoch, XAxis::Update, XAxis::Samples, XAxis::Seconds] {
        for lang in Lang::ALL {
            for kind in ChartKind::ALL {
                draw_chart(&c, Some(&r), kind, axis, lang).unwrap();
                assert!(
                    count(&c, plot_area(420, 240), bluish) > 100,
                    "{axis:?} {lang:?} {kind:?}"
                );
            }
        }
    }
    c.remove();
}

#[wasm_bindgen_test]
fn hidpi_scale_draws_into_the_larger_backing_store() {
    let r = run(300, info(1000, 10, 5));
    let c = canvas(600, 260);
    c.set_width(1200);
    c.set_height(520);
    draw_chart_with(
        &c,
        Some(&r),
        ChartKind::Loss,
        XAxis::Update,
        Lang::Ko,
        2.0,
        &ChartTheme::of(&c),
    )
    .unwrap();
    // Inferred scale (backing / CSS width) gives the same picture.
    let explicit = rgba(&c, 0, 0, 1200, 520);
    draw_chart(&c, Some(&r), ChartKind::Loss, XAxis::Update, Lang::Ko).unwrap();
    let inferred = rgba(&c, 0, 0, 1200, 520);
    let differing = explicit
        .iter()
        .zip(&inferred)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, 0, "the same picture");
    assert!(count(&c, (100, 60, 500, 340), bluish) > 1000);
    c.remove();
}

#[wasm_bindgen_test]
fn empty_histories_draw_axes_without_error() {
    let c = canvas(500, 260);
    for kind in ChartKind::ALL {
        draw_chart(&c, None, kind, XAxis::Epoch, Lang::Ko).unwrap();
        assert!(count(&c, (0, 0, 500, 260), inked) > 200, "axes and title");
        assert_eq!(count(&c, plot_area(500, 260), bluish), 0, "no data");
        let fresh = RunHistory::new(7, Experiment::default(), info(1000, 10, 3));
        for axis in [XAxis::Epoch, XAxis::Update, XAxis::Samples, XAxis::Seconds] {
            draw_chart(&c, Some(&fresh), kind, axis, Lang::En).unwrap();
        }
    }
    // Degenerate sizes and infos do not panic either.
    let tiny = canvas(20, 10);
    draw_chart(&tiny, None, ChartKind::Loss, XAxis::Epoch, Lang::En).unwrap();
    tiny.remove();
    let mut odd = info(0, 1, 0);
    odd.updates_per_epoch = 0;
    odd.classes = 0;
    let odd = RunHistory::new(3, Experiment::default(), odd);
    draw_chart(&c, Some(&odd), ChartKind::Loss, XAxis::Update, Lang::En).unwrap();
    c.remove();
}

#[wasm_bindgen_test]
fn a_diverged_run_skips_non_finite_values() {
    let i = info(1000, 10, 5);
    let mut r = RunHistory::new(1, experiment(&i), i.clone());
    for u in 1..=260 {
        let s = step(u, &i, |u| match u {
            0..=150 => learning_loss(u),
            151..=200 => 1e6 * u as f64,
            201..=230 => f64::INFINITY,
            _ => f64::NAN,
        });
        r.record(&s);
    }
    for kind in ChartKind::ALL {
        let c = canvas(600, 260);
        draw_chart(&c, Some(&r), kind, XAxis::Epoch, Lang::En).unwrap();
        assert!(count(&c, plot_area(600, 260), bluish) > 100);
        if kind == ChartKind::Loss {
            // Updates 201–260 have no finite loss: nothing of the run is drawn over them.
            // The plot spans x = 44..584 for 5 planned epochs (108 px an epoch): the stretch
            // is x ≈ 261..325; the columns well inside it, below the heading.
            let stretch = (270, 50, 48, 170);
            let ink = count(&c, stretch, bluish);
            assert_eq!(ink, 0, "series pixels where the loss was not finite");
            // …while the same columns one epoch earlier (finite losses) are drawn.
            assert!(count(&c, (162, 50, 48, 170), bluish) > 0);
        }
        c.remove();
    }
}

#[wasm_bindgen_test]
fn a_hundred_thousand_updates_draw_one_curve_across_the_plot() {
    let i = info(60_000, 60, 100); // 1,000 updates per epoch, 100 epochs
    let whole = run(100_000, i.clone());
    let half = run(50_000, i);
    assert_eq!(whole.updates(), 100_000);
    // The plot of an 800 px canvas spans x = 44..784 (the label area and the right margin);
    // the run's x range is its 100 planned epochs. Bands of the plot's first and last tenth,
    // below the title.
    let first_tenth = (50, 40, 60, 170);
    let last_tenth = (718, 40, 60, 170);
    let c = canvas(800, 260);
    for kind in ChartKind::ALL {
        for axis in [XAxis::Epoch, XAxis::Samples] {
            // Every update, thinned to the plot's columns, in one call: the curve runs from
            // the first update to the last.
            draw_chart(&c, Some(&whole), kind, axis, Lang::En).unwrap();
            let start = count(&c, first_tenth, bluish);
            let end = count(&c, last_tenth, bluish);
            assert!(
                start > 100,
                "{kind:?} on {axis:?}: the first updates drawn: {start}"
            );
            assert!(
                end > 100,
                "{kind:?} on {axis:?}: the last updates drawn: {end}"
            );
            // Half as many updates end half-way: nothing is drawn where they never got.
            draw_chart(&c, Some(&half), kind, axis, Lang::En).unwrap();
            let start = count(&c, first_tenth, bluish);
            let end = count(&c, last_tenth, bluish);
            assert!(
                start > 100,
                "{kind:?} on {axis:?}: half a run starts: {start}"
            );
            assert!(
                end < 40,
                "{kind:?} on {axis:?}: half a run ends half-way: {end}"
            );
        }
    }
    c.remove();
}

#[wasm_bindgen_test]
fn theme_colours_parse() {
    assert_eq!(parse_color("rgb(0, 114, 178)"), Some(RGBColor(0, 114, 178)));
    assert_eq!(
        parse_color("rgba(10 20 30 / 0.5)"),
        Some(RGBColor(10, 20, 30))
    );
    assert_eq!(parse_color("#E69F00"), Some(RGBColor(0xE6, 0x9F, 0x00)));
    assert_eq!(parse_color("#fff"), Some(RGBColor(255, 255, 255)));
    assert_eq!(parse_color("canvastext"), None);
}

// ---------------------------------------------------------------- components

fn host(width: &str) -> HtmlElement {
    let el: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    el.set_attribute("style", &format!("width:{width}"))
        .unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// The left half of a canvas' plot, whatever its pixel ratio.
fn left_half(c: &HtmlCanvasElement) -> (u32, u32, u32, u32) {
    let s = c.width() as f64 / c.get_bounding_client_rect().width();
    let px = |v: f64| (v * s) as u32;
    (
        px(50.0),
        px(30.0),
        c.width() / 2 - px(50.0),
        c.height() - px(70.0),
    )
}

fn find(root: &HtmlElement, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// A history with run 1 begun on `i` and nothing recorded yet.
fn run_begun(i: &RunInfo) -> StoredValue<History> {
    let mut h = History::default();
    h.begin(1, experiment(i), i.clone());
    StoredValue::new(h)
}

#[wasm_bindgen_test]
async fn charts_redraw_on_animation_frames_after_changes() {
    let root = host("900px");
    let i = info(1000, 10, 5);
    let history = run_begun(&i);
    let (version, set_version) = signal(0u64);
    let (lang, set_lang) = signal(Lang::En);
    let (view, set_view) = signal(ChartView {
        smoothing: 0.0,
        ..ChartView::default()
    });
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Charts
                history=history
                version=version
                current=Signal::stored(Some(1))
                lang=lang
                view=view
                training=Signal::stored(0)
            />
        }
    });
    let charts_root = root.clone();
    let drawn = move || {
        charts_root
            .query_selector("[data-testid=charts]")
            .unwrap()
            .and_then(|c| c.get_attribute("data-drawn"))
    };
    let forget_drawn = {
        let root = root.clone();
        move || {
            find(&root, "[data-testid=charts]")
                .remove_attribute("data-drawn")
                .unwrap()
        }
    };
    let loss: HtmlCanvasElement = find(&root, "[data-testid=loss-chart]").dyn_into().unwrap();
    let accuracy: HtmlCanvasElement = find(&root, "[data-testid=accuracy-chart]")
        .dyn_into()
        .unwrap();
    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    // A frame drew the laid-out canvases (their backing store follows their CSS size).
    let sized = |c: &HtmlCanvasElement| {
        let css = c.get_bounding_client_rect().width();
        css > 0.0 && c.width() == (css * ratio).round() as u32
    };
    until("the first frame at the laid-out size", || {
        drawn().is_some() && sized(&loss) && sized(&accuracy)
    })
    .await;
    assert_eq!(drawn().as_deref(), Some("0"), "no update drawn yet");
    for c in [&loss, &accuracy] {
        let css = c.get_bounding_client_rect();
        assert!(css.width() > 200.0 && css.height() >= 200.0, "laid out");
        assert_eq!(
            c.width(),
            (css.width() * ratio).round() as u32,
            "HiDPI backing width"
        );
        assert!(
            count(c, (0, 0, c.width(), c.height()), inked) > 200,
            "empty axes"
        );
        // The untrained current run may have its key in the legend above the plot: no
        // curve below it, and no run counted as drawn.
        assert_eq!(c.get_attribute("data-runs").as_deref(), Some("0"));
        let (x, y, w, h) = left_half(c);
        let lower = (x, y + h / 3, w, h - h / 3);
        assert_eq!(
            count(c, lower, bluish),
            0,
            "no data yet (left half, top band: {})",
            count(c, (x, y, w, h / 3), bluish)
        );
    }

    // Many updates and version bumps between two frames: drawn once, on the next frame.
    for u in 1..=300 {
        history.update_value(|h| h.get_mut(1).unwrap().record(&step(u, &i, learning_loss)));
        set_version.update(|v| *v += 1);
    }
    until("a frame that draws the 300 updates", || {
        drawn().as_deref() == Some("300")
    })
    .await;
    for c in [&loss, &accuracy] {
        assert!(count(c, left_half(c), bluish) > 1000, "training drawn");
    }
    forget_drawn();
    set_view.update(|v| v.axis = XAxis::Samples);
    set_lang.set(Lang::Ko);
    until("a frame after the axis and language changed", || {
        drawn().is_some()
    })
    .await;
    assert!(count(&loss, left_half(&loss), bluish) > 1000);

    // Resizing the container redraws at the new size.
    forget_drawn();
    root.set_attribute("style", "width:500px").unwrap();
    until("a frame at the new size", || {
        drawn().is_some()
            && loss.width() == (loss.get_bounding_client_rect().width() * ratio).round() as u32
    })
    .await;
    let css = loss.get_bounding_client_rect();
    assert_eq!(loss.width(), (css.width() * ratio).round() as u32);
    assert!(count(&loss, left_half(&loss), bluish) > 500);
    drop(mounted);
    root.remove();
}

/// While training workers occupy every core, a frame draws one chart, the two in turn, and
/// `data-drawn` counts only the updates both show (`crate::plot::pacing::charts_per_frame`).
#[wasm_bindgen_test]
async fn charts_take_turns_while_the_cores_are_busy() {
    let i = info(1000, 10, 5);
    let history = run_begun(&i);
    let looks = StoredValue::new(Looks::default());
    let current = Signal::stored(Some(1));
    let (root, mounted, set_version, _) =
        mount_charts("900px", history, looks, current, usize::MAX).await;
    let charts = find(&root, "[data-testid=charts]");
    let runs = |id: &str| {
        find(&root, &format!("[data-testid={id}]"))
            .get_attribute("data-runs")
            .unwrap_or_default()
    };
    let state = || {
        let drawn = charts.get_attribute("data-drawn").unwrap_or_default();
        (runs("loss-chart"), runs("accuracy-chart"), drawn)
    };
    assert_eq!(
        state(),
        ("0".into(), "0".into(), "0".into()),
        "both drawn once"
    );
    for u in 1..=300 {
        history.update_value(|h| h.get_mut(1).unwrap().record(&step(u, &i, learning_loss)));
    }
    set_version.set(1);
    // Every frame until both show the run: the states seen on the way.
    let mut seen = vec![state()];
    for _ in 0..600 {
        animation_frames(1).await;
        let now = state();
        if seen.last() != Some(&now) {
            seen.push(now.clone());
        }
        if now == ("1".into(), "1".into(), "300".into()) {
            break;
        }
    }
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        seen,
        [s("0", "0", "0"), s("1", "0", "0"), s("1", "1", "300")],
        "the loss chart first, then the accuracy chart; 300 updates once both show them"
    );
    drop(mounted);
    root.remove();
}

/// Resolves after `n` animation frames: by then a redraw scheduled before has had its frame.
async fn animation_frames(n: usize) {
    for _ in 0..n {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(frame).await.unwrap();
    }
}

/// Charts with no size yet (the page not laid out, or hidden) draw nothing and read nothing
/// (on a fresh page that frame restyled everything: `docs/perf-notes.md`, "Page load"); once
/// shown they draw at their laid-out size without being told, from their ResizeObservers.
#[wasm_bindgen_test]
async fn charts_wait_for_a_size_and_draw_once_shown() {
    let root = host("900px");
    root.style().set_property("display", "none").unwrap();
    let i = info(1000, 10, 5);
    let history = run_begun(&i);
    let (version, _set_version) = signal(0u64);
    let planned = experiment(&i);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Charts
                history=history
                version=version
                current=Signal::stored(Some(1))
                lang=Signal::stored(Lang::En)
                view=Signal::stored(ChartView::default())
                training=Signal::stored(0)
            />
            <LrChart
                history=history
                version=version
                current=Signal::stored(Some(1))
                experiment=Signal::stored(planned.clone())
                lang=Signal::stored(Lang::En)
                view=Signal::stored(ChartView::default())
            />
        }
    });
    animation_frames(3).await;
    let charts = find(&root, "[data-testid=charts]");
    let strip: HtmlCanvasElement = find(&root, "[data-testid=lr-chart]").dyn_into().unwrap();
    assert_eq!(
        charts.get_attribute("data-drawn"),
        None,
        "charts drawn with no size"
    );
    assert_eq!(
        strip.get_attribute("data-planned-last"),
        None,
        "learning-rate strip drawn with no size"
    );
    root.style().remove_property("display").unwrap();
    let loss: HtmlCanvasElement = find(&root, "[data-testid=loss-chart]").dyn_into().unwrap();
    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    let sized = |c: &HtmlCanvasElement| {
        let css = c.get_bounding_client_rect().width();
        css > 0.0 && c.width() == (css * ratio).round() as u32
    };
    until(
        "the charts and the strip drawn at their size once shown",
        || {
            charts.get_attribute("data-drawn").is_some()
                && strip.get_attribute("data-planned-last").is_some()
                && sized(&loss)
                && sized(&strip)
        },
    )
    .await;
    drop(mounted);
    root.remove();
}

/// Mounts the charts of `history` (current run `current`) in a new host `width` wide and
/// waits for the first frame drawn at the laid-out size. Returns the host, the mounted view
/// (drop to unmount), `version` to bump, and the loss and accuracy canvases.
async fn mount_charts(
    width: &str,
    history: StoredValue<History>,
    looks: StoredValue<Looks>,
    current: Signal<Option<u32>>,
    training: usize,
) -> (
    HtmlElement,
    impl Drop,
    WriteSignal<u64>,
    [HtmlCanvasElement; 2],
) {
    let root = host(width);
    let (version, set_version) = signal(0u64);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Charts
                history=history
                looks=looks
                version=version
                current=current
                lang=Signal::stored(Lang::En)
                view=Signal::stored(ChartView::default())
                training=Signal::stored(training)
            />
        }
    });
    let canvases = ["loss", "accuracy"].map(|k| {
        find(&root, &format!("[data-testid={k}-chart]"))
            .dyn_into::<HtmlCanvasElement>()
            .unwrap()
    });
    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    let state = || {
        canvases
            .iter()
            .map(|c| {
                let css = c.get_bounding_client_rect().width();
                let sized = css > 0.0 && c.width() == (css * ratio).round() as u32;
                (sized, c.get_attribute("data-layer"))
            })
            .collect::<Vec<_>>()
    };
    let start = web_sys::window().unwrap().performance().unwrap().now();
    while !state()
        .iter()
        .all(|(sized, layer)| *sized && layer.is_some())
    {
        let waited = web_sys::window().unwrap().performance().unwrap().now() - start;
        assert!(
            waited < 5000.0,
            "no frame at the laid-out size in 5 s: {:?}",
            state()
        );
        sleep(5).await;
    }
    (root, mounted, set_version, canvases)
}

/// Waits for the next frame of `charts` (both canvases' `data-layer` set again) after
/// `change`, and returns what it did with the back layer on the loss chart.
async fn next_frame(charts: &[HtmlCanvasElement; 2], change: impl FnOnce()) -> String {
    for c in charts {
        c.remove_attribute("data-layer").unwrap();
    }
    change();
    until("a frame after the change", || {
        charts
            .iter()
            .all(|c| c.get_attribute("data-layer").is_some())
    })
    .await;
    charts[0].get_attribute("data-layer").unwrap()
}

/// Waits until neither chart has an ended run waiting for its layer (`data-layer-pending`
/// 0, written by the frame the last layer's rasterising woke), and returns what that frame
/// did with each chart's back layer. Each chart rasterises its own layers, so the chart
/// whose layer was ready first may have been appended to a frame before.
async fn layers_settled(charts: &[HtmlCanvasElement; 2]) -> Vec<String> {
    until("every run layer rasterised", || {
        charts
            .iter()
            .all(|c| c.get_attribute("data-layer-pending").as_deref() == Some("0"))
    })
    .await;
    charts
        .iter()
        .map(|c| c.get_attribute("data-layer").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn layered_frames_show_what_a_whole_frame_shows() {
    // Four runs that ended and a fifth in progress, each a little different.
    let i = info(1000, 10, 5);
    let mut h = History::default();
    for id in 1..=5u32 {
        h.begin(id, experiment(&i), i.clone());
        let r = h.get_mut(id).unwrap();
        let updates = if id == 5 { 200 } else { 500 };
        for u in 1..=updates {
            r.record(&step(u, &i, |u| learning_loss(u) * (0.8 + 0.1 * id as f64)));
        }
        r.status = (id < 5).then_some(Status::Finished);
    }
    let history = StoredValue::new(h);
    let looks = StoredValue::new(Looks::default());
    let current = RwSignal::new(Some(5u32));
    let (root, mounted, set_version, charts) =
        mount_charts("900px", history, looks, current.into(), 0).await;
    // What a fresh chart draws of the same history and the same runs' looks (slots are kept
    // for a run's life, so a fresh follow of the history alone could colour them otherwise),
    // in one pass: the same pixels.
    let same_as_whole = async |step: &str| {
        let (snapshot, same_looks) = (
            StoredValue::new(history.get_value()),
            StoredValue::new(looks.get_value()),
        );
        let (fresh_root, fresh, _, fresh_charts) = mount_charts(
            "900px",
            snapshot,
            same_looks,
            Signal::stored(current.get_untracked()),
            0,
        )
        .await;
        for (c, f) in charts.iter().zip(&fresh_charts) {
            assert_eq!(f.get_attribute("data-layer").as_deref(), Some("whole"));
            assert_eq!((c.width(), c.height()), (f.width(), f.height()));
            let (a, b) = (
                rgba(c, 0, 0, c.width(), c.height()),
                rgba(f, 0, 0, f.width(), f.height()),
            );
            // Each finished run is rasterised on its own layer and copied onto the back
            // (layers.rs, RunLayers), so a pixel is rounded to 8 bits once more than when
            // drawn straight; compared as premultiplied colour (what is shown over the page),
            // that is a few levels of 255 where translucent bands overlap (2.6 at most seen).
            // A run missing, misplaced or drawn in another order differs by far more.
            let premultiplied = |p: &[u8]| {
                let alpha = p[3] as f64 / 255.0;
                [
                    p[0] as f64 * alpha,
                    p[1] as f64 * alpha,
                    p[2] as f64 * alpha,
                    p[3] as f64,
                ]
            };
            let off: Vec<f64> = (a.chunks_exact(4).zip(b.chunks_exact(4)))
                .map(|(p, q)| {
                    let (p, q) = (premultiplied(p), premultiplied(q));
                    (0..4).map(|k| (p[k] - q[k]).abs()).fold(0.0, f64::max)
                })
                .filter(|d| *d > 4.0)
                .collect();
            assert!(
                off.is_empty(),
                "{step}: {} pixels differ from a whole drawing by more than 4 levels (most {:.1})",
                off.len(),
                off.iter().copied().fold(0.0, f64::max)
            );
        }
        drop(fresh);
        fresh_root.remove();
    };
    let record = |id: u32, from: usize, to: usize| {
        history.update_value(|h| {
            let r = h.get_mut(id).unwrap();
            for u in from..=to {
                r.record(&step(u, &i, learning_loss));
            }
        });
        set_version.update(|v| *v += 1);
    };

    // The run in progress goes on: the layer is drawn on the second frame (the first was
    // whole), its runs in front of it until their layers are rasterised in idle time, each
    // then appended; once they all are, the layer is kept.
    let mut seen = Vec::new();
    for k in 0..3 {
        let from = 201 + 10 * k;
        seen.push(next_frame(&charts, || record(5, from, from + 9)).await);
    }
    assert!(
        (seen.iter()).all(|l| ["drawn", "kept", "appended"].contains(&l.as_str())),
        "frames while run 5 trains: {seen:?}"
    );
    layers_settled(&charts).await;
    let layering = next_frame(&charts, || record(5, 231, 240)).await;
    assert_eq!(
        layering, "kept",
        "run 5 training once the runs' layers are ready"
    );
    same_as_whole("run 5 training over a kept layer").await;

    // Run 5 ends and run 6 is configured: run 5 stays in front while its layer waits for idle
    // time, then joins the layer, copied onto it alone.
    let layering = next_frame(&charts, || {
        history.update_value(|h| {
            h.get_mut(5).unwrap().status = Some(Status::Finished);
            h.begin(6, experiment(&i), i.clone());
        });
        current.set(Some(6));
    })
    .await;
    // Read in the same task as the frame was seen: that frame's pair. On a slow page the
    // frame the layer's rasterising woke may be the first seen.
    let pending = charts[0].get_attribute("data-layer-pending");
    match (layering.as_str(), pending.as_deref()) {
        ("kept", Some("1")) => same_as_whole("run 5 ended, drawn in front of the layer").await,
        ("appended", Some("0")) => {}
        other => panic!("run 5 ended: expected its layer waiting (kept, 1), got {other:?}"),
    }
    let settled = layers_settled(&charts).await;
    assert!(
        settled.contains(&"appended".into())
            && settled.iter().all(|l| l == "appended" || l == "kept"),
        "run 5's layers ready: the last of them appended in the frame it woke, got {settled:?}"
    );
    same_as_whole("run 5 appended to the layer").await;

    // The oldest run is removed: the layer is drawn again at once.
    let layering = next_frame(&charts, || {
        history.update_value(|h| h.remove(1));
        set_version.update(|v| *v += 1);
    })
    .await;
    assert_eq!(layering, "drawn", "run 1 removed");
    same_as_whole("run 1 removed").await;

    // Run 6 starts over the same layer (its epoch boundaries are run 5's).
    let layering = next_frame(&charts, || record(6, 1, 30)).await;
    assert_eq!(layering, "kept", "run 6's first updates");
    same_as_whole("run 6 started").await;

    drop(mounted);
    root.remove();
}

#[wasm_bindgen_test]
async fn overlaid_runs_are_keyed_and_drawn_alike() {
    // B = 8 (older) and B = 250 (current) over the same 2 epochs of 1,000 samples.
    let small = info(1000, 8, 2);
    let large = info(1000, 250, 2);
    let mut h = History::default();
    for (id, i) in [(1u32, &small), (2, &large)] {
        h.begin(id, experiment(i), i.clone());
        let r = h.get_mut(id).unwrap();
        for u in 1..=i.total_updates {
            r.record(&step(u, i, learning_loss));
        }
        r.status = Some(Status::Finished);
    }
    let history = StoredValue::new(h);
    let looks = StoredValue::new(Looks::default());
    let (root, mounted, _, charts) =
        mount_charts("900px", history, looks, Signal::stored(Some(2)), 0).await;
    // A key on each chart, one item per run, in the run list's names and the drawn colours.
    let keys = root.query_selector_all("[data-testid=chart-key]").unwrap();
    assert_eq!(keys.length(), 2, "a key on each chart");
    let mut colours = Vec::new();
    for k in 0..keys.length() {
        let key: web_sys::Element = keys.get(k).unwrap().dyn_into().unwrap();
        let items = key
            .query_selector_all("[data-testid=chart-key-item]")
            .unwrap();
        let read = |n: u32, attr: &str| {
            let item: web_sys::Element = items.get(n).unwrap().dyn_into().unwrap();
            (
                item.get_attribute(attr).unwrap_or_default(),
                item.text_content().unwrap_or_default(),
            )
        };
        assert_eq!(items.length(), 2);
        assert_eq!(read(0, "data-batch-size"), ("8".into(), "B = 8".into()));
        assert_eq!(read(1, "data-batch-size"), ("250".into(), "B = 250".into()));
        colours = (0..2)
            .map(|n| parse_color(&read(n, "data-colour").0).unwrap())
            .collect();
    }
    assert_ne!(colours[0], colours[1]);
    // Both runs' lines in solid ink: the older run is not faded toward the background (its
    // 250 updates span the plot; the current run's 8 updates make a shorter line).
    let loss = &charts[0];
    let solid = |c: RGBColor| {
        count(loss, left_half(loss), |r, g, b, a| {
            let near = |x: u8, y: u8| x.abs_diff(y) <= 24;
            a >= 230 && near(r, c.0) && near(g, c.1) && near(b, c.2)
        })
    };
    let (older, current) = (solid(colours[0]), solid(colours[1]));
    assert!(
        older > 300 && current > 100 && older * 2 > current,
        "solid pixels: B = 8 {older}, B = 250 {current}"
    );
    drop(mounted);
    root.remove();
}

fn digits_batch(shown: usize, batch_size: usize) -> BatchDetail {
    let mut pixels = vec![0u8; shown * 784];
    for (d, digit) in pixels.chunks_exact_mut(784).enumerate() {
        for p in &mut digit[14 * 28..15 * 28] {
            *p = 200 + (d % 50) as u8; // a horizontal stroke in row 14
        }
    }
    BatchDetail {
        update: 3,
        batch_size,
        indices: (0..shown as u32).map(|i| i * 7).collect(),
        labels: (0..shown).map(|i| (i % 10) as u8).collect(),
        predictions: (0..shown)
            .map(|i| if i == 1 { 9 } else { (i % 10) as u8 })
            .collect(),
        pixels: Some(pixels),
    }
}

/// Counts the cells of the batch view after each task (a zero timer) until `want` are there
/// (at most 30 tasks); returns the counts seen.
async fn cells_per_task(root: &web_sys::Element, want: u32) -> Vec<u32> {
    let items = || count_all(root, "[data-testid=batch-item]");
    let mut seen = vec![items()];
    for _ in 0..30 {
        sleep(0).await;
        seen.push(items());
        if items() == want {
            break;
        }
    }
    seen
}

fn grows_by_at_most_8(seen: &[u32]) -> bool {
    seen.windows(2).all(|w| w[1] >= w[0] && w[1] - w[0] <= 8)
}

#[wasm_bindgen_test]
async fn batch_view_shows_digits_with_marks_and_the_note() {
    let root = host("640px");
    let (batch, set_batch) = signal(None::<BatchDetail>);
    let (info_sig, set_info) = signal(None::<RunInfo>);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <BatchView batch=batch info=info_sig boundary=Signal::stored(None) lang=Signal::stored(Lang::En) /> }
    });
    until("the batch view", || {
        count_all(&root, "[data-testid=batch-view]") == 1
    })
    .await;
    let view = find(&root, "[data-testid=batch-view]");
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("empty"));

    // A run of MNIST is configured: before its first batch, blank cells for the 64 digits
    // the batches will show are laid out, a few per task (never all in one long task), with
    // the hint where the summary will be and the note on how many are shown.
    set_info.set(Some(info(8000, 512, 3)));
    let seen = cells_per_task(&root, 64).await;
    assert!(grows_by_at_most_8(&seen), "cells per task: {seen:?}");
    assert_eq!(*seen.last().unwrap(), 64, "{seen:?}");
    assert_eq!(view.get_attribute("data-count").as_deref(), Some("0"));
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("digits"));
    assert!(
        root.query_selector("[data-testid=batch-empty]")
            .unwrap()
            .is_some()
    );
    assert!(
        root.query_selector("[data-correct]").unwrap().is_none(),
        "blank cells have no mark"
    );
    assert_eq!(
        count_all(&root, ".batch-digit[aria-hidden=true]"),
        64,
        "blank cells are hidden from screen readers"
    );
    assert!(
        view.text_content()
            .unwrap()
            .contains("512 problems solved at once")
    );
    assert_eq!(
        find(&root, "[data-testid=batch-note]").text_content(),
        Some("Showing 64 of the batch's 512.".to_owned())
    );
    let first: HtmlCanvasElement = find(&root, ".batch-digit canvas").dyn_into().unwrap();
    let place = |r: web_sys::DomRect| (r.x(), r.y(), r.width(), r.height());
    let blank_cell = place(first.get_bounding_client_rect());
    let blank_height = view.get_bounding_client_rect().height();

    // The first batch fills those cells: no cell is added, nothing on the page moves.
    set_batch.set(Some(digits_batch(64, 512)));
    let first_pixel = || {
        let c: HtmlCanvasElement = find(&root, ".batch-digit canvas").dyn_into().unwrap();
        rgba(&c, 3, 14, 1, 1)
    };
    until("the first batch's digits", || {
        view.get_attribute("data-count").as_deref() == Some("512")
            && count_all(&root, "[data-correct]") == 64
            && first_pixel() == [55, 55, 55, 255]
    })
    .await;
    assert_eq!(place(first.get_bounding_client_rect()), blank_cell);
    assert_eq!(view.get_bounding_client_rect().height(), blank_height);
    assert!(
        root.query_selector(".batch-digit[aria-hidden]")
            .unwrap()
            .is_none()
    );
    assert_eq!(view.get_attribute("data-count").as_deref(), Some("512"));
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("digits"));
    assert!(
        root.query_selector("[data-testid=batch-empty]")
            .unwrap()
            .is_none()
    );
    let items = root.query_selector_all("[data-testid=batch-item]").unwrap();
    assert_eq!(items.length(), 64);
    let wrong = root
        .query_selector_all("[data-testid=batch-item][data-correct=false]")
        .unwrap();
    assert_eq!(wrong.length(), 1);
    let wrong = wrong.get(0).unwrap().text_content().unwrap();
    assert!(wrong.contains('✗') && wrong.contains("1→9"), "{wrong}");
    let note = find(&root, "[data-testid=batch-note]")
        .text_content()
        .unwrap();
    assert_eq!(note, "Showing 64 of the batch's 512.");
    assert!(view.text_content().unwrap().contains("Correct: 63 / 64"));
    // The digit's pixels: the stroke is dark ink on white paper.
    let first: HtmlCanvasElement = find(&root, ".batch-digit canvas").dyn_into().unwrap();
    assert_eq!(&rgba(&first, 3, 14, 1, 1)[..], &[55, 55, 55, 255]);
    assert_eq!(&rgba(&first, 3, 3, 1, 1)[..], &[255, 255, 255, 255]);

    // A smaller batch: fewer cells, no note.
    set_batch.set(Some(digits_batch(10, 10)));
    until("the smaller batch", || {
        view.get_attribute("data-count").as_deref() == Some("10")
            && count_all(&root, "[data-testid=batch-item]") == 10
    })
    .await;
    assert_eq!(view.get_attribute("data-count").as_deref(), Some("10"));
    assert_eq!(count_all(&root, "[data-testid=batch-item]"), 10);
    assert!(
        root.query_selector("[data-testid=batch-note]")
            .unwrap()
            .is_none()
    );

    // The next run is configured (the page clears batch and info until it is ready): the
    // cells stay where they are, blank, no stale digit left.
    set_batch.set(None);
    set_info.set(None);
    until("the blank cells of the next run", || {
        count_all(&root, "[data-correct]") == 0 && first_pixel() == [0, 0, 0, 0]
    })
    .await;
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("digits"));
    assert_eq!(count_all(&root, "[data-testid=batch-item]"), 10);
    assert!(root.query_selector("[data-correct]").unwrap().is_none());
    let first: HtmlCanvasElement = find(&root, ".batch-digit canvas").dyn_into().unwrap();
    assert_eq!(&rgba(&first, 3, 14, 1, 1)[..], &[0, 0, 0, 0]);
    // Ready with B = 32: cells for 32, a few per task.
    set_info.set(Some(info(8000, 32, 3)));
    let seen = cells_per_task(&root, 32).await;
    assert!(grows_by_at_most_8(&seen), "cells per task: {seen:?}");
    assert_eq!(*seen.last().unwrap(), 32, "{seen:?}");
    drop(mounted);
    root.remove();

    // A view that gets a batch before any run info still creates its cells a few at a time.
    let root = host("640px");
    let (batch, set_batch) = signal(None::<BatchDetail>);
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <BatchView batch=batch info=Signal::stored(None) boundary=Signal::stored(None) lang=Signal::stored(Lang::En) /> }
    });
    until("the batch view", || {
        count_all(&root, "[data-testid=batch-view]") == 1
    })
    .await;
    set_batch.set(Some(digits_batch(64, 512)));
    let seen = cells_per_task(&root, 64).await;
    assert!(grows_by_at_most_8(&seen), "cells per task: {seen:?}");
    assert_eq!(*seen.last().unwrap(), 64, "{seen:?}");
    drop(mounted);
    root.remove();
}

#[wasm_bindgen_test]
async fn batch_view_plots_2d_points_and_lists_the_random_set() {
    let root = host("640px");
    let mut with_points = info(200, 10, 3);
    with_points.features = 2;
    let xy: Vec<f32> = (0..200)
        .flat_map(|i| {
            let a = i as f32 * 0.1;
            [a.cos() * (1.0 + i as f32 / 100.0), a.sin()]
        })
        .collect();
    with_points.points = Some((xy, (0..200).map(|i| (i % 2) as u8).collect()));
    let (info_sig, set_info) = signal(Some(with_points));
    let batch = BatchDetail {
        update: 1,
        batch_size: 10,
        indices: (0..10).map(|i| i * 20).collect(),
        labels: vec![0; 10],
        predictions: vec![0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        pixels: None,
    };
    let (batch_sig, set_batch) = signal(Some(batch));
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <BatchView batch=batch_sig info=info_sig boundary=Signal::stored(None) lang=Signal::stored(Lang::Ko) /> }
    });
    until("the points plotted", || {
        root.query_selector("[data-testid=batch-points]")
            .unwrap()
            .and_then(|p| p.dyn_into::<HtmlCanvasElement>().ok())
            .is_some_and(|p| {
                count(&p, (0, 0, 640, 640), |_, _, _, a| a > 200) > 1000
                    && count(&p, (0, 0, 640, 640), |_, _, _, a| a > 0 && a < 150) > 1000
            })
    })
    .await;
    let view = find(&root, "[data-testid=batch-view]");
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("points"));
    assert_eq!(view.get_attribute("data-count").as_deref(), Some("10"));
    let plot: HtmlCanvasElement = find(&root, "[data-testid=batch-points]")
        .dyn_into()
        .unwrap();
    let opaque = count(&plot, (0, 0, 640, 640), |_, _, _, a| a > 200);
    let light = count(&plot, (0, 0, 640, 640), |_, _, _, a| a > 0 && a < 150);
    assert!(opaque > 1000, "batch points drawn large: {opaque}");
    assert!(light > 1000, "all points drawn light: {light}");

    // The random set (no points, no pixels): a list.
    let mut random = info(200, 10, 3);
    random.features = 20;
    set_info.set(Some(random.clone()));
    until("the list of the random set", || {
        view.get_attribute("data-mode").as_deref() == Some("list")
            && count_all(&root, "[data-testid=batch-item]") == 10
    })
    .await;
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("list"));
    let items = root.query_selector_all("[data-testid=batch-item]").unwrap();
    assert_eq!(items.length(), 10);
    let second = items.get(1).unwrap().text_content().unwrap();
    assert!(
        second.contains("#20") && second.contains("0→1") && second.contains('✗'),
        "{second}"
    );

    // The next run of it, before its first batch: the items stay, blank and unread.
    set_batch.set(None);
    set_info.set(Some(random));
    until("the blank items of the next run", || {
        count_all(&root, "[data-correct]") == 0
    })
    .await;
    assert_eq!(view.get_attribute("data-mode").as_deref(), Some("list"));
    assert_eq!(
        count_all(&root, "[data-testid=batch-item][aria-hidden=true]"),
        10
    );
    assert!(root.query_selector("[data-correct]").unwrap().is_none());
    drop(mounted);
    root.remove();
}

/// The decision boundary behind a 2-D plot: its grid drawn as class colours, with the
/// update and the classes it shows as attributes, and a new grid redrawn.
#[wasm_bindgen_test]
async fn batch_view_draws_the_decision_boundary_behind_the_points() {
    use batch_lab::boundary::{GRID_SIDE, Grid, Plane, encode_cell};
    let root = host("640px");
    let mut two_d = info(400, 32, 5);
    (two_d.features, two_d.classes) = (2, 2);
    two_d.points = Some((vec![-1.0, -1.0, 1.0, 1.0], vec![0, 1]));
    two_d.validation_points = Some((vec![0.0, 0.5], vec![1]));
    let (boundary, set_boundary) = signal(None::<Grid>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <BatchView
                batch=Signal::stored(None)
                info=Signal::stored(Some(two_d.clone()))
                boundary=boundary
                lang=Signal::stored(Lang::En)
            />
        }
    });
    until("the boundary canvas", || {
        count_all(&root, "[data-testid=decision-boundary]") == 1
    })
    .await;
    let canvas: HtmlCanvasElement = find(&root, "[data-testid=decision-boundary]")
        .dyn_into()
        .unwrap();
    assert_eq!(canvas.get_attribute("data-updates"), None, "no grid yet");
    // Left half class 0 (blue), right half class 1 (orange), both certain.
    let grid = |update: usize, split: usize| Grid {
        update,
        plane: Plane::around(&[-1.0, -1.0, 1.0, 1.0]).unwrap(),
        side: GRID_SIDE,
        cells: (0..GRID_SIDE * GRID_SIDE)
            .map(|i| encode_cell(usize::from(i % GRID_SIDE >= split), 1.0, 2))
            .collect(),
    };
    set_boundary.set(Some(grid(7, GRID_SIDE / 2)));
    until("the first grid", || {
        canvas.get_attribute("data-updates").as_deref() == Some("7")
    })
    .await;
    assert_eq!(canvas.get_attribute("data-classes").as_deref(), Some("2"));
    let blue = |r: u8, _g: u8, b: u8, _a: u8| b as i32 > r as i32 + 30;
    let warm = |r: u8, _g: u8, b: u8, _a: u8| r as i32 > b as i32 + 30;
    let side = GRID_SIDE as u32;
    let half = (side / 2) * side;
    assert_eq!(count(&canvas, (0, 0, side / 2, side), blue) as u32, half);
    assert_eq!(
        count(&canvas, (side / 2, 0, side / 2, side), warm) as u32,
        half
    );
    // A later grid, all class 1: redrawn, one class.
    set_boundary.set(Some(grid(9, 0)));
    until("the second grid", || {
        canvas.get_attribute("data-updates").as_deref() == Some("9")
    })
    .await;
    assert_eq!(canvas.get_attribute("data-classes").as_deref(), Some("1"));
    assert_eq!(count(&canvas, (0, 0, side, side), warm) as u32, side * side);
}
