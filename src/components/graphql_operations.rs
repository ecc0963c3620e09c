//! The GraphQL operations sent on the connection, newest last: each with its id, kind, name,
//! state and results, and Stop while it runs. Rows stay put while results stream in (a Stop
//! pressed mid-stream is not lost to a rebuilt row).

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::plural;
use wsprobe_core::protocol::graphql::{Operation, OperationState};
use wsprobe_core::protocol::note::format_ms;

use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn GraphqlOperations() -> impl IntoView {
    let protocols = use_protocols();
    view! {
        <Show when=move || protocols.operations.with(|o| !o.is_empty())>
            <ul class="operations" aria-label="Subscriptions">
                <For
                    each=move || {
                        protocols.operations.with(|o| o.iter().map(|o| o.seq).collect::<Vec<_>>())
                    }
                    key=|seq| *seq
                    children=move |seq| view! { <OperationRow seq /> }
                />
            </ul>
        </Show>
    }
}

/// One operation's row, read from the list by its `seq` as it changes.
#[component]
fn OperationRow(seq: u64) -> impl IntoView {
    let protocols = use_protocols();
    let session = use_session();
    let operation = Memo::new(move |_| {
        protocols
            .operations
            .with(|o| o.iter().find(|o| o.seq == seq).cloned())
    });
    let read = move |f: fn(&Operation) -> String| {
        move || operation.with(|o| o.as_ref().map(f).unwrap_or_default())
    };
    let failed = move || {
        operation.with(|o| {
            o.as_ref().and_then(|o| match &o.state {
                OperationState::Failed(why) => Some(why.clone()),
                _ => None,
            })
        })
    };
    let running = move || operation.with(|o| o.as_ref().is_some_and(|o| o.state.is_running()));
    let open = move || session.state() == ConnectionState::Open;
    let stop = move |_| {
        if let Some(id) = operation.with_untracked(|o| o.as_ref().map(|o| o.id.clone())) {
            protocols.stop_operation(&id);
        }
    };
    view! {
        <li class="operation" class:failed=move || failed().is_some()>
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
            {move || failed().map(|why| view! { <span class="operation-error">{why}</span> })}
            <Show when=running>
                <button type="button" class="small" disabled=move || !open() on:click=stop>
                    "Stop"
                </button>
            </Show>
        </li>
    }
}
