//! The GraphQL operations sent on the connection, newest last: each with its id, kind, name,
//! state and results, and Stop while it runs. Rows stay put while results stream in (a Stop
//! pressed mid-stream is not lost to a rebuilt row).

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::plural;
use wsprobe_core::protocol::graphql::{Operation, OperationState};
use wsprobe_core::protocol::note::format_ms;

use crate::components::subscriptions_list::{RowItem, SubscriptionsList, keys_of};
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn GraphqlOperations() -> impl IntoView {
    let protocols = use_protocols();
    let keys = keys_of(protocols.operations, |o| o.seq);
    view! { <SubscriptionsList keys row=|seq| view! { <OperationRow seq /> }.into_any() /> }
}

/// One operation's row, read from the list by its `seq` as it changes.
#[component]
fn OperationRow(seq: u64) -> impl IntoView {
    let protocols = use_protocols();
    let session = use_session();
    let operation = RowItem::new(protocols.operations, seq, |o| o.seq);
    let read = move |f: fn(&Operation) -> String| operation.text(f);
    let failed = operation.text(|o| match &o.state {
        OperationState::Failed(why) => why.clone(),
        _ => String::new(),
    });
    let has_failed = operation.is(|o| matches!(o.state, OperationState::Failed(_)));
    let running = operation.is(|o| o.state.is_running());
    let open = move || session.state() == ConnectionState::Open;
    let stop = move |_| {
        if let Some(id) = operation.now(|o| o.id.clone()) {
            protocols.stop_operation(&id);
        }
    };
    view! {
        <li class="operation" class:failed=has_failed>
            <span class="operation-id">{read(|o| format!("#{}", o.id))}</span>
            <span class="operation-name">
                {read(|o| {
                    format!("{} {}", o.kind.map(|k| k.word()).unwrap_or("operation"), o.name)
                })}
            </span>
            <span class="operation-state">{read(|o| o.state.word().to_string())}</span>
            <span class="operation-results">
                {read(|o| {
                    let first = o
                        .first_answer_ms
                        .map(|ms| format!(", first in {}", format_ms(ms)))
                        .unwrap_or_default();
                    format!("{}{first}", plural(o.results as usize, "result"))
                })}
            </span>
            <Show when=has_failed>
                <span class="operation-error">{failed}</span>
            </Show>
            <Show when=running>
                <button type="button" class="small" disabled=move || !open() on:click=stop>
                    "Stop"
                </button>
            </Show>
        </li>
    }
}
