//! The Handshake panel: what was dialled and negotiated, how it closed, why it failed, and
//! the timeline of the connection.

use leptos::prelude::*;
use wsprobe_core::connection::Attempt;
use wsprobe_core::decimal::fixed;

use crate::components::diagnosis_view::DiagnosisView;
use crate::components::raw_handshake::raw_handshake_chunk;
use crate::components::timeline::timeline_chunk;
use crate::lazy::quiet_panel;
use crate::session::{ProtocolReport, use_session};

fn or_none(value: &str) -> String {
    if value.is_empty() {
        "none".to_string()
    } else {
        value.to_string()
    }
}

#[component]
pub fn HandshakePanel() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="panel handshake" aria-label="Handshake">
            <h2>"Handshake"</h2>
            {move || match session.attempt.get() {
                None => {
                    view! {
                        <p class="muted">
                            "Not connected yet. Enter a ws:// or wss:// URL and press Connect."
                        </p>
                    }
                        .into_any()
                }
                Some(attempt) => view! { <AttemptDetails attempt /> }.into_any(),
            }}
            {move || {
                session
                    .attempt
                    .get()
                    .and_then(|a| a.diagnosis())
                    .map(|diagnosis| view! { <DiagnosisView diagnosis /> })
            }}
            {move || protocol_report(session.protocol_report.get())}
            {quiet_panel("the raw handshake", || Box::pin(raw_handshake_chunk()))}
            {quiet_panel("the timeline", || Box::pin(timeline_chunk()))}
        </section>
    }
}

#[component]
fn AttemptDetails(attempt: Attempt) -> impl IntoView {
    let requested = if attempt.requested.is_empty() {
        "none".to_string()
    } else {
        attempt.requested.join(", ")
    };
    let opened = attempt.opened.clone().map(|o| {
        view! {
            <dt>"Negotiated subprotocol"</dt>
            <dd>{or_none(&o.protocol)}</dd>
            <dt>"Extensions"</dt>
            <dd class="mono">{or_none(&o.extensions)}</dd>
            <dt>"Time to open"</dt>
            <dd>{format!("{} ms", fixed(o.time_to_open_ms, 0))}</dd>
        }
    });
    // A failure through the relay ends the page's own sockets with a code that says nothing;
    // the relay's report (the diagnosis and the raw handshake) is the story.
    let relay_failed =
        attempt.relay.is_some() && attempt.relay_handshake.as_ref().is_none_or(|h| !h.ok);
    let closed = attempt.closed.clone().filter(|_| !relay_failed).map(|c| {
        let clean = if c.clean {
            "yes"
        } else {
            "no: the connection ended without a closing handshake"
        };
        let reason = if c.reason.is_empty() {
            "none given".to_string()
        } else {
            c.reason.clone()
        };
        view! {
            <dt>"Close code"</dt>
            <dd>
                <strong>{format!("{} {}", c.code.code, c.code.name)}</strong>
                <span class="meaning">{c.code.meaning}</span>
            </dd>
            <dt>"Reason"</dt>
            <dd>{reason}</dd>
            <dt>"Clean"</dt>
            <dd>{clean}</dd>
        }
    });
    view! {
        <dl class="facts">
            <dt>"Dialled"</dt>
            <dd class="mono">{or_none(&attempt.dialled_url)}</dd>
            <dt>"Requested subprotocols"</dt>
            <dd>{requested}</dd>
            {opened}
            {closed}
        </dl>
    }
}

/// What the protocol learnt on connecting (Engine.IO's session, a namespace refused).
fn protocol_report(report: ProtocolReport) -> impl IntoView {
    {
        let ProtocolReport { facts, problem } = report;
        let facts = (!facts.is_empty()).then(|| {
            view! {
                <dl class="facts protocol-facts">
                    {facts
                        .into_iter()
                        .map(|(label, value)| {
                            view! {
                                <dt>{label}</dt>
                                <dd>{value}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
            }
        });
        let problem = problem.map(|p| {
            view! {
                <div class="diagnosis protocol-problem">
                    <h3>"Diagnosis"</h3>
                    <p class="headline">{p.headline}</p>
                    <ul class="next">
                        {p.next.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                </div>
            }
        });
        view! {
            {facts}
            {problem}
        }
    }
}
