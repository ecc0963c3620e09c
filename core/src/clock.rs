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

/// `2026-11-25T20:21:17.462Z`: ISO 8601 in UTC, for exports that other tools read.
pub fn iso_utc(epoch_ms: f64) -> String {
    let days = (epoch_ms.floor() as i64).div_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{}Z",
        time_of_day(epoch_ms, 0)
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm:
/// eras of 400 years starting in March, so leap days fall at the end of a year).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_local_time_of_day() {
        // 2026-11-29T13:05:09.042Z
        let t = 1_795_957_509_042.0;
        assert_eq!(time_of_day(t, 0), "13:05:09.042");
        assert_eq!(time_of_day(t, 60), "14:05:09.042");
        assert_eq!(time_of_day(t, -14 * 60), "23:05:09.042");
        assert_eq!(time_of_day(0.0, -30), "23:30:00.000");
    }

    #[test]
    fn formats_iso_utc_dates() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_795_957_509_042.0), "2026-11-29T13:05:09.042Z");
        assert_eq!(iso_utc(1_795_638_077_462.0), "2026-11-25T20:21:17.462Z");
        assert_eq!(iso_utc(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_utc(951_868_799_999.9), "2000-02-29T23:59:59.999Z");
        assert_eq!(iso_utc(946_684_800_000.0), "2000-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_709_164_800_000.0), "2024-02-29T00:00:00.000Z");
        assert_eq!(iso_utc(4_107_542_400_000.0), "2100-03-01T00:00:00.000Z");
        assert_eq!(iso_utc(-1.0), "1969-12-31T23:59:59.999Z");
    }
}
