use crate::components::protocol_choice::{ProtocolChoice, ProtocolSuggestion};
use crate::editor::use_editor;
use crate::session::use_session;
use leptos::prelude::*;
use wsprobe_core::protocol::settings::Protocol;
use wsprobe_core::subprotocols;

#[component]
pub fn RequestBar() -> impl IntoView {
    let session = use_session();
    let editor = use_editor();
    let live = move || session.state().is_live();
    let invalid = move || editor.request_error.with(Option::is_some).to_string();
    let clear_error = move |_| editor.request_error.set(None);
    // Flagged as typed, before Connect is pressed.
    let protocol_error = move || {
        editor
            .subprotocols
            .with(|s| subprotocols::parse(s).err().map(|e| e.to_string()))
    };
    view! {
        <form
            class="request-bar"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                session.toggle();
            }
        >
            <label class="field field-url">
                <span class="field-label">"URL"</span>
                <input
                    type="text"
                    inputmode="url"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="wss://example.com/socket"
                    aria-invalid=invalid
                    aria-describedby="request-error"
                    prop:value=move || editor.url.get()
                    on:input=move |ev| editor.edit_url(event_target_value(&ev))
                    // Once typed (not at each key), a Socket.IO URL gets its path and transport.
                    on:change=move |_| {
                        if editor.protocol.with_untracked(|p| p.protocol == Protocol::SocketIo) {
                            editor.dial_socket_io();
                        }
                    }
                />
            </label>
            <label class="field field-protocols">
                <span class="field-label">"Subprotocols"</span>
                <input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="chat, json"
                    aria-invalid=move || protocol_error().is_some().to_string()
                    aria-describedby="protocol-error"
                    bind:value=editor.subprotocols
                    on:input=clear_error
                />
            </label>
            <ProtocolChoice />
            <button type="submit" class="connect" class:live=live>
                {move || if live() { "Disconnect" } else { "Connect" }}
            </button>
        </form>
        <p id="request-error" class="request-error" role="alert">
            {move || editor.request_error.get()}
        </p>
        <ProtocolSuggestion />
        <p id="protocol-error" class="request-error" role="alert">
            {move || {
                if editor.request_error.with(Option::is_none) { protocol_error() } else { None }
            }}
        </p>
    }
}
