//! A `<select>`'s options generated from a setting's values ([`Setting::ALL`]): each value's
//! key as the option's `value`, its [`Label`] as the text, so a menu offers exactly what a
//! link can name.

use crate::i18n::Lang;
use crate::i18n::labels::Label;
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
