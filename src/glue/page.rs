//! Facts about the page itself.

/// `location.protocol`, such as "https:"; empty if the page has no window.
pub fn protocol() -> String {
    web_sys::window().and_then(|w| w.location().protocol().ok()).unwrap_or_default()
}

/// `location.hostname`, such as "127.0.0.1"; empty if the page has no window.
pub fn hostname() -> String {
    web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default()
}
