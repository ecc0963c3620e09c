//! The HTTP probe in headless Chromium, against the project's own test server.

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
