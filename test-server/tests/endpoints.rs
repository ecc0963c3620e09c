//! Each endpoint driven by a real client over 127.0.0.1.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};
use wsprobe_test_server::Options;

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The server as the command runs it without arguments.
async fn server() -> String {
    common::server_with(Options::default()).await
}

async fn connect(url: String) -> Client {
    let (socket, _) = connect_async(url).await.expect("handshake");
    socket
}

async fn next(socket: &mut Client) -> Message {
    tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("a message within 10 s")
        .expect("the stream is open")
        .expect("a valid message")
}

#[tokio::test]
async fn echo_returns_text_and_binary_unchanged() {
    let mut socket = connect(format!("ws://{}/echo", server().await)).await;
    socket.send(Message::text("héllo")).await.expect("send");
    assert_eq!(next(&mut socket).await, Message::text("héllo"));
    socket
        .send(Message::binary(vec![0u8, 255, 7]))
        .await
        .expect("send");
    assert_eq!(next(&mut socket).await, Message::binary(vec![0u8, 255, 7]));
}

#[tokio::test]
async fn headers_reports_the_request_headers_then_echoes() {
    let addr = server().await;
    let mut request = format!("ws://{addr}/headers")
        .into_client_request()
        .expect("request");
    let headers = request.headers_mut();
    headers.insert("Authorization", "Bearer x".parse().expect("header"));
    headers.append("X-Repeat", "one".parse().expect("header"));
    headers.append("X-Repeat", "two".parse().expect("header"));
    headers.insert("X-Quote", r#"say "hi" \ there"#.parse().expect("header"));
    let (mut socket, _) = connect_async(request).await.expect("handshake");
    let Message::Text(text) = next(&mut socket).await else {
        panic!("expected the headers as text");
    };
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["authorization"], "Bearer x");
    assert_eq!(json["x-repeat"], "one, two");
    assert_eq!(json["x-quote"], r#"say "hi" \ there"#);
    assert_eq!(json["host"], addr.as_str());
    assert_eq!(json["upgrade"], "websocket");
    socket.send(Message::text("after")).await.expect("send");
    assert_eq!(next(&mut socket).await, Message::text("after"));
}

#[tokio::test]
async fn echo_answers_a_client_close_with_the_same_code() {
    let mut socket = connect(format!("ws://{}/echo", server().await)).await;
    let frame = tokio_tungstenite::tungstenite::protocol::CloseFrame {
        code: CloseCode::Normal,
        reason: "done".into(),
    };
    socket.close(Some(frame)).await.expect("send close");
    match next(&mut socket).await {
        Message::Close(Some(reply)) => assert_eq!(reply.code, CloseCode::Normal),
        other => panic!("expected a close reply, got {other:?}"),
    }
}

#[tokio::test]
async fn subprotocol_picks_the_first_offered_that_it_accepts() {
    let addr = server().await;
    let mut request = format!("ws://{addr}/subprotocol?accept=json,chat")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "xml, chat, json".parse().expect("header"),
    );
    let (_, response) = connect_async(request).await.expect("handshake");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|v| v.as_bytes()),
        Some(&b"chat"[..])
    );

    let mut request = format!("ws://{addr}/subprotocol?accept=json")
        .into_client_request()
        .expect("request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "xml".parse().expect("header"));
    let result = connect_async(request).await;
    // The server answers without a subprotocol; a conforming client must refuse that.
    assert!(matches!(result, Err(Error::Protocol(_))), "{result:?}");
}

#[tokio::test]
async fn close_sends_the_code_and_reason_asked_for() {
    let mut socket = connect(format!(
        "ws://{}/close?code=4001&reason=see%20you",
        server().await
    ))
    .await;
    match next(&mut socket).await {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, CloseCode::from(4001));
            assert_eq!(frame.reason.as_str(), "see you");
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn reject_answers_the_status_asked_for() {
    let addr = server().await;
    for status in [401u16, 403, 404] {
        match connect_async(format!("ws://{addr}/reject?status={status}")).await {
            Err(Error::Http(response)) => {
                assert_eq!(response.status().as_u16(), status);
                assert_eq!(
                    response.headers().contains_key("www-authenticate"),
                    status == 401
                );
            }
            other => panic!("status {status}: expected an HTTP refusal, got {other:?}"),
        }
    }
    match connect_async(format!("ws://{addr}/no-such-endpoint")).await {
        Err(Error::Http(response)) => assert_eq!(response.status().as_u16(), 404),
        other => panic!("expected 404, got {other:?}"),
    }
}

#[tokio::test]
async fn hang_never_answers_the_upgrade() {
    let attempt = tokio::time::timeout(
        Duration::from_millis(500),
        connect_async(format!("ws://{}/hang", server().await)),
    )
    .await;
    assert!(attempt.is_err(), "the handshake finished: {attempt:?}");
}

#[tokio::test]
async fn binary_sends_the_bytes_asked_for_or_a_default() {
    let addr = server().await;
    let mut socket = connect(format!("ws://{addr}/binary?hex=00ff10")).await;
    assert_eq!(
        next(&mut socket).await,
        Message::binary(vec![0x00u8, 0xff, 0x10])
    );
    let mut socket = connect(format!("ws://{addr}/binary")).await;
    assert_eq!(
        next(&mut socket).await,
        Message::binary(vec![0x00u8, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff])
    );
}

#[tokio::test]
async fn large_sends_one_message_of_the_size_asked_for() {
    let addr = server().await;
    let mut socket = connect(format!("ws://{addr}/large?size=5000000")).await;
    match next(&mut socket).await {
        Message::Text(text) => assert_eq!(text.len(), 5_000_000),
        other => panic!("expected text, got {} bytes of {other:?}", other.len()),
    }
    let mut socket = connect(format!("ws://{addr}/large?size=3&kind=binary")).await;
    assert_eq!(next(&mut socket).await, Message::binary(b"000".to_vec()));
}

#[tokio::test]
async fn flood_sends_exactly_count_messages_in_order() {
    let mut socket = connect(format!("ws://{}/flood?count=20000&size=32", server().await)).await;
    for seq in 0..20000u64 {
        match next(&mut socket).await {
            Message::Text(text) => {
                assert_eq!(text.len(), 32);
                assert!(
                    text.starts_with(&format!("{seq:08} ")),
                    "message {seq}: {text}"
                );
            }
            other => panic!("message {seq}: {other:?}"),
        }
    }
    // Nothing beyond the count; the socket is now an echo.
    socket.send(Message::text("after")).await.expect("send");
    assert_eq!(next(&mut socket).await, Message::text("after"));
}

#[tokio::test]
async fn deflate_echoes_plainly_to_a_client_that_does_not_offer_it() {
    let mut socket = connect(format!("ws://{}/deflate", server().await)).await;
    socket.send(Message::text("plain")).await.expect("send");
    assert_eq!(next(&mut socket).await, Message::text("plain"));
}

/// tungstenite cannot speak permessage-deflate, so this client writes frames by hand.
#[tokio::test]
async fn deflate_negotiates_and_echoes_compressed_frames() {
    let mut stream = TcpStream::connect(server().await).await.expect("connect");
    stream
        .write_all(
            b"GET /deflate HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
              Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
              Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n",
        )
        .await
        .expect("write request");
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        head.push(stream.read_u8().await.expect("read response"));
    }
    let head = String::from_utf8(head).expect("ASCII head");
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    assert!(
        head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{head}"
    );
    assert!(
        head.contains("Sec-WebSocket-Extensions: permessage-deflate"),
        "{head}"
    );

    // RFC 7692 §7.2.3.1's compressed "Hello", masked with a zero key, RSV1 set.
    let compressed = [0xf2u8, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
    let mut frame = vec![0xc1, 0x80 | compressed.len() as u8, 0, 0, 0, 0];
    frame.extend_from_slice(&compressed);
    stream.write_all(&frame).await.expect("write frame");

    let first = stream.read_u8().await.expect("reply");
    assert_eq!(first, 0xc1, "a final, compressed text frame");
    let len = stream.read_u8().await.expect("length") as usize;
    let mut payload = vec![0u8; len];
    stream.read_exact(&mut payload).await.expect("payload");
    payload.extend_from_slice(&[0, 0, 0xff, 0xff]);
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&payload[..]).read_to_end_sync(&mut out);
    assert_eq!(out, b"Hello");
}

trait ReadToEndSync {
    fn read_to_end_sync(&mut self, out: &mut Vec<u8>);
}

impl<R: std::io::Read> ReadToEndSync for R {
    /// Reads what inflates; the unterminated stream ends in an error that is expected here.
    fn read_to_end_sync(&mut self, out: &mut Vec<u8>) {
        let mut buf = [0u8; 256];
        while let Ok(n @ 1..) = self.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
    }
}
