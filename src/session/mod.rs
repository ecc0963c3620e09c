//! The one connection a page has: it turns what a person asks for into socket calls,
//! and what the socket reports into the state the components read.

use leptos::prelude::*;
use wsprobe_core::compose::{Format, Frame};
use wsprobe_core::connection::{Attempt, ConnectionState};
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::link_trust::{ConsentNeeded, LinkTrust};
use wsprobe_core::log::{Direction, Payload};
use wsprobe_core::query::{self, Param};
use wsprobe_core::request::{Request, Template};
use wsprobe_core::saved::{HistoryEntry, SavedRequest};
use wsprobe_core::variables::{self, Builtins};
use wsprobe_core::{close_code, subprotocols};

use crate::glue::socket::{Socket, SocketEvent};
use crate::glue::{clock, page, random};
use crate::library::Library;
use crate::log_state::LogState;
use crate::rows::RowList;

mod history;
mod link;
mod recovery;
mod relay;
mod report;

pub use link::AfterConsent;
use recovery::Recovery;
pub use recovery::{ConnectionOptions, PendingReconnect};
pub use relay::{RELAY_ADDRESS_KEY, RELAY_TOKEN_KEY};
use wsprobe_core::relay::{DEFAULT_ADDRESS, Header, needs_relay};
use wsprobe_core::report::TimelineEntry;

#[derive(Clone, Copy)]
pub struct Session {
    /// As typed, query included; change it with `edit_url` so the parameter table follows.
    pub url: RwSignal<String>,
    /// The query as a table; change it with `edit_params` so the URL follows.
    pub params: RowList<Param>,
    pub subprotocols: RwSignal<String>,
    /// The saved request the editor holds, if it came from one or was saved.
    pub saved_id: RwSignal<Option<String>>,
    /// The name to save under.
    pub name: RwSignal<String>,
    /// Why the last Connect was refused before dialling; cleared by editing.
    pub request_error: RwSignal<Option<String>>,
    pub attempt: RwSignal<Option<Attempt>>,
    pub message: RwSignal<String>,
    pub format: RwSignal<Format>,
    pub templates: RowList<Template>,
    pub headers: RowList<Header>,
    pub cookies: RwSignal<String>,
    pub use_relay: RwSignal<bool>,
    /// Where the relay listens, and the token it printed (kept as settings, not with requests).
    pub relay_address: RwSignal<String>,
    pub relay_token: RwSignal<String>,
    /// The last ping's round trip through the relay, in ms.
    pub last_pong_ms: RwSignal<Option<f64>>,
    relay_control: StoredValue<Option<Socket>, LocalStorage>,
    /// Bytes the browser holds, sent but not yet on the wire.
    pub buffered: RwSignal<u32>,
    pub log: LogState,
    pub library: Library,
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
    /// Set while the editor holds a request opened from a share link: what the person agreed
    /// to send where.
    pub link_trust: RwSignal<Option<LinkTrust>>,
    /// A question for the person before a linked request sends their secrets.
    pub consent_needed: RwSignal<Option<(ConsentNeeded, AfterConsent)>>,
    /// Header values with their variables filled in, for the relay to send.
    relay_headers: StoredValue<Vec<Header>>,
    /// What a fresh page holds: not an edit of the person's.
    starting: StoredValue<Request>,
}

impl Session {
    pub fn new(url: &str, library: Library) -> Self {
        Self {
            url: RwSignal::new(url.to_string()),
            params: RowList::new(query::params_after_url_edit(url, &[])),
            subprotocols: RwSignal::new(String::new()),
            saved_id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            request_error: RwSignal::new(None),
            attempt: RwSignal::new(None),
            message: RwSignal::new(String::new()),
            format: RwSignal::new(Format::Text),
            templates: RowList::new(Vec::new()),
            headers: RowList::new(Vec::new()),
            cookies: RwSignal::new(String::new()),
            use_relay: RwSignal::new(false),
            relay_address: RwSignal::new(
                library
                    .setting(RELAY_ADDRESS_KEY)
                    .unwrap_or_else(|| DEFAULT_ADDRESS.into()),
            ),
            relay_token: RwSignal::new(library.setting(RELAY_TOKEN_KEY).unwrap_or_default()),
            last_pong_ms: RwSignal::new(None),
            relay_control: StoredValue::new_local(None),
            buffered: RwSignal::new(0),
            log: LogState::new(),
            library,
            socket: StoredValue::new_local(None),
            history_entry: StoredValue::new(None),
            sent_on_connection: StoredValue::new(0),
            options: RwSignal::new(ConnectionOptions::default()),
            timeline: RwSignal::new(Vec::new()),
            reconnect_pending: RwSignal::new(None),
            last_received: RwSignal::new(None),
            recovery: StoredValue::new(Recovery::default()),
            link_trust: RwSignal::new(None),
            consent_needed: RwSignal::new(None),
            relay_headers: StoredValue::new(Vec::new()),
            starting: StoredValue::new(
                Request {
                    url: url.to_string(),
                    ..Request::default()
                }
                .in_step(),
            ),
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

    pub fn edit_url(&self, url: String) {
        self.params.rebuild(
            |params| query::params_after_url_edit(&url, &params),
            |p| p.name.clone(),
        );
        self.url.set(url);
        self.request_error.set(None);
    }

    /// Changes the table with `edit` (given the rows), then rewrites the URL's query.
    pub fn edit_params(&self, edit: impl FnOnce(RowList<Param>)) {
        edit(self.params);
        let params = untrack(|| self.params.values());
        self.url
            .update(|url| *url = query::with_params(url, &params));
        self.request_error.set(None);
    }

    /// The request being edited (tracked, so a memo of it follows every edit).
    pub fn request(&self) -> Request {
        Request {
            url: self.url.get(),
            params: self.params.values(),
            subprotocols: self.subprotocols.get(),
            message: self.message.get(),
            format: self.format.get(),
            templates: self.templates.values(),
            headers: self.headers.values(),
            cookies: self.cookies.get(),
            use_relay: self.use_relay.get(),
        }
    }

    /// Roughly how many bytes the request holds (tracked: follows every edit without copying).
    pub fn request_size(&self) -> usize {
        let rows = |pairs: &mut dyn Iterator<Item = (&String, &String)>| -> usize {
            pairs.map(|(a, b)| a.len() + b.len() + 8).sum()
        };
        self.format.track();
        self.use_relay.track();
        self.url.with(String::len)
            + self.subprotocols.with(String::len)
            + self.message.with(String::len)
            + self.cookies.with(String::len)
            + self
                .params
                .with(|p| rows(&mut p.iter().map(|p| (&p.value.name, &p.value.value))))
            + self
                .headers
                .with(|h| rows(&mut h.iter().map(|h| (&h.value.name, &h.value.value))))
            + self
                .templates
                .with(|t| rows(&mut t.iter().map(|t| (&t.value.name, &t.value.text))))
    }

    /// Whether the editor holds edits that are not saved anywhere.
    pub fn has_unsaved_edits(&self) -> bool {
        untrack(|| {
            let now = self.request().in_step();
            match self.loaded() {
                Some(loaded) => loaded.request != now,
                None => self.starting.with_value(|starting| *starting != now),
            }
        })
    }

    /// What the editor holds, to bring back with `restore`.
    pub fn snapshot(&self) -> EditorSnapshot {
        untrack(|| EditorSnapshot {
            request: self.request(),
            saved_id: self.saved_id.get(),
            name: self.name.get(),
            link_trust: self.link_trust.get(),
        })
    }

    pub fn restore(&self, snapshot: EditorSnapshot) {
        self.load(snapshot.request);
        self.saved_id.set(snapshot.saved_id);
        self.name.set(snapshot.name);
        // A request that came from a link is still someone else's once it is back.
        self.link_trust.set(snapshot.link_trust);
    }

    /// The saved request the editor holds (tracked), if it is still saved.
    pub fn loaded(&self) -> Option<SavedRequest> {
        let id = self.saved_id.get()?;
        self.library
            .requests
            .items
            .with(|all| all.iter().find(|r| r.id == id).cloned())
    }

    /// Whether Connect goes through the relay (tracked); reads only what decides it, so a
    /// long message draft is not copied on every keystroke.
    pub fn needs_relay(&self) -> bool {
        let headers = self.headers.values();
        self.cookies
            .with(|cookies| needs_relay(self.use_relay.get(), cookies, &headers))
    }

    /// Fills the editor with `request`; the connection, if any, is left alone. A request
    /// from a share link is marked so afterwards (`hold_linked_request`).
    pub fn load(&self, request: Request) {
        self.link_trust.set(None);
        self.consent_needed.set(None);
        let request = request.in_step();
        self.url.set(request.url);
        self.params.set(request.params);
        self.subprotocols.set(request.subprotocols);
        self.message.set(request.message);
        self.format.set(request.format);
        self.templates.set(request.templates);
        self.headers.set(request.headers);
        self.cookies.set(request.cookies);
        self.use_relay.set(request.use_relay);
        self.request_error.set(None);
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
        self.dial();
    }

    fn dial(&self) {
        self.recovery.update_value(|r| {
            r.generation += 1;
            r.closed_by_you = false;
        });
        let as_typed = self.url.get_untracked();
        let typed = match self.with_variables(&as_typed) {
            Ok(url) => url,
            Err(why) => return self.refuse(as_typed, Vec::new(), format!("In the URL: {why}")),
        };
        let requested = self.subprotocols.with_untracked(|s| subprotocols::parse(s));
        let via_relay = untrack(|| self.needs_relay());
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
        let typed_headers = untrack(|| self.headers.values());
        let consent = {
            let texts = std::iter::once(as_typed.clone())
                .chain(
                    via_relay
                        .then(|| typed_headers.iter().map(|h| h.value.clone()))
                        .into_iter()
                        .flatten(),
                )
                .collect::<Vec<_>>();
            untrack(|| {
                self.link_consent(&link::host_of(&endpoint), texts.iter().map(String::as_str))
            })
        };
        if let Err(needed) = consent {
            // Shown as typed: the secrets' values appear nowhere, not even on this page.
            self.refuse(as_typed, requested, needed.to_string());
            // The prompt says it; the line under the URL need not say it twice.
            self.request_error.set(None);
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
            return self.dial_via_relay(endpoint.url(), requested);
        }
        let this = *self;
        let dialled = Socket::dial(&endpoint.url(), &requested, move |event| {
            this.on_socket_event(event)
        });
        match dialled {
            Ok(socket) => {
                self.request_error.set(None);
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
            return self.request_error.set(Some(why));
        }
        self.recovery.update_value(|r| r.closed_by_you = true);
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.on_close_requested();
            }
        });
        // Before the handshake finishes the browser closes with 1000 whatever is asked.
        let closed = self
            .socket
            .with_value(|s| s.as_ref().map(|socket| socket.close(code, &reason)));
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
        variables::substitute(
            text,
            &untrack(|| self.library.active_variables()),
            &mut builtins,
        )
        .map_err(|e| e.to_string())
    }

    /// Sends one frame and logs it; Err says why it was not sent.
    pub fn send_frame(&self, frame: Frame) -> Result<(), String> {
        let sent = self.socket.with_value(|s| match (s, &frame) {
            (Some(socket), Frame::Text(text)) => socket.send_text(text).map_err(|e| e.to_string()),
            (Some(socket), Frame::Binary(bytes)) => {
                socket.send_bytes(bytes).map_err(|e| e.to_string())
            }
            (None, _) => Err("not connected".to_string()),
        });
        sent?;
        self.sent_on_connection.update_value(|n| *n += 1);
        match frame {
            Frame::Text(text) => self.record(Direction::Sent, Payload::Text(text)),
            Frame::Binary(bytes) => self.record(Direction::Sent, Payload::Binary(bytes)),
        }
        Ok(())
    }

    fn refuse(&self, url: String, requested: Vec<String>, why: String) {
        self.request_error.set(Some(why.clone()));
        self.event(format!("Not dialled: {why}"));
        self.attempt.set(Some(Attempt::refuse(url, requested, why)));
        self.start_history_entry();
    }

    fn on_socket_event(&self, event: SocketEvent) {
        match event {
            SocketEvent::Text { text, at_ms } => self.log.received(at_ms, Payload::Text(text)),
            SocketEvent::Binary { bytes, at_ms } => {
                self.log.received(at_ms, Payload::Binary(bytes))
            }
            SocketEvent::Refused(why) => self.refused_by_browser(why),
            SocketEvent::Failed(why) => {
                let why = format!("The browser refused: {why}");
                self.request_error.set(Some(why.clone()));
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
                self.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_open(now, protocol, extensions);
                    }
                });
                self.update_history_entry();
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
                self.close_relay();
                self.after_close();
            }
        }
    }

    /// A connection event: in the log, and in the timeline.
    /// The browser would not dial what the page asked for: the attempt ends there.
    fn refused_by_browser(&self, why: String) {
        let why = format!("The browser refused to dial: {why}");
        self.socket.set_value(None);
        self.close_relay();
        self.request_error.set(Some(why.clone()));
        self.event(format!("Not dialled: {why}"));
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

/// What the editor held, to bring back after opening something over unsaved edits.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorSnapshot {
    request: Request,
    saved_id: Option<String>,
    name: String,
    link_trust: Option<LinkTrust>,
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
