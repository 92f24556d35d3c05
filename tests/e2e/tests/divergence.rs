//! A learning rate far too high, both ways it shows: the loss becomes NaN/∞ (the run stops and
//! the status says at which update), or it only climbs far above where it started (the run
//! goes on at chance accuracy, and the status warns — and still warns when the run ends,
//! although by then the loss has fallen back to chance level). The next sane run trains
//! normally.

use batch_lab_e2e::{Session, run_case};

/// The status line's `data-warning` (`None` without a warning).
async fn status_warning(s: &Session) -> Option<String> {
    s.by_test_id("status")
        .await
        .attr("data-warning")
        .await
        .expect("read the status' data-warning")
}

async fn blowup_is_warned_and_nan_stops(s: &Session) {
    // lr 10 with SGD and the default Dense(128): the loss explodes but stays finite.
    s.open_at("?lang=en&n=2000&b=32&epochs=2&lr=10&opt=sgd&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    let warning = s
        .wait_attr("status", "data-warning", |v| v == "loss-blowup")
        .await;
    assert!(warning.is_ok(), "no blow-up warning: {warning:?}");
    let text = s.by_test_id("loss-warning").await.text().await.unwrap();
    assert!(
        text.contains("learning rate (10.0)") && text.contains("blown up"),
        "{text}"
    );
    let state = s.wait_state(&["finished", "diverged"]).await;
    assert_eq!(state, "finished", "a finite blow-up does not stop the run");
    let warning = status_warning(s).await;
    assert_eq!(
        warning.as_deref(),
        Some("loss-blowup"),
        "the warning outlives the blow-up: the run ends at chance level"
    );

    // lr 10, SGD, 512-512 on MNIST: the loss becomes NaN within a few updates and the run stops.
    s.open_at("?lang=en&n=2000&b=32&epochs=2&lr=10&opt=sgd&layers=512-512&speed=max")
        .await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    assert_eq!(s.wait_state(&["diverged", "finished"]).await, "diverged");
    let status = s.by_test_id("status").await.text().await.unwrap();
    assert!(status.contains("stopped at update"), "{status}");

    // A sane learning rate afterwards trains without a warning.
    s.type_into("learning-rate", "0.001").await;
    s.wait_state(&["ready"]).await;
    s.click("train").await;
    assert_eq!(s.wait_state(&["finished", "diverged"]).await, "finished");
    let warning = status_warning(s).await;
    assert_eq!(warning, None, "no warning for a healthy run");
    assert!(s.page_errors().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learning_rate_far_too_high_is_explained() {
    run_case("divergence", blowup_is_warned_and_nan_stops).await;
}
