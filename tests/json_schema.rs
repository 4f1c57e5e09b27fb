//! The JSON Schemas of `carecycle::types` (feature `schemars`), checked by an independent
//! validator (`jsonschema`): the document's request examples pass, a value that breaks each kind
//! of constraint fails, what the types serialise passes, and the schemas are stable.

use std::path::Path;

use carecycle::types;
use harness::fixtures;
use schemars::{JsonSchema, Schema, schema_for};
use serde_json::{Value, json};

fn validator(schema: &Schema) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema.as_value())
        .expect("a schemars schema is a valid JSON Schema")
}

/// The errors `value` meets against `T`'s schema, one line each.
fn errors<T: JsonSchema>(value: &Value) -> Vec<String> {
    let schema = schema_for!(T);
    validator(&schema)
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid<T: JsonSchema>(value: &Value) {
    let errors = errors::<T>(value);
    assert!(
        errors.is_empty(),
        "{} rejects {value}: {errors:?}",
        T::schema_name()
    );
}

fn assert_rejected<T: JsonSchema>(kind: &str, value: &Value) {
    assert!(
        !errors::<T>(value).is_empty(),
        "{kind}: {} accepts {value}",
        T::schema_name()
    );
}

/// The errors an operation's request example meets against its body type's schema, or `None`
/// when the body type is not one this test knows.
fn check_request_example(body_type: &str, example: &Value) -> Option<Vec<String>> {
    macro_rules! by_name {
        ($($name:ident),* $(,)?) => {
            match body_type {
                $(stringify!($name) => Some(errors::<types::$name>(example)),)*
                _ => None,
            }
        };
    }
    by_name!(
        UpdateCustomerRequest,
        CreateProviderRequest,
        UpdateProviderRequest,
        CreateDependentRequest,
        CreateCustomFieldValueRequest,
        UpdateCustomFieldValueRequest,
        UpdateCustomerCampaignStatusRequest,
        CreateAgentSourceRestrictionRequest,
        UploadLeadsRequest,
        UpdatePrescriptionRequest,
        CreateCustomFieldDefinitionRequest,
        UpdateCustomFieldDefinitionRequest,
        SyncAcaRequest,
    )
}

#[test]
fn every_request_example_of_the_document_validates_against_its_body_schema() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/carecycle.yaml");
    let document = carecycle_codegen::load::load(&spec)
        .expect("the document loads")
        .value;
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let Some(content) = operation.pointer("/requestBody/content/application~1json") else {
                continue;
            };
            let operation_name = format!("{} {path}", method.to_uppercase());
            let reference = content
                .pointer("/schema/$ref")
                .and_then(Value::as_str)
                .expect("bodies are component refs");
            let body_type = reference.rsplit('/').next().expect("a component name");
            let example = content
                .get("example")
                .unwrap_or_else(|| panic!("{operation_name}: the body has no example"));
            let errors = check_request_example(body_type, example).unwrap_or_else(|| {
                panic!("{operation_name}: add `{body_type}` to check_request_example")
            });
            assert!(
                errors.is_empty(),
                "{operation_name}: the example fails `{body_type}`: {errors:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 13, "every operation with a body");
}

#[test]
fn a_value_that_breaks_each_kind_of_constraint_is_rejected() {
    let provider = json!({"providerType": "Specialist", "specialty": "Cardiology"});
    assert_valid::<types::CreateProviderRequest>(&provider);
    let with = |key: &str, value: Value| {
        let mut broken = provider.clone();
        broken[key] = value;
        broken
    };
    type Create = types::CreateProviderRequest;
    assert_rejected::<Create>("maxLength", &with("specialty", json!("x".repeat(256))));
    assert_valid::<Create>(&with("specialty", json!("x".repeat(255))));
    assert_rejected::<Create>("enum", &with("providerType", json!("Telehealth")));
    assert_rejected::<Create>("not nullable", &with("providerType", Value::Null));
    assert_rejected::<Create>("type", &with("isActive", json!("yes")));
    assert_rejected::<Create>("required", &json!({"specialty": "Cardiology"}));

    type Update = types::UpdateProviderRequest;
    assert_rejected::<Update>("format", &json!({"customerId": "not-a-uuid"}));
    assert_rejected::<Update>("optional, not nullable", &json!({"customerId": null}));
    assert_valid::<Update>(&json!({"customerId": fixtures::CUSTOMER_ID}));

    let lead =
        json!({"phoneNumber": "+15555550100", "postalCode": "94107", "dateOfBirth": "04-12-1961"});
    let leads = |records: Vec<Value>| json!({"records": records});
    type Upload = types::UploadLeadsRequest;
    assert_valid::<Upload>(&leads(vec![lead.clone()]));
    let mut iso_date = lead.clone();
    iso_date["dateOfBirth"] = json!("1961-04-12");
    assert_rejected::<Upload>("pattern", &leads(vec![iso_date]));
    assert_rejected::<Upload>("minItems", &leads(vec![]));
    assert_rejected::<Upload>("maxItems", &leads(vec![lead.clone(); 201]));
    assert_valid::<Upload>(&leads(vec![lead; 200]));
}

#[test]
fn a_patch_field_may_be_absent_null_or_a_value() {
    type Update = types::UpdateProviderRequest;
    assert_valid::<Update>(&json!({}));
    assert_valid::<Update>(&json!({"specialty": null}));
    assert_valid::<Update>(&json!({"specialty": "Cardiology"}));
    assert_rejected::<Update>("type", &json!({"specialty": 5}));
    assert_rejected::<Update>("maxLength", &json!({"specialty": "x".repeat(256)}));

    // What the builder sends for each state passes too.
    let body = Update::try_from(Update::builder().specialty("Cardiology").clear_notes()).unwrap();
    assert_valid::<Update>(&serde_json::to_value(&body).unwrap());
}

#[test]
fn personal_data_is_annotated_and_unknown_enum_values_are_left_out() {
    let schema = schema_for!(types::CreateDependentRequest);
    assert_eq!(
        schema.as_value().pointer("/properties/ssn/x-personal-data"),
        Some(&json!(true))
    );
    assert_eq!(
        schema
            .as_value()
            .pointer("/properties/isCovered/x-personal-data"),
        None
    );
    let customer = schema_for!(types::Customer);
    assert_eq!(
        customer
            .as_value()
            .pointer("/additionalProperties/x-personal-data"),
        Some(&json!(true))
    );

    let gender = schema_for!(types::Gender);
    let values = gender.as_value()["enum"]
        .as_array()
        .expect("an enum")
        .clone();
    assert_eq!(
        values,
        ["Male", "Female", "Non-Binary", "Other", "Prefer Not to Say"]
    );
    // The type decodes an unknown value (tolerant responses), but cannot send it: the schema
    // says what may be sent.
    let unknown: types::Gender = serde_json::from_value(json!("Agender")).unwrap();
    assert!(serde_json::to_value(&unknown).is_err());
    assert_rejected::<types::Gender>("enum", &json!("Agender"));
}

#[test]
fn what_the_response_types_serialise_validates_against_their_schemas() {
    macro_rules! round_trip {
        ($type:ty, $fixture:expr) => {{
            let value: $type = serde_json::from_value($fixture).expect("the fixture decodes");
            assert_valid::<$type>(
                &serde_json::to_value(&value).expect("a decoded response serialises"),
            );
        }};
    }
    round_trip!(types::Customer, fixtures::customer());
    round_trip!(types::Provider, fixtures::provider());
    round_trip!(types::Dependent, fixtures::dependent());
    round_trip!(types::CustomFieldValue, fixtures::custom_field_value());
}

#[test]
fn the_schema_of_every_type_is_stable() {
    let schema = types::json_schema();
    assert_eq!(
        schema,
        types::json_schema(),
        "generating twice gives the same schema"
    );
    let definitions = schema.as_value()["$defs"].as_object().expect("$defs");
    assert!(
        definitions.contains_key("UpdateCustomerRequest") && definitions.contains_key("Customer")
    );
    insta::assert_snapshot!(
        "json_schema",
        serde_json::to_string_pretty(&schema).unwrap()
    );
}
