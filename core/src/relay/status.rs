//! The relay's status, as the page checks it (when the relay panel opens, and before each dial
//! through the relay): is it running, does it accept this page and its token, and do the two
//! speak the same version of their protocol. The relay answers a WebSocket on `/status` from
//! any page with one message and closes; only a page it accepts learns its version and whether
//! the token is right.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The version of what the page and the relay say to each other (the control and data
/// sockets). A change either side cannot read raises it.
pub const PROTOCOL: u32 = 1;

/// How long the page waits for the relay's status before calling it not running.
pub const CHECK_TIMEOUT_MS: u32 = 3000;

/// The relay's answer on `/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "status")]
pub struct StatusAnswer {
    /// The page's origin as the relay read it.
    #[serde(default)]
    pub origin: String,
    pub page_allowed: bool,
    /// The rest is only told to a page the relay accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The oldest and newest protocol versions the relay speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocols: Option<(u32, u32)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_ok: Option<bool>,
}

impl StatusAnswer {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the page makes of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayStatus {
    Checking,
    /// Nothing answered at the address (or not in time).
    NotRunning {
        address: String,
    },
    /// The browser would not dial the address (not a WebSocket URL, mixed content, a port it
    /// never dials): its reason.
    CannotDial {
        address: String,
        why: String,
    },
    RefusesPage {
        origin: String,
    },
    NoToken,
    WrongToken,
    /// The relay speaks only protocols older than the page's.
    TooOld {
        version: String,
    },
    /// The relay speaks only protocols newer than the page's.
    TooNew {
        version: String,
    },
    Paired {
        version: String,
    },
    /// The answer was not a relay's status.
    Unreadable {
        why: String,
    },
}

impl RelayStatus {
    /// Reads the relay's answer; `token` is the one the page sent.
    pub fn from_answer(text: &str, token: &str) -> Self {
        let unreadable = |why: String| Self::Unreadable { why };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return unreadable(e.to_string()),
        };
        // serde's tag on a struct is written but not checked when read.
        if value.get("type").and_then(serde_json::Value::as_str) != Some("status") {
            return unreadable("its answer is not a status".into());
        }
        let answer: StatusAnswer = match serde_json::from_value(value) {
            Ok(answer) => answer,
            Err(e) => return unreadable(e.to_string()),
        };
        if !answer.page_allowed {
            return Self::RefusesPage {
                origin: answer.origin,
            };
        }
        let version = answer.version.unwrap_or_else(|| "unknown".into());
        match answer.protocols {
            Some((_, newest)) if newest < PROTOCOL => return Self::TooOld { version },
            Some((oldest, _)) if oldest > PROTOCOL => return Self::TooNew { version },
            Some(_) => {}
            None => {
                return Self::Unreadable {
                    why: "it does not say which protocol it speaks".into(),
                };
            }
        }
        if token.trim().is_empty() {
            Self::NoToken
        } else if answer.token_ok == Some(true) {
            Self::Paired { version }
        } else {
            Self::WrongToken
        }
    }

    pub fn is_paired(&self) -> bool {
        matches!(self, Self::Paired { .. })
    }
}

impl fmt::Display for RelayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Checking => write!(f, "Checking the relay\u{2026}"),
            Self::CannotDial { address, why } => {
                write!(f, "The browser will not dial the relay at {address}: {why}")
            }
            Self::NotRunning { address } => write!(
                f,
                "No relay is running at {address}: start it with the relay command under Headers, cookies and relay (or check Relay address)."
            ),
            Self::RefusesPage { origin } => write!(
                f,
                "The relay is running but refuses pages from {origin}: start it again with the relay command under Headers, cookies and relay, which allows this page."
            ),
            Self::NoToken => write!(
                f,
                "The relay is running; paste the token it printed into Relay token, or open the link it printed."
            ),
            Self::WrongToken => write!(
                f,
                "The relay is running, but Relay token is not the one it printed when it started (it makes a new one each time). Paste the new one, or open the link it printed."
            ),
            Self::TooOld { version } => write!(
                f,
                "The relay is version {version}, too old for this page: install the newest wsprobe (see the README) and start it again."
            ),
            Self::TooNew { version } => write!(
                f,
                "The relay is version {version}, newer than this page understands: reload the page to get the newest wsprobe, or use the relay of this page's version."
            ),
            Self::Paired { version } => write!(f, "Paired with the relay, version {version}."),
            Self::Unreadable { why } => write!(
                f,
                "Something answers at the relay address, but not as a wsprobe relay ({why}): check Relay address."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(page_allowed: bool, protocols: (u32, u32), token_ok: Option<bool>) -> String {
        StatusAnswer {
            origin: "https://you.github.io".into(),
            page_allowed,
            version: Some("0.1.0".into()),
            protocols: Some(protocols),
            token_ok,
        }
        .to_json()
    }

    #[test]
    fn the_answer_has_the_documented_shape() {
        assert_eq!(
            answer(true, (1, 1), Some(true)),
            r#"{"type":"status","origin":"https://you.github.io","page_allowed":true,"version":"0.1.0","protocols":[1,1],"token_ok":true}"#
        );
        let refused = StatusAnswer {
            origin: "https://x.io".into(),
            page_allowed: false,
            version: None,
            protocols: None,
            token_ok: None,
        };
        assert_eq!(
            refused.to_json(),
            r#"{"type":"status","origin":"https://x.io","page_allowed":false}"#
        );
    }

    #[test]
    fn each_answer_reads_as_what_the_person_must_do() {
        let p = PROTOCOL;
        let paired = RelayStatus::from_answer(&answer(true, (p, p), Some(true)), "t");
        assert_eq!(
            paired,
            RelayStatus::Paired {
                version: "0.1.0".into()
            }
        );
        assert!(paired.is_paired());
        let cases = [
            (
                answer(true, (p, p), Some(false)),
                "t",
                "not the one it printed",
            ),
            (answer(true, (p, p), Some(false)), " ", "paste the token"),
            (
                answer(false, (p, p), None),
                "t",
                "refuses pages from https://you.github.io",
            ),
            (
                answer(true, (p + 1, p + 5), Some(true)),
                "t",
                "newer than this page",
            ),
            (
                answer(true, (0, p - 1), Some(true)),
                "t",
                "too old for this page",
            ),
            ("{}".into(), "t", "not as a wsprobe relay"),
            (
                r#"{"type":"pong","id":1}"#.into(),
                "t",
                "not as a wsprobe relay",
            ),
            (
                r#"{"type":"pong","page_allowed":true,"protocols":[1,1],"token_ok":true}"#.into(),
                "t",
                "not a status",
            ),
            (
                r#"{"type":"status","page_allowed":true}"#.into(),
                "t",
                "which protocol",
            ),
        ];
        for (text, token, says) in cases {
            let status = RelayStatus::from_answer(&text, token);
            assert!(!status.is_paired(), "{text}");
            assert!(status.to_string().contains(says), "{text}: {status}");
        }
        assert!(
            RelayStatus::NotRunning {
                address: "ws://127.0.0.1:9797".into()
            }
            .to_string()
            .contains("No relay is running at ws://127.0.0.1:9797")
        );
    }

    proptest! {
        #[test]
        fn any_answer_reads_as_a_status(text in ".{0,300}", token in ".{0,10}") {
            let status = RelayStatus::from_answer(&text, &token);
            prop_assert!(!status.to_string().is_empty());
        }
    }
}
