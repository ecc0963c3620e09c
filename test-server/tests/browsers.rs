//! What a browser page may do with the test server: pages on localhost (and origins named with
//! --allow-origin) may connect; other websites the person visits may not, and no page reads
//! the cookies or credentials its browser attaches.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Stdio;

use common::{LIMIT, server_with, upgrade};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use wsprobe_test_server::Options;

fn origin(value: &str) -> String {
    format!("Origin: {value}\r\n")
}

#[tokio::test]
async fn pages_on_localhost_and_clients_without_an_origin_may_connect() {
    let addr = server_with(Options::default()).await;
    for extra in [
        origin("http://127.0.0.1:8080"),
        origin("https://127.0.0.1:1"),
        origin("http://localhost:3000"),
        origin("http://[::1]:8080"),
        origin("https://localhost"),
        String::new(),
    ] {
        let (_, head) = upgrade(&addr, "/echo", &extra).await;
        assert!(head.starts_with("HTTP/1.1 101"), "{extra}: {head}");
    }
}

#[tokio::test]
async fn other_websites_are_refused_with_403_naming_the_option() {
    let addr = server_with(Options::default()).await;
    for page in [
        "https://evil.example",
        "http://localhost.evil.example",
        "http://127.0.0.1.evil.example:80",
        "null",
    ] {
        for path in ["/echo", "/headers", "/hang", "/reject?status=200"] {
            let (mut stream, head) = upgrade(&addr, path, &origin(page)).await;
            assert!(head.starts_with("HTTP/1.1 403"), "{page} {path}: {head}");
            let mut body = String::new();
            let read = tokio::time::timeout(LIMIT, stream.read_to_string(&mut body)).await;
            read.expect("the body in time").expect("a body");
            assert!(body.contains(page), "{body}");
            assert!(body.contains("--allow-origin"), "{body}");
        }
    }
}

#[tokio::test]
async fn the_endpoint_list_still_answers_plain_http() {
    let addr = server_with(Options::default()).await;
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    let read = tokio::time::timeout(LIMIT, stream.read_to_string(&mut answer)).await;
    read.expect("in time").expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("/echo"), "{answer}");
}

/// The command itself, with the option a person would pass for a hosted page.
#[tokio::test]
async fn allow_origin_admits_exactly_the_origins_given() {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_wsprobe-test-server"))
        .args(["--port", "0", "--allow-origin", "https://you.github.io/"])
        .args(["--allow-origin", "http://lan.example:8080"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the test server");
    let mut child = Stop(child);
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads on to the end: a closed pipe would make the server's next print panic.
    std::thread::spawn(move || {
        let mut stdout = std::io::BufReader::new(stdout);
        let mut line = String::new();
        let _ = tx.send(std::io::BufRead::read_line(&mut stdout, &mut line).map(|_| line));
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    });
    let first = tokio::task::spawn_blocking(move || rx.recv_timeout(LIMIT)).await;
    let first = first
        .expect("join")
        .expect("a first line in time")
        .expect("read it");
    let addr = first.trim().rsplit("ws://").next().expect("an address");
    for (page, status) in [
        ("https://you.github.io", "101"),
        ("http://lan.example:8080", "101"),
        ("http://127.0.0.1:8080", "101"),
        ("https://you.github.io.evil.example", "403"),
        ("http://lan.example", "403"),
    ] {
        let (_, head) = upgrade(addr, "/echo", &origin(page)).await;
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status}")),
            "{page}: {head}"
        );
    }
}

/// Stops the child however the test ends.
struct Stop(std::process::Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn headers_seen(addr: &str, origin: Option<&str>) -> serde_json::Value {
    let mut request = format!("ws://{addr}/headers")
        .into_client_request()
        .expect("request");
    let headers = request.headers_mut();
    headers.insert("Cookie", "session=abc; theme=dark".parse().expect("header"));
    headers.insert("Authorization", "Bearer s3cret".parse().expect("header"));
    if let Some(origin) = origin {
        headers.insert("Origin", origin.parse().expect("header"));
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("handshake");
    let next = tokio::time::timeout(LIMIT, socket.next()).await;
    let Some(Ok(Message::Text(text))) = next.expect("a message in time") else {
        panic!("expected the headers as text");
    };
    serde_json::from_str(&text).expect("JSON")
}

#[tokio::test]
async fn headers_hides_cookies_and_credentials_from_browser_pages() {
    let addr = server_with(Options::default()).await;
    let seen = headers_seen(&addr, Some("http://127.0.0.1:8080")).await;
    assert_eq!(seen["cookie"], "(hidden: 23 bytes; sent by a browser page)");
    assert_eq!(
        seen["authorization"],
        "(hidden: 13 bytes; sent by a browser page)"
    );
    assert_eq!(seen["origin"], "http://127.0.0.1:8080");
    assert!(!seen.to_string().contains("s3cret") && !seen.to_string().contains("abc"));
}

#[tokio::test]
async fn headers_shows_them_to_clients_without_an_origin() {
    let addr = server_with(Options::default()).await;
    let seen = headers_seen(&addr, None).await;
    assert_eq!(seen["cookie"], "session=abc; theme=dark");
    assert_eq!(seen["authorization"], "Bearer s3cret");
}
