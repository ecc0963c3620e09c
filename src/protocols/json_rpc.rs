//! JSON-RPC on the page: Call, with the composer's message as params, or sent whole.

use leptos::prelude::*;
use wsprobe_core::compose::Frame;

use super::Protocols;
use super::speaker::{Machine, entry_note};
use crate::glue::clock;

impl Protocols {
    /// Call: the method in the Method box with the message as params, or, with no method,
    /// the message as a whole request or batch.
    pub fn call(&self) {
        self.error.set(None);
        let settings = self.settings().json_rpc;
        let text = match self
            .session
            .with_variables(&self.editor.message.get_untracked())
        {
            Ok(text) => text,
            Err(why) => return self.error.set(Some(format!("Not sent: {why}"))),
        };
        let now = clock::epoch_ms();
        let method = settings.method.trim().to_string();
        let prepared = self.machine.try_update_value(|machine| match machine {
            Machine::JsonRpc(client) if method.is_empty() => {
                Some(client.sent_raw(&text, now).map(|note| (text.clone(), note)))
            }
            Machine::JsonRpc(client) => Some(
                client
                    .call(&method, &text, settings.notification, now)
                    .map(|called| (called.text, called.note)),
            ),
            _ => None,
        });
        match prepared.flatten() {
            Some(Ok((request, note))) => {
                if let Err(why) = self
                    .session
                    .send_noted(Frame::Text(request), Some(entry_note(note)))
                {
                    self.error.set(Some(format!("Not sent: {why}")));
                }
            }
            Some(Err(why)) => self.error.set(Some(format!("Not sent: {why}"))),
            None => self.error.set(Some(
                "Not sent: connect with Protocol set to JSON-RPC first.".to_string(),
            )),
        }
    }
}
