//! One upstream connection from connect to close: the handshake, the wait for the page's data
//! socket, then the pipe. Also what the control side holds on to (`Handle`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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

/// Pings sent and not answered yet, by id, with when each went out.
pub type Pings = Arc<Mutex<HashMap<u64, Instant>>>;

/// A server that never answers pings would otherwise let the page grow `Pings` without end.
pub const MAX_PINGS_WAITING: usize = 32;

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
    pings: Pings,
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

    /// Queues a ping, unless `MAX_PINGS_WAITING` are still waiting for their pong. Counted
    /// here, as the command arrives, so the page hears at once and in order.
    pub fn ping(&self, id: u64) -> Result<(), String> {
        {
            let Ok(mut pings) = self.pings.lock() else {
                return Err(format!("ping {id} not sent: the connection failed"));
            };
            if pings.len() >= MAX_PINGS_WAITING && !pings.contains_key(&id) {
                return Err(format!(
                    "ping {id} not sent: {MAX_PINGS_WAITING} pings are already waiting for their \
                     pong (the server may not answer pings); wait for those, or reconnect"
                ));
            }
            pings.insert(id, Instant::now());
        }
        self.command(Cmd::Ping(id))
            .inspect_err(|_| forget(&self.pings, id))
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

/// Drops a ping that will never be answered, so it does not count against the cap.
pub fn forget(pings: &Pings, id: u64) {
    if let Ok(mut pings) = pings.lock() {
        pings.remove(&id);
    }
}

/// Marks a ping as sent now, so its round trip leaves out the time it waited in the queue.
pub fn mark_sent(pings: &Pings, id: u64) {
    if let Ok(mut pings) = pings.lock() {
        pings.insert(id, Instant::now());
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

/// A close as RFC 6455 (section 7.4) lets an endpoint send it. 1005, 1006 and 1015 only
/// report what happened (no code given, no close frame at all, a failed TLS handshake), and
/// codes it neither defines nor leaves to applications may not be sent either. 1005 becomes a
/// close without a code, which is what it stands for; the others become 1011 (the endpoint met
/// a condition it could not handle) with the code asked for in the reason. The note, when
/// there is one, tells the page what was sent instead.
pub fn sendable(frame: Option<CloseFrame>) -> (Option<CloseFrame>, Option<String>) {
    let Some(frame) = frame else {
        return (None, None);
    };
    let code = u16::from(frame.code);
    let why = match code {
        1000..=1003 | 1007..=1014 | 3000..=4999 => return (Some(frame), None),
        1005 => return (None, None),
        1006 => "it is reserved for reporting a connection that ended without a close frame",
        1015 => "it is reserved for reporting a failed TLS handshake",
        _ => "RFC 6455 allows 1000-1003, 1007-1014 and 3000-4999",
    };
    let reason = format!("closed with {code}: {}", frame.reason);
    (
        close_frame(CloseCode::Error, &reason),
        Some(format!(
            "close code {code} cannot be sent in a close frame ({why}); sent 1011 instead, \
             with {code} in the reason"
        )),
    )
}

/// Starts a session for a connect message: its target, or why it has none.
pub fn start(
    relay: Arc<Relay>,
    target: Result<Target, String>,
    events: mpsc::Sender<RelayMessage>,
    permit: OwnedSemaphorePermit,
) -> Handle {
    // Every queued ping is also waiting in `Pings`, so pings alone never fill this; the rest
    // is room for closes.
    let (cmds_tx, cmds) = mpsc::channel(MAX_PINGS_WAITING + 4);
    let over = Arc::new(AtomicBool::new(false));
    let pings = Pings::default();
    let reporter = Reporter {
        events,
        over: over.clone(),
        permit: Some(permit),
    };
    tokio::spawn(run(relay, target, cmds, reporter, pings.clone()));
    Handle {
        cmds: cmds_tx,
        over,
        pings,
    }
}

async fn run(
    relay: Arc<Relay>,
    target: Result<Target, String>,
    mut cmds: mpsc::Receiver<Cmd>,
    mut reporter: Reporter,
    pings: Pings,
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
        Ok(target) => {
            let beyond_loopback = !relay.config.bind.is_loopback();
            upstream::connect(
                &target,
                &relay.tls,
                relay.config.max_message_bytes,
                beyond_loopback,
            )
            .await
        }
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
    let waited = wait_for_page(&relay, attached, &mut cmds, &mut upstream, &pings).await;
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
    pings: &Pings,
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
                    mark_sent(pings, id);
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
    let (frame, _) = sendable(frame);
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
