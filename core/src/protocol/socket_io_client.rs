//! A Socket.IO client as a state machine: frames in, notes and frames to write out. It answers
//! the heartbeat, connects namespaces, pairs acknowledgements with their emits and gathers
//! binary attachments, so that a person can talk to a Socket.IO server from a raw WebSocket.

use serde_json::Value;

use crate::compose::Frame;
use crate::payload::plural;
use crate::protocol::engine_io::{self, Data, EngineVersion, OpenInfo};
use crate::protocol::heartbeat::Heartbeat;
use crate::protocol::note::{Note, NoteKind, elapsed, json_brief};
use crate::protocol::pending::Pending;
use crate::protocol::socket_io::{self, Packet, PacketType, SocketIoVersion};
use crate::protocol::socket_io_input::{
    EmitError, NamespaceError, check_event, checked_namespace, namespace_name, parse_args,
};

/// Emits waiting for their acknowledgement; past this the oldest are forgotten.
const MAX_PENDING_ACKS: usize = 10_000;
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A frame to write: a pong, a CONNECT, a client ping (Engine.IO 3), an automatic ack.
    Send(Frame),
    Opened(OpenInfo),
    Connected {
        namespace: String,
        sid: Option<String>,
    },
    ConnectError {
        namespace: String,
        message: String,
        data: Option<Value>,
    },
    Disconnected {
        namespace: String,
    },
    Event {
        namespace: String,
        name: String,
        args: Value,
    },
    Acked {
        namespace: String,
        id: u64,
        event: String,
        args: Value,
        rtt_ms: f64,
    },
    /// The heartbeat stopped: the server is gone or not answering.
    Silent {
        why: String,
    },
}

/// What one incoming frame meant.
pub type Reading = crate::protocol::note::Reading<Output>;

/// The frames of one emit, the text packet first and its attachments after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub frames: Vec<Frame>,
    pub note: Note,
    /// The namespace (as the server names it) and id the acknowledgement will carry, when
    /// one was asked for.
    pub ack: Option<(String, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Asked,
    Connected,
    Refused,
    Gone,
}

#[derive(Debug, Clone)]
struct Namespace {
    name: String,
    auth: Option<Value>,
    status: Status,
}

#[derive(Debug, Clone)]
struct AckWait {
    event: String,
    sent_ms: f64,
}

/// A binary packet whose attachments are still coming.
#[derive(Debug, Clone)]
struct Partial {
    packet: Packet,
    attachments: Vec<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct SocketIoClient {
    version: SocketIoVersion,
    namespaces: Vec<Namespace>,
    /// Some from the open packet to the close.
    heartbeat: Option<Heartbeat>,
    acks: Pending<(String, u64), AckWait>,
    next_ack_id: u64,
    partial: Option<Partial>,
}

impl SocketIoClient {
    /// A client that connects `namespaces`, each with its auth payload, once the server opens.
    /// With Socket.IO 2 the main namespace is connected by the server unasked (credentials for
    /// it go in the URL's query), and the others carry their auth payload as a query.
    pub fn new(
        version: SocketIoVersion,
        namespaces: Vec<(String, Option<Value>)>,
    ) -> Result<Self, NamespaceError> {
        let mut client = Self {
            version,
            namespaces: Vec::new(),
            heartbeat: None,
            acks: Pending::new(MAX_PENDING_ACKS),
            next_ack_id: 0,
            partial: None,
        };
        if version == SocketIoVersion::V2 {
            client.remember("/".into(), None, Status::Asked);
        }
        for (name, auth) in namespaces {
            let name = checked_namespace(&name, auth.as_ref())?;
            client.remember(name, auth, Status::Asked);
        }
        Ok(client)
    }

    /// Asks for one more namespace; the CONNECT goes now if the session is open, else on open.
    pub fn connect_namespace(
        &mut self,
        namespace: &str,
        auth: Option<Value>,
    ) -> Result<Vec<Output>, NamespaceError> {
        let name = checked_namespace(namespace, auth.as_ref())?;
        self.remember(name.clone(), auth.clone(), Status::Asked);
        if self.heartbeat.is_none() {
            return Ok(Vec::new());
        }
        Ok(self.connect_packet(&name, auth).into_iter().collect())
    }

    pub fn on_text(&mut self, text: &str, now_ms: f64) -> Reading {
        let packet = engine_io::decode_text(text, self.engine());
        if let Ok(engine_io::Packet::Message(Data::Binary(bytes))) = packet {
            return self.on_attachment(bytes, now_ms);
        }
        // A text frame ends any binary packet still waiting for attachments.
        let dropped = self.partial.take().map(|partial| {
            format!(
                "{} dropped: {} of {} came before a text frame",
                describe(&partial.packet),
                partial.attachments.len(),
                plural(partial.packet.attachments, "attachment"),
            )
        });
        let mut reading = match packet {
            Ok(packet) => self.on_engine(packet, now_ms),
            Err(error) => Reading::note(Note::problem(error.to_string())),
        };
        if let Some(dropped) = dropped {
            reading.note.kind = NoteKind::Problem;
            reading.note.summary = format!("{dropped}; then {}", reading.note.summary);
        }
        reading
    }

    pub fn on_binary(&mut self, bytes: &[u8], now_ms: f64) -> Reading {
        match engine_io::decode_binary(bytes, self.engine()) {
            Ok(engine_io::Packet::Message(Data::Binary(bytes))) => {
                self.on_attachment(bytes, now_ms)
            }
            Ok(other) => self.on_engine(other, now_ms),
            Err(error) => Reading::note(Note::problem(error.to_string())),
        }
    }

    /// Pings due (Engine.IO 3) and silence found; call at `next_tick_ms`.
    pub fn on_tick(&mut self, now_ms: f64) -> Vec<Output> {
        let Some(beat) = self.heartbeat.as_mut().map(|h| h.tick(now_ms)) else {
            return Vec::new();
        };
        let ping = beat.ping.then(|| {
            Output::Send(engine_io::encode(
                &engine_io::Packet::Ping(None),
                self.engine(),
            ))
        });
        let silent = beat.silent.map(|why| Output::Silent { why });
        ping.into_iter().chain(silent).collect()
    }

    /// Reads an event that someone else wrote on this connection (a scenario run), so that
    /// its acknowledgement pairs here too; anything else is left alone.
    pub fn written_elsewhere(&mut self, text: &str, now_ms: f64) {
        let Ok(engine_io::Packet::Message(Data::Text(text))) =
            engine_io::decode_text(text, self.engine())
        else {
            return;
        };
        if let Ok(packet) = socket_io::decode(&text)
            && matches!(packet.kind, PacketType::Event | PacketType::BinaryEvent)
            && let Some(id) = packet.id
        {
            let event = match &packet.data {
                Some(Value::Array(items)) => items.first().and_then(Value::as_str).unwrap_or(""),
                _ => "",
            };
            self.acks.insert(
                (packet.namespace.clone(), id),
                AckWait {
                    event: event.to_string(),
                    sent_ms: now_ms,
                },
            );
        }
    }

    /// Whether the session is open and no namespace is still waiting for its answer.
    pub fn handshake_done(&self) -> bool {
        self.heartbeat.is_some() && self.namespaces.iter().all(|n| n.status != Status::Asked)
    }

    /// When `on_tick` is next due; None while there is nothing to time.
    pub fn next_tick_ms(&self) -> Option<f64> {
        self.heartbeat.as_ref()?.next_tick_ms()
    }

    /// The frames that emit `event` with the arguments typed as a JSON array (empty for none);
    /// `{"$base64": …}` and `{"$hex": …}` values go as binary attachments. With `ack`, the
    /// server's acknowledgement is paired with this emit and timed.
    pub fn emit(
        &mut self,
        namespace: &str,
        event: &str,
        args_json: &str,
        ack: bool,
        now_ms: f64,
    ) -> Result<Sent, EmitError> {
        let namespace = namespace_name(namespace).map_err(EmitError::Namespace)?;
        if !self.namespaces.iter().any(|n| n.name == namespace) {
            return Err(EmitError::UnknownNamespace {
                namespace,
                known: self.namespaces.iter().map(|n| n.name.clone()).collect(),
            });
        }
        if self
            .namespaces
            .iter()
            .any(|n| n.name == namespace && n.status == Status::Refused)
        {
            return Err(EmitError::Refused(namespace));
        }
        check_event(event)?;
        let typed = parse_args(args_json)?;
        // The note shows the arguments as typed, bytes included, not their placeholders.
        let words = event_words(event, &typed);
        let (args, attachments) = socket_io::split_binary(typed).map_err(EmitError::Binary)?;
        let mut data = vec![Value::from(event)];
        if let Value::Array(args) = args {
            data.extend(args);
        }
        let id = ack.then(|| {
            let id = self.next_ack_id;
            self.next_ack_id = self.next_ack_id.wrapping_add(1);
            self.acks.insert(
                (namespace.clone(), id),
                AckWait {
                    event: event.to_string(),
                    sent_ms: now_ms,
                },
            );
            id
        });
        let kind = if attachments.is_empty() {
            PacketType::Event
        } else {
            PacketType::BinaryEvent
        };
        let packet = Packet {
            kind,
            namespace,
            id,
            data: Some(Value::Array(data)),
            attachments: attachments.len(),
        };
        let binary = if attachments.is_empty() {
            ""
        } else {
            "binary "
        };
        let mut summary = format!("{binary}event {}{words}", in_namespace(&packet.namespace));
        if let Some(id) = id {
            summary.push_str(&format!(" \u{b7} ack {id}"));
        }
        if !attachments.is_empty() {
            summary.push_str(&format!(
                " \u{b7} {}",
                plural(attachments.len(), "attachment")
            ));
        }
        let mut frames = vec![self.frame(&packet)];
        frames.extend(attachments.into_iter().map(|bytes| {
            engine_io::encode(
                &engine_io::Packet::Message(Data::Binary(bytes)),
                self.engine(),
            )
        }));
        Ok(Sent {
            frames,
            note: Note::new(NoteKind::Event, summary).with_event(event),
            ack: id.map(|id| (packet.namespace.clone(), id)),
        })
    }

    fn engine(&self) -> EngineVersion {
        self.version.engine()
    }

    /// Adds the namespace or updates it.
    fn remember(&mut self, name: String, auth: Option<Value>, status: Status) {
        match self.namespaces.iter_mut().find(|n| n.name == name) {
            Some(known) => {
                known.auth = auth;
                known.status = status;
            }
            None => self.namespaces.push(Namespace { name, auth, status }),
        }
    }

    fn set_status(&mut self, name: &str, status: Status) {
        match self.namespaces.iter_mut().find(|n| n.name == name) {
            Some(known) => known.status = status,
            None => self.namespaces.push(Namespace {
                name: name.to_string(),
                auth: None,
                status,
            }),
        }
    }

    /// The CONNECT for a namespace, if this version sends one.
    fn connect_packet(&self, name: &str, auth: Option<Value>) -> Option<Output> {
        let (namespace, data) = match self.version {
            SocketIoVersion::V2 if name == "/" => return None,
            // Socket.IO 2 has no auth payload: its clients send the same as a query.
            SocketIoVersion::V2 => (with_query(name, auth.as_ref()), None),
            SocketIoVersion::V3V4 => (name.to_string(), auth),
        };
        let packet = Packet {
            namespace,
            data,
            ..Packet::new(PacketType::Connect)
        };
        Some(Output::Send(self.frame(&packet)))
    }

    fn frame(&self, packet: &Packet) -> Frame {
        let text = socket_io::encode(packet);
        engine_io::encode(&engine_io::Packet::Message(Data::Text(text)), self.engine())
    }

    fn on_engine(&mut self, packet: engine_io::Packet, now_ms: f64) -> Reading {
        use engine_io::Packet as P;
        match packet {
            P::Open(info) => self.on_open(info, now_ms),
            P::Close => self.on_close(),
            P::Ping(probe) => {
                if let Some(beat) = self.heartbeat.as_mut() {
                    beat.pinged(now_ms);
                }
                let summary = probe_summary("ping", &probe);
                let pong = engine_io::encode(&P::Pong(probe), self.engine());
                Reading {
                    note: Note::new(NoteKind::Heartbeat, summary),
                    outputs: vec![Output::Send(pong)],
                }
            }
            P::Pong(probe) => {
                let summary = probe_summary("pong", &probe);
                let rtt = self.heartbeat.as_mut().and_then(|beat| beat.ponged(now_ms));
                let note = Note::new(NoteKind::Heartbeat, summary);
                Reading::note(match rtt {
                    Some(rtt) => note.with_rtt(rtt),
                    None => note,
                })
            }
            P::Message(Data::Text(text)) => match socket_io::decode(&text) {
                Ok(packet) => self.on_packet(packet, now_ms),
                Err(error) => Reading::note(Note::problem(error.to_string())),
            },
            P::Message(Data::Binary(bytes)) => self.on_attachment(bytes, now_ms),
            P::Upgrade => Reading::note(Note::problem(
                "An upgrade packet from the server: only a client sends one, after probing a new transport.",
            )),
            P::Noop => Reading::note(Note::new(NoteKind::Heartbeat, "noop")),
        }
    }

    fn on_open(&mut self, info: OpenInfo, now_ms: f64) -> Reading {
        self.heartbeat = Some(Heartbeat::new(self.engine(), &info, now_ms));
        let summary = format!(
            "open sid={} \u{b7} ping every {} ms, timeout {} ms",
            info.sid, info.ping_interval_ms, info.ping_timeout_ms
        );
        let mut outputs = vec![Output::Opened(info)];
        // A new session: every namespace is asked for again.
        for namespace in &mut self.namespaces {
            namespace.status = Status::Asked;
        }
        let asked: Vec<(String, Option<Value>)> = self
            .namespaces
            .iter()
            .map(|n| (n.name.clone(), n.auth.clone()))
            .collect();
        outputs.extend(
            asked
                .into_iter()
                .filter_map(|(name, auth)| self.connect_packet(&name, auth)),
        );
        Reading {
            note: Note::new(NoteKind::Handshake, summary),
            outputs,
        }
    }

    fn on_close(&mut self) -> Reading {
        self.heartbeat = None;
        self.partial = None;
        self.acks.clear();
        let mut outputs = Vec::new();
        for namespace in &mut self.namespaces {
            if matches!(namespace.status, Status::Asked | Status::Connected) {
                namespace.status = Status::Gone;
                outputs.push(Output::Disconnected {
                    namespace: namespace.name.clone(),
                });
            }
        }
        Reading {
            note: Note::new(NoteKind::Disconnect, "close: the server ended the session"),
            outputs,
        }
    }

    fn on_packet(&mut self, packet: Packet, now_ms: f64) -> Reading {
        let namespace = packet.namespace.clone();
        match packet.kind {
            PacketType::Connect => {
                self.set_status(&namespace, Status::Connected);
                let sid = packet
                    .data
                    .as_ref()
                    .and_then(|d| d.get("sid"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let mut summary = format!("connect {namespace}");
                if let Some(sid) = &sid {
                    summary.push_str(&format!(" sid={sid}"));
                }
                Reading {
                    note: Note::new(NoteKind::Connect, summary),
                    outputs: vec![Output::Connected { namespace, sid }],
                }
            }
            PacketType::Disconnect => {
                self.set_status(&namespace, Status::Gone);
                Reading {
                    note: Note::new(NoteKind::Disconnect, format!("disconnect {namespace}")),
                    outputs: vec![Output::Disconnected { namespace }],
                }
            }
            PacketType::ConnectError => {
                self.set_status(&namespace, Status::Refused);
                let (message, data) = refusal(packet.data);
                Reading {
                    note: Note::new(
                        NoteKind::ConnectError,
                        format!("connect_error {namespace}: {message}"),
                    ),
                    outputs: vec![Output::ConnectError {
                        namespace,
                        message,
                        data,
                    }],
                }
            }
            _ if packet.attachments > 0 => {
                let summary = format!(
                    "{} header \u{b7} {} to follow",
                    describe(&packet),
                    plural(packet.attachments, "attachment")
                );
                self.partial = Some(Partial {
                    packet,
                    attachments: Vec::new(),
                });
                Reading::note(Note::new(NoteKind::Attachment, summary))
            }
            _ => self.complete(packet, &[], now_ms),
        }
    }

    fn on_attachment(&mut self, bytes: Vec<u8>, now_ms: f64) -> Reading {
        let size = crate::payload::format_count(bytes.len() as u64);
        let Some(mut partial) = self.partial.take() else {
            return Reading::note(Note::problem(format!(
                "A binary frame ({size} bytes) where no binary packet announced one"
            )));
        };
        partial.attachments.push(bytes);
        let (got, wanted) = (partial.attachments.len(), partial.packet.attachments);
        let progress = format!("attachment {got} of {wanted} ({size} bytes)");
        if got < wanted {
            self.partial = Some(partial);
            return Reading::note(Note::new(NoteKind::Attachment, progress));
        }
        // The last attachment is when the packet arrived whole: acks are timed to it.
        let mut reading = self.complete(partial.packet, &partial.attachments, now_ms);
        reading.note.summary = format!("{progress} \u{b7} {}", reading.note.summary);
        reading
    }

    /// An event or ack with all its attachments.
    fn complete(&mut self, packet: Packet, attachments: &[Vec<u8>], now_ms: f64) -> Reading {
        let data = packet.data.clone().unwrap_or(Value::Array(Vec::new()));
        let data = match socket_io::join_binary(data, attachments) {
            Ok(data) => data,
            Err(error) => return Reading::note(Note::problem(error.to_string())),
        };
        if is_ack(packet.kind) {
            self.on_ack(packet.namespace, packet.id, data, now_ms)
        } else {
            let (name, args) = split_event(data);
            self.on_event(packet.namespace, packet.id, name, args)
        }
    }

    fn on_event(
        &mut self,
        namespace: String,
        id: Option<u64>,
        name: String,
        args: Value,
    ) -> Reading {
        let mut summary = format!(
            "event {}{}",
            in_namespace(&namespace),
            event_words(&name, &args)
        );
        let mut outputs = Vec::new();
        if let Some(id) = id {
            let ack = Packet {
                namespace: namespace.clone(),
                id: Some(id),
                data: Some(Value::Array(Vec::new())),
                ..Packet::new(PacketType::Ack)
            };
            outputs.push(Output::Send(self.frame(&ack)));
            summary.push_str(&format!(" \u{b7} acknowledged automatically (ack {id})"));
        }
        outputs.push(Output::Event {
            namespace,
            name: name.clone(),
            args,
        });
        Reading {
            note: Note::new(NoteKind::Event, summary).with_event(name),
            outputs,
        }
    }

    fn on_ack(&mut self, namespace: String, id: Option<u64>, args: Value, now_ms: f64) -> Reading {
        let shown = format!("ack {}", in_namespace(&namespace));
        let Some(id) = id else {
            return Reading::note(Note::problem(format!(
                "{shown}without an id matches no emit"
            )));
        };
        let Some(wait) = self.acks.remove(&(namespace.clone(), id)) else {
            return Reading::note(Note::problem(format!(
                "{shown}{id} {} matches no emit",
                json_brief(&args)
            )));
        };
        let rtt_ms = elapsed(wait.sent_ms, now_ms);
        let note = Note::new(NoteKind::Ack, format!("{shown}{id} {}", json_brief(&args)))
            .with_event(wait.event.clone())
            .with_rtt(rtt_ms);
        Reading {
            note,
            outputs: vec![Output::Acked {
                namespace,
                id,
                event: wait.event,
                args,
                rtt_ms,
            }],
        }
    }
}

/// `/admin ` before the rest of a summary, or nothing for the main namespace.
fn in_namespace(namespace: &str) -> String {
    if namespace == "/" {
        String::new()
    } else {
        format!("{namespace} ")
    }
}

fn is_ack(kind: PacketType) -> bool {
    matches!(kind, PacketType::Ack | PacketType::BinaryAck)
}

/// An event's name and its arguments (the rest of its array).
fn split_event(data: Value) -> (String, Value) {
    let mut items = match data {
        Value::Array(items) => items,
        other => vec![other],
    };
    let name = match items.first() {
        Some(Value::String(name)) => name.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let args = items.split_off(1.min(items.len()));
    (name, Value::Array(args))
}

/// `"chat" ["hi"]`
fn event_words(name: &str, args: &Value) -> String {
    format!(
        "{} {}",
        crate::encoding::json_string(name),
        json_brief(args)
    )
}

/// `binary event /admin "x" [1]`, `ack 3 ["ok"]`: an event or ack packet in words, for notes.
fn describe(packet: &Packet) -> String {
    let binary = if packet.kind.is_binary() {
        "binary "
    } else {
        ""
    };
    let namespace = in_namespace(&packet.namespace);
    let data = packet.data.clone().unwrap_or(Value::Array(Vec::new()));
    if is_ack(packet.kind) {
        let id = packet.id.map(|id| format!("{id} ")).unwrap_or_default();
        format!("{binary}ack {namespace}{id}{}", json_brief(&data))
    } else {
        let (name, args) = split_event(data);
        format!("{binary}event {namespace}{}", event_words(&name, &args))
    }
}

/// `/admin?token=abc`: a namespace with an auth object as Socket.IO 2 clients send it (strings
/// as they are, other values as JSON), escaped so that nothing in it ends the namespace.
fn with_query(name: &str, auth: Option<&Value>) -> String {
    let Some(Value::Object(fields)) = auth else {
        return name.to_string();
    };
    let escape = |text: &str| {
        crate::query::encode(text)
            .replace(',', "%2C")
            .replace('+', "%2B")
    };
    let pairs: Vec<String> = fields
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            format!("{}={}", escape(key), escape(&value))
        })
        .collect();
    if pairs.is_empty() {
        name.to_string()
    } else {
        format!("{name}?{}", pairs.join("&"))
    }
}

/// What a frame the client asked to send (a pong, a CONNECT, an automatic ack) means, for its
/// log row: the same words as for what the server sends.
pub fn sent_note(frame: &Frame, version: SocketIoVersion) -> Note {
    let text = match frame {
        Frame::Text(text) => text,
        Frame::Binary(bytes) => {
            return Note::new(
                NoteKind::Attachment,
                format!("attachment ({} bytes)", bytes.len()),
            );
        }
    };
    match engine_io::decode_text(text, version.engine()) {
        Ok(engine_io::Packet::Ping(probe)) => {
            Note::new(NoteKind::Heartbeat, probe_summary("ping", &probe))
        }
        Ok(engine_io::Packet::Pong(probe)) => {
            Note::new(NoteKind::Heartbeat, probe_summary("pong", &probe))
        }
        Ok(engine_io::Packet::Message(Data::Text(message))) => match socket_io::decode(&message) {
            Ok(packet) if packet.kind == PacketType::Connect => {
                let auth = if packet.data.is_some() {
                    " with auth"
                } else {
                    ""
                };
                Note::new(
                    NoteKind::Connect,
                    format!("connect {}{auth}", packet.namespace),
                )
            }
            Ok(packet) if is_ack(packet.kind) => Note::new(NoteKind::Ack, describe(&packet)),
            Ok(packet) => Note::new(NoteKind::Event, describe(&packet)),
            Err(error) => Note::problem(error.to_string()),
        },
        Ok(other) => Note::new(NoteKind::Handshake, format!("{other:?}")),
        Err(error) => Note::problem(error.to_string()),
    }
}

fn probe_summary(word: &str, probe: &Option<String>) -> String {
    match probe {
        Some(probe) => format!("{word} {}", crate::encoding::json_string(probe)),
        None => word.to_string(),
    }
}

/// The message and data of a CONNECT_ERROR: `{"message", "data"}` (v5) or a string (v4).
fn refusal(data: Option<Value>) -> (String, Option<Value>) {
    match data {
        Some(Value::String(message)) => (message, None),
        Some(Value::Object(mut object)) => {
            let message = match object.remove("message") {
                Some(Value::String(message)) => message,
                Some(other) => other.to_string(),
                None => "no message given".to_string(),
            };
            (message, object.remove("data"))
        }
        Some(other) => (other.to_string(), None),
        None => ("no reason given".to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const OPEN_V4: &str = r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
    const OPEN_V3: &str = r#"0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#;

    fn text(frame: &str) -> Output {
        Output::Send(Frame::Text(frame.into()))
    }

    #[test]
    fn frames_the_client_sends_are_noted_in_the_same_words() {
        let v5 = SocketIoVersion::V3V4;
        let note = |frame: &str| sent_note(&Frame::Text(frame.into()), v5);
        assert_eq!(note("3").summary, "pong");
        assert_eq!(note("3").kind, NoteKind::Heartbeat);
        assert_eq!(note("2").summary, "ping");
        assert_eq!(
            note(r#"40/admin,{"token":"x"}"#).summary,
            "connect /admin with auth"
        );
        assert_eq!(note("40").summary, "connect /");
        assert_eq!(note("430[]").summary, "ack 0 []");
        assert_eq!(note("430[]").kind, NoteKind::Ack);
        assert_eq!(note("4x").kind, NoteKind::Problem);
        let bytes = sent_note(&Frame::Binary(vec![1, 2]), v5);
        assert_eq!(bytes.summary, "attachment (2 bytes)");
    }

    fn sends(outputs: &[Output]) -> Vec<Frame> {
        outputs
            .iter()
            .filter_map(|o| match o {
                Output::Send(frame) => Some(frame.clone()),
                _ => None,
            })
            .collect()
    }

    fn client(version: SocketIoVersion) -> SocketIoClient {
        SocketIoClient::new(
            version,
            vec![
                ("/".into(), None),
                ("admin".into(), Some(json!({"token": "123"}))),
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_version_5_session_from_open_to_close() {
        let mut c = client(SocketIoVersion::V3V4);
        assert_eq!(c.next_tick_ms(), None);
        let open = c.on_text(OPEN_V4, 1000.0);
        assert_eq!(open.note.kind, NoteKind::Handshake);
        assert_eq!(
            open.note.summary,
            "open sid=lv_VI97HAXpY6yYWAAAC \u{b7} ping every 25000 ms, timeout 20000 ms"
        );
        assert!(
            matches!(open.outputs.first(), Some(Output::Opened(info)) if info.ping_timeout_ms == 20000)
        );
        assert_eq!(
            open.outputs[1..],
            [text("40"), text(r#"40/admin,{"token":"123"}"#)]
        );

        let connected = c.on_text(r#"40{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, 1010.0);
        assert_eq!(connected.note.summary, "connect / sid=wZX3oN0bSVIhsaknAAAI");
        assert_eq!(
            connected.outputs,
            [Output::Connected {
                namespace: "/".into(),
                sid: Some("wZX3oN0bSVIhsaknAAAI".into())
            }]
        );

        let ping = c.on_text("2", 2000.0);
        assert_eq!(
            (ping.note.kind, ping.note.summary.as_str()),
            (NoteKind::Heartbeat, "ping")
        );
        assert_eq!(ping.outputs, [text("3")]);
        assert_eq!(c.on_text("2probe", 2000.0).outputs, [text("3probe")]);

        let sent = c.emit("/", "hello", "[1]", false, 3000.0).unwrap();
        assert_eq!(sent.frames, [Frame::Text(r#"42["hello",1]"#.into())]);
        assert_eq!(sent.note.summary, r#"event "hello" [1]"#);

        let received = c.on_text(r#"42["hey","Jude"]"#, 3001.0);
        assert_eq!(received.note.summary, r#"event "hey" ["Jude"]"#);
        assert_eq!(received.note.event.as_deref(), Some("hey"));
        assert_eq!(
            received.outputs,
            [Output::Event {
                namespace: "/".into(),
                name: "hey".into(),
                args: json!(["Jude"])
            }]
        );

        let disconnected = c.on_text("41", 4000.0);
        assert_eq!(
            disconnected.outputs,
            [Output::Disconnected {
                namespace: "/".into()
            }]
        );
        let close = c.on_text("1", 5000.0);
        assert_eq!(close.note.kind, NoteKind::Disconnect);
        // Only /admin was still asked for; / had gone already.
        assert_eq!(
            close.outputs,
            [Output::Disconnected {
                namespace: "/admin".into()
            }]
        );
        assert_eq!(c.next_tick_ms(), None);
        assert_eq!(c.on_tick(1e9), []);
    }

    #[test]
    fn acks_pair_with_their_emits_and_are_timed() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        let first = c.emit("/admin", "tellme", "", true, 100.0).unwrap();
        assert_eq!(
            first.frames,
            [Frame::Text(r#"42/admin,0["tellme"]"#.into())]
        );
        assert_eq!(first.note.summary, r#"event /admin "tellme" [] · ack 0"#);
        let second = c.emit("admin", "chat", r#"["hi"]"#, true, 110.0).unwrap();
        assert_eq!(
            second.frames,
            [Frame::Text(r#"42/admin,1["chat","hi"]"#.into())]
        );

        let acked = c.on_text(r#"43/admin,1["ok"]"#, 122.4);
        assert_eq!(acked.note.kind, NoteKind::Ack);
        assert_eq!(acked.note.summary, "ack /admin 1 [\"ok\"] \u{b7} 12.4 ms");
        assert_eq!(acked.note.event.as_deref(), Some("chat"));
        assert!(matches!(
            acked.outputs.as_slice(),
            [Output::Acked { id: 1, event, rtt_ms, .. }] if event == "chat" && (rtt_ms - 12.4).abs() < 1e-9
        ));
        // Paired once only, and only on its namespace.
        let again = c.on_text(r#"43/admin,1["ok"]"#, 130.0);
        assert_eq!(again.note.kind, NoteKind::Problem);
        assert_eq!(again.note.summary, "ack /admin 1 [\"ok\"] matches no emit");
        assert_eq!(
            c.on_text(r#"430[]"#, 130.0).note.summary,
            "ack 0 [] matches no emit"
        );
        assert_eq!(
            c.on_text("43[]", 130.0).note.summary,
            "ack without an id matches no emit"
        );
    }

    #[test]
    fn an_emit_written_elsewhere_pairs_its_ack_here() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        c.written_elsewhere(r#"42/admin,7["whoami"]"#, 100.0);
        c.written_elsewhere("2", 100.0);
        c.written_elsewhere(r#"43/admin,8["not an emit"]"#, 100.0);
        let acked = c.on_text(r#"43/admin,7["admin"]"#, 110.0);
        assert_eq!(
            acked.note.summary,
            "ack /admin 7 [\"admin\"] \u{b7} 10.0 ms"
        );
        assert_eq!(acked.note.event.as_deref(), Some("whoami"));
        assert_eq!(
            c.on_text(r#"43/admin,8[]"#, 120.0).note.kind,
            NoteKind::Problem
        );
    }

    #[test]
    fn server_events_asking_for_an_ack_are_acknowledged() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        let asked = c.on_text(r#"42/admin,13["foo"]"#, 1.0);
        assert_eq!(asked.outputs[0], text("43/admin,13[]"));
        assert_eq!(
            asked.note.summary,
            r#"event /admin "foo" [] · acknowledged automatically (ack 13)"#
        );
    }

    #[test]
    fn binary_packets_wait_for_their_attachments() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        let header = c.on_text(r#"451-["hello",{"_placeholder":true,"num":0}]"#, 1.0);
        assert_eq!(header.note.kind, NoteKind::Attachment);
        assert_eq!(
            header.note.summary,
            r#"binary event "hello" [{"_placeholder":true,"num":0}] header · 1 attachment to follow"#
        );
        assert_eq!(header.outputs, []);
        let body = c.on_binary(&[1, 2, 3, 4], 2.0);
        assert_eq!(body.note.kind, NoteKind::Event);
        assert_eq!(
            body.note.summary,
            r#"attachment 1 of 1 (4 bytes) · event "hello" [{"$base64":"AQIDBA=="}]"#
        );
        assert_eq!(
            body.outputs,
            [Output::Event {
                namespace: "/".into(),
                name: "hello".into(),
                args: json!([{"$base64": "AQIDBA=="}])
            }]
        );

        // The sample session's binary ack, with two attachments this time.
        c.emit("/admin", "tellme", "", true, 10.0).unwrap();
        let header = c.on_text(
            r#"462-/admin,0[{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]"#,
            11.0,
        );
        assert_eq!(header.note.kind, NoteKind::Attachment);
        let first = c.on_binary(&[1], 12.0);
        assert_eq!(first.note.summary, "attachment 1 of 2 (1 bytes)");
        let last = c.on_binary(&[2], 15.0);
        assert_eq!(last.note.kind, NoteKind::Ack);
        assert!(matches!(
            last.outputs.as_slice(),
            [Output::Acked { args, rtt_ms, .. }]
                if *args == json!([{"$base64": "Ag=="}, {"$base64": "AQ=="}]) && *rtt_ms == 5.0
        ));
    }

    #[test]
    fn missing_or_stray_attachments_are_problems() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        let stray = c.on_binary(&[1, 2], 1.0);
        assert_eq!(stray.note.kind, NoteKind::Problem);
        assert_eq!(
            stray.note.summary,
            "A binary frame (2 bytes) where no binary packet announced one"
        );
        c.on_text(
            r#"452-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
            2.0,
        );
        c.on_binary(&[1], 3.0);
        let cut = c.on_text("2", 4.0);
        assert_eq!(cut.note.kind, NoteKind::Problem);
        assert_eq!(
            cut.note.summary,
            r#"binary event "x" [{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}] dropped: 1 of 2 attachments came before a text frame; then ping"#
        );
        assert_eq!(cut.outputs, [text("3")], "the ping is still answered");
        // A placeholder pointing past the attachments.
        c.on_text(r#"451-["x",{"_placeholder":true,"num":3}]"#, 5.0);
        let wrong = c.on_binary(&[1], 6.0);
        assert_eq!(wrong.note.kind, NoteKind::Problem);
        assert!(
            wrong
                .note
                .summary
                .contains("refers to attachment 3, but 1 came"),
            "{}",
            wrong.note.summary
        );
    }

    #[test]
    fn emitting_bytes_sends_attachments_after_the_packet() {
        for (version, framed) in [
            (SocketIoVersion::V3V4, vec![1, 2, 3]),
            (SocketIoVersion::V2, vec![4, 1, 2, 3]),
        ] {
            let mut c = client(version);
            let sent = c
                .emit(
                    "/",
                    "upload",
                    r#"[{"$base64":"AQID"}, {"$hex":"ff"}]"#,
                    false,
                    0.0,
                )
                .unwrap();
            assert_eq!(
                sent.frames,
                [
                    Frame::Text(
                        r#"452-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#.into()
                    ),
                    Frame::Binary(framed.clone()),
                    Frame::Binary(if version == SocketIoVersion::V2 { vec![4, 255] } else { vec![255] }),
                ]
            );
            assert!(
                sent.note
                    .summary
                    .ends_with(r#"[{"$base64":"AQID"},{"$hex":"ff"}] · 2 attachments"#),
                "{}",
                sent.note.summary
            );
        }
    }

    #[test]
    fn emit_refuses_what_the_server_would_not_take() {
        let mut c = client(SocketIoVersion::V3V4);
        let error = |c: &mut SocketIoClient, ns, event, args| {
            c.emit(ns, event, args, false, 0.0)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            error(&mut c, "/", "disconnect", "[]"),
            "\u{201c}disconnect\u{201d} is reserved by Socket.IO and cannot be emitted; pick another event name."
        );
        assert_eq!(
            error(&mut c, "/chat", "x", "[]"),
            "Not connecting to namespace /chat: add it to the namespaces first (now: /, /admin)."
        );
        assert_eq!(
            error(&mut c, "/", "x", r#"{"a":1}"#),
            "The arguments must be a JSON array, as in [\"hi\", 1], but this is an object."
        );
        assert_eq!(
            error(&mut c, "/", "x", "[1,\n 2"),
            "The arguments must be a JSON array. Not valid JSON: EOF while parsing a list (line 2, column 2)."
        );
        assert_eq!(
            error(&mut c, "/", "x", r#"[{"$hex":"zz"}]"#),
            "In a {\"$hex\": …} value: Not valid hex: \u{201c}z\u{201d} at character 1 is not a hex digit. \
             Use 0-9 and a-f, separated by spaces or colons if you like (0x prefixes are fine)."
        );
        assert!(
            c.emit("/", "connected", "[]", false, 0.0).is_ok(),
            "only the exact names are reserved"
        );
        // Before the server says yes is fine: it buffers.
        assert!(c.emit("/admin", "early", "[]", true, 0.0).is_ok());
    }

    #[test]
    fn namespaces_are_checked_and_can_be_added_later() {
        let new = |ns: &str, auth| {
            SocketIoClient::new(SocketIoVersion::V3V4, vec![(ns.into(), auth)]).err()
        };
        assert_eq!(
            new("/a,b", None),
            Some(NamespaceError::Comma("/a,b".into()))
        );
        assert_eq!(
            new("/a?token=1", None),
            Some(NamespaceError::Query("/a?token=1".into()))
        );
        assert_eq!(
            new("/a", Some(json!("tok"))),
            Some(NamespaceError::AuthNotObject("/a".into()))
        );
        assert_eq!(
            NamespaceError::AuthNotObject("/a".into()).to_string(),
            "The auth payload for /a must be a JSON object, as in {\"token\": \"…\"}."
        );
        let mut c = SocketIoClient::new(SocketIoVersion::V3V4, Vec::new()).unwrap();
        assert_eq!(
            c.connect_namespace("chat", None),
            Ok(Vec::new()),
            "sent on open"
        );
        let open = c.on_text(OPEN_V4, 0.0);
        assert_eq!(sends(&open.outputs), [Frame::Text("40/chat,".into())]);
        assert_eq!(
            c.connect_namespace("/news", Some(json!({"k": 1}))),
            Ok(vec![text(r#"40/news,{"k":1}"#)])
        );
    }

    #[test]
    fn refusals_of_both_versions() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        let refused = c.on_text(r#"44{"message":"Not authorized","data":{"code":7}}"#, 1.0);
        assert_eq!(refused.note.kind, NoteKind::ConnectError);
        assert_eq!(refused.note.summary, "connect_error /: Not authorized");
        assert_eq!(
            refused.outputs,
            [Output::ConnectError {
                namespace: "/".into(),
                message: "Not authorized".into(),
                data: Some(json!({"code": 7}))
            }]
        );
        let mut c = client(SocketIoVersion::V2);
        c.on_text(OPEN_V3, 0.0);
        let refused = c.on_text(r#"44/admin,"Not authorized""#, 1.0);
        assert_eq!(refused.note.summary, "connect_error /admin: Not authorized");
    }

    #[test]
    fn version_2_auth_is_a_query_nothing_in_it_can_end_the_namespace() {
        let auth = json!({"token": "a,b+c&d", "n": 7, "flag": true});
        assert_eq!(
            with_query("/admin", Some(&auth)),
            "/admin?flag=true&n=7&token=a%2Cb%2Bc%26d"
        );
        assert_eq!(with_query("/admin", None), "/admin");
        assert_eq!(with_query("/admin", Some(&json!({}))), "/admin");
    }

    #[test]
    fn no_emit_goes_to_a_refused_namespace() {
        // The server closes the whole connection over a packet on a namespace it refused.
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 0.0);
        c.on_text(r#"44/admin,{"message":"Not authorized"}"#, 1.0);
        let Err(refused) = c.emit("/admin", "whoami", "[]", true, 2.0) else {
            panic!("an emit on a refused namespace was sent");
        };
        assert_eq!(
            refused.to_string(),
            "Not emitted on /admin: the server refused that namespace, and would close the \
             whole connection over a packet sent there. Fix the auth payload and connect again."
        );
        assert!(c.emit("/", "hello", "[]", false, 2.0).is_ok());
    }

    #[test]
    fn version_2_connects_the_main_namespace_unasked_and_pings_itself() {
        let mut c = client(SocketIoVersion::V2);
        let open = c.on_text(OPEN_V3, 1000.0);
        // No CONNECT for "/"; the others carry their auth as a query, as Socket.IO 2's do.
        assert_eq!(
            sends(&open.outputs),
            [Frame::Text("40/admin?token=123,".into())]
        );
        assert_eq!(
            c.on_text("40", 1001.0).outputs,
            [Output::Connected {
                namespace: "/".into(),
                sid: None
            }]
        );
        assert_eq!(c.next_tick_ms(), Some(26_000.0));
        assert_eq!(c.on_tick(25_999.0), []);
        assert_eq!(c.on_tick(26_000.0), [text("2")]);
        assert_eq!(c.next_tick_ms(), Some(31_000.0), "the pong is due");
        let pong = c.on_text("3", 26_012.5);
        assert_eq!(pong.note.summary, "pong \u{b7} 12.5 ms");
        assert_eq!(pong.note.rtt_ms, Some(12.5));
        assert_eq!(c.next_tick_ms(), Some(51_000.0));
        assert_eq!(c.on_tick(51_000.0), [text("2")]);
        let silent = c.on_tick(56_000.0);
        assert_eq!(
            silent,
            [Output::Silent {
                why: "No pong to the ping sent 5000.0 ms ago (pingTimeout 5000 ms): the server is gone or not answering.".into()
            }]
        );
        assert_eq!(
            c.next_tick_ms(),
            Some(76_000.0),
            "pings go on, silence told once"
        );
        assert_eq!(c.on_tick(60_000.0), []);
    }

    #[test]
    fn version_4_servers_ping_and_silence_is_told_once() {
        let mut c = client(SocketIoVersion::V3V4);
        c.on_text(OPEN_V4, 1000.0);
        assert_eq!(c.next_tick_ms(), Some(46_000.0));
        assert_eq!(c.on_tick(45_999.0), []);
        c.on_text("2", 26_000.0);
        assert_eq!(c.next_tick_ms(), Some(71_000.0));
        let silent = c.on_tick(71_000.0);
        assert!(
            matches!(silent.as_slice(), [Output::Silent { why }] if why.starts_with("No ping from the server for 45000.0 ms"))
        );
        assert_eq!(c.next_tick_ms(), None);
        assert_eq!(c.on_tick(80_000.0), []);
        c.on_text("2", 90_000.0);
        assert_eq!(
            c.next_tick_ms(),
            Some(135_000.0),
            "heard again: watching again"
        );
        let unasked = c.on_text("3", 90_001.0);
        assert_eq!(
            (unasked.note.summary.as_str(), unasked.note.rtt_ms),
            ("pong", None)
        );
    }

    #[test]
    fn what_is_not_socket_io_is_a_problem() {
        let mut c = client(SocketIoVersion::V3V4);
        for (frame, says) in [
            ("hello", "Not an Engine.IO packet"),
            ("4hello", "Not a Socket.IO packet"),
            ("42[]", "A EVENT packet needs"),
            ("5", "An upgrade packet from the server"),
        ] {
            let reading = c.on_text(frame, 0.0);
            assert_eq!(reading.note.kind, NoteKind::Problem, "{frame}");
            assert!(
                reading.note.summary.starts_with(says),
                "{frame}: {}",
                reading.note.summary
            );
        }
        assert_eq!(c.on_text("6", 0.0).note.summary, "noop");
        let v2 = client(SocketIoVersion::V2).on_binary(&[1, 2], 0.0);
        assert!(
            v2.note
                .summary
                .starts_with("A binary frame starting with byte 1")
        );
    }

    #[derive(Debug, Clone)]
    enum Input {
        Text(String),
        Binary(Vec<u8>),
        Tick(f64),
        Emit(String, String, String, bool),
        Connect(String),
    }

    fn inputs() -> impl Strategy<Value = Input> {
        let frames = prop_oneof![
            Just(OPEN_V4.to_string()),
            Just(OPEN_V3.to_string()),
            Just("1".to_string()),
            Just("2".to_string()),
            Just("3".to_string()),
            "4[0-6]([0-9]-)?(/a,)?[0-9]?(\\[\"x\"(,\\{\"_placeholder\":true,\"num\":[0-2]\\})*\\]|\\{\\}|\"no\")?",
            ".{0,20}",
        ];
        prop_oneof![
            frames.prop_map(Input::Text),
            proptest::collection::vec(any::<u8>(), 0..6).prop_map(Input::Binary),
            any::<f64>().prop_map(Input::Tick),
            (
                prop_oneof![Just("/".to_string()), Just("/a".to_string()), ".{0,4}"],
                prop_oneof![Just("x".to_string()), ".{0,6}"],
                prop_oneof![
                    Just("[1]".to_string()),
                    Just(r#"[{"$hex":"01"}]"#.to_string()),
                    ".{0,8}"
                ],
                any::<bool>()
            )
                .prop_map(|(ns, event, args, ack)| Input::Emit(ns, event, args, ack)),
            ".{0,6}".prop_map(Input::Connect),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_of_frames_and_ticks_is_handled(
            v2 in any::<bool>(),
            steps in proptest::collection::vec((inputs(), -1e6f64..1e12), 0..40),
        ) {
            let version = if v2 { SocketIoVersion::V2 } else { SocketIoVersion::V3V4 };
            let mut c = SocketIoClient::new(version, vec![("/a".into(), None)]).unwrap();
            for (input, now) in steps {
                match input {
                    Input::Text(text) => {
                        let reading = c.on_text(&text, now);
                        prop_assert!(!reading.note.summary.is_empty());
                    }
                    Input::Binary(bytes) => {
                        c.on_binary(&bytes, now);
                    }
                    Input::Tick(at) => {
                        c.on_tick(at);
                    }
                    Input::Emit(ns, event, args, ack) => {
                        if let Err(error) = c.emit(&ns, &event, &args, ack, now) {
                            prop_assert!(!error.to_string().is_empty());
                        }
                    }
                    Input::Connect(ns) => {
                        let _ = c.connect_namespace(&ns, None);
                    }
                }
                if let Some(due) = c.next_tick_ms() {
                    prop_assert!(!due.is_nan());
                }
            }
        }
    }
}
