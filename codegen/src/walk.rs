//! Small helpers to walk the document as a JSON tree.

use serde_json::Value;

use crate::error::{Location, escape_pointer, unescape_pointer};

pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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

/// The parameters that apply to an operation, resolved: its path item's, then its own.
pub fn parameters<'a>(root: &'a Value, path: &str, operation: &'a Value) -> Vec<&'a Value> {
    let item = root.pointer(&format!("/paths/{}/parameters", escape_pointer(path)));
    [item, operation.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|p| resolve(root, p))
        .collect()
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
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(key));
                    go(child, pointer, f);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{index}"));
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
