//! The steps that speak a protocol: Emit and Call send through the wire, and Expect result
//! reads the reply to the last one that asked for it.

use std::sync::Arc;

use super::steps::closed_words;
use super::wire::{Reply, Unread, Wire};
use super::{Link, Outcome, Run};
use crate::protocol::note::json_brief;
use crate::protocol::settings::fill_each;
use crate::scenario::events::{Action, Payload};
use crate::scenario::matchers::Message;
use crate::scenario::plan::Plan;

impl Run {
    /// The wire for the next connection, variables filled in where the protocol's handshake
    /// takes them (auth and connection payloads, MQTT's client id and credentials, STOMP's
    /// login, passcode and virtual host).
    pub(super) fn new_wire(&mut self, at: f64) -> Result<Wire, String> {
        let mut settings = self.request.protocol.clone();
        settings.socket_io.auth = self
            .substitute(&settings.socket_io.auth, at)
            .map_err(|why| format!("in the auth payload: {why}"))?;
        settings.graphql.init_payload = self
            .substitute(&settings.graphql.init_payload, at)
            .map_err(|why| format!("in the connection payload: {why}"))?;
        let credentials = settings.mqtt.credentials_mut().into_iter();
        fill_each(
            credentials.chain(settings.stomp.credentials_mut()),
            |text| self.substitute(text, at),
        )?;
        Wire::new(&settings)
    }

    pub(super) fn emit(
        &mut self,
        event: &str,
        args: &str,
        namespace: &str,
        ack: bool,
        at: f64,
        out: &mut Vec<Action>,
    ) -> Outcome {
        if let Some(why) = self.not_open("emit") {
            return Outcome::Fail(why);
        }
        let written = self
            .substitute(args, at)
            .and_then(|args| self.wire.emit(namespace, event, &args, ack, at));
        let what = format!("the emit of \u{201c}{event}\u{201d}");
        self.write(written, what, out)
    }

    pub(super) fn call(
        &mut self,
        method: &str,
        params: &str,
        notification: bool,
        at: f64,
        out: &mut Vec<Action>,
    ) -> Outcome {
        if let Some(why) = self.not_open("call") {
            return Outcome::Fail(why);
        }
        let written = self
            .substitute(params, at)
            .and_then(|params| self.wire.call(method, &params, notification, at));
        let what = format!("the call of \u{201c}{method}\u{201d}");
        self.write(written, what, out)
    }

    fn write(
        &mut self,
        written: Result<super::wire::Written, String>,
        what: String,
        out: &mut Vec<Action>,
    ) -> Outcome {
        match written {
            Ok(written) => {
                self.sent += 1;
                out.extend(written.frames.into_iter().map(|f| Action::Send(f.into())));
                if let Some(key) = written.reply_key {
                    self.awaiting = Some((key, what));
                }
                Outcome::Pass
            }
            Err(why) => Outcome::Fail(why),
        }
    }

    /// The awaited request in words, for a failure.
    pub(super) fn awaited_words(&self) -> String {
        self.awaiting
            .as_ref()
            .map_or_else(|| "the request".to_string(), |(_, what)| what.clone())
    }

    /// Judges the awaited reply, if it has come.
    pub(super) fn read_reply(&mut self) -> Option<Outcome> {
        let plans = Arc::clone(&self.plans);
        let Some(Plan::ExpectResult { error, takes, .. }) = plans.get(self.current) else {
            return None;
        };
        let (key, what) = self.awaiting.clone()?;
        let at = self.replies.iter().position(|(k, _)| *k == key)?;
        let (_, reply) = self.replies.remove(at)?;
        self.awaiting = None;
        let check = self.active.check.take()?;
        let (object, failed) = match (reply, *error) {
            (Reply::Result(value), false) => (value, None),
            (Reply::Error(object, _), true) => (object, None),
            (Reply::Error(object, words), false) => {
                (object, Some(format!("{what} failed: {words}")))
            }
            (Reply::Result(value), true) => {
                let words = format!("{what} succeeded, with {}", json_brief(&value));
                (value, Some(words))
            }
        };
        let payload = Payload::Text(object.to_string());
        let outcome = match failed {
            Some(why) => Some(Outcome::Fail(why)),
            None => {
                let message = Message::new(&payload);
                match check.test(&message) {
                    Ok(()) => Some(match self.capture(takes, &message) {
                        Ok(()) => Outcome::Pass,
                        Err(why) => Outcome::Fail(why),
                    }),
                    Err(_) => Some(Outcome::Fail(format!("the reply to {what} did not match"))),
                }
            }
        };
        self.active.check = Some(check);
        if matches!(outcome, Some(Outcome::Fail(_))) {
            self.active.remember(Unread::plain(payload));
        }
        outcome
    }

    pub(super) fn closed_before_reply(&self) -> Option<Outcome> {
        match &self.link {
            Link::Closed { code, reason } => Some(Outcome::Fail(format!(
                "the connection closed ({}) before the reply to {} arrived",
                closed_words(*code, reason),
                self.awaited_words()
            ))),
            _ => None,
        }
    }
}
