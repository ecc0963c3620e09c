//! What the relay answers on the control socket: the raw handshake, pongs, the server's
//! pings and closes, and errors.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpHead {
    pub line: String,
    pub headers: Vec<(String, String)>,
    /// The first bytes of the body of a refused upgrade: only in a failed handshake's
    /// response (empty after a 101), never in a request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// Milliseconds per step; null for a step not taken (TLS on ws://) or not reached.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Timings {
    pub dns_ms: Option<f64>,
    pub tcp_ms: Option<f64>,
    pub tls_ms: Option<f64>,
    pub upgrade_ms: Option<f64>,
}

/// The server's certificate, reported when TLS failed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Certificate {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
}

/// Where a handshake failed, as `Handshake::stage` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Url,
    Dns,
    Tcp,
    Tls,
    Timeout,
    Http,
    Protocol,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Url => "url",
            Stage::Dns => "dns",
            Stage::Tcp => "tcp",
            Stage::Tls => "tls",
            Stage::Timeout => "timeout",
            Stage::Http => "http",
            Stage::Protocol => "protocol",
        }
    }
}

/// The raw handshake as the relay saw it. On the wire a success has `session`, `protocol` and
/// `extensions`; a failure has `stage`, `error` and `certificate` instead (see `Serialize`).
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

/// The two shapes a handshake report has on the wire, borrowed from a `Handshake`.
#[derive(Serialize)]
#[serde(untagged)]
enum HandshakeWire<'a> {
    Ok {
        ok: bool,
        session: &'a str,
        request: &'a Option<HttpHead>,
        response: &'a Option<HttpHead>,
        timings: &'a Timings,
        protocol: &'a str,
        extensions: &'a str,
    },
    Failed {
        ok: bool,
        stage: &'a str,
        error: &'a str,
        request: &'a Option<HttpHead>,
        response: &'a Option<HttpHead>,
        certificate: &'a Option<Certificate>,
        timings: &'a Timings,
    },
}

impl Serialize for Handshake {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let wire = if self.ok {
            HandshakeWire::Ok {
                ok: true,
                session: &self.session,
                request: &self.request,
                response: &self.response,
                timings: &self.timings,
                protocol: &self.protocol,
                extensions: &self.extensions,
            }
        } else {
            HandshakeWire::Failed {
                ok: false,
                stage: &self.stage,
                error: &self.error,
                request: &self.request,
                response: &self.response,
                certificate: &self.certificate,
                timings: &self.timings,
            }
        };
        wire.serialize(s)
    }
}

/// Relay → page, on the control socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

    pub fn error(error: impl Into<String>) -> Self {
        RelayMessage::Error {
            error: error.into(),
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail; fall back to a valid message anyway.
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!(r#"{{"type":"error","error":"internal: {e}"}}"#))
    }
}

impl Handshake {
    /// A failed handshake, before anything is known about the request or the server.
    pub fn failed(stage: Stage, error: impl Into<String>) -> Handshake {
        Handshake {
            ok: false,
            stage: stage.as_str().to_string(),
            error: error.into(),
            ..Handshake::default()
        }
    }

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
