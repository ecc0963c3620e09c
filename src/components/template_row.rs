//! One template: load it, send it at once, move it, remove it.

use crate::sending::Sending;
use crate::session::Session;
use leptos::prelude::*;

#[component]
pub fn TemplateRow(session: Session, sending: Sending, id: u64) -> impl IntoView {
    let template = move || session.templates.get(id).unwrap_or_default();
    let label = move |action: &str| format!("{action}: {}", template().name);
    // The browser drops the focus of an element the list moves: give it back, so that a
    // keyboard user can press Move again.
    let move_by = move |ev: leptos::ev::MouseEvent, step: isize| {
        session.templates.move_by(id, step);
        if let Some(button) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
        {
            request_animation_frame(move || {
                let _ = button.focus();
            });
        }
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
                    session.format.set(t.format);
                    session.message.set(t.text);
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
                on:click=move |_| session.templates.remove(id)
            >
                "\u{d7}"
            </button>
        </li>
    }
}
