//! What a running scenario hears from the connection: the session tells its watcher, in the
//! engine's terms, when the handshake ends, each message, and the close.

use std::rc::Rc;

use leptos::prelude::*;
use wsprobe_core::scenario::{Ending, Event, Payload, Recorded, from_log};

use super::Session;

/// Told each thing that happens on the connection while a scenario runs.
pub type Watcher = Rc<dyn Fn(Event)>;

impl Session {
    /// From now on (until `None`), `watcher` hears the connection; automatic reconnects
    /// wait meanwhile, since a scenario decides itself when to connect.
    pub fn watch(&self, watcher: Option<Watcher>) {
        self.watcher.set_value(watcher);
    }

    /// What was sent and received since the person last pressed Connect, and the close.
    pub fn exchange(&self) -> Vec<Recorded> {
        let by_you = self.recovery.with_value(|r| r.closed_by_you);
        let ended = self.attempt.with_untracked(|a| {
            let a = a.as_ref()?;
            a.opened.as_ref()?;
            a.closed.as_ref().map(|c| Ending {
                code: c.code.code,
                reason: c.reason.clone(),
                by_you,
            })
        });
        from_log(
            &self.log.entries_from(self.connection_seq.get_value()),
            ended,
        )
    }

    pub fn is_watched(&self) -> bool {
        self.watcher.with_value(Option::is_some)
    }

    /// Hands `event` to the watcher, if any, once the current handler is done, so that what
    /// the scenario does next (dial, send, close) never runs inside the session's own update.
    pub(super) fn tell(&self, event: impl FnOnce() -> Event) {
        if let Some(watcher) = self.watcher.get_value() {
            let event = event();
            queue_microtask(move || watcher(event));
        }
    }

    pub(super) fn tell_message(&self, payload: &wsprobe_core::log::Payload) {
        self.tell(|| match payload {
            wsprobe_core::log::Payload::Binary(bytes) => {
                Event::Message(Payload::Binary(bytes.clone()))
            }
            wsprobe_core::log::Payload::Text(text) | wsprobe_core::log::Payload::Event(text) => {
                Event::Message(Payload::Text(text.clone()))
            }
        });
    }

    /// The attempt ended: closed after it opened, or refused before (with the HTTP status
    /// when the relay saw one).
    pub(super) fn tell_attempt_ended(&self) {
        let event = self.attempt.with_untracked(|a| {
            let a = a.as_ref()?;
            Some(match (&a.opened, &a.closed) {
                (Some(_), Some(closed)) => Event::Closed {
                    code: closed.code.code,
                    reason: closed.reason.clone(),
                    clean: closed.clean,
                },
                _ => Event::Refused {
                    status: a
                        .relay_handshake
                        .as_ref()
                        .and_then(|h| h.response.as_ref())
                        .and_then(|r| r.line.split_whitespace().nth(1)?.parse().ok()),
                    detail: a.refused.clone().unwrap_or_else(|| {
                        a.closed.as_ref().map_or_else(String::new, |c| {
                            format!("closed with {} before the handshake ended", c.code.code)
                        })
                    }),
                },
            })
        });
        if let Some(event) = event {
            self.tell(|| event);
        }
    }
}
