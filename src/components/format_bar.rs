//! The composer's head: the message format, and Pretty and Minify for JSON.

use leptos::prelude::*;
use wsprobe_core::compose::{self, Format};

use crate::editor::use_editor;
use crate::sending::use_sending;

#[component]
pub fn FormatBar() -> impl IntoView {
    let sending = use_sending();
    let editor = use_editor();
    let reformat = move |change: fn(&str) -> Result<String, compose::ComposeError>| match editor
        .message
        .with_untracked(|text| change(text))
    {
        Ok(text) => editor.message.set(text),
        Err(why) => sending.error.set(Some(why.to_string())),
    };
    view! {
        <Show when=move || editor.format.get() == Format::Json>
            <button
                type="button"
                class="small"
                aria-label="Pretty-print JSON"
                on:click=move |_| reformat(compose::pretty_json)
            >
                "Pretty"
            </button>
            <button
                type="button"
                class="small"
                aria-label="Minify JSON"
                on:click=move |_| reformat(compose::minify_json)
            >
                "Minify"
            </button>
        </Show>
        <select
            class="format"
            aria-label="Message format"
            on:change=move |ev| {
                editor.format.set(Format::from_label(&event_target_value(&ev)).unwrap_or_default());
                sending.error.set(None);
            }
        >
            {Format::ALL
                .map(|f| {
                    view! {
                        <option value=f.label() selected=move || editor.format.get() == f>
                            {f.label()}
                        </option>
                    }
                })}
        </select>
    }
}
