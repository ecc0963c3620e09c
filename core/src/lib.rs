//! wsprobe's pure core: everything that can be decided without a browser.
//! No web-sys here, so all of it is tested natively with `cargo test`.

pub mod clock;
pub mod close_code;
pub mod connection;
pub mod endpoint;
pub mod log;
pub mod payload;
pub mod subprotocols;
