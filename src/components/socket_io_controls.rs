//! Socket.IO's controls: the release and namespaces to join with their auth payload, and
//! Emit: an event whose arguments are the composer's message, with or without an
//! acknowledgement.

use leptos::prelude::*;
use wsprobe_core::protocol::settings::{SocketIoRelease, SocketIoSettings};

use crate::components::protocol_action::ProtocolAction;
use crate::editor::use_editor;
use crate::protocols::use_protocols;

#[component]
pub fn SocketIoControls() -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
    let edit = move |change: fn(&mut SocketIoSettings, String), ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        editor.protocol.update(|p| change(&mut p.socket_io, value));
        protocols.error.set(None);
    };
    let field = move |read: fn(&SocketIoSettings) -> String| {
        move || editor.protocol.with(|p| read(&p.socket_io))
    };
    let auth_problem = move || editor.protocol.with(|p| p.socket_io.auth_value().err());
    let hint = move || {
        protocols.error.get().map(|e| (e, true)).unwrap_or_else(|| {
            let namespace = editor.protocol.with(|p| p.socket_io.first_namespace());
            (
                format!(
                    "The arguments are the message above, a JSON array ({{\"$base64\": \u{2026}}} \
                     sends bytes); Emit sends them on {namespace}."
                ),
                false,
            )
        })
    };
    view! {
        <section class="panel protocol socket-io" aria-labelledby="socket-io-title">
            <div class="panel-head">
                <h2 id="socket-io-title">"Socket.IO"</h2>
                <label class="inline">
                    "Version "
                    <select
                        prop:value=move || editor.protocol.with(|p| p.socket_io.release.label())
                        on:change=move |ev| {
                            if let Some(r) = SocketIoRelease::from_label(&event_target_value(&ev)) {
                                editor.protocol.update(|p| p.socket_io.release = r);
                                editor.dial_socket_io();
                            }
                        }
                    >
                        {SocketIoRelease::ALL
                            .into_iter()
                            .map(|r| view! { <option value=r.label()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="protocol-fields">
                <label class="field">
                    <span class="field-label">"Namespace"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="/, /admin"
                        prop:value=field(|s| s.namespaces.clone())
                        on:input=move |ev| edit(|s, v| s.namespaces = v, ev)
                    />
                </label>
                <label class="field">
                    <span class="field-label">"Auth payload"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="{\"token\": \"{{token}}\"}"
                        aria-invalid=move || auth_problem().is_some().to_string()
                        aria-describedby="auth-hint"
                        prop:value=field(|s| s.auth.clone())
                        on:input=move |ev| edit(|s, v| s.auth = v, ev)
                    />
                </label>
            </div>
            <p id="auth-hint" class="hint error">
                {auth_problem}
            </p>
            <ProtocolAction
                label="Event"
                placeholder="chat"
                value=Signal::derive(field(|s| s.event.clone()))
                on_input=Callback::new(move |event| {
                    editor.protocol.update(|p| p.socket_io.event = event);
                    protocols.error.set(None);
                })
                check="Acknowledgement"
                checked=Signal::derive(move || editor.protocol.with(|p| p.socket_io.ack))
                on_check=Callback::new(move |on| editor.protocol.update(|p| p.socket_io.ack = on))
                button="Emit"
                on_press=Callback::new(move |()| protocols.emit())
                hint=Signal::derive(hint)
                hint_id="emit-hint"
            />
        </section>
    }
}
