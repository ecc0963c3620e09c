//! Who may use the relay: pages from allowed origins that present the token.

/// Loopback pages on any port (http or https), plus the exact origins given with --allow-origin.
pub fn origin_allowed(origin: &str, extra: &[String]) -> bool {
    extra.iter().any(|o| o == origin) || is_loopback_origin(origin)
}

fn is_loopback_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    let (host, port) = match rest.rsplit_once(':') {
        // "[::1]" alone has colons inside the brackets: only split after the closing one.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (rest, None),
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok()
    });
    let host_ok = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|h| host.eq_ignore_ascii_case(h));
    host_ok && port_ok
}

/// Compares without stopping at the first difference, so timing does not reveal a prefix.
pub fn token_matches(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let mut diff = (a.len() ^ b.len()) as u64;
    for (i, &y) in b.iter().enumerate() {
        let x = a.get(i).copied().unwrap_or(0);
        diff |= u64::from(x ^ y);
    }
    diff == 0
}

/// `bytes` bytes from the OS random source, as lower-case hex.
pub fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| format!("no random numbers from the OS: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_on_any_port() {
        for ok in [
            "http://127.0.0.1:8080",
            "https://127.0.0.1:1",
            "http://localhost:3000",
            "http://LOCALHOST:3000",
            "http://localhost",
            "http://[::1]:8080",
            "https://[::1]",
        ] {
            assert!(origin_allowed(ok, &[]), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:",
            "http://127.0.0.1:80/path",
            "file://localhost",
            "null",
            "",
            "http://[::1]:80@evil.example",
        ] {
            assert!(!origin_allowed(bad, &[]), "{bad}");
        }
        let extra = ["https://example.github.io".to_string()];
        assert!(origin_allowed("https://example.github.io", &extra));
        assert!(!origin_allowed("https://example.github.io.evil", &extra));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(token_matches("abc", "abc"));
        assert!(!token_matches("abd", "abc"));
        assert!(!token_matches("ab", "abc"));
        assert!(!token_matches("abcd", "abc"));
        assert!(!token_matches("", "abc"));
    }

    #[test]
    fn random_hex_is_hex_and_differs() {
        let a = random_hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, random_hex(16).unwrap());
    }
}
