//! Hostile sequences (issue 11): hundreds of seeded random actions — Train, Pause, Step,
//! Reset, changing B, N, epochs, the data set and the speed — at random moments and at full
//! speed, through the real controls (most issued in-page, in batches, with random gaps that let
//! the worker's events interleave; some through WebDriver clicks and typing). Afterwards the
//! page must be consistent: the step counter, the anatomy, the charts and the run list all
//! belong to the current settings, the current run's record holds only its own updates (a
//! fresh run with the same settings reproduces its losses), and nothing was written to the
//! console as an error.
//!
//! The seed comes from `HOSTILE_SEED` (decimal or 0x-hex) or a fixed default. It is printed
//! first (cargo shows a failed test's output), and every check's failure message starts with
//! it and lists the last actions, so `HOSTILE_SEED=<seed> scripts/test e2e` replays the same
//! sequence (the worker's timing still varies from run to run).
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{Session, TIMEOUT, poll, run_case};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The default seed, used when `HOSTILE_SEED` is unset.
const DEFAULT_SEED: u64 = 0x0b5e_55ed_ba7c_4001;
/// In-page batches, each of `BATCH` actions, with a few WebDriver actions between batches.
const BATCHES: usize = 22;
const BATCH: usize = 24;
/// Updates whose losses are compared with a fresh run's.
const FIRST: i64 = 5;

/// SplitMix64: a small, good-enough seeded generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seed() -> u64 {
    match std::env::var("HOSTILE_SEED") {
        Ok(v) if !v.trim().is_empty() => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("HOSTILE_SEED={v:?} is not a number"))
        }
        _ => DEFAULT_SEED,
    }
}

const BUTTONS: &[&str] = &["train", "pause", "step", "reset"];
const DATASETS: &[&str] = &[
    "mnist", "random", "spirals", "circles", "xor", "blobs", "moons",
];
const SPEEDS: &[&str] = &["1", "5", "20", "epoch", "max"];
const SIZES: &[u32] = &[1, 2, 3, 7, 20, 64, 100, 200, 333, 1000, 5000];
const BATCH_SIZES: &[u32] = &[1, 2, 5, 10, 16, 20, 32, 64, 128, 500, 4096];
const EPOCHS: &[u32] = &[1, 2, 3, 5, 10, 40];

/// One random action: `{kind: "click" | "input" | "select", id, value?, gap}` where `gap`
/// is how long to wait before it (ms; -1: none at all, same task as the previous action).
fn random_action(rng: &mut Rng) -> Value {
    let gap: i64 = match rng.below(10) {
        0..=4 => -1,
        5..=7 => rng.below(4) as i64,
        _ => 5 + rng.below(60) as i64,
    };
    match rng.below(100) {
        // The buttons most often (Train and Step twice as often as the others).
        0..=15 => json!({"kind": "click", "id": "train", "gap": gap}),
        16..=25 => json!({"kind": "click", "id": "step", "gap": gap}),
        26..=35 => json!({"kind": "click", "id": *rng.pick(BUTTONS), "gap": gap}),
        36..=45 => json!({"kind": "click", "id": "pause", "gap": gap}),
        46..=52 => json!({"kind": "click", "id": "reset", "gap": gap}),
        53..=64 => {
            json!({"kind": "input", "id": "batch-size", "value": rng.pick(BATCH_SIZES).to_string(), "gap": gap})
        }
        65..=74 => {
            json!({"kind": "input", "id": "dataset-size", "value": rng.pick(SIZES).to_string(), "gap": gap})
        }
        75..=83 => {
            json!({"kind": "input", "id": "epochs", "value": rng.pick(EPOCHS).to_string(), "gap": gap})
        }
        84..=90 => {
            json!({"kind": "select", "id": "dataset", "value": *rng.pick(DATASETS), "gap": gap})
        }
        _ => json!({"kind": "select", "id": "speed", "value": *rng.pick(SPEEDS), "gap": gap}),
    }
}

fn describe(action: &Value) -> String {
    match action["kind"].as_str() {
        Some("click") => format!("click {}", action["id"].as_str().unwrap_or("?")),
        _ => format!(
            "{} = {}",
            action["id"].as_str().unwrap_or("?"),
            action["value"].as_str().unwrap_or("?")
        ),
    }
}

/// Runs a batch of actions in the page (`arguments[0]`), each after its gap, through the
/// controls' own events: `click()` on buttons, a `change` event on inputs and selects (what
/// the page listens to). Returns how many ran.
const RUN_ACTIONS: &str = r#"
    const [actions, done] = [arguments[0], arguments[arguments.length - 1]];
    const el = id => document.querySelector(`[data-testid="${id}"]`);
    (async () => {
        let ran = 0;
        for (const a of actions) {
            if (a.gap >= 0) await new Promise(r => setTimeout(r, a.gap));
            const e = el(a.id);
            if (!e) throw new Error(`no control ${a.id}`);
            if (a.kind === 'click') {
                e.click();
            } else {
                e.value = a.value;
                e.dispatchEvent(new Event('change', { bubbles: true }));
            }
            ran++;
        }
        return ran;
    })().then(done, e => done('error: ' + e));
"#;

/// Wraps `console.error` and `console.warn` so the test can read what the page wrote there
/// (the page's own capture in index.html records only uncaught errors and rejections).
const CAPTURE_CONSOLE: &str = r#"
    if (!window.__hostileConsole) {
        window.__hostileConsole = [];
        for (const level of ['error', 'warn']) {
            const original = console[level].bind(console);
            console[level] = (...args) => {
                window.__hostileConsole.push(level + ': ' + args.map(String).join(' '));
                original(...args);
            };
        }
    }
    return true;
"#;

/// Everything the consistency check reads, in one script (one moment of the page).
const SNAPSHOT: &str = r#"
    const el = id => document.querySelector(`[data-testid="${id}"]`);
    const attr = (id, name) => { const e = el(id); return e ? e.getAttribute(name) : null; };
    const items = [...document.querySelectorAll('[data-testid="run-item"]')].map(li => ({
        run: li.getAttribute('data-run'),
        current: li.classList.contains('current'),
        updates: li.getAttribute('data-updates'),
        batch: li.getAttribute('data-batch-size'),
        firstLoss: li.getAttribute('data-first-loss'),
    }));
    return {
        state: attr('status', 'data-state'),
        status: el('status') ? el('status').innerText : null,
        step: attr('step-counter', 'data-value'),
        epoch: attr('epoch-counter', 'data-value'),
        perEpoch: attr('updates-per-epoch', 'data-value'),
        total: attr('total-updates', 'data-value'),
        trainSize: attr('train-size', 'data-value'),
        batchShown: attr('effective-batch', 'data-value'),
        chartUpdates: attr('charts', 'data-updates'),
        chartDrawn: attr('charts', 'data-drawn'),
        batchCount: attr('batch-view', 'data-count'),
        n: el('dataset-size').value,
        b: el('batch-size').value,
        epochs: el('epochs').value,
        dataset: el('dataset').value,
        items,
        errors: window.__batchLabErrors || [],
        console: window.__hostileConsole || [],
    };
"#;

fn num(v: &Value, key: &str) -> i64 {
    v[key]
        .as_str()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(-1)
}

/// The random-action run and what it did, for failure messages.
struct Hostile<'a> {
    s: &'a Session,
    seed: u64,
    rng: Rng,
    log: Vec<String>,
    actions: usize,
}

impl Hostile<'_> {
    /// Panics with the seed (to replay) and the last actions.
    fn fail(&self, msg: impl std::fmt::Display) -> ! {
        let tail = self.log.len().saturating_sub(40);
        panic!(
            "hostile sequence failed with HOSTILE_SEED={seed} (0x{seed:x}) after {n} actions: \
             {msg}\nlast actions:\n  {actions}",
            seed = self.seed,
            n = self.actions,
            actions = self.log[tail..].join("\n  ")
        )
    }

    async fn snapshot(&self) -> Value {
        match self.s.client.execute(SNAPSHOT, vec![]).await {
            Ok(v) => v,
            Err(e) => self.fail(format!("cannot read the page: {e}")),
        }
    }

    /// Invariants that hold at any moment, mid-sequence included: the counter, the charts and
    /// the current run's row agree; the anatomy is N / B and E of the controls; no error.
    fn check_invariants(&self, v: &Value, when: &str) {
        let (n, requested, e) = (num(v, "n"), num(v, "b"), num(v, "epochs"));
        let (per_epoch, total) = (num(v, "perEpoch"), num(v, "total"));
        let step = num(v, "step");
        if n < 1 || requested < 1 || e < 1 {
            self.fail(format!("{when}: settings out of range: {v}"));
        }
        // A B above N is one full batch (Keras' rule), which the anatomy shows.
        let b = requested.min(n);
        if per_epoch != (n + b - 1) / b || total != per_epoch * e {
            self.fail(format!(
                "{when}: the anatomy is not ceil(N / B) · E of the controls: {v}"
            ));
        }
        if num(v, "trainSize") != n || num(v, "batchShown") != b {
            self.fail(format!("{when}: the anatomy shows other N or B: {v}"));
        }
        if !(0..=total).contains(&step) {
            self.fail(format!("{when}: step counter beyond the run's total: {v}"));
        }
        let epoch = num(v, "epoch");
        let want_epoch = if step == 0 {
            0
        } else {
            (step + per_epoch - 1) / per_epoch
        };
        if epoch != want_epoch {
            self.fail(format!(
                "{when}: epoch counter {epoch} is not ceil(step / updates per epoch) = {want_epoch}: {v}"
            ));
        }
        if num(v, "chartUpdates") != step {
            self.fail(format!(
                "{when}: the charts hold another count than the step counter: {v}"
            ));
        }
        let items = v["items"].as_array().cloned().unwrap_or_default();
        let current: Vec<&Value> = items.iter().filter(|i| i["current"] == true).collect();
        match (step, current.as_slice()) {
            (0, []) => {}
            (0, _) => self.fail(format!("{when}: an untrained current run is listed: {v}")),
            (_, [item]) => {
                if num(item, "updates") != step || num(item, "batch") != b {
                    self.fail(format!(
                        "{when}: the current run's row is not this run's (B = {b}, {step} updates): {v}"
                    ));
                }
            }
            _ => self.fail(format!(
                "{when}: {} current rows in the run list: {v}",
                current.len()
            )),
        }
        if items.len() > 8 {
            self.fail(format!("{when}: more than 8 kept runs: {v}"));
        }
        let batch_count = num(v, "batchCount");
        if !(0..=b).contains(&batch_count) {
            self.fail(format!(
                "{when}: the batch view shows a batch of {batch_count}, not of this run (B = {b}): {v}"
            ));
        }
        if v["errors"].as_array().is_some_and(|a| !a.is_empty())
            || v["console"].as_array().is_some_and(|a| !a.is_empty())
        {
            self.fail(format!("{when}: errors on the console: {v}"));
        }
        if v["state"] == "error" {
            self.fail(format!("{when}: the page is in error: {v}"));
        }
    }

    /// One batch of in-page actions.
    async fn in_page_batch(&mut self) {
        let actions: Vec<Value> = (0..BATCH).map(|_| random_action(&mut self.rng)).collect();
        self.log.push("--- in-page batch".to_owned());
        self.log.extend(actions.iter().map(describe));
        let ran = self
            .s
            .client
            .execute_async(RUN_ACTIONS, vec![Value::Array(actions)])
            .await;
        match ran {
            Ok(Value::Number(n)) if n.as_u64() == Some(BATCH as u64) => self.actions += BATCH,
            other => self.fail(format!("the in-page batch did not run: {other:?}")),
        }
    }

    /// One action through WebDriver (a real click, typing, or choosing an option).
    async fn webdriver_action(&mut self) {
        let action = random_action(&mut self.rng);
        self.log.push(format!("webdriver: {}", describe(&action)));
        let id = action["id"].as_str().unwrap_or_default();
        let value = action["value"].as_str().unwrap_or_default();
        match action["kind"].as_str() {
            Some("click") => self.s.click(id).await,
            Some("input") => self.s.type_into(id, value).await,
            _ => {
                if let Err(e) = self.s.by_test_id(id).await.select_by_value(value).await {
                    self.fail(format!("choose {value} in {id}: {e}"));
                }
            }
        }
        self.actions += 1;
    }

    /// Stops whatever runs (Pause through WebDriver) and waits until the page is still: a
    /// resting state and the same snapshot twice, 300 ms apart (the one wait that proves
    /// nothing more happens). Returns that snapshot.
    async fn settle(&mut self) -> Value {
        let start = Instant::now();
        let mut last = Value::Null;
        while start.elapsed() < TIMEOUT {
            let v = self.snapshot().await;
            match v["state"].as_str() {
                Some("running") => {
                    self.log.push("settle: click pause".to_owned());
                    self.s.click("pause").await;
                }
                Some("ready" | "paused" | "finished" | "diverged") => {
                    let mut still = v.clone();
                    still["chartDrawn"] = Value::Null; // drawn a frame later
                    if still == last {
                        return v;
                    }
                    last = still;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    continue;
                }
                Some("error") => self.fail(format!("the page is in error: {v}")),
                _ => {} // starting or loading MNIST
            }
            last = Value::Null;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.fail(format!("the page never came to rest: {last}"))
    }

    /// Makes the JSON export possible (it needs a kept run with a completed epoch): when no
    /// run has one, trains the current run on, at full speed, to the end of its first epoch.
    async fn enable_export(&mut self) {
        let s = self.s;
        let disabled = || async move {
            s.by_test_id("export-json")
                .await
                .attr("disabled")
                .await
                .ok()
                .flatten()
                .is_some()
        };
        if !disabled().await {
            return;
        }
        self.log
            .push("check: train to the end of an epoch to export".to_owned());
        if let Err(e) = self
            .s
            .by_test_id("speed")
            .await
            .select_by_value("max")
            .await
        {
            self.fail(format!("choose full speed: {e}"));
        }
        self.s.click("train").await;
        let per_epoch = num(&self.snapshot().await, "perEpoch");
        let reached = self
            .s
            .wait_attr("step-counter", "data-value", |v| {
                v.parse::<i64>().unwrap_or(0) >= per_epoch
            })
            .await;
        if let Err(last) = reached {
            self.fail(format!("the run never finished an epoch: update {last}"));
        }
        self.settle().await;
        let enabled = poll(TIMEOUT, async || match disabled().await {
            true => Err("disabled".to_owned()),
            false => Ok(()),
        })
        .await;
        if enabled.is_err() {
            self.fail("the JSON export stays disabled after an epoch");
        }
    }

    /// The current run's first `k` batch losses, from the JSON export (after
    /// [`Self::enable_export`], at rest); `None` when its rows were merged (past the history's
    /// capacity a row holds the mean of several updates, so they are no single update's loss).
    async fn first_losses(&mut self, k: usize) -> Option<Vec<Value>> {
        const LAST_EXPORT: &str =
            "const e = window.__batchLabLastExport; return e ? e.text : null;";
        self.enable_export().await;
        let step = num(&self.settle().await, "step") as usize;
        self.s
            .client
            .execute("window.__batchLabLastExport = null; return true;", vec![])
            .await
            .ok();
        self.s.click("export-json").await;
        let s = self.s;
        let text = poll(TIMEOUT, async || {
            match s.client.execute(LAST_EXPORT, vec![]).await {
                Ok(Value::String(text)) => Ok(text),
                _ => Err("no export yet".to_owned()),
            }
        })
        .await
        .unwrap_or_else(|_| self.fail("the JSON export never came"));
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| self.fail(format!("the export is not JSON: {e}")));
        let updates = json["updates"]["update"].as_array().cloned();
        let losses = json["updates"]["loss"].as_array().cloned();
        let (Some(updates), Some(losses)) = (updates, losses) else {
            self.fail(format!("the export has no updates: {text:.300}"));
        };
        let numbers: Vec<f64> = updates.iter().filter_map(Value::as_f64).collect();
        if numbers.len() != updates.len()
            || numbers.windows(2).any(|w| w[0] >= w[1])
            || numbers.last().copied() != Some(step as f64)
        {
            self.fail(format!(
                "the current run's rows do not rise to its {step} updates: {:?}",
                &numbers[numbers.len().saturating_sub(20)..]
            ));
        }
        if numbers.len() != step {
            return None; // merged rows
        }
        // Unmerged: exactly its own updates 1, 2, 3, …, none missing or twice.
        if numbers
            .iter()
            .enumerate()
            .any(|(i, &u)| u != (i + 1) as f64)
        {
            self.fail(format!(
                "the current run's updates are not 1, 2, 3, …: {:?}",
                &numbers[..numbers.len().min(40)]
            ));
        }
        Some(losses.into_iter().take(k).collect())
    }
}

async fn hostile_sequence(s: &Session) {
    let seed = seed();
    eprintln!("hostile: HOSTILE_SEED={seed} (0x{seed:x})");
    let mut h = Hostile {
        s,
        seed,
        rng: Rng(seed),
        log: Vec::new(),
        actions: 0,
    };
    // Small runs first so that some finish during the sequence; the actions change them.
    s.open_at("?data=xor&lang=en&speed=max").await;
    s.wait_state(&["ready"]).await;
    s.client
        .execute(CAPTURE_CONSOLE, vec![])
        .await
        .expect("capture the console");
    let started = Instant::now();

    for batch in 0..BATCHES {
        h.in_page_batch().await;
        // A few real WebDriver actions between batches, then a look at the page mid-flight.
        for _ in 0..h.rng.below(3) {
            h.webdriver_action().await;
        }
        let v = h.snapshot().await;
        h.check_invariants(&v, &format!("after batch {batch}"));
    }
    let actions = h.actions;
    eprintln!(
        "hostile: {actions} random actions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if actions < 500 {
        h.fail(format!("only {actions} actions ran"));
    }

    // At rest, everything belongs to the current settings.
    let v = h.settle().await;
    h.check_invariants(&v, "at rest");
    let step = num(&v, "step");
    if v["state"] == "finished" && step != num(&v, "total") {
        h.fail(format!("finished before the run's last update: {v}"));
    }
    // The charts drew every update of this run (on the next frame).
    if let Err(last) = s
        .wait_attr("charts", "data-drawn", |d| d == step.to_string())
        .await
    {
        h.fail(format!(
            "the charts drew {last} updates, the run has {step}: {v}"
        ));
    }
    eprintln!("hostile: at rest: {v}");

    // The current run's record is its own: a fresh run with the same settings (Reset, then
    // Step) reproduces its first losses exactly. A run left short is first stepped on (its
    // record then starts with the updates made during the sequence).
    let total = num(&v, "total");
    let mut step = step;
    if matches!(v["state"].as_str(), Some("ready" | "paused")) {
        while step < FIRST.min(total) {
            step += 1;
            h.log.push("check: step".to_owned());
            s.click("step").await;
            if s.wait_attr("step-counter", "data-value", |v| v == step.to_string())
                .await
                .is_err()
            {
                h.fail(format!(
                    "Step did not reach update {step} after the sequence"
                ));
            }
        }
        let v = h.settle().await;
        h.check_invariants(&v, "stepped on");
    }
    let k = step.clamp(0, FIRST) as usize;
    if k > 0 {
        match h.first_losses(k).await {
            Some(recorded) => {
                h.log.push("check: reset, then step".to_owned());
                s.click("reset").await;
                s.wait_state(&["ready"]).await;
                for u in 1..=k {
                    s.click("step").await;
                    if s.wait_attr("step-counter", "data-value", |v| v == u.to_string())
                        .await
                        .is_err()
                    {
                        h.fail(format!("Step did not reach update {u} after the sequence"));
                    }
                }
                let fresh = h.first_losses(k).await;
                if Some(&recorded) != fresh.as_ref() {
                    h.fail(format!(
                        "the run shown is not the current settings' run: its first losses \
                         {recorded:?}, a fresh run's {fresh:?}"
                    ));
                }
                eprintln!("hostile: a fresh run reproduces the first losses {recorded:?}");
            }
            None => eprintln!(
                "hostile: the current run's {step} updates were merged into fewer rows; \
                 its losses are not compared with a fresh run"
            ),
        }
    }

    // And the page still trains: a run to its end.
    s.by_test_id("speed")
        .await
        .select_by_value("max")
        .await
        .expect("full speed");
    s.type_into("dataset-size", "40").await;
    s.type_into("batch-size", "8").await;
    s.type_into("epochs", "3").await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    if s.wait_attr("status", "data-state", |v| v == "finished")
        .await
        .is_err()
    {
        let v = h.snapshot().await;
        h.fail(format!("a run after the sequence never finished: {v}"));
    }
    let v = h.settle().await;
    h.check_invariants(&v, "after a final run");
    if num(&v, "step") != 15 {
        h.fail(format!(
            "the final run (40 / 8 · 3) did not make 15 updates: {v}"
        ));
    }
    eprintln!("hostile: done in {:.1} s", started.elapsed().as_secs_f64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_random_actions_leave_a_consistent_page() {
    run_case("hostile", hostile_sequence).await;
}

/// Issue 21: a typed value is either used and shown as used (out of range: with a note of
/// what was used instead), or marked invalid with the reason and nothing changes. Before,
/// `1e308` stayed in the rate box while 0.001 was used, a seed of `-1` stayed while 42 was
/// used, and hidden layers `-3` became `Dense(3)`.
async fn typed_values_are_used_as_shown_or_marked_invalid(s: &Session) {
    s.open_at("?speed=max").await;
    s.wait_state(&["ready"]).await;
    for (id, typed, shown) in [
        ("learning-rate", "1e308", "10"),
        ("learning-rate", "100", "10"),
    ] {
        s.type_into(id, typed).await;
        s.until(&format!("{id} {typed} shown as used"), async || {
            let v = s.prop(id, "value").await;
            if v == shown { Ok(()) } else { Err(v) }
        })
        .await;
        assert_eq!(s.attr(id, "aria-invalid").await, "false", "{id} {typed}");
        // Said under the box, as a link's notice says it.
        let note = s.text(&format!("{id}-clamped")).await;
        assert!(
            note.contains(&format!("{typed} → {shown}")),
            "{id} {typed}: {note:?}"
        );
    }
    s.type_into("learning-rate", "0.001").await;
    s.until("the note goes with a value in range", async || {
        let n = s
            .js(
                "return document.querySelectorAll('[data-testid=learning-rate-clamped]').length;",
                vec![],
            )
            .await;
        if n == 0 { Ok(()) } else { Err(n.to_string()) }
    })
    .await;
    for (id, typed, kept) in [
        ("seed", "-1", "42"),
        ("seed", "1e30", "42"),
        ("hidden-layers", "-3", "128"),
    ] {
        // Set as a person would (select all, type): WebDriver's clear() would first commit
        // an empty box, which for hidden layers is a valid value (no hidden layer).
        s.js(
            "const e = document.querySelector(`[data-testid='${arguments[0]}']`);\
             e.value = arguments[1]; e.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(id), json!(typed)],
        )
        .await;
        s.until(&format!("{id} {typed} marked invalid"), async || {
            let v = s.attr(id, "aria-invalid").await;
            if v == "true" { Ok(()) } else { Err(v) }
        })
        .await;
        let reason = s.text(&format!("{id}-error")).await;
        assert!(!reason.trim().is_empty(), "{id} {typed}: no reason shown");
        // Nothing changed: the link still carries the used value.
        let href = s.js("return location.search;", vec![]).await;
        let key = if id == "seed" { "seed" } else { "layers" };
        assert!(
            href.as_str()
                .unwrap_or("")
                .contains(&format!("{key}={kept}")),
            "{id} {typed}: {href}"
        );
    }
    let code = s.text("code-keras").await;
    assert!(!code.contains("Dense(3"), "{code}");
    // A valid value clears the mark.
    s.type_into("seed", "7").await;
    s.until("seed 7 used", async || {
        let v = s.attr("seed", "aria-invalid").await;
        if v == "false" { Ok(()) } else { Err(v) }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_values_follow_the_links_rule() {
    run_case(
        "hostile-typed",
        typed_values_are_used_as_shown_or_marked_invalid,
    )
    .await;
}
