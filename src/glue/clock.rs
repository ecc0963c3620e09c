//! The browser's clocks.

/// Milliseconds on the monotonic clock, for durations.
pub fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Milliseconds since the Unix epoch, for timestamps a person reads.
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// Minutes to add to UTC to get local time (JavaScript counts it the other way round).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}
