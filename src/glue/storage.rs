//! localStorage, through gloo-storage, as plain strings and messages.
//! gloo's `LocalStorage::raw()` throws when storage is unavailable, so nothing here calls it
//! until `open()` has found that storage works.

use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

/// Proof that localStorage answered when the page started; only `open()` makes one.
#[derive(Clone, Copy)]
pub struct Store(());

/// Checks that storage can be read and written (it cannot when the browser blocks site data).
pub fn open() -> Result<Store, String> {
    let storage = web_sys::window()
        .ok_or("the page has no window")?
        .local_storage()
        .map_err(|e| js_message(&e, "the browser blocks storage for this page"))?
        .ok_or("this browser has no localStorage")?;
    const PROBE: &str = "wsprobe.probe";
    storage
        .set_item(PROBE, "1")
        .map_err(|e| js_message(&e, "the browser refuses to store anything"))?;
    let _ = storage.remove_item(PROBE);
    Ok(Store(()))
}

impl Store {
    pub fn read(self, key: &str) -> Option<String> {
        LocalStorage::raw().get_item(key).ok().flatten()
    }

    /// Every key this page has stored.
    pub fn keys(self) -> Vec<String> {
        let storage = LocalStorage::raw();
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect()
    }

    /// Writes `value` as JSON; on failure the previous value is still there, as the browser
    /// writes all or nothing.
    pub fn write_json(self, key: &str, value: &serde_json::Value) -> Result<(), String> {
        LocalStorage::set(key, value).map_err(|e| match e {
            StorageError::JsError(js) if js.name == "QuotaExceededError" => {
                "the browser's storage for this page is full (quota exceeded)".to_string()
            }
            other => other.to_string(),
        })
    }

    pub fn write_text(self, key: &str, text: &str) -> Result<(), String> {
        LocalStorage::raw()
            .set_item(key, text)
            .map_err(|e| js_message(&e, "the browser refused to store it"))
    }

    /// Calls `changed(key)` when another tab of this page changes a key.
    pub fn on_change_elsewhere(self, changed: impl Fn(String) + 'static) {
        crate::glue::page::on_window_event("storage", move |ev: web_sys::StorageEvent| {
            // A key of None means another tab cleared all storage.
            changed(ev.key().unwrap_or_default());
        });
    }
}

fn js_message(error: &wasm_bindgen::JsValue, fallback: &str) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}
