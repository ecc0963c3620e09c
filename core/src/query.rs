//! Query parameters: the URL's `?a=1&b=2` as a table a person edits, and back.
//!
//! Decoding follows RFC 3986: `%XX` escapes become bytes, and `+` stays a `+` (only HTML
//! forms read it as a space; rewriting it would change what many servers see). Encoding
//! escapes what would end or split a parameter, so any name or value survives the trip.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub value: String,
    /// Disabled rows stay in the table but not in the URL.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Marked by the person as secret; left out of share links unless they ask.
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
}

/// Serde's default for rows that are on unless stored otherwise (here and in headers).
pub(crate) fn yes() -> bool {
    true
}
pub(crate) fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// A new row in the table: blank, and sent once filled in.
impl Default for Param {
    fn default() -> Self {
        Self::new("", "")
    }
}

impl Param {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            value: value.to_string(),
            enabled: true,
            secret: false,
        }
    }

    /// A row with neither name nor value is a blank line in the table, not a parameter.
    pub fn is_blank(&self) -> bool {
        self.name.is_empty() && self.value.is_empty()
    }

    /// Secret by the person's choice, or because its name looks like a credential.
    pub fn is_secret(&self) -> bool {
        self.secret || looks_like_credential(&self.name)
    }
}

/// Names that usually carry credentials: token, key, secret, password, auth, signature...
pub fn looks_like_credential(name: &str) -> bool {
    const WORDS: [&str; 10] = [
        "token",
        "key",
        "secret",
        "password",
        "passwd",
        "pwd",
        "auth",
        "sig",
        "session",
        "credential",
    ];
    let name = name.to_ascii_lowercase();
    WORDS.iter().any(|w| name.contains(w)) || name == "jwt" || name == "code"
}

/// Splits a URL into what comes before `?` and the query after it (without the `?`).
pub fn split_url(url: &str) -> (&str, Option<&str>) {
    match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    }
}

/// The parameters in `query` (the part after `?`), in order, repeats and empty values kept.
pub fn parse_query(query: &str) -> Vec<Param> {
    query_pairs(query)
        .into_iter()
        .map(|(name, value)| Param {
            name,
            value,
            enabled: true,
            secret: false,
        })
        .collect()
}

/// The decoded name-value pairs in `query`, in order.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The enabled, non-blank parameters as a query string (without the `?`).
pub fn compose_query(params: &[Param]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter(|p| p.enabled && !p.is_blank())
        .map(|p| format!("{}={}", encode(&p.name), encode(&p.value)))
        .collect();
    pairs.join("&")
}

/// The URL with its query replaced by the table's enabled parameters.
pub fn with_params(url: &str, params: &[Param]) -> String {
    let (base, _) = split_url(url);
    let query = compose_query(params);
    if query.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{query}")
    }
}

/// The table after the person edited the URL: the URL's parameters in its order, each keeping
/// the secret mark of a row with the same name, then the disabled rows, which the URL cannot show.
pub fn params_after_url_edit(url: &str, table: &[Param]) -> Vec<Param> {
    let (_, query) = split_url(url);
    let mut params = parse_query(query.unwrap_or(""));
    // A set, not a scan per row: a URL may hold hundreds of thousands of parameters.
    let secret: std::collections::HashSet<&str> = table
        .iter()
        .filter(|row| row.secret)
        .map(|row| row.name.as_str())
        .collect();
    for param in &mut params {
        param.secret = secret.contains(param.name.as_str());
    }
    params.extend(table.iter().filter(|row| !row.enabled).cloned());
    params
}

/// Percent-decodes as UTF-8; an escape that is not two hex digits, or bytes that are not
/// UTF-8, are kept as they were typed rather than guessed at.
pub fn decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            // Two hex digits exactly: from_str_radix alone would also take a sign, as in "%+1".
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Percent-encodes all but RFC 3986's unreserved characters, the few sub-delimiters that mean
/// nothing inside a query parameter, and braces, so that `{{variables}}` stay readable.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$'()*,;:@/?+{}".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_order_repeats_and_empty_values() {
        let params = parse_query("a=1&b=&a=2&flag&=x");
        let pairs: Vec<(&str, &str)> = params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", ""), ("a", "2"), ("flag", ""), ("", "x")]
        );
    }

    #[test]
    fn decodes_escapes_and_leaves_plus_and_bad_escapes_alone() {
        assert_eq!(decode("a%20b%2Bc+d"), "a b+c+d");
        assert_eq!(decode("caf%C3%A9"), "caf\u{e9}");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("100%+1"), "100%+1", "a sign is not a hex digit");
        assert_eq!(decode("%FF%FE"), "%FF%FE");
    }

    #[test]
    fn encodes_what_would_split_a_parameter() {
        assert_eq!(encode("a b&c=d#e%f"), "a%20b%26c%3Dd%23e%25f");
        assert_eq!(encode("x+y/z?"), "x+y/z?");
        assert_eq!(encode("{{token}}"), "{{token}}");
        assert_eq!(encode("\u{e9}"), "%C3%A9");
    }

    #[test]
    fn the_table_rewrites_only_the_query() {
        let params = vec![
            Param::new("token", "a b"),
            Param {
                enabled: false,
                ..Param::new("debug", "1")
            },
            Param::default(),
        ];
        assert_eq!(
            with_params("ws://h:1/p?old=1", &params),
            "ws://h:1/p?token=a%20b"
        );
        assert_eq!(with_params("ws://h/p?x", &[]), "ws://h/p");
    }

    #[test]
    fn editing_the_url_keeps_disabled_rows_and_secret_marks() {
        let table = vec![
            Param {
                secret: true,
                ..Param::new("id", "7")
            },
            Param {
                enabled: false,
                ..Param::new("debug", "1")
            },
        ];
        let params = params_after_url_edit("ws://h/p?id=8&x=1", &table);
        assert_eq!(
            params,
            vec![
                Param {
                    secret: true,
                    ..Param::new("id", "8")
                },
                Param::new("x", "1"),
                Param {
                    enabled: false,
                    ..Param::new("debug", "1")
                },
            ]
        );
    }

    #[test]
    fn credential_names_are_secret() {
        for name in [
            "token",
            "access_token",
            "apiKey",
            "X-Api-Key",
            "password",
            "Authorization",
            "sig",
            "jwt",
        ] {
            assert!(Param::new(name, "v").is_secret(), "{name}");
        }
        for name in ["room", "user", "v", "format"] {
            assert!(!Param::new(name, "v").is_secret(), "{name}");
        }
    }

    #[test]
    fn a_url_of_many_parameters_keeps_its_marks_without_quadratic_work() {
        // 100,000 rows against a table of 100,000: a scan per row would take minutes.
        let n = 100_000;
        let url = format!("ws://h/?{}", "x=&".repeat(n));
        let table: Vec<Param> = (0..n)
            .map(|i| Param {
                secret: i == n - 1,
                ..Param::new(if i == n - 1 { "x" } else { "y" }, "")
            })
            .collect();
        let params = params_after_url_edit(&url, &table);
        assert_eq!(params.len(), n);
        assert!(params.iter().all(|p| p.secret));
    }

    proptest! {
        #[test]
        fn any_table_survives_the_url(rows in proptest::collection::vec((".{0,12}", ".{0,12}"), 0..6)) {
            let params: Vec<Param> = rows.iter().map(|(n, v)| Param::new(n, v)).filter(|p| !p.is_blank()).collect();
            let url = with_params("ws://127.0.0.1:9001/echo", &params);
            prop_assert_eq!(params_after_url_edit(&url, &[]), params);
        }

        #[test]
        fn a_canonical_query_survives_the_table(rows in proptest::collection::vec(("[a-z%0-9A-F+]{1,8}", "[a-z0-9%+]{0,8}"), 1..6)) {
            let query = compose_query(&rows.iter().map(|(n, v)| Param::new(&decode(n), &decode(v))).collect::<Vec<_>>());
            prop_assert_eq!(compose_query(&parse_query(&query)), query);
        }

        #[test]
        fn decoding_never_panics(text in "(%[0-9a-fA-F]{0,2}|.){0,20}") {
            let _ = decode(&text);
        }
    }
}
