//! Constructs that are valid OpenAPI but that the generator cannot turn into Rust that
//! compiles, refused before it runs, each at its JSON pointer: unknown types, patterns that
//! are not regular expressions, enum values of the wrong type, names that become the same
//! Rust identifier, parameters the client cannot send, odd status keys, and text the Rust
//! compiler refuses.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Problem, escape_pointer, push_index, push_segment};
use crate::walk::{self, Kind};

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

pub fn problems(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |pointer: &str, message: String| {
        problems.push(Problem::new(walk::location_of(pointer), message))
    };
    let merged = merged_components(root);
    walk::each_place(root, &mut |pointer, value, kind| {
        if kind == Kind::Schema && value.get("$ref").is_none() {
            schema(
                pointer,
                value,
                merged.contains(pointer) || pointer.contains("/allOf/"),
                &mut report,
            );
        }
    });
    for (path, method, operation) in walk::operations(root) {
        let pointer = format!("/paths/{}/{method}", escape_pointer(path));
        parameters(root, path, operation, &pointer, &mut report);
        for status in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(s, _)| s)
        {
            if !is_status_key(status) {
                report(
                    &format!("{pointer}/responses/{}", escape_pointer(status)),
                    format!(
                        "`{status}` is not a response status: use a code from 100 to 599, a range such as `4XX`, or `default`"
                    ),
                );
            }
        }
    }
    text(root, &mut String::new(), &mut report);
    problems
}

/// Pointers of the component schemas that some `allOf` merges into another schema.
fn merged_components(root: &Value) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    walk::each_place(root, &mut |_, value, kind| {
        for member in value
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|_| kind == Kind::Schema)
        {
            if let Some(target) = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|t| t.strip_prefix('#'))
            {
                out.insert(target.to_owned());
            }
        }
    });
    out
}

/// The Rust field typify gives a schema's additional properties.
const CATCH_ALL_FIELD: &str = "extra";

fn schema(pointer: &str, schema: &Value, merged: bool, report: &mut dyn FnMut(&str, String)) {
    let ty = schema.get("type").and_then(Value::as_str);
    if let Some(ty) = ty.filter(|t| !TYPES.contains(t)) {
        report(
            &format!("{pointer}/type"),
            format!(
                "unknown type `{ty}`; OpenAPI 3.0 types are {}",
                TYPES.join(", ")
            ),
        );
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && let Err(error) = regress::Regex::new(pattern)
    {
        report(
            &format!("{pointer}/pattern"),
            format!("`{pattern}` is not a valid regular expression: {error}"),
        );
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        enum_values(pointer, schema, ty, values, report);
    }
    let mut fields: BTreeMap<String, &str> = BTreeMap::new();
    let has_catch_all = schema
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false));
    for name in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(n, _)| n)
    {
        if rust_name(name) == CATCH_ALL_FIELD
            && (has_catch_all || merged || schema.get("allOf").is_some())
        {
            report(
                &format!("{pointer}/properties/{}", escape_pointer(name)),
                format!(
                    "property `{name}` becomes the Rust field `{CATCH_ALL_FIELD}`, which the generator gives to additional \
                     properties of this schema or of one it is merged with (`allOf`); rename it"
                ),
            );
        }
        if let Some(first) = fields.insert(rust_name(name), name) {
            report(
                &format!("{pointer}/properties/{}", escape_pointer(name)),
                format!(
                    "properties `{first}` and `{name}` both become the Rust field `{}`; rename one of them",
                    rust_name(name)
                ),
            );
        }
    }
}

fn enum_values(
    pointer: &str,
    schema: &Value,
    ty: Option<&str>,
    values: &[Value],
    report: &mut dyn FnMut(&str, String),
) {
    if values.is_empty() {
        report(
            &format!("{pointer}/enum"),
            "`enum` has no values; no value would be valid".into(),
        );
        return;
    }
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let kind_of = |value: &Value| match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Null => "null",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let expected = ty.or_else(|| values.iter().map(kind_of).find(|k| *k != "null"));
    for (index, value) in values.iter().enumerate() {
        let kind = kind_of(value);
        let fits = match (kind, expected) {
            ("null", _) => nullable,
            ("integer", Some("number")) => true,
            (kind, Some(expected)) => kind == expected && !matches!(kind, "array" | "object"),
            (_, None) => false,
        };
        if !fits {
            let wanted = if kind == "null" {
                "null needs `nullable: true`".to_owned()
            } else {
                format!(
                    "the schema's values are {}",
                    expected.unwrap_or("strings, numbers or booleans")
                )
            };
            report(
                &format!("{pointer}/enum/{index}"),
                format!("enum value {value} is {kind}, but {wanted}"),
            );
        }
    }
}

/// What the client can send as a parameter: a path or header parameter is one scalar, a
/// query parameter a scalar or an array of scalars; and each must have a setter name of its own.
fn parameters(
    root: &Value,
    path: &str,
    operation: &Value,
    pointer: &str,
    report: &mut dyn FnMut(&str, String),
) {
    let mut setters: BTreeMap<String, String> = BTreeMap::new();
    for (at, parameter) in walk::located_parameters(root, path, operation, pointer) {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
        let what = format!("{place} parameter `{name}`");
        if place == "path" && parameter.get("required") != Some(&Value::Bool(true)) {
            report(
                &at,
                format!("{what} must be `required: true`; a path has no place to leave it out"),
            );
        }
        let setter = parameter_setter(name);
        if let Some(first) = setters.insert(setter.clone(), format!("{what} (#{at})")) {
            report(
                &at,
                format!(
                    "{first} and {what} both become the builder method `{setter}`; rename one of them"
                ),
            );
        }
        let Some(schema) = parameter.get("schema") else {
            report(
                &at,
                format!(
                    "{what} has no `schema`; the client supports parameters described by a schema only"
                ),
            );
            continue;
        };
        let schema = walk::resolve(root, schema).unwrap_or(schema);
        let fits = match place {
            "query" if schema.get("type").and_then(Value::as_str) == Some("array") => {
                let items = schema
                    .get("items")
                    .map(|i| walk::resolve(root, i).unwrap_or(i));
                items.is_some_and(|i| is_scalar(root, i))
            }
            "path" | "query" | "header" => is_scalar(root, schema),
            _ => true, // refused by the lint for its place
        };
        if !fits {
            let allowed = if place == "query" {
                "a string, number, integer or boolean, or an array of them"
            } else {
                "a string, number, integer or boolean"
            };
            report(
                &at,
                format!("{what} must be {allowed}; send structured values in the request body"),
            );
        }
    }
}

/// Whether a schema is a string, number, integer or boolean (an enum of them included).
fn is_scalar(root: &Value, schema: &Value) -> bool {
    let schema = walk::resolve(root, schema).unwrap_or(schema);
    let single_all_of = schema
        .get("allOf")
        .and_then(Value::as_array)
        .filter(|a| a.len() == 1)
        .and_then(|a| a.first());
    match (schema.get("type").and_then(Value::as_str), single_all_of) {
        (Some(ty), _) => matches!(ty, "string" | "number" | "integer" | "boolean"),
        (None, Some(inner)) => is_scalar(root, inner),
        (None, None) => false,
    }
}

fn is_status_key(status: &str) -> bool {
    if status == "default" {
        return true;
    }
    let bytes = status.as_bytes();
    bytes.len() == 3
        && (b'1'..=b'5').contains(&bytes[0])
        && (bytes[1..].iter().all(u8::is_ascii_digit) || &bytes[1..] == b"XX")
}

/// Text that rustc refuses in generated code: a bidirectional control character anywhere, or a
/// carriage return outside the descriptions, summaries and titles that lowering cleans.
fn text(value: &Value, pointer: &mut String, report: &mut dyn FnMut(&str, String)) {
    let check = |text: &str, pointer: &str, report: &mut dyn FnMut(&str, String)| {
        let key = pointer.rsplit('/').next().unwrap_or("");
        if ["description", "summary", "title"].contains(&key) {
            return;
        }
        if let Some(c) = text
            .chars()
            .find(|c| crate::prepare::is_bidi_control(*c) || *c == '\r')
        {
            report(
                pointer,
                format!(
                    "holds the character U+{:04X}, which the generated code cannot carry (only descriptions, summaries and titles may)",
                    c as u32
                ),
            );
        }
    };
    match value {
        Value::String(s) => check(s, pointer, report),
        Value::Object(map) => {
            for (key, child) in map {
                let len = pointer.len();
                push_segment(pointer, key);
                check(key, pointer, report);
                text(child, pointer, report);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = pointer.len();
                push_index(pointer, index);
                text(child, pointer, report);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The builder method (and field) a parameter gets: its Rust name ([`rust_name`]), with
/// `_param` after it when every builder has a method or field of that name already (`send`,
/// `client`, `body`, `timeout`, …: `passes::builder_names`). The parameter keeps its name on
/// the wire.
pub fn parameter_setter(name: &str) -> String {
    let rust = rust_name(name);
    if crate::passes::builder_names().contains(&rust.as_str()) {
        format!("{rust}_param")
    } else {
        rust
    }
}

/// The Rust field or method name the generator makes of a JSON name (typify's rule: drop
/// apostrophes, anything that cannot continue an identifier splits words, snake case, and
/// an `x` in front when it cannot start one).
pub fn rust_name(name: &str) -> String {
    use heck::ToSnakeCase;
    let out = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => name
            .replace('\'', "")
            .replace(|c| !unicode_ident::is_xid_continue(c), "-")
            .to_snake_case(),
    };
    match out.chars().next() {
        None => "x".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("x{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(document: &Value) -> Vec<String> {
        problems(document).iter().map(ToString::to_string).collect()
    }

    fn with_schema(schema: Value) -> Value {
        json!({"components": {"schemas": {"S": schema}}})
    }

    #[test]
    fn names_that_become_one_rust_field_are_refused() {
        let found = messages(&with_schema(
            json!({"type": "object", "properties": {"fooBar": {}, "foo_bar": {}, "foo-bar": {}, "other": {}}}),
        ));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].contains("`fooBar` and `foo_bar` both become the Rust field `foo_bar`"),
            "{found:#?}"
        );
    }

    #[test]
    fn a_property_named_like_the_catch_all_is_refused_where_one_may_be() {
        let document = json!({"components": {"schemas": {
            "Open": {"type": "object", "additionalProperties": true, "properties": {"extra": {}}},
            "Closed": {"type": "object", "properties": {"extra": {}}},
            "Merged": {"allOf": [{"$ref": "#/components/schemas/Open"}, {"type": "object", "properties": {"Extra": {}}}]}
        }}});
        let found = messages(&document);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("#/components/schemas/Open/properties/extra: property `extra` becomes the Rust field `extra`"), "{found:#?}");
        assert!(
            found[1].starts_with("#/components/schemas/Merged/allOf/1/properties/Extra"),
            "{found:#?}"
        );
    }

    #[test]
    fn unknown_types_bad_patterns_and_mistyped_enums_are_located() {
        let found = messages(&with_schema(json!({"type": "object", "properties": {
            "a": {"type": "strin"},
            "b": {"type": "string", "pattern": "(["},
            "c": {"type": "string", "enum": ["x", 3, null]},
            "d": {"type": "integer", "nullable": true, "enum": [1, null]},
            "e": {"enum": []}
        }})));
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(
            found[0].starts_with("#/components/schemas/S/properties/a/type: unknown type `strin`"),
            "{found:#?}"
        );
        assert!(found[1].starts_with("#/components/schemas/S/properties/b/pattern: `([` is not a valid regular expression"), "{found:#?}");
        assert!(found[2].starts_with("#/components/schemas/S/properties/c/enum/1: enum value 3 is integer, but the schema's values are string"), "{found:#?}");
        assert!(
            found[3].contains("c/enum/2: enum value null is null, but null needs `nullable: true`"),
            "{found:#?}"
        );
        assert!(
            found[4].contains("e/enum: `enum` has no values"),
            "{found:#?}"
        );
    }

    #[test]
    fn a_bad_pattern_on_a_parameter_or_its_items_is_located() {
        // `send()` checks parameters against their patterns; one that does not compile would
        // refuse every value.
        let document = json!({"paths": {"/things": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"type": "string", "pattern": "(["}},
            {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string", "pattern": "(["}}}
        ]}}}});
        let found: Vec<String> = problems(&document)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0]
                .contains("parameters/0/schema/pattern): `([` is not a valid regular expression"),
            "{found:#?}"
        );
        assert!(
            found[1].contains(
                "parameters/1/schema/items/pattern): `([` is not a valid regular expression"
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn parameters_the_client_cannot_send_are_refused() {
        let document = json!({"paths": {"/things/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "schema": {"type": "string"}},
            {"name": "id", "in": "query", "required": true, "schema": {"type": "string"}},
            {"name": "send", "in": "query", "schema": {"type": "string"}},
            {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "x-filter", "in": "header", "schema": {"type": "object"}}
        ], "responses": {"200": {"description": "ok"}, "2XX": {"description": "ok"}, "299x": {"description": "odd"}}}}}});
        let found = messages(&document);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].contains("GET /things/{id} (#/paths/~1things~1{id}/get/parameters/0): path parameter `id` must be `required: true`"), "{found:#?}");
        assert!(found[1].contains("parameters/1): path parameter `id` (#/paths/~1things~1{id}/get/parameters/0) and query parameter `id` both become the builder method `id`"), "{found:#?}");
        assert!(found[2].contains("parameters/4): header parameter `x-filter` must be a string, number, integer or boolean"), "{found:#?}");
        assert!(
            found[3].contains("responses/299x): `299x` is not a response status"),
            "{found:#?}"
        );
    }

    #[test]
    fn parameters_named_like_builder_methods_get_a_suffix_unless_that_name_is_taken() {
        assert_eq!(parameter_setter("send"), "send_param");
        assert_eq!(parameter_setter("Retry-Policy"), "retry_policy_param");
        assert_eq!(parameter_setter("sender"), "sender");
        let document = json!({"paths": {"/things/{client}": {
            "parameters": [{"name": "client", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"parameters": [
                {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
                {"name": "client_param", "in": "header", "schema": {"type": "string"}}
            ], "responses": {"200": {"description": "ok"}}}
        }}});
        let found = messages(&document);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("(#/paths/~1things~1{client}/get/parameters/1): path parameter `client` (#/paths/~1things~1{client}/parameters/0) and header parameter `client_param` both become the builder method `client_param`"),
            "{found:#?}"
        );
    }

    #[test]
    fn direction_controls_and_carriage_returns_outside_descriptions_are_refused() {
        let found = messages(&with_schema(
            json!({"type": "string", "description": "a\rb\u{202E}", "enum": ["ok", "e\u{202E}vil"], "default": "x\ry"}),
        ));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].contains("#/components/schemas/S/enum/1: holds the character U+202E"),
            "{found:#?}"
        );
        assert!(
            found[1].contains("#/components/schemas/S/default: holds the character U+000D"),
            "{found:#?}"
        );
    }

    #[test]
    fn rust_names_follow_the_generator() {
        assert_eq!(rust_name("createdAt"), "created_at");
        assert_eq!(rust_name("created-at"), "created_at");
        assert_eq!(rust_name("$ref"), "ref");
        assert_eq!(rust_name("1st"), "x1st");
        assert_eq!(rust_name(""), "x");
    }
}
