//! The message log: a bounded ring buffer of entries plus counters that keep
//! counting after old entries fall out of the buffer.

use std::collections::VecDeque;

use crate::filter::{LogFilter, Lowercase};
use crate::payload;

/// How much of a payload a log row shows; the rest is one click away.
const ROW_PREVIEW_CHARS: usize = 240;
const ROW_PREVIEW_BYTES: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
    /// Something that happened to the connection: connecting, open, close, error.
    Event,
}

impl Direction {
    /// The word a screen reader says for the entry's arrow.
    pub fn word(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Event => "event",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Text(String),
    Binary(Vec<u8>),
    /// A connection event's description.
    Event(String),
}

impl Payload {
    /// Bytes on the wire (UTF-8 for text); events have none.
    pub fn size(&self) -> usize {
        match self {
            Self::Text(t) => t.len(),
            Self::Binary(b) => b.len(),
            Self::Event(_) => 0,
        }
    }

    /// What a row shows of the payload: text as is, binary as hex, cut short with … .
    pub fn preview(&self) -> String {
        match self {
            Self::Text(t) | Self::Event(t) => text_row(t),
            Self::Binary(b) => with_ellipsis(payload::hex_preview(b, ROW_PREVIEW_BYTES)),
        }
    }

    /// "text", "binary" or "event": the word rows, the detail view and exports use.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Binary(_) => "binary",
            Self::Event(_) => "event",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Position since the log was created; never reused, so views can key rows by it.
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub time_ms: f64,
    pub direction: Direction,
    pub payload: Payload,
    /// What the chosen protocol made of the frame; boxed so raw frames pay one word for it.
    pub note: Option<Box<EntryNote>>,
}

/// What a protocol made of a frame: its row shows this, and the raw frame stays in the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryNote {
    /// One line, such as `event "chat" ["hi"]` or `ack 3 ["ok"] · 12.4 ms`.
    pub summary: String,
    /// Keep-alive traffic (pings and pongs), which the log can hide.
    pub heartbeat: bool,
    /// Something the protocol did not expect: a frame it cannot read, a reply to nothing.
    pub problem: bool,
}

impl LogEntry {
    /// What the entry's row shows of the payload: text as is, binary as hex, cut short with … .
    pub fn preview(&self) -> String {
        match &self.note {
            Some(note) => text_row(&note.summary),
            None => self.payload.preview(),
        }
    }
}

/// Text as a row shows it: on one line, cut short with … .
fn text_row(text: &str) -> String {
    with_ellipsis(payload::text_preview(text, ROW_PREVIEW_CHARS))
}

fn with_ellipsis((mut shown, cut): (String, bool)) -> String {
    if cut {
        shown.push('\u{2026}');
    }
    shown
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub sent: u64,
    pub received: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// Entries pushed out of the log by its limits.
    pub dropped: u64,
}

#[derive(Debug, Clone)]
pub struct MessageLog {
    entries: VecDeque<LogEntry>,
    max_entries: usize,
    max_bytes: usize,
    /// Sum of `retained_size` over `entries`, kept so each record is O(1).
    retained_bytes: usize,
    next_seq: u64,
    counters: Counters,
}

/// What an entry costs against the byte limit: its payload, or an event's text.
fn retained_size(payload: &Payload) -> usize {
    match payload {
        Payload::Event(text) => text.len(),
        other => other.size(),
    }
}

impl MessageLog {
    /// A log that keeps at most `capacity` entries (at least one), however large.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_limits(capacity, usize::MAX)
    }

    /// A log that keeps at most `max_entries` entries (at least one) and `max_bytes` of payload,
    /// except that the newest entry is always kept.
    pub fn with_limits(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            max_entries: max_entries.max(1),
            max_bytes,
            retained_bytes: 0,
            next_seq: 0,
            counters: Counters::default(),
        }
    }

    /// `(max_entries, max_bytes)`.
    pub fn limits(&self) -> (usize, usize) {
        (self.max_entries, self.max_bytes)
    }

    /// Changes the limits, dropping (and counting) the oldest entries that no longer fit.
    pub fn set_limits(&mut self, max_entries: usize, max_bytes: usize) {
        self.max_entries = max_entries.max(1);
        self.max_bytes = max_bytes;
        self.drop_past_limits();
    }

    pub fn retained_bytes(&self) -> usize {
        self.retained_bytes
    }

    /// Removes every entry; counters keep counting and seqs are never reused.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.retained_bytes = 0;
    }

    /// The seq of the oldest retained entry.
    /// The seq the next entry will have.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub fn first_seq(&self) -> Option<u64> {
        self.entries.front().map(|e| e.seq)
    }

    /// Where the entry with `seq` is among those retained; O(1) as retained seqs are consecutive.
    pub fn index_of_seq(&self, seq: u64) -> Option<usize> {
        let index = usize::try_from(seq.checked_sub(self.first_seq()?)?).ok()?;
        (index < self.entries.len()).then_some(index)
    }

    /// Seqs of the retained entries the filter lets through, oldest first.
    pub fn matching(&self, filter: &LogFilter, lowercase: Lowercase) -> Vec<u64> {
        self.entries
            .iter()
            .filter(|e| filter.matches(e, lowercase))
            .map(|e| e.seq)
            .collect()
    }

    fn drop_past_limits(&mut self) {
        while self.entries.len() > self.max_entries
            || (self.retained_bytes > self.max_bytes && self.entries.len() > 1)
        {
            let Some(oldest) = self.entries.pop_front() else {
                break;
            };
            self.retained_bytes -= retained_size(&oldest.payload);
            self.counters.dropped += 1;
        }
    }

    pub fn record(&mut self, time_ms: f64, direction: Direction, payload: Payload) {
        self.record_noted(time_ms, direction, payload, None);
    }

    /// Records a frame with what the protocol made of it.
    pub fn record_noted(
        &mut self,
        time_ms: f64,
        direction: Direction,
        payload: Payload,
        note: Option<Box<EntryNote>>,
    ) {
        let size = payload.size() as u64;
        match direction {
            Direction::Sent => {
                self.counters.sent += 1;
                self.counters.bytes_sent += size;
            }
            Direction::Received => {
                self.counters.received += 1;
                self.counters.bytes_received += size;
            }
            Direction::Event => {}
        }
        self.retained_bytes += retained_size(&payload);
        self.entries.push_back(LogEntry {
            seq: self.next_seq,
            time_ms,
            direction,
            payload,
            note,
        });
        self.next_seq += 1;
        // Pushing first means the newest entry survives even when it alone exceeds the byte limit.
        self.drop_past_limits();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at `index` among those retained, oldest first.
    pub fn get(&self, index: usize) -> Option<&LogEntry> {
        self.entries.get(index)
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Payload {
        Payload::Text(s.to_string())
    }

    #[test]
    fn counts_each_direction_and_its_bytes() {
        let mut log = MessageLog::with_capacity(10);
        log.record(1.0, Direction::Event, Payload::Event("Open".into()));
        log.record(2.0, Direction::Sent, text("héllo"));
        log.record(3.0, Direction::Received, Payload::Binary(vec![1, 2, 3]));
        log.record(4.0, Direction::Received, text("hi"));
        let c = log.counters();
        assert_eq!((c.sent, c.received, c.dropped), (1, 2, 0));
        assert_eq!((c.bytes_sent, c.bytes_received), (6, 5));
        assert_eq!(log.len(), 4);
        assert_eq!(log.get(1).map(|e| &e.payload), Some(&text("héllo")));
        assert_eq!(log.get(4), None);
    }

    #[test]
    fn drops_the_oldest_past_capacity_and_keeps_counting() {
        let mut log = MessageLog::with_capacity(3);
        for i in 0..5 {
            log.record(i as f64, Direction::Received, text(&i.to_string()));
        }
        assert_eq!(log.len(), 3);
        assert_eq!(log.counters().received, 5);
        assert_eq!(log.counters().dropped, 2);
        let kept: Vec<u64> = (0..log.len())
            .filter_map(|i| log.get(i))
            .map(|e| e.seq)
            .collect();
        assert_eq!(kept, vec![2, 3, 4]);
    }

    #[test]
    fn rows_preview_text_as_is_and_binary_as_hex() {
        let entry = |payload| LogEntry {
            seq: 0,
            time_ms: 0.0,
            direction: Direction::Received,
            payload,
            note: None,
        };
        assert_eq!(entry(text("hi\nthere")).preview(), "hi\u{23ce}there");
        let noted = LogEntry {
            note: Some(Box::new(EntryNote {
                summary: "event \"chat\" [\"hi\"]".into(),
                heartbeat: false,
                problem: false,
            })),
            ..entry(text("42[\"chat\",\"hi\"]"))
        };
        assert_eq!(noted.preview(), "event \"chat\" [\"hi\"]");
        assert_eq!(
            entry(Payload::Binary(vec![0, 0x7f, 0xff])).preview(),
            "00 7f ff"
        );
        let long = entry(text(&"a".repeat(5_000_000))).preview();
        assert_eq!(long.chars().count(), ROW_PREVIEW_CHARS + 1);
        assert!(long.ends_with('\u{2026}'));
        let big = entry(Payload::Binary(vec![0xab; 1000])).preview();
        assert_eq!(big.len(), ROW_PREVIEW_BYTES * 3 - 1 + '\u{2026}'.len_utf8());
    }

    #[test]
    fn capacity_is_at_least_one() {
        let mut log = MessageLog::with_capacity(0);
        log.record(0.0, Direction::Sent, text("a"));
        log.record(0.0, Direction::Sent, text("b"));
        assert_eq!(log.len(), 1);
        assert_eq!(log.get(0).map(|e| e.seq), Some(1));
    }

    fn seqs(log: &MessageLog) -> Vec<u64> {
        (0..log.len())
            .filter_map(|i| log.get(i))
            .map(|e| e.seq)
            .collect()
    }

    #[test]
    fn drops_the_oldest_past_the_byte_limit_but_keeps_the_newest() {
        let mut log = MessageLog::with_limits(100, 10);
        log.record(0.0, Direction::Received, text("aaaa"));
        log.record(0.0, Direction::Event, Payload::Event("Open".into()));
        log.record(0.0, Direction::Received, Payload::Binary(vec![0; 2]));
        assert_eq!((log.len(), log.retained_bytes()), (3, 10));
        log.record(0.0, Direction::Sent, text("b"));
        assert_eq!(seqs(&log), [1, 2, 3]);
        assert_eq!((log.retained_bytes(), log.counters().dropped), (7, 1));
        log.record(0.0, Direction::Received, text(&"x".repeat(50)));
        assert_eq!(seqs(&log), [4]);
        assert_eq!((log.retained_bytes(), log.counters().dropped), (50, 4));
        assert_eq!(log.limits(), (100, 10));
        assert_eq!(MessageLog::with_capacity(5).limits(), (5, usize::MAX));
    }

    #[test]
    fn setting_limits_shrinks_at_once_and_counts_the_drops() {
        let mut log = MessageLog::with_capacity(10);
        for i in 0..6 {
            log.record(0.0, Direction::Received, text(&"x".repeat(i)));
        }
        log.set_limits(4, 9);
        assert_eq!(seqs(&log), [4, 5]);
        assert_eq!((log.retained_bytes(), log.counters().dropped), (9, 4));
        log.set_limits(0, usize::MAX);
        assert_eq!(seqs(&log), [5]);
        assert_eq!(log.limits(), (1, usize::MAX));
    }

    #[test]
    fn clearing_keeps_counters_and_never_reuses_seqs() {
        let mut log = MessageLog::with_capacity(10);
        log.record(0.0, Direction::Sent, text("a"));
        log.record(0.0, Direction::Received, text("b"));
        log.clear();
        assert!(log.is_empty());
        assert_eq!(
            (log.retained_bytes(), log.first_seq(), log.index_of_seq(0)),
            (0, None, None)
        );
        assert_eq!(
            (
                log.counters().sent,
                log.counters().received,
                log.counters().dropped
            ),
            (1, 1, 0)
        );
        log.record(0.0, Direction::Sent, text("c"));
        assert_eq!(seqs(&log), [2]);
    }

    #[test]
    fn finds_entries_by_seq() {
        let mut log = MessageLog::with_capacity(3);
        for i in 0..5 {
            log.record(0.0, Direction::Received, text(&i.to_string()));
        }
        assert_eq!(log.first_seq(), Some(2));
        assert_eq!(
            [1, 2, 4, 5, u64::MAX].map(|seq| log.index_of_seq(seq)),
            [None, Some(0), Some(2), None, None]
        );
    }

    #[test]
    fn lists_the_seqs_a_filter_matches() {
        let mut log = MessageLog::with_capacity(3);
        for (direction, t) in [
            (Direction::Sent, "ping"),
            (Direction::Received, "pong"),
            (Direction::Sent, "PING"),
        ] {
            log.record(0.0, direction, text(t));
        }
        log.record(0.0, Direction::Received, text("ping"));
        let filter = LogFilter {
            text: "ping".into(),
            ..LogFilter::default()
        };
        assert_eq!(log.matching(&filter, str::to_lowercase), [2, 3]);
        assert_eq!(
            log.matching(
                &LogFilter {
                    received: false,
                    ..filter
                },
                str::to_lowercase
            ),
            [2]
        );
    }

    proptest! {
        #[test]
        fn never_exceeds_capacity_and_accounts_for_every_entry(
            capacity in 1usize..20,
            directions in proptest::collection::vec(0u8..3, 0..100),
        ) {
            let mut log = MessageLog::with_capacity(capacity);
            for d in &directions {
                let direction = [Direction::Sent, Direction::Received, Direction::Event][*d as usize];
                log.record(0.0, direction, text("x"));
            }
            let c = log.counters();
            prop_assert!(log.len() <= capacity);
            prop_assert_eq!(log.len() as u64 + c.dropped, directions.len() as u64);
            prop_assert_eq!(c.sent, directions.iter().filter(|d| **d == 0).count() as u64);
            prop_assert_eq!(c.received, directions.iter().filter(|d| **d == 1).count() as u64);
            let seqs: Vec<u64> = (0..log.len()).filter_map(|i| log.get(i)).map(|e| e.seq).collect();
            prop_assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
        }

        #[test]
        fn stays_within_the_byte_limit_and_keeps_the_newest(
            max_bytes in 0usize..64,
            sizes in proptest::collection::vec(0usize..40, 1..60),
        ) {
            let mut log = MessageLog::with_limits(usize::MAX, max_bytes);
            for size in &sizes {
                log.record(0.0, Direction::Received, Payload::Binary(vec![0; *size]));
            }
            let retained: usize = (0..log.len()).filter_map(|i| log.get(i)).map(|e| e.payload.size()).sum();
            prop_assert_eq!(retained, log.retained_bytes());
            prop_assert!(retained <= max_bytes || log.len() == 1);
            prop_assert_eq!(log.first_seq().map(|s| s + log.len() as u64), Some(sizes.len() as u64));
            prop_assert_eq!(log.len() as u64 + log.counters().dropped, sizes.len() as u64);
        }
    }
}
