//! JSON-RPC's controls: Call a method with the composer's message as its params, or as a
//! notification; with no method the message goes as a whole request or batch.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;

use crate::editor::use_editor;
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn JsonRpcControls() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let protocols = use_protocols();
    let open = move || session.state() == ConnectionState::Open;
    let hint = move || {
        protocols.error.get().map(|e| (e, true)).unwrap_or_else(|| {
            let whole = editor
                .protocol
                .with(|p| p.json_rpc.method.trim().is_empty());
            let text = if whole {
                "With no method, the message above is sent as it is: a request or a batch (an \
                 array); the page pairs each response with its request."
            } else {
                "The params are the message above: an array, an object, or nothing."
            };
            (text.to_string(), false)
        })
    };
    view! {
        <section class="panel protocol json-rpc" aria-labelledby="json-rpc-title">
            <h2 id="json-rpc-title">"JSON-RPC"</h2>
            <div class="protocol-fields">
                <label class="field">
                    <span class="field-label">"Method"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="subtract"
                        prop:value=move || editor.protocol.with(|p| p.json_rpc.method.clone())
                        on:input=move |ev| {
                            let method = event_target_value(&ev);
                            editor.protocol.update(|p| p.json_rpc.method = method);
                            protocols.error.set(None);
                        }
                    />
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || editor.protocol.with(|p| p.json_rpc.notification)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            editor.protocol.update(|p| p.json_rpc.notification = on);
                        }
                    />
                    "Notification"
                </label>
                <button
                    type="button"
                    class="send"
                    aria-describedby="call-hint"
                    disabled=move || !open()
                    on:click=move |_| protocols.call()
                >
                    "Call"
                </button>
            </div>
            <p id="call-hint" class="hint" class:error=move || hint().1>
                {move || hint().0}
            </p>
        </section>
    }
}
