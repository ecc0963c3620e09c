//! Socket.IO on the page: Emit, and what the client's outputs mean for the Handshake panel,
//! the Latency panel and the wire.

use leptos::prelude::*;
use wsprobe_core::compose::Frame;
use wsprobe_core::protocol::note::Note;
use wsprobe_core::protocol::socket_io_client::{Output, SocketIoClient, sent_note};

use super::Protocols;
use super::speaker::{Machine, entry_note};
use crate::glue::clock;

impl Protocols {
    /// A client for the request's namespaces, the auth payload's variables filled in; Err
    /// says what is wrong with them.
    pub(super) fn socket_io_client(&self) -> Result<SocketIoClient, String> {
        let mut settings = self.settings().socket_io;
        settings.auth = self
            .session
            .with_variables(&settings.auth)
            .map_err(|why| format!("In the auth payload: {why}"))?;
        settings.client()
    }

    /// Emit: the event in the Event box, with the message as its arguments.
    pub fn emit(&self) {
        self.error.set(None);
        let settings = self.settings().socket_io;
        let args = match self
            .session
            .with_variables(&self.editor.message.get_untracked())
        {
            Ok(args) => args,
            Err(why) => return self.error.set(Some(format!("Not emitted: {why}"))),
        };
        let namespace = settings.first_namespace();
        let now = clock::epoch_ms();
        let emitted = self.machine.try_update_value(|machine| match machine {
            Machine::SocketIo(client) => {
                Some(client.emit(&namespace, &settings.event, &args, settings.ack, now))
            }
            _ => None,
        });
        match emitted.flatten() {
            Some(Ok(sent)) => self.send_all(sent.frames, sent.note),
            Some(Err(why)) => self.error.set(Some(format!("Not emitted: {why}"))),
            None => self.error.set(Some(
                "Not emitted: connect with Protocol set to Socket.IO first.".to_string(),
            )),
        }
    }

    /// Sends a packet's frames: the first with its note, attachments after it.
    fn send_all(&self, frames: Vec<Frame>, note: Note) {
        let version = self.settings().socket_io.release.wire();
        let mut note = Some(note);
        for frame in frames {
            let this_note = note.take().unwrap_or_else(|| sent_note(&frame, version));
            let this_note = Some(entry_note(this_note));
            if let Err(why) = self.session.send_noted(frame, this_note) {
                return self.error.set(Some(format!("Not sent: {why}")));
            }
        }
    }

    /// Does what the client's outputs ask, after the frame that caused them is logged.
    pub(super) fn socket_io_outputs(&self, outputs: Vec<Output>) {
        let version = self.settings().socket_io.release.wire();
        for output in outputs {
            match output {
                // A running scenario speaks for the connection: its engine answers.
                Output::Send(_) if self.session.is_watched() => {}
                Output::Send(frame) => {
                    let note = entry_note(sent_note(&frame, version));
                    if let Err(why) = self.session.send_noted(frame, Some(note)) {
                        self.report_problem(
                            format!("The page could not answer the server: {why}"),
                            Vec::new(),
                        );
                    }
                }
                Output::Opened(info) => {
                    self.report_fact("Engine.IO session", info.sid.clone());
                    self.report_fact("Ping interval", format!("{} ms", info.ping_interval_ms));
                    self.report_fact("Ping timeout", format!("{} ms", info.ping_timeout_ms));
                    if let Some(max) = info.max_payload {
                        self.report_fact("Max payload", format!("{max} bytes"));
                    }
                }
                Output::Connected { namespace, sid } => {
                    let state = match sid {
                        Some(sid) => format!("connected, socket id {sid}"),
                        None => "connected".to_string(),
                    };
                    self.report_fact(&format!("Namespace {namespace}"), state);
                }
                Output::ConnectError {
                    namespace,
                    message,
                    data,
                } => {
                    self.report_fact(&format!("Namespace {namespace}"), "refused".to_string());
                    let data = data.map(|d| format!(" (data: {d})")).unwrap_or_default();
                    self.report_problem(
                        format!("The server refused namespace {namespace}: {message}{data}"),
                        vec![
                            "Check the auth payload: the server's middleware decides with it."
                                .to_string(),
                            "The connection stays open; emits on a refused namespace are held \
                             back, since the server would close the connection over them."
                                .to_string(),
                        ],
                    );
                }
                Output::Disconnected { namespace } => {
                    self.report_fact(
                        &format!("Namespace {namespace}"),
                        "disconnected".to_string(),
                    );
                }
                Output::Event { .. } => {}
                Output::Acked { rtt_ms, .. } => self.meter.round_trip(rtt_ms),
                Output::Silent { why } => self.report_problem(why, Vec::new()),
            }
        }
    }
}
