//! The saved requests: open one, rename, duplicate or delete it (with undo), export and import.

use leptos::prelude::*;
use wsprobe_core::saved;

use crate::saved_requests::SavedRequests;
use crate::session::Session;

#[component]
pub fn SavedNav(session: Session) -> impl IntoView {
    let library = session.library;
    let actions = SavedRequests::new(session);
    let (status, renaming, with_secrets) = (actions.status, actions.renaming, actions.with_secrets);
    let current = move || actions.current();
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
                                session.saved_id.with(|s| s.as_deref() == Some(id.as_str()))
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
                                <button
                                    type="button"
                                    class="small"
                                    on:click=move |_| actions.delete()
                                >
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
        </section>
    }
}
