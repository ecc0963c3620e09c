//! The log, virtualized: only the rows in view (and a margin) exist in the page,
//! however many entries the log holds. A row opens the entry whole in the detail view.

use leptos::html::Div;
use leptos::prelude::*;

use crate::components::log_row::{LogRow, Row, mark_selected, open_entry};
use crate::glue::clock::utc_offset_minutes;
use crate::session::Session;

/// Must match `.entry { height }` in style/main.css.
const ROW_HEIGHT: f64 = 28.0;
/// Rows rendered beyond each edge of the view, so fast scrolling shows no gaps.
const MARGIN_ROWS: usize = 8;

#[component]
pub fn MessageLog(session: Session) -> impl IntoView {
    let log = session.log;
    let viewport = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let view_height = RwSignal::new(600.0);
    let following = RwSignal::new(true);
    // While the person reads, the entry at the top of the view, so that entries dropped from
    // the front of a capped log do not pull the page out from under their eyes.
    let anchor = StoredValue::new(None::<(u64, f64)>);
    // The position the page itself last scrolled to: its scroll event must not re-anchor, or
    // the anchor would drift with the messages that arrived in between.
    let placed = StoredValue::new(None::<i32>);
    let utc_offset = utc_offset_minutes();

    let total = Memo::new(move |_| log.shown_len());
    let first = move || ((scroll_top.get() / ROW_HEIGHT) as usize).saturating_sub(MARGIN_ROWS);
    // The seqs of the rows on screen, from index `.0`: what the person sees when they scroll,
    // which the log may have moved past since.
    let on_screen = StoredValue::new((0usize, Vec::<u64>::new()));
    let rows = move || {
        let count = (view_height.get() / ROW_HEIGHT).ceil() as usize + 2 * MARGIN_ROWS;
        let from = first();
        let selected = log.selected.get_untracked();
        let rows = log.shown(from, count, |entry| Row::new(entry, utc_offset, selected));
        on_screen.set_value((from, rows.iter().map(|r| r.seq).collect()));
        rows
    };
    let empty_text = move || {
        if log.retained_len() > 0 {
            "No entry matches the filter."
        } else {
            "Messages sent and received appear here."
        }
    };

    let measure = move || {
        if let Some(el) = viewport.get_untracked() {
            let (top, height) = (el.scroll_top() as f64, el.client_height() as f64);
            following.set(top + height >= el.scroll_height() as f64 - ROW_HEIGHT / 2.0);
            if placed.try_update_value(Option::take).flatten() != Some(el.scroll_top()) {
                let index = (top / ROW_HEIGHT) as usize;
                let seen = on_screen.with_value(|(from, seqs)| {
                    index.checked_sub(*from).and_then(|i| seqs.get(i).copied())
                });
                let seq = seen.or_else(|| log.seq_at(index));
                anchor.set_value(seq.map(|seq| (seq, top - index as f64 * ROW_HEIGHT)));
            }
            scroll_top.set(top);
            view_height.set(height);
        }
    };
    // New entries: stay at the newest one unless the person has scrolled up to read.
    Effect::new(move |_| {
        log.changed.track();
        if let Some(el) = viewport.get_untracked() {
            if following.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            } else if let Some((seq, offset)) = anchor.get_value() {
                let top = log.position_of(seq) as f64 * ROW_HEIGHT + offset;
                if (top - el.scroll_top() as f64).abs() >= 1.0 {
                    el.set_scroll_top(top.max(0.0) as i32);
                    placed.set_value(Some(el.scroll_top()));
                    // Render the rows for the new place in this frame, not after its scroll event.
                    scroll_top.set(el.scroll_top() as f64);
                }
            }
            view_height.set(el.client_height() as f64);
        }
    });
    // Rows hold no reactive state: in a stream they come and go every frame, and each would
    // leave a subscriber on the selection behind. The selection marks the rows in place instead.
    Effect::new(move |_| {
        let selected = log.selected.get();
        if let Some(el) = viewport.get_untracked() {
            mark_selected(&el, selected);
        }
    });
    let jump_to_latest = move |_| {
        following.set(true);
        if let Some(el) = viewport.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };

    view! {
        <div class="log-frame">
            <div
                class="log-viewport"
                node_ref=viewport
                role="log"
                aria-label="Message log"
                aria-live="off"
                tabindex="0"
                on:scroll=move |_| measure()
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
                    style:height=move || format!("{}px", total.get() as f64 * ROW_HEIGHT)
                >
                    <div
                        class="log-rows"
                        style:transform=move || {
                            format!("translateY({}px)", first() as f64 * ROW_HEIGHT)
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
                class:hidden=move || following.get()
                on:click=jump_to_latest
            >
                "↓ Jump to latest"
            </button>
        </div>
    }
}
