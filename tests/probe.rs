//! The HTTP probe in headless Chromium, against the project's own test server.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen_test::*;
use wsprobe::glue::probe::probe;
use wsprobe_core::diagnosis::{Probe, http_equivalent};

wasm_bindgen_test_configure!(run_in_browser);

fn server(path: &str) -> String {
    let base = option_env!("WSPROBE_TEST_SERVER").unwrap_or("ws://127.0.0.1:9001");
    http_equivalent(&format!("{base}{path}"))
}

#[wasm_bindgen_test]
async fn a_server_that_answers_http_is_reachable_even_when_it_refuses() {
    assert_eq!(
        probe(&server("/"), 5_000).await,
        Probe::Answered,
        "{}",
        server("/")
    );
    assert_eq!(
        probe(&server("/reject?status=401"), 5_000).await,
        Probe::Answered
    );
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_error() {
    // scripts/test.sh finds a port where nothing listens; not a "bad port" such as 1, which the
    // browser would refuse without trying.
    let port = option_env!("WSPROBE_CLOSED_PORT").unwrap_or("47");
    assert_eq!(
        probe(&format!("http://127.0.0.1:{port}/"), 5_000).await,
        Probe::NetworkError
    );
}

#[wasm_bindgen_test]
async fn a_server_that_never_answers_runs_out_the_probe_timeout() {
    assert_eq!(probe(&server("/hang"), 300).await, Probe::NoAnswer);
}

/// How many timeouts of `ms` the page has set and not yet run or cleared (other tests run
/// beside this one, with other delays). Counting starts at the first call.
fn pending_timeouts(ms: u32) -> u32 {
    let count = js_sys::Function::new_with_args(
        "ms",
        r#"
        if (!window.__pendingTimeouts) {
            const pending = new Map();
            const { setTimeout, clearTimeout } = window;
            window.setTimeout = function (callback, delay, ...rest) {
                const id = setTimeout.call(this, function (...a) {
                    pending.delete(id);
                    return callback.apply(this, a);
                }, delay, ...rest);
                pending.set(id, delay);
                return id;
            };
            window.clearTimeout = function (id) {
                pending.delete(id);
                return clearTimeout.call(this, id);
            };
            window.__pendingTimeouts = pending;
        }
        return [...window.__pendingTimeouts.values()].filter((d) => d === ms).length;
        "#,
    );
    match count
        .call1(&wasm_bindgen::JsValue::NULL, &ms.into())
        .map(|n| n.as_f64())
    {
        Ok(Some(n)) => n as u32,
        other => panic!("could not count the page's timeouts: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_probe_that_is_answered_leaves_no_timer_behind() {
    const TIMEOUT_MS: u32 = 60_000;
    assert_eq!(pending_timeouts(TIMEOUT_MS), 0);
    assert_eq!(
        probe(&server("/"), TIMEOUT_MS as i32).await,
        Probe::Answered
    );
    assert_eq!(pending_timeouts(TIMEOUT_MS), 0);
}
