//! Browser errors as one type, from what the browser really throws, in headless Chromium.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wsprobe::glue::{BrowserError, ErrorKind, page};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    match web_sys::window().and_then(|w| w.document()) {
        Some(document) => document,
        None => panic!("the test page has no document"),
    }
}

#[wasm_bindgen_test]
fn a_dom_exception_keeps_its_name_to_act_on() {
    let Err(thrown) = document().query_selector("[[") else {
        panic!("an invalid selector should throw")
    };
    let error = BrowserError::from_js(&thrown);
    assert_eq!(error.name, "SyntaxError");
    assert_eq!(error.kind(), ErrorKind::Syntax);
    assert!(!error.message.is_empty());
    assert_eq!(error.to_string(), format!("SyntaxError: {}", error.message));
}

#[wasm_bindgen_test]
fn an_error_a_string_or_anything_else_becomes_text() {
    let Err(thrown) = web_sys::Url::new("not a url") else {
        panic!("a relative URL without a base should throw")
    };
    let error = BrowserError::from(thrown);
    assert_eq!(error.name, "TypeError");
    assert_eq!(error.kind(), ErrorKind::Other);

    let said = BrowserError::from_js(&JsValue::from_str("refused"));
    assert_eq!(
        (said.name.as_str(), said.to_string()),
        ("", "refused".into())
    );
    assert_eq!(said.kind(), ErrorKind::Other);
    assert!(
        !BrowserError::from_js(&JsValue::from(42))
            .to_string()
            .is_empty()
    );
}

#[wasm_bindgen_test]
fn words_for_a_person_replace_the_text_but_not_the_kind() {
    let full = BrowserError::new("QuotaExceededError", "exceeded the quota").worded("full");
    assert_eq!(
        (full.kind(), full.to_string()),
        (ErrorKind::QuotaExceeded, "full".into())
    );
    let blocked =
        BrowserError::new("SecurityError", "Access is denied.").worded_as_message_or("blocked");
    assert_eq!(
        (blocked.kind(), blocked.to_string()),
        (ErrorKind::Security, "Access is denied.".into())
    );
    let silent = BrowserError::new("SecurityError", "").worded_as_message_or("blocked");
    assert_eq!(silent.to_string(), "blocked");
    let found = BrowserError::plain("NotSupportedError", "no window");
    assert_eq!(
        (found.kind(), found.to_string()),
        (ErrorKind::NotSupported, "no window".into())
    );
}

#[wasm_bindgen_test]
fn a_window_listener_stops_when_removed() {
    let Some(window) = web_sys::window() else {
        panic!("no window")
    };
    let heard = Rc::new(Cell::new(0));
    let count = heard.clone();
    let listener = page::on_window_event("wsprobe-test", move |_: web_sys::Event| {
        count.set(count.get() + 1)
    });
    let fire = || {
        let event = web_sys::Event::new("wsprobe-test").ok();
        event.map(|e| window.dispatch_event(&e))
    };
    fire();
    assert_eq!(heard.get(), 1);
    // Another listener's removal leaves this one alone.
    page::on_window_event("wsprobe-test", |_: web_sys::Event| {}).remove();
    fire();
    assert_eq!(heard.get(), 2);
    listener.remove();
    fire();
    assert_eq!(heard.get(), 2);
}
