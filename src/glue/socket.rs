//! The browser's WebSocket, as a value that reports what happens to it through one callback.
//!
//! The WebSocket itself lives in a worker (web/socket-worker.js): the browser dispatches every
//! message there, and this side gets them in batches, at most one a frame, each message with the
//! time it arrived. A fast stream so never starves the page of frames.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Url, Worker};

use crate::glue::BrowserError;

/// Where the page finds the worker: scripts/finish-build.mjs names the content-hashed file here.
const WORKER_META: &str = "meta[name=\"wsprobe-socket-worker\"]";
const WORKER_FALLBACK: &str = "socket-worker.js";

#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent {
    Open {
        protocol: String,
        extensions: String,
    },
    /// A message, with the time it arrived (epoch ms).
    Text {
        text: String,
        at_ms: f64,
    },
    Binary {
        bytes: Vec<u8>,
        at_ms: f64,
    },
    /// The browser's error event, which never says what went wrong; a close follows.
    Error,
    Close {
        code: u16,
        reason: String,
        clean: bool,
    },
    /// The browser would not dial (a bad URL or subprotocol, a blocked port): nothing follows.
    Refused(String),
    /// The browser would not send or close as asked; the connection goes on.
    Failed(String),
}

/// What the worker has said about the connection, for the calls that answer at once.
#[derive(Default)]
struct Known {
    open: Cell<bool>,
    buffered: Cell<u32>,
}

type Handler<E> = Closure<dyn FnMut(E)>;

pub struct Socket {
    worker: Worker,
    url: String,
    known: Rc<Known>,
    // Kept alive for as long as the worker may call them; detached on drop.
    _handlers: (Handler<MessageEvent>, Handler<Event>),
}

impl Socket {
    /// Dials `url`, asking for `protocols` in order. A URL that does not parse, or a worker that
    /// cannot start, is an error at once; what the browser refuses comes as `Refused`.
    pub fn dial(
        url: &str,
        protocols: &[String],
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Result<Self, BrowserError> {
        let url = Url::new(url).map_err(|e| BrowserError::from_js(&e))?.href();
        let script = worker_url();
        let worker = Worker::new(&script).map_err(|e| BrowserError::from_js(&e))?;
        let known = Rc::new(Known::default());
        let on_event = Rc::new(on_event);

        let (emit, seen) = (on_event.clone(), known.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            from_worker(&event.data(), &seen, &*emit)
        });
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            event.prevent_default();
            on_event(SocketEvent::Refused(format!(
                "the page's connection worker ({script}) did not start"
            )))
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let list: Array = protocols.iter().map(|p| JsValue::from_str(p)).collect();
        post(
            &worker,
            &[
                ("op", "dial".into()),
                ("url", url.as_str().into()),
                ("protocols", list.into()),
            ],
            None,
        );
        Ok(Self {
            worker,
            url,
            known,
            _handlers: (on_message, on_error),
        })
    }

    /// The URL as the browser resolved and dialled it.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn send_text(&self, text: &str) -> Result<(), BrowserError> {
        self.check_open()?;
        post(
            &self.worker,
            &[("op", "text".into()), ("data", text.into())],
            None,
        );
        Ok(())
    }

    /// Sends one binary frame.
    pub fn send_bytes(&self, bytes: &[u8]) -> Result<(), BrowserError> {
        self.check_open()?;
        // A copy the worker takes over, so the bytes cross threads once.
        let buffer = Uint8Array::new_from_slice(bytes).buffer();
        post(
            &self.worker,
            &[("op", "bytes".into()), ("data", buffer.clone().into())],
            Some(buffer.into()),
        );
        Ok(())
    }

    /// Bytes the browser has accepted but not yet put on the wire, as the worker last said.
    pub fn buffered_amount(&self) -> u32 {
        self.known.buffered.get()
    }

    /// Starts a close with `code` and `reason` (checked by the caller); the close event follows,
    /// or `Failed` if the browser will not close that way.
    pub fn close(&self, code: u16, reason: &str) {
        post(
            &self.worker,
            &[
                ("op", "close".into()),
                ("code", code.into()),
                ("reason", reason.into()),
            ],
            None,
        );
    }

    fn check_open(&self) -> Result<(), BrowserError> {
        if self.known.open.get() {
            Ok(())
        } else {
            // What the browser's own WebSocket throws here.
            Err(BrowserError::new(
                "InvalidStateError",
                "the connection is not open",
            ))
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        // The worker closes the connection politely, then ends itself.
        post(&self.worker, &[("op", "drop".into())], None);
    }
}

fn worker_url() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(WORKER_META).ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| WORKER_FALLBACK.to_string())
}

fn post(worker: &Worker, fields: &[(&str, JsValue)], transfer: Option<JsValue>) {
    let message = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&message, &JsValue::from_str(name), value);
    }
    // Posting plain objects, strings and buffers to a live worker does not fail.
    let _ = match transfer {
        Some(buffer) => worker.post_message_with_transfer(&message, &Array::of1(&buffer)),
        None => worker.post_message(&message),
    };
}

fn field(message: &JsValue, name: &str) -> JsValue {
    Reflect::get(message, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn text_field(message: &JsValue, name: &str) -> String {
    field(message, name).as_string().unwrap_or_default()
}

fn from_worker(message: &JsValue, known: &Known, emit: &dyn Fn(SocketEvent)) {
    match text_field(message, "t").as_str() {
        "batch" => {
            let (Ok(data), Ok(times)) = (
                field(message, "data").dyn_into::<Array>(),
                field(message, "at").dyn_into::<Array>(),
            ) else {
                return;
            };
            for (i, item) in data.iter().enumerate() {
                let at_ms = times.get(i as u32).as_f64().unwrap_or_default();
                emit(received(item, at_ms));
            }
        }
        "open" => {
            known.open.set(true);
            emit(SocketEvent::Open {
                protocol: text_field(message, "protocol"),
                extensions: text_field(message, "extensions"),
            })
        }
        "buffered" => known
            .buffered
            .set(field(message, "amount").as_f64().unwrap_or_default() as u32),
        "error" => emit(SocketEvent::Error),
        "close" => {
            known.open.set(false);
            emit(SocketEvent::Close {
                code: field(message, "code").as_f64().unwrap_or(1006.0) as u16,
                reason: text_field(message, "reason"),
                clean: field(message, "clean").as_bool().unwrap_or(false),
            })
        }
        "refused" => emit(SocketEvent::Refused(text_field(message, "message"))),
        "failed" => emit(SocketEvent::Failed(text_field(message, "message"))),
        _ => {}
    }
}

fn received(data: JsValue, at_ms: f64) -> SocketEvent {
    // One call into JavaScript both checks for a string and copies it out.
    match data.as_string() {
        Some(text) => SocketEvent::Text { text, at_ms },
        // binaryType is arraybuffer, so every binary message is an ArrayBuffer.
        None => SocketEvent::Binary {
            bytes: Uint8Array::new(&data).to_vec(),
            at_ms,
        },
    }
}
