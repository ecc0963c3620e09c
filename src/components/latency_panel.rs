//! The Latency panel: round trips of paired exchanges (Socket.IO acknowledgements, JSON-RPC
//! responses, or raw replies paired by a JSON Pointer) as count and percentiles, a histogram,
//! and the rate in and out over the last minutes, drawn in the page.

use leptos::prelude::*;
use wsprobe_core::decimal::fixed;
use wsprobe_core::protocol::correlate::Correlator;
use wsprobe_core::protocol::latency::{Bin, Summary};
use wsprobe_core::protocol::note::format_ms;
use wsprobe_core::protocol::settings::Protocol;

use crate::editor::use_editor;
use crate::protocols::use_protocols;

const CHART_W: f64 = 300.0;
const CHART_H: f64 = 60.0;

#[component]
pub fn LatencyPanel() -> impl IntoView {
    let protocols = use_protocols();
    let meter = protocols.meter;
    let figure = move |pick: fn(&Summary) -> f64| {
        move || {
            meter
                .summary
                .with(|s| s.as_ref().map_or("–".to_string(), |s| format_ms(pick(s))))
        }
    };
    let count = move || {
        meter
            .summary
            .with(|s| s.as_ref().map_or(0, |s| s.count).to_string())
    };
    view! {
        <section class="panel latency" aria-label="Latency">
            <div class="panel-head">
                <h2>"Latency"</h2>
                <button type="button" class="small" on:click=move |_| meter.clear()>
                    "Clear latency"
                </button>
            </div>
            <Pairing />
            <dl class="latency-figures">
                <div>
                    <dt>"Count"</dt>
                    <dd>{count}</dd>
                </div>
                <div>
                    <dt>"p50"</dt>
                    <dd>{figure(|s| s.p50)}</dd>
                </div>
                <div>
                    <dt>"p95"</dt>
                    <dd>{figure(|s| s.p95)}</dd>
                </div>
                <div>
                    <dt>"p99"</dt>
                    <dd>{figure(|s| s.p99)}</dd>
                </div>
                <div>
                    <dt>"Max"</dt>
                    <dd>{figure(|s| s.max)}</dd>
                </div>
            </dl>
            {move || histogram(&meter.histogram.get(), meter.summary.get())}
            {move || rate_chart(&meter.rate.get())}
        </section>
    }
}

/// For raw WebSocket: the JSON Pointer that pairs a reply with its request.
#[component]
fn Pairing() -> impl IntoView {
    let editor = use_editor();
    let raw = move || editor.protocol.with(|p| p.protocol == Protocol::WebSocket);
    let problem = move || {
        editor
            .protocol
            .with(|p| {
                let pointer = p.pairing.trim();
                (!pointer.is_empty())
                    .then(|| Correlator::new(pointer).err())
                    .flatten()
            })
            .filter(|_| raw())
    };
    move || {
        raw().then(|| {
            view! {
                <label class="field">
                    <span class="field-label">"Pair replies by"</span>
                    <input
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="/id"
                        aria-describedby="pairing-hint"
                        aria-invalid=move || problem().is_some().to_string()
                        prop:value=move || editor.protocol.with(|p| p.pairing.clone())
                        on:input=move |ev| {
                            editor.protocol.update(|p| p.pairing = event_target_value(&ev))
                        }
                    />
                </label>
                <p id="pairing-hint" class="hint" class:error=move || problem().is_some()>
                    {move || {
                        problem()
                            .unwrap_or_else(|| {
                                "A JSON Pointer found in a message and in its reply; it applies \
                                 from the next Connect."
                                    .to_string()
                            })
                    }}
                </p>
            }
        })
    }
}

/// Round trips by duration: one bar per bin, labelled by its upper bound.
fn histogram(bins: &[Bin], summary: Option<Summary>) -> impl IntoView + use<> {
    let most = bins.iter().map(|b| b.count).max().unwrap_or(0);
    if most == 0 {
        return None;
    }
    let width = CHART_W / bins.len().max(1) as f64;
    let label = bins
        .iter()
        .map(|b| format!("up to {}: {}", format_ms(b.upper_ms), b.count))
        .collect::<Vec<_>>()
        .join(", ");
    let bars = bins
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = CHART_H * b.count as f64 / most as f64;
            view! {
                <rect
                    x=fixed(i as f64 * width + 1.0, 1)
                    y=fixed(CHART_H - h, 1)
                    width=fixed((width - 2.0).max(1.0), 1)
                    height=fixed(h, 1)
                />
            }
        })
        .collect_view();
    Some(view! {
        <figure class="chart">
            <svg
                class="histogram"
                viewBox=format!("0 0 {CHART_W} {CHART_H}")
                preserveAspectRatio="none"
                role="img"
                aria-label=format!("Round trips by duration: {label}")
            >
                {bars}
            </svg>
            <figcaption>
                {summary
                    .map(|s| {
                        format!("Round trips from {} to {}", format_ms(s.min), format_ms(s.max))
                    })}
            </figcaption>
        </figure>
    })
}

/// Seconds the rate chart shows at least, before its window fills.
const MIN_CHART_SECONDS: usize = 60;

/// Messages per second in and out, one point per second, from the first second with a message
/// (at least the last minute) to now.
fn rate_chart(series: &[(u64, u64)]) -> impl IntoView + use<> {
    let first = series
        .iter()
        .position(|&(i, o)| i + o > 0)
        .unwrap_or(series.len())
        .min(series.len().saturating_sub(MIN_CHART_SECONDS));
    let series = series.get(first..).unwrap_or_default();
    let most = series.iter().map(|(i, o)| (*i).max(*o)).max().unwrap_or(0);
    if most == 0 {
        return None;
    }
    let step = CHART_W / series.len().saturating_sub(1).max(1) as f64;
    let line = |pick: fn(&(u64, u64)) -> u64| {
        series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let y = CHART_H - CHART_H * pick(s) as f64 / most as f64;
                format!("{},{}", fixed(i as f64 * step, 1), fixed(y, 1))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (last_in, last_out) = series.last().copied().unwrap_or_default();
    Some(view! {
        <figure class="chart">
            <svg
                class="rate-chart"
                viewBox=format!("0 0 {CHART_W} {CHART_H}")
                preserveAspectRatio="none"
                role="img"
                aria-label=format!(
                    "Messages per second over the last {} s, at most {most}; now {last_in} in, {last_out} out",
                    series.len(),
                )
            >
                <polyline class="in" points=line(|s| s.0) />
                <polyline class="out" points=line(|s| s.1) />
            </svg>
            <figcaption>
                <span class="key in">"in"</span>
                " "
                <span class="key out">"out"</span>
                {format!(" \u{b7} messages per second, last {} s, peak {most}", series.len())}
            </figcaption>
        </figure>
    })
}
