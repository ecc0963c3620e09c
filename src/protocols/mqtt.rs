//! MQTT on the page: CONNECT on open, Subscribe, Unsubscribe and Publish, and what the broker's
//! packets mean for the Handshake panel, the Latency panel and the Subscriptions list.

use leptos::prelude::*;
use wsprobe_core::compose::{self, Frame};
use wsprobe_core::protocol::mqtt::client::{MqttClient, Output, Written};
use wsprobe_core::protocol::settings::fill_each;

use super::Protocols;
use super::speaker::{Machine, entry_note};
use crate::glue::clock;

impl Protocols {
    /// The client for a new connection; it sends CONNECT unless a scenario speaks for it.
    pub(super) fn mqtt_opened(&self) -> Machine {
        let mut settings = self.settings().mqtt;
        let mut client = MqttClient::new(settings.connect.version);
        self.mqtt_subscriptions.set(Vec::new());
        if !self.session.is_watched() {
            let filled = fill_each(settings.credentials_mut(), |text| {
                self.session.with_variables(text)
            });
            let written =
                filled.and_then(|()| client.connect(&settings.connect, clock::epoch_ms()));
            match written {
                Ok(written) => self.send_mqtt(written),
                Err(why) => self.report_problem(
                    format!("CONNECT was not sent: {why}"),
                    vec!["Correct the MQTT settings, then connect again.".to_string()],
                ),
            }
        }
        Machine::Mqtt(Box::new(client))
    }

    /// Subscribe: the Topic box as a topic filter, at the chosen QoS.
    pub fn mqtt_subscribe(&self) {
        let settings = self.settings().mqtt;
        self.mqtt_act("Not subscribed", |client, now| {
            client.subscribe(&settings.topic, settings.qos, now)
        });
    }

    /// Unsubscribe from `filter`.
    pub fn mqtt_unsubscribe(&self, filter: &str) {
        self.mqtt_act("Not unsubscribed", |client, now| {
            client.unsubscribe(filter, now)
        });
    }

    /// Publish: the message (as its format says, variables filled in) to the Topic box.
    pub fn mqtt_publish(&self) {
        let settings = self.settings().mqtt;
        let format = self.editor.format.get_untracked();
        let payload = self
            .session
            .with_variables(&self.editor.message.get_untracked())
            .and_then(|text| compose::frame(format, &text).map_err(|e| e.to_string()));
        let payload = match payload {
            Ok(Frame::Text(text)) => text.into_bytes(),
            Ok(Frame::Binary(bytes)) => bytes,
            Err(why) => return self.error.set(Some(format!("Not published: {why}"))),
        };
        self.mqtt_act("Not published", |client, now| {
            client.publish(
                &settings.topic,
                payload,
                settings.qos,
                settings.retain,
                &settings.user_properties,
                now,
            )
        });
    }

    /// Writes what `act` makes of the client, or says why not, after `refused`.
    fn mqtt_act(
        &self,
        refused: &str,
        act: impl FnOnce(&mut MqttClient, f64) -> Result<Written, String>,
    ) {
        self.act_with(
            refused,
            "MQTT",
            |machine| match machine {
                Machine::Mqtt(client) => Some(client.as_mut()),
                _ => None,
            },
            |client, now| act(client, now).map(|written| vec![written]),
            |written| self.send_mqtt(written),
        );
    }

    pub(super) fn send_mqtt(&self, written: Written) {
        let note = Some(entry_note(written.note));
        if let Err(why) = self.session.send_noted(Frame::Binary(written.bytes), note) {
            self.error.set(Some(format!("Not sent: {why}")));
        }
    }

    /// Does what the broker's packets ask, after the frame that held them is logged.
    pub(super) fn mqtt_outputs(&self, outputs: Vec<Output>) {
        for output in outputs {
            match output {
                // A running scenario speaks for the connection: its run answers.
                Output::Send(..) if self.session.is_watched() => {}
                Output::Send(bytes, note) => {
                    let note = Some(entry_note(note));
                    if let Err(why) = self.session.send_noted(Frame::Binary(bytes), note) {
                        self.report_problem(
                            format!("The page could not answer the broker: {why}"),
                            Vec::new(),
                        );
                    }
                }
                Output::Connected { facts } => {
                    for (label, value) in facts {
                        self.report_fact(&label, value);
                    }
                    // The keep alive starts now.
                    self.schedule_tick();
                }
                Output::Refused { code, name, advice } => {
                    self.report_fact("CONNACK", format!("refused ({code})"));
                    let mut next = Vec::new();
                    if !advice.is_empty() {
                        next.push(advice.to_string());
                    }
                    self.report_problem(format!("The broker refused CONNECT: {name}."), next);
                }
                Output::RoundTrip(rtt) => self.meter.round_trip(rtt),
                Output::Trouble(why) => self.report_problem(why, Vec::new()),
            }
        }
        self.refresh_lists();
    }
}
