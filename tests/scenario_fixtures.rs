//! The shared scenario fixtures, run by the engine compiled for the page, in headless Chromium:
//! the page gives each the same verdict as the native tests (core/tests/scenario_fixtures.rs,
//! which also checks that this list names every fixture file).

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen_test::*;
use wsprobe_core::scenario::fixture;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixtures {
    ($($name:literal => $text:expr,)*) => {
        [$(($name, $text)),*]
    };
}

const FIXTURES: [(&str, &str); 26] = fixtures! {
    "binary_and_size_matchers" => include_str!("../core/fixtures/scenarios/binary_and_size_matchers.json"),
    "connect_timeout" => include_str!("../core/fixtures/scenarios/connect_timeout.json"),
    "echo_passes" => include_str!("../core/fixtures/scenarios/echo_passes.json"),
    "expect_close" => include_str!("../core/fixtures/scenarios/expect_close.json"),
    "expect_close_fails" => include_str!("../core/fixtures/scenarios/expect_close_fails.json"),
    "expect_close_times_out" => include_str!("../core/fixtures/scenarios/expect_close_times_out.json"),
    "expect_messages_count" => include_str!("../core/fixtures/scenarios/expect_messages_count.json"),
    "expect_no_message" => include_str!("../core/fixtures/scenarios/expect_no_message.json"),
    "expect_no_message_fails" => include_str!("../core/fixtures/scenarios/expect_no_message_fails.json"),
    "json_pointer_matchers" => include_str!("../core/fixtures/scenarios/json_pointer_matchers.json"),
    "json_subset_fails_with_differences" => include_str!("../core/fixtures/scenarios/json_subset_fails_with_differences.json"),
    "json_subset_passes_and_captures" => include_str!("../core/fixtures/scenarios/json_subset_passes_and_captures.json"),
    "refused_as_expected" => include_str!("../core/fixtures/scenarios/refused_as_expected.json"),
    "refused_status_in_a_browser_fails" => include_str!("../core/fixtures/scenarios/refused_status_in_a_browser_fails.json"),
    "refused_status_through_relay" => include_str!("../core/fixtures/scenarios/refused_status_through_relay.json"),
    "refused_unexpectedly_fails" => include_str!("../core/fixtures/scenarios/refused_unexpectedly_fails.json"),
    "reply_before_expect_is_kept" => include_str!("../core/fixtures/scenarios/reply_before_expect_is_kept.json"),
    "send_after_server_closed" => include_str!("../core/fixtures/scenarios/send_after_server_closed.json"),
    "send_when_not_connected" => include_str!("../core/fixtures/scenarios/send_when_not_connected.json"),
    "skip_until_counts" => include_str!("../core/fixtures/scenarios/skip_until_counts.json"),
    "skip_until_times_out" => include_str!("../core/fixtures/scenarios/skip_until_times_out.json"),
    "stale_timers_are_ignored" => include_str!("../core/fixtures/scenarios/stale_timers_are_ignored.json"),
    "subprotocol_matches" => include_str!("../core/fixtures/scenarios/subprotocol_matches.json"),
    "subprotocol_mismatch_fails" => include_str!("../core/fixtures/scenarios/subprotocol_mismatch_fails.json"),
    "text_matchers" => include_str!("../core/fixtures/scenarios/text_matchers.json"),
    "unexpected_close_fails_expect" => include_str!("../core/fixtures/scenarios/unexpected_close_fails_expect.json"),
};

#[wasm_bindgen_test]
fn every_fixture_gives_its_verdict_in_the_browser() {
    let failures: Vec<String> = FIXTURES
        .iter()
        .filter_map(|(name, text)| fixture::check(text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
