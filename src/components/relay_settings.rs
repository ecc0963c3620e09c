//! Where the relay listens and the token it printed, kept as settings in this browser.

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
    }
}
