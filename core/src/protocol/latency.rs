//! Round-trip times in fixed memory however many arrive: a histogram of logarithmic buckets,
//! each a ratio wide, so any percentile is known to within 1% of the true value (the scheme
//! of DDSketch), while the count, minimum and maximum are kept exactly.

/// Relative accuracy of a bucket's representative value; under 1% to leave room for rounding.
const ACCURACY: f64 = 0.0095;
/// Times below this (a microsecond) share one bucket, shown as the minimum.
const SMALLEST_MS: f64 = 0.001;
/// Times above this (a little over a day) share one bucket, shown as the maximum.
const LARGEST_MS: f64 = 1e8;
/// At most this many bars, however many are asked for.
const MAX_BINS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub min: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

/// One bar of the histogram: the times above the previous bar's `upper_ms`, up to this one's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub upper_ms: f64,
    pub count: u64,
}

#[derive(Debug, Clone)]
pub struct LatencyStats {
    /// Bucket i holds times in (SMALLEST·γⁱ⁻¹, SMALLEST·γⁱ].
    buckets: Vec<u64>,
    /// Times below SMALLEST_MS, and above LARGEST_MS.
    tiny: u64,
    huge: u64,
    count: u64,
    min: f64,
    max: f64,
}

impl Default for LatencyStats {
    fn default() -> Self {
        let top = bucket_index(LARGEST_MS);
        Self {
            buckets: vec![0; top.saturating_add(1)],
            tiny: 0,
            huge: 0,
            count: 0,
            min: f64::INFINITY,
            max: 0.0,
        }
    }
}

/// The ratio between a bucket's bounds.
fn gamma() -> f64 {
    (1.0 + ACCURACY) / (1.0 - ACCURACY)
}

/// The bucket of a time from SMALLEST_MS to LARGEST_MS.
fn bucket_index(rtt_ms: f64) -> usize {
    ((rtt_ms / SMALLEST_MS).ln() / gamma().ln()).ceil().max(0.0) as usize
}

/// The value that stands for bucket `index`: within ACCURACY of anything in it.
fn representative(index: usize) -> f64 {
    let gamma = gamma();
    SMALLEST_MS * 2.0 * gamma.powi(i32::try_from(index).unwrap_or(i32::MAX)) / (gamma + 1.0)
}

impl LatencyStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one round trip. Negative times (a clock that stepped back) count as 0; times
    /// that are not finite are not times and are left out.
    pub fn record(&mut self, rtt_ms: f64) {
        if !rtt_ms.is_finite() {
            return;
        }
        let rtt_ms = rtt_ms.max(0.0);
        let counter = if rtt_ms < SMALLEST_MS {
            Some(&mut self.tiny)
        } else if rtt_ms > LARGEST_MS {
            Some(&mut self.huge)
        } else {
            self.buckets.get_mut(bucket_index(rtt_ms))
        };
        if let Some(counter) = counter {
            *counter = counter.saturating_add(1);
        }
        self.count = self.count.saturating_add(1);
        self.min = self.min.min(rtt_ms);
        self.max = self.max.max(rtt_ms);
    }

    /// Count, exact minimum and maximum, and percentiles to within 1%; None before any time.
    pub fn summary(&self) -> Option<Summary> {
        (self.count > 0).then(|| Summary {
            count: self.count,
            min: self.min,
            p50: self.percentile(0.50),
            p95: self.percentile(0.95),
            p99: self.percentile(0.99),
            max: self.max,
        })
    }

    /// `bins` bars of equal width from the minimum to the maximum, for drawing; empty before
    /// any time, one bar when all times are equal.
    pub fn histogram(&self, bins: usize) -> Vec<Bin> {
        let bins = bins.min(MAX_BINS);
        if self.count == 0 || bins == 0 {
            return Vec::new();
        }
        if self.max <= self.min {
            return vec![Bin {
                upper_ms: self.max,
                count: self.count,
            }];
        }
        let width = (self.max - self.min) / bins as f64;
        let mut out: Vec<Bin> = (1..=bins)
            .map(|k| Bin {
                upper_ms: self.min + width * k as f64,
                count: 0,
            })
            .collect();
        if let Some(last) = out.last_mut() {
            last.upper_ms = self.max;
        }
        for (value, count) in self.filled() {
            let bar = ((value - self.min) / width).floor().max(0.0) as usize;
            if let Some(bin) = out.get_mut(bar.min(bins.saturating_sub(1))) {
                bin.count = bin.count.saturating_add(count);
            }
        }
        out
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The nearest-rank percentile `q` (0 to 1), as its bucket's value within min..max.
    fn percentile(&self, q: f64) -> f64 {
        let rank = ((q * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (value, count) in self.filled() {
            seen = seen.saturating_add(count);
            if seen >= rank {
                return value;
            }
        }
        self.max
    }

    /// Each non-empty bucket's value (kept within min..max) and count, smallest first.
    fn filled(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let tiny = (self.tiny > 0).then_some((self.min, self.tiny));
        let buckets = self
            .buckets
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(index, count)| (representative(index).clamp(self.min, self.max), *count));
        let huge = (self.huge > 0).then_some((self.max, self.huge));
        tiny.into_iter().chain(buckets).chain(huge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The nearest-rank percentile of sorted times, computed the slow and sure way.
    fn exact(sorted: &[f64], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        sorted[rank - 1]
    }

    #[test]
    fn nothing_recorded_is_no_summary() {
        let stats = LatencyStats::new();
        assert_eq!(stats.summary(), None);
        assert_eq!(stats.histogram(10), []);
    }

    #[test]
    fn one_to_a_hundred() {
        let mut stats = LatencyStats::new();
        for ms in 1..=100 {
            stats.record(f64::from(ms));
        }
        let summary = stats.summary().unwrap();
        assert_eq!((summary.count, summary.min, summary.max), (100, 1.0, 100.0));
        for (got, want) in [
            (summary.p50, 50.0),
            (summary.p95, 95.0),
            (summary.p99, 99.0),
        ] {
            assert!((got - want).abs() <= want * 0.01, "{got} for {want}");
        }
        let bins = stats.histogram(10);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 100);
        assert_eq!(bins.last().map(|b| b.upper_ms), Some(100.0));
        assert!((bins[0].upper_ms - 10.9).abs() < 1e-9);
        stats.clear();
        assert_eq!(stats.summary(), None);
    }

    #[test]
    fn odd_times_are_kept_in_bounds() {
        let mut stats = LatencyStats::new();
        for odd in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            stats.record(odd);
        }
        assert_eq!(stats.summary(), None);
        stats.record(-5.0);
        stats.record(0.0);
        stats.record(1e12);
        let summary = stats.summary().unwrap();
        assert_eq!((summary.count, summary.min, summary.max), (3, 0.0, 1e12));
        assert_eq!(summary.p50, 0.0);
        assert_eq!(summary.p99, 1e12, "past the largest bucket, the maximum");
        assert_eq!(stats.histogram(usize::MAX).len(), MAX_BINS);
        let mut same = LatencyStats::new();
        same.record(7.0);
        same.record(7.0);
        assert_eq!(
            same.histogram(5),
            [Bin {
                upper_ms: 7.0,
                count: 2
            }]
        );
    }

    #[test]
    fn memory_is_fixed() {
        let stats = LatencyStats::new();
        assert!(stats.buckets.len() < 1400, "{}", stats.buckets.len());
        assert!(representative(stats.buckets.len() - 1) >= LARGEST_MS * (1.0 - ACCURACY));
    }

    proptest! {
        #[test]
        fn percentiles_are_within_one_percent(
            exponents in proptest::collection::vec(-3.0f64..7.0, 1..400),
        ) {
            let times: Vec<f64> = exponents.iter().map(|e| 10f64.powf(*e)).collect();
            let mut stats = LatencyStats::new();
            for &t in &times {
                stats.record(t);
            }
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            let summary = stats.summary().unwrap();
            prop_assert_eq!(summary.count, times.len() as u64);
            prop_assert_eq!(summary.min, sorted[0]);
            prop_assert_eq!(summary.max, sorted[sorted.len() - 1]);
            for (q, got) in [(0.5, summary.p50), (0.95, summary.p95), (0.99, summary.p99)] {
                let want = exact(&sorted, q);
                prop_assert!((got - want).abs() <= want * 0.01, "p{} {} for {}", q * 100.0, got, want);
            }
            let bins = stats.histogram(20);
            prop_assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), times.len() as u64);
        }

        #[test]
        fn any_times_give_a_sane_summary(times in proptest::collection::vec(any::<f64>(), 0..50), bins in 0usize..50) {
            let mut stats = LatencyStats::new();
            for t in times {
                stats.record(t);
            }
            if let Some(s) = stats.summary() {
                prop_assert!(s.min <= s.p50 && s.p50 <= s.p95 && s.p95 <= s.p99 && s.p99 <= s.max);
            }
            let _ = stats.histogram(bins);
        }
    }
}
