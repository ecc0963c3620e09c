//! localStorage, through gloo-storage, as plain strings and `BrowserError`s.
//! gloo's `LocalStorage::raw()` throws when storage is unavailable, so nothing here calls it
//! until `open()` has found that storage works.

use gloo_storage::{LocalStorage, Storage};

use crate::glue::page::{self, Listener};
use crate::glue::{BrowserError, ErrorKind};

/// Proof that localStorage answered when the page started; only `open()` makes one.
#[derive(Clone, Copy)]
pub struct Store(());

/// Checks that storage can be read and written (it cannot when the browser blocks site data:
/// then the error's kind is `Security`).
pub fn open() -> Result<Store, BrowserError> {
    let storage = web_sys::window()
        .ok_or_else(|| BrowserError::plain("NotSupportedError", "the page has no window"))?
        .local_storage()
        .map_err(|e| {
            BrowserError::from_js(&e)
                .worded_as_message_or("the browser blocks storage for this page")
        })?
        .ok_or_else(|| {
            BrowserError::plain("NotSupportedError", "this browser has no localStorage")
        })?;
    const PROBE: &str = "wsprobe.probe";
    storage.set_item(PROBE, "1").map_err(|e| {
        BrowserError::from_js(&e).worded_as_message_or("the browser refuses to store anything")
    })?;
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

    /// Writes `text`; on failure the previous value is still there, as the browser writes all
    /// or nothing. A full storage is `ErrorKind::QuotaExceeded`.
    pub fn write_text(self, key: &str, text: &str) -> Result<(), BrowserError> {
        LocalStorage::raw().set_item(key, text).map_err(|e| {
            let error = BrowserError::from_js(&e);
            match error.kind() {
                ErrorKind::QuotaExceeded => {
                    error.worded("the browser's storage for this page is full (quota exceeded)")
                }
                _ => error.worded_as_message_or("the browser refused to store it"),
            }
        })
    }

    /// Calls `changed(key)` when another tab of this page changes a key, until the returned
    /// listener is removed.
    pub fn on_change_elsewhere(self, changed: impl Fn(String) + 'static) -> Listener {
        page::on_window_event("storage", move |ev: web_sys::StorageEvent| {
            // A key of None means another tab cleared all storage.
            changed(ev.key().unwrap_or_default());
        })
    }
}

/// sessionStorage: kept by this tab until it closes, never shared with other tabs or kept on
/// the device. None when the browser blocks it; writing is then best effort, as for settings.
fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn session_read(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
}

pub fn session_write(key: &str, value: &str) {
    if let Some(session) = session() {
        let _ = session.set_item(key, value);
    }
}
