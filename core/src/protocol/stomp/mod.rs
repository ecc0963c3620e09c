//! STOMP 1.0, 1.1 and 1.2 over WebSocket: the frames (`frame`) and the client's state machine
//! (`client`).

pub mod client;
pub mod frame;
