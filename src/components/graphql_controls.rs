//! GraphQL's controls: which of its two protocols to speak, the payload sent with
//! connection_init, and Subscribe: the composer's message as the operation, with its variables
//! and name. The operations sent are listed below them.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::protocol::graphql::Dialect;
use wsprobe_core::subprotocols::on_choosing;

use crate::components::graphql_operations::GraphqlOperations;
use crate::components::protocol_field::SettingField;
use crate::editor::use_editor;
use crate::protocols::use_protocols;
use crate::session::use_session;

#[component]
pub fn GraphqlControls() -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
    let session = use_session();
    let choose = move |dialect: Dialect| {
        editor.protocol.update(|p| p.graphql.dialect = dialect);
        let asked = editor
            .subprotocols
            .with_untracked(|s| on_choosing(s, dialect.subprotocol()));
        if let Some(asked) = asked {
            editor.subprotocols.set(asked);
        }
    };
    let hint = move || {
        protocols.error.get().map(|e| (e, true)).unwrap_or_else(|| {
            (
                "The operation is the message above: a query or mutation is answered once, a \
                 subscription until it completes or you stop it."
                    .to_string(),
                false,
            )
        })
    };
    let open = move || session.state() == ConnectionState::Open;
    view! {
        <section class="panel protocol graphql" aria-labelledby="graphql-title">
            <h2 id="graphql-title">"GraphQL"</h2>
            <div class="protocol-fields">
                <label class="field">
                    <span class="field-label">"GraphQL protocol"</span>
                    <select
                        prop:value=move || editor.protocol.with(|p| p.graphql.dialect.label())
                        on:change=move |ev| {
                            if let Some(d) = Dialect::from_label(&event_target_value(&ev)) {
                                choose(d);
                            }
                        }
                    >
                        {Dialect::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.label()>{d.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <SettingField
                    label="Connection payload"
                    placeholder="{\"token\": \"{{token}}\"}"
                    value=|p| &mut p.graphql.init_payload
                />
                <SettingField
                    label="Variables"
                    placeholder="{\"count\": 3}"
                    value=|p| &mut p.graphql.variables
                />
                <SettingField
                    label="Operation name"
                    placeholder="OnMessage"
                    value=|p| &mut p.graphql.operation_name
                />
                <button
                    type="button"
                    class="send"
                    aria-describedby="subscribe-hint"
                    disabled=move || !open()
                    on:click=move |_| protocols.subscribe()
                >
                    "Subscribe"
                </button>
            </div>
            <p id="subscribe-hint" class="hint" class:error=move || hint().1>
                {move || hint().0}
            </p>
            <GraphqlOperations />
        </section>
    }
}
