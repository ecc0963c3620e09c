//! The Latency panel's figures: round trips of paired exchanges and the rate in and out,
//! counted per frame outside the reactive system and shown twice a second, so a stream of
//! replies costs a bucket increment each, not a repaint.

use leptos::prelude::*;
use wsprobe_core::log::Direction;
use wsprobe_core::protocol::latency::{Bin, LatencyStats, Summary};
use wsprobe_core::protocol::throughput::Throughput;

use crate::glue::clock;

const REFRESH_MS: u64 = 500;
/// Bars in the round-trip histogram.
const BINS: usize = 12;

struct Counts {
    latency: LatencyStats,
    throughput: Throughput,
    /// Samples recorded since the figures were last shown.
    fresh: bool,
}

#[derive(Clone, Copy)]
pub struct Meter {
    counts: StoredValue<Counts, LocalStorage>,
    pub summary: RwSignal<Option<Summary>>,
    pub histogram: RwSignal<Vec<Bin>>,
    /// Messages per second, in and out, one pair per second, oldest first.
    pub rate: RwSignal<Vec<(u64, u64)>>,
}

impl Meter {
    /// Counts from now on, and shows the figures twice a second until the panel goes.
    pub fn start() -> Self {
        let this = Self {
            counts: StoredValue::new_local(Counts {
                latency: LatencyStats::default(),
                throughput: Throughput::default(),
                fresh: false,
            }),
            summary: RwSignal::new(None),
            histogram: RwSignal::new(Vec::new()),
            rate: RwSignal::new(Vec::new()),
        };
        if let Ok(timer) = set_interval_with_handle(
            move || this.show(),
            std::time::Duration::from_millis(REFRESH_MS),
        ) {
            on_cleanup(move || timer.clear());
        }
        this
    }

    pub fn round_trip(&self, rtt_ms: f64) {
        self.counts.update_value(|c| {
            c.latency.record(rtt_ms);
            c.fresh = true;
        });
    }

    pub fn frame(&self, at_ms: f64, direction: Direction) {
        self.counts
            .update_value(|c| c.throughput.record(at_ms, direction));
    }

    /// Forgets the round trips (the rate keeps its minutes).
    pub fn clear(&self) {
        self.counts.update_value(|c| {
            c.latency.clear();
            c.fresh = true;
        });
        self.show();
    }

    fn show(&self) {
        let now = clock::epoch_ms();
        let Some((fresh, rate)) = self.counts.try_update_value(|c| {
            (
                std::mem::replace(&mut c.fresh, false)
                    .then(|| (c.latency.summary(), c.latency.histogram(BINS))),
                c.throughput.series(now),
            )
        }) else {
            return;
        };
        if let Some((summary, histogram)) = fresh {
            self.summary.set(summary);
            self.histogram.set(histogram);
        }
        if self.rate.with_untracked(|r| *r != rate) {
            self.rate.set(rate);
        }
    }
}
