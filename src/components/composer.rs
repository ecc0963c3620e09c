//! The composer: the message, its format, Send, a file, and repeat sending.

use leptos::prelude::*;
use wsprobe_core::compose::{self, Format, Frame};
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::payload::{format_count, format_size};

use crate::components::repeat_controls::RepeatControls;
use crate::components::templates::Templates;
use crate::glue::file;
use crate::sending::Sending;
use crate::session::Session;

#[component]
pub fn Composer(session: Session, sending: Sending) -> impl IntoView {
    let open = move || session.state() == ConnectionState::Open;
    let draft = Memo::new(move |_| sending.draft().map(|frame| frame_summary(&frame)));
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
    let reformat = move |change: fn(&str) -> Result<String, compose::ComposeError>| match session
        .message
        .with_untracked(|text| change(text))
    {
        Ok(text) => session.message.set(text),
        Err(why) => sending.error.set(Some(why.to_string())),
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
                <Show when=move || session.format.get() == Format::Json>
                    <button
                        type="button"
                        class="small"
                        aria-label="Pretty-print JSON"
                        on:click=move |_| reformat(compose::pretty_json)
                    >
                        "Pretty"
                    </button>
                    <button
                        type="button"
                        class="small"
                        aria-label="Minify JSON"
                        on:click=move |_| reformat(compose::minify_json)
                    >
                        "Minify"
                    </button>
                </Show>
                <select
                    class="format"
                    aria-label="Message format"
                    on:change=move |ev| {
                        session
                            .format
                            .set(Format::from_label(&event_target_value(&ev)).unwrap_or_default());
                        sending.error.set(None);
                    }
                >
                    {Format::ALL
                        .map(|f| {
                            view! {
                                <option value=f.label() selected=move || session.format.get() == f>
                                    {f.label()}
                                </option>
                            }
                        })}
                </select>
            </div>
            <textarea
                class="message"
                aria-label="Message"
                aria-describedby="send-hint"
                aria-invalid=move || draft.with(Result::is_err).to_string()
                spellcheck="false"
                placeholder=move || placeholder(session.format.get())
                prop:value=move || session.message.get()
                on:input=move |ev| {
                    session.message.set(event_target_value(&ev));
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
            <RepeatControls session sending />
            <Templates session sending />
        </section>
    }
}

fn frame_summary(frame: &Frame) -> String {
    match frame {
        Frame::Text(text) => format!("{} bytes as a text frame", format_count(text.len() as u64)),
        Frame::Binary(bytes) => format!(
            "{} bytes as a binary frame",
            format_count(bytes.len() as u64)
        ),
    }
}

fn placeholder(format: Format) -> &'static str {
    match format {
        Format::Text => "Type a message; {{name}} uses a variable",
        Format::Json => "{\"type\": \"hello\"}",
        Format::Hex => "de ad be ef or 0xde:0xad",
        Format::Base64 => "aGVsbG8=",
    }
}
