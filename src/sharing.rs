//! Share links: made from the request being edited, and opened from the page's fragment.

use leptos::prelude::*;
use wsprobe_core::share_link;

use crate::glue::page;
use crate::session::Session;

#[derive(Clone, Copy)]
pub struct Sharing {
    /// The person chose to put secret parameter values in the link.
    pub include_secrets: RwSignal<bool>,
    /// Follows every edit.
    pub link: Memo<String>,
    /// What became of a link this page was opened with: (message, is it an error).
    pub opened: RwSignal<Option<(String, bool)>>,
}

impl Sharing {
    pub fn new(session: Session) -> Self {
        let include_secrets = RwSignal::new(false);
        let link = Memo::new(move |_| {
            let request = session.request();
            let request = if include_secrets.get() {
                request
            } else {
                request.without_secrets()
            };
            format!("{}#{}", page::address(), share_link::encode(&request))
        });
        let this = Self {
            include_secrets,
            link,
            opened: RwSignal::new(None),
        };
        this.open_from_fragment(session);
        page::on_fragment_change(move || this.open_from_fragment(session));
        this
    }

    /// Fills the editor from a share link in the address, without connecting and without
    /// touching anything saved; says what happened either way.
    fn open_from_fragment(&self, session: Session) {
        let fragment = page::fragment();
        if fragment.is_empty() {
            return;
        }
        match share_link::decode(&fragment) {
            Ok(request) => {
                let left_out: Vec<String> = request
                    .params
                    .iter()
                    .filter(|p| p.secret && p.value.is_empty())
                    .map(|p| p.name.clone())
                    .collect();
                session.load(request);
                session.saved_id.set(None);
                session.name.set(String::new());
                let mut message = "Opened a shared request. It is not saved yet, and nothing you saved was changed.".to_string();
                if !left_out.is_empty() {
                    message.push_str(&format!(
                        " The sender left out the value of {}: fill it in before connecting.",
                        left_out.join(", ")
                    ));
                }
                self.opened.set(Some((message, false)));
                // Reloading should not open the link again over later edits.
                page::forget_fragment();
            }
            Err(why) => self.opened.set(Some((why.to_string(), true))),
        }
    }
}
