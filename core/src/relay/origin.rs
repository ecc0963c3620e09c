//! Which browser pages may use the relay and the test server. Origins are compared in the one
//! form browsers send in the Origin header, `scheme://host[:port]`: scheme and host lower-case,
//! no default port, no path. Both `--allow-origin` and the request's header are brought to it,
//! so `HTTPS://Example.io:443` and `https://example.io` are one.

use url::Url;

/// Why some text is not an origin.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not `http(s)://host[:port]` at all.
    NotOrigin,
    /// An origin followed by a path, query or fragment; carries the origin alone.
    HasPath(String),
}

/// `text` as a browser would write it in an Origin header.
pub fn normalize(text: &str) -> Result<String, Problem> {
    let (scheme, rest) = text.split_once("://").ok_or(Problem::NotOrigin)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(Problem::NotOrigin);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    check_authority(authority)?;
    // url lower-cases the host, writes IP addresses canonically and drops a default port.
    let origin = Url::parse(&format!("{scheme}://{authority}/"))
        .map_err(|_| Problem::NotOrigin)?
        .origin()
        .ascii_serialization();
    if after.is_empty() {
        Ok(origin)
    } else {
        Err(Problem::HasPath(origin))
    }
}

/// A host, then a port of 1 to 5 digits if there is a `:`. No user name: `a@b` is host b.
fn check_authority(authority: &str) -> Result<(), Problem> {
    if authority.is_empty()
        || authority.contains(['@', '\\'])
        || authority.contains(char::is_whitespace)
    {
        return Err(Problem::NotOrigin);
    }
    // An IPv6 literal has colons of its own: a port can only follow its `]`.
    let tail = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((_, tail)) if tail.is_empty() || tail.starts_with(':') => tail,
            _ => return Err(Problem::NotOrigin),
        },
        None => authority,
    };
    match tail.rsplit_once(':') {
        None => Ok(()),
        Some((host, port)) => {
            let digits = (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit());
            if !host.contains(':') && digits && port.parse::<u16>().is_ok() {
                Ok(())
            } else {
                Err(Problem::NotOrigin)
            }
        }
    }
}

/// One `--allow-origin` value, normalised. A single trailing `/` is dropped, as address bars
/// show one; a longer path is refused, since an origin covers every page on the site anyway.
pub fn parse_option(text: &str) -> Result<String, String> {
    if text.eq_ignore_ascii_case("null") {
        return Err(format!(
            "--allow-origin {text}: refused. \"null\" is the origin of sandboxed frames, data: URLs \
             and local files, which any website can create, so allowing it would let every website in"
        ));
    }
    match normalize(text.strip_suffix('/').unwrap_or(text)) {
        Ok(origin) => Ok(origin),
        Err(Problem::HasPath(origin)) => Err(format!(
            "--allow-origin {text}: an origin has no path, query or fragment; use {origin} \
             (it covers every page on that site)"
        )),
        Err(Problem::NotOrigin) => Err(format!(
            "--allow-origin {text}: not an origin like https://example.github.io (http:// or \
             https://, a host, and a port unless it is the default one)"
        )),
    }
}

/// Loopback pages on any port (http or https), plus the origins given with --allow-origin.
/// Both sides are normalised first (case, default port), and `null` is never an origin here.
pub fn allowed(origin: &str, extra: &[String]) -> bool {
    let Ok(origin) = normalize(origin) else {
        return false;
    };
    is_loopback(&origin) || extra.iter().any(|o| normalize(o).as_ref() == Ok(&origin))
}

/// Whether `origin` (as browsers write it) is a page on this machine. No `url` here: the page
/// calls this, and url's tables would double its relay chunk.
pub fn is_loopback(origin: &str) -> bool {
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
            assert!(allowed(ok, &[]), "{ok}");
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
            assert!(!allowed(bad, &[]), "{bad}");
        }
        let extra = ["https://example.github.io".to_string()];
        assert!(allowed("https://example.github.io", &extra));
        assert!(!allowed("https://example.github.io.evil", &extra));
    }

    #[test]
    fn origins_compare_without_case_or_default_port() {
        let extra = ["https://example.github.io".to_string()];
        for ok in [
            "https://example.github.io",
            "HTTPS://Example.GitHub.IO",
            "https://example.github.io:443",
        ] {
            assert!(allowed(ok, &extra), "{ok}");
        }
        for bad in [
            "http://example.github.io",
            "https://example.github.io:8443",
            "https://example.github.io/",
            "https://user@example.github.io",
        ] {
            assert!(!allowed(bad, &extra), "{bad}");
        }
        // A list built without parse_option cannot let sandboxed frames in either.
        assert!(!allowed("null", &["null".to_string()]));
        let http = ["http://b.example".to_string()];
        assert!(allowed("http://B.EXAMPLE:80", &http));
    }

    #[test]
    fn option_values_are_origins() {
        assert_eq!(
            parse_option("https://a.example/").as_deref(),
            Ok("https://a.example")
        );
        assert_eq!(
            parse_option("HTTPS://[::1]:443").as_deref(),
            Ok("https://[::1]")
        );
        for (bad, says) in [
            ("null", "sandboxed"),
            ("Null", "sandboxed"),
            ("https://a.example/page", "no path"),
            ("a.example", "not an origin"),
            ("https://a.example:", "not an origin"),
        ] {
            assert!(
                parse_option(bad).is_err_and(|e| e.contains(says) && e.contains(bad)),
                "{bad}"
            );
        }
    }
}
