//! Message templates kept with the request: load one into the composer or send it at once.

use leptos::prelude::*;
use wsprobe_core::request::Template;

use crate::sending::Sending;
use crate::session::Session;

#[component]
pub fn Templates(session: Session, sending: Sending) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let add = move || {
        let wanted = name.get_untracked().trim().to_string();
        if wanted.is_empty() {
            return sending.error.set(Some("Give the template a name.".into()));
        }
        let template = Template {
            name: wanted,
            format: session.format.get_untracked(),
            text: session.message.get_untracked(),
        };
        session.templates.update(|all| all.push(template));
        name.set(String::new());
    };
    let rows = move || 0..session.templates.with(Vec::len);
    view! {
        <div class="templates">
            <h3>"Templates"</h3>
            <ul class="template-list">
                <For each=rows key=|i| *i let:i>
                    <TemplateRow session sending i />
                </For>
            </ul>
            <form
                class="template-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <input type="text" aria-label="Template name" placeholder="Template name" bind:value=name />
                <button type="submit" class="small">"Add template"</button>
            </form>
        </div>
    }
}

#[component]
fn TemplateRow(session: Session, sending: Sending, i: usize) -> impl IntoView {
    let template = move || {
        session
            .templates
            .with(|all| all.get(i).cloned().unwrap_or_default())
    };
    let label = move |action: &str| format!("{action}: {}", template().name);
    let move_by = move |step: isize| {
        session.templates.update(|all| {
            let j = i as isize + step;
            if i < all.len() && j >= 0 && (j as usize) < all.len() {
                all.swap(i, j as usize);
            }
        })
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
            <button type="button" class="small icon" aria-label=move || label("Move template up") on:click=move |_| move_by(-1)>
                "\u{2191}"
            </button>
            <button type="button" class="small icon" aria-label=move || label("Move template down") on:click=move |_| move_by(1)>
                "\u{2193}"
            </button>
            <button
                type="button"
                class="small icon"
                aria-label=move || label("Remove template")
                on:click=move |_| {
                    session
                        .templates
                        .update(|all| {
                            if i < all.len() {
                                all.remove(i);
                            }
                        })
                }
            >
                "\u{d7}"
            </button>
        </li>
    }
}
