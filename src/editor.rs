//! The request being edited: what a person types before connecting, which request it is
//! (saved or from someone's link), and how it is loaded, read and taken back.

use leptos::prelude::*;
use wsprobe_core::compose::Format;
use wsprobe_core::link_trust::{ConsentNeeded, LinkTrust};
use wsprobe_core::protocol::engine_io;
use wsprobe_core::protocol::settings::ProtocolSettings;
use wsprobe_core::query::{self, Param};
use wsprobe_core::relay::{Header, needs_relay};
use wsprobe_core::request::{Request, Template};
use wsprobe_core::saved::SavedRequest;
use wsprobe_core::scenario::Scenario;

use crate::context::injected;
use crate::library::Library;
use crate::rows::RowList;
use crate::session::AfterConsent;

#[derive(Clone, Copy)]
pub struct Editor {
    /// As typed, query included; change it with `edit_url` so the parameter table follows.
    pub url: RwSignal<String>,
    /// The query as a table; change it with `edit_params` so the URL follows.
    pub params: RowList<Param>,
    pub subprotocols: RwSignal<String>,
    pub message: RwSignal<String>,
    pub format: RwSignal<Format>,
    pub templates: RowList<Template>,
    pub headers: RowList<Header>,
    pub cookies: RwSignal<String>,
    pub use_relay: RwSignal<bool>,
    /// The test kept with the request.
    pub scenario: RwSignal<Scenario>,
    /// The protocol spoken over the socket, with its settings (they change together).
    pub protocol: RwSignal<ProtocolSettings>,
    /// The saved request the editor holds, if it came from one or was saved.
    pub saved_id: RwSignal<Option<String>>,
    /// The name to save under.
    pub name: RwSignal<String>,
    /// Why the last Connect was refused before dialling; cleared by editing.
    pub request_error: RwSignal<Option<String>>,
    /// Set while the editor holds a request opened from a share link: what the person agreed
    /// to send where.
    pub link_trust: RwSignal<Option<LinkTrust>>,
    /// A question for the person before a linked request sends their secrets.
    pub consent_needed: RwSignal<Option<(ConsentNeeded, AfterConsent)>>,
    /// Where saved requests live, to tell whether the editor's one is still saved.
    library: Library,
    /// What a fresh page holds: not an edit of the person's.
    starting: StoredValue<Request>,
}

/// The request being edited, as provided at the page's top.
pub fn use_editor() -> Editor {
    injected()
}

impl Editor {
    pub fn new(url: &str, library: Library) -> Self {
        Self {
            url: RwSignal::new(url.to_string()),
            params: RowList::new(query::params_after_url_edit(url, &[])),
            subprotocols: RwSignal::new(String::new()),
            message: RwSignal::new(String::new()),
            format: RwSignal::new(Format::Text),
            templates: RowList::new(Vec::new()),
            headers: RowList::new(Vec::new()),
            cookies: RwSignal::new(String::new()),
            use_relay: RwSignal::new(false),
            scenario: RwSignal::new(Scenario::default()),
            protocol: RwSignal::new(ProtocolSettings::default()),
            saved_id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            request_error: RwSignal::new(None),
            link_trust: RwSignal::new(None),
            consent_needed: RwSignal::new(None),
            library,
            starting: StoredValue::new(
                Request {
                    url: url.to_string(),
                    ..Request::default()
                }
                .in_step(),
            ),
        }
    }

    pub fn edit_url(&self, url: String) {
        self.params.rebuild(
            |params| query::params_after_url_edit(&url, &params),
            |p| p.name.clone(),
        );
        self.url.set(url);
        self.request_error.set(None);
    }

    /// Gives the URL what a Socket.IO server needs (its path, `EIO` and `transport`), so the
    /// parameters table shows what will be dialled.
    pub fn dial_socket_io(&self) {
        let release = self.protocol.with_untracked(|p| p.socket_io.release);
        let url = self.url.get_untracked();
        let dialled = engine_io::dial_url(&url, release.engine());
        if dialled != url {
            self.edit_url(dialled);
        }
    }

    /// Changes the table with `edit` (given the rows), then rewrites the URL's query.
    pub fn edit_params(&self, edit: impl FnOnce(RowList<Param>)) {
        edit(self.params);
        let params = untrack(|| self.params.values());
        self.url
            .update(|url| *url = query::with_params(url, &params));
        self.request_error.set(None);
    }

    /// The request being edited (tracked, so a memo of it follows every edit).
    pub fn request(&self) -> Request {
        Request {
            url: self.url.get(),
            params: self.params.values(),
            subprotocols: self.subprotocols.get(),
            message: self.message.get(),
            format: self.format.get(),
            templates: self.templates.values(),
            headers: self.headers.values(),
            cookies: self.cookies.get(),
            use_relay: self.use_relay.get(),
            scenario: self.scenario.get(),
            protocol: self.protocol.get(),
        }
    }

    /// Fills the editor with `request`; the connection, if any, is left alone. A request
    /// from a share link is marked so afterwards (`hold_linked_request`).
    pub fn load(&self, request: Request) {
        self.link_trust.set(None);
        self.consent_needed.set(None);
        let request = request.in_step();
        self.url.set(request.url);
        self.params.set(request.params);
        self.subprotocols.set(request.subprotocols);
        self.message.set(request.message);
        self.format.set(request.format);
        self.templates.set(request.templates);
        self.headers.set(request.headers);
        self.cookies.set(request.cookies);
        self.use_relay.set(request.use_relay);
        self.scenario.set(request.scenario);
        self.protocol.set(request.protocol);
        self.request_error.set(None);
    }

    /// From now on the editor holds a request from someone else's link.
    pub fn hold_linked_request(&self) {
        self.link_trust.set(Some(LinkTrust::default()));
        self.consent_needed.set(None);
    }

    /// Roughly how many bytes the request holds (tracked: follows every edit without copying).
    pub fn request_size(&self) -> usize {
        let rows = |pairs: &mut dyn Iterator<Item = (&String, &String)>| -> usize {
            pairs.map(|(a, b)| a.len() + b.len() + 8).sum()
        };
        self.format.track();
        self.use_relay.track();
        self.url.with(String::len)
            + self.subprotocols.with(String::len)
            + self.message.with(String::len)
            + self.cookies.with(String::len)
            + self
                .params
                .with(|p| rows(&mut p.iter().map(|p| (&p.value.name, &p.value.value))))
            + self
                .headers
                .with(|h| rows(&mut h.iter().map(|h| (&h.value.name, &h.value.value))))
            + self
                .templates
                .with(|t| rows(&mut t.iter().map(|t| (&t.value.name, &t.value.text))))
            // Steps are edited rarely and are small; an estimate spares a copy per keystroke.
            + self.scenario.with(|s| s.steps.len() * 128)
            + self.protocol.with(|p| {
                let g = &p.graphql;
                p.socket_io.auth.len()
                    + g.init_payload.len()
                    + g.variables.len()
                    + g.operation_name.len()
                    + p.stomp.headers.len()
                    + 64
            })
    }

    /// Whether Connect goes through the relay (tracked); reads only what decides it, so a
    /// long message draft is not copied on every keystroke.
    pub fn needs_relay(&self) -> bool {
        let headers = self.headers.values();
        self.cookies
            .with(|cookies| needs_relay(self.use_relay.get(), cookies, &headers))
    }

    /// The saved request the editor holds (tracked), if it is still saved.
    pub fn loaded(&self) -> Option<SavedRequest> {
        let id = self.saved_id.get()?;
        self.library
            .requests
            .items
            .with(|all| all.iter().find(|r| r.id == id).cloned())
    }

    /// Whether the editor holds edits that are not saved anywhere.
    pub fn has_unsaved_edits(&self) -> bool {
        untrack(|| {
            let now = self.request().in_step();
            match self.loaded() {
                Some(loaded) => loaded.request != now,
                None => self.starting.with_value(|starting| *starting != now),
            }
        })
    }

    /// What the editor holds, to bring back with `restore`.
    pub fn snapshot(&self) -> EditorSnapshot {
        untrack(|| EditorSnapshot {
            request: self.request(),
            saved_id: self.saved_id.get(),
            name: self.name.get(),
            link_trust: self.link_trust.get(),
        })
    }

    pub fn restore(&self, snapshot: EditorSnapshot) {
        self.load(snapshot.request);
        self.saved_id.set(snapshot.saved_id);
        self.name.set(snapshot.name);
        // A request that came from a link is still someone else's once it is back.
        self.link_trust.set(snapshot.link_trust);
    }
}

/// What the editor held, to bring back after opening something over unsaved edits.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorSnapshot {
    request: Request,
    saved_id: Option<String>,
    name: String,
    link_trust: Option<LinkTrust>,
}
