//! The HTTP side of the upgrade, done by hand so an endpoint can answer any status,
//! pick a subprotocol, accept an extension, or never answer at all.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use wsprobe_core::relay::http_head::{self, RequestHead};

/// Reads one request head; None when the client sends garbage, too much, goes away, or has
/// not finished within `timeout`.
pub async fn read_request<S: AsyncRead + Unpin + Send>(
    stream: &mut S,
    timeout: Duration,
) -> Option<RequestHead> {
    let deadline = Box::pin(tokio::time::sleep(timeout));
    http_head::read_request_before(stream, |s, b| Box::pin(s.read(b)), deadline).await
}

/// Completes the upgrade, naming the chosen subprotocol and extension when there are any.
pub async fn accept<S: AsyncWrite + Unpin>(
    stream: &mut S,
    request: &RequestHead,
    protocol: Option<&str>,
    extension: Option<&str>,
) -> std::io::Result<()> {
    let key = request.header("sec-websocket-key").unwrap_or_default();
    let response =
        http_head::accept_response(&derive_accept_key(key.as_bytes()), protocol, extension);
    stream.write_all(response.as_bytes()).await?;
    stream.flush().await
}

/// A plain HTTP answer: a refused upgrade, a 404, or the endpoint list.
pub async fn respond<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    extra_headers: &str,
    body: &str,
) -> std::io::Result<()> {
    let response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Access-Control-Allow-Origin: *\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        reason_phrase(status),
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
