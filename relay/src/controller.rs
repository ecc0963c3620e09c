//! One control socket: reads the page's commands, starts at most one session at a time, and
//! writes the session's events back as JSON.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use wsprobe_core::relay::{ControlRequest, Handshake, RelayMessage, Stage};

use crate::session::{self, Cmd, Handle, close_frame, sendable};
use crate::{Relay, control, request};

/// Close reasons must fit a control frame.
const MAX_REASON_BYTES: usize = 123;

pub async fn run(relay: Arc<Relay>, mut socket: WebSocketStream<TcpStream>) {
    let (events, mut outbox) = mpsc::channel::<RelayMessage>(64);
    let mut session: Option<Handle> = None;
    // What the page closed the control socket with; a drop counts as "going away".
    let mut goodbye = close_frame(CloseCode::Away, "the control socket went away");
    loop {
        // Control messages are small, so one task both reads and writes them.
        let reply = tokio::select! {
            message = socket.next() => match message {
                None => break,
                Some(Ok(Message::Text(text))) => {
                    command(&relay, &mut session, &events, text.as_str())
                }
                Some(Ok(Message::Binary(_))) => {
                    Some(RelayMessage::error("control messages are JSON text, not binary"))
                }
                Some(Ok(Message::Close(frame))) => {
                    // Keep reading: that is what sends tungstenite's close reply.
                    goodbye = frame;
                    None
                }
                Some(Ok(_)) => None,
                Some(Err(WsError::Capacity(_))) => {
                    let frame = close_frame(CloseCode::Size, "control messages are small JSON");
                    let _ = socket.close(frame).await;
                    break;
                }
                Some(Err(_)) => break,
            },
            Some(event) = outbox.recv() => Some(event),
        };
        if let Some(event) = reply
            && socket.send(Message::text(event.to_json())).await.is_err()
        {
            break;
        }
    }
    if let Some(session) = session {
        session.close(goodbye).await;
    }
}

/// Carries out one command; returns the event to answer with, if any.
fn command(
    relay: &Arc<Relay>,
    session: &mut Option<Handle>,
    events: &mpsc::Sender<RelayMessage>,
    text: &str,
) -> Option<RelayMessage> {
    let open = session.as_ref().filter(|s| s.is_open());
    match control::parse_command(text) {
        Err(e) => Some(RelayMessage::error(e)),
        Ok(ControlRequest::Connect { .. }) if open.is_some() => Some(RelayMessage::error(
            "a connection is already open or opening on this control socket: send close first",
        )),
        Ok(ControlRequest::Connect {
            url,
            subprotocols,
            headers,
            timeout_ms,
        }) => {
            let Ok(permit) = relay.sessions.clone().try_acquire_owned() else {
                return Some(RelayMessage::Handshake(Box::new(Handshake::failed(
                    Stage::Url,
                    format!(
                        "too many connections: the relay allows {} at once (--max-sessions)",
                        relay.config.max_sessions
                    ),
                ))));
            };
            // A target that cannot be built is reported by the session, as its handshake.
            let target = request::build(&url, &subprotocols, &headers, timeout_ms);
            *session = Some(session::start(
                relay.clone(),
                target,
                events.clone(),
                permit,
            ));
            None
        }
        Ok(ControlRequest::Ping { id }) => match open {
            Some(s) => s.ping(id).err().map(RelayMessage::error),
            None => Some(not_open("ping")),
        },
        Ok(ControlRequest::Close { reason, .. }) if reason.len() > MAX_REASON_BYTES => {
            Some(RelayMessage::error(format!(
                "the close reason is {} bytes; at most {MAX_REASON_BYTES} fit",
                reason.len()
            )))
        }
        Ok(ControlRequest::Close { code, reason }) => match open {
            Some(s) => {
                let (frame, note) = sendable(Some(CloseFrame {
                    code: CloseCode::from(code),
                    reason: reason.into(),
                }));
                match s.command(Cmd::Close(frame)) {
                    Err(e) => Some(RelayMessage::error(e)),
                    Ok(()) => note.map(RelayMessage::error),
                }
            }
            None => Some(not_open("close")),
        },
    }
}

fn not_open(what: &str) -> RelayMessage {
    RelayMessage::error(format!(
        "{what} before connect: there is no open connection"
    ))
}
