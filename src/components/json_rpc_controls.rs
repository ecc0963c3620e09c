//! JSON-RPC's controls: Call a method with the composer's message as its params, or as a
//! notification; with no method the message goes as a whole request or batch.

use leptos::prelude::*;

use crate::components::protocol_action::ProtocolAction;
use crate::editor::use_editor;
use crate::protocols::use_protocols;

#[component]
pub fn JsonRpcControls() -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
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
            <ProtocolAction
                label="Method"
                placeholder="subtract"
                value=Signal::derive(move || editor.protocol.with(|p| p.json_rpc.method.clone()))
                on_input=Callback::new(move |method| {
                    editor.protocol.update(|p| p.json_rpc.method = method);
                    protocols.error.set(None);
                })
                check="Notification"
                checked=Signal::derive(move || editor.protocol.with(|p| p.json_rpc.notification))
                on_check=Callback::new(move |on| {
                    editor.protocol.update(|p| p.json_rpc.notification = on)
                })
                button="Call"
                on_press=Callback::new(move |()| protocols.call())
                hint=Signal::derive(hint)
                hint_id="call-hint"
            />
        </section>
    }
}
