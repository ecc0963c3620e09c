//! The upstream handshake and its report: success, and each way it can fail.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Client, Control, next, relay, test_server, test_server_with};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use wsprobe_test_server::Options;

fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))?[1]
        .as_str()
}

/// What /headers reports on the data socket of this handshake's session.
async fn headers_seen(control: &Control, handshake: &Value) -> Value {
    let mut data: Client = control
        .data(handshake["session"].as_str().unwrap())
        .await
        .unwrap();
    match next(&mut data).await {
        Message::Text(text) => serde_json::from_str(&text).unwrap(),
        other => panic!("expected JSON text, got {other:?}"),
    }
}

#[tokio::test]
async fn custom_headers_reach_the_server_and_the_handshake_is_reported() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let headers = json!([
        ["Authorization", "Bearer secret-token"],
        ["Cookie", "a=1; b=2"],
        ["X-Custom", "one"],
        ["X-Custom", "two"],
        ["X-Requested-With", "wsprobe"]
    ]);
    let handshake = control
        .connect(&format!("{server}/headers?q=1"), headers)
        .await;
    assert_eq!(handshake["ok"], true, "{handshake}");
    assert_eq!(handshake["request"]["line"], "GET /headers?q=1 HTTP/1.1");
    let sent: Vec<&str> = handshake["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[0].as_str().unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            "Host",
            "Upgrade",
            "Connection",
            "Sec-WebSocket-Key",
            "Sec-WebSocket-Version",
            "Authorization",
            "Cookie",
            "X-Custom",
            "X-Custom",
            "X-Requested-With"
        ]
    );
    assert_eq!(
        handshake["response"]["line"],
        "HTTP/1.1 101 Switching Protocols"
    );
    assert!(header(&handshake["response"]["headers"], "Sec-WebSocket-Accept").is_some());
    assert!(handshake["response"].get("body").is_none());
    let timings = &handshake["timings"];
    for step in ["dns_ms", "tcp_ms", "upgrade_ms"] {
        assert!(
            timings[step].as_f64().is_some_and(|ms| ms >= 0.0),
            "{timings}"
        );
    }
    assert!(timings["tls_ms"].is_null());
    assert_eq!(handshake["protocol"], "");
    assert_eq!(handshake["extensions"], "");

    let seen = headers_seen(&control, &handshake).await;
    assert_eq!(seen["authorization"], "Bearer secret-token");
    assert_eq!(seen["cookie"], "a=1; b=2");
    assert_eq!(seen["x-custom"], "one, two");
    assert_eq!(seen["x-requested-with"], "wsprobe");
    let host = server.trim_start_matches("ws://");
    assert_eq!(seen["host"], host);
}

/// An Origin the page sets goes upstream as it is. The test server then treats the request as
/// a browser page's: it admits only an origin it allows and shows cookies by size alone.
#[tokio::test]
async fn an_origin_set_by_the_page_reaches_the_server() {
    let server = test_server_with(Options {
        allowed_origins: vec!["https://app.example".into()],
        ..Options::default()
    })
    .await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let headers = json!([["Cookie", "a=1; b=2"], ["Origin", "https://app.example"]]);
    let handshake = control.connect(&format!("{server}/headers"), headers).await;
    assert_eq!(handshake["ok"], true, "{handshake}");
    assert_eq!(
        header(&handshake["request"]["headers"], "Origin"),
        Some("https://app.example")
    );
    let seen = headers_seen(&control, &handshake).await;
    assert_eq!(seen["origin"], "https://app.example");
    assert_eq!(seen["cookie"], "(hidden: 8 bytes; sent by a browser page)");

    // An origin the server does not allow is refused there, and the refusal reported.
    let headers = json!([["Origin", "https://other.example"]]);
    let refused = relay
        .control()
        .await
        .connect(&format!("{server}/headers"), headers)
        .await;
    assert_eq!(refused["ok"], false, "{refused}");
    assert_eq!(refused["response"]["line"], "HTTP/1.1 403 Forbidden");
}

#[tokio::test]
async fn the_chosen_subprotocol_is_reported() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    control
        .send(
            json!({"type": "connect", "url": format!("{server}/subprotocol?accept=chat"),
                     "subprotocols": ["json", "chat"], "headers": []}),
        )
        .await;
    let handshake = control.next_of("handshake").await;
    assert_eq!(handshake["ok"], true, "{handshake}");
    assert_eq!(
        header(&handshake["request"]["headers"], "Sec-WebSocket-Protocol"),
        Some("json, chat")
    );
    assert_eq!(handshake["protocol"], "chat");
}

#[tokio::test]
async fn a_401_is_reported_with_its_status_line_challenge_and_body() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let handshake = control
        .connect(&format!("{server}/reject?status=401"), json!([]))
        .await;
    assert_eq!(handshake["ok"], false, "{handshake}");
    assert_eq!(handshake["stage"], "http");
    assert!(
        handshake["error"].as_str().unwrap().contains("401"),
        "{handshake}"
    );
    let response = &handshake["response"];
    assert_eq!(response["line"], "HTTP/1.1 401 Unauthorized");
    assert_eq!(
        header(&response["headers"], "WWW-Authenticate"),
        Some("Bearer realm=\"wsprobe\"")
    );
    assert_eq!(
        response["body"],
        "wsprobe test server: upgrade refused with 401 as asked\n"
    );
    assert_eq!(
        handshake["request"]["line"],
        "GET /reject?status=401 HTTP/1.1"
    );
    assert!(handshake["certificate"].is_null());
    assert!(handshake["timings"]["upgrade_ms"].as_f64().is_some());
}

#[tokio::test]
async fn a_closed_port_fails_at_tcp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let handshake = control.connect(&format!("ws://{addr}/"), json!([])).await;
    assert_eq!(handshake["stage"], "tcp", "{handshake}");
    assert_eq!(handshake["error"], format!("connection refused by {addr}"));
    assert!(handshake["request"]["line"].is_string());
    assert!(handshake["response"].is_null());
    assert!(handshake["timings"]["dns_ms"].as_f64().is_some());
    assert!(handshake["timings"]["tcp_ms"].as_f64().is_some());
    assert!(handshake["timings"]["upgrade_ms"].is_null());
}

#[tokio::test]
async fn a_name_that_does_not_resolve_fails_at_dns() {
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let handshake = control
        .connect("ws://no-such-host.invalid/", json!([]))
        .await;
    assert_eq!(handshake["ok"], false);
    assert_eq!(handshake["stage"], "dns", "{handshake}");
    assert!(
        handshake["error"]
            .as_str()
            .unwrap()
            .starts_with("name not resolved: no-such-host.invalid"),
        "{handshake}"
    );
    assert!(handshake["timings"]["tcp_ms"].is_null());
}

/// A certificate for 127.0.0.1, signed by `issuer` (or by itself), and its key.
fn certificate_for_loopback(
    issuer: Option<&rcgen::Issuer<'_, rcgen::KeyPair>>,
) -> (rcgen::Certificate, rcgen::KeyPair) {
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "wsprobe relay test");
    params.not_before = rcgen::date_time_ymd(2025, 1, 2);
    params.not_after = rcgen::date_time_ymd(2035, 6, 7);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = match issuer {
        Some(issuer) => params.signed_by(&key, issuer).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    (cert, key)
}

/// A wss:// server on 127.0.0.1 with this certificate that echoes text; returns its address.
async fn wss_echo_server(cert: rcgen::Certificate, key: rcgen::KeyPair) -> std::net::SocketAddr {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that gives up on the certificate fails here; that can be the point.
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut socket) = tokio_tungstenite::accept_async(tls).await else {
                    return;
                };
                while let Some(Ok(message)) = socket.next().await {
                    if message.is_text() && socket.send(message).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn an_untrusted_certificate_fails_at_tls_and_is_described() {
    let (cert, key) = certificate_for_loopback(None);
    let addr = wss_echo_server(cert, key).await;

    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let handshake = control.connect(&format!("wss://{addr}/"), json!([])).await;
    assert_eq!(handshake["stage"], "tls", "{handshake}");
    assert_eq!(
        handshake["error"],
        "TLS: invalid peer certificate: UnknownIssuer"
    );
    let certificate = &handshake["certificate"];
    assert_eq!(certificate["subject"], "CN=wsprobe relay test");
    assert_eq!(certificate["issuer"], "CN=wsprobe relay test");
    assert_eq!(certificate["not_before"], "2025-01-02T00:00:00Z");
    assert_eq!(certificate["not_after"], "2035-06-07T00:00:00Z");
    assert!(handshake["timings"]["tls_ms"].as_f64().is_some());
    assert!(handshake["timings"]["upgrade_ms"].is_null());
}

#[tokio::test]
async fn a_server_signed_by_a_ca_given_with_ca_file_opens_over_tls() {
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "wsprobe test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let (cert, key) = certificate_for_loopback(Some(&issuer));
    let addr = wss_echo_server(cert, key).await;
    let url = format!("wss://{addr}/");

    // Without the CA the relay refuses the certificate, as a browser would.
    let refused = relay(|_| {})
        .await
        .control()
        .await
        .connect(&url, json!([]))
        .await;
    assert_eq!(refused["stage"], "tls", "{refused}");

    let relay = relay(|config| config.extra_roots = vec![ca_cert.der().clone()]).await;
    let mut control = relay.control().await;
    let handshake = control.connect(&url, json!([])).await;
    assert_eq!(handshake["ok"], true, "{handshake}");
    assert!(
        handshake["timings"]["tls_ms"].as_f64().is_some(),
        "{handshake}"
    );
    let mut data = control
        .data(handshake["session"].as_str().unwrap())
        .await
        .unwrap();
    data.send(Message::text("over TLS")).await.unwrap();
    assert_eq!(next(&mut data).await, Message::text("over TLS"));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    control
        .send(json!({"type": "connect", "url": format!("ws://{addr}/"), "timeout_ms": 300}))
        .await;
    let started = std::time::Instant::now();
    let handshake = control.next_of("handshake").await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(handshake["stage"], "timeout", "{handshake}");
    assert!(
        handshake["error"]
            .as_str()
            .unwrap()
            .starts_with("no answer within 300 ms"),
        "{handshake}"
    );
    assert!(handshake["timings"]["tcp_ms"].as_f64().is_some());
}

#[tokio::test]
async fn headers_that_would_break_the_handshake_are_refused() {
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    for (headers, names) in [
        (json!([["Host", "evil.example"]]), "Host"),
        (json!([["sec-websocket-key", "x"]]), "Sec-WebSocket-Key"),
        (
            json!([["Transfer-Encoding", "chunked"]]),
            "Transfer-Encoding",
        ),
        (json!([["X-Evil", "a\r\nHost: b"]]), "X-Evil"),
        (json!([["Bad Name", "a"]]), "Bad Name"),
    ] {
        let handshake = control.connect("ws://127.0.0.1:1/", headers).await;
        assert_eq!(handshake["stage"], "url", "{handshake}");
        assert!(
            handshake["error"].as_str().unwrap().contains(names),
            "{handshake}"
        );
        assert!(handshake["request"].is_null());
    }
    let handshake = control.connect("http://example.com/", json!([])).await;
    assert_eq!(handshake["stage"], "url", "{handshake}");
}

#[tokio::test]
async fn bad_control_messages_get_an_error_and_the_socket_stays_usable() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    for (bad, says) in [
        ("{not json", "not JSON"),
        (r#"{"type":"jump"}"#, "unknown message type"),
        (r#"{"type":"ping","id":1}"#, "ping before connect"),
        (r#"{"type":"close"}"#, "close before connect"),
        (r#"{"type":"connect"}"#, "bad connect message"),
    ] {
        control.send_text(bad).await;
        let event = control.next().await;
        assert_eq!(event["type"], "error", "{bad}: {event}");
        assert!(event["error"].as_str().unwrap().contains(says), "{event}");
    }
    let mut data = control.open_session(&format!("{server}/echo")).await;
    data.send(Message::text("still works")).await.unwrap();
    assert_eq!(next(&mut data).await, Message::text("still works"));
}
