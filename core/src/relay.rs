//! The optional local relay (the `wsprobe-relay` binary): what the page sends it and what it
//! answers, and the headers and cookies a request carries through it. Browsers cannot set
//! headers on a WebSocket, send pings, or show a failed upgrade's HTTP status; the relay can.

use serde::{Deserialize, Serialize};

use crate::encoding::base64;
use crate::{query, subprotocols};

pub const DEFAULT_ADDRESS: &str = "ws://127.0.0.1:9797";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
    #[serde(
        default = "crate::query::yes",
        skip_serializing_if = "crate::query::is_true"
    )]
    pub enabled: bool,
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
        let name = self.name.trim();
        if name.is_empty() {
            return Some("A header needs a name.".into());
        }
        header_problem(name, &self.value)
    }
}

/// Headers the handshake writes itself; a second copy from the page would break it.
const RESERVED_HEADERS: [&str; 9] = [
    "Host",
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Extensions",
    "Content-Length",
    "Transfer-Encoding",
];

/// Why a header cannot be sent, if it cannot: the page flags it as typed, and the relay
/// refuses it with the same words.
pub fn header_problem(name: &str, value: &str) -> Option<String> {
    if let Some(reserved) = RESERVED_HEADERS
        .iter()
        .find(|r| r.eq_ignore_ascii_case(name))
    {
        return Some(format!(
            "The header {reserved} is set by the WebSocket handshake itself and cannot be sent."
        ));
    }
    if !subprotocols::is_token(name) {
        return Some(format!(
            "The header name \u{201c}{name}\u{201d} is not valid (letters, digits and !#$%&'*+-.^_`|~ only)."
        ));
    }
    // CR or LF would end the header early and let the value write headers of its own.
    if value.chars().any(|c| c.is_ascii_control() && c != '\t') {
        return Some(format!(
            "The value of {name} has a line break or control character, which would end the header."
        ));
    }
    None
}

/// Page → relay, on the control socket. The relay reads it leniently: a connect may leave out
/// its subprotocols, headers and timeout, a close its code and reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ControlRequest {
    Connect {
        url: String,
        #[serde(default)]
        subprotocols: Vec<String>,
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// Missing or null: `DEFAULT_TIMEOUT_MS`.
        #[serde(
            default = "default_timeout_ms",
            deserialize_with = "timeout_ms_or_default"
        )]
        timeout_ms: u64,
    },
    Ping {
        id: u64,
    },
    /// Closes the open connection (the data socket's close does the same).
    Close {
        #[serde(default = "normal_closure")]
        code: u16,
        #[serde(default)]
        reason: String,
    },
}

/// How long the relay waits for a handshake when the connect message does not say.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

fn timeout_ms_or_default<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.unwrap_or(DEFAULT_TIMEOUT_MS))
}

fn normal_closure() -> u16 {
    1000
}

impl ControlRequest {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Whether a connection must go through the relay: asked for, or carrying what only it can send.
pub fn needs_relay(use_relay: bool, cookies: &str, headers: &[Header]) -> bool {
    use_relay
        || !cookies.trim().is_empty()
        || headers
            .iter()
            .any(|h| h.enabled && !h.name.trim().is_empty())
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

mod messages;
pub use messages::*;

/// `ws://127.0.0.1:9797` + `/control?token=…`.
pub fn control_url(address: &str, token: &str) -> String {
    format!(
        "{}/control?token={}",
        address.trim().trim_end_matches('/'),
        query::encode(token.trim())
    )
}

/// `ws://127.0.0.1:9797` + `/status?token=…`, which the relay answers with its status.
pub fn status_url(address: &str, token: &str) -> String {
    format!(
        "{}/status?token={}",
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

pub mod http_head;
pub mod origin;
pub mod pairing;
pub mod status;

#[cfg(test)]
mod fuzz;

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
    fn control_requests_are_read_leniently() {
        let read =
            |text: &str| serde_json::from_str::<ControlRequest>(text).map_err(|e| e.to_string());
        let connect = |timeout_ms| ControlRequest::Connect {
            url: "ws://x".into(),
            subprotocols: vec![],
            headers: vec![],
            timeout_ms,
        };
        assert_eq!(
            read(r#"{"type":"connect","url":"ws://x"}"#),
            Ok(connect(10_000))
        );
        assert_eq!(
            read(r#"{"type":"connect","url":"ws://x","timeout_ms":null}"#),
            Ok(connect(10_000))
        );
        assert_eq!(
            read(r#"{"type":"connect","url":"ws://x","timeout_ms":5}"#),
            Ok(connect(5))
        );
        assert_eq!(
            read(r#"{"type":"close"}"#),
            Ok(ControlRequest::Close {
                code: 1000,
                reason: String::new()
            })
        );
        let close = ControlRequest::Close {
            code: 4000,
            reason: "bye".into(),
        };
        assert_eq!(
            close.to_json(),
            r#"{"type":"close","code":4000,"reason":"bye"}"#
        );
        assert_eq!(read(&close.to_json()), Ok(close));
        assert!(read(r#"{"type":"ping","id":-1}"#).is_err());
        assert!(read(r#"{"type":"connect","url":"ws://x","timeout_ms":-1}"#).is_err());
    }

    #[test]
    fn relay_messages_are_written_in_their_documented_shapes() {
        let request = HttpHead {
            line: "GET / HTTP/1.1".into(),
            headers: vec![("Host".into(), "h".into())],
            body: None,
        };
        let response = HttpHead {
            line: "HTTP/1.1 101 Switching Protocols".into(),
            headers: vec![("Upgrade".into(), "websocket".into())],
            body: None,
        };
        let timings = Timings {
            dns_ms: Some(0.1),
            tcp_ms: Some(0.25),
            tls_ms: None,
            upgrade_ms: Some(1.5),
        };
        let ok = Handshake {
            ok: true,
            session: "s1".into(),
            request: Some(request.clone()),
            response: Some(response.clone()),
            timings,
            protocol: "chat".into(),
            ..Handshake::default()
        };
        let ok = RelayMessage::Handshake(Box::new(ok));
        assert_eq!(
            ok.to_json(),
            r#"{"type":"handshake","ok":true,"session":"s1","request":{"line":"GET / HTTP/1.1","headers":[["Host","h"]]},"response":{"line":"HTTP/1.1 101 Switching Protocols","headers":[["Upgrade","websocket"]]},"timings":{"dns_ms":0.1,"tcp_ms":0.25,"tls_ms":null,"upgrade_ms":1.5},"protocol":"chat","extensions":""}"#
        );
        assert_eq!(RelayMessage::parse(&ok.to_json()), Ok(ok));

        let refused = Handshake {
            request: Some(request.clone()),
            response: Some(HttpHead {
                body: Some("no".into()),
                ..response
            }),
            timings,
            ..Handshake::failed(Stage::Http, "refused")
        };
        assert_eq!(
            RelayMessage::Handshake(Box::new(refused)).to_json(),
            r#"{"type":"handshake","ok":false,"stage":"http","error":"refused","request":{"line":"GET / HTTP/1.1","headers":[["Host","h"]]},"response":{"line":"HTTP/1.1 101 Switching Protocols","headers":[["Upgrade","websocket"]],"body":"no"},"certificate":null,"timings":{"dns_ms":0.1,"tcp_ms":0.25,"tls_ms":null,"upgrade_ms":1.5}}"#
        );
        let tls = Handshake {
            request: Some(request),
            certificate: Some(Certificate {
                subject: "CN=a".into(),
                issuer: "CN=b".into(),
                not_before: "x".into(),
                not_after: "y".into(),
            }),
            ..Handshake::failed(Stage::Tls, "tls")
        };
        let tls = RelayMessage::Handshake(Box::new(tls));
        assert_eq!(
            tls.to_json(),
            r#"{"type":"handshake","ok":false,"stage":"tls","error":"tls","request":{"line":"GET / HTTP/1.1","headers":[["Host","h"]]},"response":null,"certificate":{"subject":"CN=a","issuer":"CN=b","not_before":"x","not_after":"y"},"timings":{"dns_ms":null,"tcp_ms":null,"tls_ms":null,"upgrade_ms":null}}"#
        );
        assert_eq!(RelayMessage::parse(&tls.to_json()), Ok(tls));

        for (message, json) in [
            (
                RelayMessage::Pong { id: 7, rtt_ms: 1.5 },
                r#"{"type":"pong","id":7,"rtt_ms":1.5}"#,
            ),
            (
                RelayMessage::ServerPing {
                    payload_hex: "ab".into(),
                },
                r#"{"type":"server_ping","payload_hex":"ab"}"#,
            ),
            (
                RelayMessage::Closed {
                    code: 1000,
                    reason: "bye".into(),
                    clean: true,
                },
                r#"{"type":"closed","code":1000,"reason":"bye","clean":true}"#,
            ),
            (
                RelayMessage::error("boom"),
                r#"{"type":"error","error":"boom"}"#,
            ),
        ] {
            assert_eq!(message.to_json(), json);
            assert_eq!(RelayMessage::parse(json), Ok(message));
        }
    }

    #[test]
    fn request_heads_are_read_in_chunks_up_to_a_limit() {
        use http_head::{ReadFuture, read_request};
        /// A peer that sends `.0` at most `.1` bytes at a time, then goes away.
        struct Peer(Vec<u8>, usize);
        fn read<'a>(peer: &'a mut Peer, chunk: &'a mut [u8]) -> ReadFuture<'a> {
            let n = peer.0.len().min(chunk.len()).min(peer.1);
            chunk[..n].copy_from_slice(&peer.0[..n]);
            peer.0.drain(..n);
            Box::pin(std::future::ready(Ok(n)))
        }
        let head =
            b"GET /data?token=a%20b&session=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n";
        let mut sent = head.to_vec();
        sent.extend_from_slice(b"\x81\x00");
        let Some(read_slowly) = block_on(read_request(&mut Peer(sent.clone(), 7), 1024, read))
        else {
            panic!("a request")
        };
        assert_eq!(read_slowly.path, "/data");
        assert_eq!(
            (read_slowly.param("token"), read_slowly.param("session")),
            (Some("a b"), Some("1"))
        );
        assert!(!read_slowly.is_websocket_upgrade(), "no Upgrade header");
        assert_eq!(read_slowly.header("x-a"), Some("1"));
        assert_eq!(
            read_slowly.headers,
            [
                ("Host".to_string(), "h".to_string()),
                ("X-A".to_string(), "1".to_string()),
                ("x-a".to_string(), "2".to_string())
            ]
        );
        // Read in one go, what came after the head is kept.
        let at_once = block_on(read_request(&mut Peer(sent, 4096), 1024, read));
        assert_eq!(at_once.map(|r| r.leftover), Some(b"\x81\x00".to_vec()));
        // The limit is reached before the head ends; the peer goes away; it sends garbage.
        for (sent, limit) in [
            (&head[..], 14),
            (b"GET / HTTP/1.1\r\n", 1024),
            (b"\x00\x01garbage\r\n\r\n", 1024),
        ] {
            assert!(block_on(read_request(&mut Peer(sent.to_vec(), 7), limit, read)).is_none());
        }
    }

    /// The query of a WebSocket URL is not an HTML form: `+` is a plus, raw or as %2B, so a
    /// relay token with a `+` in it matches however the page writes it.
    #[test]
    fn a_plus_in_the_query_is_a_plus_not_a_space() {
        let sent = b"GET /control?token=a+b%2Bc%20d&reason=see+you HTTP/1.1\r\nHost: h\r\n\r\n";
        let Some(head) = request_of(sent) else {
            panic!("a request")
        };
        assert_eq!(head.param("token"), Some("a+b+c d"));
        assert_eq!(head.param("reason"), Some("see+you"));
    }

    #[test]
    fn response_heads_keep_their_status_line() {
        let sent =
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 2\r\n\r\nno";
        let Ok(Some(head)) = http_head::parse_response(sent) else {
            panic!("a response")
        };
        assert_eq!(
            (head.status, head.line.as_str()),
            (401, "HTTP/1.1 401 Unauthorized")
        );
        assert_eq!(head.header("www-authenticate"), Some("Bearer"));
        assert_eq!(head.leftover, b"no");
        assert!(matches!(http_head::parse_response(&sent[..20]), Ok(None)));
        assert!(http_head::parse_response(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
    }

    #[test]
    fn an_upgrade_request_is_recognised_and_answered() {
        use http_head::{ReadFuture, read_request};
        fn read<'a>(sent: &'a mut &'static [u8], chunk: &'a mut [u8]) -> ReadFuture<'a> {
            let n = sent.len().min(chunk.len());
            chunk[..n].copy_from_slice(&sent[..n]);
            *sent = &sent[n..];
            Box::pin(std::future::ready(Ok(n)))
        }
        let head = |sent: &'static [u8]| block_on(read_request(&mut { sent }, 1024, read));
        let upgrade = head(
            b"GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n\
              Sec-WebSocket-Key: k\r\nSec-WebSocket-Protocol: a, b\r\nsec-websocket-protocol: c\r\n\r\n",
        );
        assert!(upgrade.as_ref().is_some_and(|h| h.is_websocket_upgrade()));
        assert_eq!(
            upgrade.map(|h| h.header_list("sec-websocket-protocol")),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        for not_upgrade in [
            &b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Key: k\r\n\r\n",
            b"GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
        ] {
            assert!(head(not_upgrade).is_some_and(|h| !h.is_websocket_upgrade()));
        }
        assert_eq!(
            http_head::accept_response("A=", Some("json"), None),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: A=\r\nSec-WebSocket-Protocol: json\r\n\r\n"
        );
    }

    /// The request head at the start of `sent`, read as the relay reads it (1 KiB limit).
    fn request_of(sent: &[u8]) -> Option<http_head::RequestHead> {
        fn read<'a>(sent: &'a mut &[u8], chunk: &'a mut [u8]) -> http_head::ReadFuture<'a> {
            let n = sent.len().min(chunk.len());
            chunk[..n].copy_from_slice(&sent[..n]);
            *sent = &sent[n..];
            Box::pin(std::future::ready(Ok(n)))
        }
        block_on(http_head::read_request(&mut { sent }, 1024, read))
    }

    /// Runs a future that never waits, as the reads above are all ready at once.
    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::pin!(future).poll(&mut cx) {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => panic!("the future waited"),
        }
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
