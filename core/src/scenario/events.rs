//! What passes between a run and its driver: events in, actions out, and the states steps
//! go through. All serde, so fixtures write traces and the UI keeps results as JSON.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::diff::Difference;
use crate::compose::Frame;

/// A message's data. Binary is written as hex in JSON (`{"binary": "de ad"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    Text(String),
    Binary(#[serde(with = "hex_bytes")] Vec<u8>),
}

impl Payload {
    pub fn size(&self) -> usize {
        match self {
            Self::Text(text) => text.len(),
            Self::Binary(bytes) => bytes.len(),
        }
    }

    /// One line for a failure: text cut at 120 characters, binary as its first 48 bytes.
    pub fn preview(&self) -> String {
        match self {
            Self::Text(text) => {
                let (shown, cut) = crate::payload::text_preview(text, 120);
                format!(
                    "\u{201c}{shown}{}\u{201d}",
                    if cut { "\u{2026}" } else { "" }
                )
            }
            Self::Binary(bytes) => {
                let (shown, cut) = crate::payload::hex_preview(bytes, 48);
                format!(
                    "binary {} bytes: {shown}{}",
                    bytes.len(),
                    if cut { " \u{2026}" } else { "" }
                )
            }
        }
    }
}

impl From<Frame> for Payload {
    fn from(frame: Frame) -> Self {
        match frame {
            Frame::Text(text) => Self::Text(text),
            Frame::Binary(bytes) => Self::Binary(bytes),
        }
    }
}

impl From<Payload> for Frame {
    fn from(payload: Payload) -> Self {
        match payload {
            Payload::Text(text) => Self::Text(text),
            Payload::Binary(bytes) => Self::Binary(bytes),
        }
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::payload::hex(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        crate::compose::parse_hex(&text).map_err(D::Error::custom)
    }
}

/// Told apart by number; a run never reuses one, so a late firing is recognised as stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimerId(pub u64);

/// What happened on the driver's side. Times come with `Run::handle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The handshake completed; `subprotocol` is what the server chose (`""` for none).
    Opened {
        #[serde(default)]
        subprotocol: String,
    },
    /// The handshake failed. A browser driver has no status to give (`None`); the relay and
    /// the command line give the HTTP status when there was one.
    Refused {
        #[serde(default)]
        status: Option<u16>,
        #[serde(default)]
        detail: String,
    },
    Message(Payload),
    Closed {
        code: u16,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        clean: bool,
    },
    TimerFired(TimerId),
}

/// Where and how to dial, variables already replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialTarget {
    pub url: String,
    pub subprotocols: Vec<String>,
    /// Headers and the Cookie header; only the relay or the command line can send them.
    pub headers: Vec<(String, String)>,
    /// Whether a browser must go through the relay (see `Request::needs_relay`).
    pub relay: bool,
}

/// What the driver must do, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Dial(DialTarget),
    Send(Payload),
    Close {
        code: u16,
        reason: String,
    },
    /// Deliver `Event::TimerFired(id)` after `after_ms`, unless cancelled first.
    ArmTimer {
        id: TimerId,
        after_ms: f64,
    },
    CancelTimer(TimerId),
    StepChanged {
        index: usize,
        state: StepState,
    },
    Finished(Verdict),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
        }
    }
}

/// A variable a step took from a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Captured {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    Pending,
    Running,
    Passed {
        duration_ms: f64,
        /// Messages passed over to find the match (skip until, expect N).
        #[serde(default, skip_serializing_if = "is_zero")]
        skipped: usize,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        captured: Vec<Captured>,
    },
    Failed {
        duration_ms: f64,
        failure: Failure,
    },
    /// Not run, because an earlier step failed.
    Skipped,
}

impl StepState {
    pub fn word(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Passed { .. } => "passed",
            Self::Failed { .. } => "failed",
            Self::Skipped => "skipped",
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Passed { .. } | Self::Failed { .. } | Self::Skipped
        )
    }

    pub fn duration_ms(&self) -> Option<f64> {
        match self {
            Self::Passed { duration_ms, .. } | Self::Failed { duration_ms, .. } => {
                Some(*duration_ms)
            }
            _ => None,
        }
    }

    /// Messages the step passed over, passed or failed.
    pub fn skipped(&self) -> usize {
        match self {
            Self::Passed { skipped, .. } => *skipped,
            Self::Failed { failure, .. } => failure.skipped,
            _ => 0,
        }
    }

    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Failed { failure, .. } => Some(failure),
            _ => None,
        }
    }
}

/// Why a step failed: what it expected, what happened instead, and the closest messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The step's index, from 0.
    pub step: usize,
    pub expected: String,
    pub actual: String,
    /// The last few messages the step read (at most `RECENT`), each with why it did not match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<Near>,
    /// Messages read and passed over before it failed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

/// A message that arrived instead, and how it differs from what was expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Near {
    pub preview: String,
    pub why: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
}

/// Messages kept per step for its failure.
pub const RECENT: usize = 3;

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Step {}: expected {}; instead {}.",
            self.step + 1,
            self.expected,
            self.actual
        )?;
        if self.skipped > 0 {
            write!(f, " ({} messages passed over.)", self.skipped)?;
        }
        for near in &self.received {
            write!(f, "\n  received {}: {}", near.preview, near.why)?;
            for d in &near.differences {
                write!(f, "\n    {d}")?;
            }
        }
        Ok(())
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_and_actions_read_as_written_in_fixtures() {
        let event: Event = serde_json::from_value(json!({"message": {"binary": "de ad"}})).unwrap();
        assert_eq!(event, Event::Message(Payload::Binary(vec![0xde, 0xad])));
        let event: Event = serde_json::from_value(json!({"timer_fired": 3})).unwrap();
        assert_eq!(event, Event::TimerFired(TimerId(3)));
        let event: Event = serde_json::from_value(json!({"refused": {"status": 401}})).unwrap();
        assert_eq!(
            event,
            Event::Refused {
                status: Some(401),
                detail: String::new()
            }
        );
        let action = serde_json::to_value(Action::Send(Payload::Binary(vec![1, 255]))).unwrap();
        assert_eq!(action, json!({"send": {"binary": "01 ff"}}));
        assert!(serde_json::from_value::<Payload>(json!({"binary": "zz"})).is_err());
    }

    #[test]
    fn previews_are_short() {
        assert_eq!(
            Payload::Text("a\nb".into()).preview(),
            "\u{201c}a\u{23ce}b\u{201d}"
        );
        let long = Payload::Binary(vec![0; 100]).preview();
        assert!(long.starts_with("binary 100 bytes: 00 00") && long.ends_with('\u{2026}'));
    }
}
