//! Step 1: read the document (YAML or JSON) and check that it is an OpenAPI 3.0 document that
//! the later steps can rely on: every `$ref` resolves, every path parameter is declared.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Location, Problem, escape_pointer};
use crate::{refs, walk, yaml};

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
        Error::one(
            path,
            Location::Document,
            format!("cannot read the document: {e}"),
        )
    })?;
    parse(path, bytes)
}

/// Parses and validates a document that is already in memory; `path` names it in errors.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, Error> {
    let fail = |location, message: String| Error::one(path, location, message);
    // A byte-order mark is allowed before the text; it is not part of the document.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(text).map_err(|e| {
        let (line, column) = line_and_column(&text[..e.valid_up_to()]);
        fail(
            Location::Line { line, column },
            "the document is not UTF-8 text: this byte starts no UTF-8 character".into(),
        )
    })?;
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
    problems.extend(refs::misplaced(&value));
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
    let is_json =
        path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
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
    yaml::parse(text).map_err(|(location, message)| Error::one(path, location, message))
}

/// The 1-based line and column (in characters) just after `text`.
fn line_and_column(text: &[u8]) -> (usize, usize) {
    let line_start = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = text.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&text[line_start..]).chars().count() + 1;
    (line, column)
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
            Some(target_pointer) if root.pointer(target_pointer).is_none() => Some(format!(
                "`$ref: {target}` points at nothing: no such place in the document"
            )),
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
                    format!(
                        "path parameter `{name}` is in the path but not declared in `parameters`"
                    ),
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
        assert!(
            document
                .value
                .pointer("/paths/~1x/get/responses/200")
                .is_some()
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse_text("a.yaml", "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert!(
            matches!(error.problems[0].location, Location::Line { line: 3, .. }),
            "{error}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        assert!(parse_text("a.yaml", &format!("\u{feff}{MINIMAL}")).is_ok());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let mut bytes = b"openapi: 3.0.3\ninfo: {title: t\xFF".to_vec();
        bytes.extend_from_slice(b", version: '1'}\n");
        let error = parse(Path::new("a.yaml"), bytes).unwrap_err();
        assert_eq!(
            error.problems[0].location,
            Location::Line {
                line: 2,
                column: 16
            },
            "{error}"
        );
    }

    #[test]
    fn every_problem_of_a_kind_is_reported_at_once() {
        let text = format!(
            "{MINIMAL}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    C: {{$ref: '#/components/schemas/D'}}\n"
        );
        let error = parse_text("a.yaml", &text).unwrap_err();
        assert_eq!(error.problems.len(), 2, "{error}");
        assert!(
            error.to_string().starts_with("a.yaml: 2 problems"),
            "{error}"
        );
    }
}
