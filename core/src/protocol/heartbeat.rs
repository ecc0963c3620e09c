//! Engine.IO liveness: in version 4 the server pings and the client watches for the pings;
//! in version 3 the client pings every interval and watches for the pongs.

use crate::protocol::engine_io::{EngineVersion, OpenInfo};
use crate::protocol::note::{elapsed, format_ms};

/// What a tick found.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Beat {
    /// Engine.IO 3: time to send a ping.
    pub(crate) ping: bool,
    /// Newly silent: why, in words. Told once per silence.
    pub(crate) silent: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Heartbeat {
    engine: EngineVersion,
    interval_ms: f64,
    timeout_ms: f64,
    /// The last server ping (Engine.IO 4) or pong (Engine.IO 3), or the open packet.
    heard_ms: f64,
    /// Engine.IO 3: when the client pings next, and when the unanswered ping went.
    next_ping_ms: f64,
    ping_sent_ms: Option<f64>,
    /// Silence already told; cleared when the server is heard again.
    silent: bool,
}

impl Heartbeat {
    /// Timing from the open packet, received at `now_ms`.
    pub(crate) fn new(engine: EngineVersion, info: &OpenInfo, now_ms: f64) -> Self {
        let interval_ms = info.ping_interval_ms as f64;
        Self {
            engine,
            interval_ms,
            timeout_ms: info.ping_timeout_ms as f64,
            heard_ms: now_ms,
            next_ping_ms: now_ms + interval_ms,
            ping_sent_ms: None,
            silent: false,
        }
    }

    /// The server pinged.
    pub(crate) fn pinged(&mut self, now_ms: f64) {
        self.heard_ms = now_ms;
        self.silent = false;
    }

    /// The server ponged: the round trip from our ping, if one was waiting.
    pub(crate) fn ponged(&mut self, now_ms: f64) -> Option<f64> {
        self.pinged(now_ms);
        self.ping_sent_ms.take().map(|sent| elapsed(sent, now_ms))
    }

    pub(crate) fn tick(&mut self, now_ms: f64) -> Beat {
        let mut beat = Beat::default();
        let silence = match self.engine {
            EngineVersion::V3 => {
                if now_ms >= self.next_ping_ms {
                    beat.ping = true;
                    self.ping_sent_ms.get_or_insert(now_ms);
                    self.next_ping_ms = now_ms + self.interval_ms;
                }
                self.ping_sent_ms
                    .filter(|sent| now_ms >= sent + self.timeout_ms)
                    .map(|sent| {
                        format!(
                            "No pong to the ping sent {} ago (pingTimeout {} ms): the server is \
                             gone or not answering.",
                            format_ms(elapsed(sent, now_ms)),
                            self.timeout_ms
                        )
                    })
            }
            EngineVersion::V4 => (now_ms >= self.watch_until()).then(|| {
                format!(
                    "No ping from the server for {} (pingInterval {} ms + pingTimeout {} ms): \
                     the server is gone or not answering.",
                    format_ms(elapsed(self.heard_ms, now_ms)),
                    self.interval_ms,
                    self.timeout_ms
                )
            }),
        };
        if !self.silent {
            self.silent = silence.is_some();
            beat.silent = silence;
        }
        beat
    }

    /// When `tick` is next due; None while there is nothing to time.
    pub(crate) fn next_tick_ms(&self) -> Option<f64> {
        match self.engine {
            EngineVersion::V3 => {
                let timeout = self
                    .ping_sent_ms
                    .filter(|_| !self.silent)
                    .map(|sent| sent + self.timeout_ms);
                Some(timeout.map_or(self.next_ping_ms, |t| t.min(self.next_ping_ms)))
            }
            EngineVersion::V4 => (!self.silent).then_some(self.watch_until()),
        }
    }

    /// Engine.IO 4: the next ping is overdue from here.
    fn watch_until(&self) -> f64 {
        self.heard_ms + self.interval_ms + self.timeout_ms
    }
}
