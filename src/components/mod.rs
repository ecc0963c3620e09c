//! One file per visible part. Components read the session and call its actions;
//! the deciding happens in `wsprobe_core` and `session`.

pub mod composer;
pub mod connection_options;
pub mod connection_state;
pub mod counters;
pub mod diagnosis_view;
pub mod entry_detail;
pub mod environments;
pub mod handshake_panel;
pub mod help_dialog;
pub mod history_list;
pub mod json_tree;
pub mod log_announcer;
pub mod log_toolbar;
pub mod message_log;
pub mod notices;
pub mod params_table;
pub mod raw_handshake;
pub mod relay_panel;
pub mod request_bar;
pub mod save_bar;
pub mod saved_nav;
pub mod share_box;
pub mod templates;
pub mod theme_switch;
pub mod timeline;
