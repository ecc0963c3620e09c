//! STOMP's subscriptions on this connection: each with its destination, ack mode, state and
//! messages, ACK and NACK for those waiting, and Unsubscribe.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::plural;
use wsprobe_core::protocol::stomp::client::{Subscription, SubscriptionState, unacked_shown};

use crate::components::subscriptions_list::{RowItem, SubscriptionsList, keys_of};
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn StompSubscriptions() -> impl IntoView {
    let protocols = use_protocols();
    let keys = keys_of(protocols.stomp_subscriptions, |s| s.key);
    view! { <SubscriptionsList keys row=|key| view! { <SubscriptionRow key /> }.into_any() /> }
}

/// One subscription's row, read from the list by its key as it changes.
#[component]
fn SubscriptionRow(key: u64) -> impl IntoView {
    let protocols = use_protocols();
    let session = use_session();
    let subscription = RowItem::new(protocols.stomp_subscriptions, key, |s| s.key);
    let read = move |f: fn(&Subscription) -> String| subscription.text(f);
    let is = move |f: fn(&Subscription) -> bool| subscription.is(f);
    let refused = is(|s| matches!(s.state, SubscriptionState::Refused(_)));
    let active = is(|s| {
        matches!(
            s.state,
            SubscriptionState::Active | SubscriptionState::Confirmed
        )
    });
    let waiting = is(|s| !s.unacked.is_empty());
    let open = move || session.state() == ConnectionState::Open;
    view! {
        <li class="operation" class:failed=refused>
            <span class="operation-id">{read(|s| s.id.clone())}</span>
            <span class="operation-name">{read(|s| s.destination.clone())}</span>
            <span class="operation-state">{read(|s| s.state.shown())}</span>
            <span class="operation-results">
                {read(|s| {
                    format!(
                        "ack {} \u{b7} {}",
                        s.ack.label(),
                        plural(s.messages as usize, "message"),
                    )
                })} <Show when=waiting>{" \u{b7} "}{read(unacked_shown)}</Show>
            </span>
            <span class="operation-actions">
                <Show when=waiting>
                    <button
                        type="button"
                        class="small"
                        disabled=move || !open()
                        on:click=move |_| protocols.stomp_acknowledge(key, true)
                    >
                        "ACK"
                    </button>
                    <button
                        type="button"
                        class="small"
                        disabled=move || !open()
                        on:click=move |_| protocols.stomp_acknowledge(key, false)
                    >
                        "NACK"
                    </button>
                </Show>
                <Show when=active>
                    <button
                        type="button"
                        class="small"
                        disabled=move || !open()
                        on:click=move |_| protocols.stomp_unsubscribe(key)
                    >
                        "Unsubscribe"
                    </button>
                </Show>
            </span>
        </li>
    }
}
