//! The selected log entry, whole: JSON pretty-printed and foldable, binary as a hex dump,
//! long text wrapped; with Copy.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wsprobe_core::clock::time_of_day;
use wsprobe_core::encoding::hex_dump;
use wsprobe_core::json_view;
use wsprobe_core::log::{LogEntry, Payload};
use wsprobe_core::payload::{format_count, format_size, hex};
use wsprobe_core::protocol::socket_io;

use crate::components::json_tree::JsonTree;
use crate::glue::{clipboard, clock::utc_offset_minutes};
use crate::lazy::{Loaded, split_point};
use crate::log_state::use_log;

/// Beyond these, the view shows the start and Copy still copies everything: a multi-megabyte
/// payload rendered whole would block the page.
const MAX_SHOWN_TEXT: usize = 512 * 1024;
const MAX_SHOWN_BYTES: usize = 64 * 1024;
const MAX_TREE_TEXT: usize = 256 * 1024;

#[component]
pub fn EntryDetail() -> impl IntoView {
    let log = use_log();
    move || {
        let entry = log.selected.get().and_then(|seq| log.entry(seq))?;
        Some(view! { <Detail entry selected=log.selected /> })
    }
}

#[component]
fn Detail(entry: LogEntry, selected: RwSignal<Option<u64>>) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    let noted = entry.note.is_some();
    let heading = format!(
        "{} {} · {} · {}",
        entry.direction.word(),
        entry.payload.kind(),
        time_of_day(entry.time_ms, utc_offset_minutes()),
        format_size(entry.payload.size())
    );
    let copied_text = match &entry.payload {
        Payload::Text(t) | Payload::Event(t) => t.clone(),
        Payload::Binary(b) => hex(b),
    };
    let copy = move |_| {
        let text = copied_text.clone();
        spawn_local(async move {
            let done = clipboard::copy_text(&text).await;
            notice.set(Some(match done {
                Ok(()) => "Copied.".to_string(),
                Err(why) => format!("Not copied: {why}"),
            }));
        });
    };
    view! {
        <section class="entry-detail" aria-label="Entry">
            <header class="detail-head">
                <h3>{heading}</h3>
                <p class="hint" aria-live="polite">
                    {move || notice.get()}
                </p>
                <button type="button" on:click=copy>
                    "Copy entry"
                </button>
                <button type="button" aria-label="Close entry" on:click=move |_| selected.set(None)>
                    "✕"
                </button>
            </header>
            {entry.note.map(|n| view! { <p class="entry-note">{n.summary}</p> })}
            <div class="detail-body">{body(entry.payload, noted)}</div>
        </section>
    }
}

/// The payload whole: bytes as a hex dump, JSON as a tree (for a protocol's frame, the JSON it
/// carries, such as a Socket.IO event's name and arguments), other text as it is.
fn body(payload: Payload, noted: bool) -> AnyView {
    match payload {
        Payload::Binary(bytes) => {
            let shown = &bytes[..bytes.len().min(MAX_SHOWN_BYTES)];
            view! {
                {cut_note(shown.len(), bytes.len(), "bytes")}
                <pre class="hex-dump">{hex_dump(shown)}</pre>
            }
            .into_any()
        }
        Payload::Text(text) | Payload::Event(text) => {
            let carried = || {
                noted
                    .then(|| socket_io::carried_json(&text).and_then(json_view::parse))
                    .flatten()
            };
            if let Some(node) = (text.len() <= MAX_TREE_TEXT)
                .then(|| json_view::parse(&text).or_else(carried))
                .flatten()
            {
                return view! { <JsonTree node /> }.into_any();
            }
            let mut end = text.len().min(MAX_SHOWN_TEXT);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            view! {
                {cut_note(end, text.len(), "bytes")}
                <pre class="wrapped">{text[..end].to_string()}</pre>
            }
            .into_any()
        }
    }
}

fn cut_note(shown: usize, total: usize, unit: &str) -> Option<impl IntoView> {
    (shown < total).then(|| {
        view! {
            <p class="hint">
                {format!(
                    "Showing the first {} of {} {unit}; Copy entry copies all of it.",
                    format_count(shown as u64),
                    format_count(total as u64),
                )}
            </p>
        }
    })
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn entry_detail_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <EntryDetail /> }.into_any())
    }
}
