//! What the composer does: send the draft (as its format says, variables replaced), send a
//! file or a template, recall earlier messages, and repeat a message on a timer.

use leptos::prelude::*;
use wsprobe_core::compose::{self, Format, Frame};
use wsprobe_core::connection::ConnectionState;
use wsprobe_core::recall::Recall;
use wsprobe_core::repeat::Repeat;
use wsprobe_core::request::Template;

use crate::context::injected;
use crate::session::{AfterConsent, Session};

#[derive(Clone, Copy)]
pub struct Sending {
    session: Session,
    /// Why the last send failed, until the next one.
    pub error: RwSignal<Option<String>>,
    pub repeat: RwSignal<Option<Repeat>>,
    timer: StoredValue<Option<IntervalHandle>>,
    /// Earlier messages recalled with Alt+Up/Down, per request.
    recall: StoredValue<Recall>,
}

/// What the composer does, as provided at the page's top.
pub fn use_sending() -> Sending {
    injected()
}

impl Sending {
    pub fn new(session: Session) -> Self {
        let this = Self {
            session,
            error: RwSignal::new(None),
            repeat: RwSignal::new(None),
            timer: StoredValue::new(None),
            recall: StoredValue::new(Recall::default()),
        };
        // A repeat's timer ends with the page part that owns it.
        let timer = this.timer;
        on_cleanup(move || {
            if let Some(handle) = timer.try_update_value(Option::take).flatten() {
                handle.clear();
            }
        });
        // A repeat ends with its connection.
        Effect::new(move |_| {
            let open = session.state() == ConnectionState::Open;
            if !open
                && this
                    .repeat
                    .with_untracked(|r| r.as_ref().is_some_and(|r| r.running))
            {
                this.stop_repeat(Some("the connection closed".into()));
            }
        });
        this
    }

    /// What the draft would be sent as, or why it cannot be: for Send's state and the byte count.
    pub fn draft(&self) -> Result<Frame, String> {
        let text = self.session.editor.message.get();
        self.prepare(self.session.editor.format.get(), &text)
    }

    fn prepare(&self, format: Format, text: &str) -> Result<Frame, String> {
        let text = self.session.with_variables(text)?;
        compose::frame(format, &text).map_err(|e| e.to_string())
    }

    /// Sends the draft; false (with the reason in `error`) if it was not sent.
    pub fn send_draft(&self) -> bool {
        let (format, text) = (
            self.session.editor.format.get_untracked(),
            self.session.editor.message.get_untracked(),
        );
        let sent = self.send(format, &text);
        if sent {
            let key = self.recall_key();
            self.recall.update_value(|r| r.sent(&key, (format, text)));
        }
        sent
    }

    pub fn send_template(&self, template: &Template) -> bool {
        self.send(template.format, &template.text)
    }

    pub fn send_file(&self, name: &str, bytes: Vec<u8>) {
        let size = bytes.len();
        let sent = self.session.send_frame(Frame::Binary(bytes));
        self.error.set(
            sent.err()
                .map(|why| format!("{name} ({size} bytes) was not sent: {why}.")),
        );
    }

    fn send(&self, format: Format, text: &str) -> bool {
        let open = untrack(|| self.session.state()) == ConnectionState::Open;
        let host = self.session.connected_host();
        if open && let Err(needed) = untrack(|| self.session.link_consent(&host, [text])) {
            self.session.ask_consent(needed, AfterConsent::Nothing);
        }
        let sent =
            untrack(|| self.prepare(format, text)).and_then(|frame| self.session.send_frame(frame));
        let ok = sent.is_ok();
        self.error
            .set(sent.err().map(|why| format!("Not sent: {why}")));
        ok
    }

    /// Puts an earlier (or, going back down, a later) sent message in the composer.
    pub fn recall(&self, older: bool) {
        let key = self.recall_key();
        let Some(step) = self
            .recall
            .try_update_value(|r| r.step(&key, older))
            .flatten()
        else {
            return;
        };
        let (format, text) = step.unwrap_or_default();
        self.session.editor.format.set(format);
        self.session.editor.message.set(text);
    }

    fn recall_key(&self) -> String {
        self.session
            .editor
            .saved_id
            .get_untracked()
            .unwrap_or_default()
    }

    /// Sends the draft every `every_ms`, `times` times (None: until stopped).
    pub fn start_repeat(&self, every_ms: u32, times: Option<u32>) {
        self.stop_repeat(None);
        self.repeat.set(Some(Repeat {
            every_ms,
            times,
            sent: 0,
            running: true,
            stopped_because: None,
        }));
        let this = *self;
        let handle = set_interval_with_handle(
            move || this.tick(),
            std::time::Duration::from_millis(every_ms.max(1).into()),
        );
        match handle {
            Ok(handle) => self.timer.set_value(Some(handle)),
            Err(_) => self.stop_repeat(Some("the browser refused the timer".into())),
        }
    }

    fn tick(&self) {
        if !self.send_draft() {
            return self.stop_repeat(Some(self.error.get_untracked().unwrap_or_default()));
        }
        let done = self.repeat.try_update(|r| {
            r.as_mut().is_some_and(|r| {
                r.sent += 1;
                r.times.is_some_and(|t| r.sent >= t)
            })
        });
        if done == Some(true) {
            self.stop_repeat(None);
        }
    }

    pub fn stop_repeat(&self, because: Option<String>) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        self.repeat.update(|r| {
            if let Some(r) = r.as_mut().filter(|r| r.running) {
                r.running = false;
                r.stopped_because = because;
            }
        });
    }
}
