//! Scenarios: a WebSocket exchange written down as steps (connect, send, expect a message,
//! expect none, wait, close, expect the close) and run as a repeatable test.
//!
//! One engine, two drivers: `Run` is a deterministic state machine with no clock and no I/O.
//! A driver (the page, or the command line through a socket library) calls `Run::start`,
//! then `Run::handle` with each event and the time it happened, and carries out the actions
//! it gets back: dial, send, close, arm and cancel timers. Every step that waits arms exactly
//! one timer and cancels it when it ends, so a run always ends if the driver fires its
//! timers; a late firing of a cancelled timer is ignored, and so is any event that does not
//! fit the connection (a message before it opened, an open nobody dialled). Steps after a
//! failure are skipped, and a run that ends with the connection open (or still dialling)
//! closes it (1000, `FINISHED_REASON`) before its `Finished` action.
//!
//! A browser cannot see a refused handshake's HTTP status: a Connect expecting a status
//! fails there, saying the driver cannot see it; the relay and the command line report it.
//!
//! # The message queue
//! Every message received while connected joins a queue of unread messages, in order,
//! whatever step is running, so a reply that arrives right after a Send (before the next
//! expect step starts) is not lost. Expect steps read from the front of that queue:
//! - *Expect message*, mode `next`, reads one message: it must match.
//! - *Expect message*, mode `skip_until`, reads until one matches; those passed over are
//!   counted (`skipped`) and gone.
//! - *Expect N messages* reads until N have matched, passing over the others likewise.
//! - *Expect no message* only looks: it fails on a matching message, queued or arriving, but
//!   leaves every message for the steps after it.
//!
//! Other steps read nothing; messages arriving meanwhile wait for the next expect step.
//! A Connect starts a new connection with an empty queue.
//!
//! # Variables
//! `{{name}}` works in the request (URL, subprotocols, headers, cookies), in sent text, in
//! close reasons, and in the text and JSON values of `equals`, `contains`, `json_subset` and
//! `json_pointer` `equals` (not in regular expressions, where braces are syntax). Values
//! come from the environment, then from captures of earlier steps, which win. Unknown
//! names are found when the run is made. A scenario holds no secrets of its own: secret
//! values live in the environment's variables it names, which stay out of shares.

mod capture;
pub mod diff;
pub mod edit;
mod engine;
mod events;
pub mod file;
pub mod fixture;
mod junit;
mod matchers;
mod model;
mod plan;
mod record;
mod record_protocol;
mod report;
mod title;
mod vars;

pub use engine::{FINISHED_REASON, MAX_UNREAD, Run};
pub use events::{
    Action, Captured, DialTarget, Event, Failure, Near, Payload, RECENT, StepState, TimerId,
    Verdict,
};
pub use file::ScenarioFile;
pub use model::{
    Capture, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Matcher, Mode, PointerMatch, Scenario,
    SizeRange, Step, StepKind,
};
pub use plan::ScenarioError;
pub use record::{Ending, Recorded, from_log, record};
pub use record_protocol::record_spoken;
pub use report::{Counts, Report, StepReport, SuiteReport};
