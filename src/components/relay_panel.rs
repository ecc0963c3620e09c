//! Headers and cookies, which only the local relay can send, and where that relay is.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::header_helpers::HeaderHelpers;
use crate::components::name_value_row::{NameValueRow, RowWords};
use crate::components::relay_command::RelayCommand;
use crate::components::relay_settings::RelaySettingsForm;
use crate::components::relay_status::RelayStatusLine;
use crate::editor::Editor;
use crate::editor::use_editor;
use crate::lazy::{Loaded, split_point};
use crate::relay_settings::use_relay_settings;
use crate::rows::{NameValue, RowEdit};

#[component]
pub fn RelayPanel() -> impl IntoView {
    let editor = use_editor();
    let relay = use_relay_settings();
    let needed = move || editor.needs_relay();
    // Checked when the panel opens and whenever the address or token change while it is open.
    let panel_open = RwSignal::new(false);
    Effect::new(move |_| {
        relay.address.track();
        relay.token.track();
        if panel_open.get() {
            relay.check(|_, _| {});
        }
    });
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|details| details.has_attribute("open"));
        panel_open.set(open);
    };
    view! {
        <details class="panel relay" open=needed on:toggle=on_toggle>
            <summary>
                <h2>"Headers, cookies and relay"</h2>
            </summary>
            <p class="hint">
                "Browsers cannot send headers, or cookies for another site, with a WebSocket. With any header or cookie set, or \u{201c}Use relay\u{201d} ticked, wsprobe connects through the relay on this machine, which also shows the raw handshake and sends pings."
            </p>
            <div class="header-rows">
                <For each=move || editor.headers.ids() key=|id| *id let:id>
                    <HeaderRow editor id />
                </For>
            </div>
            <HeaderHelpers />
            <label class="option">
                <span>"Cookies"</span>
                <input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="name=value; other=2"
                    bind:value=editor.cookies
                />
            </label>
            <label class="toggle">
                <input type="checkbox" bind:checked=editor.use_relay />
                "Use relay"
            </label>
            <RelaySettingsForm />
            <RelayStatusLine />
            <RelayCommand />
            <p class="hint" class:hidden=move || !needed()>
                {move || {
                    format!("Connections go through the relay at {}.", relay.address.get())
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
fn HeaderRow(editor: Editor, id: u64) -> impl IntoView {
    let row = Signal::derive(move || {
        let h = editor.headers.get(id).unwrap_or_default();
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
        editor.headers.edit(id, |h| match edit {
            RowEdit::Enabled(on) => h.enabled = on,
            RowEdit::Name(name) => h.name = name,
            RowEdit::Value(value) => h.value = value,
            RowEdit::Secret(_) => {}
        })
    };
    let on_remove = move |()| editor.headers.remove(id);
    view! { <NameValueRow words=WORDS row on_edit on_remove /> }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn relay_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <RelayPanel /> }.into_any())
    }
}
