//! Step 2: the curation lint. What every operation of the curated document must have so that
//! the generated client is documented, authenticated and complete, and the constructs the
//! generator cannot take, reported before they reach it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Location, Problem, escape_pointer};
use crate::{constructs, refs, walk};

/// The error statuses every operation documents (see openapi/README.md for why these).
pub const ERROR_STATUSES: [&str; 7] = ["400", "401", "403", "404", "422", "429", "500"];

/// Runs every rule; an empty list means the document is fit for generation.
pub fn lint(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let declared_tags: BTreeSet<&str> = root
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .collect();
    let schemes: BTreeSet<&str> = root
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    let global_security = root.get("security");
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if item.get("$ref").is_some() {
            problems.push(Problem::new(
                Location::pointer(format!("/paths/{}", escape_pointer(path))),
                "a path item given by `$ref` is not supported; write the operations under the path",
            ));
        }
    }
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();

    for (path, method, operation) in walk::operations(root) {
        let pointer = format!("/paths/{}/{method}", escape_pointer(path));
        let mut report = |suffix: &str, message: String| {
            problems.push(Problem::new(
                Location::in_operation(method, path, format!("{pointer}{suffix}")),
                message,
            ));
        };

        match operation.get("operationId").and_then(Value::as_str) {
            None => report(
                "",
                "has no operationId; the client method is named after it".into(),
            ),
            Some(id) if !is_lower_camel(id) => report(
                "/operationId",
                format!(
                    "operationId `{id}` is not lowerCamelCase (letters and digits, first a lowercase letter)"
                ),
            ),
            Some(id) => {
                if let Some(first) =
                    operation_ids.insert(id, format!("{} {path}", method.to_uppercase()))
                {
                    report(
                        "/operationId",
                        format!("operationId `{id}` is already used by {first}"),
                    );
                }
            }
        }
        for field in ["summary", "description"] {
            if operation
                .get(field)
                .and_then(Value::as_str)
                .is_none_or(|s| s.trim().is_empty())
            {
                report(
                    "",
                    format!("has no {field}; the generated docs show it to users"),
                );
            }
        }
        match operation.get("tags").and_then(Value::as_array) {
            Some(tags) if !tags.is_empty() => {
                for tag in tags.iter().filter_map(Value::as_str) {
                    if !declared_tags.contains(tag) {
                        report(
                            "/tags",
                            format!("tag `{tag}` is not declared in the top-level `tags`"),
                        );
                    }
                }
            }
            _ => report(
                "",
                "has no tag; every operation belongs to a resource tag".into(),
            ),
        }
        if operation
            .pointer("/externalDocs/url")
            .and_then(Value::as_str)
            .is_none()
        {
            report(
                "",
                "has no externalDocs.url naming the reference page it was curated from".into(),
            );
        }
        let security = operation.get("security").or(global_security);
        match security.and_then(Value::as_array) {
            Some(requirements) if !requirements.is_empty() => {
                for requirement in requirements.iter().filter_map(Value::as_object) {
                    for name in requirement.keys() {
                        if !schemes.contains(name.as_str()) {
                            report(
                                "/security",
                                format!(
                                    "security scheme `{name}` is not declared in components.securitySchemes"
                                ),
                            );
                        }
                    }
                }
            }
            _ => report(
                "",
                "has no security requirement; every careCycle operation needs the API key".into(),
            ),
        }
        for parameter in walk::parameters(root, path, operation) {
            let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
            if !matches!(place, "path" | "query" | "header") {
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                report(
                    "/parameters",
                    format!(
                        "parameter `{name}` is in `{place}`; the client supports path, query and header parameters"
                    ),
                );
            }
        }
        lint_responses(root, operation, &mut report);
        if let Some(body) = operation.get("requestBody") {
            let body = walk::resolve(root, body).unwrap_or(body);
            if walk::json_media_key(body).is_none() {
                report(
                    "/requestBody",
                    format!(
                        "request body is {}; the client sends JSON bodies only",
                        media_types(body)
                    ),
                );
            }
            if is_update(method)
                && walk::json_schema(body)
                    .and_then(|s| s.get("$ref"))
                    .is_none()
            {
                report(
                    "/requestBody",
                    format!(
                        "a {} body must be a $ref to a component schema, so that its fields can clear values",
                        method.to_uppercase()
                    ),
                );
            }
        }
    }
    problems.extend(lint_schemas(root));
    problems.extend(refs::inclusion_cycles(root));
    problems.extend(constructs::problems(root));
    problems.extend(lint_webhooks(root));
    problems
}

/// Each `x-webhooks` entry becomes a variant of `WebhookEvent`, decoded by its `event_type`.
fn lint_webhooks(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    match root.get(walk::WEBHOOKS) {
        None => return problems,
        Some(Value::Object(_)) => {}
        Some(_) => {
            problems.push(Problem::new(
                Location::pointer(format!("/{}", walk::WEBHOOKS)),
                "x-webhooks must map event types to path items",
            ));
            return problems;
        }
    }
    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
    for (event_type, item) in walk::webhooks(root) {
        let pointer = format!("/{}/{}", walk::WEBHOOKS, escape_pointer(event_type));
        let mut report = |suffix: &str, message: String| {
            problems.push(Problem::new(
                Location::pointer(format!("{pointer}{suffix}")),
                message,
            ));
        };
        let variant = variant_name(event_type);
        let well_formed = !event_type.is_empty()
            && event_type
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            && variant.starts_with(|c: char| c.is_ascii_uppercase());
        if !well_formed {
            report(
                "",
                format!(
                    "event type `{event_type}` is not dot-separated words of letters, digits and `_` starting with a letter"
                ),
            );
        } else if variant == "Unrecognized" {
            report(
                "",
                format!(
                    "event type `{event_type}` becomes the variant `Unrecognized`, which the client reserves for event types it does not know"
                ),
            );
        } else if let Some(first) = variants.insert(variant.clone(), event_type) {
            report(
                "",
                format!(
                    "event types `{first}` and `{event_type}` both become the Rust variant `{variant}`"
                ),
            );
        }
        let Some(post) = item.get("post") else {
            report(
                "",
                "has no `post`; careCycle delivers events as POST requests".into(),
            );
            continue;
        };
        for method in walk::METHODS
            .iter()
            .filter(|m| **m != "post" && item.get(**m).is_some())
        {
            report(
                &format!("/{method}"),
                format!("a webhook is delivered by POST only; `{method}` is not read"),
            );
        }
        for field in ["summary", "description"] {
            if post
                .get(field)
                .and_then(Value::as_str)
                .is_none_or(|s| s.trim().is_empty())
            {
                report(
                    "/post",
                    format!("has no {field}; the generated docs show it to users"),
                );
            }
        }
        if post
            .pointer("/externalDocs/url")
            .and_then(Value::as_str)
            .is_none()
        {
            report(
                "/post",
                "has no externalDocs.url naming the reference page it was curated from".into(),
            );
        }
        let Some(schema) = walk::webhook_schema(item) else {
            report(
                "/post/requestBody",
                "the payload must be an application/json body that is a $ref to a component schema"
                    .into(),
            );
            continue;
        };
        let requires_event_type = root
            .pointer(&format!(
                "/components/schemas/{}/required",
                escape_pointer(schema)
            ))
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|r| r == "event_type"));
        if !requires_event_type {
            report(
                "/post/requestBody",
                format!(
                    "payload schema `{schema}` does not require `event_type`, by which events are told apart"
                ),
            );
        }
    }
    problems
}

fn lint_responses(root: &Value, operation: &Value, report: &mut dyn FnMut(&str, String)) {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        report("", "has no responses".into());
        return;
    };
    for status in ERROR_STATUSES {
        if !responses.contains_key(status) {
            report(
                "/responses",
                format!("does not document the {status} error response"),
            );
        }
    }
    // What each success status holds: a JSON schema, a raw body (text or bytes), or nothing.
    let mut success_schemas = BTreeMap::new();
    let mut raw = BTreeMap::new();
    let mut bodiless = Vec::new();
    let mut unreadable = false;
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let response = walk::resolve(root, response).unwrap_or(response);
        let pointer = format!("/responses/{}", escape_pointer(status));
        match (walk::json_media_key(response), walk::json_schema(response)) {
            (Some(_), Some(schema)) => {
                success_schemas.insert(status.clone(), schema.clone());
            }
            (Some(media), None) => {
                unreadable = true;
                report(
                    &pointer,
                    format!(
                        "success body `{media}` has no schema; give it one, or drop `content` if there is no body"
                    ),
                );
            }
            (None, _) if response.get("content").is_some() => match walk::raw_body(response) {
                Some(kind) => {
                    raw.insert(status.clone(), kind);
                }
                None => {
                    unreadable = true;
                    report(
                        &pointer,
                        format!(
                            "success body is {}; the client reads JSON, `text/plain` (UTF-8) and `application/octet-stream` success bodies",
                            media_types(response)
                        ),
                    );
                }
            },
            (None, _) => bodiless.push(status.clone()),
        }
    }
    if success_schemas.is_empty() && raw.is_empty() && bodiless.is_empty() && !unreadable {
        report("/responses", "documents no success (2xx) response".into());
    }
    let kinds = [
        !success_schemas.is_empty(),
        raw.values().any(|k| *k == walk::RawMedia::Text),
        raw.values().any(|k| *k == walk::RawMedia::Bytes),
        !bodiless.is_empty(),
    ];
    if !raw.is_empty() && kinds.iter().filter(|k| **k).count() > 1 {
        let described = |status: &String| {
            let what = match raw.get(status) {
                Some(walk::RawMedia::Text) => "text",
                Some(walk::RawMedia::Bytes) => "bytes",
                None if bodiless.contains(status) => "no body",
                None => "JSON",
            };
            format!("{status} ({what})")
        };
        let statuses: Vec<String> = success_schemas
            .keys()
            .chain(raw.keys())
            .chain(bodiless.iter())
            .map(described)
            .collect();
        report(
            "/responses",
            format!(
                "success statuses {} read different kinds of body; the client needs one success type",
                statuses.join(", ")
            ),
        );
        return;
    }
    if !success_schemas.is_empty() && !bodiless.is_empty() {
        report(
            "/responses",
            format!(
                "success statuses {} have a body but {} has none; the client needs one success type",
                join(success_schemas.keys()),
                join(bodiless.iter())
            ),
        );
    }
    let distinct: BTreeSet<String> = success_schemas.values().map(Value::to_string).collect();
    if distinct.len() > 1 {
        report(
            "/responses",
            format!(
                "success statuses {} have different body schemas; the client needs one success type",
                join(success_schemas.keys())
            ),
        );
    }
}

fn lint_schemas(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return problems;
    };
    for (name, schema) in schemas {
        let pointer = format!("/components/schemas/{}", escape_pointer(name));
        if !is_upper_camel(name) {
            problems.push(Problem::new(
                Location::pointer(&pointer),
                format!("schema name `{name}` is not UpperCamelCase; it names a Rust type"),
            ));
        }
        enum_collisions(schema, &pointer, &mut problems);
        null_in_enums(root, schema, &pointer, &mut problems);
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (property, child) in properties {
                let child_pointer = format!("{pointer}/properties/{}", escape_pointer(property));
                enum_collisions(child, &child_pointer, &mut problems);
                null_in_enums(root, child, &child_pointer, &mut problems);
                if let Some(items) = child.get("items") {
                    null_in_enums(
                        root,
                        items,
                        &format!("{child_pointer}/items"),
                        &mut problems,
                    );
                }
                nested_personal_data(child, &child_pointer, &mut problems);
            }
        }
    }
    problems
}

/// Two enum values that become the same Rust variant name would not compile.
fn enum_collisions(schema: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        return;
    };
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for value in values.iter().filter_map(Value::as_str) {
        let variant = variant_name(value);
        if variant == "Unrecognized" {
            problems.push(Problem::new(
                Location::pointer(format!("{pointer}/enum")),
                format!("enum value `{value}` becomes the variant `Unrecognized`, which the client reserves for values it does not know"),
            ));
        }
        if let Some(first) = seen.insert(variant.clone(), value) {
            problems.push(Problem::new(
                Location::pointer(format!("{pointer}/enum")),
                format!(
                    "enum values `{first}` and `{value}` both become the Rust variant `{variant}`"
                ),
            ));
        }
    }
}

/// In OpenAPI 3.0.3 an enum admits `null` only when `null` is among its values, and `nullable`
/// reaches no subschema: `{nullable: true, allOf: [$ref to an enum]}` refuses `null`.
fn null_in_enums(root: &Value, schema: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    let lists_null = |s: &Value| {
        s.get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().any(Value::is_null))
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    match lists_null(schema) {
        Some(false) if nullable => problems.push(Problem::new(
            Location::pointer(format!("{pointer}/enum")),
            "a nullable enum must list `null` among its values, or `null` is refused",
        )),
        Some(true) if !nullable => problems.push(Problem::new(
            Location::pointer(format!("{pointer}/enum")),
            "an enum that lists `null` needs `nullable: true` next to its `type`",
        )),
        _ => {}
    }
    if !nullable {
        return;
    }
    for (index, member) in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if walk::resolve(root, member).and_then(lists_null) == Some(false) {
            problems.push(Problem::new(
                Location::pointer(format!("{pointer}/allOf/{index}")),
                "`nullable` does not reach an `allOf` member, and this enum has no `null`, so `null` is refused; \
                 make the enum component nullable (`nullable: true`, `null` among its values) and reference it directly",
            ));
        }
    }
}

/// Personal-data marks are honoured on properties of component schemas; deeper inline objects
/// would be named by the generator, so the mark must move to a component of its own.
fn nested_personal_data(schema: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    let object = schema.get("items").unwrap_or(schema);
    if let Some(properties) = object.get("properties").and_then(Value::as_object)
        && properties
            .values()
            .any(|p| p.get("x-personal-data") == Some(&Value::Bool(true)))
    {
        problems.push(Problem::new(
            Location::pointer(pointer),
            "an inline object has x-personal-data properties; make it a component schema so that its Debug output can be redacted",
        ));
    }
}

/// The Rust variant name of an enum value, as the generator forms it: words split on
/// anything not alphanumeric and on lower-to-upper case changes, each capitalised.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    let mut new_word = true;
    let mut previous_lower = false;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            new_word = true;
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            new_word = true;
        }
        if new_word {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        new_word = false;
        previous_lower = c.is_lowercase() || c.is_numeric();
    }
    out
}

/// PATCH and PUT bodies change a resource: their nullable fields can be cleared.
pub(crate) fn is_update(method: &str) -> bool {
    matches!(method, "patch" | "put")
}

fn is_lower_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_upper_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The media types of a body's `content`, for messages.
fn media_types(holder: &Value) -> String {
    let types: Vec<String> = holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(m, _)| format!("`{m}`"))
        .collect();
    if types.is_empty() {
        "without a media type".to_owned()
    } else {
        types.join(", ")
    }
}

fn join<'a>(items: impl Iterator<Item = &'a String>) -> String {
    items.map(String::as_str).collect::<Vec<_>>().join(", ")
}
