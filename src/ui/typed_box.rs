//! An input box's typed value, read with the link's rule: the one path from a number box
//! to the experiment, for the full lab's controls and the focused views alike.

use super::lab::Lab;
use crate::i18n::{Strings, fill};
use crate::url_state::{PageState, Why, read_typed};
use leptos::ev::Event;
use leptos::prelude::*;

/// An input box that reads what is typed with the link's rule for its URL key
/// ([`read_typed`], one row of [`crate::url_state::KEYS`]): a value is used (clamped if need
/// be: the box then shows what is used and says so under it, `data-testid="{box}-clamped"`,
/// as a link's notice would), or the box is marked `aria-invalid` with the reason under it
/// (`data-testid="{box}-error"`) and nothing changes.
#[derive(Clone, Copy)]
pub struct Typed {
    key: &'static str,
    id: &'static str,
    error: RwSignal<Option<Why>>,
    /// What was typed and what was used instead, after an out-of-range entry.
    clamped: RwSignal<Option<(String, String)>>,
    /// The experiment changes next because of this box's own entry: its note stays.
    own_change: StoredValue<bool>,
}

impl Typed {
    pub fn new(lab: Lab, key: &'static str, id: &'static str) -> Typed {
        let (error, clamped) = (RwSignal::new(None), RwSignal::new(None));
        let own_change = StoredValue::new(false);
        // Any other change of the experiment rewrites every box with what is used: none stays
        // invalid, and no note of an earlier entry stays.
        Effect::new(move |_| {
            lab.experiment.track();
            if !own_change.get_value() {
                error.set(None);
                clamped.set(None);
            }
            own_change.set_value(false);
        });
        Typed {
            key,
            id,
            error,
            clamped,
            own_change,
        }
    }

    /// Reads `text` with the link's rule over `state`: what it makes of it, with the box's
    /// mark and note set.
    fn read(self, text: &str, state: PageState) -> Option<PageState> {
        match read_typed(self.key, text, state) {
            Ok((state, used)) => {
                self.error.set(None);
                self.clamped
                    .set(used.map(|used| (text.trim().to_owned(), used)));
                Some(state)
            }
            Err(why) => {
                self.clamped.set(None);
                self.error.set(Some(why));
                None
            }
        }
    }

    pub fn on_change(self, lab: Lab) -> impl Fn(Event) + Copy {
        move |ev| {
            let state = PageState {
                experiment: lab.experiment.get_untracked(),
                ..PageState::default()
            };
            if let Some(st) = self.read(&event_target_value(&ev), state) {
                self.own_change.set_value(true);
                // Set even when equal, so the box shows the value used (`1e30` → `10`).
                lab.change(|now| *now = st.experiment);
            }
        }
    }

    /// [`Typed::on_change`] for a setting kept beside the experiment: the link's rule reads
    /// the page's state (`state()`), and `apply` takes what it made of it.
    pub fn on_state_change(
        self,
        state: impl Fn() -> PageState + Copy + 'static,
        apply: impl Fn(PageState) + Copy + 'static,
    ) -> impl Fn(Event) + Copy {
        move |ev| {
            if let Some(st) = self.read(&event_target_value(&ev), state()) {
                apply(st);
            }
        }
    }

    /// [`Typed::on_change`] for the `seeds` box, whose key sets the page's state, not the
    /// experiment.
    pub fn on_change_seeds(self, lab: Lab) -> impl Fn(Event) + Copy {
        self.on_state_change(
            move || PageState {
                seeds: lab.seeds.get_untracked(),
                ..PageState::default()
            },
            move |st| lab.set_seeds(st.seeds),
        )
    }

    /// Whether the box's last entry was refused (tracked): what must wait for a readable
    /// entry (the sweep's button, while its list is refused) reads it.
    pub fn is_invalid(self) -> bool {
        self.error.with(Option::is_some)
    }

    pub fn invalid(self) -> impl Fn() -> String + Copy {
        move || self.error.get().is_some().to_string()
    }

    /// The refusal's reason, or the note of a value used instead of the one typed.
    pub fn reason(self, lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
        let refused = move || {
            self.error.get().map(|why| {
                view! {
                    <small class="field-error" data-testid=format!("{}-error", self.id)>
                        {why.text(lang.get().strings())}
                    </small>
                }
            })
        };
        let noted = move || {
            self.clamped.get().map(|(typed, used)| {
                view! {
                    <small class="field-note" data-testid=format!("{}-clamped", self.id)>
                        {fill(lang.get().strings().notice_clamped, &[&typed, &used])}
                    </small>
                }
            })
        };
        (refused, noted)
    }
}

/// A number box read with [`Typed`]: it shows `shown` (the value in use), takes what is
/// typed through the link's rule for `key`, and is marked invalid when that rule refuses.
/// The one markup of every number box, in the full lab's controls and the focused views,
/// so a box's bounds and hooks (`data-testid`, `aria-invalid`) cannot drift between them.
/// The refusal's reason is [`Typed::reason`], placed by the caller (under a slider row, or
/// by [`NumberField`]).
#[component]
pub fn NumberInput(
    lab: Lab,
    typed: Typed,
    #[prop(into)] shown: Signal<String>,
    #[prop(into)] min: Signal<String>,
    /// Empty: no maximum (a seed).
    #[prop(into)]
    max: Signal<String>,
    /// `any` for rates; the browser's default (whole numbers) when `None`.
    #[prop(default = None)]
    step: Option<&'static str>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// What a change does instead of [`Typed::on_change`] (which sets the experiment): a
    /// setting kept beside it, e.g. [`Typed::on_state_change`].
    #[prop(optional)]
    on_change: Option<Callback<Event>>,
) -> impl IntoView {
    let changed = typed.on_change(lab);
    view! {
        <input
            type="number"
            min=min
            max=move || Some(max.get()).filter(|m| !m.is_empty())
            step=step
            data-testid=typed.id
            disabled=disabled
            prop:value=shown
            on:change=move |ev| match on_change {
                Some(apply) => apply.run(ev),
                None => changed(ev),
            }
            aria-invalid=typed.invalid()
        />
    }
}

/// A labelled [`NumberInput`] with its refusal's reason and an optional help line under it.
#[component]
pub fn NumberField(
    lab: Lab,
    /// The URL key whose rule reads the box, and the box's `data-testid`.
    key: &'static str,
    id: &'static str,
    label: fn(&'static Strings) -> &'static str,
    #[prop(into)] shown: Signal<String>,
    #[prop(into)] min: Signal<String>,
    #[prop(into)] max: Signal<String>,
    #[prop(default = None)] step: Option<&'static str>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = None)] help: Option<fn(&'static Strings) -> &'static str>,
) -> impl IntoView {
    let typed = Typed::new(lab, key, id);
    let t = move || lab.lang.get().strings();
    view! {
        <label class="field">
            <span>{move || label(t())}</span>
            <NumberInput
                lab=lab
                typed=typed
                shown=shown
                min=min
                max=max
                step=step
                disabled=disabled
            />
            {typed.reason(lab.lang)}
            {help.map(|help| view! { <small>{move || help(t())}</small> })}
        </label>
    }
}
