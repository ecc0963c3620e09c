//! What a close code means, from RFC 6455 §7.4 and the IANA WebSocket Close Code registry.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseCode {
    pub code: u16,
    pub name: &'static str,
    pub meaning: &'static str,
}

// Registered codes are listed before the ranges they fall in, so the first match names them.
#[expect(clippy::match_overlapping_arm)]
pub fn describe(code: u16) -> CloseCode {
    let (name, meaning) = match code {
        1000 => (
            "Normal Closure",
            "The connection did what it was opened for and was closed on purpose.",
        ),
        1001 => (
            "Going Away",
            "An endpoint is going away: a server shutting down or a browser leaving the page.",
        ),
        1002 => (
            "Protocol Error",
            "An endpoint received a frame that breaks the WebSocket protocol.",
        ),
        1003 => (
            "Unsupported Data",
            "An endpoint received a kind of data it does not accept (for example binary where only text is expected).",
        ),
        1004 => ("Reserved", "Reserved by RFC 6455; no meaning is defined."),
        1005 => (
            "No Status Received",
            "The close frame carried no status code. Never sent on the wire.",
        ),
        1006 => (
            "Abnormal Closure",
            "The connection ended without a close frame: the handshake failed, the network dropped, or the server process died. Browsers give no further detail. Never sent on the wire.",
        ),
        1007 => (
            "Invalid Payload Data",
            "A message's data did not match its type, such as invalid UTF-8 in a text message.",
        ),
        1008 => (
            "Policy Violation",
            "A message broke the endpoint's policy; servers use it when no more specific code fits.",
        ),
        1009 => (
            "Message Too Big",
            "A message was too big for the endpoint to process.",
        ),
        1010 => (
            "Mandatory Extension",
            "The client needed the server to agree to an extension, and it did not.",
        ),
        1011 => (
            "Internal Error",
            "The server hit an unexpected condition that kept it from fulfilling the request.",
        ),
        1012 => (
            "Service Restart",
            "The service is restarting; reconnecting shortly may work.",
        ),
        1013 => (
            "Try Again Later",
            "The service is overloaded or temporarily unavailable; try again later.",
        ),
        1014 => (
            "Bad Gateway",
            "A gateway or proxy got an invalid response from the server behind it.",
        ),
        1015 => (
            "TLS Handshake Failure",
            "The TLS handshake failed, for example because the certificate could not be verified. Never sent on the wire.",
        ),
        3000 => (
            "Unauthorized",
            "Registered with IANA: the request lacked valid authentication.",
        ),
        3003 => (
            "Forbidden",
            "Registered with IANA: the client is authenticated but not allowed.",
        ),
        3008 => (
            "Timeout",
            "Registered with IANA: the server timed out waiting for the client.",
        ),
        1016..=2999 => (
            "Reserved",
            "Reserved for future WebSocket standards; no endpoint should send it.",
        ),
        3000..=3999 => (
            "Registered",
            "Set aside for libraries and frameworks, registered with IANA; see the server's documentation.",
        ),
        4000..=4999 => (
            "Application-defined",
            "Private to this server's API; its documentation says what it means.",
        ),
        _ => (
            "Invalid",
            "Not a valid close code: valid codes are 1000 to 4999.",
        ),
    };
    CloseCode {
        code,
        name,
        meaning,
    }
}

/// Checks a close a person asks for: browsers accept only 1000 and 3000–4999, and a reason of
/// at most 123 bytes of UTF-8 (it must fit a control frame with the code).
pub fn check_user_close(code: u16, reason: &str) -> Result<(), String> {
    if code != 1000 && !(3000..=4999).contains(&code) {
        return Err(format!(
            "Close code {code} cannot be sent from a browser: use 1000 (normal) or one from 3000 to 4999."
        ));
    }
    if reason.len() > 123 {
        return Err(format!(
            "The close reason is {} bytes of UTF-8; it may be at most 123.",
            reason.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_may_close_with_1000_or_3000_to_4999_and_a_short_reason() {
        assert_eq!(check_user_close(1000, ""), Ok(()));
        assert_eq!(check_user_close(4999, &"é".repeat(61)), Ok(()));
        assert!(check_user_close(1001, "").is_err());
        assert!(check_user_close(2999, "").is_err());
        assert!(check_user_close(5000, "").is_err());
        assert!(check_user_close(3000, &"é".repeat(62)).is_err_and(|e| e.contains("124 bytes")));
    }

    #[test]
    fn every_standard_code_has_its_own_name() {
        let names: Vec<_> = (1000..=1015).map(|c| describe(c).name).collect();
        assert_eq!(names[0], "Normal Closure");
        assert_eq!(names[6], "Abnormal Closure");
        assert_eq!(names[15], "TLS Handshake Failure");
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            16,
            "two standard codes share a name: {names:?}"
        );
    }

    #[test]
    fn ranges_are_named_by_who_defines_them() {
        assert_eq!(describe(4001).name, "Application-defined");
        assert_eq!(describe(4999).name, "Application-defined");
        assert_eq!(describe(3500).name, "Registered");
        assert_eq!(describe(3000).name, "Unauthorized");
        assert_eq!(describe(2000).name, "Reserved");
        assert_eq!(describe(999).name, "Invalid");
        assert_eq!(describe(5000).name, "Invalid");
        assert_eq!(describe(0).name, "Invalid");
    }
}
