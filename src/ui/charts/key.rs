//! The colour key above each chart: one item per run the chart draws, with the run's colour
//! and marker as drawn and its name from the run list ("B = 8"), so a reader tells the
//! overlaid runs apart without scrolling to the run list. HTML, not canvas text: it wraps on
//! a phone, is read by screen readers, and the tests can find it.
//!
//! Test hooks: `data-testid="chart-key"` on the list, `data-testid="chart-key-item"` per
//! run with `data-batch-size`, `data-run` and `data-colour` (the CSS colour the run's lines
//! are drawn in).

use leptos::prelude::*;
use plotters::prelude::RGBColor;

use super::draw::{LINE_WIDTH, Marker, RunStyle};
use crate::history::RunHistory;
use crate::i18n::Lang;
use crate::worker::protocol::RunId;

/// One run in the key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyItem {
    pub run: RunId,
    pub batch_size: usize,
    pub label: String,
    /// `#rrggbb`.
    pub colour: String,
    pub marker: Marker,
}

impl KeyItem {
    /// The item of `run`, drawn with `style`, named `label`.
    pub fn new(run: &RunHistory, style: &RunStyle, label: String) -> KeyItem {
        KeyItem {
            run: run.run,
            batch_size: run.info.batch_size,
            label,
            colour: css(style.train),
            marker: style.marker,
        }
    }
}

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Half the swatch's width and height, and the marker's radius (the charts' own, CSS px).
const HALF_W: f64 = 12.0;
const HALF_H: f64 = 7.0;
const R: f64 = 3.5;

/// A run's swatch: a short line in its colour through its marker, as the chart draws them.
fn swatch(colour: String, marker: Marker) -> impl IntoView {
    let (d, filled) = marker.svg_path(R);
    let view_box = format!("{} {} {} {}", -HALF_W, -HALF_H, 2.0 * HALF_W, 2.0 * HALF_H);
    let (fill, stroke) = if filled {
        (colour.clone(), "none".to_owned())
    } else {
        ("none".to_owned(), colour.clone())
    };
    view! {
        <svg
            class="chart-key-swatch"
            viewBox=view_box
            width=2.0 * HALF_W
            height=2.0 * HALF_H
            aria-hidden="true"
        >
            <line x1={-HALF_W} y1="0" x2=HALF_W y2="0" stroke=colour stroke-width=LINE_WIDTH></line>
            <path d=d fill=fill stroke=stroke stroke-width="1.75"></path>
        </svg>
    }
}

/// The key of `items` (empty before the first run is drawn).
#[component]
pub fn ChartKey(items: ReadSignal<Vec<KeyItem>>, lang: Signal<Lang>) -> impl IntoView {
    view! {
        <ul
            class="chart-key"
            data-testid="chart-key"
            aria-label=move || lang.get().strings().chart_key_label
        >
            <For
                each=move || items.get()
                key=|item| format!("{item:?}")
                children=|item| {
                    view! {
                        <li
                            class="chart-key-item"
                            data-testid="chart-key-item"
                            data-batch-size=item.batch_size
                            data-run=item.run
                            data-colour=item.colour.clone()
                        >
                            {swatch(item.colour.clone(), item.marker)}
                            <span>{item.label.clone()}</span>
                        </li>
                    }
                }
            />
        </ul>
    }
}
