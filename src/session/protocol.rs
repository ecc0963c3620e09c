//! Where the chosen protocol meets the connection: the session hands each frame to the
//! protocol's speaker (loaded with the protocol panel), which logs what the frame means and
//! answers for the protocol (pongs, acknowledgements). Without one, frames go to the log as
//! they are.

use std::rc::Rc;

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::log::{Direction, EntryNote, Payload};

use super::Session;
use crate::glue::clock;

/// What the chosen protocol does with the connection's frames.
pub trait Speaker {
    /// Why the request cannot be dialled with its protocol settings, before anything is sent;
    /// otherwise the URL to dial (Socket.IO's carries its transport in the query).
    fn prepare(&self, url: &str) -> Result<String, String>;
    /// The socket opened with `subprotocol` (empty for none): the protocol starts afresh with
    /// the request's settings.
    fn opened(&self, subprotocol: &str);
    /// A frame arrived: the speaker logs it with what it means, then answers it if need be.
    fn received(&self, payload: Payload, at_ms: f64);
    /// A frame went out, by anyone's hand, for pairing replies and the rate chart; when
    /// `wants_note` (whoever sent it had none), what it means for its row.
    fn sent(&self, payload: &Payload, at_ms: f64, wants_note: bool) -> Option<EntryNote>;
    /// The person is closing the connection: the protocol says goodbye first (MQTT's
    /// DISCONNECT, without which the broker publishes the will).
    fn closing(&self);
    /// The connection is over, with the close code the browser reported.
    fn closed(&self, code: u16);
}

/// What the protocol learnt on connecting, for the Handshake panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProtocolReport {
    /// Facts such as the Engine.IO session id and ping interval, in the order learnt.
    pub facts: Vec<(String, String)>,
    /// What went wrong in the protocol's own handshake (a namespace refused, say).
    pub problem: Option<ProtocolProblem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolProblem {
    pub headline: String,
    pub next: Vec<String>,
}

impl Session {
    /// From now on the protocol's speaker hears every frame; a Connect that waited for it
    /// goes ahead.
    pub fn install_speaker(&self, speaker: Rc<dyn Speaker>) {
        self.speaker.set_value(Some(speaker));
        if std::mem::take(&mut *self.dial_when_spoken.write_value()) {
            // Not inside the panel's first render, which is where this is called from.
            let this = *self;
            queue_microtask(move || this.connect());
        }
    }

    pub(super) fn speaker(&self) -> Option<Rc<dyn Speaker>> {
        self.speaker.get_value()
    }

    /// Sends one frame with what it means in the protocol, shown on its row.
    pub fn send_noted(&self, frame: Frame, note: Option<EntryNote>) -> Result<(), String> {
        self.write(&frame)?;
        let payload = match frame {
            Frame::Text(text) => Payload::Text(text),
            Frame::Binary(bytes) => Payload::Binary(bytes),
        };
        let at_ms = clock::epoch_ms();
        let note = match self.speaker() {
            Some(speaker) => {
                let meant = speaker.sent(&payload, at_ms, note.is_none());
                note.or(meant)
            }
            None => note,
        };
        self.log
            .record_noted(at_ms, Direction::Sent, payload, note.map(Box::new));
        Ok(())
    }

    /// A received frame, logged with what the protocol made of it (by its speaker).
    pub fn log_received(&self, at_ms: f64, payload: Payload, note: Option<EntryNote>) {
        self.log
            .record_noted(at_ms, Direction::Received, payload, note.map(Box::new));
    }
}
