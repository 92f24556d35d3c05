//! Issue 24 ("the post's claims, tested live") end to end: the `memory` and `noise` cards run
//! on their defaults in the page's worker pool and show a verdict decided by the card's rule
//! on the numbers they show; "Open in the lab" adds the card's arms to the run list as seed
//! groups whose `data-val-accuracy-mean` equal the card's arms' (the same runs, read by the
//! same function); the Markdown holds one row per card run. Needs APP_URL and WEBDRIVER_URL
//! (run through `scripts/test`).

use batch_lab::claims::{Claim, step_memory};
use batch_lab_e2e::{Session, run_case};
use serde_json::Value;
use std::time::Duration;

/// How long a card may take on a busy 2-core machine (its default is sized for ~20 s).
const CARD_LIMIT: Duration = Duration::from_secs(240);

/// The card's `data-*` attributes.
async fn card(s: &Session, key: &str) -> Value {
    s.js(
        "const e = document.querySelector(`[data-testid=\"claim\"][data-claim=\"${arguments[0]}\"]`); return e ? { ...e.dataset } : null;",
        vec![Value::from(key)],
    )
    .await
}

/// Clicks the button `id` of the card `key`.
async fn press(s: &Session, key: &str, id: &str) {
    // The panel mounts after the page's first parts (it is deferred).
    // The full lab's or a focused view's root, started, and every deferred part mounted.
    s.until("the page built", async || {
        let built = s
            .js(
                "return document.documentElement.dataset.built === 'true' && !!document.querySelector('main[data-started=\"true\"]');",
                vec![],
            )
            .await;
        if built == Value::Bool(true) {
            Ok(())
        } else {
            Err(format!("{built}"))
        }
    })
    .await;
    let clicked = s
        .js(
            "const b = document.querySelector(`[data-claim=\"${arguments[0]}\"] [data-testid=\"${arguments[1]}\"]`); if (!b) return false; b.scrollIntoView({block: 'center'}); b.click(); return true;",
            vec![Value::from(key), Value::from(id)],
        )
        .await;
    assert_eq!(clicked, Value::Bool(true), "{key}'s {id}");
}

/// Runs the card `key` and waits until it is done; returns its attributes.
async fn run_card(s: &Session, key: &str) -> Value {
    press(s, key, "claim-run").await;
    let started = std::time::Instant::now();
    let c = s
        .until_within(CARD_LIMIT, &format!("the {key} card done"), async || {
            let c = card(s, key).await;
            if c["state"] == "done" {
                Ok(c)
            } else {
                Err(format!("{c}"))
            }
        })
        .await;
    eprintln!(
        "{key}: done in {:.1} s (card's own clock {} s): {c}",
        started.elapsed().as_secs_f64(),
        c["seconds"]
    );
    c
}

/// `(batch size, data-val-accuracy-mean)` of the card's arms.
async fn card_arms(s: &Session, key: &str) -> Vec<(u64, String)> {
    let v = s
        .js(
            "return [...document.querySelectorAll(`[data-claim=\"${arguments[0]}\"] [data-testid=\"claim-arm\"]`)].map(e => [Number(e.dataset.batchSize), e.dataset.valAccuracyMean || '']);",
            vec![Value::from(key)],
        )
        .await;
    pairs(&v)
}

/// `(data-batch-size, data-val-accuracy-mean)` of the run list's groups with `seeds` seeds.
async fn lab_groups(s: &Session, seeds: u64) -> Vec<(u64, String)> {
    let v = s
        .js(
            "return [...document.querySelectorAll('[data-testid=\"run-item\"]')].filter(e => Number(e.dataset.seeds) === arguments[0] && !e.dataset.sharpness).map(e => [Number(e.dataset.batchSize), e.dataset.valAccuracyMean || '']);",
            vec![Value::from(seeds)],
        )
        .await;
    pairs(&v)
}

fn pairs(v: &Value) -> Vec<(u64, String)> {
    (v.as_array().expect("an array").iter())
        .map(|r| {
            (
                r[0].as_u64().expect("a batch size"),
                r[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn num(v: &Value) -> f64 {
    v.as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|_| panic!("a number: {v}"))
}

/// The rows of the copied Markdown table (header and rule left out).
async fn markdown_rows(s: &Session) -> Vec<String> {
    let text = s
        .js(
            "return document.querySelector('[data-testid=\"claims-markdown\"]').textContent;",
            vec![],
        )
        .await;
    let text = text.as_str().unwrap_or_default().to_owned();
    text.lines().skip(2).map(str::to_owned).collect()
}

/// Open in the lab: at least `at_least` groups of `seeds` seeds at the arms' batch sizes
/// appear in the run list, each with its arm's `data-val-accuracy-mean` to the last digit.
async fn open_in_lab(s: &Session, key: &str, seeds: u64, arms: &[(u64, String)], at_least: usize) {
    press(s, key, "claim-open").await;
    let groups = s
        .until("the card's groups in the run list", async || {
            let g: Vec<(u64, String)> = (lab_groups(s, seeds).await.into_iter())
                .filter(|g| arms.iter().any(|a| a.0 == g.0))
                .collect();
            if g.len() >= at_least && g.iter().all(|x| arms.contains(x)) {
                Ok(g)
            } else {
                Err(format!("{g:?} vs the card's {arms:?}"))
            }
        })
        .await;
    eprintln!("{key}: card arms {arms:?}, lab groups {groups:?}");
    s.js(
        "document.querySelector(`[data-claim=\"${arguments[0]}\"]`).scrollIntoView(true); return true;",
        vec![Value::from(key)],
    )
    .await;
    s.screenshot(&format!("claims-{key}-card")).await;
}

/// Memory: exact arithmetic at B = 8, 256 and N, one seed. The card holds, its difference is
/// the step memory of B = 256 minus B = 8 as the app's own function computes it, and it has
/// no interval or p (not a test). Open in the lab adds its three arms as groups with the
/// card's accuracies; a second run adds a second Markdown row.
async fn memory_card(s: &Session) {
    s.open_at("?lang=en").await;
    let c = run_card(s, "memory").await;
    assert_eq!(c["verdict"], "holds", "{c}");
    let plan = Claim::Memory.plan();
    let mem = |a: usize| step_memory(&plan.arms[a].experiment, 784, 10) as f64;
    assert_eq!(num(&c["diff"]), mem(1) - mem(0), "{c}");
    for key in ["ciLow", "ciHigh", "p"] {
        assert_eq!(c[key], "", "an exact measure has no {key}: {c}");
    }
    let arms = card_arms(s, "memory").await;
    assert_eq!(arms.iter().map(|a| a.0).collect::<Vec<_>>(), [8, 256, 8000]);
    assert!(arms.iter().all(|a| !a.1.is_empty()), "{arms:?}");
    assert_eq!(markdown_rows(s).await.len(), 1);
    open_in_lab(s, "memory", 1, &arms, 3).await;
    // Run again: a second row.
    run_card(s, "memory").await;
    let rows = markdown_rows(s).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.contains("`memory`") && r.contains("| Holds |"))
    );
}

/// Noise: B = 8, 32, 128, 512, 3 seeds, 2 epochs; each seed's log–log slope of the last
/// epoch's batch-loss spread against B is tested against 0. The verdict follows the rule on
/// the card's own numbers: the difference (minus the mean slope) inside its 95 % interval,
/// `holds` exactly when the interval lies above 0. The card's `data-slope` (its chart's
/// fitted line) is minus its difference, and the chart is drawn with one point per B.
/// Opened in the lab, all four arms (12 runs, past the run list's 8) are groups with the
/// card's means.
async fn noise_card(s: &Session) {
    s.open_at("?lang=en").await;
    let c = run_card(s, "noise").await;
    verdict_follows_the_rule(&c);
    let arms = card_arms(s, "noise").await;
    assert_eq!(
        arms.iter().map(|a| a.0).collect::<Vec<_>>(),
        [8, 32, 128, 512]
    );
    let rows = markdown_rows(s).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("`noise`"), "{rows:?}");
    let slope = num(&c["slope"]);
    assert!(
        (slope + num(&c["diff"])).abs() <= 1e-9 * slope.abs().max(1e-9),
        "data-slope is minus the difference: {c}"
    );
    let chart = s
        .until("the slope chart drawn", async || {
            let v = s
                .js(
                    "const e = document.querySelector('[data-claim=\"noise\"] [data-testid=\"claim-slope-chart\"]'); return e ? [e.dataset.drawn || '', e.dataset.points, e.closest('figure').textContent] : null;",
                    vec![],
                )
                .await;
            if v[0] == "true" { Ok(v) } else { Err(format!("{v}")) }
        })
        .await;
    assert_eq!(chart[1], "4", "{chart}");
    let caption = chart[2].as_str().unwrap_or_default();
    assert!(
        caption.contains("measured slope") && caption.contains("−1/2"),
        "{caption}"
    );
    // On a phone the chart fits the card.
    s.resize(375, 740).await;
    s.js(
        "document.querySelector('[data-testid=\"claim-slope\"]').scrollIntoView({block: 'center'}); return true;",
        vec![],
    )
    .await;
    s.screenshot("claims-noise-slope-375").await;
    s.resize(1200, 800).await;
    // Every arm, though 12 runs are more than the run list's 8.
    open_in_lab(s, "noise", 3, &arms, 4).await;
}

/// A card of one contrast (`data-diff` inside its 95 % interval, `data-p` in 0..1) shows its
/// claim (d > 0 with p < 0.05, i.e. the interval above 0) or not: it holds or does not hold,
/// and p < 0.05 exactly when the interval excludes 0.
fn verdict_follows_the_rule(c: &Value) {
    let (d, low, high, p) = (
        num(&c["diff"]),
        num(&c["ciLow"]),
        num(&c["ciHigh"]),
        num(&c["p"]),
    );
    assert!(low <= d && d <= high, "{c}");
    assert!((0.0..=1.0).contains(&p), "{c}");
    let want = if low > 0.0 { "holds" } else { "does-not-hold" };
    assert_eq!(c["verdict"], want, "the rule on the card's numbers: {c}");
    assert_eq!(p < 0.05, low > 0.0 || high < 0.0, "{c}");
}

/// The sharp-minima card: each run's sharpness is measured at its final weights (the pool
/// holds its worker for the probe), and the verdict follows the card's rule on its numbers.
async fn sharp_minima_card(s: &Session) {
    s.open_at("?lang=en").await;
    let c = run_card(s, "sharp-minima").await;
    verdict_follows_the_rule(&c);
    let arms = card_arms(s, "sharp-minima").await;
    assert_eq!(arms.iter().map(|a| a.0).collect::<Vec<_>>(), [32, 2000]);
    // Open in the lab: the two groups carry the sharpness the card measured (their mean
    // over the seeds, `data-sharpness`), the card's arm values (`data-value`).
    let values = |script: &'static str| async move {
        let v = s.js(script, vec![]).await;
        let mut got: Vec<(u64, f64)> = (v.as_array().expect("an array").iter())
            .map(|r| {
                (
                    r[0].as_u64().unwrap_or(0),
                    r[1].as_str().unwrap_or("").parse().unwrap_or(f64::NAN),
                )
            })
            .collect();
        got.sort_by_key(|g| g.0);
        got
    };
    let card_values = values(
        "return [...document.querySelectorAll('[data-claim=\"sharp-minima\"] [data-testid=\"claim-arm\"]')]\
         .map(e => [Number(e.dataset.batchSize), e.dataset.value]);",
    )
    .await;
    assert!(card_values.iter().all(|v| v.1 > 0.0), "{card_values:?}");
    press(s, "sharp-minima", "claim-open").await;
    let lab = s
        .until("the groups' data-sharpness", async || {
            let got = values(
                "return [...document.querySelectorAll('[data-testid=\"run-item\"]')]\
                 .filter(e => e.dataset.sharpness)\
                 .map(e => [Number(e.dataset.batchSize), e.dataset.sharpness]);",
            )
            .await;
            let same = got.len() == card_values.len()
                && (got.iter().zip(&card_values))
                    .all(|(a, b)| a.0 == b.0 && (a.1 - b.1).abs() <= 1e-9 * b.1.abs());
            if same {
                Ok(got)
            } else {
                Err(format!("{got:?} vs the card's {card_values:?}"))
            }
        })
        .await;
    eprintln!("sharp-minima: card {card_values:?}, run list {lab:?}");
    s.screenshot("claims-sharp-minima-card").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharp_minima_card_measures_each_run_at_its_end() {
    run_case("claims-sharp-minima", sharp_minima_card).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_card_runs_opens_in_the_lab_and_copies() {
    run_case("claims-memory", memory_card).await;
}

/// Time: each arm's line gives its seconds per epoch and its seconds to 90 % validation
/// accuracy (or says it did not reach it), B = 8 and B = 256.
async fn time_card(s: &Session) {
    s.open_at("?lang=en").await;
    run_card(s, "time").await;
    let lines = s
        .js(
            "return [...document.querySelectorAll('[data-claim=\"time\"] [data-testid=\"claim-arm\"]')].map(e => e.textContent);",
            vec![],
        )
        .await;
    let lines: Vec<&str> = (lines.as_array().expect("an array").iter())
        .map(|l| l.as_str().unwrap_or_default())
        .collect();
    eprintln!("time: {lines:?}");
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, b) in lines.iter().zip(["B = 8: ", "B = 256: "]) {
        assert!(line.starts_with(b), "{line}");
        assert!(
            line.contains(" s to 90% validation accuracy") || line.contains("did not reach 90%"),
            "{line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_card_gives_seconds_to_the_target_per_arm() {
    run_case("claims-time", time_card).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn noise_card_runs_with_a_verdict_by_its_rule() {
    run_case("claims-noise", noise_card).await;
}

/// `view=claims&claim=noise` is that one card (no Run all); an unknown key is named in a
/// notice and every card is shown, each idle with no verdict.
async fn claims_view(s: &Session) {
    let cards = async || -> Vec<String> {
        let v = s
            .js(
                "return [...document.querySelectorAll('[data-testid=\"claim\"]')].map(e => e.dataset.claim + ':' + e.dataset.state + ':' + e.dataset.verdict);",
                vec![],
            )
            .await;
        (v.as_array().expect("an array").iter())
            .map(|c| c.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    s.open_at("?lang=en&view=claims&claim=noise").await;
    s.wait_attr("view-claims", "data-started", |_| true)
        .await
        .expect("the claims view");
    assert_eq!(cards().await, ["noise:idle:"]);
    let run_all = s
        .js(
            "return !!document.querySelector('[data-testid=\"run-all-claims\"]');",
            vec![],
        )
        .await;
    assert_eq!(run_all, Value::Bool(false), "one card has no Run all");
    s.open_at("?lang=en&view=claims&claim=nope").await;
    s.wait_attr("view-claims", "data-started", |_| true)
        .await
        .expect("the claims view");
    let all = cards().await;
    assert_eq!(all.len(), Claim::ALL.len(), "{all:?}");
    assert!(all.iter().all(|c| c.ends_with(":idle:")), "{all:?}");
    assert!(
        s.text("url-notice").await.contains("claim"),
        "the notice names the key"
    );
    // The shared rule is said once, above the cards; each card says its threshold only.
    let rules = s
        .js(
            "return [document.querySelectorAll('[data-testid=\"claims-rule\"]').length, document.querySelector('[data-claim=\"noise\"] .claim-rule').textContent];",
            vec![],
        )
        .await;
    assert_eq!(rules[0], 1, "{rules}");
    let card_rule = rules[1].as_str().unwrap_or_default();
    assert!(
        card_rule.contains("p < 0.05, paired over 3 seeds") && !card_rule.contains("t-test"),
        "{card_rule}"
    );
}

/// What "Copy link" puts on the clipboard (the clipboard itself replaced, so the test
/// needs no permission).
async fn copied_link(s: &Session) -> String {
    s.js(
        "window.__copied = null; navigator.clipboard.writeText = t => { window.__copied = t; return Promise.resolve(); }; document.querySelector('[data-testid=\"copy-link\"]').click(); return true;",
        vec![],
    )
    .await;
    s.until("the link copied", async || {
        let v = s.js("return window.__copied;", vec![]).await;
        v.as_str().map(str::to_owned).ok_or(format!("{v}"))
    })
    .await
}

/// One card embedded as a page: its Share link names the card (`claim=memory`); run, then
/// "Open in the lab" turns the page into the full lab in place (the runs live in this page
/// only), whose run list has the card's three groups with the card's means, whose claims
/// panel still has the card done, and whose address has neither `view=claims` nor `claim`.
async fn claims_view_opens_the_full_lab(s: &Session) {
    s.open_at("?lang=en&view=claims&claim=memory").await;
    s.wait_attr("view-claims", "data-started", |_| true)
        .await
        .expect("the claims view");
    let link = copied_link(s).await;
    assert!(
        link.contains("view=claims") && link.contains("claim=memory"),
        "{link}"
    );
    let c = run_card(s, "memory").await;
    assert_eq!(c["verdict"], "holds", "{c}");
    let arms = card_arms(s, "memory").await;
    press(s, "memory", "claim-open").await;
    s.wait_attr("view-full", "data-started", |_| true)
        .await
        .expect("the full lab");
    let groups = s
        .until("the card's groups in the full lab's run list", async || {
            let g = lab_groups(s, 1).await;
            if g.len() == 3 && g.iter().all(|x| arms.contains(x)) {
                Ok(g)
            } else {
                Err(format!("{g:?} vs the card's {arms:?}"))
            }
        })
        .await;
    eprintln!("view=claims → full: {groups:?}");
    let state = s
        .until("the card in the full lab's claims panel", async || {
            let c = card(s, "memory").await;
            if c["state"] == "done" {
                Ok(c)
            } else {
                Err(format!("{c}"))
            }
        })
        .await;
    assert_eq!(state["diff"], c["diff"]);
    let href = s.js("return location.search;", vec![]).await;
    let href = href.as_str().unwrap_or_default();
    assert!(
        !href.contains("view=") && !href.contains("claim="),
        "{href}"
    );
    let views = s
        .js(
            "return document.querySelectorAll('[data-testid=\"view-claims\"]').length;",
            vec![],
        )
        .await;
    assert_eq!(views, 0);
    s.screenshot("claims-view-opened-in-full-lab").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_view_links_its_card_and_opens_the_full_lab() {
    run_case("claims-view-open", claims_view_opens_the_full_lab).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_view_shows_one_card_or_names_a_bad_key() {
    run_case("claims-view", claims_view).await;
}
