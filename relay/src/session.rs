//! One upstream connection from connect to close: the handshake, the wait for the page's data
//! socket, then the pipe. Also what the control side holds on to (`Handle`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};
use tokio::time::{Instant, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use wsprobe_core::relay::{Handshake, RelayMessage, Stage};

use crate::request::Target;
use crate::upstream::{self, Upstream};
use crate::{PageSocket, Relay, auth, pipe};

/// How long a close may take before the connection is simply dropped.
pub const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// What the page can ask of a session through the control socket.
#[derive(Debug)]
pub enum Cmd {
    Ping(u64),
    Close(Option<CloseFrame>),
}

/// The control socket's hold on its session.
pub struct Handle {
    cmds: mpsc::Sender<Cmd>,
    over: Arc<AtomicBool>,
}

impl Handle {
    /// Open or opening: `closed` (or a failed handshake) has not been reported yet.
    pub fn is_open(&self) -> bool {
        !self.over.load(Ordering::SeqCst) && !self.cmds.is_closed()
    }

    pub fn command(&self, cmd: Cmd) -> Result<(), String> {
        self.cmds.try_send(cmd).map_err(|e| match e {
            TrySendError::Full(_) => "too many commands waiting for this connection".to_string(),
            TrySendError::Closed(_) => "there is no open connection".to_string(),
        })
    }

    /// For the control socket's last word: waits for room rather than give up.
    pub async fn close(self, frame: Option<CloseFrame>) {
        let _ = timeout(CLOSE_GRACE, self.cmds.send(Cmd::Close(frame))).await;
    }
}

/// Sends events to the page and makes sure the end of the session is reported once.
pub struct Reporter {
    events: mpsc::Sender<RelayMessage>,
    over: Arc<AtomicBool>,
    permit: Option<OwnedSemaphorePermit>,
}

impl Reporter {
    pub fn events(&self) -> mpsc::Sender<RelayMessage> {
        self.events.clone()
    }

    pub async fn send(&self, event: RelayMessage) {
        let _ = self.events.send(event).await;
    }

    /// Marks the session over before telling the page, so a connect sent straight after
    /// the report is accepted; the permit goes back at the same moment.
    async fn finish(&mut self, event: RelayMessage) {
        if self.over.swap(true, Ordering::SeqCst) {
            return;
        }
        self.permit = None;
        self.send(event).await;
    }

    pub async fn closed(&mut self, code: u16, reason: impl Into<String>, clean: bool) {
        let reason = reason.into();
        self.finish(RelayMessage::Closed {
            code,
            reason,
            clean,
        })
        .await;
    }

    /// A close frame the server sent (1005 when it carried no code).
    pub async fn closed_by(&mut self, frame: &Option<CloseFrame>) {
        let (code, reason) = close_fields(frame);
        self.closed(code, reason, true).await;
    }

    async fn handshake_failed(&mut self, failure: Handshake) {
        self.finish(RelayMessage::Handshake(Box::new(failure)))
            .await;
    }
}

pub fn close_fields(frame: &Option<CloseFrame>) -> (u16, String) {
    match frame {
        Some(f) => (u16::from(f.code), f.reason.to_string()),
        None => (1005, String::new()),
    }
}

pub fn close_frame(code: CloseCode, reason: &str) -> Option<CloseFrame> {
    let mut reason = reason.to_string();
    // A close frame holds at most 123 bytes of reason; cut on a character boundary.
    while reason.len() > 123 {
        reason.pop();
    }
    Some(CloseFrame {
        code,
        reason: reason.into(),
    })
}

/// Starts a session for a connect message: its target, or why it has none.
pub fn start(
    relay: Arc<Relay>,
    target: Result<Target, String>,
    events: mpsc::Sender<RelayMessage>,
    permit: OwnedSemaphorePermit,
) -> Handle {
    let (cmds_tx, cmds) = mpsc::channel(16);
    let over = Arc::new(AtomicBool::new(false));
    let reporter = Reporter {
        events,
        over: over.clone(),
        permit: Some(permit),
    };
    tokio::spawn(run(relay, target, cmds, reporter));
    Handle {
        cmds: cmds_tx,
        over,
    }
}

async fn run(
    relay: Arc<Relay>,
    target: Result<Target, String>,
    mut cmds: mpsc::Receiver<Cmd>,
    mut reporter: Reporter,
) {
    let id = match auth::random_hex(16) {
        Ok(id) => id,
        Err(e) => {
            return reporter
                .handshake_failed(Handshake::failed(Stage::Url, e))
                .await;
        }
    };
    let result = match target {
        Ok(target) => upstream::connect(&target, &relay.tls, relay.config.max_message_bytes).await,
        Err(e) => Err(Handshake::failed(Stage::Url, e)),
    };
    let connected = match result {
        Ok(connected) => connected,
        Err(failure) => {
            reporter.handshake_failed(failure).await;
            // Pings queued while connecting have nowhere to go; say so.
            while let Ok(cmd) = cmds.try_recv() {
                if let Cmd::Ping(id) = cmd {
                    let error = format!("ping {id} not sent: the handshake failed");
                    reporter.send(RelayMessage::error(error)).await;
                }
            }
            return;
        }
    };

    // Registered before the page hears of the id, so its data socket always finds it.
    let (attach, attached) = oneshot::channel();
    if let Ok(mut pending) = relay.pending.lock() {
        pending.insert(id.clone(), attach);
    }
    let handshake = Handshake {
        session: id.clone(),
        ..connected.handshake
    };
    reporter
        .send(RelayMessage::Handshake(Box::new(handshake)))
        .await;

    let mut upstream = connected.socket;
    let mut pings = HashMap::new();
    let waited = wait_for_page(&relay, attached, &mut cmds, &mut upstream, &mut pings).await;
    if let Ok(mut pending) = relay.pending.lock() {
        pending.remove(&id);
    }
    match waited {
        Waited::Page(page) => {
            pipe::run(upstream, *page, cmds, reporter, pings, &relay.config).await;
        }
        Waited::Close(frame, note) => {
            if let Some(note) = note {
                reporter.send(RelayMessage::error(note)).await;
            }
            close_alone(upstream, frame, &mut reporter).await;
        }
    }
}

enum Waited {
    Page(Box<PageSocket>),
    /// Close upstream with this frame, after telling the page why if there is a why.
    Close(Option<CloseFrame>, Option<String>),
}

/// Until the data socket arrives the upstream is not read: what the server sends waits in
/// the socket, so nothing is lost. Pings go out at once; their pongs are read later.
async fn wait_for_page(
    relay: &Relay,
    mut attached: oneshot::Receiver<PageSocket>,
    cmds: &mut mpsc::Receiver<Cmd>,
    upstream: &mut Upstream,
    pings: &mut HashMap<u64, Instant>,
) -> Waited {
    let wait = relay.config.data_wait;
    let deadline = tokio::time::sleep(wait);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            page = &mut attached => return match page {
                Ok(page) => Waited::Page(Box::new(page)),
                Err(_) => Waited::Close(
                    close_frame(CloseCode::Error, "the data socket failed to open"),
                    Some("the data socket failed to open; closing the connection".to_string()),
                ),
            },
            cmd = cmds.recv() => match cmd {
                Some(Cmd::Ping(id)) => {
                    pings.insert(id, Instant::now());
                    let ping = Message::Ping(id.to_string().into_bytes().into());
                    if timeout(CLOSE_GRACE, upstream.send(ping)).await.is_err() {
                        return Waited::Close(None, Some(format!("ping {id} could not be sent")));
                    }
                }
                Some(Cmd::Close(frame)) => return Waited::Close(frame, None),
                None => {
                    return Waited::Close(close_frame(CloseCode::Away, "the control socket went away"), None);
                }
            },
            () = &mut deadline => return Waited::Close(
                close_frame(CloseCode::Away, "the page never opened the data socket"),
                Some(format!(
                    "the data socket did not open within {} s; closing the connection",
                    wait.as_secs_f64()
                )),
            ),
        }
    }
}

/// Closes an upstream that has no data socket, and reports the server's answer.
async fn close_alone(mut upstream: Upstream, frame: Option<CloseFrame>, reporter: &mut Reporter) {
    let (code, reason) = close_fields(&frame);
    let exchange = async {
        upstream.send(Message::Close(frame)).await.ok()?;
        while let Some(message) = upstream.next().await {
            match message {
                Ok(Message::Close(reply)) => return Some(reply),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    };
    match timeout(CLOSE_GRACE, exchange).await {
        Ok(Some(reply)) => reporter.closed_by(&reply).await,
        _ => {
            let why =
                format!("closed with {code} {reason}, but the server did not answer the close");
            reporter.closed(1006, why, false).await;
        }
    }
}
