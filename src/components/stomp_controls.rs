//! STOMP's controls: what CONNECT carries (login, passcode, virtual host, heart-beats), then
//! what to subscribe and send to. The message above is the body; the Subscriptions list
//! follows.

use leptos::prelude::*;

use crate::components::protocol_field::{SecretField, SettingField, SettingNumber};
use crate::components::stomp_send::StompSend;
use crate::components::stomp_subscriptions::StompSubscriptions;

#[component]
pub fn StompControls() -> impl IntoView {
    view! {
        <section class="panel protocol stomp" aria-labelledby="stomp-title">
            <h2 id="stomp-title">"STOMP"</h2>
            <div class="protocol-fields">
                <SettingField label="Login" placeholder="" value=|p| &mut p.stomp.connect.login />
                <SecretField
                    label="Passcode"
                    placeholder="{{passcode}}"
                    value=|p| &mut p.stomp.connect.passcode
                />
                <SettingField
                    label="Virtual host"
                    placeholder="/ (none sent when empty)"
                    value=|p| &mut p.stomp.connect.host
                />
            </div>
            <div class="protocol-fields">
                <SettingNumber
                    label="Heart-beat out (ms)"
                    step="1000"
                    value=|p| &mut p.stomp.connect.heart_beat_out_ms
                />
                <SettingNumber
                    label="Heart-beat in (ms)"
                    step="1000"
                    value=|p| &mut p.stomp.connect.heart_beat_in_ms
                />
            </div>
            <StompSend />
            <StompSubscriptions />
        </section>
    }
}
