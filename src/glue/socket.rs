//! The browser's WebSocket, as a value that reports what happens to it through one callback.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent {
    Open {
        protocol: String,
        extensions: String,
    },
    Text(String),
    Binary(Vec<u8>),
    /// The browser's error event, which never says what went wrong; a close follows.
    Error,
    Close {
        code: u16,
        reason: String,
        clean: bool,
    },
}

type Handler<E> = Closure<dyn FnMut(E)>;

pub struct Socket {
    ws: WebSocket,
    // Kept alive for as long as the browser may call them; detached on drop.
    _handlers: (
        Handler<Event>,
        Handler<MessageEvent>,
        Handler<Event>,
        Handler<CloseEvent>,
    ),
}

impl Socket {
    /// Dials `url`, asking for `protocols` in order. The browser can refuse at once
    /// (a bad subprotocol, a blocked port, mixed content): that comes back as its message.
    pub fn dial(
        url: &str,
        protocols: &[String],
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Result<Self, String> {
        let list: Array = protocols.iter().map(|p| JsValue::from_str(p)).collect();
        let ws = WebSocket::new_with_str_sequence(url, &list).map_err(|e| browser_message(&e))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_event = std::rc::Rc::new(on_event);

        let (emit, socket) = (on_event.clone(), ws.clone());
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
            emit(SocketEvent::Open {
                protocol: socket.protocol(),
                extensions: socket.extensions(),
            })
        });
        let emit = on_event.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            emit(message_event(event.data()))
        });
        let emit = on_event.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_| emit(SocketEvent::Error));
        let emit = on_event;
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            emit(SocketEvent::Close {
                code: event.code(),
                reason: event.reason(),
                clean: event.was_clean(),
            })
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Self {
            ws,
            _handlers: (on_open, on_message, on_error, on_close),
        })
    }

    /// The URL as the browser resolved and dialled it.
    pub fn url(&self) -> String {
        self.ws.url()
    }

    pub fn send_text(&self, text: &str) -> Result<(), String> {
        self.ws.send_with_str(text).map_err(|e| browser_message(&e))
    }

    /// Sends one binary frame.
    pub fn send_bytes(&self, bytes: &[u8]) -> Result<(), String> {
        self.ws
            .send_with_u8_array(bytes)
            .map_err(|e| browser_message(&e))
    }

    /// Bytes the browser has accepted but not yet put on the wire.
    pub fn buffered_amount(&self) -> u32 {
        self.ws.buffered_amount()
    }

    /// Starts a close with `code` and `reason` (checked by the caller); the close event follows.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), String> {
        self.ws
            .close_with_code_and_reason(code, reason)
            .map_err(|e| browser_message(&e))
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onerror(None);
        self.ws.set_onclose(None);
        if self.ws.ready_state() < WebSocket::CLOSING {
            let _ = self.ws.close();
        }
    }
}

fn message_event(data: JsValue) -> SocketEvent {
    // One call into JavaScript both checks for a string and copies it out.
    if let Some(text) = data.as_string() {
        return SocketEvent::Text(text);
    }
    // binaryType is arraybuffer, so every binary message is an ArrayBuffer.
    SocketEvent::Binary(Uint8Array::new(&data).to_vec())
}

/// "SyntaxError: …" from a DOMException or Error; the value as text otherwise.
fn browser_message(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}
