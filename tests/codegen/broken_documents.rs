//! Every broken document ends in an error that names the construct and where it is, and none
//! makes codegen panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde_json::{Value, json};

use crate::document_path;

/// Runs the whole pipeline on `bytes` named `name`; the error text, or None when it generated.
fn outcome(name: &str, bytes: Vec<u8>) -> Option<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        carecycle_codegen::load::parse(Path::new(name), bytes)
            .and_then(|d| carecycle_codegen::generate_document(&d))
    }));
    match result {
        Ok(Ok(_)) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_) => panic!("codegen panicked on {name}"),
    }
}

fn error_of(name: &str, bytes: Vec<u8>) -> String {
    outcome(name, bytes).unwrap_or_else(|| panic!("{name} generated, but it is broken"))
}

/// The curated document as JSON, changed by `change`.
fn curated_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut document = carecycle_codegen::load::load(&document_path())
        .unwrap()
        .value;
    change(&mut document);
    serde_json::to_vec_pretty(&document).unwrap()
}

fn at<'a>(document: &'a mut Value, pointer: &str) -> &'a mut Value {
    document
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the curated document"))
}

const PROVIDERS: &str = "/paths/~1v2~1customers~1{id}~1providers/post";
const PROVIDER: &str = "/paths/~1v2~1customers~1{id}~1providers~1{providerId}";

fn assert_mentions(error: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            error.contains(part),
            "the error does not mention `{part}`:\n{error}"
        );
    }
    assert!(
        !error.contains("panicked") && !error.contains("RUST_BACKTRACE"),
        "{error}"
    );
}

#[test]
fn yaml_syntax_errors_give_the_line() {
    let error = error_of(
        "bad.yaml",
        b"openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n".to_vec(),
    );
    assert_mentions(&error, &["bad.yaml", "line", "invalid YAML"]);
}

#[test]
fn json_syntax_errors_give_the_line_and_column() {
    let error = error_of(
        "bad.json",
        b"{\n  \"openapi\": \"3.0.3\",\n  \"info\": }\n".to_vec(),
    );
    assert_mentions(&error, &["bad.json", "line 3, column", "invalid JSON"]);
}

#[test]
fn empty_and_non_openapi_input_is_named_as_such() {
    assert_mentions(
        &error_of("empty.yaml", b"  \n\n".to_vec()),
        &["empty.yaml", "the document is empty"],
    );
    assert_mentions(
        &error_of(
            "deployment.yaml",
            b"apiVersion: apps/v1\nkind: Deployment\n".to_vec(),
        ),
        &["not an OpenAPI document", "no `openapi` version field"],
    );
    assert_mentions(
        &error_of("list.yaml", b"- a\n- b\n".to_vec()),
        &["not an OpenAPI document"],
    );
    assert_mentions(
        &error_of("swagger.yaml", b"swagger: '2.0'\ninfo: {}\n".to_vec()),
        &["Swagger 2.0", "#/openapi"],
    );
}

#[test]
fn openapi_3_1_is_refused_with_the_fix() {
    let error = error_of("v31.json", curated_with(|d| d["openapi"] = json!("3.1.0")));
    assert_mentions(
        &error,
        &["OpenAPI 3.1.0 is not supported", "3.0.3", "#/openapi"],
    );
}

#[test]
fn a_document_of_the_wrong_shape_names_the_place() {
    let error = error_of(
        "shape.json",
        curated_with(|d| d["paths"] = json!(["not", "a", "map"])),
    );
    assert_mentions(&error, &["not a valid OpenAPI 3.0 document", "#/paths"]);
}

#[test]
fn a_dangling_ref_names_where_it_is_and_what_it_points_at() {
    let error = error_of(
        "dangling.json",
        curated_with(|d| {
            *at(
                d,
                &format!("{PROVIDERS}/requestBody/content/application~1json/schema"),
            ) = json!({"$ref": "#/components/schemas/Nope"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "POST /v2/customers/{id}/providers",
            "#/components/schemas/Nope",
            "points at nothing",
            "/requestBody/content",
        ],
    );
}

#[test]
fn an_external_ref_is_refused() {
    let error = error_of(
        "external.json",
        curated_with(|d| {
            *at(
                d,
                &format!("{PROVIDERS}/requestBody/content/application~1json/schema"),
            ) = json!({"$ref": "other.yaml#/X"})
        }),
    );
    assert_mentions(&error, &["other.yaml#/X", "points outside the document"]);
}

#[test]
fn an_undeclared_path_parameter_is_named() {
    let error = error_of(
        "undeclared.json",
        curated_with(|d| {
            at(d, PROVIDER)["parameters"] = json!([{"$ref": "#/components/parameters/CustomerId"}])
        }),
    );
    assert_mentions(
        &error,
        &[
            "PATCH /v2/customers/{id}/providers/{providerId}",
            "`providerId` is in the path but not declared",
        ],
    );
}

#[test]
fn a_declared_parameter_missing_from_the_path_is_named() {
    let error = error_of(
        "extra.json",
        curated_with(
            |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "ghost", "in": "path", "required": true, "schema": {"type": "string"}}]),
        ),
    );
    assert_mentions(
        &error,
        &[
            "POST /v2/customers/{id}/providers",
            "`ghost` is declared but the path has no `{ghost}`",
        ],
    );
}

#[test]
fn a_body_next_to_a_bodiless_success_is_refused() {
    let error = error_of(
        "204.json",
        curated_with(|d| {
            at(d, &format!("{PROVIDERS}/responses"))["204"] = json!({"description": "nothing"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "POST /v2/customers/{id}/providers",
            "have a body but 204 has none",
        ],
    );
}

#[test]
fn different_success_schemas_are_refused() {
    let error = error_of(
        "success.json",
        curated_with(|d| {
            at(d, &format!("{PROVIDERS}/responses"))["201"] =
                json!({"$ref": "#/components/responses/DependentCreated"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "POST /v2/customers/{id}/providers",
            "different body schemas",
        ],
    );
}

#[test]
fn enum_values_whose_rust_names_collide_are_refused() {
    let error = error_of(
        "enum.json",
        curated_with(|d| {
            at(d, "/components/schemas/RecordType")["enum"] =
                json!(["multi-select", "multi_select"])
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/components/schemas/RecordType/enum",
            "`multi-select` and `multi_select` both become the Rust variant `MultiSelect`",
        ],
    );
}

#[test]
fn the_reserved_unrecognized_variant_is_refused() {
    let error = error_of(
        "reserved.json",
        curated_with(|d| {
            at(d, "/components/schemas/RecordType")["enum"] = json!(["customers", "unrecognized"])
        }),
    );
    assert_mentions(&error, &["`unrecognized`", "reserves"]);
}

#[test]
fn a_nullable_enum_that_refuses_null_is_refused() {
    let gender = "/components/schemas/Gender";
    let error = error_of(
        "no-null.json",
        curated_with(|d| {
            at(d, gender)["enum"]
                .as_array_mut()
                .unwrap()
                .retain(|v| !v.is_null());
        }),
    );
    assert_mentions(
        &error,
        &["#/components/schemas/Gender/enum", "must list `null`"],
    );

    let error = error_of(
        "not-nullable.json",
        curated_with(|d| {
            at(d, gender).as_object_mut().unwrap().remove("nullable");
        }),
    );
    assert_mentions(
        &error,
        &["#/components/schemas/Gender/enum", "needs `nullable: true`"],
    );

    let error = error_of(
        "all-of.json",
        curated_with(|d| {
            at(d, "/components/schemas/CustomFieldValue/properties/recordType").clone_from(
            &json!({"type": "string", "nullable": true, "allOf": [{"$ref": "#/components/schemas/RecordType"}]}),
        );
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/components/schemas/CustomFieldValue/properties/recordType/allOf/0",
            "`nullable` does not reach",
        ],
    );
}

#[test]
fn curation_rules_name_the_operation() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "no-id",
            Box::new(|d| {
                at(d, PROVIDERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("operationId");
            }),
            "has no operationId",
        ),
        (
            "bad-id",
            Box::new(|d| at(d, PROVIDERS)["operationId"] = json!("Create_provider")),
            "is not lowerCamelCase",
        ),
        (
            "dup-id",
            Box::new(|d| at(d, PROVIDERS)["operationId"] = json!("updateCustomer")),
            "is already used by PATCH /v2/customers/{id}",
        ),
        (
            "no-summary",
            Box::new(|d| at(d, PROVIDERS)["summary"] = json!(" ")),
            "has no summary",
        ),
        (
            "no-tag",
            Box::new(|d| at(d, PROVIDERS)["tags"] = json!([])),
            "has no tag",
        ),
        (
            "odd-tag",
            Box::new(|d| at(d, PROVIDERS)["tags"] = json!(["Nope"])),
            "tag `Nope` is not declared",
        ),
        (
            "no-docs",
            Box::new(|d| {
                at(d, PROVIDERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("externalDocs");
            }),
            "has no externalDocs.url",
        ),
        (
            "no-security",
            Box::new(|d| {
                at(d, PROVIDERS)["security"] = json!([]);
            }),
            "has no security requirement",
        ),
        (
            "odd-scheme",
            Box::new(|d| {
                at(d, PROVIDERS)["security"] = json!([{"Bearer": []}]);
            }),
            "security scheme `Bearer` is not declared",
        ),
        (
            "no-429",
            Box::new(|d| {
                at(d, &format!("{PROVIDERS}/responses"))
                    .as_object_mut()
                    .unwrap()
                    .remove("429");
            }),
            "does not document the 429 error response",
        ),
        (
            "inline-patch",
            Box::new(|d| {
                *at(
                    d,
                    &format!("{PROVIDER}/patch/requestBody/content/application~1json/schema"),
                ) = json!({"type": "object"})
            }),
            "a PATCH body must be a $ref",
        ),
        (
            "lower-name",
            Box::new(|d| {
                at(d, "/components/schemas")["gender_copy"] = json!({"type": "string"});
            }),
            "is not UpperCamelCase",
        ),
    ];
    for (name, change, expected) in cases {
        let error = error_of(&format!("{name}.json"), curated_with(change));
        assert!(
            error.contains(expected),
            "{name}: expected `{expected}` in:\n{error}"
        );
        assert!(
            error.contains("#/paths/") || error.contains("#/components/"),
            "{name}: no location in:\n{error}"
        );
    }
}

#[test]
fn limits_shared_by_requests_and_responses_are_refused() {
    let error = error_of(
        "shared.json",
        curated_with(|d| {
            *at(
                d,
                "/components/responses/ProviderCreated/content/application~1json/schema",
            ) = json!({"$ref": "#/components/schemas/CreateProviderRequest"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/components/schemas/CreateProviderRequest",
            "used by both requests and responses",
        ],
    );
}

#[test]
fn several_error_bodies_and_a_bodiless_error_are_lowered_not_refused() {
    // Three error schemas per operation (as careCycle has) and one error without a body:
    // progenitor alone panics on both; the lowering makes them one merged body.
    let bytes = curated_with(|d| {
        at(d, &format!("{PROVIDERS}/responses"))["409"] =
            json!({"description": "conflict, no body"})
    });
    assert_eq!(outcome("lowered.json", bytes), None);
}

#[test]
fn constructs_the_generator_does_not_implement_are_named() {
    let error = error_of(
        "cookie.json",
        curated_with(
            |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"}}]),
        ),
    );
    assert_mentions(
        &error,
        &[
            "POST /v2/customers/{id}/providers",
            "parameter `session` is in `cookie`",
        ],
    );
    // progenitor unwraps path items and panics on a `$ref` one.
    let error = error_of(
        "path-ref.json",
        curated_with(|d| {
            at(d, "/paths")["/v2/alias"] = json!({"$ref": "#/paths/~1v2~1customers~1{id}"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/paths/~1v2~1alias",
            "path item given by `$ref` is not supported",
        ],
    );
}

/// The curated document as YAML text, with `extra` appended under `components.schemas`.
fn curated_yaml_with_schemas(extra: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(document_path()).unwrap();
    let text = text.replacen("\n  schemas:\n", &format!("\n  schemas:\n{extra}"), 1);
    assert!(
        text.contains(extra),
        "the curated document has a `components.schemas` section"
    );
    text.into_bytes()
}

#[test]
fn schemas_that_include_each_other_are_refused_with_the_cycle() {
    // Through allOf and oneOf, the generator's merge recursed until the stack overflowed.
    let bytes = curated_with(|d| {
        let schemas = at(d, "/components/schemas");
        schemas["Left"] =
            json!({"allOf": [{"$ref": "#/components/schemas/Right"}, {"type": "object"}]});
        schemas["Right"] =
            json!({"oneOf": [{"$ref": "#/components/schemas/Left"}, {"type": "string"}]});
    });
    let error = error_of("cycle.json", bytes);
    assert_mentions(
        &error,
        &[
            "schema `Left` includes itself",
            "#/components/schemas/Left/allOf/0/$ref → #/components/schemas/Right/oneOf/0/$ref",
        ],
    );
}

#[test]
fn references_that_loop_or_point_at_the_wrong_kind_are_refused() {
    let error = error_of(
        "loop.json",
        curated_with(|d| {
            at(d, "/components/responses")["Loop"] = json!({"$ref": "#/components/responses/Loop"});
            at(d, &format!("{PROVIDERS}/responses"))["400"] =
                json!({"$ref": "#/components/responses/Loop"});
            at(d, &format!("{PROVIDERS}/responses"))["201"] = json!({"$ref": "#"});
            at(d, PROVIDERS)["parameters"] = json!([{"$ref": "#/paths"}]);
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/components/responses/Loop/$ref: `#/components/responses/Loop` is itself a `$ref`",
            "responses/201/$ref): a response `$ref` must point at #/components/responses/NAME; `#` does not",
            "parameters/0/$ref): a parameter `$ref` must point at #/components/parameters/NAME",
        ],
    );
}

#[test]
fn yaml_merge_keys_are_applied() {
    let bytes = curated_yaml_with_schemas(
        "    NameBase: &name_base {type: string, maxLength: 5}\n    MergedName:\n      <<: *name_base\n      description: A merged name.\n",
    );
    let document = carecycle_codegen::load::parse(Path::new("merge.yaml"), bytes).unwrap();
    assert_eq!(
        document.value["components"]["schemas"]["MergedName"],
        json!({"type": "string", "maxLength": 5, "description": "A merged name."})
    );
}

#[test]
fn yaml_alias_bombs_are_refused_quickly_at_the_first_alias() {
    let mut extra =
        String::from("    Bomb0: &b0 {type: string, enum: [a, b, c, d, e, f, g, h, i, j]}\n");
    for level in 1..10 {
        let items = vec![format!("*b{}", level - 1); 10].join(", ");
        extra.push_str(&format!(
            "    Bomb{level}: &b{level} {{allOf: [{items}]}}\n"
        ));
    }
    let error = error_of("bomb.yaml", curated_yaml_with_schemas(&extra));
    assert_mentions(
        &error,
        &["bomb.yaml: line", "column", "aliases expand the document"],
    );
}

#[test]
fn yaml_encoding_and_layout_problems_are_located() {
    let curated = std::fs::read(document_path()).unwrap();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&curated);
    assert_eq!(
        outcome("bom.yaml", with_bom),
        None,
        "a byte-order mark is accepted"
    );

    let mut latin1 = curated.clone();
    let at = latin1.windows(8).position(|w| w == b"summary:").unwrap();
    latin1.insert(at + 9, 0xE9);
    assert_mentions(
        &error_of("latin1.yaml", latin1),
        &["latin1.yaml: line", "not UTF-8"],
    );

    let mut two = curated.clone();
    two.extend_from_slice(b"---\nopenapi: 3.0.3\n");
    assert_mentions(
        &error_of("two.yaml", two),
        &["two.yaml: line", "second YAML document"],
    );

    let complex = curated_yaml_with_schemas(
        "    Odd:\n      type: object\n      properties:\n        ? [a, b]\n        : {type: string}\n",
    );
    assert_mentions(
        &error_of("complex.yaml", complex),
        &[
            "#/components/schemas/Odd/properties",
            "key that is a sequence",
        ],
    );
}

#[test]
fn refusals_from_inside_the_generator_name_the_schema_or_operation() {
    let error = error_of(
        "type.json",
        curated_with(|d| {
            at(
                d,
                "/components/schemas/CreateProviderRequest/properties/npi",
            )["type"] = json!("strin")
        }),
    );
    assert_mentions(&error, &["#/components/schemas/CreateProviderRequest"]);
    let error = error_of(
        "header.json",
        curated_with(
            |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "x-trace", "in": "header", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}]),
        ),
    );
    assert_mentions(&error, &["POST /v2/customers/{id}/providers"]);
}

#[test]
fn constructs_the_client_supports_are_accepted() {
    // Each generates; `cargo xtask fuzz-codegen` compiles such documents.
    type Change = Box<dyn FnOnce(&mut Value)>;
    let only_success = |d: &mut Value, body: Value| {
        let responses = at(d, &format!("{PROVIDERS}/responses"))
            .as_object_mut()
            .unwrap();
        responses.retain(|status, _| !status.starts_with('2'));
        responses.insert("200".into(), json!({"description": "ok", "content": body}));
    };
    let cases: Vec<(&str, Change)> = vec![
        (
            "charset",
            Box::new(move |d| {
                only_success(
                    d,
                    json!({"application/json; charset=utf-8": {"schema": {"type": "integer"}}}),
                )
            }),
        ),
        (
            "text-plain",
            Box::new(move |d| {
                only_success(
                    d,
                    json!({"text/plain; charset=utf-8": {"schema": {"type": "string"}}, "application/xml": {}}),
                )
            }),
        ),
        (
            "octet",
            Box::new(move |d| {
                only_success(
                    d,
                    json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
                )
            }),
        ),
        (
            "header",
            Box::new(|d| {
                at(d, PROVIDERS)["parameters"] =
                    json!([{"name": "x-trace", "in": "header", "schema": {"type": "string"}}])
            }),
        ),
        (
            "builder-names",
            Box::new(
                |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "send", "in": "query", "schema": {"type": "string"}}, {"name": "timeout", "in": "header", "schema": {"type": "string"}}]),
            ),
        ),
        (
            "array-query",
            Box::new(
                |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}]),
            ),
        ),
        (
            "options",
            Box::new(|d| {
                let mut operation = at(d, PROVIDERS).clone();
                operation["operationId"] = json!("providerOptions");
                operation.as_object_mut().unwrap().remove("requestBody");
                at(d, "/paths/~1v2~1customers~1{id}~1providers")["options"] = operation;
            }),
        ),
        (
            "text",
            Box::new(|d| {
                at(d, PROVIDERS)["description"] = json!("one\r\ntwo\rthree \u{202E} four")
            }),
        ),
        (
            "not",
            Box::new(|d| {
                at(
                    d,
                    "/components/schemas/CreateProviderRequest/properties/npi",
                )["not"] = json!({"$ref": "#/components/schemas/RecordType"})
            }),
        ),
    ];
    for (name, change) in cases {
        assert_eq!(
            outcome(&format!("{name}.json"), curated_with(change)),
            None,
            "{name}"
        );
    }
}

#[test]
fn constructs_the_client_cannot_take_are_refused_where_they_are() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let success = |d: &mut Value, media: &str| {
        let responses = at(d, &format!("{PROVIDERS}/responses"))
            .as_object_mut()
            .unwrap();
        responses.retain(|status, _| !status.starts_with('2'));
        responses.insert(
            "200".into(),
            json!({"description": "ok", "content": {media: {"schema": {"type": "string"}}}}),
        );
    };
    let parameter = |d: &mut Value, p: Value| at(d, PROVIDERS)["parameters"] = json!([p]);
    let cases: Vec<(&str, Change, &[&str])> = vec![
        (
            "xml",
            Box::new(move |d| success(d, "application/xml")),
            &[
                "providers/post/responses/200)",
                "success body is `application/xml`; the client reads JSON, `text/plain` (UTF-8) and `application/octet-stream` success bodies",
            ],
        ),
        (
            "latin1",
            Box::new(move |d| success(d, "text/plain; charset=iso-8859-1")),
            &["success body is `text/plain; charset=iso-8859-1`"],
        ),
        (
            "mixed",
            Box::new(move |d| {
                success(d, "text/plain");
                at(d, &format!("{PROVIDERS}/responses"))["201"] = json!({"description": "ok", "content": {"application/json": {"schema": {"type": "integer"}}}});
            }),
            &[
                "providers/post/responses)",
                "success statuses 201 (JSON), 200 (text) read different kinds of body",
            ],
        ),
        (
            "send",
            Box::new(
                |d| at(d, PROVIDERS)["parameters"] = json!([{"name": "send", "in": "query", "schema": {"type": "string"}}, {"name": "send_param", "in": "header", "schema": {"type": "string"}}]),
            ),
            &[
                "POST /v2/customers/{id}/providers (#/paths/~1v2~1customers~1{id}~1providers/post/parameters/1)",
                "query parameter `send` (#/paths/~1v2~1customers~1{id}~1providers/post/parameters/0) and header parameter `send_param` both become the builder method `send_param`",
            ],
        ),
        (
            "path-query",
            Box::new(move |d| {
                parameter(
                    d,
                    json!({"name": "id", "in": "query", "schema": {"type": "string"}}),
                )
            }),
            &[
                "path parameter `id` (#/paths/~1v2~1customers~1{id}~1providers/parameters/0) and query parameter `id` both become the builder method `id`",
            ],
        ),
        (
            "object-header",
            Box::new(move |d| {
                parameter(
                    d,
                    json!({"name": "x-f", "in": "header", "schema": {"type": "object"}}),
                )
            }),
            &["header parameter `x-f` must be a string"],
        ),
        (
            "collide",
            Box::new(|d| {
                at(d, "/components/schemas/CreateProviderRequest/properties")["provider-name"] =
                    json!({"type": "string"})
            }),
            &[
                "#/components/schemas/CreateProviderRequest/properties/provider-name",
                "`providerName` and `provider-name` both become the Rust field `provider_name`",
            ],
        ),
        (
            "regex",
            Box::new(|d| {
                at(
                    d,
                    "/components/schemas/CreateProviderRequest/properties/npi",
                )["pattern"] = json!("([")
            }),
            &[
                "#/components/schemas/CreateProviderRequest/properties/npi/pattern",
                "not a valid regular expression",
            ],
        ),
        (
            "enum-type",
            Box::new(|d| at(d, "/components/schemas/RecordType")["enum"] = json!(["customers", 3])),
            &[
                "#/components/schemas/RecordType/enum/1",
                "enum value 3 is integer",
            ],
        ),
        (
            "type",
            Box::new(|d| {
                at(
                    d,
                    "/components/schemas/CreateProviderRequest/properties/npi",
                )["type"] = json!("strin")
            }),
            &["npi/type: unknown type `strin`"],
        ),
        (
            "status",
            Box::new(|d| {
                at(d, &format!("{PROVIDERS}/responses"))["2x"] = json!({"description": "odd"})
            }),
            &["responses/2x): `2x` is not a response status"],
        ),
        (
            "bidi-enum",
            Box::new(|d| {
                at(d, "/components/schemas/RecordType")["enum"] =
                    json!(["customers", "e\u{202E}vil"])
            }),
            &["#/components/schemas/RecordType/enum/1: holds the character U+202E"],
        ),
    ];
    for (name, change, expected) in cases {
        let error = error_of(&format!("{name}.json"), curated_with(change));
        assert_mentions(&error, expected);
        assert!(
            !error.contains("documents no success"),
            "{name}: an unreadable success is still a success:\n{error}"
        );
    }
}

#[test]
fn webhooks_the_event_enum_cannot_take_are_named() {
    const CREATED: &str = "/x-webhooks/customer.created/post";
    let error = error_of(
        "webhook-inline.json",
        curated_with(|d| {
            at(d, CREATED)["requestBody"]["content"]["application/json"]["schema"] =
                json!({"type": "object"})
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/x-webhooks/customer.created/post/requestBody",
            "$ref to a component schema",
        ],
    );

    let error = error_of(
        "webhook-collision.json",
        curated_with(|d| {
            let created = at(d, "/x-webhooks/customer.created").clone();
            at(d, "/x-webhooks")["customer_created"] = created;
        }),
    );
    assert_mentions(
        &error,
        &[
            "`customer.created` and `customer_created` both become the Rust variant `CustomerCreated`",
        ],
    );

    let error = error_of(
        "webhook-reserved.json",
        curated_with(|d| {
            let created = at(d, "/x-webhooks/customer.created").clone();
            at(d, "/x-webhooks")["unrecognized"] = created;
        }),
    );
    assert_mentions(
        &error,
        &[
            "#/x-webhooks/unrecognized",
            "reserves for event types it does not know",
        ],
    );

    let error = error_of(
        "webhook-untyped.json",
        curated_with(|d| *at(d, "/components/schemas/CallCompletedEvent/required") = json!([])),
    );
    assert_mentions(
        &error,
        &[
            "#/x-webhooks/call.completed/post/requestBody",
            "`CallCompletedEvent` does not require `event_type`",
        ],
    );

    let error = error_of(
        "webhook-provenance.json",
        curated_with(|d| {
            at(d, CREATED)
                .as_object_mut()
                .unwrap()
                .remove("externalDocs");
        }),
    );
    assert_mentions(
        &error,
        &["#/x-webhooks/customer.created/post", "externalDocs.url"],
    );
}
