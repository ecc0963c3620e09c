//! Pairing the page with a relay in one click. The relay prints a link to the page whose
//! fragment (which browsers never send to a server) carries its address and token,
//! `https://you.github.io/wsprobe/#relay=ws://127.0.0.1:9797&token=…`; opening it fills the
//! page's relay settings. Only a relay on this machine can be paired by a link: one elsewhere
//! would receive the headers and cookies of every connection made through it, so a link from
//! a stranger must not be able to choose it.
//!
//! Also the command the page shows for starting a relay that accepts it.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::endpoint::Endpoint;
use crate::protocol::note::clip;
use crate::query;
use crate::relay::origin;

const ADDRESS_KEY: &str = "relay";
const TOKEN_KEY: &str = "token";
/// Far above the 32 hex digits a relay makes up; `--token` takes any visible ASCII.
const MAX_TOKEN: usize = 512;
/// How much of a bad address a message quotes.
const QUOTED: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// `ws://host:port`, as the relay settings hold it.
    pub address: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairingError {
    NoAddress,
    BadAddress { address: String, why: String },
    NotThisMachine { address: String },
    NoToken,
    BadToken,
}

const LEFT_ALONE: &str = "the relay settings were left as they were.";

impl fmt::Display for PairingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAddress => write!(
                f,
                "This pairing link names no relay address, so {LEFT_ALONE}"
            ),
            Self::BadAddress { address, why } => write!(
                f,
                "The relay address in this pairing link, \u{201c}{address}\u{201d}, is not one: {why} So {LEFT_ALONE}"
            ),
            Self::NotThisMachine { address } => write!(
                f,
                "This pairing link names a relay at {address}, which is not on this machine, so {LEFT_ALONE} A link can only pair a relay on 127.0.0.1, [::1] or localhost: a relay elsewhere would receive the headers and cookies of your connections. If you started that relay yourself, type its address and token in the relay settings."
            ),
            Self::NoToken => write!(
                f,
                "This pairing link has no token, so {LEFT_ALONE} Paste the token the relay printed into Relay token."
            ),
            Self::BadToken => write!(
                f,
                "The token in this pairing link is not one a relay prints (visible ASCII characters, at most {MAX_TOKEN}), so {LEFT_ALONE}"
            ),
        }
    }
}

/// Whether the fragment (`location.hash`, with or without its `#`) is a pairing link's.
pub fn is_pairing_link(fragment: &str) -> bool {
    let body = fragment.strip_prefix('#').unwrap_or(fragment);
    body.strip_prefix(ADDRESS_KEY)
        .is_some_and(|rest| rest.starts_with('='))
}

/// The link that pairs the page at `page` with the relay at `address`.
pub fn link(page: &str, address: &str, token: &str) -> String {
    let page = page.split('#').next().unwrap_or(page);
    format!(
        "{page}#{ADDRESS_KEY}={}&{TOKEN_KEY}={}",
        query::encode(address),
        query::encode(token)
    )
}

/// The relay a pairing link names, if it is one this page may be paired with.
pub fn read(fragment: &str) -> Result<Pairing, PairingError> {
    let body = fragment.strip_prefix('#').unwrap_or(fragment);
    let pairs = query::query_pairs(body);
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    };
    let typed = value(ADDRESS_KEY).ok_or(PairingError::NoAddress)?;
    let bad = |why: String| PairingError::BadAddress {
        address: clip(typed, QUOTED),
        why,
    };
    let endpoint = Endpoint::parse(typed).map_err(|e| bad(e.to_string()))?;
    if endpoint.path_and_query != "/" {
        return Err(bad(
            "a relay's address is only ws://host:port, with no path.".into(),
        ));
    }
    let address = match endpoint.port {
        Some(port) => format!("{}://{}:{port}", endpoint.scheme(), endpoint.host),
        None => format!("{}://{}", endpoint.scheme(), endpoint.host),
    };
    if !is_this_machine(&endpoint.host) {
        return Err(PairingError::NotThisMachine {
            address: clip(&address, QUOTED),
        });
    }
    let token = value(TOKEN_KEY).ok_or(PairingError::NoToken)?;
    if token.len() > MAX_TOKEN || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(PairingError::BadToken);
    }
    Ok(Pairing {
        address,
        token: token.to_string(),
    })
}

/// The command that starts a relay for the page at `page` (its address) whose origin the
/// browser gives as `origin` (`location.origin`): `--page` makes the relay print a link that
/// pairs it, and a page that is not on this machine is named with `--allow-origin`, as the
/// relay refuses other sites' pages.
pub fn command(page: &str, origin: &str) -> String {
    let page = page.split('#').next().unwrap_or(page);
    // A page opened from a file has no origin ("null") a relay could allow or link to.
    if !(origin.starts_with("http://") || origin.starts_with("https://")) {
        return "wsprobe relay".into();
    }
    let mut command = "wsprobe relay".to_string();
    if !origin::is_loopback(origin) {
        command.push_str(&format!(" --allow-origin {}", shell_word(origin)));
    }
    command.push_str(&format!(" --page {}", shell_word(page)));
    command
}

/// `address` as one word for bash, zsh or PowerShell. Every character either shell could read
/// specially is percent-encoded (the address still names the same page), except the few an
/// address needs as they are (`?`, `&`, `=`, `+`, `@`, `[`, `]`); a word with those is put in
/// single quotes, and no quote of any kind is left inside to end them.
fn shell_word(address: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/:%".contains(c);
    let mut word = String::with_capacity(address.len());
    for c in address.chars() {
        if plain(c) || "?&=+@[]".contains(c) {
            word.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                word.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    if word.chars().all(plain) {
        word
    } else {
        format!("'{word}'")
    }
}

/// 127.0.0.0/8, ::1 and the name localhost: this machine whatever resolves names. (Chromium
/// and Firefox also take `*.localhost` as this machine, but other resolvers may ask DNS.)
fn is_this_machine(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PAGE: &str = "https://you.github.io/wsprobe/";

    #[test]
    fn a_link_reads_back_as_the_relay_it_names() {
        let made = link(PAGE, "ws://127.0.0.1:9797", "3f9a");
        assert_eq!(
            made,
            "https://you.github.io/wsprobe/#relay=ws://127.0.0.1:9797&token=3f9a"
        );
        let fragment = &made[made.find('#').unwrap_or(0)..];
        assert!(is_pairing_link(fragment));
        assert_eq!(
            read(fragment),
            Ok(Pairing {
                address: "ws://127.0.0.1:9797".into(),
                token: "3f9a".into()
            })
        );
        // A page address that had a fragment of its own loses it.
        assert_eq!(
            link("http://127.0.0.1:8080/#share=1.x", "ws://[::1]:1", "t"),
            "http://127.0.0.1:8080/#relay=ws://%5B::1%5D:1&token=t"
        );
    }

    #[test]
    fn tokens_with_any_visible_character_survive_the_link() {
        let token = "a&b=c#d%e+f?g/h";
        let made = link(PAGE, "ws://localhost:9797/", token);
        let pairing = read(&made[made.find('#').unwrap_or(0)..]);
        assert_eq!(
            pairing,
            Ok(Pairing {
                address: "ws://localhost:9797".into(),
                token: token.into()
            })
        );
    }

    #[test]
    fn other_fragments_are_not_pairing_links() {
        for other in ["", "#", "#share=1.abc", "#relayed", "#section-3", "relay"] {
            assert!(!is_pairing_link(other), "{other}");
        }
        assert!(is_pairing_link("relay=x"));
    }

    #[test]
    fn only_a_relay_on_this_machine_is_paired() {
        for address in [
            "ws://example.com:9797",
            "wss://10.0.0.5:9797",
            "ws://127.0.0.1.evil.io:9797",
            "ws://[::2]:9797",
            // Some resolvers send *.localhost to DNS.
            "ws://relay.localhost:9797",
        ] {
            let fragment = format!("#relay={}&token=t", query::encode(address));
            match read(&fragment) {
                Err(e @ PairingError::NotThisMachine { .. }) => {
                    assert!(e.to_string().contains("not on this machine"), "{e}")
                }
                other => panic!("{address}: {other:?}"),
            }
        }
        for address in ["ws://127.0.0.1:1", "ws://[::1]:9797", "ws://LOCALHOST:9797"] {
            let fragment = format!("#relay={}&token=t", query::encode(address));
            assert!(read(&fragment).is_ok(), "{address}");
        }
    }

    #[test]
    fn each_problem_is_named() {
        let cases = [
            ("#relay=&token=t", "names no relay address"),
            ("#token=t&relay", "names no relay address"),
            ("#relay=http://127.0.0.1:9797&token=t", "Did you mean ws://"),
            ("#relay=ws://127.0.0.1:9797/control&token=t", "no path"),
            ("#relay=ws://127.0.0.1:99999&token=t", "is not one"),
            ("#relay=ws://127.0.0.1:9797", "has no token"),
            ("#relay=ws://127.0.0.1:9797&token=%20", "has no token"),
            (
                "#relay=ws://127.0.0.1:9797&token=a%0Ab",
                "not one a relay prints",
            ),
            (
                "#relay=ws://127.0.0.1:9797&token=caf%C3%A9",
                "not one a relay prints",
            ),
        ];
        for (fragment, says) in cases {
            match read(fragment) {
                Err(e) => {
                    let text = e.to_string();
                    assert!(text.contains(says), "{fragment}: {text}");
                    assert!(text.contains("left as they were"), "{fragment}: {text}");
                }
                Ok(p) => panic!("{fragment}: {p:?}"),
            }
        }
        let long = format!("#relay=ws://{}&token=t", "a".repeat(5000));
        assert!(read(&long).unwrap_err().to_string().chars().count() < 700);
    }

    #[test]
    fn the_command_names_the_page_and_a_remote_origin() {
        assert_eq!(
            command("https://you.github.io/wsprobe/", "https://you.github.io"),
            "wsprobe relay --allow-origin https://you.github.io --page https://you.github.io/wsprobe/"
        );
        assert_eq!(
            command("http://127.0.0.1:8080/#share=1.x", "http://127.0.0.1:8080"),
            "wsprobe relay --page http://127.0.0.1:8080/"
        );
        assert_eq!(
            command(
                "http://localhost:3000/app/?x=1&y=it's",
                "http://localhost:3000"
            ),
            "wsprobe relay --page 'http://localhost:3000/app/?x=1&y=it%27s'"
        );
        // Nothing in an address a page can have ends the word in bash, zsh or PowerShell:
        // what either shell would read is percent-encoded, which names the same page.
        assert_eq!(
            command(
                "http://127.0.0.1:8080/a'b;calc;'c,d$(x)`y`\"z\"/",
                "http://127.0.0.1:8080"
            ),
            "wsprobe relay --page http://127.0.0.1:8080/a%27b%3Bcalc%3B%27c%2Cd%24%28x%29%60y%60%22z%22/"
        );
        assert_eq!(
            command("http://[::1]:8080/", "http://[::1]:8080"),
            "wsprobe relay --page 'http://[::1]:8080/'"
        );
        assert_eq!(
            command("file:///home/me/wsprobe/index.html", "null"),
            "wsprobe relay"
        );
    }

    proptest! {
        /// Whatever the page's address, the command is words a shell reads as given: outside
        /// single quotes nothing a shell reads specially, and inside them no quote of any kind
        /// (PowerShell ends a string at curly quotes too).
        #[test]
        fn the_command_is_safe_to_paste(path in "[ -~\u{2018}\u{2019}]{0,40}", query in "[ -~]{0,20}") {
            let page = format!("https://you.github.io/{path}?{query}");
            let command = command(&page, "https://you.github.io");
            let words: Vec<&str> = command.split(' ').collect();
            prop_assert_eq!(words.len(), 6, "{}", command);
            for word in &words {
                match word.strip_prefix('\'').and_then(|w| w.strip_suffix('\'')) {
                    Some(quoted) => prop_assert!(
                        !quoted.contains(['\'', '\u{2018}', '\u{2019}', '`']),
                        "{}", word
                    ),
                    None => prop_assert!(
                        word.chars().all(|c| c.is_ascii_alphanumeric() || "-._~/:%".contains(c)),
                        "{}", word
                    ),
                }
            }
        }

        #[test]
        fn any_fragment_reads_or_says_why(fragment in ".{0,200}") {
            match read(&fragment) {
                Ok(p) => {
                    prop_assert!(is_pairing_link(&fragment) || fragment.contains("relay="));
                    prop_assert!(Endpoint::parse(&p.address).is_ok_and(|e| is_this_machine(&e.host)));
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }

        #[test]
        fn any_token_round_trips(token in "[!-~]{1,100}", port in 1u16..) {
            let address = format!("ws://127.0.0.1:{port}");
            let made = link(PAGE, &address, &token);
            let fragment = &made[made.find('#').unwrap_or(0)..];
            prop_assert_eq!(read(fragment), Ok(Pairing { address, token }));
        }
    }
}
