//! wsprobe: a WebSocket tester that runs entirely in the browser.
//! Layers: `wsprobe_core` (pure logic), `glue` (browser APIs), `components` (what is seen),
//! with `session` joining them for the one connection a page has.

pub mod app;
pub mod components;
pub mod glue;
pub mod library;
pub mod log_scroll;
pub mod log_state;
pub mod rows;
pub mod saved_requests;
pub mod sending;
pub mod session;
pub mod sharing;
pub mod stored_list;
