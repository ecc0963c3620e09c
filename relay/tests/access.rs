//! Who may use the relay, and the limits on how much: token, origin, sessions, bind address.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{PAGE_ORIGIN, TOKEN, WAIT, close_of, open, refusal, relay, test_server};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wsprobe_relay::{Config, check_bind};

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused_with_403() {
    let relay = relay(|_| {}).await;
    let base = format!("ws://{}", relay.addr);
    for url in [
        format!("{base}/control?token=wrong"),
        format!("{base}/control?token={TOKEN}x"),
        format!("{base}/control"),
        format!("{base}/data?token=wrong&session=abc"),
    ] {
        let (status, body) = refusal(open(&url, Some(PAGE_ORIGIN)).await);
        assert_eq!(status, 403, "{url}");
        assert!(body.contains("token"), "{url}: {body}");
    }
}

/// Every printable ASCII character a `--token` may hold, letters and digits included.
const EVERY_PRINTABLE: &str = "aZ09!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// A query value escaped as RFC 3986 allows at the strictest: all but unreserved characters.
fn escape_all(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn tokens_with_any_printable_character_match_however_the_page_writes_them() {
    let token = EVERY_PRINTABLE.to_string();
    for (token, control) in [
        // Percent-encoded per RFC 3986, `+` as %2B.
        (
            token.clone(),
            format!("/control?token={}", escape_all(&token)),
        ),
        // As the page writes it: `+` and the other sub-delimiters left raw.
        (token.clone(), String::new()),
        // A raw `+` typed by hand: a plus, not a space.
        ("a+b+".to_string(), "/control?token=a+b+".to_string()),
    ] {
        let relay = relay(|c| c.token = token.clone()).await;
        let base = format!("ws://{}", relay.addr);
        let url = if control.is_empty() {
            wsprobe_core::relay::control_url(&base, &token)
        } else {
            format!("{base}{control}")
        };
        assert!(open(&url, Some(PAGE_ORIGIN)).await.is_ok(), "{url}");
        // The data socket reads the token the same way: past it, the session is what is unknown.
        let data = wsprobe_core::relay::data_url(&base, &token, "none");
        assert_eq!(
            refusal(open(&data, Some(PAGE_ORIGIN)).await).0,
            404,
            "{data}"
        );
    }
}

#[tokio::test]
async fn a_foreign_or_missing_origin_is_refused_with_403_before_anything_else() {
    let relay = relay(|_| {}).await;
    let control = format!("ws://{}/control?token={TOKEN}", relay.addr);

    let (status, body) = refusal(open(&control, Some("https://evil.example")).await);
    assert_eq!(status, 403);
    assert!(body.contains("https://evil.example"), "{body}");
    let (status, body) = refusal(open(&control, None).await);
    assert_eq!(status, 403);
    assert!(body.contains("no Origin"), "{body}");
    // A foreign origin is refused even with the right token on the data socket.
    let data = format!("ws://{}/data?token={TOKEN}&session=x", relay.addr);
    assert_eq!(
        refusal(open(&data, Some("http://localhost.evil.example")).await).0,
        403
    );
}

#[tokio::test]
async fn a_refused_page_gets_nothing_dialled_even_with_a_connect_sent_behind_its_request() {
    // A real upstream on loopback, which the relay reaches if it ever acts on the connects.
    let upstream = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("ws://{}/", upstream.local_addr().unwrap());
    let relay = relay(|_| {}).await;
    let mut statuses = Vec::new();
    for (token, origin) in [
        (TOKEN, Some("https://evil.example")),
        (TOKEN, Some("null")),
        (TOKEN, None),
        ("wrong", Some(PAGE_ORIGIN)),
    ] {
        let path = format!("/control?token={token}");
        let (status, _kept) = upgrade_then_connect(&relay.addr, &path, origin, &target).await;
        statuses.push((status, token, origin));
    }
    let dialled = tokio::time::timeout(Duration::from_millis(300), upstream.accept()).await;
    assert!(
        dialled.is_err(),
        "the relay connected upstream for a refused page"
    );
    for (status, token, origin) in statuses {
        assert_eq!(status, 403, "{token} {origin:?}");
    }

    // The same from an allowed page with the token does reach it, so the silence above counts.
    let path = format!("/control?token={TOKEN}");
    let (status, _kept) =
        upgrade_then_connect(&relay.addr, &path, Some(PAGE_ORIGIN), &target).await;
    assert_eq!(status, 101);
    let dialled = tokio::time::timeout(WAIT, upstream.accept()).await;
    assert!(
        dialled.is_ok(),
        "an allowed page's connect never reached the upstream"
    );
}

/// Sends an upgrade request for `path` with a connect message for `target` right behind it,
/// as a page that does not wait for the answer would. The answer's status, and the socket.
async fn upgrade_then_connect(
    relay: &str,
    path: &str,
    origin: Option<&str>,
    target: &str,
) -> (u16, TcpStream) {
    let mut sent = format!(
        "GET {path} HTTP/1.1\r\nHost: {relay}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    );
    if let Some(origin) = origin {
        sent.push_str(&format!("Origin: {origin}\r\n"));
    }
    sent.push_str("\r\n");
    let mut sent = sent.into_bytes();
    // One masked text frame (RFC 6455 section 5.2), as clients must send.
    let connect = json!({"type": "connect", "url": target}).to_string();
    assert!(connect.len() < 126, "a one-byte length");
    let mask = [1u8, 2, 3, 4];
    sent.extend_from_slice(&[0x81, 0x80 | connect.len() as u8]);
    sent.extend_from_slice(&mask);
    sent.extend(connect.bytes().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));

    let mut stream = TcpStream::connect(relay).await.unwrap();
    stream.write_all(&sent).await.unwrap();
    let mut answer = [0u8; 12];
    tokio::time::timeout(WAIT, stream.read_exact(&mut answer))
        .await
        .expect("an answer in time")
        .expect("an HTTP status line");
    // "HTTP/1.1 403"
    let status = std::str::from_utf8(&answer[9..12])
        .unwrap()
        .parse()
        .unwrap();
    (status, stream)
}

#[tokio::test]
async fn a_null_origin_is_refused_and_told_why() {
    let relay = relay(|c| c.allowed_origins = vec!["null".into()]).await;
    let control = format!("ws://{}/control?token={TOKEN}", relay.addr);
    let (status, body) = refusal(open(&control, Some("null")).await);
    assert_eq!(status, 403);
    assert!(
        body.contains("sandboxed") && !body.contains("--allow-origin"),
        "{body}"
    );
}

#[tokio::test]
async fn extra_origins_are_allowed_exactly() {
    let relay = relay(|c| c.allowed_origins = vec!["https://example.github.io".into()]).await;
    let control = format!("ws://{}/control?token={TOKEN}", relay.addr);
    assert!(
        open(&control, Some("https://example.github.io"))
            .await
            .is_ok()
    );
    assert!(open(&control, Some("http://[::1]:5173")).await.is_ok());
    let (status, _) = refusal(open(&control, Some("https://example.github.io.evil")).await);
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_session_id_is_single_use_and_unknown_ones_are_404() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let handshake = control.connect(&format!("{server}/echo"), json!([])).await;
    let session = handshake["session"].as_str().unwrap();
    let _data = control.data(session).await.unwrap();
    assert_eq!(refusal(control.data(session).await).0, 404);
    assert_eq!(refusal(control.data("0000").await).0, 404);
    let url = format!("ws://{}/elsewhere?token={TOKEN}", relay.addr);
    assert_eq!(refusal(open(&url, Some(PAGE_ORIGIN)).await).0, 404);
}

#[tokio::test]
async fn more_sessions_than_allowed_are_refused_until_one_closes() {
    let server = test_server().await;
    let relay = relay(|c| c.max_sessions = 1).await;
    let mut first = relay.control().await;
    let mut data = first.open_session(&format!("{server}/echo")).await;

    let mut second = relay.control().await;
    let refused = second.connect(&format!("{server}/echo"), json!([])).await;
    assert_eq!(refused["ok"], false);
    assert_eq!(refused["stage"], "url");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .starts_with("too many connections"),
        "{refused}"
    );

    data.close(common::close_frame(1000, "done")).await.unwrap();
    assert_eq!(close_of(&mut data).await.0, 1000);
    assert_eq!(first.next_of("closed").await["code"], 1000);
    let accepted = second.connect(&format!("{server}/echo"), json!([])).await;
    assert_eq!(accepted["ok"], true, "{accepted}");
}

#[test]
fn a_non_loopback_address_needs_allow_remote() {
    let any: IpAddr = "0.0.0.0".parse().unwrap();
    let config = Config {
        bind: any,
        ..Config::default()
    };
    let refused = check_bind(&config).unwrap_err();
    assert!(
        refused.contains("0.0.0.0") && refused.contains("--allow-remote"),
        "{refused}"
    );
    assert!(
        check_bind(&Config {
            allow_remote: true,
            ..config
        })
        .is_ok()
    );
    for loopback in ["127.0.0.1", "::1", "127.0.0.2"] {
        let config = Config {
            bind: loopback.parse().unwrap(),
            ..Config::default()
        };
        assert!(check_bind(&config).is_ok(), "{loopback}");
    }
}

#[test]
fn the_binary_refuses_a_public_bind_and_announces_itself_on_loopback() {
    let binary = env!("CARGO_BIN_EXE_wsprobe-relay");
    let refused = Command::new(binary)
        .args(["--bind", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");

    let mut child = Command::new(binary)
        .args(["--port", "0", "--token", "feed"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let stdout = child.stdout.take().unwrap();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let first = first.trim_end();
    let rest = first
        .strip_prefix("wsprobe relay on ws://127.0.0.1:")
        .unwrap_or_else(|| panic!("{first}"));
    let (port, token) = rest.split_once(" token: ").unwrap();
    assert!(port.parse::<u16>().unwrap() > 0);
    assert_eq!(token, "feed");
}

/// The status the page checks: any page learns whether it may use the relay; only an allowed
/// one learns the version, the protocols and whether its token is right.
#[tokio::test]
async fn status_tells_a_page_whether_it_is_paired_and_a_foreign_one_no_more() {
    let relay = relay(|c| c.allowed_origins = vec!["https://you.github.io".into()]).await;
    let status = |token: &str| format!("ws://{}/status?token={token}", relay.addr);
    let answer = |url: String, origin: Option<&'static str>| async move {
        let mut socket = open(&url, origin).await.unwrap();
        let text = match common::next(&mut socket).await {
            tokio_tungstenite::tungstenite::Message::Text(text) => text.to_string(),
            other => panic!("not a text message: {other:?}"),
        };
        // Then the relay closes it.
        assert_eq!(close_of(&mut socket).await.0, 1000);
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let version = env!("CARGO_PKG_VERSION");
    let protocol = wsprobe_core::relay::status::PROTOCOL;
    assert_eq!(
        answer(status(TOKEN), Some(PAGE_ORIGIN)).await,
        json!({"type": "status", "origin": PAGE_ORIGIN, "page_allowed": true, "version": version,
               "protocols": [protocol, protocol], "token_ok": true})
    );
    assert_eq!(
        answer(status("wrong"), Some("https://you.github.io")).await["token_ok"],
        json!(false)
    );
    for origin in [Some("https://evil.example"), Some("null"), None] {
        assert_eq!(
            answer(status(TOKEN), origin).await,
            json!({"type": "status", "origin": origin.unwrap_or_default(), "page_allowed": false}),
            "{origin:?}"
        );
    }
}
