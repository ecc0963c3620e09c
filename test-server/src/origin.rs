//! Which browser pages may use the test server. Browsers send Origin with every WebSocket
//! handshake and pages cannot change it, so checking it keeps websites a person visits from
//! using the server on their machine. Clients without Origin are not browsers: allowed.
//! The rule is the relay's, `wsprobe_core::relay::origin`; only the refusal is worded here.

pub use wsprobe_core::relay::origin::{allowed, parse_option};

/// The body of the 403 for a page that is not allowed.
pub fn refusal(origin: &str) -> String {
    if origin.trim().eq_ignore_ascii_case("null") {
        // --allow-origin refuses null too: any website can make a page with that origin.
        return format!(
            "wsprobe test server: refused a WebSocket from a page whose origin is {origin} \
             (a sandboxed frame, data: URL or local file, which any website can make), so \
             --allow-origin does not take it. Open the page from localhost instead\n"
        );
    }
    format!(
        "wsprobe test server: refused a WebSocket from the page at {origin}: only pages on \
         localhost (127.0.0.1, localhost, [::1]) may connect, so that websites you visit cannot \
         use this server. To allow that page, restart the server with --allow-origin {origin}\n"
    )
}
