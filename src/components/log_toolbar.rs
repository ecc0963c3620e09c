//! Above the log: the filter, the log's limits, and Clear / Export. Its code is in a chunk
//! (src/lazy.rs): the log itself shows everything until it has loaded.

use leptos::prelude::*;
use wsprobe_core::filter::LogFilter;
use wsprobe_core::payload::format_count;
use wsprobe_core::protocol::settings::Protocol;

use crate::editor::use_editor;
use crate::glue::download;
use crate::lazy::{Loaded, split_point};
use crate::log_state::use_log;

const ENTRY_LIMITS: [usize; 4] = [10_000, 50_000, 200_000, 1_000_000];
const MIB_LIMITS: [usize; 4] = [16, 64, 256, 1024];

split_point! {
    panels:
    /// The split point: the toolbar's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn log_toolbar_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <LogToolbar /> }.into_any())
    }
}

#[component]
fn LogToolbar() -> impl IntoView {
    let log = use_log();
    let editor = use_editor();
    // Only a protocol has pings of its own to hide.
    let speaks_protocol = move || editor.protocol.with(|p| p.protocol != Protocol::WebSocket);
    let notice = RwSignal::new(None::<String>);
    let change_filter = move |change: &dyn Fn(&mut LogFilter)| {
        let mut filter = log.filter.get_untracked();
        change(&mut filter);
        log.set_filter(filter);
    };
    let direction =
        move |label: &'static str, get: fn(&LogFilter) -> bool, set: fn(&mut LogFilter, bool)| {
            view! {
                <label class="toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || log.filter.with(get)
                        on:change=move |ev| change_filter(&|f| set(f, event_target_checked(&ev)))
                    />
                    {label}
                </label>
            }
        };
    let export = move |_| {
        let saved = download::save_text(
            "wsprobe-log.jsonl",
            "application/x-ndjson",
            &log.export_lines(),
        );
        notice.set(saved.err().map(|why| format!("Export failed: {why}")));
    };
    let set_entries = move |ev| {
        let max = event_target_value(&ev)
            .parse()
            .unwrap_or(crate::log_state::DEFAULT_MAX_ENTRIES);
        log.set_limits(max, log.limits.get_untracked().1);
    };
    let set_bytes = move |ev| {
        let mib: usize = event_target_value(&ev)
            .parse()
            .unwrap_or(crate::log_state::DEFAULT_MAX_BYTES >> 20);
        log.set_limits(log.limits.get_untracked().0, mib << 20);
    };

    view! {
        <div class="log-toolbar">
            <input
                type="search"
                class="filter"
                aria-label="Filter messages"
                placeholder="Filter messages"
                spellcheck="false"
                prop:value=move || log.filter.with(|f| f.text.clone())
                on:input=move |ev| change_filter(&|f| f.text = event_target_value(&ev))
            />
            <fieldset class="directions">
                <legend class="sr-only">"Show"</legend>
                {direction("Sent", |f| f.sent, |f, on| f.sent = on)}
                {direction("Received", |f| f.received, |f, on| f.received = on)}
                {direction("Events", |f| f.events, |f, on| f.events = on)}
                {move || {
                    speaks_protocol()
                        .then(|| direction("Pings", |f| f.heartbeats, |f, on| f.heartbeats = on))
                }}
            </fieldset>
            <label class="limit">
                <span>"Keep"</span>
                <select aria-label="Log limit in entries" on:change=set_entries>
                    {ENTRY_LIMITS
                        .map(|n| {
                            view! {
                                <option
                                    value=n.to_string()
                                    selected=move || log.limits.get().0 == n
                                >
                                    {format_count(n as u64)}
                                </option>
                            }
                        })}
                </select>
                <span>"entries,"</span>
                <select aria-label="Log limit in MiB" on:change=set_bytes>
                    {MIB_LIMITS
                        .map(|n| {
                            view! {
                                <option
                                    value=n.to_string()
                                    selected=move || log.limits.get().1 == n << 20
                                >
                                    {format!("{n} MiB")}
                                </option>
                            }
                        })}
                </select>
            </label>
            <button type="button" on:click=move |_| log.clear()>
                "Clear log"
            </button>
            <button type="button" on:click=export>
                "Export log"
            </button>
            <p class="hint error" role="alert">
                {move || notice.get()}
            </p>
        </div>
    }
}
