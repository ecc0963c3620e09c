//! The connection's timeline since the last Connect, reconnects included, and the plain-text
//! connection report for a bug ticket.

use leptos::prelude::*;
use wsprobe_core::clock::time_of_day;

use crate::glue::{clipboard, clock};
use crate::lazy::{Loaded, split_point};
use crate::session::use_session;

#[component]
pub fn Timeline() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(None::<String>);
    let copy = move |_| {
        let report = session.connection_report();
        leptos::task::spawn_local(async move {
            status.set(Some(match clipboard::copy_text(&report).await {
                Ok(()) => "Connection report copied.".into(),
                Err(why) => format!("Could not copy ({why})."),
            }));
        });
    };
    let pending = move || {
        session.reconnect_pending.get().map(|p| {
            let when = time_of_day(p.at_ms, clock::utc_offset_minutes());
            view! {
                <p class="pending" role="status">
                    {format!("Reconnect {} of {} at {when}. ", p.attempt, p.of)}
                    <button type="button" class="link" on:click=move |_| session.cancel_reconnect()>
                        "Stop retrying"
                    </button>
                </p>
            }
        })
    };
    view! {
        <Show when=move || session.timeline.with(|t| !t.is_empty())>
            <div class="timeline">
                <div class="panel-head">
                    <h3>"Timeline"</h3>
                    // Not named "…connection…": no other button may match a search for Connect.
                    <button
                        type="button"
                        class="small"
                        title="Copy the connection report, for a bug ticket"
                        on:click=copy
                    >
                        "Copy report"
                    </button>
                </div>
                {pending}
                <ol class="timeline-list" aria-label="Timeline">
                    <For
                        each=move || session.timeline.get()
                        key=|entry| entry.id
                        children=move |entry| {
                            view! {
                                <li>
                                    <time>
                                        {time_of_day(entry.at_ms, clock::utc_offset_minutes())}
                                    </time>
                                    " "
                                    <span>{entry.text}</span>
                                </li>
                            }
                        }
                    />
                </ol>
                <p class="hint" role="status">
                    {move || status.get()}
                </p>
            </div>
        </Show>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn timeline_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <Timeline /> }.into_any())
    }
}
