//! What can be done with the saved request that is open (rename, duplicate, delete), and with
//! everything saved (export, import).

use leptos::prelude::*;

use crate::saved_requests::SavedRequests;

#[component]
pub fn SavedActions(actions: SavedRequests) -> impl IntoView {
    let renaming = actions.renaming;
    let current = move || actions.current();
    view! {
        <Show when=move || current().is_some()>
            <div class="saved-actions" role="group" aria-label="Selected request">
                <Show
                    when=move || renaming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="small"
                                on:click=move |_| renaming.set(true)
                            >
                                "Rename"
                            </button>
                            <button
                                type="button"
                                class="small"
                                on:click=move |_| actions.duplicate()
                            >
                                "Duplicate"
                            </button>
                            <button type="button" class="small" on:click=move |_| actions.delete()>
                                "Delete"
                            </button>
                        }
                    }
                >
                    <input
                        type="text"
                        class="rename"
                        aria-label="New name"
                        autofocus
                        prop:value=move || current().map(|s| s.name).unwrap_or_default()
                        on:keydown=move |ev| match ev.key().as_str() {
                            "Enter" => actions.rename(&event_target_value(&ev)),
                            "Escape" => renaming.set(false),
                            _ => {}
                        }
                    />
                </Show>
            </div>
        </Show>
    }
}

#[component]
pub fn SavedFiles(actions: SavedRequests) -> impl IntoView {
    let with_secrets = actions.with_secrets;
    view! {
        <div class="saved-files">
            <button
                type="button"
                class="small"
                aria-label="Export saved requests"
                on:click=move |_| actions.export()
            >
                "Export"
            </button>
            <label class="button small">
                "Import…"
                <input
                    type="file"
                    class="sr-only"
                    aria-label="Import saved requests"
                    accept=".json,application/json"
                    on:change=move |ev| actions.import(&ev)
                />
            </label>
            <label
                class="toggle small-text"
                title="Values of secret variables are left out of exports unless this is ticked"
            >
                <input type="checkbox" bind:checked=with_secrets />
                "with secrets"
            </label>
        </div>
    }
}
