//! MQTT's topic filters on this connection: each with what the broker granted, how many
//! messages matched it, and Unsubscribe.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::plural;
use wsprobe_core::protocol::mqtt::client::{Subscription, SubscriptionState};

use crate::components::subscriptions_list::{RowItem, SubscriptionsList, keys_of};
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn MqttSubscriptions() -> impl IntoView {
    let protocols = use_protocols();
    let keys = keys_of(protocols.mqtt_subscriptions, |s| s.key);
    view! { <SubscriptionsList keys row=|key| view! { <SubscriptionRow key /> }.into_any() /> }
}

/// One filter's row, read from the list by its key as it changes.
#[component]
fn SubscriptionRow(key: u64) -> impl IntoView {
    let protocols = use_protocols();
    let session = use_session();
    let subscription = RowItem::new(protocols.mqtt_subscriptions, key, |s| s.key);
    let read = move |f: fn(&Subscription) -> String| subscription.text(f);
    let refused = subscription.is(|s| matches!(s.state, SubscriptionState::Refused(_)));
    let granted = subscription.is(|s| matches!(s.state, SubscriptionState::Granted(_)));
    let open = move || session.state() == ConnectionState::Open;
    let unsubscribe = move |_| {
        if let Some(filter) = subscription.now(|s| s.filter.clone()) {
            protocols.mqtt_unsubscribe(&filter);
        }
    };
    view! {
        <li class="operation" class:failed=refused>
            <span class="operation-id">{read(|s| format!("QoS {}", s.qos))}</span>
            <span class="operation-name">{read(|s| s.filter.clone())}</span>
            <span class="operation-state">{read(|s| s.state.shown())}</span>
            <span class="operation-results">
                {read(|s| plural(s.messages as usize, "message"))}
            </span>
            <Show when=granted>
                <button type="button" class="small" disabled=move || !open() on:click=unsubscribe>
                    "Unsubscribe"
                </button>
            </Show>
        </li>
    }
}
