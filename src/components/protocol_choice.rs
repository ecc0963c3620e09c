//! The Protocol chooser beside the URL, and the suggestion when the URL or the subprotocols
//! give a protocol away: the page suggests, the person decides.

use leptos::prelude::*;
use wsprobe_core::protocol::settings::Protocol;
use wsprobe_core::protocol::suggest::{Suggestion, suggest};
use wsprobe_core::subprotocols::on_choosing;

use crate::editor::{Editor, use_editor};

/// Chooses `protocol` for the request; Socket.IO's address gets its path and transport,
/// GraphQL's, STOMP's and MQTT's request their subprotocols (unless others are typed).
fn choose(editor: Editor, protocol: Protocol) {
    editor.protocol.update(|p| p.protocol = protocol);
    let asked = match protocol {
        Protocol::SocketIo => {
            editor.dial_socket_io();
            None
        }
        Protocol::Graphql => Some(
            editor
                .protocol
                .with_untracked(|p| p.graphql.dialect.subprotocol()),
        ),
        // MQTT over WebSocket is asked for by its subprotocol (MQTT 3.1.1 §6, MQTT 5 §6).
        Protocol::Mqtt => Some("mqtt"),
        // STOMP's versions, newest first; the broker picks one (STOMP 1.2 §"WebSocket").
        Protocol::Stomp => Some("v12.stomp, v11.stomp, v10.stomp"),
        Protocol::WebSocket | Protocol::JsonRpc => None,
    };
    if let Some(asked) = asked.and_then(|wanted| {
        editor
            .subprotocols
            .with_untracked(|s| on_choosing(s, wanted))
    }) {
        editor.subprotocols.set(asked);
    }
    editor.request_error.set(None);
}

#[component]
pub fn ProtocolChoice() -> impl IntoView {
    let editor = use_editor();
    view! {
        <label class="field field-protocol">
            <span class="field-label">"Protocol"</span>
            <select
                prop:value=move || editor.protocol.with(|p| p.protocol.label())
                on:change=move |ev| {
                    if let Some(p) = Protocol::from_label(&event_target_value(&ev)) {
                        choose(editor, p);
                    }
                }
            >
                {Protocol::ALL
                    .into_iter()
                    .map(|p| view! { <option value=p.label()>{p.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// "This looks like a Socket.IO server", with a button, while another protocol is chosen.
#[component]
pub fn ProtocolSuggestion() -> impl IntoView {
    let editor = use_editor();
    let suggested = Memo::new(move |_| {
        let chosen = editor.protocol.with(|p| p.protocol);
        let found = editor
            .url
            .with(|url| editor.subprotocols.with(|s| suggest(url, s)))?;
        let protocol = match found {
            Suggestion::SocketIo => Protocol::SocketIo,
            Suggestion::JsonRpc => Protocol::JsonRpc,
            Suggestion::Graphql => Protocol::Graphql,
            Suggestion::Stomp => Protocol::Stomp,
            Suggestion::Mqtt => Protocol::Mqtt,
        };
        (protocol != chosen).then_some(protocol)
    });
    move || {
        suggested.get().map(|protocol| {
            let why = match protocol {
                Protocol::SocketIo => "The URL looks like a Socket.IO server's.",
                Protocol::Graphql => "The URL or the subprotocols look like GraphQL's.",
                Protocol::Mqtt => "The URL or the subprotocols look like an MQTT broker's.",
                Protocol::Stomp => "The URL or the subprotocols look like a STOMP broker's.",
                _ => "The subprotocols look like JSON-RPC's.",
            };
            view! {
                <p class="protocol-suggestion hint">
                    {why} " "
                    <button type="button" class="small" on:click=move |_| choose(editor, protocol)>
                        {format!("Use {protocol}")}
                    </button>
                </p>
            }
        })
    }
}
