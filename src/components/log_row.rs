//! One row of the message log, and what the log's single listener does with rows: rows hold
//! no reactive state, since in a stream they come and go every frame.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wsprobe_core::clock::time_of_day;
use wsprobe_core::log::{Direction, LogEntry};
use wsprobe_core::payload::format_size;

#[derive(Clone, PartialEq)]
pub struct Row {
    pub seq: u64,
    direction: Direction,
    time: String,
    size: String,
    kind: &'static str,
    preview: String,
    selected: bool,
    /// The protocol found something wrong with the frame.
    problem: bool,
}

impl Row {
    pub fn new(entry: &LogEntry, utc_offset: i32, selected: Option<u64>) -> Self {
        let kind = entry.payload.kind();
        Self {
            selected: selected == Some(entry.seq),
            seq: entry.seq,
            direction: entry.direction,
            time: time_of_day(entry.time_ms, utc_offset),
            size: if kind == "event" {
                String::new()
            } else {
                format_size(entry.payload.size())
            },
            kind,
            preview: entry.preview(),
            problem: entry.note.as_ref().is_some_and(|n| n.problem),
        }
    }
}

/// One listener for all rows (rows come and go every frame in a stream): the row the event
/// happened in, by its `data-seq`, becomes the selected entry.
pub fn open_entry(ev: &web_sys::Event, selected: RwSignal<Option<u64>>) {
    let seq = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".entry").ok().flatten())
        .and_then(|row| row.get_attribute("data-seq"))
        .and_then(|seq| seq.parse().ok());
    if seq.is_some() {
        selected.set(seq);
    }
}

/// Marks the row of the `selected` entry, and only it, among the rows in the page.
pub fn mark_selected(viewport: &web_sys::Element, selected: Option<u64>) {
    let Ok(rows) = viewport.query_selector_all(".entry") else {
        return;
    };
    for row in (0..rows.length()).filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
    {
        let is_selected = row.get_attribute("data-seq").and_then(|s| s.parse().ok()) == selected;
        let _ = row.class_list().toggle_with_force("selected", is_selected);
        let _ = if is_selected {
            row.set_attribute("aria-current", "true")
        } else {
            row.remove_attribute("aria-current")
        };
    }
}

#[component]
pub fn LogRow(row: Row) -> impl IntoView {
    let arrow = match row.direction {
        Direction::Sent => "↑",
        Direction::Received => "↓",
        Direction::Event => "•",
    };
    let title = row.preview.clone();
    view! {
        // Not a button: rows would then crowd the page's buttons ("Connecting…" vs Connect).
        <div
            class=format!(
                "entry {} {}{}{}",
                row.direction.word(),
                row.kind,
                if row.selected { " selected" } else { "" },
                if row.problem { " problem" } else { "" },
            )
            aria-current=row.selected.then_some("true")
            tabindex="0"
            title=title
            data-seq=row.seq
        >
            <span class="arrow" aria-hidden="true">
                {arrow}
            </span>
            <span class="sr-only">{row.direction.word()}</span>
            <time class="time">{row.time}</time>
            <span class="size">{row.size}</span>
            {(row.kind == "binary").then(|| view! { <span class="kind">"bin"</span> })}
            <span class="payload">{row.preview}</span>
        </div>
    }
}
