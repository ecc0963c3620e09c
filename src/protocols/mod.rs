//! What the page does for the chosen protocol, loaded with the protocol panel: the speaker the
//! session hands frames to, Socket.IO's emits, JSON-RPC's calls, GraphQL's operations, MQTT's
//! and STOMP's subscriptions and messages, and the latency and rate figures of the Latency panel.

use std::rc::Rc;

use leptos::prelude::*;
use wsprobe_core::protocol::graphql::Operation;
use wsprobe_core::protocol::mqtt::client::Subscription;
use wsprobe_core::protocol::settings::ProtocolSettings;
use wsprobe_core::protocol::stomp::client::Subscription as StompSubscription;

use crate::context::injected;
use crate::editor::Editor;
use crate::session::Session;

mod graphql;
mod json_rpc;
mod meter;
mod mqtt;
mod socket_io;
mod speaker;
mod stomp;
mod upkeep;

pub use meter::Meter;
use speaker::Machine;

/// The protocol layer of the page, as the protocol panel provides it.
#[derive(Clone, Copy)]
pub struct Protocols {
    session: Session,
    editor: Editor,
    /// The state machine of the protocol the open connection speaks.
    machine: StoredValue<Machine, LocalStorage>,
    pub meter: Meter,
    /// Why the last Emit, Call or Subscribe was not sent, until the next one.
    pub error: RwSignal<Option<String>>,
    /// GraphQL's operations on this connection, for the Subscriptions list.
    pub operations: RwSignal<Vec<Operation>>,
    /// MQTT's topic filters on this connection, for its Subscriptions list.
    pub mqtt_subscriptions: RwSignal<Vec<Subscription>>,
    /// STOMP's subscriptions on this connection, for its Subscriptions list.
    pub stomp_subscriptions: RwSignal<Vec<StompSubscription>>,
    /// Whether the lists are to be refreshed at the next animation frame.
    refresh_due: StoredValue<bool>,
    /// The next Socket.IO heartbeat check, while one is due.
    tick: StoredValue<Option<TimeoutHandle>>,
}

pub fn use_protocols() -> Protocols {
    injected()
}

impl Protocols {
    /// Made once by the protocol panel, which provides it; from then on the session's frames
    /// go through it.
    pub fn start(session: Session) -> Self {
        let this = Self {
            session,
            editor: session.editor,
            machine: StoredValue::new_local(Machine::Raw(None)),
            meter: Meter::start(),
            error: RwSignal::new(None),
            operations: RwSignal::new(Vec::new()),
            mqtt_subscriptions: RwSignal::new(Vec::new()),
            stomp_subscriptions: RwSignal::new(Vec::new()),
            refresh_due: StoredValue::new(false),
            tick: StoredValue::new(None),
        };
        session.install_speaker(Rc::new(this));
        on_cleanup(move || this.stop_tick());
        this
    }

    fn settings(&self) -> ProtocolSettings {
        self.editor.protocol.get_untracked()
    }
}
