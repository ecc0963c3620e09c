//! The page-facing side of the upgrade, done by hand so a refusal can carry a status and a
//! plain-text reason the user can read in the browser's network panel.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use wsprobe_core::relay::http_head::{self, RequestHead};

/// Reads one request head; None when the peer sends garbage, too much, goes away, or has not
/// finished within `http_head::REQUEST_TIMEOUT` (a page that connects and says nothing).
pub async fn read_request<S: AsyncRead + Unpin + Send>(stream: &mut S) -> Option<RequestHead> {
    let deadline = Box::pin(tokio::time::sleep(http_head::REQUEST_TIMEOUT));
    http_head::read_request_before(stream, |s, b| Box::pin(s.read(b)), deadline).await
}

/// Completes the upgrade with no subprotocol and no extension.
pub async fn accept<S: AsyncWrite + Unpin>(
    stream: &mut S,
    request: &RequestHead,
) -> std::io::Result<()> {
    let key = request.header("sec-websocket-key").unwrap_or_default();
    let response = http_head::accept_response(&derive_accept_key(key.as_bytes()), None, None);
    stream.write_all(response.as_bytes()).await?;
    stream.flush().await
}

/// A refusal: status, a plain-text body saying why, and the connection closed.
pub async fn refuse<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    body: &str,
) -> std::io::Result<()> {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        426 => "Upgrade Required",
        _ => "Error",
    };
    let body = format!("wsprobe relay: {body}\n");
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
