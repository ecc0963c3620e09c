//! The page: every visible part, laid out, sharing one session.

use leptos::prelude::*;

use crate::components::{
    composer::Composer, connection_state::ConnectionState, counters::Counters, entry_detail::EntryDetail,
    handshake_panel::HandshakePanel, log_toolbar::LogToolbar, message_log::MessageLog, request_bar::RequestBar,
};
use crate::glue::page;
use crate::session::Session;

/// On a page served from this machine, start on the local test server's echo endpoint.
fn starting_url() -> &'static str {
    match page::hostname().as_str() {
        "127.0.0.1" | "localhost" | "[::1]" => "ws://127.0.0.1:9001/echo",
        _ => "",
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new(starting_url());
    view! {
        <header class="masthead">
            <h1 class="brand">
                <span class="brand-mark" aria-hidden="true">"⇄"</span>
                "wsprobe"
            </h1>
            <p class="tagline">"WebSocket tester, in your browser"</p>
            <ConnectionState session />
        </header>
        <main class="workspace">
            <RequestBar session />
            <div class="panes">
                <div class="side">
                    <HandshakePanel session />
                    <Composer session />
                </div>
                <section class="log-pane" aria-labelledby="log-title">
                    <div class="log-head">
                        <h2 id="log-title">"Messages"</h2>
                        <Counters session />
                    </div>
                    <LogToolbar session />
                    <MessageLog session />
                    <EntryDetail session />
                </section>
            </div>
        </main>
    }
}
