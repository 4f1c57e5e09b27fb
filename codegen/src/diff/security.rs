//! Compares what an operation needs to authenticate: its security requirements and the
//! schemes they name. The runtime sends the API key itself, so every change here is one the
//! hand-written runtime must follow.

use std::collections::BTreeSet;

use serde_json::Value;

use super::collect::Collector;
use super::operations::Op;
use crate::error::escape_pointer;

/// The alternatives an operation accepts, each a set of scheme names (scopes left out).
fn requirements(root: &Value, op: &Op) -> BTreeSet<BTreeSet<String>> {
    op.value
        .get("security")
        .or_else(|| root.get("security"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|alternative| alternative.keys().cloned().collect())
        .filter(|alternative: &BTreeSet<String>| !alternative.is_empty())
        .collect()
}

/// Whether one alternative is met by what the runtime sends: the API key in the `x-api-key`
/// header, and nothing else.
fn accepts_the_key(root: &Value, requirements: &BTreeSet<BTreeSet<String>>) -> bool {
    requirements.iter().any(|alternative| {
        alternative.iter().all(|name| {
            let scheme = root.pointer(&format!(
                "/components/securitySchemes/{}",
                escape_pointer(name)
            ));
            scheme.is_some_and(|s| {
                s.get("type").and_then(Value::as_str) == Some("apiKey")
                    && s.get("in").and_then(Value::as_str) == Some("header")
                    && s.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("x-api-key"))
            })
        })
    })
}

fn show(requirements: &BTreeSet<BTreeSet<String>>) -> String {
    requirements
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

pub fn compare(d: &mut Collector, old_root: &Value, new_root: &Value, before: Op, after: Op) {
    let old_requirements = requirements(old_root, &before);
    let new_requirements = requirements(new_root, &after);
    let pointer = if after.value.get("security").is_some() {
        format!("{}/security", after.pointer())
    } else {
        "/security".to_owned()
    };
    let label = after.label();
    if old_requirements != new_requirements {
        let (id, message) = match (old_requirements.is_empty(), new_requirements.is_empty()) {
            (true, _) => (
                "security-requirement-added",
                format!("`{label}` now requires {}.", show(&new_requirements)),
            ),
            (_, true) => (
                "security-requirement-removed",
                format!("`{label}` no longer requires {}.", show(&old_requirements)),
            ),
            _ if accepts_the_key(old_root, &old_requirements)
                && accepts_the_key(new_root, &new_requirements) =>
            {
                (
                    "security-alternatives-changed",
                    format!(
                        "`{label}` now accepts {} instead of {}; the API key is still one of them.",
                        show(&new_requirements),
                        show(&old_requirements)
                    ),
                )
            }
            _ => (
                "security-requirement-changed",
                format!(
                    "`{label}` now requires {} instead of {}.",
                    show(&new_requirements),
                    show(&old_requirements)
                ),
            ),
        };
        d.emit(id, &pointer, message, String::new());
    }
    let old_names: BTreeSet<&String> = old_requirements.iter().flatten().collect();
    for name in new_requirements
        .iter()
        .flatten()
        .filter(|n| old_names.contains(n))
    {
        let scheme_pointer = format!("/components/securitySchemes/{}", escape_pointer(name));
        let (Some(a), Some(b)) = (
            old_root.pointer(&scheme_pointer),
            new_root.pointer(&scheme_pointer),
        ) else {
            continue;
        };
        let mut differences = Vec::new();
        for key in [
            "type",
            "in",
            "name",
            "scheme",
            "bearerFormat",
            "flows",
            "openIdConnectUrl",
        ] {
            if a.get(key) != b.get(key) {
                differences.push(format!(
                    "{key} {} → {}",
                    show_value(a.get(key)),
                    show_value(b.get(key))
                ));
            }
        }
        if !differences.is_empty() {
            d.emit(
                "security-scheme-changed",
                &scheme_pointer,
                format!(
                    "Security scheme `{name}` changed: {}.",
                    differences.join(", ")
                ),
                String::new(),
            );
        }
        if a.get("description") != b.get("description") {
            d.emit(
                "description-changed",
                &format!("{scheme_pointer}/description"),
                format!("The description of security scheme `{name}` changed."),
                String::new(),
            );
        }
    }
}

fn show_value(value: Option<&Value>) -> String {
    match value {
        None => "none".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}
