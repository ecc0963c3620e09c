//! One template: load it, send it at once, move it, remove it.

use crate::editor::Editor;
use crate::glue::page;
use crate::sending::use_sending;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn TemplateRow(editor: Editor, id: u64) -> impl IntoView {
    let session = use_session();
    let sending = use_sending();
    let template = move || editor.templates.get(id).unwrap_or_default();
    let label = move |action: &str| format!("{action}: {}", template().name);
    let move_by = move |ev: leptos::ev::MouseEvent, step: isize| {
        editor.templates.move_by(id, step);
        page::focus_again(&ev);
    };
    view! {
        <li class="template">
            <span class="template-name">{move || template().name}</span>
            <span class="template-format">{move || template().format.label()}</span>
            <button
                type="button"
                class="small"
                aria-label=move || label("Load template")
                on:click=move |_| {
                    let t = template();
                    editor.format.set(t.format);
                    editor.message.set(t.text);
                }
            >
                "Load"
            </button>
            // Not named "Send …": the composer's Send button must stay the only one with that name.
            <button
                type="button"
                class="small"
                aria-label=move || label("Transmit template")
                title="Send it now"
                disabled=move || session.state() != wsprobe_core::connection::ConnectionState::Open
                on:click=move |_| {
                    sending.send_template(&template());
                }
            >
                "\u{25b6}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Move template up")
                on:click=move |ev| move_by(ev, -1)
            >
                "\u{2191}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Move template down")
                on:click=move |ev| move_by(ev, 1)
            >
                "\u{2193}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Remove template")
                on:click=move |_| editor.templates.remove(id)
            >
                "\u{d7}"
            </button>
        </li>
    }
}
