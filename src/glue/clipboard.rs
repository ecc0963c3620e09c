//! Copying text to the clipboard.

use wasm_bindgen_futures::JsFuture;

use crate::glue::{BrowserError, page};

/// Copies `text`; fails when the browser refuses (no permission, insecure page): then the kind
/// is `NotAllowed` or `Security`.
pub async fn copy_text(text: &str) -> Result<(), BrowserError> {
    let clipboard = page::secure_navigator_part::<web_sys::Clipboard>("clipboard").ok_or_else(|| {
        BrowserError::plain(
            "NotSupportedError",
            "the browser offers no clipboard to a page served over plain http from another machine",
        )
    })?;
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| {
            let error = BrowserError::from_js(&e);
            // A bare string says why in words; an exception's message is for developers.
            if e.is_string() {
                error
            } else {
                error.worded("the browser refused to copy (the page needs focus and permission)")
            }
        })
}

/// Copies `text` and words the outcome for a status line: `copied` ("Share link copied."), or
/// why not and what to do `instead` ("select the link below and copy it"); true for a failure.
pub async fn copy_and_say(text: &str, copied: &str, instead: &str) -> (String, bool) {
    match copy_text(text).await {
        Ok(()) => (copied.to_string(), false),
        Err(why) => (format!("Could not copy ({why}); {instead}."), true),
    }
}
