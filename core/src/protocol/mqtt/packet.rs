//! MQTT control packets, 3.1.1 (OASIS, 2014) and 5.0 (OASIS, 2019): written and read byte for
//! byte, with variable-length integers, properties and packet ids. Reading never trusts a
//! length: whatever the bytes, the answer is a packet, "not complete yet", or a clear error.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The largest packet the page reads; a length past it is refused rather than buffered.
pub const MAX_PACKET: usize = 16 * 1024 * 1024;
/// The largest Remaining Length the encoding can express (four bytes of seven bits).
const MAX_REMAINING: usize = 268_435_455;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MqttVersion {
    #[default]
    #[serde(rename = "3.1.1")]
    V311,
    #[serde(rename = "5")]
    V5,
}

impl MqttVersion {
    pub const ALL: [MqttVersion; 2] = [Self::V311, Self::V5];

    pub fn label(self) -> &'static str {
        match self {
            Self::V311 => "3.1.1",
            Self::V5 => "5",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.label() == label)
    }

    /// The Protocol Level byte of CONNECT.
    fn level(self) -> u8 {
        match self {
            Self::V311 => 4,
            Self::V5 => 5,
        }
    }
}

/// An MQTT 5 property, by the type its identifier gives it (§2.2.2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    Byte(u8, u8),
    Short(u8, u16),
    Int(u8, u32),
    VarInt(u8, u32),
    Text(u8, String),
    Binary(u8, Vec<u8>),
    /// User Property (0x26): a name and a value.
    User(String, String),
}

pub const USER_PROPERTY: u8 = 0x26;
pub const REASON_STRING: u8 = 0x1F;
pub const TOPIC_ALIAS: u8 = 0x23;

/// Reads the value of the property whose identifier was just read.
type ReadProperty = fn(&mut Reader<'_>, u8) -> Result<Property, DecodeError>;

/// The kind of value a property identifier carries; None for an identifier MQTT 5 does not define.
fn property_kind(id: u8) -> Option<ReadProperty> {
    Some(match id {
        0x01 | 0x17 | 0x19 | 0x24 | 0x25 | 0x28 | 0x29 | 0x2A => {
            |r, id| Ok(Property::Byte(id, r.u8()?))
        }
        0x13 | 0x21 | 0x22 | 0x23 => |r, id| Ok(Property::Short(id, r.u16()?)),
        0x02 | 0x11 | 0x18 | 0x27 => |r, id| Ok(Property::Int(id, r.u32()?)),
        0x0B => |r, id| Ok(Property::VarInt(id, r.varint()?)),
        0x03 | 0x08 | 0x12 | 0x15 | 0x1A | 0x1C | 0x1F => |r, id| Ok(Property::Text(id, r.text()?)),
        0x09 | 0x16 => |r, id| Ok(Property::Binary(id, r.binary()?)),
        USER_PROPERTY => |r, _| Ok(Property::User(r.text()?, r.text()?)),
        _ => return None,
    })
}

/// A property's name in the specification's words, for the log and the Handshake panel.
pub fn property_name(id: u8) -> &'static str {
    match id {
        0x01 => "Payload Format Indicator",
        0x02 => "Message Expiry Interval",
        0x03 => "Content Type",
        0x08 => "Response Topic",
        0x09 => "Correlation Data",
        0x0B => "Subscription Identifier",
        0x11 => "Session Expiry Interval",
        0x12 => "Assigned Client Identifier",
        0x13 => "Server Keep Alive",
        0x15 => "Authentication Method",
        0x16 => "Authentication Data",
        0x17 => "Request Problem Information",
        0x18 => "Will Delay Interval",
        0x19 => "Request Response Information",
        0x1A => "Response Information",
        0x1C => "Server Reference",
        0x1F => "Reason String",
        0x21 => "Receive Maximum",
        0x22 => "Topic Alias Maximum",
        0x23 => "Topic Alias",
        0x24 => "Maximum QoS",
        0x25 => "Retain Available",
        0x26 => "User Property",
        0x27 => "Maximum Packet Size",
        0x28 => "Wildcard Subscription Available",
        0x29 => "Subscription Identifier Available",
        0x2A => "Shared Subscription Available",
        _ => "Unknown property",
    }
}

impl Property {
    pub fn id(&self) -> u8 {
        match self {
            Self::Byte(id, _)
            | Self::Short(id, _)
            | Self::Int(id, _)
            | Self::VarInt(id, _)
            | Self::Text(id, _)
            | Self::Binary(id, _) => *id,
            Self::User(..) => USER_PROPERTY,
        }
    }

    /// `Name: value`, as a person reads it.
    pub fn shown(&self) -> (String, String) {
        let value = match self {
            Self::Byte(_, v) => v.to_string(),
            Self::Short(_, v) => v.to_string(),
            Self::Int(_, v) | Self::VarInt(_, v) => v.to_string(),
            Self::Text(_, v) => v.clone(),
            Self::Binary(_, v) => bytes_brief(v),
            Self::User(name, value) => return (format!("User Property {name}"), value.clone()),
        };
        (property_name(self.id()).to_string(), value)
    }
}

/// A payload as a log line shows it: JSON compacted, other UTF-8 text as it is, anything else
/// as hex; cut short either way.
pub fn bytes_brief(bytes: &[u8]) -> String {
    const HEX_BYTES: usize = 48;
    const TEXT_CHARS: usize = 200;
    match std::str::from_utf8(bytes) {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) if !text.trim().is_empty() => crate::protocol::note::json_brief(&json),
            _ => crate::protocol::note::clip(text, TEXT_CHARS),
        },
        Err(_) => {
            let (hex, cut) = crate::payload::hex_preview(bytes, HEX_BYTES);
            if cut { format!("{hex}\u{2026}") } else { hex }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: u8,
    pub retain: bool,
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    pub version: MqttVersion,
    pub client_id: String,
    pub clean_start: bool,
    pub keep_alive: u16,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
    pub will: Option<Will>,
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub dup: bool,
    pub qos: u8,
    pub retain: bool,
    pub topic: String,
    /// Present exactly when QoS is 1 or 2.
    pub packet_id: Option<u16>,
    pub properties: Vec<Property>,
    pub payload: Vec<u8>,
}

/// PUBACK, PUBREC, PUBREL and PUBCOMP: the steps of QoS 1 and 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckKind {
    PubAck,
    PubRec,
    PubRel,
    PubComp,
}

impl AckKind {
    fn type_nibble(self) -> u8 {
        match self {
            Self::PubAck => 4,
            Self::PubRec => 5,
            Self::PubRel => 6,
            Self::PubComp => 7,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::PubAck => "PUBACK",
            Self::PubRec => "PUBREC",
            Self::PubRel => "PUBREL",
            Self::PubComp => "PUBCOMP",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub kind: AckKind,
    pub packet_id: u16,
    /// MQTT 5 only; 0 (Success) in 3.1.1.
    pub reason: u8,
    pub properties: Vec<Property>,
}

/// SUBACK and UNSUBACK: a reason code for each filter (UNSUBACK has none in 3.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAck {
    pub packet_id: u16,
    pub properties: Vec<Property>,
    pub codes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    pub packet_id: u16,
    pub properties: Vec<Property>,
    /// Each topic filter with its options byte (QoS in the low two bits).
    pub filters: Vec<(String, u8)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub packet_id: u16,
    pub properties: Vec<Property>,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    Connect(Box<Connect>),
    ConnAck {
        session_present: bool,
        /// The return code (3.1.1) or reason code (5).
        code: u8,
        properties: Vec<Property>,
    },
    Publish(Publish),
    Ack(Ack),
    Subscribe(Subscribe),
    SubAck(SubAck),
    Unsubscribe(Unsubscribe),
    UnsubAck(SubAck),
    PingReq,
    PingResp,
    /// MQTT 5 gives DISCONNECT a reason and properties; 3.1.1 none.
    Disconnect {
        reason: u8,
        properties: Vec<Property>,
    },
    /// MQTT 5's AUTH (enhanced authentication).
    Auth {
        reason: u8,
        properties: Vec<Property>,
    },
}

impl Packet {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Connect(_) => "CONNECT",
            Self::ConnAck { .. } => "CONNACK",
            Self::Publish(_) => "PUBLISH",
            Self::Ack(ack) => ack.kind.name(),
            Self::Subscribe(_) => "SUBSCRIBE",
            Self::SubAck(_) => "SUBACK",
            Self::Unsubscribe(_) => "UNSUBSCRIBE",
            Self::UnsubAck(_) => "UNSUBACK",
            Self::PingReq => "PINGREQ",
            Self::PingResp => "PINGRESP",
            Self::Disconnect { .. } => "DISCONNECT",
            Self::Auth { .. } => "AUTH",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The packet ended before a field it announced.
    Truncated(&'static str),
    /// A Remaining Length that takes more than four bytes.
    LengthTooLong,
    /// A packet larger than the page reads.
    TooLarge(usize),
    /// Packet type 0 or 15 (reserved; 15 is AUTH in MQTT 5 only).
    ReservedType(u8),
    /// Fixed-header flags the specification forbids for this type.
    BadFlags(&'static str, u8),
    /// A string that is not UTF-8.
    NotUtf8(&'static str),
    /// Anything else the specification forbids, in its words.
    Malformed(String),
    /// Bytes left over after the packet's fields.
    Trailing(&'static str, usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated(what) => write!(f, "malformed packet: it ends inside its {what}"),
            Self::LengthTooLong => {
                f.write_str("malformed packet: its Remaining Length takes more than four bytes")
            }
            Self::TooLarge(n) => write!(
                f,
                "a packet of {n} bytes, more than the page reads ({} MiB)",
                MAX_PACKET / (1024 * 1024)
            ),
            Self::ReservedType(t) => write!(f, "packet type {t} is reserved"),
            Self::BadFlags(name, flags) => {
                write!(
                    f,
                    "{name} with fixed-header flags {flags:#06b}, which MQTT forbids"
                )
            }
            Self::NotUtf8(what) => write!(f, "malformed packet: its {what} is not UTF-8"),
            Self::Malformed(why) => write!(f, "malformed packet: {why}"),
            Self::Trailing(name, n) => write!(f, "{name} with {n} bytes past its last field"),
        }
    }
}

/// The bytes of `packet` as `version` writes it. CONNECT writes its own version.
pub fn encode(packet: &Packet, version: MqttVersion) -> Vec<u8> {
    let v5 = version == MqttVersion::V5;
    let mut body = Writer::default();
    let first = match packet {
        Packet::Connect(c) => {
            body.text("MQTT");
            body.u8(c.version.level());
            let mut flags = 0u8;
            if c.username.is_some() {
                flags |= 0x80;
            }
            if c.password.is_some() {
                flags |= 0x40;
            }
            if let Some(will) = &c.will {
                flags |= 0x04 | ((will.qos & 3) << 3);
                if will.retain {
                    flags |= 0x20;
                }
            }
            if c.clean_start {
                flags |= 0x02;
            }
            body.u8(flags);
            body.u16(c.keep_alive);
            let v5 = c.version == MqttVersion::V5;
            if v5 {
                body.properties(&c.properties);
            }
            body.text(&c.client_id);
            if let Some(will) = &c.will {
                if v5 {
                    body.properties(&will.properties);
                }
                body.text(&will.topic);
                body.binary(&will.payload);
            }
            if let Some(user) = &c.username {
                body.text(user);
            }
            if let Some(password) = &c.password {
                body.binary(password);
            }
            0x10
        }
        Packet::ConnAck {
            session_present,
            code,
            properties,
        } => {
            body.u8(u8::from(*session_present));
            body.u8(*code);
            if v5 {
                body.properties(properties);
            }
            0x20
        }
        Packet::Publish(p) => {
            body.text(&p.topic);
            if let Some(id) = p.packet_id {
                body.u16(id);
            }
            if v5 {
                body.properties(&p.properties);
            }
            body.raw(&p.payload);
            0x30 | (u8::from(p.dup) << 3) | ((p.qos & 3) << 1) | u8::from(p.retain)
        }
        Packet::Ack(a) => {
            body.u16(a.packet_id);
            if v5 && (a.reason != 0 || !a.properties.is_empty()) {
                body.u8(a.reason);
                if !a.properties.is_empty() {
                    body.properties(&a.properties);
                }
            }
            (a.kind.type_nibble() << 4) | if a.kind == AckKind::PubRel { 2 } else { 0 }
        }
        Packet::Subscribe(s) => {
            body.u16(s.packet_id);
            if v5 {
                body.properties(&s.properties);
            }
            for (filter, options) in &s.filters {
                body.text(filter);
                body.u8(*options);
            }
            0x82
        }
        Packet::SubAck(a) | Packet::UnsubAck(a) => {
            body.u16(a.packet_id);
            if v5 {
                body.properties(&a.properties);
            }
            body.raw(&a.codes);
            if matches!(packet, Packet::SubAck(_)) {
                0x90
            } else {
                0xB0
            }
        }
        Packet::Unsubscribe(u) => {
            body.u16(u.packet_id);
            if v5 {
                body.properties(&u.properties);
            }
            for filter in &u.filters {
                body.text(filter);
            }
            0xA2
        }
        Packet::PingReq => 0xC0,
        Packet::PingResp => 0xD0,
        Packet::Disconnect { reason, properties } => {
            if v5 && (*reason != 0 || !properties.is_empty()) {
                body.u8(*reason);
                body.properties(properties);
            }
            0xE0
        }
        Packet::Auth { reason, properties } => {
            if *reason != 0 || !properties.is_empty() {
                body.u8(*reason);
                body.properties(properties);
            }
            0xF0
        }
    };
    let mut out = Vec::with_capacity(body.bytes.len() + 5);
    out.push(first);
    write_varint(&mut out, body.bytes.len() as u32);
    out.extend_from_slice(&body.bytes);
    out
}

/// Reads one packet from the start of `bytes`: Ok(None) while it is not all there, else the
/// packet and how many bytes it took.
pub fn decode(bytes: &[u8], version: MqttVersion) -> Result<Option<(Packet, usize)>, DecodeError> {
    let Some(&first) = bytes.first() else {
        return Ok(None);
    };
    let mut length = 0usize;
    let mut header = 1usize;
    loop {
        let Some(&byte) = bytes.get(header) else {
            return Ok(None);
        };
        length |= usize::from(byte & 0x7F) << (7 * (header - 1));
        header += 1;
        if byte & 0x80 == 0 {
            break;
        }
        if header > 4 {
            return Err(DecodeError::LengthTooLong);
        }
    }
    if length > MAX_PACKET.min(MAX_REMAINING) {
        return Err(DecodeError::TooLarge(length));
    }
    let Some(body) = bytes.get(header..header + length) else {
        return Ok(None);
    };
    let packet = read_packet(first, body, version)?;
    Ok(Some((packet, header + length)))
}

fn read_packet(first: u8, body: &[u8], version: MqttVersion) -> Result<Packet, DecodeError> {
    let kind = first >> 4;
    let flags = first & 0x0F;
    let v5 = version == MqttVersion::V5;
    let mut r = Reader { bytes: body, at: 0 };
    let expect_flags = |name: &'static str, wanted: u8| {
        if flags == wanted {
            Ok(())
        } else {
            Err(DecodeError::BadFlags(name, flags))
        }
    };
    let packet = match kind {
        1 => {
            expect_flags("CONNECT", 0)?;
            return read_connect(&mut r);
        }
        2 => {
            expect_flags("CONNACK", 0)?;
            let ack_flags = r.u8()?;
            if ack_flags & 0xFE != 0 {
                return Err(DecodeError::Malformed(
                    "CONNACK's reserved flag bits are set".into(),
                ));
            }
            let code = r.u8()?;
            // A 3.1.1 broker answers a version 5 CONNECT in 3.1.1, without properties.
            let properties = if v5 && !r.done() {
                r.properties()?
            } else {
                Vec::new()
            };
            Packet::ConnAck {
                session_present: ack_flags & 1 == 1,
                code,
                properties,
            }
        }
        3 => {
            let qos = (flags >> 1) & 3;
            if qos == 3 {
                return Err(DecodeError::BadFlags("PUBLISH", flags));
            }
            let topic = r.text()?;
            let packet_id = if qos > 0 { Some(r.packet_id()?) } else { None };
            let properties = if v5 { r.properties()? } else { Vec::new() };
            let payload = r.rest().to_vec();
            return Ok(Packet::Publish(Publish {
                dup: flags & 8 != 0,
                qos,
                retain: flags & 1 != 0,
                topic,
                packet_id,
                properties,
                payload,
            }));
        }
        4..=7 => {
            let kind = match kind {
                4 => AckKind::PubAck,
                5 => AckKind::PubRec,
                6 => AckKind::PubRel,
                _ => AckKind::PubComp,
            };
            expect_flags(kind.name(), if kind == AckKind::PubRel { 2 } else { 0 })?;
            let packet_id = r.packet_id()?;
            let (reason, properties) = if v5 && !r.done() {
                let reason = r.u8()?;
                let properties = if r.done() {
                    Vec::new()
                } else {
                    r.properties()?
                };
                (reason, properties)
            } else {
                (0, Vec::new())
            };
            Packet::Ack(Ack {
                kind,
                packet_id,
                reason,
                properties,
            })
        }
        8 => {
            expect_flags("SUBSCRIBE", 2)?;
            let packet_id = r.packet_id()?;
            let properties = if v5 { r.properties()? } else { Vec::new() };
            let mut filters = Vec::new();
            while !r.done() {
                filters.push((r.text()?, r.u8()?));
            }
            if filters.is_empty() {
                return Err(DecodeError::Malformed(
                    "SUBSCRIBE with no topic filter".into(),
                ));
            }
            Packet::Subscribe(Subscribe {
                packet_id,
                properties,
                filters,
            })
        }
        9 | 11 => {
            let name = if kind == 9 { "SUBACK" } else { "UNSUBACK" };
            expect_flags(name, 0)?;
            let packet_id = r.packet_id()?;
            let properties = if v5 { r.properties()? } else { Vec::new() };
            let ack = SubAck {
                packet_id,
                properties,
                codes: r.rest().to_vec(),
            };
            return Ok(if kind == 9 {
                Packet::SubAck(ack)
            } else {
                Packet::UnsubAck(ack)
            });
        }
        10 => {
            expect_flags("UNSUBSCRIBE", 2)?;
            let packet_id = r.packet_id()?;
            let properties = if v5 { r.properties()? } else { Vec::new() };
            let mut filters = Vec::new();
            while !r.done() {
                filters.push(r.text()?);
            }
            if filters.is_empty() {
                return Err(DecodeError::Malformed(
                    "UNSUBSCRIBE with no topic filter".into(),
                ));
            }
            Packet::Unsubscribe(Unsubscribe {
                packet_id,
                properties,
                filters,
            })
        }
        12 => {
            expect_flags("PINGREQ", 0)?;
            Packet::PingReq
        }
        13 => {
            expect_flags("PINGRESP", 0)?;
            Packet::PingResp
        }
        14 => {
            expect_flags("DISCONNECT", 0)?;
            let (reason, properties) = r.reason_and_properties(v5)?;
            Packet::Disconnect { reason, properties }
        }
        15 if v5 => {
            expect_flags("AUTH", 0)?;
            let (reason, properties) = r.reason_and_properties(true)?;
            Packet::Auth { reason, properties }
        }
        other => return Err(DecodeError::ReservedType(other)),
    };
    if r.done() {
        Ok(packet)
    } else {
        Err(DecodeError::Trailing(packet.name(), r.left()))
    }
}

fn read_connect(r: &mut Reader<'_>) -> Result<Packet, DecodeError> {
    let name = r.text()?;
    let level = r.u8()?;
    let version = match (name.as_str(), level) {
        ("MQTT", 4) => MqttVersion::V311,
        ("MQTT", 5) => MqttVersion::V5,
        _ => {
            return Err(DecodeError::Malformed(format!(
                "CONNECT for protocol {name} level {level}, not MQTT 3.1.1 or 5"
            )));
        }
    };
    let v5 = version == MqttVersion::V5;
    let flags = r.u8()?;
    if flags & 1 != 0 {
        return Err(DecodeError::Malformed(
            "CONNECT's reserved flag is set".into(),
        ));
    }
    let keep_alive = r.u16()?;
    let properties = if v5 { r.properties()? } else { Vec::new() };
    let client_id = r.text()?;
    let will = if flags & 0x04 != 0 {
        let properties = if v5 { r.properties()? } else { Vec::new() };
        let qos = (flags >> 3) & 3;
        if qos == 3 {
            return Err(DecodeError::Malformed("a will of QoS 3".into()));
        }
        Some(Will {
            properties,
            topic: r.text()?,
            payload: r.binary()?,
            qos,
            retain: flags & 0x20 != 0,
        })
    } else {
        None
    };
    let username = if flags & 0x80 != 0 {
        Some(r.text()?)
    } else {
        None
    };
    let password = if flags & 0x40 != 0 {
        Some(r.binary()?)
    } else {
        None
    };
    if !r.done() {
        return Err(DecodeError::Trailing("CONNECT", r.left()));
    }
    Ok(Packet::Connect(Box::new(Connect {
        version,
        client_id,
        clean_start: flags & 0x02 != 0,
        keep_alive,
        username,
        password,
        will,
        properties,
    })))
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let mut byte = (value & 0x7F) as u8;
        value >>= 7;
        if value > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if value == 0 {
            return;
        }
    }
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    fn raw(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
    }

    /// A length-prefixed field; longer than 65,535 bytes is cut there (callers check first).
    fn binary(&mut self, v: &[u8]) {
        let v = v.get(..usize::from(u16::MAX)).unwrap_or(v);
        self.u16(v.len() as u16);
        self.raw(v);
    }

    fn text(&mut self, v: &str) {
        self.binary(v.as_bytes());
    }

    fn properties(&mut self, properties: &[Property]) {
        let mut inner = Writer::default();
        for p in properties {
            match p {
                Property::Byte(id, v) => {
                    inner.u8(*id);
                    inner.u8(*v);
                }
                Property::Short(id, v) => {
                    inner.u8(*id);
                    inner.u16(*v);
                }
                Property::Int(id, v) => {
                    inner.u8(*id);
                    inner.raw(&v.to_be_bytes());
                }
                Property::VarInt(id, v) => {
                    inner.u8(*id);
                    write_varint(&mut inner.bytes, *v);
                }
                Property::Text(id, v) => {
                    inner.u8(*id);
                    inner.text(v);
                }
                Property::Binary(id, v) => {
                    inner.u8(*id);
                    inner.binary(v);
                }
                Property::User(name, value) => {
                    inner.u8(USER_PROPERTY);
                    inner.text(name);
                    inner.text(value);
                }
            }
        }
        write_varint(&mut self.bytes, inner.bytes.len() as u32);
        self.raw(&inner.bytes);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).ok_or(DecodeError::Truncated(what))?;
        let taken = self
            .bytes
            .get(self.at..end)
            .ok_or(DecodeError::Truncated(what))?;
        self.at = end;
        Ok(taken)
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.at..).unwrap_or(&[]);
        self.at = self.bytes.len();
        rest
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1, "fields")?.first().copied().unwrap_or(0))
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2, "fields")?;
        Ok(u16::from_be_bytes([
            b.first().copied().unwrap_or(0),
            b.get(1).copied().unwrap_or(0),
        ]))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4, "properties")?;
        let mut four = [0u8; 4];
        four.copy_from_slice(b);
        Ok(u32::from_be_bytes(four))
    }

    fn packet_id(&mut self) -> Result<u16, DecodeError> {
        match self.u16()? {
            0 => Err(DecodeError::Malformed("packet identifier 0".into())),
            id => Ok(id),
        }
    }

    fn varint(&mut self) -> Result<u32, DecodeError> {
        let mut value = 0u32;
        for i in 0..4 {
            let byte = self.u8()?;
            value |= u32::from(byte & 0x7F) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::LengthTooLong)
    }

    fn binary(&mut self) -> Result<Vec<u8>, DecodeError> {
        let n = usize::from(self.u16()?);
        Ok(self.take(n, "strings")?.to_vec())
    }

    fn text(&mut self) -> Result<String, DecodeError> {
        String::from_utf8(self.binary()?).map_err(|_| DecodeError::NotUtf8("string"))
    }

    fn properties(&mut self) -> Result<Vec<Property>, DecodeError> {
        let length = self.varint()? as usize;
        let bytes = self.take(length, "properties")?;
        let mut inner = Reader { bytes, at: 0 };
        let mut properties = Vec::new();
        while !inner.done() {
            let id = inner.u8()?;
            let read = property_kind(id).ok_or_else(|| {
                DecodeError::Malformed(format!("unknown property identifier {id:#04x}"))
            })?;
            properties.push(read(&mut inner, id)?);
        }
        Ok(properties)
    }

    /// DISCONNECT's and AUTH's optional reason code and properties (absent means 0).
    fn reason_and_properties(&mut self, v5: bool) -> Result<(u8, Vec<Property>), DecodeError> {
        if !v5 || self.done() {
            return Ok((0, Vec::new()));
        }
        let reason = self.u8()?;
        let properties = if self.done() {
            Vec::new()
        } else {
            self.properties()?
        };
        Ok((reason, properties))
    }
}

/// Packets as they arrive over WebSocket messages: a packet may span several messages and a
/// message may hold several packets (MQTT over WebSocket, §6).
#[derive(Debug, Default, Clone)]
pub struct PacketStream {
    buffer: Vec<u8>,
}

impl PacketStream {
    /// The packets `bytes` completes, in order. After an error the rest of the buffer is
    /// dropped: with a length misread, no later boundary can be trusted.
    pub fn push(&mut self, bytes: &[u8], version: MqttVersion) -> Vec<Result<Packet, DecodeError>> {
        self.buffer.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            match decode(self.buffer.get(at..).unwrap_or(&[]), version) {
                Ok(Some((packet, used))) => {
                    out.push(Ok(packet));
                    at += used;
                }
                Ok(None) => break,
                Err(e) => {
                    out.push(Err(e));
                    at = self.buffer.len();
                    break;
                }
            }
        }
        self.buffer.drain(..at.min(self.buffer.len()));
        out
    }

    /// Bytes of a packet not yet complete.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

#[cfg(test)]
mod tests;
