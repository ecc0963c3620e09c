//! The STOMP client of the page: CONNECT from the request's settings, SUBSCRIBE with an ack
//! mode, SEND with headers, ACK and NACK, receipts paired with the frame that asked for them,
//! heart-beats kept both ways, and an ERROR frame read as the diagnosis. Fed bytes and the
//! time; returns bytes to send.

use serde::{Deserialize, Serialize};

use super::frame::{Frame, FrameStream, Read, StompVersion};
use crate::compose;
use crate::payload::{format_size, plural};
use crate::protocol::note::{self, Note, NoteKind, clip, elapsed, format_ms};
use crate::protocol::pending::{MAX_SUBSCRIPTIONS, MAX_WAITING, Pending};

/// Messages of one subscription kept for ACK or NACK; past this the oldest are forgotten.
const MAX_UNACKED: usize = 10_000;
/// How much of a destination or a body a summary quotes.
const QUOTE_CHARS: usize = 120;
/// A heart-beat is late past this many times its interval (the spec leaves the tolerance to
/// the client; network and timer jitter need some).
const LATE_FACTOR: f64 = 2.0;

/// What the person typed to connect with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectSettings {
    pub login: String,
    /// A secret when shared.
    pub passcode: String,
    /// The `host` header: the broker's virtual host (RabbitMQ's is `/`). Empty: none sent.
    pub host: String,
    /// Milliseconds between the heart-beats the page offers to send; 0: none.
    pub heart_beat_out_ms: u32,
    /// Milliseconds between the heart-beats the page asks for; 0: none.
    pub heart_beat_in_ms: u32,
}

impl Default for ConnectSettings {
    fn default() -> Self {
        Self {
            login: String::new(),
            passcode: String::new(),
            host: String::new(),
            heart_beat_out_ms: 10_000,
            heart_beat_in_ms: 10_000,
        }
    }
}

/// How a subscription's messages are acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AckMode {
    #[default]
    Auto,
    /// One ACK acknowledges every message before it.
    Client,
    ClientIndividual,
}

impl AckMode {
    pub const ALL: [AckMode; 3] = [Self::Auto, Self::Client, Self::ClientIndividual];

    /// The header's value, also what the chooser shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Client => "client",
            Self::ClientIndividual => "client-individual",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.label() == label)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SubscriptionState {
    /// Sent; active at once unless the broker says otherwise (STOMP has no SUBACK).
    Active,
    /// Its receipt came back.
    Confirmed,
    Refused(String),
    Unsubscribed,
}

impl SubscriptionState {
    pub fn shown(&self) -> String {
        match self {
            Self::Active => "Subscribed".into(),
            Self::Confirmed => "Subscribed (receipt)".into(),
            Self::Refused(why) => format!("Refused: {why}"),
            Self::Unsubscribed => "Unsubscribed".into(),
        }
    }
}

/// A destination subscribed to on this connection, as the Subscriptions list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// Stable for the row while it stays in the list.
    pub key: u64,
    /// The `id` header.
    pub id: String,
    pub destination: String,
    pub ack: AckMode,
    pub state: SubscriptionState,
    pub messages: u64,
    /// What ACK or NACK names for each message not yet acknowledged, oldest first.
    pub unacked: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A frame to write (a heart-beat), with its row's note.
    Send(Vec<u8>, Note),
    /// CONNECTED: facts for the Handshake panel.
    Connected { facts: Vec<(String, String)> },
    /// ERROR before CONNECTED: the broker refused the connection.
    Refused { message: String, body: String },
    /// ERROR after CONNECTED: the broker ends the connection after it (1.2 §ERROR).
    Failed { message: String, body: String },
    /// A receipt came back, for the Latency panel.
    RoundTrip(f64),
    /// The broker stopped sending heart-beats.
    Trouble(String),
}

pub type Reading = note::Reading<Output>;

pub use crate::protocol::note::Written;

/// STOMP bytes as a WebSocket message: text when they are UTF-8 (as brokers expect), else
/// binary.
pub fn websocket_frame(bytes: Vec<u8>) -> compose::Frame {
    match String::from_utf8(bytes) {
        Ok(text) => compose::Frame::Text(text),
        Err(e) => compose::Frame::Binary(e.into_bytes()),
    }
}

#[derive(Debug, Clone)]
struct Waiting {
    /// What asked for the receipt, as its row named it.
    what: String,
    sent_ms: f64,
    /// The subscription a SUBSCRIBE or UNSUBSCRIBE was about.
    subscription: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct StompClient {
    /// Read from CONNECTED; headers are escaped by it.
    version: StompVersion,
    stream: FrameStream,
    connected: bool,
    connect_sent_ms: Option<f64>,
    /// Asked for in CONNECT: (can send every, wants every), in ms.
    offered: (u32, u32),
    send_every_ms: f64,
    expect_every_ms: f64,
    last_sent_ms: f64,
    last_heard_ms: f64,
    /// Said once per silence, not at every tick.
    silence_told: bool,
    /// A malformed frame arrived: no later byte can be trusted to start a frame.
    broken: bool,
    next_receipt: u64,
    waiting: Pending<String, Waiting>,
    subscriptions: Vec<Subscription>,
    next_key: u64,
    /// The last SUBSCRIBE whose receipt has not come: an ERROR naming no receipt is most
    /// likely its answer (RabbitMQ refuses a bad destination so).
    unconfirmed: Option<(u64, String)>,
    /// Why nothing more may be sent, once the session is over.
    ended: Option<String>,
    /// CONNECTED came: a later ERROR ends a session, not a refused CONNECT.
    was_connected: bool,
}

impl Default for StompClient {
    fn default() -> Self {
        Self {
            version: StompVersion::V12,
            stream: FrameStream::default(),
            connected: false,
            connect_sent_ms: None,
            offered: (0, 0),
            send_every_ms: 0.0,
            expect_every_ms: 0.0,
            last_sent_ms: 0.0,
            last_heard_ms: 0.0,
            silence_told: false,
            broken: false,
            next_receipt: 1,
            waiting: Pending::new(MAX_WAITING),
            subscriptions: Vec::new(),
            next_key: 1,
            unconfirmed: None,
            ended: None,
            was_connected: false,
        }
    }
}

impl StompClient {
    pub fn connected(&self) -> bool {
        self.connected
    }

    pub fn version(&self) -> StompVersion {
        self.version
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// Bytes held for a frame not yet complete.
    pub fn pending(&self) -> usize {
        self.stream.pending()
    }

    /// CONNECT from `s` (variables already filled in), offering every version; the one the
    /// WebSocket negotiated, if any, is the one asked for.
    pub fn connect(
        &mut self,
        s: &ConnectSettings,
        subprotocol: &str,
        now_ms: f64,
    ) -> Result<Written, String> {
        // CONNECT's headers are never escaped: a line break or NUL would end them early.
        for (value, name) in [
            (&s.login, "Login"),
            (&s.passcode, "Passcode"),
            (&s.host, "Virtual host"),
        ] {
            if value.contains(['\n', '\r', '\0']) {
                return Err(format!(
                    "{name} holds a line break or NUL, which CONNECT cannot carry"
                ));
            }
        }
        let versions = match StompVersion::negotiated(subprotocol) {
            Some(v) => v.label().to_string(),
            None => "1.0,1.1,1.2".to_string(),
        };
        let mut frame = Frame::new("CONNECT").with("accept-version", versions);
        if !s.host.trim().is_empty() {
            frame = frame.with("host", s.host.trim());
        }
        if !s.login.is_empty() {
            frame = frame.with("login", s.login.clone());
        }
        if !s.passcode.is_empty() {
            frame = frame.with("passcode", s.passcode.clone());
        }
        self.offered = (s.heart_beat_out_ms, s.heart_beat_in_ms);
        frame = frame.with(
            "heart-beat",
            format!("{},{}", s.heart_beat_out_ms, s.heart_beat_in_ms),
        );
        self.connect_sent_ms = Some(now_ms);
        let mut summary = format!(
            "CONNECT \u{b7} accept-version {}",
            frame.header("accept-version").unwrap_or_default()
        );
        if !s.login.is_empty() {
            summary.push_str(&format!(" \u{b7} login {}", clip(&s.login, QUOTE_CHARS)));
        }
        Ok(self.write(&frame, NoteKind::Connect, summary, now_ms))
    }

    /// SUBSCRIBE to `destination` with `ack`, asking for a receipt when `receipt`.
    pub fn subscribe(
        &mut self,
        destination: &str,
        ack: AckMode,
        receipt: bool,
        now_ms: f64,
    ) -> Result<Written, String> {
        self.ready()?;
        let destination = check_destination(destination)?;
        let key = self.next_key;
        let id = format!("sub-{key}");
        let frame = Frame::new("SUBSCRIBE")
            .with("id", id.clone())
            .with("destination", destination)
            .with("ack", ack.label());
        let (frame, note) = self.learn(frame, receipt, now_ms);
        Ok(self.write(&frame, note.kind, note.summary, now_ms))
    }

    /// UNSUBSCRIBE the subscription listed under `key`.
    pub fn unsubscribe(&mut self, key: u64, receipt: bool, now_ms: f64) -> Result<Written, String> {
        self.ready()?;
        let id = self
            .subscriptions
            .iter()
            .find(|s| {
                s.key == key
                    && matches!(
                        s.state,
                        SubscriptionState::Active | SubscriptionState::Confirmed
                    )
            })
            .map(|s| s.id.clone())
            .ok_or("that subscription has ended")?;
        let (frame, note) = self.learn(Frame::new("UNSUBSCRIBE").with("id", id), receipt, now_ms);
        Ok(self.write(&frame, note.kind, note.summary, now_ms))
    }

    /// SEND `body` to `destination` with the `name: value` lines of `headers`.
    pub fn send(
        &mut self,
        destination: &str,
        headers: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        receipt: bool,
        now_ms: f64,
    ) -> Result<Written, String> {
        self.ready()?;
        let destination = check_destination(destination)?;
        let mut frame = Frame::new("SEND").with("destination", destination);
        let extra = parse_headers(headers)?;
        let typed = extra.iter().any(|(n, _)| n == "content-type");
        for (name, value) in extra {
            frame = frame.with(&name, value);
        }
        if let (Some(kind), false) = (content_type, typed) {
            frame = frame.with("content-type", kind);
        }
        let (frame, note) = self.learn(frame.with_body(body), receipt, now_ms);
        Ok(self.write(&frame, note.kind, note.summary, now_ms))
    }

    /// ACK (or NACK when `!accept`) every message of subscription `key` not yet acknowledged:
    /// in client mode one frame names the last and covers those before it.
    pub fn acknowledge(
        &mut self,
        key: u64,
        accept: bool,
        receipt: bool,
        now_ms: f64,
    ) -> Result<Vec<Written>, String> {
        self.ready()?;
        if !accept && self.version == StompVersion::V10 {
            return Err("STOMP 1.0 has no NACK".into());
        }
        let version = self.version;
        let subscription = self
            .subscriptions
            .iter_mut()
            .find(|s| s.key == key)
            .ok_or("that subscription is no longer listed")?;
        if subscription.unacked.is_empty() {
            return Err("no message of that subscription waits for it".into());
        }
        let ids = match subscription.ack {
            AckMode::Client => subscription.unacked.last().cloned().into_iter().collect(),
            AckMode::ClientIndividual | AckMode::Auto => subscription.unacked.clone(),
        };
        subscription.unacked.clear();
        let sub_id = subscription.id.clone();
        let command = if accept { "ACK" } else { "NACK" };
        let mut written = Vec::new();
        for id in ids {
            let frame = match version {
                StompVersion::V12 => Frame::new(command).with("id", id),
                StompVersion::V11 => Frame::new(command)
                    .with("subscription", sub_id.clone())
                    .with("message-id", id),
                StompVersion::V10 => Frame::new(command).with("message-id", id),
            };
            let (frame, note) = self.learn(frame, receipt, now_ms);
            written.push(self.write(&frame, note.kind, note.summary, now_ms));
        }
        Ok(written)
    }

    /// DISCONNECT, asking for a receipt, while connected.
    pub fn disconnect(&mut self, now_ms: f64) -> Option<Written> {
        if !self.connected {
            return None;
        }
        let (frame, note) = self.learn(Frame::new("DISCONNECT"), true, now_ms);
        self.connected = false;
        self.ended = Some("DISCONNECT was sent, which ends the STOMP session".into());
        Some(self.write(&frame, note.kind, note.summary, now_ms))
    }

    /// Bytes from the broker (a text message as its UTF-8): every frame they complete, named in
    /// one note.
    pub fn on_bytes(&mut self, bytes: &[u8], now_ms: f64) -> Reading {
        self.last_heard_ms = now_ms;
        self.silence_told = false;
        if self.broken {
            return Reading::note(Note::problem(
                "not read: an earlier malformed frame lost the frames' boundaries",
            ));
        }
        let mut notes: Vec<Note> = Vec::new();
        let mut outputs = Vec::new();
        for read in self.stream.push(bytes, self.version) {
            notes.push(match read {
                Ok(Read::HeartBeats(n)) => heart_beats(n),
                Ok(Read::Frame(frame)) => self.on_frame(frame, now_ms, &mut outputs),
                Err(e) => {
                    self.broken = true;
                    outputs.push(Output::Trouble(format!(
                        "The broker sent a malformed frame ({e}); what follows cannot be read \
                         as frames, so the page reads nothing more on this connection. \
                         Disconnect and connect again."
                    )));
                    Note::problem(format!("Not a STOMP frame: {e}"))
                }
            });
        }
        // A frame followed by its EOL reads as the frame.
        if notes.len() > 1 && notes.iter().any(|n| n.kind != NoteKind::Heartbeat) {
            notes.retain(|n| n.kind != NoteKind::Heartbeat);
        }
        let note = note::one_for_all(notes, "frame", self.stream.pending());
        Reading { note, outputs }
    }

    /// A frame the page or someone else wrote: the heart-beat restarts. One not written by this
    /// client (`elsewhere`: typed by hand, a scenario's step) is learnt, so its receipt pairs
    /// and its subscription is listed, and named for its row.
    pub fn sent(&mut self, bytes: &[u8], now_ms: f64, elsewhere: bool) -> Option<Note> {
        self.last_sent_ms = now_ms;
        if !elsewhere {
            return None;
        }
        let mut stream = FrameStream::default();
        let reads = stream.push(bytes, self.version);
        let mut notes = Vec::new();
        for read in reads {
            notes.push(match read {
                Ok(Read::HeartBeats(n)) => heart_beats(n),
                Ok(Read::Frame(frame)) => self.learn(frame, false, now_ms).1,
                Err(e) => Note::problem(format!("not a STOMP frame: {e}")),
            });
        }
        if stream.pending() > 0 {
            notes.push(Note::problem("not a whole STOMP frame (no NUL at its end)"));
        }
        if notes.len() > 1 {
            notes.retain(|n| n.kind != NoteKind::Heartbeat);
        }
        Some(match notes.len() {
            1 => notes.pop().unwrap_or_else(|| Note::problem("")),
            0 => Note::new(NoteKind::Heartbeat, "heart-beat"),
            n => Note::new(NoteKind::Event, format!("{n} STOMP frames")),
        })
    }

    /// When the heart-beats next need the page: one due, or the broker's overdue.
    pub fn next_tick_ms(&self) -> Option<f64> {
        if !self.connected {
            return None;
        }
        let send = (self.send_every_ms > 0.0).then_some(self.last_sent_ms + self.send_every_ms);
        let hear = (self.expect_every_ms > 0.0 && !self.silence_told)
            .then_some(self.last_heard_ms + self.expect_every_ms * LATE_FACTOR);
        match (send, hear) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn on_tick(&mut self, now_ms: f64) -> Vec<Output> {
        let mut out = Vec::new();
        if !self.connected {
            return out;
        }
        if self.send_every_ms > 0.0 && now_ms >= self.last_sent_ms + self.send_every_ms {
            self.last_sent_ms = now_ms;
            out.push(Output::Send(
                b"\n".to_vec(),
                Note::new(NoteKind::Heartbeat, "heart-beat"),
            ));
        }
        if self.expect_every_ms > 0.0
            && !self.silence_told
            && now_ms >= self.last_heard_ms + self.expect_every_ms * LATE_FACTOR
        {
            self.silence_told = true;
            out.push(Output::Trouble(format!(
                "The broker sent nothing for {} s though it agreed to a heart-beat every {} s: \
                 it or the network is not responding.",
                ((now_ms - self.last_heard_ms) / 1000.0).round(),
                self.expect_every_ms / 1000.0
            )));
        }
        out
    }

    fn ready(&self) -> Result<(), String> {
        match (self.connected, &self.ended) {
            (true, _) => Ok(()),
            (false, Some(why)) => Err(why.clone()),
            (false, None) => Err("the broker has not answered CONNECT with CONNECTED yet".into()),
        }
    }

    fn write(&mut self, frame: &Frame, kind: NoteKind, summary: String, now_ms: f64) -> Written {
        self.last_sent_ms = now_ms;
        Written {
            bytes: frame.encode(self.version),
            note: Note::new(kind, summary),
        }
    }

    /// What a frame the client sends means: its subscription listed, its receipt (asked for
    /// here when `receipt` and it has none) awaited, and its note.
    fn learn(&mut self, mut frame: Frame, receipt: bool, now_ms: f64) -> (Frame, Note) {
        if receipt && frame.header("receipt").is_none() {
            let id = self.next_receipt.to_string();
            self.next_receipt += 1;
            frame = frame.with("receipt", id);
        }
        let header = |name: &str| frame.header(name).unwrap_or_default().to_string();
        let (kind, summary, subscription) = match frame.command.as_str() {
            "SUBSCRIBE" => {
                let ack = AckMode::from_label(&header("ack")).unwrap_or_default();
                let key = self.add_subscription(&header("id"), &header("destination"), ack);
                let summary = format!(
                    "SUBSCRIBE {} \u{b7} {} \u{b7} ack {}",
                    header("id"),
                    clip(&header("destination"), QUOTE_CHARS),
                    ack.label()
                );
                (NoteKind::Call, summary, Some(key))
            }
            "UNSUBSCRIBE" => {
                let id = header("id");
                let key = self.subscriptions.iter_mut().find(|s| s.id == id).map(|s| {
                    s.state = SubscriptionState::Unsubscribed;
                    s.key
                });
                (NoteKind::Call, format!("UNSUBSCRIBE {id}"), key)
            }
            "SEND" => (
                NoteKind::Event,
                format!(
                    "SEND {} \u{b7} {}",
                    clip(&header("destination"), QUOTE_CHARS),
                    body_brief(&frame.body)
                ),
                None,
            ),
            "ACK" | "NACK" => {
                let id = frame
                    .header("id")
                    .or_else(|| frame.header("message-id"))
                    .unwrap_or_default();
                (
                    NoteKind::Ack,
                    format!("{} {}", frame.command, clip(id, QUOTE_CHARS)),
                    None,
                )
            }
            "CONNECT" | "STOMP" => (NoteKind::Connect, frame.command.clone(), None),
            "DISCONNECT" => (NoteKind::Disconnect, "DISCONNECT".into(), None),
            other => (NoteKind::Event, other.to_string(), None),
        };
        if let Some(id) = frame.header("receipt") {
            if let (Some(key), "SUBSCRIBE") = (subscription, frame.command.as_str()) {
                self.unconfirmed = Some((key, id.to_string()));
            }
            let what = summary
                .split(" \u{b7} ")
                .next()
                .unwrap_or_default()
                .to_string();
            self.waiting.insert(
                id.to_string(),
                Waiting {
                    what,
                    sent_ms: now_ms,
                    subscription,
                },
            );
        }
        let summary = match frame.header("receipt") {
            Some(id) => format!("{summary} \u{b7} receipt {}", clip(id, QUOTE_CHARS)),
            None => summary,
        };
        (frame, Note::new(kind, summary))
    }

    /// A subscription at the end of the list; its key.
    fn add_subscription(&mut self, id: &str, destination: &str, ack: AckMode) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.subscriptions.retain(|s| s.id != id);
        self.subscriptions.push(Subscription {
            key,
            id: id.to_string(),
            destination: destination.to_string(),
            ack,
            state: SubscriptionState::Active,
            messages: 0,
            unacked: Vec::new(),
        });
        if self.subscriptions.len() > MAX_SUBSCRIPTIONS {
            let ended = self.subscriptions.iter().position(|s| {
                matches!(
                    s.state,
                    SubscriptionState::Refused(_) | SubscriptionState::Unsubscribed
                )
            });
            self.subscriptions.remove(ended.unwrap_or(0));
        }
        key
    }

    fn on_frame(&mut self, frame: Frame, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        match frame.command.as_str() {
            "CONNECTED" => self.on_connected(&frame, now_ms, outputs),
            "MESSAGE" => self.on_message(&frame),
            "RECEIPT" => {
                let id = frame.header("receipt-id").unwrap_or_default();
                if self.unconfirmed.as_ref().is_some_and(|(_, r)| r == id) {
                    self.unconfirmed = None;
                }
                match self.waiting.remove(&id.to_string()) {
                    Some(waiting) => {
                        let rtt = elapsed(waiting.sent_ms, now_ms);
                        outputs.push(Output::RoundTrip(rtt));
                        if let Some(s) = waiting
                            .subscription
                            .and_then(|key| self.subscriptions.iter_mut().find(|s| s.key == key))
                            .filter(|s| s.state == SubscriptionState::Active)
                        {
                            s.state = SubscriptionState::Confirmed;
                        }
                        Note::new(
                            NoteKind::Ack,
                            format!("RECEIPT {} for {}", clip(id, QUOTE_CHARS), waiting.what),
                        )
                        .with_rtt(rtt)
                    }
                    None => Note::new(
                        NoteKind::Ack,
                        format!(
                            "RECEIPT {} (for nothing the page sent)",
                            clip(id, QUOTE_CHARS)
                        ),
                    ),
                }
            }
            "ERROR" => self.on_error(&frame, now_ms, outputs),
            other => Note::problem(format!(
                "{} is not a frame a STOMP server sends",
                clip(other, QUOTE_CHARS)
            )),
        }
    }

    fn on_connected(&mut self, frame: &Frame, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let Some(version) = StompVersion::from_header(frame.header("version")) else {
            let why = format!(
                "CONNECTED names STOMP version {}, which the page does not speak (1.0, 1.1 \
                 and 1.2)",
                clip(frame.header("version").unwrap_or_default(), QUOTE_CHARS)
            );
            self.ended = Some(why.clone());
            outputs.push(Output::Refused {
                message: why.clone(),
                body: String::new(),
            });
            return Note::problem(why);
        };
        self.version = version;
        self.connected = true;
        self.was_connected = true;
        self.last_heard_ms = now_ms;
        let (server_sends, server_wants) = heart_beat(frame.header("heart-beat"));
        let (we_send, we_want) = self.offered;
        // 1.2 §Heart-beating: each side's interval is the larger of what one can do and the
        // other wants, when neither is 0.
        self.send_every_ms = if we_send > 0 && server_wants > 0 {
            f64::from(we_send.max(server_wants))
        } else {
            0.0
        };
        self.expect_every_ms = if we_want > 0 && server_sends > 0 {
            f64::from(we_want.max(server_sends))
        } else {
            0.0
        };
        let mut facts = vec![("STOMP version".to_string(), version.label().to_string())];
        for (label, name) in [
            ("Server", "server"),
            ("Session", "session"),
            ("User", "user-name"),
        ] {
            if let Some(value) = frame.header(name) {
                facts.push((label.to_string(), clip(value, QUOTE_CHARS)));
            }
        }
        facts.push((
            "Heart-beat".to_string(),
            format!(
                "page sends {}, broker sends {}",
                every(self.send_every_ms),
                every(self.expect_every_ms)
            ),
        ));
        let mut note = Note::new(
            NoteKind::Connect,
            format!("CONNECTED \u{b7} STOMP {}", version.label()),
        );
        if let Some(sent) = self.connect_sent_ms {
            let rtt = elapsed(sent, now_ms);
            facts.push(("CONNECTED after".to_string(), format_ms(rtt)));
            note = note.with_rtt(rtt);
        }
        outputs.push(Output::Connected { facts });
        note
    }

    fn on_message(&mut self, frame: &Frame) -> Note {
        let destination = frame.header("destination").unwrap_or_default();
        let id = frame.header("subscription").unwrap_or_default();
        // What ACK names: 1.2's ack header, else message-id.
        let ack_id = frame
            .header("ack")
            .filter(|_| self.version == StompVersion::V12)
            .or_else(|| frame.header("message-id"))
            .map(str::to_string);
        if let Some(s) = self.subscriptions.iter_mut().find(|s| s.id == id) {
            s.messages += 1;
            if let (AckMode::Client | AckMode::ClientIndividual, Some(ack_id)) = (s.ack, ack_id) {
                if s.unacked.len() >= MAX_UNACKED {
                    s.unacked.remove(0);
                }
                s.unacked.push(ack_id);
            }
        }
        Note::new(
            NoteKind::Event,
            format!(
                "MESSAGE {} \u{b7} {}",
                clip(destination, QUOTE_CHARS),
                body_brief(&frame.body)
            ),
        )
        .with_event(destination)
    }

    fn on_error(&mut self, frame: &Frame, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let message = frame.header("message").unwrap_or("no message").to_string();
        let body = String::from_utf8_lossy(&frame.body).trim().to_string();
        let refused = match frame.header("receipt-id") {
            Some(id) => self.waiting.remove(&id.to_string()).and_then(|waiting| {
                outputs.push(Output::RoundTrip(elapsed(waiting.sent_ms, now_ms)));
                waiting.subscription
            }),
            None => self.unconfirmed.take().map(|(key, _)| key),
        };
        if let Some(s) =
            refused.and_then(|key| self.subscriptions.iter_mut().find(|s| s.key == key))
        {
            s.state = SubscriptionState::Refused(message.clone());
        }
        let summary = format!(
            "ERROR {} \u{b7} {}",
            clip(&message, QUOTE_CHARS),
            clip(&body, QUOTE_CHARS)
        );
        self.ended =
            Some("the broker sent ERROR, which ends the STOMP session; connect again".into());
        self.connected = false;
        if self.was_connected {
            outputs.push(Output::Failed { message, body });
        } else {
            outputs.push(Output::Refused { message, body });
        }
        Note::problem(summary)
    }
}

fn heart_beats(n: u64) -> Note {
    if n == 1 {
        Note::new(NoteKind::Heartbeat, "heart-beat")
    } else {
        Note::new(NoteKind::Heartbeat, format!("{n} heart-beats"))
    }
}

/// A heart-beat header's two numbers; absent or unreadable means 0,0.
fn heart_beat(value: Option<&str>) -> (u32, u32) {
    let mut parts = value
        .unwrap_or("0,0")
        .split(',')
        .map(|p| p.trim().parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(a), Some(b)) => (a, b),
        _ => (0, 0),
    }
}

fn every(ms: f64) -> String {
    if ms > 0.0 {
        format!("every {} s", ms / 1000.0)
    } else {
        "none".into()
    }
}

/// A body as a log line quotes it: its text, or its size when it is not text.
fn body_brief(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok("") => "empty body".into(),
        Ok(text) => clip(text, QUOTE_CHARS),
        Err(_) => format!("{} binary", format_size(body.len())),
    }
}

fn check_destination(destination: &str) -> Result<&str, String> {
    let destination = destination.trim();
    if destination.is_empty() {
        return Err("Destination is empty (such as /queue/orders or /topic/news)".into());
    }
    Ok(destination)
}

/// The `name: value` lines a person typed as a frame's headers.
pub fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "the header line \u{201c}{}\u{201d} needs a colon (name: value)",
                clip(line, QUOTE_CHARS)
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err("a header line has no name before its colon".into());
        }
        if matches!(name, "content-length" | "receipt" | "destination") {
            return Err(format!(
                "the page sets {name} itself; leave it out of Headers"
            ));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(headers)
}

/// `n messages to acknowledge`, for a subscription's row.
pub fn unacked_shown(s: &Subscription) -> String {
    plural(s.unacked.len(), "message") + " to acknowledge"
}

#[cfg(test)]
mod tests;
