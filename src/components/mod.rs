//! One file per visible part. Components read the session and call its actions;
//! the deciding happens in `wsprobe_core` and `session`.

pub mod composer;
pub mod connection_state;
pub mod counters;
pub mod handshake_panel;
pub mod message_log;
pub mod request_bar;
