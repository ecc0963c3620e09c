//! Where the relay listens and the token it printed, kept as settings in this browser (the
//! token for this tab only, unless the person asks to remember it).

use leptos::prelude::*;

use crate::relay_settings::use_relay_settings;

#[component]
pub fn RelaySettingsForm() -> impl IntoView {
    let relay = use_relay_settings();
    view! {
        <label class="option">
            <span>"Relay address"</span>
            <input
                type="text"
                spellcheck="false"
                prop:value=move || relay.address.get()
                on:change=move |ev| relay.set_address(event_target_value(&ev))
            />
        </label>
        <label class="option">
            <span>"Relay token"</span>
            <input
                type="password"
                autocomplete="off"
                prop:value=move || relay.token.get()
                on:change=move |ev| relay.set_token(&event_target_value(&ev))
            />
        </label>
        <label class="toggle">
            <input
                type="checkbox"
                prop:checked=move || relay.remember_token.get()
                on:change=move |ev| relay.set_remember_token(event_target_checked(&ev))
            />
            "Remember the relay token on this device"
        </label>
        <p class="hint">
            {move || {
                if relay.remember_token.get() {
                    "The token is kept in this browser until you untick this."
                } else {
                    "The token is kept for this tab only, and forgotten when it closes."
                }
            }}
        </p>
    }
}
