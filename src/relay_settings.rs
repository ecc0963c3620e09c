//! Where the relay listens and the token it printed: settings of this browser, not of a
//! request, so they are kept apart from what is saved and shared.

use leptos::prelude::*;
use wsprobe_core::relay::DEFAULT_ADDRESS;

use crate::context::injected;
use crate::library::Library;

const RELAY_ADDRESS_KEY: &str = "wsprobe.relay-address";
const RELAY_TOKEN_KEY: &str = "wsprobe.relay-token";

#[derive(Clone, Copy)]
pub struct RelaySettings {
    pub address: RwSignal<String>,
    pub token: RwSignal<String>,
    library: Library,
}

/// The relay settings, as provided at the page's top.
pub fn use_relay_settings() -> RelaySettings {
    injected()
}

impl RelaySettings {
    pub fn new(library: Library) -> Self {
        Self {
            address: RwSignal::new(
                library
                    .setting(RELAY_ADDRESS_KEY)
                    .unwrap_or_else(|| DEFAULT_ADDRESS.into()),
            ),
            token: RwSignal::new(library.setting(RELAY_TOKEN_KEY).unwrap_or_default()),
            library,
        }
    }

    pub fn set_address(&self, address: String) {
        self.library.set_setting(RELAY_ADDRESS_KEY, &address);
        self.address.set(address);
    }

    /// Kept without the spaces a copy from a terminal brings along.
    pub fn set_token(&self, token: &str) {
        let token = token.trim().to_string();
        self.library.set_setting(RELAY_TOKEN_KEY, &token);
        self.token.set(token);
    }
}
