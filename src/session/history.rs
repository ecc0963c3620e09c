//! Each connection attempt in the history, updated as it opens and closes.

use wsprobe_core::saved::{HistoryChange, HistoryEntry, Outcome};

use leptos::prelude::*;

use super::Session;
use crate::glue::clock;
use crate::library::Library;

impl Session {
    pub(super) fn start_history_entry(&self) {
        let entry = HistoryEntry {
            id: Library::new_id(),
            at: clock::epoch_ms(),
            url: self.editor.url.get_untracked(),
            subprotocols: self.editor.subprotocols.get_untracked(),
            outcome: Outcome::Connecting,
        };
        self.history_entry.set_value(Some(entry));
        self.update_history_entry();
    }

    /// Records the current attempt's outcome in the history, in place of the previous one.
    pub(super) fn update_history_entry(&self) {
        let Some(outcome) = self.attempt.with_untracked(|a| a.as_ref().map(Outcome::of)) else {
            return;
        };
        let entry = self.history_entry.try_update_value(|entry| {
            entry.as_mut().map(|e| {
                e.outcome = outcome;
                e.clone()
            })
        });
        if let Some(entry) = entry.flatten() {
            self.library.record_history(HistoryChange::Record(entry));
        }
    }
}
