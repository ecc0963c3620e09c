//! Why a handshake failed, as far as a browser can find out. Browsers report every failure as
//! close code 1006 and nothing else, so the page gathers what it can: how long the attempt took,
//! whether its own connect timeout fired, and whether the server answers plain HTTP at the same
//! address (a `fetch` in no-cors mode: a response, even an opaque one, means the host is
//! reachable; a network error means DNS, TCP or TLS failed). From that it names the most likely
//! cause and says how sure it is.

use std::fmt;

use crate::connection::Attempt;
use crate::decimal::fixed;
use crate::relay::Handshake;

/// What the HTTP probe of the failed URL found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Pending,
    /// Any response, even an opaque one: the host answers HTTP.
    Answered,
    /// A network error: DNS, TCP or TLS failed.
    NetworkError,
    /// No answer before the probe's own timeout.
    NoAnswer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Known for sure (the page refused, or its timer fired).
    Certain,
    /// Another check agreed.
    ConfirmedByProbe,
    Likely,
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Certain => "certain",
            Self::ConfirmedByProbe => "confirmed by probe",
            Self::Likely => "likely",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    NotDialled,
    ClosedByYou,
    TimedOut,
    /// Checking whether the server answers HTTP.
    Probing,
    UpgradeRefused,
    /// The server answers HTTP, the handshake failed, and subprotocols were asked for.
    SubprotocolOrUpgrade,
    NothingListening,
    /// DNS, TCP or TLS failed (the probe failed too).
    Unreachable,
    /// The server took the connection and answered nothing, not even plain HTTP.
    Silent,
    /// The relay connected on the page's behalf and reported exactly what failed.
    ReportedByRelay,
    /// The page could not reach the relay, or the relay refused it.
    RelayUnreachable,
}

/// What the Handshake panel and the connection report say about a failed attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub cause: Cause,
    pub certainty: Certainty,
    /// One sentence naming the cause.
    pub headline: String,
    /// What was checked to get there.
    pub checked: Vec<String>,
    /// What to try next.
    pub next: Vec<String>,
}

/// A failure this fast on a name or address that was reachable before means the port was
/// refused, not that packets were lost on the way.
const FAST_FAILURE_MS: f64 = 1_500.0;

pub const AUTH_ADVICE: &str = "Browsers cannot send custom headers such as Authorization with a WebSocket. \
What works from a browser: a token in a query parameter (?token=…), a token carried as a subprotocol \
(Sec-WebSocket-Protocol), or a cookie the server set for its own site.";

impl Attempt {
    /// Why the handshake failed, and how sure that is; None while it has not failed.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        if let Some(why) = &self.refused {
            return Some(Diagnosis {
                cause: Cause::NotDialled,
                certainty: Certainty::Certain,
                headline: format!("Not dialled. {why}"),
                checked: vec!["the URL and the page it is opened from, before dialling".into()],
                next: vec![],
            });
        }
        let closed = self.closed.as_ref().filter(|_| self.opened.is_none())?;
        let after = format!("{} ms", fixed(closed.after_ms, 0));
        let address = self
            .dialled_url
            .split('/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        let http = http_equivalent(&self.dialled_url);
        let elapsed = format!(
            "it failed after {after} with code {} ({})",
            closed.code.code, closed.code.name
        );
        if self.timed_out_after_ms.is_none() && self.closing {
            return Some(Diagnosis {
                cause: Cause::ClosedByYou,
                certainty: Certainty::Certain,
                headline: "Disconnected by you before the handshake finished.".into(),
                checked: vec![],
                next: vec![],
            });
        }
        if let Some(timeout) = self.timed_out_after_ms {
            return Some(Diagnosis {
                cause: Cause::TimedOut,
                certainty: Certainty::Certain,
                headline: format!(
                    "No answer to the handshake within {} s, so wsprobe gave up (the connect timeout).",
                    fixed(timeout / 1000.0, 0)
                ),
                checked: vec![format!("the connect timeout of {} s fired", fixed(timeout / 1000.0, 0))],
                next: vec![
                    "The server accepted the connection but never answered: it may be overloaded, or it is not a \
                     WebSocket server, or a proxy or firewall holds the connection."
                        .into(),
                    "Raise the connect timeout if the server is just slow.".into(),
                ],
            });
        }
        if let Some(relay) = &self.relay {
            return Some(relay_diagnosis(
                relay,
                self.relay_handshake.as_ref(),
                self.probe,
            ));
        }
        let mut checked = vec![elapsed];
        let probed = format!("a plain HTTP request to {http}");
        let diagnosis = match self.probe {
            None | Some(Probe::Pending) => Diagnosis {
                cause: Cause::Probing,
                certainty: Certainty::Likely,
                headline: format!(
                    "The handshake failed; checking whether {address} answers HTTP\u{2026}"
                ),
                checked,
                next: vec![],
            },
            Some(Probe::Answered) if !self.requested.is_empty() => {
                checked.push(format!(
                    "{probed} got an answer, so the server is reachable"
                ));
                Diagnosis {
                    cause: Cause::SubprotocolOrUpgrade,
                    certainty: Certainty::Likely,
                    headline: format!(
                        "The server answers, but the handshake failed. You asked for the subprotocols {}: browsers \
                         fail the handshake when the server picks none of them. It may also have refused the upgrade.",
                        self.requested.join(", ")
                    ),
                    checked,
                    next: vec![
                        "Retry without subprotocols, or with each one alone: if that opens, the subprotocol list was the problem.".into(),
                        "Otherwise see the refused-upgrade causes: wrong path, missing authentication, origin check.".into(),
                    ],
                }
            }
            Some(Probe::Answered) => {
                checked.push(format!(
                    "{probed} got an answer, so the server is reachable"
                ));
                Diagnosis {
                    cause: Cause::UpgradeRefused,
                    certainty: Certainty::ConfirmedByProbe,
                    headline: "The server is reachable but refused the WebSocket upgrade.".into(),
                    checked,
                    next: vec![
                        "Check the path: a server often answers 404 or 400 for a path that is not its WebSocket endpoint.".into(),
                        format!("Missing authentication (401 or 403)? {AUTH_ADVICE}"),
                        "An origin check: the server may accept only its own web pages' Origin.".into(),
                        "Browsers hide the HTTP status; open the developer tools' Network tab to see it.".into(),
                    ],
                }
            }
            Some(Probe::NetworkError)
                if closed.after_ms < FAST_FAILURE_MS && !self.dialled_url.starts_with("wss:") =>
            {
                checked.push(format!("{probed} failed at the network level too"));
                Diagnosis {
                    cause: Cause::NothingListening,
                    certainty: Certainty::ConfirmedByProbe,
                    headline: format!("Nothing is listening at {address}: the connection was refused at once."),
                    checked,
                    next: vec![
                        "Start the server, or check the host and port.".into(),
                        "A server listening only on another address (127.0.0.1 vs ::1 vs a LAN address) refuses the others."
                            .into(),
                    ],
                }
            }
            Some(Probe::NetworkError) => {
                checked.push(format!("{probed} failed at the network level too"));
                let tls = if self.dialled_url.starts_with("wss:") {
                    " For wss://, an untrusted, expired or mismatched certificate is the usual cause: open the https:// \
                     address in a tab to see the browser's certificate error, or connect through the relay, which shows \
                     the certificate and can trust your own CA (--ca-file)."
                } else {
                    ""
                };
                Diagnosis {
                    cause: Cause::Unreachable,
                    certainty: Certainty::ConfirmedByProbe,
                    headline: format!(
                        "{address} cannot be reached: the name did not resolve, or the connection or TLS failed."
                    ),
                    checked,
                    next: vec![format!(
                        "Check the host name and port, and your network or VPN.{tls}"
                    )],
                }
            }
            Some(Probe::NoAnswer) => {
                checked.push(format!("{probed} got no answer either"));
                Diagnosis {
                    cause: Cause::Silent,
                    certainty: Certainty::Likely,
                    headline: format!("{address} accepts connections but answers nothing, not even plain HTTP."),
                    checked,
                    next: vec!["It may be a different kind of server, or a firewall that holds connections open.".into()],
                }
            }
        };
        Some(diagnosis)
    }
}

/// For an upgrade refused as origin checks refuse (403, 400): the Origin to try next. Only the
/// relay can send one other than the page's own.
fn origin_advice(h: &Handshake) -> Option<String> {
    let status = h.response.as_ref()?.line.split_whitespace().nth(1)?;
    if h.stage != "http" || !matches!(status, "403" | "400") {
        return None;
    }
    let sent = h.request.as_ref().and_then(|r| {
        r.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("origin"))
            .map(|(_, value)| value.as_str())
    });
    Some(match sent {
        Some(origin) => format!(
            "If the server checks Origin: this request went with Origin: {origin}. Retry with another Origin header, such as the address of the server's own web page."
        ),
        None => "If the server checks Origin: the relay sent no Origin, as a program would. To be taken for a browser page, add an Origin header with the address of the server's own web page (such as https://app.example) and retry.".into(),
    })
}

fn relay_diagnosis(relay: &str, handshake: Option<&Handshake>, probe: Option<Probe>) -> Diagnosis {
    if let Some(h) = handshake.filter(|h| !h.ok) {
        let mut next = Vec::new();
        if let Some(body) = h
            .response
            .as_ref()
            .and_then(|r| r.body.as_ref())
            .filter(|b| !b.is_empty())
        {
            next.push(format!("The server's answer began: {body}"));
        }
        next.extend(origin_advice(h));
        if let Some(c) = &h.certificate {
            next.push(format!(
                "Its certificate: subject {}, issued by {}, valid from {} to {}.",
                c.subject, c.issuer, c.not_before, c.not_after
            ));
        }
        if h.stage == "tls" {
            next.push(
                "If the server's certificate comes from your own or a development CA, restart the relay with \
                 --ca-file and that CA's PEM file to trust it."
                    .to_string(),
            );
        }
        return Diagnosis {
            cause: Cause::ReportedByRelay,
            certainty: Certainty::Certain,
            headline: h.failure(),
            checked: vec![format!(
                "the relay at {relay} made the connection and saw the {} stage fail",
                h.stage
            )],
            next,
        };
    }
    let (headline, next) = match probe {
        Some(Probe::Answered) => (
            format!("The relay at {relay} refused this page: the token is wrong, or this page's origin is not allowed."),
            "Copy the token the relay printed when it started; for a page not on localhost, start the relay with \
             --allow-origin and this page's origin."
                .to_string(),
        ),
        None | Some(Probe::Pending) => {
            (format!("Could not reach the relay at {relay}; checking whether it runs\u{2026}"), String::new())
        }
        Some(_) => (
            format!("The relay is not running at {relay}."),
            "Start it with the command in Headers, cookies and relay, and open the link it prints. \
             If the browser asked whether this page may reach devices on your local network, allow it."
                .to_string(),
        ),
    };
    let confirmed = probe.is_some_and(|p| p != Probe::Pending);
    Diagnosis {
        cause: Cause::RelayUnreachable,
        certainty: if confirmed {
            Certainty::ConfirmedByProbe
        } else {
            Certainty::Likely
        },
        headline,
        checked: vec![format!(
            "the page's own connection to the relay at {relay} failed"
        )],
        next: if next.is_empty() { vec![] } else { vec![next] },
    }
}

/// The http(s) address the probe asks: same host, port and path.
pub fn http_equivalent(ws_url: &str) -> String {
    if let Some(rest) = ws_url.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = ws_url.strip_prefix("ws://") {
        format!("http://{rest}")
    } else {
        ws_url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(url: &str, requested: &[&str], after_ms: f64, probe: Option<Probe>) -> Attempt {
        let mut a = Attempt::dial(
            url.into(),
            requested.iter().map(|s| s.to_string()).collect(),
            0.0,
        );
        a.on_close(after_ms, 1006, String::new(), false);
        a.probe = probe;
        a
    }

    fn cause(a: &Attempt) -> (Cause, Certainty) {
        a.diagnosis()
            .map(|d| (d.cause, d.certainty))
            .unwrap_or((Cause::NotDialled, Certainty::Likely))
    }

    #[test]
    fn an_answering_server_means_the_upgrade_was_refused() {
        let a = failed(
            "ws://127.0.0.1:9001/reject?status=401",
            &[],
            20.0,
            Some(Probe::Answered),
        );
        assert_eq!(
            cause(&a),
            (Cause::UpgradeRefused, Certainty::ConfirmedByProbe)
        );
        let d = a.diagnosis().unwrap_or_else(|| panic!("a diagnosis"));
        assert!(
            d.next
                .iter()
                .any(|n| n.contains("Authorization") && n.contains("query parameter"))
        );
        assert!(
            d.checked
                .iter()
                .any(|c| c.contains("http://127.0.0.1:9001/reject?status=401")),
            "{:?}",
            d.checked
        );
    }

    #[test]
    fn with_subprotocols_the_mismatch_is_named_first() {
        let a = failed("ws://h/x", &["chat", "json"], 20.0, Some(Probe::Answered));
        assert_eq!(cause(&a), (Cause::SubprotocolOrUpgrade, Certainty::Likely));
        assert!(
            a.diagnosis()
                .is_some_and(|d| d.headline.contains("chat, json"))
        );
    }

    #[test]
    fn a_fast_network_error_is_nothing_listening_and_a_slow_one_unreachable() {
        assert_eq!(
            cause(&failed(
                "ws://127.0.0.1:1/",
                &[],
                5.0,
                Some(Probe::NetworkError)
            )),
            (Cause::NothingListening, Certainty::ConfirmedByProbe)
        );
        assert_eq!(
            cause(&failed(
                "ws://10.9.9.9/",
                &[],
                9_000.0,
                Some(Probe::NetworkError)
            ))
            .0,
            Cause::Unreachable
        );
        let tls = failed(
            "wss://self-signed.example/",
            &[],
            40.0,
            Some(Probe::NetworkError),
        );
        assert_eq!(cause(&tls).0, Cause::Unreachable);
        assert!(
            tls.diagnosis()
                .is_some_and(|d| d.next[0].contains("certificate"))
        );
    }

    #[test]
    fn the_timeout_is_certain_and_says_how_long() {
        let mut a = Attempt::dial("ws://h/hang".into(), vec![], 0.0);
        a.on_timeout(2_000.0);
        a.on_close(2_010.0, 1006, String::new(), false);
        let d = a.diagnosis().unwrap_or_else(|| panic!("a diagnosis"));
        assert_eq!(
            (d.cause, d.certainty),
            (Cause::TimedOut, Certainty::Certain)
        );
        assert!(d.headline.contains("within 2 s"), "{}", d.headline);
    }

    #[test]
    fn while_probing_it_says_so_and_silence_is_named() {
        assert_eq!(
            cause(&failed("ws://h/", &[], 5.0, Some(Probe::Pending))).0,
            Cause::Probing
        );
        assert_eq!(
            cause(&failed("ws://h/", &[], 5.0, Some(Probe::NoAnswer))).0,
            Cause::Silent
        );
    }

    #[test]
    fn no_diagnosis_while_connecting_or_after_a_good_session() {
        let mut a = Attempt::dial("ws://h/".into(), vec![], 0.0);
        assert_eq!(a.diagnosis(), None);
        a.on_open(5.0, String::new(), String::new());
        a.on_close(50.0, 1000, String::new(), true);
        assert_eq!(a.diagnosis(), None);
    }

    #[test]
    fn through_the_relay_its_report_is_the_diagnosis() {
        let mut a = failed("ws://h/x", &[], 10.0, None);
        a.relay = Some("ws://127.0.0.1:9797".into());
        assert_eq!(cause(&a).0, Cause::RelayUnreachable);
        a.probe = Some(Probe::NetworkError);
        assert!(
            a.diagnosis()
                .is_some_and(|d| d.headline.contains("not running")
                    && d.certainty == Certainty::ConfirmedByProbe)
        );
        a.probe = Some(Probe::Answered);
        assert!(a.diagnosis().is_some_and(|d| d.headline.contains("token")));
        a.relay_handshake = Some(Handshake {
            stage: "tls".into(),
            error: "invalid peer certificate: UnknownIssuer".into(),
            certificate: Some(crate::relay::Certificate {
                subject: "CN=127.0.0.1".into(),
                issuer: "CN=127.0.0.1".into(),
                not_before: "2026-01-01".into(),
                not_after: "2027-01-01".into(),
            }),
            ..Handshake::default()
        });
        let d = a.diagnosis().unwrap_or_else(|| panic!("a diagnosis"));
        assert_eq!(
            (d.cause, d.certainty),
            (Cause::ReportedByRelay, Certainty::Certain)
        );
        assert!(
            d.headline
                .starts_with("The TLS handshake failed: invalid peer certificate"),
            "{}",
            d.headline
        );
        assert!(d.next.iter().any(|n| n.contains("issued by CN=127.0.0.1")));
        assert!(d.next.iter().any(|n| n.contains("--ca-file")));
    }

    #[test]
    fn a_refused_upgrade_through_the_relay_suggests_another_origin() {
        let refused = |status: &str, origin: Option<&str>| {
            let mut a = failed("ws://h/x", &[], 10.0, None);
            a.relay = Some("ws://127.0.0.1:9797".into());
            let mut sent = vec![("Host".to_string(), "h".to_string())];
            sent.extend(origin.map(|o| ("origin".to_string(), o.to_string())));
            a.relay_handshake = Some(Handshake {
                stage: "http".into(),
                error: format!("the server answered {status} instead of 101"),
                request: Some(crate::relay::HttpHead {
                    line: "GET /x HTTP/1.1".into(),
                    headers: sent,
                    body: None,
                }),
                response: Some(crate::relay::HttpHead {
                    line: format!("HTTP/1.1 {status}"),
                    headers: vec![],
                    body: Some("origin not allowed".into()),
                }),
                ..Handshake::default()
            });
            a.diagnosis().unwrap_or_else(|| panic!("a diagnosis")).next
        };
        let next = refused("403 Forbidden", None);
        assert!(
            next.iter().any(|n| n.contains("began: origin not allowed")),
            "{next:?}"
        );
        assert!(
            next.iter()
                .any(|n| n.contains("sent no Origin") && n.contains("add an Origin header")),
            "{next:?}"
        );
        let next = refused("403 Forbidden", Some("https://app.example"));
        assert!(
            next.iter()
                .any(|n| n.contains("with Origin: https://app.example")
                    && n.contains("another Origin")),
            "{next:?}"
        );
        assert!(
            refused("400 Bad Request", None)
                .iter()
                .any(|n| n.contains("Origin"))
        );
        // Not for answers an origin check does not give.
        assert!(
            !refused("404 Not Found", None)
                .iter()
                .any(|n| n.contains("Origin"))
        );
        assert!(
            !refused("401 Unauthorized", None)
                .iter()
                .any(|n| n.contains("Origin"))
        );
    }

    #[test]
    fn the_probe_asks_the_http_twin_of_the_url() {
        assert_eq!(http_equivalent("ws://h:1/p?q=1"), "http://h:1/p?q=1");
        assert_eq!(http_equivalent("wss://h/p"), "https://h/p");
    }
}
