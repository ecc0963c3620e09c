//! Moves messages between the server and the page's data socket, and closes both ends together.
//!
//! Each direction has its own reader task and each socket its own writer task, so a side
//! that stops reading only slows the direction that feeds it: a server that floods while the
//! page is sending can never wedge the relay. This task only coordinates: commands from the
//! control socket, closes, limits and the idle timer.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use wsprobe_core::relay::RelayMessage;

use crate::PageSocket;
use crate::config::Config;
use crate::control::millis;
use crate::outbox::{DataQueue, Outbox, spawn_writer};
use crate::session::{CLOSE_GRACE, Cmd, Pings, Reporter, close_frame, forget, mark_sent, sendable};
use crate::upstream::Upstream;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Server,
    Page,
}

/// What a reader tells the coordinator.
enum Note {
    Close(Side, Option<CloseFrame>),
    /// The socket ended; with an error message when it did not end normally.
    End(Side, Option<String>),
    TooBig(Side, String),
}

pub async fn run(
    upstream: Upstream,
    page: PageSocket,
    mut cmds: mpsc::Receiver<Cmd>,
    mut reporter: Reporter,
    pings: Pings,
    config: &Config,
) {
    let (up_sink, up_stream) = upstream.split();
    let (page_sink, page_stream) = page.split();
    // Each direction holds at most about two of the largest messages (see `outbox`).
    let (up_out, mut up_writer) = spawn_writer(up_sink, config.max_message_bytes);
    let (page_out, mut page_writer) = spawn_writer(page_sink, config.max_message_bytes);
    let (notes_tx, mut notes) = mpsc::channel(8);
    let activity = Arc::new(Activity::new());
    let server_side = ServerSide {
        events: reporter.events(),
        pings: pings.clone(),
    };
    let up_reader = tokio::spawn(read(
        up_stream,
        Side::Server,
        page_out.data.clone(),
        notes_tx.clone(),
        activity.clone(),
        Some(server_side),
    ));
    let page_reader = tokio::spawn(read(
        page_stream,
        Side::Page,
        up_out.data.clone(),
        notes_tx,
        activity.clone(),
        None,
    ));

    let mut state = State {
        up_out,
        page_out,
        up_close_sent: false,
        page_close_sent: false,
        up_done: false,
        page_done: false,
        grace: None,
    };
    let mut cmds_open = true;
    while !(state.up_done && state.page_done) {
        let idle_at = activity.idle_deadline(config.idle);
        let grace_at = state.grace.unwrap_or(idle_at);
        tokio::select! {
            note = notes.recv() => match note {
                Some(note) => state.note(note, &mut reporter, config).await,
                None => break,
            },
            cmd = cmds.recv(), if cmds_open => match cmd {
                Some(Cmd::Ping(id)) => {
                    mark_sent(&pings, id);
                    let ping = Message::Ping(id.to_string().into_bytes().into());
                    if state.up_close_sent || state.up_out.ctrl.try_send(ping).is_err() {
                        forget(&pings, id);
                        let error = format!("ping {id} not sent: the connection is closing");
                        reporter.send(RelayMessage::error(error)).await;
                    }
                }
                Some(Cmd::Close(frame)) => state.close_upstream(frame),
                None => cmds_open = false,
            },
            () = sleep_until(idle_at), if state.grace.is_none() => {
                // Another frame may have come in while this timer ran.
                if activity.idle_deadline(config.idle) <= Instant::now() {
                    let secs = config.idle.as_secs_f64();
                    let error = format!("no frame either way for {secs} s: closing with 1001");
                    reporter.send(RelayMessage::error(error)).await;
                    let frame = close_frame(CloseCode::Away, &format!("idle for {secs} s"));
                    state.close_upstream(frame.clone());
                    state.close_page(frame);
                }
            },
            () = sleep_until(grace_at), if state.grace.is_some() => break,
        }
    }
    let secs = CLOSE_GRACE.as_secs();
    let why = format!("the connection did not finish closing within {secs} s");
    reporter.closed(1006, why, false).await;

    up_reader.abort();
    page_reader.abort();
    drop(state);
    // Let queued close frames go out, but not for long.
    let flushed = timeout(Duration::from_secs(1), async {
        let _ = (&mut up_writer).await;
        let _ = (&mut page_writer).await;
    });
    if flushed.await.is_err() {
        up_writer.abort();
        page_writer.abort();
    }
}

struct State {
    up_out: Outbox,
    page_out: Outbox,
    up_close_sent: bool,
    page_close_sent: bool,
    up_done: bool,
    page_done: bool,
    /// Once a close has started, everything must be over by then.
    grace: Option<Instant>,
}

impl State {
    fn close_upstream(&mut self, frame: Option<CloseFrame>) {
        let (frame, _) = sendable(frame);
        if !self.up_close_sent {
            self.up_close_sent = true;
            let _ = self.up_out.ctrl.try_send(Message::Close(frame));
        }
        self.start_grace();
    }

    fn close_page(&mut self, frame: Option<CloseFrame>) {
        let (frame, _) = sendable(frame);
        if !self.page_close_sent {
            self.page_close_sent = true;
            let _ = self.page_out.ctrl.try_send(Message::Close(frame));
        }
        self.start_grace();
    }

    fn start_grace(&mut self) {
        self.grace
            .get_or_insert_with(|| Instant::now() + CLOSE_GRACE);
    }

    async fn note(&mut self, note: Note, reporter: &mut Reporter, config: &Config) {
        match note {
            Note::Close(Side::Server, frame) => {
                reporter.closed_by(&frame).await;
                // tungstenite answers the server's close (or this was the answer to ours).
                self.up_close_sent = true;
                self.close_page(for_page(&frame));
            }
            Note::End(Side::Server, error) => {
                self.up_done = true;
                let why = error.unwrap_or_else(|| {
                    "the server dropped the connection without a close frame".to_string()
                });
                reporter.closed(1006, why.clone(), false).await;
                self.close_page(close_frame(CloseCode::Error, &format!("upstream: {why}")));
            }
            Note::TooBig(Side::Server, error) => {
                self.up_done = true;
                let limit = config.max_message_bytes;
                let why = format!("message from the server over the {limit}-byte limit ({error})");
                self.close_upstream(close_frame(CloseCode::Size, "message too big"));
                reporter.closed(1009, why.clone(), false).await;
                self.close_page(close_frame(CloseCode::Size, &why));
            }
            Note::Close(Side::Page, frame) => {
                // tungstenite answers the page's close; the server gets the same code and reason.
                self.page_close_sent = true;
                self.close_upstream(frame);
            }
            Note::End(Side::Page, _) => {
                self.page_done = true;
                self.close_upstream(close_frame(CloseCode::Away, "the page went away"));
            }
            Note::TooBig(Side::Page, error) => {
                self.page_done = true;
                let limit = config.max_message_bytes;
                let why = format!("message from the page over the {limit}-byte limit ({error})");
                let event = RelayMessage::error(format!("{why}: closing with 1009"));
                reporter.send(event).await;
                self.close_page(close_frame(CloseCode::Size, "message too big"));
                self.close_upstream(close_frame(
                    CloseCode::Size,
                    "message from the page too big",
                ));
            }
        }
    }
}

/// The close to give the page for the server's: the same when a server may send that code,
/// 1011 otherwise (the real code is in the control socket's `closed`).
fn for_page(frame: &Option<CloseFrame>) -> Option<CloseFrame> {
    let frame = frame.as_ref()?;
    let code = u16::from(frame.code);
    if matches!(code, 1000 | 1001 | 1003 | 1007..=1014 | 3000..=4999) {
        Some(frame.clone())
    } else {
        close_frame(
            CloseCode::Error,
            &format!("upstream closed with {code}: {}", frame.reason),
        )
    }
}

/// Only the server side reports pings and pongs.
struct ServerSide {
    events: mpsc::Sender<RelayMessage>,
    pings: Pings,
}

async fn read<S>(
    mut stream: S,
    side: Side,
    forward: DataQueue,
    notes: mpsc::Sender<Note>,
    activity: Arc<Activity>,
    server: Option<ServerSide>,
) where
    S: Stream<Item = Result<Message, WsError>> + Unpin,
{
    let end = loop {
        let Some(message) = stream.next().await else {
            break Note::End(side, None);
        };
        match message {
            Ok(m @ (Message::Text(_) | Message::Binary(_))) => {
                activity.touch();
                // Waits while the far side is slow: that is the back-pressure. A closed queue
                // means that side is gone; the coordinator is already closing.
                let _ = forward.send(m).await;
            }
            Ok(Message::Ping(payload)) => {
                activity.touch();
                // tungstenite queues the pong itself and sends it on the next read.
                if let Some(server) = &server {
                    let payload_hex = payload.iter().map(|b| format!("{b:02x}")).collect();
                    let _ = server
                        .events
                        .send(RelayMessage::ServerPing { payload_hex })
                        .await;
                }
            }
            Ok(Message::Pong(payload)) => {
                activity.touch();
                if let Some(server) = &server
                    && let Some(event) = pong(&server.pings, &payload)
                {
                    let _ = server.events.send(event).await;
                }
            }
            Ok(Message::Close(frame)) => {
                activity.touch();
                // Keep reading after this: that completes the closing handshake.
                let _ = notes.send(Note::Close(side, frame)).await;
            }
            Ok(Message::Frame(_)) => {}
            Err(WsError::Capacity(e)) => break Note::TooBig(side, e.to_string()),
            Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => break Note::End(side, None),
            Err(e) => break Note::End(side, Some(e.to_string())),
        }
    };
    let _ = notes.send(end).await;
}

/// The page's pong event for a pong whose payload is the id of a ping still waiting.
fn pong(pings: &Pings, payload: &[u8]) -> Option<RelayMessage> {
    let id: u64 = std::str::from_utf8(payload).ok()?.parse().ok()?;
    let sent = pings.lock().ok()?.remove(&id)?;
    Some(RelayMessage::Pong {
        id,
        rtt_ms: millis(sent.elapsed()),
    })
}

/// When the last frame came in, either way, for the idle timer.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle_deadline(&self, idle: Duration) -> Instant {
        let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        // A huge --idle-secs means "never"; a year is as good and cannot overflow.
        last.checked_add(idle)
            .unwrap_or_else(|| last + Duration::from_secs(365 * 24 * 3600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::Sink;
    use std::pin::Pin;
    use std::sync::atomic::AtomicUsize;
    use std::task::{Context, Poll};

    /// A socket whose peer stopped reading: nothing is ever written.
    struct Stalled;

    impl Sink<Message> for Stalled {
        type Error = WsError;
        fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), WsError>> {
            Poll::Pending
        }
        fn start_send(self: Pin<&mut Self>, _: Message) -> Result<(), WsError> {
            Ok(())
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), WsError>> {
            Poll::Pending
        }
        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), WsError>> {
            Poll::Pending
        }
    }

    #[test]
    fn reserved_close_codes_are_never_sent_either_way() {
        for code in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            let frame = close_frame(CloseCode::from(code), "r");
            let toward_server = crate::session::sendable(frame.clone()).0;
            for sent in [toward_server, for_page(&frame)].into_iter().flatten() {
                let sent = u16::from(sent.code);
                assert!(
                    matches!(sent, 1000..=1003 | 1007..=1014 | 3000..=4999),
                    "{code}: {sent}"
                );
            }
        }
        assert_eq!(
            crate::session::sendable(close_frame(CloseCode::Status, "r")).0,
            None
        );
        let kept = close_frame(CloseCode::from(4001), "r");
        assert_eq!(crate::session::sendable(kept.clone()), (kept, None));
    }

    /// Memory per direction: with the far side stalled, the relay takes at most two messages of
    /// the largest size off the near side (one waiting to be written, one waiting for room).
    #[tokio::test]
    async fn a_stalled_side_holds_at_most_two_largest_messages() {
        const LIMIT: usize = 1000;
        let taken = Arc::new(AtomicUsize::new(0));
        let counter = taken.clone();
        let messages = futures_util::stream::iter(0..50).map(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(Message::binary(vec![0u8; LIMIT]))
        });
        let (out, writer) = spawn_writer(Stalled, LIMIT);
        let (notes, _notes) = mpsc::channel(8);
        let activity = Arc::new(Activity::new());
        let reader = tokio::spawn(read(
            messages,
            Side::Page,
            out.data.clone(),
            notes,
            activity,
            None,
        ));
        for _ in 0..200 {
            tokio::task::yield_now().await;
        }
        let taken = taken.load(Ordering::SeqCst);
        reader.abort();
        writer.abort();
        assert!(taken <= 2, "{taken} messages of {LIMIT} bytes taken in");
    }
}
