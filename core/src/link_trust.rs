//! A request opened from someone else's share link may name the receiver's variables, as in
//! `wss://their-host/?key={{apiKey}}`: filled in from the receiver's environment, a secret
//! would go to the sender's host. Such a request sends a secret to a host only after the
//! person has seen which secrets and which host, and agreed, once per link.

use std::fmt;

/// What a request from a link would send, waiting for the person's word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentNeeded {
    /// Where the secrets would go (as in the URL, such as `api.example.com:8443`).
    pub host: String,
    /// The secret variables' names, each once.
    pub names: Vec<String>,
}

impl fmt::Display for ConsentNeeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (noun, them) = if self.names.len() == 1 {
            ("variable", "it")
        } else {
            ("variables", "them")
        };
        write!(
            f,
            "This request came from a share link, and it would send the value of your secret {noun} {} \
             to {}. Nothing was sent. Send {them} only if you trust that host with {them}.",
            self.names.join(", "),
            self.host
        )
    }
}

/// What the person agreed to for the link the editor holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkTrust {
    /// (host, secret name) pairs agreed to.
    agreed: Vec<(String, String)>,
}

impl LinkTrust {
    /// Ok if every secret in `names` was agreed for `host`; otherwise what to ask.
    pub fn check(&self, host: &str, names: Vec<String>) -> Result<(), ConsentNeeded> {
        let missing: Vec<String> = names
            .into_iter()
            .filter(|n| !self.agreed.iter().any(|(h, a)| h == host && a == n))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ConsentNeeded {
                host: host.to_string(),
                names: missing,
            })
        }
    }

    pub fn agree(&mut self, consent: &ConsentNeeded) {
        for name in &consent.names {
            self.agreed.push((consent.host.clone(), name.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn secrets_go_only_where_and_what_was_agreed() {
        let mut trust = LinkTrust::default();
        assert_eq!(trust.check("evil.example", vec![]), Ok(()));
        let needed = trust
            .check("evil.example", names(&["apiKey"]))
            .err()
            .unwrap_or_else(|| panic!("must ask"));
        assert_eq!(
            needed.to_string(),
            "This request came from a share link, and it would send the value of your secret variable apiKey \
             to evil.example. Nothing was sent. Send it only if you trust that host with it."
        );
        trust.agree(&needed);
        assert_eq!(trust.check("evil.example", names(&["apiKey"])), Ok(()));
        assert_eq!(
            trust.check("other.example", names(&["apiKey"])),
            Err(ConsentNeeded {
                host: "other.example".into(),
                names: names(&["apiKey"])
            }),
            "another host asks again"
        );
        assert_eq!(
            trust.check("evil.example", names(&["apiKey", "token"])),
            Err(ConsentNeeded {
                host: "evil.example".into(),
                names: names(&["token"])
            }),
            "another secret asks again, for itself only"
        );
    }
}
