//! The driver: carries out a run's actions on one socket and its timers, and hands every event
//! back to the run with the time it happened. Verdicts are the engine's, a run that outlives
//! `--timeout` too (the driver asks the engine to abort it).

use std::collections::VecDeque;
use std::future::{Future, pending};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::time::{Instant, sleep_until, timeout_at};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};
use wsprobe_core::scenario::{Action, Event, Payload, Report, Run, StepState, TimerId};
use wsprobe_relay::tls::Tls;

use crate::dial::{Dialled, Socket, dial};
use crate::print::Printer;

/// How long a finished run waits for the server's half of the closing handshake.
const CLOSE_WAIT: Duration = Duration::from_secs(1);
/// Messages handed over in a row before timers are looked at again.
const DRAIN_BATCH: usize = 256;

/// Milliseconds since the Unix epoch (the engine's `{{$timestamp}}` reads them), advanced by a
/// monotonic clock so durations never jump with the wall clock.
struct Clock {
    started: Instant,
    epoch_ms: f64,
}

impl Clock {
    fn start() -> Self {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        Self {
            started: Instant::now(),
            epoch_ms,
        }
    }

    fn now(&self) -> f64 {
        self.epoch_ms + self.started.elapsed().as_secs_f64() * 1000.0
    }
}

/// What woke the driver.
enum Woke {
    Cap,
    Timer,
    Dialled(Dialled),
    Received(Option<Result<Message, Error>>),
}

struct Driver<'p> {
    printer: &'p mut Printer,
    /// The TLS set-up every wss:// dial uses.
    tls: Arc<Tls>,
    socket: Option<Socket>,
    dialling: Option<Pin<Box<dyn Future<Output = Dialled>>>>,
    /// Armed and not cancelled, with when each fires.
    timers: Vec<(TimerId, Instant)>,
    /// Whether the run has been told this connection closed.
    close_told: bool,
    /// The step running now (a refused dial belongs to it).
    running: Option<usize>,
    dial_step: usize,
}

/// Runs to the end (or until `cap`), printing steps as they end; returns the report and
/// whether `cap` stopped it.
pub async fn drive(
    mut run: Run,
    cap: Option<Duration>,
    tls: Arc<Tls>,
    printer: &mut Printer,
) -> (Report, bool) {
    let clock = Clock::start();
    let mut driver = Driver {
        printer,
        tls,
        socket: None,
        dialling: None,
        timers: Vec::new(),
        close_told: false,
        running: None,
        dial_step: 0,
    };
    let cap_at = cap.and_then(|cap| clock.started.checked_add(cap));
    let mut cap_sleep = Box::pin(sleep_until(cap_at.unwrap_or(clock.started)));
    let mut timer_sleep = Box::pin(sleep_until(clock.started));
    let mut timer_at: Option<Instant> = None;
    let mut events = VecDeque::new();
    let mut actions = run.start(clock.now());
    let mut stopped = false;
    loop {
        driver.carry_out(actions, &mut events).await;
        if run.is_finished() {
            break;
        }
        // Reset only when the earliest timer changes: most events arm nothing.
        let earliest = driver.timers.iter().map(|(_, at)| *at).min();
        if earliest != timer_at {
            timer_at = earliest;
            if let Some(at) = earliest {
                timer_sleep.as_mut().reset(at);
            }
        }
        let event = match events.pop_front() {
            Some(event) => Some(event),
            None => {
                let woke = tokio::select! {
                    biased;
                    () = &mut cap_sleep, if cap_at.is_some() => Woke::Cap,
                    () = &mut timer_sleep, if timer_at.is_some() => Woke::Timer,
                    dialled = dialled(&mut driver.dialling) => Woke::Dialled(dialled),
                    message = received(&mut driver.socket) => Woke::Received(message),
                };
                match woke {
                    // The engine gives the verdict on a run cut short too.
                    Woke::Cap => {
                        stopped = true;
                        let cap_ms = cap.map_or(0, |c| c.as_millis());
                        actions = run.abort(
                            &format!("it was still running when --timeout {cap_ms} ms was up"),
                            clock.now(),
                        );
                        continue;
                    }
                    woke => driver.event(woke),
                }
            }
        };
        actions = match event {
            Some(event) => run.handle(event, clock.now()),
            None => Vec::new(),
        };
        if actions.is_empty() {
            actions = driver.drain(&mut run, &clock);
        }
    }
    let report = run.report();
    driver.wind_down().await;
    (report, stopped)
}

/// The dial under way, or never.
async fn dialled(dialling: &mut Option<Pin<Box<dyn Future<Output = Dialled>>>>) -> Dialled {
    match dialling {
        Some(future) => future.as_mut().await,
        None => pending().await,
    }
}

/// The socket's next message, or never while there is none.
async fn received(socket: &mut Option<Socket>) -> Option<Result<Message, Error>> {
    match socket {
        Some(socket) => socket.next().await,
        None => pending().await,
    }
}

impl Driver<'_> {
    async fn carry_out(&mut self, actions: Vec<Action>, events: &mut VecDeque<Event>) {
        for action in actions {
            match action {
                Action::Dial(target) => {
                    self.socket = None;
                    self.close_told = false;
                    self.dial_step = self.running.unwrap_or(0);
                    self.dialling = Some(Box::pin(dial(target, self.tls.clone())));
                }
                Action::Send(payload) => {
                    let message = match payload {
                        Payload::Text(text) => Message::text(text),
                        Payload::Binary(bytes) => Message::binary(bytes),
                    };
                    self.write(message, events).await;
                }
                Action::Close { code, reason } => {
                    self.dialling = None;
                    let frame = CloseFrame {
                        code: code.into(),
                        reason: reason.into(),
                    };
                    self.write(Message::Close(Some(frame)), events).await;
                }
                Action::ArmTimer { id, after_ms } => {
                    self.timers.push((id, after(after_ms)));
                }
                Action::CancelTimer(id) => self.timers.retain(|(armed, _)| *armed != id),
                Action::StepChanged { index, state } => {
                    if state == StepState::Running {
                        self.running = Some(index);
                    }
                    self.printer.step(index, &state);
                }
                Action::Finished(_) => {}
            }
        }
    }

    /// Hands over messages the socket already holds without a trip through the select (a
    /// flood is read at socket speed); a few at a time, so timers are still looked at.
    fn drain(&mut self, run: &mut Run, clock: &Clock) -> Vec<Action> {
        // Already received, so they arrived now: one reading of the clock for all of them.
        let at = clock.now();
        for _ in 0..DRAIN_BATCH {
            let Some(next) = self.socket.as_mut().and_then(|s| s.next().now_or_never()) else {
                break;
            };
            if let Some(event) = self.event(Woke::Received(next)) {
                let actions = run.handle(event, at);
                if !actions.is_empty() {
                    return actions;
                }
            }
        }
        Vec::new()
    }

    /// Sends on the open socket; a broken connection becomes the run's close event. Bounded
    /// by the next timer, so a peer that stops reading cannot hold the run past its steps'
    /// timeouts (what did not go out waits in tungstenite's buffer).
    async fn write(&mut self, message: Message, events: &mut VecDeque<Event>) {
        let Some(socket) = &mut self.socket else {
            return;
        };
        let until = self.timers.iter().map(|(_, at)| *at).min();
        let sent = match until {
            Some(until) => timeout_at(until, socket.send(message)).await.ok(),
            None => Some(socket.send(message).await),
        };
        if let Some(Err(e)) = sent {
            self.socket = None;
            if !self.close_told {
                self.close_told = true;
                events.push_back(Event::Closed {
                    code: 1006,
                    reason: format!("sending failed: {e}"),
                    clean: false,
                });
            }
        }
    }

    /// The run's event for what woke the driver, if it is one the run needs.
    fn event(&mut self, woke: Woke) -> Option<Event> {
        match woke {
            Woke::Cap => None,
            Woke::Timer => {
                let (index, _) = self
                    .timers
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, (_, at))| *at)?;
                let (id, _) = self.timers.swap_remove(index);
                Some(Event::TimerFired(id))
            }
            Woke::Dialled(dialled) => {
                self.dialling = None;
                match dialled {
                    Dialled::Open {
                        socket,
                        subprotocol,
                    } => {
                        self.socket = Some(*socket);
                        Some(Event::Opened { subprotocol })
                    }
                    Dialled::Refused {
                        status,
                        detail,
                        response,
                    } => {
                        if let Some(response) = response {
                            self.printer.refusal(self.dial_step, response);
                        }
                        Some(Event::Refused { status, detail })
                    }
                }
            }
            Woke::Received(Some(Ok(message))) => match message {
                // Copied out of tungstenite's buffer: the engine keeps its own String.
                Message::Text(text) => Some(Event::Message(Payload::Text(text.as_str().into()))),
                Message::Binary(bytes) => Some(Event::Message(Payload::Binary(bytes.into()))),
                Message::Close(frame) => {
                    // Keep reading: that sends tungstenite's reply, then the stream ends.
                    self.close_told = true;
                    Some(match frame {
                        Some(frame) => Event::Closed {
                            code: frame.code.into(),
                            reason: frame.reason.as_str().into(),
                            clean: true,
                        },
                        None => Event::Closed {
                            code: 1005,
                            reason: String::new(),
                            clean: true,
                        },
                    })
                }
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => None,
            },
            Woke::Received(ended) => {
                self.socket = None;
                if self.close_told {
                    return None;
                }
                self.close_told = true;
                let reason = match ended {
                    Some(Err(e)) => format!("the connection broke: {e}"),
                    _ => "the connection ended without a close frame".into(),
                };
                Some(Event::Closed {
                    code: 1006,
                    reason,
                    clean: false,
                })
            }
        }
    }

    /// Leaves no connection behind: the run closed it (the engine closes what it leaves
    /// open, a run cut short too); this waits a moment for the server's close so both sides
    /// end cleanly.
    async fn wind_down(mut self) {
        self.dialling = None;
        let Some(mut socket) = self.socket.take() else {
            return;
        };
        let until = Instant::now() + CLOSE_WAIT;
        while let Ok(Some(Ok(_))) = timeout_at(until, socket.next()).await {}
    }
}

/// When a timer armed now for `ms` fires; never panics on odd values.
fn after(ms: f64) -> Instant {
    let ms = if ms.is_finite() && ms > 0.0 {
        ms.ceil().min(1e12) as u64
    } else {
        0
    };
    let now = Instant::now();
    now.checked_add(Duration::from_millis(ms)).unwrap_or(now)
}
