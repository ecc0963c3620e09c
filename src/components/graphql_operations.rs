//! The GraphQL operations sent on the connection, newest last: each with its id, kind, name,
//! state and results, and Stop while it runs.

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
    let session = use_session();
    let open = move || session.state() == ConnectionState::Open;
    let rows = move || protocols.operations.get();
    view! {
        <Show when=move || protocols.operations.with(|o| !o.is_empty())>
            <ul class="operations" aria-label="Subscriptions">
                <For
                    each=rows
                    key=|o| (o.id.clone(), o.state.word(), o.results)
                    children=move |operation: Operation| {
                        let Operation { id, name, kind, state, results, first_answer_ms, .. } = operation;
                        let running = state.is_running();
                        let kind = kind.map(|k| k.word()).unwrap_or("operation");
                        let why = match &state {
                            OperationState::Failed(why) => Some(why.clone()),
                            _ => None,
                        };
                        let first = first_answer_ms
                            .map(|ms| format!(", first in {}", format_ms(ms)))
                            .unwrap_or_default();
                        let stop_id = id.clone();
                        let failed = why.is_some();
                        view! {
                            <li class="operation" class:failed=failed>
                                <span class="operation-id">{format!("#{id}")}</span>
                                <span class="operation-name">{format!("{kind} {name}")}</span>
                                <span class="operation-state">{state.word()}</span>
                                <span class="operation-results">
                                    {format!("{}{first}", plural(results as usize, "result"))}
                                </span>
                                {why
                                    .map(|why| {
                                        view! { <span class="operation-error">{why}</span> }
                                    })}
                                {running
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="small"
                                                disabled=move || !open()
                                                on:click=move |_| protocols.stop_operation(&stop_id)
                                            >
                                                "Stop"
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
    }
}
