//! Socket.IO packets as the default parser writes them inside an Engine.IO message:
//! `<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`, binary parts following as
//! their own frames with `{"_placeholder":true,"num":N}` where they were.

use std::fmt;

use serde_json::{Map, Value};

use crate::compose;
use crate::encoding;
use crate::protocol::engine_io::EngineVersion;
use crate::protocol::note::clip;

/// More attachments than any real packet has: a count past this is damage, not data.
pub const MAX_ATTACHMENTS: usize = 1000;
/// How much of bad input an error quotes.
const QUOTED_CHARS: usize = 40;

/// Which Socket.IO the server runs: the protocol revision and the Engine.IO under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketIoVersion {
    /// Socket.IO 1 and 2: protocol 4 over Engine.IO 3.
    V2,
    /// Socket.IO 3 and 4: protocol 5 over Engine.IO 4.
    V3V4,
}

impl SocketIoVersion {
    pub fn engine(self) -> EngineVersion {
        match self {
            Self::V2 => EngineVersion::V3,
            Self::V3V4 => EngineVersion::V4,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketType {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}

impl PacketType {
    const ALL: [PacketType; 7] = [
        Self::Connect,
        Self::Disconnect,
        Self::Event,
        Self::Ack,
        Self::ConnectError,
        Self::BinaryEvent,
        Self::BinaryAck,
    ];

    fn from_digit(c: char) -> Option<Self> {
        let digit = usize::try_from(c.to_digit(10)?).ok()?;
        Self::ALL.get(digit).copied()
    }

    /// The name the protocol document uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Connect => "CONNECT",
            Self::Disconnect => "DISCONNECT",
            Self::Event => "EVENT",
            Self::Ack => "ACK",
            Self::ConnectError => "CONNECT_ERROR",
            Self::BinaryEvent => "BINARY_EVENT",
            Self::BinaryAck => "BINARY_ACK",
        }
    }

    pub fn is_binary(self) -> bool {
        matches!(self, Self::BinaryEvent | Self::BinaryAck)
    }

    /// What the payload must be, in words and as a check.
    fn payload_rule(self) -> (&'static str, fn(&Value) -> bool) {
        match self {
            Self::Connect => ("no payload or a JSON object", Value::is_object),
            Self::Disconnect => ("no payload", |_| false),
            Self::Event | Self::BinaryEvent => {
                ("a non-empty JSON array starting with the event name", |v| {
                    v.as_array()
                        .and_then(|a| a.first())
                        .is_some_and(|name| name.is_string() || name.is_number())
                })
            }
            Self::Ack | Self::BinaryAck => ("a JSON array of arguments", Value::is_array),
            Self::ConnectError => ("a JSON object or string", |v| {
                v.is_object() || v.is_string()
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    pub kind: PacketType,
    /// `/` for the main namespace.
    pub namespace: String,
    pub id: Option<u64>,
    pub data: Option<Value>,
    /// Binary frames that follow (binary packet types only).
    pub attachments: usize,
}

impl Packet {
    /// A packet of `kind` on the main namespace, without id, data or attachments.
    pub fn new(kind: PacketType) -> Self {
        Self {
            kind,
            namespace: "/".into(),
            id: None,
            data: None,
            attachments: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    UnknownType(char),
    /// A binary packet whose count before `-` is missing or not a number.
    AttachmentCount(String),
    TooManyAttachments(String),
    IdTooLarge(String),
    Json(String),
    Payload {
        kind: PacketType,
        expected: &'static str,
        found: String,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "An empty Socket.IO packet: it starts with its type, a digit from 0 to 6."
            ),
            Self::UnknownType(c) => write!(
                f,
                "Not a Socket.IO packet: it starts with \u{201c}{c}\u{201d}, where a packet type \
                 digit from 0 (CONNECT) to 6 (BINARY_ACK) was expected."
            ),
            Self::AttachmentCount(found) => write!(
                f,
                "A binary packet must give its number of attachments and a dash (as in 51-), \
                 but it has \u{201c}{found}\u{201d}."
            ),
            Self::TooManyAttachments(count) => write!(
                f,
                "A binary packet announcing {count} attachments; more than {MAX_ATTACHMENTS} is \
                 taken for damage."
            ),
            Self::IdTooLarge(id) => write!(
                f,
                "The acknowledgement id {id} is too large; ids are whole numbers below 2\u{2076}\u{2074}."
            ),
            Self::Json(why) => write!(f, "The packet's payload is not JSON: {why}."),
            Self::Payload {
                kind,
                expected,
                found,
            } => write!(
                f,
                "A {} packet needs {expected}, but it has {found}.",
                kind.name()
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The packet in an Engine.IO message's text.
pub fn decode(text: &str) -> Result<Packet, DecodeError> {
    let (header, json) = split_header(text)?;
    let data = match json {
        "" => None,
        json => Some(
            serde_json::from_str::<Value>(json).map_err(|e| DecodeError::Json(e.to_string()))?,
        ),
    };
    check_payload(header.kind, data.as_ref())?;
    Ok(Packet {
        kind: header.kind,
        namespace: header.namespace,
        id: header.id,
        data,
        attachments: header.attachments,
    })
}

/// The JSON a Socket.IO message frame carries (`42["chat","hi"]` carries `["chat","hi"]`), for
/// the entry view to show as a tree; None when the frame is no Socket.IO message or carries none.
pub fn carried_json(frame: &str) -> Option<&str> {
    let (_, json) = split_header(frame.strip_prefix('4')?).ok()?;
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .is_ok()
        .then_some(json)
}

/// What comes before a packet's JSON: its type, attachment count, namespace and id.
struct Header {
    kind: PacketType,
    attachments: usize,
    namespace: String,
    id: Option<u64>,
}

/// A packet's header, and the JSON text after it.
fn split_header(text: &str) -> Result<(Header, &str), DecodeError> {
    let mut chars = text.chars();
    let first = chars.next().ok_or(DecodeError::Empty)?;
    let kind = PacketType::from_digit(first).ok_or(DecodeError::UnknownType(first))?;
    let mut rest = chars.as_str();
    let mut attachments = 0;
    if kind.is_binary() {
        let (count, after) = rest
            .split_once('-')
            .filter(|(count, _)| !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| DecodeError::AttachmentCount(clip(rest, QUOTED_CHARS)))?;
        attachments = count
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_ATTACHMENTS)
            .ok_or_else(|| DecodeError::TooManyAttachments(clip(count, QUOTED_CHARS)))?;
        rest = after;
    }
    let mut namespace = "/".to_string();
    if rest.starts_with('/') {
        // Up to the comma, or the whole rest when there is none (`1/admin`).
        let (name, after) = rest.split_once(',').unwrap_or((rest, ""));
        namespace = name.to_string();
        rest = after;
    }
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (id_text, json) = rest.split_at_checked(digits).unwrap_or((rest, ""));
    let id = match id_text {
        "" => None,
        id => Some(
            id.parse::<u64>()
                .map_err(|_| DecodeError::IdTooLarge(clip(id, QUOTED_CHARS)))?,
        ),
    };
    let header = Header {
        kind,
        attachments,
        namespace,
        id,
    };
    Ok((header, json))
}

fn check_payload(kind: PacketType, data: Option<&Value>) -> Result<(), DecodeError> {
    let (expected, fits) = kind.payload_rule();
    let required = matches!(
        kind,
        PacketType::Event | PacketType::BinaryEvent | PacketType::Ack | PacketType::BinaryAck
    );
    let found = match data {
        None if required => "none".to_string(),
        None => return Ok(()),
        Some(value) if fits(value) => return Ok(()),
        Some(value) => describe(value),
    };
    Err(DecodeError::Payload {
        kind,
        expected,
        found,
    })
}

/// `an empty array`, `a number (5)`: what a payload was, for errors.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => format!("a boolean ({value})"),
        Value::Number(_) => format!("a number ({value})"),
        Value::String(_) => format!("a string ({})", clip(&value.to_string(), QUOTED_CHARS)),
        Value::Array(items) if items.is_empty() => "an empty array".into(),
        Value::Array(items) => format!(
            "an array starting with {}",
            items.first().map(describe).unwrap_or_default()
        ),
        Value::Object(_) => "an object".into(),
    }
}

/// The text of `packet` (without the Engine.IO `4` before it).
pub fn encode(packet: &Packet) -> String {
    let mut out = (packet.kind as u8).to_string();
    if packet.kind.is_binary() {
        out.push_str(&format!("{}-", packet.attachments));
    }
    if packet.namespace != "/" {
        out.push_str(&packet.namespace);
        out.push(',');
    }
    if let Some(id) = packet.id {
        out.push_str(&id.to_string());
    }
    if let Some(data) = &packet.data {
        out.push_str(&data.to_string());
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryError {
    /// The `$base64` or `$hex` value was not a string.
    NotText(&'static str),
    /// The text did not decode; the reason is the decoder's.
    Undecodable {
        marker: &'static str,
        why: String,
    },
    TooMany,
    /// A `_placeholder` whose `num` is not an attachment that came.
    Placeholder {
        num: String,
        received: usize,
    },
}

impl fmt::Display for BinaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotText(marker) => write!(
                f,
                "A {{\"{marker}\": …}} value must be a string of the bytes to send."
            ),
            Self::Undecodable { marker, why } => write!(f, "In a {{\"{marker}\": …}} value: {why}"),
            Self::TooMany => write!(
                f,
                "More than {MAX_ATTACHMENTS} binary values in one message; servers take that for damage."
            ),
            Self::Placeholder { num, received } => write!(
                f,
                "A binary placeholder refers to attachment {num}, but {received} came (numbered from 0)."
            ),
        }
    }
}

impl std::error::Error for BinaryError {}

/// Turns the `{"$base64":"…"}` and `{"$hex":"…"}` values a person typed into placeholders,
/// returning the bytes as attachments in placeholder order.
pub fn split_binary(value: Value) -> Result<(Value, Vec<Vec<u8>>), BinaryError> {
    let mut attachments = Vec::new();
    let value = split(value, &mut attachments)?;
    Ok((value, attachments))
}

fn split(value: Value, attachments: &mut Vec<Vec<u8>>) -> Result<Value, BinaryError> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|item| split(item, attachments))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(object) => {
            if let Some((marker, text)) = binary_marker(&object) {
                let text = text.as_str().ok_or(BinaryError::NotText(marker))?;
                let bytes = if marker == "$hex" {
                    compose::parse_hex(text)
                } else {
                    compose::parse_base64(text)
                }
                .map_err(|e| BinaryError::Undecodable {
                    marker,
                    why: e.to_string(),
                })?;
                if attachments.len() >= MAX_ATTACHMENTS {
                    return Err(BinaryError::TooMany);
                }
                let num = attachments.len();
                attachments.push(bytes);
                return Ok(placeholder(num));
            }
            object
                .into_iter()
                .map(|(key, item)| Ok((key, split(item, attachments)?)))
                .collect::<Result<Map<_, _>, _>>()
                .map(Value::Object)
        }
        other => Ok(other),
    }
}

/// An object that is nothing but `$base64` or `$hex`: the person's way of writing bytes.
fn binary_marker(object: &Map<String, Value>) -> Option<(&'static str, &Value)> {
    if object.len() != 1 {
        return None;
    }
    ["$base64", "$hex"]
        .into_iter()
        .find_map(|marker| object.get(marker).map(|value| (marker, value)))
}

fn placeholder(num: usize) -> Value {
    let mut object = Map::new();
    object.insert("_placeholder".into(), Value::Bool(true));
    object.insert("num".into(), Value::from(num));
    Value::Object(object)
}

/// Puts received attachments back where their placeholders are, as `{"$base64":"…"}`: the
/// form a person types, so that a received value can be sent back as it shows.
pub fn join_binary(value: Value, attachments: &[Vec<u8>]) -> Result<Value, BinaryError> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|item| join_binary(item, attachments))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(object) if object.get("_placeholder") == Some(&Value::Bool(true)) => {
            let num = object.get("num");
            let bytes = num
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| attachments.get(n))
                .ok_or_else(|| BinaryError::Placeholder {
                    num: num
                        .map_or_else(|| "(none)".into(), |n| clip(&n.to_string(), QUOTED_CHARS)),
                    received: attachments.len(),
                })?;
            let mut object = Map::new();
            object.insert("$base64".into(), Value::from(encoding::base64(bytes)));
            Ok(Value::Object(object))
        }
        Value::Object(object) => object
            .into_iter()
            .map(|(key, item)| Ok((key, join_binary(item, attachments)?)))
            .collect::<Result<Map<_, _>, _>>()
            .map(Value::Object),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutate;
    use proptest::prelude::*;
    use serde_json::json;

    fn packet(kind: PacketType, namespace: &str, id: Option<u64>, data: Option<Value>) -> Packet {
        Packet {
            kind,
            namespace: namespace.into(),
            id,
            data,
            attachments: 0,
        }
    }

    /// Every example of the protocol documents (v5, and v4 where it differs), both ways.
    #[test]
    fn the_json_a_message_frame_carries() {
        assert_eq!(carried_json(r#"42["chat","hi"]"#), Some(r#"["chat","hi"]"#));
        assert_eq!(
            carried_json(r#"4451-/admin,3["up",{"_placeholder":true,"num":0}]"#),
            None
        );
        assert_eq!(
            carried_json(r#"451-/admin,3["up",{"_placeholder":true,"num":0}]"#),
            Some(r#"["up",{"_placeholder":true,"num":0}]"#)
        );
        assert_eq!(carried_json(r#"43/admin,7["admin"]"#), Some(r#"["admin"]"#));
        assert_eq!(carried_json("40"), None);
        assert_eq!(carried_json("2"), None);
        assert_eq!(carried_json(r#"{"a":1}"#), None);
    }

    #[test]
    fn the_documents_examples_decode_and_encode() {
        use PacketType::*;
        let binary = |kind, namespace: &str, id, data, attachments| Packet {
            attachments,
            ..packet(kind, namespace, id, Some(data))
        };
        let examples = [
            ("0", packet(Connect, "/", None, None)),
            (
                r#"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#,
                packet(
                    Connect,
                    "/admin",
                    None,
                    Some(json!({"sid": "oSO0OpakMV_3jnilAAAA"})),
                ),
            ),
            (
                r#"4{"message":"Not authorized"}"#,
                packet(
                    ConnectError,
                    "/",
                    None,
                    Some(json!({"message": "Not authorized"})),
                ),
            ),
            (
                r#"4/admin,"Not authorized""#,
                packet(ConnectError, "/admin", None, Some(json!("Not authorized"))),
            ),
            (
                r#"2["foo"]"#,
                packet(Event, "/", None, Some(json!(["foo"]))),
            ),
            (
                r#"2/admin,["bar"]"#,
                packet(Event, "/admin", None, Some(json!(["bar"]))),
            ),
            (
                r#"2["hello",1]"#,
                packet(Event, "/", None, Some(json!(["hello", 1]))),
            ),
            (
                r#"212["foo"]"#,
                packet(Event, "/", Some(12), Some(json!(["foo"]))),
            ),
            (
                r#"3/admin,13["bar"]"#,
                packet(Ack, "/admin", Some(13), Some(json!(["bar"]))),
            ),
            (
                r#"3/admin,1["ok"]"#,
                packet(Ack, "/admin", Some(1), Some(json!(["ok"]))),
            ),
            (r#"3[]"#, packet(Ack, "/", None, Some(json!([])))),
            (
                r#"51-["baz",{"_placeholder":true,"num":0}]"#,
                binary(
                    BinaryEvent,
                    "/",
                    None,
                    json!(["baz", {"_placeholder": true, "num": 0}]),
                    1,
                ),
            ),
            (
                r#"51-["hello",{"_placeholder":true,"num":0}]"#,
                binary(
                    BinaryEvent,
                    "/",
                    None,
                    json!(["hello", {"_placeholder": true, "num": 0}]),
                    1,
                ),
            ),
            (
                r#"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
                binary(
                    BinaryEvent,
                    "/admin",
                    None,
                    json!(["baz", {"_placeholder": true, "num": 0}, {"_placeholder": true, "num": 1}]),
                    2,
                ),
            ),
            (
                r#"61-15["bar",{"_placeholder":true,"num":0}]"#,
                binary(
                    BinaryAck,
                    "/",
                    Some(15),
                    json!(["bar", {"_placeholder": true, "num": 0}]),
                    1,
                ),
            ),
            (
                r#"61-/admin,1[{"_placeholder":true,"num":0}]"#,
                binary(
                    BinaryAck,
                    "/admin",
                    Some(1),
                    json!([{"_placeholder": true, "num": 0}]),
                    1,
                ),
            ),
            ("1", packet(Disconnect, "/", None, None)),
            ("1/admin,", packet(Disconnect, "/admin", None, None)),
        ];
        for (wire, expected) in examples {
            assert_eq!(decode(wire).as_ref(), Ok(&expected), "{wire}");
            assert_eq!(encode(&expected), wire);
        }
        // Without the comma, the namespace runs to the end.
        assert_eq!(
            decode("1/admin"),
            Ok(packet(Disconnect, "/admin", None, None))
        );
        // socket.io-parser also takes numbers for event names.
        assert_eq!(
            decode("2[7]"),
            Ok(packet(Event, "/", None, Some(json!([7]))))
        );
    }

    #[test]
    fn bad_packets_say_what_was_expected() {
        let payload = |kind, expected, found: &str| {
            Err(DecodeError::Payload {
                kind,
                expected,
                found: found.into(),
            })
        };
        let event = "a non-empty JSON array starting with the event name";
        assert_eq!(decode(""), Err(DecodeError::Empty));
        assert_eq!(decode("7"), Err(DecodeError::UnknownType('7')));
        assert_eq!(decode("x"), Err(DecodeError::UnknownType('x')));
        assert_eq!(decode("2"), payload(PacketType::Event, event, "none"));
        assert_eq!(
            decode("2[]"),
            payload(PacketType::Event, event, "an empty array")
        );
        assert_eq!(
            decode("2{\"a\":1}"),
            payload(PacketType::Event, event, "an object")
        );
        assert_eq!(
            decode("2[null,1]"),
            payload(PacketType::Event, event, "an array starting with null")
        );
        assert_eq!(
            decode("3/admin,13"),
            payload(PacketType::Ack, "a JSON array of arguments", "none")
        );
        assert_eq!(
            decode("0\"token\""),
            payload(
                PacketType::Connect,
                "no payload or a JSON object",
                "a string (\"token\")"
            )
        );
        assert_eq!(
            decode("1[1]"),
            payload(
                PacketType::Disconnect,
                "no payload",
                "an array starting with a number (1)"
            )
        );
        assert_eq!(
            decode("5[\"x\"]"),
            Err(DecodeError::AttachmentCount("[\"x\"]".into()))
        );
        assert_eq!(
            decode("5-[\"x\"]"),
            Err(DecodeError::AttachmentCount("-[\"x\"]".into()))
        );
        assert_eq!(
            decode("51x-[\"x\"]"),
            Err(DecodeError::AttachmentCount("1x-[\"x\"]".into()))
        );
        assert_eq!(
            decode("51001-[\"x\"]"),
            Err(DecodeError::TooManyAttachments("1001".into()))
        );
        assert_eq!(
            decode("2123456789012345678901[\"x\"]"),
            Err(DecodeError::IdTooLarge("123456789012345678901".into()))
        );
        assert!(matches!(decode("2[\"x\""), Err(DecodeError::Json(_))));
        assert_eq!(
            decode("2[]").err().map(|e| e.to_string()).as_deref(),
            Some(
                "A EVENT packet needs a non-empty JSON array starting with the event name, \
                 but it has an empty array."
            )
        );
    }

    #[test]
    fn typed_bytes_become_attachments_and_back() {
        let typed = json!(["file", {"$base64": "AQID"}, {"name": "x", "body": {"$hex": "de ad"}}]);
        let (value, attachments) = split_binary(typed).unwrap();
        assert_eq!(
            value,
            json!(["file", {"_placeholder": true, "num": 0}, {"name": "x", "body": {"_placeholder": true, "num": 1}}])
        );
        assert_eq!(attachments, vec![vec![1, 2, 3], vec![0xde, 0xad]]);
        assert_eq!(
            join_binary(value, &attachments),
            Ok(json!(["file", {"$base64": "AQID"}, {"name": "x", "body": {"$base64": "3q0="}}]))
        );
        // Objects with more than the marker are data, not bytes.
        let (kept, none) = split_binary(json!([{"$hex": "00", "other": 1}])).unwrap();
        assert_eq!((kept, none.len()), (json!([{"$hex": "00", "other": 1}]), 0));
    }

    #[test]
    fn bad_typed_bytes_and_stray_placeholders_are_refused() {
        assert_eq!(
            split_binary(json!([{"$hex": 5}])),
            Err(BinaryError::NotText("$hex"))
        );
        let Err(error) = split_binary(json!([{"$hex": "abc"}])) else {
            panic!("odd hex accepted");
        };
        assert_eq!(
            error.to_string(),
            "In a {\"$hex\": …} value: Not valid hex: an odd number of digits; each byte is two digits."
        );
        assert!(matches!(
            split_binary(json!([{"$base64": "a*"}])),
            Err(BinaryError::Undecodable {
                marker: "$base64",
                ..
            })
        ));
        let many = Value::Array(vec![json!({"$hex": "00"}); MAX_ATTACHMENTS + 1]);
        assert_eq!(split_binary(many), Err(BinaryError::TooMany));
        let stray = json!(["x", {"_placeholder": true, "num": 1}]);
        assert_eq!(
            join_binary(stray, &[vec![1]]),
            Err(BinaryError::Placeholder {
                num: "1".into(),
                received: 1
            })
        );
        assert_eq!(
            join_binary(json!([{"_placeholder": true}]), &[])
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("A binary placeholder refers to attachment (none), but 0 came (numbered from 0).")
        );
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            ".{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(".{0,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn object() -> impl Strategy<Value = Value> {
        proptest::collection::btree_map(".{0,6}", json_value(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    fn array(named: bool) -> impl Strategy<Value = Value> {
        (".{0,8}", proptest::collection::vec(json_value(), 0..4)).prop_map(
            move |(name, mut args)| {
                if named {
                    args.insert(0, Value::from(name));
                }
                Value::Array(args)
            },
        )
    }

    /// Any packet the protocol allows: payload of the right shape, namespace without a comma.
    pub(crate) fn packets() -> impl Strategy<Value = Packet> {
        use PacketType::*;
        let kind_and_data = prop_oneof![
            proptest::option::of(object()).prop_map(|d| (Connect, d)),
            Just((Disconnect, None)),
            array(true).prop_map(|d| (Event, Some(d))),
            array(false).prop_map(|d| (Ack, Some(d))),
            prop_oneof![object(), ".{0,8}".prop_map(Value::from)]
                .prop_map(|d| (ConnectError, Some(d))),
            array(true).prop_map(|d| (BinaryEvent, Some(d))),
            array(false).prop_map(|d| (BinaryAck, Some(d))),
        ];
        (
            kind_and_data,
            prop_oneof![Just("/".to_string()), "/[^,]{0,8}"],
            any::<Option<u64>>(),
            0..=MAX_ATTACHMENTS,
        )
            .prop_map(|((kind, data), namespace, id, attachments)| Packet {
                kind,
                namespace,
                id,
                data,
                attachments: if kind.is_binary() { attachments } else { 0 },
            })
    }

    proptest! {
        #[test]
        fn any_packet_survives_the_wire(packet in packets()) {
            prop_assert_eq!(decode(&encode(&packet)), Ok(packet));
        }

        #[test]
        fn any_text_decodes_or_says_why(text in "[0-6]?[0-9-]{0,3}(/[a-z]{0,3},)?[0-9]{0,3}.{0,12}") {
            if let Err(error) = decode(&text) {
                prop_assert!(!error.to_string().is_empty());
            }
        }

        #[test]
        fn damaged_packets_decode_or_say_why(packet in packets(), edits in mutate::edits()) {
            let mut bytes = encode(&packet).into_bytes();
            mutate::apply(&mut bytes, br#"1-/admin,12["x",{"_placeholder":true,"num":0}]"#, &edits);
            if let Err(error) = decode(&String::from_utf8_lossy(&bytes)) {
                prop_assert!(!error.to_string().is_empty());
            }
        }

        #[test]
        fn typed_bytes_survive_split_and_join(value in json_value(), blobs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..8), 0..4)) {
            // Put the blobs, as typed, into an array next to arbitrary data.
            let mut typed = vec![value];
            for blob in &blobs {
                typed.push(serde_json::json!({"$base64": encoding::base64(blob)}));
            }
            let typed = Value::Array(typed);
            let (split, attachments) = split_binary(typed.clone()).unwrap();
            prop_assert!(attachments.len() >= blobs.len());
            let joined = join_binary(split, &attachments).unwrap();
            prop_assert_eq!(split_binary(joined).map(|(_, a)| a), Ok(attachments));
        }

        #[test]
        fn joining_never_panics(value in json_value(), count in 0usize..3) {
            let attachments = vec![vec![1u8]; count];
            let _ = join_binary(value, &attachments);
        }
    }
}
