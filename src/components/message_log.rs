//! The log, virtualized: only the rows in view (and a margin) exist in the page,
//! however many entries the log holds. A row opens the entry whole in the detail view.

use leptos::html::Div;
use leptos::prelude::*;
use wsprobe_core::decimal::fixed;

use crate::components::log_row::{LogRow, Row, mark_selected, open_entry};
use crate::glue::clock::utc_offset_minutes;
use crate::log_scroll::{LogScroll, ROW_HEIGHT};
use crate::log_state::use_log;

#[component]
pub fn MessageLog() -> impl IntoView {
    let log = use_log();
    let viewport = NodeRef::<Div>::new();
    let scroll = LogScroll::new(log, viewport);
    let utc_offset = utc_offset_minutes();

    let total = Memo::new(move |_| log.shown_len());
    let rows = move || {
        let (from, count) = scroll.rows_in_view();
        let selected = log.selected.get_untracked();
        let rows = log.shown(from, count, |entry| Row::new(entry, utc_offset, selected));
        scroll.on_screen(from, rows.iter().map(|r| r.seq).collect());
        rows
    };
    let empty_text = move || {
        if log.retained_len() > 0 {
            "No entry matches the filter."
        } else {
            "Messages sent and received appear here."
        }
    };

    // Rows hold no reactive state: in a stream they come and go every frame, and each would
    // leave a subscriber on the selection behind. The selection marks the rows in place instead.
    Effect::new(move |_| {
        let selected = log.selected.get();
        if let Some(el) = viewport.get_untracked() {
            mark_selected(&el, selected);
        }
    });

    view! {
        <div class="log-frame">
            <div
                class="log-viewport"
                node_ref=viewport
                role="log"
                aria-label="Message log"
                aria-live="off"
                tabindex="0"
                on:scroll=move |_| scroll.measure()
                on:click=move |ev| open_entry(&ev, log.selected)
                on:keydown=move |ev| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        open_entry(&ev, log.selected);
                    }
                }
            >
                <div
                    class="log-spacer"
                    style:height=move || format!("{}px", fixed(total.get() as f64 * ROW_HEIGHT, 0))
                >
                    <div
                        class="log-rows"
                        style:transform=move || {
                            format!(
                                "translateY({}px)",
                                fixed(scroll.first() as f64 * ROW_HEIGHT, 0),
                            )
                        }
                    >
                        <For each=rows key=|row| row.seq let:row>
                            <LogRow row />
                        </For>
                    </div>
                </div>
                <p class="log-empty muted" class:hidden=move || { total.get() > 0 }>
                    {empty_text}
                </p>
            </div>
            <button
                type="button"
                class="jump"
                class:hidden=move || scroll.following.get()
                on:click=move |_| scroll.jump_to_latest()
            >
                "↓ Jump to latest"
            </button>
        </div>
    }
}
