//! The session's frames, read by the protocol the connection speaks: each received frame is
//! logged with what it means, and the protocol's answers (pongs, acknowledgements) go out.

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::log::{Direction, EntryNote, Payload};
use wsprobe_core::protocol::correlate::Correlator;
use wsprobe_core::protocol::graphql::GraphqlClient;
use wsprobe_core::protocol::json_rpc::JsonRpcClient;
use wsprobe_core::protocol::mqtt::client::MqttClient;
use wsprobe_core::protocol::note::{Note, NoteKind, format_ms};
use wsprobe_core::protocol::settings::Protocol;
use wsprobe_core::protocol::socket_io_client::{SocketIoClient, sent_note};
use wsprobe_core::protocol::stomp::client::StompClient;

use super::Protocols;
use crate::glue::clock;
use crate::session::Speaker;

/// The state machine of the protocol spoken on the open connection.
pub(super) enum Machine {
    /// Frames as they are, paired by a JSON Pointer when one is set.
    Raw(Option<Correlator>),
    SocketIo(Box<SocketIoClient>),
    JsonRpc(JsonRpcClient),
    Graphql(Box<GraphqlClient>),
    Mqtt(Box<MqttClient>),
    Stomp(Box<StompClient>),
}

/// The correlator for raw replies, when a pointer is set (an empty one would pair whole
/// messages, which no one means).
fn pairing(pointer: &str) -> Option<Correlator> {
    let pointer = pointer.trim();
    (!pointer.is_empty())
        .then(|| Correlator::new(pointer).ok())
        .flatten()
}

/// What a row shows for a note.
pub(super) fn entry_note(note: Note) -> EntryNote {
    EntryNote {
        heartbeat: note.kind == NoteKind::Heartbeat,
        problem: note.kind == NoteKind::Problem,
        // The round trip, if any, is in the summary already.
        summary: note.summary,
    }
}

impl Speaker for Protocols {
    fn prepare(&self, url: &str) -> Result<String, String> {
        let settings = self.settings();
        if settings.protocol == Protocol::SocketIo {
            self.socket_io_client()?;
        }
        Ok(settings.dial_url(url))
    }

    fn opened(&self, subprotocol: &str) {
        let settings = self.settings();
        let machine = match settings.protocol {
            Protocol::WebSocket => Machine::Raw(pairing(&settings.pairing)),
            // Checked before dialling; made again since variables may have changed since.
            Protocol::SocketIo => match self.socket_io_client() {
                Ok(client) => Machine::SocketIo(Box::new(client)),
                Err(why) => {
                    self.report_problem(why, Vec::new());
                    Machine::Raw(None)
                }
            },
            Protocol::JsonRpc => Machine::JsonRpc(JsonRpcClient::default()),
            Protocol::Graphql => self.graphql_opened(subprotocol),
            Protocol::Mqtt => self.mqtt_opened(),
            Protocol::Stomp => self.stomp_opened(subprotocol),
        };
        self.machine.set_value(machine);
        self.schedule_tick();
    }

    fn received(&self, payload: Payload, at_ms: f64) {
        self.meter.frame(at_ms, Direction::Received);
        let read = self.machine.try_update_value(|machine| match machine {
            Machine::Raw(None) => Read::Plain,
            Machine::Raw(Some(pairs)) => match &payload {
                Payload::Text(text) => match pairs.on_received(text, at_ms) {
                    Some((key, rtt)) => Read::Paired(key, rtt),
                    None => Read::Plain,
                },
                _ => Read::Plain,
            },
            Machine::SocketIo(client) => Read::SocketIo(match &payload {
                Payload::Text(text) => client.on_text(text, at_ms),
                Payload::Binary(bytes) => client.on_binary(bytes, at_ms),
                Payload::Event(_) => return Read::Plain,
            }),
            Machine::JsonRpc(client) => match &payload {
                Payload::Text(text) => Read::JsonRpc(client.on_text(text, at_ms)),
                _ => Read::Plain,
            },
            Machine::Graphql(client) => match &payload {
                Payload::Text(text) => Read::Graphql(client.on_text(text, at_ms)),
                _ => Read::Plain,
            },
            Machine::Mqtt(client) => match &payload {
                Payload::Binary(bytes) => Read::Mqtt(client.on_bytes(bytes, at_ms)),
                _ => Read::Plain,
            },
            Machine::Stomp(client) => match &payload {
                Payload::Text(text) => Read::Stomp(client.on_bytes(text.as_bytes(), at_ms)),
                Payload::Binary(bytes) => Read::Stomp(client.on_bytes(bytes, at_ms)),
                Payload::Event(_) => Read::Plain,
            },
        });
        match read.unwrap_or(Read::Plain) {
            Read::Plain => self.session.log_received(at_ms, payload, None),
            Read::Paired(key, rtt) => {
                self.meter.round_trip(rtt);
                let note = EntryNote {
                    summary: format!(
                        "{} \u{b7} reply to {key} in {}",
                        payload.preview(),
                        format_ms(rtt)
                    ),
                    heartbeat: false,
                    problem: false,
                };
                self.session.log_received(at_ms, payload, Some(note));
            }
            Read::SocketIo(reading) => {
                self.session
                    .log_received(at_ms, payload, Some(entry_note(reading.note)));
                self.socket_io_outputs(reading.outputs);
                // The open packet starts the heartbeat; a timer already set wakes in time.
                if self.tick.with_value(Option::is_none) {
                    self.schedule_tick();
                }
            }
            Read::JsonRpc(reading) => {
                self.session
                    .log_received(at_ms, payload, Some(entry_note(reading.note)));
                for paired in reading.paired {
                    self.meter.round_trip(paired.rtt_ms);
                }
            }
            Read::Graphql(reading) => {
                self.session
                    .log_received(at_ms, payload, Some(entry_note(reading.note)));
                self.graphql_outputs(reading.outputs);
            }
            Read::Mqtt(reading) => {
                self.session
                    .log_received(at_ms, payload, Some(entry_note(reading.note)));
                self.mqtt_outputs(reading.outputs);
            }
            Read::Stomp(reading) => {
                self.session
                    .log_received(at_ms, payload, Some(entry_note(reading.note)));
                self.stomp_outputs(reading.outputs);
                // A broker heard again after a silence was told is watched again.
                if self.tick.with_value(Option::is_none) {
                    self.schedule_tick();
                }
            }
        }
    }

    fn sent(&self, payload: &Payload, at_ms: f64, wants_note: bool) -> Option<EntryNote> {
        self.meter.frame(at_ms, Direction::Sent);
        // A scenario's emits and calls are its engine's: this machine learns them, to pair
        // their replies in the log. A Send typed by hand is noted, and a JSON-RPC request in it
        // is paired too.
        let by_scenario = self.session.is_watched();
        let version = self.settings().socket_io.release.wire();
        let note = self
            .machine
            .try_update_value(|machine| match (machine, payload) {
                (Machine::Raw(Some(pairs)), Payload::Text(text)) => {
                    pairs.on_sent(text, at_ms);
                    None
                }
                (Machine::SocketIo(client), payload) => {
                    if let (true, Payload::Text(text)) = (by_scenario, payload) {
                        client.written_elsewhere(text, at_ms);
                    }
                    let frame = match payload {
                        Payload::Text(text) => Frame::Text(text.clone()),
                        Payload::Binary(bytes) => Frame::Binary(bytes.clone()),
                        Payload::Event(_) => return None,
                    };
                    wants_note.then(|| entry_note(sent_note(&frame, version)))
                }
                // The page's own frames come with their note; others are learnt and noted.
                (Machine::Graphql(client), Payload::Text(text)) if wants_note => {
                    client.sent_elsewhere(text, at_ms).map(entry_note)
                }
                // Every frame restarts the keep alive; one typed by hand is learnt too.
                (Machine::Mqtt(client), Payload::Binary(bytes)) => client
                    .sent(bytes, at_ms, wants_note || by_scenario)
                    .filter(|_| wants_note)
                    .map(entry_note),
                // Every frame restarts the heart-beat; one typed by hand is learnt too.
                (Machine::Stomp(client), Payload::Text(text)) => client
                    .sent(text.as_bytes(), at_ms, wants_note || by_scenario)
                    .filter(|_| wants_note)
                    .map(entry_note),
                (Machine::Stomp(client), Payload::Binary(bytes)) => client
                    .sent(bytes, at_ms, wants_note || by_scenario)
                    .filter(|_| wants_note)
                    .map(entry_note),
                (Machine::JsonRpc(client), Payload::Text(text)) if by_scenario || wants_note => {
                    client
                        .sent_raw(text, at_ms)
                        .ok()
                        .filter(|_| wants_note)
                        .map(entry_note)
                }
                _ => None,
            })
            .flatten();
        if wants_note
            && self
                .machine
                .with_value(|m| matches!(m, Machine::Graphql(_) | Machine::Stomp(_)))
        {
            self.refresh_lists();
        }
        note
    }

    fn closing(&self) {
        // A running scenario speaks for the connection.
        if self.session.is_watched() {
            return;
        }
        let now = clock::epoch_ms();
        let bye = self
            .machine
            .try_update_value(|m| match m {
                Machine::Mqtt(client) => client.disconnect(now).map(Bye::Mqtt),
                Machine::Stomp(client) => client.disconnect(now).map(Bye::Stomp),
                _ => None,
            })
            .flatten();
        match bye {
            Some(Bye::Mqtt(bye)) => self.send_mqtt(bye),
            Some(Bye::Stomp(bye)) => self.send_stomp(bye),
            None => {}
        }
    }

    fn closed(&self, code: u16) {
        self.stop_tick();
        // The list keeps what ran, as the close left it; the machine goes below.
        let graphql = self
            .machine
            .try_update_value(|m| match m {
                Machine::Graphql(client) => {
                    client.connection_closed();
                    Some((client.dialect(), client.operations().to_vec()))
                }
                _ => None,
            })
            .flatten();
        if let Some((dialect, operations)) = graphql {
            self.operations.set(operations);
            self.graphql_closed(dialect, code);
        }
        let mqtt = self.machine.try_with_value(|m| match m {
            Machine::Mqtt(client) => Some(client.subscriptions().to_vec()),
            _ => None,
        });
        if let Some(subscriptions) = mqtt.flatten() {
            self.mqtt_subscriptions.set(subscriptions);
        }
        let stomp = self.machine.try_with_value(|m| match m {
            Machine::Stomp(client) => Some(client.subscriptions().to_vec()),
            _ => None,
        });
        if let Some(subscriptions) = stomp.flatten() {
            self.stomp_subscriptions.set(subscriptions);
        }
        let settings = self.settings();
        self.machine
            .set_value(Machine::Raw(pairing(&settings.pairing)));
    }
}

/// What one received frame meant, taken out of the machine before anything is logged or sent.
enum Read {
    Plain,
    Paired(String, f64),
    SocketIo(wsprobe_core::protocol::socket_io_client::Reading),
    JsonRpc(wsprobe_core::protocol::json_rpc::RpcReading),
    Graphql(wsprobe_core::protocol::graphql::Reading),
    Mqtt(wsprobe_core::protocol::mqtt::client::Reading),
    Stomp(wsprobe_core::protocol::stomp::client::Reading),
}

/// What a protocol says before the page closes the connection.
enum Bye {
    Mqtt(wsprobe_core::protocol::mqtt::client::Written),
    Stomp(wsprobe_core::protocol::stomp::client::Written),
}
