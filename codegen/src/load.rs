//! Step 1: read the document (YAML or JSON) and check that it is an OpenAPI 3.0 document that
//! the later steps can rely on: every `$ref` resolves, every path parameter is declared.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Location, Problem, escape_pointer};
use crate::walk;

/// A loaded, structurally valid document.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: PathBuf,
    /// The bytes as read, for the fingerprint.
    pub bytes: Vec<u8>,
    /// The document as a JSON tree, for JSON pointers and `$ref` resolution.
    pub value: Value,
    pub spec: OpenAPI,
}

/// Reads and validates the document at `path`.
pub fn load(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::one(path, Location::Document, format!("cannot read the document: {e}"))
    })?;
    parse(path, bytes)
}

/// Parses and validates a document that is already in memory; `path` names it in errors.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, Error> {
    let fail = |location, message: String| Error::one(path, location, message);
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| fail(Location::Document, format!("the document is not UTF-8 text: {e}")))?;
    if text.trim().is_empty() {
        return Err(fail(Location::Document, "the document is empty".into()));
    }
    let value = parse_tree(path, text)?;
    check_version(path, &value)?;
    let spec: OpenAPI = serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer = pointer_of_serde_path(e.path());
        fail(
            Location::pointer(pointer),
            format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
        )
    })?;
    let mut problems = dangling_refs(&value);
    problems.extend(undeclared_path_parameters(&value));
    if !problems.is_empty() {
        return Err(Error {
            file: path.to_owned(),
            problems,
        });
    }
    Ok(Document {
        path: path.to_owned(),
        bytes,
        value,
        spec,
    })
}

/// JSON when the text looks like JSON, YAML otherwise; both report line and column.
fn parse_tree(path: &Path, text: &str) -> Result<Value, Error> {
    let is_json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    if is_json {
        return serde_json::from_str(text).map_err(|e| {
            Error::one(
                path,
                Location::Line {
                    line: e.line(),
                    column: e.column(),
                },
                format!("invalid JSON: {e}"),
            )
        });
    }
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let location = e.location().map_or(Location::Document, |l| Location::Line {
            line: l.line(),
            column: l.column(),
        });
        Error::one(path, location, format!("invalid YAML: {e}"))
    })?;
    yaml_to_json(yaml).map_err(|message| Error::one(path, Location::Document, message))
}

/// YAML allows keys that are not strings (`200:` for a status); OpenAPI means them as strings.
fn yaml_to_json(yaml: serde_yaml_ng::Value) -> Result<Value, String> {
    use serde_yaml_ng::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| format!("unsupported number: {e}"))?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

fn check_version(path: &Path, value: &Value) -> Result<(), Error> {
    let fail = |message: String| Error::one(path, Location::pointer("/openapi"), message);
    let Some(object) = value.as_object() else {
        return Err(Error::one(
            path,
            Location::Document,
            "not an OpenAPI document: the top level is not a mapping",
        ));
    };
    match object.get("openapi") {
        None if object.contains_key("swagger") => Err(fail(
            "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3.0.3".into(),
        )),
        None => Err(Error::one(
            path,
            Location::Document,
            "not an OpenAPI document: it has no `openapi` version field",
        )),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => Err(fail(format!(
            "OpenAPI {v} is not supported: progenitor reads OpenAPI 3.0.x only; write the document as 3.0.3"
        ))),
        Some(other) => Err(fail(format!(
            "unsupported OpenAPI version {other}; this pipeline reads 3.0.x"
        ))),
    }
}

fn pointer_of_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape_pointer(key))),
            Segment::Enum { variant } => Some(format!("/{}", escape_pointer(variant))),
            Segment::Unknown => None,
        })
        .collect()
}

/// Every `$ref` must be local (`#/...`) and point at something that exists.
fn dangling_refs(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk::each_ref(root, &mut |pointer, target| {
        let message = match target.strip_prefix('#') {
            None => Some(format!(
                "`$ref: {target}` points outside the document; only local references (#/...) are supported"
            )),
            Some(target_pointer) if root.pointer(target_pointer).is_none() => {
                Some(format!("`$ref: {target}` points at nothing: no such place in the document"))
            }
            Some(_) => None,
        };
        if let Some(message) = message {
            problems.push(Problem::new(walk::location_of(pointer), message));
        }
    });
    problems
}

/// A `{name}` in a path template must be declared as a path parameter, and the reverse.
fn undeclared_path_parameters(root: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (path, method, operation) in walk::operations(root) {
        let template_names: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        let item_pointer = format!("/paths/{}", escape_pointer(path));
        let declared: Vec<String> = walk::parameters(root, path, operation)
            .into_iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let op_pointer = format!("{item_pointer}/{method}");
        for name in &template_names {
            if !declared.iter().any(|d| d == name) {
                problems.push(Problem::new(
                    Location::in_operation(method, path, &op_pointer),
                    format!("path parameter `{name}` is in the path but not declared in `parameters`"),
                ));
            }
        }
        for name in &declared {
            if !template_names.contains(&name.as_str()) {
                problems.push(Problem::new(
                    Location::in_operation(method, path, &op_pointer),
                    format!("path parameter `{name}` is declared but the path has no `{{{name}}}`"),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(name: &str, text: &str) -> Result<Document, Error> {
        parse(Path::new(name), text.as_bytes().to_vec())
    }

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn yaml_and_json_documents_load() {
        assert!(parse_text("a.yaml", MINIMAL).is_ok());
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert!(parse_text("a.json", json).is_ok());
    }

    #[test]
    fn numeric_yaml_keys_are_read_as_strings() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        200: {description: ok}\n";
        let document = parse_text("a.yaml", text).unwrap();
        assert!(document.value.pointer("/paths/~1x/get/responses/200").is_some());
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse_text("a.yaml", "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert!(matches!(error.problems[0].location, Location::Line { line: 3, .. }), "{error}");
    }

    #[test]
    fn every_problem_of_a_kind_is_reported_at_once() {
        let text = format!("{MINIMAL}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    C: {{$ref: '#/components/schemas/D'}}\n");
        let error = parse_text("a.yaml", &text).unwrap_err();
        assert_eq!(error.problems.len(), 2, "{error}");
        assert!(error.to_string().starts_with("a.yaml: 2 problems"), "{error}");
    }
}
