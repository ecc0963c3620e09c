//! Messages per second over a sliding window, in fixed memory however fast messages arrive.

/// The window is split into this many buckets; the oldest is dropped whole as time moves on.
const BUCKETS: usize = 10;
/// Bounds that keep bucket arithmetic finite whatever window a caller asks for.
const MIN_WINDOW_MS: f64 = 10.0;
const MAX_WINDOW_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone)]
pub struct RateMeter {
    bucket_ms: f64,
    counts: [u64; BUCKETS],
    /// Index (time / bucket_ms) of the newest bucket written; None before the first record.
    newest: Option<i64>,
}

impl RateMeter {
    /// A meter over the last `window_ms` milliseconds (kept between 10 ms and a day).
    pub fn new(window_ms: f64) -> Self {
        let window_ms = if window_ms.is_nan() {
            MIN_WINDOW_MS
        } else {
            window_ms.clamp(MIN_WINDOW_MS, MAX_WINDOW_MS)
        };
        Self {
            bucket_ms: window_ms / BUCKETS as f64,
            counts: [0; BUCKETS],
            newest: None,
        }
    }

    /// Counts `count` messages at `now_ms`. A clock that went backwards counts them as now.
    pub fn record(&mut self, now_ms: f64, count: u64) {
        let bucket = self.bucket_of(now_ms);
        let slot = match self.newest {
            Some(newest) if bucket <= newest => slot(newest),
            Some(newest) => {
                // Empty the buckets time has moved past (all of them after a long gap).
                let gap = bucket.saturating_sub(newest).min(BUCKETS as i64) as usize;
                for step in 1..=gap {
                    self.counts[(slot(newest) + step) % BUCKETS] = 0;
                }
                self.newest = Some(bucket);
                slot(bucket)
            }
            None => {
                self.newest = Some(bucket);
                slot(bucket)
            }
        };
        self.counts[slot] = self.counts[slot].saturating_add(count);
    }

    /// Messages per second over the window ending at `now_ms`; 0 when none fall in it.
    pub fn per_second(&self, now_ms: f64) -> f64 {
        let Some(newest) = self.newest else {
            return 0.0;
        };
        let now_bucket = self.bucket_of(now_ms).max(newest);
        let age = now_bucket.saturating_sub(newest);
        if age >= BUCKETS as i64 {
            return 0.0;
        }
        // Buckets newest, newest - 1, … that are still inside the window ending at now_bucket.
        let live = BUCKETS - age as usize;
        let total: u64 = (0..live)
            .map(|back| self.counts[(slot(newest) + BUCKETS - back) % BUCKETS])
            .sum();
        // The window covers the full older buckets plus the part of the current one elapsed,
        // so a steady stream reads steady; NaN from odd clocks falls to 0 through `max`.
        let into_current = (now_ms - now_bucket as f64 * self.bucket_ms)
            .max(0.0)
            .min(self.bucket_ms);
        let span_ms = (BUCKETS - 1) as f64 * self.bucket_ms + into_current;
        total as f64 * 1000.0 / span_ms
    }

    fn bucket_of(&self, now_ms: f64) -> i64 {
        // Float-to-int casts saturate (NaN gives 0), so odd clocks cannot overflow here.
        (now_ms / self.bucket_ms).floor() as i64
    }
}

fn slot(bucket: i64) -> usize {
    bucket.rem_euclid(BUCKETS as i64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9 * expected.max(1.0)
    }

    #[test]
    fn a_steady_stream_reads_steady() {
        let mut meter = RateMeter::new(1000.0);
        // 5 messages every 10 ms: 500 per second.
        for tick in 0..300 {
            meter.record(f64::from(tick) * 10.0, 5);
        }
        for now in [2990.0, 2995.0, 2999.9] {
            let rate = meter.per_second(now);
            assert!((rate - 500.0).abs() < 500.0 * 0.02, "{rate} at {now}");
        }
    }

    #[test]
    fn falls_to_zero_once_the_window_has_passed() {
        let mut meter = RateMeter::new(1000.0);
        assert_eq!(meter.per_second(0.0), 0.0);
        meter.record(1000.0, 3);
        assert!(close(meter.per_second(1000.0), 3.0 * 1000.0 / 900.0));
        assert!(close(meter.per_second(1950.0), 3.0 * 1000.0 / 950.0));
        assert_eq!(meter.per_second(2000.0), 0.0);
        meter.record(10_000.0, 2);
        assert!(close(meter.per_second(10_999.0), 2.0 * 1000.0 / 999.0));
    }

    #[test]
    fn a_stalled_or_backward_clock_gives_finite_rates() {
        let mut meter = RateMeter::new(1000.0);
        for _ in 0..1000 {
            meter.record(5000.0, 1);
        }
        assert!(close(meter.per_second(5000.0), 1000.0 * 1000.0 / 900.0));
        meter.record(100.0, 1);
        assert!(close(meter.per_second(100.0), 1001.0 * 1000.0 / 900.0));
        assert!(close(meter.per_second(5950.0), 1001.0 * 1000.0 / 950.0));
        for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e300] {
            meter.record(now, u64::MAX);
            assert!(meter.per_second(now).is_finite());
        }
    }

    #[test]
    fn odd_windows_are_clamped() {
        for window in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e-300] {
            let mut meter = RateMeter::new(window);
            meter.record(0.0, 1);
            let rate = meter.per_second(0.0);
            assert!(rate.is_finite() && rate > 0.0, "{rate} for {window}");
        }
    }

    proptest! {
        #[test]
        fn rates_are_never_nan_or_negative(
            window in any::<f64>(),
            events in proptest::collection::vec((any::<f64>(), 0u64..1000), 0..50),
            probe in any::<f64>(),
        ) {
            let mut meter = RateMeter::new(window);
            for (now, count) in events {
                meter.record(now, count);
                let rate = meter.per_second(now);
                prop_assert!(rate.is_finite() && rate >= 0.0);
            }
            let rate = meter.per_second(probe);
            prop_assert!(rate.is_finite() && rate >= 0.0);
        }
    }
}
