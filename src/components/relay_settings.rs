//! Where the relay listens and the token it printed, kept as settings in this browser.

use leptos::prelude::*;

use crate::session::{RELAY_ADDRESS_KEY, RELAY_TOKEN_KEY, Session};

#[component]
pub fn RelaySettings(session: Session) -> impl IntoView {
    let library = session.library;
    view! {
        <label class="option">
            <span>"Relay address"</span>
            <input
                type="text"
                spellcheck="false"
                prop:value=move || session.relay_address.get()
                on:change=move |ev| {
                    let address = event_target_value(&ev);
                    library.set_setting(RELAY_ADDRESS_KEY, &address);
                    session.relay_address.set(address);
                }
            />
        </label>
        <label class="option">
            <span>"Relay token"</span>
            <input
                type="password"
                autocomplete="off"
                prop:value=move || session.relay_token.get()
                on:change=move |ev| {
                    let token = event_target_value(&ev).trim().to_string();
                    library.set_setting(RELAY_TOKEN_KEY, &token);
                    session.relay_token.set(token);
                }
            />
        </label>
    }
}
