//! Connection options: the connect timeout, automatic reconnects, the heartbeat, and the code
//! and reason Disconnect closes with.

use leptos::prelude::*;
use wsprobe_core::clock::time_of_day;

use crate::components::close_options::CloseOptions;
use crate::glue::clock;
use crate::lazy::{Loaded, split_point};
use crate::session::ConnectionOptions;
use crate::session::use_session;

#[component]
pub fn ConnectionOptionsPanel() -> impl IntoView {
    let session = use_session();
    let options = session.options;
    let number = move |label: &'static str,
                       get: fn(&ConnectionOptions) -> f64,
                       set: fn(&mut ConnectionOptions, f64)| {
        view! {
            <label class="option">
                <span>{label}</span>
                <input
                    type="number"
                    min="0"
                    inputmode="decimal"
                    prop:value=move || options.with(get).to_string()
                    on:change=move |ev| {
                        if let Ok(value) = event_target_value(&ev).trim().parse::<f64>()
                            && value.is_finite() && value >= 0.0
                        {
                            options.update(|o| set(o, value));
                        }
                    }
                />
            </label>
        }
    };
    let last_received = move || {
        session
            .last_received
            .get()
            .map(|at| {
                format!(
                    "Last message received at {}.",
                    time_of_day(at, clock::utc_offset_minutes())
                )
            })
            .unwrap_or_else(|| "No message received yet.".into())
    };
    view! {
        <details class="panel options">
            <summary>
                <h2>"Connection options"</h2>
            </summary>
            {number("Connect timeout (s)", |o| o.timeout_s, |o, v| o.timeout_s = v)}
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=move || options.with(|o| o.reconnect)
                    on:change=move |ev| options.update(|o| o.reconnect = event_target_checked(&ev))
                />
                "Reconnect automatically"
            </label>
            <div class="option-group" class:hidden=move || !options.with(|o| o.reconnect)>
                {number(
                    "Reconnect attempts",
                    |o| f64::from(o.backoff.max_attempts),
                    |o, v| o.backoff.max_attempts = v as u32,
                )}
                {number(
                    "First delay (ms)",
                    |o| o.backoff.first_delay_ms,
                    |o, v| o.backoff.first_delay_ms = v,
                )}
                {number(
                    "Longest delay (s)",
                    |o| o.backoff.max_delay_ms / 1000.0,
                    |o, v| o.backoff.max_delay_ms = v * 1000.0,
                )}
                <p class="hint">
                    "Waits double each time, with jitter; not after you press Disconnect."
                </p>
            </div>
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=move || options.with(|o| o.heartbeat)
                    on:change=move |ev| options.update(|o| o.heartbeat = event_target_checked(&ev))
                />
                "Heartbeat"
            </label>
            <div class="option-group" class:hidden=move || !options.with(|o| o.heartbeat)>
                {number(
                    "Heartbeat every (s)",
                    |o| o.heartbeat_every_s,
                    |o, v| o.heartbeat_every_s = v,
                )}
                <label class="option">
                    <span>"Heartbeat payload"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        prop:value=move || options.with(|o| o.heartbeat_payload.clone())
                        on:change=move |ev| {
                            options.update(|o| o.heartbeat_payload = event_target_value(&ev))
                        }
                    />
                </label>
                <p class="hint">
                    "Browsers cannot send ping frames; this sends a text message of your choice instead."
                </p>
            </div>
            <p class="hint">{last_received}</p>
            <CloseOptions options />
        </details>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn connection_options_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ConnectionOptionsPanel /> }.into_any())
    }
}
