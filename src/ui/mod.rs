//! The page (Leptos, client-side rendering): controls, epoch anatomy, charts, batch view
//! and status, driving the trainer in a Web Worker.
//!
//! - [`lab`]: the page's state and its conversation with the worker.
//! - [`controls`], [`anatomy_panel`], [`charts`], [`view_controls`], [`run_list`],
//!   [`batch_view`], [`status`], [`export_panel`], [`share`], [`cost_panel`], [`noise_meter`],
//!   [`code_panel`], [`guide_panel`]: one panel each; [`step_view`]: what Step just did,
//!   beside the buttons; [`first_visit`]: whether to show the first-visit suggestion;
//!   [`explain`]: each panel's "what am I looking at?".

pub mod anatomy_panel;
pub mod batch_view;
pub mod charts;
pub mod claims;
pub mod code_panel;
pub mod compare_panel;
pub mod controls;
pub mod cost_panel;
pub mod embed;
pub mod explain;
pub mod export_panel;
pub mod first_visit;
pub mod guide_panel;
pub mod lab;
pub mod menu;
pub mod noise_meter;
pub mod notices;
pub mod run_list;
pub mod share;
pub mod start;
pub mod static_header;
pub mod status;
pub mod step_view;
pub mod sweep;
pub mod test_fault;
pub mod typed_box;
pub mod view_controls;
pub mod views;

use crate::i18n::Lang;
use crate::layout::Layout;
use crate::url_state::{self, Panel};
use anatomy_panel::{AnatomyPanel, AnatomySummary};
use batch_view::BatchView;
use charts::of_lab::{LabCharts, LabLrChart};
use code_panel::CodePanel;
use compare_panel::ComparePanel;
use controls::{Buttons, Controls};
use cost_panel::CostPanel;
use explain::Explain;
use export_panel::ExportPanel;
use guide_panel::GuidePanel;
use lab::Lab;
use leptos::prelude::*;
use notices::Notices;
use run_list::RunList;
use share::SharePanel;
use start::StartEmbed;
use status::StatusLine;
use step_view::StepView;
use sweep::SweepPanel;
use view_controls::ViewControls;

/// Mounts the app on `<body>`; called by the page binary (`src/main.rs`). The page is built
/// in a task of its own, not in the one that compiled and instantiated the wasm (together
/// they were one long task), and most of its panels in tasks after that ([`Deferred`]).
pub fn mount() {
    console_error_panic_hook::set_once();
    in_next_task(|| leptos::mount::mount_to_body(App));
}

/// Runs `f` in a task of its own, queued behind the current one: how the page splits work
/// that would otherwise be one long task (over 50 ms on a slow machine). A zero timer, not
/// an animation frame: frames do not run in an iframe scrolled out of view, and the page
/// that embeds the app should get its full height before the reader scrolls there.
pub fn in_next_task(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// Scrolls the run list into view once it is there: after the claims view switched to the
/// full lab, whose parts mount one task after another ([`Deferred`]); tries for about 2 s.
pub fn scroll_to_run_list() {
    fn attempt(tries: u32) {
        set_timeout(
            move || {
                let list = document().query_selector("[data-testid=\"run-list\"]");
                match list.ok().flatten() {
                    Some(e) => e.scroll_into_view(),
                    None if tries > 0 => attempt(tries - 1),
                    None => {}
                }
            },
            std::time::Duration::from_millis(50),
        );
    }
    attempt(40);
}

/// The page's monotonic clock in milliseconds (0 where there is none).
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The logical cores this browser reports, `None` if it does not say
/// ([`crate::sweep::cores_from`] reads the number; the worker counts and the display pacing
/// all ask here).
pub fn cores() -> Option<usize> {
    crate::sweep::cores_from(window().navigator().hardware_concurrency())
}

/// The browser's preferred languages.
fn browser_languages() -> Vec<String> {
    let navigator = window().navigator();
    let mut langs: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = navigator.language() {
        langs.push(l);
    }
    langs
}

/// The panels this page shows (`hide=` removes some), as a context for the components that
/// mount a hideable part inside their own (the noise meter sits in the controls).
#[derive(Clone, Debug)]
pub struct ShownPanels(Vec<Panel>);

impl ShownPanels {
    pub fn shows(&self, panel: Panel) -> bool {
        !self.0.contains(&panel)
    }
}

/// The whole lab. Settings come from the URL (and go back into it as they change);
/// `embed=1` gives the compact iframe view, `hide=` removes panels.
#[component]
pub fn App() -> impl IntoView {
    let query = window().location().search().unwrap_or_default();
    let (page, notices) = url_state::parse(&query);
    // A first visit: nothing stored yet, whatever the link says (a shared link or an embed
    // is a first visit too). Marked at once, so the next visit does not show it again. Only
    // the full lab shows it (it names Train and the Keras example; a focused view may have
    // neither) and only the full lab uses it up.
    let show_hint = RwSignal::new(page.layout == Layout::Full && first_visit::take());
    // The suggestion names the post's Keras example only when that is what the page holds.
    let keras_example = page.experiment == crate::experiment::Experiment::default();
    let lab = lab_of_page(&page);
    let (embed, layout, hide) = (page.embed, page.layout, page.hide.clone());
    provide_context(ShownPanels(hide.clone()));
    // The page's view, which "Open in the lab" in `view=claims` switches to the full lab in
    // place, keeping the card's runs (they live in this page's memory only), and the cards'
    // state, which both views show.
    let shown = RwSignal::new(layout);
    provide_context(LayoutSwitch(shown));
    provide_context(claims::runs::Claims::new(lab));
    follow_page(lab, embed, (shown, page.claim), hide.clone());
    // The MNIST credit, where MNIST can be used: not in the anatomy view on other data.
    let credit = move || {
        layout != Layout::Anatomy
            || lab.experiment.get().source == crate::experiment::DataSource::Mnist
    };
    let (hide_share, hide_full) = (hide.clone(), hide);
    // A plain visit's header is already on the page (index.html, js/shell.js).
    let plain = layout == Layout::Full && !embed && keras_example;
    let adopted = plain && static_header::adopt(lab, show_hint);
    if !adopted {
        static_header::remove();
    }
    view! {
        {(!adopted).then(|| view! { <Header lab embed show_hint keras_example /> })}
        <Notices notices=notices lang=lab.lang />
        {(layout == Layout::Anatomy).then(|| view! { <views::AnatomyView lab=lab /> })}
        {(layout == Layout::Race).then(|| view! { <views::RaceView lab=lab /> })}
        {(layout == Layout::Lr).then(|| view! { <views::LrView lab=lab /> })}
        {(layout == Layout::Sweep).then(|| view! { <views::SweepView lab=lab /> })}
        {move || (shown.get() == Layout::Claims).then(|| view! { <views::ClaimsView lab=lab claim=page.claim /> })}
        // A focused view opened as a page (not embedded) offers its own link and embed code,
        // which keep the view.
        {move || (shown.get() != Layout::Full && !embed).then(|| view! {
            <div class="focused">
                <SharePanel lab=lab embed=embed hide=hide_share.clone() layout=shown.get() claim=page.claim />
            </div>
        })}
        {move || (shown.get() == Layout::Full).then(|| view! { <FullLab lab embed hide=hide_full.clone() /> })}
        <Show when=credit>
            <footer class="credit">
                <small>{move || lab.lang.get().strings().mnist_credit}</small>
            </footer>
        </Show>
    }
}

/// The page's view as it is now: `view=` of the URL until "Open in the lab" in the claims
/// view switches it to the full lab ([`claims::card`]).
#[derive(Clone, Copy)]
pub struct LayoutSwitch(pub RwSignal<Layout>);

/// The lab with the settings of `page`, its worker started (an embed's when its reader
/// comes, [`start`]).
fn lab_of_page(page: &url_state::PageState) -> Lab {
    let lang = page
        .lang
        .unwrap_or_else(|| Lang::negotiate(browser_languages().iter().map(String::as_str)));
    let lab = Lab::new(page.experiment.clone(), lang);
    lab.speed.set(page.speed);
    lab.view.set(page.view);
    lab.sweep_sizes.set(page.sweep_sizes.clone());
    lab.sweep_target.set(page.sweep_target);
    lab.sweep_workers.set(page.sweep_workers);
    lab.seeds.set(page.seeds);
    lab.sweep_mode.set(page.sweep_mode);
    lab.sweep_seeds.set(page.sweep_seeds);
    lab.sweep_budget.set(page.sweep_budget);
    lab.pace_display();
    // The race view: two runs of the same seed, at the page's B and `race-b`
    // ([`Layout::experiment`] made the first 8 unless the link set it).
    if page.layout == Layout::Race {
        lab.race.set(Some(page.race_b));
    }
    // An embed waits for its reader before it starts the worker (start.rs).
    let defer = start::deferred(page.embed);
    start::start(lab, defer);
    // The anatomy view animates an epoch at a pace a reader can follow (5 updates a second)
    // unless the link asks for another.
    if page.layout == Layout::Anatomy && page.speed == crate::worker::protocol::Speed::PAGE_DEFAULT
    {
        lab.set_speed(crate::worker::protocol::Speed::PerSecond(5));
    }
    lab
}

/// Keeps the document in step with the lab: `<html lang class>`, the URL, the embed's
/// height messages, and `<html data-built="true">` once every deferred part has mounted.
fn follow_page(
    lab: Lab,
    embed: bool,
    (layout, claim): (RwSignal<Layout>, Option<crate::claims::Claim>),
    hide: Vec<Panel>,
) {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lab.lang.get().tag());
            let _ = root.set_attribute("class", if embed { "embed" } else { "" });
        }
    });
    Effect::new(move |_| {
        embed::sync_url(
            &lab.page_state(embed, hide.clone())
                .in_view(layout.get(), claim),
        )
    });
    if embed || embed::in_frame() {
        embed::report_height();
    }
    // The end-to-end tests wait for `data-built` before they count what the page shows (the
    // parts mount 20 ms apart).
    page_built(|| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-built", "true");
        }
    });
}

/// The page's title, the first-visit suggestion, and the language button (and in an embed
/// the link to the full lab).
#[component]
fn Header(lab: Lab, embed: bool, show_hint: RwSignal<bool>, keras_example: bool) -> impl IntoView {
    let text = move || crate::shell::header_text(lab.lang.get(), keras_example);
    let t = move || lab.lang.get().strings();
    let full_link = move || embed::link(&lab.page_state(false, Vec::new()));
    view! {
        <header class="top">
            <div>
                <h1>{move || text().title}</h1>
                <Show when=move || !embed>
                    <p class="subtitle">{move || text().subtitle}</p>
                </Show>
                <Show when=move || show_hint.get()>
                    <p class="first-visit" data-testid="first-visit">
                        <span>{move || text().hint}</span>
                        <button
                            class="first-visit-close"
                            data-testid="first-visit-dismiss"
                            aria-label=move || text().dismiss
                            title=move || text().dismiss
                            on:click=move |_| show_hint.set(false)
                        >
                            "×"
                        </button>
                    </p>
                </Show>
            </div>
            <div class="top-actions">
                <Show when=move || embed>
                    <a class="open-full" href=full_link target="_blank" rel="noopener">
                        {move || t().open_full}
                    </a>
                </Show>
                <button
                    class="lang"
                    data-testid="language"
                    title=move || text().language
                    lang=move || text().other.tag()
                    on:click=move |_| lab.lang.set(text().other)
                >
                    {move || text().other_label}
                </button>
            </div>
        </header>
    }
}

/// The full lab (`view=full`): the settings beside, and in the middle Train and the status,
/// the charts with their run list, and each panel `hide=` leaves, in that order (the order
/// they mount in, [`Deferred`]).
#[component]
fn FullLab(lab: Lab, embed: bool, hide: Vec<Panel>) -> impl IntoView {
    let shown = ShownPanels(hide.clone());
    let shows = move |p: Panel| shown.shows(p);
    let show_batch = shows(Panel::Batch);
    let (show_lr, show_runs) = (shows(Panel::Lr), shows(Panel::Runs));
    view! {
        <main
            class="lab"
            data-testid="view-full"
            class:no-side=!shows(Panel::Controls)
            data-started=move || lab.started.get().to_string()
        >
            {shows(Panel::Controls).then(|| view! {
                <div class="side">
                    <Deferred>
                        <Controls lab=lab />
                    </Deferred>
                    {shows(Panel::Guide).then(|| view! {
                        <Deferred>
                            <GuidePanel lab=lab />
                        </Deferred>
                    })}
                </div>
            })}
            <div class="center">
                {shows(Panel::Anatomy).then(|| view! {
                    <Deferred>
                        <AnatomyPanel lab=lab />
                    </Deferred>
                })}
                // On a phone the anatomy panel follows the charts; its one line stays here.
                {shows(Panel::Anatomy).then(|| view! { <AnatomySummary lab=lab /> })}
                <StartEmbed lab=lab />
                <Buttons lab=lab />
                <StepView lab=lab show_batch=show_batch />
                <StatusLine lab=lab />
                {shows(Panel::Charts).then(|| view! {
                    <Deferred>
                        <ChartsPanels lab show_lr show_runs />
                    </Deferred>
                })}
                // Beside the run list: the comparison of two groups of its runs.
                {shows(Panel::Compare).then(|| view! {
                    <Deferred>
                        <ComparePanel lab=lab />
                    </Deferred>
                })}
                {shows(Panel::Code).then(|| view! {
                    <Deferred>
                        <CodePanel lab=lab />
                    </Deferred>
                })}
                {shows(Panel::Sweep).then(|| view! {
                    <Deferred>
                        <SweepPanel lab=lab />
                    </Deferred>
                })}
                <Deferred>
                    <claims::ClaimsPanel lab=lab />
                </Deferred>
                <Deferred>
                    <LowerPanels lab embed hide=hide.clone() />
                </Deferred>
            </div>
        </main>
    }
}

/// The charts with their controls, the learning-rate strip and the run list.
#[component]
fn ChartsPanels(lab: Lab, show_lr: bool, show_runs: bool) -> impl IntoView {
    view! {
        <ViewControls lab=lab />
        <LabCharts lab=lab />
        {show_lr.then(|| view! { <LabLrChart lab=lab /> })}
        <Explain lang=lab.lang text=|t| t.explain_charts />
        {show_runs.then(|| view! { <RunList lab=lab /> })}
    }
}

/// The panels under the charts: cost, the batch view, export and share.
#[component]
fn LowerPanels(lab: Lab, embed: bool, hide: Vec<Panel>) -> impl IntoView {
    let shown = ShownPanels(hide.clone());
    let t = move || lab.lang.get().strings();
    view! {
        {shown.shows(Panel::Cost).then(|| view! { <CostPanel lab=lab /> })}
        {shown.shows(Panel::Batch).then(|| view! {
            <section class="panel" aria-labelledby="batch-title">
                <h2 id="batch-title">{move || t().section_batch}</h2>
                <Explain lang=lab.lang text=|t| t.explain_batch />
                <BatchView
                    batch=lab.batch
                    info=lab.info
                    boundary=lab.boundary
                    lang=lab.lang
                />
            </section>
        })}
        {shown.shows(Panel::Export).then(|| view! { <ExportPanel lab=lab /> })}
        <SharePanel lab=lab embed=embed hide=hide layout=Layout::Full />
    }
}

/// Renders its children in a task of their own, in the order the parts are created (the
/// page's order), [`DEFERRED_GAP_MS`] after the previous part (the full lab's panels, and the
/// focused views' later parts, [`views`]): building the whole page in one
/// task took 50-90 ms of the main thread on a slow machine (a long task in the post that
/// embeds the app). Most of that was not building but compiling: Chromium compiles a wasm
/// function on its first call, on the main thread, and the first task built with 881 functions
/// never called before (a trace: about two thirds of its CPU time). So Train and the status
/// come first, then the settings, the epoch anatomy, the charts with their controls and run
/// list, and each panel below.
///
/// Until the last of them has mounted the page is not its full height: [`page_built`] tells
/// the embed view when to start reporting it.
#[component]
pub(crate) fn Deferred(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    DEFERRED_PENDING.with(|n| n.set(n.get() + 1));
    DEFERRED_QUEUE.with(|q| q.borrow_mut().push_back(Box::new(move || ready.set(true))));
    if !DEFERRED_MOUNTING.replace(true) {
        in_next_task(mount_next_deferred);
    }
    move || ready.get().then(|| children())
}

/// Between two [`Deferred`] parts: time for the browser to lay out and paint the page with
/// one part more. Parts mounted in back-to-back tasks were laid out together in the next
/// frame (all panels' text shaped and laid out at once, 12-15 ms of CPU that a loaded 2-core
/// machine stretched past 50 ms). A timer, not an animation frame: frames do not run in an
/// iframe scrolled out of view ([`in_next_task`]).
const DEFERRED_GAP_MS: u64 = 20;

/// Mounts the first waiting [`Deferred`] part, and the next one a gap later; the last one
/// ends the chain. In a hidden page (a background tab) it mounts every waiting part now: no
/// frame shows them one by one there, and a hidden page's timers wake about once a second,
/// so a chain would take a second per part.
fn mount_next_deferred() {
    let hidden = document().hidden();
    loop {
        let Some(mount) = DEFERRED_QUEUE.with(|q| q.borrow_mut().pop_front()) else {
            DEFERRED_MOUNTING.set(false);
            return;
        };
        mount();
        // The children mount in the effect this set schedules (a microtask, before the next
        // task); a nested `Deferred` among them has queued itself by the time this runs.
        in_next_task(deferred_mounted);
        if !hidden {
            set_timeout(
                mount_next_deferred,
                std::time::Duration::from_millis(DEFERRED_GAP_MS),
            );
            return;
        }
    }
}

thread_local! {
    /// How many [`Deferred`] parts have not mounted yet.
    static DEFERRED_PENDING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Whether a chain of [`mount_next_deferred`] is running (one at a time).
    static DEFERRED_MOUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// What mounts each of them, in the order they were created.
    static DEFERRED_QUEUE: std::cell::RefCell<std::collections::VecDeque<Box<dyn FnOnce()>>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
    /// What [`page_built`] was given to run once they all have.
    static WHEN_BUILT: std::cell::RefCell<Vec<Box<dyn FnOnce()>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One [`Deferred`] part has mounted; when it was the last, runs what waits for the page.
fn deferred_mounted() {
    let left = DEFERRED_PENDING.with(|n| {
        n.set(n.get().saturating_sub(1));
        n.get()
    });
    if left == 0 {
        for f in WHEN_BUILT.with(|w| std::mem::take(&mut *w.borrow_mut())) {
            f();
        }
    }
}

/// Runs `f` once every [`Deferred`] part of the page has mounted. Checked from the next task
/// on: the call may come before the view that holds them is built (and has counted them).
pub fn page_built(f: impl FnOnce() + 'static) {
    in_next_task(move || {
        if DEFERRED_PENDING.with(|n| n.get()) == 0 {
            f();
        } else {
            WHEN_BUILT.with(|w| w.borrow_mut().push(Box::new(f)));
        }
    });
}
