//! What a scenario is made of, exactly as its file stores it. Every field a person may leave
//! out has a default; fields nobody knows are refused, so a typo (`timout_ms`) cannot quietly
//! turn a check off.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::compose::Format;

/// How long an expect step waits when its file does not say.
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;
/// How long a Connect step waits for the handshake when its file does not say.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = crate::relay::DEFAULT_TIMEOUT_MS;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub name: String,
    pub steps: Vec<Step>,
}

impl Scenario {
    /// A request without a scenario stores none (and its share link stays as short).
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.steps.is_empty()
    }

    /// An id no step has yet, for a step the UI adds.
    pub fn next_id(&self) -> u64 {
        self.steps
            .iter()
            .map(|s| s.id)
            .max()
            .map_or(1, |m| m.saturating_add(1))
    }
}

/// One step; `id` is stable across edits, for the UI's rows (files may leave it out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde(default)]
    pub id: u64,
    #[serde(flatten)]
    pub kind: StepKind,
}

impl Step {
    pub fn new(id: u64, kind: StepKind) -> Self {
        Self { id, kind }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepKind {
    /// Dials the request (URL, parameters, subprotocols, headers and cookies).
    Connect {
        /// The handshake must end (open, or be refused) within this.
        #[serde(
            default = "connect_timeout",
            skip_serializing_if = "is_connect_timeout"
        )]
        timeout_ms: u64,
        /// The subprotocol the server must choose; `""` for none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subprotocol: Option<String>,
        /// A negative test: the handshake must be refused.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        refused: bool,
        /// With `refused`: the HTTP status of the refusal. Only the relay or the command line
        /// can see it; in a browser such a step fails, saying so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
    },
    Send {
        #[serde(default)]
        format: Format,
        /// In `format`, with `{{variables}}`.
        text: String,
    },
    ExpectMessage {
        #[serde(rename = "match", default, skip_serializing_if = "Matcher::is_any")]
        matcher: Matcher,
        #[serde(default, skip_serializing_if = "Mode::is_next")]
        mode: Mode,
        #[serde(
            default = "default_timeout",
            skip_serializing_if = "is_default_timeout"
        )]
        timeout_ms: u64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        capture: Vec<Capture>,
    },
    /// No message (matching, if given) may arrive for `for_ms`.
    ExpectNoMessage {
        #[serde(rename = "match", default, skip_serializing_if = "Matcher::is_any")]
        matcher: Matcher,
        for_ms: u64,
    },
    /// `count` messages matching must arrive within `within_ms`; others are passed over.
    ExpectMessages {
        count: u64,
        #[serde(rename = "match", default, skip_serializing_if = "Matcher::is_any")]
        matcher: Matcher,
        within_ms: u64,
    },
    Wait {
        ms: u64,
    },
    Close {
        #[serde(default = "normal_closure")]
        code: u16,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    /// Socket.IO: emits `event` on `namespace` (the first of the request's when empty) with
    /// `args`, a JSON array with `{{variables}}` (empty: none). With `ack`, the server's
    /// acknowledgement is what an Expect result step after it reads.
    Emit {
        event: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        args: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        namespace: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        ack: bool,
    },
    /// An event from the server (Socket.IO), or a notification or call from it (JSON-RPC),
    /// named `event` (any when empty), whose arguments (or params) as JSON match.
    ExpectEvent {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        event: String,
        #[serde(rename = "match", default, skip_serializing_if = "Matcher::is_any")]
        matcher: Matcher,
        #[serde(default, skip_serializing_if = "Mode::is_next")]
        mode: Mode,
        #[serde(
            default = "default_timeout",
            skip_serializing_if = "is_default_timeout"
        )]
        timeout_ms: u64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        capture: Vec<Capture>,
    },
    /// JSON-RPC: calls `method` with `params`, a JSON array or object with `{{variables}}`
    /// (empty: none). A `notification` has no id and gets no response.
    Call {
        method: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        params: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        notification: bool,
    },
    /// The reply to the last Call, or Emit with ack: its result (a Socket.IO ack's arguments)
    /// must match; with `error`, the call must fail and its error object match.
    ExpectResult {
        #[serde(rename = "match", default, skip_serializing_if = "Matcher::is_any")]
        matcher: Matcher,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        error: bool,
        #[serde(
            default = "default_timeout",
            skip_serializing_if = "is_default_timeout"
        )]
        timeout_ms: u64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        capture: Vec<Capture>,
    },
    ExpectClose {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<u16>,
        /// A regular expression the reason must match (anywhere; anchor with ^ and $).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(
            default = "default_timeout",
            skip_serializing_if = "is_default_timeout"
        )]
        timeout_ms: u64,
    },
}

/// Whether an expect step reads only the next message or passes over others to find one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Next,
    SkipUntil,
}

impl Mode {
    fn is_next(&self) -> bool {
        *self == Self::Next
    }
}

/// What a message must be. Text matchers match text messages only, binary ones binary only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Matcher {
    #[default]
    Any,
    /// The whole text, with `{{variables}}`.
    Equals(String),
    /// Part of the text, with `{{variables}}`.
    Contains(String),
    /// A regular expression found anywhere in the text (no variables: braces are syntax).
    Regex(String),
    /// A JSON message holding at least these fields with these values, recursively; arrays
    /// match element by element and must be as long. String values take `{{variables}}`.
    JsonSubset(Value),
    JsonPointer(PointerMatch),
    /// A binary message of exactly these bytes, in hex.
    BinaryEquals(String),
    /// A binary message starting with these bytes, in hex.
    BinaryPrefix(String),
    /// Any message of this many bytes (text counted as UTF-8).
    Size(SizeRange),
}

impl Matcher {
    pub fn is_any(&self) -> bool {
        *self == Self::Any
    }
}

/// The value at a JSON Pointer: equal to `equals`, matching `matches`, or (with neither)
/// present; `exists: false` means absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointerMatch {
    pub pointer: String,
    /// Present even when `null`: `"equals": null` expects a null.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub equals: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

/// A value taken from the matching message into a variable, for later steps: from a JSON
/// Pointer, or a regular expression's group (1 unless told; 0 is the whole match).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default = "first_group", skip_serializing_if = "is_first_group")]
    pub group: usize,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn connect_timeout() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}
fn is_connect_timeout(ms: &u64) -> bool {
    *ms == DEFAULT_CONNECT_TIMEOUT_MS
}
fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_MS
}
fn is_default_timeout(ms: &u64) -> bool {
    *ms == DEFAULT_TIMEOUT_MS
}
fn normal_closure() -> u16 {
    1000
}
fn first_group() -> usize {
    1
}
fn is_first_group(group: &usize) -> bool {
    *group == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn step(value: Value) -> Result<Step, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn steps_read_with_defaults() {
        assert_eq!(
            step(json!({"kind": "expect_message", "match": {"contains": "hi"}})),
            Ok(Step::new(
                0,
                StepKind::ExpectMessage {
                    matcher: Matcher::Contains("hi".into()),
                    mode: Mode::Next,
                    timeout_ms: DEFAULT_TIMEOUT_MS,
                    capture: vec![],
                }
            ))
        );
        assert_eq!(
            step(json!({"id": 4, "kind": "connect"})),
            Ok(Step::new(
                4,
                StepKind::Connect {
                    timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
                    subprotocol: None,
                    refused: false,
                    status: None
                }
            ))
        );
        assert_eq!(
            step(json!({"kind": "close"})),
            Ok(Step::new(
                0,
                StepKind::Close {
                    code: 1000,
                    reason: String::new()
                }
            ))
        );
    }

    #[test]
    fn a_misspelt_field_or_kind_is_refused() {
        let typo = step(json!({"kind": "expect_message", "timout_ms": 10}));
        assert!(
            typo.as_ref().is_err_and(|e| e.contains("timout_ms")),
            "{typo:?}"
        );
        assert!(step(json!({"kind": "expect_mesage"})).is_err());
        assert!(
            step(json!({"kind": "expect_message", "match": {"json_pointer": {"pointer": "/a", "equal": 1}}}))
                .is_err()
        );
    }

    #[test]
    fn a_null_to_expect_is_kept_apart_from_no_expectation() {
        let Ok(Step {
            kind: StepKind::ExpectMessage { matcher, .. },
            ..
        }) = step(
            json!({"kind": "expect_message", "match": {"json_pointer": {"pointer": "/a", "equals": null}}}),
        )
        else {
            panic!("not read")
        };
        assert_eq!(
            matcher,
            Matcher::JsonPointer(PointerMatch {
                pointer: "/a".into(),
                equals: Some(Value::Null),
                ..PointerMatch::default()
            })
        );
    }

    #[test]
    fn defaults_are_left_out_when_written() {
        let written = serde_json::to_value(Step::new(
            2,
            StepKind::ExpectMessage {
                matcher: Matcher::Any,
                mode: Mode::Next,
                timeout_ms: DEFAULT_TIMEOUT_MS,
                capture: vec![],
            },
        ))
        .ok();
        assert_eq!(written, Some(json!({"id": 2, "kind": "expect_message"})));
    }
}
