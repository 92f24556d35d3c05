//! Issue 20's "words a student follows" end to end: the first-visit suggestion shows on any
//! first visit (settings in the link, an embed) and not on the next; Step's counter and the
//! batch it used are beside the buttons; on a 375 px phone every button is at least 32 px
//! tall and no Korean word is split across two lines (`word-break: keep-all`), the sweep
//! table's headers included.
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, run_case};
use fantoccini::Locator;
use serde_json::Value;

async fn js(s: &Session, script: &str) -> Value {
    s.client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

async fn count(s: &Session, css: &str) -> usize {
    s.client
        .find_all(Locator::Css(css))
        .await
        .expect("query")
        .len()
}

/// Opens `query` as a first visit: `Session::open` already opened the bare page once (which
/// recorded a visit).
async fn open_first_visit(s: &Session, query: &str) {
    s.forget_visits().await;
    s.open_at(query).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_gets_the_suggestion_with_settings_and_in_an_embed() {
    run_case("words-first-visit", async |s| {
        // A shared link with settings: a first visit all the same, and the suggestion does
        // not name the Keras example the link is not.
        open_first_visit(s, "?lang=ko&data=moons&n=200&b=20&epochs=5&layers=8").await;
        let hint = s.by_test_id("first-visit").await;
        let text = hint.text().await.unwrap_or_default();
        assert!(text.contains("처음이신가요?"), "{text:?}");
        assert!(text.contains("이 링크의 설정"), "{text:?}");
        s.wait_state(&["ready"]).await;
        s.click("first-visit-dismiss").await;
        assert_eq!(
            count(s, r#"[data-testid="first-visit"]"#).await,
            0,
            "dismissed"
        );
        // The next visit, with or without settings, is not a first one.
        s.open_at("?lang=ko&data=moons&n=200&b=20&epochs=5&layers=8")
            .await;
        s.wait_state(&["ready"]).await;
        assert_eq!(count(s, r#"[data-testid="first-visit"]"#).await, 0);
        s.open_at("").await;
        s.wait_state(&["ready"]).await;
        assert_eq!(count(s, r#"[data-testid="first-visit"]"#).await, 0);

        // An embed is a first visit too; the bare page names the post's Keras example.
        open_first_visit(s, "?embed=1&lang=en&data=moons&n=200&layers=8").await;
        let text = s.by_test_id("first-visit").await.text().await.unwrap();
        assert!(text.starts_with("New here?"), "{text:?}");
        open_first_visit(s, "?lang=ko").await;
        let text = s.by_test_id("first-visit").await.text().await.unwrap();
        assert!(text.contains("Keras 예제(배치 32, 10 에폭)"), "{text:?}");
        s.wait_state(&["ready"]).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_shows_its_update_and_batch_beside_the_button() {
    run_case("words-step", async |s| {
        // The post's Keras example: N = 8,000, B = 32, 250 updates per epoch.
        s.open_at("?lang=ko&b=32").await;
        s.wait_state(&["ready"]).await;
        let before = s.by_test_id("step-in-epoch").await.text().await.unwrap();
        assert!(before.contains("250번"), "{before:?}");
        for k in 1..=3 {
            s.click("step").await;
            s.wait_attr("step-counter", "data-value", |v| v == k.to_string())
                .await
                .unwrap_or_else(|last| panic!("update {k}: step-counter {last:?}"));
        }
        s.wait_attr("step-in-epoch", "data-value", |v| v == "3")
            .await
            .expect("the counter beside the button");
        let text = s.by_test_id("step-in-epoch").await.text().await.unwrap();
        assert_eq!(text.trim(), "이번 에폭 3 / 250번째 업데이트");
        // The batch just used, beside it: its size, and its first digits with their marks.
        s.wait_attr("step-batch", "data-count", |v| v == "32")
            .await
            .expect("the compact batch view has the batch");
        let marked = js(
            s,
            r#"return [...document.querySelectorAll('[data-testid="step-batch-item"]')]
                .filter(e => e.dataset.correct === 'true' || e.dataset.correct === 'false').length;"#,
        )
        .await;
        assert_eq!(marked.as_u64(), Some(8), "8 digits with their marks");
        // In view with the button: the counter right under it, the batch within a screen.
        let geometry = js(
            s,
            r#"const r = id => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
               const b = r('step'), c = r('step-in-epoch'), v = r('step-batch');
               return [c.top - b.bottom, v.bottom - b.top];"#,
        )
        .await;
        let gap = geometry[0].as_f64().unwrap();
        let span = geometry[1].as_f64().unwrap();
        assert!((0.0..60.0).contains(&gap), "counter {gap} px under Step");
        assert!(span < 300.0, "button to the batch's bottom: {span} px");
    })
    .await;
}

/// Visible buttons, selects and tabs under 32 CSS px tall, as `text: height`.
const SHORT_BUTTONS: &str = r#"
    return [...document.querySelectorAll('button, select, [role="tab"]')]
        .filter(e => e.getClientRects().length > 0)
        .map(e => [e.textContent.trim().slice(0, 24) || e.dataset.testid || e.tagName,
                   e.getBoundingClientRect().height])
        .filter(([, h]) => h < 32 - 0.01)
        .map(([t, h]) => `${t}: ${h.toFixed(1)}`);"#;

/// Hangul words (runs of two or more syllables) whose letters lie on more than one line.
const SPLIT_WORDS: &str = r#"
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const re = /[\uAC00-\uD7A3]{2,}/g;
    let n;
    while ((n = walker.nextNode())) {
        const el = n.parentElement;
        if (!el || el.getClientRects().length === 0) continue;
        let m;
        re.lastIndex = 0;
        while ((m = re.exec(n.data))) {
            const r = document.createRange();
            r.setStart(n, m.index);
            r.setEnd(n, m.index + m[0].length);
            const tops = new Set([...r.getClientRects()]
                .filter(q => q.width > 0 && q.height > 0)
                .map(q => Math.round(q.top)));
            if (tops.size > 1) bad.push(`${m[0]} (${el.tagName.toLowerCase()}.${el.className})`);
        }
    }
    return bad;"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_buttons_fit_a_finger_and_korean_words_stay_whole() {
    run_case("words-phone", async |s| {
        s.client
            .set_window_size(375, 740)
            .await
            .expect("a phone-sized window");
        s.open_at("?lang=ko&data=moons&n=200&epochs=2&layers=8&sweep=8,32,64&speed=max")
            .await;
        s.wait_state(&["ready"]).await;
        let width = js(s, "return window.innerWidth;").await.as_f64().unwrap();
        assert!(width <= 600.0, "a phone's width: {width}");
        // A run (for the run list's buttons) and a sweep (for its table).
        s.click("step").await;
        s.wait_attr("step-counter", "data-value", |v| v == "1")
            .await
            .expect("one update");
        s.click("sweep").await;
        s.wait_attr("sweep-panel", "data-state", |v| v == "done")
            .await
            .expect("the sweep finished");
        s.by_test_id("sweep-results").await;

        let short = js(s, SHORT_BUTTONS).await;
        assert_eq!(
            short.as_array().map(Vec::len),
            Some(0),
            "buttons under 32 px: {short}"
        );
        let style = js(
            s,
            r#"return ['body', '.guide-table th', '.sweep-results th']
                .map(q => getComputedStyle(document.querySelector(q)).wordBreak);"#,
        )
        .await;
        assert_eq!(
            style,
            serde_json::json!(["keep-all", "keep-all", "keep-all"])
        );
        let split = js(s, SPLIT_WORDS).await;
        assert_eq!(
            split.as_array().map(Vec::len),
            Some(0),
            "Korean words split across lines at 375 px: {split}"
        );
    })
    .await;
}
