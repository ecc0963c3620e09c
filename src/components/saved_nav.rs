//! The saved requests: open one, rename, duplicate or delete it (with undo), export and import.

use leptos::prelude::*;
use wsprobe_core::saved;

use crate::components::saved_actions::{SavedActions, SavedFiles};
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::library::use_library;
use crate::saved_requests::SavedRequests;
use crate::stored_list::Codec;

#[component]
pub fn SavedNav() -> impl IntoView {
    let editor = use_editor();
    let library = use_library();
    // The saved requests are read with this panel's code, not with the first page.
    library.requests.attach(Codec::serde());
    let actions = SavedRequests::new(editor, library);
    let status = actions.status;
    view! {
        <section class="panel saved" aria-labelledby="saved-title">
            <h2 id="saved-title">"Saved requests"</h2>
            <nav aria-label="Saved requests">
                <ul class="saved-list">
                    <For
                        each=move || library.requests.items.with(|all| saved::by_name(all))
                        key=|saved| (saved.id.clone(), saved.name.clone())
                        children=move |saved| {
                            let id = saved.id.clone();
                            let is_current = move || {
                                editor.saved_id.with(|s| s.as_deref() == Some(id.as_str()))
                            };
                            let name = saved.name.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="saved-open"
                                        class:current=is_current.clone()
                                        aria-current=move || is_current().then_some("true")
                                        title=saved.request.url.clone()
                                        on:click=move |_| actions.open(saved.clone())
                                    >
                                        {name}
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </nav>
            <p
                class="muted small-text"
                class:hidden=move || library.requests.items.with(|r| !r.is_empty())
            >
                "Nothing saved yet. Name the request above and press Save request."
            </p>
            <SavedActions actions />
            <p
                class="hint"
                class:error=move || status.with(|s| s.as_ref().is_some_and(|s| s.error))
                role="status"
            >
                {move || status.get().map(|s| s.text)}
                {move || {
                    status
                        .get()
                        .and_then(|s| s.undo)
                        .map(|u| {
                            view! {
                                " "
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| actions.undo(u.clone())
                                >
                                    "Undo"
                                </button>
                            }
                        })
                }}
            </p>
            <SavedFiles actions />
        </section>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn saved_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <SavedNav /> }.into_any())
    }
}
