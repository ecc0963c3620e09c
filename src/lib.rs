//! wsprobe: a WebSocket tester that runs entirely in the browser.
//! Layers: `wsprobe_core` (pure logic), `glue` (browser APIs), `components` (what is seen),
//! with `session` joining them for the one connection a page has. State is split by concern
//! (`editor`, `session`, `relay_settings`, `log_state`, `library`) and provided once, in `app`.

pub mod app;
pub mod components;
mod context;
pub mod editor;
pub mod glue;
pub mod lazy;
pub mod library;
pub mod log_scroll;
pub mod log_state;
pub mod protocols;
pub mod relay_check;
pub mod relay_settings;
pub mod rows;
pub mod saved_requests;
pub mod scenario_run;
pub mod sending;
pub mod session;
pub mod sharing;
pub mod step_editor;
pub mod stored_list;
