//! Helpers that add the usual credential headers: a Bearer token, or Basic auth.

use leptos::prelude::*;
use wsprobe_core::relay::Header;

use crate::editor::use_editor;

#[component]
pub fn HeaderHelpers() -> impl IntoView {
    let editor = use_editor();
    let bearer = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let add = move |header: Header| editor.headers.push(header);
    view! {
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
    }
}
