//! Who may use the relay, and the limits on how much: token, origin, sessions, bind address.

mod common;

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::process::{Command, Stdio};

use common::{PAGE_ORIGIN, TOKEN, close_of, open, refusal, relay, test_server};
use serde_json::json;
use tokio::net::TcpListener;
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

#[tokio::test]
async fn a_foreign_or_missing_origin_is_refused_with_403_before_anything_else() {
    // A would-be upstream: nothing may ever connect to it.
    let upstream = TcpListener::bind("127.0.0.1:0").await.unwrap();
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

    let nothing =
        tokio::time::timeout(std::time::Duration::from_millis(200), upstream.accept()).await;
    assert!(nothing.is_err(), "the relay connected upstream");
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
