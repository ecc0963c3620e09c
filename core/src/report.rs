//! The connection report: one attempt's story as plain text for a bug ticket, with secrets
//! in the URL masked.

use crate::clock::time_of_day;
use crate::diagnosis::{Diagnosis, http_equivalent};
use crate::query::{self, Param};

/// One thing that happened to a connection, as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    /// Unique in the page, so a list keyed by it never shows an old attempt's row.
    pub id: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: f64,
    pub text: String,
}

/// The URL with the values of secret parameters (marked in `table`, or named like a
/// credential) replaced by `***`; everything else as written.
pub fn mask_secrets(url: &str, table: &[Param]) -> String {
    let (base, Some(q)) = query::split_url(url) else {
        return url.to_string();
    };
    let marked_secret: std::collections::HashSet<&str> = table
        .iter()
        .filter(|p| p.secret)
        .map(|p| p.name.as_str())
        .collect();
    let pairs: Vec<String> = q
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = query::decode(name);
            let marked = marked_secret.contains(decoded.as_str());
            if !value.is_empty() && (marked || query::looks_like_credential(&decoded)) {
                format!("{name}=***")
            } else {
                pair.to_string()
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// `text` with the dialled URL, and the http address the probe asked, in their masked form.
pub fn mask_in(text: &str, dialled_url: &str, table: &[Param]) -> String {
    let masked = mask_secrets(dialled_url, table);
    if masked == dialled_url {
        return text.to_string();
    }
    text.replace(dialled_url, &masked)
        .replace(&http_equivalent(dialled_url), &http_equivalent(&masked))
}

pub struct Report<'a> {
    /// Already masked.
    pub url: &'a str,
    pub browser: &'a str,
    pub settings: &'a [(String, String)],
    pub outcome: &'a str,
    pub diagnosis: Option<&'a Diagnosis>,
    pub timeline: &'a [TimelineEntry],
    pub utc_offset_minutes: i32,
}

impl Report<'_> {
    pub fn text(&self) -> String {
        let mut out = format!(
            "wsprobe connection report\nURL: {}\nBrowser: {}\nOutcome: {}\n",
            self.url, self.browser, self.outcome
        );
        for (name, value) in self.settings {
            out.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(d) = self.diagnosis {
            out.push_str(&format!("\nDiagnosis ({}): {}\n", d.certainty, d.headline));
            for c in &d.checked {
                out.push_str(&format!("  checked: {c}\n"));
            }
            for n in &d.next {
                out.push_str(&format!("  try: {n}\n"));
            }
        }
        out.push_str("\nTimeline:\n");
        for e in self.timeline {
            out.push_str(&format!(
                "  {}  {}\n",
                time_of_day(e.at_ms, self.utc_offset_minutes),
                e.text
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{Cause, Certainty};

    #[test]
    fn secrets_in_the_url_are_masked_and_the_rest_kept_as_written() {
        let table = vec![Param {
            secret: true,
            ..Param::new("room", "7")
        }];
        assert_eq!(
            mask_secrets("ws://h/p?room=7&api_key=abc&x=a%20b&token=&flag", &table),
            "ws://h/p?room=***&api_key=***&x=a%20b&token=&flag"
        );
        assert_eq!(mask_secrets("ws://h/p", &[]), "ws://h/p");
    }

    #[test]
    fn timeline_lines_are_masked_too() {
        let url = "ws://h/p?token=abc";
        assert_eq!(
            mask_in("Connecting to ws://h/p?token=abc", url, &[]),
            "Connecting to ws://h/p?token=***"
        );
        assert_eq!(
            mask_in("probe of http://h/p?token=abc: answered", url, &[]),
            "probe of http://h/p?token=***: answered"
        );
        assert_eq!(mask_in("Open", "ws://h/", &[]), "Open");
    }

    #[test]
    fn the_report_tells_the_whole_story() {
        let diagnosis = Diagnosis {
            cause: Cause::UpgradeRefused,
            certainty: Certainty::ConfirmedByProbe,
            headline: "The server is reachable but refused the WebSocket upgrade.".into(),
            checked: vec!["a plain HTTP request got an answer".into()],
            next: vec!["Check the path.".into()],
        };
        let settings = vec![("Connect timeout".to_string(), "10 s".to_string())];
        let timeline = vec![TimelineEntry {
            id: 1,
            at_ms: 3_600_000.0,
            text: "Dialling".into(),
        }];
        let text = Report {
            url: "ws://h/p?token=***",
            browser: "Chromium 156",
            settings: &settings,
            outcome: "Failed (1006)",
            diagnosis: Some(&diagnosis),
            timeline: &timeline,
            utc_offset_minutes: 0,
        }
        .text();
        for part in [
            "URL: ws://h/p?token=***",
            "Browser: Chromium 156",
            "Outcome: Failed (1006)",
            "Connect timeout: 10 s",
            "Diagnosis (confirmed by probe): The server is reachable",
            "try: Check the path.",
            "01:00:00.000  Dialling",
        ] {
            assert!(text.contains(part), "{part} in\n{text}");
        }
    }
}
