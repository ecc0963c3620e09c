//! Clients that send too slowly or too much are cut off, not waited for.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{LIMIT, close_code, frame, server_with, upgrade};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wsprobe_test_server::Options;

#[tokio::test]
async fn half_a_request_head_is_dropped_after_the_head_timeout() {
    let options = Options {
        head_timeout: Duration::from_millis(300),
        ..Options::default()
    };
    let addr = server_with(options).await;
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    stream
        .write_all(b"GET /echo HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write half a head");
    let mut rest = Vec::new();
    let read = tokio::time::timeout(LIMIT, stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "still connected after {LIMIT:?}");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}

const LIMITED: usize = 64 * 1024;

/// Sends a non-final first frame and then continuation frames without end (well, until four
/// times the limit), never a final one; returns the close code the server sent, if any.
async fn endless_fragments(path: &str, extra: &str, first: u8) -> Option<u16> {
    let options = Options {
        max_message_bytes: LIMITED,
        ..Options::default()
    };
    let addr = server_with(options).await;
    let (stream, head) = upgrade(&addr, path, extra).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'x'; 1024];
        let mut sent = 0;
        let mut opcode = first;
        while sent < 4 * LIMITED && write.write_all(&frame(opcode, &chunk)).await.is_ok() {
            sent += chunk.len();
            opcode = 0x00;
        }
    });
    // The server's close must come while the message is still unfinished.
    let code = close_code(&mut read).await;
    writer.abort();
    code
}

#[tokio::test]
async fn endless_fragments_are_stopped_at_the_message_limit() {
    assert_eq!(endless_fragments("/echo", "", 0x01).await, Some(1009));
    assert_eq!(endless_fragments("/deflate", "", 0x01).await, Some(1009));
    let offer = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    assert_eq!(endless_fragments("/deflate", offer, 0x42).await, Some(1009));
}
