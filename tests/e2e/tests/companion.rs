//! Issue 13 ("the post's companion") end to end, except the decision boundary: the preset
//! menu applies the post's examples as their links do and the code mirror follows; the
//! batch-size guide marks the row for N and its buttons set B; explanations open by click and
//! by keyboard; and a first visit gets one suggestion. (The example post with four embeds is
//! a Jekyll site now, built and checked in `hosting.rs`.)
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, run_case};
use fantoccini::Locator;
use serde_json::json;

/// The full text of a code block (hidden or not: `textContent`, not the visible text).
async fn code_text(s: &Session, id: &str) -> String {
    s.by_test_id(id).await;
    s.js(
        "return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).textContent;",
        vec![json!(id)],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// The page's query string.
async fn query(s: &Session) -> String {
    s.js("return location.search;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_preset_menu_applies_the_posts_examples_and_the_code_follows() {
    run_case("companion-preset-code", async |s| {
        s.open_at("?lang=ko").await;
        s.wait_state(&["ready"]).await;
        assert_eq!(s.prop("preset", "value").await, "keras");
        // Every preset a link can name is in the menu (and nothing else, but "your own").
        let options = s.js("return [...document.querySelectorAll('[data-testid=preset] option')].map(o => o.value);", vec![]).await;
        let mut options: Vec<String> = serde_json::from_value(options).expect("option values");
        options.sort();
        let mut keys = vec![
            "", "calc1000", "calc200", "keras", "large-batch", "linear-scaling", "pytorch",
            "small-batch", "warmup",
        ];
        keys.sort();
        assert_eq!(options, keys);
        let before = code_text(s, "code-keras").await;
        assert!(before.contains("batch_size=32,"), "{before}");
        assert!(before.contains("epochs=10,"), "{before}");
        s.by_test_id("preset")
            .await
            .select_by_value("calc200")
            .await
            .expect("choose the calc200 preset");
        let keras = s.until("the Keras code shows B = 20", async || {
            let text = code_text(s, "code-keras").await;
            if text.contains("batch_size=20,") {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await;
        assert!(keras.contains("epochs=10,"), "{keras}");
        assert!(keras.contains("validation_split=0.2,"), "{keras}");
        let torch = code_text(s, "code-pytorch").await;
        assert!(torch.contains("batch_size=20,"), "{torch}");
        assert!(torch.contains("epochs = 10"), "{torch}");
        // Exactly what `?preset=calc200` gives: N = 200, B = 20, 10 updates per epoch.
        assert_eq!(s.number("dataset-size", "value").await, 200);
        assert_eq!(s.number("batch-size", "value").await, 20);
        assert_eq!(s.number("updates-per-epoch", "data-value").await, 10);
        assert_eq!(s.prop("preset", "value").await, "calc200");
        let q = query(s).await;
        assert!(q.contains("n=200") && q.contains("b=20"), "{q}");
        // The PyTorch tab shows its program and hides Keras'.
        s.click("code-tab-pytorch").await;
        let hidden = |id: &'static str| async move {
            s.js("return document.querySelector(`[data-testid=\"${arguments[0]}\"]`).hidden;",
                vec![json!(id)],
            )
            .await
            .as_bool()
        };
        assert_eq!(hidden("code-pytorch").await, Some(false));
        assert_eq!(hidden("code-keras").await, Some(true));
        // Copy: the clipboard takes exactly the shown program (captured from the page's call
        // to navigator.clipboard.writeText) and the page says so.
        s.js(r#"window.__copied = [];
               Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
                 writeText: (text) => { window.__copied.push(text); return Promise.resolve(); },
               } });
               return true;"#,
            vec![],
        )
        .await;
        s.click("copy-code").await;
        let outcome = s.until("the copy reports its result", async || {
            let v = s.js(r#"const r = document.querySelector('[data-testid="copy-code-result"]');
                   const t = r.querySelector('textarea');
                   return [r.textContent, t ? t.value : null];"#,
                vec![],
            )
            .await;
            match v[0].as_str() {
                Some(text) if !text.is_empty() => Ok(v),
                _ => Err(format!("{v}")),
            }
        })
        .await;
        assert_eq!(outcome[0], "복사했습니다", "{outcome}");
        let copied = s.js("return window.__copied;", vec![]).await;
        assert_eq!(
            copied,
            json!([code_text(s, "code-pytorch").await]),
            "the clipboard got the shown program, once"
        );
        // When the browser refuses, the page shows exactly that program for copying by hand.
        s.js(r#"Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
                 writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
               } });
               return true;"#,
            vec![],
        )
        .await;
        s.click("copy-code").await;
        let by_hand = s.until("the copy shows the program by hand", async || {
            let v = s.js(r#"const t = document.querySelector('[data-testid="copy-code-result"] textarea');
                   return t ? t.value : null;"#,
                vec![],
            )
            .await;
            v.as_str().map(str::to_owned).ok_or_else(|| format!("{v}"))
        })
        .await;
        assert_eq!(by_hand, code_text(s, "code-pytorch").await);
        // Moving away from the preset's settings leaves the menu on "your own settings".
        s.type_into("batch-size", "8").await;
        s.until("the code shows B = 8", async || {
            let text = code_text(s, "code-pytorch").await;
            if text.contains("batch_size=8,") {
                Ok(())
            } else {
                Err(text)
            }
        })
        .await;
        assert_eq!(s.prop("preset", "value").await, "");
    })
    .await;
}

/// The `guide-row`s as (`data-selected`, the `data-value`s of their `guide-batch` buttons).
async fn guide_rows(s: &Session) -> Vec<(String, Vec<i64>)> {
    s.by_test_id("batch-guide").await;
    let v = s.js(r#"return [...document.querySelectorAll('[data-testid="batch-guide"] [data-testid="guide-row"]')]
            .map(r => [r.dataset.selected,
                       [...r.querySelectorAll('[data-testid="guide-batch"]')].map(b => Number(b.dataset.value))]);"#,
        vec![],
    )
    .await;
    serde_json::from_value(v).expect("rows as [selected, [values]]")
}

#[tokio::test]
async fn the_guide_marks_the_row_for_n_and_its_buttons_set_the_batch() {
    run_case("companion-guide", async |s| {
        s.open_at("?lang=en&preset=calc200").await;
        s.wait_state(&["ready"]).await;
        // N = 200: the post's "small (< 1000)" row, 16 and 32.
        let rows = guide_rows(s).await;
        assert_eq!(
            rows,
            vec![
                ("true".into(), vec![16, 32]),
                ("false".into(), vec![32, 64]),
                ("false".into(), vec![64, 128, 200]), // 256 > N sets N
            ]
        );
        let button = s
            .client
            .find(Locator::Css(
                r#"[data-testid="guide-row"][data-selected="true"] [data-testid="guide-batch"][data-value="32"]"#,
            ))
            .await
            .expect("the selected row's 32 button");
        button.click().await.expect("click 32");
        s.until("B becomes 32", async || {
            let b = s.number("batch-size", "value").await;
            if b == 32 { Ok(()) } else { Err(format!("B = {b}")) }
        })
        .await;
        assert!(query(s).await.contains("b=32"), "{}", query(s).await);
        assert_eq!(s.number("updates-per-epoch", "data-value").await, 7); // ceil(200 / 32)
        // N = 5,000: the "medium" row is marked now.
        s.type_into("dataset-size", "5000").await;
        let rows = s.until("the medium row is marked", async || {
            let rows = guide_rows(s).await;
            if rows[1].0 == "true" { Ok(rows) } else { Err(format!("{rows:?}")) }
        })
        .await;
        assert_eq!((rows[0].0.as_str(), rows[2].0.as_str()), ("false", "false"));
        // The epoch guide's buttons set the epochs.
        let epochs = s
            .client
            .find(Locator::Css(
                r#"[data-testid="epoch-guide-row"][data-selected="true"] [data-testid="guide-epochs"][data-value="20"]"#,
            ))
            .await
            .expect("the medium row's 20-epoch button");
        epochs.click().await.expect("click 20 epochs");
        s.until("epochs become 20", async || {
            let e = s.number("epochs", "value").await;
            if e == 20 { Ok(()) } else { Err(format!("epochs = {e}")) }
        })
        .await;
    })
    .await;
}

#[tokio::test]
async fn explanations_open_by_click_and_keyboard_and_a_first_visit_gets_a_suggestion() {
    run_case("companion-explain", async |s| {
        // APP_URL has no query: a first visit.
        let first = s.by_test_id("first-visit").await;
        let text = first.text().await.unwrap_or_default();
        assert!(text.len() > 20, "{text:?}");
        s.wait_state(&["ready"]).await;
        let count = s
            .js(
                "return document.querySelectorAll('details.explain').length;",
                vec![],
            )
            .await;
        // Controls, anatomy, charts, runs, code, guide, sweep, batch.
        assert!(count.as_u64().unwrap_or(0) >= 8, "explanations: {count}");
        let open = |i: u64| async move {
            s.js(
                "return document.querySelectorAll('details.explain')[arguments[0]].open;",
                vec![json!(i)],
            )
            .await
            .as_bool()
        };
        assert_eq!(open(0).await, Some(false));
        let summaries = s
            .client
            .find_all(Locator::Css("details.explain > summary"))
            .await
            .expect("summaries");
        summaries[0].click().await.expect("click a summary");
        assert_eq!(open(0).await, Some(true));
        // Keyboard: focus the second toggle and press Enter.
        s.js(
            "document.querySelectorAll('details.explain > summary')[1].focus();",
            vec![],
        )
        .await;
        let enter: char = fantoccini::key::Key::Enter.into();
        summaries[1]
            .send_keys(&enter.to_string())
            .await
            .expect("press Enter");
        assert_eq!(open(1).await, Some(true));
        // A link with settings is not a first visit.
        s.open_at("?lang=en").await;
        s.wait_state(&["ready"]).await;
        let found = s
            .client
            .find_all(Locator::Css(r#"[data-testid="first-visit"]"#))
            .await
            .expect("query");
        assert!(
            found.is_empty(),
            "the suggestion shows on a link with settings"
        );
    })
    .await;
}
