//! GraphQL on the page: connection_init on open, Subscribe and Stop, and what the server's
//! answers mean for the Handshake panel, the Latency panel and the Subscriptions list.

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::protocol::graphql::{Dialect, GraphqlClient, Output, Written, close_meaning};
use wsprobe_core::protocol::note::{format_ms, json_brief};

use super::Protocols;
use super::speaker::{Machine, entry_note};
use crate::glue::clock;

impl Protocols {
    /// The client for a connection that negotiated `subprotocol`: the dialect it names, or
    /// the chosen one when the server named none.
    pub(super) fn graphql_opened(&self, subprotocol: &str) -> Machine {
        let chosen = self.settings().graphql.dialect;
        let dialect = Dialect::negotiated(subprotocol).unwrap_or(chosen);
        self.report_fact("GraphQL protocol", dialect.subprotocol().to_string());
        if subprotocol.is_empty() {
            self.report_fact(
                "Subprotocol",
                format!(
                    "none negotiated; speaking {} as chosen",
                    dialect.subprotocol()
                ),
            );
        }
        let mut client = GraphqlClient::new(dialect);
        self.operations.set(Vec::new());
        // A running scenario speaks for the connection: its steps send connection_init.
        if !self.session.is_watched() {
            let payload = self
                .session
                .with_variables(&self.settings().graphql.init_payload)
                .map_err(|why| format!("In the connection payload: {why}"))
                .and_then(|payload| client.init(&payload, clock::epoch_ms()));
            match payload {
                Ok(init) => self.send_written(init),
                Err(why) => self.report_problem(
                    format!("connection_init was not sent: {why}"),
                    vec![
                        "Correct the connection payload under GraphQL, then connect again."
                            .to_string(),
                    ],
                ),
            }
        }
        Machine::Graphql(Box::new(client))
    }

    /// Subscribe: the message as the query (or mutation, or subscription), with the
    /// variables and operation name typed under GraphQL.
    pub fn subscribe(&self) {
        self.error.set(None);
        let settings = self.settings().graphql;
        let filled = self
            .session
            .with_variables(&self.editor.message.get_untracked())
            .and_then(|query| {
                self.session
                    .with_variables(&settings.variables)
                    .map(|variables| (query, variables))
            });
        let (query, variables) = match filled {
            Ok(filled) => filled,
            Err(why) => return self.error.set(Some(format!("Not sent: {why}"))),
        };
        let now = clock::epoch_ms();
        let written = self.machine.try_update_value(|machine| match machine {
            Machine::Graphql(client) => {
                Some(client.subscribe(&query, &variables, &settings.operation_name, now))
            }
            _ => None,
        });
        match written.flatten() {
            Some(Ok(written)) => self.send_written(written),
            Some(Err(why)) => self.error.set(Some(format!("Not sent: {why}."))),
            None => self.error.set(Some(
                "Not sent: connect with Protocol set to GraphQL first.".to_string(),
            )),
        }
        self.refresh_lists();
    }

    /// Stop: asks the server to end the operation `id`.
    pub fn stop_operation(&self, id: &str) {
        let written = self.machine.try_update_value(|machine| match machine {
            Machine::Graphql(client) => client.stop(id),
            _ => None,
        });
        if let Some(written) = written.flatten() {
            self.send_written(written);
        }
        self.refresh_lists();
    }

    fn send_written(&self, written: Written) {
        let note = Some(entry_note(written.note));
        if let Err(why) = self.session.send_noted(Frame::Text(written.text), note) {
            self.error.set(Some(format!("Not sent: {why}")));
        }
    }

    /// Does what a received frame asks, after it is logged.
    pub(super) fn graphql_outputs(&self, outputs: Vec<Output>) {
        for output in outputs {
            match output {
                Output::Send(_) if self.session.is_watched() => {}
                Output::Send(text) => {
                    if let Err(why) = self.session.send_noted(Frame::Text(text), None) {
                        self.report_problem(
                            format!("The page could not answer the server: {why}"),
                            Vec::new(),
                        );
                    }
                }
                Output::Acknowledged { payload, rtt_ms } => {
                    let mut said = "acknowledged".to_string();
                    if let Some(rtt) = rtt_ms {
                        said.push_str(&format!(" in {}", format_ms(rtt)));
                    }
                    self.report_fact("connection_ack", said);
                    if let Some(payload) = payload {
                        self.report_fact("Ack payload", json_brief(&payload));
                    }
                }
                Output::Refused(why) => {
                    self.report_fact("connection_ack", "refused".to_string());
                    self.report_problem(
                        format!("The server refused connection_init: {why}"),
                        vec![
                            "Check the connection payload under GraphQL: the server decides \
                             with it (a token, most often)."
                                .to_string(),
                        ],
                    );
                }
                Output::Answered { rtt_ms } => self.meter.round_trip(rtt_ms),
            }
        }
        self.refresh_lists();
    }

    /// A close graphql-transport-ws gives a meaning to, explained where the handshake is
    /// (the legacy protocol defines no close codes).
    pub(super) fn graphql_closed(&self, dialect: Dialect, code: u16) {
        let Some(meaning) = close_meaning(code).filter(|_| dialect == Dialect::TransportWs) else {
            return;
        };
        let mut next = Vec::new();
        if matches!(code, 4403 | 4401) {
            next.push(
                "Check the connection payload under GraphQL: the server reads its token there."
                    .to_string(),
            );
        }
        if code == 4406 {
            next.push(
                "Choose the other GraphQL protocol under GraphQL; Subprotocols follows."
                    .to_string(),
            );
        }
        self.report_problem(format!("GraphQL close {code}: {meaning}"), next);
    }
}
