//! The raw handshake the relay saw: request and response heads, and how long each step took;
//! and pings, which only the relay can send.

use leptos::prelude::*;
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::protocol::note::format_ms;
use wsprobe_core::relay::{Handshake, HttpHead};

use crate::lazy::{Loaded, split_point};
use crate::session::use_session;

#[component]
pub fn RawHandshake() -> impl IntoView {
    let session = use_session();
    let handshake = move || {
        session
            .attempt
            .with(|a| a.as_ref().and_then(|a| a.relay_handshake.clone()))
    };
    let open = move || session.state() == ConnectionState::Open;
    view! {
        {move || handshake().map(|h| view! { <HandshakeHeads handshake=h /> })}
        <Show when=move || open() && handshake().is_some()>
            <div class="ping-row">
                <button type="button" class="small" on:click=move |_| session.ping()>
                    "Ping"
                </button>
                <span role="status">
                    {move || {
                        session.last_pong_ms.get().map(|ms| format!("Pong after {}", format_ms(ms)))
                    }}
                </span>
            </div>
        </Show>
    }
}

#[component]
fn HandshakeHeads(handshake: Handshake) -> impl IntoView {
    let t = handshake.timings;
    let ms = |v: Option<f64>| v.map(format_ms).unwrap_or_else(|| "\u{2014}".into());
    let timings = format!(
        "DNS {} \u{b7} TCP {} \u{b7} TLS {} \u{b7} upgrade {}",
        ms(t.dns_ms),
        ms(t.tcp_ms),
        ms(t.tls_ms),
        ms(t.upgrade_ms)
    );
    view! {
        <div class="raw-handshake">
            <h3>"Raw handshake (through the relay)"</h3>
            <p class="hint">{timings}</p>
            {handshake.request.map(|head| view! { <Head title="Request" head /> })}
            {handshake.response.map(|head| view! { <Head title="Response" head /> })}
        </div>
    }
}

#[component]
fn Head(title: &'static str, head: HttpHead) -> impl IntoView {
    let mut text = head.line.clone();
    for (name, value) in &head.headers {
        text.push_str(&format!("\n{name}: {value}"));
    }
    if let Some(body) = head.body.filter(|b| !b.is_empty()) {
        text.push_str(&format!("\n\n{body}"));
    }
    view! {
        <details class="head" open>
            <summary>{title}</summary>
            <pre class="mono">{text}</pre>
        </details>
    }
}

split_point! {
    panels:
    /// The split point: this panel's code is in `split_panels.wasm` (src/lazy.rs).
    pub fn raw_handshake_chunk() -> Loaded<fn() -> AnyView> {
        Ok(|| view! { <RawHandshake /> }.into_any())
    }
}
