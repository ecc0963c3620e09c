//! wsprobe's pure core: everything that can be decided without a browser.
//! No web-sys here, so all of it is tested natively with `cargo test`.

pub mod clock;
pub mod close_code;
pub mod compose;
pub mod connection;
pub mod diagnosis;
pub mod encoding;
pub mod endpoint;
mod export;
pub mod filter;
pub mod json_view;
pub mod log;
pub mod log_view;
pub mod payload;
pub mod query;
pub mod rate;
pub mod reconnect;
pub mod relay;
pub mod report;
pub mod request;
pub mod saved;
pub mod share_link;
pub mod subprotocols;
pub mod variables;
