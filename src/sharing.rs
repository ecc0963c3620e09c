//! Share links: made from the request being edited, and opened from the page's fragment.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wsprobe_core::relay::pairing;
use wsprobe_core::request::Request;
use wsprobe_core::share_link;

use crate::context::injected;
use crate::editor::{Editor, EditorSnapshot};
use crate::glue::page;
use crate::lazy::{Loaded, split_point};

/// Below this many bytes a request is encoded on every edit (well under a millisecond);
/// above it, once typing pauses, so that a large draft does not make typing lag.
const ENCODE_AT_ONCE_BELOW: usize = 16 * 1024;
const TYPING_PAUSE_MS: u64 = 300;

#[derive(Clone, Copy)]
pub struct Sharing {
    editor: Editor,
    /// The person chose to put secret parameter values in the link.
    pub include_secrets: RwSignal<bool>,
    /// Follows the edits (at once, or when typing pauses on a large request).
    pub link: RwSignal<String>,
    /// What became of a link this page was opened with: (message, is it an error).
    pub opened: RwSignal<Option<(String, bool)>>,
    /// What the editor held before a link replaced unsaved edits.
    pub undo: RwSignal<Option<EditorSnapshot>>,
}

/// Share links, as provided at the page's top.
pub fn use_sharing() -> Sharing {
    injected()
}

impl Sharing {
    pub fn new(editor: Editor) -> Self {
        let this = Self {
            editor,
            include_secrets: RwSignal::new(false),
            link: RwSignal::new(String::new()),
            opened: RwSignal::new(None),
            undo: RwSignal::new(None),
        };
        this.open_from_fragment();
        let listener = page::on_fragment_change(move || this.open_from_fragment());
        on_cleanup(move || listener.remove());
        this
    }

    /// The link for the request as it is now.
    fn link_now(&self) -> String {
        let request = untrack(|| self.editor.request());
        let request = if self.include_secrets.get_untracked() {
            request
        } else {
            request.without_secrets()
        };
        format!("{}#{}", page::address(), share_link::encode(&request))
    }

    /// Copy share link: the link as it is now, also shown in the field.
    pub fn refresh(&self) -> String {
        let link = self.link_now();
        self.link.set(link.clone());
        link
    }

    /// Keeps `link` up to date while the share box (whose chunk this is in) is on the page.
    pub fn follow_edits(&self) {
        let this = *self;
        let pending = StoredValue::new_local(None::<TimeoutHandle>);
        let cancel = move || {
            if let Some(timer) = pending.try_update_value(Option::take).flatten() {
                timer.clear();
            }
        };
        Effect::new(move |_| {
            let size = this.editor.request_size();
            this.include_secrets.track();
            cancel();
            if size < ENCODE_AT_ONCE_BELOW {
                this.refresh();
            } else {
                let timer = set_timeout_with_handle(
                    move || {
                        this.refresh();
                    },
                    std::time::Duration::from_millis(TYPING_PAUSE_MS),
                );
                pending.set_value(timer.ok());
            }
        });
        on_cleanup(cancel);
    }

    /// Opens a share link in the address, if there is one, once the code that reads links
    /// has loaded (it is in the panels chunk, src/lazy.rs).
    fn open_from_fragment(&self) {
        let fragment = page::fragment();
        // A pairing link is the relay settings' (src/relay_settings.rs).
        if fragment.is_empty() || pairing::is_pairing_link(&fragment) {
            return;
        }
        let this = *self;
        spawn_local(async move {
            match open_link_chunk().await {
                Ok(open) => open(this),
                // The link stays in the address, so a reload once online opens it.
                Err(_) => this.opened.set(Some((
                    "This page was opened with a shared request, but the part of wsprobe that \
                     reads links could not be loaded. Check the connection and reload the page."
                        .into(),
                    true,
                ))),
            }
        });
    }

    /// Fills the editor from a share link in the address, without connecting and without
    /// touching anything saved; says what happened either way. Unsaved edits it replaces can
    /// be brought back.
    fn open_fragment_now(&self) {
        let fragment = page::fragment();
        if fragment.is_empty() || pairing::is_pairing_link(&fragment) {
            return;
        }
        // First, so that a reload never reopens the link, even one that stalls the page.
        page::forget_fragment();
        match share_link::decode(&fragment) {
            Ok(request) => self.open(request),
            Err(why) => self.opened.set(Some((why.to_string(), true))),
        }
    }

    fn open(&self, request: Request) {
        let editor = self.editor;
        let left_out = left_out(&request);
        let undo = editor.has_unsaved_edits().then(|| editor.snapshot());
        editor.load(request);
        editor.saved_id.set(None);
        editor.name.set(String::new());
        editor.hold_linked_request();
        let mut message =
            "Opened a shared request. It is not saved yet, and nothing you saved was changed."
                .to_string();
        if !left_out.is_empty() {
            message.push_str(&format!(
                " The sender left out the value of {}: fill it in before connecting.",
                left_out.join(", ")
            ));
        }
        if undo.is_some() {
            message.push_str(" It replaced edits you had not saved: Undo brings them back.");
        }
        self.undo.set(undo);
        self.opened.set(Some((message, false)));
    }

    /// Puts back what the editor held before the link was opened.
    pub fn undo_open(&self) {
        if let Some(snapshot) = self.undo.try_update(Option::take).flatten() {
            self.editor.restore(snapshot);
            self.opened
                .set(Some(("Your earlier edits are back.".into(), false)));
        }
    }
}

split_point! {
    panels:
    fn open_link_chunk() -> Loaded<fn(Sharing)> {
        Ok(|sharing| sharing.open_fragment_now())
    }
}

/// What the sender left out, by name, for the receiver to fill in.
fn left_out(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request
        .params
        .iter()
        .filter(|p| p.secret && p.value.is_empty())
        .map(|p| p.name.clone())
        .collect();
    if request.subprotocols.split(',').any(|p| p.trim().is_empty())
        && !request.subprotocols.trim().is_empty()
    {
        names.push("a token sent as a subprotocol".into());
    }
    names
}
