//! Copying text to the clipboard.

use wasm_bindgen_futures::JsFuture;

use crate::glue::BrowserError;

/// Copies `text`; fails when the browser refuses (no permission, insecure page): then the kind
/// is `NotAllowed` or `Security`.
pub async fn copy_text(text: &str) -> Result<(), BrowserError> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or_else(|| BrowserError::plain("NotSupportedError", "no window"))?;
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
