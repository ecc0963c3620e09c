//! MQTT's controls: the version and what CONNECT carries (client id, clean start, keep alive,
//! user name and password, a will), then what to subscribe and publish to. The message above
//! is the payload; the Subscriptions list follows.

use leptos::prelude::*;
use wsprobe_core::protocol::mqtt::packet::MqttVersion;
use wsprobe_core::protocol::settings::ProtocolSettings;

use crate::components::mqtt_publish::MqttPublish;
use crate::components::mqtt_subscriptions::MqttSubscriptions;
use crate::components::protocol_field::{
    SecretField, SettingCheck, SettingField, SettingNumber, read_setting,
};
use crate::editor::use_editor;

#[component]
pub fn MqttControls() -> impl IntoView {
    let editor = use_editor();
    view! {
        <section class="panel protocol mqtt" aria-labelledby="mqtt-title">
            <h2 id="mqtt-title">"MQTT"</h2>
            <div class="protocol-fields">
                <label class="field">
                    <span class="field-label">"MQTT version"</span>
                    <select
                        prop:value=move || editor.protocol.with(|p| p.mqtt.connect.version.label())
                        on:change=move |ev| {
                            if let Some(v) = MqttVersion::from_label(&event_target_value(&ev)) {
                                editor.protocol.update(|p| p.mqtt.connect.version = v);
                            }
                        }
                    >
                        {MqttVersion::ALL
                            .into_iter()
                            .map(|v| view! { <option value=v.label()>{v.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <SettingField
                    label="Client ID"
                    placeholder="chosen by the broker"
                    value=|p| &mut p.mqtt.connect.client_id
                />
                <SettingNumber
                    label="Keep alive (s)"
                    step="1"
                    value=|p| &mut p.mqtt.connect.keep_alive
                />
                <SettingCheck label="Clean start" value=|p| &mut p.mqtt.connect.clean_start />
            </div>
            <div class="protocol-fields">
                <SettingField
                    label="User name"
                    placeholder=""
                    value=|p| &mut p.mqtt.connect.username
                />
                <SecretField
                    label="Password"
                    placeholder="{{password}}"
                    value=|p| &mut p.mqtt.connect.password
                />
            </div>
            <details class="mqtt-will">
                <summary>"Will"</summary>
                <div class="protocol-fields">
                    <SettingField
                        label="Will topic"
                        placeholder="clients/probe/status"
                        value=|p| &mut p.mqtt.connect.will_topic
                    />
                    <SettingField
                        label="Will message"
                        placeholder="offline"
                        value=|p| &mut p.mqtt.connect.will_payload
                    />
                    <MqttQos label="Will QoS" value=|p| &mut p.mqtt.connect.will_qos />
                    <SettingCheck
                        label="Retain the will"
                        value=|p| &mut p.mqtt.connect.will_retain
                    />
                </div>
            </details>
            <MqttPublish />
            <MqttSubscriptions />
        </section>
    }
}

/// A QoS choice: 0, 1 or 2.
#[component]
pub fn MqttQos(label: &'static str, value: fn(&mut ProtocolSettings) -> &mut u8) -> impl IntoView {
    let editor = use_editor();
    view! {
        <label class="field field-narrow">
            <span class="field-label">{label}</span>
            <select
                prop:value=read_setting(value, |qos| qos.to_string())
                on:change=move |ev| {
                    if let Ok(qos) = event_target_value(&ev).parse::<u8>() {
                        editor.protocol.update(|p| *value(p) = qos.min(2));
                    }
                }
            >
                <option value="0">"0"</option>
                <option value="1">"1"</option>
                <option value="2">"2"</option>
            </select>
        </label>
    }
}
