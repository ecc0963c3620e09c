//! Where STOMP subscribes and sends: the Destination, the ack mode of Subscribe, Send's extra
//! headers and whether each frame asks for a receipt; the body is the message above.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::protocol::stomp::client::AckMode;

use crate::components::protocol_field::{SettingCheck, SettingField};
use crate::editor::use_editor;
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn StompSend() -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
    let session = use_session();
    let open = move || session.state() == ConnectionState::Open;
    let hint = move || {
        protocols.error.get().map(|e| (e, true)).unwrap_or_else(|| {
            (
                "Subscribe listens at Destination; Send to destination sends the message above \
                 there, with Headers (one name: value per line)."
                    .to_string(),
                false,
            )
        })
    };
    view! {
        <div class="protocol-fields">
            <SettingField
                label="Destination"
                placeholder="/queue/orders"
                value=|p| &mut p.stomp.destination
            />
            <label class="field field-narrow">
                <span class="field-label">"Ack mode"</span>
                <select
                    prop:value=move || editor.protocol.with(|p| p.stomp.ack.label())
                    on:change=move |ev| {
                        if let Some(mode) = AckMode::from_label(&event_target_value(&ev)) {
                            editor.protocol.update(|p| p.stomp.ack = mode);
                        }
                    }
                >
                    {AckMode::ALL
                        .into_iter()
                        .map(|m| view! { <option value=m.label()>{m.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <SettingCheck label="Ask for receipts" value=|p| &mut p.stomp.receipts />
        </div>
        <label class="field">
            <span class="field-label">"Headers"</span>
            <textarea
                class="stomp-headers"
                rows="2"
                spellcheck="false"
                placeholder="priority: 5"
                prop:value=move || editor.protocol.with(|p| p.stomp.headers.clone())
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    editor.protocol.update(|p| p.stomp.headers = typed);
                    protocols.error.set(None);
                }
            ></textarea>
        </label>
        <div class="protocol-fields">
            <button
                type="button"
                class="send"
                aria-describedby="stomp-hint"
                disabled=move || !open()
                on:click=move |_| protocols.stomp_subscribe()
            >
                "Subscribe"
            </button>
            <button
                type="button"
                class="send"
                aria-describedby="stomp-hint"
                disabled=move || !open()
                on:click=move |_| protocols.stomp_send()
            >
                "Send to destination"
            </button>
        </div>
        <p id="stomp-hint" class="hint" class:error=move || hint().1>
            {move || hint().0}
        </p>
    }
}
