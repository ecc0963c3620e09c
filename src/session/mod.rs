//! The one connection a page has: it turns what a person asks for into socket calls,
//! and what the socket reports into the state the components read.

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::connection::{Attempt, ConnectionState};
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::log::{Direction, Payload};
use wsprobe_core::protocol::settings::{Protocol, ProtocolSettings};
use wsprobe_core::relay::Header;
use wsprobe_core::report::TimelineEntry;
use wsprobe_core::saved::HistoryEntry;
use wsprobe_core::variables::{self, Builtins, VariableError};
use wsprobe_core::{close_code, subprotocols};

use crate::context::injected;
use crate::editor::Editor;
use crate::glue::socket::{Socket, SocketEvent};
use crate::glue::{clock, page, random};
use crate::library::Library;
use crate::log_state::LogState;
use crate::relay_settings::RelaySettings;

mod history;
mod link;
mod protocol;
mod recovery;
mod relay;
mod report;
mod scenario;

pub use link::{AfterConsent, host_of};
pub use protocol::{ProtocolProblem, ProtocolReport, Speaker};
use recovery::Recovery;
pub use recovery::{ConnectionOptions, PendingReconnect};
pub use scenario::Watcher;

/// The live connection: what Connect dials with the editor's request, what the socket
/// reports, and what follows from it (timeline, history, reconnects, heartbeat).
#[derive(Clone, Copy)]
pub struct Session {
    /// The request Connect dials and Send fills in.
    pub editor: Editor,
    pub relay: RelaySettings,
    pub log: LogState,
    pub library: Library,
    pub attempt: RwSignal<Option<Attempt>>,
    /// The last ping's round trip through the relay, in ms.
    pub last_pong_ms: RwSignal<Option<f64>>,
    relay_control: StoredValue<Option<Socket>, LocalStorage>,
    /// Bytes the browser holds, sent but not yet on the wire.
    pub buffered: RwSignal<u32>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// The history entry of the current attempt, updated as it opens and closes.
    history_entry: StoredValue<Option<HistoryEntry>>,
    /// Messages sent on the current connection, for `{{$counter}}`.
    sent_on_connection: StoredValue<u64>,
    /// Timeout, reconnect, heartbeat and close settings.
    pub options: RwSignal<ConnectionOptions>,
    /// What happened since the person last pressed Connect, reconnects included.
    pub timeline: RwSignal<Vec<TimelineEntry>>,
    /// The next automatic reconnect, while one is waiting.
    pub reconnect_pending: RwSignal<Option<PendingReconnect>>,
    /// When the last message arrived (epoch ms).
    pub last_received: RwSignal<Option<f64>>,
    recovery: StoredValue<Recovery>,
    /// Header values with their variables filled in, for the relay to send.
    relay_headers: StoredValue<Vec<Header>>,
    /// A running scenario, told what happens on the connection.
    watcher: StoredValue<Option<Watcher>, LocalStorage>,
    /// Where the log of the connection last asked for begins, for Record as scenario.
    connection_seq: StoredValue<u64>,
    /// The chosen protocol's reader and answerer, once its panel has loaded.
    speaker: StoredValue<Option<std::rc::Rc<dyn Speaker>>, LocalStorage>,
    /// What the protocol learnt on connecting, for the Handshake panel.
    pub protocol_report: RwSignal<ProtocolReport>,
    /// Connect was pressed before the protocol's code had loaded: it dials once it has.
    dial_when_spoken: StoredValue<bool>,
}

/// The live connection, as provided at the page's top.
pub fn use_session() -> Session {
    injected()
}

impl Session {
    pub fn new(editor: Editor, relay: RelaySettings, library: Library) -> Self {
        Self {
            editor,
            relay,
            log: LogState::new(),
            library,
            attempt: RwSignal::new(None),
            last_pong_ms: RwSignal::new(None),
            relay_control: StoredValue::new_local(None),
            buffered: RwSignal::new(0),
            socket: StoredValue::new_local(None),
            history_entry: StoredValue::new(None),
            sent_on_connection: StoredValue::new(0),
            options: RwSignal::new(ConnectionOptions::default()),
            timeline: RwSignal::new(Vec::new()),
            reconnect_pending: RwSignal::new(None),
            last_received: RwSignal::new(None),
            recovery: StoredValue::new(Recovery::default()),
            relay_headers: StoredValue::new(Vec::new()),
            watcher: StoredValue::new_local(None),
            connection_seq: StoredValue::new(0),
            speaker: StoredValue::new_local(None),
            protocol_report: RwSignal::new(ProtocolReport::default()),
            dial_when_spoken: StoredValue::new(false),
        }
    }

    /// Starts what runs beside the connection: the buffered amount and the heartbeat.
    pub fn start_timers(&self) {
        self.keep_heartbeat();
        let this = *self;
        let timer = set_interval_with_handle(
            move || {
                let amount = this
                    .socket
                    .with_value(|s| s.as_ref().map_or(0, Socket::buffered_amount));
                if amount != this.buffered.get_untracked() {
                    this.buffered.set(amount);
                }
            },
            std::time::Duration::from_millis(200),
        );
        if let Ok(timer) = timer {
            on_cleanup(move || timer.clear());
        }
    }

    pub fn state(&self) -> ConnectionState {
        self.attempt
            .with(|a| a.as_ref().map(Attempt::state))
            .unwrap_or(ConnectionState::Idle)
    }

    /// Connect when idle or closed; disconnect when connecting or open.
    pub fn toggle(&self) {
        if self.state().is_live() {
            self.disconnect()
        } else {
            self.connect()
        }
    }

    /// Connect, as the person asks: a fresh timeline, and no reconnect left waiting.
    pub fn connect(&self) {
        self.cancel_reconnect();
        self.recovery.update_value(|r| r.attempts_in_run = 0);
        self.timeline.set(Vec::new());
        self.connection_seq.set_value(self.log.next_seq());
        self.dial();
    }

    fn dial(&self) {
        self.recovery.update_value(|r| {
            r.generation += 1;
            r.closed_by_you = false;
        });
        self.protocol_report.set(ProtocolReport::default());
        let as_typed = self.editor.url.get_untracked();
        let typed = match self.with_variables(&as_typed) {
            Ok(url) => url,
            Err(why) => return self.refuse(as_typed, Vec::new(), format!("In the URL: {why}")),
        };
        let typed = match self.for_protocol(&typed) {
            Some(Ok(url)) => url,
            Some(Err(why)) => return self.refuse(typed, Vec::new(), why),
            None => return,
        };
        let requested = self
            .editor
            .subprotocols
            .with_untracked(|s| subprotocols::parse(s));
        let via_relay = untrack(|| self.editor.needs_relay());
        let checked = Endpoint::parse(&typed)
            .map_err(|e| e.to_string())
            .and_then(|endpoint| {
                let requested = requested.map_err(|e| e.to_string())?;
                // Through the relay, the page only talks to localhost, which is never mixed content.
                if !via_relay && endpoint.is_mixed_content(&page::protocol()) {
                    return Err(mixed_content_message(&endpoint));
                }
                if !via_relay && let Some(port) = endpoint.forbidden_port() {
                    return Err(format!(
                        "Browsers never connect to port {port}: it belongs to another protocol \
                         (the Fetch standard's \u{201c}bad ports\u{201d}), and a browser fails such a \
                         connection as if nothing listened there. Run the server on another port, \
                         or connect through the relay, which has no such limit."
                    ));
                }
                Ok((endpoint, requested))
            });
        let (endpoint, requested) = match checked {
            Ok(ok) => ok,
            Err(why) => return self.refuse(typed, Vec::new(), why),
        };
        let typed_headers = untrack(|| self.editor.headers.values());
        let consent = {
            // A protocol's auth payload or credentials go out on connecting too, with the
            // variables they name.
            let auth = self
                .editor
                .protocol
                .with_untracked(ProtocolSettings::sent_on_connecting);
            let texts = std::iter::once(as_typed.clone())
                .chain(
                    via_relay
                        .then(|| typed_headers.iter().map(|h| h.value.clone()))
                        .into_iter()
                        .flatten(),
                )
                .chain(auth)
                .collect::<Vec<_>>();
            untrack(|| {
                self.link_consent(&link::host_of(&endpoint), texts.iter().map(String::as_str))
            })
        };
        if let Err(needed) = consent {
            // Shown as typed: the secrets' values appear nowhere, not even on this page.
            self.refuse(as_typed, requested, needed.to_string());
            // The prompt says it; the line under the URL need not say it twice.
            self.editor.request_error.set(None);
            return self.ask_consent(needed, AfterConsent::Connect);
        }
        if via_relay {
            // Filled in now, so that one that cannot be is refused before anything is sent.
            let mut headers = Vec::with_capacity(typed_headers.len());
            for header in typed_headers {
                match self.with_variables(&header.value) {
                    Ok(value) => headers.push(Header { value, ..header }),
                    Err(why) => {
                        let why = format!("In the header {}: {why}", header.name.trim());
                        return self.refuse(endpoint.url(), requested, why);
                    }
                }
            }
            self.relay_headers.set_value(headers);
            return self.dial_through_relay(endpoint.url(), requested);
        }
        let this = *self;
        let dialled = Socket::dial(&endpoint.url(), &requested, move |event| {
            this.on_socket_event(event)
        });
        match dialled {
            Ok(socket) => {
                self.editor.request_error.set(None);
                self.event(format!("Connecting to {}", socket.url()));
                self.attempt.set(Some(Attempt::dial(
                    socket.url(),
                    requested,
                    clock::monotonic_ms(),
                )));
                self.socket.set_value(Some(socket));
                self.sent_on_connection.set_value(0);
                self.start_history_entry();
                self.arm_timeout();
            }
            Err(browser) => self.refuse(
                endpoint.url(),
                requested,
                format!("The browser refused to dial: {browser}"),
            ),
        }
    }

    /// Closes with the code and reason set in the options; says why not if they are invalid.
    pub fn disconnect(&self) {
        self.cancel_reconnect();
        let (code, reason) = self
            .options
            .with_untracked(|o| (o.close_code, o.close_reason.clone()));
        if self.state() == ConnectionState::Open
            && let Err(why) = close_code::check_user_close(code, &reason)
        {
            return self.editor.request_error.set(Some(why));
        }
        if self.state() == ConnectionState::Open
            && let Some(speaker) = self.speaker()
        {
            speaker.closing();
        }
        self.close_with(code, &reason);
    }

    /// Closes with `code` and `reason` (already checked), or gives up dialling.
    pub fn close_with(&self, code: u16, reason: &str) {
        self.recovery.update_value(|r| r.closed_by_you = true);
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.on_close_requested();
            }
        });
        // Before the handshake finishes the browser closes with 1000 whatever is asked.
        let closed = self
            .socket
            .with_value(|s| s.as_ref().map(|socket| socket.close(code, reason)));
        // Still waiting for the relay: closing its control socket ends the attempt.
        if closed.is_none() {
            self.close_relay();
        }
    }

    /// `text` with its `{{variables}}` replaced, as the next message sent would have them.
    pub fn with_variables(&self, text: &str) -> Result<String, String> {
        if !variables::has_variables(text) {
            return Ok(text.to_string());
        }
        if self.state() == ConnectionState::Open {
            self.link_consent(&self.connected_host(), [text])
                .map_err(|needed| needed.to_string())?;
        }
        let mut random = random::u32;
        let mut builtins = Builtins {
            now_ms: clock::epoch_ms(),
            random: &mut random,
            counter: self.sent_on_connection.get_value(),
        };
        let variables = untrack(|| self.library.active_variables());
        variables::substitute(text, &variables, &mut builtins).map_err(|e| match e {
            // The environments are read with their panel, just after the page starts.
            VariableError::Unknown { name }
                if !name.starts_with('$') && !self.library.environments.ready.get_untracked() =>
            {
                format!(
                    "{{{{{name}}}}} comes from the environments, which are still loading; try again in a moment."
                )
            }
            e => e.to_string(),
        })
    }

    /// Sends one frame and logs it; Err says why it was not sent.
    pub fn send_frame(&self, frame: Frame) -> Result<(), String> {
        self.send_noted(frame, None)
    }

    /// Writes one frame to the socket, counted for `{{$counter}}`; Err says why not.
    fn write(&self, frame: &Frame) -> Result<(), String> {
        let sent = self.socket.with_value(|s| match (s, frame) {
            (Some(socket), Frame::Text(text)) => socket.send_text(text).map_err(|e| e.to_string()),
            (Some(socket), Frame::Binary(bytes)) => {
                socket.send_bytes(bytes).map_err(|e| e.to_string())
            }
            (None, _) => Err("not connected".to_string()),
        });
        sent?;
        self.sent_on_connection.update_value(|n| *n += 1);
        Ok(())
    }

    /// The URL to dial for the chosen protocol, or why it cannot be dialled; None while the
    /// protocol's code loads (Connect goes ahead once it is here).
    fn for_protocol(&self, url: &str) -> Option<Result<String, String>> {
        let protocol = self.editor.protocol.with_untracked(|p| p.protocol);
        if protocol == Protocol::WebSocket {
            return Some(Ok(url.to_string()));
        }
        match self.speaker() {
            Some(speaker) => Some(speaker.prepare(url)),
            None => {
                self.dial_when_spoken.set_value(true);
                self.event(format!(
                    "Loading the {protocol} support; connecting once it is here"
                ));
                None
            }
        }
    }

    fn refuse(&self, url: String, requested: Vec<String>, why: String) {
        self.tell(|| wsprobe_core::scenario::Event::Refused {
            status: None,
            detail: why.clone(),
        });
        self.editor.request_error.set(Some(why.clone()));
        self.event(format!("Not dialled: {why}"));
        self.attempt.set(Some(Attempt::refuse(url, requested, why)));
        self.start_history_entry();
    }

    fn on_socket_event(&self, event: SocketEvent) {
        match event {
            SocketEvent::Text { text, at_ms } => self.received(at_ms, Payload::Text(text)),
            SocketEvent::Binary { bytes, at_ms } => self.received(at_ms, Payload::Binary(bytes)),
            SocketEvent::Refused(why) => self.refused_by_browser(why),
            SocketEvent::Failed(why) => {
                let why = format!("The browser refused: {why}");
                self.editor.request_error.set(Some(why.clone()));
                self.event(why);
            }
            SocketEvent::Open {
                protocol,
                extensions,
            } => {
                let chosen = if protocol.is_empty() {
                    String::new()
                } else {
                    format!(", subprotocol {protocol}")
                };
                self.event(format!("Open{chosen}"));
                // Through the relay, what the server chose is in the relay's report.
                let (protocol, extensions) = self
                    .attempt
                    .with_untracked(|a| {
                        a.as_ref()
                            .and_then(|a| a.relay_handshake.as_ref())
                            .map(|h| (h.protocol.clone(), h.extensions.clone()))
                    })
                    .unwrap_or((protocol, extensions));
                let now = clock::monotonic_ms();
                self.tell(|| wsprobe_core::scenario::Event::Opened {
                    subprotocol: protocol.clone(),
                });
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_open(now, protocol.clone(), extensions);
                    }
                });
                self.update_history_entry();
                if let Some(speaker) = self.speaker() {
                    speaker.opened(&protocol);
                }
            }
            SocketEvent::Error => {
                self.event("Error reported by the browser (it gives no details)".to_string())
            }
            SocketEvent::Close {
                code,
                reason,
                clean,
            } => {
                let name = close_code::describe(code).name;
                let clean_word = if clean { "clean" } else { "not clean" };
                self.event(format!(
                    "Closed {code} ({name}), {clean_word}{}",
                    reason_suffix(&reason)
                ));
                let now = clock::monotonic_ms();
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_close(now, code, reason, clean);
                    }
                });
                self.update_history_entry();
                self.socket.set_value(None);
                if let Some(speaker) = self.speaker() {
                    speaker.closed(code);
                }
                self.close_relay();
                self.after_close();
            }
        }
    }

    /// A frame from the server: to a running scenario, and to the protocol or the log.
    fn received(&self, at_ms: f64, payload: Payload) {
        self.tell_message(&payload);
        match self.speaker() {
            Some(speaker) => speaker.received(payload, at_ms),
            None => self.log.received(at_ms, payload),
        }
    }

    /// A connection event: in the log, and in the timeline.
    /// The browser would not dial what the page asked for: the attempt ends there.
    fn refused_by_browser(&self, why: String) {
        let why = format!("The browser refused to dial: {why}");
        self.socket.set_value(None);
        self.close_relay();
        self.editor.request_error.set(Some(why.clone()));
        self.event(format!("Not dialled: {why}"));
        self.tell(|| wsprobe_core::scenario::Event::Refused {
            status: None,
            detail: why.clone(),
        });
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.refused = Some(why);
            }
        });
        self.update_history_entry();
    }

    fn event(&self, text: String) {
        let at_ms = clock::epoch_ms();
        self.timeline.update(|t| {
            t.push(TimelineEntry {
                id: crate::rows::new_id(),
                at_ms,
                text: text.clone(),
            })
        });
        self.record(Direction::Event, Payload::Event(text));
    }

    fn record(&self, direction: Direction, payload: Payload) {
        self.log.record(direction, payload);
    }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}

fn mixed_content_message(endpoint: &Endpoint) -> String {
    format!(
        "This page was loaded over https://, and browsers block unencrypted ws:// connections from \
         https pages (mixed content). Use {} if the server offers TLS, or open wsprobe over \
         http:// (the serve command runs one at http://127.0.0.1:8080).",
        Endpoint {
            secure: true,
            ..endpoint.clone()
        }
        .url()
    )
}
