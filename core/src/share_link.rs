//! Share links: a whole request in the URL fragment (`#share=1.…`), which browsers never send
//! to a server. The request is JSON, zlib-compressed (its checksum catches damage), then
//! base64url. The number before the dot is the format, so links made today still open
//! after the format changes, and a link from a newer format is recognised as such.

use std::fmt;

use miniz_oxide::inflate::TINFLStatus;

use crate::encoding::{Base64Error, base64url, decode_base64url};
use crate::request::Request;

const PREFIX: &str = "share=";
pub const FORMAT: u32 = 1;
/// Far above any request a person writes; stops a crafted link from inflating without end.
const MAX_INFLATED: usize = 2 << 20;
/// Rows a link may hold in each table: far above any real request, and few enough that the
/// page draws them at once (a link of 2 MiB could otherwise hold a million empty parameters).
pub const MAX_ROWS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment is something else, such as a page anchor.
    NotAShareLink,
    Truncated,
    Damaged {
        why: &'static str,
    },
    NewerFormat {
        format: u32,
    },
    TooLarge,
    TooManyRows {
        what: &'static str,
        count: usize,
    },
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAShareLink => write!(
                f,
                "The part of this link after # is not a wsprobe share link, so nothing was loaded from it."
            ),
            Self::Truncated => write!(
                f,
                "This share link is incomplete: it was probably cut off when it was copied or sent. \
                 Nothing was loaded from it; ask for the whole link."
            ),
            Self::Damaged { why } => write!(
                f,
                "This share link is damaged ({why}), so nothing was loaded from it. \
                 It may have been edited by hand or mangled on the way; ask for it again."
            ),
            Self::NewerFormat { format } => write!(
                f,
                "This share link was made by a newer wsprobe (link format {format}; this page reads up to \
                 format {FORMAT}). Reload the page to get the newest version, then open the link again."
            ),
            Self::TooLarge => write!(
                f,
                "This share link unpacks to more than {} MiB, far more than any request, so it was not loaded.",
                MAX_INFLATED >> 20
            ),
            Self::TooManyRows { what, count } => write!(
                f,
                "This share link holds {count} {what}; wsprobe opens links with up to {MAX_ROWS}, \
                 far more than any request needs, so it was not loaded."
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment (without `#`) that carries `request`.
pub fn encode(request: &Request) -> String {
    let json = serde_json::to_vec(request).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    format!("{PREFIX}{FORMAT}.{}", base64url(&packed))
}

/// Whether `fragment` (with or without `#`) is meant as a share link, readable or not.
pub fn is_share_link(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// The request a fragment (with or without `#`) carries.
pub fn decode(fragment: &str) -> Result<Request, LinkError> {
    let body = fragment
        .trim_start_matches('#')
        .strip_prefix(PREFIX)
        .ok_or(LinkError::NotAShareLink)?;
    let (format, data) = body.split_once('.').ok_or(LinkError::Truncated)?;
    let format: u32 = format.parse().map_err(|_| LinkError::Damaged {
        why: "its format number is not a number",
    })?;
    if format > FORMAT {
        return Err(LinkError::NewerFormat { format });
    }
    if format == 0 {
        return Err(LinkError::Damaged {
            why: "there is no link format 0",
        });
    }
    let packed = decode_base64url(data).map_err(|e| match e {
        Base64Error::Length => LinkError::Truncated,
        Base64Error::Character(_) => LinkError::Damaged {
            why: "it has characters a share link never contains",
        },
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_INFLATED)
        .map_err(|e| match e.status {
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                LinkError::Truncated
            }
            TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            TINFLStatus::Adler32Mismatch => LinkError::Damaged {
                why: "its checksum does not match its contents",
            },
            _ => LinkError::Damaged {
                why: "its data cannot be unpacked",
            },
        })?;
    let request: Request = serde_json::from_slice(&json).map_err(|_| LinkError::Damaged {
        why: "it does not hold a request",
    })?;
    // Counted before the table is built from the URL, which is the heavy part.
    let in_url = crate::query::split_url(&request.url)
        .1
        .map_or(0, |q| q.split('&').filter(|p| !p.is_empty()).count());
    for (what, count) in [
        ("query parameters", in_url.max(request.params.len())),
        ("headers", request.headers.len()),
        ("templates", request.templates.len()),
        ("scenario steps", request.scenario.steps.len()),
    ] {
        if count > MAX_ROWS {
            return Err(LinkError::TooManyRows { what, count });
        }
    }
    Ok(request.in_step())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Format;
    use crate::mutate;
    use crate::query::Param;
    use crate::request::Template;
    use proptest::prelude::*;

    fn sample() -> Request {
        Request {
            url: "ws://127.0.0.1:9001/echo?room=1&room=2&empty=".into(),
            params: vec![],
            subprotocols: "chat, json".into(),
            message: "{\"hello\": \"wörld\"}".into(),
            format: Format::Json,
            templates: vec![Template {
                name: "ping".into(),
                format: Format::Hex,
                text: "00 ff".into(),
            }],
            headers: vec![crate::relay::Header::new("X-Trace", "1")],
            cookies: "a=1".into(),
            use_relay: true,
            scenario: crate::scenario::Scenario::default(),
            protocol: crate::protocol::settings::ProtocolSettings {
                protocol: crate::protocol::settings::Protocol::SocketIo,
                socket_io: crate::protocol::settings::SocketIoSettings {
                    namespaces: "/, /admin".into(),
                    event: "chat".into(),
                    ack: true,
                    ..Default::default()
                },
                ..Default::default()
            },
        }
        .in_step()
    }

    #[test]
    fn a_request_survives_its_link() {
        let link = encode(&sample());
        assert!(link.starts_with("share=1."));
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=._-".contains(&b)),
            "{link}"
        );
        assert_eq!(decode(&format!("#{link}")), Ok(sample()));
    }

    #[test]
    fn a_cut_link_says_it_is_incomplete() {
        let link = encode(&sample());
        for cut in [
            link.len() - 1,
            link.len() - 5,
            link.len() / 2,
            "share=1".len(),
        ] {
            assert_eq!(
                decode(&link[..cut]),
                Err(LinkError::Truncated),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_changed_link_says_it_is_damaged() {
        let link = encode(&sample());
        let mut bytes = link.into_bytes();
        let i = bytes.len() - 3;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).unwrap_or_default();
        assert!(matches!(decode(&changed), Err(LinkError::Damaged { .. })));
        assert!(matches!(
            decode("share=1.!!!!"),
            Err(LinkError::Damaged { .. })
        ));
        assert!(matches!(
            decode("share=x.AAAA"),
            Err(LinkError::Damaged { .. })
        ));
    }

    #[test]
    fn a_newer_or_foreign_link_is_named_as_such() {
        assert_eq!(
            decode("share=2.AAAA"),
            Err(LinkError::NewerFormat { format: 2 })
        );
        assert_eq!(decode("#section-3"), Err(LinkError::NotAShareLink));
        assert!(!is_share_link("#section-3"));
        assert!(is_share_link("#share=9.x"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; MAX_INFLATED + 1], 9);
        assert_eq!(
            decode(&format!("share=1.{}", base64url(&packed))),
            Err(LinkError::TooLarge)
        );
    }

    #[test]
    fn a_link_of_too_many_rows_is_refused_before_the_table_is_built() {
        let many = Request {
            url: format!("ws://h/?{}", "x&".repeat(MAX_ROWS + 1)),
            ..Request::default()
        };
        assert_eq!(
            decode(&encode(&many)),
            Err(LinkError::TooManyRows {
                what: "query parameters",
                count: MAX_ROWS + 1
            })
        );
        let headers = Request {
            headers: vec![crate::relay::Header::new("X", "1"); MAX_ROWS + 1],
            ..Request::default()
        };
        assert!(matches!(
            decode(&encode(&headers)),
            Err(LinkError::TooManyRows {
                what: "headers",
                ..
            })
        ));
        let at_limit = Request {
            url: format!("ws://h/?{}", "x&".repeat(MAX_ROWS)),
            ..Request::default()
        };
        assert_eq!(
            decode(&encode(&at_limit)).map(|r| r.params.len()),
            Ok(MAX_ROWS)
        );
    }

    #[test]
    fn a_link_with_another_shape_of_json_is_damaged() {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(b"[1,2,3]", 9);
        assert!(matches!(
            decode(&format!("share=1.{}", base64url(&packed))),
            Err(LinkError::Damaged { .. })
        ));
    }

    fn any_request() -> impl Strategy<Value = Request> {
        let param = (".{0,10}", ".{0,10}", any::<bool>(), any::<bool>()).prop_map(
            |(name, value, enabled, secret)| Param {
                name,
                value,
                enabled,
                secret,
            },
        );
        let format = proptest::sample::select(Format::ALL.to_vec());
        let template = (".{0,10}", format.clone(), ".{0,40}")
            .prop_map(|(name, format, text)| Template { name, format, text });
        (
            ".{0,30}",
            proptest::collection::vec(param, 0..5),
            ".{0,20}",
            ".{0,200}",
            format,
            proptest::collection::vec(template, 0..3),
        )
            .prop_map(|(path, params, subprotocols, message, format, templates)| {
                Request {
                    url: format!("ws://127.0.0.1:9001/{path}"),
                    params,
                    subprotocols,
                    message,
                    format,
                    templates,
                    ..Request::default()
                }
                .in_step()
            })
    }

    proptest! {
        #[test]
        fn any_request_survives_its_link(request in any_request()) {
            prop_assert_eq!(decode(&encode(&request)), Ok(request));
        }

        #[test]
        fn any_text_decodes_to_a_request_or_an_error(text in "(share=)?[0-9]?\\.?.{0,60}") {
            let _ = decode(&text);
        }

        /// Mutations of a valid request's JSON, packed as a real link, so that they get past
        /// the checksum and reach the JSON reader and the table builder.
        #[test]
        fn any_mutated_request_opens_as_a_consistent_request_or_an_error(
            first in any_request(),
            second in any_request(),
            edits in mutate::edits(),
        ) {
            let mut json = serde_json::to_vec(&first).unwrap_or_default();
            let other = serde_json::to_vec(&second).unwrap_or_default();
            mutate::apply(&mut json, &other, &edits);
            let link = format!("share=1.{}", base64url(&miniz_oxide::deflate::compress_to_vec_zlib(&json, 1)));
            if let Ok(request) = decode(&link) {
                prop_assert_eq!(request.clone().in_step(), request);
            }
        }

        /// The same on the link's text: flips, cuts and splices of the base64url itself.
        #[test]
        fn any_mutated_link_text_is_a_request_or_an_error(
            request in any_request(),
            edits in mutate::edits(),
        ) {
            let mut link = encode(&request).into_bytes();
            let other = encode(&Request::default()).into_bytes();
            mutate::apply(&mut link, &other, &edits);
            let _ = decode(&String::from_utf8_lossy(&link));
        }

        #[test]
        fn any_cut_of_a_link_is_an_error_not_a_different_request(request in any_request(), cut in 0.0..1.0f64) {
            let link = encode(&request);
            let end = (link.len() as f64 * cut) as usize;
            prop_assert!(decode(&link[..end]).is_err());
        }
    }
}

#[cfg(test)]
mod cut_links {
    use super::*;

    /// A link cut short says so, wherever the cut falls in its last base64 group.
    #[test]
    fn a_cut_link_is_incomplete_whatever_its_content() {
        for port in 40000..40064 {
            let link = encode(&Request {
                url: format!("ws://127.0.0.1:{port}/echo"),
                message: "x".repeat(300),
                ..Request::default()
            });
            for cut in 1..12 {
                let short = &link[..link.len() - cut];
                assert!(
                    matches!(decode(short), Err(LinkError::Truncated)),
                    "port {port}, cut {cut}: {:?}",
                    decode(short)
                );
            }
        }
    }
}
