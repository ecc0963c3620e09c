//! wsprobe's pure core: everything that can be decided without a browser.
//! No web-sys here, so all of it is tested natively with `cargo test`.

pub mod clock;
pub mod close_code;
pub mod compose;
pub mod connection;
pub mod decimal;
pub mod diagnosis;
pub mod encoding;
pub mod endpoint;
mod export;
pub mod filter;
pub mod json_check;
pub mod json_view;
pub mod link_trust;
pub mod log;
pub mod log_view;
#[cfg(any(test, feature = "test-support"))]
pub mod mutate;
pub mod payload;
pub mod protocol;
pub mod query;
pub mod rate;
pub mod recall;
pub mod reconnect;
pub mod relay;
pub mod repeat;
pub mod report;
pub mod request;
pub mod rows;
pub mod saved;
pub mod scenario;
pub mod share_link;
pub mod subprotocols;
pub mod variables;
