//! What /headers reports: the request headers as a JSON object, so a client can see what
//! reached the server (a relay's custom headers, which cookies a browser attached).

use wsprobe_core::encoding::json_string;
use wsprobe_core::relay::http_head::RequestHead;

/// Headers whose values a browser attaches by itself (cookies, cached credentials), including
/// HttpOnly cookies of other local apps: a page must not read them back through the echo.
const BROWSER_SECRETS: [&str; 2] = ["cookie", "authorization"];

/// Names are lower-cased; repeats are joined with ", " in the order they came. From a browser
/// (the request has an Origin) cookie and authorization values are replaced by their size.
pub fn headers_json(request: &RequestHead) -> String {
    let from_browser = request.header("origin").is_some();
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in &request.headers {
        let name = name.to_ascii_lowercase();
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, joined)) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            None => merged.push((name, value.clone())),
        }
    }
    let fields: Vec<String> = merged
        .iter()
        .map(|(n, v)| {
            let v = if from_browser && BROWSER_SECRETS.contains(&n.as_str()) {
                format!("(hidden: {} bytes; sent by a browser page)", v.len())
            } else {
                v.clone()
            };
            format!("{}:{}", json_string(n), json_string(&v))
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}
