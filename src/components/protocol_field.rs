//! A protocol's text setting as a labelled field (an event, a method, a variables object).

use leptos::prelude::*;

#[component]
pub fn ProtocolField(
    label: &'static str,
    placeholder: &'static str,
    value: Signal<String>,
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                type="text"
                spellcheck="false"
                autocomplete="off"
                placeholder=placeholder
                prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        </label>
    }
}
