//! The one connection a page has: it turns what a person asks for into socket calls,
//! and what the socket reports into the state the components read.

use leptos::prelude::*;
use wsprobe_core::connection::Attempt;
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::log::{Direction, Payload};
use wsprobe_core::{close_code, subprotocols};

use crate::glue::socket::{Socket, SocketEvent};
use crate::glue::{clock, page};
use crate::log_state::LogState;

#[derive(Clone, Copy)]
pub struct Session {
    pub url: RwSignal<String>,
    pub subprotocols: RwSignal<String>,
    /// Why the last Connect was refused before dialling; cleared by editing.
    pub request_error: RwSignal<Option<String>>,
    pub attempt: RwSignal<Option<Attempt>>,
    pub message: RwSignal<String>,
    pub send_error: RwSignal<Option<String>>,
    pub log: LogState,
    socket: StoredValue<Option<Socket>, LocalStorage>,
}

impl Session {
    pub fn new(url: &str) -> Self {
        Self {
            url: RwSignal::new(url.to_string()),
            subprotocols: RwSignal::new(String::new()),
            request_error: RwSignal::new(None),
            attempt: RwSignal::new(None),
            message: RwSignal::new(String::new()),
            send_error: RwSignal::new(None),
            log: LogState::new(),
            socket: StoredValue::new_local(None),
        }
    }

    pub fn state(&self) -> wsprobe_core::connection::ConnectionState {
        self.attempt
            .with(|a| a.as_ref().map(Attempt::state))
            .unwrap_or(wsprobe_core::connection::ConnectionState::Idle)
    }

    /// Connect when idle or closed; disconnect when connecting or open.
    pub fn toggle(&self) {
        if self.state().is_live() { self.disconnect() } else { self.connect() }
    }

    pub fn connect(&self) {
        let typed = self.url.get_untracked();
        let requested = self.subprotocols.with_untracked(|s| subprotocols::parse(s));
        let checked = Endpoint::parse(&typed).map_err(|e| e.to_string()).and_then(|endpoint| {
            let requested = requested.map_err(|e| e.to_string())?;
            if endpoint.is_mixed_content(&page::protocol()) {
                return Err(mixed_content_message(&endpoint));
            }
            Ok((endpoint, requested))
        });
        let (endpoint, requested) = match checked {
            Ok(ok) => ok,
            Err(why) => return self.refuse(typed, Vec::new(), why),
        };
        let this = *self;
        let dialled = Socket::dial(&endpoint.url(), &requested, move |event| this.on_socket_event(event));
        match dialled {
            Ok(socket) => {
                self.request_error.set(None);
                self.event(format!("Connecting to {}", socket.url()));
                self.attempt.set(Some(Attempt::dial(socket.url(), requested, clock::monotonic_ms())));
                self.socket.set_value(Some(socket));
            }
            Err(browser) => self.refuse(endpoint.url(), requested, format!("The browser refused to dial: {browser}")),
        }
    }

    pub fn disconnect(&self) {
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.on_close_requested();
            }
        });
        self.socket.with_value(|s| {
            if let Some(socket) = s {
                socket.close();
            }
        });
    }

    pub fn send(&self) {
        let text = self.message.get_untracked();
        let sent = self.socket.with_value(|s| match s {
            Some(socket) => socket.send_text(&text),
            None => Err("Not connected.".to_string()),
        });
        match sent {
            Ok(()) => {
                self.send_error.set(None);
                self.record(Direction::Sent, Payload::Text(text));
            }
            Err(why) => self.send_error.set(Some(format!("Not sent: {why}"))),
        }
    }

    fn refuse(&self, url: String, requested: Vec<String>, why: String) {
        self.request_error.set(Some(why.clone()));
        self.event(format!("Not dialled: {why}"));
        self.attempt.set(Some(Attempt::refuse(url, requested, why)));
    }

    fn on_socket_event(&self, event: SocketEvent) {
        match event {
            SocketEvent::Text(text) => self.record(Direction::Received, Payload::Text(text)),
            SocketEvent::Binary(bytes) => self.record(Direction::Received, Payload::Binary(bytes)),
            SocketEvent::Open { protocol, extensions } => {
                let chosen = if protocol.is_empty() { String::new() } else { format!(", subprotocol {protocol}") };
                self.event(format!("Open{chosen}"));
                let now = clock::monotonic_ms();
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_open(now, protocol, extensions);
                    }
                });
            }
            SocketEvent::Error => self.event("Error reported by the browser (it gives no details)".to_string()),
            SocketEvent::Close { code, reason, clean } => {
                let name = close_code::describe(code).name;
                let clean_word = if clean { "clean" } else { "not clean" };
                self.event(format!("Closed {code} ({name}), {clean_word}{}", reason_suffix(&reason)));
                let now = clock::monotonic_ms();
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_close(now, code, reason, clean);
                    }
                });
                self.socket.set_value(None);
            }
        }
    }

    fn event(&self, text: String) {
        self.record(Direction::Event, Payload::Event(text));
    }

    fn record(&self, direction: Direction, payload: Payload) {
        self.log.record(direction, payload);
    }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() { String::new() } else { format!(": {reason}") }
}

fn mixed_content_message(endpoint: &Endpoint) -> String {
    format!(
        "This page was loaded over https://, and browsers block unencrypted ws:// connections from \
         https pages (mixed content). Use {} if the server offers TLS, or open wsprobe over \
         http:// (the serve command runs one at http://127.0.0.1:8080).",
        Endpoint { secure: true, ..endpoint.clone() }.url()
    )
}
