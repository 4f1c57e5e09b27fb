//! Synthetic documents of any size, for benchmarks and tests of the pipeline's scaling: made
//! from nothing ([`document`]) or by cloning a real document's operations ([`cloned`]).
//!
//! A document of `n` operations has `ceil(n / 3)` resources under a customer; each resource has
//! up to three operations (create with POST, update with PATCH, read with GET) and its own
//! components: the resource, its status enum and a body for each write. Every operation follows
//! the curation rules the lint checks, so the whole pipeline runs on it, like on the curated
//! document. The output depends on `n` only.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::load::{self, Document};

/// Nouns for resource names, so that the generated code reads like a real client's.
const NOUNS: [&str; 8] = [
    "Appointment",
    "Referral",
    "Prescription",
    "Invoice",
    "Note",
    "Task",
    "Visit",
    "Claim",
];

const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// The error responses every operation documents, by status and shared component.
const ERRORS: [(&str, &str); 7] = [
    ("400", "BadRequest"),
    ("401", "Unauthorized"),
    ("403", "Forbidden"),
    ("404", "NotFound"),
    ("422", "ValidationFailed"),
    ("429", "RateLimited"),
    ("500", "InternalError"),
];

/// A valid OpenAPI 3.0.3 document with `operations` operations that passes the curation lint.
pub fn document(operations: usize) -> Value {
    let resources = operations.div_ceil(3);
    let mut paths = Map::new();
    let mut schemas = shared_schemas();
    for r in 0..resources {
        let kinds = (operations - 3 * r).min(3);
        add_resource(&mut paths, &mut schemas, r, kinds);
    }
    let tags: Vec<Value> = (0..resources.div_ceil(10).max(1))
        .map(|g| json!({"name": group_tag(g), "description": format!("Resources of group {g}.")}))
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("careCycle synthetic API ({operations} operations)"),
            "version": "1.0.0",
            "description": "A generated document for measuring the code generator.",
        },
        "externalDocs": {"url": "https://docs.carecycle.ai/api-reference/overview"},
        "servers": [{"url": "https://api.carecycle.ai"}],
        "security": [{"ApiKey": []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
            "parameters": {
                "CustomerId": uuid_parameter("id", "Customer ID"),
                "RecordId": uuid_parameter("recordId", "Record ID"),
            },
            "responses": error_responses(),
            "schemas": schemas,
        },
    })
}

/// The document as JSON bytes, loaded as the pipeline loads a file (named `synthetic-<n>.json`).
pub fn load(operations: usize) -> Result<Document, Error> {
    let bytes = serde_json::to_vec_pretty(&document(operations)).expect("a JSON value serialises");
    let name = format!("synthetic-{operations}.json");
    load::parse(Path::new(&name), bytes)
}

fn group_tag(group: usize) -> String {
    format!("Group {group}")
}

/// Resource `r`'s type name, e.g. `Appointment0`, `Referral0`, ..., `Appointment1`.
fn resource_name(r: usize) -> String {
    format!("{}{}", NOUNS[r % NOUNS.len()], r / NOUNS.len())
}

/// Adds resource `r` with its first `kinds` operations (create, update, read) and components.
fn add_resource(
    paths: &mut Map<String, Value>,
    schemas: &mut Map<String, Value>,
    r: usize,
    kinds: usize,
) {
    let name = resource_name(r);
    let slug = format!(
        "/v2/customers/{{id}}/{}s-{}",
        NOUNS[r % NOUNS.len()].to_lowercase(),
        r / NOUNS.len()
    );
    let tag = group_tag(r / 10);
    let schema_ref = |component: &str| json!({"$ref": format!("#/components/schemas/{component}")});
    let status = format!("{name}Status");
    let create = format!("Create{name}Request");
    let update = format!("Update{name}Request");

    let mut collection = json!({"parameters": [{"$ref": "#/components/parameters/CustomerId"}]});
    let mut item = json!({"parameters": [
        {"$ref": "#/components/parameters/CustomerId"},
        {"$ref": "#/components/parameters/RecordId"},
    ]});
    if kinds >= 1 {
        collection["post"] = operation(
            &format!("create{name}"),
            &tag,
            &format!("Create {name}"),
            Some(&create),
            "201",
            &name,
        );
        schemas.insert(create.clone(), request_schema(&create, &status, true));
    }
    if kinds >= 2 {
        item["patch"] = operation(
            &format!("update{name}"),
            &tag,
            &format!("Update {name}"),
            Some(&update),
            "200",
            &name,
        );
        schemas.insert(update.clone(), request_schema(&update, &status, false));
    }
    if kinds >= 3 {
        item["get"] = operation(
            &format!("get{name}"),
            &tag,
            &format!("Get {name}"),
            None,
            "200",
            &name,
        );
    }
    schemas.insert(
        status.clone(),
        json!({
            "type": "string",
            "description": format!("Where a {name} stands."),
            "enum": ["Draft", "Active", "On Hold", "Closed"],
        }),
    );
    schemas.insert(
        name.clone(),
        json!({
            "type": "object",
            "description": format!("A {name} of a customer."),
            "required": ["id", "customerId", "name", "status", "createdAt"],
            "properties": {
                "id": {"type": "string", "format": "uuid", "description": format!("{name} ID")},
                "customerId": {"type": "string", "format": "uuid"},
                "createdAt": {"type": "string", "nullable": true},
                "name": {"type": "string", "maxLength": 255},
                "status": schema_ref(&status),
                "email": {"type": "string", "nullable": true, "maxLength": 255, "x-personal-data": true},
                "notes": {"type": "string", "nullable": true, "maxLength": 1000, "x-personal-data": true},
                "priority": {"type": "integer", "format": "int32", "nullable": true},
                "isActive": {"type": "boolean", "nullable": true},
                "startsOn": {"type": "string", "nullable": true},
            },
        }),
    );
    paths.insert(slug.clone(), collection);
    if kinds >= 2 {
        paths.insert(format!("{slug}/{{recordId}}"), item);
    }
}

/// One operation with every field the lint asks for.
fn operation(
    id: &str,
    tag: &str,
    summary: &str,
    body: Option<&str>,
    success: &str,
    response: &str,
) -> Value {
    let mut responses = Map::new();
    responses.insert(
        success.to_owned(),
        json!({
            "description": format!("The {response}."),
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{response}")}}},
        }),
    );
    for (status, component) in ERRORS {
        responses.insert(
            status.to_owned(),
            json!({"$ref": format!("#/components/responses/{component}")}),
        );
    }
    let mut operation = json!({
        "operationId": id,
        "tags": [tag],
        "summary": summary,
        "description": format!("{summary} of a customer."),
        "externalDocs": {"url": format!("https://docs.carecycle.ai/api-reference/{id}")},
        "security": [{"ApiKey": []}],
        "responses": responses,
    });
    if let Some(body) = body {
        operation["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}},
        });
    }
    operation
}

/// A create body (`name` and `status` required) or a PATCH body (nothing required, nullable
/// fields that can be cleared; `status` can be set, not cleared).
fn request_schema(name: &str, status: &str, create: bool) -> Value {
    let status_ref = json!({"$ref": format!("#/components/schemas/{status}")});
    let mut schema = json!({
        "type": "object",
        "description": format!("The body of {name}."),
        "properties": {
            "name": {"type": "string", "maxLength": 255},
            "status": status_ref,
            "email": {"type": "string", "nullable": true, "maxLength": 255, "x-personal-data": true},
            "notes": {"type": "string", "nullable": true, "maxLength": 1000, "x-personal-data": true},
            "priority": {"type": "integer", "format": "int32", "nullable": true},
            "isActive": {"type": "boolean", "nullable": true},
            "startsOn": {"type": "string", "nullable": true},
            "assigneeId": {"type": "string", "format": "uuid", "pattern": UUID_PATTERN, "nullable": true},
        },
    });
    if create {
        schema["required"] = json!(["name", "status"]);
    }
    schema
}

fn uuid_parameter(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "path",
        "required": true,
        "description": description,
        "schema": {"type": "string", "format": "uuid", "pattern": UUID_PATTERN},
    })
}

/// The seven shared error responses, over the service's three error bodies.
fn error_responses() -> Value {
    let mut responses = Map::new();
    for (status, component) in ERRORS {
        let body = match status {
            "422" => "ValidationErrorBody",
            "429" => "RateLimitErrorBody",
            _ => "ErrorBody",
        };
        responses.insert(
            component.to_owned(),
            json!({
                "description": format!("{component} ({status})."),
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}},
            }),
        );
    }
    Value::Object(responses)
}

fn shared_schemas() -> Map<String, Value> {
    let text = json!({"type": "string"});
    let json = json!({
        "ErrorBody": {
            "type": "object",
            "required": ["message", "code"],
            "properties": {"message": text, "code": text},
        },
        "ValidationErrorBody": {
            "type": "object",
            "required": ["message", "code", "errors"],
            "properties": {
                "message": text,
                "code": text,
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationIssue"}},
            },
        },
        "ValidationIssue": {
            "type": "object",
            "required": ["path", "message", "code"],
            "properties": {"path": {"type": "array", "items": text}, "message": text, "code": text},
        },
        "RateLimitErrorBody": {
            "type": "object",
            "required": ["message", "code", "retryAfter"],
            "properties": {
                "message": text,
                "code": text,
                "retryAfter": {"type": "integer", "format": "int32", "minimum": 0},
            },
        },
    });
    match json {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// A real document grown to size: a copy of `base` with exactly `operations` operations (when
/// `base` has any), its operations cloned; copy `n` of path `/p` is `/s{n}/p`, and its
/// operationIds end in `S{n}`. The spec-diff benchmark diffs two such copies.
pub fn cloned(base: &Value, operations: usize) -> Value {
    let mut document = base.clone();
    let originals: Vec<(String, Value)> = base
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(path, item)| (path.clone(), item.clone()))
        .collect();
    let mut paths = Map::new();
    let mut count = 0;
    let mut copy = 0;
    while count < operations && !originals.is_empty() {
        for (path, item) in &originals {
            let mut item = item.clone();
            let Some(map) = item.as_object_mut() else {
                continue;
            };
            for method in crate::walk::METHODS {
                let Some(operation) = map.get_mut(method) else {
                    continue;
                };
                if count == operations {
                    map.remove(method);
                    continue;
                }
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operation["operationId"] = Value::String(format!("{id}S{copy}"));
                }
                count += 1;
            }
            if crate::walk::METHODS.iter().any(|m| map.contains_key(*m)) {
                paths.insert(format!("/s{copy}{path}"), item);
            }
        }
        copy += 1;
    }
    document["paths"] = Value::Object(paths);
    document
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CLIENT_FILE, generate_document, lint, walk};

    #[test]
    fn synthetic_documents_pass_the_lint_and_generate() {
        for n in [1, 10] {
            let document = load(n).unwrap_or_else(|e| panic!("{n} operations: {e}"));
            assert_eq!(lint::lint(&document.value), vec![], "{n} operations");
            assert_eq!(walk::operations(&document.value).len(), n);

            let first =
                generate_document(&document).unwrap_or_else(|e| panic!("{n} operations: {e}"));
            let client = first
                .iter()
                .find(|f| f.name == CLIENT_FILE)
                .expect("the client file");
            assert_eq!(
                client.contents.matches("operation_id: \"").count(),
                n,
                "{n} operations"
            );

            let second = generate_document(&load(n).unwrap()).unwrap();
            assert_eq!(
                first, second,
                "{n} operations: the output is not deterministic"
            );
        }
    }

    #[test]
    fn every_kind_of_operation_appears() {
        let document = document(3);
        let mut methods: Vec<&str> = walk::operations(&document)
            .iter()
            .map(|(_, m, _)| *m)
            .collect();
        methods.sort();
        assert_eq!(methods, ["get", "patch", "post"]);
    }

    #[test]
    fn makes_exactly_the_operations_asked_for_with_unique_ids() {
        let base = serde_json::json!({
            "paths": {
                "/a/{id}": {"get": {"operationId": "getA"}, "patch": {"operationId": "updateA"}},
                "/b": {"post": {"operationId": "createB"}}
            }
        });
        let document = cloned(&base, 7);
        let ops = crate::walk::operations(&document);
        assert_eq!(ops.len(), 7);
        let ids: std::collections::BTreeSet<&str> = ops
            .iter()
            .filter_map(|(_, _, op)| op.get("operationId").and_then(Value::as_str))
            .collect();
        assert_eq!(ids.len(), 7);
        assert!(document.pointer("/paths/~1s2~1a~1{id}/get").is_some());
    }
}
