//! Large documents for benchmarks and tests: the operations of a real document cloned under
//! renamed paths and operationIds until there are as many as asked for.

use serde_json::{Map, Value};

use crate::walk;

/// A copy of `base` with exactly `operations` operations (when `base` has any): copy `n` of
/// path `/p` is `/s{n}/p`, and its operationIds end in `S{n}`.
pub fn synthetic_document(base: &Value, operations: usize) -> Value {
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
            for method in walk::METHODS {
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
            if walk::METHODS.iter().any(|m| map.contains_key(*m)) {
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

    #[test]
    fn makes_exactly_the_operations_asked_for_with_unique_ids() {
        let base = serde_json::json!({
            "paths": {
                "/a/{id}": {"get": {"operationId": "getA"}, "patch": {"operationId": "updateA"}},
                "/b": {"post": {"operationId": "createB"}}
            }
        });
        let document = synthetic_document(&base, 7);
        let ops = walk::operations(&document);
        assert_eq!(ops.len(), 7);
        let ids: std::collections::BTreeSet<&str> = ops
            .iter()
            .filter_map(|(_, _, op)| op.get("operationId").and_then(Value::as_str))
            .collect();
        assert_eq!(ids.len(), 7);
        assert!(document.pointer("/paths/~1s2~1a~1{id}/get").is_some());
    }
}
