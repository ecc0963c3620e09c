//! Headers and cookies, which only the local relay can send, and where that relay is.

use leptos::prelude::*;
use wsprobe_core::relay::Header;

use crate::session::{RELAY_ADDRESS_KEY, RELAY_TOKEN_KEY, Session};

#[component]
pub fn RelayPanel(session: Session) -> impl IntoView {
    let rows = move || 0..session.headers.with(Vec::len);
    let bearer = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let add = move |header: Header| session.headers.update(|all| all.push(header));
    let needed = move || session.needs_relay();
    let library = session.library;
    view! {
        <details class="panel relay" open=needed>
            <summary>
                <h2>"Headers, cookies and relay"</h2>
            </summary>
            <p class="hint">
                "Browsers cannot send headers, or cookies for another site, with a WebSocket. With any header or cookie set, or \u{201c}Use relay\u{201d} ticked, wsprobe connects through the relay on this machine, which also shows the raw handshake and sends pings. Start it with "
                <code>"cargo run -p wsprobe-relay"</code>
                " and paste the token it prints."
            </p>
            <div class="header-rows">
                <For each=rows key=|i| *i let:i>
                    <HeaderRow session i />
                </For>
            </div>
            <div class="header-helpers">
                <button type="button" class="small" on:click=move |_| add(Header::default())>"Add header"</button>
                <input type="text" aria-label="Bearer token" placeholder="Bearer token" autocomplete="off" bind:value=bearer />
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
                <input type="text" aria-label="User name" placeholder="user" autocomplete="off" bind:value=user />
                <input type="password" aria-label="Password" placeholder="password" autocomplete="off" bind:value=password />
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
                <input type="text" spellcheck="false" autocomplete="off" placeholder="name=value; other=2" bind:value=session.cookies />
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
                {move || format!("Connections go through the relay at {}.", session.relay_address.get())}
            </p>
        </details>
    }
}

#[component]
fn HeaderRow(session: Session, i: usize) -> impl IntoView {
    let header = move || {
        session
            .headers
            .with(|all| all.get(i).cloned().unwrap_or_default())
    };
    let edit = move |change: &dyn Fn(&mut Header)| {
        session.headers.update(|all| {
            if let Some(h) = all.get_mut(i) {
                change(h);
            }
        })
    };
    let problem = move || {
        let h = header();
        if h.name.is_empty() && h.value.is_empty() {
            None
        } else {
            h.problem()
        }
    };
    view! {
        <div class="header-row">
            <input
                type="checkbox"
                aria-label="Send header"
                prop:checked=move || header().enabled
                on:change=move |ev| edit(&|h| h.enabled = event_target_checked(&ev))
            />
            <input
                type="text"
                aria-label="Header name"
                placeholder="Name"
                spellcheck="false"
                aria-invalid=move || problem().is_some().to_string()
                prop:value=move || header().name
                on:input=move |ev| edit(&|h| h.name = event_target_value(&ev))
            />
            <input
                type="text"
                aria-label="Header value"
                placeholder="value"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || header().value
                on:input=move |ev| edit(&|h| h.value = event_target_value(&ev))
            />
            <button
                type="button"
                class="small icon"
                aria-label="Remove header"
                on:click=move |_| {
                    session
                        .headers
                        .update(|all| {
                            if i < all.len() {
                                all.remove(i);
                            }
                        })
                }
            >
                "\u{d7}"
            </button>
            <p class="hint error" role="alert">{problem}</p>
        </div>
    }
}
