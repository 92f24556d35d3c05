//! The settings and the Train / Pause / Step / Reset buttons. Every value typed or slid is
//! bounded by [`crate::settings`] before it reaches the experiment, so no input can put the
//! page in a state the trainer refuses.

use super::explain::Explain;
use super::lab::{Lab, Phase};
use super::menu::options;
use super::typed_box::Typed;
use crate::experiment::DataSource;
use crate::i18n::fill;
use crate::i18n::labels::Label;
use crate::plot::lr::format_rate;
use crate::preset::Preset;
use crate::settings::Setting;
use crate::settings::{self, FLOOR_RANGE, LR_RANGE, MAX_BASE_BATCH, MAX_EPOCHS, SPLIT_RANGE};
use crate::trainer::data::toy::MAX_NOISE;
use crate::trainer::model::Activation;
use crate::trainer::optim::OptimizerKind;
use crate::trainer::schedule::{Decay, ScalingRule};
use crate::worker::protocol::Speed;
use leptos::ev::Event;
use leptos::prelude::*;

/// The value typed into an input, parsed.
fn value<T: std::str::FromStr>(ev: &Event) -> Option<T> {
    event_target_value(ev).trim().parse().ok()
}

/// All settings. Each `<option>` carries its own `selected` besides the `<select>`'s `value`
/// property, which alone is lost when it is set before the options exist.
#[component]
pub fn Controls(lab: Lab) -> impl IntoView {
    let t = move || lab.lang.get().strings();
    let shows_noise = use_context::<super::ShownPanels>()
        .is_none_or(|shown| shown.shows(crate::url_state::Panel::Noise));
    let exp = lab.experiment;
    let is_toy = move || matches!(exp.get().source, DataSource::Toy { .. });
    let max_n = move || exp.get().max_train_size();
    let stops = move || settings::batch_stops(exp.get().train_size);
    let typed = |key, id| Typed::new(lab, key, id);
    let typed_seeds = typed("seeds", "seeds");
    let (typed_noise, typed_n, typed_split) = (
        typed("noise", "noise"),
        typed("n", "dataset-size"),
        typed("split", "validation-split"),
    );
    let (typed_seed, typed_b, typed_epochs) = (
        typed("seed", "seed"),
        typed("b", "batch-size"),
        typed("epochs", "epochs"),
    );
    let (typed_lr, typed_b0, typed_warmup) = (
        typed("lr", "learning-rate"),
        typed("b0", "lr-base-batch"),
        typed("warmup", "warmup-epochs"),
    );
    let (typed_warmup_lr, typed_floor, typed_layers) = (
        typed("warmup-lr", "warmup-start"),
        typed("floor", "lr-floor"),
        typed("layers", "hidden-layers"),
    );

    let on_source = move |ev: Event| {
        // As a link's `data` key: the set with its defaults (Experiment::set_source).
        if let Some(source) = DataSource::from_key(&event_target_value(&ev)) {
            lab.change(|e| e.set_source(source));
        }
    };
    let set_batch = move |b: usize| lab.set_batch(b);
    let set_epochs = move |n: usize| lab.set_epochs(n);
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
    let lang = lab.lang;
    let rule = move || exp.get().config.schedule.rule;
    let decay = move || exp.get().config.schedule.decay;
    // The rate after warm-up at the current B (follows the batch slider).
    let effective_lr = move || {
        let e = exp.get();
        e.config.peak_rate(e.train_size)
    };

    view! {
        <section class="panel controls" aria-labelledby="controls-data">
            <h2 id="controls-data">{move || t().section_data}</h2>
            <Explain lang=lab.lang text=|t| t.explain_controls />
            <label class="field">
                <span>{move || t().preset}</span>
                <select data-testid="preset" on:change=on_preset prop:value=preset_key>
                    <option value="" disabled selected=move || preset_key().is_empty()>{move || t().preset_custom}</option>
                    {preset_menu}
                </select>
            </label>
            <label class="field">
                <span>{move || t().dataset}</span>
                <select data-testid="dataset" on:change=on_source prop:value=move || exp.get().source.key()>
                    {options(lang, &DataSource::ALL, move || exp.get().source)}
                </select>
            </label>
            <Show when=is_toy>
                <label class="field">
                    <span>{move || t().noise}</span>
                    <input
                        type="number"
                        min="0"
                        max=MAX_NOISE
                        step="0.05"
                        data-testid="noise"
                        prop:value=move || match exp.get().source {
                            DataSource::Toy { noise, .. } => noise.to_string(),
                            _ => String::new(),
                        }
                        on:change=typed_noise.on_change(lab)
                        aria-invalid=typed_noise.invalid()
                    />
                    {typed_noise.reason(lab.lang)}
                </label>
            </Show>
            <label class="field">
                <span>{move || t().train_size}</span>
                <input
                    type="number"
                    min="1"
                    max=max_n
                    data-testid="dataset-size"
                    prop:value=move || exp.get().train_size.to_string()
                    on:change=typed_n.on_change(lab)
                    aria-invalid=typed_n.invalid()
                />
                {typed_n.reason(lab.lang)}
                <small>{move || t().train_size_help}</small>
            </label>
            <div class="field-row">
                <label class="field">
                    <span>{move || t().validation_split}</span>
                    <input
                        type="number"
                        min=SPLIT_RANGE.0
                        max=SPLIT_RANGE.1
                        step="0.05"
                        data-testid="validation-split"
                        prop:value=move || exp.get().validation_split.to_string()
                        on:change=typed_split.on_change(lab)
                        aria-invalid=typed_split.invalid()
                    />
                    {typed_split.reason(lab.lang)}
                </label>
                <label class="field">
                    <span>{move || t().seed}</span>
                    <input
                        type="number"
                        min="0"
                        data-testid="seed"
                        prop:value=move || exp.get().config.seed.to_string()
                        on:change=typed_seed.on_change(lab)
                        aria-invalid=typed_seed.invalid()
                    />
                    {typed_seed.reason(lab.lang)}
                </label>
                <label class="field">
                    <span>{move || t().seeds}</span>
                    <input
                        type="number"
                        min="1"
                        max="10"
                        data-testid="seeds"
                        title=move || t().seeds_hint
                        prop:value=move || lab.seeds.get().to_string()
                        on:change=typed_seeds.on_change_seeds(lab)
                        aria-invalid=typed_seeds.invalid()
                    />
                    {typed_seeds.reason(lab.lang)}
                </label>
            </div>
        </section>
        <section class="panel controls" aria-labelledby="controls-training">
            <h2 id="controls-training">{move || t().section_training}</h2>
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
                                set_batch(s[i.min(s.len() - 1)]);
                            }
                        }
                    />
                    <input
                        type="number"
                        min="1"
                        max=move || exp.get().train_size
                        data-testid="batch-size"
                        prop:value=move || exp.get().config.batch_size.to_string()
                        on:change=typed_b.on_change(lab)
                        aria-invalid=typed_b.invalid()
                    />
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
            {shows_noise.then(|| view! { <super::noise_meter::NoiseMeter lab=lab /> })}
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
                                set_epochs(n)
                            }
                        }
                    />
                    <input
                        type="number"
                        min="1"
                        max=MAX_EPOCHS
                        data-testid="epochs"
                        prop:value=move || exp.get().config.epochs.to_string()
                        on:change=typed_epochs.on_change(lab)
                        aria-invalid=typed_epochs.invalid()
                    />
                </div>
                {typed_epochs.reason(lab.lang)}
            </label>
            <div class="field-row">
                <label class="field">
                    <span>{move || t().learning_rate}</span>
                    <input
                        type="number"
                        min=LR_RANGE.0
                        max=LR_RANGE.1
                        step="any"
                        data-testid="learning-rate"
                        prop:value=move || exp.get().config.learning_rate.to_string()
                        on:change=typed_lr.on_change(lab)
                        aria-invalid=typed_lr.invalid()
                    />
                    {typed_lr.reason(lab.lang)}
                </label>
                <label class="field">
                    <span>{move || t().optimizer}</span>
                    <select
                        data-testid="optimizer"
                        prop:value=move || exp.get().config.optimizer.key()
                        on:change=move |ev| {
                            // As a link's `opt` key (Experiment::set_optimizer).
                            if let Some(kind) = OptimizerKind::from_key(&event_target_value(&ev)) {
                                lab.change(|e| e.set_optimizer(kind));
                            }
                        }
                    >
                        {options(lang, &OptimizerKind::ALL, move || exp.get().config.optimizer)}
                    </select>
                </label>
            </div>
            <p class="lr-readouts">
                <output
                    data-testid="effective-lr"
                    data-value=move || effective_lr().to_string()
                >
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
            <div class="field-row">
                <label class="field">
                    <span>{move || t().lr_rule}</span>
                    <select
                        data-testid="lr-rule"
                        prop:value=move || rule().key()
                        on:change=move |ev| {
                            if let Some(r) = ScalingRule::from_key(&event_target_value(&ev)) {
                                lab.change(|e| e.config.schedule.rule = r)
                            }
                        }
                    >
                        {options(lang, &ScalingRule::ALL, rule)}
                    </select>
                </label>
                <label class="field">
                    <span>{move || t().lr_base_batch}</span>
                    <input
                        type="number"
                        min="1"
                        max=MAX_BASE_BATCH
                        data-testid="lr-base-batch"
                        prop:value=move || exp.get().config.schedule.base_batch.to_string()
                        on:change=typed_b0.on_change(lab)
                        aria-invalid=typed_b0.invalid()
                    />
                    {typed_b0.reason(lab.lang)}
                </label>
            </div>
            <div class="field-row">
                <label class="field">
                    <span>{move || t().warmup_epochs}</span>
                    <input
                        type="number"
                        min="0"
                        max=MAX_EPOCHS
                        data-testid="warmup-epochs"
                        prop:value=move || exp.get().config.schedule.warmup_epochs.to_string()
                        on:change=typed_warmup.on_change(lab)
                        aria-invalid=typed_warmup.invalid()
                    />
                    {typed_warmup.reason(lab.lang)}
                </label>
                <label class="field">
                    <span>{move || t().warmup_start}</span>
                    <input
                        type="number"
                        min=LR_RANGE.0
                        max=LR_RANGE.1
                        step="any"
                        data-testid="warmup-start"
                        prop:value=move || exp.get().config.schedule.warmup_start.to_string()
                        on:change=typed_warmup_lr.on_change(lab)
                        aria-invalid=typed_warmup_lr.invalid()
                    />
                    {typed_warmup_lr.reason(lab.lang)}
                </label>
            </div>
            <div class="field-row">
                <label class="field">
                    <span>{move || t().lr_decay}</span>
                    <select
                        data-testid="lr-decay"
                        prop:value=move || decay().key()
                        on:change=move |ev| {
                            if let Some(d) = Decay::from_key(&event_target_value(&ev)) {
                                lab.change(|e| e.config.schedule.decay = d)
                            }
                        }
                    >
                        {options(lang, &Decay::ALL, decay)}
                    </select>
                </label>
                <label class="field">
                    <span>{move || t().lr_floor}</span>
                    <input
                        type="number"
                        min=FLOOR_RANGE.0
                        max=FLOOR_RANGE.1
                        step="0.05"
                        data-testid="lr-floor"
                        disabled=move || decay() == Decay::Constant
                        prop:value=move || exp.get().config.schedule.floor.to_string()
                        on:change=typed_floor.on_change(lab)
                        aria-invalid=typed_floor.invalid()
                    />
                    {typed_floor.reason(lab.lang)}
                </label>
            </div>
            <small class="hint lr-help">{move || t().lr_schedule_help}</small>
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
                <label class="field">
                    <span>{move || t().activation}</span>
                    <select
                        data-testid="activation"
                        prop:value=move || exp.get().config.activation.key()
                        on:change=move |ev| {
                            if let Some(a) = Activation::from_key(&event_target_value(&ev)) {
                                lab.change(|e| e.config.activation = a);
                            }
                        }
                    >
                        {options(lang, &Activation::ALL, move || exp.get().config.activation)}
                    </select>
                </label>
            </div>
            <p class="hint">{move || t().batch_change_rule}</p>
        </section>
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
    let can_step = move || matches!(phase.get(), Phase::Ready | Phase::Paused | Phase::Running);
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
                            <button data-testid="retry" on:click=move |_| lab.retry()>
                                {move || t().retry}
                            </button>
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
