//! Connecting through the local relay: a control socket that asks the relay to dial with the
//! request's headers and reports the raw handshake, then a data socket the relay pipes
//! messages through unchanged.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wsprobe_core::connection::Attempt;
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::protocol::note::format_ms;
use wsprobe_core::relay::{self, ControlRequest, RelayMessage};

use super::Session;
use crate::glue::clock;
use crate::glue::socket::{Socket, SocketEvent};
use crate::lazy::{Loaded, split_point};
use crate::relay_settings::Checked;

split_point! {
    panels:
    /// The split point: dialling through the relay, and reading what it says, are in the panels
    /// chunk with the relay panel (src/lazy.rs).
    fn relay_dialer() -> Loaded<fn(Session, String, Vec<String>)> {
        Ok(|session, url, requested| session.dial_via_relay(url, requested))
    }
}

impl Session {
    /// Dials through the relay once its code has loaded (at once, when the page has been idle
    /// before); a Connect pressed meanwhile wins over this one.
    pub(super) fn dial_through_relay(&self, url: String, requested: Vec<String>) {
        let this = *self;
        let generation = self.recovery.with_value(|r| r.generation);
        spawn_local(async move {
            let loaded = relay_dialer().await;
            let current = this.recovery.try_with_value(|r| r.generation) == Some(generation);
            match loaded {
                Ok(dial) if current => dial(this, url, requested),
                Ok(_) => {}
                Err(_) => this.refuse(
                    url,
                    requested,
                    "The part of wsprobe that talks to the relay could not be loaded. Check the \
                     connection and connect again; if it keeps failing, reload the page."
                        .into(),
                ),
            }
        });
    }

    /// Checks the relay first, so that one not running, refusing this page or of another
    /// version is named as such, with what to do, instead of a bare failure.
    fn dial_via_relay(&self, url: String, requested: Vec<String>) {
        let address = self.relay.address.get_untracked();
        if let Some(port) = Endpoint::parse(&address)
            .ok()
            .and_then(|e| e.forbidden_port())
        {
            return self.refuse(
                url,
                requested,
                format!(
                    "The relay address {address} uses port {port}, which browsers never connect to; \
                     start the relay with another --port and use that."
                ),
            );
        }
        let this = *self;
        let generation = self.recovery.with_value(|r| r.generation);
        self.relay.check(move |status, checked| {
            if this.recovery.try_with_value(|r| r.generation) != Some(generation) {
                return;
            }
            if status.is_paired() {
                this.dial_relay_control(url, requested, checked);
            } else {
                this.refuse(url, requested, status.to_string());
            }
        });
    }

    /// Dials the relay that was just checked, even if the settings changed meanwhile.
    fn dial_relay_control(&self, url: String, requested: Vec<String>, checked: Checked) {
        let Checked { address, token } = checked;
        let this = *self;
        let control = Socket::dial(&relay::control_url(&address, &token), &[], move |event| {
            this.on_relay_event(event)
        });
        match control {
            Ok(control) => {
                self.editor.request_error.set(None);
                self.event(format!(
                    "Connecting to {url} through the relay at {address}"
                ));
                let mut attempt = Attempt::dial(url, requested, clock::monotonic_ms());
                attempt.relay = Some(address);
                self.attempt.set(Some(attempt));
                self.relay_control.set_value(Some(control));
                self.last_pong_ms.set(None);
                self.sent_on_connection.set_value(0);
                self.start_history_entry();
                self.arm_timeout();
            }
            Err(why) => self.refuse(
                url,
                requested,
                format!("The browser refused to dial the relay at {address}: {why}"),
            ),
        }
    }

    fn on_relay_event(&self, event: SocketEvent) {
        match event {
            SocketEvent::Open { .. } => self.ask_relay_to_connect(),
            SocketEvent::Text { text, .. } => match RelayMessage::parse(&text) {
                Ok(message) => self.on_relay_message(message),
                Err(why) => self.event(format!("Relay: {why}")),
            },
            SocketEvent::Refused(why) => self.refused_by_browser(why),
            SocketEvent::Failed(why) => self.event(format!("Relay: the browser refused: {why}")),
            SocketEvent::Binary { .. } | SocketEvent::Error => {}
            SocketEvent::Close {
                code,
                reason,
                clean,
            } => {
                self.relay_control.set_value(None);
                // Before any report, the page never reached the relay (or it refused the page).
                let unanswered = self.attempt.with_untracked(|a| {
                    a.as_ref()
                        .is_some_and(|a| a.relay_handshake.is_none() && a.closed.is_none())
                });
                if unanswered {
                    self.event(format!("Could not reach the relay (close {code})"));
                    self.fail_attempt(code, reason, clean);
                }
            }
        }
    }

    fn ask_relay_to_connect(&self) {
        let (url, requested) = self.attempt.with_untracked(|a| {
            a.as_ref()
                .map(|a| (a.dialled_url.clone(), a.requested.clone()))
                .unwrap_or_default()
        });
        // Filled in when Connect was pressed (see `dial`).
        let headers = self.relay_headers.get_value();
        let timeout_ms = self
            .options
            .with_untracked(|o| (o.timeout_s * 1000.0) as u64);
        let connect = ControlRequest::Connect {
            url,
            subprotocols: requested,
            headers: relay::outgoing_headers(&headers, &self.editor.cookies.get_untracked()),
            timeout_ms,
        };
        self.relay_control
            .with_value(|c| c.as_ref().map(|c| c.send_text(&connect.to_json())));
    }

    fn on_relay_message(&self, message: RelayMessage) {
        match message {
            RelayMessage::Handshake(handshake) => {
                let ok = handshake.ok;
                let session = handshake.session.clone();
                let status = handshake
                    .response
                    .as_ref()
                    .map(|r| r.line.clone())
                    .unwrap_or_default();
                let failure = handshake.failure();
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.relay_handshake = Some(*handshake);
                    }
                });
                if ok {
                    self.event(format!("Relay connected: {status}"));
                    self.open_data_socket(&session);
                } else {
                    self.event(failure);
                    self.relay_control.set_value(None);
                    self.fail_attempt(1006, String::new(), false);
                }
            }
            RelayMessage::Pong { id, rtt_ms } => {
                self.last_pong_ms.set(Some(rtt_ms));
                self.event(format!("Pong {id} after {}", format_ms(rtt_ms)));
            }
            RelayMessage::ServerPing { payload_hex } => {
                let payload = if payload_hex.is_empty() {
                    String::new()
                } else {
                    format!(" ({payload_hex})")
                };
                self.event(format!(
                    "Ping from the server{payload}, answered by the relay"
                ));
            }
            RelayMessage::Closed {
                code,
                reason,
                clean,
            } => {
                let clean = if clean { "clean" } else { "not clean" };
                self.event(format!(
                    "The server closed with {code}, {clean}{}",
                    super::reason_suffix(&reason)
                ));
            }
            RelayMessage::Error { error } => self.event(format!("Relay: {error}")),
        }
    }

    fn open_data_socket(&self, session: &str) {
        let url = relay::data_url(
            &self.relay.address.get_untracked(),
            &self.relay.token.get_untracked(),
            session,
        );
        let this = *self;
        match Socket::dial(&url, &[], move |event| this.on_socket_event(event)) {
            Ok(socket) => self.socket.set_value(Some(socket)),
            Err(why) => {
                self.event(format!(
                    "The browser refused to open the relay's data socket: {why}"
                ));
                self.fail_attempt(1006, String::new(), false);
            }
        }
    }

    /// Ends the attempt as failed without a data socket's close event to say so.
    fn fail_attempt(&self, code: u16, reason: String, clean: bool) {
        let now = clock::monotonic_ms();
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.on_close(now, code, reason, clean);
            }
        });
        self.update_history_entry();
        self.after_close();
    }

    /// Sends a ping frame through the relay; the pong's round trip comes back as an event.
    pub fn ping(&self) {
        let id = self.recovery.try_update_value(|r| {
            r.pings += 1;
            r.pings
        });
        let sent = self.relay_control.with_value(|c| {
            c.as_ref().map(|c| {
                c.send_text(
                    &ControlRequest::Ping {
                        id: id.unwrap_or(0),
                    }
                    .to_json(),
                )
            })
        });
        if !matches!(sent, Some(Ok(()))) {
            self.event("Ping not sent: the relay's control connection is closed".into());
        }
    }

    /// Closes the relay's control socket, if one is open.
    pub(super) fn close_relay(&self) {
        self.relay_control.set_value(None);
    }
}
