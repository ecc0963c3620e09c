//! One incoming connection from a page: check who it is, then hand it to the control or data
//! side (or answer its status check). Every refusal happens before the upgrade, so nothing
//! reaches upstream.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};

use crate::http;
use crate::{Relay, auth, controller};
use wsprobe_core::relay::http_head::RequestHead;
use wsprobe_core::relay::origin;
use wsprobe_core::relay::status::{self, StatusAnswer};

/// Control messages are small JSON; anything bigger is a mistake or an attack.
const MAX_CONTROL_MESSAGE: usize = 1024 * 1024;
/// How long a status check's socket waits for the page's close.
const STATUS_CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

pub async fn handle(relay: Arc<Relay>, mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let Some(request) = http::read_request(&mut stream).await else {
        return;
    };
    let control = match request.path.as_str() {
        "/control" => true,
        "/data" => false,
        "/status" => return status(&relay, stream, request).await,
        _ => {
            let _ = http::refuse(
                &mut stream,
                404,
                "no such endpoint: use /control, /data or /status",
            )
            .await;
            return;
        }
    };
    if let Err(why) = check_access(&relay, &request) {
        let _ = http::refuse(&mut stream, 403, &why).await;
        return;
    }
    if !upgrade_checked(&mut stream, &request).await {
        return;
    }

    if control {
        if http::accept(&mut stream, &request).await.is_err() {
            return;
        }
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_CONTROL_MESSAGE))
            .max_frame_size(Some(MAX_CONTROL_MESSAGE));
        let socket = open(stream, request, config).await;
        controller::run(relay, socket).await;
        return;
    }

    // Taking the entry out makes the session id single-use.
    let waiting = request
        .param("session")
        .and_then(|id| relay.pending.lock().ok()?.remove(id))
        .filter(|sender| !sender.is_closed());
    let Some(waiting) = waiting else {
        let _ = http::refuse(&mut stream, 404, "unknown or already used session").await;
        return;
    };
    if http::accept(&mut stream, &request).await.is_err() {
        return;
    }
    let limit = relay.config.max_message_bytes;
    let config = WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit));
    let socket = open(stream, request, config).await;
    // If the session gave up in the meantime the socket is dropped, which the page sees as a close.
    let _ = waiting.send(socket);
}

/// Refuses (426) what is not a WebSocket version 13 upgrade; true when it is one.
async fn upgrade_checked(stream: &mut TcpStream, request: &RequestHead) -> bool {
    if !request.is_websocket_upgrade() {
        let _ = http::refuse(stream, 426, "this is a WebSocket endpoint").await;
        return false;
    }
    if request.header("sec-websocket-version").map(str::trim) != Some("13") {
        let _ = http::refuse(stream, 426, "only WebSocket version 13 is spoken here").await;
        return false;
    }
    true
}

/// `/status`: one message saying whether this page may use the relay and, to a page that
/// may, the relay's version and protocols and whether its token is right; then a close. Any
/// page may ask, so that a refused one can be told how to be allowed; it learns no more.
async fn status(relay: &Relay, mut stream: TcpStream, request: RequestHead) {
    if !upgrade_checked(&mut stream, &request).await
        || http::accept(&mut stream, &request).await.is_err()
    {
        return;
    }
    let origin = request
        .header("origin")
        .unwrap_or_default()
        .trim()
        .to_string();
    let page_allowed = !origin.eq_ignore_ascii_case("null")
        && origin::allowed(&origin, &relay.config.allowed_origins);
    let answer = StatusAnswer {
        page_allowed,
        version: page_allowed.then(|| env!("CARGO_PKG_VERSION").to_string()),
        protocols: page_allowed.then_some((status::PROTOCOL, status::PROTOCOL)),
        token_ok: page_allowed.then(|| {
            request
                .param("token")
                .is_some_and(|token| auth::token_matches(token, &relay.config.token))
        }),
        origin,
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_CONTROL_MESSAGE))
        .max_frame_size(Some(MAX_CONTROL_MESSAGE));
    let mut socket = open(stream, request, config).await;
    if socket.send(Message::text(answer.to_json())).await.is_ok()
        && socket
            .close(Some(CloseFrame {
                code: CloseCode::Normal,
                reason: "".into(),
            }))
            .await
            .is_ok()
    {
        // Until the page's close comes back: dropping the socket first could reset the
        // connection before the page has read the answer.
        let drained = async { while let Some(Ok(_)) = socket.next().await {} };
        let _ = tokio::time::timeout(STATUS_CLOSE_WAIT, drained).await;
    }
}

async fn open(
    stream: TcpStream,
    request: RequestHead,
    config: WebSocketConfig,
) -> WebSocketStream<TcpStream> {
    WebSocketStream::from_partially_read(stream, request.leftover, Role::Server, Some(config)).await
}

/// Origin first (a foreign page learns nothing more), then the token.
fn check_access(relay: &Relay, request: &RequestHead) -> Result<(), String> {
    match request.header("origin") {
        None => {
            return Err(
                "the request has no Origin header; only pages on allowed origins may connect"
                    .to_string(),
            );
        }
        Some(origin) if origin.trim().eq_ignore_ascii_case("null") => {
            return Err(
                "pages whose origin is null (sandboxed frames, data: URLs, local files) may not \
                 use this relay: any website can make one"
                    .to_string(),
            );
        }
        Some(origin) if !origin::allowed(origin, &relay.config.allowed_origins) => {
            return Err(format!(
                "pages from {origin} may not use this relay (start it with --allow-origin {origin} to allow them)"
            ));
        }
        Some(_) => {}
    }
    match request.param("token") {
        Some(token) if auth::token_matches(token, &relay.config.token) => Ok(()),
        Some(_) => Err("wrong token: use the one the relay printed when it started".to_string()),
        None => {
            Err("no token: add ?token= with the one the relay printed when it started".to_string())
        }
    }
}
