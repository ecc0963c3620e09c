//! The connection report, from what the session knows.

use leptos::prelude::*;
use wsprobe_core::report::{Report, mask_in, mask_secrets};
use wsprobe_core::subprotocols;

use super::Session;
use crate::glue::{clock, page};

impl Session {
    pub fn connection_report(&self) -> String {
        let attempt = self.attempt.get_untracked();
        let dialled = attempt.as_ref().map_or_else(
            || self.editor.url.get_untracked(),
            |a| a.dialled_url.clone(),
        );
        let table = untrack(|| self.editor.params.values());
        let url = mask_secrets(&dialled, &table);
        let options = self.options.get_untracked();
        let yes_no = |on: bool| if on { "on" } else { "off" };
        let settings = vec![
            (
                "Subprotocols requested".to_string(),
                attempt
                    .as_ref()
                    .map(|a| a.requested.join(", "))
                    .unwrap_or_default(),
            ),
            (
                "Connect timeout".to_string(),
                format!("{} s", options.timeout_s),
            ),
            (
                "Auto-reconnect".to_string(),
                format!(
                    "{} (up to {} attempts)",
                    yes_no(options.reconnect),
                    options.backoff.max_attempts
                ),
            ),
            (
                "Heartbeat".to_string(),
                format!(
                    "{} (every {} s)",
                    yes_no(options.heartbeat),
                    options.heartbeat_every_s
                ),
            ),
            ("Page".to_string(), page::address()),
        ];
        let outcome = match attempt.as_ref().and_then(|a| a.closed.as_ref()) {
            Some(c) => format!(
                "{}, code {} ({})",
                self.state().word(),
                c.code.code,
                c.code.name
            ),
            None => self.state().word().to_string(),
        };
        let diagnosis = attempt.as_ref().and_then(|a| a.diagnosis());
        // The URL also appears in the diagnosis and the timeline: masked everywhere.
        let timeline = self.timeline.get_untracked();
        let report = Report {
            url: &url,
            browser: &page::user_agent(),
            settings: &settings,
            outcome: &outcome,
            diagnosis: diagnosis.as_ref(),
            timeline: &timeline,
            utc_offset_minutes: clock::utc_offset_minutes(),
        }
        .text();
        // A token sent as a subprotocol may show in the timeline too, if the server chose it.
        let tokens = attempt
            .as_ref()
            .map(|a| subprotocols::credentials(&a.requested.join(", ")))
            .unwrap_or_default();
        tokens
            .iter()
            .fold(mask_in(&report, &dialled, &table), |text, token| {
                text.replace(token.as_str(), "***")
            })
    }
}
