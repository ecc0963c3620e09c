//! Saving text as a file the browser downloads.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::glue::BrowserError;

/// Offers `contents` as a download named `file_name`.
pub fn save_text(file_name: &str, mime: &str, contents: &str) -> Result<(), BrowserError> {
    let parts = js_sys::Array::of1(&contents.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| BrowserError::from_js(&e).worded("could not build the file"))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|e| BrowserError::from_js(&e).worded("could not make a link to the file"))?;
    let clicked = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        });
    // The click has started the download; the object URL is no longer needed.
    let _ = Url::revoke_object_url(&url);
    clicked.ok_or_else(|| {
        BrowserError::plain(
            "NotSupportedError",
            "the page has no document to download from",
        )
    })
}
