//! Compares an operation's parameters: path, query and header parameters are builder methods.
//!
//! Path parameters match by position in the path, so a renamed one is reported as renamed;
//! the others match by location and name.

use serde_json::Value;

use super::collect::Collector;
use super::naming;
use super::operations::{Doc, Op};
use super::schemas::{self, Ctx, Side};
use crate::error::escape_pointer;
use crate::walk;

/// A parameter as the operation sees it (path-level ones included).
struct Param {
    name: String,
    location: String,
    required: bool,
    /// Where the parameter object is written (a component when it is a `$ref`).
    pointer: String,
    description: Option<String>,
}

impl Param {
    fn subject(&self) -> String {
        format!("the {} parameter `{}`", self.location, self.name)
    }
}

fn effective(root: &Value, op: &Op) -> Vec<Param> {
    let item_pointer = format!("/paths/{}", escape_pointer(op.path));
    let lists = [
        (
            format!("{item_pointer}/parameters"),
            root.pointer(&format!("{item_pointer}/parameters")),
        ),
        (
            format!("{}/parameters", op.pointer()),
            op.value.get("parameters"),
        ),
    ];
    let mut params: Vec<Param> = Vec::new();
    for (base, list) in lists {
        for (index, written) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let pointer = match written.get("$ref").and_then(Value::as_str) {
                Some(target) => target.trim_start_matches('#').to_owned(),
                None => format!("{base}/{index}"),
            };
            let Some(param) = walk::resolve(root, written) else {
                continue;
            };
            let text = |key: &str| param.get(key).and_then(Value::as_str).map(str::to_owned);
            let (Some(name), Some(location)) = (text("name"), text("in")) else {
                continue;
            };
            let required = location == "path" || param.get("required") == Some(&Value::Bool(true));
            let param = Param {
                name,
                location,
                required,
                pointer,
                description: text("description"),
            };
            // An operation's parameter overrides the path item's of the same name and place.
            params.retain(|p| !(p.name == param.name && p.location == param.location));
            params.push(param);
        }
    }
    params
}

/// Path parameters in the order the path template names them.
fn in_path_order<'p>(params: &'p [Param], path: &str) -> Vec<&'p Param> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .filter_map(|name| {
            params
                .iter()
                .find(|p| p.location == "path" && p.name == name)
        })
        .collect()
}

pub fn compare(d: &mut Collector, old: &mut Doc, new: &mut Doc, before: Op, after: Op) {
    let old_params = effective(old.root, &before);
    let new_params = effective(new.root, &after);
    let method = after.method_name();
    let mut pairs: Vec<(&Param, &Param)> = Vec::new();
    for (a, b) in in_path_order(&old_params, before.path)
        .into_iter()
        .zip(in_path_order(&new_params, after.path))
    {
        if a.name != b.name {
            d.emit(
                "request-parameter-renamed",
                &b.pointer,
                format!("The path parameter `{}` was renamed `{}`.", a.name, b.name),
                format!(
                    "The builder method `.{}()` of {method} is renamed `.{}()`.",
                    naming::field(&a.name),
                    naming::field(&b.name)
                ),
            );
        }
        pairs.push((a, b));
    }
    for a in old_params.iter().filter(|p| p.location != "path") {
        match new_params
            .iter()
            .find(|b| b.location == a.location && b.name == a.name)
        {
            Some(b) => pairs.push((a, b)),
            None => d.emit(
                "request-parameter-removed",
                &a.pointer,
                format!("{} was removed.", naming::capitalised(&a.subject())),
                format!(
                    "The builder method `.{}()` of {method} is removed.",
                    naming::field(&a.name)
                ),
            ),
        }
    }
    for b in new_params.iter().filter(|p| p.location != "path") {
        if old_params
            .iter()
            .any(|a| a.location == b.location && a.name == b.name)
        {
            continue;
        }
        let field = naming::field(&b.name);
        let (id, kind, rust) = if b.required {
            (
                "new-required-request-parameter",
                "required",
                format!(
                    "New builder method `.{field}()` of {method} that must be called: existing calls fail before sending."
                ),
            )
        } else {
            (
                "new-optional-request-parameter",
                "optional",
                format!("New optional builder method `.{field}()` of {method}."),
            )
        };
        d.emit(
            id,
            &b.pointer,
            format!(
                "The {kind} {} parameter `{}` was added.",
                b.location, b.name
            ),
            rust,
        );
    }
    for (a, b) in pairs {
        compare_param(d, old, new, a, b, &method);
    }
}

fn compare_param(
    d: &mut Collector,
    old: &mut Doc,
    new: &mut Doc,
    a: &Param,
    b: &Param,
    method: &str,
) {
    let field = naming::field(&b.name);
    match (a.required, b.required) {
        (false, true) => d.emit(
            "request-parameter-became-required",
            &b.pointer,
            format!("{} became required.", naming::capitalised(&b.subject())),
            format!("Calls to {method} that do not call `.{field}()` fail before sending."),
        ),
        (true, false) => d.emit(
            "request-parameter-became-optional",
            &b.pointer,
            format!("{} became optional.", naming::capitalised(&b.subject())),
            String::new(),
        ),
        _ => {}
    }
    if a.description != b.description {
        d.emit(
            "description-changed",
            &format!("{}/description", b.pointer),
            format!("The description of {} changed.", b.subject()),
            String::new(),
        );
    }
    let before = old.resolver.at(&format!("{}/schema", a.pointer));
    let after = new.resolver.at(&format!("{}/schema", b.pointer));
    if let (Some(before), Some(after)) = (before, after) {
        schemas::compare(d, &Ctx::new(Side::Request, b.subject()), &before, &after);
    }
}
