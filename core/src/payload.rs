//! How a message's bytes are shown: sizes, hex, and short previews for log rows.

use std::fmt::Write;

use crate::decimal::fixed;

/// Bytes as lower-case hex pairs separated by spaces: `48 69 00 ff`.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A short preview for one log row: at most `max_chars` characters, line breaks shown as ⏎,
/// so a 5 MB message still costs one row. The flag says whether anything was cut.
pub fn text_preview(text: &str, max_chars: usize) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        match c {
            '\n' => out.push('\u{23ce}'),
            '\r' => {}
            c if c.is_control() && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    (out, chars.next().is_some())
}

/// Hex of at most `max_bytes` leading bytes, and whether any were left out.
pub fn hex_preview(bytes: &[u8], max_bytes: usize) -> (String, bool) {
    let shown = &bytes[..bytes.len().min(max_bytes)];
    (hex(shown), shown.len() < bytes.len())
}

/// `512 B`, `1.5 KiB`, `5.0 MiB`: binary units, as memory and buffers are counted.
pub fn format_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", fixed(value, 1), UNITS[unit])
}

/// A count with thin grouping, `1,234,567`, so counters stay readable in a flood.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `1 item`, `3 items`.
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hex_is_spaced_pairs() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x48, 0x69, 0x00, 0xff]), "48 69 00 ff");
    }

    #[test]
    fn previews_cut_long_payloads_and_show_line_breaks() {
        assert_eq!(text_preview("a\r\nb", 10), ("a\u{23ce}b".into(), false));
        assert_eq!(text_preview("héllo wörld", 5), ("héllo".into(), true));
        assert_eq!(
            text_preview("bell\u{7}", 10),
            ("bell\u{fffd}".into(), false)
        );
        assert_eq!(hex_preview(&[1, 2, 3], 2), ("01 02".into(), true));
        assert_eq!(hex_preview(&[1, 2], 2), ("01 02".into(), false));
    }

    #[test]
    fn sizes_and_counts_read_as_people_write_them() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(1023), "1023 B");
        assert_eq!(format_size(1536), "1.5 KiB");
        assert_eq!(format_size(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }

    proptest! {
        #[test]
        fn hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let parsed: Vec<u8> = hex(&bytes)
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|p| u8::from_str_radix(p, 16).unwrap())
                .collect();
            prop_assert_eq!(parsed, bytes);
        }

        #[test]
        fn previews_never_exceed_their_limit(text in ".{0,200}", max in 0usize..50) {
            let (preview, cut) = text_preview(&text, max);
            prop_assert!(preview.chars().count() <= max);
            prop_assert_eq!(cut, text.chars().count() > max);
        }

        #[test]
        fn counts_keep_their_digits(n in any::<u64>()) {
            prop_assert_eq!(format_count(n).replace(',', ""), n.to_string());
        }
    }
}
