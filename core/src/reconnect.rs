//! When to try again after a connection drops: exponential backoff with jitter, bounded in
//! delay and in attempts. Never after the person's own Disconnect (the session decides that).

/// How long a connection must stay open before a later drop starts the count afresh.
pub const STABLE_AFTER_MS: f64 = 30_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub max_attempts: u32,
    pub first_delay_ms: f64,
    pub max_delay_ms: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            first_delay_ms: 500.0,
            max_delay_ms: 30_000.0,
        }
    }
}

impl Backoff {
    /// The wait before attempt `n` (from 1), or None when attempts are used up. `jitter` in
    /// [0, 1) spreads it over the upper half of the window, so many clients do not retry in step.
    pub fn delay_ms(&self, n: u32, jitter: f64) -> Option<f64> {
        if n == 0 || n > self.max_attempts {
            return None;
        }
        let window = (self.first_delay_ms * 2f64.powi(n as i32 - 1)).min(self.max_delay_ms);
        Some(window * (0.5 + jitter.clamp(0.0, 1.0) / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_up_to_the_cap_then_stops() {
        let b = Backoff {
            max_attempts: 8,
            first_delay_ms: 500.0,
            max_delay_ms: 4_000.0,
        };
        let top: Vec<f64> = (1..=9).filter_map(|n| b.delay_ms(n, 1.0)).collect();
        assert_eq!(
            top,
            [
                500.0, 1000.0, 2000.0, 4000.0, 4000.0, 4000.0, 4000.0, 4000.0
            ]
        );
        assert_eq!(b.delay_ms(1, 0.0), Some(250.0));
        assert_eq!(b.delay_ms(0, 0.5), None);
    }

    proptest! {
        #[test]
        fn delays_stay_in_the_upper_half_of_the_window(n in 1u32..20, jitter in 0.0..1.0f64) {
            let b = Backoff::default();
            if let Some(d) = b.delay_ms(n, jitter) {
                let window = (b.first_delay_ms * 2f64.powi(n as i32 - 1)).min(b.max_delay_ms);
                prop_assert!(d >= window / 2.0 && d <= window);
            } else {
                prop_assert!(n > b.max_attempts);
            }
        }
    }
}
