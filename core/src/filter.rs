//! Which log entries to show: by direction, by text the payload (or what a protocol made of
//! it) contains, and with or without keep-alive traffic.

use crate::log::{Direction, LogEntry, Payload};

/// How a search that ignores case lowercases text that is not ASCII: Unicode's default case
/// mapping either way, by Rust's `str::to_lowercase` natively and by the browser's
/// `toLowerCase` in the page, which keeps Rust's 12 KiB table out of the page's first load.
pub type Lowercase = fn(&str) -> String;

#[derive(Debug, Clone, PartialEq)]
pub struct LogFilter {
    /// Case-insensitive substring; empty matches everything.
    pub text: String,
    pub sent: bool,
    pub received: bool,
    pub events: bool,
    /// Protocol pings and pongs.
    pub heartbeats: bool,
}

impl Default for LogFilter {
    fn default() -> Self {
        Self {
            text: String::new(),
            sent: true,
            received: true,
            events: true,
            heartbeats: true,
        }
    }
}

impl LogFilter {
    /// True when no entry can be filtered out, so views can skip filtering altogether.
    pub fn is_everything(&self) -> bool {
        self.text.is_empty() && self.sent && self.received && self.events && self.heartbeats
    }

    /// Whether the entry is shown; `lowercase` is used only when the text is not ASCII.
    pub fn matches(&self, entry: &LogEntry, lowercase: Lowercase) -> bool {
        let shown = match entry.direction {
            Direction::Sent => self.sent,
            Direction::Received => self.received,
            Direction::Event => self.events,
        };
        if !shown {
            return false;
        }
        if !self.heartbeats && entry.note.as_ref().is_some_and(|n| n.heartbeat) {
            return false;
        }
        if self.text.is_empty() {
            return true;
        }
        if let Some(note) = &entry.note
            && contains_ignoring_case(&note.summary, &self.text, lowercase)
        {
            return true;
        }
        match &entry.payload {
            Payload::Text(text) | Payload::Event(text) => {
                contains_ignoring_case(text, &self.text, lowercase)
            }
            Payload::Binary(bytes) => hex_contains(bytes, &self.text),
        }
    }
}

fn contains_ignoring_case(haystack: &str, needle: &str, lowercase: Lowercase) -> bool {
    if needle.is_ascii() {
        // No lowercase copy of a possibly huge payload; ASCII bytes never occur inside
        // multi-byte UTF-8 sequences, so a byte search finds only whole characters.
        let needle = needle.as_bytes();
        let hay = haystack.as_bytes();
        return find_ignoring_ascii_case(hay.len(), |i| hay[i], needle);
    }
    lowercase(haystack).contains(&lowercase(needle))
}

/// Whether `needle` occurs in the bytes' hex as rows show it (`00 01 ff`), without building it.
fn hex_contains(bytes: &[u8], needle: &str) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // Each byte is two digits and a separating space; the last byte has no space after it.
    let len = (bytes.len() * 3).saturating_sub(1);
    let at = |i: usize| {
        let byte = bytes[i / 3];
        match i % 3 {
            0 => DIGITS[usize::from(byte >> 4)],
            1 => DIGITS[usize::from(byte & 0xf)],
            _ => b' ',
        }
    };
    find_ignoring_ascii_case(len, at, needle.as_bytes())
}

/// Naive search over `len` bytes given by `at`: needles are short, and this needs no buffer.
fn find_ignoring_ascii_case(len: usize, at: impl Fn(usize) -> u8, needle: &[u8]) -> bool {
    let Some(last_start) = len.checked_sub(needle.len()) else {
        return false;
    };
    (0..=last_start).any(|start| {
        needle
            .iter()
            .enumerate()
            .all(|(j, n)| at(start + j).eq_ignore_ascii_case(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::hex;
    use proptest::prelude::*;

    fn entry(direction: Direction, payload: Payload) -> LogEntry {
        LogEntry {
            seq: 0,
            time_ms: 0.0,
            direction,
            payload,
            note: None,
        }
    }

    /// `matches` with Rust's own lowercase, as natively.
    trait Shows {
        fn shows(&self, entry: &LogEntry) -> bool;
    }

    impl Shows for LogFilter {
        fn shows(&self, entry: &LogEntry) -> bool {
            self.matches(entry, str::to_lowercase)
        }
    }

    fn text_filter(text: &str) -> LogFilter {
        LogFilter {
            text: text.into(),
            ..LogFilter::default()
        }
    }

    #[test]
    fn default_lets_everything_through() {
        let filter = LogFilter::default();
        assert!(filter.is_everything());
        assert!(filter.shows(&entry(Direction::Event, Payload::Event("Open".into()))));
        assert!(!text_filter("a").is_everything());
        assert!(
            !LogFilter {
                events: false,
                ..LogFilter::default()
            }
            .is_everything()
        );
    }

    fn noted(raw: &str, summary: &str, heartbeat: bool) -> LogEntry {
        LogEntry {
            note: Some(Box::new(crate::log::EntryNote {
                summary: summary.into(),
                heartbeat,
                problem: false,
            })),
            ..entry(Direction::Received, Payload::Text(raw.into()))
        }
    }

    #[test]
    fn heartbeats_can_be_hidden_and_nothing_else_with_them() {
        let hide = LogFilter {
            heartbeats: false,
            ..LogFilter::default()
        };
        assert!(!hide.is_everything());
        assert!(!hide.shows(&noted("2", "ping", true)));
        assert!(hide.shows(&noted("42[\"a\"]", "event \"a\" []", false)));
        assert!(hide.shows(&entry(Direction::Received, Payload::Text("2".into()))));
        assert!(LogFilter::default().shows(&noted("2", "ping", true)));
    }

    #[test]
    fn the_search_finds_what_the_protocol_made_of_a_frame() {
        let event = noted(
            "451-[\"up\",{}]",
            "event \"upload\" [{\"$base64\":\"AA==\"}]",
            false,
        );
        assert!(text_filter("UPLOAD").shows(&event));
        assert!(
            text_filter("451-").shows(&event),
            "the raw frame is searched too"
        );
        assert!(!text_filter("chat").shows(&event));
    }

    #[test]
    fn a_direction_must_be_enabled() {
        let only_received = LogFilter {
            sent: false,
            events: false,
            ..LogFilter::default()
        };
        assert!(!only_received.shows(&entry(Direction::Sent, Payload::Text("x".into()))));
        assert!(only_received.shows(&entry(Direction::Received, Payload::Text("x".into()))));
        assert!(!only_received.shows(&entry(Direction::Event, Payload::Event("x".into()))));
        let sent_only = LogFilter {
            text: "x".into(),
            received: false,
            events: false,
            sent: true,
            heartbeats: true,
        };
        assert!(sent_only.shows(&entry(Direction::Sent, Payload::Text("x".into()))));
        assert!(!sent_only.shows(&entry(Direction::Received, Payload::Text("x".into()))));
    }

    #[test]
    fn text_matches_case_insensitively_in_text_and_events() {
        let received = |t: &str| entry(Direction::Received, Payload::Text(t.into()));
        assert!(text_filter("PRICE").shows(&received("{\"price\": 1}")));
        assert!(text_filter("é").shows(&received("CAFÉ")));
        assert!(text_filter("Straße").shows(&received("STRAßE 1")));
        assert!(!text_filter("prices").shows(&received("price")));
        assert!(!text_filter("e").shows(&received("É")));
        assert!(text_filter("clos").shows(&entry(
            Direction::Event,
            Payload::Event("Closed 1000".into())
        )));
        assert!(text_filter("").shows(&received("")));
        assert!(!text_filter("a").shows(&received("")));
    }

    #[test]
    fn binary_matches_its_spaced_hex() {
        let binary = entry(
            Direction::Received,
            Payload::Binary(vec![0x00, 0x01, 0xff, 0x10]),
        );
        for needle in ["00 01", "FF", "1 f", "ff 10", "00 01 ff 10", " ", "f 1"] {
            assert!(text_filter(needle).shows(&binary), "{needle:?}");
        }
        for needle in ["0001", "10 ", "ff10", "g", "00 01 ff 10 00", "\u{e9}"] {
            assert!(!text_filter(needle).shows(&binary), "{needle:?}");
        }
        assert!(!text_filter("0").shows(&entry(Direction::Received, Payload::Binary(vec![]))));
    }

    proptest! {
        #[test]
        fn binary_search_agrees_with_the_built_hex(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            needle in "[0-9a-fA-F ]{1,8}",
        ) {
            let built = hex(&bytes).contains(&needle.to_ascii_lowercase());
            prop_assert_eq!(hex_contains(&bytes, &needle), built);
        }

        #[test]
        fn ascii_search_agrees_with_lowercasing(hay in "[a-zA-Zé ]{0,40}", needle in "[a-zA-Z ]{1,4}") {
            let lowered = hay.to_lowercase().contains(&needle.to_lowercase());
            prop_assert_eq!(contains_ignoring_case(&hay, &needle, str::to_lowercase), lowered);
        }
    }
}
