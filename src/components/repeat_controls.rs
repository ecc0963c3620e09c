//! Repeat sending: every N ms, M times (blank: until stopped), with how many went.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::repeat;

use crate::lazy::{Loaded, split_point};
use crate::sending::use_sending;
use crate::session::use_session;

#[component]
pub fn RepeatControls() -> impl IntoView {
    let session = use_session();
    let sending = use_sending();
    let every = RwSignal::new("1000".to_string());
    let times = RwSignal::new("10".to_string());
    let running = move || {
        sending
            .repeat
            .with(|r| r.as_ref().is_some_and(|r| r.running))
    };
    let toggle = move |_| {
        if running() {
            return sending.stop_repeat(Some("stopped".into()));
        }
        match repeat::parse(&every.get_untracked(), &times.get_untracked()) {
            Ok((every_ms, count)) => sending.start_repeat(every_ms, count),
            Err(why) => sending.error.set(Some(why.into())),
        }
    };
    let open = move || session.state() == ConnectionState::Open;
    view! {
        <div class="repeat" role="group" aria-label="Repeat">
            <label class="repeat-field">
                "Repeat every"
                <input
                    type="number"
                    min="1"
                    inputmode="numeric"
                    aria-label="Repeat every (ms)"
                    bind:value=every
                /> "ms,"
            </label>
            <label class="repeat-field">
                <input
                    type="number"
                    min="1"
                    inputmode="numeric"
                    aria-label="Repeat times"
                    placeholder="\u{221e}"
                    bind:value=times
                />
                "times"
            </label>
            <button
                type="button"
                class="small"
                disabled=move || !open() && !running()
                on:click=toggle
            >
                {move || if running() { "Stop repeat" } else { "Start repeat" }}
            </button>
            <span class="repeat-progress" role="status">
                {move || sending.repeat.get().map(|r| r.progress())}
            </span>
        </div>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn repeat_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <RepeatControls /> }.into_any())
    }
}
