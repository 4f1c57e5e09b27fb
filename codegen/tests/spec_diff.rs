//! The spec diff's corpus: small mutations of the curated document, each with the rule ids and
//! levels it must produce and the exit code `cargo xtask spec-diff` gives it; Markdown
//! snapshots of realistic multi-change pairs; the `$ref` equivalence; the report's guard.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use carecycle_codegen::diff::report::{self, Format, NO_BREAKING_CHANGES};
use carecycle_codegen::diff::rust_api;
use carecycle_codegen::diff::{self, CrateVersions, Level, RULES, Report};
use carecycle_codegen::{load, public_api};
use serde_json::{Value, json};

use Level::{Breaking, Info, Warning};

fn curated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml")
}

fn curated() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        load::load(&curated_path())
            .expect("the curated document loads")
            .value
    })
}

/// The curated document changed by `mutate`, checked to be a valid document still.
fn mutated(mutate: fn(&mut Value)) -> Value {
    let mut document = curated().clone();
    mutate(&mut document);
    let bytes = serde_json::to_vec(&document).expect("serialises");
    load::parse(Path::new("mutated.json"), bytes)
        .expect("the mutated document is valid")
        .value
}

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    document
        .pointer_mut(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("no schema {name}"))
}

fn property<'a>(document: &'a mut Value, name: &str, property: &str) -> &'a mut Value {
    schema(document, name)
        .pointer_mut(&format!("/properties/{property}"))
        .unwrap_or_else(|| panic!("no property {name}.{property}"))
}

fn required<'a>(document: &'a mut Value, name: &str) -> &'a mut Vec<Value> {
    let schema = schema(document, name)
        .as_object_mut()
        .expect("schema is an object");
    schema
        .entry("required")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("required is a list")
}

fn unrequire(document: &mut Value, name: &str, field: &str) {
    required(document, name).retain(|v| v != field);
}

fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}

fn path_item<'a>(document: &'a mut Value, path: &str) -> &'a mut serde_json::Map<String, Value> {
    document
        .pointer_mut(&format!("/paths/{}", escape(path)))
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no path {path}"))
}

fn operation<'a>(document: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    path_item(document, path)
        .get_mut(method)
        .unwrap_or_else(|| panic!("no {method} {path}"))
}

const CUSTOMER: &str = "/v2/customers/{id}";
const PROVIDERS: &str = "/v2/customers/{id}/providers";
const PROVIDER: &str = "/v2/customers/{id}/providers/{providerId}";
const DEPENDENTS: &str = "/v2/customers/{id}/dependents";
const CUSTOM_FIELDS: &str = "/v2/customers/{id}/custom-fields";

/// A complete operation (one codegen takes): the curated customer read under another id.
fn minimal_operation(id: &str) -> Value {
    let mut operation = curated()["paths"][CUSTOMER]["get"].clone();
    operation["operationId"] = json!(id);
    operation
}

fn optional_query(document: &mut Value) {
    add_parameter(
        document,
        json!({"name": "expand", "in": "query", "required": false, "schema": {"type": "string"}}),
    );
}

fn add_parameter(document: &mut Value, parameter: Value) {
    let op = operation(document, CUSTOMER, "patch")
        .as_object_mut()
        .expect("object");
    op.entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("list")
        .push(parameter);
}

fn identity(_: &mut Value) {}

/// The request's relationship type written inline (a request-only enum).
fn inline_relationship(d: &mut Value) {
    *property(d, "CreateDependentRequest", "relationshipType") = json!({
        "type": "string", "nullable": true, "description": "How a dependent is related to the customer.",
        "enum": ["Spouse", "Child", "Parent", "Sibling", "Other", null]});
}

/// A recursive schema in a response: a provider's category and its subcategories.
fn recursive_category(d: &mut Value) {
    d["components"]["schemas"]["Category"] = json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}}
        }
    });
    schema(d, "Provider")["properties"]["category"] =
        json!({"$ref": "#/components/schemas/Category"});
}

/// The provider's type written inline in the response (a response-only enum).
fn inline_provider_type(d: &mut Value) {
    *property(d, "Provider", "providerType") = json!({"type": "string", "description": "The kind of provider.",
        "enum": ["Primary Care", "Specialist", "Hospital", "Pharmacy"]});
}

struct Case {
    name: &'static str,
    /// The old document is the curated one changed by this.
    before: fn(&mut Value),
    /// The new document is the curated one changed by this.
    after: fn(&mut Value),
    expect: &'static [(&'static str, Level)],
    exit: u8,
}

const fn case(
    name: &'static str,
    after: fn(&mut Value),
    expect: &'static [(&'static str, Level)],
    exit: u8,
) -> Case {
    Case {
        name,
        before: identity,
        after,
        expect,
        exit,
    }
}

const fn case2(
    name: &'static str,
    before: fn(&mut Value),
    after: fn(&mut Value),
    expect: &'static [(&'static str, Level)],
    exit: u8,
) -> Case {
    Case {
        name,
        before,
        after,
        expect,
        exit,
    }
}

fn corpus() -> Vec<Case> {
    vec![
        case("no change", identity, &[], 0),
        // Paths and operations.
        case(
            "a path is added",
            |d| {
                d["paths"]["/v2/ping"] = json!({"get": minimal_operation("ping")});
            },
            &[("path-added", Info)],
            0,
        ),
        case(
            "a path is removed",
            |d| {
                d["paths"].as_object_mut().unwrap().remove(DEPENDENTS);
            },
            &[("path-removed", Breaking)],
            1,
        ),
        case(
            "an operation is added to a path",
            |d| {
                path_item(d, PROVIDERS)
                    .insert("get".into(), minimal_operation("listCustomerProviders"));
            },
            &[("operation-added", Info)],
            0,
        ),
        case2(
            "an operation is removed from a path",
            |d| {
                path_item(d, PROVIDERS)
                    .insert("get".into(), minimal_operation("listCustomerProviders"));
            },
            identity,
            &[("operation-removed", Breaking)],
            1,
        ),
        case(
            "an operationId changes",
            |d| operation(d, CUSTOMER, "patch")["operationId"] = json!("patchCustomer"),
            &[("operation-id-changed", Breaking)],
            1,
        ),
        case(
            "an operation moves to another path",
            |d| {
                let paths = d["paths"].as_object_mut().unwrap();
                let item = paths.remove(DEPENDENTS).unwrap();
                paths.insert("/v2/customers/{id}/family".into(), item);
            },
            &[("operation-path-changed", Breaking)],
            1,
        ),
        // Parameters.
        case(
            "a required header parameter is added",
            |d| {
                add_parameter(
                    d,
                    json!({"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}),
                )
            },
            &[("new-required-request-parameter", Breaking)],
            1,
        ),
        case(
            "an optional query parameter is added",
            optional_query,
            &[("new-optional-request-parameter", Info)],
            0,
        ),
        case2(
            "a query parameter is removed",
            optional_query,
            identity,
            &[("request-parameter-removed", Breaking)],
            1,
        ),
        case(
            "a path parameter is renamed",
            |d| {
                let paths = d["paths"].as_object_mut().unwrap();
                let mut item = paths.remove(DEPENDENTS).unwrap();
                let schema = curated()
                    .pointer("/components/parameters/CustomerId/schema")
                    .unwrap()
                    .clone();
                item["parameters"] = json!([{"name": "customerId", "in": "path", "required": true, "description": "Customer ID", "schema": schema}]);
                paths.insert("/v2/customers/{customerId}/dependents".into(), item);
            },
            &[("request-parameter-renamed", Breaking)],
            1,
        ),
        case2(
            "a query parameter becomes required",
            optional_query,
            |d| {
                add_parameter(
                    d,
                    json!({"name": "expand", "in": "query", "required": true, "schema": {"type": "string"}}),
                )
            },
            &[("request-parameter-became-required", Breaking)],
            1,
        ),
        case2(
            "a query parameter becomes optional",
            |d| {
                add_parameter(
                    d,
                    json!({"name": "expand", "in": "query", "required": true, "schema": {"type": "string"}}),
                )
            },
            optional_query,
            &[("request-parameter-became-optional", Breaking)],
            1,
        ),
        // Request bodies.
        case2(
            "a request body is added",
            |d| {
                operation(d, DEPENDENTS, "post")
                    .as_object_mut()
                    .unwrap()
                    .remove("requestBody");
            },
            identity,
            &[("request-body-added", Breaking)],
            1,
        ),
        case(
            "a request body is removed",
            |d| {
                operation(d, DEPENDENTS, "post")
                    .as_object_mut()
                    .unwrap()
                    .remove("requestBody");
            },
            &[("request-body-removed", Breaking)],
            1,
        ),
        case2(
            "a request body becomes required",
            |d| operation(d, DEPENDENTS, "post")["requestBody"]["required"] = json!(false),
            identity,
            &[("request-body-became-required", Breaking)],
            1,
        ),
        case(
            "a request body becomes optional",
            |d| operation(d, DEPENDENTS, "post")["requestBody"]["required"] = json!(false),
            &[("request-body-became-optional", Info)],
            0,
        ),
        // Request properties.
        case(
            "a required request property is added",
            |d| {
                schema(d, "CreateProviderRequest")["properties"]["nickname"] =
                    json!({"type": "string"});
                required(d, "CreateProviderRequest").push(json!("nickname"));
            },
            &[("new-required-request-property", Breaking)],
            1,
        ),
        case(
            "an optional request property is added",
            |d| {
                schema(d, "CreateProviderRequest")["properties"]["nickname"] =
                    json!({"type": "string", "nullable": true})
            },
            &[("new-optional-request-property", Info)],
            0,
        ),
        case(
            "a request property is removed",
            |d| {
                schema(d, "CreateProviderRequest")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("fax");
            },
            &[("request-property-removed", Breaking)],
            1,
        ),
        case(
            "a request property becomes required",
            |d| required(d, "CreateProviderRequest").push(json!("specialty")),
            &[("request-property-became-required", Breaking)],
            1,
        ),
        case(
            "a request property becomes optional",
            |d| unrequire(d, "CreateProviderRequest", "providerType"),
            &[("request-property-became-optional", Breaking)],
            1,
        ),
        case2(
            "a nullable request property becomes optional: Option either way",
            |d| required(d, "CreateProviderRequest").push(json!("specialty")),
            identity,
            &[("request-property-presence-changed", Info)],
            0,
        ),
        case2(
            "an optional request property becomes nullable",
            |d| property(d, "CreateProviderRequest", "specialty")["nullable"] = json!(false),
            identity,
            &[("request-property-became-nullable", Info)],
            0,
        ),
        case(
            "an optional request property stops being nullable",
            |d| property(d, "CreateProviderRequest", "specialty")["nullable"] = json!(false),
            &[("request-property-became-non-nullable", Info)],
            0,
        ),
        case(
            "a required request property becomes nullable",
            |d| {
                property(d, "CreateCustomFieldValueRequest", "fieldDefinitionId")["nullable"] =
                    json!(true)
            },
            &[("request-required-property-nullability-changed", Breaking)],
            1,
        ),
        case(
            "a PATCH body field becomes nullable",
            |d| property(d, "UpdateCustomerRequest", "clientId")["nullable"] = json!(true),
            &[("patch-field-became-clearable", Breaking)],
            1,
        ),
        case(
            "a PATCH body field stops being nullable",
            |d| {
                property(d, "UpdateCustomerRequest", "firstName")
                    .as_object_mut()
                    .unwrap()
                    .remove("nullable");
            },
            &[("patch-field-no-longer-clearable", Breaking)],
            1,
        ),
        case(
            "an any-value PATCH field gains `nullable: true`, which it already admitted",
            |d| {
                property(d, "UpdateCustomerRequest", "customData")["nullable"] = json!(true);
            },
            &[],
            0,
        ),
        // Request values.
        case(
            "a request integer widens from int32 to int64",
            |d| property(d, "UpdateCustomerRequest", "agentNpn")["format"] = json!("int64"),
            &[("request-type-changed", Breaking)],
            1,
        ),
        case(
            "a request uuid becomes a plain string (with its pattern, a newtype)",
            |d| {
                let field = property(d, "CreateCustomFieldValueRequest", "fieldDefinitionId")
                    .as_object_mut()
                    .unwrap();
                field.remove("format");
            },
            &[
                ("request-type-changed", Breaking),
                ("schema-renamed", Breaking),
            ],
            1,
        ),
        case(
            "a request string gains a format that keeps its Rust type",
            |d| property(d, "CreateProviderRequest", "email")["format"] = json!("email"),
            &[("request-format-changed", Info)],
            0,
        ),
        case2(
            "a request-only enum gains a value",
            inline_relationship,
            |d| {
                *property(d, "CreateDependentRequest", "relationshipType") = json!({
                    "type": "string", "nullable": true, "description": "How a dependent is related to the customer.",
                    "enum": ["Spouse", "Child", "Parent", "Sibling", "Other", "Guardian", null]});
            },
            &[("request-enum-value-added", Info)],
            0,
        ),
        case2(
            "a request-only enum loses a value",
            inline_relationship,
            |d| {
                *property(d, "CreateDependentRequest", "relationshipType") = json!({
                    "type": "string", "nullable": true, "description": "How a dependent is related to the customer.",
                    "enum": ["Spouse", "Child", "Parent", "Sibling", null]});
            },
            &[("request-enum-value-removed", Breaking)],
            1,
        ),
        case(
            "a shared enum gains a value: judged on each side",
            |d| {
                schema(d, "Gender")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("Unknown"))
            },
            &[
                ("request-enum-value-added", Info),
                ("response-enum-value-added", Warning),
            ],
            0,
        ),
        case(
            "a shared enum loses a value: judged on each side",
            |d| {
                schema(d, "Gender")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|v| v != "Other")
            },
            &[
                ("request-enum-value-removed", Breaking),
                ("response-enum-value-removed", Breaking),
            ],
            1,
        ),
        case(
            "a shared enum admits null: its fields become Options, and null is no variant",
            |d| {
                let provider_type = schema(d, "ProviderType");
                provider_type["nullable"] = json!(true);
                provider_type["enum"]
                    .as_array_mut()
                    .unwrap()
                    .push(Value::Null);
            },
            &[
                ("patch-field-became-clearable", Breaking),
                ("request-required-property-nullability-changed", Breaking),
                ("response-property-became-nullable", Breaking),
            ],
            1,
        ),
        case(
            "a request maxLength is lowered",
            |d| property(d, "CreateProviderRequest", "specialty")["maxLength"] = json!(100),
            &[("request-max-length-decreased", Breaking)],
            1,
        ),
        case(
            "a request maxLength is raised",
            |d| property(d, "CreateProviderRequest", "specialty")["maxLength"] = json!(500),
            &[("request-max-length-increased", Info)],
            0,
        ),
        case(
            "a request string gains a pattern",
            |d| property(d, "CreateProviderRequest", "npi")["pattern"] = json!("^[0-9]{10}$"),
            &[("request-pattern-added", Breaking)],
            1,
        ),
        case(
            "a shared path parameter's pattern changes",
            |d| {
                *d.pointer_mut("/components/parameters/CustomerId/schema/pattern")
                    .unwrap() = json!("^[0-9a-f-]{36}$");
            },
            &[("request-pattern-changed", Breaking)],
            1,
        ),
        case(
            "a request pattern is removed",
            |d| {
                property(d, "CreateCustomFieldValueRequest", "fieldDefinitionId")
                    .as_object_mut()
                    .unwrap()
                    .remove("pattern");
            },
            &[("request-pattern-removed", Info)],
            0,
        ),
        case(
            "a request integer gains a minimum",
            |d| property(d, "UpdateCustomerRequest", "dependentCount")["minimum"] = json!(0),
            &[("request-range-narrowed", Breaking)],
            1,
        ),
        case2(
            "a request integer loses its maximum",
            |d| property(d, "UpdateCustomerRequest", "dependentCount")["maximum"] = json!(20),
            identity,
            &[("request-range-widened", Info)],
            0,
        ),
        case(
            "a request array's maxItems is lowered",
            |d| property(d, "UploadLeadsRequest", "records")["maxItems"] = json!(100),
            &[("request-range-narrowed", Breaking)],
            1,
        ),
        case(
            "a request array's minItems is removed",
            |d| {
                property(d, "UploadLeadsRequest", "records")
                    .as_object_mut()
                    .unwrap()
                    .remove("minItems");
            },
            &[("request-range-widened", Info)],
            0,
        ),
        case(
            "an optional request property gains a default",
            |d| property(d, "LeadCustomField", "fieldKey")["default"] = json!("lead_source"),
            &[("default-added", Breaking)],
            1,
        ),
        // Defaults.
        case(
            "an optional response property gains a default",
            |d| property(d, "Customer", "testCustomer")["default"] = json!(false),
            &[("default-added", Breaking)],
            1,
        ),
        case2(
            "an optional response property loses its default",
            |d| property(d, "Customer", "testCustomer")["default"] = json!(false),
            identity,
            &[("default-removed", Breaking)],
            1,
        ),
        case2(
            "a default changes value",
            |d| property(d, "Customer", "testCustomer")["default"] = json!(false),
            |d| property(d, "Customer", "testCustomer")["default"] = json!(true),
            &[("default-changed", Warning)],
            0,
        ),
        case(
            "a nullable property gains a default: its type stays",
            |d| property(d, "CreateProviderRequest", "isActive")["default"] = json!(true),
            &[("default-changed", Warning)],
            0,
        ),
        // Where a schema is written: a move between components and inline renames the type
        // unless the generated names agree.
        case(
            "a request body schema moves inline: its type is renamed",
            |d| {
                let body = curated()
                    .pointer("/components/schemas/CreateProviderRequest")
                    .unwrap()
                    .clone();
                operation(d, PROVIDERS, "post")["requestBody"]["content"]["application/json"]["schema"] =
                    body;
            },
            &[("schema-renamed", Breaking)],
            1,
        ),
        case2(
            "an inline enum moves into components under another name",
            inline_relationship,
            identity,
            &[("schema-renamed", Breaking)],
            1,
        ),
        case2(
            "an inline enum moves into components under the name it had: no change",
            inline_relationship,
            |d| {
                inline_relationship(d);
                let inline = property(d, "CreateDependentRequest", "relationshipType").clone();
                d["components"]["schemas"]["CreateDependentRequestRelationshipType"] = inline;
                *property(d, "CreateDependentRequest", "relationshipType") =
                    json!({"$ref": "#/components/schemas/CreateDependentRequestRelationshipType"});
            },
            &[],
            0,
        ),
        case(
            "a response string moves into components",
            |d| {
                let phone = property(d, "Provider", "phone").clone();
                d["components"]["schemas"]["ProviderPhone"] = phone;
                *property(d, "Provider", "phone") =
                    json!({"$ref": "#/components/schemas/ProviderPhone"});
            },
            &[("schema-renamed", Breaking)],
            1,
        ),
        // Recursive schemas.
        case2(
            "a property is added inside a recursive schema",
            recursive_category,
            |d| {
                recursive_category(d);
                schema(d, "Category")["properties"]["code"] = json!({"type": "string"});
            },
            &[("response-property-added", Info)],
            0,
        ),
        case2(
            "a property is removed deep inside a recursive schema",
            recursive_category,
            |d| {
                recursive_category(d);
                schema(d, "Category")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            },
            &[("response-property-removed", Breaking)],
            1,
        ),
        // Response properties and values.
        case(
            "a response property is added",
            |d| {
                schema(d, "Provider")["properties"]["website"] =
                    json!({"type": "string", "nullable": true})
            },
            &[("response-property-added", Info)],
            0,
        ),
        case(
            "a response property is removed",
            |d| {
                schema(d, "Provider")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("fax");
                unrequire(d, "Provider", "fax");
            },
            &[("response-property-removed", Breaking)],
            1,
        ),
        case(
            "a required response property becomes optional",
            |d| unrequire(d, "Provider", "customerId"),
            &[("response-property-became-optional", Breaking)],
            1,
        ),
        case(
            "an optional response property becomes required",
            |d| required(d, "Customer").push(json!("id")),
            &[("response-property-became-required", Breaking)],
            1,
        ),
        case(
            "a required response property becomes nullable",
            |d| property(d, "Provider", "customerId")["nullable"] = json!(true),
            &[("response-property-became-nullable", Breaking)],
            1,
        ),
        case(
            "a required nullable response property stops being nullable",
            |d| property(d, "Provider", "specialty")["nullable"] = json!(false),
            &[("response-property-became-non-nullable", Breaking)],
            1,
        ),
        case(
            "a nullable response property becomes optional: released versions need the key",
            |d| unrequire(d, "Provider", "specialty"),
            &[("response-nullable-property-became-optional", Breaking)],
            1,
        ),
        case(
            "an optional response property becomes nullable: Option either way",
            |d| property(d, "Customer", "id")["nullable"] = json!(true),
            &[("response-property-presence-changed", Info)],
            0,
        ),
        case(
            "a response integer becomes a string",
            |d| {
                *property(d, "Dependent", "annualIncome") =
                    json!({"type": "string", "nullable": true, "x-personal-data": true})
            },
            &[("response-type-changed", Breaking)],
            1,
        ),
        case(
            "a response string gains a format that keeps its Rust type",
            |d| property(d, "Provider", "email")["format"] = json!("email"),
            &[("response-format-changed", Info)],
            0,
        ),
        case2(
            "a response-only enum gains a value",
            inline_provider_type,
            |d| {
                *property(d, "Provider", "providerType") = json!({"type": "string", "description": "The kind of provider.",
                    "enum": ["Primary Care", "Specialist", "Hospital", "Pharmacy", "Dental"]});
            },
            &[("response-enum-value-added", Warning)],
            0,
        ),
        case2(
            "a response-only enum loses a value",
            inline_provider_type,
            |d| {
                *property(d, "Provider", "providerType") = json!({"type": "string", "description": "The kind of provider.",
                    "enum": ["Primary Care", "Specialist", "Hospital"]});
            },
            &[("response-enum-value-removed", Breaking)],
            1,
        ),
        case(
            "a response maxLength is lowered",
            |d| property(d, "Provider", "specialty")["maxLength"] = json!(100),
            &[("response-limit-changed", Info)],
            0,
        ),
        case(
            "a response object keeps unnamed properties",
            |d| schema(d, "Provider")["additionalProperties"] = json!({"type": "string"}),
            &[("additional-properties-added", Info)],
            0,
        ),
        case2(
            "a response object stops keeping unnamed properties",
            |d| schema(d, "Provider")["additionalProperties"] = json!({"type": "string"}),
            identity,
            &[("additional-properties-removed", Breaking)],
            1,
        ),
        // Responses.
        case(
            "a success status with the same body is added",
            |d| {
                let ok = operation(d, CUSTOMER, "patch")["responses"]["200"].clone();
                operation(d, CUSTOMER, "patch")["responses"]["201"] = ok;
            },
            &[("success-status-added", Info)],
            0,
        ),
        case(
            "one of two success statuses is removed",
            |d| {
                operation(d, PROVIDERS, "post")["responses"]
                    .as_object_mut()
                    .unwrap()
                    .remove("201");
            },
            &[("success-status-removed", Breaking)],
            1,
        ),
        case(
            "the only success status is replaced",
            |d| {
                let responses = operation(d, CUSTOMER, "patch")["responses"]
                    .as_object_mut()
                    .unwrap();
                let ok = responses.remove("200").unwrap();
                responses.insert("202".into(), ok);
            },
            &[("success-status-replaced", Breaking)],
            1,
        ),
        case2(
            "a success response gains a body",
            |d| {
                operation(d, PROVIDER, "patch")["responses"]["200"]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            identity,
            &[("response-body-added", Breaking)],
            1,
        ),
        case(
            "a success response loses its body",
            |d| {
                operation(d, PROVIDER, "patch")["responses"]["200"]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            &[("response-body-removed", Breaking)],
            1,
        ),
        case(
            "an error status is added",
            |d| {
                operation(d, PROVIDERS, "post")["responses"]["409"] =
                    json!({"$ref": "#/components/responses/BadRequest"})
            },
            &[("error-status-added", Warning)],
            0,
        ),
        case2(
            "an error status is removed",
            |d| {
                operation(d, PROVIDERS, "post")["responses"]["409"] =
                    json!({"$ref": "#/components/responses/BadRequest"})
            },
            identity,
            &[("error-status-removed", Breaking)],
            1,
        ),
        case(
            "the error body gains a property",
            |d| schema(d, "ErrorBody")["properties"]["requestId"] = json!({"type": "string"}),
            &[("response-property-added", Info)],
            0,
        ),
        case(
            "the rate-limit body loses retryAfter",
            |d| {
                schema(d, "RateLimitErrorBody")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("retryAfter");
                unrequire(d, "RateLimitErrorBody", "retryAfter");
            },
            &[("response-property-removed", Breaking)],
            1,
        ),
        // Security.
        case2(
            "an operation without security gains the API key",
            |d| operation(d, CUSTOMER, "patch")["security"] = json!([]),
            identity,
            &[("security-requirement-added", Breaking)],
            1,
        ),
        case(
            "an operation no longer needs the API key",
            |d| operation(d, CUSTOMER, "patch")["security"] = json!([]),
            &[("security-requirement-removed", Info)],
            0,
        ),
        case(
            "an operation accepts bearer authentication besides the API key",
            |d| {
                d["components"]["securitySchemes"]["Bearer"] =
                    json!({"type": "http", "scheme": "bearer"});
                operation(d, CUSTOMER, "patch")["security"] =
                    json!([{"ApiKey": []}, {"Bearer": []}]);
            },
            &[("security-alternatives-changed", Info)],
            0,
        ),
        case(
            "an operation moves to bearer authentication",
            |d| {
                d["components"]["securitySchemes"]["Bearer"] =
                    json!({"type": "http", "scheme": "bearer"});
                operation(d, CUSTOMER, "patch")["security"] = json!([{"Bearer": []}]);
            },
            &[("security-requirement-changed", Breaking)],
            1,
        ),
        case(
            "the API key moves to another header",
            |d| d["components"]["securitySchemes"]["ApiKey"]["name"] = json!("authorization"),
            &[("security-scheme-changed", Breaking)],
            1,
        ),
        // Schemas and documentation.
        case(
            "a component schema is renamed",
            |d| {
                let text = serde_json::to_string(d).unwrap().replace(
                    "#/components/schemas/Gender\"",
                    "#/components/schemas/Sex\"",
                );
                *d = serde_json::from_str(&text).unwrap();
                let schemas = d["components"]["schemas"].as_object_mut().unwrap();
                let gender = schemas.remove("Gender").unwrap();
                schemas.insert("Sex".into(), gender);
            },
            &[("schema-renamed", Breaking)],
            1,
        ),
        case(
            "an operation summary changes",
            |d| operation(d, CUSTOMER, "patch")["summary"] = json!("Update a customer"),
            &[("description-changed", Info)],
            0,
        ),
    ]
}

fn run(case: &Case) -> Report {
    let mut before = curated().clone();
    (case.before)(&mut before);
    let before = {
        let bytes = serde_json::to_vec(&before).unwrap();
        load::parse(Path::new("before.json"), bytes)
            .expect("the old document is valid")
            .value
    };
    diff::diff_values(&before, &mutated(case.after))
}

/// Cases whose documents codegen refuses (the curation rules need the API key on every
/// operation), with what the report must say about the missing Rust API signal.
const REFUSED_BY_CODEGEN: &[(&str, &str)] = &[
    (
        "an operation without security gains the API key",
        "the old document does not generate",
    ),
    (
        "an operation no longer needs the API key",
        "the new document does not generate",
    ),
];

/// Both signals: the rules, and the public Rust API of the crates generated from both sides.
/// `diff::diff` generates both; here the curated side is generated once for the whole corpus.
fn run_both(case: &Case) -> Report {
    static CURATED_API: OnceLock<Result<Vec<public_api::ApiItem>, String>> = OnceLock::new();
    let document = |name: &str, mutate: fn(&mut Value)| {
        let mut value = curated().clone();
        mutate(&mut value);
        let bytes = serde_json::to_vec(&value).unwrap();
        load::parse(Path::new(name), bytes).expect("the document is valid")
    };
    let (old, new) = (
        document("before.json", case.before),
        document("after.json", case.after),
    );
    let old_api = if old.value == *curated() {
        CURATED_API
            .get_or_init(|| rust_api::public_api(&old))
            .clone()
    } else {
        rust_api::public_api(&old)
    };
    let mut report = diff::diff_values(&old.value, &new.value);
    report.rust_api = rust_api::signal(old_api, rust_api::public_api(&new));
    report
}

fn found(report: &Report) -> BTreeSet<(&'static str, Level)> {
    report
        .changes
        .iter()
        .map(|c| (c.rule.id, c.level()))
        .collect()
}

#[test]
fn every_case_reports_exactly_its_rules_levels_and_exit_code() {
    let mut failures = Vec::new();
    for case in corpus() {
        let report = run(&case);
        let expected: BTreeSet<(&str, Level)> = case.expect.iter().copied().collect();
        let got = found(&report);
        if got != expected {
            failures.push(format!(
                "{}: expected {expected:?}, found {got:?}\n{}",
                case.name,
                report::render(&report, Format::Text)
            ));
        }
        if report.exit_code(false) != case.exit {
            failures.push(format!(
                "{}: exit code {} instead of {}",
                case.name,
                report.exit_code(false),
                case.exit
            ));
        }
        if report.exit_code(true) != 0 {
            failures.push(format!(
                "{}: --allow-breaking still exits {}",
                case.name,
                report.exit_code(true)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the corpus failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every case's verdict and reasons, checked against the crates generated from both sides:
/// the Rust API signal agrees with the rules' claims, and the verdict of both signals
/// together is the case's exit code.
#[test]
fn every_case_is_confirmed_by_the_generated_rust_api() {
    let corpus = corpus();
    // Two threads: generation dominates, and the corpus is large.
    let (first, second) = corpus.split_at(corpus.len() / 2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let other = scope.spawn(|| confirm(second));
        let mut failures = confirm(first);
        failures.extend(other.join().expect("the other half ran"));
        failures
    });
    assert!(
        failures.is_empty(),
        "{} of the corpus failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn confirm(cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let report = run_both(case);
        let refused = REFUSED_BY_CODEGEN
            .iter()
            .find(|(name, _)| *name == case.name);
        let problem = match (&report.rust_api, refused) {
            (diff::RustApi::Compared(_), None) => None,
            (diff::RustApi::Missing(reason), Some((_, why))) if reason.contains(why) => None,
            (other, _) => Some(format!("unexpected Rust API signal: {other:?}")),
        };
        let disagreements = report.disagreements();
        let problem = problem.or_else(|| {
            (!disagreements.is_empty()).then(|| format!("the signals disagree: {disagreements:?}"))
        });
        let problem = problem.or_else(|| {
            (report.exit_code(false) != case.exit).then(|| {
                format!(
                    "exit code {} instead of {}",
                    report.exit_code(false),
                    case.exit
                )
            })
        });
        if let Some(problem) = problem {
            failures.push(format!(
                "{}: {problem}\n{}",
                case.name,
                report::render(&report, Format::Text)
            ));
        }
    }
    failures
}

#[test]
fn the_corpus_covers_every_rule() {
    let covered: BTreeSet<&str> = corpus()
        .iter()
        .flat_map(|c| c.expect.iter().map(|(id, _)| *id))
        .collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a corpus case: {missing:?}"
    );
    assert!(corpus().len() >= 30);
}

#[test]
fn expected_levels_agree_with_the_catalogue() {
    for case in corpus() {
        for (id, level) in case.expect {
            let rule = RULES
                .iter()
                .find(|r| r.id == *id)
                .unwrap_or_else(|| panic!("{}: unknown rule {id}", case.name));
            assert_eq!(rule.level, *level, "{}: level of {id}", case.name);
        }
    }
}

/// A change that breaks consumers is never summed up as "no breaking changes", in any format.
#[test]
fn breaking_changes_are_never_reported_as_none() {
    for case in corpus() {
        let report = run(&case);
        let breaking = case.expect.iter().any(|(_, level)| *level == Breaking);
        for format in [Format::Markdown, Format::Text] {
            let rendered = report::render(&report, format);
            assert_eq!(
                !rendered.contains(NO_BREAKING_CHANGES),
                breaking,
                "{} ({format:?}):\n{rendered}",
                case.name
            );
        }
        let json: Value = serde_json::from_str(&report::render(&report, Format::Json)).unwrap();
        assert_eq!(
            json["summary"]["breaking"].as_u64().unwrap() > 0,
            breaking,
            "{}: JSON summary",
            case.name
        );
    }
}

#[test]
fn every_rule_breaking_in_semver_is_breaking_in_level() {
    for rule in RULES {
        if rule.bump == diff::Bump::Major {
            assert_eq!(
                rule.level, Breaking,
                "{} needs a major bump but is not breaking",
                rule.id
            );
        }
    }
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), RULES.len(), "rule ids are unique");
}

// `$ref`s are resolved: a change is found wherever the schema is written.

#[test]
fn a_change_inside_a_moved_schema_is_still_found() {
    let moved = mutated(|d| {
        let mut phone = property(d, "CreateProviderRequest", "phone").clone();
        phone["maxLength"] = json!(20);
        // Named as the generator names it inline, so that only the limit changes.
        d["components"]["schemas"]["CreateProviderRequestPhone"] = phone;
        *property(d, "CreateProviderRequest", "phone") =
            json!({"$ref": "#/components/schemas/CreateProviderRequestPhone"});
    });
    let report = diff::diff_values(curated(), &moved);
    assert_eq!(
        found(&report),
        BTreeSet::from([("request-max-length-decreased", Breaking)])
    );
}

#[test]
fn a_shared_component_change_is_reported_once_with_every_operation() {
    let after =
        mutated(|d| schema(d, "ErrorBody")["properties"]["requestId"] = json!({"type": "string"}));
    let report = diff::diff_values(curated(), &after);
    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    let operations = &report.changes[0].operations;
    assert!(
        operations.contains(&"PATCH /v2/customers/{id}".to_owned()),
        "{operations:?}"
    );
    assert!(
        operations.contains(&"POST /v2/customers/{id}/dependents".to_owned()),
        "{operations:?}"
    );
}

#[test]
fn breaking_changes_come_first() {
    let after = mutated(|d| {
        operation(d, CUSTOMER, "patch")["summary"] = json!("Update a customer");
        schema(d, "Provider")["properties"]
            .as_object_mut()
            .unwrap()
            .remove("fax");
        unrequire(d, "Provider", "fax");
    });
    let report = diff::diff_values(curated(), &after);
    let levels: Vec<Level> = report.changes.iter().map(|c| c.level()).collect();
    let mut sorted = levels.clone();
    sorted.sort();
    assert_eq!(levels, sorted);
    assert_eq!(levels.first(), Some(&Breaking));
}

// Semver against the crate's version change.

#[test]
fn a_breaking_change_without_a_version_bump_is_flagged() {
    let after = mutated(|d| unrequire(d, "Provider", "customerId"));
    let report = diff::diff_values(curated(), &after)
        .with_versions(CrateVersions::parse("0.1.0", "0.1.0").unwrap());
    assert!(report.exceeds_version_change(&report.changes[0]));
    let markdown = report::render(&report, Format::Markdown);
    assert!(markdown.contains("breaking: requires 0.2.0"), "{markdown}");
    assert!(markdown.contains("⚠ needs 0.2.0"), "{markdown}");

    let bumped = report.with_versions(CrateVersions::parse("0.1.0", "0.2.0").unwrap());
    assert!(!bumped.exceeds_version_change(&bumped.changes[0]));
    let markdown = report::render(&bumped, Format::Markdown);
    assert!(
        markdown.contains("the version change covers it"),
        "{markdown}"
    );
    assert!(!markdown.contains("⚠"), "{markdown}");
}

#[test]
fn an_addition_needs_only_a_compatible_release() {
    let after = mutated(|d| {
        schema(d, "Provider")["properties"]["website"] = json!({"type": "string", "nullable": true})
    });
    let report = diff::diff_values(curated(), &after)
        .with_versions(CrateVersions::parse("0.1.0", "0.1.1").unwrap());
    assert_eq!(report.required_bump(), diff::Bump::Minor);
    assert!(!report.exceeds_version_change(&report.changes[0]));
    let json: Value = serde_json::from_str(&report::render(&report, Format::Json)).unwrap();
    assert_eq!(json["crate"]["sufficient"], json!(true));
    assert_eq!(json["changes"][0]["id"], json!("response-property-added"));
    assert_eq!(json["changes"][0]["exceeds_version_change"], json!(false));
}

// Markdown snapshots of realistic multi-change pairs.

/// The report as `cargo xtask spec-diff --format markdown` prints it: both signals, the crate
/// generated from each side by `diff::diff`.
fn snapshot_report(after: fn(&mut Value), versions: Option<(&str, &str)>) -> String {
    let old = load::load(&curated_path()).expect("the curated document loads");
    let bytes = serde_json::to_vec(&mutated(after)).unwrap();
    let new = load::parse(Path::new("after.json"), bytes).expect("the new document is valid");
    let mut report = diff::diff(&old, &new).with_labels(
        "openapi/carecycle.yaml at main",
        "openapi/carecycle.yaml (working tree)",
    );
    if let Some((old, new)) = versions {
        report = report.with_versions(CrateVersions::parse(old, new).unwrap());
    }
    report::render(&report, Format::Markdown)
}

#[test]
fn snapshot_providers_grow() {
    // Additions only: a new provider kind, a new response field, a new optional request field,
    // a conflict status.
    let markdown = snapshot_report(
        |d| {
            schema(d, "ProviderType")["enum"]
                .as_array_mut()
                .unwrap()
                .push(json!("Dental"));
            schema(d, "Provider")["properties"]["website"] =
                json!({"type": "string", "nullable": true, "maxLength": 255});
            schema(d, "CreateProviderRequest")["properties"]["website"] =
                json!({"type": "string", "nullable": true, "maxLength": 255});
            operation(d, PROVIDERS, "post")["responses"]["409"] =
                json!({"$ref": "#/components/responses/BadRequest"});
        },
        Some(("0.1.0", "0.1.1")),
    );
    insta::assert_snapshot!(markdown);
}

#[test]
fn snapshot_customer_cleanup() {
    // A removed field on both sides, a tightened limit, a PATCH field that can no longer be
    // cleared, and a description: a breaking release the crate's version does not have yet.
    let markdown = snapshot_report(
        |d| {
            schema(d, "Customer")["properties"]
                .as_object_mut()
                .unwrap()
                .remove("mbiNumber");
            schema(d, "UpdateCustomerRequest")["properties"]
                .as_object_mut()
                .unwrap()
                .remove("mbiNumber");
            property(d, "UpdateCustomerRequest", "preferredName")["maxLength"] = json!(100);
            property(d, "UpdateCustomerRequest", "doNotCall")
                .as_object_mut()
                .unwrap()
                .remove("nullable");
            operation(d, CUSTOMER, "patch")["summary"] = json!("Update a customer by ID");
        },
        Some(("0.1.0", "0.1.0")),
    );
    insta::assert_snapshot!(markdown);
}

#[test]
fn snapshot_dependents_reworked() {
    // A renamed operation, a required field, a new relationship value, a renamed path
    // parameter and a new error status, compared as two files (no crate versions).
    let markdown = snapshot_report(
        |d| {
            operation(d, DEPENDENTS, "post")["operationId"] = json!("addCustomerDependent");
            required(d, "CreateDependentRequest").push(json!("firstName"));
            schema(d, "RelationshipType")["enum"]
                .as_array_mut()
                .unwrap()
                .push(json!("Guardian"));
            operation(d, CUSTOM_FIELDS, "post")["responses"]["409"] =
                json!({"$ref": "#/components/responses/BadRequest"});
        },
        None,
    );
    insta::assert_snapshot!(markdown);
}
