//! A protocol's text setting as a labelled field (an event, a method, a variables object).

use leptos::prelude::*;
use wsprobe_core::protocol::settings::ProtocolSettings;

use crate::editor::use_editor;
use crate::protocols::use_protocols;

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

/// One of the request's protocol settings (`value` says where it is kept) as a field; typing in
/// it clears the reason the last action was refused.
#[component]
pub fn SettingField(
    label: &'static str,
    placeholder: &'static str,
    value: fn(&mut ProtocolSettings) -> &mut String,
) -> impl IntoView {
    let editor = use_editor();
    let protocols = use_protocols();
    let read = move || {
        let mut settings = editor.protocol.get();
        std::mem::take(value(&mut settings))
    };
    view! {
        <ProtocolField
            label
            placeholder
            value=Signal::derive(read)
            on_input=Callback::new(move |typed| {
                editor.protocol.update(|p| *value(p) = typed);
                protocols.error.set(None);
            })
        />
    }
}
