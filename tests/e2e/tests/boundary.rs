//! Issue 13's decision boundary end to end: on spirals the canvas behind the data plot shows
//! the untrained net's prediction at once, at least two class colours after 5 epochs, and
//! keeps changing while the run trains (its `data-updates` and its pixels).
//! Needs APP_URL and WEBDRIVER_URL (run through `scripts/test`).

use batch_lab_e2e::{BoundaryShot, Session, run_case};

/// Polls the boundary until `pred` holds; panics with the last shot on time-out.
async fn wait_boundary(
    s: &Session,
    what: &str,
    pred: impl Fn(&BoundaryShot) -> bool,
) -> BoundaryShot {
    s.until(what, async || {
        let shot = s.boundary_shot().await;
        if pred(&shot) {
            Ok(shot)
        } else {
            Err(format!("{shot:?}"))
        }
    })
    .await
}

async fn spirals_boundary_learns_and_moves(s: &Session) {
    // 20 updates a second: at full speed the whole run (2,600 updates) takes well under a
    // second here, too fast to catch two moments of it.
    s.open_at("?lang=en&data=spirals&epochs=200&seed=3&speed=20")
        .await;
    s.wait_state(&["ready"]).await;
    // Before training: the untrained net's boundary, computed at update 0.
    let untrained = wait_boundary(s, "the untrained boundary", |b| b.updates == Some(0)).await;
    assert_eq!(untrained.pixels, 64 * 64);
    s.click("train").await;
    s.wait_attr("epoch-counter", "data-value", |v| {
        v.parse::<u64>().is_ok_and(|e| e >= 5)
    })
    .await
    .expect("5 epochs");
    let trained = wait_boundary(s, "a boundary after 5 epochs with two classes", |b| {
        b.updates.is_some_and(|u| u > 0) && b.classes.is_some_and(|c| c >= 2)
    })
    .await;
    // Both class colours on the canvas, each over a real share of the plane.
    let share = trained.pixels / 20;
    assert!(
        trained.first_colour >= share && trained.second_colour >= share,
        "two class colours in the pixels: {trained:?}"
    );
    assert_ne!(
        trained.hash, untrained.hash,
        "training changed the boundary"
    );
    // Live: a later moment of the same run shows a later grid, with other pixels.
    let later = wait_boundary(s, "a later boundary", |b| {
        b.updates.is_some_and(|u| u > trained.updates.unwrap_or(0)) && b.hash != trained.hash
    })
    .await;
    assert!(later.classes.is_some_and(|c| c >= 2), "{later:?}");
}

/// Random data is not 2-D: no boundary canvas.
async fn no_boundary_without_a_plane(s: &Session) {
    s.open_at("?lang=en&data=random&n=200&b=20&epochs=2&seed=1")
        .await;
    s.wait_state(&["ready"]).await;
    let n: i64 = s
        .js(
            "return document.querySelectorAll('[data-testid=\"decision-boundary\"]').length;",
            vec![],
        )
        .await
        .as_i64()
        .unwrap_or(-1);
    assert_eq!(n, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spirals_boundary_shows_two_classes_and_changes() {
    run_case("boundary-spirals", spirals_boundary_learns_and_moves).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_data_has_no_boundary() {
    run_case("boundary-random", no_boundary_without_a_plane).await;
}
