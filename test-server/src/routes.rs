//! One behaviour per path. Every endpoint that stays open echoes what it is sent.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Bytes, Error, Message, Utf8Bytes};

use crate::{Options, deflate, handshake, headers, origin};
use wsprobe_core::relay::http_head::RequestHead;

const MAX_LARGE_BYTES: usize = 256 * 1024 * 1024;
const MAX_FLOOD_COUNT: u64 = 10_000_000;
const MAX_FLOOD_SIZE: usize = 1024 * 1024;
/// How long /hang holds a connection before letting go, so tests and stray tabs never leak it.
const HANG_LIMIT: Duration = Duration::from_secs(300);

pub fn endpoints_help(addr: &str) -> String {
    format!(
        "Endpoints (ws://{addr}/...):
  /echo                                   echoes text and binary messages
  /headers                                sends the request headers as one JSON text message
                                          (lower-case names; repeats joined with \", \"), then echoes;
                                          to a browser page (Origin sent) cookie and authorization
                                          values show only their size
  /subprotocol?accept=a,b                 picks the first offered subprotocol that is in accept (any, without it);
                                          none in common: answers without one, which browsers fail
  /deflate                                echoes with permessage-deflate when the client offers it
                                          (no context takeover; messages up to 64 MiB inflated)
  /close?code=4001&reason=bye&after_ms=0  closes with that code and reason after opening
  /reject?status=401                      refuses the upgrade with that HTTP status (200-599, not 101)
  /hang                                   never answers the upgrade (holds the connection {}s)
  /binary?hex=00ff                        sends one binary frame (default 00 01 02 7f 80 fe ff), then echoes
  /large?size=5000000&kind=text           sends one message of size bytes (kind text or binary), then echoes
  /flood?count=100000&size=32&kind=text   sends count messages of size bytes as fast as the socket drains, then echoes
  /                                       (plain HTTP GET) this list",
        HANG_LIMIT.as_secs()
    )
}

pub async fn handle(mut stream: TcpStream, options: Arc<Options>) {
    let _ = stream.set_nodelay(true);
    let Some(request) = handshake::read_request(&mut stream, options.head_timeout).await else {
        return;
    };
    let addr = stream
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    if !request.is_websocket_upgrade() {
        let (status, body) = match request.path.as_str() {
            "/" => (200, endpoints_help(&addr)),
            "/reject" => (
                reject_status(&request),
                "wsprobe test server: refused as asked\n".to_string(),
            ),
            "/hang" => return hang(stream).await,
            _ if is_known(&request.path) => (
                426,
                "This is a WebSocket endpoint: connect with ws://.\n".to_string(),
            ),
            _ => (
                404,
                format!("No such endpoint.\n\n{}\n", endpoints_help(&addr)),
            ),
        };
        let _ = handshake::respond(&mut stream, status, "", &body).await;
        return;
    }
    if let Some(page) = request.header("origin")
        && !origin::allowed(page, &options.allowed_origins)
    {
        let _ = handshake::respond(&mut stream, 403, "", &origin::refusal(page)).await;
        return;
    }
    let limit = options.max_message_bytes;
    let result = match request.path.as_str() {
        "/echo" => open_and_echo(stream, &request, None, limit).await,
        "/headers" => {
            let json = headers::headers_json(&request);
            send_then_echo(
                stream,
                &request,
                Message::Text(Utf8Bytes::from(json)),
                limit,
            )
            .await
        }
        "/subprotocol" => {
            let chosen = choose_subprotocol(&request);
            open_and_echo(stream, &request, chosen.as_deref(), limit).await
        }
        "/deflate" => return deflate_echo(stream, request, options.max_message_bytes).await,
        "/close" => close_after_open(stream, &request, limit).await,
        "/reject" => {
            let status = reject_status(&request);
            let challenge = if status == 401 {
                "WWW-Authenticate: Bearer realm=\"wsprobe\"\r\n"
            } else {
                ""
            };
            let body = format!("wsprobe test server: upgrade refused with {status} as asked\n");
            let _ = handshake::respond(&mut stream, status, challenge, &body).await;
            return;
        }
        "/hang" => return hang(stream).await,
        "/binary" => send_then_echo(stream, &request, binary_frame(&request), limit).await,
        "/large" => {
            let size = param_or(&request, "size", 1024 * 1024).min(MAX_LARGE_BYTES);
            send_then_echo(stream, &request, filler(&request, size, 0), limit).await
        }
        "/flood" => flood(stream, &request, limit).await,
        _ => {
            let body = format!("No such endpoint.\n\n{}\n", endpoints_help(&addr));
            let _ = handshake::respond(&mut stream, 404, "", &body).await;
            return;
        }
    };
    if let Err(e) = result {
        // A peer that goes away mid-message is normal here; anything else is worth a line.
        if !matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
        ) {
            eprintln!("wsprobe-test-server: {}: {e}", request.path);
        }
    }
}

fn is_known(path: &str) -> bool {
    [
        "/echo",
        "/headers",
        "/subprotocol",
        "/deflate",
        "/close",
        "/binary",
        "/large",
        "/flood",
    ]
    .contains(&path)
}

type Socket = WebSocketStream<TcpStream>;

/// Completes the upgrade; tungstenite then refuses messages past `limit`, checking each
/// fragment as it comes (not only the final one).
async fn open(
    mut stream: TcpStream,
    request: &RequestHead,
    protocol: Option<&str>,
    limit: usize,
) -> std::io::Result<Socket> {
    handshake::accept(&mut stream, request, protocol, None).await?;
    let config = WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit));
    let leftover = request.leftover.clone();
    Ok(WebSocketStream::from_partially_read(stream, leftover, Role::Server, Some(config)).await)
}

async fn open_and_echo(
    stream: TcpStream,
    request: &RequestHead,
    protocol: Option<&str>,
    limit: usize,
) -> std::io::Result<()> {
    echo(open(stream, request, protocol, limit).await?).await
}

async fn echo(mut socket: Socket) -> std::io::Result<()> {
    while let Some(message) = socket.next().await {
        // Anything else is skipped, but keep polling after a close: that is what sends
        // tungstenite's close reply, and without it the browser sees an unclean 1006 instead
        // of the code it sent.
        let message = match message {
            Err(Error::Capacity(e)) => return close_too_big(socket, e.to_string()).await,
            other => other.map_err(std::io::Error::other)?,
        };
        if let m @ (Message::Text(_) | Message::Binary(_)) = message {
            socket.send(m).await.map_err(std::io::Error::other)?
        }
    }
    Ok(())
}

/// tungstenite stops reading a message past the limit but sends no close; say why (1009).
async fn close_too_big(mut socket: Socket, why: String) -> std::io::Result<()> {
    let frame = CloseFrame {
        code: CloseCode::Size,
        reason: Utf8Bytes::from("message past the size limit"),
    };
    socket
        .close(Some(frame))
        .await
        .map_err(std::io::Error::other)?;
    Err(std::io::Error::new(std::io::ErrorKind::InvalidData, why))
}

async fn send_then_echo(
    stream: TcpStream,
    request: &RequestHead,
    message: Message,
    limit: usize,
) -> std::io::Result<()> {
    let mut socket = open(stream, request, None, limit).await?;
    socket.send(message).await.map_err(std::io::Error::other)?;
    echo(socket).await
}

fn choose_subprotocol(request: &RequestHead) -> Option<String> {
    let offered = request.header_list("sec-websocket-protocol");
    let accepted: Option<Vec<&str>> = request
        .param("accept")
        .map(|a| a.split(',').map(str::trim).collect());
    offered
        .into_iter()
        .find(|p| accepted.as_ref().is_none_or(|a| a.contains(&p.as_str())))
}

async fn close_after_open(
    stream: TcpStream,
    request: &RequestHead,
    limit: usize,
) -> std::io::Result<()> {
    let mut socket = open(stream, request, None, limit).await?;
    let code: u16 = param_or(request, "code", 1000);
    // The reason must fit a control frame: 123 bytes of UTF-8 at most.
    let mut reason = request.param("reason").unwrap_or("").to_string();
    while reason.len() > 123 {
        reason.pop();
    }
    tokio::time::sleep(Duration::from_millis(param_or(request, "after_ms", 0))).await;
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: Utf8Bytes::from(reason),
    };
    socket
        .close(Some(frame))
        .await
        .map_err(std::io::Error::other)?;
    // Drain until the browser's close reply, so the close is clean.
    while socket.next().await.is_some() {}
    Ok(())
}

fn reject_status(request: &RequestHead) -> u16 {
    match param_or(request, "status", 403u16) {
        s @ 200..=599 if s != 101 => s,
        _ => 400,
    }
}

async fn hang(stream: TcpStream) {
    tokio::time::sleep(HANG_LIMIT).await;
    drop(stream);
}

fn binary_frame(request: &RequestHead) -> Message {
    let default = vec![0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff];
    let bytes = request.param("hex").and_then(decode_hex).unwrap_or(default);
    Message::Binary(Bytes::from(bytes))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}

/// A message of `size` bytes that starts with its sequence number, so a reader can tell them apart.
fn filler(request: &RequestHead, size: usize, seq: u64) -> Message {
    let mut text = format!("{seq:08} ");
    text.truncate(size);
    let pad = size - text.len();
    text.extend(std::iter::repeat_n('x', pad));
    match request.param("kind") {
        Some("binary") => Message::Binary(Bytes::from(text.into_bytes())),
        _ => Message::Text(Utf8Bytes::from(text)),
    }
}

async fn flood(stream: TcpStream, request: &RequestHead, limit: usize) -> std::io::Result<()> {
    let mut socket = open(stream, request, None, limit).await?;
    let count = param_or(request, "count", 1000u64).min(MAX_FLOOD_COUNT);
    let size = param_or(request, "size", 32usize).min(MAX_FLOOD_SIZE);
    for seq in 0..count {
        // feed() queues without flushing; flushing in batches is what lets the socket run at full speed.
        socket
            .feed(filler(request, size, seq))
            .await
            .map_err(std::io::Error::other)?;
        if seq % 256 == 255 {
            socket.flush().await.map_err(std::io::Error::other)?;
        }
    }
    socket.flush().await.map_err(std::io::Error::other)?;
    echo(socket).await
}

async fn deflate_echo(mut stream: TcpStream, request: RequestHead, limit: usize) {
    let offered = request.header_list("sec-websocket-extensions");
    let compress = offered.iter().any(|e| {
        e.split(';')
            .next()
            .is_some_and(|n| n.trim() == "permessage-deflate")
    });
    // No context takeover either way: every message stands alone, so no state spans messages.
    let extension = compress
        .then_some("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    if handshake::accept(&mut stream, &request, None, extension)
        .await
        .is_ok()
        && let Err(e) = deflate::echo(stream, request.leftover, compress, limit).await
    {
        eprintln!("wsprobe-test-server: /deflate: {e}");
    }
}

fn param_or<T: std::str::FromStr>(request: &RequestHead, name: &str, default: T) -> T {
    request
        .param(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
