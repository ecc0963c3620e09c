//! The page: every visible part, laid out, sharing one session.

use leptos::prelude::*;
use wsprobe_core::protocol::settings::Protocol;

use crate::components::{
    composer::Composer, connection_options::connection_options_chunk,
    connection_state::ConnectionState, consent_prompt::consent_chunk, counters::Counters,
    entry_detail::entry_detail_chunk, environments::environments_chunk,
    handshake_panel::HandshakePanel, help_dialog::HelpDialog, history_list::history_chunk,
    log_announcer::LogAnnouncer, log_toolbar::log_toolbar_chunk, message_log::MessageLog,
    notices::Notices, params_table::params_chunk, protocol_panel::protocol_chunk,
    relay_panel::relay_chunk, request_bar::RequestBar, save_bar::save_chunk,
    saved_nav::saved_chunk, scenario_panel::scenario_chunk, share_box::share_chunk,
    theme_switch::ThemeSwitch,
};
use crate::context::UpdateReady;
use crate::editor::Editor;
use crate::glue::{offline, page};
use crate::lazy::{Chunk, chunk_panel, panel, quiet_panel};
use crate::library::Library;
use crate::relay_settings::RelaySettings;
use crate::sending::Sending;
use crate::session::Session;
use crate::sharing::Sharing;

/// On a page served from this machine, start on the local test server's echo endpoint.
fn starting_url() -> &'static str {
    match page::hostname().as_str() {
        "127.0.0.1" | "localhost" | "[::1]" => "ws://127.0.0.1:9001/echo",
        _ => "",
    }
}

#[component]
pub fn App() -> impl IntoView {
    // Each piece of state is provided once; components read it through its accessor.
    let library = Library::open();
    let editor = Editor::new(starting_url(), library);
    let relay = RelaySettings::new(library);
    let session = Session::new(editor, relay, library);
    provide_context(library);
    provide_context(editor);
    provide_context(relay);
    provide_context(session);
    provide_context(session.log);
    provide_context(Sharing::new(editor));
    provide_context(Sending::new(session));
    session.start_timers();
    let update_ready = RwSignal::new(false);
    provide_context(UpdateReady(update_ready));
    offline::register(move || update_ready.set(true));
    let protocol_panel = Chunk::new("the protocol panel", || Box::pin(protocol_chunk()));
    // A protocol chosen (or opened with a request) loads its code now, not when the page is
    // next idle: Connect waits for it.
    Effect::new(move |_| {
        if editor.protocol.with(|p| p.protocol != Protocol::WebSocket) {
            protocol_panel.start();
        }
    });
    view! {
        <header class="masthead">
            <h1 class="brand">
                <span class="brand-mark" aria-hidden="true">
                    "⇄"
                </span>
                "wsprobe"
            </h1>
            <p class="tagline">"WebSocket tester, in your browser"</p>
            <ConnectionState />
            <ThemeSwitch />
            <HelpDialog />
        </header>
        <div class="shell">
            <aside class="library" aria-label="Library">
                <section class="panel request-panel" aria-labelledby="request-title">
                    <h2 id="request-title">"This request"</h2>
                    {panel("the request name", || Box::pin(save_chunk()))}
                    {panel("the share link", || Box::pin(share_chunk()))}
                </section>
                {panel("the saved requests", || Box::pin(saved_chunk()))}
                {panel("the environments", || Box::pin(environments_chunk()))}
                {panel("the history", || Box::pin(history_chunk()))}
            </aside>
            <main class="workspace">
                <Notices />
                {quiet_panel("the question about secrets", || Box::pin(consent_chunk()))}
                <RequestBar />
                {panel("the query parameters", || Box::pin(params_chunk()))}
                <div class="panes">
                    <div class="side">
                        <HandshakePanel />
                        {panel("the connection options", || Box::pin(connection_options_chunk()))}
                        {panel("the relay settings", || Box::pin(relay_chunk()))}
                        <Composer />
                        {chunk_panel(protocol_panel)}
                        {panel("the scenario", || Box::pin(scenario_chunk()))}
                    </div>
                    <section class="log-pane" aria-labelledby="log-title">
                        <div class="log-head">
                            <h2 id="log-title">"Messages"</h2>
                            <Counters />
                        </div>
                        {panel("the log's filter and tools", || Box::pin(log_toolbar_chunk()))}
                        <MessageLog />
                        <LogAnnouncer />
                        {quiet_panel("the entry view", || Box::pin(entry_detail_chunk()))}
                    </section>
                </div>
            </main>
        </div>
    }
}
