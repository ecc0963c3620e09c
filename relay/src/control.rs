//! The JSON messages of the control socket, both ways.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the page asks for.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    Connect(ConnectRequest),
    Ping {
        id: u64,
    },
    Close {
        #[serde(default = "normal_closure")]
        code: u16,
        #[serde(default)]
        reason: String,
    },
}

fn normal_closure() -> u16 {
    1000
}

#[derive(Debug, Deserialize)]
pub struct ConnectRequest {
    pub url: String,
    #[serde(default)]
    pub subprotocols: Vec<String>,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// Reads one control message, with an error the page can show when it is not one.
pub fn parse_command(text: &str) -> Result<Command, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let kind = match value.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(_) => return Err("\"type\" must be a string".to_string()),
        None => return Err("the message has no \"type\"".to_string()),
    };
    if !["connect", "ping", "close"].contains(&kind.as_str()) {
        return Err(format!(
            "unknown message type \"{kind}\" (expected connect, ping or close)"
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("bad {kind} message: {e}"))
}

/// What the relay tells the page.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Handshake(Box<Handshake>),
    Pong {
        id: u64,
        rtt_ms: f64,
    },
    ServerPing {
        payload_hex: String,
    },
    Closed {
        code: u16,
        reason: String,
        clean: bool,
    },
    Error {
        error: String,
    },
}

impl Event {
    pub fn error(error: impl Into<String>) -> Event {
        Event::Error {
            error: error.into(),
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail; fall back to a valid message anyway.
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!(r#"{{"type":"error","error":"internal: {e}"}}"#))
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Handshake {
    Ok {
        ok: True,
        session: String,
        request: RequestHead,
        response: ResponseHead,
        timings: Timings,
        protocol: String,
        extensions: String,
    },
    Failed {
        ok: False,
        stage: Stage,
        error: String,
        request: Option<RequestHead>,
        response: Option<ResponseHead>,
        certificate: Option<Certificate>,
        timings: Timings,
    },
}

/// `true` in JSON, whatever the value: lets each variant name its own `ok`.
#[derive(Debug, Clone, Copy)]
pub struct True;
#[derive(Debug, Clone, Copy)]
pub struct False;

impl Serialize for True {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(true)
    }
}

impl Serialize for False {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(false)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Url,
    Dns,
    Tcp,
    Tls,
    Timeout,
    Http,
    Protocol,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestHead {
    pub line: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseHead {
    pub line: String,
    pub headers: Vec<(String, String)>,
    /// Only on a refusal: the first 2048 bytes of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// Milliseconds per step; null for a step not taken (TLS on ws://) or not reached.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub dns_ms: Option<f64>,
    pub tcp_ms: Option<f64>,
    pub tls_ms: Option<f64>,
    pub upgrade_ms: Option<f64>,
}

/// Milliseconds with microsecond precision, which is as fine as these measurements mean anything.
pub fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_explains_bad_ones() {
        match parse_command(r#"{"type":"connect","url":"ws://x"}"#) {
            Ok(Command::Connect(c)) => {
                assert_eq!(c.url, "ws://x");
                assert!(c.headers.is_empty() && c.subprotocols.is_empty());
                assert_eq!(c.timeout_ms, None);
            }
            other => panic!("{other:?}"),
        }
        match parse_command(r#"{"type":"connect","url":"ws://x","headers":[["A","b"]]}"#) {
            Ok(Command::Connect(c)) => assert_eq!(c.headers, [("A".into(), "b".into())]),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_command(r#"{"type":"close"}"#),
            Ok(Command::Close { code: 1000, .. })
        ));
        assert!(matches!(
            parse_command(r#"{"type":"ping","id":7}"#),
            Ok(Command::Ping { id: 7 })
        ));
        for (bad, says) in [
            ("{", "not JSON"),
            ("[]", "no \"type\""),
            (r#"{"type":1}"#, "must be a string"),
            (r#"{"type":"jump"}"#, "unknown message type \"jump\""),
            (r#"{"type":"ping"}"#, "bad ping message"),
            (r#"{"type":"connect","headers":"x"}"#, "bad connect message"),
        ] {
            match parse_command(bad) {
                Err(e) => assert!(e.contains(says), "{bad}: {e}"),
                Ok(c) => panic!("{bad}: {c:?}"),
            }
        }
    }

    #[test]
    fn events_have_the_documented_shape() {
        let failed = Event::Handshake(Box::new(Handshake::Failed {
            ok: False,
            stage: Stage::Dns,
            error: "name not resolved: x".into(),
            request: None,
            response: None,
            certificate: None,
            timings: Timings::default(),
        }));
        assert_eq!(
            failed.to_json(),
            r#"{"type":"handshake","ok":false,"stage":"dns","error":"name not resolved: x","request":null,"response":null,"certificate":null,"timings":{"dns_ms":null,"tcp_ms":null,"tls_ms":null,"upgrade_ms":null}}"#
        );
        let pong = Event::Pong { id: 7, rtt_ms: 1.5 };
        assert_eq!(pong.to_json(), r#"{"type":"pong","id":7,"rtt_ms":1.5}"#);
        let ping = Event::ServerPing {
            payload_hex: "ab".into(),
        };
        assert_eq!(
            ping.to_json(),
            r#"{"type":"server_ping","payload_hex":"ab"}"#
        );
        let closed = Event::Closed {
            code: 1000,
            reason: "bye".into(),
            clean: true,
        };
        assert_eq!(
            closed.to_json(),
            r#"{"type":"closed","code":1000,"reason":"bye","clean":true}"#
        );
    }
}
