//! Saving the request being edited under a name. Its code is in a chunk (src/lazy.rs), the one
//! that also reads the saved requests it writes to.

use leptos::prelude::*;

use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::library::use_library;

split_point! {
    panels:
    /// The split point: this bar's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn save_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <SaveBar /> }.into_any())
    }
}

#[component]
fn SaveBar() -> impl IntoView {
    let editor = use_editor();
    let library = use_library();
    let status = RwSignal::new(None::<(String, bool)>);
    let loaded = move || editor.loaded();
    let unsaved = move || loaded().is_some_and(|saved| saved.request != editor.request().in_step());
    // Save pressed before the saved requests were read (their code loads just after the
    // page): the save happens once they are.
    let waiting = RwSignal::new(false);
    let save = move || {
        if !library.requests.ready.get_untracked() {
            waiting.set(true);
            status.set(Some((
                "Saving once the saved requests are read\u{2026}".to_string(),
                false,
            )));
            return;
        }
        let name = editor.name.get_untracked().trim().to_string();
        // Saving under another name makes a new request; the one it came from stays as it was.
        let over = untrack(loaded).filter(|saved| saved.name == name);
        let replaced = untrack(loaded)
            .filter(|saved| saved.name != name)
            .map(|saved| saved.name);
        match library.save(over.map(|s| s.id), &name, untrack(|| editor.request())) {
            Ok(id) => {
                editor.saved_id.set(Some(id));
                editor.name.set(name.clone());
                let also = replaced
                    .map(|old| format!(" \u{201c}{old}\u{201d} is unchanged."))
                    .unwrap_or_default();
                status.set(Some((
                    format!("Saved \u{201c}{name}\u{201d}.{also}"),
                    false,
                )));
            }
            Err(why) => status.set(Some((why, true))),
        }
    };
    Effect::new(move |_| {
        if library.requests.ready.get() && waiting.get_untracked() {
            waiting.set(false);
            save();
        }
    });
    view! {
        <form
            class="save-bar"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
        >
            <label class="field field-name">
                <span class="field-label">
                    "Request name" <span class="unsaved" class:hidden=move || !unsaved()>
                        " · unsaved changes"
                    </span>
                </span>
                <input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="Echo on localhost"
                    maxlength="200"
                    bind:value=editor.name
                    on:input=move |_| status.set(None)
                />
            </label>
            <button type="submit">"Save request"</button>
            <p
                class="hint"
                class:error=move || status.with(|s| s.as_ref().is_some_and(|s| s.1))
                role="status"
            >
                {move || status.get().map(|s| s.0)}
            </p>
        </form>
    }
}
