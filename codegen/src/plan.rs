//! Facts about the document that the syn passes need, read from the document before lowering.
//!
//! Component schema names are UpperCamelCase (the lint makes sure), so a component's Rust
//! type has the component's name, and its fields are found by their serde names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use crate::walk::RawMedia;
use crate::{constructs, walk};

/// Rust type name → JSON property names.
pub type FieldsByType = BTreeMap<String, BTreeSet<String>>;

/// Rust type name → JSON property name → (minItems, maxItems).
pub type ItemLimits = BTreeMap<String, BTreeMap<String, (Option<u64>, Option<u64>)>>;

/// In [`Plan::personal_fields`], stands for a type's catch-all of unnamed properties (its
/// `additionalProperties`, a flattened map in Rust).
pub const CATCH_ALL: &str = "additionalProperties";

/// What the document says about one property of a component, for the JSON Schema the
/// generated types describe themselves with (the `json_schema` pass).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PropertyFacts {
    /// The property admits `null` (see [`admits_null`]).
    pub nullable: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
}

/// One object component: its properties, and which of them are required.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectFacts {
    pub required: Vec<String>,
    pub properties: BTreeMap<String, PropertyFacts>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Fields of PATCH and PUT bodies that may be left alone, cleared (`null`) or set.
    pub patch_fields: FieldsByType,
    /// Fields marked `x-personal-data: true`, whose values Debug output must not show.
    pub personal_fields: FieldsByType,
    /// Array fields with item-count limits, which typify does not check.
    pub item_limits: ItemLimits,
    /// Every object component (Rust type name → facts), for the JSON Schema of the types and
    /// the checks of requests.
    pub objects: BTreeMap<String, ObjectFacts>,
    /// The components only what the client receives holds (success responses, webhook
    /// payloads): tolerant, their string limits are neither checked nor shown, their personal
    /// strings stay `String`. The others' (what requests hold, and components nothing uses yet,
    /// so that adding a request changes no type) are checked when a request is sent.
    pub received_only: BTreeSet<String>,
    /// Operation → its path as the document writes it (`/v2/customers/{id}`), keyed by
    /// [`operation_key`] of the operationId.
    pub operation_paths: BTreeMap<String, String>,
    /// Operations whose success body is text or bytes rather than JSON, keyed by
    /// [`operation_key`] of the operationId.
    pub raw_success: BTreeMap<String, RawMedia>,
    /// Query and header parameters the generator is handed under their builder name
    /// (`lower::rename_parameters`): operation key → builder name → name on the wire.
    pub wire_names: BTreeMap<String, BTreeMap<String, String>>,
    /// The webhook events of `x-webhooks`, in document order.
    pub webhooks: Vec<Webhook>,
    /// What the document allows of each operation's path, query and header parameters, for
    /// the checks `send()` makes before sending (`passes::parameter_checks`): operation key →
    /// the parameters with at least one constraint, in document order.
    pub parameter_rules: BTreeMap<String, Vec<ParameterFacts>>,
}

/// The constraints the document states on one parameter (on each item, for an array).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParameterFacts {
    /// The builder method, and the variable `send()` binds the value to.
    pub setter: String,
    /// Required: the builder holds the value itself, not an `Option`.
    pub required: bool,
    /// An array (a query parameter only): the constraints below are each item's.
    pub array: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    /// The `enum` values, as their text on the wire.
    pub allowed: Vec<String>,
    /// `minimum` and whether it is exclusive (OpenAPI 3.0's boolean `exclusiveMinimum`).
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

impl ParameterFacts {
    fn constrains(&self) -> bool {
        let unconstrained = ParameterFacts {
            setter: self.setter.clone(),
            required: self.required,
            array: self.array,
            ..Default::default()
        };
        *self != unconstrained
    }
}

/// One event careCycle delivers to webhook endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    /// The payload's `event_type`, for example `customer.created`.
    pub event_type: String,
    /// The Rust variant of `WebhookEvent`, for example `CustomerCreated`.
    pub variant: String,
    /// The component schema (and Rust type) of the payload.
    pub schema: String,
    /// The delivery's summary, for the variant's docs.
    pub summary: String,
}

impl Plan {
    pub fn of(document: &Value) -> Plan {
        Plan {
            patch_fields: patch_fields(document),
            personal_fields: personal_fields(document),
            item_limits: item_limits(document),
            objects: objects(document),
            received_only: crate::lower::received_only_components(document),
            webhooks: webhooks(document),
            operation_paths: operation_paths(document),
            raw_success: raw_success(document),
            wire_names: wire_names(document),
            parameter_rules: parameter_rules(document),
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
        if !crate::lint::is_update(method) {
            continue;
        }
        let Some(reference) = operation
            .get("requestBody")
            .and_then(walk::json_schema)
            .and_then(|schema| schema.get("$ref"))
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
                !required.contains(field.as_str())
                    && walk::resolve(document, property).is_some_and(admits_null)
            })
            .map(|(field, _)| field.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(name, fields);
        }
    }
    out
}

/// Whether a property's schema admits `null`: it says `nullable: true`, or it constrains
/// nothing at all (any JSON value, `null` included). A `$ref` is resolved by the caller: a
/// reference to a nullable enum component admits `null`.
pub(crate) fn admits_null(property: &Value) -> bool {
    const CONSTRAINING: [&str; 9] = [
        "type",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "properties",
        "items",
        "not",
    ];
    property.get("nullable") == Some(&Value::Bool(true))
        || property
            .as_object()
            .is_some_and(|p| !CONSTRAINING.iter().any(|k| p.contains_key(*k)))
}

fn personal_fields(document: &Value) -> FieldsByType {
    let mut out = FieldsByType::new();
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let is_personal =
            |property: &Value| property.get("x-personal-data") == Some(&Value::Bool(true));
        let mut fields: BTreeSet<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| is_personal(property))
            .map(|(field, _)| field.clone())
            .collect();
        if schema.get("additionalProperties").is_some_and(is_personal) {
            fields.insert(CATCH_ALL.to_owned());
        }
        if !fields.is_empty() {
            out.insert(name.clone(), fields);
        }
    }
    out
}

/// The lint has checked every entry; an entry without a payload schema is skipped.
fn webhooks(document: &Value) -> Vec<Webhook> {
    walk::webhooks(document)
        .into_iter()
        .filter_map(|(event_type, item)| {
            Some(Webhook {
                event_type: event_type.to_owned(),
                variant: crate::lint::variant_name(event_type),
                schema: walk::webhook_schema(item)?.to_owned(),
                summary: item
                    .pointer("/post/summary")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            })
        })
        .collect()
}

fn item_limits(document: &Value) -> ItemLimits {
    let mut out = ItemLimits::new();
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        // Item counts mean something on arrays only; elsewhere the keywords are ignored.
        for (field, property) in
            properties.filter(|(_, p)| p.get("type").and_then(Value::as_str) == Some("array"))
        {
            let min = property.get("minItems").and_then(Value::as_u64);
            let max = property.get("maxItems").and_then(Value::as_u64);
            if min.is_some() || max.is_some() {
                out.entry(name.clone())
                    .or_default()
                    .insert(field.clone(), (min, max));
            }
        }
    }
    out
}

/// An operation's name with case and separators ignored: `getCustomer` and progenitor's
/// `get_customer` are both `getcustomer`.
pub fn operation_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn operation_paths(document: &Value) -> BTreeMap<String, String> {
    walk::operations(document)
        .into_iter()
        .filter_map(|(path, _, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((operation_key(id), path.to_owned()))
        })
        .collect()
}

fn raw_success(document: &Value) -> BTreeMap<String, RawMedia> {
    walk::operations(document)
        .into_iter()
        .filter_map(|(_, _, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((operation_key(id), walk::raw_success(document, operation)?))
        })
        .collect()
}

fn wire_names(document: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (path, _, operation) in walk::operations(document) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let renamed: BTreeMap<String, String> = walk::parameters(document, path, operation)
            .into_iter()
            .filter(|p| {
                matches!(
                    p.get("in").and_then(Value::as_str),
                    Some("query" | "header")
                )
            })
            .filter_map(|p| p.get("name")?.as_str())
            .filter_map(|name| {
                let setter = constructs::parameter_setter(name);
                (setter != constructs::rust_name(name)).then(|| (setter, name.to_owned()))
            })
            .collect();
        if !renamed.is_empty() {
            out.insert(operation_key(id), renamed);
        }
    }
    out
}

fn parameter_rules(document: &Value) -> BTreeMap<String, Vec<ParameterFacts>> {
    let mut out = BTreeMap::new();
    for (path, _, operation) in walk::operations(document) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let rules: Vec<ParameterFacts> = walk::parameters(document, path, operation)
            .into_iter()
            .filter_map(|parameter| parameter_facts(document, parameter))
            .filter(ParameterFacts::constrains)
            .collect();
        if !rules.is_empty() {
            out.insert(operation_key(id), rules);
        }
    }
    out
}

/// The facts of one parameter; its schema is resolved through `$ref`s and an `allOf` of one.
fn parameter_facts<'a>(document: &'a Value, parameter: &'a Value) -> Option<ParameterFacts> {
    let schema = schema_of(document, parameter.get("schema")?)?;
    let array = schema.get("type").and_then(Value::as_str) == Some("array");
    let value = if array {
        schema_of(document, schema.get("items")?)?
    } else {
        schema
    };
    let number = |key: &str| value.get(key).and_then(Value::as_f64);
    let flag = |key: &str| value.get(key) == Some(&Value::Bool(true));
    let count = |key: &str| {
        if array {
            schema.get(key).and_then(Value::as_u64)
        } else {
            None
        }
    };
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    };
    Some(ParameterFacts {
        setter: constructs::parameter_setter(parameter.get("name")?.as_str()?),
        required: parameter.get("required") == Some(&Value::Bool(true)),
        array,
        min_length: value.get("minLength").and_then(Value::as_u64),
        max_length: value.get("maxLength").and_then(Value::as_u64),
        pattern: value
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned),
        allowed: value
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(text)
            .collect(),
        minimum: number("minimum").map(|bound| (bound, flag("exclusiveMinimum"))),
        maximum: number("maximum").map(|bound| (bound, flag("exclusiveMaximum"))),
        min_items: count("minItems"),
        max_items: count("maxItems"),
    })
}

fn schema_of<'a>(document: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let schema = walk::resolve(document, schema)?;
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) if schema.get("type").is_none() => walk::resolve(document, only),
        _ => Some(schema),
    }
}

fn objects(document: &Value) -> BTreeMap<String, ObjectFacts> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return BTreeMap::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let properties = schema.get("properties").and_then(Value::as_object)?;
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let properties = properties
                .iter()
                .map(|(field, property)| {
                    let facts = PropertyFacts {
                        nullable: walk::resolve(document, property).is_some_and(admits_null),
                        min_length: property.get("minLength").and_then(Value::as_u64),
                        max_length: property.get("maxLength").and_then(Value::as_u64),
                        pattern: property
                            .get("pattern")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    };
                    (field.clone(), facts)
                })
                .collect();
            Some((
                name.clone(),
                ObjectFacts {
                    required,
                    properties,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patch_fields_are_the_optional_ones_that_admit_null() {
        let document = json!({
            "paths": {"/things/{id}": {"patch": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateThing"}}}}}}},
            "components": {"schemas": {"UpdateThing": {
                "required": ["kept"],
                "properties": {
                    "kept": {"type": "string", "nullable": true},
                    "name": {"type": "string", "nullable": true},
                    "data": {"description": "any JSON value"},
                    "count": {"type": "integer"},
                    "kind": {"allOf": [{"$ref": "#/components/schemas/Kind"}]},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "plain": {"$ref": "#/components/schemas/Kind"},
                    "ssn": {"type": "string", "nullable": true, "x-personal-data": true}
                }
            },
            "Kind": {"type": "string", "enum": ["a"]},
            "Status": {"type": "string", "nullable": true, "enum": ["on", null]}}}
        });
        let plan = Plan::of(&document);
        let fields: Vec<&str> = plan.patch_fields["UpdateThing"]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["data", "name", "ssn", "status"]);
        let personal: Vec<&str> = plan.personal_fields["UpdateThing"]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(personal, ["ssn"]);
    }

    #[test]
    fn a_personal_catch_all_and_item_limits_are_planned() {
        let document = json!({"components": {"schemas": {"Thing": {
            "properties": {"items": {"type": "array", "minItems": 1, "maxItems": 200, "items": {}}, "tags": {"type": "array", "items": {}}, "count": {"type": "integer", "maxItems": 3}},
            "additionalProperties": {"x-personal-data": true}
        }}}});
        let plan = Plan::of(&document);
        assert!(plan.personal_fields["Thing"].contains(CATCH_ALL));
        assert_eq!(plan.item_limits["Thing"].len(), 1);
        assert_eq!(plan.item_limits["Thing"]["items"], (Some(1), Some(200)));
    }

    #[test]
    fn object_facts_carry_required_nullability_and_string_limits() {
        let document = json!({"components": {"schemas": {
            "Thing": {
                "required": ["code"],
                "properties": {
                    "code": {"type": "string", "minLength": 2, "maxLength": 8, "pattern": "^[A-Z]+$"},
                    "note": {"type": "string", "nullable": true},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "status": {"$ref": "#/components/schemas/Status"}
                }
            },
            "Kind": {"type": "string", "enum": ["a"]},
            "Status": {"type": "string", "nullable": true, "enum": ["on", null]}
        }}});
        let plan = Plan::of(&document);
        assert_eq!(
            plan.objects.keys().collect::<Vec<_>>(),
            ["Thing"],
            "enums are not objects"
        );
        let thing = &plan.objects["Thing"];
        assert_eq!(thing.required, ["code"]);
        let code = &thing.properties["code"];
        assert_eq!(
            (code.min_length, code.max_length, code.pattern.as_deref()),
            (Some(2), Some(8), Some("^[A-Z]+$"))
        );
        assert!(
            !code.nullable
                && thing.properties["note"].nullable
                && !thing.properties["kind"].nullable
        );
        assert!(
            thing.properties["status"].nullable,
            "a reference to a nullable enum admits null"
        );
    }

    #[test]
    fn parameter_rules_hold_every_constraint_of_each_operations_parameters() {
        let document = json!({
            "paths": {"/things/{id}": {
                "parameters": [{"$ref": "#/components/parameters/ThingId"}],
                "get": {"operationId": "listThings", "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "exclusiveMaximum": true}},
                    {"name": "sort", "in": "query", "schema": {"allOf": [{"$ref": "#/components/schemas/Sort"}]}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 5}}},
                    {"name": "send", "in": "header", "schema": {"type": "string", "minLength": 2}},
                    {"name": "free", "in": "query", "schema": {"type": "string"}}
                ]}
            }},
            "components": {
                "parameters": {"ThingId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"}}},
                "schemas": {"Sort": {"type": "string", "enum": ["asc", "desc"]}}
            }
        });
        let rules = &Plan::of(&document).parameter_rules["listthings"];
        let setters: Vec<&str> = rules.iter().map(|r| r.setter.as_str()).collect();
        assert_eq!(
            setters,
            ["id", "limit", "sort", "tags", "send_param"],
            "an unconstrained one is left out"
        );
        assert!(rules[0].required && rules[0].pattern.as_deref() == Some("^[0-9a-f-]+$"));
        assert_eq!(
            (rules[1].minimum, rules[1].maximum),
            (Some((1.0, false)), Some((100.0, true)))
        );
        assert_eq!(rules[2].allowed, ["asc", "desc"]);
        assert!(rules[3].array && rules[3].max_length == Some(5) && rules[3].max_items == Some(3));
        assert_eq!(rules[4].min_length, Some(2));
    }

    #[test]
    fn webhooks_are_planned_in_document_order_with_their_variant_and_payload() {
        let body = |schema: &str| json!({"post": {"summary": "s", "requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}});
        let document = json!({"x-webhooks": {
            "thing.updated": body("ThingEvent"),
            "thing.created": body("ThingEvent"),
            "bodiless": {"post": {}}
        }});
        let plan = Plan::of(&document);
        let planned: Vec<(&str, &str, &str)> = plan
            .webhooks
            .iter()
            .map(|w| (w.event_type.as_str(), w.variant.as_str(), w.schema.as_str()))
            .collect();
        assert_eq!(
            planned,
            [
                ("thing.updated", "ThingUpdated", "ThingEvent"),
                ("thing.created", "ThingCreated", "ThingEvent")
            ]
        );
    }
}
