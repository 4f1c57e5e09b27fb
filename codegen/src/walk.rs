//! Small helpers to walk the document as a JSON tree.

use serde_json::Value;

use crate::error::{Location, escape_pointer, push_index, push_segment, unescape_pointer};

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation as (path, method, operation object), in document order.
pub fn operations(root: &Value) -> Vec<(&str, &'static str, &Value)> {
    let mut out = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push((path.as_str(), method, operation));
            }
        }
    }
    out
}

/// The webhooks of `x-webhooks` as (event type, path item), in document order. OpenAPI 3.0 has
/// no `webhooks` section; the extension (as Redocly reads it) maps each event type careCycle
/// delivers to a path item whose `post` describes the delivery.
pub fn webhooks(root: &Value) -> Vec<(&str, &Value)> {
    root.get(WEBHOOKS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(event_type, item)| (event_type.as_str(), item))
        .collect()
}

/// The document's webhook extension.
pub const WEBHOOKS: &str = "x-webhooks";

/// The component schema a webhook delivers: the name in its `post` body's
/// `$ref: '#/components/schemas/Name'`.
pub fn webhook_schema(item: &Value) -> Option<&str> {
    item.pointer("/post/requestBody/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// The parameters that apply to an operation, resolved: its path item's, then its own; an
/// operation's parameter replaces the path item's of the same name and place.
pub fn parameters<'a>(root: &'a Value, path: &str, operation: &'a Value) -> Vec<&'a Value> {
    located_parameters(root, path, operation, "")
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

/// [`parameters`], each with the JSON pointer of the place that lists it (under
/// `operation_pointer` for the operation's own).
pub fn located_parameters<'a>(
    root: &'a Value,
    path: &str,
    operation: &'a Value,
    operation_pointer: &str,
) -> Vec<(String, &'a Value)> {
    let item_pointer = format!("/paths/{}/parameters", escape_pointer(path));
    let lists = [
        (item_pointer.clone(), root.pointer(&item_pointer)),
        (
            format!("{operation_pointer}/parameters"),
            operation.get("parameters"),
        ),
    ];
    let mut out: Vec<(String, &Value)> = Vec::new();
    for (list_pointer, list) in lists {
        for (index, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(parameter) = resolve(root, parameter) else {
                continue;
            };
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            let located = (format!("{list_pointer}/{index}"), parameter);
            match out.iter_mut().find(|(_, seen)| key(seen) == key(parameter)) {
                Some(seen) => *seen = located,
                None => out.push(located),
            }
        }
    }
    out
}

/// Follows a local `$ref` (once per level) until it reaches a value that is not a reference.
pub fn resolve<'a>(root: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => value = root.pointer(target.strip_prefix('#')?)?,
            None => return Some(value),
        }
    }
    None
}

/// Calls `f(pointer, target)` for every `$ref` in the tree.
pub fn each_ref(root: &Value, f: &mut dyn FnMut(&str, &str)) {
    fn go(value: &Value, pointer: &mut String, f: &mut dyn FnMut(&str, &str)) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    f(pointer, target);
                }
                for (key, child) in map {
                    let len = pointer.len();
                    push_segment(pointer, key);
                    go(child, pointer, f);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, index);
                    go(child, pointer, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    go(root, &mut String::new(), f);
}

/// The location of a pointer, naming the operation when the pointer is inside one.
pub fn location_of(pointer: &str) -> Location {
    let segments: Vec<&str> = pointer.split('/').collect();
    if let ["", "paths", path, method, ..] = segments.as_slice()
        && METHODS.contains(method)
    {
        return Location::in_operation(method, &unescape_pointer(path), pointer);
    }
    Location::pointer(pointer)
}

/// What a place in the document holds, and so what a `$ref` there must point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
}

impl Kind {
    /// The `components` section that holds reusable objects of this kind.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
        }
    }
}

/// Calls `f(pointer, value, kind)` for every parameter, request body, response, header and
/// schema of the document, each where it is written (a `$ref` is reported, not followed).
/// Schemas are visited with their subschemas (properties, items, compositions, `not`).
pub fn each_place(root: &Value, f: &mut dyn FnMut(&str, &Value, Kind)) {
    for (section, kind) in [
        ("schemas", Kind::Schema),
        ("parameters", Kind::Parameter),
        ("requestBodies", Kind::RequestBody),
        ("responses", Kind::Response),
        ("headers", Kind::Header),
    ] {
        for (name, value) in root
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            place(
                &format!("/components/{section}/{}", escape_pointer(name)),
                value,
                kind,
                f,
            );
        }
    }
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        each_item(
            &format!("{item_pointer}/parameters"),
            item.get("parameters"),
            Kind::Parameter,
            f,
        );
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let pointer = format!("{item_pointer}/{method}");
            each_item(
                &format!("{pointer}/parameters"),
                operation.get("parameters"),
                Kind::Parameter,
                f,
            );
            if let Some(body) = operation.get("requestBody") {
                place(
                    &format!("{pointer}/requestBody"),
                    body,
                    Kind::RequestBody,
                    f,
                );
            }
            each_entry(
                &format!("{pointer}/responses"),
                operation.get("responses"),
                Kind::Response,
                f,
            );
        }
    }
}

fn each_item(
    pointer: &str,
    list: Option<&Value>,
    kind: Kind,
    f: &mut dyn FnMut(&str, &Value, Kind),
) {
    for (index, value) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        place(&format!("{pointer}/{index}"), value, kind, f);
    }
}

fn each_entry(
    pointer: &str,
    map: Option<&Value>,
    kind: Kind,
    f: &mut dyn FnMut(&str, &Value, Kind),
) {
    for (key, value) in map.and_then(Value::as_object).into_iter().flatten() {
        place(
            &format!("{pointer}/{}", escape_pointer(key)),
            value,
            kind,
            f,
        );
    }
}

fn place(pointer: &str, value: &Value, kind: Kind, f: &mut dyn FnMut(&str, &Value, Kind)) {
    f(pointer, value, kind);
    if value.get("$ref").is_some() || !value.is_object() {
        return;
    }
    let content = |f: &mut dyn FnMut(&str, &Value, Kind)| {
        for (media, entry) in value
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(schema) = entry.get("schema") {
                place(
                    &format!("{pointer}/content/{}/schema", escape_pointer(media)),
                    schema,
                    Kind::Schema,
                    f,
                );
            }
        }
    };
    match kind {
        Kind::Parameter | Kind::Header => {
            if let Some(schema) = value.get("schema") {
                place(&format!("{pointer}/schema"), schema, Kind::Schema, f);
            }
            content(f);
        }
        Kind::RequestBody => content(f),
        Kind::Response => {
            content(f);
            each_entry(
                &format!("{pointer}/headers"),
                value.get("headers"),
                Kind::Header,
                f,
            );
        }
        Kind::Schema => {
            each_entry(
                &format!("{pointer}/properties"),
                value.get("properties"),
                Kind::Schema,
                f,
            );
            for key in ["allOf", "oneOf", "anyOf"] {
                each_item(&format!("{pointer}/{key}"), value.get(key), Kind::Schema, f);
            }
            for key in ["items", "not", "additionalProperties"] {
                if let Some(child) = value.get(key).filter(|c| c.is_object()) {
                    place(&format!("{pointer}/{key}"), child, Kind::Schema, f);
                }
            }
        }
    }
}

/// Every place reachable from `roots` (pointers) through `$ref`s, as the set of `$ref`
/// targets met. Each target is followed once, so cycles end.
pub fn reachable_targets(root: &Value, roots: &[String]) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut pending: Vec<&Value> = roots.iter().filter_map(|p| root.pointer(p)).collect();
    while let Some(value) = pending.pop() {
        each_ref(value, &mut |_, target| {
            if seen.insert(target.to_owned())
                && let Some(found) = target.strip_prefix('#').and_then(|t| root.pointer(t))
            {
                pending.push(found);
            }
        });
    }
    seen
}

/// Whether a media type is JSON: `application/json` or `application/*+json`, with any
/// parameters (`application/json; charset=utf-8`).
pub fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A success body the client reads as it is, not as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawMedia {
    /// `text/plain`: a `String` (the body must be UTF-8).
    Text,
    /// `application/octet-stream`: the bytes.
    Bytes,
}

impl RawMedia {
    /// The media type the client asks for (`Accept`) and a mock answers with.
    pub fn media_type(self) -> &'static str {
        match self {
            RawMedia::Text => "text/plain; charset=utf-8",
            RawMedia::Bytes => "application/octet-stream",
        }
    }
}

/// Which raw body a media type is: `text/plain` (without a charset, or with UTF-8 or US-ASCII,
/// which is UTF-8 too) or `application/octet-stream`.
pub fn raw_media(media: &str) -> Option<RawMedia> {
    let mut parts = media.split(';').map(|p| p.trim().to_ascii_lowercase());
    let essence = parts.next().unwrap_or_default();
    let charset_is_utf8 = parts
        .filter_map(|p| {
            p.strip_prefix("charset=")
                .map(|c| c.trim_matches('"').to_owned())
        })
        .all(|charset| matches!(charset.as_str(), "utf-8" | "utf8" | "us-ascii"));
    match essence.as_str() {
        "text/plain" if charset_is_utf8 => Some(RawMedia::Text),
        "application/octet-stream" => Some(RawMedia::Bytes),
        _ => None,
    }
}

/// The raw body a response without a JSON entry offers: text when it has a text entry, else
/// bytes.
pub fn raw_body(response: &Value) -> Option<RawMedia> {
    let kinds: Vec<RawMedia> = response
        .get("content")?
        .as_object()?
        .keys()
        .filter_map(|m| raw_media(m))
        .collect();
    kinds
        .iter()
        .find(|k| **k == RawMedia::Text)
        .or(kinds.first())
        .copied()
}

/// The raw body of an operation's success responses (2xx), when they have one and no JSON.
pub fn raw_success(root: &Value, operation: &Value) -> Option<RawMedia> {
    operation
        .get("responses")?
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .map(|(_, response)| resolve(root, response).unwrap_or(response))
        .filter(|response| json_media_key(response).is_none())
        .find_map(raw_body)
}

/// The key of the JSON entry of a request body's or response's `content`, if it has one.
pub fn json_media_key(holder: &Value) -> Option<&str> {
    let content = holder.get("content")?.as_object()?;
    if content.contains_key("application/json") {
        return Some("application/json");
    }
    content
        .keys()
        .map(String::as_str)
        .find(|media| is_json_media(media))
}

/// The schema of the JSON entry of a request body's or response's `content`.
pub fn json_schema(holder: &Value) -> Option<&Value> {
    holder
        .get("content")?
        .get(json_media_key(holder)?)?
        .get("schema")
}
