//! A raw client for the tests that need bytes no well-behaved client would send.
#![allow(dead_code)] // each test file uses its own share of these

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wsprobe_test_server::Options;

/// Long enough for a slow machine, short enough that a hang fails instead of stalling the run.
pub const LIMIT: Duration = Duration::from_secs(10);

pub async fn server_with(options: Options) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(wsprobe_test_server::serve_with(listener, options));
    addr.to_string()
}

/// Sends an upgrade request for `path` with `extra` header lines; returns the socket and the
/// response head.
pub async fn upgrade(addr: &str, path: &str, extra: &str) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = tokio::time::timeout(LIMIT, stream.read_u8()).await;
        head.push(byte.expect("a response in time").expect("read response"));
    }
    (stream, String::from_utf8(head).expect("ASCII head"))
}

/// A client frame: `first` is FIN, RSV1 and the opcode; masked with a zero key.
pub fn frame(first: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n if n <= 0xffff => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(payload);
    out
}

/// The next server frame (unmasked) as its first byte and payload; None when the server hung
/// up. Panics when nothing comes within `LIMIT`.
pub async fn read_frame<R: AsyncRead + Unpin>(stream: &mut R) -> Option<(u8, Vec<u8>)> {
    let read = async {
        let first = stream.read_u8().await.ok()?;
        let len = match stream.read_u8().await.ok()? & 0x7f {
            126 => u64::from(stream.read_u16().await.ok()?),
            127 => stream.read_u64().await.ok()?,
            n => u64::from(n),
        };
        let mut payload = vec![0u8; usize::try_from(len).ok()?];
        stream.read_exact(&mut payload).await.ok()?;
        Some((first, payload))
    };
    tokio::time::timeout(LIMIT, read)
        .await
        .expect("a frame or a hang-up within the limit")
}

/// The close code of the next close frame, skipping data frames; None if the server hung up
/// without one.
pub async fn close_code<R: AsyncRead + Unpin>(stream: &mut R) -> Option<u16> {
    while let Some((first, payload)) = read_frame(stream).await {
        if first & 0x0f == 0x8 {
            return payload.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        }
    }
    None
}

/// Inflates a server's compressed payload (RFC 7692: append the sync tail first).
pub fn inflate(payload: &[u8]) -> Vec<u8> {
    let mut input = payload.to_vec();
    input.extend_from_slice(&[0, 0, 0xff, 0xff]);
    let mut inflater = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(64 * 1024);
    let _ = inflater.decompress_vec(&input, &mut out, flate2::FlushDecompress::Sync);
    out
}
