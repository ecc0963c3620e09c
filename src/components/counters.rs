use crate::log_state::use_log;
use leptos::prelude::*;
use wsprobe_core::payload::{format_count, format_size};

#[component]
pub fn Counters() -> impl IntoView {
    let log = use_log();
    let c = move || log.counters.get();
    let rate = move || format!("{}/s", format_count(log.rate.get().round() as u64));
    view! {
        <dl class="counters">
            <div>
                <dt>"Sent"</dt>
                <dd aria-label="Messages sent">{move || format_count(c().sent)}</dd>
                <dd class="bytes">{move || format_size(c().bytes_sent as usize)}</dd>
            </div>
            <div>
                <dt>"Received"</dt>
                <dd aria-label="Messages received">{move || format_count(c().received)}</dd>
                <dd class="bytes">{move || format_size(c().bytes_received as usize)}</dd>
            </div>
            <div>
                <dt>"Rate"</dt>
                <dd aria-label="Message rate">{rate}</dd>
            </div>
            <div>
                <dt>"Dropped"</dt>
                <dd
                    aria-label="Messages dropped"
                    title="Entries removed from the log by its limit; the counters include them"
                >
                    {move || format_count(c().dropped)}
                </dd>
            </div>
        </dl>
    }
}
