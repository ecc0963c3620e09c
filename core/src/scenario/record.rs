//! Recording: an exchange done by hand, turned into a scenario that repeats and checks it.

use serde_json::Value;

use super::events::Payload;
use super::model::{
    DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Matcher, Mode, Scenario, Step, StepKind,
};
use crate::compose::Format;
use crate::log::{self, Direction, LogEntry};

/// One thing that happened, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// A message sent, as it was typed and in the format it was read in.
    Sent {
        format: Format,
        text: String,
    },
    Received(Payload),
    /// The server closed.
    Closed {
        code: u16,
        reason: String,
    },
    /// The person closed, and the server answered with `code`.
    ClosedByYou {
        code: u16,
        reason: String,
    },
}

impl Recorded {
    /// A sent message known only by its data: text as text, binary as hex.
    pub fn sent(payload: &Payload) -> Self {
        match payload {
            Payload::Text(text) => Self::Sent {
                format: Format::Text,
                text: text.clone(),
            },
            Payload::Binary(bytes) => Self::Sent {
                format: Format::Hex,
                text: crate::payload::hex(bytes),
            },
        }
    }
}

/// A scenario that connects, sends what was sent, expects what was received (JSON objects
/// and arrays as a JSON subset of the whole message, other text as equal, binary as equal
/// bytes) and expects the close, in the same order.
pub fn record(exchange: &[Recorded]) -> Scenario {
    record_with(exchange, |_| Translated::AsItIs)
}

/// What a recorded item becomes in a protocol's terms.
pub(crate) enum Translated {
    /// The raw step: a Send, or an Expect message.
    AsItIs,
    /// The protocol's own housekeeping (pings, the handshake), which a run does by itself.
    Left,
    Step(StepKind),
}

/// `record`, with each sent or received message translated first.
pub(crate) fn record_with(
    exchange: &[Recorded],
    mut translate: impl FnMut(&Recorded) -> Translated,
) -> Scenario {
    let mut steps = vec![StepKind::Connect {
        timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
        subprotocol: None,
        refused: false,
        status: None,
    }];
    for item in exchange {
        // The run closes as the person did, then expects the server's answer. A code no
        // browser may send (1006: the server dropped the connection instead of answering)
        // was not the person's: they closed with 1000.
        if let Recorded::ClosedByYou { code, reason } = item {
            let (code, reason) = match crate::close_code::check_user_close(*code, reason) {
                Ok(()) => (*code, literal(reason)),
                Err(_) => (1000, String::new()),
            };
            steps.push(StepKind::Close { code, reason });
        }
        match translate(item) {
            Translated::AsItIs => {}
            Translated::Left => continue,
            Translated::Step(step) => {
                steps.push(step);
                continue;
            }
        }
        steps.push(match item {
            Recorded::Sent { format, text } => StepKind::Send {
                format: *format,
                text: literal(text),
            },
            Recorded::Received(payload) => StepKind::ExpectMessage {
                matcher: expectation(payload),
                mode: Mode::Next,
                timeout_ms: DEFAULT_TIMEOUT_MS,
                capture: vec![],
            },
            Recorded::Closed { code, .. } | Recorded::ClosedByYou { code, .. } => {
                StepKind::ExpectClose {
                    code: Some(*code),
                    reason: None,
                    timeout_ms: DEFAULT_TIMEOUT_MS,
                }
            }
        });
    }
    Scenario {
        name: String::new(),
        steps: steps
            .into_iter()
            .zip(1..)
            .map(|(kind, id)| Step::new(id, kind))
            .collect(),
    }
}

/// How a connection ended, for `from_log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub code: u16,
    pub reason: String,
    /// The person closed it (else the server did).
    pub by_you: bool,
}

/// What the log holds of one connection, as an exchange to record: what was sent and
/// received, in order (events left out), then the close if it closed.
pub fn from_log(entries: &[LogEntry], ended: Option<Ending>) -> Vec<Recorded> {
    let mut exchange: Vec<Recorded> = entries
        .iter()
        .filter_map(|entry| {
            let payload = match &entry.payload {
                log::Payload::Text(text) => Payload::Text(text.clone()),
                log::Payload::Binary(bytes) => Payload::Binary(bytes.clone()),
                log::Payload::Event(_) => return None,
            };
            match entry.direction {
                Direction::Sent => Some(Recorded::sent(&payload)),
                Direction::Received => Some(Recorded::Received(payload)),
                Direction::Event => None,
            }
        })
        .collect();
    exchange.extend(ended.map(
        |Ending {
             code,
             reason,
             by_you,
         }| {
            if by_you {
                Recorded::ClosedByYou { code, reason }
            } else {
                Recorded::Closed { code, reason }
            }
        },
    ));
    exchange
}

pub(crate) fn expectation(payload: &Payload) -> Matcher {
    match payload {
        Payload::Text(text) => match serde_json::from_str::<Value>(text) {
            Ok(value @ (Value::Object(_) | Value::Array(_))) => {
                Matcher::JsonSubset(literal_json(value))
            }
            _ => Matcher::Equals(literal(text)),
        },
        Payload::Binary(bytes) => Matcher::BinaryEquals(crate::payload::hex(bytes)),
    }
}

/// Text as itself: a `{{` that was sent or received is not a variable.
pub(crate) fn literal(text: &str) -> String {
    text.replace("{{", "\\{{")
}

fn literal_json(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(literal(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(literal_json).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, literal_json(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_exchange_becomes_steps() {
        let scenario = record(&[
            Recorded::Sent {
                format: Format::Json,
                text: r#"{"op":"join"}"#.into(),
            },
            Recorded::Received(Payload::Text(r#"{"type":"joined","room":{"id":1}}"#.into())),
            Recorded::Received(Payload::Text("pong {{x}}".into())),
            Recorded::sent(&Payload::Binary(vec![1, 2])),
            Recorded::Received(Payload::Binary(vec![0xff])),
            Recorded::Closed {
                code: 4000,
                reason: "bye".into(),
            },
        ]);
        let kinds: Vec<String> = scenario.steps.iter().map(|s| s.kind.title()).collect();
        assert_eq!(
            kinds,
            [
                "Connect",
                "Send JSON: {\"op\":\"join\"}",
                "Expect message: JSON subset {\"room\":{\"id\":1},\"type\":\"joined\"}",
                "Expect message: equals \u{201c}pong \\{{x}}\u{201d}",
                "Send Hex: 01 02",
                "Expect message: binary equal to ff",
                "Expect close 4000",
            ]
        );
        let ids: Vec<u64> = scenario.steps.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(
            expectation(&Payload::Text(r#"["{{a}}"]"#.into())),
            Matcher::JsonSubset(json!(["\\{{a}}"]))
        );
        assert_eq!(
            expectation(&Payload::Text("42".into())),
            Matcher::Equals("42".into())
        );
    }

    #[test]
    fn a_close_by_the_person_is_replayed_then_its_answer_expected() {
        let scenario = record(&[Recorded::ClosedByYou {
            code: 4001,
            reason: "done".into(),
        }]);
        let kinds: Vec<String> = scenario.steps.iter().map(|s| s.kind.title()).collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
        assert_eq!(
            scenario.steps.get(1).map(|s| &s.kind),
            Some(&StepKind::Close {
                code: 4001,
                reason: "done".into()
            })
        );
        assert_eq!(
            scenario.steps.get(2).map(|s| &s.kind),
            Some(&StepKind::ExpectClose {
                code: Some(4001),
                reason: None,
                timeout_ms: DEFAULT_TIMEOUT_MS
            })
        );
    }

    #[test]
    fn a_close_the_server_dropped_is_replayed_as_a_normal_close() {
        let scenario = record(&[Recorded::ClosedByYou {
            code: 1006,
            reason: String::new(),
        }]);
        assert_eq!(
            scenario.steps.get(1).map(|s| &s.kind),
            Some(&StepKind::Close {
                code: 1000,
                reason: String::new()
            })
        );
        assert!(matches!(
            scenario.steps.get(2).map(|s| &s.kind),
            Some(StepKind::ExpectClose {
                code: Some(1006),
                ..
            })
        ));
    }

    #[test]
    fn the_log_of_a_connection_is_its_exchange() {
        let entry = |seq, direction, payload| LogEntry {
            seq,
            time_ms: 0.0,
            direction,
            payload,
            note: None,
        };
        let entries = [
            entry(1, Direction::Event, log::Payload::Event("Open".into())),
            entry(2, Direction::Sent, log::Payload::Text("hi".into())),
            entry(3, Direction::Received, log::Payload::Binary(vec![7])),
        ];
        assert_eq!(
            from_log(
                &entries,
                Some(Ending {
                    code: 1000,
                    reason: String::new(),
                    by_you: false
                })
            ),
            [
                Recorded::Sent {
                    format: Format::Text,
                    text: "hi".into()
                },
                Recorded::Received(Payload::Binary(vec![7])),
                Recorded::Closed {
                    code: 1000,
                    reason: String::new()
                },
            ]
        );
    }
}
