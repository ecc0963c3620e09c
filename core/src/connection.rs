//! One connection attempt, from dial to close, as the Handshake panel tells it.
//! The browser glue feeds it events; the state a person sees is derived from it.

use crate::close_code::{self, CloseCode};
use crate::diagnosis::Probe;
use crate::relay::Handshake;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    Idle,
    Connecting,
    Open,
    Closing,
    Closed,
    Failed,
}

impl ConnectionState {
    pub fn word(self) -> &'static str {
        match self {
            Self::Idle => "Idle",
            Self::Connecting => "Connecting",
            Self::Open => "Open",
            Self::Closing => "Closing",
            Self::Closed => "Closed",
            Self::Failed => "Failed",
        }
    }

    /// A socket exists that Disconnect would close.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Connecting | Self::Open | Self::Closing)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// What the server chose (`WebSocket.protocol`); empty when none.
    pub protocol: String,
    /// As negotiated (`WebSocket.extensions`), e.g. "permessage-deflate; client_max_window_bits".
    pub extensions: String,
    pub time_to_open_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Closed {
    pub code: CloseCode,
    pub reason: String,
    pub clean: bool,
    /// Milliseconds from dial to close.
    pub after_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// What the browser reports it dialled (`WebSocket.url`).
    pub dialled_url: String,
    pub requested: Vec<String>,
    /// `performance.now()` at dial.
    pub started_ms: f64,
    pub opened: Option<Opened>,
    pub closing: bool,
    pub closed: Option<Closed>,
    /// Set when the attempt never reached the network: the page or the browser refused it.
    pub refused: Option<String>,
    /// Set when the page's connect timeout (this many ms) gave up on the handshake.
    pub timed_out_after_ms: Option<f64>,
    /// What the HTTP probe found after a failed handshake.
    pub probe: Option<Probe>,
    /// Dialled through the relay at this address; its report of the handshake, once it came.
    pub relay: Option<String>,
    pub relay_handshake: Option<Handshake>,
}

impl Attempt {
    pub fn dial(dialled_url: String, requested: Vec<String>, started_ms: f64) -> Self {
        Self {
            dialled_url,
            requested,
            started_ms,
            opened: None,
            closing: false,
            closed: None,
            refused: None,
            timed_out_after_ms: None,
            probe: None,
            relay: None,
            relay_handshake: None,
        }
    }

    /// An attempt stopped before dialling, with the message saying why.
    pub fn refuse(dialled_url: String, requested: Vec<String>, why: String) -> Self {
        Self {
            refused: Some(why),
            ..Self::dial(dialled_url, requested, 0.0)
        }
    }

    pub fn on_open(&mut self, now_ms: f64, protocol: String, extensions: String) {
        self.opened = Some(Opened {
            protocol,
            extensions,
            time_to_open_ms: now_ms - self.started_ms,
        });
    }

    /// The connect timeout fired before the handshake finished; a close follows.
    pub fn on_timeout(&mut self, now_ms: f64) {
        self.timed_out_after_ms = Some(now_ms - self.started_ms);
        self.closing = true;
    }

    pub fn on_close_requested(&mut self) {
        self.closing = true;
    }

    pub fn on_close(&mut self, now_ms: f64, code: u16, reason: String, clean: bool) {
        self.closed = Some(Closed {
            code: close_code::describe(code),
            reason,
            clean,
            after_ms: now_ms - self.started_ms,
        });
    }

    pub fn state(&self) -> ConnectionState {
        match (&self.refused, &self.opened, &self.closed) {
            (Some(_), _, _) => ConnectionState::Failed,
            (None, None, Some(_)) => ConnectionState::Failed,
            (None, Some(_), Some(_)) => ConnectionState::Closed,
            (None, _, None) if self.closing => ConnectionState::Closing,
            (None, Some(_), None) => ConnectionState::Open,
            (None, None, None) => ConnectionState::Connecting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(requested: &[&str]) -> Attempt {
        Attempt::dial(
            "ws://127.0.0.1:9/".into(),
            requested.iter().map(|s| s.to_string()).collect(),
            100.0,
        )
    }

    #[test]
    fn a_clean_session_goes_connecting_open_closing_closed() {
        let mut a = attempt(&["chat"]);
        assert_eq!(a.state(), ConnectionState::Connecting);
        a.on_open(142.5, "chat".into(), "".into());
        assert_eq!(a.state(), ConnectionState::Open);
        assert_eq!(a.opened.as_ref().map(|o| o.time_to_open_ms), Some(42.5));
        a.on_close_requested();
        assert_eq!(a.state(), ConnectionState::Closing);
        a.on_close(300.0, 1000, "bye".into(), true);
        assert_eq!(a.state(), ConnectionState::Closed);
        assert_eq!(
            a.closed.as_ref().map(|c| c.code.name),
            Some("Normal Closure")
        );
        assert!(a.diagnosis().is_none());
    }

    #[test]
    fn disconnecting_while_connecting_is_said_plainly() {
        let mut a = attempt(&[]);
        a.on_close_requested();
        assert_eq!(a.state(), ConnectionState::Closing);
        a.on_close(10.0, 1006, "".into(), false);
        assert_eq!(a.state(), ConnectionState::Failed);
        assert_eq!(
            a.diagnosis().map(|d| d.headline),
            Some("Disconnected by you before the handshake finished.".into())
        );
    }

    #[test]
    fn a_refused_attempt_fails_without_dialling() {
        let a = Attempt::refuse("example.com".into(), vec![], "The URL has no ws://.".into());
        assert_eq!(a.state(), ConnectionState::Failed);
        assert_eq!(
            a.diagnosis().map(|d| d.headline),
            Some("Not dialled. The URL has no ws://.".into())
        );
    }

    #[test]
    fn state_words_are_the_contract_words() {
        use ConnectionState::*;
        let words: Vec<_> = [Idle, Connecting, Open, Closing, Closed, Failed]
            .map(|s| s.word())
            .into();
        assert_eq!(
            words,
            ["Idle", "Connecting", "Open", "Closing", "Closed", "Failed"]
        );
        assert!(Open.is_live() && Connecting.is_live() && Closing.is_live());
        assert!(!Idle.is_live() && !Closed.is_live() && !Failed.is_live());
    }
}
