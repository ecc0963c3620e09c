//! Recording a connection that spoke a protocol: its emits and calls become Emit and Call
//! steps, the server's events Expect event steps, the replies Expect result steps, and the
//! protocol's own housekeeping (the handshake, pings, namespace CONNECTs) is left to the run,
//! which does it by itself.

use serde_json::Value;

use super::engine::wire::ack_key;
use super::events::Payload;
use super::model::{DEFAULT_TIMEOUT_MS, Matcher, Mode, Scenario, StepKind};
use super::record::{Recorded, Translated, expectation, literal, record, record_with};
use crate::compose::Format;
use crate::protocol::engine_io::{self, Data};
use crate::protocol::mqtt::packet::{self as mqtt_packet, Packet};
use crate::protocol::settings::{Protocol, ProtocolSettings};
use crate::protocol::socket_io::{self, PacketType};
use crate::protocol::stomp::frame::{Frame, FrameStream, Read, StompVersion};

/// `record` for a connection that spoke `settings.protocol`.
pub fn record_spoken(exchange: &[Recorded], settings: &ProtocolSettings) -> Scenario {
    let mut reader = Reader {
        settings,
        awaited: None,
        attachments: 0,
    };
    match settings.protocol {
        Protocol::WebSocket => record(exchange),
        Protocol::Graphql => record_with(exchange, graphql),
        Protocol::Mqtt => record_with(exchange, |item| mqtt(item, settings)),
        Protocol::Stomp => {
            let mut version = StompVersion::V12;
            record_with(exchange, |item| stomp(item, &mut version))
        }
        Protocol::SocketIo => record_with(exchange, |item| reader.socket_io(item)),
        Protocol::JsonRpc => record_with(exchange, |item| reader.json_rpc(item)),
    }
}

/// GraphQL's operations and answers are the steps; connection_init (which carries the
/// connection payload, secrets filled in), its ack and the pings are the run's own.
fn graphql(item: &Recorded) -> Translated {
    let text = match item {
        Recorded::Sent { text, .. } => text.as_str(),
        Recorded::Received(Payload::Text(text)) => text.as_str(),
        _ => return Translated::AsItIs,
    };
    let kind = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_string));
    match kind.as_deref() {
        Some("connection_init" | "connection_ack" | "ping" | "pong" | "ka") => Translated::Left,
        _ => Translated::AsItIs,
    }
}

/// MQTT's PUBLISHes, SUBSCRIBEs and the broker's messages are the steps; CONNECT (which
/// carries the password), the acknowledgements both ways, the pings and DISCONNECT (sent by a
/// Close step) are the run's own.
fn mqtt(item: &Recorded, settings: &ProtocolSettings) -> Translated {
    let bytes = match item {
        Recorded::Sent {
            format: Format::Hex,
            text,
        } => match crate::compose::parse_hex(text) {
            Ok(bytes) => bytes,
            Err(_) => return Translated::AsItIs,
        },
        Recorded::Received(Payload::Binary(bytes)) => bytes.clone(),
        // The run's Close sends DISCONNECT first, and the broker then either answers the close
        // or drops the connection (1006), whichever comes first: any close is the answer.
        Recorded::ClosedByYou { .. } => {
            return Translated::Step(StepKind::ExpectClose {
                code: None,
                reason: None,
                timeout_ms: DEFAULT_TIMEOUT_MS,
            });
        }
        _ => return Translated::AsItIs,
    };
    let first = mqtt_packet::decode(&bytes, settings.mqtt.connect.version);
    match first {
        Ok(Some((
            Packet::Connect(_)
            | Packet::ConnAck { .. }
            | Packet::Ack(_)
            | Packet::SubAck(_)
            | Packet::UnsubAck(_)
            | Packet::PingReq
            | Packet::PingResp
            | Packet::Disconnect { .. },
            _,
        ))) => Translated::Left,
        _ => Translated::AsItIs,
    }
}

/// STOMP's SUBSCRIBEs, SENDs and the broker's MESSAGEs and ERRORs are the steps; CONNECT
/// (which carries the passcode) and CONNECTED, the heart-beats, the receipts (the run pairs
/// them), ACK and NACK (they name message ids of that one session) and DISCONNECT (sent by a
/// Close step) are the run's own. A MESSAGE is expected by its destination and body, since
/// its ids differ from run to run.
fn stomp(item: &Recorded, version: &mut StompVersion) -> Translated {
    let hex;
    let bytes = match item {
        Recorded::Sent {
            format: Format::Hex,
            text,
        } => match crate::compose::parse_hex(text) {
            Ok(bytes) => {
                hex = bytes;
                hex.as_slice()
            }
            Err(_) => return Translated::AsItIs,
        },
        Recorded::Sent { text, .. } => text.as_bytes(),
        Recorded::Received(Payload::Text(text)) => text.as_bytes(),
        Recorded::Received(Payload::Binary(bytes)) => bytes.as_slice(),
        Recorded::ClosedByYou { .. } => {
            return Translated::Step(StepKind::ExpectClose {
                code: None,
                reason: None,
                timeout_ms: DEFAULT_TIMEOUT_MS,
            });
        }
        Recorded::Closed { .. } => return Translated::AsItIs,
    };
    // CONNECT carries the passcode: left out even when it does not read as a frame.
    let sent = matches!(item, Recorded::Sent { .. });
    if sent
        && (bytes.starts_with(b"CONNECT\n")
            || bytes.starts_with(b"CONNECT\r\n")
            || bytes.starts_with(b"STOMP\n")
            || bytes.starts_with(b"STOMP\r\n"))
    {
        return Translated::Left;
    }
    let reads = FrameStream::default().push(bytes, *version);
    let frames: Vec<&Frame> = reads
        .iter()
        .filter_map(|read| match read {
            Ok(Read::Frame(frame)) => Some(frame),
            _ => None,
        })
        .collect();
    let only_heart_beats =
        !reads.is_empty() && reads.iter().all(|r| matches!(r, Ok(Read::HeartBeats(_))));
    match frames.as_slice() {
        [] if only_heart_beats => Translated::Left,
        [frame] => match frame.command.as_str() {
            "CONNECTED" => {
                // Later frames are read as the version the broker chose escapes them.
                if let Some(chosen) = StompVersion::from_header(frame.header("version")) {
                    *version = chosen;
                }
                Translated::Left
            }
            "RECEIPT" | "ACK" | "NACK" | "DISCONNECT" => Translated::Left,
            "MESSAGE" => match (destination_line(bytes), std::str::from_utf8(&frame.body)) {
                (Some(line), Ok(body)) => Translated::Step(StepKind::ExpectMessage {
                    matcher: Matcher::Regex(stomp_message(line, body)),
                    mode: Mode::Next,
                    timeout_ms: DEFAULT_TIMEOUT_MS,
                    capture: vec![],
                }),
                _ => Translated::AsItIs,
            },
            _ => Translated::AsItIs,
        },
        _ => Translated::AsItIs,
    }
}

/// The `destination` header's line as the broker wrote it (escaped or not).
fn destination_line(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let head = text.split("\n\n").next()?;
    head.lines()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| l.starts_with("destination:"))
}

/// A MESSAGE with this destination line and `body`, whatever its other headers.
fn stomp_message(destination_line: &str, body: &str) -> String {
    format!(
        r"(?s)\AMESSAGE\r?\n(?:.*\n)?{}\r?\n(?:.*\n)?\r?\n{}\x00",
        regex_lite::escape(destination_line),
        regex_lite::escape(body)
    )
}

struct Reader<'a> {
    settings: &'a ProtocolSettings,
    /// The id of the last emit with ack or call, whose reply an Expect result may read.
    awaited: Option<String>,
    /// Binary frames still to come for the last packet: they belong to it.
    attachments: usize,
}

impl Reader<'_> {
    fn socket_io(&mut self, item: &Recorded) -> Translated {
        let (sent, payload) = match item {
            Recorded::Sent { text, .. } => (true, Payload::Text(text.clone())),
            Recorded::Received(payload) => (false, payload.clone()),
            Recorded::Closed { .. } | Recorded::ClosedByYou { .. } => return Translated::AsItIs,
        };
        let engine = self.settings.socket_io.release.engine();
        let text = match &payload {
            Payload::Text(text) => text,
            Payload::Binary(_) if self.attachments > 0 => {
                self.attachments -= 1;
                return Translated::Left;
            }
            Payload::Binary(_) => return Translated::AsItIs,
        };
        let packet = match engine_io::decode_text(text, engine) {
            Ok(engine_io::Packet::Message(Data::Text(inner))) => socket_io::decode(&inner),
            // Open, ping, pong, noop: the run's own.
            Ok(_) => return Translated::Left,
            Err(_) => return Translated::AsItIs,
        };
        let Ok(packet) = packet else {
            return Translated::AsItIs;
        };
        self.attachments = packet.attachments;
        let namespace = if packet.namespace == self.settings.socket_io.first_namespace() {
            String::new()
        } else {
            packet.namespace.clone()
        };
        let (name, args) = match &packet.data {
            Some(Value::Array(items)) => match items.split_first() {
                Some((Value::String(name), rest)) => (name.clone(), Value::Array(rest.to_vec())),
                _ => (String::new(), Value::Array(items.clone())),
            },
            _ => (String::new(), Value::Array(Vec::new())),
        };
        let binary = packet.attachments > 0;
        match (sent, packet.kind) {
            (true, PacketType::Event) if !name.is_empty() => {
                self.awaited = packet.id.map(|id| ack_key(&packet.namespace, id));
                Translated::Step(StepKind::Emit {
                    event: name,
                    args: if args.as_array().is_some_and(Vec::is_empty) {
                        String::new()
                    } else {
                        literal(&args.to_string())
                    },
                    namespace,
                    ack: packet.id.is_some(),
                })
            }
            (false, PacketType::Event | PacketType::BinaryEvent) if !name.is_empty() => {
                Translated::Step(StepKind::ExpectEvent {
                    event: name,
                    // Attachments are joined by the run; only their presence is recorded.
                    matcher: if binary { Matcher::Any } else { subset(&args) },
                    mode: Mode::Next,
                    timeout_ms: DEFAULT_TIMEOUT_MS,
                    capture: Vec::new(),
                })
            }
            (false, PacketType::Ack | PacketType::BinaryAck) => {
                let key = packet.id.map(|id| ack_key(&packet.namespace, id));
                let data = packet.data.clone().unwrap_or(Value::Array(Vec::new()));
                self.reply(
                    key,
                    if binary { Matcher::Any } else { subset(&data) },
                    false,
                )
            }
            // CONNECTs, the server's answers to them, acks the run sends by itself.
            (_, PacketType::Connect | PacketType::ConnectError | PacketType::Ack) => {
                Translated::Left
            }
            _ => Translated::AsItIs,
        }
    }

    fn json_rpc(&mut self, item: &Recorded) -> Translated {
        let (sent, text) = match item {
            Recorded::Sent { text, .. } => (true, text.as_str()),
            Recorded::Received(Payload::Text(text)) => (false, text.as_str()),
            _ => return Translated::AsItIs,
        };
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
            return Translated::AsItIs;
        };
        let method = object.get("method").and_then(Value::as_str);
        let id = object.get("id").map(Value::to_string);
        match (sent, method) {
            (true, Some(method)) => {
                // Numbered as the run numbers them, or the reply cannot be read by id.
                self.awaited = id;
                Translated::Step(StepKind::Call {
                    method: method.to_string(),
                    params: object
                        .get("params")
                        .map(|p| literal(&p.to_string()))
                        .unwrap_or_default(),
                    notification: !object.contains_key("id"),
                })
            }
            (false, Some(method)) => Translated::Step(StepKind::ExpectEvent {
                event: method.to_string(),
                matcher: object.get("params").map_or(Matcher::Any, subset),
                mode: Mode::Next,
                timeout_ms: DEFAULT_TIMEOUT_MS,
                capture: Vec::new(),
            }),
            (false, None) => match (object.get("result"), object.get("error")) {
                (Some(result), None) => self.reply(id, subset(result), false),
                (None, Some(error)) => {
                    let code = error.get("code").cloned().unwrap_or(Value::Null);
                    let fields = serde_json::json!({ "code": code });
                    self.reply(id, Matcher::JsonSubset(fields), true)
                }
                _ => Translated::AsItIs,
            },
            (true, None) => Translated::AsItIs,
        }
    }

    /// An Expect result for the reply to the last request, when it is that one's; a reply to
    /// an earlier request is left out, since a run reads only the last one's.
    fn reply(&mut self, key: Option<String>, matcher: Matcher, error: bool) -> Translated {
        if key.is_none() || key != self.awaited {
            return Translated::Left;
        }
        self.awaited = None;
        Translated::Step(StepKind::ExpectResult {
            matcher,
            error,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            capture: Vec::new(),
        })
    }
}

/// The value as a recorded expectation: objects and arrays as a JSON subset, others equal.
fn subset(value: &Value) -> Matcher {
    expectation(&Payload::Text(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Format;

    fn sent(text: &str) -> Recorded {
        Recorded::Sent {
            format: Format::Text,
            text: text.into(),
        }
    }

    fn got(text: &str) -> Recorded {
        Recorded::Received(Payload::Text(text.into()))
    }

    fn titles(scenario: &Scenario) -> Vec<String> {
        scenario.steps.iter().map(|s| s.kind.title()).collect()
    }

    #[test]
    fn a_socket_io_session_records_as_emits_events_and_results() {
        let settings = ProtocolSettings {
            protocol: Protocol::SocketIo,
            ..ProtocolSettings::default()
        };
        let exchange = [
            got(r#"0{"sid":"a","pingInterval":1000,"pingTimeout":1000}"#),
            sent("40"),
            got(r#"40{"sid":"b"}"#),
            got(r#"42["welcome",{"id":"b"}]"#),
            sent(r#"420["ping-ack","a",1]"#),
            got("2"),
            sent("3"),
            got(r#"430["pong","a",1]"#),
            sent(r#"42/admin,["x"]"#),
            got(r#"451-["bytes",{"_placeholder":true,"num":0}]"#),
            Recorded::Received(Payload::Binary(vec![1, 2])),
            got(r#"421["question"]"#),
            sent("431[]"),
            Recorded::ClosedByYou {
                code: 1000,
                reason: String::new(),
            },
        ];
        assert_eq!(
            titles(&record_spoken(&exchange, &settings)),
            [
                "Connect",
                "Expect event \u{201c}welcome\u{201d}: JSON subset [{\"id\":\"b\"}]",
                "Emit \u{201c}ping-ack\u{201d} [\"a\",1], asking for an acknowledgement",
                "Expect result: JSON subset [\"pong\",\"a\",1]",
                "Emit \u{201c}x\u{201d} on /admin",
                "Expect event \u{201c}bytes\u{201d}",
                "Expect event \u{201c}question\u{201d}: JSON subset []",
                "Close 1000",
                "Expect close 1000",
            ]
        );
    }

    #[test]
    fn a_graphql_session_records_its_operations_not_its_handshake_nor_the_secret_in_it() {
        let settings = ProtocolSettings {
            protocol: Protocol::Graphql,
            ..ProtocolSettings::default()
        };
        let exchange = [
            sent(r#"{"type":"connection_init","payload":{"token":"s3cret"}}"#),
            got(r#"{"type":"connection_ack"}"#),
            sent(r#"{"id":"1","type":"subscribe","payload":{"query":"{ a }"}}"#),
            got(r#"{"type":"ping"}"#),
            sent(r#"{"type":"pong"}"#),
            got(r#"{"id":"1","type":"next","payload":{"data":{"a":1}}}"#),
            got(r#"{"id":"1","type":"complete"}"#),
        ];
        let recorded = record_spoken(&exchange, &settings);
        let titles = titles(&recorded);
        assert_eq!(titles.len(), 4, "{titles:?}");
        assert_eq!(titles[0], "Connect");
        assert!(titles[1].starts_with("Send"), "{titles:?}");
        let file = serde_json::to_string(&recorded).unwrap_or_default();
        assert!(!file.contains("s3cret"), "{file}");
        assert!(!file.contains("connection_init"), "{file}");
    }

    #[test]
    fn stomp_records_subscribe_send_and_messages_and_leaves_its_housekeeping_to_the_run() {
        let settings = ProtocolSettings {
            protocol: Protocol::Stomp,
            ..ProtocolSettings::default()
        };
        let sent = |text: &str| Recorded::Sent {
            format: Format::Text,
            text: text.into(),
        };
        let received = |text: &str| Recorded::Received(Payload::Text(text.into()));
        let message = |session: &str, body: &str| {
            format!(
                "MESSAGE\nsubscription:sub-1\ndestination:/queue/a:b\nmessage-id:T@@{session}@@1\n\
                 content-length:{}\n\n{body}\0\n",
                body.len()
            )
        };
        let exchange = [
            sent("CONNECT\naccept-version:1.2\nlogin:u\npasscode:secret\n\n\0"),
            received("CONNECTED\nversion:1.2\n\n\0\n"),
            received("\n"),
            sent("SUBSCRIBE\nid:sub-1\ndestination:/queue/a\\cb\nreceipt:1\n\n\0"),
            received("RECEIPT\nreceipt-id:1\n\n\0\n"),
            sent("SEND\ndestination:/queue/a\\cb\ncontent-length:5\n\nhello\0"),
            received(&message("one", "hello")),
            sent("ACK\nid:T@@one@@1\n\n\0"),
            received("ERROR\nmessage:Unknown destination\n\n\0\n"),
            sent("DISCONNECT\nreceipt:2\n\n\0"),
            // A CONNECT that does not read as a frame is left out all the same.
            sent("CONNECT\npasscode:secret\nbroken"),
            Recorded::ClosedByYou {
                code: 1000,
                reason: String::new(),
            },
        ];
        let recorded = record_spoken(&exchange, &settings);
        let text = serde_json::to_string(&recorded).unwrap_or_default();
        assert!(!text.contains("secret"), "{text}");
        let kinds: Vec<&StepKind> = recorded.steps.iter().map(|s| &s.kind).collect();
        assert!(
            matches!(kinds.as_slice(), [
            StepKind::Connect { .. },
            StepKind::Send { text: subscribe, .. },
            StepKind::Send { text: send, .. },
            StepKind::ExpectMessage { matcher: Matcher::Regex(pattern), .. },
            StepKind::ExpectMessage { matcher: Matcher::Equals(error), .. },
            StepKind::Close { .. },
            StepKind::ExpectClose { code: None, .. },
        ] if subscribe.starts_with("SUBSCRIBE") && send.starts_with("SEND")
            && error.starts_with("ERROR")
            && regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(&message("two", "hello"))
                && !re.is_match(&message("two", "hellO"))
                && re.is_match("MESSAGE\nmessage-id:x\ndestination:/queue/a:b\n\nhello\0")
                && !re.is_match(&message("two", "hello").replace("/queue/a:b", "/queue/a")))),
            "{kinds:#?}"
        );
    }

    #[test]
    fn a_stomp_1_0_session_reads_its_unescaped_headers_as_1_0() {
        let settings = ProtocolSettings {
            protocol: Protocol::Stomp,
            ..ProtocolSettings::default()
        };
        let exchange = [
            Recorded::Received(Payload::Text("CONNECTED\nversion:1.0\n\n\0".into())),
            Recorded::Received(Payload::Text(
                "MESSAGE\ndestination:/q\npath:C:\\tmp\nmessage-id:9\n\nhi\0".into(),
            )),
        ];
        let recorded = record_spoken(&exchange, &settings);
        assert!(
            matches!(
                recorded.steps.get(1).map(|s| &s.kind),
                Some(StepKind::ExpectMessage {
                    matcher: Matcher::Regex(_),
                    ..
                })
            ),
            "{:#?}",
            recorded.steps
        );
    }

    #[test]
    fn an_mqtt_close_expects_any_close_after_the_disconnect() {
        let settings = ProtocolSettings {
            protocol: Protocol::Mqtt,
            ..ProtocolSettings::default()
        };
        let exchange = [Recorded::ClosedByYou {
            code: 1006,
            reason: String::new(),
        }];
        let recorded = record_spoken(&exchange, &settings);
        assert_eq!(
            recorded.steps.get(2).map(|s| &s.kind),
            Some(&StepKind::ExpectClose {
                code: None,
                reason: None,
                timeout_ms: DEFAULT_TIMEOUT_MS
            })
        );
        assert!(matches!(
            recorded.steps.get(1).map(|s| &s.kind),
            Some(StepKind::Close { code: 1000, .. })
        ));
    }

    #[test]
    fn a_json_rpc_session_records_as_calls_results_errors_and_events() {
        let settings = ProtocolSettings {
            protocol: Protocol::JsonRpc,
            ..ProtocolSettings::default()
        };
        let exchange = [
            sent(r#"{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}"#),
            got(r#"{"jsonrpc":"2.0","result":19,"id":1}"#),
            sent(r#"{"jsonrpc":"2.0","method":"a","id":2}"#),
            sent(r#"{"jsonrpc":"2.0","method":"b","id":3}"#),
            // The reply to a call before the last: a run reads only the last one's.
            got(r#"{"jsonrpc":"2.0","result":"a","id":2}"#),
            got(r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"nope"},"id":3}"#),
            got(r#"{"jsonrpc":"2.0","method":"tick","params":{"n":1}}"#),
            sent(r#"{"jsonrpc":"2.0","method":"hello"}"#),
            sent(r#"[{"jsonrpc":"2.0","method":"hello"}]"#),
        ];
        assert_eq!(
            titles(&record_spoken(&exchange, &settings)),
            [
                "Connect",
                "Call \u{201c}subtract\u{201d} [42,23]",
                "Expect result: equals \u{201c}19\u{201d}",
                "Call \u{201c}a\u{201d}",
                "Call \u{201c}b\u{201d}",
                "Expect error: JSON subset {\"code\":-32601}",
                "Expect event \u{201c}tick\u{201d}: JSON subset {\"n\":1}",
                "Notify \u{201c}hello\u{201d}",
                "Send Text: [{\"jsonrpc\":\"2.0\",\"method\":\"hello\"}]",
            ]
        );
    }
}
