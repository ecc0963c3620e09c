//! Messages about the person's data: storage that is missing, full or unreadable, the share
//! link the page was opened with; and a new version of the page, ready to load.

use leptos::prelude::*;

use crate::glue::{download, offline};
use crate::session::Session;
use crate::sharing::Sharing;
use crate::stored_list::Unreadable;

#[component]
pub fn Notices(session: Session, sharing: Sharing, update_ready: RwSignal<bool>) -> impl IntoView {
    let library = session.library;
    view! {
        <div class="notices">
            <Show when=move || update_ready.get()>
                <p class="notice" role="status">
                    "A new version of wsprobe is ready. "
                    <button type="button" class="link" on:click=move |_| offline::activate_update()>
                        "Reload to update"
                    </button>
                </p>
            </Show>
            {move || {
                library
                    .unavailable
                    .get()
                    .map(|why| {
                        view! {
                            <p class="notice warn" role="alert">
                                "This browser does not let the page keep anything ("
                                {why}
                                "), so nothing you save will be remembered after this visit. Everything else works."
                            </p>
                        }
                    })
            }}
            <For
                each=move || library.unreadable.get()
                key=|u| (u.what, u.backup_key.clone())
                children=move |u| view! { <UnreadableNotice unreadable=u /> }
            />
            {move || {
                library
                    .error
                    .get()
                    .map(|why| {
                        view! {
                            <p class="notice error" role="alert">
                                {why}
                                " "
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| library.error.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </p>
                        }
                    })
            }}
            {move || {
                sharing
                    .opened
                    .get()
                    .map(|(text, error)| {
                        view! {
                            <p
                                class="notice"
                                class:error=error
                                role=if error { "alert" } else { "status" }
                            >
                                {text}
                                " "
                                <Show when=move || sharing.undo.with(Option::is_some)>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| sharing.undo_open()
                                    >
                                        "Undo"
                                    </button>
                                    " "
                                </Show>
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| sharing.opened.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn UnreadableNotice(unreadable: Unreadable) -> impl IntoView {
    let Unreadable {
        what,
        problem,
        backup_key,
        raw,
    } = unreadable;
    let kept = match &backup_key {
        Some(key) => format!(
            "The original text is kept in this browser under the key \u{201c}{key}\u{201d}."
        ),
        None => {
            "A backup copy could not be made (storage is full), so nothing will be written over it."
                .to_string()
        }
    };
    let failed = RwSignal::new(None::<String>);
    let save = move |_| {
        let saved = download::save_text("wsprobe-unreadable.txt", "text/plain", &raw);
        failed.set(saved.err().map(|e| e.to_string()));
    };
    view! {
        <p class="notice warn" role="alert">
            {format!("{what} could not be read in full: {problem}. {kept} ")}
            <button type="button" class="link" on:click=save>
                "Download it"
            </button>
            {move || failed.get().map(|why| format!(" (download failed: {why})"))}
        </p>
    }
}
