//! The storage and page-address glue in headless Chromium, on the browser's real localStorage.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen_test::*;
use wsprobe::glue::{ErrorKind, page, storage};

wasm_bindgen_test_configure!(run_in_browser);

fn raw() -> web_sys::Storage {
    match web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        Some(storage) => storage,
        None => panic!("the test browser has no localStorage"),
    }
}

#[wasm_bindgen_test]
fn text_reads_back_and_keys_are_listed() {
    let Ok(store) = storage::open() else {
        panic!("storage should be available in the test browser")
    };
    assert_eq!(store.write_text("glue.text", "caf\u{e9} \u{1f600}"), Ok(()));
    assert_eq!(
        store.read("glue.text").as_deref(),
        Some("caf\u{e9} \u{1f600}")
    );
    assert_eq!(store.write_text("glue.json", r#"{"version":1}"#), Ok(()));
    assert_eq!(store.read("glue.json").as_deref(), Some(r#"{"version":1}"#));
    assert_eq!(store.read("glue.missing"), None);
    let keys = store.keys();
    assert!(
        keys.contains(&"glue.text".to_string()) && keys.contains(&"glue.json".to_string()),
        "{keys:?}"
    );
    // The availability probe cleans up after itself.
    assert!(!keys.iter().any(|k| k == "wsprobe.probe"));
    raw().clear().ok();
}

#[wasm_bindgen_test]
fn a_full_storage_says_so_and_keeps_the_previous_value() {
    let Ok(store) = storage::open() else {
        panic!("storage should be available in the test browser")
    };
    assert_eq!(store.write_text("glue.kept", "before"), Ok(()));
    // Fill the origin's real quota.
    let mut i = 0;
    let mut size = 1 << 20;
    while size >= 1 {
        let chunk = "x".repeat(size);
        while raw().set_item(&format!("filler{i}"), &chunk).is_ok() {
            i += 1;
        }
        size /= 2;
    }
    let Err(error) = store.write_text("glue.kept", &"y".repeat(4096)) else {
        panic!("a write past the quota should fail")
    };
    assert_eq!(error.kind(), ErrorKind::QuotaExceeded, "{error:?}");
    let error = error.to_string();
    assert!(error.contains("full (quota exceeded)"), "{error}");
    assert_eq!(store.read("glue.kept").as_deref(), Some("before"));
    raw().clear().ok();
}

#[wasm_bindgen_test]
fn the_fragment_is_read_and_forgotten_without_a_reload() {
    let Some(window) = web_sys::window() else {
        panic!("no window")
    };
    let before = page::address();
    assert!(!before.contains('#'));
    let with_fragment = format!("{before}#share=1.abc");
    window
        .history()
        .ok()
        .map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&with_fragment)));
    assert_eq!(page::fragment(), "#share=1.abc");
    assert_eq!(page::address(), before);
    page::forget_fragment();
    assert_eq!(page::fragment(), "");
    assert_eq!(window.location().href().ok(), Some(before));
}
