//! The chosen protocol's controls (Socket.IO's Emit, JSON-RPC's Call, GraphQL's, STOMP's and
//! MQTT's Subscribe) and the Latency panel, loaded as one chunk with the protocol code; it starts the protocol layer of the page.

use leptos::prelude::*;
use wsprobe_core::protocol::settings::Protocol;

use crate::components::graphql_controls::GraphqlControls;
use crate::components::json_rpc_controls::JsonRpcControls;
use crate::components::latency_panel::LatencyPanel;
use crate::components::mqtt_controls::MqttControls;
use crate::components::socket_io_controls::SocketIoControls;
use crate::components::stomp_controls::StompControls;
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::protocols::Protocols;
use crate::session::use_session;

#[component]
fn ProtocolPanel() -> impl IntoView {
    let editor = use_editor();
    provide_context(Protocols::start(use_session()));
    let chosen = Memo::new(move |_| editor.protocol.with(|p| p.protocol));
    view! {
        {move || match chosen.get() {
            Protocol::SocketIo => view! { <SocketIoControls /> }.into_any(),
            Protocol::JsonRpc => view! { <JsonRpcControls /> }.into_any(),
            Protocol::Graphql => view! { <GraphqlControls /> }.into_any(),
            Protocol::Stomp => view! { <StompControls /> }.into_any(),
            Protocol::Mqtt => view! { <MqttControls /> }.into_any(),
            Protocol::WebSocket => ().into_any(),
        }}
        <LatencyPanel />
    }
}

split_point! {
    protocols:
    /// The split point: the protocol panels and every protocol's codec are in
    /// `split_protocols.wasm` (src/lazy.rs).
    pub fn protocol_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ProtocolPanel /> }.into_any())
    }
}
