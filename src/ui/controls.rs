//! The settings and the Train / Pause / Step / Reset buttons. Every value typed or slid is
//! bounded by [`crate::settings`] before it reaches the experiment, so no input can put the
//! page in a state the trainer refuses.

use super::explain::Explain;
use super::lab::{Lab, Phase};
use super::menu::{options, setting_menu};
use super::typed_box::{NumberField, NumberInput, Typed};
use crate::experiment::{DataSource, Experiment};
use crate::i18n::fill;
use crate::i18n::labels::Label;
use crate::plot::lr::format_rate;
use crate::preset::Preset;
use crate::settings::Setting;
use crate::settings::{self, FLOOR_RANGE, LR_RANGE, MAX_BASE_BATCH, MAX_EPOCHS, SPLIT_RANGE};
use crate::trainer::data::toy::MAX_NOISE;
use crate::trainer::schedule::Decay;
use crate::worker::protocol::Speed;
use leptos::ev::Event;
use leptos::prelude::*;

/// The value typed into an input, parsed.
fn value<T: std::str::FromStr>(ev: &Event) -> Option<T> {
    event_target_value(ev).trim().parse().ok()
}

/// All settings, in two panels: the data (what is trained on) and the training (how).
#[component]
pub fn Controls(lab: Lab) -> impl IntoView {
    view! {
        <DataSection lab=lab />
        <TrainingSection lab=lab />
    }
}

/// The preset, the data set, its noise (2-D sets), N, the validation split and the seed.
#[component]
fn DataSection(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let is_toy = move || matches!(exp.get().source, DataSource::Toy { .. });
    let noise = move || match exp.get().source {
        DataSource::Toy { noise, .. } => noise.to_string(),
        _ => String::new(),
    };
    view! {
        <section class="panel controls" aria-labelledby="controls-data">
            <h2 id="controls-data">{move || t().section_data}</h2>
            <Explain lang=lab.lang text=|t| t.explain_controls />
            <PresetMenu lab=lab />
            // As a link's `data` key: the set with its defaults (Experiment::set_source).
            {setting_menu(lab, "dataset", |t| t.dataset, |e| e.source, Experiment::set_source)}
            <Show when=is_toy>
                <NumberField
                    lab=lab
                    key="noise"
                    id="noise"
                    label=|t| t.noise
                    shown=noise
                    min="0"
                    max=MAX_NOISE.to_string()
                    step=Some("0.05")
                />
            </Show>
            <TrainSizeField lab=lab />
            <div class="field-row">
                <NumberField
                    lab=lab
                    key="split"
                    id="validation-split"
                    label=|t| t.validation_split
                    shown=move || exp.get().validation_split.to_string()
                    min=SPLIT_RANGE.0.to_string()
                    max=SPLIT_RANGE.1.to_string()
                    step=Some("0.05")
                />
                <NumberField
                    lab=lab
                    key="seed"
                    id="seed"
                    label=|t| t.seed
                    shown=move || exp.get().config.seed.to_string()
                    min="0"
                    max=""
                />
                <SeedsField lab=lab />
            </div>
        </section>
    }
}

/// How many seeds Train repeats the run with (s, s+1, …), a setting of the page beside the
/// experiment.
#[component]
fn SeedsField(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let typed_seeds = Typed::new(lab, "seeds", "seeds");
    view! {
        <label class="field">
            <span>{move || t().seeds}</span>
            <input
                type="number"
                min=settings::SEEDS_RANGE.0
                max=settings::SEEDS_RANGE.1
                data-testid="seeds"
                title=move || t().seeds_hint
                prop:value=move || lab.seeds.get().to_string()
                on:change=typed_seeds.on_change_seeds(lab)
                aria-invalid=typed_seeds.invalid()
            />
            {typed_seeds.reason(lab.lang)}
        </label>
    }
}

/// The preset menu, in the groups of [`Preset::group`]. Each `<option>` carries its own
/// `selected` besides the `<select>`'s `value` property, which alone is lost when it is set
/// before the options exist.
#[component]
fn PresetMenu(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let preset_key = move || Preset::matching(&exp.get()).map_or("", Preset::key);
    let on_preset = move |ev: Event| {
        if let Some(p) = Preset::from_key(&event_target_value(&ev)) {
            lab.apply_preset(p);
        }
    };
    let preset_option = move |p: Preset| {
        view! {
            <option value=p.key() selected=move || preset_key() == p.key()>{move || p.label(t())}</option>
        }
    };
    // The menu's groups are runs of Preset::ALL with the same Preset::group.
    let preset_menu = Preset::ALL
        .chunk_by(|a, b| a.group() == b.group())
        .map(|run| {
            let options = run.iter().map(|&p| preset_option(p)).collect_view();
            match run[0].group() {
                None => options.into_any(),
                Some(g) => {
                    view! { <optgroup label=move || g.label(t())>{options}</optgroup> }.into_any()
                }
            }
        })
        .collect_view();
    view! {
        <label class="field">
            <span>{move || t().preset}</span>
            <select data-testid="preset" on:change=on_preset prop:value=preset_key>
                <option value="" disabled selected=move || preset_key().is_empty()>{move || t().preset_custom}</option>
                {preset_menu}
            </select>
        </label>
    }
}

/// B and epochs (slider and box), the noise meter, the learning rate and optimiser, the
/// schedule and the model.
#[component]
fn TrainingSection(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let shows_noise = use_context::<super::ShownPanels>()
        .is_none_or(|shown| shown.shows(crate::url_state::Panel::Noise));
    let exp = lab.experiment;
    view! {
        <section class="panel controls" aria-labelledby="controls-training">
            <h2 id="controls-training">{move || t().section_training}</h2>
            <BatchField lab=lab />
            {shows_noise.then(|| view! { <super::noise_meter::NoiseMeter lab=lab /> })}
            <EpochsField lab=lab />
            <div class="field-row">
                <NumberField
                    lab=lab
                    key="lr"
                    id="learning-rate"
                    label=|t| t.learning_rate
                    shown=move || exp.get().config.learning_rate.to_string()
                    min=LR_RANGE.0.to_string()
                    max=LR_RANGE.1.to_string()
                    step=Some("any")
                />
                // As a link's `opt` key (Experiment::set_optimizer).
                {setting_menu(
                    lab,
                    "optimizer",
                    |t| t.optimizer,
                    |e| e.config.optimizer,
                    Experiment::set_optimizer,
                )}
            </div>
            <LrReadouts lab=lab />
            <ScheduleFields lab=lab />
            <ModelFields lab=lab />
            <p class="hint">{move || t().batch_change_rule}</p>
        </section>
    }
}

/// N, with the help line under it unless `compact` (the focused views).
#[component]
pub fn TrainSizeField(lab: Lab, #[prop(optional)] compact: bool) -> impl IntoView {
    let exp = lab.experiment;
    let help: Option<fn(&'static crate::i18n::Strings) -> &'static str> =
        (!compact).then_some(|t| t.train_size_help);
    view! {
        <NumberField
            lab=lab
            key="n"
            id="dataset-size"
            label=|t| t.train_size
            shown=move || exp.get().train_size.to_string()
            min="1"
            max=move || exp.get().max_train_size().to_string()
            help=help
        />
    }
}

/// B's box: at most N.
pub(crate) fn batch_input(lab: Lab, typed: Typed) -> impl IntoView {
    let exp = lab.experiment;
    view! {
        <NumberInput
            lab=lab
            typed=typed
            shown=move || exp.get().config.batch_size.to_string()
            min="1"
            max=move || exp.get().train_size.to_string()
        />
    }
}

/// Epochs' box: at most [`MAX_EPOCHS`].
fn epochs_input(lab: Lab, typed: Typed) -> impl IntoView {
    let exp = lab.experiment;
    view! {
        <NumberInput
            lab=lab
            typed=typed
            shown=move || exp.get().config.epochs.to_string()
            min="1"
            max=MAX_EPOCHS.to_string()
        />
    }
}

/// A labelled box alone (the focused views' compact fields): `input` is [`batch_input`] or
/// [`epochs_input`].
fn compact_field(
    lab: Lab,
    typed: Typed,
    label: fn(&'static crate::i18n::Strings) -> &'static str,
    input: fn(Lab, Typed) -> AnyView,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || label(lab.lang.get().strings())}</span>
            {input(lab, typed)}
            {typed.reason(lab.lang)}
        </label>
    }
}

/// B as a slider over [`settings::batch_stops`] and a box, and what kind of gradient
/// descent it makes (stochastic, mini-batch, full batch); `compact`: the labelled box alone.
#[component]
pub fn BatchField(lab: Lab, #[prop(optional)] compact: bool) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let stops = move || settings::batch_stops(exp.get().train_size);
    let typed_b = Typed::new(lab, "b", "batch-size");
    if compact {
        let input = |lab, typed| batch_input(lab, typed).into_any();
        return compact_field(lab, typed_b, |t| t.batch_size, input).into_any();
    }
    view! {
        <label class="field">
            <span>{move || t().batch_size}</span>
            <div class="slider-row">
                <input
                    type="range"
                    min="0"
                    max=move || stops().len() - 1
                    step="1"
                    data-testid="batch-size-slider"
                    aria-valuetext=move || exp.get().config.batch_size.to_string()
                    prop:value=move || settings::nearest_stop(&stops(), exp.get().config.batch_size).to_string()
                    on:input=move |ev| {
                        if let Some(i) = value::<usize>(&ev) {
                            let s = stops();
                            lab.set_batch(s[i.min(s.len() - 1)]);
                        }
                    }
                />
                {batch_input(lab, typed_b)}
            </div>
            {typed_b.reason(lab.lang)}
            <small class="batch-kind">
                {move || {
                    let e = exp.get();
                    let s = t();
                    if e.config.batch_size <= 1 {
                        s.batch_sgd
                    } else if e.config.batch_size >= e.train_size {
                        s.batch_full
                    } else {
                        s.batch_mini
                    }
                }}
            </small>
        </label>
    }
    .into_any()
}

/// Epochs as a slider and a box; `compact`: the labelled box alone.
#[component]
pub fn EpochsField(lab: Lab, #[prop(optional)] compact: bool) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let typed_epochs = Typed::new(lab, "epochs", "epochs");
    if compact {
        let input = |lab, typed| epochs_input(lab, typed).into_any();
        return compact_field(lab, typed_epochs, |t| t.epochs, input).into_any();
    }
    view! {
        <label class="field">
            <span>{move || t().epochs}</span>
            <div class="slider-row">
                <input
                    type="range"
                    min="1"
                    max=MAX_EPOCHS
                    data-testid="epochs-slider"
                    prop:value=move || exp.get().config.epochs.to_string()
                    on:input=move |ev| {
                        if let Some(n) = value::<usize>(&ev) {
                            lab.set_epochs(n)
                        }
                    }
                />
                {epochs_input(lab, typed_epochs)}
            </div>
            {typed_epochs.reason(lab.lang)}
        </label>
    }
    .into_any()
}

/// The rate after warm-up at the current B (follows the batch slider), and the rate the
/// latest update used.
#[component]
fn LrReadouts(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let effective_lr = move || {
        let e = exp.get();
        e.config.peak_rate(e.train_size)
    };
    view! {
        <p class="lr-readouts">
            <output data-testid="effective-lr" data-value=move || effective_lr().to_string()>
                {move || fill(t().effective_lr, &[&format_rate(effective_lr() as f64, 4)])}
            </output>
            {move || {
                lab.latest
                    .get()
                    .map(|s| {
                        view! {
                            <output data-testid="lr-now" data-value=s.learning_rate.to_string()>
                                {fill(t().lr_now, &[&format_rate(s.learning_rate as f64, 4)])}
                            </output>
                        }
                    })
            }}
        </p>
    }
}

/// The post's two learning-rate tips and a decay: the scaling rule and its base batch,
/// warm-up, and the decay with its floor.
#[component]
fn ScheduleFields(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let schedule = move || exp.get().config.schedule;
    view! {
        <div class="field-row">
            {setting_menu(
                lab,
                "lr-rule",
                |t| t.lr_rule,
                |e| e.config.schedule.rule,
                Experiment::set_rule,
            )}
            <NumberField
                lab=lab
                key="b0"
                id="lr-base-batch"
                label=|t| t.lr_base_batch
                shown=move || schedule().base_batch.to_string()
                min="1"
                max=MAX_BASE_BATCH.to_string()
            />
        </div>
        <div class="field-row">
            <NumberField
                lab=lab
                key="warmup"
                id="warmup-epochs"
                label=|t| t.warmup_epochs
                shown=move || schedule().warmup_epochs.to_string()
                min="0"
                max=MAX_EPOCHS.to_string()
            />
            <NumberField
                lab=lab
                key="warmup-lr"
                id="warmup-start"
                label=|t| t.warmup_start
                shown=move || schedule().warmup_start.to_string()
                min=LR_RANGE.0.to_string()
                max=LR_RANGE.1.to_string()
                step=Some("any")
            />
        </div>
        <div class="field-row">
            {setting_menu(
                lab,
                "lr-decay",
                |t| t.lr_decay,
                |e| e.config.schedule.decay,
                Experiment::set_decay,
            )}
            <NumberField
                lab=lab
                key="floor"
                id="lr-floor"
                label=|t| t.lr_floor
                shown=move || schedule().floor.to_string()
                min=FLOOR_RANGE.0.to_string()
                max=FLOOR_RANGE.1.to_string()
                step=Some("0.05")
                disabled=move || schedule().decay == Decay::Constant
            />
        </div>
        <small class="hint lr-help">{move || t().lr_schedule_help}</small>
    }
}

/// The hidden layers (a list of widths, so a text box) and the activation.
#[component]
fn ModelFields(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let exp = lab.experiment;
    let typed_layers = Typed::new(lab, "layers", "hidden-layers");
    view! {
        <div class="field-row">
            <label class="field">
                <span>{move || t().hidden_layers}</span>
                <input
                    type="text"
                    inputmode="numeric"
                    data-testid="hidden-layers"
                    prop:value=move || settings::format_hidden(&exp.get().config.hidden)
                    on:change=typed_layers.on_change(lab)
                    aria-invalid=typed_layers.invalid()
                />
                {typed_layers.reason(lab.lang)}
            </label>
            {setting_menu(
                lab,
                "activation",
                |t| t.activation,
                |e| e.config.activation,
                Experiment::set_activation,
            )}
        </div>
    }
}

/// Train / Pause / Step / Reset and the speed. Train and Pause are marked `aria-disabled`
/// rather than `disabled` when they would do nothing, so keyboard focus stays on them as a
/// run starts and stops (a disabled button drops focus to the page).
#[component]
pub fn Buttons(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let phase = lab.phase;
    let can_train = move || !matches!(phase.get(), Phase::Running);
    // Before a deferred embed has started, Step starts it and steps once it is ready.
    let can_step = move || {
        !lab.started.get() || matches!(phase.get(), Phase::Ready | Phase::Paused | Phase::Running)
    };
    view! {
        <div class="buttons" role="group">
            <button
                class="primary"
                data-testid="train"
                aria-disabled=move || (!can_train()).to_string()
                on:click=move |_| lab.train()
            >
                {move || if phase.get() == Phase::Paused { t().resume } else { t().train }}
            </button>
            <button
                data-testid="pause"
                aria-disabled=move || (phase.get() != Phase::Running).to_string()
                on:click=move |_| lab.pause()
            >
                {move || t().pause}
            </button>
            <button data-testid="step" disabled=move || !can_step() on:click=move |_| lab.step()>
                {move || t().step}
            </button>
            <button data-testid="reset" on:click=move |_| lab.reset()>
                {move || t().reset}
            </button>
            {move || {
                matches!(phase.get(), Phase::Failed(e) if e.offers_retry())
                    .then(|| {
                        view! {
                            <super::status::RetryButton lang=lab.lang test_id="retry" on_retry=move || lab.retry() />
                        }
                    })
            }}
            <label class="speed">
                <span>{move || t().speed}</span>
                <select
                    data-testid="speed"
                    prop:value=move || lab.speed.get().key().into_owned()
                    on:change=move |ev| {
                        let speed = Speed::from_key(&event_target_value(&ev));
                        lab.set_speed(speed.unwrap_or(Speed::PAGE_DEFAULT));
                    }
                >
                    {options(lab.lang, <Speed as Setting>::ALL, move || lab.speed.get())}
                </select>
            </label>
        </div>
    }
}
