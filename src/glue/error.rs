//! What the browser threw, as one value: its name, to act on, and its message, to show.

use std::fmt;

use wasm_bindgen::{JsCast, JsValue};

/// A failure the browser reported (a DOMException, an Error, or a bare value), or one the glue
/// found before asking it (no window, a connection not open).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserError {
    /// The exception's name, such as "QuotaExceededError"; empty when the browser gave none.
    pub name: String,
    /// The browser's own message.
    pub message: String,
    /// What the page shows instead of "name: message", where the glue words it for a person.
    worded: Option<String>,
}

/// The failures callers act on; everything else is `Other`, shown and not acted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Storage is full.
    QuotaExceeded,
    /// The browser forbids it here (site data blocked, an insecure page, another origin).
    Security,
    /// The browser cannot do this at all.
    NotSupported,
    /// A permission is missing (the clipboard without focus).
    NotAllowed,
    /// The object is not in a state for it (a connection not open).
    InvalidState,
    /// A value the browser will not take (a close code it reserves).
    InvalidAccess,
    /// Text that does not parse (a URL, a subprotocol).
    Syntax,
    /// Stopped by an abort signal.
    Abort,
    Other,
}

impl BrowserError {
    /// A failure with this DOMException `name` (empty for none) and `message`.
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            message: message.into(),
            worded: None,
        }
    }

    /// A failure the glue found itself, shown as `text` alone; `name` gives it its kind.
    pub fn plain(name: &str, text: &str) -> Self {
        Self::new(name, text).worded(text)
    }

    /// From whatever a web API threw or rejected with: an Error or DOMException (a DOMException
    /// is an Error in every current browser), a string, or anything else as its debug text.
    pub fn from_js(value: &JsValue) -> Self {
        match value.dyn_ref::<js_sys::Error>() {
            Some(e) => Self::new(String::from(e.name()), String::from(e.message())),
            None => Self::new(
                "",
                value.as_string().unwrap_or_else(|| format!("{value:?}")),
            ),
        }
    }

    /// Shown as `text`; the browser's name and message stay for `kind()` and debugging.
    pub fn worded(self, text: impl Into<String>) -> Self {
        Self {
            worded: Some(text.into()),
            ..self
        }
    }

    /// Shown as the browser's message alone, or `fallback` when it gave none.
    pub fn worded_as_message_or(self, fallback: &str) -> Self {
        let text = if self.message.is_empty() {
            fallback.to_string()
        } else {
            self.message.clone()
        };
        self.worded(text)
    }

    pub fn kind(&self) -> ErrorKind {
        match self.name.as_str() {
            "QuotaExceededError" => ErrorKind::QuotaExceeded,
            "SecurityError" => ErrorKind::Security,
            "NotSupportedError" => ErrorKind::NotSupported,
            "NotAllowedError" => ErrorKind::NotAllowed,
            "InvalidStateError" => ErrorKind::InvalidState,
            "InvalidAccessError" => ErrorKind::InvalidAccess,
            "SyntaxError" => ErrorKind::Syntax,
            "AbortError" => ErrorKind::Abort,
            _ => ErrorKind::Other,
        }
    }
}

impl From<JsValue> for BrowserError {
    fn from(value: JsValue) -> Self {
        Self::from_js(&value)
    }
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.worded, self.name.as_str()) {
            (Some(text), _) => f.write_str(text),
            (None, "") => f.write_str(&self.message),
            (None, name) => write!(f, "{name}: {}", self.message),
        }
    }
}

impl std::error::Error for BrowserError {}
