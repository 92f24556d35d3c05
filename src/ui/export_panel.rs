//! The export panel: download every kept run as CSV (per epoch and per update, a `run`
//! column naming each run by its label), as JSON shaped like Keras' `history.history` (the
//! current run at the top level, every kept run under `runs`), and each chart as a PNG. The
//! files' text comes from [`crate::export`]; this module only turns it into downloads.
//!
//! A download is a temporary `<a download>` clicked once: text files go through a `Blob` and
//! an object URL (revoked a moment later, once the browser has taken the file), the chart
//! images through the canvas' own `toDataURL()`.
//!
//! For end-to-end tests, which cannot read downloaded files:
//!
//! - the panel root (`data-testid="export"`) carries `data-last-export`, the names of the
//!   files of the last download separated by spaces, e.g.
//!   `batch-lab-random-n200-b20-e10-seed42-epochs.csv batch-lab-random-n200-b20-e10-seed42-updates.csv`;
//! - `window.__batchLabLastExport` is `{name, text, files}` for the last download: `name`
//!   and `text` of its first file, and `files`, an array of `{name, text}` for every file.
//!   `text` is the CSV or JSON exactly as downloaded; for PNGs it is the image's `data:`
//!   URL (`data:image/png;base64,…`).

use super::charts::ChartKind;
use super::lab::Lab;
use crate::export::{
    epochs_csv, exported, file_stem, keras_history_json, primary_run, updates_csv,
};
use crate::history::labels::labels;
use crate::i18n::fill;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};

/// The `window` property the last download is exposed under (see the module doc).
pub const LAST_EXPORT_PROPERTY: &str = "__batchLabLastExport";

/// How long an object URL stays valid after its link was clicked.
const REVOKE_AFTER_MS: u32 = 10_000;

/// One file to download.
struct File {
    name: String,
    /// The file's text, or for an image its `data:` URL.
    text: String,
    /// The MIME type of a text file; `None` when `text` is already a `data:` URL.
    mime: Option<&'static str>,
}

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Csv,
    Json,
    Png,
}

/// The files of `kind` for the lab's kept runs (named after the current settings), or why
/// there are none.
fn files(lab: Lab, kind: Kind) -> Result<Vec<File>, String> {
    let run = lab.run.get_untracked();
    let lang = lab.lang.get_untracked();
    let experiment = lab.experiment.get_untracked();
    let stem = file_stem(&experiment);
    let text = |name: String, mime: &'static str, text: String| File {
        name,
        text,
        mime: Some(mime),
    };
    if kind == Kind::Png {
        let document = document();
        return ChartKind::ALL
            .iter()
            .map(|chart| {
                let selector = format!("canvas[data-testid=\"{}\"]", chart.test_id());
                let canvas: HtmlCanvasElement = document
                    .query_selector(&selector)
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into().ok())
                    .ok_or_else(|| format!("no {} canvas", chart.test_id()))?;
                let url = canvas.to_data_url().map_err(js_message)?;
                let suffix = match chart {
                    ChartKind::Loss => "loss",
                    ChartKind::Accuracy => "accuracy",
                };
                Ok(File {
                    name: format!("{stem}-{suffix}.png"),
                    text: url,
                    mime: None,
                })
            })
            .collect();
    }
    lab.history
        .try_with_value(|h| {
            let current = primary_run(h.runs(), run)?;
            let names = labels(h.runs(), lang);
            let runs = exported(h.runs(), &names);
            Some(match kind {
                Kind::Csv => vec![
                    text(
                        format!("{stem}-epochs.csv"),
                        "text/csv;charset=utf-8",
                        epochs_csv(&runs),
                    ),
                    text(
                        format!("{stem}-updates.csv"),
                        "text/csv;charset=utf-8",
                        updates_csv(&runs),
                    ),
                ],
                Kind::Json => vec![text(
                    format!("{stem}-history.json"),
                    "application/json",
                    keras_history_json(current, &runs),
                )],
                Kind::Png => unreachable!("handled above"),
            })
        })
        .flatten()
        .ok_or_else(|| "no run has a record".to_owned())
}

/// The message of a JS exception.
fn js_message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Clicks a temporary `<a href download>`.
fn click_link(href: &str, name: &str) -> Result<(), JsValue> {
    let document = document();
    let a: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(name);
    a.set_attribute("hidden", "")?;
    let body = document.body().ok_or("no <body>")?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    Ok(())
}

/// Downloads one file.
fn download(file: &File) -> Result<(), JsValue> {
    let Some(mime) = file.mime else {
        return click_link(&file.text, &file.name);
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(&file.text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let clicked = click_link(&url, &file.name);
    // The browser reads the Blob asynchronously after the click: revoke later, not now.
    Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    clicked
}

/// Sets `window.__batchLabLastExport` (see the module doc).
fn expose(files: &[File]) -> Result<(), JsValue> {
    let set = |o: &js_sys::Object, key: &str, value: &JsValue| {
        js_sys::Reflect::set(o, &JsValue::from_str(key), value).map(|_| ())
    };
    let list = js_sys::Array::new();
    for f in files {
        let entry = js_sys::Object::new();
        set(&entry, "name", &JsValue::from_str(&f.name))?;
        set(&entry, "text", &JsValue::from_str(&f.text))?;
        list.push(&entry);
    }
    let last = js_sys::Object::new();
    if let Some(first) = files.first() {
        set(&last, "name", &JsValue::from_str(&first.name))?;
        set(&last, "text", &JsValue::from_str(&first.text))?;
    }
    set(&last, "files", &list)?;
    set(&window(), LAST_EXPORT_PROPERTY, &last)
}

/// Export buttons for the kept runs: `data-testid="export-csv"`, `"export-json"` (enabled
/// once a kept run has completed an epoch) and `"export-png"` (once an update is done).
/// Root: `data-testid="export"` with `data-last-export` (see the module doc).
#[component]
pub fn ExportPanel(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    // (most completed epochs, most per-update rows) of any kept run.
    let recorded = Memo::new(move |_| {
        lab.shown.track();
        lab.history
            .try_with_value(|h| {
                h.runs().iter().fold((0, 0), |(e, s), r| {
                    (e.max(r.epochs.len()), s.max(r.steps.len()))
                })
            })
            .unwrap_or((0, 0))
    });
    let last_export = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let export = move |kind: Kind| {
        let result = files(lab, kind).and_then(|files| {
            for f in &files {
                download(f).map_err(js_message)?;
            }
            if let Err(e) = expose(&files) {
                web_sys::console::warn_1(&e);
            }
            Ok(files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(" "))
        });
        match result {
            Ok(names) => {
                last_export.set(names);
                error.set(None);
            }
            Err(e) => {
                web_sys::console::warn_1(&format!("Batch Lab export: {e}").into());
                error.set(Some(e));
            }
        }
    };
    let no_epoch = move || recorded.get().0 == 0;
    let no_update = move || recorded.get().1 == 0;

    view! {
        <section
            class="panel export"
            data-testid="export"
            data-last-export=move || last_export.get()
            aria-labelledby="export-title"
        >
            <h2 id="export-title">{move || t().section_export}</h2>
            <super::explain::Explain lang=lab.lang text=|t| t.explain_export />
            <div class="buttons" role="group" aria-describedby="export-help">
                <button
                    data-testid="export-csv"
                    disabled=no_epoch
                    on:click=move |_| export(Kind::Csv)
                >
                    {move || t().export_csv}
                </button>
                <button
                    data-testid="export-json"
                    disabled=no_epoch
                    on:click=move |_| export(Kind::Json)
                >
                    {move || t().export_json}
                </button>
                <button
                    data-testid="export-png"
                    disabled=no_update
                    on:click=move |_| export(Kind::Png)
                >
                    {move || t().export_png}
                </button>
            </div>
            <p id="export-help" class="hint">
                {move || t().export_help}
            </p>
            <Show when=move || error.get().is_some()>
                <p class="hint" role="alert" data-testid="export-error">
                    {move || fill(t().export_failed, &[&error.get().unwrap_or_default()])}
                </p>
            </Show>
        </section>
    }
}
