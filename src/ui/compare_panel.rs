//! "Compare two groups": pick two groups of seeded runs (by default the two newest, A the
//! newer) and read whether their difference in final validation accuracy is more than
//! seed-to-seed noise, with its 95 % interval, p-value, the test used, and the loss
//! difference. The statistics and the sentence are [`crate::comparison`]'s; this module only
//! reads the groups from the history and shows them.
//!
//! Test hooks: the selects `compare-a` and `compare-b` (option values are group ids), and
//! `comparison` with `data-groups` (groups to choose from), `data-diff` (A − B, accuracy
//! points), `data-ci-low`, `data-ci-high`, `data-p` (empty when one seed cannot tell),
//! `data-test` (`paired`/`welch`) and `data-verdict` (`real`/`noise`/`one-seed`); all
//! empty while there is nothing to compare.

use super::explain::Explain;
use super::lab::Lab;
use crate::comparison::{
    GroupComparison, GroupFinals, comparable, compare, default_pair, sentence, signed, test_key,
};
use crate::i18n::{Strings, Text, fill};
use crate::stats::compare::Comparison;
use crate::worker::protocol::RunId;
use leptos::prelude::*;

/// The pair shown: each side the student's pick while that group exists, else the default
/// side ([`default_pair`]: A the newest group, B the one before).
fn resolve(
    groups: &[GroupFinals],
    picked: (Option<RunId>, Option<RunId>),
) -> Option<(RunId, RunId)> {
    let (default_a, default_b) = default_pair(groups)?;
    let exists = |id: Option<RunId>| id.filter(|id| groups.iter().any(|g| g.group == *id));
    Some((
        exists(picked.0).unwrap_or(default_a),
        exists(picked.1).unwrap_or(default_b),
    ))
}

/// What the panel shows for the chosen pair.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    /// Fewer than two groups.
    NeedTwo,
    /// The same group on both sides.
    SameGroup,
    Compared {
        a: String,
        b: String,
        result: GroupComparison,
    },
}

#[component]
pub fn ComparePanel(lab: Lab) -> impl IntoView {
    let groups = Memo::new(move |_| comparable(lab.group_finals()));
    // The student's pick on each side (A, B).
    let picked = [RwSignal::new(None::<RunId>), RwSignal::new(None)];
    let pair = Memo::new(move |_| resolve(&groups.get(), (picked[0].get(), picked[1].get())));
    let shown = Memo::new(move |_| {
        let groups = groups.get();
        let Some((a, b)) = pair.get() else {
            return Shown::NeedTwo;
        };
        if a == b {
            return Shown::SameGroup;
        }
        let find = |id| groups.iter().find(|g| g.group == id);
        match (find(a), find(b)) {
            (Some(ga), Some(gb)) => {
                compare(ga, gb).map_or(Shown::NeedTwo, |result| Shown::Compared {
                    a: ga.label.clone(),
                    b: gb.label.clone(),
                    result,
                })
            }
            _ => Shown::NeedTwo,
        }
    });
    let t = move || lab.lang.get().strings();
    view! {
        <section class="panel compare" aria-labelledby="compare-title" data-testid="compare-panel">
            <h2 id="compare-title">{move || t().section_compare}</h2>
            <Explain lang=lab.lang text=|t| t.explain_compare />
            <Show when=move || { groups.with(|g| g.len() >= 2) }>
                <div class="compare-picks">
                    {SIDES
                        .into_iter()
                        .zip(picked)
                        .enumerate()
                        .map(|(side, ((test_id, label), pick))| {
                            let value = Signal::derive(move || {
                                pair.get().map(|(a, b)| if side == 0 { a } else { b })
                            });
                            view! { <GroupSelect lab test_id label groups value pick /> }
                        })
                        .collect_view()}
                </div>
            </Show>
            <ComparisonView lab=lab groups=groups shown=shown />
        </section>
    }
}

/// The two sides' selects: their test hook and their label.
const SIDES: [(&str, Text); 2] = [
    ("compare-a", |t| t.cmp_group_a),
    ("compare-b", |t| t.cmp_group_b),
];

/// One side's select: the groups by label, the value the group id.
#[component]
fn GroupSelect(
    lab: Lab,
    test_id: &'static str,
    label: Text,
    groups: Memo<Vec<GroupFinals>>,
    value: Signal<Option<RunId>>,
    pick: RwSignal<Option<RunId>>,
) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    view! {
        <label class="field">
            <span>{move || label(t())}</span>
            <select
                data-testid=test_id
                prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                on:change=move |ev| pick.set(event_target_value(&ev).parse().ok())
            >
                {move || {
                    let selected = value.get();
                    groups
                        .get()
                        .into_iter()
                        .rev() // newest first, as the default A is
                        .map(|g| {
                            view! {
                                <option value=g.group.to_string() selected=selected == Some(g.group)>
                                    {g.label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The `comparison` element: the sentence, the numbers, and the hooks.
#[component]
fn ComparisonView(lab: Lab, groups: Memo<Vec<GroupFinals>>, shown: Memo<Shown>) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let result = move || match shown.get() {
        Shown::Compared { result, .. } => Some(result),
        _ => None,
    };
    let inference = move || result().and_then(|r| r.accuracy.inference);
    let hook = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let body = move || {
        let s = t();
        match shown.get() {
            Shown::NeedTwo => view! { <p class="hint">{s.cmp_need_two}</p> }.into_any(),
            Shown::SameGroup => view! { <p class="hint">{s.cmp_same_group}</p> }.into_any(),
            Shown::Compared { a, b, result } => {
                let accuracy = fill(s.cmp_points, &[&plus(result.accuracy.difference, 2)]);
                let accuracy = with_interval(s, accuracy, &result.accuracy, 2);
                let loss = (result.loss).map(|l| with_interval(s, plus(l.difference, 3), &l, 3));
                view! {
                    <p class="cmp-sentence">{sentence(s, &a, &b, &result)}</p>
                    <dl class="cmp-numbers">
                        <dt>{s.cmp_accuracy}</dt>
                        <dd>{accuracy}</dd>
                        {loss.map(|loss| view! {
                            <dt>{s.cmp_loss}</dt>
                            <dd>{loss}</dd>
                        })}
                    </dl>
                }
                .into_any()
            }
        }
    };
    view! {
        <div
            class="comparison"
            data-testid="comparison"
            aria-live="polite"
            data-groups=move || groups.with(Vec::len)
            data-diff=move || hook(result().map(|r| r.accuracy.difference))
            data-ci-low=move || hook(inference().map(|i| i.low))
            data-ci-high=move || hook(inference().map(|i| i.high))
            data-p=move || hook(inference().map(|i| i.p))
            data-test=move || result().map(|r| test_key(r.test)).unwrap_or_default()
            data-verdict=move || result().map(|r| r.verdict.key()).unwrap_or_default()
        >
            {body}
        </div>
    }
}

/// A difference as the panel writes it (`value`, in words), followed, when `c` has an
/// inference, by its 95 % interval and p-value (`decimals` places).
fn with_interval(s: &Strings, value: String, c: &Comparison, decimals: usize) -> String {
    let Some(i) = c.inference else {
        return value;
    };
    let ci = fill(
        s.cmp_ci,
        &[&signed(i.low, decimals), &signed(i.high, decimals)],
    );
    let sep = s.separator;
    format!("{value}{sep}{ci}{sep}p = {}", p_text(i.p))
}

/// `x` with a sign either way ("+0.68", "−0.021"): a difference reads better signed.
fn plus(x: f64, decimals: usize) -> String {
    let text = signed(x, decimals);
    if text.starts_with('−') || text.chars().all(|c| c == '0' || c == '.') {
        text
    } else {
        format!("+{text}")
    }
}

/// A p-value as a reader takes it in: three decimals, or "< 0.001".
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}
