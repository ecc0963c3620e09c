//! The socket glue in headless Chromium, against the project's own test server.
//! scripts/test.sh starts the server and passes its address in WSPROBE_TEST_SERVER.

// A test that cannot go on should stop with the reason: unwrap, expect and panic are its way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use wasm_bindgen_test::*;
use wsprobe::glue::socket::{Socket, SocketEvent};
use wsprobe::glue::{BrowserError, ErrorKind};

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

/// Points the glue at the worker the way the built page's index.html does, with this tree's own
/// worker source (the test runner serves no files of ours).
fn install_worker() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document
        .query_selector("meta[name=\"wsprobe-socket-worker\"]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let parts = js_sys::Array::of1(&include_str!("../web/socket-worker.js").into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).expect("blob");
    let url = web_sys::Url::create_object_url_with_blob(&blob).expect("blob url");
    let meta = document.create_element("meta").expect("meta");
    meta.set_attribute("name", "wsprobe-socket-worker")
        .expect("name");
    meta.set_attribute("content", &url).expect("content");
    document
        .document_element()
        .expect("root")
        .append_child(&meta)
        .expect("append");
}

/// The text of a text message, without its time.
fn text(event: &SocketEvent) -> Option<&str> {
    match event {
        SocketEvent::Text { text, .. } => Some(text),
        _ => None,
    }
}

/// A socket and everything it has reported so far.
struct Probe {
    socket: Socket,
    events: Rc<RefCell<Vec<SocketEvent>>>,
}

impl Probe {
    fn dial(path: &str, protocols: &[&str]) -> Result<Self, BrowserError> {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        install_worker();
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
    let before = wsprobe::glue::clock::epoch_ms();
    probe.socket.send_text("héllo ✓").expect("send");
    let events = probe.events(2).await;
    assert_eq!(text(&events[1]), Some("héllo ✓"));
    // Stamped when it arrived, in the worker, on the same clock as the page's.
    let SocketEvent::Text { at_ms, .. } = events[1] else {
        unreachable!()
    };
    assert!(
        at_ms >= before.floor() && at_ms <= wsprobe::glue::clock::epoch_ms(),
        "{before} ≤ {at_ms}"
    );
    probe.socket.close(1000, "");
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
    assert!(
        matches!(&events[1], SocketEvent::Binary { bytes, .. } if bytes == &[0x00, 0xff, 0x10]),
        "{events:?}"
    );
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
        text(&probe.events(2).await[1]),
        Some("compress me ".repeat(50).as_str())
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
async fn the_browser_refuses_an_invalid_subprotocol_and_nothing_follows() {
    let probe = Probe::dial("/echo", &["not a token"]).expect("dial");
    let events = probe.events(2).await;
    assert!(
        matches!(&events[..], [SocketEvent::Refused(why)] if why.starts_with("SyntaxError")),
        "{events:?}"
    );
}

#[wasm_bindgen_test]
async fn sending_before_the_handshake_is_refused_at_once() {
    let probe = Probe::dial("/hang", &[]).expect("dial");
    let refused = probe.socket.send_text("too soon").expect_err("refused");
    assert!(
        refused.to_string().starts_with("InvalidStateError"),
        "{refused}"
    );
    assert_eq!(refused.kind(), ErrorKind::InvalidState);
}

#[wasm_bindgen_test]
async fn a_close_the_browser_rejects_is_a_failure_and_the_connection_goes_on() {
    let probe = Probe::dial("/echo", &[]).expect("dial");
    probe.events(1).await;
    probe.socket.close(1001, "");
    let events = probe.events(2).await;
    assert!(
        matches!(&events[1], SocketEvent::Failed(why) if why.starts_with("InvalidAccessError")),
        "{events:?}"
    );
    probe.socket.send_text("still here").expect("send");
    assert_eq!(text(&probe.events(3).await[2]), Some("still here"));
}

#[wasm_bindgen_test]
async fn a_fast_stream_arrives_whole_and_in_order() {
    let probe = Probe::dial("/flood?count=5000&size=32&kind=text", &[]).expect("dial");
    let events = probe.events(5001).await;
    let texts: Vec<&str> = events.iter().filter_map(text).collect();
    assert_eq!(texts.len(), 5000);
    // Each starts with its sequence number.
    for (seq, text) in texts.iter().enumerate() {
        assert!(text.starts_with(&format!("{seq:08} ")), "{seq}: {text}");
    }
    // Stamped in the order they arrived.
    let times: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            SocketEvent::Text { at_ms, .. } => Some(*at_ms),
            _ => None,
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[wasm_bindgen_test]
async fn a_worker_that_cannot_start_is_a_refusal() {
    install_worker();
    let events = std::rc::Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    let meta = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=\"wsprobe-socket-worker\"]")
                .ok()
                .flatten()
        })
        .expect("meta");
    let good = meta.get_attribute("content").expect("content");
    meta.set_attribute("content", "/no-such-worker.js")
        .expect("set");
    let socket = Socket::dial(&server("/echo"), &[], move |e| sink.borrow_mut().push(e));
    meta.set_attribute("content", &good).expect("restore");
    let _socket = socket.expect("dial");
    for _ in 0..100 {
        if !events.borrow().is_empty() {
            break;
        }
        sleep(20).await;
    }
    let events = events.borrow();
    assert!(
        matches!(&events[..], [SocketEvent::Refused(why)] if why.contains("/no-such-worker.js")),
        "{events:?}"
    );
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

#[wasm_bindgen_test]
async fn a_backlog_is_reported_while_the_network_cannot_take_it() {
    // Over loopback a small send drains at once: nothing is held.
    let quick = Probe::dial("/echo", &[]).expect("dial");
    quick.events(1).await;
    quick.socket.send_text("quick").expect("send");
    sleep(300).await;
    assert_eq!(quick.socket.buffered_amount(), 0);

    // This server reads nothing for 2 s, so most of 16 MiB waits in the browser.
    let stuck = Probe::dial("/close?code=4000&after_ms=2000", &[]).expect("dial");
    stuck.events(1).await;
    stuck.socket.send_bytes(&vec![0u8; 16 << 20]).expect("send");
    sleep(500).await;
    let held = stuck.socket.buffered_amount();
    assert!(held > 1 << 20 && held <= 16 << 20, "{held}");
}
