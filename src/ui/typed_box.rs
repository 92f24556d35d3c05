//! An input box's typed value, read with the link's rule: the one path from a number box
//! to the experiment, for the full lab's controls and the focused views alike.

use super::lab::Lab;
use crate::url_state::{Why, read_typed};
use leptos::ev::Event;
use leptos::prelude::*;

/// An input box that reads what is typed with the link's rule for its URL key
/// ([`read_typed`], one row of [`crate::url_state::KEYS`]): a value is used (clamped if need
/// be, and the box then shows what is used), or the box is marked `aria-invalid` with the
/// reason under it (`data-testid="{box}-error"`) and nothing changes.
#[derive(Clone, Copy)]
pub struct Typed {
    key: &'static str,
    id: &'static str,
    error: RwSignal<Option<Why>>,
}

impl Typed {
    pub fn new(lab: Lab, key: &'static str, id: &'static str) -> Typed {
        let error = RwSignal::new(None);
        // Any change of the experiment rewrites every box with what is used: none stays invalid.
        Effect::new(move |_| {
            lab.experiment.track();
            error.set(None);
        });
        Typed { key, id, error }
    }

    pub fn on_change(self, lab: Lab) -> impl Fn(Event) + Copy {
        move |ev| match read_typed(
            self.key,
            &event_target_value(&ev),
            &lab.experiment.get_untracked(),
        ) {
            // Set even when equal, so the box shows the value used (`1e30` → `10`).
            Ok(e) => lab.change(|now| *now = e),
            Err(why) => self.error.set(Some(why)),
        }
    }

    /// [`Typed::on_change`] for the `seeds` box, whose key sets the page's state, not the
    /// experiment.
    pub fn on_change_seeds(self, lab: Lab) -> impl Fn(Event) + Copy {
        move |ev| {
            let state = crate::url_state::PageState {
                seeds: lab.seeds.get_untracked(),
                ..crate::url_state::PageState::default()
            };
            match crate::url_state::read_typed_state(self.key, &event_target_value(&ev), state) {
                Ok(st) => {
                    self.error.set(None);
                    lab.set_seeds(st.seeds);
                }
                Err(why) => self.error.set(Some(why)),
            }
        }
    }

    pub fn invalid(self) -> impl Fn() -> String + Copy {
        move || self.error.get().is_some().to_string()
    }

    pub fn reason(self, lang: RwSignal<crate::i18n::Lang>) -> impl IntoView {
        move || {
            self.error.get().map(|why| {
                view! {
                    <small class="field-error" data-testid=format!("{}-error", self.id)>
                        {why.text(lang.get().strings())}
                    </small>
                }
            })
        }
    }
}
