//! A protocol's text setting as a labelled field (an event, a method, a variables object),
//! a secret one as a password field, a number, and a switch as a checkbox.

use std::fmt::Display;
use std::str::FromStr;

use leptos::prelude::*;
use web_sys::HtmlInputElement;
use wsprobe_core::protocol::settings::ProtocolSettings;

use crate::editor::use_editor;
use crate::protocols::use_protocols;

/// What the setting `value` points at, as `show` makes it: tracked, for a field to read.
pub fn read_setting<T: 'static, R: 'static>(
    value: fn(&mut ProtocolSettings) -> &mut T,
    show: fn(&mut T) -> R,
) -> impl Fn() -> R + Copy + Send + Sync + 'static {
    let editor = use_editor();
    move || show(value(&mut editor.protocol.get()))
}

#[component]
pub fn ProtocolField(
    label: &'static str,
    placeholder: &'static str,
    value: Signal<String>,
    on_input: Callback<String>,
    /// The input's type: "password" for a secret.
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                type=kind
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
    view! {
        <ProtocolField
            label
            placeholder
            value=Signal::derive(read_setting(value, std::mem::take))
            on_input=Callback::new(move |typed| {
                editor.protocol.update(|p| *value(p) = typed);
                protocols.error.set(None);
            })
        />
    }
}

/// One of the request's protocol switches (`value` says where it is kept) as a checkbox.
#[component]
pub fn SettingCheck(
    label: &'static str,
    value: fn(&mut ProtocolSettings) -> &mut bool,
) -> impl IntoView {
    let editor = use_editor();
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=read_setting(value, |on| *on)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    editor.protocol.update(|p| *value(p) = on);
                }
            />
            {label}
        </label>
    }
}

/// A secret setting (a password) as a password field: kept out of share links made without
/// secrets, never shown as text.
#[component]
pub fn SecretField(
    label: &'static str,
    placeholder: &'static str,
    value: fn(&mut ProtocolSettings) -> &mut String,
) -> impl IntoView {
    let editor = use_editor();
    view! {
        <ProtocolField
            label
            placeholder
            kind="password"
            value=Signal::derive(read_setting(value, std::mem::take))
            on_input=Callback::new(move |typed| editor.protocol.update(|p| *value(p) = typed))
        />
    }
}

/// A whole number setting (`value` says where it is kept), from 0 to what `T` holds; what is
/// not such a number is put back to the value kept, so the field never shows what is not used.
#[component]
pub fn SettingNumber<T>(
    label: &'static str,
    /// The spinner's step.
    step: &'static str,
    value: fn(&mut ProtocolSettings) -> &mut T,
) -> impl IntoView
where
    T: FromStr + Display + Copy + Send + Sync + 'static,
{
    let editor = use_editor();
    let read = read_setting(value, |number| number.to_string());
    view! {
        <label class="field field-narrow">
            <span class="field-label">{label}</span>
            <input
                type="number"
                min="0"
                step=step
                prop:value=read
                on:change=move |ev| {
                    match event_target_value(&ev).trim().parse::<T>() {
                        Ok(number) => editor.protocol.update(|p| *value(p) = number),
                        Err(_) => {
                            let kept = untrack(read);
                            event_target::<HtmlInputElement>(&ev).set_value(&kept);
                        }
                    }
                }
            />
        </label>
    }
}
