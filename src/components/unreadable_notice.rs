//! Stored data that could not be read in full: what happened, where the original is kept, and a download of it.

use crate::glue::download;
use crate::stored_list::Unreadable;
use leptos::prelude::*;

#[component]
pub fn UnreadableNotice(unreadable: Unreadable) -> impl IntoView {
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
