//! What happens around a connection: the connect timeout, the HTTP probe after a failed
//! handshake, automatic reconnects with backoff, and the heartbeat that keeps a quiet
//! connection alive.

use std::time::Duration;

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::decimal::fixed;
use wsprobe_core::diagnosis::{self, Probe};
use wsprobe_core::reconnect::{Backoff, STABLE_AFTER_MS};

use super::Session;
use crate::glue::{clock, probe};

/// How long the probe waits for any HTTP answer.
const PROBE_TIMEOUT_MS: i32 = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionOptions {
    pub timeout_s: f64,
    pub reconnect: bool,
    pub backoff: Backoff,
    pub heartbeat: bool,
    pub heartbeat_every_s: f64,
    pub heartbeat_payload: String,
    pub close_code: u16,
    pub close_reason: String,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        Self {
            timeout_s: 10.0,
            reconnect: false,
            backoff: Backoff::default(),
            heartbeat: false,
            heartbeat_every_s: 30.0,
            heartbeat_payload: "ping".into(),
            close_code: 1000,
            close_reason: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PendingReconnect {
    pub attempt: u32,
    pub of: u32,
    /// When it will dial (epoch ms).
    pub at_ms: f64,
}

#[derive(Default)]
pub(super) struct Recovery {
    /// Counts dials; a timer or probe result for an older one is ignored.
    pub generation: u64,
    pub closed_by_you: bool,
    /// Reconnects used since the connection last stayed up.
    pub attempts_in_run: u32,
    /// Pings sent through the relay, for their ids.
    pub pings: u64,
    reconnect_timer: Option<TimeoutHandle>,
    heartbeat_timer: Option<IntervalHandle>,
    connect_timer: Option<TimeoutHandle>,
}

impl Session {
    /// Gives up on a handshake that takes longer than the connect timeout.
    pub(super) fn arm_timeout(&self) {
        let generation = self.recovery.with_value(|r| r.generation);
        let timeout_ms = self.options.with_untracked(|o| o.timeout_s * 1000.0);
        let this = *self;
        let timer = set_timeout_with_handle(
            move || {
                let current = this.recovery.with_value(|r| r.generation) == generation;
                if !current || this.state() != ConnectionState::Connecting {
                    return;
                }
                let now = clock::monotonic_ms();
                this.attempt.update(|a| {
                    if let Some(a) = a {
                        a.on_timeout(now);
                    }
                });
                this.event(format!(
                    "No answer within {} s: gave up (connect timeout)",
                    fixed(timeout_ms / 1000.0, 0)
                ));
                this.socket
                    .with_value(|s| s.as_ref().map(|socket| socket.close(1000, "")));
                this.close_relay();
            },
            Duration::from_millis(timeout_ms.max(0.0) as u64),
        );
        // One pending at a time, and none left behind once the attempt has ended.
        self.clear_connect_timeout();
        self.recovery.update_value(|r| r.connect_timer = timer.ok());
    }

    pub(super) fn clear_connect_timeout(&self) {
        if let Some(timer) = self
            .recovery
            .try_update_value(|r| r.connect_timer.take())
            .flatten()
        {
            timer.clear();
        }
    }

    /// After a close: probe a failed handshake, then reconnect if the person asked for it.
    pub(super) fn after_close(&self) {
        self.clear_connect_timeout();
        self.tell_attempt_ended();
        let (failed, timed_out, open_for_ms, probe_target) =
            self.attempt.with_untracked(|a| match a {
                Some(a) => (
                    a.opened.is_none(),
                    a.timed_out_after_ms.is_some(),
                    a.closed.as_ref().map_or(0.0, |c| c.after_ms),
                    // Through the relay, its own report says what failed; without one, whether the
                    // relay runs at all is the question.
                    match (&a.relay, &a.relay_handshake) {
                        (None, _) => Some(a.dialled_url.clone()),
                        (Some(relay), None) => Some(relay.clone()),
                        (Some(_), Some(_)) => None,
                    },
                ),
                None => (false, false, 0.0, None),
            });
        let closed_by_you = self.recovery.with_value(|r| r.closed_by_you);
        if let Some(target) = probe_target.filter(|_| failed && !timed_out && !closed_by_you) {
            self.probe(target);
        }
        if !failed && open_for_ms >= STABLE_AFTER_MS {
            self.recovery.update_value(|r| r.attempts_in_run = 0);
        }
        // A running scenario decides itself when to connect again.
        if !closed_by_you && !self.is_watched() && self.options.with_untracked(|o| o.reconnect) {
            self.schedule_reconnect();
        }
    }

    fn probe(&self, url: String) {
        let generation = self.recovery.with_value(|r| r.generation);
        self.set_probe(Probe::Pending);
        let this = *self;
        let target = diagnosis::http_equivalent(&url);
        leptos::task::spawn_local(async move {
            let found = probe::probe(&target, PROBE_TIMEOUT_MS).await;
            if this.recovery.with_value(|r| r.generation) != generation {
                return;
            }
            this.set_probe(found);
            let said = match found {
                Probe::Answered => "answered, so the server is reachable",
                Probe::NetworkError => "failed at the network level (DNS, TCP or TLS)",
                Probe::NoAnswer => "got no answer",
                Probe::Pending => return,
            };
            this.event(format!("HTTP probe of {target}: {said}"));
        });
    }

    fn set_probe(&self, found: Probe) {
        self.attempt.update(|a| {
            if let Some(a) = a {
                a.probe = Some(found);
            }
        });
    }

    fn schedule_reconnect(&self) {
        let backoff = self.options.with_untracked(|o| o.backoff);
        let attempt = self.recovery.with_value(|r| r.attempts_in_run) + 1;
        let Some(delay_ms) = backoff.delay_ms(attempt, js_sys::Math::random()) else {
            self.event(format!(
                "Gave up reconnecting after {} attempts",
                backoff.max_attempts
            ));
            return;
        };
        self.recovery.update_value(|r| r.attempts_in_run = attempt);
        self.event(format!(
            "Reconnecting in {} s (attempt {attempt} of {})",
            fixed(delay_ms / 1000.0, 1),
            backoff.max_attempts
        ));
        self.reconnect_pending.set(Some(PendingReconnect {
            attempt,
            of: backoff.max_attempts,
            at_ms: clock::epoch_ms() + delay_ms,
        }));
        let this = *self;
        let timer = set_timeout_with_handle(
            move || {
                this.reconnect_pending.set(None);
                this.recovery.update_value(|r| r.reconnect_timer = None);
                this.dial();
            },
            Duration::from_millis(delay_ms as u64),
        )
        .ok();
        self.recovery.update_value(|r| r.reconnect_timer = timer);
    }

    /// Stops a waiting reconnect, if any.
    pub fn cancel_reconnect(&self) {
        if let Some(timer) = self
            .recovery
            .try_update_value(|r| r.reconnect_timer.take())
            .flatten()
        {
            timer.clear();
            self.event("Reconnecting stopped".into());
        }
        self.reconnect_pending.set(None);
    }

    /// While open with the heartbeat on, sends its payload every so often; and keeps
    /// `last_received` fresh for the panel.
    pub(super) fn keep_heartbeat(&self) {
        let this = *self;
        Effect::new(move |_| {
            let (on, every_s) = this.options.with(|o| (o.heartbeat, o.heartbeat_every_s));
            let open = this.state() == ConnectionState::Open;
            if let Some(timer) = this
                .recovery
                .try_update_value(|r| r.heartbeat_timer.take())
                .flatten()
            {
                timer.clear();
            }
            if on && open && every_s > 0.0 {
                let timer = set_interval_with_handle(
                    move || this.beat(),
                    Duration::from_millis((every_s * 1000.0) as u64),
                );
                this.recovery
                    .update_value(|r| r.heartbeat_timer = timer.ok());
            }
        });
        let timer = set_interval_with_handle(
            move || {
                let last = this.log.last_received_ms();
                if last != this.last_received.get_untracked() {
                    this.last_received.set(last);
                }
            },
            Duration::from_millis(250),
        );
        on_cleanup(move || {
            if let Ok(timer) = timer {
                timer.clear();
            }
            this.clear_connect_timeout();
            if let Some(heartbeat) = this
                .recovery
                .try_update_value(|r| r.heartbeat_timer.take())
                .flatten()
            {
                heartbeat.clear();
            }
        });
    }

    fn beat(&self) {
        let payload = self.options.with_untracked(|o| o.heartbeat_payload.clone());
        let sent = self
            .with_variables(&payload)
            .and_then(|text| self.send_frame(Frame::Text(text)));
        if let Err(why) = sent {
            self.event(format!("Heartbeat not sent: {why}"));
        }
    }
}
