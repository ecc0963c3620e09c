//! The page: every visible part, laid out, sharing one session.

use leptos::prelude::*;

use crate::components::{
    composer::Composer, connection_options::ConnectionOptionsPanel,
    connection_state::ConnectionState, consent_prompt::ConsentPrompt, counters::Counters,
    entry_detail::EntryDetail, environments::Environments, handshake_panel::HandshakePanel,
    help_dialog::HelpDialog, history_list::HistoryList, log_announcer::LogAnnouncer,
    log_toolbar::LogToolbar, message_log::MessageLog, notices::Notices, params_table::ParamsTable,
    relay_panel::RelayPanel, request_bar::RequestBar, save_bar::SaveBar, saved_nav::SavedNav,
    share_box::ShareBox, theme_switch::ThemeSwitch,
};
use crate::glue::{offline, page};
use crate::library::Library;
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
    let session = Session::new(starting_url(), Library::open());
    let sharing = Sharing::new(session);
    let sending = Sending::new(session);
    session.start_timers();
    let update_ready = RwSignal::new(false);
    offline::register(move || update_ready.set(true));
    view! {
        <header class="masthead">
            <h1 class="brand">
                <span class="brand-mark" aria-hidden="true">
                    "⇄"
                </span>
                "wsprobe"
            </h1>
            <p class="tagline">"WebSocket tester, in your browser"</p>
            <ConnectionState session />
            <ThemeSwitch library=session.library />
            <HelpDialog />
        </header>
        <div class="shell">
            <aside class="library" aria-label="Library">
                <section class="panel request-panel" aria-labelledby="request-title">
                    <h2 id="request-title">"This request"</h2>
                    <SaveBar session />
                    <ShareBox session sharing />
                </section>
                <SavedNav session />
                <Environments library=session.library />
                <HistoryList session />
            </aside>
            <main class="workspace">
                <Notices session sharing update_ready />
                <ConsentPrompt session />
                <RequestBar session />
                <ParamsTable session />
                <div class="panes">
                    <div class="side">
                        <HandshakePanel session />
                        <ConnectionOptionsPanel session />
                        <RelayPanel session />
                        <Composer session sending />
                    </div>
                    <section class="log-pane" aria-labelledby="log-title">
                        <div class="log-head">
                            <h2 id="log-title">"Messages"</h2>
                            <Counters session />
                        </div>
                        <LogToolbar session />
                        <MessageLog session />
                        <LogAnnouncer session />
                        <EntryDetail session />
                    </section>
                </div>
            </main>
        </div>
    }
}
