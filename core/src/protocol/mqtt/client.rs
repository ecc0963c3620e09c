//! The MQTT client of the page: CONNECT from the request's settings, SUBSCRIBE, UNSUBSCRIBE and
//! PUBLISH at QoS 0, 1 and 2 with their handshakes completed both ways, PINGREQ within the keep
//! alive, and every packet named for the log. Fed bytes and the time; returns bytes to send.

use super::packet::{
    self, Ack, AckKind, Connect, MqttVersion, Packet, PacketStream, Property, Publish, SubAck,
    Subscribe, Unsubscribe, Will, bytes_brief,
};
use serde::{Deserialize, Serialize};

use super::reason;
use crate::payload::plural;
use crate::protocol::note::{self, Note, NoteKind, clip, elapsed, format_ms};
use crate::protocol::pending::{MAX_SUBSCRIPTIONS, MAX_WAITING, Pending};

/// How much of a topic a summary quotes.
const TOPIC_CHARS: usize = 120;

/// What the person typed to connect with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectSettings {
    pub version: MqttVersion,
    /// Empty: the broker chooses one (with clean start).
    pub client_id: String,
    pub clean_start: bool,
    /// Seconds; 0 turns the keep alive off.
    pub keep_alive: u16,
    pub username: String,
    /// A secret when shared.
    pub password: String,
    pub will_topic: String,
    pub will_payload: String,
    pub will_qos: u8,
    pub will_retain: bool,
}

impl Default for ConnectSettings {
    fn default() -> Self {
        Self {
            version: MqttVersion::V311,
            client_id: String::new(),
            clean_start: true,
            keep_alive: 60,
            username: String::new(),
            password: String::new(),
            will_topic: String::new(),
            will_payload: String::new(),
            will_qos: 0,
            will_retain: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SubscriptionState {
    Waiting,
    Granted(u8),
    Refused(String),
    Unsubscribed,
}

impl SubscriptionState {
    pub fn shown(&self) -> String {
        match self {
            Self::Waiting => "Waiting".into(),
            Self::Granted(qos) => format!("Granted QoS {qos}"),
            Self::Refused(why) => format!("Refused: {why}"),
            Self::Unsubscribed => "Unsubscribed".into(),
        }
    }
}

/// A topic filter subscribed to on this connection, as the Subscriptions list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// Stable for the row while the filter stays in the list.
    pub key: u64,
    pub filter: String,
    pub qos: u8,
    pub state: SubscriptionState,
    /// Messages received whose topic the filter matches.
    pub messages: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A packet to write (an acknowledgement, PINGREQ), with its row's note.
    Send(Vec<u8>, Note),
    /// CONNACK accepted: facts for the Handshake panel.
    Connected { facts: Vec<(String, String)> },
    /// CONNACK refused: the code's name and what to check.
    Refused {
        code: u8,
        name: &'static str,
        advice: &'static str,
    },
    /// An exchange completed (SUBACK, UNSUBACK, PUBACK, PUBCOMP), for the Latency panel.
    RoundTrip(f64),
    /// The broker sent DISCONNECT (MQTT 5), or stopped answering PINGREQ.
    Trouble(String),
}

pub type Reading = note::Reading<Output>;

pub use crate::protocol::note::Written;

#[derive(Debug, Clone)]
enum Waiting {
    Publish {
        topic: String,
        qos: u8,
        sent_ms: f64,
    },
    /// QoS 2 past PUBREC: PUBREL sent, PUBCOMP awaited.
    Released {
        topic: String,
        sent_ms: f64,
    },
    Subscribe {
        keys: Vec<u64>,
        sent_ms: f64,
    },
    Unsubscribe {
        keys: Vec<u64>,
        sent_ms: f64,
    },
}

#[derive(Debug, Clone)]
pub struct MqttClient {
    version: MqttVersion,
    stream: PacketStream,
    connected: bool,
    connect_sent_ms: Option<f64>,
    keep_alive_ms: f64,
    last_sent_ms: f64,
    ping_sent_ms: Option<f64>,
    /// Said once per silence, not at every tick.
    silence_told: bool,
    /// A malformed packet arrived: no later byte can be trusted to start a packet.
    broken: bool,
    next_id: u16,
    waiting: Pending<u16, Waiting>,
    /// QoS 2 messages received: PUBREC sent, PUBREL awaited.
    releasing: Pending<u16, ()>,
    subscriptions: Vec<Subscription>,
    next_key: u64,
}

impl MqttClient {
    pub fn new(version: MqttVersion) -> Self {
        Self {
            version,
            stream: PacketStream::default(),
            connected: false,
            connect_sent_ms: None,
            keep_alive_ms: 0.0,
            last_sent_ms: 0.0,
            ping_sent_ms: None,
            silence_told: false,
            broken: false,
            next_id: 1,
            waiting: Pending::new(MAX_WAITING),
            releasing: Pending::new(MAX_WAITING),
            subscriptions: Vec::new(),
            next_key: 1,
        }
    }

    pub fn connected(&self) -> bool {
        self.connected
    }

    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// CONNECT from `settings` (variables already filled in).
    pub fn connect(&mut self, s: &ConnectSettings, now_ms: f64) -> Result<Written, String> {
        let will = if s.will_topic.trim().is_empty() {
            if !s.will_payload.is_empty() {
                return Err("the will has a message but no topic".into());
            }
            None
        } else {
            check_topic(&s.will_topic).map_err(|why| format!("the will's topic {why}"))?;
            Some(Will {
                topic: s.will_topic.clone(),
                payload: s.will_payload.clone().into_bytes(),
                qos: s.will_qos.min(2),
                retain: s.will_retain,
                properties: Vec::new(),
            })
        };
        let fits = |what: &str, text: &str| {
            if text.len() > usize::from(u16::MAX) {
                Err(format!(
                    "the {what} is longer than MQTT allows (65,535 bytes)"
                ))
            } else {
                Ok(())
            }
        };
        fits("Client ID", &s.client_id)?;
        fits("user name", &s.username)?;
        fits("password", &s.password)?;
        fits("will message", &s.will_payload)?;
        if s.username.is_empty() && !s.password.is_empty() && self.version == MqttVersion::V311 {
            return Err("MQTT 3.1.1 sends a password only with a user name".into());
        }
        let connect = Connect {
            version: self.version,
            client_id: s.client_id.clone(),
            clean_start: s.clean_start,
            keep_alive: s.keep_alive,
            username: (!s.username.is_empty()).then(|| s.username.clone()),
            password: (!s.password.is_empty()).then(|| s.password.clone().into_bytes()),
            will,
            // So that a broker never sends more than the page reads.
            properties: match self.version {
                MqttVersion::V5 => vec![Property::Int(0x27, packet::MAX_PACKET as u32)],
                MqttVersion::V311 => Vec::new(),
            },
        };
        self.keep_alive_ms = f64::from(s.keep_alive) * 1000.0;
        self.connect_sent_ms = Some(now_ms);
        let mut summary = format!(
            "CONNECT \u{b7} MQTT {} \u{b7} client {} \u{b7} keep alive {} s",
            self.version.label(),
            if s.client_id.is_empty() {
                "id chosen by the broker".to_string()
            } else {
                clip(&s.client_id, TOPIC_CHARS)
            },
            s.keep_alive
        );
        if !s.username.is_empty() {
            summary.push_str(&format!(" \u{b7} user {}", clip(&s.username, TOPIC_CHARS)));
        }
        if s.clean_start {
            summary.push_str(" \u{b7} clean start");
        }
        Ok(self.write(
            Packet::Connect(Box::new(connect)),
            NoteKind::Connect,
            summary,
            now_ms,
        ))
    }

    /// DISCONNECT, when the person closes: the broker then drops the will instead of
    /// publishing it. None when not connected.
    pub fn disconnect(&mut self, now_ms: f64) -> Option<Written> {
        if !std::mem::replace(&mut self.connected, false) {
            return None;
        }
        let packet = Packet::Disconnect {
            reason: 0,
            properties: Vec::new(),
        };
        Some(self.write(packet, NoteKind::Disconnect, "DISCONNECT".into(), now_ms))
    }

    /// SUBSCRIBE to `filter` at `qos`.
    pub fn subscribe(&mut self, filter: &str, qos: u8, now_ms: f64) -> Result<Written, String> {
        self.ready()?;
        check_filter(filter)?;
        let id = self.fresh_id()?;
        let key = self.add_subscription(filter, qos.min(2));
        self.waiting.insert(
            id,
            Waiting::Subscribe {
                keys: vec![key],
                sent_ms: now_ms,
            },
        );
        let packet = Packet::Subscribe(Subscribe {
            packet_id: id,
            properties: Vec::new(),
            filters: vec![(filter.to_string(), qos.min(2))],
        });
        let summary = format!(
            "SUBSCRIBE {id} \u{b7} {} QoS {}",
            clip(filter, TOPIC_CHARS),
            qos.min(2)
        );
        Ok(self.write(packet, NoteKind::Call, summary, now_ms))
    }

    /// UNSUBSCRIBE from `filter`.
    pub fn unsubscribe(&mut self, filter: &str, now_ms: f64) -> Result<Written, String> {
        self.ready()?;
        let keys: Vec<u64> = self
            .subscriptions
            .iter()
            .filter(|s| s.filter == filter)
            .map(|s| s.key)
            .collect();
        let id = self.fresh_id()?;
        self.waiting.insert(
            id,
            Waiting::Unsubscribe {
                keys,
                sent_ms: now_ms,
            },
        );
        let packet = Packet::Unsubscribe(Unsubscribe {
            packet_id: id,
            properties: Vec::new(),
            filters: vec![filter.to_string()],
        });
        let summary = format!("UNSUBSCRIBE {id} \u{b7} {}", clip(filter, TOPIC_CHARS));
        Ok(self.write(packet, NoteKind::Call, summary, now_ms))
    }

    /// PUBLISH `payload` to `topic`; `user_properties` (MQTT 5) as `name=value` pairs, one
    /// per line or comma-separated.
    pub fn publish(
        &mut self,
        topic: &str,
        payload: Vec<u8>,
        qos: u8,
        retain: bool,
        user_properties: &str,
        now_ms: f64,
    ) -> Result<Written, String> {
        self.ready()?;
        check_topic(topic)?;
        let qos = qos.min(2);
        let properties = parse_user_properties(user_properties)?;
        if payload.len() > packet::MAX_PACKET {
            return Err(format!(
                "the message is larger than the page sends ({} MiB)",
                packet::MAX_PACKET / (1024 * 1024)
            ));
        }
        if !properties.is_empty() && self.version == MqttVersion::V311 {
            return Err("user properties need MQTT 5: choose version 5".into());
        }
        let packet_id = if qos > 0 {
            let id = self.fresh_id()?;
            self.waiting.insert(
                id,
                Waiting::Publish {
                    topic: topic.to_string(),
                    qos,
                    sent_ms: now_ms,
                },
            );
            Some(id)
        } else {
            None
        };
        let summary = publish_summary(topic, qos, retain, packet_id, &properties, &payload);
        let packet = Packet::Publish(Publish {
            dup: false,
            qos,
            retain,
            topic: topic.to_string(),
            packet_id,
            properties,
            payload,
        });
        Ok(self.write(packet, NoteKind::Event, summary, now_ms))
    }

    /// Bytes from the broker: every packet they complete, named in one note.
    pub fn on_bytes(&mut self, bytes: &[u8], now_ms: f64) -> Reading {
        if self.broken {
            return Reading::note(Note::problem(
                "not read: an earlier malformed packet lost the packets' boundaries",
            ));
        }
        let mut notes: Vec<Note> = Vec::new();
        let mut outputs = Vec::new();
        for read in self.stream.push(bytes, self.version) {
            let note = match read {
                Ok(packet) => self.on_packet(packet, now_ms, &mut outputs),
                Err(e) => {
                    // MQTT closes the connection here (3.1.1 §4.8, 5.0 §4.13): what follows
                    // could be the rest of the bad packet, read as forged ones.
                    self.broken = true;
                    outputs.push(Output::Trouble(format!(
                        "The broker sent a malformed packet ({e}); MQTT ends the connection \
                         here, and the page reads nothing more on it. Disconnect and connect \
                         again."
                    )));
                    Note::problem(format!("Not an MQTT packet: {e}"))
                }
            };
            notes.push(note);
            if self.broken {
                break;
            }
        }
        let note = note::one_for_all(notes, "packet", self.stream.pending());
        Reading { note, outputs }
    }

    /// A frame the page or someone else wrote: the keep alive restarts. One not written by
    /// this client (`elsewhere`: typed by hand, a scenario's step) is learnt, so its answers
    /// pair, and named for its row.
    pub fn sent(&mut self, bytes: &[u8], now_ms: f64, elsewhere: bool) -> Option<Note> {
        self.last_sent_ms = now_ms;
        if !elsewhere {
            return None;
        }
        Some(match packet::decode(bytes, self.version) {
            Ok(Some((packet, used))) if used == bytes.len() => self.learn(packet, now_ms),
            Ok(Some(_)) => Note::new(NoteKind::Event, "several MQTT packets"),
            Ok(None) => Note::problem("part of an MQTT packet"),
            Err(e) => Note::problem(format!("not an MQTT packet: {e}")),
        })
    }

    /// What a packet written elsewhere means for this client.
    fn learn(&mut self, packet: Packet, now_ms: f64) -> Note {
        match packet {
            Packet::Subscribe(s) => {
                let mut keys = Vec::new();
                for (filter, options) in &s.filters {
                    let key = self.add_subscription(filter, options & 3);
                    keys.push(key);
                }
                self.waiting.insert(
                    s.packet_id,
                    Waiting::Subscribe {
                        keys,
                        sent_ms: now_ms,
                    },
                );
                let filters: Vec<String> = s
                    .filters
                    .iter()
                    .map(|(f, o)| format!("{} QoS {}", clip(f, TOPIC_CHARS), o & 3))
                    .collect();
                Note::new(
                    NoteKind::Call,
                    format!("SUBSCRIBE {} \u{b7} {}", s.packet_id, filters.join(", ")),
                )
            }
            Packet::Publish(p) => {
                if let (Some(id), 1 | 2) = (p.packet_id, p.qos) {
                    self.waiting.insert(
                        id,
                        Waiting::Publish {
                            topic: p.topic.clone(),
                            qos: p.qos,
                            sent_ms: now_ms,
                        },
                    );
                }
                let summary = publish_summary(
                    &p.topic,
                    p.qos,
                    p.retain,
                    p.packet_id,
                    &p.properties,
                    &p.payload,
                );
                Note::new(NoteKind::Event, summary)
            }
            Packet::PingReq => {
                self.ping_sent_ms = Some(now_ms);
                Note::new(NoteKind::Heartbeat, "PINGREQ")
            }
            Packet::Connect(_) => Note::new(NoteKind::Connect, "CONNECT"),
            Packet::Ack(a) => {
                Note::new(NoteKind::Ack, format!("{} {}", a.kind.name(), a.packet_id))
            }
            other => Note::new(NoteKind::Event, other.name()),
        }
    }

    /// When the keep alive next needs the page: a PINGREQ due, or an answer overdue.
    pub fn next_tick_ms(&self) -> Option<f64> {
        // Once a silence is told, nothing is due until the broker answers.
        if !self.connected || self.keep_alive_ms <= 0.0 || self.silence_told {
            return None;
        }
        Some(match self.ping_sent_ms {
            Some(sent) => sent + self.keep_alive_ms,
            // Three quarters in, so the PINGREQ arrives within the keep alive.
            None => self.last_sent_ms + self.keep_alive_ms * 0.75,
        })
    }

    pub fn on_tick(&mut self, now_ms: f64) -> Vec<Output> {
        let Some(due) = self.next_tick_ms() else {
            return Vec::new();
        };
        if now_ms < due {
            return Vec::new();
        }
        if self.ping_sent_ms.is_some() {
            self.silence_told = true;
            return vec![Output::Trouble(format!(
                "The broker did not answer PINGREQ within the keep alive ({} s): it or the \
                 network is not responding.",
                self.keep_alive_ms / 1000.0
            ))];
        }
        self.ping_sent_ms = Some(now_ms);
        let written = self.write(
            Packet::PingReq,
            NoteKind::Heartbeat,
            "PINGREQ".into(),
            now_ms,
        );
        vec![Output::Send(written.bytes, written.note)]
    }

    /// A filter (re)subscribed to, at the end of the list; its key.
    fn add_subscription(&mut self, filter: &str, qos: u8) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        self.subscriptions.retain(|s| s.filter != filter);
        self.subscriptions.push(Subscription {
            key,
            filter: filter.to_string(),
            qos,
            state: SubscriptionState::Waiting,
            messages: 0,
        });
        if self.subscriptions.len() > MAX_SUBSCRIPTIONS {
            let ended = self
                .subscriptions
                .iter()
                .position(|s| !matches!(s.state, SubscriptionState::Granted(_)));
            self.subscriptions.remove(ended.unwrap_or(0));
        }
        key
    }

    fn ready(&self) -> Result<(), String> {
        if self.connected {
            Ok(())
        } else {
            Err("the broker has not accepted CONNECT yet".into())
        }
    }

    fn write(&mut self, packet: Packet, kind: NoteKind, summary: String, now_ms: f64) -> Written {
        self.last_sent_ms = now_ms;
        Written {
            bytes: packet::encode(&packet, self.version),
            note: Note::new(kind, summary),
        }
    }

    /// The next packet id no waiting packet holds.
    fn fresh_id(&mut self) -> Result<u16, String> {
        for _ in 0..=u16::MAX {
            let id = self.next_id;
            self.next_id = self.next_id.checked_add(1).unwrap_or(1);
            if self.waiting.get(&id).is_none() {
                return Ok(id);
            }
        }
        Err("every packet identifier is awaiting an answer".into())
    }

    fn answer(&mut self, kind: AckKind, packet_id: u16, reason: u8, now_ms: f64) -> Output {
        let ack = Packet::Ack(Ack {
            kind,
            packet_id,
            reason,
            properties: Vec::new(),
        });
        let written = self.write(
            ack,
            NoteKind::Ack,
            format!("{} {packet_id}", kind.name()),
            now_ms,
        );
        Output::Send(written.bytes, written.note)
    }

    fn on_packet(&mut self, packet: Packet, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        match packet {
            Packet::ConnAck {
                session_present,
                code,
                properties,
            } => self.on_connack(session_present, code, &properties, now_ms, outputs),
            Packet::Publish(p) => self.on_publish(p, now_ms, outputs),
            Packet::Ack(ack) => self.on_ack(ack, now_ms, outputs),
            Packet::SubAck(ack) => self.on_suback(ack, now_ms, outputs),
            Packet::UnsubAck(ack) => self.on_unsuback(ack, now_ms, outputs),
            Packet::PingResp => {
                self.ping_sent_ms = None;
                self.silence_told = false;
                Note::new(NoteKind::Heartbeat, "PINGRESP")
            }
            Packet::Disconnect { reason, properties } => {
                self.connected = false;
                let name = match reason {
                    0 => "Normal disconnection",
                    other => reason::reason_name(other),
                };
                let why = with_reason_string(name, &properties);
                outputs.push(Output::Trouble(format!(
                    "The broker disconnected: {why} ({reason:#04x})."
                )));
                Note::new(NoteKind::Disconnect, format!("DISCONNECT \u{b7} {why}"))
            }
            Packet::Auth { reason, .. } => Note::problem(format!(
                "AUTH ({}): enhanced authentication is not supported by the page",
                reason::reason_name(reason)
            )),
            other => Note::problem(format!(
                "{}: a packet only a client sends, received from the broker",
                other.name()
            )),
        }
    }

    fn on_connack(
        &mut self,
        session_present: bool,
        code: u8,
        properties: &[Property],
        now_ms: f64,
        outputs: &mut Vec<Output>,
    ) -> Note {
        let rtt = self.connect_sent_ms.map(|sent| elapsed(sent, now_ms));
        if code != 0 {
            let (name, advice) = reason::connack(self.version, code);
            let name_shown = with_reason_string(name, properties);
            outputs.push(Output::Refused { code, name, advice });
            return Note::new(
                NoteKind::ConnectError,
                format!("CONNACK refused \u{b7} {name_shown} ({code})"),
            );
        }
        self.connected = true;
        let mut facts = vec![(
            "CONNACK".to_string(),
            match rtt {
                Some(rtt) => format!("accepted in {}", format_ms(rtt)),
                None => "accepted".to_string(),
            },
        )];
        facts.push((
            "Session present".to_string(),
            if session_present { "yes" } else { "no" }.to_string(),
        ));
        for property in properties {
            if let Property::Short(0x13, seconds) = property {
                // The broker's keep alive replaces ours (MQTT 5, §3.2.2.3.14).
                self.keep_alive_ms = f64::from(*seconds) * 1000.0;
            }
            let (name, value) = property.shown();
            facts.push((name, clip(&value, TOPIC_CHARS)));
        }
        outputs.push(Output::Connected { facts });
        let mut note = Note::new(
            NoteKind::Connect,
            if session_present {
                "CONNACK accepted \u{b7} session present"
            } else {
                "CONNACK accepted"
            },
        );
        if let Some(rtt) = rtt {
            note = note.with_rtt(rtt);
        }
        note
    }

    fn on_publish(&mut self, p: Publish, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let mut summary = publish_summary(
            &p.topic,
            p.qos,
            p.retain,
            p.packet_id,
            &p.properties,
            &p.payload,
        );
        // The page allows no topic aliases (it sends no Topic Alias Maximum).
        let aliased = p.properties.iter().any(|q| q.id() == packet::TOPIC_ALIAS);
        if p.topic.is_empty() || aliased {
            summary
                .push_str(" \u{b7} a topic alias, which the page never allowed (Protocol Error)");
            return Note::problem(summary);
        }
        if let (2, Some(id)) = (p.qos, p.packet_id)
            && self.releasing.get(&id).is_some()
        {
            // Delivered already; only its PUBREC may have been lost (§4.3.3).
            outputs.push(self.answer(AckKind::PubRec, id, 0, now_ms));
            return Note::new(
                NoteKind::Ack,
                format!(
                    "PUBLISH #{id} again, a duplicate not delivered twice \u{b7} PUBREC sent again"
                ),
            );
        }
        for s in &mut self.subscriptions {
            if matches!(s.state, SubscriptionState::Granted(_))
                && topic_matches(&s.filter, &p.topic)
            {
                s.messages += 1;
            }
        }
        if p.dup {
            summary.push_str(" \u{b7} duplicate");
        }
        match (p.qos, p.packet_id) {
            (1, Some(id)) => outputs.push(self.answer(AckKind::PubAck, id, 0, now_ms)),
            (2, Some(id)) => {
                self.releasing.insert(id, ());
                outputs.push(self.answer(AckKind::PubRec, id, 0, now_ms));
            }
            _ => {}
        }
        Note::new(NoteKind::Event, summary).with_event(p.topic)
    }

    fn on_ack(&mut self, ack: Ack, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let id = ack.packet_id;
        let failed = ack.reason >= 0x80;
        let reason_shown = if ack.reason == 0 {
            String::new()
        } else {
            let name = reason::reason_name(ack.reason);
            format!(" \u{b7} {}", with_reason_string(name, &ack.properties))
        };
        let name = ack.kind.name();
        let note = |kind: NoteKind, summary: String| Note::new(kind, summary);
        match ack.kind {
            AckKind::PubRel => {
                let known = self.releasing.remove(&id).is_some();
                let answer_reason = if known || self.version == MqttVersion::V311 {
                    0
                } else {
                    0x92
                };
                outputs.push(self.answer(AckKind::PubComp, id, answer_reason, now_ms));
                note(NoteKind::Ack, format!("PUBREL {id}{reason_shown}"))
            }
            AckKind::PubAck | AckKind::PubRec | AckKind::PubComp => {
                let waiting = self.waiting.remove(&id);
                match (ack.kind, waiting) {
                    (
                        AckKind::PubAck,
                        Some(Waiting::Publish {
                            topic,
                            qos: 1,
                            sent_ms,
                        }),
                    )
                    | (AckKind::PubComp, Some(Waiting::Released { topic, sent_ms })) => {
                        let rtt = elapsed(sent_ms, now_ms);
                        outputs.push(Output::RoundTrip(rtt));
                        let kind = if failed {
                            NoteKind::Error
                        } else {
                            NoteKind::Ack
                        };
                        note(
                            kind,
                            format!(
                                "{name} {id} \u{b7} {}{reason_shown}",
                                clip(&topic, TOPIC_CHARS)
                            ),
                        )
                        .with_rtt(rtt)
                    }
                    (
                        AckKind::PubRec,
                        Some(Waiting::Publish {
                            topic,
                            qos: 2,
                            sent_ms,
                        }),
                    ) => {
                        if failed {
                            let rtt = elapsed(sent_ms, now_ms);
                            outputs.push(Output::RoundTrip(rtt));
                            return note(
                                NoteKind::Error,
                                format!(
                                    "PUBREC {id} \u{b7} {}{reason_shown}",
                                    clip(&topic, TOPIC_CHARS)
                                ),
                            );
                        }
                        let summary = format!("PUBREC {id} \u{b7} {}", clip(&topic, TOPIC_CHARS));
                        self.waiting
                            .insert(id, Waiting::Released { topic, sent_ms });
                        outputs.push(self.answer(AckKind::PubRel, id, 0, now_ms));
                        note(NoteKind::Ack, summary)
                    }
                    (_, other) => {
                        // Put back what this packet did not answer.
                        if let Some(other) = other {
                            self.waiting.insert(id, other);
                        }
                        Note::problem(format!(
                            "{name} {id}, for no packet awaiting it{reason_shown}"
                        ))
                    }
                }
            }
        }
    }

    fn on_suback(&mut self, ack: SubAck, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let id = ack.packet_id;
        let Some(Waiting::Subscribe { keys, sent_ms }) = self.take_waiting(id, true) else {
            return Note::problem(format!("SUBACK {id}, for no SUBSCRIBE awaiting it"));
        };
        let rtt = elapsed(sent_ms, now_ms);
        outputs.push(Output::RoundTrip(rtt));
        let mut said = Vec::new();
        let mut refused = false;
        for (key, code) in keys.iter().zip(ack.codes.iter().copied()) {
            let state = match reason::suback(self.version, code) {
                Ok(qos) => SubscriptionState::Granted(qos),
                Err(why) => {
                    refused = true;
                    SubscriptionState::Refused(with_reason_string(why, &ack.properties))
                }
            };
            if let Some(s) = self.subscriptions.iter_mut().find(|s| s.key == *key) {
                said.push(format!(
                    "{} {}",
                    clip(&s.filter, TOPIC_CHARS),
                    state.shown()
                ));
                s.state = state;
            }
        }
        if ack.codes.len() != keys.len() {
            return Note::problem(format!(
                "SUBACK {id} with {} for {}",
                plural(ack.codes.len(), "code"),
                plural(keys.len(), "filter")
            ));
        }
        let kind = if refused {
            NoteKind::Error
        } else {
            NoteKind::Ack
        };
        Note::new(kind, format!("SUBACK {id} \u{b7} {}", said.join(", "))).with_rtt(rtt)
    }

    fn on_unsuback(&mut self, ack: SubAck, now_ms: f64, outputs: &mut Vec<Output>) -> Note {
        let id = ack.packet_id;
        let Some(Waiting::Unsubscribe { keys, sent_ms }) = self.take_waiting(id, false) else {
            return Note::problem(format!("UNSUBACK {id}, for no UNSUBSCRIBE awaiting it"));
        };
        let rtt = elapsed(sent_ms, now_ms);
        outputs.push(Output::RoundTrip(rtt));
        // MQTT 5 says per filter whether it was removed; 3.1.1 gives no codes (it was).
        let code = ack.codes.first().copied().unwrap_or(0);
        if code < 0x80 {
            for s in &mut self.subscriptions {
                if keys.contains(&s.key) {
                    s.state = SubscriptionState::Unsubscribed;
                }
            }
        }
        let why = match code {
            0 => String::new(),
            c => format!(
                " \u{b7} {}",
                with_reason_string(reason::reason_name(c), &ack.properties)
            ),
        };
        let kind = if code >= 0x80 {
            NoteKind::Error
        } else {
            NoteKind::Ack
        };
        Note::new(kind, format!("UNSUBACK {id}{why}")).with_rtt(rtt)
    }

    /// The SUBSCRIBE (or UNSUBSCRIBE) awaiting `id`; anything else waiting is left in place.
    fn take_waiting(&mut self, id: u16, subscribe: bool) -> Option<Waiting> {
        let fits = matches!(
            (self.waiting.get(&id), subscribe),
            (Some(Waiting::Subscribe { .. }), true) | (Some(Waiting::Unsubscribe { .. }), false)
        );
        if fits { self.waiting.remove(&id) } else { None }
    }
}

fn publish_summary(
    topic: &str,
    qos: u8,
    retain: bool,
    packet_id: Option<u16>,
    properties: &[Property],
    payload: &[u8],
) -> String {
    let mut summary = format!("PUBLISH {} \u{b7} QoS {qos}", clip(topic, TOPIC_CHARS));
    if let Some(id) = packet_id {
        summary.push_str(&format!(" #{id}"));
    }
    if retain {
        summary.push_str(" \u{b7} retained");
    }
    for p in properties {
        if let Property::User(name, value) = p {
            summary.push_str(&format!(" \u{b7} {}={}", clip(name, 40), clip(value, 40)));
        }
    }
    summary.push_str(" \u{b7} ");
    summary.push_str(&bytes_brief(payload));
    summary
}

/// A reason's name, with the broker's Reason String when it gave one.
fn with_reason_string(name: &str, properties: &[Property]) -> String {
    match properties.iter().find_map(|p| match p {
        Property::Text(packet::REASON_STRING, text) => Some(text),
        _ => None,
    }) {
        Some(text) => format!("{name}: {}", clip(text, TOPIC_CHARS)),
        None => name.to_string(),
    }
}

/// `name=value` pairs, comma- or line-separated.
pub fn parse_user_properties(text: &str) -> Result<Vec<Property>, String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value))
                if name.trim().len() > usize::from(u16::MAX)
                    || value.trim().len() > usize::from(u16::MAX) =>
            {
                Err("a user property is longer than MQTT allows (65,535 bytes)".into())
            }
            Some((name, value)) if !name.trim().is_empty() => {
                Ok(Property::User(name.trim().into(), value.trim().into()))
            }
            _ => Err(format!(
                "the user property \u{201c}{}\u{201d} is not name=value",
                clip(pair, 40)
            )),
        })
        .collect()
}

/// A topic to publish to: not empty, no wildcards (§4.7).
pub fn check_topic(topic: &str) -> Result<(), String> {
    if topic.is_empty() {
        return Err("is empty: type a topic in Topic".into());
    }
    if topic.contains(['+', '#']) {
        return Err(format!(
            "\u{201c}{}\u{201d} has a wildcard (+ or #), which only a subscription may use",
            clip(topic, TOPIC_CHARS)
        ));
    }
    check_length(topic)
}

/// A topic filter: `#` only as the last level, `+` only as a whole level (§4.7.1).
pub fn check_filter(filter: &str) -> Result<(), String> {
    if filter.is_empty() {
        return Err("the topic filter is empty: type one in Topic".into());
    }
    let levels: Vec<&str> = filter.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        let last = i + 1 == levels.len();
        if level.contains('#') && (*level != "#" || !last) {
            return Err("# must be a whole level, and the last one (sport/#)".into());
        }
        if level.contains('+') && *level != "+" {
            return Err("+ must be a whole level (sport/+/player)".into());
        }
    }
    check_length(filter)
}

fn check_length(topic: &str) -> Result<(), String> {
    if topic.len() > usize::from(u16::MAX) {
        Err("the topic is longer than MQTT allows (65,535 bytes)".into())
    } else {
        Ok(())
    }
}

/// Whether `topic` matches `filter` (§4.7): `+` one level, `#` the rest; a filter starting with
/// a wildcard does not match `$` topics.
pub fn topic_matches(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut filter_levels = filter.split('/');
    let mut topic_levels = topic.split('/');
    loop {
        match (filter_levels.next(), topic_levels.next()) {
            (Some("#"), _) => return true,
            (Some("+"), Some(_)) => {}
            (Some(f), Some(t)) if f == t => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests;
