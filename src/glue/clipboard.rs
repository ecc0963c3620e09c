//! Copying text to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; fails with a message when the browser refuses (no permission, insecure page).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or("no window")?;
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| {
            e.as_string().unwrap_or_else(|| {
                "the browser refused to copy (the page needs focus and permission)".into()
            })
        })
}
