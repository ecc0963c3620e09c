//! The page: every visible part, laid out, sharing one session.

use leptos::prelude::*;

use crate::components::{
    composer::Composer, connection_options::ConnectionOptionsPanel,
    connection_state::ConnectionState, consent_prompt::ConsentPrompt, counters::Counters,
    entry_detail::EntryDetail, environments::Environments, handshake_panel::HandshakePanel,
    help_dialog::HelpDialog, history_list::HistoryList, log_announcer::LogAnnouncer,
    log_toolbar::LogToolbar, message_log::MessageLog, notices::Notices, params_table::ParamsTable,
    relay_panel::RelayPanel, request_bar::RequestBar, save_bar::SaveBar, saved_nav::SavedNav,
    scenario_panel::ScenarioPanel, share_box::ShareBox, theme_switch::ThemeSwitch,
};
use crate::context::UpdateReady;
use crate::editor::Editor;
use crate::glue::{offline, page};
use crate::library::Library;
use crate::relay_settings::RelaySettings;
use crate::scenario_run::ScenarioRun;
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
    provide_context(ScenarioRun::new(session));
    session.start_timers();
    let update_ready = RwSignal::new(false);
    provide_context(UpdateReady(update_ready));
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
            <ConnectionState />
            <ThemeSwitch />
            <HelpDialog />
        </header>
        <div class="shell">
            <aside class="library" aria-label="Library">
                <section class="panel request-panel" aria-labelledby="request-title">
                    <h2 id="request-title">"This request"</h2>
                    <SaveBar />
                    <ShareBox />
                </section>
                <SavedNav />
                <Environments />
                <HistoryList />
            </aside>
            <main class="workspace">
                <Notices />
                <ConsentPrompt />
                <RequestBar />
                <ParamsTable />
                <div class="panes">
                    <div class="side">
                        <HandshakePanel />
                        <ConnectionOptionsPanel />
                        <RelayPanel />
                        <Composer />
                        <ScenarioPanel />
                    </div>
                    <section class="log-pane" aria-labelledby="log-title">
                        <div class="log-head">
                            <h2 id="log-title">"Messages"</h2>
                            <Counters />
                        </div>
                        <LogToolbar />
                        <MessageLog />
                        <LogAnnouncer />
                        <EntryDetail />
                    </section>
                </div>
            </main>
        </div>
    }
}
