//! The message log as the page holds it: entries in a bounded ring buffer outside the reactive
//! system, and a few signals the view reads, refreshed at most once per animation frame however
//! fast messages arrive.

use leptos::prelude::*;
use wsprobe_core::filter::LogFilter;
use wsprobe_core::log::{Counters, Direction, EntryNote, LogEntry, MessageLog, Payload};
use wsprobe_core::log_view::LogView;
use wsprobe_core::rate::RateMeter;

use crate::glue::clock;

/// Default limits: enough for a long session, small enough that a flood cannot exhaust memory.
pub const DEFAULT_MAX_ENTRIES: usize = 50_000;
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;
const RATE_WINDOW_MS: f64 = 1_000.0;

/// Everything the hot path touches, behind one arena lookup per message.
struct Inner {
    log: MessageLog,
    view: LogView,
    rate_meter: RateMeter,
    /// Messages counted into the rate so far; the rate is fed once per frame, not per message.
    rated: u64,
    frame_requested: bool,
    /// When the last message arrived (epoch ms), for the heartbeat's "last received".
    last_received_ms: Option<f64>,
}

#[derive(Clone, Copy)]
pub struct LogState {
    inner: StoredValue<Inner>,
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

/// The message log, as provided at the page's top.
pub fn use_log() -> LogState {
    crate::context::injected()
}

/// The browser's `toLowerCase`, for searches in the log for text that is not ASCII
/// (wsprobe_core::filter::Lowercase).
fn browser_lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

impl LogState {
    pub fn new() -> Self {
        let this = Self {
            inner: StoredValue::new(Inner {
                log: MessageLog::with_limits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES),
                view: LogView::new(browser_lowercase),
                rate_meter: RateMeter::new(RATE_WINDOW_MS),
                rated: 0,
                frame_requested: false,
                last_received_ms: None,
            }),
            changed: RwSignal::new(0),
            counters: RwSignal::new(Counters::default()),
            rate: RwSignal::new(0.0),
            filter: RwSignal::new(LogFilter::default()),
            limits: RwSignal::new((DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES)),
            selected: RwSignal::new(None),
        };
        // The rate falls back to zero when a stream stops, with no message to trigger a repaint.
        if let Ok(timer) = set_interval_with_handle(
            move || this.refresh_rate(),
            std::time::Duration::from_millis(500),
        ) {
            on_cleanup(move || timer.clear());
        }
        this
    }

    pub fn record(&self, direction: Direction, payload: Payload) {
        self.record_at(clock::epoch_ms(), direction, payload);
    }

    /// A message received at `now` (epoch ms), which may be a little before it reaches the page.
    pub fn received(&self, now: f64, payload: Payload) {
        self.record_at(now, Direction::Received, payload);
    }

    fn record_at(&self, now: f64, direction: Direction, payload: Payload) {
        self.record_noted(now, direction, payload, None);
    }

    /// Records a frame at `now` (epoch ms) with what the protocol made of it.
    pub fn record_noted(
        &self,
        now: f64,
        direction: Direction,
        payload: Payload,
        note: Option<Box<EntryNote>>,
    ) {
        let first_in_frame = self.inner.try_update_value(|inner| {
            if direction == Direction::Received {
                inner.last_received_ms = Some(now);
            }
            inner.log.record_noted(now, direction, payload, note);
            if let Some(entry) = inner
                .log
                .len()
                .checked_sub(1)
                .and_then(|last| inner.log.get(last))
            {
                inner.view.on_record(entry, &inner.log);
            }
            !std::mem::replace(&mut inner.frame_requested, true)
        });
        if first_in_frame == Some(true) {
            let this = *self;
            // However many messages arrive, the view learns of them once per animation frame.
            request_animation_frame(move || this.repaint());
        }
    }

    /// When the last message arrived (epoch ms); untracked.
    pub fn last_received_ms(&self) -> Option<f64> {
        self.inner.with_value(|inner| inner.last_received_ms)
    }

    pub fn set_filter(&self, filter: LogFilter) {
        self.inner
            .update_value(|inner| inner.view.set_filter(filter.clone(), &inner.log));
        self.filter.set(filter);
        self.changed.update(|n| *n += 1);
    }

    pub fn set_limits(&self, max_entries: usize, max_bytes: usize) {
        self.inner.update_value(|inner| {
            inner.log.set_limits(max_entries, max_bytes);
            let filter = inner.view.filter().clone();
            inner.view.set_filter(filter, &inner.log);
        });
        self.limits.set((max_entries, max_bytes));
        self.repaint();
    }

    /// Empties the log; the counters keep counting the connection's traffic.
    pub fn clear(&self) {
        self.inner.update_value(|inner| {
            inner.log.clear();
            inner.view.on_clear();
        });
        self.selected.set(None);
        self.repaint();
    }

    /// How many entries the view shows under the filter.
    pub fn shown_len(&self) -> usize {
        self.changed.track();
        self.inner.with_value(|inner| inner.view.len(&inner.log))
    }

    /// Entries `from..from + count` of what the view shows, mapped by `f`.
    pub fn shown<T>(&self, from: usize, count: usize, f: impl Fn(&LogEntry) -> T) -> Vec<T> {
        self.changed.track();
        self.inner.with_value(|inner| {
            (from..from + count)
                .map_while(|i| inner.view.get(&inner.log, i))
                .map(&f)
                .collect()
        })
    }

    /// Where `seq` is shown now (see `LogView::position_of`); untracked, for keeping a place.
    pub fn position_of(&self, seq: u64) -> usize {
        self.inner
            .with_value(|inner| inner.view.position_of(seq, &inner.log))
    }

    /// The seq of the entry shown at `index`; untracked.
    pub fn seq_at(&self, index: usize) -> Option<u64> {
        self.inner
            .with_value(|inner| inner.view.get(&inner.log, index).map(|e| e.seq))
    }

    pub fn retained_len(&self) -> usize {
        self.changed.track();
        self.inner.with_value(|inner| inner.log.len())
    }

    /// The entry with `seq`, if the log still holds it.
    pub fn entry(&self, seq: u64) -> Option<LogEntry> {
        self.changed.track();
        self.inner.with_value(|inner| {
            inner
                .log
                .index_of_seq(seq)
                .and_then(|i| inner.log.get(i))
                .cloned()
        })
    }

    /// The seq the next entry will have: entries from here on are what follows.
    pub fn next_seq(&self) -> u64 {
        self.inner.with_value(|inner| inner.log.next_seq())
    }

    /// The retained entries from `seq` on, oldest first.
    pub fn entries_from(&self, seq: u64) -> Vec<LogEntry> {
        self.inner.with_value(|inner| {
            (0..inner.log.len())
                .filter_map(|i| inner.log.get(i))
                .filter(|e| e.seq >= seq)
                .cloned()
                .collect()
        })
    }

    /// Every retained entry as JSON Lines, oldest first.
    pub fn export_lines(&self) -> String {
        self.inner.with_value(|inner| {
            let mut out = String::new();
            for entry in (0..inner.log.len()).filter_map(|i| inner.log.get(i)) {
                out.push_str(&entry.to_json_line());
                out.push('\n');
            }
            out
        })
    }

    fn refresh_rate(&self) {
        let now = clock::monotonic_ms();
        let rate = self.inner.try_update_value(|inner| {
            let c = inner.log.counters();
            let total = c.sent + c.received;
            inner.rate_meter.record(now, total - inner.rated);
            inner.rated = total;
            inner.rate_meter.per_second(now)
        });
        if let Some(rate) = rate.filter(|r| *r != self.rate.get_untracked()) {
            self.rate.set(rate);
        }
    }

    fn repaint(&self) {
        let counters = self.inner.try_update_value(|inner| {
            inner.frame_requested = false;
            inner.log.counters()
        });
        if let Some(counters) = counters {
            self.counters.set(counters);
        }
        self.refresh_rate();
        self.changed.update(|n| *n += 1);
    }
}

impl Default for LogState {
    fn default() -> Self {
        Self::new()
    }
}
