//! A JSON value pretty-printed, each array and object foldable.

use leptos::prelude::*;
use wsprobe_core::json_view::JsonNode;

/// Deeper than this, a value is shown as pretty text rather than nested folds (keeps the page
/// and the stack small for pathological nesting).
const MAX_FOLD_DEPTH: usize = 32;

#[component]
pub fn JsonTree(node: JsonNode) -> impl IntoView {
    view! { <div class="json-tree">{render(None, node, 0)}</div> }
}

fn render(key: Option<String>, node: JsonNode, depth: usize) -> AnyView {
    let key = key.map(|k| {
        view! {
            <span class="json-key">{k}</span>
            ": "
        }
    });
    match node {
        JsonNode::Scalar(token) => {
            let class = scalar_class(&token);
            view! { <div class="json-line">{key}<span class=class>{token}</span></div> }.into_any()
        }
        node if depth >= MAX_FOLD_DEPTH => {
            view! { <div class="json-line">{key}<pre class="json-deep">{node.pretty()}</pre></div> }
                .into_any()
        }
        node => {
            let summary = node.summary();
            let children: Vec<AnyView> = match node {
                JsonNode::Array(items) => items
                    .into_iter()
                    .map(|item| render(None, item, depth + 1))
                    .collect(),
                JsonNode::Object(members) => members
                    .into_iter()
                    .map(|(k, v)| render(Some(k), v, depth + 1))
                    .collect(),
                JsonNode::Scalar(_) => Vec::new(),
            };
            view! {
                <details class="json-fold" open>
                    <summary>{key}<span class="json-summary">{summary}</span></summary>
                    <div class="json-children">{children}</div>
                </details>
            }
            .into_any()
        }
    }
}

fn scalar_class(token: &str) -> &'static str {
    match token.as_bytes().first() {
        Some(b'"') => "json-string",
        Some(b't' | b'f') => "json-bool",
        Some(b'n') => "json-null",
        _ => "json-number",
    }
}
