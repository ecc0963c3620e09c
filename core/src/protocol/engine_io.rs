//! Engine.IO packets over a WebSocket: one packet per frame, a type digit then its data.
//! Version 4 (Socket.IO 3 and 4) sends binary messages as bare binary frames; version 3
//! (Socket.IO 1 and 2) puts the packet type in their first byte.

use std::fmt;

use serde_json::{Map, Value};

use crate::compose::{self, Frame};
use crate::protocol::note::clip;
use crate::query;

/// How much of an unexpected payload an error quotes.
const QUOTED_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineVersion {
    V3,
    V4,
}

impl EngineVersion {
    /// The `EIO` query value.
    pub fn number(self) -> u8 {
        match self {
            Self::V3 => 3,
            Self::V4 => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    Text(String),
    Binary(Vec<u8>),
}

/// The handshake the server sends first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInfo {
    pub sid: String,
    pub upgrades: Vec<String>,
    pub ping_interval_ms: u64,
    pub ping_timeout_ms: u64,
    /// Sent from version 4 on.
    pub max_payload: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    Open(OpenInfo),
    Close,
    /// With its probe text, if any (`2probe`).
    Ping(Option<String>),
    Pong(Option<String>),
    Message(Data),
    Upgrade,
    Noop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    UnknownType(char),
    /// Close, upgrade and noop carry nothing; this one carried the quoted text.
    UnexpectedData {
        packet: &'static str,
        data: String,
    },
    OpenNotJson(String),
    OpenNotObject,
    /// The open packet's field is missing or of the wrong type.
    OpenField {
        field: &'static str,
        expected: &'static str,
    },
    Base64(String),
    EmptyBinary,
    /// Engine.IO 3 binary frames start with the packet type byte 4; this one had another.
    BinaryType(u8),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "An empty frame: an Engine.IO packet starts with its type, a digit from 0 to 6."
            ),
            Self::UnknownType(c) => write!(
                f,
                "Not an Engine.IO packet: it starts with \u{201c}{c}\u{201d}, where a packet type \
                 digit from 0 (open) to 6 (noop) was expected."
            ),
            Self::UnexpectedData { packet, data } => write!(
                f,
                "A {packet} packet carries no data, but this one has \u{201c}{data}\u{201d}."
            ),
            Self::OpenNotJson(why) => write!(
                f,
                "The open packet's handshake is not JSON: {why}. Expected an object with sid, \
                 upgrades, pingInterval and pingTimeout."
            ),
            Self::OpenNotObject => write!(
                f,
                "The open packet's handshake is JSON but not an object. Expected an object with \
                 sid, upgrades, pingInterval and pingTimeout."
            ),
            Self::OpenField { field, expected } => write!(
                f,
                "The open packet's \u{201c}{field}\u{201d} is missing or wrong: expected {expected}."
            ),
            Self::Base64(why) => {
                write!(f, "A base64 binary packet (b…) that does not decode: {why}")
            }
            Self::EmptyBinary => write!(
                f,
                "An empty binary frame: Engine.IO 3 starts binary frames with the packet type byte 4."
            ),
            Self::BinaryType(byte) => write!(
                f,
                "A binary frame starting with byte {byte}: Engine.IO 3 starts binary frames with \
                 the message packet type, byte 4."
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The packet in a text frame.
pub fn decode_text(text: &str, version: EngineVersion) -> Result<Packet, DecodeError> {
    let mut chars = text.chars();
    let kind = chars.next().ok_or(DecodeError::Empty)?;
    let rest = chars.as_str();
    let probe = || (!rest.is_empty()).then(|| rest.to_string());
    match kind {
        '0' => parse_open(rest).map(Packet::Open),
        '1' => nothing_after(rest, "close", Packet::Close),
        '2' => Ok(Packet::Ping(probe())),
        '3' => Ok(Packet::Pong(probe())),
        '4' => Ok(Packet::Message(Data::Text(rest.to_string()))),
        '5' => nothing_after(rest, "upgrade", Packet::Upgrade),
        '6' => nothing_after(rest, "noop", Packet::Noop),
        // Binary sent as base64 text, meant for long-polling but valid in any frame:
        // `b<base64>` in version 4, `b4<base64>` (type first) in version 3.
        'b' => {
            let base64 = match version {
                EngineVersion::V4 => rest,
                EngineVersion::V3 => match rest.strip_prefix('4') {
                    Some(base64) => base64,
                    None => {
                        return Err(DecodeError::Base64(
                            "Engine.IO 3 writes b, the packet type 4 (message), then base64".into(),
                        ));
                    }
                },
            };
            compose::parse_base64(base64)
                .map(|bytes| Packet::Message(Data::Binary(bytes)))
                .map_err(|e| DecodeError::Base64(e.to_string()))
        }
        other => Err(DecodeError::UnknownType(other)),
    }
}

/// The packet in a binary frame: always a binary message.
pub fn decode_binary(bytes: &[u8], version: EngineVersion) -> Result<Packet, DecodeError> {
    match version {
        EngineVersion::V4 => Ok(Packet::Message(Data::Binary(bytes.to_vec()))),
        EngineVersion::V3 => match bytes.split_first() {
            Some((4, data)) => Ok(Packet::Message(Data::Binary(data.to_vec()))),
            Some((&other, _)) => Err(DecodeError::BinaryType(other)),
            None => Err(DecodeError::EmptyBinary),
        },
    }
}

/// The frame that carries `packet`.
pub fn encode(packet: &Packet, version: EngineVersion) -> Frame {
    let with_probe = |digit: char, probe: &Option<String>| {
        let mut text = digit.to_string();
        text.push_str(probe.as_deref().unwrap_or(""));
        Frame::Text(text)
    };
    match packet {
        Packet::Open(info) => Frame::Text(format!("0{}", open_json(info))),
        Packet::Close => Frame::Text("1".into()),
        Packet::Ping(probe) => with_probe('2', probe),
        Packet::Pong(probe) => with_probe('3', probe),
        Packet::Message(Data::Text(text)) => Frame::Text(format!("4{text}")),
        Packet::Message(Data::Binary(bytes)) => match version {
            EngineVersion::V4 => Frame::Binary(bytes.clone()),
            EngineVersion::V3 => {
                let mut framed = Vec::with_capacity(bytes.len().saturating_add(1));
                framed.push(4);
                framed.extend_from_slice(bytes);
                Frame::Binary(framed)
            }
        },
        Packet::Upgrade => Frame::Text("5".into()),
        Packet::Noop => Frame::Text("6".into()),
    }
}

fn nothing_after(rest: &str, packet: &'static str, parsed: Packet) -> Result<Packet, DecodeError> {
    if rest.is_empty() {
        Ok(parsed)
    } else {
        Err(DecodeError::UnexpectedData {
            packet,
            data: clip(rest, QUOTED_CHARS),
        })
    }
}

fn parse_open(json: &str) -> Result<OpenInfo, DecodeError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| DecodeError::OpenNotJson(e.to_string()))?;
    let object = value.as_object().ok_or(DecodeError::OpenNotObject)?;
    let field =
        |field: &'static str, expected: &'static str| DecodeError::OpenField { field, expected };
    let number = |name: &'static str| {
        object
            .get(name)
            .and_then(Value::as_u64)
            .ok_or(field(name, "a whole number of milliseconds"))
    };
    let sid = object
        .get("sid")
        .and_then(Value::as_str)
        .ok_or(field("sid", "the session id, a string"))?
        .to_string();
    // The version 3 document's own WebSocket example leaves `upgrades` out: absent is none.
    let upgrades = match object.get("upgrades") {
        None => Vec::new(),
        Some(value) => value
            .as_array()
            .and_then(|list| {
                list.iter()
                    .map(|u| u.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or(field("upgrades", "an array of transport names (strings)"))?,
    };
    let max_payload = match object.get("maxPayload") {
        None => None,
        Some(value) => Some(
            value
                .as_u64()
                .ok_or(field("maxPayload", "a whole number of bytes"))?,
        ),
    };
    Ok(OpenInfo {
        sid,
        upgrades,
        ping_interval_ms: number("pingInterval")?,
        ping_timeout_ms: number("pingTimeout")?,
        max_payload,
    })
}

fn open_json(info: &OpenInfo) -> String {
    let mut object = Map::new();
    object.insert("sid".into(), Value::from(info.sid.clone()));
    object.insert("upgrades".into(), Value::from(info.upgrades.clone()));
    object.insert("pingInterval".into(), Value::from(info.ping_interval_ms));
    object.insert("pingTimeout".into(), Value::from(info.ping_timeout_ms));
    if let Some(max) = info.max_payload {
        object.insert("maxPayload".into(), Value::from(max));
    }
    Value::Object(object).to_string()
}

/// The Engine.IO WebSocket URL for what a person typed: `/socket.io/` when no path was given,
/// and `EIO` and `transport` set (in place when present, appended when not); everything else
/// is kept as typed. Text that is not a URL comes back unchanged.
pub fn dial_url(url: &str, version: EngineVersion) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let (base, query) = query::split_url(before_fragment);
    let authority_start = scheme_end.saturating_add(3);
    let Some(after_scheme) = base.get(authority_start..) else {
        return url.to_string();
    };
    if after_scheme.is_empty() || scheme_end == 0 {
        return url.to_string();
    }
    let base = match after_scheme.find('/') {
        None => format!("{base}/socket.io/"),
        Some(slash) if after_scheme.len() == slash.saturating_add(1) => format!("{base}socket.io/"),
        Some(_) => base.to_string(),
    };
    let eio = format!("EIO={}", version.number());
    let transport = "transport=websocket";
    // Each where its name first appears (repeats dropped), else at the end.
    let (mut eio_placed, mut transport_placed) = (false, false);
    let mut pairs: Vec<String> = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let name = query::decode(pair.split_once('=').map_or(pair, |(name, _)| name));
        let (placed, wanted) = match name.as_str() {
            "EIO" => (&mut eio_placed, eio.as_str()),
            "transport" => (&mut transport_placed, transport),
            _ => {
                pairs.push(pair.to_string());
                continue;
            }
        };
        if !*placed {
            *placed = true;
            pairs.push(wanted.to_string());
        }
    }
    if !eio_placed {
        pairs.push(eio);
    }
    if !transport_placed {
        pairs.push(transport.to_string());
    }
    let mut out = format!("{base}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutate;
    use proptest::prelude::*;

    const OPEN: &str = r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;

    fn v4(text: &str) -> Result<Packet, DecodeError> {
        decode_text(text, EngineVersion::V4)
    }

    #[test]
    fn reads_the_handshake_of_both_versions() {
        assert_eq!(
            v4(OPEN),
            Ok(Packet::Open(OpenInfo {
                sid: "lv_VI97HAXpY6yYWAAAC".into(),
                upgrades: vec!["websocket".into()],
                ping_interval_ms: 25000,
                ping_timeout_ms: 20000,
                max_payload: Some(1_000_000),
            }))
        );
        // The version 3 WebSocket-only example: no upgrades, no maxPayload.
        let v3 = r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","pingInterval":25000,"pingTimeout":5000}"#;
        let Ok(Packet::Open(info)) = decode_text(v3, EngineVersion::V3) else {
            panic!("not an open packet");
        };
        assert_eq!(
            (info.upgrades.len(), info.ping_timeout_ms, info.max_payload),
            (0, 5000, None)
        );
    }

    #[test]
    fn a_wrong_handshake_says_which_field() {
        let field = |field, expected| Err(DecodeError::OpenField { field, expected });
        assert_eq!(
            v4(r#"0{"upgrades":[],"pingInterval":1,"pingTimeout":1}"#),
            field("sid", "the session id, a string")
        );
        assert_eq!(
            v4(r#"0{"sid":"a","pingInterval":"25000","pingTimeout":1}"#),
            field("pingInterval", "a whole number of milliseconds")
        );
        assert_eq!(
            v4(r#"0{"sid":"a","upgrades":[1],"pingInterval":1,"pingTimeout":1}"#),
            field("upgrades", "an array of transport names (strings)")
        );
        assert_eq!(
            v4(r#"0{"sid":"a","pingInterval":1,"pingTimeout":-1}"#),
            field("pingTimeout", "a whole number of milliseconds")
        );
        assert_eq!(v4("0[]"), Err(DecodeError::OpenNotObject));
        let error = v4("0{").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.starts_with("The open packet's handshake is not JSON: EOF"),
            "{error}"
        );
    }

    #[test]
    fn reads_every_packet_type() {
        assert_eq!(v4("1"), Ok(Packet::Close));
        assert_eq!(v4("2"), Ok(Packet::Ping(None)));
        assert_eq!(v4("2probe"), Ok(Packet::Ping(Some("probe".into()))));
        assert_eq!(v4("3probe"), Ok(Packet::Pong(Some("probe".into()))));
        assert_eq!(
            v4("4hello"),
            Ok(Packet::Message(Data::Text("hello".into())))
        );
        assert_eq!(v4("4"), Ok(Packet::Message(Data::Text(String::new()))));
        assert_eq!(v4("5"), Ok(Packet::Upgrade));
        assert_eq!(v4("6"), Ok(Packet::Noop));
        assert_eq!(
            v4("bAQIDBA=="),
            Ok(Packet::Message(Data::Binary(vec![1, 2, 3, 4])))
        );
        assert_eq!(
            decode_text("b4AQIDBA==", EngineVersion::V3),
            Ok(Packet::Message(Data::Binary(vec![1, 2, 3, 4])))
        );
    }

    #[test]
    fn rejects_what_is_not_a_packet() {
        assert_eq!(v4(""), Err(DecodeError::Empty));
        assert_eq!(v4("7"), Err(DecodeError::UnknownType('7')));
        assert_eq!(v4("hello"), Err(DecodeError::UnknownType('h')));
        assert_eq!(
            v4("1bye"),
            Err(DecodeError::UnexpectedData {
                packet: "close",
                data: "bye".into()
            })
        );
        assert!(matches!(v4("b!!"), Err(DecodeError::Base64(_))));
        assert!(matches!(
            decode_text("b2AA==", EngineVersion::V3),
            Err(DecodeError::Base64(_))
        ));
        assert_eq!(
            v4("7").err().map(|e| e.to_string()).as_deref(),
            Some(
                "Not an Engine.IO packet: it starts with \u{201c}7\u{201d}, where a packet type \
                 digit from 0 (open) to 6 (noop) was expected."
            )
        );
    }

    #[test]
    fn binary_frames_differ_between_versions() {
        let bytes = [4, 0, 1, 2];
        assert_eq!(
            decode_binary(&bytes, EngineVersion::V4),
            Ok(Packet::Message(Data::Binary(vec![4, 0, 1, 2])))
        );
        assert_eq!(
            decode_binary(&bytes, EngineVersion::V3),
            Ok(Packet::Message(Data::Binary(vec![0, 1, 2])))
        );
        assert_eq!(
            decode_binary(&[], EngineVersion::V3),
            Err(DecodeError::EmptyBinary)
        );
        assert_eq!(
            decode_binary(&[2, 1], EngineVersion::V3),
            Err(DecodeError::BinaryType(2))
        );
        assert_eq!(
            decode_binary(&[], EngineVersion::V4),
            Ok(Packet::Message(Data::Binary(Vec::new())))
        );
        let message = Packet::Message(Data::Binary(vec![9]));
        assert_eq!(
            encode(&message, EngineVersion::V3),
            Frame::Binary(vec![4, 9])
        );
        assert_eq!(encode(&message, EngineVersion::V4), Frame::Binary(vec![9]));
    }

    #[test]
    fn dial_url_adds_the_engine_io_path_and_query() {
        let v4 = |url| dial_url(url, EngineVersion::V4);
        assert_eq!(
            v4("ws://localhost:3000"),
            "ws://localhost:3000/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(
            v4("wss://h/"),
            "wss://h/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(
            v4("ws://h/?token=1"),
            "ws://h/socket.io/?token=1&EIO=4&transport=websocket"
        );
        assert_eq!(
            v4("ws://h/custom/path?a=1&EIO=3&b=%20&transport=polling&EIO=2#top"),
            "ws://h/custom/path?a=1&EIO=4&b=%20&transport=websocket#top"
        );
        assert_eq!(
            dial_url(
                "ws://h/socket.io/?EIO=4&transport=websocket",
                EngineVersion::V3
            ),
            "ws://h/socket.io/?EIO=3&transport=websocket"
        );
        for garbage in ["", "not a url", "://", "ws://", "\u{1f600}://x"] {
            let dialled = v4(garbage);
            assert!(
                dialled == garbage || dialled.contains("EIO=4"),
                "{garbage:?} -> {dialled}"
            );
        }
        assert_eq!(v4("ws://"), "ws://");
        assert_eq!(v4("not a url"), "not a url");
    }

    fn packets() -> impl Strategy<Value = Packet> {
        let probe = proptest::option::of(".{1,12}");
        prop_oneof![
            (
                ".{0,12}",
                proptest::collection::vec("[a-z]{1,9}", 0..3),
                any::<u64>(),
                any::<u64>(),
                any::<Option<u64>>()
            )
                .prop_map(
                    |(sid, upgrades, ping_interval_ms, ping_timeout_ms, max_payload)| Packet::Open(
                        OpenInfo {
                            sid,
                            upgrades,
                            ping_interval_ms,
                            ping_timeout_ms,
                            max_payload,
                        }
                    )
                ),
            Just(Packet::Close),
            probe.clone().prop_map(Packet::Ping),
            probe.prop_map(Packet::Pong),
            ".{0,20}".prop_map(|text| Packet::Message(Data::Text(text))),
            proptest::collection::vec(any::<u8>(), 0..20)
                .prop_map(|b| Packet::Message(Data::Binary(b))),
            Just(Packet::Upgrade),
            Just(Packet::Noop),
        ]
    }

    fn version() -> impl Strategy<Value = EngineVersion> {
        prop_oneof![Just(EngineVersion::V3), Just(EngineVersion::V4)]
    }

    proptest! {
        #[test]
        fn any_packet_survives_the_wire(packet in packets(), version in version()) {
            let decoded = match encode(&packet, version) {
                Frame::Text(text) => decode_text(&text, version),
                Frame::Binary(bytes) => decode_binary(&bytes, version),
            };
            prop_assert_eq!(decoded, Ok(packet));
        }

        #[test]
        fn any_frame_decodes_or_says_why(
            text in ".{0,40}",
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            version in version(),
        ) {
            for result in [decode_text(&text, version), decode_binary(&bytes, version)] {
                if let Err(error) = result {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
        }

        #[test]
        fn damaged_handshakes_decode_or_say_why(edits in mutate::edits(), version in version()) {
            let mut bytes = OPEN.as_bytes().to_vec();
            mutate::apply(&mut bytes, b"\"maxPayload\":", &edits);
            let _ = decode_text(&String::from_utf8_lossy(&bytes), version);
        }

        #[test]
        fn dial_url_never_panics_and_keeps_other_params(url in ".{0,30}", version in version()) {
            let dialled = dial_url(&url, version);
            prop_assert!(dialled == url || dialled.contains("transport=websocket"));
        }
    }
}
