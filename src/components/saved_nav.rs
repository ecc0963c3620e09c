//! The saved requests: open one, rename, duplicate or delete it (with undo), export and import.

use leptos::prelude::*;
use wsprobe_core::saved::{self, SavedRequest};

use crate::glue::{download, file};
use crate::session::{EditorSnapshot, Session};

/// What the last action can take back.
#[derive(Clone, PartialEq)]
enum Undo {
    Delete(SavedRequest),
    /// Opening a saved request replaced edits that were not saved.
    Open(EditorSnapshot),
}

#[derive(Clone, PartialEq)]
struct Status {
    text: String,
    error: bool,
    undo: Option<Undo>,
}

impl Status {
    fn ok(text: String, undo: Option<Undo>) -> Option<Self> {
        Some(Self {
            text,
            error: false,
            undo,
        })
    }
    fn error(text: String) -> Option<Self> {
        Some(Self {
            text,
            error: true,
            undo: None,
        })
    }
}

#[component]
pub fn SavedNav(session: Session) -> impl IntoView {
    let library = session.library;
    let status = RwSignal::new(None::<Status>);
    let renaming = RwSignal::new(false);
    let current = move || session.loaded();

    let open = move |saved: SavedRequest| {
        let had_edits = session.has_unsaved_edits();
        let undo = had_edits.then(|| Undo::Open(session.snapshot()));
        session.load(saved.request);
        session.saved_id.set(Some(saved.id));
        session.name.set(saved.name.clone());
        renaming.set(false);
        let note = if had_edits {
            " Your edits before it can be brought back."
        } else {
            ""
        };
        status.set(Status::ok(
            format!("Opened \u{201c}{}\u{201d}.{note}", saved.name),
            undo,
        ));
    };
    let undo = move |undo: Undo| match undo {
        Undo::Delete(saved) => {
            let name = saved.name.clone();
            status.set(match library.restore(saved) {
                Ok(()) => Status::ok(format!("\u{201c}{name}\u{201d} is back."), None),
                Err(why) => Status::error(why),
            });
        }
        Undo::Open(snapshot) => {
            session.restore(snapshot);
            status.set(Status::ok("Your earlier edits are back.".into(), None));
        }
    };
    let duplicate = move |_| {
        let Some(saved) = untrack(current) else {
            return;
        };
        status.set(match library.duplicate(&saved.id) {
            Ok(()) => Status::ok(
                format!("Saved a copy of \u{201c}{}\u{201d}.", saved.name),
                None,
            ),
            Err(why) => Status::error(why),
        });
    };
    let delete = move |_| {
        let Some(saved) = untrack(current) else {
            return;
        };
        status.set(match library.delete(&saved.id) {
            Ok(deleted) => {
                session.saved_id.set(None);
                Status::ok(
                    format!("Deleted \u{201c}{}\u{201d}.", deleted.name),
                    Some(Undo::Delete(deleted)),
                )
            }
            Err(why) => Status::error(why),
        });
    };
    let rename = move |name: String| {
        let Some(saved) = untrack(current) else {
            return;
        };
        renaming.set(false);
        status.set(match library.rename(&saved.id, &name) {
            Ok(()) => {
                session.name.set(name.trim().to_string());
                Status::ok(
                    format!(
                        "Renamed \u{201c}{}\u{201d} to \u{201c}{}\u{201d}.",
                        saved.name,
                        name.trim()
                    ),
                    None,
                )
            }
            Err(why) => Status::error(why),
        });
    };
    let with_secrets = RwSignal::new(false);
    let export = move |_| {
        let file = library.export_file(with_secrets.get_untracked());
        let saved = download::save_text("wsprobe-saved.json", "application/json", &file);
        status.set(saved.err().map(|why| Status {
            text: format!("Export failed: {why}"),
            error: true,
            undo: None,
        }));
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(picked) = file::picked(&ev) else {
            return;
        };
        // Refused before it is read: a file of gigabytes would not fit in the page's memory.
        let size = picked.size() as usize;
        if size > saved::MAX_IMPORT_BYTES {
            status.set(Status::error(format!(
                "Not imported: {}",
                saved::too_large(size)
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            status.set(
                match file::read_text(&picked)
                    .await
                    .and_then(|text| library.import_file(&text))
                {
                    Ok(report) => Status::ok(report, None),
                    Err(why) => Status::error(format!("Not imported: {why}")),
                },
            );
        });
    };

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
                            let is_current = move || session.saved_id.with(|s| s.as_deref() == Some(id.as_str()));
                            let name = saved.name.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="saved-open"
                                        class:current=is_current.clone()
                                        aria-current=move || is_current().then_some("true")
                                        title=saved.request.url.clone()
                                        on:click=move |_| open(saved.clone())
                                    >
                                        {name}
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </nav>
            <p class="muted small-text" class:hidden=move || library.requests.items.with(|r| !r.is_empty())>
                "Nothing saved yet. Name the request above and press Save request."
            </p>
            <Show when=move || current().is_some()>
                <div class="saved-actions" role="group" aria-label="Selected request">
                    <Show
                        when=move || renaming.get()
                        fallback=move || {
                            view! {
                                <button type="button" class="small" on:click=move |_| renaming.set(true)>"Rename"</button>
                                <button type="button" class="small" on:click=duplicate>"Duplicate"</button>
                                <button type="button" class="small" on:click=delete>"Delete"</button>
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
                                "Enter" => rename(event_target_value(&ev)),
                                "Escape" => renaming.set(false),
                                _ => {}
                            }
                        />
                    </Show>
                </div>
            </Show>
            <p class="hint" class:error=move || status.with(|s| s.as_ref().is_some_and(|s| s.error)) role="status">
                {move || status.get().map(|s| s.text)}
                {move || {
                    status
                        .get()
                        .and_then(|s| s.undo)
                        .map(|u| {
                            view! {
                                " "
                                <button type="button" class="link" on:click=move |_| undo(u.clone())>"Undo"</button>
                            }
                        })
                }}
            </p>
            <div class="saved-files">
                <button type="button" class="small" aria-label="Export saved requests" on:click=export>"Export"</button>
                <label class="button small">
                    "Import…"
                    <input
                        type="file"
                        class="sr-only"
                        aria-label="Import saved requests"
                        accept=".json,application/json"
                        on:change=import
                    />
                </label>
                <label class="toggle small-text" title="Values of secret variables are left out of exports unless this is ticked">
                    <input type="checkbox" bind:checked=with_secrets />
                    "with secrets"
                </label>
            </div>
        </section>
    }
}
