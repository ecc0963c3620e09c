//! Messages through an open session: unchanged both ways, pings, closes, limits, idle.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{close_frame, close_of, next, relay, test_server, tiny_server};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

#[tokio::test]
async fn text_and_binary_pass_unchanged_both_ways() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let mut data = control.open_session(&format!("{server}/echo")).await;
    let big: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    for message in [
        Message::text("héllo ✓"),
        Message::text(""),
        Message::binary(vec![0u8, 255, 7]),
        Message::binary(big),
    ] {
        data.send(message.clone()).await.unwrap();
        assert_eq!(next(&mut data).await, message);
    }
}

#[tokio::test]
async fn a_large_server_message_arrives_whole_and_first() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    // Sent right behind the 101, before the data socket exists: it must wait, not vanish.
    let mut data = control
        .open_session(&format!("{server}/large?size=3000000&kind=binary"))
        .await;
    match next(&mut data).await {
        Message::Binary(bytes) => {
            assert_eq!(bytes.len(), 3_000_000);
            assert!(bytes.starts_with(b"00000000 x"));
        }
        other => panic!("expected binary, got {other:?}"),
    }
}

#[tokio::test]
async fn a_fragmented_server_message_arrives_whole() {
    let server = tiny_server(|mut socket| async move {
        let text = |data: &str, opcode, last| {
            Message::Frame(Frame::message(data.to_string().into_bytes(), opcode, last))
        };
        for frame in [
            text("frag", OpCode::Data(Data::Text), false),
            text("mented ", OpCode::Data(Data::Continue), false),
            text("tëxt", OpCode::Data(Data::Continue), true),
            text("bin", OpCode::Data(Data::Binary), false),
            text("ary", OpCode::Data(Data::Continue), true),
        ] {
            socket.send(frame).await.unwrap();
        }
        while socket.next().await.is_some() {}
    })
    .await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let mut data = control.open_session(&server).await;
    assert_eq!(next(&mut data).await, Message::text("fragmented tëxt"));
    assert_eq!(next(&mut data).await, Message::binary(b"binary".to_vec()));
}

#[tokio::test]
async fn a_ping_is_answered_with_its_round_trip_time() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let _data = control.open_session(&format!("{server}/echo")).await;
    control.send(json!({"type": "ping", "id": 7})).await;
    let pong = control.next_of("pong").await;
    assert_eq!(pong["id"], 7);
    let rtt = pong["rtt_ms"].as_f64().unwrap();
    assert!((0.0..5000.0).contains(&rtt), "{pong}");
}

#[tokio::test]
async fn a_server_ping_is_reported_and_answered() {
    let (got_pong, pong) = tokio::sync::oneshot::channel();
    let server = tiny_server(|mut socket| async move {
        socket
            .send(Message::Ping(b"hi".to_vec().into()))
            .await
            .unwrap();
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Pong(payload) = message {
                let _ = got_pong.send(payload.to_vec());
                break;
            }
        }
    })
    .await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let _data = control.open_session(&server).await;
    let ping = control.next_of("server_ping").await;
    assert_eq!(ping["payload_hex"], "6869");
    let payload = tokio::time::timeout(common::WAIT, pong)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(payload, b"hi");
}

#[tokio::test]
async fn closes_pass_through_with_their_code_and_reason() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;

    // The server closes: the page gets the same close, the control socket the report.
    let mut control = relay.control().await;
    let mut data = control
        .open_session(&format!("{server}/close?code=4001&reason=see%20you"))
        .await;
    assert_eq!(close_of(&mut data).await, (4001, "see you".to_string()));
    let closed = control.next_of("closed").await;
    assert_eq!(
        closed,
        json!({"type": "closed", "code": 4001, "reason": "see you", "clean": true})
    );

    // A code a server may not pass on to a page becomes 1011; the real one is reported.
    let mut data = control
        .open_session(&format!("{server}/close?code=1002&reason=oops"))
        .await;
    let (code, reason) = close_of(&mut data).await;
    assert_eq!(code, 1011);
    assert!(reason.contains("1002"), "{reason}");
    assert_eq!(control.next_of("closed").await["code"], 1002);

    // The page closes the data socket: the server gets the same code and reason.
    let mut data = control.open_session(&format!("{server}/echo")).await;
    data.close(close_frame(4002, "page done")).await.unwrap();
    assert_eq!(close_of(&mut data).await, (4002, "page done".to_string()));
    let closed = control.next_of("closed").await;
    assert_eq!(
        (closed["code"].as_u64(), closed["reason"].as_str()),
        (Some(4002), Some("page done"))
    );

    // The control socket asks for the close.
    let mut data = control.open_session(&format!("{server}/echo")).await;
    control
        .send(json!({"type": "close", "code": 4003, "reason": "bye"}))
        .await;
    assert_eq!(close_of(&mut data).await, (4003, "bye".to_string()));
    assert_eq!(control.next_of("closed").await["code"], 4003);
}

#[tokio::test]
async fn a_server_that_drops_without_a_close_is_reported_as_1006() {
    let server = tiny_server(|socket| async move { drop(socket) }).await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let mut data = control.open_session(&server).await;
    let closed = control.next_of("closed").await;
    assert_eq!(
        (closed["code"].as_u64(), closed["clean"].as_bool()),
        (Some(1006), Some(false))
    );
    assert_eq!(close_of(&mut data).await.0, 1011);
}

#[tokio::test]
async fn an_oversize_message_closes_with_1009_and_the_relay_keeps_serving() {
    let server = test_server().await;
    let relay = relay(|c| c.max_message_bytes = 1000).await;

    // From the server.
    let mut control = relay.control().await;
    let mut data = control
        .open_session(&format!("{server}/large?size=2000&kind=binary"))
        .await;
    assert_eq!(close_of(&mut data).await.0, 1009);
    let closed = control.next_of("closed").await;
    assert_eq!(closed["code"], 1009, "{closed}");

    // From the page.
    let mut data = control.open_session(&format!("{server}/echo")).await;
    data.send(Message::binary(vec![1u8; 2000])).await.unwrap();
    assert_eq!(close_of(&mut data).await.0, 1009);
    let error = control.next_of("error").await;
    assert!(error["error"].as_str().unwrap().contains("1009"), "{error}");
    assert_eq!(control.next_of("closed").await["code"], 1009);

    // Still serving: a new control socket and session, with messages right up to the limit.
    let mut control = relay.control().await;
    let mut data = control.open_session(&format!("{server}/echo")).await;
    let fits = Message::binary(vec![2u8; 1000]);
    data.send(fits.clone()).await.unwrap();
    assert_eq!(next(&mut data).await, fits);
}

#[tokio::test]
async fn an_idle_session_is_closed_with_1001_and_reported() {
    let server = test_server().await;
    let relay = relay(|c| c.idle = Duration::from_millis(300)).await;
    let mut control = relay.control().await;
    let mut data = control.open_session(&format!("{server}/echo")).await;
    let error = control.next_of("error").await;
    assert!(error["error"].as_str().unwrap().contains("1001"), "{error}");
    assert_eq!(control.next_of("closed").await["code"], 1001);
    assert_eq!(close_of(&mut data).await.0, 1001);
}

#[tokio::test]
async fn a_session_whose_data_socket_never_comes_is_dropped() {
    let server = test_server().await;
    let relay = relay(|c| c.data_wait = Duration::from_millis(300)).await;
    let mut control = relay.control().await;
    let handshake = control.connect(&format!("{server}/echo"), json!([])).await;
    let error = control.next_of("error").await;
    assert!(
        error["error"].as_str().unwrap().contains("data socket"),
        "{error}"
    );
    assert_eq!(control.next_of("closed").await["code"], 1001);
    let session = handshake["session"].as_str().unwrap();
    assert_eq!(common::refusal(control.data(session).await).0, 404);
}

#[tokio::test]
async fn closing_the_control_socket_closes_the_session() {
    let server = test_server().await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let mut data = control.open_session(&format!("{server}/echo")).await;
    control
        .socket
        .close(close_frame(4005, "tab closed"))
        .await
        .unwrap();
    assert_eq!(close_of(&mut data).await, (4005, "tab closed".to_string()));
}
