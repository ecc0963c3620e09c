//! Files a person picks with an `<input type="file">`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use crate::glue::BrowserError;

/// The file picked in the input that fired `event`; the input is emptied so that picking the
/// same file again fires again.
pub fn picked(event: &web_sys::Event) -> Option<File> {
    let input = event.target()?.dyn_into::<HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

pub async fn read_text(file: &File) -> Result<String, BrowserError> {
    let could_not = || format!("the browser could not read {}", file.name());
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| BrowserError::from_js(&e).worded(could_not()))?;
    // `text()` resolves to a string; anything else is as unreadable.
    text.as_string()
        .ok_or_else(|| BrowserError::plain("", &could_not()))
}

pub async fn read_bytes(file: &File) -> Result<Vec<u8>, BrowserError> {
    JsFuture::from(file.array_buffer())
        .await
        .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|e| {
            BrowserError::from_js(&e).worded(format!("the browser could not read {}", file.name()))
        })
}
