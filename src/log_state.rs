//! The message log as the page holds it: entries in a bounded ring buffer outside the reactive
//! system, and a few signals the view reads, refreshed at most once per animation frame however
//! fast messages arrive.

use leptos::prelude::*;
use wsprobe_core::filter::LogFilter;
use wsprobe_core::log::{Counters, Direction, LogEntry, MessageLog, Payload};
use wsprobe_core::log_view::LogView;
use wsprobe_core::rate::RateMeter;

use crate::glue::clock;

/// Default limits: enough for a long session, small enough that a flood cannot exhaust memory.
pub const DEFAULT_MAX_ENTRIES: usize = 50_000;
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;
const RATE_WINDOW_MS: f64 = 1_000.0;

#[derive(Clone, Copy)]
pub struct LogState {
    entries: StoredValue<MessageLog>,
    view: StoredValue<LogView>,
    rate_meter: StoredValue<RateMeter>,
    frame_requested: StoredValue<bool>,
    /// Ticks when entries or the filter change; everything that reads entries tracks it.
    pub changed: RwSignal<u64>,
    pub counters: RwSignal<Counters>,
    /// Messages per second, sent and received, over the last second.
    pub rate: RwSignal<f64>,
    pub filter: RwSignal<LogFilter>,
    pub limits: RwSignal<(usize, usize)>,
    /// The entry shown whole in the detail view, by seq.
    pub selected: RwSignal<Option<u64>>,
}

impl LogState {
    pub fn new() -> Self {
        let this = Self {
            entries: StoredValue::new(MessageLog::with_limits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES)),
            view: StoredValue::new(LogView::default()),
            rate_meter: StoredValue::new(RateMeter::new(RATE_WINDOW_MS)),
            frame_requested: StoredValue::new(false),
            changed: RwSignal::new(0),
            counters: RwSignal::new(Counters::default()),
            rate: RwSignal::new(0.0),
            filter: RwSignal::new(LogFilter::default()),
            limits: RwSignal::new((DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES)),
            selected: RwSignal::new(None),
        };
        // The rate falls back to zero when a stream stops, with no message to trigger a repaint.
        let _ = set_interval_with_handle(move || this.refresh_rate(), std::time::Duration::from_millis(500));
        this
    }

    pub fn record(&self, direction: Direction, payload: Payload) {
        let now = clock::epoch_ms();
        let counted = direction != Direction::Event;
        self.entries.update_value(|log| {
            log.record(now, direction, payload);
            if let Some(entry) = log.len().checked_sub(1).and_then(|last| log.get(last)) {
                self.view.update_value(|view| view.on_record(entry, log));
            }
        });
        if counted {
            self.rate_meter.update_value(|m| m.record(clock::monotonic_ms(), 1));
        }
        self.schedule_repaint();
    }

    pub fn set_filter(&self, filter: LogFilter) {
        self.entries.with_value(|log| self.view.update_value(|view| view.set_filter(filter.clone(), log)));
        self.filter.set(filter);
        self.changed.update(|n| *n += 1);
    }

    pub fn set_limits(&self, max_entries: usize, max_bytes: usize) {
        self.entries.update_value(|log| {
            log.set_limits(max_entries, max_bytes);
            let filter = self.view.with_value(|v| v.filter().clone());
            self.view.update_value(|view| view.set_filter(filter, log));
        });
        self.limits.set((max_entries, max_bytes));
        self.repaint();
    }

    /// Empties the log; the counters keep counting the connection's traffic.
    pub fn clear(&self) {
        self.entries.update_value(MessageLog::clear);
        self.view.update_value(LogView::on_clear);
        self.selected.set(None);
        self.repaint();
    }

    /// How many entries the view shows under the filter.
    pub fn shown_len(&self) -> usize {
        self.changed.track();
        self.entries.with_value(|log| self.view.with_value(|view| view.len(log)))
    }

    /// Entries `from..from + count` of what the view shows, mapped by `f`.
    pub fn shown<T>(&self, from: usize, count: usize, f: impl Fn(&LogEntry) -> T) -> Vec<T> {
        self.changed.track();
        self.entries.with_value(|log| {
            self.view.with_value(|view| (from..from + count).map_while(|i| view.get(log, i)).map(&f).collect())
        })
    }

    pub fn retained_len(&self) -> usize {
        self.changed.track();
        self.entries.with_value(MessageLog::len)
    }

    /// The entry with `seq`, if the log still holds it.
    pub fn entry(&self, seq: u64) -> Option<LogEntry> {
        self.changed.track();
        self.entries.with_value(|log| log.index_of_seq(seq).and_then(|i| log.get(i)).cloned())
    }

    /// Every retained entry as JSON Lines, oldest first.
    pub fn export_lines(&self) -> String {
        self.entries.with_value(|log| {
            let mut out = String::new();
            for entry in (0..log.len()).filter_map(|i| log.get(i)) {
                out.push_str(&entry.to_json_line());
                out.push('\n');
            }
            out
        })
    }

    fn refresh_rate(&self) {
        let now = clock::monotonic_ms();
        let rate = self.rate_meter.with_value(|m| m.per_second(now));
        if self.rate.get_untracked() != rate {
            self.rate.set(rate);
        }
    }

    fn repaint(&self) {
        self.counters.set(self.entries.with_value(MessageLog::counters));
        self.refresh_rate();
        self.changed.update(|n| *n += 1);
    }

    /// However many messages arrive, the view learns of them once per animation frame.
    fn schedule_repaint(&self) {
        if self.frame_requested.get_value() {
            return;
        }
        self.frame_requested.set_value(true);
        let this = *self;
        request_animation_frame(move || {
            this.frame_requested.set_value(false);
            this.repaint();
        });
    }
}

impl Default for LogState {
    fn default() -> Self {
        Self::new()
    }
}
