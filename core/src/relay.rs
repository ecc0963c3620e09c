//! The optional local relay (the `wsprobe-relay` binary): what the page sends it and what it
//! answers, and the headers and cookies a request carries through it. Browsers cannot set
//! headers on a WebSocket, send pings, or show a failed upgrade's HTTP status; the relay can.

use serde::{Deserialize, Serialize};

use crate::encoding::base64;
use crate::query;

pub const DEFAULT_ADDRESS: &str = "ws://127.0.0.1:9797";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

impl Default for Header {
    fn default() -> Self {
        Self {
            name: String::new(),
            value: String::new(),
            enabled: true,
        }
    }
}

impl Header {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            enabled: true,
        }
    }

    pub fn bearer(token: &str) -> Self {
        Self::new("Authorization", &format!("Bearer {}", token.trim()))
    }

    pub fn basic(user: &str, password: &str) -> Self {
        Self::new(
            "Authorization",
            &format!("Basic {}", base64(format!("{user}:{password}").as_bytes())),
        )
    }

    /// Headers that carry credentials: Authorization, Cookie, API keys and tokens.
    pub fn is_secret(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        name == "cookie" || name.contains("authorization") || query::looks_like_credential(&name)
    }

    /// Why the relay would refuse this header, if it would.
    pub fn problem(&self) -> Option<String> {
        const RESERVED: [&str; 9] = [
            "host",
            "upgrade",
            "connection",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-accept",
            "sec-websocket-extensions",
            "content-length",
            "transfer-encoding",
        ];
        let name = self.name.trim();
        if name.is_empty() {
            return Some("A header needs a name.".into());
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
        {
            return Some(format!(
                "\u{201c}{name}\u{201d} is not a valid header name (letters, digits and - only, usually)."
            ));
        }
        if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            return Some(format!(
                "{name} is set by the WebSocket handshake itself and cannot be replaced."
            ));
        }
        if self
            .value
            .chars()
            .any(|c| c == '\r' || c == '\n' || c == '\0')
        {
            return Some(format!(
                "The value of {name} has a line break, which would end the header."
            ));
        }
        None
    }
}

/// Page → relay, on the control socket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ControlRequest {
    Connect {
        url: String,
        subprotocols: Vec<String>,
        headers: Vec<(String, String)>,
        timeout_ms: u64,
    },
    Ping {
        id: u64,
    },
}

impl ControlRequest {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The headers to send: the enabled, named ones, then the cookies as one Cookie header.
pub fn outgoing_headers(headers: &[Header], cookies: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .filter(|h| h.enabled && !h.name.trim().is_empty())
        .map(|h| (h.name.trim().to_string(), h.value.clone()))
        .collect();
    if !cookies.trim().is_empty() {
        out.push(("Cookie".into(), cookies.trim().to_string()));
    }
    out
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct HttpHead {
    pub line: String,
    pub headers: Vec<(String, String)>,
    /// The first bytes of the body of a refused upgrade.
    pub body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Timings {
    pub dns_ms: Option<f64>,
    pub tcp_ms: Option<f64>,
    pub tls_ms: Option<f64>,
    pub upgrade_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// The raw handshake as the relay saw it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct Handshake {
    pub ok: bool,
    pub session: String,
    pub request: Option<HttpHead>,
    pub response: Option<HttpHead>,
    pub timings: Timings,
    pub protocol: String,
    pub extensions: String,
    /// Where it failed: url, dns, tcp, tls, timeout, http or protocol.
    pub stage: String,
    pub error: String,
    pub certificate: Option<Certificate>,
}

/// Relay → page, on the control socket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayMessage {
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

impl RelayMessage {
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text)
            .map_err(|e| format!("the relay sent something this page does not understand ({e})"))
    }
}

impl Handshake {
    /// One sentence on why the relay could not connect, stage by stage.
    pub fn failure(&self) -> String {
        let what = match self.stage.as_str() {
            "dns" => "The host name did not resolve",
            "tcp" => "The TCP connection failed",
            "tls" => "The TLS handshake failed",
            "timeout" => "No answer in time",
            "http" => "The server refused the WebSocket upgrade",
            "url" => "The relay refused the request",
            _ => "The handshake failed",
        };
        let status = self
            .response
            .as_ref()
            .map(|r| format!(" ({})", r.line))
            .unwrap_or_default();
        format!("{what}{status}: {} (reported by the relay).", self.error)
    }
}

/// `ws://127.0.0.1:9797` + `/control?token=…`.
pub fn control_url(address: &str, token: &str) -> String {
    format!(
        "{}/control?token={}",
        address.trim().trim_end_matches('/'),
        query::encode(token.trim())
    )
}

pub fn data_url(address: &str, token: &str, session: &str) -> String {
    format!(
        "{}/data?token={}&session={}",
        address.trim().trim_end_matches('/'),
        query::encode(token.trim()),
        query::encode(session)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn helpers_make_authorization_headers() {
        assert_eq!(
            Header::bearer(" abc "),
            Header::new("Authorization", "Bearer abc")
        );
        assert_eq!(
            Header::basic("Aladdin", "open sesame"),
            Header::new("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
    }

    #[test]
    fn headers_that_would_break_the_handshake_are_named() {
        assert_eq!(Header::new("X-Api-Key", "k").problem(), None);
        assert!(
            Header::new("Host", "x")
                .problem()
                .is_some_and(|p| p.contains("handshake"))
        );
        assert!(Header::new("Bad Name", "x").problem().is_some());
        assert!(
            Header::new("X-A", "a\r\nInjected: 1")
                .problem()
                .is_some_and(|p| p.contains("line break"))
        );
        assert!(Header::new("", "x").problem().is_some());
    }

    #[test]
    fn credentials_are_secret() {
        for name in ["Authorization", "Cookie", "X-Api-Key", "X-Auth-Token"] {
            assert!(Header::new(name, "v").is_secret(), "{name}");
        }
        assert!(!Header::new("User-Agent", "v").is_secret());
    }

    #[test]
    fn the_connect_message_carries_enabled_headers_and_cookies() {
        let headers = vec![
            Header::bearer("t"),
            Header {
                enabled: false,
                ..Header::new("X-Off", "1")
            },
        ];
        let message = ControlRequest::Connect {
            url: "ws://127.0.0.1:9001/headers".into(),
            subprotocols: vec!["chat".into()],
            headers: outgoing_headers(&headers, " a=1; b=2 "),
            timeout_ms: 10_000,
        };
        assert_eq!(
            message.to_json(),
            r#"{"type":"connect","url":"ws://127.0.0.1:9001/headers","subprotocols":["chat"],"headers":[["Authorization","Bearer t"],["Cookie","a=1; b=2"]],"timeout_ms":10000}"#
        );
        assert_eq!(
            ControlRequest::Ping { id: 3 }.to_json(),
            r#"{"type":"ping","id":3}"#
        );
    }

    #[test]
    fn relay_messages_are_read() {
        let ok = r#"{"type":"handshake","ok":true,"session":"s1","request":{"line":"GET / HTTP/1.1","headers":[["Host","h"]]},
            "response":{"line":"HTTP/1.1 101 Switching Protocols","headers":[["Upgrade","websocket"]]},
            "timings":{"dns_ms":0.1,"tcp_ms":0.2,"tls_ms":null,"upgrade_ms":1.5},"protocol":"","extensions":""}"#;
        let Ok(RelayMessage::Handshake(h)) = RelayMessage::parse(ok) else {
            panic!("a handshake")
        };
        assert!(
            h.ok && h.session == "s1"
                && h.timings.tls_ms.is_none()
                && h.timings.upgrade_ms == Some(1.5)
        );
        let refused = r#"{"type":"handshake","ok":false,"stage":"http","error":"status 401",
            "response":{"line":"HTTP/1.1 401 Unauthorized","headers":[["WWW-Authenticate","Bearer"]],"body":"no"},"timings":{}}"#;
        let Ok(RelayMessage::Handshake(h)) = RelayMessage::parse(refused) else {
            panic!("a handshake")
        };
        assert_eq!(
            h.failure(),
            "The server refused the WebSocket upgrade (HTTP/1.1 401 Unauthorized): status 401 (reported by the relay)."
        );
        assert_eq!(
            RelayMessage::parse(r#"{"type":"pong","id":2,"rtt_ms":0.5}"#),
            Ok(RelayMessage::Pong { id: 2, rtt_ms: 0.5 })
        );
        assert!(RelayMessage::parse(r#"{"type":"nonsense"}"#).is_err());
    }

    #[test]
    fn relay_addresses() {
        assert_eq!(
            control_url("ws://127.0.0.1:9797/", "a b"),
            "ws://127.0.0.1:9797/control?token=a%20b"
        );
        assert_eq!(
            data_url(DEFAULT_ADDRESS, "t", "s&1"),
            "ws://127.0.0.1:9797/data?token=t&session=s%261"
        );
    }

    proptest! {
        #[test]
        fn any_relay_text_parses_or_errs(text in ".{0,80}") {
            let _ = RelayMessage::parse(&text);
        }
    }
}
