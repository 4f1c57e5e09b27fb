//! Matches the operations of the two documents and compares each matched pair.
//!
//! Operations match by method and path template with parameter names left out, so that a
//! renamed path parameter is a parameter change, not a removed and an added operation. An
//! operation that moved to another path keeps its operationId, and matches by it.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::collect::Collector;
use super::schema::Resolver;
use super::{bodies, naming, parameters, responses, security};
use crate::error::escape_pointer;
use crate::walk;

/// One document and its schema resolver.
pub struct Doc<'a> {
    pub root: &'a Value,
    pub resolver: Resolver<'a>,
}

/// One operation of a document.
#[derive(Clone, Copy)]
pub struct Op<'a> {
    pub path: &'a str,
    pub method: &'static str,
    pub value: &'a Value,
}

impl Op<'_> {
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    pub fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape_pointer(self.path), self.method)
    }

    pub fn id(&self) -> Option<&str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// The `Client` method, as code: `update_customer()`.
    pub fn method_name(&self) -> String {
        self.id().map_or_else(
            || format!("the {} method", self.label()),
            |id| format!("`{}()`", naming::method(id)),
        )
    }

    fn key(&self) -> String {
        format!("{} {}", self.method, template(self.path))
    }
}

/// The path with parameter names left out: `/v2/customers/{}`.
pub fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push_str("{}");
            }
            '}' => in_braces = false,
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    out
}

pub fn compare(d: &mut Collector, old_root: &Value, new_root: &Value) {
    let old_ops: Vec<Op> = walk::operations(old_root)
        .into_iter()
        .map(|(path, method, value)| Op {
            path,
            method,
            value,
        })
        .collect();
    let new_ops: Vec<Op> = walk::operations(new_root)
        .into_iter()
        .map(|(path, method, value)| Op {
            path,
            method,
            value,
        })
        .collect();
    let mut old = Doc {
        root: old_root,
        resolver: Resolver::new(old_root),
    };
    let mut new = Doc {
        root: new_root,
        resolver: Resolver::new(new_root),
    };

    let mut pairs = Vec::new();
    let mut unmatched_old: Vec<usize> = Vec::new();
    let mut taken = vec![false; new_ops.len()];
    let new_by_key: HashMap<String, usize> = new_ops
        .iter()
        .enumerate()
        .map(|(j, op)| (op.key(), j))
        .collect();
    for (i, op) in old_ops.iter().enumerate() {
        match new_by_key.get(&op.key()).copied() {
            Some(j) => {
                taken[j] = true;
                pairs.push((i, j));
            }
            None => unmatched_old.push(i),
        }
    }
    // An operation that moved keeps its operationId.
    unmatched_old.retain(|&i| {
        let Some(id) = old_ops[i].id() else { return true };
        let Some(j) = (0..new_ops.len()).find(|&j| !taken[j] && new_ops[j].id() == Some(id)) else {
            return true;
        };
        taken[j] = true;
        d.operation = Some(new_ops[j].label());
        d.emit(
            "operation-path-changed",
            &new_ops[j].pointer(),
            format!("Operation `{id}` moved from `{}` to `{}`.", old_ops[i].label(), new_ops[j].label()),
            format!("{} keeps its name and signature; released versions of the crate call the old path.", new_ops[j].method_name()),
        );
        pairs.push((i, j));
        false
    });
    d.operation = None;
    let unmatched_new: Vec<usize> = (0..new_ops.len()).filter(|&j| !taken[j]).collect();
    gone(d, &old_ops, &unmatched_old, new_root, Gone::Removed);
    gone(d, &new_ops, &unmatched_new, old_root, Gone::Added);

    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        compare_operation(d, &mut old, &mut new, old_ops[i], new_ops[j]);
    }
    d.operation = None;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gone {
    Removed,
    Added,
}

/// Reports operations that only one document has: by whole path when the other document has
/// no such path, else one by one.
fn gone(d: &mut Collector, ops: &[Op], indices: &[usize], other_root: &Value, how: Gone) {
    let other_paths: BTreeSet<String> = other_root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, item)| walk::METHODS.iter().any(|m| item.get(*m).is_some()))
        .map(|(path, _)| template(path))
        .collect();
    let mut paths: Vec<&str> = Vec::new();
    for &i in indices {
        if !paths.contains(&ops[i].path) {
            paths.push(ops[i].path);
        }
    }
    for path in paths {
        let here: Vec<Op> = indices
            .iter()
            .map(|&i| ops[i])
            .filter(|op| op.path == path)
            .collect();
        let methods: Vec<String> = here.iter().map(Op::method_name).collect();
        let labels: Vec<String> = here.iter().map(Op::label).collect();
        if !other_paths.contains(&template(path)) {
            let verbs = here
                .iter()
                .map(|op| op.method.to_uppercase())
                .collect::<Vec<_>>()
                .join(", ");
            let (id, message, rust) = match how {
                Gone::Removed => (
                    "path-removed",
                    format!("Path `{path}` was removed with its operations ({verbs})."),
                    format!(
                        "`Client` methods {} are removed; calls to them stop compiling.",
                        methods.join(", ")
                    ),
                ),
                Gone::Added => (
                    "path-added",
                    format!("Path `{path}` was added with its operations ({verbs})."),
                    format!("New `Client` methods {}.", methods.join(", ")),
                ),
            };
            d.emit_for(
                id,
                &format!("/paths/{}", escape_pointer(path)),
                message,
                rust,
                labels,
            );
            continue;
        }
        for op in here {
            let id = op.id().map(|id| format!(" (`{id}`)")).unwrap_or_default();
            let (rule, message, rust) = match how {
                Gone::Removed => (
                    "operation-removed",
                    format!("Operation `{}`{id} was removed.", op.label()),
                    format!(
                        "`Client::{}` and its builder are removed; calls stop compiling.",
                        op.method_name().trim_matches('`')
                    ),
                ),
                Gone::Added => (
                    "operation-added",
                    format!("Operation `{}`{id} was added.", op.label()),
                    format!(
                        "New method `Client::{}` and its builder.",
                        op.method_name().trim_matches('`')
                    ),
                ),
            };
            d.emit_for(rule, &op.pointer(), message, rust, vec![op.label()]);
        }
    }
}

fn compare_operation(d: &mut Collector, old: &mut Doc, new: &mut Doc, before: Op, after: Op) {
    d.operation = Some(after.label());
    if let (Some(a), Some(b)) = (before.id(), after.id())
        && a != b
    {
        d.emit(
            "operation-id-changed",
            &format!("{}/operationId", after.pointer()),
            format!(
                "The operationId of `{}` changed from `{a}` to `{b}`.",
                after.label()
            ),
            format!(
                "`Client::{}()` is renamed `{}()`; calls stop compiling.",
                naming::method(a),
                naming::method(b)
            ),
        );
    }
    for field in ["summary", "description"] {
        if before.value.get(field) != after.value.get(field) {
            d.emit(
                "description-changed",
                &format!("{}/{field}", after.pointer()),
                format!("The {field} of `{}` changed.", after.label()),
                format!("The documentation of {} changes.", after.method_name()),
            );
        }
    }
    parameters::compare(d, old, new, before, after);
    bodies::compare(d, old, new, before, after);
    responses::compare(d, old, new, before, after);
    security::compare(d, old.root, new.root, before, after);
}
