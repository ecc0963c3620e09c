//! Recent connections, most recent first, each with how it ended; one click puts it back in
//! the editor.

use leptos::prelude::*;
use wsprobe_core::clock::time_of_day;
use wsprobe_core::report::mask_secrets;
use wsprobe_core::request::Request;
use wsprobe_core::saved::{HistoryChange, HistoryEntry};

use crate::editor::use_editor;
use crate::glue::clock;
use crate::lazy::{Loaded, split_point};
use crate::library::use_library;
use crate::stored_list::Codec;

#[component]
pub fn HistoryList() -> impl IntoView {
    let editor = use_editor();
    let library = use_library();
    // The history is read with this panel's code, not with the first page.
    library.attach_history(Codec::serde());
    let reopen = move |entry: &HistoryEntry| {
        // The URL and subprotocols come back; the composer keeps what it holds.
        let current = untrack(|| editor.request());
        editor.load(Request {
            url: entry.url.clone(),
            params: Vec::new(),
            subprotocols: entry.subprotocols.clone(),
            ..current
        });
        editor.saved_id.set(None);
    };
    view! {
        <section class="panel history" aria-labelledby="history-title">
            <div class="panel-head">
                <h2 id="history-title">"History"</h2>
                <button
                    type="button"
                    class="small"
                    disabled=move || library.history.items.with(Vec::is_empty)
                    on:click=move |_| library.record_history(HistoryChange::Clear)
                >
                    "Clear history"
                </button>
            </div>
            <p
                class="muted small-text"
                class:hidden=move || library.history.items.with(|h| !h.is_empty())
            >
                "Connections you make are listed here."
            </p>
            <ul class="history-list">
                <For
                    each=move || library.history.items.get()
                    key=|entry| (entry.id.clone(), entry.outcome.clone())
                    children=move |entry| {
                        let when = time_of_day(entry.at, clock::utc_offset_minutes());
                        let outcome = entry.outcome.to_string();
                        let failed = outcome.starts_with("failed") || outcome == "not dialled";
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="history-entry"
                                    on:click=move |_| reopen(&entry)
                                >
                                    <span class="mono history-url">
                                        {mask_secrets(&entry.url, &[])}
                                    </span>
                                    <span class="history-meta">
                                        <span class="history-outcome" class:failed=failed>
                                            {outcome.clone()}
                                        </span>
                                        " · "
                                        <time>{when}</time>
                                    </span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn history_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <HistoryList /> }.into_any())
    }
}
