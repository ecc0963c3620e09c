//! What one frame meant, as a line for its log row: shared by the Socket.IO and JSON-RPC layers.

use serde_json::Value;

use crate::decimal::fixed;

/// How many of the things one message held its note names.
const JOINED_MAX: usize = 20;
/// How long a summary may grow; the log row cuts shorter still, and the frame itself is one
/// click away.
const SUMMARY_JSON_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Engine.IO ping, pong and noop.
    Heartbeat,
    /// The Engine.IO open packet.
    Handshake,
    Connect,
    Disconnect,
    Event,
    Ack,
    ConnectError,
    /// A binary frame (or its announcing header) of a Socket.IO packet not yet complete.
    Attachment,
    /// A JSON-RPC request, ours or the server's.
    Call,
    Result,
    Error,
    Notification,
    /// Something that breaks the protocol or matches nothing; the summary says what.
    Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    pub summary: String,
    /// The Socket.IO event name, or the JSON-RPC method, the frame belongs to.
    pub event: Option<String>,
    /// Round trip from the request this frame answers.
    pub rtt_ms: Option<f64>,
}

impl Note {
    pub fn new(kind: NoteKind, summary: impl Into<String>) -> Self {
        Self {
            kind,
            summary: summary.into(),
            event: None,
            rtt_ms: None,
        }
    }

    pub fn problem(summary: impl Into<String>) -> Self {
        Self::new(NoteKind::Problem, summary)
    }

    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// Sets the round trip and appends it to the summary (` · 12.4 ms`).
    pub fn with_rtt(mut self, rtt_ms: f64) -> Self {
        self.summary.push_str(" \u{b7} ");
        self.summary.push_str(&format_ms(rtt_ms));
        self.rtt_ms = Some(rtt_ms);
        self
    }
}

/// What one received frame meant, and what it asks of the page beyond logging it (a
/// protocol's own `Output`s: answers to send, facts for the Handshake panel).
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<O> {
    pub note: Note,
    pub outputs: Vec<O>,
}

/// Bytes a client wrote (an MQTT packet, a STOMP frame), with what they mean for their row.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub note: Note,
}

impl<O> Reading<O> {
    /// A frame that asks nothing more.
    pub(crate) fn note(note: Note) -> Self {
        Self {
            note,
            outputs: Vec::new(),
        }
    }
}

/// One note for what one message held (MQTT packets, STOMP frames: `what`): the one, or all
/// of them in a line; with none, the message was part of one still to come (`pending` bytes).
pub(crate) fn one_for_all(mut notes: Vec<Note>, what: &str, pending: usize) -> Note {
    match notes.len() {
        0 => Note::new(
            NoteKind::Attachment,
            format!(
                "part of a {what} ({} so far)",
                crate::payload::format_size(pending)
            ),
        ),
        1 => notes.pop().unwrap_or_else(|| Note::problem("")),
        n => {
            let kind = if notes.iter().any(|n| n.kind == NoteKind::Problem) {
                NoteKind::Problem
            } else if notes.iter().all(|n| n.kind == NoteKind::Heartbeat) {
                NoteKind::Heartbeat
            } else {
                NoteKind::Event
            };
            // A line, not a page: a message packed with thousands of frames names the first.
            let mut joined: Vec<String> = notes
                .into_iter()
                .take(JOINED_MAX)
                .map(|n| n.summary)
                .collect();
            if n > JOINED_MAX {
                joined.push(format!("\u{2026} and {} more", n - JOINED_MAX));
            }
            Note::new(kind, format!("{n} {what}s: {}", joined.join("; ")))
        }
    }
}

/// `12.4 ms`: one decimal, as timers in browsers are not finer than that anyway.
pub fn format_ms(ms: f64) -> String {
    format!("{} ms", fixed(ms, 1))
}

/// Compact JSON, cut to a length a log line can hold.
pub fn json_brief(value: &Value) -> String {
    clip(&value.to_string(), SUMMARY_JSON_CHARS)
}

/// `text` cut to `max_chars` characters with `…` when longer.
pub(crate) fn clip(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        out.push('\u{2026}');
    }
    out
}

/// Milliseconds from `sent_ms` to `now_ms`; never negative or NaN, whatever the clock did.
pub(crate) fn elapsed(sent_ms: f64, now_ms: f64) -> f64 {
    let rtt = now_ms - sent_ms;
    if rtt.is_finite() { rtt.max(0.0) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtt_goes_into_the_summary() {
        let note = Note::new(NoteKind::Ack, "ack 3 [\"ok\"]").with_rtt(12.44);
        assert_eq!(note.summary, "ack 3 [\"ok\"] \u{b7} 12.4 ms");
        assert_eq!(note.rtt_ms, Some(12.44));
    }

    #[test]
    fn a_message_packed_with_many_frames_names_the_first_twenty() {
        let notes = (0..1000)
            .map(|i| Note::new(NoteKind::Event, format!("f{i}")))
            .collect();
        let note = one_for_all(notes, "frame", 0);
        assert!(
            note.summary.starts_with("1000 frames: f0; f1;"),
            "{}",
            note.summary
        );
        assert!(
            note.summary.ends_with("f19; \u{2026} and 980 more"),
            "{}",
            note.summary
        );
        assert_eq!(
            one_for_all(Vec::new(), "packet", 3).summary,
            "part of a packet (3 B so far)"
        );
    }

    #[test]
    fn long_json_is_clipped_and_odd_clocks_give_zero() {
        let long = Value::String("x".repeat(500));
        let brief = json_brief(&long);
        assert_eq!(brief.chars().count(), SUMMARY_JSON_CHARS + 1);
        assert!(brief.ends_with('\u{2026}'));
        assert_eq!(clip("short", 10), "short");
        assert_eq!(elapsed(10.0, 5.0), 0.0);
        assert_eq!(elapsed(0.0, f64::NAN), 0.0);
        assert_eq!(elapsed(f64::INFINITY, f64::INFINITY), 0.0);
        assert_eq!(elapsed(1.0, 3.5), 2.5);
        assert_eq!(crate::payload::plural(1, "call"), "1 call");
        assert_eq!(crate::payload::plural(0, "call"), "0 calls");
    }
}
