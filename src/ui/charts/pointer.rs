//! The charts' cursor, moved by a pointer or the arrow keys, and its readout: each visible
//! run's value at the cursor's x, announced to a screen reader.

use leptos::prelude::*;

use super::draw::axis_label;
use super::theme::run_colour_css;
use super::{ChartKind, Inputs, State};
use crate::history::labels::labels;
use crate::i18n::{Lang, fill};
use crate::plot::scale::compact;
use crate::plot::series::{Reading, read_at, smoothed_at};

/// Where the pointer (or the keyboard cursor) reads the charts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Cursor {
    chart: ChartKind,
    /// Position across the plot, 0..1.
    unit: f64,
}

/// Pointer at `offset_x` (CSS pixels) over chart `kind`: the plot position under it, from
/// the last frame's plot area; none a little outside the plot.
pub(super) fn point_at(
    state: State,
    cursor: RwSignal<Option<Cursor>>,
    kind: ChartKind,
    offset_x: f64,
) {
    let (area, ratio) = state.with_value(|s| s.areas[kind as usize]);
    let width = area.right - area.left;
    if width <= 0.0 {
        return;
    }
    let unit = (offset_x * ratio - area.left) / width;
    cursor.set((-0.02..=1.02).contains(&unit).then_some(Cursor {
        chart: kind,
        unit: unit.clamp(0.0, 1.0),
    }));
}

/// The arrow keys (Shift: larger steps), Home and End move the cursor on chart `kind`;
/// Escape hides it.
pub(super) fn on_key(
    cursor: RwSignal<Option<Cursor>>,
    kind: ChartKind,
    ev: leptos::ev::KeyboardEvent,
) {
    let step = if ev.shift_key() { 0.1 } else { 0.02 };
    let at = cursor
        .get_untracked()
        .filter(|c| c.chart == kind)
        .map_or(1.0, |c| c.unit);
    let unit = match ev.key().as_str() {
        "ArrowLeft" => at - step,
        "ArrowRight" => at + step,
        "Home" => 0.0,
        "End" => 1.0,
        "Escape" => {
            cursor.set(None);
            return;
        }
        _ => return,
    };
    ev.prevent_default();
    cursor.set(Some(Cursor {
        chart: kind,
        unit: unit.clamp(0.0, 1.0),
    }));
}

/// The cursor line over chart `kind`'s plot, in CSS pixels: (left, top, height).
pub(super) fn cursor_box(
    state: State,
    cursor: RwSignal<Option<Cursor>>,
    kind: ChartKind,
) -> Option<(f64, f64, f64)> {
    let c = cursor.get().filter(|c| c.chart == kind)?;
    let (area, ratio) = state.with_value(|s| s.areas[kind as usize]);
    Some((
        (area.left + (area.right - area.left) * c.unit) / ratio,
        area.top / ratio,
        (area.bottom - area.top) / ratio,
    ))
}

/// The readout (`data-testid="chart-readout"`): each visible run's value at the cursor's x,
/// with its smoothed value and validation where there are.
#[component]
pub(super) fn Readout(
    inputs: Inputs,
    state: State,
    cursor: RwSignal<Option<Cursor>>,
) -> impl IntoView {
    let Inputs {
        version,
        lang,
        view,
        ..
    } = inputs;
    move || {
        let c = cursor.get()?;
        version.track();
        let lang = lang.get();
        let view = view.get();
        let scale = state.with_value(|s| s.scales[c.chart as usize])?;
        let x = scale.from_unit(c.unit);
        let rows = inputs.with_runs(|h, looks| {
            let names = labels(h.runs(), lang);
            h.runs()
                .iter()
                .zip(names)
                .filter(|(r, _)| looks.of(r.run).visible)
                .map(|(r, name)| {
                    let reading = read_at(r, view.axis, c.chart, x);
                    let shown = state.with_value(|s| {
                        let cached = s.cache.get(&(r.run, c.chart))?;
                        smoothed_at(&cached.thinned.buckets, x)
                    });
                    let smoothed = shown.filter(|_| view.smoothing > 0.0);
                    let slot = looks.of(r.run).slot;
                    (slot, name, reading_text(lang, c.chart, reading, smoothed))
                })
                .collect::<Vec<_>>()
        });
        let heading = format!(
            "{} · {} = {}",
            c.chart.title(lang),
            axis_label(view.axis, lang),
            compact(x)
        );
        Some(view! {
            <div class="chart-readout" data-testid="chart-readout" role="status" aria-live="polite">
                <div class="readout-heading">{heading}</div>
                <ul>
                    {rows
                        .into_iter()
                        .map(|(slot, name, text)| {
                            view! {
                                <li>
                                    <span class="swatch" style:background-color=run_colour_css(slot)></span>
                                    <span class="readout-name">{name}</span>
                                    <span class="readout-value">{text}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    }
}

/// One run's line of the readout: its value at the cursor (and the update it was read at),
/// its `smoothed` value when smoothing is on, and validation where there is one.
fn reading_text(
    lang: Lang,
    chart: ChartKind,
    reading: Option<Reading>,
    smoothed: Option<f32>,
) -> String {
    let t = lang.strings();
    let Some(at) = reading else {
        return t.readout_no_data.to_owned();
    };
    let value = format_value(chart, at.value as f64);
    let mut s = fill(t.readout_value, &[&value, &lang.int(at.update)]);
    if let Some(v) = smoothed {
        s.push_str(&fill(t.readout_smoothed, &[&format_value(chart, v as f64)]));
    }
    if let Some(v) = at.validation {
        s.push_str(&fill(t.readout_validation, &[&format_value(chart, v)]));
    }
    s
}

/// A loss or an accuracy, as the readout shows it.
fn format_value(kind: ChartKind, v: f64) -> String {
    match kind {
        ChartKind::Loss if v.is_finite() => format!("{v:.4}"),
        ChartKind::Loss => "—".to_owned(),
        ChartKind::Accuracy => Lang::En.percent(v, 1),
    }
}
