//! What a screen reader hears of the log: a short summary at most every few seconds, instead of
//! every row (the log itself is not live, or a stream would drown out everything else).

use std::time::Duration;

use leptos::prelude::*;
use wsprobe_core::payload::format_count;

use crate::log_state::use_log;

const EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn LogAnnouncer() -> impl IntoView {
    let log = use_log();
    let said = RwSignal::new(String::new());
    let announced = StoredValue::new(0u64);
    let timer = set_interval_with_handle(
        move || {
            let received = log.counters.with_untracked(|c| c.received);
            let new = received.saturating_sub(announced.get_value());
            announced.set_value(received);
            if new > 0 {
                let noun = if new == 1 { "message" } else { "messages" };
                said.set(format!("{} new {noun} received", format_count(new)));
            }
        },
        EVERY,
    );
    if let Ok(timer) = timer {
        on_cleanup(move || timer.clear());
    }
    view! {
        <p class="sr-only" aria-live="polite">
            {move || said.get()}
        </p>
    }
}
