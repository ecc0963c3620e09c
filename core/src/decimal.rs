//! Numbers shown with a fixed count of decimals, without Rust's float formatting: `{:.1}` of an
//! `f64` brings about 12 KB of exact decimal printing into the page's first load, for timings
//! and sizes that need nothing of it.

/// `value` rounded to `places` decimals (at most 6), as `{:.places$}` prints it (halves to even,
/// judged on the exact binary value), except that a negative value that rounds to zero shows no
/// sign. Beyond 10^19 / 10^places (no timing or size reaches it) it shows the largest it can.
pub fn fixed(value: f64, places: usize) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.into();
    }
    let places = places.min(6);
    let scale = 10u64.pow(places as u32);
    let scaled = round_scaled(value.abs(), scale as f64);
    let (whole, fraction) = (scaled / scale, scaled % scale);
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0places$}")
    }
}

/// `value × scale` rounded to an integer as if the product were exact: the product in f64 can
/// land on a half that the exact one is not (1.2345 × 1000 is 1234.5, but 1.2345 is stored as
/// 1.23449999…), so a half is decided by the product's rounding error, and an exact half goes
/// to the even neighbour. `as` saturates: too large for u64 shows as the largest.
fn round_scaled(value: f64, scale: f64) -> u64 {
    let product = value * scale;
    let floor = product.floor();
    let up = match product - floor {
        f if f > 0.5 => true,
        f if f < 0.5 => false,
        _ => match product_error(value, scale, product) {
            e if e > 0.0 => true,
            e if e < 0.0 => false,
            _ => floor % 2.0 != 0.0,
        },
    };
    (floor as u64).saturating_add(u64::from(up))
}

/// The exact `a × b − product` (Dekker's product with Veltkamp's split), for `product = a × b`
/// in f64 well below its overflow.
fn product_error(a: f64, b: f64, product: f64) -> f64 {
    let split = |x: f64| {
        let c = 134_217_729.0 * x; // 2^27 + 1
        let high = c - (c - x);
        (high, x - high)
    };
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    ((ah * bh - product) + ah * bl + al * bh) + al * bl
}

#[cfg(test)]
mod tests {
    use super::fixed;
    use proptest::prelude::*;

    #[test]
    fn prints_as_the_standard_formatting_does() {
        assert_eq!(fixed(12.44, 1), "12.4");
        assert_eq!(fixed(12.46, 1), "12.5");
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(3.0, 0), "3");
        assert_eq!(fixed(1499.6, 0), "1500");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(1.5, 3), "1.500");
        assert_eq!(fixed(0.001, 3), "0.001");
        assert_eq!(fixed(-2.25, 1), "-2.2");
        assert_eq!(fixed(0.35, 1), "0.3");
        assert_eq!(fixed(1.2345, 3), "1.234");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(3.5, 0), "4");
        assert_eq!(fixed(-0.01, 1), "0.0");
        assert_eq!(fixed(1.0e300, 1), "1844674407370955161.5");
        assert_eq!(fixed(f64::MAX, 6), "18446744073709.551615");
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::NEG_INFINITY, 0), "-inf");
    }

    proptest! {
        /// The same text as `{:.N}`, halves included (but no minus sign on a zero).
        #[test]
        fn matches_the_standard_formatting(value in -1.0e9f64..1.0e9, places in 0usize..7) {
            let standard = format!("{value:.places$}");
            let standard = if standard.trim_start_matches(['-', '0', '.']).is_empty() {
                standard.trim_start_matches('-').to_string()
            } else {
                standard
            };
            prop_assert_eq!(fixed(value, places), standard);
        }

        /// Values with few binary digits after the point, where exact halves are common.
        #[test]
        fn halves_go_to_even_as_in_the_standard(n in 0i64..1_000_000, shift in 1i32..5, places in 0usize..3) {
            let value = n as f64 / 2f64.powi(shift);
            prop_assert_eq!(fixed(value, places), format!("{value:.places$}"));
        }
    }
}
