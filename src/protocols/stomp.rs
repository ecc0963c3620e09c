//! STOMP on the page: CONNECT on open, Subscribe, Send, ACK and NACK, and what the broker's
//! frames mean for the Handshake panel, the Latency panel and the Subscriptions list.

use leptos::prelude::*;
use wsprobe_core::compose::{self, Format, Frame};
use wsprobe_core::protocol::settings::fill_each;
use wsprobe_core::protocol::stomp::client::{Output, StompClient, Written, websocket_frame};

use super::Protocols;
use super::speaker::{Machine, entry_note};
use crate::glue::clock;

impl Protocols {
    /// The client for a new connection; it sends CONNECT unless a scenario speaks for it.
    pub(super) fn stomp_opened(&self, subprotocol: &str) -> Machine {
        let mut client = StompClient::default();
        self.stomp_subscriptions.set(Vec::new());
        if !self.session.is_watched() {
            let mut settings = self.settings().stomp;
            let filled = fill_each(settings.credentials_mut(), |text| {
                self.session.with_variables(text)
            });
            let written = filled
                .and_then(|()| client.connect(&settings.connect, subprotocol, clock::epoch_ms()));
            match written {
                Ok(written) => self.send_stomp(written),
                Err(why) => self.report_problem(
                    format!("CONNECT was not sent: {why}"),
                    vec!["Correct the STOMP settings, then connect again.".to_string()],
                ),
            }
        }
        Machine::Stomp(Box::new(client))
    }

    /// Subscribe: the Destination, with the chosen ack mode.
    pub fn stomp_subscribe(&self) {
        let s = self.settings().stomp;
        self.stomp_act("Not subscribed", |client, now| {
            client
                .subscribe(&s.destination, s.ack, s.receipts, now)
                .map(|w| vec![w])
        });
    }

    /// Send: the message (as its format says, variables filled in) to the Destination, with
    /// the Headers typed.
    pub fn stomp_send(&self) {
        let s = self.settings().stomp;
        let format = self.editor.format.get_untracked();
        let headers = self.session.with_variables(&s.headers);
        let body = self
            .session
            .with_variables(&self.editor.message.get_untracked())
            .and_then(|text| compose::frame(format, &text).map_err(|e| e.to_string()));
        let (headers, body) = match (headers, body) {
            (Ok(headers), Ok(Frame::Text(text))) => (headers, text.into_bytes()),
            (Ok(headers), Ok(Frame::Binary(bytes))) => (headers, bytes),
            (Err(why), _) | (_, Err(why)) => {
                return self.error.set(Some(format!("Not sent: {why}")));
            }
        };
        let content_type = Some(match format {
            Format::Json => "application/json",
            Format::Text => "text/plain",
            Format::Hex | Format::Base64 => "application/octet-stream",
        });
        self.stomp_act("Not sent", |client, now| {
            client
                .send(
                    &s.destination,
                    &headers,
                    content_type,
                    body,
                    s.receipts,
                    now,
                )
                .map(|w| vec![w])
        });
    }

    pub fn stomp_unsubscribe(&self, key: u64) {
        let receipts = self.settings().stomp.receipts;
        self.stomp_act("Not unsubscribed", |client, now| {
            client.unsubscribe(key, receipts, now).map(|w| vec![w])
        });
    }

    /// ACK (or NACK) the messages of subscription `key` waiting for it.
    pub fn stomp_acknowledge(&self, key: u64, accept: bool) {
        let receipts = self.settings().stomp.receipts;
        let refused = if accept {
            "Not acknowledged"
        } else {
            "Not rejected"
        };
        self.stomp_act(refused, |client, now| {
            client.acknowledge(key, accept, receipts, now)
        });
    }

    /// Writes what `act` makes of the client, or says why not, after `refused`.
    fn stomp_act(
        &self,
        refused: &str,
        act: impl FnOnce(&mut StompClient, f64) -> Result<Vec<Written>, String>,
    ) {
        self.act_with(
            refused,
            "STOMP",
            |machine| match machine {
                Machine::Stomp(client) => Some(client.as_mut()),
                _ => None,
            },
            act,
            |written| self.send_stomp(written),
        );
    }

    pub(super) fn send_stomp(&self, written: Written) {
        let Written { bytes, note } = written;
        if let Err(why) = self
            .session
            .send_noted(websocket_frame(bytes), Some(entry_note(note)))
        {
            self.error.set(Some(format!("Not sent: {why}")));
        }
    }

    /// Does what the broker's frames ask, after the message that held them is logged.
    pub(super) fn stomp_outputs(&self, outputs: Vec<Output>) {
        for output in outputs {
            match output {
                // A running scenario speaks for the connection: its run answers.
                Output::Send(..) if self.session.is_watched() => {}
                Output::Send(bytes, note) => {
                    let note = Some(entry_note(note));
                    if let Err(why) = self.session.send_noted(websocket_frame(bytes), note) {
                        self.report_problem(
                            format!("The page could not send a heart-beat: {why}"),
                            Vec::new(),
                        );
                    }
                }
                Output::Connected { facts } => {
                    for (label, value) in facts {
                        self.report_fact(&label, value);
                    }
                    // The heart-beats start now.
                    self.schedule_tick();
                }
                Output::Refused { message, body } => {
                    self.report_fact("CONNECTED", "refused (ERROR)".into());
                    let mut next = Vec::new();
                    if !body.is_empty() {
                        next.push(format!("The broker says: {body}"));
                    }
                    next.push(
                        "Check Login, Passcode and Virtual host (RabbitMQ's default virtual \
                         host is /), then connect again."
                            .to_string(),
                    );
                    self.report_problem(format!("The broker refused CONNECT: {message}."), next);
                }
                Output::Failed { message, body } => {
                    let mut next = Vec::new();
                    if !body.is_empty() {
                        next.push(format!("The broker says: {body}"));
                    }
                    next.push(
                        "A STOMP broker closes the connection after an ERROR frame; connect \
                         again once the frame that caused it is corrected."
                            .to_string(),
                    );
                    self.report_problem(format!("The broker sent ERROR: {message}."), next);
                }
                Output::RoundTrip(rtt) => self.meter.round_trip(rtt),
                Output::Trouble(why) => self.report_problem(why, Vec::new()),
            }
        }
        self.refresh_lists();
    }
}
