//! MQTT 3.1.1 and 5 over WebSocket: the packets (`packet`), what reason codes mean (`reason`)
//! and the client's state machine (`client`).

pub mod client;
pub mod packet;
pub mod reason;
