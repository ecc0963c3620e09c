//! Checking the relay's status (`wsprobe_core::relay::status`): a WebSocket to its `/status`,
//! which it answers with one message and closes. Nothing that answers in time is a relay that
//! is not running.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wsprobe_core::endpoint::Endpoint;
use wsprobe_core::relay;
use wsprobe_core::relay::status::{CHECK_TIMEOUT_MS, RelayStatus};

use crate::glue::socket::{Socket, SocketEvent};

type Done = Box<dyn FnOnce(RelayStatus)>;

/// The check under way: who waits for it, its socket and its timer, all let go at the end.
#[derive(Default)]
struct Check {
    done: Option<Done>,
    socket: Option<Socket>,
    timer: Option<TimeoutHandle>,
}

/// Checks the relay at `address` with `token`; `done` gets the status once, whatever happens.
pub fn check_relay(address: &str, token: &str, done: impl FnOnce(RelayStatus) + 'static) {
    let check = Rc::new(RefCell::new(Check {
        done: Some(Box::new(done)),
        ..Check::default()
    }));
    let address = address.trim();
    let not_running = RelayStatus::NotRunning {
        address: address.to_string(),
    };
    let cannot_dial = {
        let address = address.to_string();
        move |why: String| RelayStatus::CannotDial {
            address: address.clone(),
            why,
        }
    };
    let finish = {
        let check = check.clone();
        move |status: RelayStatus| {
            let ended = std::mem::take(&mut *check.borrow_mut());
            if let Some(timer) = ended.timer {
                timer.clear();
            }
            // Dropping the socket ends its worker.
            drop(ended.socket);
            if let Some(done) = ended.done {
                done(status);
            }
        }
    };
    // Said before the browser is asked: it would resolve a relative or http:// address.
    if let Err(why) = Endpoint::parse(address) {
        return finish(cannot_dial(why.to_string()));
    }
    let on_event = {
        let (finish, token, not_running) = (finish.clone(), token.to_string(), not_running.clone());
        let cannot_dial = cannot_dial.clone();
        move |event| match event {
            SocketEvent::Text { text, .. } => finish(RelayStatus::from_answer(&text, &token)),
            SocketEvent::Close { .. } => finish(not_running.clone()),
            SocketEvent::Refused(why) => finish(cannot_dial(why)),
            _ => {}
        }
    };
    match Socket::dial(&relay::status_url(address, token), &[], on_event) {
        Ok(socket) => {
            let on_time = {
                let (finish, not_running) = (finish.clone(), not_running.clone());
                move || finish(not_running)
            };
            let timer = set_timeout_with_handle(
                on_time,
                Duration::from_millis(u64::from(CHECK_TIMEOUT_MS)),
            );
            let mut under_way = check.borrow_mut();
            // The check may already be over (the browser refused at once): then let go now.
            if under_way.done.is_some() {
                under_way.socket = Some(socket);
                under_way.timer = timer.ok();
            } else if let Ok(timer) = timer {
                timer.clear();
            }
        }
        Err(why) => finish(cannot_dial(why.to_string())),
    }
}
