//! The run list: the legend of the charts and the place to manage kept runs. Each run is
//! named by what differs from the others, with its colour and marker, its final validation
//! accuracy and where it ended, and buttons to hide, pin or remove it; "Clear all" empties
//! the list. It is also the keyboard's readout of the charts: every number a pointer would
//! read at a run's end is written here.
//!
//! The student's runs are listed by seed group ([`crate::history::groups`]): runs that
//! differ only in seed are one `run-item` (`data-run` its first run, `data-seeds` how many),
//! which says the mean ± sd over its finished seeds of the final validation accuracy and loss
//! and of the generalisation gap (`data-val-accuracy-mean`, `data-val-accuracy-sd`,
//! `data-gap-mean`, points), lists the seeds, and opens to one `seed-item` per seed, each
//! with its own show/hide. A group of one seed is the row it always was; its other hooks
//! (`data-final-val-accuracy`, `data-updates`, …) are its first seed's.
//!
//! The student's runs come first; a sweep's runs follow as one group (`run-group`, its
//! `data-runs` their number), collapsible and named as the sweep, with buttons that hide or
//! remove the whole group. A sweep run has no pin: the next sweep replaces the group.

use super::charts::draw::Marker;
use super::charts::theme::run_colour_css;
use super::charts::with_looks;
use super::lab::Lab;
use crate::history::groups::{self, Group, GroupStats};
use crate::history::labels::{group_labels, labels, shared_start};
use crate::history::{History, RunHistory};
use crate::i18n::{Lang, fill};
use crate::plot::looks::{Look, Looks};
use crate::worker::protocol::RunId;
use leptos::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// What names and styles one row, computed from the history when it changes. It is also the
/// row's key: a row is built again only when one of these changes (rebuilding all eight rows
/// for every message was the page's largest cost after the charts while a run trained beside
/// seven kept ones). What changes while a run trains is its [`Progress`], which updates the
/// row in place.
#[derive(Clone, Debug)]
struct Item {
    lang: Lang,
    run: u32,
    slot: usize,
    label: String,
    batch: usize,
    visible: bool,
    pinned: bool,
    current: bool,
    /// The sweep whose group the run is in (`None`: the student's run).
    sweep: Option<u32>,
    /// The first update's batch loss: equal for runs repeated with the same settings.
    first_loss: Option<f32>,
    /// The seed group's runs (this one first) and their seeds, in that order.
    members: Vec<u32>,
    seeds: Vec<u64>,
}

impl Item {
    /// Every field, floats by their bits (so a NaN loss equals itself).
    fn fields(&self) -> impl PartialEq + Hash + '_ {
        (
            (self.lang, self.run, self.slot, &self.label, self.batch),
            (self.visible, self.pinned, self.current, self.sweep),
            self.first_loss.map(f32::to_bits),
            (&self.members, &self.seeds),
        )
    }
}

/// Where a run has got to: what its row shows changing while it trains. Compared by its
/// floats' bits, as [`Item`] is: a diverged run's NaN loss equals itself, so its row is not
/// rendered again at every display update.
#[derive(Clone, Copy, Debug, Default)]
struct Progress {
    final_val_accuracy: Option<f64>,
    final_loss: Option<f64>,
    updates: usize,
    samples: usize,
}

impl PartialEq for Progress {
    fn eq(&self, other: &Self) -> bool {
        let bits = |p: &Progress| {
            (
                p.final_val_accuracy.map(f64::to_bits),
                p.final_loss.map(f64::to_bits),
                p.updates,
                p.samples,
            )
        };
        bits(self) == bits(other)
    }
}

impl Progress {
    fn of(r: &RunHistory) -> Progress {
        Progress {
            final_val_accuracy: r.validation.last().map(|p| p.metrics.accuracy),
            final_loss: r.epochs.last().map(|p| p.metrics.loss),
            updates: r.updates(),
            samples: r.steps.samples.last().map_or(0, |&s| s as usize),
        }
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.fields() == other.fields()
    }
}

impl Eq for Item {}

impl Hash for Item {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fields().hash(state);
    }
}

impl Item {
    /// The row of `r`, drawn as `look`, named `label`, with its seed group's `members` and
    /// their `seeds`.
    fn new(
        r: &RunHistory,
        look: Look,
        lang: Lang,
        current: RunId,
        label: String,
        group: Members,
    ) -> Item {
        let (seeds, members) = group;
        Item {
            lang,
            run: r.run,
            slot: look.slot,
            label,
            batch: r.info.batch_size,
            visible: look.visible,
            pinned: r.pinned,
            // A group is current while its newest seeds train.
            current: r.run == current || members.contains(&current),
            sweep: r.sweep,
            first_loss: r.steps.loss.first().copied(),
            members,
            seeds,
        }
    }
}

/// A seed group's seeds and runs, in seed order.
type Members = (Vec<u64>, Vec<RunId>);

/// The list's rows, in history order: one per trained run, a seed group's at its first
/// trained run (named as a group among groups) and none for its other seeds. Linear in the
/// runs: each run's group and each group's runs are found by id, not by searching.
fn list_items(h: &History, looks: &Looks, lang: Lang, current: RunId) -> Vec<Item> {
    let names = labels(h.runs(), lang);
    let groups = h.groups();
    let group_names = group_labels(h.runs(), lang);
    let group_of = groups::by_run(&groups);
    let by_id: HashMap<RunId, &RunHistory> = h.runs().iter().map(|r| (r.run, r)).collect();
    h.runs()
        .iter()
        .zip(names)
        .filter(|(r, _)| r.updates() > 0) // a run not yet trained is on no chart
        .filter_map(|(r, label)| {
            let Some(&gi) = group_of.get(&r.run) else {
                let alone = (vec![], vec![r.run]);
                return Some(Item::new(r, looks.of(r.run), lang, current, label, alone));
            };
            let members: Vec<&RunHistory> = (groups[gi].runs.iter())
                .filter_map(|id| by_id.get(id).copied())
                .filter(|m| m.updates() > 0)
                .collect();
            // Named as a group among groups, so a seed names none (`label`, the run's own
            // name among runs, would say "seed 42" beside seed groups).
            (members.first().map(|m| m.run) == Some(r.run)).then(|| {
                let group = groups::in_seed_order(&members);
                let name = group_names[gi].clone();
                Item::new(r, looks.of(r.run), lang, current, name, group)
            })
        })
        .collect()
}

/// Shows or hides each of `ids` (`show`: from whether it is shown now, whether it will be)
/// in one update of the charts' looks (one redraw).
fn show_runs(lab: Lab, ids: &[RunId], show: impl Fn(bool) -> bool) {
    lab.looks.update_value(|looks| {
        for &id in ids {
            looks.set_visible(id, show(looks.of(id).visible));
        }
    });
    lab.version.update(|v| *v += 1);
}

/// Applies `edit` to each of `ids` in one update of the history (one redraw).
fn edit_runs(lab: Lab, ids: &[RunId], edit: impl Fn(&mut RunHistory)) {
    lab.history.update_value(|h| {
        for &id in ids {
            if let Some(r) = h.get_mut(id) {
                edit(r);
            }
        }
    });
    lab.version.update(|v| *v += 1);
}

#[component]
pub fn RunList(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let items = move || {
        lab.shown.track();
        let (lang, current) = (lab.lang.get(), lab.run.get());
        with_looks(lab.history, lab.looks, |h, looks| {
            list_items(h, looks, lang, current)
        })
    };
    let student_items = move || {
        let mut all = items();
        all.retain(|i| i.sweep.is_none());
        all
    };
    let sweep_items = Memo::new(move |_| {
        let mut all = items();
        all.retain(|i| i.sweep.is_some());
        all
    });
    let shared = move || {
        lab.shown.track();
        lab.history.with_value(|h| shared_start(h.runs()))
    };
    view! {
        <section class="panel runs" aria-labelledby="runs-title">
            <div class="runs-head">
                <h2 id="runs-title">{move || t().section_runs}</h2>
                <button data-testid="clear-runs" on:click=move |_| lab.clear_runs()>
                    {move || t().runs_clear}
                </button>
            </div>
            <super::explain::Explain lang=lab.lang text=|t| t.explain_runs />
            <ul class="run-list" data-testid="run-list">
                <For each=student_items key=|item| item.clone() let(item)>
                    <RunRow lab item />
                </For>
                <SweepGroup lab items=sweep_items />
            </ul>
            <p class="hint">
                {move || match shared() {
                    Some(seed) => fill(t().runs_same_start, &[&seed.to_string()]),
                    None => crate::i18n::labels::limits::runs_hint(t()),
                }}
            </p>
        </section>
    }
}

/// A button that opens and closes the list under it (`aria-expanded`; ▾ open, ▸ closed).
#[component]
fn Disclosure(
    open: RwSignal<bool>,
    class: &'static str,
    test_id: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            class=class
            data-testid=test_id
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <span aria-hidden="true">{move || if open.get() { "▾ " } else { "▸ " }}</span>
            {children()}
        </button>
    }
}

/// A show/hide button: pressed while what it shows is hidden.
#[component]
fn HideButton(
    lang: Lang,
    test_id: &'static str,
    #[prop(into)] hidden: Signal<bool>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    let s = lang.strings();
    let word = move || {
        if hidden.get() {
            s.runs_show
        } else {
            s.runs_hide
        }
    };
    view! {
        <button
            data-testid=test_id
            aria-pressed=move || hidden.get().to_string()
            title=word
            on:click=move |_| on_click()
        >
            {word}
        </button>
    }
}

/// A sweep's runs as one collapsible group (`run-group`), with buttons that hide or remove
/// them all; nothing while there is no sweep.
#[component]
fn SweepGroup(lab: Lab, items: Memo<Vec<Item>>) -> impl IntoView {
    let open = RwSignal::new(true);
    move || {
        let group = items.get();
        let first = group.first()?;
        let (lang, sweep) = (first.lang, first.sweep?);
        let s = lang.strings();
        let count = group.len();
        let (lo, hi) = group.iter().fold((usize::MAX, 0), |(lo, hi), i| {
            (lo.min(i.batch), hi.max(i.batch))
        });
        let title = fill(
            s.runs_group_sweep,
            &[&lang.int(count), &lang.int(lo), &lang.int(hi)],
        );
        let remove_label = format!("{} {}", s.runs_remove, title);
        let all_hidden = group.iter().all(|i| !i.visible);
        let set_visible = move || {
            let ids: Vec<RunId> = lab.history.with_value(|h| {
                (h.runs().iter())
                    .filter(|r| r.sweep == Some(sweep))
                    .map(|r| r.run)
                    .collect()
            });
            show_runs(lab, &ids, |_| all_hidden);
        };
        let remove = move |_| {
            lab.history.update_value(|h| h.remove_sweep(sweep));
            lab.version.update(|v| *v += 1);
        };
        Some(view! {
            <li class="run-group" data-testid="run-group" data-runs=count data-sweep=sweep>
                <div class="run-group-head">
                    <Disclosure open class="run-group-toggle" test_id="run-group-toggle">
                        {title}
                    </Disclosure>
                    <span class="run-actions">
                        <HideButton lang test_id="run-group-hide" hidden=all_hidden on_click=set_visible />
                        <button
                            data-testid="run-group-remove"
                            aria-label=remove_label
                            on:click=remove
                        >
                            "✕"
                        </button>
                    </span>
                </div>
                <ul class="run-list run-group-list" hidden=move || !open.get()>
                    <For each=move || items.get() key=|item| item.clone() let(item)>
                        <RunRow lab item />
                    </For>
                </ul>
            </li>
        })
    }
}

/// One row of the list: a run, or a seed group at its first run (its seeds inside it).
#[component]
fn RunRow(lab: Lab, item: Item) -> impl IntoView {
    let lang = item.lang;
    let s = lang.strings();
    let run = item.run;
    let progress = Memo::new(move |_| {
        lab.shown.track();
        lab.history
            .with_value(|h| h.get(run).map(Progress::of))
            .unwrap_or_default()
    });
    let glyph = Marker::of_slot(item.slot).glyph();
    let grouped = item.members.len() > 1;
    let group_stats = Memo::new({
        let members = item.members.clone();
        move |_| {
            lab.shown.track();
            lab.history.with_value(|h| {
                let group = Group {
                    id: run,
                    runs: members.clone(),
                };
                groups::stats(h.runs(), &group)
            })
        }
    });
    let stat = move |f: fn(&GroupStats) -> Option<String>| move || f(&group_stats.get());
    let group_line = grouped.then(|| group_summary(lang, &item.seeds, group_stats));
    let seed_list = grouped.then(|| seed_rows(lab, lang, &item.members, &item.seeds));
    view! {
        <li
            data-testid="run-item"
            data-run=run
            data-seeds=item.members.len()
            data-val-accuracy-mean=stat(|g| g.val_accuracy.map(|a| format!("{}", a.mean)))
            data-val-accuracy-sd=stat(|g| g.val_accuracy.and_then(|a| a.sd).map(|v| format!("{v}")))
            data-gap-mean=stat(|g| g.gap.map(|a| format!("{}", a.mean)))
            // The sharpness of the minimum the group's seeds ended in (their mean; issue 24):
            // empty until the sharp-minima card measured it and opened it in the lab.
            data-sharpness=stat(|g| g.sharpness.map(|a| format!("{}", a.mean)))
            data-batch-size=item.batch
            data-visible=item.visible.to_string()
            data-pinned=item.pinned.to_string()
            data-final-val-accuracy=move || progress.get().final_val_accuracy.map(|a| format!("{a}")).unwrap_or_default()
            data-first-loss=item.first_loss.map(|l| format!("{l:?}")).unwrap_or_default()
            data-updates=move || progress.get().updates
            class="run-item"
            class:current=item.current
            class:hidden-run=!item.visible
        >
            <span class="swatch" style:background-color=run_colour_css(item.slot) aria-hidden="true">{glyph}</span>
            <span class="run-text">
                <span class="run-label">
                    {item.label.clone()}
                    {item.current.then(|| view! { <em class="run-current">{s.runs_current}</em> })}
                </span>
                <small class="run-summary">{move || progress_summary(lang, progress.get())}</small>
                {group_line}
            </span>
            <RunActions lab item=item.clone() />
            {seed_list}
        </li>
    }
}

/// A row's buttons: hide (or show), pin (not for a sweep's run) and remove, each acting on
/// every seed of the row's group.
#[component]
fn RunActions(lab: Lab, item: Item) -> impl IntoView {
    let s = item.lang.strings();
    let members = StoredValue::new(item.members);
    let (visible, pinned) = (item.visible, item.pinned);
    view! {
        <span class="run-actions">
            <HideButton
                lang=item.lang
                test_id="run-hide"
                hidden=!visible
                on_click=move || members.with_value(|ids| show_runs(lab, ids, |_| !visible))
            />
            {item.sweep.is_none().then(|| view! {
                <button
                    data-testid="run-pin"
                    aria-pressed=pinned.to_string()
                    on:click=move |_| members.with_value(|ids| edit_runs(lab, ids, |r| r.pinned = !pinned))
                >
                    {if pinned { s.runs_unpin } else { s.runs_pin }}
                </button>
            })}
            <button
                data-testid="run-remove"
                aria-label=format!("{} {}", s.runs_remove, item.label)
                on:click=move |_| members.with_value(|ids| ids.iter().for_each(|&id| lab.remove_run(id)))
            >
                "✕"
            </button>
        </span>
    }
}

/// A row's progress: updates and samples so far, and the final loss and validation
/// accuracy once there are.
fn progress_summary(lang: Lang, p: Progress) -> String {
    let s = lang.strings();
    let mut parts = vec![fill(
        s.runs_progress,
        &[&lang.int(p.updates), &lang.int(p.samples)],
    )];
    if let Some(loss) = p.final_loss {
        parts.push(fill(s.runs_final_loss, &[&format!("{loss:.3}")]));
    }
    if let Some(acc) = p.final_val_accuracy {
        parts.push(fill(s.runs_final_val_accuracy, &[&lang.percent(acc, 1)]));
    }
    parts.join(s.separator)
}

/// A seed group's line: its seeds, and mean ± sd of the final validation accuracy and loss
/// and of the generalisation gap over the seeds that finished.
fn group_summary(lang: Lang, seeds: &[u64], stats: Memo<GroupStats>) -> impl IntoView + use<> {
    let s = lang.strings();
    let listed = seeds
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let count = seeds.len();
    move || {
        let g = stats.get();
        let sd = |v: Option<f64>, digits: usize| {
            v.map_or("–".to_string(), |v| format!("{v:.digits$}"))
        };
        let mut parts = vec![fill(s.runs_group_seeds, &[&lang.int(count), &listed])];
        match (g.val_accuracy, g.val_loss, g.gap) {
            (Some(acc), Some(loss), Some(gap)) => {
                parts.push(fill(
                    s.runs_group_accuracy,
                    &[&lang.percent(acc.mean / 100.0, 1), &sd(acc.sd, 1)],
                ));
                parts.push(fill(
                    s.runs_group_loss,
                    &[&format!("{:.3}", loss.mean), &sd(loss.sd, 3)],
                ));
                parts.push(fill(
                    s.runs_group_gap,
                    &[&format!("{:.1}", gap.mean), &sd(gap.sd, 1)],
                ));
            }
            _ => parts.push(fill(s.runs_group_waiting, &[&lang.int(count)])),
        }
        parts.push(s.chart_band_min_max.to_string());
        view! { <small class="run-group-stats" data-testid="group-stats">{parts.join(s.separator)}</small> }
    }
}

/// A seed group's seeds, one `seed-item` each (`data-run`, `data-seed`,
/// `data-final-val-accuracy`, `data-visible`), each with its own show/hide, behind a toggle.
fn seed_rows(lab: Lab, lang: Lang, members: &[u32], seeds: &[u64]) -> impl IntoView + use<> {
    let s = lang.strings();
    let open = RwSignal::new(false);
    let rows = members
        .iter()
        .zip(seeds)
        .map(|(&run, &seed)| {
            let state = Memo::new(move |_| {
                lab.shown.track();
                with_looks(lab.history, lab.looks, |h, looks| {
                    h.get(run).map(|r| (looks.of(run).visible, groups::end_of(r).map(|e| e.val_accuracy), r.updates()))
                })
            });
            let visible = move || state.get().is_some_and(|(v, _, _)| v);
            let acc = move || state.get().and_then(|(_, a, _)| a);
            view! {
                <li
                    class="seed-item"
                    data-testid="seed-item"
                    data-run=run
                    data-seed=seed
                    data-visible=move || visible().to_string()
                    data-final-val-accuracy=move || acc().map(|a| format!("{}", a / 100.0)).unwrap_or_default()
                    data-updates=move || state.get().map_or(0, |(_, _, u)| u)
                >
                    <span>{fill(s.run_label_seed, &[&seed.to_string()])}</span>
                    <small>{move || acc().map(|a| fill(s.runs_final_val_accuracy, &[&lang.percent(a / 100.0, 1)]))}</small>
                    <HideButton
                        lang
                        test_id="seed-hide"
                        hidden=Signal::derive(move || !visible())
                        on_click=move || show_runs(lab, &[run], |shown| !shown)
                    />
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="seed-group">
            <Disclosure open class="seed-toggle" test_id="seed-toggle">
                {s.runs_group_each}
            </Disclosure>
            <ul class="seed-list" hidden=move || !open.get()>{rows}</ul>
        </div>
    }
}
