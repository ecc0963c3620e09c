//! Messages per second in and out over the last minutes, for a chart: one slot a second in a
//! ring, so memory stays fixed however long the connection lives.

use crate::log::Direction;

/// Five minutes.
pub const DEFAULT_SECONDS: usize = 300;
/// A day of seconds: a bound on the memory a caller can ask for.
const MAX_SECONDS: usize = 86_400;

#[derive(Debug, Clone)]
pub struct Throughput {
    /// (in, out) for second s at `slots[s mod len]`.
    slots: Vec<(u64, u64)>,
    /// The newest second written; None before the first message.
    newest: Option<i64>,
}

impl Default for Throughput {
    fn default() -> Self {
        Self::new(DEFAULT_SECONDS)
    }
}

impl Throughput {
    /// Counts over the last `seconds` (kept between 1 and a day).
    pub fn new(seconds: usize) -> Self {
        Self {
            slots: vec![(0, 0); seconds.clamp(1, MAX_SECONDS)],
            newest: None,
        }
    }

    /// Counts a message at `now_ms`; a clock that went backwards counts it as now. Connection
    /// events are not messages and are left out.
    pub fn record(&mut self, now_ms: f64, direction: Direction) {
        let second = second_of(now_ms);
        let newest = match self.newest {
            Some(newest) if second <= newest => newest,
            Some(newest) => {
                // Empty the seconds time moved past (all of them after a long gap).
                let gap = second.saturating_sub(newest).min(self.len());
                for step in 1..=gap {
                    let slot = self.slot(newest.saturating_add(step));
                    if let Some(counts) = self.slots.get_mut(slot) {
                        *counts = (0, 0);
                    }
                }
                second
            }
            None => second,
        };
        self.newest = Some(newest);
        let slot = self.slot(newest);
        if let Some((received, sent)) = self.slots.get_mut(slot) {
            match direction {
                Direction::Received => *received = received.saturating_add(1),
                Direction::Sent => *sent = sent.saturating_add(1),
                Direction::Event => {}
            }
        }
    }

    /// (in, out) for each of the last seconds up to `now_ms`, oldest first; zero when quiet.
    pub fn series(&self, now_ms: f64) -> Vec<(u64, u64)> {
        let len = self.len();
        let Some(newest) = self.newest else {
            return vec![(0, 0); self.slots.len()];
        };
        let end = second_of(now_ms).max(newest);
        (0..len)
            .rev()
            .map(|back| {
                // Only seconds still in the ring: not after the newest, nor a lap before it, nor
                // before the clock's first second (saturating there would count one twice).
                match end.checked_sub(back) {
                    Some(second) if second <= newest && newest.saturating_sub(second) < len => {
                        self.slots.get(self.slot(second)).copied().unwrap_or((0, 0))
                    }
                    _ => (0, 0),
                }
            })
            .collect()
    }

    fn len(&self) -> i64 {
        i64::try_from(self.slots.len()).unwrap_or(i64::MAX)
    }

    fn slot(&self, second: i64) -> usize {
        usize::try_from(second.rem_euclid(self.len().max(1))).unwrap_or(0)
    }
}

/// The whole second `now_ms` falls in; float-to-int casts saturate (NaN gives 0).
fn second_of(now_ms: f64) -> i64 {
    (now_ms / 1000.0).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_each_second_in_and_out() {
        let mut t = Throughput::new(4);
        assert_eq!(t.series(0.0), [(0, 0); 4]);
        t.record(10_000.0, Direction::Received);
        t.record(10_999.0, Direction::Sent);
        t.record(10_500.0, Direction::Event);
        t.record(12_100.0, Direction::Received);
        t.record(12_200.0, Direction::Received);
        assert_eq!(t.series(12_300.0), [(0, 0), (1, 1), (0, 0), (2, 0)]);
        assert_eq!(t.series(13_000.0), [(1, 1), (0, 0), (2, 0), (0, 0)]);
        assert_eq!(t.series(14_000.0), [(0, 0), (2, 0), (0, 0), (0, 0)]);
        assert_eq!(t.series(99_000.0), [(0, 0); 4]);
    }

    #[test]
    fn a_gap_longer_than_the_window_empties_it() {
        let mut t = Throughput::new(3);
        for s in 0..3 {
            t.record(f64::from(s) * 1000.0, Direction::Sent);
        }
        t.record(60_000.0, Direction::Received);
        assert_eq!(t.series(60_000.0), [(0, 0), (0, 0), (1, 0)]);
    }

    #[test]
    fn a_clock_going_back_counts_as_now() {
        let mut t = Throughput::new(3);
        t.record(5_000.0, Direction::Sent);
        t.record(1_000.0, Direction::Sent);
        assert_eq!(t.series(1_000.0), [(0, 0), (0, 0), (0, 2)]);
        assert_eq!(Throughput::default().series(0.0).len(), DEFAULT_SECONDS);
        assert_eq!(Throughput::new(0).series(0.0).len(), 1);
    }

    #[test]
    fn a_time_at_the_end_of_the_clock_is_counted_once() {
        // Found by the property below: seconds before the earliest one saturated onto it.
        let mut t = Throughput::new(2);
        t.record(-2.852821443413711e115, Direction::Received);
        assert_eq!(t.series(-6.533882322084932e279), [(0, 0), (1, 0)]);
        let mut t = Throughput::new(2);
        t.record(f64::MAX, Direction::Sent);
        t.record(f64::INFINITY, Direction::Sent);
        assert_eq!(t.series(f64::MAX), [(0, 0), (0, 2)]);
    }

    proptest! {
        #[test]
        fn the_series_always_has_the_window_and_counts_no_more_than_recorded(
            seconds in 1usize..20,
            events in proptest::collection::vec((any::<f64>(), any::<bool>()), 0..60),
            probe in any::<f64>(),
        ) {
            let mut t = Throughput::new(seconds);
            for (now, sent) in &events {
                t.record(*now, if *sent { Direction::Sent } else { Direction::Received });
            }
            let series = t.series(probe);
            prop_assert_eq!(series.len(), seconds);
            let total: u64 = series.iter().map(|(i, o)| i + o).sum();
            prop_assert!(total <= events.len() as u64);
        }

        #[test]
        fn steady_traffic_fills_every_second(start in 0i64..1_000_000, seconds in 1usize..30) {
            let mut t = Throughput::new(seconds);
            let start_ms = start as f64 * 1000.0;
            for s in 0..seconds as i64 * 2 {
                t.record(start_ms + s as f64 * 1000.0 + 500.0, Direction::Received);
            }
            let end_ms = start_ms + (seconds as f64 * 2.0 - 1.0) * 1000.0;
            prop_assert_eq!(t.series(end_ms), vec![(1, 0); seconds]);
        }
    }
}
