//! Headers and cookies, which only the local relay can send, and where that relay is.

use leptos::prelude::*;
use wsprobe_core::relay::Header;

use crate::components::name_value_row::{NameValue, NameValueRow, RowEdit, RowWords};
use crate::session::{RELAY_ADDRESS_KEY, RELAY_TOKEN_KEY, Session};

#[component]
pub fn RelayPanel(session: Session) -> impl IntoView {
    let bearer = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let add = move |header: Header| session.headers.push(header);
    let needed = move || session.needs_relay();
    let library = session.library;
    view! {
        <details class="panel relay" open=needed>
            <summary>
                <h2>"Headers, cookies and relay"</h2>
            </summary>
            <p class="hint">
                "Browsers cannot send headers, or cookies for another site, with a WebSocket. With any header or cookie set, or \u{201c}Use relay\u{201d} ticked, wsprobe connects through the relay on this machine, which also shows the raw handshake and sends pings. Start it with "
                <code>"cargo run -p wsprobe-relay"</code> " and paste the token it prints."
            </p>
            <div class="header-rows">
                <For each=move || session.headers.ids() key=|id| *id let:id>
                    <HeaderRow session id />
                </For>
            </div>
            <div class="header-helpers">
                <button type="button" class="small" on:click=move |_| add(Header::default())>
                    "Add header"
                </button>
                <input
                    type="text"
                    aria-label="Bearer token"
                    placeholder="Bearer token"
                    autocomplete="off"
                    bind:value=bearer
                />
                <button
                    type="button"
                    class="small"
                    on:click=move |_| {
                        add(Header::bearer(&bearer.get_untracked()));
                        bearer.set(String::new());
                    }
                >
                    "Add Bearer token"
                </button>
            </div>
            <div class="header-helpers">
                <input
                    type="text"
                    aria-label="User name"
                    placeholder="user"
                    autocomplete="off"
                    bind:value=user
                />
                <input
                    type="password"
                    aria-label="Password"
                    placeholder="password"
                    autocomplete="off"
                    bind:value=password
                />
                <button
                    type="button"
                    class="small"
                    on:click=move |_| {
                        add(Header::basic(&user.get_untracked(), &password.get_untracked()));
                        password.set(String::new());
                    }
                >
                    "Add Basic auth"
                </button>
            </div>
            <label class="option">
                <span>"Cookies"</span>
                <input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="name=value; other=2"
                    bind:value=session.cookies
                />
            </label>
            <label class="toggle">
                <input type="checkbox" bind:checked=session.use_relay />
                "Use relay"
            </label>
            <label class="option">
                <span>"Relay address"</span>
                <input
                    type="text"
                    spellcheck="false"
                    prop:value=move || session.relay_address.get()
                    on:change=move |ev| {
                        let address = event_target_value(&ev);
                        library.set_setting(RELAY_ADDRESS_KEY, &address);
                        session.relay_address.set(address);
                    }
                />
            </label>
            <label class="option">
                <span>"Relay token"</span>
                <input
                    type="password"
                    autocomplete="off"
                    prop:value=move || session.relay_token.get()
                    on:change=move |ev| {
                        let token = event_target_value(&ev).trim().to_string();
                        library.set_setting(RELAY_TOKEN_KEY, &token);
                        session.relay_token.set(token);
                    }
                />
            </label>
            <p class="hint" class:hidden=move || !needed()>
                {move || {
                    format!("Connections go through the relay at {}.", session.relay_address.get())
                }}
            </p>
        </details>
    }
}

const WORDS: RowWords = RowWords {
    class: "header-row",
    send: "Send header",
    name: "Header name",
    value: "Header value",
    name_placeholder: "Name",
    remove: "Remove header",
    secret: "",
    secret_word: None,
    mask_secret_value: false,
};

#[component]
fn HeaderRow(session: Session, id: u64) -> impl IntoView {
    let row = Signal::derive(move || {
        let h = session.headers.get(id).unwrap_or_default();
        // A row not yet filled in is not wrong.
        let problem = (!h.name.is_empty() || !h.value.is_empty())
            .then(|| h.problem())
            .flatten();
        NameValue {
            enabled: Some(h.enabled),
            name: h.name,
            value: h.value,
            problem,
            ..NameValue::default()
        }
    });
    let on_edit = move |edit: RowEdit| {
        session.headers.edit(id, |h| match edit {
            RowEdit::Enabled(on) => h.enabled = on,
            RowEdit::Name(name) => h.name = name,
            RowEdit::Value(value) => h.value = value,
            RowEdit::Secret(_) => {}
        })
    };
    let on_remove = move |()| session.headers.remove(id);
    view! { <NameValueRow words=WORDS row on_edit on_remove /> }
}
