//! Step 3: lowering. Rewrites, in memory, what progenitor cannot take into what it can, without
//! changing what the client does. The document on disk is never touched.
//!
//! - `prepare`: JSON media types, doc text and `not`, fitted to the generator.
//! - [`rename_parameters`]: parameters named like a builder's own methods get the name of
//!   their builder method (`send_param`).
//! - [`wrap_nullable_enums`]: the document writes a nullable enum as a component that admits
//!   `null` itself (`nullable: true` and `null` among its values), referenced plainly. typify
//!   would make such a component a wrapper around `Option`; the generator is handed the enum
//!   without `null`, and every reference as `{nullable: true, allOf: [$ref]}`, which typify makes
//!   `Option<Enum>`.
//! - [`merge_error_bodies`]: progenitor allows one error type per operation, careCycle has
//!   three error bodies. The client's runtime reads error bodies itself (see
//!   `generated-client/src/error.rs`), so progenitor is handed one merged body.
//! - [`relax_response_schemas`]: typify checks `maxLength` and `pattern` when decoding too; a
//!   response must decode even when the service sends a longer string than documented, so the
//!   limits are dropped from schemas that only responses use. Requests keep them.
//! - [`lift_property_limits`]: the string limits of component properties go to the plan (read
//!   before lowering) instead of typify, which would make a newtype of each; the client checks
//!   them where a request is assembled (`passes::request_checks`).
//! - [`lift_parameter_limits`]: the same for the string limits of parameters written in place
//!   (and of an array parameter's items): the plan keeps them and `send()` checks them
//!   (`passes::parameter_checks`), so that a refusal names the rule, not a conversion.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::{Location, Problem, escape_pointer, unescape_pointer};
use crate::{constructs, walk};

/// The component name of the merged error body handed to progenitor.
pub const MERGED_ERROR: &str = "ApiErrorBody";

/// Runs every lowering pass, in order.
pub fn lower(document: &mut Value) -> Result<(), Vec<Problem>> {
    crate::prepare::prepare(document);
    rename_parameters(document);
    wrap_nullable_enums(document);
    merge_error_bodies(document)?;
    relax_response_schemas(document)?;
    lift_property_limits(document);
    lift_parameter_limits(document);
    Ok(())
}

/// Parameters named like a builder's own methods (`send`, `timeout`, …) are handed to the
/// generator under the name of their builder method (`send_param`,
/// `constructs::parameter_setter`), and path templates with them. Where the name goes on the
/// wire (query and header parameters), the `wire_names` pass puts the document's name back.
pub fn rename_parameters(document: &mut Value) {
    let renamed = |name: &str| {
        Some(constructs::parameter_setter(name))
            .filter(|setter| *setter != constructs::rust_name(name))
    };
    let mut parameters = Vec::new();
    walk::each_place(document, &mut |pointer, value, kind| {
        if kind == walk::Kind::Parameter && value.get("$ref").is_none() {
            parameters.push(pointer.to_owned());
        }
    });
    for pointer in parameters {
        let Some(parameter) = document
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if let Some(setter) = parameter
            .get("name")
            .and_then(Value::as_str)
            .and_then(renamed)
        {
            parameter.insert("name".into(), Value::String(setter));
        }
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    if !paths
        .keys()
        .any(|path| template_names(path).any(|name| renamed(name).is_some()))
    {
        return;
    }
    *paths = std::mem::take(paths)
        .into_iter()
        .map(|(path, item)| {
            let mut template = path.clone();
            for name in template_names(&path) {
                if let Some(setter) = renamed(name) {
                    template = template.replace(&format!("{{{name}}}"), &format!("{{{setter}}}"));
                }
            }
            (template, item)
        })
        .collect();
}

/// The parameter names of a path template (`id` of `/customers/{id}`).
fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

/// Takes `null` out of every component enum that admits it, and makes every reference to such
/// a component nullable at the place of use instead: `{type, nullable: true, allOf: [$ref]}`.
/// The Rust API is one enum type per component and `Option<Enum>` wherever it is used.
pub fn wrap_nullable_enums(document: &mut Value) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut wrapped = Map::new();
    for (name, schema) in schemas.iter_mut() {
        if !is_nullable_enum(schema) {
            continue;
        }
        let map = schema.as_object_mut().expect("an enum schema is an object");
        map.remove("nullable");
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
        let reference = format!("#/components/schemas/{}", escape_pointer(name));
        let ty = map.get("type").cloned().unwrap_or(Value::Null);
        wrapped.insert(reference, ty);
    }
    if !wrapped.is_empty() {
        wrap_references(document, &wrapped);
    }
}

/// A schema whose `enum` lists `null` next to `nullable: true` and a `type`.
pub(crate) fn is_nullable_enum(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        && schema.get("type").is_some()
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null))
}

/// Replaces every `{$ref: R}` with R in `types` (reference → the component's `type`) by the
/// nullable wrapper.
fn wrap_references(value: &mut Value, types: &Map<String, Value>) {
    match value {
        Value::Object(map) => {
            if let Some(ty) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| types.get(r))
            {
                let reference = map["$ref"].clone();
                *value = json!({"type": ty, "nullable": true, "allOf": [{"$ref": reference}]});
                return;
            }
            map.values_mut()
                .for_each(|child| wrap_references(child, types));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|child| wrap_references(child, types)),
        _ => {}
    }
}

/// Points every error response (4xx, 5xx, default) of every operation at one merged schema:
/// the union of the properties of all error bodies, requiring only what all of them require.
pub fn merge_error_bodies(document: &mut Value) -> Result<(), Vec<Problem>> {
    if document
        .pointer(&format!("/components/schemas/{MERGED_ERROR}"))
        .is_some()
    {
        return Err(vec![Problem::new(
            Location::pointer(format!("/components/schemas/{MERGED_ERROR}")),
            format!("the schema name `{MERGED_ERROR}` is reserved for the merged error body"),
        )]);
    }
    let mut properties = Map::new();
    let mut required: Option<BTreeSet<String>> = None;
    let mut error_responses = Vec::new();
    for (path, method, operation) in walk::operations(document) {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            if !is_error_status(status) {
                continue;
            }
            error_responses.push(format!(
                "/paths/{}/{method}/responses/{}",
                escape_pointer(path),
                escape_pointer(status)
            ));
            let response = walk::resolve(document, response).unwrap_or(response);
            let Some(schema) = response.pointer("/content/application~1json/schema") else {
                continue;
            };
            let schema = walk::resolve(document, schema).unwrap_or(schema);
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                properties
                    .entry(name.clone())
                    .or_insert_with(|| property.clone());
            }
            let these: BTreeSet<String> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            required = Some(match required {
                None => these,
                Some(before) => before.intersection(&these).cloned().collect(),
            });
        }
    }
    if error_responses.is_empty() {
        return Ok(());
    }
    let mut merged = json!({
        "type": "object",
        "description": "Every error body the service documents, merged into one (a lowering for the generator).",
        "properties": properties,
    });
    let required: Vec<String> = required.unwrap_or_default().into_iter().collect();
    if !required.is_empty() {
        merged["required"] = json!(required);
    }
    let schemas = ensure_object(document, &["components", "schemas"]);
    schemas.insert(MERGED_ERROR.to_owned(), merged);
    for pointer in error_responses {
        let response = document
            .pointer_mut(&pointer)
            .expect("pointer was taken from the document");
        let description = walk_description(response);
        *response = json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{MERGED_ERROR}")}}}
        });
    }
    Ok(())
}

fn walk_description(response: &Value) -> Value {
    response
        .get("description")
        .cloned()
        .unwrap_or_else(|| json!("Error"))
}

fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

/// The keywords that constrain a string and that typify also enforces when decoding.
const LIMITS: [&str; 3] = ["maxLength", "minLength", "pattern"];

/// Drops string limits from component schemas that only success responses use, and from
/// inline success response schemas.
pub fn relax_response_schemas(document: &mut Value) -> Result<(), Vec<Problem>> {
    let (request_roots, response_roots) = roots(document);
    let requested = reachable_components(document, &request_roots);
    let responded = reachable_components(document, &response_roots);
    let mut problems = Vec::new();
    for name in &responded {
        let pointer = format!("/components/schemas/{}", escape_pointer(name));
        if requested.contains(name) {
            if has_limits(document.pointer(&pointer).unwrap_or(&Value::Null)) {
                problems.push(Problem::new(
                    Location::pointer(&pointer),
                    format!(
                        "schema `{name}` has string limits and is used by both requests and responses; \
                         give responses a schema of their own so that requests stay strict and responses tolerant"
                    ),
                ));
            }
            continue;
        }
        if let Some(schema) = document.pointer_mut(&pointer) {
            strip_limits(schema);
        }
    }
    for root in response_roots {
        let schema_pointer = format!("{root}/content/application~1json/schema");
        if let Some(schema) = document.pointer_mut(&schema_pointer) {
            strip_limits(schema);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The JSON pointers where requests (bodies, parameters) and success responses start.
fn roots(document: &Value) -> (Vec<String>, Vec<String>) {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for (path, method, operation) in walk::operations(document) {
        let base = format!("/paths/{}/{method}", escape_pointer(path));
        if operation.get("requestBody").is_some() {
            request_roots.push(format!("{base}/requestBody"));
        }
        // Parameters of the path item and of the operation.
        request_roots.push(format!("/paths/{}/parameters", escape_pointer(path)));
        request_roots.push(format!("{base}/parameters"));
        for (status, _) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if status.starts_with('2') {
                response_roots.push(format!("{base}/responses/{}", escape_pointer(status)));
            }
        }
    }
    (request_roots, response_roots)
}

/// Names of the component schemas that only what the client receives holds (success
/// responses and webhook payloads, through `$ref`s), never a request.
pub(crate) fn received_only_components(document: &Value) -> BTreeSet<String> {
    let (request_roots, mut received_roots) = roots(document);
    for (event_type, _) in walk::webhooks(document) {
        received_roots.push(format!(
            "/{}/{}/post/requestBody",
            walk::WEBHOOKS,
            escape_pointer(event_type)
        ));
    }
    let requested = reachable_components(document, &request_roots);
    reachable_components(document, &received_roots)
        .into_iter()
        .filter(|name| !requested.contains(name))
        .collect()
}

/// Takes the string limits off the properties of every component schema: the generator makes
/// them plain `String`s instead of a newtype each. The plan keeps the limits (read before
/// lowering), and the `request_checks` pass checks them where a request is assembled.
pub fn lift_property_limits(document: &mut Value) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let properties = schemas
        .values_mut()
        .filter_map(|schema| schema.get_mut("properties").and_then(Value::as_object_mut))
        .flat_map(|properties| properties.values_mut());
    for property in properties.filter_map(Value::as_object_mut) {
        for key in LIMITS {
            property.remove(key);
        }
    }
}

/// Takes the string limits off every parameter schema written in place, and off the items of
/// an array one: typify would make a newtype of each, whose conversion error cannot say which
/// rule failed. The plan keeps them (read before lowering) for `passes::parameter_checks`. A
/// schema that is a `$ref` is left as it is: the component may be used elsewhere.
pub fn lift_parameter_limits(document: &mut Value) {
    let mut parameters = Vec::new();
    walk::each_place(document, &mut |pointer, value, kind| {
        if kind == walk::Kind::Parameter && value.get("$ref").is_none() {
            parameters.push(pointer.to_owned());
        }
    });
    let lift = |schema: &mut Map<String, Value>| {
        for key in LIMITS {
            schema.remove(key);
        }
    };
    for pointer in parameters {
        let Some(schema) = document
            .pointer_mut(&format!("{pointer}/schema"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if schema.contains_key("$ref") {
            continue;
        }
        lift(schema);
        if let Some(items) = schema
            .get_mut("items")
            .and_then(Value::as_object_mut)
            .filter(|i| !i.contains_key("$ref"))
        {
            lift(items);
        }
    }
}

/// Names of the component schemas reachable through `$ref`s from the given places.
fn reachable_components(document: &Value, roots: &[String]) -> BTreeSet<String> {
    walk::reachable_targets(document, roots)
        .iter()
        .filter_map(|target| target.strip_prefix("#/components/schemas/"))
        .map(unescape_pointer)
        .collect()
}

fn has_limits(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|map| LIMITS.iter().any(|k| map.contains_key(*k)))
        || subschemas(schema).any(has_limits)
}

fn strip_limits(schema: &mut Value) {
    if let Some(map) = schema.as_object_mut() {
        for key in LIMITS {
            map.remove(key);
        }
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => child
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                    .for_each(strip_limits),
                "allOf" | "oneOf" | "anyOf" => child
                    .as_array_mut()
                    .into_iter()
                    .flatten()
                    .for_each(strip_limits),
                "items" | "additionalProperties" | "not" => strip_limits(child),
                _ => {}
            }
        }
    }
}

/// The schemas directly inside a schema (properties, items, compositions).
fn subschemas(schema: &Value) -> impl Iterator<Item = &Value> {
    let map = schema.as_object();
    let properties = map
        .and_then(|m| m.get("properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values());
    let compositions = ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(move |k| map.and_then(|m| m.get(k)).and_then(Value::as_array))
        .flatten();
    let singles = ["items", "additionalProperties", "not"]
        .into_iter()
        .filter_map(move |k| map.and_then(|m| m.get(k)));
    properties.chain(compositions).chain(singles)
}

fn ensure_object<'a>(document: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    let mut current = document;
    for key in path {
        current = current
            .as_object_mut()
            .expect("an OpenAPI document is an object")
            .entry(key.to_string())
            .or_insert_with(|| json!({}));
    }
    current
        .as_object_mut()
        .expect("components entries are objects")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_named_like_builder_methods_get_their_builder_name_in_paths_too() {
        let mut document = json!({
            "components": {"parameters": {"Send": {"name": "send", "in": "path", "required": true, "schema": {"type": "string"}}}},
            "paths": {"/a/{send}/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Send"}, {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"parameters": [{"name": "Timeout", "in": "header", "schema": {"type": "string"}}]}
            }, "/b": {}}
        });
        rename_parameters(&mut document);
        assert_eq!(
            document.pointer("/components/parameters/Send/name"),
            Some(&json!("send_param"))
        );
        let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/a/{send_param}/{id}", "/b"]);
        let item = &document["paths"]["/a/{send_param}/{id}"];
        assert_eq!(item["parameters"][1]["name"], "id");
        assert_eq!(item["get"]["parameters"][0]["name"], "timeout_param");
    }

    fn operation(body: Value, responses: Value) -> Value {
        json!({"paths": {"/things": {"post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": responses
        }}}})
    }

    #[test]
    fn parameter_limits_in_place_are_lifted_and_referenced_schemas_kept() {
        let mut document = json!({
            "paths": {"/things": {"get": {"parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 5, "pattern": "^a"}},
                {"name": "tags", "in": "query", "schema": {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1}}},
                {"name": "code", "in": "query", "schema": {"$ref": "#/components/schemas/Code"}}
            ]}}},
            "components": {
                "parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"}}},
                "schemas": {"Code": {"type": "string", "maxLength": 3}}
            }
        });
        lift_parameter_limits(&mut document);
        let parameters = &document["paths"]["/things"]["get"]["parameters"];
        assert_eq!(parameters[0]["schema"], json!({"type": "string"}));
        assert_eq!(
            parameters[1]["schema"],
            json!({"type": "array", "maxItems": 2, "items": {"type": "string"}}),
            "item counts stay: typify ignores them"
        );
        assert_eq!(
            document["components"]["parameters"]["Id"]["schema"],
            json!({"type": "string", "format": "uuid"})
        );
        assert_eq!(
            document["components"]["schemas"]["Code"]["maxLength"], 3,
            "a component may be used elsewhere"
        );
    }

    #[test]
    fn error_bodies_merge_into_one_schema_requiring_what_all_require() {
        let mut document = operation(
            json!({"type": "object"}),
            json!({
                "200": {"description": "ok"},
                "400": {"description": "bad", "content": {"application/json": {"schema": {"type": "object", "required": ["message", "code"], "properties": {"message": {"type": "string"}, "code": {"type": "string"}}}}}},
                "429": {"description": "slow down", "content": {"application/json": {"schema": {"type": "object", "required": ["message", "retryAfter"], "properties": {"message": {"type": "string"}, "retryAfter": {"type": "integer"}}}}}},
                "409": {"description": "no body"}
            }),
        );
        merge_error_bodies(&mut document).unwrap();
        let merged = &document["components"]["schemas"][MERGED_ERROR];
        assert_eq!(merged["required"], json!(["message"]));
        let names: Vec<&String> = merged["properties"].as_object().unwrap().keys().collect();
        assert_eq!(
            names,
            ["message", "code", "retryAfter"],
            "in the order the bodies first name them"
        );
        for status in ["400", "409", "429"] {
            let response = &document["paths"]["/things"]["post"]["responses"][status];
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                json!(format!("#/components/schemas/{MERGED_ERROR}")),
                "{status}"
            );
            assert!(response["description"].is_string());
        }
        assert_eq!(
            document["paths"]["/things"]["post"]["responses"]["200"],
            json!({"description": "ok"})
        );
    }

    #[test]
    fn a_nullable_enum_component_becomes_an_enum_wrapped_nullable_where_used() {
        let mut document = json!({
            "paths": {"/things": {"patch": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Kind"}}}}}}},
            "components": {"schemas": {
                "Kind": {"type": "string", "nullable": true, "description": "A kind.", "enum": ["a", "b", null]},
                "Plain": {"type": "string", "enum": ["x"]},
                "Thing": {"type": "object", "properties": {
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "kinds": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
                    "plain": {"$ref": "#/components/schemas/Plain"}
                }}
            }}
        });
        wrap_nullable_enums(&mut document);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Kind"],
            json!({"type": "string", "description": "A kind.", "enum": ["a", "b"]})
        );
        let wrapper = json!({"type": "string", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Kind"}]});
        assert_eq!(schemas["Thing"]["properties"]["kind"], wrapper);
        assert_eq!(schemas["Thing"]["properties"]["kinds"]["items"], wrapper);
        assert_eq!(
            schemas["Thing"]["properties"]["plain"],
            json!({"$ref": "#/components/schemas/Plain"})
        );
        assert_eq!(
            document["paths"]["/things"]["patch"]["requestBody"]["content"]["application/json"]["schema"],
            wrapper
        );
    }

    #[test]
    fn the_merged_name_is_reserved() {
        let mut document = json!({"components": {"schemas": {MERGED_ERROR: {"type": "object"}}}});
        let problems = merge_error_bodies(&mut document).unwrap_err();
        assert!(problems[0].message.contains("reserved"));
    }

    #[test]
    fn limits_go_from_response_only_schemas_and_stay_on_requests() {
        let mut document = operation(
            json!({"$ref": "#/components/schemas/Request"}),
            json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Response"}}}}}),
        );
        document["components"] = json!({"schemas": {
            "Request": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}},
            "Response": {"type": "object", "properties": {
                "name": {"type": "string", "maxLength": 5, "pattern": "^a"},
                "pattern": {"type": "string", "minLength": 1},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}
            }}
        }});
        relax_response_schemas(&mut document).unwrap();
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Request"]["properties"]["name"]["maxLength"],
            json!(5)
        );
        assert_eq!(
            schemas["Response"]["properties"]["name"],
            json!({"type": "string"})
        );
        assert_eq!(
            schemas["Response"]["properties"]["pattern"],
            json!({"type": "string"}),
            "a property named `pattern` stays"
        );
        assert_eq!(
            schemas["Response"]["properties"]["tags"]["items"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn a_schema_of_a_path_item_parameter_counts_as_a_request_schema() {
        let mut document = operation(
            json!({"type": "object"}),
            json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Code"}}}}}),
        );
        document["paths"]["/things"]["parameters"] = json!([{"name": "code", "in": "query", "schema": {"$ref": "#/components/schemas/Code"}}]);
        document["components"] = json!({"schemas": {"Code": {"type": "string", "maxLength": 5}}});
        let problems = relax_response_schemas(&mut document).unwrap_err();
        assert_eq!(
            problems[0].location,
            Location::pointer("/components/schemas/Code")
        );
    }

    #[test]
    fn reference_cycles_through_responses_and_parameters_end() {
        let mut document = operation(
            json!({"$ref": "#/paths"}),
            json!({"200": {"$ref": "#/components/responses/Loop"}, "201": {"$ref": "#"}}),
        );
        document["components"] =
            json!({"responses": {"Loop": {"$ref": "#/components/responses/Loop"}}});
        document["paths"]["/things"]["parameters"] =
            json!([{"$ref": "#/paths/~1things/parameters/0"}]);
        relax_response_schemas(&mut document).unwrap();
    }

    #[test]
    fn a_schema_with_limits_on_both_sides_is_a_problem() {
        let mut document = operation(
            json!({"$ref": "#/components/schemas/Both"}),
            json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Both"}}}}}),
        );
        document["components"] = json!({"schemas": {"Both": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}}}});
        let problems = relax_response_schemas(&mut document).unwrap_err();
        assert_eq!(
            problems[0].location,
            Location::pointer("/components/schemas/Both")
        );
    }

    #[test]
    fn property_limits_are_lifted() {
        let mut document = json!({"components": {"schemas": {"Thing": {"type": "object", "properties": {
            "code": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[A-Z]+$", "description": "kept"},
            "ssn": {"type": "string", "maxLength": 11, "x-personal-data": true},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}
        }}}}});
        lift_property_limits(&mut document);
        let properties = &document["components"]["schemas"]["Thing"]["properties"];
        assert_eq!(
            properties["code"],
            json!({"type": "string", "description": "kept"})
        );
        assert_eq!(
            properties["ssn"],
            json!({"type": "string", "x-personal-data": true})
        );
        assert_eq!(
            properties["tags"]["items"]["maxLength"],
            json!(3),
            "only the properties' own limits"
        );
    }

    #[test]
    fn what_the_client_only_receives_is_responses_and_webhook_payloads() {
        let reference = |name: &str| json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
        let mut document = operation(
            json!({"$ref": "#/components/schemas/Sent"}),
            json!({"200": reference("Reply")}),
        );
        document["x-webhooks"] =
            json!({"thing.created": {"post": {"requestBody": reference("Event")}}});
        document["components"] =
            json!({"schemas": {"Sent": {}, "Reply": {}, "Event": {}, "Unused": {}}});
        let received: Vec<String> = received_only_components(&document).into_iter().collect();
        assert_eq!(received, ["Event", "Reply"]);
    }
}
