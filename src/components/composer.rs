//! The composer: the message, its format, Send, a file, and repeat sending.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::format_size;

use crate::components::format_bar::FormatBar;
use crate::components::repeat_controls::repeat_chunk;
use crate::components::templates::templates_chunk;
use crate::editor::use_editor;
use crate::glue::file;
use crate::lazy::panel;
use crate::sending::use_sending;
use crate::session::use_session;

#[component]
pub fn Composer() -> impl IntoView {
    let session = use_session();
    let sending = use_sending();
    let editor = use_editor();
    let open = move || session.state() == ConnectionState::Open;
    let draft = Memo::new(move |_| sending.draft().map(|frame| frame.summary()));
    let send = move || {
        if open() && draft.with_untracked(Result::is_ok) {
            sending.send_draft();
        }
    };
    let hint = move || {
        if let Some(why) = sending.error.get() {
            return (why, true);
        }
        match draft.get() {
            Err(why) => (why, true),
            Ok(_) if !open() => ("Connect to send messages.".to_string(), false),
            Ok(summary) => (
                format!("{summary} \u{b7} Ctrl+Enter sends \u{b7} Alt+\u{2191}/\u{2193} recalls"),
                false,
            ),
        }
    };
    let send_file = move |ev: leptos::ev::Event| {
        let Some(picked) = file::picked(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match file::read_bytes(&picked).await {
                Ok(bytes) => sending.send_file(&picked.name(), bytes),
                Err(why) => sending.error.set(Some(format!("Not sent: {why}"))),
            }
        });
    };
    view! {
        <section class="panel composer" aria-labelledby="composer-title">
            <div class="panel-head">
                <h2 id="composer-title">"Compose"</h2>
                <FormatBar />
            </div>
            <textarea
                class="message"
                aria-label="Message"
                aria-describedby="send-hint"
                aria-invalid=move || draft.with(Result::is_err).to_string()
                spellcheck="false"
                placeholder=move || editor.format.get().placeholder()
                prop:value=move || editor.message.get()
                on:input=move |ev| {
                    editor.message.set(event_target_value(&ev));
                    sending.error.set(None);
                }
                on:keydown=move |ev| {
                    match ev.key().as_str() {
                        "Enter" if ev.ctrl_key() || ev.meta_key() => {
                            ev.prevent_default();
                            send();
                        }
                        "ArrowUp" | "ArrowDown" if ev.alt_key() => {
                            ev.prevent_default();
                            sending.recall(ev.key() == "ArrowUp");
                        }
                        _ => {}
                    }
                }
            ></textarea>
            <p id="send-hint" class="hint" class:error=move || hint().1>
                {move || hint().0}
            </p>
            <p class="hint buffered" class:hidden=move || session.buffered.get() == 0>
                {move || {
                    format!(
                        "The browser is holding {} not yet sent.",
                        format_size(session.buffered.get() as usize),
                    )
                }}
            </p>
            <div class="composer-actions">
                <label class="button small" class:disabled=move || !open()>
                    "File\u{2026}"
                    <input
                        type="file"
                        class="sr-only"
                        aria-label="Binary file"
                        disabled=move || !open()
                        on:change=send_file
                    />
                </label>
                <button
                    type="button"
                    class="send"
                    aria-describedby="send-hint"
                    disabled=move || !open() || draft.with(Result::is_err)
                    on:click=move |_| send()
                >
                    "Send"
                </button>
            </div>
            {panel("repeat sending", || Box::pin(repeat_chunk()))}
            {panel("the templates", || Box::pin(templates_chunk()))}
        </section>
    }
}
