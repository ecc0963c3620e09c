//! A request: everything a person sets up before connecting, as it is saved and shared.

use serde::{Deserialize, Serialize};

use crate::compose::Format;
use crate::protocol::settings::ProtocolSettings;
use crate::query::{self, Param};
use crate::relay::{self, Header};
use crate::scenario::Scenario;
use crate::subprotocols;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// As typed, query included.
    pub url: String,
    /// The query as a table; disabled rows live only here.
    pub params: Vec<Param>,
    /// Comma-separated, in the order they are asked for.
    pub subprotocols: String,
    /// The composer's draft.
    pub message: String,
    /// How the draft is read when sent.
    pub format: Format,
    /// Messages kept with the request, to load or send in one click.
    pub templates: Vec<Template>,
    /// Sent through the relay, which browsers' WebSockets cannot do.
    pub headers: Vec<Header>,
    /// Sent as one Cookie header, through the relay.
    pub cookies: String,
    /// Connect through the relay even with no headers (for the raw handshake and pings).
    pub use_relay: bool,
    /// The test steps kept with the request, saved and shared with it; left out when empty,
    /// so requests without one store and link as before. It holds no secrets of its own:
    /// the secrets it uses are the environment's variables it names, shared or not as such.
    #[serde(skip_serializing_if = "Scenario::is_empty")]
    pub scenario: Scenario,
    /// The protocol spoken over the socket and its settings; left out when plain WebSocket,
    /// so such requests store and link as before.
    #[serde(skip_serializing_if = "ProtocolSettings::is_plain")]
    pub protocol: ProtocolSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Template {
    pub name: String,
    pub format: Format,
    pub text: String,
}

impl Request {
    /// The same request with the table rebuilt from the URL, so that a saved or shared request
    /// whose two halves disagree (edited by hand, tampered with) opens consistent.
    pub fn in_step(mut self) -> Self {
        self.params = query::params_after_url_edit(&self.url, &self.params);
        self
    }

    /// Whether sharing would leave something out unless the person asks for secrets.
    pub fn has_secrets(&self) -> bool {
        self.params
            .iter()
            .any(|p| p.is_secret() && !p.value.is_empty())
            || self
                .headers
                .iter()
                .any(|h| h.is_secret() && !h.value.is_empty())
            || !self.cookies.is_empty()
            || subprotocols::has_credential(&self.subprotocols)
            || self.protocol.has_secrets()
    }

    /// Whether this request must go through the relay.
    pub fn needs_relay(&self) -> bool {
        relay::needs_relay(self.use_relay, &self.cookies, &self.headers)
    }

    /// The request as it may travel in a share link or an export without secrets: secret
    /// values emptied, in the table and in the URL alike, and the rows kept so the receiver
    /// sees what to fill in; credential headers, cookies and tokens sent as subprotocols too.
    pub fn without_secrets(&self) -> Self {
        let params: Vec<Param> = self
            .params
            .iter()
            .map(|p| {
                if p.is_secret() {
                    Param {
                        value: String::new(),
                        secret: true,
                        ..p.clone()
                    }
                } else {
                    p.clone()
                }
            })
            .collect();
        let headers = self
            .headers
            .iter()
            .map(|h| {
                if h.is_secret() {
                    Header {
                        value: String::new(),
                        ..h.clone()
                    }
                } else {
                    h.clone()
                }
            })
            .collect();
        Self {
            url: query::with_params(&self.url, &params),
            params,
            headers,
            cookies: String::new(),
            subprotocols: subprotocols::masked(&self.subprotocols, ""),
            protocol: self.protocol.without_secrets(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> Request {
        Request {
            url: url.to_string(),
            ..Request::default()
        }
        .in_step()
    }

    #[test]
    fn secrets_are_emptied_in_url_and_table() {
        let shared = request("ws://h/p?room=1&token=abc&key=&x=%20").without_secrets();
        assert_eq!(shared.url, "ws://h/p?room=1&token=&key=&x=%20");
        assert!(
            shared
                .params
                .iter()
                .filter(|p| p.name == "token" || p.name == "key")
                .all(|p| p.secret && p.value.is_empty())
        );
        assert!(!shared.has_secrets());
        assert!(request("ws://h/p?token=abc").has_secrets());
        assert!(!request("ws://h/p?room=1").has_secrets());
    }

    #[test]
    fn credential_headers_and_cookies_are_left_out_too() {
        let r = Request {
            url: "ws://h/".into(),
            headers: vec![Header::bearer("t"), Header::new("X-Trace", "1")],
            cookies: "sid=1".into(),
            ..Request::default()
        };
        assert!(r.has_secrets() && r.needs_relay());
        let shared = r.without_secrets();
        assert_eq!(
            shared.headers,
            vec![
                Header::new("Authorization", ""),
                Header::new("X-Trace", "1")
            ]
        );
        assert_eq!(shared.cookies, "");
        assert!(!request("ws://h/").needs_relay());
    }

    #[test]
    fn a_token_sent_as_a_subprotocol_is_left_out() {
        let r = Request {
            url: "ws://h/".into(),
            subprotocols: "access_token, s3cr3t-value".into(),
            ..Request::default()
        };
        assert!(r.has_secrets());
        assert_eq!(r.without_secrets().subprotocols, "access_token, ");
    }

    #[test]
    fn the_scenario_travels_with_the_request_and_only_when_there_is_one() {
        use crate::scenario::{Step, StepKind};
        let plain = request("ws://h/");
        let json = serde_json::to_string(&plain).unwrap_or_default();
        assert!(!json.contains("scenario"), "{json}");
        let old: Request = serde_json::from_str(r#"{"url": "ws://h/"}"#).unwrap_or_default();
        assert!(old.scenario.is_empty());
        let mut tested = request("ws://h/?token=abc");
        tested.scenario = Scenario {
            name: "smoke".into(),
            steps: vec![Step::new(
                1,
                StepKind::Send {
                    format: Format::Text,
                    text: "{{token}}".into(),
                },
            )],
        };
        assert_eq!(tested.without_secrets().scenario, tested.scenario);
        let back: Option<Request> =
            serde_json::from_str(&serde_json::to_string(&tested).unwrap_or_default()).ok();
        assert_eq!(back, Some(tested));
    }

    #[test]
    fn a_secret_marked_by_hand_is_left_out_too() {
        let mut r = request("ws://h/p?room=42");
        r.params[0].secret = true;
        assert_eq!(r.without_secrets().url, "ws://h/p?room=");
    }

    #[test]
    fn a_table_that_disagrees_with_the_url_follows_the_url() {
        let r = Request {
            url: "ws://h/p?a=1".into(),
            params: vec![
                Param::new("b", "2"),
                Param {
                    enabled: false,
                    ..Param::new("c", "3")
                },
            ],
            ..Request::default()
        }
        .in_step();
        assert_eq!(
            r.params,
            vec![
                Param::new("a", "1"),
                Param {
                    enabled: false,
                    ..Param::new("c", "3")
                }
            ]
        );
    }
}
