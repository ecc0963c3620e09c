//! Whether the relay is running, accepts this page and its token, and speaks this page's
//! version: checked when the panel opens, when the address or token change, and on request.

use leptos::prelude::*;
use wsprobe_core::relay::status::RelayStatus;

use crate::relay_settings::use_relay_settings;

#[component]
pub fn RelayStatusLine() -> impl IntoView {
    let relay = use_relay_settings();
    let status = relay.status;
    let paired = move || status.with(|s| s.as_ref().is_some_and(RelayStatus::is_paired));
    let trouble = move || {
        status.with(|s| {
            s.as_ref()
                .is_some_and(|s| !s.is_paired() && *s != RelayStatus::Checking)
        })
    };
    view! {
        <div class="relay-status">
            <p role="status" aria-label="Relay status" class:error=trouble class:ok=paired>
                {move || {
                    status
                        .with(|s| s.as_ref().map(ToString::to_string))
                        .unwrap_or_else(|| "The relay has not been checked yet.".into())
                }}
            </p>
            <button type="button" class="small" on:click=move |_| relay.check(|_, _| {})>
                "Check relay"
            </button>
        </div>
    }
}
