//! Wall-clock times for log entries, to the millisecond.

/// `14:03:22.123` for a time in Unix epoch milliseconds, shifted by the local UTC offset.
pub fn time_of_day(epoch_ms: f64, utc_offset_minutes: i32) -> String {
    let local = epoch_ms.floor() as i64 + i64::from(utc_offset_minutes) * 60_000;
    let ms = local.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_local_time_of_day() {
        // 2026-11-24T13:05:09.042Z
        let t = 1_795_957_509_042.0;
        assert_eq!(time_of_day(t, 0), "13:05:09.042");
        assert_eq!(time_of_day(t, 60), "14:05:09.042");
        assert_eq!(time_of_day(t, -14 * 60), "23:05:09.042");
        assert_eq!(time_of_day(0.0, -30), "23:30:00.000");
    }
}
