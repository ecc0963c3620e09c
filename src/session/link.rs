//! A request opened from a share link sends the person's secret variables to a host only
//! after they agreed (see `wsprobe_core::link_trust`).

use leptos::prelude::*;
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::link_trust::ConsentNeeded;
use wsprobe_core::variables;

use super::Session;

/// What to do once the person agrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterConsent {
    Connect,
    /// A send: the person sends again themselves.
    Nothing,
}

impl Session {
    /// Ok unless the editor holds a linked request and `texts` would send secrets to `host`
    /// that the person has not agreed to send there (tracked, for the composer's preview).
    pub fn link_consent<'a>(
        &self,
        host: &str,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), ConsentNeeded> {
        let Some(trust) = self.editor.link_trust.get() else {
            return Ok(());
        };
        let names = variables::secrets_used(texts, &untrack(|| self.library.active_variables()));
        trust.check(host, names)
    }

    /// Asks the person, through the consent prompt.
    pub fn ask_consent(&self, needed: ConsentNeeded, then: AfterConsent) {
        self.editor.consent_needed.set(Some((needed, then)));
    }

    /// The person agreed to what the prompt showed.
    pub fn agree_to_send_secrets(&self) {
        let Some((needed, then)) = self.editor.consent_needed.get_untracked() else {
            return;
        };
        self.editor.link_trust.update(|t| {
            if let Some(t) = t {
                t.agree(&needed);
            }
        });
        self.editor.consent_needed.set(None);
        if then == AfterConsent::Connect {
            self.connect();
        }
    }

    /// The host the connection in hand talks to, for messages sent on it.
    pub fn connected_host(&self) -> String {
        self.attempt
            .with_untracked(|a| a.as_ref().map(|a| a.dialled_url.clone()))
            .and_then(|url| Endpoint::parse(&url).ok())
            .map(|e| host_of(&e))
            .unwrap_or_default()
    }
}

/// The host as the person reads it in the URL: with its port, if one is given.
pub fn host_of(endpoint: &Endpoint) -> String {
    match endpoint.port {
        Some(port) => format!("{}:{port}", endpoint.host),
        None => endpoint.host.clone(),
    }
}
