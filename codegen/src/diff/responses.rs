//! Compares an operation's responses: success statuses and the success body (the method's
//! return type), error statuses and error bodies (read by the hand-written runtime).

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::collect::Collector;
use super::operations::{Doc, Op};
use super::schemas::{self, Ctx, Side};
use crate::error::escape_pointer;
use crate::walk;

/// One documented response: where it is written and where its JSON schema is, if any.
struct Response {
    pointer: String,
    description: Option<String>,
    schema: Option<String>,
}

fn responses(root: &Value, op: &Op) -> BTreeMap<String, Response> {
    let mut out = BTreeMap::new();
    for (status, written) in op
        .value
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pointer = match written.get("$ref").and_then(Value::as_str) {
            Some(target) => target.trim_start_matches('#').to_owned(),
            None => format!("{}/responses/{}", op.pointer(), escape_pointer(status)),
        };
        let Some(resolved) = walk::resolve(root, written) else {
            continue;
        };
        let schema = resolved
            .pointer("/content/application~1json/schema")
            .map(|_| format!("{pointer}/content/application~1json/schema"));
        let description = resolved
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        out.insert(
            status.clone(),
            Response {
                pointer,
                description,
                schema,
            },
        );
    }
    out
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

pub fn compare(d: &mut Collector, old: &mut Doc, new: &mut Doc, before: Op, after: Op) {
    let old_responses = responses(old.root, &before);
    let new_responses = responses(new.root, &after);
    let method = after.method_name();
    let status_pointer =
        |status: &str| format!("{}/responses/{}", after.pointer(), escape_pointer(status));
    let old_success: Vec<&String> = old_responses.keys().filter(|s| is_success(s)).collect();
    let new_success: Vec<&String> = new_responses.keys().filter(|s| is_success(s)).collect();
    let kept_success = old_success.iter().any(|s| new_success.contains(s));

    if !kept_success && !old_success.is_empty() && !new_success.is_empty() {
        d.emit(
            "success-status-replaced",
            &status_pointer(new_success[0]),
            format!(
                "The success status of `{}` changed from {} to {}.",
                after.label(),
                list(&old_success),
                list(&new_success)
            ),
            format!(
                "The runtime accepts any 2xx, so {method} is unaffected; the typed mock replaces {} with {}.",
                mock_methods(&old_success),
                mock_methods(&new_success)
            ),
        );
    } else {
        for status in new_success.iter().filter(|s| !old_success.contains(s)) {
            d.emit(
                "success-status-added",
                &status_pointer(status),
                format!("`{}` documents the success status {status}.", after.label()),
                format!("The typed mock gains {}.", mock_methods(&[status])),
            );
        }
        for status in old_success.iter().filter(|s| !new_success.contains(s)) {
            d.emit(
                "success-status-removed",
                &format!("{}/responses/{}", before.pointer(), escape_pointer(status)),
                format!(
                    "`{}` no longer documents the success status {status}.",
                    after.label()
                ),
                format!(
                    "The runtime accepts any 2xx, so calls are unaffected; the typed mock's {} is removed.",
                    mock_methods(&[status])
                ),
            );
        }
    }

    let body = |responses: &BTreeMap<String, Response>| {
        responses
            .iter()
            .filter(|(s, _)| is_success(s))
            .find_map(|(_, r)| r.schema.clone())
    };
    match (body(&old_responses), body(&new_responses)) {
        (None, Some(pointer)) if !old_success.is_empty() => d.emit(
            "response-body-added",
            &pointer,
            format!(
                "The success response of `{}` now has a body.",
                after.label()
            ),
            format!("{method} now returns a typed body instead of `()`."),
        ),
        (Some(pointer), None) if !new_success.is_empty() => d.emit(
            "response-body-removed",
            &pointer,
            format!(
                "The success response of `{}` no longer has a body.",
                after.label()
            ),
            format!(
                "{method} now returns `ResponseValue<()>`; code reading the body stops compiling."
            ),
        ),
        (Some(a), Some(b)) => {
            if let (Some(a), Some(b)) = (old.resolver.at(&a), new.resolver.at(&b)) {
                let mut ctx = Ctx::new(Side::Response, format!("the success body of {method}"));
                if let Some(id) = after.id() {
                    // progenitor names an inline success body after the operation.
                    ctx = ctx.named_inline(format!("{}Response", id.to_upper_camel_case()));
                }
                schemas::compare(d, &ctx, &a, &b);
            }
        }
        _ => {}
    }

    for (status, response) in new_responses.iter().filter(|(s, _)| !is_success(s)) {
        let Some(previous) = old_responses.get(status) else {
            d.emit(
                "error-status-added",
                &status_pointer(status),
                format!("`{}` documents the error status {status}.", after.label()),
                format!(
                    "Consumers may see a new `carecycle::Error` kind for this call; the typed mock gains {}.",
                    mock_methods(&[status])
                ),
            );
            continue;
        };
        if let (Some(a), Some(b)) = (&previous.schema, &response.schema)
            && let (Some(a), Some(b)) = (old.resolver.at(a), new.resolver.at(b))
        {
            // Error bodies are public types (and the typed mocks take them): judged like
            // any response.
            let ctx = Ctx::new(Side::Response, format!("the {status} error body"));
            schemas::compare(d, &ctx, &a, &b);
        }
    }
    for status in old_responses
        .keys()
        .filter(|s| !is_success(s) && !new_responses.contains_key(*s))
    {
        d.emit(
            "error-status-removed",
            &format!("{}/responses/{}", before.pointer(), escape_pointer(status)),
            format!(
                "`{}` no longer documents the error status {status}.",
                after.label()
            ),
            format!("The typed mock's {} is removed.", mock_methods(&[status])),
        );
    }
    for (status, response) in &new_responses {
        if let Some(previous) = old_responses.get(status)
            && previous.description != response.description
        {
            d.emit(
                "description-changed",
                &format!("{}/description", response.pointer),
                format!("The description of the {status} response changed."),
                String::new(),
            );
        }
    }
}

fn list(statuses: &[&String]) -> String {
    statuses
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The typed mock's `Then` methods for these statuses (named after the status's reason phrase).
fn mock_methods(statuses: &[&String]) -> String {
    let names: Vec<String> = statuses
        .iter()
        .map(|s| match reason_method(s) {
            Some(name) => format!("`Then::{name}()`"),
            None => format!("`Then` method for {s}"),
        })
        .collect();
    names.join(", ")
}

fn reason_method(status: &str) -> Option<&'static str> {
    Some(match status {
        "200" => "ok",
        "201" => "created",
        "202" => "accepted",
        "204" => "no_content",
        "400" => "bad_request",
        "401" => "unauthorized",
        "403" => "forbidden",
        "404" => "not_found",
        "409" => "conflict",
        "410" => "gone",
        "422" => "unprocessable_entity",
        "429" => "too_many_requests",
        "500" => "internal_server_error",
        "502" => "bad_gateway",
        "503" => "service_unavailable",
        _ => return None,
    })
}
