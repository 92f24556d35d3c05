//! Accessibility (issue 23), in headless Chromium against the release build:
//!
//! - axe-core (npm, pinned in scripts/install.sh; injected by [`Session::axe`]) finds no
//!   violation at any impact on the full app — Korean at 1280 px and English at 375 px — once
//!   a run has finished (`speed=max`) and again after a sweep, nor on each focused view;
//! - every control is reachable with Tab, in order, and shows a visible focus ring when it
//!   gets there (an outline or a box shadow that is not `none`), in the full app and in each
//!   focused view.
//!
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`: `E2E_TEST=a11y scripts/test
//! build e2e`).

use batch_lab_e2e::{Session, run_case};
use serde_json::Value;

/// A small MNIST run that finishes at once (`speed=max`), with a three-size sweep ready.
const RUN: &str = "n=400&b=20&epochs=1&sweep=20,50,100&speed=max";

/// Trains to the end, audits, sweeps to the end, audits again.
async fn audit_after_a_run_and_a_sweep(s: &Session, what: &str) {
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    s.wait_state(&["finished"]).await;
    s.assert_no_axe_violations(&format!("{what}, after a finished run"))
        .await;
    s.click("sweep").await;
    s.until_within(
        std::time::Duration::from_secs(90),
        "the sweep finished",
        async || match s.attr("sweep-panel", "data-state").await.as_str() {
            "done" => Ok(()),
            other => Err(other.to_owned()),
        },
    )
    .await;
    s.by_test_id("sweep-results").await;
    s.assert_no_axe_violations(&format!("{what}, after a sweep"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_app_in_korean_at_1280_has_no_axe_violations() {
    run_case("a11y-full-ko-1280", async |s| {
        s.resize(1280, 900).await;
        s.open_at(&format!("?lang=ko&{RUN}")).await;
        audit_after_a_run_and_a_sweep(s, "ko, 1280 px").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_app_in_english_at_375_has_no_axe_violations() {
    run_case("a11y-full-en-375", async |s| {
        s.resize(375, 740).await;
        s.open_at(&format!("?lang=en&{RUN}")).await;
        audit_after_a_run_and_a_sweep(s, "en, 375 px").await;
    })
    .await;
}

/// Every visible, enabled control of the page (in document order) as `[index, description]`,
/// each also marked with `data-a11y-index` so the Tab walk can name what has focus.
const CONTROLS: &str = r#"
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const all = [...document.querySelectorAll(sel)].filter(e => {
        // tabindex=-1: the inactive tabs of a tab list, reached with the arrow keys (ARIA's
        // tabs pattern), not with Tab.
        if (e.disabled || e.closest('[inert]') || e.getAttribute('tabindex') === '-1') return false;
        const r = e.getBoundingClientRect();
        const st = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && !e.closest('details:not([open]) > :not(summary)');
    });
    all.forEach((e, i) => e.setAttribute('data-a11y-index', String(i)));
    return all.map((e, i) => [i, e.tagName.toLowerCase() + (e.dataset.testid ? '#' + e.dataset.testid : '') + ' ' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30)]);
"#;

/// What has focus: its `data-a11y-index` (or null) and whether its focus ring shows.
const FOCUSED: &str = r#"
    const e = document.activeElement;
    if (!e || e === document.body) return [null, true, 'body'];
    const st = getComputedStyle(e);
    const ring = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2)
        || (st.boxShadow && st.boxShadow !== 'none');
    const idx = e.getAttribute('data-a11y-index');
    return [idx === null ? null : Number(idx), ring, e.tagName.toLowerCase() + ' ' + (e.dataset.testid || '') + ' ' + st.outlineStyle + ' ' + st.outlineWidth];
"#;

/// Presses Tab from the top of the page until focus leaves it (or comes back round), and
/// checks that every control was reached and showed a focus ring. `query` opens the page;
/// the sweep view (no single run's status) is ready when its panel is idle.
async fn tab_reaches_every_control(s: &Session, query: &str) {
    s.open_at(query).await;
    if query.contains("view=sweep") {
        s.wait_attr("sweep-panel", "data-state", |v| v == "idle")
            .await
            .expect("the sweep panel is idle");
    } else {
        s.wait_state(&["ready"]).await;
    }
    let controls = s.js(CONTROLS, vec![]).await;
    let controls = controls.as_array().expect("controls").clone();
    assert!(controls.len() > 5, "too few controls: {controls:?}");
    let mut reached = vec![false; controls.len()];
    let mut no_ring = Vec::new();
    let tab: char = fantoccini::key::Key::Tab.into();
    let mut last: Option<i64> = None;
    for _ in 0..(controls.len() * 2 + 10) {
        let active = s
            .client
            .active_element()
            .await
            .expect("the focused element");
        active.send_keys(&tab.to_string()).await.expect("press Tab");
        let f = s.js(FOCUSED, vec![]).await;
        let idx = f[0].as_i64();
        if let Some(i) = idx {
            if reached[i as usize] && last.is_some_and(|l| l >= i) {
                break; // came round to the top again
            }
            reached[i as usize] = true;
            if f[1] != Value::Bool(true) {
                no_ring.push(f[2].to_string());
            }
        } else if f[2] == "body" && last.is_some() {
            break; // focus went past the last control
        }
        last = idx.or(last);
    }
    let missed: Vec<&Value> = controls
        .iter()
        .zip(&reached)
        .filter(|(_, r)| !**r)
        .map(|(c, _)| c)
        .collect();
    assert!(missed.is_empty(), "not reached with Tab: {missed:?}");
    assert!(
        no_ring.is_empty(),
        "focused without a visible ring: {no_ring:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_control_is_reached_with_tab_and_shows_a_focus_ring() {
    run_case("a11y-keyboard", async |s| {
        s.resize(1280, 900).await;
        tab_reaches_every_control(s, "?lang=ko&n=400&speed=max").await;
    })
    .await;
}

/// Issue 23: in each focused view, embedded as the post embeds it, every control is reached
/// with Tab and shows its focus ring.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_focused_views_controls_are_reached_with_tab() {
    run_case("a11y-keyboard-views", async |s| {
        s.resize(700, 900).await;
        for (view, query) in [
            ("anatomy", "preset=calc200"),
            ("race", "data=moons&n=200"),
            ("lr", "preset=linear-scaling"),
            ("sweep", "data=moons&n=200"),
        ] {
            eprintln!("view {view}");
            tab_reaches_every_control(s, &format!("?embed=1&view={view}&lang=ko&{query}")).await;
        }
    })
    .await;
}
