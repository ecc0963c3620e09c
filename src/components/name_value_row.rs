//! One row of a name/value table. Query parameters, headers and variables share it; what
//! differs (names, which switches a row has) is passed in.

use leptos::prelude::*;

use crate::rows::{NameValue, RowEdit};

/// The words of one kind of row: its accessible names come from the UI contract.
#[derive(Clone, Copy)]
pub struct RowWords {
    pub class: &'static str,
    /// The name of the "send it" switch.
    pub send: &'static str,
    pub name: &'static str,
    pub value: &'static str,
    pub name_placeholder: &'static str,
    pub remove: &'static str,
    /// The secret switch: its accessible name, and a visible word beside it (or none).
    pub secret: &'static str,
    pub secret_word: Option<&'static str>,
    /// Hide the value while it is secret (variables hold the secrets themselves).
    pub mask_secret_value: bool,
}

#[component]
pub fn NameValueRow(
    words: RowWords,
    #[prop(into)] row: Signal<NameValue>,
    #[prop(into)] on_edit: Callback<RowEdit>,
    #[prop(into)] on_remove: Callback<()>,
) -> impl IntoView {
    let secret = move || row.with(|r| r.secret.unwrap_or(false));
    let secret_title = move || {
        if row.with(|r| r.secret_by_name) {
            "Its name looks like a credential, so it is kept out of share links and exports"
        } else {
            "Keep its value out of share links and exports unless asked"
        }
    };
    view! {
        <div class=words.class class:disabled=move || row.with(|r| r.enabled == Some(false))>
            <Show when=move || row.with(|r| r.enabled.is_some())>
                <input
                    type="checkbox"
                    aria-label=words.send
                    title=words.send
                    prop:checked=move || row.with(|r| r.enabled == Some(true))
                    on:change=move |ev| on_edit.run(RowEdit::Enabled(event_target_checked(&ev)))
                />
            </Show>
            <input
                type="text"
                class="row-name"
                aria-label=words.name
                placeholder=words.name_placeholder
                spellcheck="false"
                autocomplete="off"
                aria-invalid=move || row.with(|r| r.problem.is_some()).to_string()
                prop:value=move || row.with(|r| r.name.clone())
                on:input=move |ev| on_edit.run(RowEdit::Name(event_target_value(&ev)))
            />
            <input
                type=move || if words.mask_secret_value && secret() { "password" } else { "text" }
                class="row-value"
                aria-label=words.value
                placeholder="value"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || row.with(|r| r.value.clone())
                on:input=move |ev| on_edit.run(RowEdit::Value(event_target_value(&ev)))
            />
            <Show when=move || row.with(|r| r.secret.is_some())>
                <label class="toggle" title=secret_title>
                    <input
                        type="checkbox"
                        aria-label=words.secret
                        prop:checked=secret
                        disabled=move || row.with(|r| r.secret_by_name)
                        on:change=move |ev| on_edit.run(RowEdit::Secret(event_target_checked(&ev)))
                    />
                    {words.secret_word}
                </label>
            </Show>
            <button
                type="button"
                class="small icon"
                aria-label=words.remove
                title=words.remove
                on:click=move |_| on_remove.run(())
            >
                "\u{d7}"
            </button>
            <p
                class="hint error"
                role="alert"
                class:hidden=move || row.with(|r| r.problem.is_none())
            >
                {move || row.with(|r| r.problem.clone())}
            </p>
        </div>
    }
}
