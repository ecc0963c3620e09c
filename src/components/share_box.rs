//! The request as a link: copied in one click, shown for reading, secrets left out by default.

use leptos::prelude::*;
use wsprobe_core::payload::format_count;

use crate::editor::use_editor;
use crate::glue::clipboard;
use crate::lazy::{Loaded, split_point};
use crate::sharing::use_sharing;

#[component]
pub fn ShareBox() -> impl IntoView {
    let sharing = use_sharing();
    sharing.follow_edits();
    let editor = use_editor();
    let status = RwSignal::new(None::<(String, bool)>);
    let secret_names = move || {
        editor.params.with(|rows| {
            let names: Vec<&str> = rows
                .iter()
                .map(|row| &row.value)
                .filter(|p| p.is_secret() && !p.value.is_empty())
                .map(|p| p.name.as_str())
                .collect();
            names.join(", ")
        })
    };
    let copy = move |_| {
        let link = sharing.refresh();
        leptos::task::spawn_local(async move {
            let said = clipboard::copy_and_say(
                &link,
                "Share link copied.",
                "select the link below and copy it",
            );
            status.set(Some(said.await));
        });
    };
    view! {
        <div class="share-box">
            <button type="button" on:click=copy>
                "Copy share link"
            </button>
            <input
                type="text"
                class="share-link"
                readonly
                aria-label="Share link"
                prop:value=move || sharing.link.get()
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    {
                        input.select();
                    }
                }
            />
            <Show when=move || !secret_names().is_empty()>
                <label class="toggle secret-choice">
                    <input type="checkbox" bind:checked=sharing.include_secrets />
                    {move || format!("Include secret values ({})", secret_names())}
                </label>
            </Show>
            <p class="hint">
                {move || {
                    format!("{} characters", format_count(sharing.link.with(String::len) as u64))
                }}
            </p>
            <p
                class="hint"
                class:error=move || status.with(|s| s.as_ref().is_some_and(|s| s.1))
                role="status"
            >
                {move || status.get().map(|s| s.0)}
            </p>
        </div>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn share_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <ShareBox /> }.into_any())
    }
}
