//! What a page or a server cannot make the relay do: pile up pings, or send close codes that
//! RFC 6455 reserves for reporting.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{WAIT, close_of, relay, tiny_server};
use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;

/// As many pings as the relay lets wait for a pong (`session::MAX_PINGS_WAITING`).
const PINGS_WAITING: u64 = 32;

#[tokio::test]
async fn pings_waiting_for_a_pong_are_capped_and_the_page_is_told() {
    // A server that never reads, so never answers a ping.
    let server = tiny_server(|socket| async move {
        let _kept = socket;
        std::future::pending::<()>().await;
    })
    .await;
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    let _data = control.open_session(&server).await;
    for id in 0..=PINGS_WAITING {
        control.send(json!({"type": "ping", "id": id})).await;
    }
    // The first error is for the one ping over the cap; all before it went out.
    let error = control.next_of("error").await;
    let error = error["error"].as_str().unwrap_or_default();
    assert!(
        error.contains(&format!("ping {PINGS_WAITING} not sent"))
            && error.contains(&format!("{PINGS_WAITING} pings"))
            && error.contains("pong"),
        "{error}"
    );
}

#[tokio::test]
async fn reserved_close_codes_never_reach_the_server_in_a_close_frame() {
    let relay = relay(|_| {}).await;
    let mut control = relay.control().await;
    for (code, sent) in [(1005, None), (1006, Some(1011)), (1015, Some(1011))] {
        let (tell, told) = oneshot::channel();
        let server = tiny_server(move |mut socket| async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Close(frame) = message {
                    let _ = tell.send(frame.map(|f| (u16::from(f.code), f.reason.to_string())));
                    break;
                }
            }
        })
        .await;
        let mut data = control.open_session(&server).await;
        control
            .send(json!({"type": "close", "code": code, "reason": "page"}))
            .await;
        let received = tokio::time::timeout(WAIT, told).await.unwrap().unwrap();
        assert_eq!(
            received.as_ref().map(|(c, _)| *c),
            sent,
            "{code}: {received:?}"
        );
        if let Some((_, reason)) = received {
            assert!(reason.contains(&code.to_string()), "{code}: {reason}");
            let error = control.next_of("error").await;
            let error = error["error"].as_str().unwrap_or_default();
            assert!(
                error.contains(&code.to_string()) && error.contains("1011"),
                "{error}"
            );
        }
        control.next_of("closed").await;
        close_of(&mut data).await;
    }
}
