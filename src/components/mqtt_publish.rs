//! What MQTT subscribes and publishes to: the Topic (a filter for Subscribe), QoS, Retain and
//! MQTT 5's user properties, with Subscribe and Publish; the payload is the message above.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::protocol::mqtt::packet::MqttVersion;

use crate::components::mqtt_controls::MqttQos;
use crate::components::protocol_field::{SettingCheck, SettingField};
use crate::editor::use_editor;
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn MqttPublish() -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
    let session = use_session();
    let open = move || session.state() == ConnectionState::Open;
    let v5 = move || {
        editor
            .protocol
            .with(|p| p.mqtt.connect.version == MqttVersion::V5)
    };
    let hint = move || {
        protocols.error.get().map(|e| (e, true)).unwrap_or_else(|| {
            (
                "Subscribe takes Topic as a filter (+ one level, # the rest); Publish sends the \
                 message above to it."
                    .to_string(),
                false,
            )
        })
    };
    view! {
        <div class="protocol-fields">
            <SettingField
                label="Topic"
                placeholder="sensors/+/temperature"
                value=|p| &mut p.mqtt.topic
            />
            <MqttQos label="QoS" value=|p| &mut p.mqtt.qos />
            <SettingCheck label="Retain" value=|p| &mut p.mqtt.retain />
        </div>
        <Show when=v5>
            <div class="protocol-fields">
                <SettingField
                    label="User properties"
                    placeholder="source=wsprobe, trace=1"
                    value=|p| &mut p.mqtt.user_properties
                />
            </div>
        </Show>
        <div class="protocol-fields">
            <button
                type="button"
                class="send"
                aria-describedby="mqtt-hint"
                disabled=move || !open()
                on:click=move |_| protocols.mqtt_subscribe()
            >
                "Subscribe"
            </button>
            <button
                type="button"
                class="send"
                aria-describedby="mqtt-hint"
                disabled=move || !open()
                on:click=move |_| protocols.mqtt_publish()
            >
                "Publish"
            </button>
        </div>
        <p id="mqtt-hint" class="hint" class:error=move || hint().1>
            {move || hint().0}
        </p>
    }
}
