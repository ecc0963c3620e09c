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

/// The relay a check was made of: what a dial after it must use.
pub struct Checked {
    pub address: String,
    pub token: String,
}

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
    /// The number of the latest check: an older one that ends later does not overwrite it.
    latest_check: StoredValue<u64>,
    library: Library,
}

/// The relay settings, as provided at the page's top.
pub fn use_relay_settings() -> RelaySettings {
    injected()
}

impl RelaySettings {
    pub fn new(library: Library) -> Self {
        let kept = library.setting(RELAY_TOKEN_KEY);
        let mut remember = library.setting(REMEMBER_TOKEN_KEY).is_some();
        // A token kept on the device by an earlier version stays kept until the person says.
        if kept.is_some() && !remember {
            library.set_setting(REMEMBER_TOKEN_KEY, "1");
            remember = true;
        }
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
            latest_check: StoredValue::new(0),
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

    /// For this tab always (so that a token cleared here is cleared for it too), and on the
    /// device while remembering is on. That choice is read from storage, not from this tab's
    /// memory: another tab may have ticked it since, and its token must not be wiped.
    fn keep_token(&self, token: &str) {
        let remember = self.library.setting(REMEMBER_TOKEN_KEY).is_some();
        self.remember_token.set(remember);
        storage::session_write(RELAY_TOKEN_KEY, token);
        self.library
            .set_setting(RELAY_TOKEN_KEY, if remember { token } else { "" });
    }

    /// Checks the relay as the settings are now (shown as `status`, unless a later check has
    /// started); `then` gets what it found and the address and token it checked.
    pub fn check(&self, then: impl FnOnce(&RelayStatus, Checked) + 'static) {
        self.status.set(Some(RelayStatus::Checking));
        let (status, latest) = (self.status, self.latest_check);
        latest.update_value(|n| *n += 1);
        let this_check = latest.get_value();
        let checked = Checked {
            address: self.address.get_untracked(),
            token: self.token.get_untracked(),
        };
        let (address, token) = (checked.address.clone(), checked.token.clone());
        check_relay(&address, &token, move |found| {
            if latest.try_get_value() == Some(this_check) {
                let _ = status.try_set(Some(found.clone()));
            }
            then(&found, checked);
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
