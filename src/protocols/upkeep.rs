//! What every protocol shares on the page: facts and problems for the Handshake panel, the
//! heartbeat timer (Socket.IO's pings, MQTT's keep alive, STOMP's heart-beats), and the Subscriptions lists' refresh.

use leptos::prelude::*;
use wsprobe_core::protocol::mqtt::client::Output as MqttOutput;
use wsprobe_core::protocol::socket_io_client::Output as SocketIoOutput;
use wsprobe_core::protocol::stomp::client::Output as StompOutput;

use super::Protocols;
use super::speaker::Machine;
use crate::glue::clock;
use crate::session::{ProtocolProblem, ProtocolReport};

/// What a heartbeat look asked of the page, by protocol.
enum Ticked {
    SocketIo(Vec<SocketIoOutput>),
    Mqtt(Vec<MqttOutput>),
    Stomp(Vec<StompOutput>),
    Nothing,
}

/// A protocol's list, as the machine holds it.
enum Lists {
    Operations(Vec<wsprobe_core::protocol::graphql::Operation>),
    Mqtt(Vec<wsprobe_core::protocol::mqtt::client::Subscription>),
    Stomp(Vec<wsprobe_core::protocol::stomp::client::Subscription>),
    None,
}

/// The longest sleep between two looks at the heartbeat, whatever the server asked for.
const MAX_TICK_MS: f64 = 60_000.0;

impl Protocols {
    pub(super) fn report_fact(&self, label: &str, value: String) {
        self.session
            .protocol_report
            .update(
                |r: &mut ProtocolReport| match r.facts.iter_mut().find(|(l, _)| l == label) {
                    Some(fact) => fact.1 = value,
                    None => r.facts.push((label.to_string(), value)),
                },
            );
    }

    /// Does `act` with the open connection's client of `protocol` (found by `pick`) and sends
    /// what it wrote with `send`; else says why not, after `refused`, under the action's button.
    pub(super) fn act_with<C, W>(
        &self,
        refused: &str,
        protocol: &str,
        pick: fn(&mut Machine) -> Option<&mut C>,
        act: impl FnOnce(&mut C, f64) -> Result<Vec<W>, String>,
        send: impl Fn(W),
    ) {
        self.error.set(None);
        let now = clock::epoch_ms();
        let written = self
            .machine
            .try_update_value(|machine| pick(machine).map(|client| act(client, now)));
        match written.flatten() {
            Some(Ok(frames)) => frames.into_iter().for_each(send),
            Some(Err(why)) => self.error.set(Some(format!("{refused}: {why}."))),
            None => self.error.set(Some(format!(
                "{refused}: connect with Protocol set to {protocol} first."
            ))),
        }
        self.refresh_lists();
    }

    pub(super) fn report_problem(&self, headline: String, next: Vec<String>) {
        self.session
            .protocol_report
            .update(|r| r.problem = Some(ProtocolProblem { headline, next }));
    }

    /// Wakes when the client next has something to time (a ping due with Socket.IO 2 or
    /// MQTT's keep alive, a server gone quiet), asks it, and sleeps until the time after that.
    pub(super) fn schedule_tick(&self) {
        self.stop_tick();
        let due = self.machine.with_value(|m| match m {
            Machine::SocketIo(client) => client.next_tick_ms(),
            Machine::Mqtt(client) => client.next_tick_ms(),
            Machine::Stomp(client) => client.next_tick_ms(),
            _ => None,
        });
        let Some(due) = due else {
            return;
        };
        let this = *self;
        let wait = (due - clock::epoch_ms()).clamp(0.0, MAX_TICK_MS) + 1.0;
        let timer = set_timeout_with_handle(
            move || {
                this.tick.set_value(None);
                let now = clock::epoch_ms();
                let ticked = this.machine.try_update_value(|m| match m {
                    Machine::SocketIo(client) => Ticked::SocketIo(client.on_tick(now)),
                    Machine::Mqtt(client) => Ticked::Mqtt(client.on_tick(now)),
                    Machine::Stomp(client) => Ticked::Stomp(client.on_tick(now)),
                    _ => Ticked::Nothing,
                });
                match ticked {
                    Some(Ticked::SocketIo(outputs)) => this.socket_io_outputs(outputs),
                    Some(Ticked::Mqtt(outputs)) => this.mqtt_outputs(outputs),
                    Some(Ticked::Stomp(outputs)) => this.stomp_outputs(outputs),
                    Some(Ticked::Nothing) | None => {}
                }
                this.schedule_tick();
            },
            std::time::Duration::from_secs_f64(wait / 1000.0),
        );
        self.tick.set_value(timer.ok());
    }

    pub(super) fn stop_tick(&self) {
        if let Some(handle) = self.tick.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// The Subscriptions lists learn of changes once per animation frame, however fast
    /// results and messages come.
    pub(super) fn refresh_lists(&self) {
        let already_due = self
            .refresh_due
            .try_update_value(|due| std::mem::replace(due, true));
        if already_due != Some(false) {
            return;
        }
        let this = *self;
        request_animation_frame(move || {
            this.refresh_due.try_set_value(false);
            // After a close the lists keep what the close left (set then); nothing to read.
            // Copied out first: setting a list while the machine is borrowed could run
            // something that needs the machine.
            let lists = this.machine.try_with_value(|machine| match machine {
                Machine::Graphql(client) => Lists::Operations(client.operations().to_vec()),
                Machine::Mqtt(client) => Lists::Mqtt(client.subscriptions().to_vec()),
                Machine::Stomp(client) => Lists::Stomp(client.subscriptions().to_vec()),
                _ => Lists::None,
            });
            match lists {
                Some(Lists::Operations(list)) => drop(this.operations.try_set(list)),
                Some(Lists::Mqtt(list)) => drop(this.mqtt_subscriptions.try_set(list)),
                Some(Lists::Stomp(list)) => drop(this.stomp_subscriptions.try_set(list)),
                Some(Lists::None) | None => {}
            }
        });
    }
}
