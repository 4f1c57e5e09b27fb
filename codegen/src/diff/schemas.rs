//! Compares two resolved schemas at the same place: names, types, enums, limits, properties.
//!
//! The same document change means different things on the two sides: requests are checked
//! strictly by the builder and the service, responses are decoded tolerantly. The [`Ctx`]
//! says which side a schema is on, so that each difference gets the rule of its side.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::collect::Collector;
use super::naming;
use super::schema::{Limits, Schema};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// Where the schemas being compared are used.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub side: Side,
    /// The schemas are a PATCH or PUT body: optional nullable fields are `Patch<T>`.
    pub patch_body: bool,
    /// What is being compared, for messages ("the request body of `update_customer()`").
    pub subject: String,
    /// The name the generator gives the schema here when it is written inline and becomes a
    /// type of its own (`CreateDependentRequestRelationshipType`), when known.
    pub inline_name: Option<String>,
}

impl Ctx {
    pub fn new(side: Side, subject: impl Into<String>) -> Self {
        Ctx {
            side,
            patch_body: false,
            subject: subject.into(),
            inline_name: None,
        }
    }

    pub fn named_inline(mut self, name: String) -> Self {
        self.inline_name = Some(name);
        self
    }

    fn child(&self, subject: String, inline_name: Option<String>) -> Ctx {
        Ctx {
            side: self.side,
            patch_body: false,
            subject,
            inline_name,
        }
    }

    /// The rule id for this side.
    fn pick(&self, request: &'static str, response: &'static str) -> &'static str {
        match self.side {
            Side::Request => request,
            Side::Response => response,
        }
    }
}

/// A type as the report names it: generated types with their module.
fn path((name, named): &(String, bool)) -> String {
    if *named {
        format!("carecycle::types::{name}")
    } else {
        name.clone()
    }
}

/// The Rust type the schema has here, and whether the generator names it (a type of its own
/// in `carecycle::types`) or it is a plain type (`String`, `Vec<_>`). `None` when it is
/// named but the name is not known.
fn rust_type(ctx: &Ctx, schema: &Schema) -> Option<(String, bool)> {
    if schema.recursive && schema.name.is_none() {
        return None;
    }
    match type_name(ctx, schema) {
        Some(name) => Some((name, true)),
        None if generates_type(ctx, schema) => None,
        None => Some((schema.rust_kind(), false)),
    }
}

/// The Rust type the generator names for the schema here: the component's name, or for an
/// inline schema that becomes a type of its own (a struct, an enum, a string with request
/// limits) the name it is given where it is written. `None` for plain types (`String`,
/// `Vec<T>`) and where the inline name is not known.
fn type_name(ctx: &Ctx, schema: &Schema) -> Option<String> {
    if let Some(name) = &schema.name {
        return Some(name.clone());
    }
    generates_type(ctx, schema)
        .then(|| ctx.inline_name.clone())
        .flatten()
}

/// Whether an inline schema becomes a type of its own: a struct, an enum, a string with
/// request limits (a validated newtype).
fn generates_type(ctx: &Ctx, schema: &Schema) -> bool {
    // A string the generator maps to another type (`uuid::Uuid`, dates) keeps that type.
    let limited_string = schema.enum_values.is_none()
        && schema.rust_kind() == "String"
        && ctx.side == Side::Request
        && (schema.limits.max_length.is_some()
            || schema.limits.min_length.is_some()
            || schema.limits.pattern.is_some());
    schema.enum_values.is_some()
        || !schema.properties.is_empty()
        || schema.composite.is_some()
        || limited_string
}

/// The subject of value-level changes: a named schema is named, so that a shared component's
/// change reads the same from every place that uses it.
fn value_subject(ctx: &Ctx, schema: &Schema) -> String {
    schema
        .name
        .as_ref()
        .map_or_else(|| ctx.subject.clone(), |n| format!("schema `{n}`"))
}

pub fn compare(d: &mut Collector, ctx: &Ctx, old: &Schema, new: &Schema) {
    // A component's type is named after it, an inline type after where it is written: moving
    // a schema between the two renames its type unless the names happen to agree.
    let (before, after) = (rust_type(ctx, old), rust_type(ctx, new));
    if let (Some(before), Some(after)) = (&before, &after)
        && before != after
        && (before.1 || after.1)
    {
        let describe = |schema: &Schema, (name, named): &(String, bool)| match (&schema.name, named)
        {
            (Some(_), _) => format!("schema `{name}`"),
            (None, true) => format!("an inline schema (type `{name}`)"),
            (None, false) => format!("an inline schema (`{name}`)"),
        };
        let (before, after) = (before.clone(), after.clone());
        d.emit(
            "schema-renamed",
            &new.at,
            format!(
                "{} now uses {} instead of {}.",
                naming::capitalised(&ctx.subject),
                describe(new, &after),
                describe(old, &before)
            ),
            format!(
                "The Rust type `{}` used here becomes `{}`.",
                path(&before),
                path(&after)
            ),
        );
    }
    if old.recursive || new.recursive {
        return;
    }
    let subject = value_subject(ctx, new);
    if old.description != new.description {
        d.emit(
            "description-changed",
            &new.description_at,
            format!("The description of {subject} changed."),
            String::new(),
        );
    }
    let (old_kind, new_kind) = (old.rust_kind(), new.rust_kind());
    if old.composite != new.composite {
        d.emit(
            ctx.pick("request-type-changed", "response-type-changed"),
            &new.origin,
            format!("The composition (oneOf, anyOf, allOf or not) of {subject} changed."),
            "The Rust type generated for the composition changes.".into(),
        );
        return;
    }
    if old_kind != new_kind {
        d.emit(
            ctx.pick("request-type-changed", "response-type-changed"),
            &new.origin,
            format!(
                "The type of {subject} changed from {} to {}.",
                describe_type(old),
                describe_type(new)
            ),
            format!("Its Rust type changes from `{old_kind}` to `{new_kind}`."),
        );
        return;
    }
    if old.format != new.format {
        d.emit(
            ctx.pick("request-format-changed", "response-format-changed"),
            &new.origin,
            format!(
                "The format of {subject} changed from {} to {}.",
                describe_type(old),
                describe_type(new)
            ),
            format!("No API change: the Rust type stays `{new_kind}`."),
        );
    }
    compare_enums(d, ctx, &subject, old, new);
    compare_limits(d, ctx, &subject, old, new);
    compare_properties(d, ctx, old, new);
    if let (Some(old_items), Some(new_items)) = (&old.items, &new.items) {
        let inline_name = type_name(ctx, new)
            .or_else(|| ctx.inline_name.clone())
            .map(|n| format!("{n}Item"));
        compare(
            d,
            &ctx.child(format!("the items of {}", ctx.subject), inline_name),
            old_items,
            new_items,
        );
    }
    compare_additional(d, ctx, &subject, old, new);
}

/// `additionalProperties` is a catch-all map field on the generated struct.
fn compare_additional(d: &mut Collector, ctx: &Ctx, subject: &str, old: &Schema, new: &Schema) {
    let field = new
        .name
        .as_ref()
        .map_or_else(|| "the inline type".into(), |n| format!("`{n}`"));
    match (&old.additional, &new.additional) {
        (None, Some(after)) => d.emit(
            "additional-properties-added",
            &after.at,
            format!(
                "{} now keeps properties the document does not name (additionalProperties).",
                naming::capitalised(subject)
            ),
            format!("{field} gains a catch-all map field on a `#[non_exhaustive]` type."),
        ),
        (Some(before), None) => d.emit(
            "additional-properties-removed",
            &before.at,
            format!(
                "{} no longer keeps properties the document does not name (additionalProperties).",
                naming::capitalised(subject)
            ),
            format!("{field} loses its catch-all map field; code reading it stops compiling."),
        ),
        (Some(before), Some(after)) => {
            compare(
                d,
                &ctx.child(format!("the additional properties of {subject}"), None),
                before,
                after,
            );
        }
        (None, None) => {}
    }
}

fn describe_type(schema: &Schema) -> String {
    let ty = schema.ty.as_deref().unwrap_or("any");
    match (&schema.enum_values, &schema.format) {
        (Some(_), _) => format!("`{ty}` enum"),
        (None, Some(format)) => format!("`{ty}` (format `{format}`)"),
        (None, None) => format!("`{ty}`"),
    }
}

fn non_null(values: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    values.iter().filter(|value| !value.is_null()).collect()
}

fn compare_enums(d: &mut Collector, ctx: &Ctx, subject: &str, old: &Schema, new: &Schema) {
    let (Some(old_values), Some(new_values)) = (&old.enum_values, &new.enum_values) else {
        return;
    };
    let pointer = format!("{}/enum", new.origin);
    let type_name = new.name.clone().unwrap_or_else(|| "the enum".into());
    // `null` is no variant: an enum lists it together with `nullable: true` (the lint refuses
    // one without the other), and the fields holding the enum become `Option`s, which the
    // property rules report.
    let (old_values, new_values) = (non_null(old_values), non_null(new_values));
    for value in new_values
        .iter()
        .copied()
        .filter(|v| !old_values.contains(v))
    {
        let variant = format!("`{type_name}::{}`", naming::variant(value));
        let (id, rust) = match ctx.side {
            Side::Request => (
                "request-enum-value-added",
                format!("New variant {variant}; consumers may send it."),
            ),
            Side::Response => (
                "response-enum-value-added",
                format!(
                    "New variant {variant}; released versions decode the value as `Unrecognized(\"{}\")`.",
                    naming::literal(value)
                ),
            ),
        };
        d.emit(
            id,
            &pointer,
            format!("Value `{}` was added to {subject}.", naming::literal(value)),
            rust,
        );
    }
    for value in old_values
        .iter()
        .copied()
        .filter(|v| !new_values.contains(v))
    {
        let variant = format!("`{type_name}::{}`", naming::variant(value));
        let (id, rust) = match ctx.side {
            Side::Request => (
                "request-enum-value-removed",
                format!(
                    "Variant {variant} is removed; the service rejects the value consumers may be sending."
                ),
            ),
            Side::Response => (
                "response-enum-value-removed",
                format!("Variant {variant} is removed: `match` arms naming it stop compiling."),
            ),
        };
        let pointer = format!("{}/enum", old.origin);
        d.emit(
            id,
            &pointer,
            format!(
                "Value `{}` was removed from {subject}.",
                naming::literal(value)
            ),
            rust,
        );
    }
}

fn compare_limits(d: &mut Collector, ctx: &Ctx, subject: &str, old: &Schema, new: &Schema) {
    let (a, b) = (&old.limits, &new.limits);
    if a == b {
        return;
    }
    let pointer = new.origin.as_str();
    if ctx.side == Side::Response {
        let what = changed_limit_names(a, b).join(", ");
        d.emit(
            "response-limit-changed",
            pointer,
            format!("The {what} of {subject} changed; responses are read without limits."),
            String::new(),
        );
        return;
    }
    // maxLength: lower or new is tighter.
    if a.max_length != b.max_length {
        let tighter = match (a.max_length, b.max_length) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y < x,
            _ => false,
        };
        let id = if tighter {
            "request-max-length-decreased"
        } else {
            "request-max-length-increased"
        };
        d.emit(
            id,
            pointer,
            format!(
                "The maxLength of {subject} changed from {} to {}.",
                show(a.max_length),
                show(b.max_length)
            ),
            String::new(),
        );
    }
    match (&a.pattern, &b.pattern) {
        (None, Some(p)) => d.emit(
            "request-pattern-added",
            pointer,
            format!("{} now must match `{p}`.", naming::capitalised(subject)),
            String::new(),
        ),
        (Some(_), None) => d.emit(
            "request-pattern-removed",
            pointer,
            format!("The pattern of {subject} was removed."),
            String::new(),
        ),
        (Some(x), Some(y)) if x != y => d.emit(
            "request-pattern-changed",
            pointer,
            format!("The pattern of {subject} changed from `{x}` to `{y}`."),
            String::new(),
        ),
        _ => {}
    }
    let bounds = [
        (
            "minLength",
            a.min_length.map(|v| v as f64),
            b.min_length.map(|v| v as f64),
            true,
        ),
        ("minimum", a.minimum, b.minimum, true),
        ("maximum", a.maximum, b.maximum, false),
        (
            "minItems",
            a.min_items.map(|v| v as f64),
            b.min_items.map(|v| v as f64),
            true,
        ),
        (
            "maxItems",
            a.max_items.map(|v| v as f64),
            b.max_items.map(|v| v as f64),
            false,
        ),
    ];
    for (keyword, before, after, lower_bound) in bounds {
        if before == after {
            continue;
        }
        let tighter = match (before, after) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => (y > x) == lower_bound,
            (None, None) => false,
        };
        let id = if tighter {
            "request-range-narrowed"
        } else {
            "request-range-widened"
        };
        d.emit(
            id,
            pointer,
            format!(
                "The {keyword} of {subject} changed from {} to {}.",
                show(before),
                show(after)
            ),
            String::new(),
        );
    }
    for (keyword, before, after) in [
        ("exclusiveMinimum", a.exclusive_minimum, b.exclusive_minimum),
        ("exclusiveMaximum", a.exclusive_maximum, b.exclusive_maximum),
    ] {
        if before != after {
            let id = if after {
                "request-range-narrowed"
            } else {
                "request-range-widened"
            };
            d.emit(
                id,
                pointer,
                format!("{keyword} of {subject} changed from {before} to {after}."),
                String::new(),
            );
        }
    }
}

fn changed_limit_names(a: &Limits, b: &Limits) -> Vec<&'static str> {
    let mut names = Vec::new();
    if a.max_length != b.max_length {
        names.push("maxLength");
    }
    if a.min_length != b.min_length {
        names.push("minLength");
    }
    if a.pattern != b.pattern {
        names.push("pattern");
    }
    if a.minimum != b.minimum || a.exclusive_minimum != b.exclusive_minimum {
        names.push("minimum");
    }
    if a.maximum != b.maximum || a.exclusive_maximum != b.exclusive_maximum {
        names.push("maximum");
    }
    if a.min_items != b.min_items {
        names.push("minItems");
    }
    if a.max_items != b.max_items {
        names.push("maxItems");
    }
    names
}

fn show<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "none".into(), |v| v.to_string())
}

fn compare_properties(d: &mut Collector, ctx: &Ctx, old: &Schema, new: &Schema) {
    let owner_type_name = type_name(ctx, new);
    let owner = new
        .name
        .as_ref()
        .map_or_else(|| ctx.subject.clone(), |n| format!("`{n}`"));
    let owner_type = new.name.clone();
    let field_path = |name: &str| match &owner_type {
        Some(type_name) => format!("`{type_name}::{}`", naming::field(name)),
        None => format!("`{}` of the inline type", naming::field(name)),
    };
    for (name, _) in old
        .properties
        .iter()
        .filter(|(n, _)| new.property(n).is_none())
    {
        let pointer = format!(
            "{}/properties/{}",
            old.origin,
            crate::error::escape_pointer(name)
        );
        let rust = match ctx.side {
            Side::Request => format!(
                "Field {} and its builder setter are removed.",
                field_path(name)
            ),
            Side::Response => format!(
                "Field {} is removed; code reading it stops compiling.",
                field_path(name)
            ),
        };
        d.emit(
            ctx.pick("request-property-removed", "response-property-removed"),
            &pointer,
            format!("Property `{name}` was removed from {owner}."),
            rust,
        );
    }
    for (name, after) in &new.properties {
        let required = new.required.contains(name);
        let Some(before) = old.property(name) else {
            let (id, rust) = match (ctx.side, required) {
                (Side::Request, true) => (
                    "new-required-request-property",
                    format!(
                        "New required field {}: the builder refuses to send until it is set.",
                        field_path(name)
                    ),
                ),
                (Side::Request, false) => (
                    "new-optional-request-property",
                    format!(
                        "New optional field {} with a builder setter.",
                        field_path(name)
                    ),
                ),
                (Side::Response, _) => (
                    "response-property-added",
                    format!(
                        "New field {} on a `#[non_exhaustive]` type.",
                        field_path(name)
                    ),
                ),
            };
            let kind = if required { "required" } else { "optional" };
            d.emit(
                id,
                &after.at,
                format!("The {kind} property `{name}` was added to {owner}."),
                rust,
            );
            continue;
        };
        let was_required = old.required.contains(name);
        let flags = Flags {
            name,
            field: field_path(name),
            owner: &owner,
            pointer: &after.at,
            required: (was_required, required),
            nullable: (before.nullable, after.nullable),
        };
        match ctx.side {
            Side::Request => request_flags(d, ctx, &flags),
            Side::Response => response_flags(d, &flags),
        }
        compare_default(d, &flags, before, after);
        let inline_name = owner_type_name
            .as_ref()
            .map(|t| format!("{t}{}", name.to_upper_camel_case()));
        let child = ctx.child(format!("property `{name}` of {owner}"), inline_name);
        compare(d, &child, before, after);
    }
}

/// An optional, non-nullable property with a `default` is `T` (filled in when absent), without
/// one `Option<T>`; a required or nullable one keeps its type either way.
fn compare_default(d: &mut Collector, f: &Flags, before: &Schema, after: &Schema) {
    if before.default == after.default {
        return;
    }
    let (name, owner) = (f.name, f.owner);
    let optional = !f.required.0 && !f.required.1 && !f.nullable.0 && !f.nullable.1;
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map_or_else(|| "none".to_owned(), |v| format!("`{v}`"))
    };
    let message = format!(
        "The default of property `{name}` of {owner} changed from {} to {}.",
        show(&before.default),
        show(&after.default)
    );
    let (id, rust) = match (&before.default, &after.default) {
        (None, Some(_)) if optional => (
            "default-added",
            format!(
                "Field {} changes from `Option<T>` to `T`, filled in with the default when absent.",
                f.field
            ),
        ),
        (Some(_), None) if optional => (
            "default-removed",
            format!("Field {} changes from `T` to `Option<T>`.", f.field),
        ),
        _ => (
            "default-changed",
            format!(
                "No type change: builders and decoding fill in {} when {} is absent.",
                show(&after.default),
                f.field
            ),
        ),
    };
    d.emit(id, f.pointer, message, rust);
}

/// A property's required and nullable flags, before and after.
struct Flags<'a> {
    name: &'a str,
    field: String,
    owner: &'a str,
    pointer: &'a str,
    required: (bool, bool),
    nullable: (bool, bool),
}

fn request_flags(d: &mut Collector, ctx: &Ctx, f: &Flags) {
    let (name, owner) = (f.name, f.owner);
    match f.required {
        (false, true) => d.emit(
            "request-property-became-required",
            f.pointer,
            format!("Property `{name}` of {owner} became required."),
            format!("The builder refuses to send until {} is set.", f.field),
        ),
        (true, false) if f.nullable.0 => d.emit(
            "request-property-presence-changed",
            f.pointer,
            format!("Nullable property `{name}` of {owner} became optional."),
            format!("No API change: {} stays `Option<T>`; the builder no longer insists on it.", f.field),
        ),
        (true, false) => d.emit(
            "request-property-became-optional",
            f.pointer,
            format!("Property `{name}` of {owner} became optional."),
            format!("Field {} changes from `T` to `Option<T>`: code building or reading the struct stops compiling.", f.field),
        ),
        _ => {}
    }
    let (was, is) = f.nullable;
    if was == is {
        return;
    }
    let optional_throughout = !f.required.0 && !f.required.1;
    let now = if is {
        "became nullable"
    } else {
        "is no longer nullable"
    };
    let message = format!("Property `{name}` of {owner} {now}.");
    let field = naming::field(name);
    let (id, rust) = match (ctx.patch_body && optional_throughout, f.required, is) {
        (true, _, true) => (
            "patch-field-became-clearable",
            format!(
                "Field {} changes from `Option<T>` to `carecycle::Patch<T>`; the builder gains `clear_{field}()`.",
                f.field
            ),
        ),
        (true, _, false) => (
            "patch-field-no-longer-clearable",
            format!(
                "The builder's `clear_{field}()` is removed and {} changes from `carecycle::Patch<T>` to `Option<T>`.",
                f.field
            ),
        ),
        (false, (true, true), _) => (
            "request-required-property-nullability-changed",
            format!("Field {} changes between `T` and `Option<T>`.", f.field),
        ),
        (false, _, true) => ("request-property-became-nullable", String::new()),
        (false, _, false) => ("request-property-became-non-nullable", String::new()),
    };
    d.emit(id, f.pointer, message, rust);
}

fn response_flags(d: &mut Collector, f: &Flags) {
    let (name, owner) = (f.name, f.owner);
    let optional = |required: bool, nullable: bool| !required || nullable;
    let was_option = optional(f.required.0, f.nullable.0);
    let is_option = optional(f.required.1, f.nullable.1);
    let required_changed = f.required.0 != f.required.1;
    if !required_changed && f.nullable.0 == f.nullable.1 {
        return;
    }
    let (id, what) = match (was_option, is_option) {
        (false, true) if required_changed => {
            ("response-property-became-optional", "became optional")
        }
        (false, true) => ("response-property-became-nullable", "became nullable"),
        (true, false) if required_changed => {
            ("response-property-became-required", "became required")
        }
        (true, false) => (
            "response-property-became-non-nullable",
            "is no longer nullable",
        ),
        _ => {
            let what: BTreeSet<&str> = [
                (
                    required_changed,
                    if f.required.1 {
                        "became required"
                    } else {
                        "became optional"
                    },
                ),
                (
                    f.nullable.0 != f.nullable.1,
                    if f.nullable.1 {
                        "became nullable"
                    } else {
                        "is no longer nullable"
                    },
                ),
            ]
            .into_iter()
            .filter_map(|(changed, text)| changed.then_some(text))
            .collect();
            let what = what.into_iter().collect::<Vec<_>>().join(" and ");
            if f.required == (true, false) && f.nullable.0 {
                d.emit(
                    "response-nullable-property-became-optional",
                    f.pointer,
                    format!("Property `{name}` of {owner} {what}."),
                    format!(
                        "Field {} stays `Option<T>`, but released versions require the key and fail to decode a response without it.",
                        f.field
                    ),
                );
                return;
            }
            d.emit(
                "response-property-presence-changed",
                f.pointer,
                format!("Property `{name}` of {owner} {what}."),
                format!(
                    "No API change: {} is `Option<T>` before and after.",
                    f.field
                ),
            );
            return;
        }
    };
    let rust = if is_option {
        format!(
            "Field {} changes from `T` to `Option<T>`; code reading it stops compiling.",
            f.field
        )
    } else {
        format!(
            "Field {} changes from `Option<T>` to `T`; code reading it stops compiling.",
            f.field
        )
    };
    d.emit(
        id,
        f.pointer,
        format!("Property `{name}` of {owner} {what}."),
        rust,
    );
}
