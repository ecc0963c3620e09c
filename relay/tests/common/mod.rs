//! A relay and the project's test server, both in-process on 127.0.0.1, and a page-like client.

#![allow(dead_code)] // Each test file uses its own part of this.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{WebSocketStream, client_async_with_config};
use wsprobe_relay::Config;

pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// Where the page would be served from: a loopback origin, allowed without flags.
pub const PAGE_ORIGIN: &str = "http://localhost:8080";
/// Long enough for a loaded 2-core machine, short enough that a hang fails fast.
pub const WAIT: Duration = Duration::from_secs(5);

pub type Client = WebSocketStream<TcpStream>;

pub struct Relay {
    pub addr: String,
}

/// A relay with the test token and whatever `adjust` changes.
pub async fn relay(adjust: impl FnOnce(&mut Config)) -> Relay {
    let mut config = Config {
        token: TOKEN.to_string(),
        ..Config::default()
    };
    adjust(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        if let Err(e) = wsprobe_relay::serve(listener, config).await {
            panic!("relay: {e}");
        }
    });
    Relay { addr }
}

/// The project's test server (echo, /headers, /reject, ...) as the command runs it; returns
/// its ws:// base URL.
pub async fn test_server() -> String {
    test_server_with(wsprobe_test_server::Options::default()).await
}

/// The test server with `options`, e.g. an origin allowed as `--allow-origin` would.
pub async fn test_server_with(options: wsprobe_test_server::Options) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(wsprobe_test_server::serve_with(listener, options));
    format!("ws://{addr}")
}

/// Opens a relay socket as a page on `origin` would; the handshake's error on refusal.
pub async fn open(url: &str, origin: Option<&str>) -> Result<Client, Error> {
    let mut request = url.into_client_request().unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
    }
    let host = request.uri().authority().unwrap().to_string();
    let stream = TcpStream::connect(host).await.unwrap();
    // The relay's tests send and receive messages of several MiB.
    let config = WebSocketConfig::default().max_message_size(Some(256 << 20));
    let (socket, _) = tokio::time::timeout(
        WAIT,
        client_async_with_config(request, stream, Some(config)),
    )
    .await
    .expect("the relay answers the upgrade")?;
    Ok(socket)
}

/// Status and body of a refused upgrade.
pub fn refusal(result: Result<Client, Error>) -> (u16, String) {
    match result {
        Err(Error::Http(response)) => {
            let body = response.body().clone().unwrap_or_default();
            (
                response.status().as_u16(),
                String::from_utf8_lossy(&body).into_owned(),
            )
        }
        Err(e) => panic!("expected an HTTP refusal, got {e}"),
        Ok(_) => panic!("expected an HTTP refusal, but the upgrade succeeded"),
    }
}

pub struct Control {
    pub socket: Client,
    pub relay: String,
}

impl Relay {
    pub async fn control(&self) -> Control {
        let url = format!("ws://{}/control?token={TOKEN}", self.addr);
        Control {
            socket: open(&url, Some(PAGE_ORIGIN)).await.unwrap(),
            relay: self.addr.clone(),
        }
    }
}

impl Control {
    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket.send(Message::text(text)).await.unwrap();
    }

    /// The next control event, as JSON.
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("a control event in time")
                .expect("the control socket is open")
                .unwrap();
            match message {
                Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                Message::Ping(_) | Message::Pong(_) => {}
                other => panic!("unexpected control message {other:?}"),
            }
        }
    }

    /// The next event of this type, skipping others (server pings and the like).
    pub async fn next_of(&mut self, kind: &str) -> Value {
        loop {
            let event = self.next().await;
            if event["type"] == kind {
                return event;
            }
        }
    }

    /// Sends a connect and returns the handshake event.
    pub async fn connect(&mut self, url: &str, headers: Value) -> Value {
        self.send(json!({"type": "connect", "url": url, "subprotocols": [], "headers": headers}))
            .await;
        self.next_of("handshake").await
    }

    /// Connects and opens the data socket; panics unless the handshake succeeds.
    pub async fn open_session(&mut self, url: &str) -> Client {
        let handshake = self.connect(url, json!([])).await;
        assert_eq!(handshake["ok"], true, "{handshake}");
        self.data(handshake["session"].as_str().unwrap())
            .await
            .unwrap()
    }

    pub async fn data(&self, session: &str) -> Result<Client, Error> {
        let url = format!("ws://{}/data?token={TOKEN}&session={session}", self.relay);
        open(&url, Some(PAGE_ORIGIN)).await
    }
}

/// The next message on a data socket.
pub async fn next(socket: &mut Client) -> Message {
    tokio::time::timeout(WAIT, socket.next())
        .await
        .expect("a message in time")
        .expect("the socket is open")
        .unwrap()
}

/// Reads until the close frame and returns its code and reason.
pub async fn close_of(socket: &mut Client) -> (u16, String) {
    loop {
        match next(socket).await {
            Message::Close(Some(frame)) => {
                return (u16::from(frame.code), frame.reason.to_string());
            }
            Message::Close(None) => return (1005, String::new()),
            _ => {}
        }
    }
}

pub fn close_frame(code: u16, reason: &str) -> Option<CloseFrame> {
    Some(CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    })
}

/// A bare upstream server in the test: accepts one WebSocket and hands it to `behave`.
pub async fn tiny_server<F, Fut>(behave: F) -> String
where
    F: FnOnce(WebSocketStream<TcpStream>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let socket = tokio_tungstenite::accept_async(stream).await.unwrap();
        behave(socket).await;
    });
    format!("ws://{addr}/")
}
