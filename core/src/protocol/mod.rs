//! Protocols spoken over a WebSocket: which one a request chose, Socket.IO (on Engine.IO),
//! JSON-RPC 2.0, GraphQL, MQTT and STOMP, plus the measurements built on them. Pure state
//! machines: time comes in as `now_ms`, timers go out as "call me back at t", and frames to
//! write are returned, never sent.

pub mod correlate;
pub mod engine_io;
pub mod graphql;
mod heartbeat;
pub mod json_rpc;
pub mod latency;
pub mod mqtt;
pub mod note;
mod pending;
pub mod settings;
pub mod socket_io;
pub mod socket_io_client;
pub mod socket_io_input;
pub mod stomp;
pub mod suggest;
pub mod throughput;
