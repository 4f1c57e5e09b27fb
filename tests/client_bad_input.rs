//! Bad input is refused before sending: the server reads zero requests, and the error names the
//! argument and the reason without echoing the value.

use carecycle::{Client, Error, RetryPolicy, types};
use harness::fixtures::{self, CUSTOMER_ID, PROVIDER_ID};
use harness::{Reply, TestServer};

const KEY: &str = "cc_test_bad_input_key";

async fn server() -> TestServer {
    TestServer::scripted(vec![Reply::json(200, fixtures::provider())]).await
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The error is `InvalidRequest` for `argument`, its reason contains `reason`, and it does not
/// print `value`.
fn assert_refused(
    result: Result<impl std::fmt::Debug, Error>,
    argument: &str,
    reason: &str,
    value: &str,
) {
    let error = result.expect_err("refused before sending");
    let Error::InvalidRequest {
        argument: a,
        reason: r,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(a, argument, "{error}");
    assert!(r.contains(reason), "{error}");
    let printed = format!("{error} {error:?}");
    assert!(
        printed.starts_with("invalid request, nothing was sent: "),
        "{printed}"
    );
    assert!(
        value.is_empty() || !printed.contains(value),
        "the value leaked: {printed}"
    );
}

#[tokio::test]
async fn an_invalid_uuid_sends_nothing() {
    let server = server().await;
    let result = client(&server)
        .update_customer_provider()
        .id("not-a-uuid-at-all")
        .provider_id(PROVIDER_ID)
        .send()
        .await;
    assert_refused(result, "id", "is not a valid uuid", "not-a-uuid-at-all");

    let result = client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id("12345")
        .send()
        .await;
    assert_refused(result, "provider_id", "is not a valid uuid", "");
    assert_eq!(server.count(), 0);
}

/// Uuids that parse but that the document's pattern refuses: version 0, version 9, and the
/// variant digit `c` (the pattern takes versions 1 to 8, variant `8`, `9`, `a`, `b`, and the nil
/// and max uuids).
const OFF_PATTERN: [&str; 3] = [
    "87d8e330-2878-0742-a86f-dbbb3bf522ac",
    "87D8E330-2878-9742-A86F-DBBB3BF522AC",
    "87d8e330-2878-4742-c86f-dbbb3bf522ac",
];

#[tokio::test]
async fn a_uuid_off_the_documents_pattern_sends_nothing_for_every_path_parameter() {
    let server = server().await;
    let client = client(&server);
    let pattern = "does not match the pattern `^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8]";
    for bad in OFF_PATTERN {
        let result = client.get_customer().id(bad).send().await;
        assert_refused(result, "id", pattern, &bad[..8]);
        let result = client
            .update_customer_provider()
            .id(CUSTOMER_ID)
            .provider_id(bad)
            .send()
            .await;
        assert_refused(result, "provider_id", pattern, &bad[..8]);
        let result = client
            .update_customer_prescription()
            .id(CUSTOMER_ID)
            .prescription_id(bad)
            .send()
            .await;
        assert_refused(result, "prescription_id", pattern, &bad[..8]);
        let result = client
            .delete_customer_custom_field_value()
            .id(CUSTOMER_ID)
            .custom_field_id(bad)
            .send()
            .await;
        assert_refused(result, "custom_field_id", pattern, &bad[..8]);
        let result = client.get_custom_field_definition().id(bad).send().await;
        assert_refused(result, "id", pattern, &bad[..8]);
        let result = client.get_campaign().campaign_id(bad).send().await;
        assert_refused(result, "campaign_id", pattern, &bad[..8]);
    }
    assert_eq!(server.count(), 0, "nothing reached the wire");

    // The pattern's own exceptions pass and are sent (what the reply decodes to is not the point).
    let nil = "00000000-0000-0000-0000-000000000000";
    let _sent = client.get_customer().id(nil).send().await;
    assert_eq!(server.count(), 1);
    assert_eq!(server.requests()[0].path, format!("/v2/customers/{nil}"));
}

#[tokio::test]
async fn a_missing_path_parameter_sends_nothing() {
    let server = server().await;
    let result = client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .send()
        .await;
    assert_refused(result, "provider_id", "is required", "");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_over_long_field_sends_nothing() {
    let server = server().await;
    let long = "cardiology-".repeat(30); // 330 characters, maxLength 255
    let result = client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(|b| b.specialty(long.as_str()))
        .send()
        .await;
    assert_refused(
        result,
        "body.specialty",
        "longer than 255 characters",
        &long,
    );

    // A personal field: the SSN is at most 11 characters, and the value is never printed.
    let result = client(&server)
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .body_map(|b| b.ssn("123-45-67890"))
        .send()
        .await;
    assert_refused(
        result,
        "body.ssn",
        "longer than 11 characters",
        "123-45-67890",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_over_long_field_in_a_body_built_apart_sends_nothing() {
    let server = server().await;
    let body = types::UpdateCustomerRequest::builder().first_name("Q".repeat(256));
    let result = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body(body)
        .send()
        .await;
    assert_refused(
        result,
        "body.firstName",
        "longer than 255 characters",
        &"Q".repeat(256),
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_missing_required_field_sends_nothing() {
    let server = server().await;
    let result = client(&server)
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body_map(|b| b.provider_name("Dr. Lee"))
        .send()
        .await;
    assert_refused(result, "body.providerType", "is required", "");

    let result = client(&server)
        .create_customer_custom_field_value()
        .id(CUSTOMER_ID)
        .body_map(|b| b.text_value("referred by a friend"))
        .send()
        .await;
    assert_refused(result, "body.fieldDefinitionId", "is required", "");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_enum_value_the_document_does_not_know_sends_nothing() {
    let server = server().await;
    let result = client(&server)
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body_map(|b| b.provider_type(types::ProviderType::Unrecognized("Telehealth".into())))
        .send()
        .await;
    assert_refused(
        result,
        "body.providerType",
        "a value this version of the crate does not know",
        "Telehealth",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn an_api_key_without_cc_sends_nothing_and_is_not_echoed() {
    let server = server().await;
    for key in ["sk_live_0123456789", "cc_has space", "CC_upper_case"] {
        let error = Client::builder()
            .api_key(key)
            .base_url(server.url())
            .build()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "api_key",
                    ..
                }
            ),
            "{error:?}"
        );
        let printed = format!("{error} {error:?}");
        assert!(!printed.contains(key), "the key leaked: {printed}");
    }
    let error = Client::builder()
        .base_url(server.url())
        .build()
        .unwrap_err();
    assert!(
        error.to_string().contains("no API key was given"),
        "{error}"
    );
    assert_eq!(server.count(), 0);
}
