//! Facts about the document that the syn passes need, read from the document before lowering.
//!
//! Component schema names are UpperCamelCase (the lint makes sure), so a component's Rust
//! type has the component's name, and its fields are found by their serde names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::walk;

/// Rust type name → JSON property names.
pub type FieldsByType = BTreeMap<String, BTreeSet<String>>;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Fields of PATCH bodies that may be left alone, cleared (`null`) or set.
    pub patch_fields: FieldsByType,
    /// Fields marked `x-personal-data: true`, whose values Debug output must not show.
    pub personal_fields: FieldsByType,
}

impl Plan {
    pub fn of(document: &Value) -> Plan {
        Plan {
            patch_fields: patch_fields(document),
            personal_fields: personal_fields(document),
        }
    }
}

fn component(document: &Value, reference: &str) -> Option<(String, Value)> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    let schema = document.pointer(reference.strip_prefix('#')?)?;
    Some((name.to_owned(), schema.clone()))
}

fn patch_fields(document: &Value) -> FieldsByType {
    let mut out = FieldsByType::new();
    for (_, method, operation) in walk::operations(document) {
        if method != "patch" {
            continue;
        }
        let Some(reference) = operation
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some((name, schema)) = component(document, reference) else {
            continue;
        };
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let fields: BTreeSet<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(field, property)| {
                !required.contains(field.as_str()) && property.get("nullable") == Some(&Value::Bool(true))
            })
            .map(|(field, _)| field.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(name, fields);
        }
    }
    out
}

fn personal_fields(document: &Value) -> FieldsByType {
    let mut out = FieldsByType::new();
    let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) else {
        return out;
    };
    for (name, schema) in schemas {
        let fields: BTreeSet<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| property.get("x-personal-data") == Some(&Value::Bool(true)))
            .map(|(field, _)| field.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(name.clone(), fields);
        }
    }
    out
}
