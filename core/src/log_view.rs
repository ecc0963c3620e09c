//! What the log shows under the current filter: every retained entry when the filter lets
//! everything through, otherwise the matching ones, kept up to date as entries arrive and
//! fall out, so filtering covers all that is retained without rescanning per frame.

use std::collections::VecDeque;

use crate::filter::{LogFilter, Lowercase};
use crate::log::{LogEntry, MessageLog};

#[derive(Debug, Clone)]
pub struct LogView {
    filter: LogFilter,
    lowercase: Lowercase,
    /// Seqs of matching entries, oldest first; unused while the filter lets everything through.
    matching: VecDeque<u64>,
}

impl LogView {
    /// Everything shown; `lowercase` serves searches for text that is not ASCII.
    pub fn new(lowercase: Lowercase) -> Self {
        Self {
            filter: LogFilter::default(),
            lowercase,
            matching: VecDeque::new(),
        }
    }

    pub fn filter(&self) -> &LogFilter {
        &self.filter
    }

    /// Applies a new filter to everything the log retains.
    pub fn set_filter(&mut self, filter: LogFilter, log: &MessageLog) {
        self.matching = if filter.is_everything() {
            VecDeque::new()
        } else {
            log.matching(&filter, self.lowercase).into()
        };
        self.filter = filter;
    }

    /// Call after each `MessageLog::record` with the entry just recorded.
    pub fn on_record(&mut self, entry: &LogEntry, log: &MessageLog) {
        if self.filter.is_everything() {
            return;
        }
        if self.filter.matches(entry, self.lowercase) {
            self.matching.push_back(entry.seq);
        }
        // Entries the log has dropped leave the view too.
        let first = log.first_seq().unwrap_or(u64::MAX);
        while self.matching.front().is_some_and(|&seq| seq < first) {
            self.matching.pop_front();
        }
    }

    /// Call after `MessageLog::clear`.
    /// Where the entry `seq` is shown, or would be: the index of the first shown entry at or
    /// after it. An entry the log let go is before everything, so 0.
    pub fn position_of(&self, seq: u64, log: &MessageLog) -> usize {
        if self.filter.is_everything() {
            // Retained entries have consecutive seqs, oldest first.
            let first = log.first_seq().unwrap_or(seq);
            (seq.saturating_sub(first) as usize).min(log.len())
        } else {
            self.matching.partition_point(|&s| s < seq)
        }
    }

    pub fn on_clear(&mut self) {
        self.matching.clear();
    }

    /// How many entries the view shows.
    pub fn len(&self, log: &MessageLog) -> usize {
        if self.filter.is_everything() {
            log.len()
        } else {
            self.matching.len()
        }
    }

    pub fn is_empty(&self, log: &MessageLog) -> bool {
        self.len(log) == 0
    }

    /// The `index`th entry the view shows, oldest first.
    pub fn get<'a>(&self, log: &'a MessageLog, index: usize) -> Option<&'a LogEntry> {
        if self.filter.is_everything() {
            return log.get(index);
        }
        let seq = *self.matching.get(index)?;
        log.get(log.index_of_seq(seq)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{Direction, Payload};

    fn record(log: &mut MessageLog, view: &mut LogView, direction: Direction, text: &str) {
        let payload = match direction {
            Direction::Event => Payload::Event(text.into()),
            _ => Payload::Text(text.into()),
        };
        log.record(0.0, direction, payload);
        if let Some(entry) = log.get(log.len() - 1) {
            view.on_record(entry, log);
        }
    }

    fn shown(view: &LogView, log: &MessageLog) -> Vec<String> {
        (0..view.len(log))
            .filter_map(|i| view.get(log, i))
            .map(LogEntry::preview)
            .collect()
    }

    #[test]
    fn positions_follow_an_entry_as_older_ones_are_dropped() {
        let (mut log, mut view) = (
            MessageLog::with_capacity(4),
            LogView::new(str::to_lowercase),
        );
        for i in 0..6 {
            record(&mut log, &mut view, Direction::Received, &format!("m{i}"));
        }
        // Seqs 2..=5 are retained; seq 4 is third from the top.
        assert_eq!(view.position_of(4, &log), 2);
        assert_eq!(view.position_of(0, &log), 0);
        view.set_filter(
            LogFilter {
                text: "m".into(),
                ..LogFilter::default()
            },
            &log,
        );
        record(&mut log, &mut view, Direction::Received, "x");
        record(&mut log, &mut view, Direction::Received, "m7");
        // Retained now: m4 m5 x m7; shown: m4 m5 m7.
        assert_eq!(shown(&view, &log), ["m4", "m5", "m7"]);
        assert_eq!(view.position_of(7, &log), 2);
        assert_eq!(view.position_of(6, &log), 2);
        assert_eq!(view.position_of(3, &log), 0);
    }

    #[test]
    fn without_a_filter_it_shows_every_retained_entry() {
        let (mut log, mut view) = (
            MessageLog::with_capacity(3),
            LogView::new(str::to_lowercase),
        );
        for text in ["a", "b", "c", "d"] {
            record(&mut log, &mut view, Direction::Received, text);
        }
        assert_eq!(shown(&view, &log), ["b", "c", "d"]);
    }

    #[test]
    fn a_filter_covers_entries_before_and_after_it_was_set() {
        let (mut log, mut view) = (
            MessageLog::with_capacity(100),
            LogView::new(str::to_lowercase),
        );
        record(&mut log, &mut view, Direction::Sent, "price BTC");
        record(&mut log, &mut view, Direction::Received, "price ETH");
        record(&mut log, &mut view, Direction::Event, "Open");
        let filter = LogFilter {
            text: "PRICE".into(),
            sent: false,
            ..LogFilter::default()
        };
        view.set_filter(filter, &log);
        assert_eq!(shown(&view, &log), ["price ETH"]);
        record(&mut log, &mut view, Direction::Received, "price SOL");
        record(&mut log, &mut view, Direction::Received, "volume SOL");
        assert_eq!(shown(&view, &log), ["price ETH", "price SOL"]);
    }

    #[test]
    fn matching_entries_the_log_drops_leave_the_view() {
        let (mut log, mut view) = (
            MessageLog::with_capacity(2),
            LogView::new(str::to_lowercase),
        );
        view.set_filter(
            LogFilter {
                text: "x".into(),
                ..LogFilter::default()
            },
            &log,
        );
        for text in ["x1", "x2", "y", "x3"] {
            record(&mut log, &mut view, Direction::Received, text);
        }
        assert_eq!(shown(&view, &log), ["x3"]);
        log.clear();
        view.on_clear();
        assert_eq!(view.len(&log), 0);
    }
}
