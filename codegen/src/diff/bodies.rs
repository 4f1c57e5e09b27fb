//! Compares an operation's request body: present or not, required or not, and its schema.

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::collect::Collector;
use super::operations::{Doc, Op};
use super::schemas::{self, Ctx, Side};
use crate::walk;

/// The request body: (pointer of the body object, required, pointer of its JSON schema).
fn body(root: &Value, op: &Op) -> Option<(String, bool, String)> {
    let written = op.value.get("requestBody")?;
    let pointer = match written.get("$ref").and_then(Value::as_str) {
        Some(target) => target.trim_start_matches('#').to_owned(),
        None => format!("{}/requestBody", op.pointer()),
    };
    let resolved = walk::resolve(root, written)?;
    let required = resolved.get("required") == Some(&Value::Bool(true));
    let schema = format!("{pointer}/content/application~1json/schema");
    Some((pointer, required, schema))
}

pub fn compare(d: &mut Collector, old: &mut Doc, new: &mut Doc, before: Op, after: Op) {
    let method = after.method_name();
    match (body(old.root, &before), body(new.root, &after)) {
        (None, None) => {}
        (None, Some((pointer, _, _))) => d.emit(
            "request-body-added",
            &pointer,
            format!("`{}` now takes a request body.", after.label()),
            format!("The builder of {method} gains `body`/`body_map`."),
        ),
        (Some((pointer, _, _)), None) => d.emit(
            "request-body-removed",
            &pointer,
            format!("`{}` no longer takes a request body.", after.label()),
            format!(
                "The builder of {method} loses `body`/`body_map`; calls to them stop compiling."
            ),
        ),
        (Some((_, was_required, old_schema)), Some((pointer, required, new_schema))) => {
            match (was_required, required) {
                (false, true) => d.emit(
                    "request-body-became-required",
                    &pointer,
                    format!("The request body of `{}` became required.", after.label()),
                    format!("Calls to {method} without a body fail before sending."),
                ),
                (true, false) => d.emit(
                    "request-body-became-optional",
                    &pointer,
                    format!("The request body of `{}` became optional.", after.label()),
                    String::new(),
                ),
                _ => {}
            }
            let old_schema = old.resolver.at(&old_schema);
            let new_schema = new.resolver.at(&new_schema);
            if let (Some(old_schema), Some(new_schema)) = (old_schema, new_schema) {
                let mut ctx = Ctx::new(Side::Request, format!("the request body of {method}"));
                if let Some(id) = after.id() {
                    // progenitor names an inline body after the operation.
                    ctx = ctx.named_inline(format!("{}Body", id.to_upper_camel_case()));
                }
                ctx.patch_body = crate::lint::is_update(after.method);
                schemas::compare(d, &ctx, &old_schema, &new_schema);
            }
        }
    }
}
