//! Where the relay listens and the token it printed: settings of this browser, not of a
//! request, so they are kept apart from what is saved and shared. The token is a secret: it
//! stays in this tab's keeping (sessionStorage) unless the person asks to remember it on this
//! device, as a page on a shared origin (user.github.io) shares localStorage with other pages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wsprobe_core::relay::DEFAULT_ADDRESS;
use wsprobe_core::relay::pairing::{self, Pairing};
use wsprobe_core::relay::status::RelayStatus;

use crate::context::injected;
use crate::glue::{page, storage};
use crate::lazy::{Loaded, split_point};
use crate::library::Library;
use crate::relay_check::check_relay;

const RELAY_ADDRESS_KEY: &str = "wsprobe.relay-address";
const RELAY_TOKEN_KEY: &str = "wsprobe.relay-token";
const REMEMBER_TOKEN_KEY: &str = "wsprobe.relay-remember-token";

#[derive(Clone, Copy)]
pub struct RelaySettings {
    pub address: RwSignal<String>,
    pub token: RwSignal<String>,
    /// Keep the token in localStorage (this device) rather than for this tab only.
    pub remember_token: RwSignal<bool>,
    /// What a pairing link this page was opened with did: (message, is it an error).
    pub paired: RwSignal<Option<(String, bool)>>,
    /// What the last check of the relay found; None before the first.
    pub status: RwSignal<Option<RelayStatus>>,
    library: Library,
}

/// The relay settings, as provided at the page's top.
pub fn use_relay_settings() -> RelaySettings {
    injected()
}

impl RelaySettings {
    pub fn new(library: Library) -> Self {
        let kept = library.setting(RELAY_TOKEN_KEY);
        // A token kept on the device by an earlier version stays kept until the person says.
        let remember = library.setting(REMEMBER_TOKEN_KEY).is_some() || kept.is_some();
        let this = Self {
            address: RwSignal::new(
                library
                    .setting(RELAY_ADDRESS_KEY)
                    .unwrap_or_else(|| DEFAULT_ADDRESS.into()),
            ),
            token: RwSignal::new(
                kept.or_else(|| storage::session_read(RELAY_TOKEN_KEY))
                    .unwrap_or_default(),
            ),
            remember_token: RwSignal::new(remember),
            paired: RwSignal::new(None),
            status: RwSignal::new(None),
            library,
        };
        this.pair_from_fragment();
        let listener = page::on_fragment_change(move || this.pair_from_fragment());
        on_cleanup(move || listener.remove());
        this
    }

    pub fn set_address(&self, address: String) {
        self.library.set_setting(RELAY_ADDRESS_KEY, &address);
        self.address.set(address);
    }

    /// Kept without the spaces a copy from a terminal brings along.
    pub fn set_token(&self, token: &str) {
        let token = token.trim().to_string();
        self.keep_token(&token);
        self.token.set(token);
    }

    pub fn set_remember_token(&self, remember: bool) {
        self.library
            .set_setting(REMEMBER_TOKEN_KEY, if remember { "1" } else { "" });
        self.remember_token.set(remember);
        self.keep_token(&self.token.get_untracked());
    }

    /// On the device when asked, else for this tab, and then nowhere else.
    fn keep_token(&self, token: &str) {
        if self.remember_token.get_untracked() {
            self.library.set_setting(RELAY_TOKEN_KEY, token);
        } else {
            self.library.set_setting(RELAY_TOKEN_KEY, "");
            storage::session_write(RELAY_TOKEN_KEY, token);
        }
    }

    /// Checks the relay as the settings are now (shown as `status`); `then` gets what it found.
    pub fn check(&self, then: impl FnOnce(&RelayStatus) + 'static) {
        self.status.set(Some(RelayStatus::Checking));
        let status = self.status;
        let (address, token) = (self.address.get_untracked(), self.token.get_untracked());
        check_relay(&address, &token, move |found| {
            then(&found);
            let _ = status.try_set(Some(found));
        });
    }

    /// Fills the settings from a pairing link in the address (`#relay=…&token=…`), removing it
    /// from the address bar first, so a reload or a copied address never carries the token.
    /// The link is read by code in the panels chunk (src/lazy.rs).
    fn pair_from_fragment(&self) {
        let fragment = page::fragment();
        if !pairing::is_pairing_link(&fragment) {
            return;
        }
        page::forget_fragment();
        let this = *self;
        spawn_local(async move {
            match pairing_chunk().await {
                Ok(pair) => pair(this, fragment),
                Err(_) => this.paired.set(Some((
                    "This page was opened with a link that pairs it with a relay, but the part of \
                     wsprobe that reads such links could not be loaded. Check the connection and \
                     open the link again."
                        .into(),
                    true,
                ))),
            }
        });
    }

    fn pair(&self, fragment: &str) {
        self.paired.set(Some(match pairing::read(fragment) {
            Ok(Pairing { address, token }) => {
                self.set_address(address.clone());
                self.set_token(&token);
                (
                    format!(
                        "Paired with the relay at {address}. Connections with headers or cookies, or with Use relay ticked, go through it."
                    ),
                    false,
                )
            }
            Err(why) => (why.to_string(), true),
        }));
    }
}

split_point! {
    panels:
    fn pairing_chunk() -> Loaded<fn(RelaySettings, String)> {
        Ok(|relay, fragment| relay.pair(&fragment))
    }
}
