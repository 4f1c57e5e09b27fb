//! The document's API surface as text, one line per operation, parameter, body, response and
//! schema field. Its insta snapshot (tests/snapshots) reads as a changelog when it changes.
//!
//! Lines are sorted and self-contained, so that every line of a diff says which operation or
//! field changed and how.

use serde_json::Value;

use crate::walk;

/// The standard careCycle UUID pattern, abbreviated to `uuid` in the summary.
const UUID_PATTERN: &str = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";

/// The summary of a (loaded) document.
pub fn summary(root: &Value) -> String {
    let mut lines = Vec::new();
    let global_security = root.get("security");
    for (path, method, operation) in walk::operations(root) {
        let op = format!("{} {path}", method.to_uppercase());
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let tags = strings(operation.get("tags")).join(", ");
        let security = operation
            .get("security")
            .or(global_security)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|r| r.keys().cloned())
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!(
            "{op}: operation {id}, tags [{tags}], security [{security}]"
        ));
        for parameter in walk::parameters(root, path, operation) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
            let required = if parameter.get("required") == Some(&Value::Bool(true)) {
                "required"
            } else {
                "optional"
            };
            let schema = parameter.get("schema").unwrap_or(&Value::Null);
            let setter = crate::constructs::parameter_setter(name);
            let renamed = if setter == crate::constructs::rust_name(name) {
                String::new()
            } else {
                format!(", builder method {setter}")
            };
            lines.push(format!(
                "{op}: {place} parameter {name}: {}, {required}{renamed}",
                describe(root, schema)
            ));
        }
        if let Some(body) = operation
            .get("requestBody")
            .and_then(|b| walk::resolve(root, b))
        {
            let required = if body.get("required") == Some(&Value::Bool(true)) {
                "required"
            } else {
                "optional"
            };
            for (media, content) in body
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let schema = content.get("schema").unwrap_or(&Value::Null);
                lines.push(format!(
                    "{op}: request body {media}: {}, {required}",
                    describe(root, schema)
                ));
            }
        }
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let response = walk::resolve(root, response).unwrap_or(response);
            let bodies: Vec<String> = response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(media, c)| {
                    format!(
                        "{media} {}",
                        describe(root, c.get("schema").unwrap_or(&Value::Null))
                    )
                })
                .collect();
            let body = if bodies.is_empty() {
                "no body".to_owned()
            } else {
                bodies.join("; ")
            };
            lines.push(format!("{op}: response {status}: {body}"));
        }
    }
    for (event_type, item) in walk::webhooks(root) {
        let payload = item
            .pointer("/post/requestBody/content/application~1json/schema")
            .map_or_else(
                || "no payload".to_owned(),
                |schema| format!("payload application/json {}", describe(root, schema)),
            );
        lines.push(format!("webhook {event_type}: {payload}"));
    }
    for (name, schema) in root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_lines(root, name, schema, &mut lines);
    }
    lines.sort();
    lines.dedup();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Lines for a schema's own shape and each of its fields, inline objects included.
fn schema_lines(root: &Value, name: &str, schema: &Value, lines: &mut Vec<String>) {
    let properties = schema.get("properties").and_then(Value::as_object);
    if properties.is_none() {
        lines.push(format!("schema {name}: {}", describe(root, schema)));
    } else if let Some(extra) = schema
        .get("additionalProperties")
        .filter(|a| *a != &Value::Bool(false))
    {
        let personal = if extra.get("x-personal-data") == Some(&Value::Bool(true)) {
            ", personal data"
        } else {
            ""
        };
        lines.push(format!(
            "schema {name}: other properties kept as raw JSON{personal}"
        ));
    }
    let required = strings(schema.get("required"));
    for (field, property) in properties.into_iter().flatten() {
        let needed = if required.contains(field) {
            "required"
        } else {
            "optional"
        };
        let personal = if property.get("x-personal-data") == Some(&Value::Bool(true)) {
            ", personal data"
        } else {
            ""
        };
        lines.push(format!(
            "schema {name}.{field}: {}, {needed}{personal}",
            describe(root, property)
        ));
        let inner = property.get("items").unwrap_or(property);
        if inner.get("properties").is_some() {
            let suffix = if property.get("items").is_some() {
                "[]"
            } else {
                ""
            };
            schema_lines(root, &format!("{name}.{field}{suffix}"), inner, lines);
        }
    }
}

/// A schema in a few words: type, format, nullability, limits, enum values. A reference names
/// its target, and says "nullable" when the target is (the field's Rust type is an `Option`).
fn describe(root: &Value, schema: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        parts.push(target.rsplit('/').next().unwrap_or(target).to_owned());
    } else if let Some([one]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        parts.push(describe(root, one));
    } else {
        let ty = schema.get("type").and_then(Value::as_str);
        let format = schema.get("format").and_then(Value::as_str);
        parts.push(match (ty, format) {
            (Some("array"), _) => format!(
                "array of {}",
                describe(root, schema.get("items").unwrap_or(&Value::Null))
            ),
            (Some(ty), Some(format)) => format!("{ty} ({format})"),
            (Some(ty), None) => ty.to_owned(),
            (None, _) if schema.is_null() => "nothing".to_owned(),
            (None, _) => "any JSON value".to_owned(),
        });
    }
    let target = walk::resolve(root, schema).unwrap_or(schema);
    let said = parts
        .iter()
        .any(|part| part.split(", ").any(|word| word == "nullable"));
    if !said
        && [schema, target]
            .iter()
            .any(|s| s.get("nullable") == Some(&Value::Bool(true)))
    {
        parts.push("nullable".into());
    }
    for key in [
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "default",
    ] {
        if let Some(value) = schema.get(key) {
            parts.push(format!("{key} {value}"));
        }
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        parts.push(if pattern == UUID_PATTERN {
            "pattern uuid".into()
        } else {
            format!("pattern {pattern}")
        });
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        parts.push(format!("one of [{}]", values.join(" | ")));
    }
    if schema
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false))
    {
        parts.push("extra properties kept".into());
    }
    parts.join(", ")
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_field_line_says_type_limits_nullability_and_requiredness() {
        let document = json!({
            "paths": {"/v2/things/{id}": {"patch": {
                "operationId": "updateThing", "tags": ["Things"], "security": [{"ApiKey": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid", "pattern": UUID_PATTERN}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}, "204": {"description": "none"}}
            }}},
            "components": {"schemas": {
                "Thing": {"type": "object", "required": ["kind"], "additionalProperties": {"x-personal-data": true}, "properties": {
                    "name": {"type": "string", "nullable": true, "maxLength": 50, "x-personal-data": true},
                    "kind": {"$ref": "#/components/schemas/Kind"}
                }},
                "Kind": {"type": "string", "enum": ["a", "b"]}
            }}
        });
        assert_eq!(
            summary(&document),
            "PATCH /v2/things/{id}: operation updateThing, tags [Things], security [ApiKey]\n\
             PATCH /v2/things/{id}: path parameter id: string (uuid), pattern uuid, required\n\
             PATCH /v2/things/{id}: request body application/json: Thing, required\n\
             PATCH /v2/things/{id}: response 200: application/json Thing\n\
             PATCH /v2/things/{id}: response 204: no body\n\
             schema Kind: string, one of [a | b]\n\
             schema Thing.kind: Kind, required\n\
             schema Thing.name: string, nullable, maxLength 50, optional, personal data\n\
             schema Thing: other properties kept as raw JSON, personal data\n"
        );
    }

    #[test]
    fn a_field_referring_to_a_nullable_schema_says_nullable_once() {
        let document = json!({"components": {"schemas": {
            "Thing": {"type": "object", "properties": {
                "shade": {"$ref": "#/components/schemas/Shade"},
                "wrapped": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Shade"}]},
                "kind": {"$ref": "#/components/schemas/Kind"}
            }},
            "Shade": {"type": "string", "nullable": true, "enum": ["dark", null]},
            "Kind": {"type": "string", "enum": ["a"]}
        }}});
        let summary = summary(&document);
        assert!(
            summary.contains("schema Thing.shade: Shade, nullable, optional\n"),
            "{summary}"
        );
        assert!(
            summary.contains("schema Thing.wrapped: Shade, nullable, optional\n"),
            "{summary}"
        );
        assert!(
            summary.contains("schema Thing.kind: Kind, optional\n"),
            "{summary}"
        );
    }
}
