//! The socket glue in headless Chromium, against the project's own test server.
//! scripts/test.sh starts the server and passes its address in WSPROBE_TEST_SERVER.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use wasm_bindgen_test::*;
use wsprobe::glue::socket::{Socket, SocketEvent};

wasm_bindgen_test_configure!(run_in_browser);

fn server(path: &str) -> String {
    let base = option_env!("WSPROBE_TEST_SERVER").unwrap_or("ws://127.0.0.1:9001");
    format!("{base}{path}")
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A socket and everything it has reported so far.
struct Probe {
    socket: Socket,
    events: Rc<RefCell<Vec<SocketEvent>>>,
}

impl Probe {
    fn dial(path: &str, protocols: &[&str]) -> Result<Self, String> {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        let protocols: Vec<String> = protocols.iter().map(|p| p.to_string()).collect();
        let socket = Socket::dial(&server(path), &protocols, move |e| {
            sink.borrow_mut().push(e)
        })?;
        Ok(Self { socket, events })
    }

    /// Waits (up to 5 s) until `count` events have arrived, then returns them all.
    async fn events(&self, count: usize) -> Vec<SocketEvent> {
        for _ in 0..250 {
            if self.events.borrow().len() >= count {
                break;
            }
            sleep(20).await;
        }
        self.events.borrow().clone()
    }
}

fn is_close(event: &SocketEvent) -> bool {
    matches!(event, SocketEvent::Close { .. })
}

#[wasm_bindgen_test]
async fn echo_returns_text_and_closes_cleanly() {
    let probe = Probe::dial("/echo", &[]).expect("dial");
    assert_eq!(
        probe.events(1).await[0],
        SocketEvent::Open {
            protocol: String::new(),
            extensions: String::new()
        }
    );
    probe.socket.send_text("héllo ✓").expect("send");
    assert_eq!(
        probe.events(2).await[1],
        SocketEvent::Text("héllo ✓".into())
    );
    probe.socket.close(1000, "").ok();
    let events = probe.events(3).await;
    assert_eq!(
        events[2],
        SocketEvent::Close {
            code: 1000,
            reason: String::new(),
            clean: true
        }
    );
}

#[wasm_bindgen_test]
async fn binary_frames_arrive_as_bytes() {
    let probe = Probe::dial("/binary?hex=00ff10", &[]).expect("dial");
    let events = probe.events(2).await;
    assert_eq!(events[1], SocketEvent::Binary(vec![0x00, 0xff, 0x10]));
}

#[wasm_bindgen_test]
async fn the_server_chooses_a_subprotocol_from_those_offered() {
    let probe = Probe::dial("/subprotocol?accept=json", &["chat", "json"]).expect("dial");
    let events = probe.events(1).await;
    assert_eq!(
        events[0],
        SocketEvent::Open {
            protocol: "json".into(),
            extensions: String::new()
        }
    );
}

#[wasm_bindgen_test]
async fn deflate_is_reported_as_an_extension() {
    let probe = Probe::dial("/deflate", &[]).expect("dial");
    let events = probe.events(1).await;
    match &events[0] {
        SocketEvent::Open { extensions, .. } => {
            assert!(extensions.contains("permessage-deflate"), "{extensions}")
        }
        other => panic!("expected open, got {other:?}"),
    }
    probe
        .socket
        .send_text(&"compress me ".repeat(50))
        .expect("send");
    assert_eq!(
        probe.events(2).await[1],
        SocketEvent::Text("compress me ".repeat(50))
    );
}

#[wasm_bindgen_test]
async fn the_server_close_code_and_reason_come_through() {
    let probe = Probe::dial("/close?code=4001&reason=session%20expired", &[]).expect("dial");
    let events = probe.events(2).await;
    assert_eq!(
        events[1],
        SocketEvent::Close {
            code: 4001,
            reason: "session expired".into(),
            clean: true
        }
    );
}

#[wasm_bindgen_test]
async fn a_rejected_upgrade_is_an_error_then_an_unclean_1006() {
    let probe = Probe::dial("/reject?status=403", &[]).expect("dial");
    let events = probe.events(2).await;
    assert_eq!(events[0], SocketEvent::Error);
    assert!(is_close(&events[1]));
    assert_eq!(
        events[1],
        SocketEvent::Close {
            code: 1006,
            reason: String::new(),
            clean: false
        }
    );
}

#[wasm_bindgen_test]
fn the_browser_refuses_an_invalid_subprotocol_at_once() {
    let refused = Probe::dial("/echo", &["not a token"])
        .err()
        .expect("refused");
    assert!(refused.starts_with("SyntaxError"), "{refused}");
}

#[wasm_bindgen_test]
fn the_dialled_url_is_the_one_the_browser_resolved() {
    let probe = Probe::dial("/echo", &[]).expect("dial");
    assert_eq!(probe.socket.url(), server("/echo"));
}

#[wasm_bindgen_test]
fn the_page_reports_its_own_protocol_and_host() {
    assert_eq!(wsprobe::glue::page::protocol(), "http:");
    assert_eq!(wsprobe::glue::page::hostname(), "127.0.0.1");
}

#[wasm_bindgen_test]
fn the_clock_is_monotonic_and_the_epoch_is_now() {
    let (a, b) = (
        wsprobe::glue::clock::monotonic_ms(),
        wsprobe::glue::clock::monotonic_ms(),
    );
    assert!(b >= a);
    assert!(wsprobe::glue::clock::epoch_ms() > 1.7e12);
    let offset = wsprobe::glue::clock::utc_offset_minutes();
    assert!((-720..=840).contains(&offset), "{offset}");
}
