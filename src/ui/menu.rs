//! A `<select>`'s options generated from a setting's values ([`Setting::ALL`]): each value's
//! key as the option's `value`, its [`Label`] as the text, so a menu offers exactly what a
//! link can name.

use super::lab::Lab;
use crate::experiment::Experiment;
use crate::i18n::labels::Label;
use crate::i18n::{Lang, Strings};
use crate::settings::Setting;
use leptos::prelude::*;

/// One `<option>` per value in `values`, `selected` when it is `current()` (besides the
/// `<select>`'s `value` property, which alone is lost when it is set before the options
/// exist). Values are compared by key, so a data set matches whatever its noise.
pub fn options<S>(
    lang: RwSignal<Lang>,
    values: &'static [S],
    current: impl Fn() -> S + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    S: Setting + Label + Send + Sync,
{
    values
        .iter()
        .map(|&v| {
            let key = v.key().into_owned();
            let selected = key.clone();
            view! {
                <option value=key selected=move || current().key() == selected.as_str()>
                    {move || v.label(lang.get().strings()).into_owned()}
                </option>
            }
        })
        .collect_view()
}

/// A labelled `<select>` of one setting of the experiment: it shows `get(experiment)` and
/// applies a choice with `set`, the same function a link's key calls (a menu and a link give
/// the same experiment). `data-testid` is `id`.
pub fn setting_menu<S>(
    lab: Lab,
    id: &'static str,
    label: fn(&'static Strings) -> &'static str,
    get: fn(&Experiment) -> S,
    set: fn(&mut Experiment, S),
) -> impl IntoView
where
    S: Setting + Label + Send + Sync,
{
    let exp = lab.experiment;
    let current = move || get(&exp.get());
    view! {
        <label class="field">
            <span>{move || label(lab.lang.get().strings())}</span>
            <select
                data-testid=id
                prop:value=move || current().key().into_owned()
                on:change=move |ev| {
                    if let Some(v) = S::from_key(&event_target_value(&ev)) {
                        lab.change(|e| set(e, v));
                    }
                }
            >
                {options(lab.lang, S::ALL, current)}
            </select>
        </label>
    }
}
