//! Message templates kept with the request: load one into the composer or send it at once.

use leptos::prelude::*;
use wsprobe_core::request::Template;

use crate::components::template_row::TemplateRow;
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::sending::use_sending;

#[component]
pub fn Templates() -> impl IntoView {
    let sending = use_sending();
    let editor = use_editor();
    let name = RwSignal::new(String::new());
    let add = move || {
        let wanted = name.get_untracked().trim().to_string();
        if wanted.is_empty() {
            return sending.error.set(Some("Give the template a name.".into()));
        }
        let template = Template {
            name: wanted,
            format: editor.format.get_untracked(),
            text: editor.message.get_untracked(),
        };
        editor.templates.push(template);
        name.set(String::new());
    };
    view! {
        <div class="templates">
            <h3>"Templates"</h3>
            <ul class="template-list">
                <For each=move || editor.templates.ids() key=|id| *id let:id>
                    <TemplateRow editor id />
                </For>
            </ul>
            <form
                class="template-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <input
                    type="text"
                    aria-label="Template name"
                    placeholder="Template name"
                    bind:value=name
                />
                <button type="submit" class="small">
                    "Add template"
                </button>
            </form>
        </div>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn templates_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <Templates /> }.into_any())
    }
}
