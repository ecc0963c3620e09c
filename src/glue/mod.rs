//! Thin wrappers over the browser: each turns a web API into plain Rust values and
//! errors into `BrowserError`s, so nothing above this layer touches web-sys.

pub mod clipboard;
pub mod clock;
pub mod download;
pub mod error;
pub mod file;
pub mod offline;
pub mod page;
pub mod probe;
pub mod random;
pub mod socket;
pub mod storage;

pub use error::{BrowserError, ErrorKind};
