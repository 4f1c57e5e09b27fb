//! When the generator fails on the whole document, its message seldom says where. This step
//! finds the place by generating parts of the document on their own: first the component
//! schemas (each with the schemas it refers to, smallest first), then each operation.

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use serde_json::{Map, Value, json};

use crate::error::{Location, escape_pointer};
use crate::walk;

type Generate = fn(&OpenAPI) -> Result<TokenStream, String>;

/// The schema or operation `generate` fails on, with its message; None when every part
/// generates on its own.
pub fn find(lowered: &Value, generate: Generate) -> Option<(Location, String)> {
    let fails = |document: Value| -> Option<String> {
        let spec: OpenAPI = serde_json::from_value(document).ok()?;
        generate(&spec).err()
    };
    let schemas = lowered
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut without_paths = lowered.clone();
    without_paths["paths"] = json!({});
    if fails(without_paths.clone()).is_some() {
        let mut candidates: Vec<(usize, &String, Map<String, Value>)> = schemas
            .into_iter()
            .flatten()
            .map(|(name, _)| {
                let closure = schema_closure(lowered, name);
                (closure.len(), name, closure)
            })
            .collect();
        candidates.sort_by_key(|(size, name, _)| (*size, *name));
        for (_, name, closure) in candidates {
            let mut document = without_paths.clone();
            document["components"] = json!({"schemas": closure});
            if let Some(message) = fails(document) {
                return Some((
                    Location::pointer(format!("/components/schemas/{}", escape_pointer(name))),
                    message,
                ));
            }
        }
        return None;
    }
    for (path, method, _) in walk::operations(lowered) {
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        let mut item = lowered.pointer(&item_pointer).cloned().unwrap_or_default();
        if let Some(item) = item.as_object_mut() {
            item.retain(|key, _| key == method || !walk::METHODS.contains(&key.as_str()));
        }
        let mut document = lowered.clone();
        document["paths"] = json!({ path: item });
        if let Some(message) = fails(document) {
            return Some((
                Location::in_operation(method, path, format!("{item_pointer}/{method}")),
                message,
            ));
        }
    }
    None
}

/// The schema or operation whose Rust name a message names in backticks (a component's type,
/// or an operation's builder), for errors of the syn passes.
pub fn named_in(root: &Value, message: &str) -> Location {
    let mentions = |rust: &str| {
        message.contains(&format!("`{rust}`"))
            || message.contains(&format!("`{rust}."))
            || message.contains(&format!("builder {rust} "))
    };
    for (name, _) in root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if mentions(name) {
            return Location::pointer(format!("/components/schemas/{}", escape_pointer(name)));
        }
    }
    for (path, method, operation) in walk::operations(root) {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !id.is_empty() && mentions(&heck::ToUpperCamelCase::to_upper_camel_case(id)) {
            return Location::in_operation(
                method,
                path,
                format!("/paths/{}/{method}", escape_pointer(path)),
            );
        }
    }
    Location::Document
}

/// The component schema `name` and every schema it refers to, directly or not.
fn schema_closure(root: &Value, name: &str) -> Map<String, Value> {
    let pointer = format!("/components/schemas/{}", escape_pointer(name));
    let mut out = Map::new();
    let targets = walk::reachable_targets(root, std::slice::from_ref(&pointer));
    let names = std::iter::once(pointer).chain(
        targets
            .iter()
            .filter_map(|t| t.strip_prefix('#').map(str::to_owned)),
    );
    for target in names {
        if let (Some(name), Some(schema)) = (
            target.strip_prefix("/components/schemas/"),
            root.pointer(&target),
        ) {
            out.insert(crate::error::unescape_pointer(name), schema.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in generator that fails on a schema with `x-fail` anywhere in the document.
    fn picky(spec: &OpenAPI) -> Result<TokenStream, String> {
        let text = serde_json::to_string(spec).unwrap();
        if text.contains("x-fail") {
            Err("failed".into())
        } else {
            Ok(TokenStream::new())
        }
    }

    #[test]
    fn the_failing_schema_is_found_not_the_ones_that_use_it() {
        let document = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
                "Inner": {"type": "string", "x-fail": true}
            }}
        });
        let (location, message) = find(&document, picky).unwrap();
        assert_eq!(location, Location::pointer("/components/schemas/Inner"));
        assert_eq!(message, "failed");
    }

    #[test]
    fn a_syn_pass_error_is_placed_at_the_type_or_builder_it_names() {
        let document = json!({
            "paths": {"/a": {"post": {"operationId": "createThing"}}},
            "components": {"schemas": {"Thing": {"type": "object"}}}
        });
        assert_eq!(
            named_in(
                &document,
                "the syn pass `x` failed: type `Thing` is missing"
            ),
            Location::pointer("/components/schemas/Thing")
        );
        assert_eq!(
            named_in(
                &document,
                "the syn pass `x` failed: builder CreateThing < 'a >: no send"
            ),
            Location::in_operation("post", "/a", "/paths/~1a/post")
        );
        assert_eq!(
            named_in(&document, "the syn pass `x` failed: no builder module"),
            Location::Document
        );
    }

    #[test]
    fn the_failing_operation_is_found() {
        let document = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}, "/b": {"get": {"responses": {}, "x-fail": true}}}
        });
        let (location, _) = find(&document, picky).unwrap();
        assert_eq!(
            location,
            Location::in_operation("get", "/b", "/paths/~1b/get")
        );
    }
}
