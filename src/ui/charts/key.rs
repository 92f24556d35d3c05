//! The colour key above each chart: one item per run the chart draws, with the run's colour
//! and marker as drawn and its name from the run list ("B = 8"), so a reader tells the
//! overlaid runs apart without scrolling to the run list. HTML, not canvas text: it wraps on
//! a phone, is read by screen readers, and the tests can find it.
//!
//! A seed group shown with two or more seeds is one item ("B = 8 · 3 seeds: 7, 8, 9"): the
//! chart draws it as one band and mean line in one colour, so three items of one colour
//! would name three lines a reader cannot tell apart.
//!
//! Test hooks: `data-testid="chart-key"` on the list, `data-testid="chart-key-item"` per
//! run or group with `data-batch-size`, `data-run` (a group's first seed drawn),
//! `data-seeds` and `data-colour` (the CSS colour the run's lines are drawn in).

use leptos::prelude::*;
use plotters::prelude::RGBColor;

use super::draw::{LINE_WIDTH, Marker, RunStyle};
use crate::history::labels::{Field, group_labels, labels};
use crate::history::{History, RunHistory};
use crate::i18n::{Lang, fill};
use crate::worker::protocol::RunId;

/// One run in the key, or one seed group drawn as a band.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyItem {
    /// The run, or a group's first seed drawn.
    pub run: RunId,
    pub batch_size: usize,
    pub label: String,
    /// `#rrggbb`.
    pub colour: String,
    pub marker: Marker,
    /// Seeds drawn together as one band (1 for a run on its own).
    pub seeds: usize,
}

/// What [`KeyItem::of_runs`] reads, less the runs' progress: the same inputs give the same
/// items. Names come from every run in the history (a run is named by what differs from the
/// others that have trained) and from the runs' settings, which never change once recorded;
/// so the key is built again when runs come, go, start training or change style, or the
/// language changes, not for each frame's new updates.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyInputs {
    lang: Lang,
    /// Each run in the history and whether it has trained.
    history: Vec<(RunId, bool)>,
    drawn: Vec<(RunId, RunStyle)>,
}

impl KeyInputs {
    pub fn of(runs: &[&RunHistory], styles: &[RunStyle], h: &History, lang: Lang) -> Self {
        KeyInputs {
            lang,
            history: (h.runs().iter())
                .map(|r| (r.run, r.updates() > 0))
                .collect(),
            drawn: (runs.iter().zip(styles))
                .map(|(r, s)| (r.run, *s))
                .collect(),
        }
    }
}

impl KeyItem {
    /// [`KeyItem::of_runs`], built again only when its [`KeyInputs`] differ from those
    /// `last` was built from.
    pub fn of_runs_cached(
        last: &mut Option<(KeyInputs, Vec<KeyItem>)>,
        runs: &[&RunHistory],
        styles: &[RunStyle],
        h: &History,
        lang: Lang,
    ) -> Vec<KeyItem> {
        let inputs = KeyInputs::of(runs, styles, h, lang);
        match last {
            Some((held, items)) if *held == inputs => items.clone(),
            _ => {
                let items = KeyItem::of_runs(runs, styles, h, lang);
                *last = Some((inputs, items.clone()));
                items
            }
        }
    }

    /// The items of `runs` as the chart draws them with `styles`: a seed group shown with
    /// two or more seeds (runs sharing a slot, as the band is drawn: a student's group or a
    /// sweep size's seeds) is one item named as the run list names the group, with its
    /// seeds; any other run is one item named as the run list names it.
    pub fn of_runs(
        runs: &[&RunHistory],
        styles: &[RunStyle],
        h: &History,
        lang: Lang,
    ) -> Vec<KeyItem> {
        let names = labels(h.runs(), lang);
        let groups = h.groups();
        let group_names = group_labels(h.runs(), lang);
        let name = |id: RunId| {
            let i = h.runs().iter().position(|r| r.run == id)?;
            names.get(i).cloned()
        };
        let mut items: Vec<KeyItem> = Vec::new();
        for (r, style) in runs.iter().zip(styles) {
            let seeds: Vec<u64> = (runs.iter().zip(styles))
                .filter(|(_, o)| o.slot == style.slot)
                .map(|(o, _)| o.experiment.config.seed)
                .collect();
            let label = if seeds.len() >= 2 {
                if (items.iter()).any(|i| {
                    i.seeds >= 2 && i.colour == css(style.train) && i.marker == style.marker
                }) {
                    continue; // the group's item is in already
                }
                // A student's group as the run list names it; a sweep's size by its B (the
                // one setting a sweep varies).
                let group = if r.sweep.is_some() {
                    let b = Field::Batch.describe(&r.experiment, lang);
                    Some(fill(lang.strings().run_label_sweep, &[&b]))
                } else {
                    let group = groups.iter().position(|g| g.runs.contains(&r.run));
                    group.and_then(|g| group_names.get(g).cloned())
                };
                let mut sorted = seeds.clone();
                sorted.sort_unstable();
                let listed: Vec<String> = sorted.iter().map(u64::to_string).collect();
                let s = lang.strings();
                let count = fill(
                    s.runs_group_seeds,
                    &[&lang.int(seeds.len()), &listed.join(", ")],
                );
                format!("{} · {count}", group.unwrap_or_default())
            } else {
                name(r.run).unwrap_or_default()
            };
            items.push(KeyItem {
                run: r.run,
                batch_size: r.info.batch_size,
                label,
                colour: css(style.train),
                marker: style.marker,
                seeds: seeds.len().max(1),
            });
        }
        items
    }
}

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Half the swatch's width and height, and the marker's radius (the charts' own, CSS px).
const HALF_W: f64 = 12.0;
const HALF_H: f64 = 7.0;
const R: f64 = 3.5;

/// A run's swatch: a short line in its colour through its marker, as the chart draws them;
/// a seed group's (`band`) over a tinted box, its band as the chart fills it.
fn swatch(colour: String, marker: Marker, band: bool) -> impl IntoView {
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
            {band.then(|| view! {
                <rect
                    x={-HALF_W}
                    y={-HALF_H}
                    width=2.0 * HALF_W
                    height=2.0 * HALF_H
                    fill=colour.clone()
                    fill-opacity=super::draw::SEED_BAND_ALPHA
                ></rect>
            })}
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
                            data-seeds=item.seeds
                            data-colour=item.colour.clone()
                        >
                            {swatch(item.colour.clone(), item.marker, item.seeds >= 2)}
                            <span>{item.label.clone()}</span>
                        </li>
                    }
                }
            />
            // What a group's band is, once, when the key has one.
            <Show when=move || items.with(|i| i.iter().any(|k| k.seeds >= 2))>
                <li class="chart-key-note" data-testid="chart-key-band">
                    {move || lang.get().strings().chart_band_min_max}
                </li>
            </Show>
        </ul>
    }
}
