//! A schema as the diff sees it: `$ref`s followed and `allOf: [one]` wrappers folded, so that
//! where a schema is written (inline or in components) does not matter, only what it says.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::{escape_pointer, unescape_pointer};

/// A resolved schema at one place of use.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Where this use is: a property, a parameter's schema, a body.
    pub at: String,
    /// Where the definition is: the component when reached through `$ref`, else `at`.
    pub origin: String,
    /// The component name (the Rust type name) when the schema is a component.
    pub name: Option<String>,
    pub nullable: bool,
    pub description: Option<String>,
    /// Where the description was written (a wrapper or the definition).
    pub description_at: String,
    pub ty: Option<String>,
    pub format: Option<String>,
    /// `default`: an optional property with one is `T`, filled in when absent, not `Option<T>`.
    pub default: Option<Value>,
    pub enum_values: Option<Vec<Value>>,
    pub limits: Limits,
    pub properties: Vec<(String, Schema)>,
    pub required: BTreeSet<String>,
    pub items: Option<Box<Schema>>,
    /// The schema of properties the document does not name (`additionalProperties`), which
    /// the generator makes a catch-all map field.
    pub additional: Option<Box<Schema>>,
    /// Constructs compared as a whole (oneOf, anyOf, several allOf, not).
    pub composite: Option<Value>,
    /// A `$ref` back into a schema that is being resolved: compared by name only.
    pub recursive: bool,
}

/// The keywords that restrict which values are valid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits {
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

impl Schema {
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The Rust type family the generator gives the schema; a change of family changes the
    /// type of every field and setter that uses it.
    pub fn rust_kind(&self) -> String {
        if self.composite.is_some() {
            return "a composite type".into();
        }
        if self.enum_values.is_some() {
            return "an enum".into();
        }
        let format = self.format.as_deref();
        match self.ty.as_deref() {
            Some("string") => match format {
                Some("uuid") => "uuid::Uuid",
                Some("date-time") => "chrono::DateTime<Utc>",
                Some("date") => "chrono::NaiveDate",
                _ => "String",
            }
            .into(),
            Some("integer") => match format {
                Some("int32") => "i32".into(),
                Some("int64") | None => "i64".into(),
                Some(other) => format!("integer ({other})"),
            },
            Some("number") => match format {
                Some("float") => "f32",
                _ => "f64",
            }
            .into(),
            Some("boolean") => "bool".into(),
            Some("array") => "Vec<_>".into(),
            Some("object") => "a struct".into(),
            None if !self.properties.is_empty() => "a struct".into(),
            None if self.recursive => "a struct".into(),
            None => "serde_json::Value".into(),
            Some(other) => other.into(),
        }
    }
}

/// Resolves schemas of one document.
pub struct Resolver<'a> {
    root: &'a Value,
    /// Components being resolved, to stop at recursion.
    stack: Vec<String>,
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Value) -> Self {
        Resolver {
            root,
            stack: Vec::new(),
        }
    }

    /// The schema written at `pointer` (which must exist).
    pub fn at(&mut self, pointer: &str) -> Option<Schema> {
        let value = self.root.pointer(pointer)?;
        Some(self.schema(value, pointer))
    }

    pub fn schema(&mut self, value: &Value, at: &str) -> Schema {
        if let Some(target) = value.get("$ref").and_then(Value::as_str) {
            return self.reference(target, at);
        }
        if let Some(single) = single_all_of(value) {
            let mut inner = self.schema(single, &format!("{at}/allOf/0"));
            let outer_type = value.get("type").and_then(Value::as_str);
            if outer_type.is_some() && inner.ty.is_some() && inner.ty.as_deref() != outer_type {
                // A wrapper that contradicts its member is compared as written.
                return self.plain(value, at);
            }
            inner.ty = inner.ty.or(outer_type.map(str::to_owned));
            inner.at = at.to_owned();
            inner.nullable |= value.get("nullable") == Some(&Value::Bool(true));
            if let Some(default) = value.get("default") {
                inner.default = Some(default.clone());
            }
            if let Some(description) = value.get("description").and_then(Value::as_str) {
                inner.description = Some(description.to_owned());
                inner.description_at = at.to_owned();
            }
            return inner;
        }
        self.plain(value, at)
    }

    fn reference(&mut self, target: &str, at: &str) -> Schema {
        let pointer = target.strip_prefix('#').unwrap_or(target);
        let name = pointer
            .strip_prefix("/components/schemas/")
            .map(unescape_pointer);
        let Some(value) = self.root.pointer(pointer) else {
            // load() refuses dangling references; keep going with what is known.
            return Schema {
                at: at.to_owned(),
                origin: pointer.to_owned(),
                name,
                recursive: true,
                ..Schema::default()
            };
        };
        if self.stack.iter().any(|p| p == pointer) {
            return Schema {
                at: at.to_owned(),
                origin: pointer.to_owned(),
                name,
                recursive: true,
                ..Schema::default()
            };
        }
        self.stack.push(pointer.to_owned());
        let mut schema = self.schema(value, pointer);
        self.stack.pop();
        schema.at = at.to_owned();
        if name.is_some() {
            schema.name = name;
        }
        schema
    }

    fn plain(&mut self, value: &Value, at: &str) -> Schema {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| value.get(key).and_then(Value::as_f64);
        let flag = |key: &str| value.get(key) == Some(&Value::Bool(true));
        let properties = value
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, child)| {
                let pointer = format!("{at}/properties/{}", escape_pointer(name));
                (name.clone(), self.schema(child, &pointer))
            })
            .collect();
        let items = value
            .get("items")
            .map(|items| Box::new(self.schema(items, &format!("{at}/items"))));
        // `true` is what an absent keyword means already: the generator adds a catch-all
        // map field only for a schema.
        let additional = match value.get("additionalProperties") {
            None | Some(Value::Bool(_)) => None,
            Some(schema) => Some(Box::new(
                self.schema(schema, &format!("{at}/additionalProperties")),
            )),
        };
        let composite_keys = ["oneOf", "anyOf", "allOf", "not"];
        let composite: serde_json::Map<String, Value> = composite_keys
            .iter()
            .filter_map(|k| value.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect();
        Schema {
            at: at.to_owned(),
            origin: at.to_owned(),
            name: None,
            // As codegen reads it: `nullable: true`, or no constraint at all (any value, null too).
            nullable: crate::plan::admits_null(value),
            description: text("description"),
            description_at: at.to_owned(),
            ty: text("type"),
            format: text("format"),
            enum_values: value.get("enum").and_then(Value::as_array).cloned(),
            limits: Limits {
                max_length: value.get("maxLength").and_then(Value::as_u64),
                min_length: value.get("minLength").and_then(Value::as_u64),
                pattern: text("pattern"),
                minimum: number("minimum"),
                maximum: number("maximum"),
                exclusive_minimum: flag("exclusiveMinimum"),
                exclusive_maximum: flag("exclusiveMaximum"),
                min_items: value.get("minItems").and_then(Value::as_u64),
                max_items: value.get("maxItems").and_then(Value::as_u64),
            },
            default: value.get("default").cloned(),
            properties,
            required: value
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            items,
            additional,
            composite: (!composite.is_empty()).then_some(Value::Object(composite)),
            recursive: false,
        }
    }
}

/// `allOf` with one member and nothing else that shapes values: the wrapper OpenAPI 3.0
/// needs to make a `$ref` nullable or describe it.
fn single_all_of(value: &Value) -> Option<&Value> {
    let map = value.as_object()?;
    let [single] = map.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    // `type` may repeat the member's type; a contradicting one is caught by the caller.
    let shaping = [
        "properties",
        "items",
        "enum",
        "oneOf",
        "anyOf",
        "format",
        "additionalProperties",
    ];
    (!shaping.iter().any(|k| map.contains_key(*k))).then_some(single)
}
