//! Request bodies with nested values against a loopback server: nested builders are taken in
//! place, and every check (required fields, string lengths and patterns, item counts, in a
//! nested value or after a field was changed by hand) refuses the request before anything is
//! sent, naming the field's whole path in the document's names, never its value.

use carecycle::{Client, Error, Patch, RetryPolicy, types};
use harness::fixtures::{CUSTOMER_ID, PROVIDER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key("cc_test_key")
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn server() -> TestServer {
    TestServer::scripted(vec![Reply::json(
        200,
        json!({"succeeded": 1, "failed": 0, "errors": []}),
    )])
    .await
}

fn lead(phone: &str) -> types::builder::LeadRecord {
    types::LeadRecord::builder()
        .phone_number(phone)
        .postal_code("30301")
}

/// The refused argument and reason, after checking that nothing was sent and that neither
/// `Display` nor `Debug` of the error holds `secret`.
fn refused(
    server: &TestServer,
    result: Result<impl std::fmt::Debug, Error>,
    secret: &str,
) -> (String, String) {
    assert_eq!(server.count(), 0, "nothing is sent");
    let error = result.expect_err("refused before sending");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(secret), "the value is shown: {shown}");
    match error {
        Error::InvalidRequest { argument, reason } => (argument, reason),
        other => panic!("not an invalid request: {other:?}"),
    }
}

#[tokio::test]
async fn a_too_long_name_in_a_nested_record_is_refused_at_its_path() {
    let server = server().await;
    let name = "Quintessa".repeat(29);
    let result = client(&server)
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550100"),
                lead("5555550101"),
                lead("5555550102").first_name(name.as_str()),
            ])
        })
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "Quintessa");
    assert_eq!(argument, "body.records[2].firstName");
    assert!(reason.contains("255 characters"), "{reason}");
}

#[tokio::test]
async fn a_missing_required_field_in_a_nested_record_is_refused_at_its_path() {
    let server = server().await;
    let result = client(&server)
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550100"),
                types::LeadRecord::builder().postal_code("30301"),
            ])
        })
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "30301");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        ("body.records[1].phoneNumber", "is required and was not set")
    );

    let result = client(&server).upload_leads().send().await;
    let (argument, reason) = refused(&server, result, "30301");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        ("body.records", "is required and was not set")
    );
}

#[tokio::test]
async fn a_broken_pattern_deep_inside_is_refused_at_its_path() {
    let server = server().await;
    let result = client(&server)
        .upload_leads()
        .body_map(|b| b.records([lead("5555550100").date_of_birth("1958-04-12")]))
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "1958-04-12");
    assert_eq!(argument, "body.records[0].dateOfBirth");
    assert!(reason.contains("pattern"), "{reason}");
}

#[tokio::test]
async fn an_item_count_in_a_nested_array_is_refused_at_its_path() {
    let server = server().await;
    let field = || {
        types::LeadCustomField::builder()
            .field_key("utm_campaign")
            .value(json!("spring"))
    };
    let result = client(&server)
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550100"),
                lead("5555550101").custom_fields((0..51).map(|_| field())),
            ])
        })
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "spring");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        (
            "body.records[1].customFields",
            "must hold at most 50 items; it holds 51"
        )
    );

    let result = client(&server)
        .upload_leads()
        .body_map(|b| b.records((0..201).map(|i| lead(&format!("555555{i:04}")))))
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "5555550000");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        (
            "body.records",
            "must hold from 1 to 200 items; it holds 201"
        )
    );
}

#[tokio::test]
async fn a_field_changed_after_building_is_checked_when_sent() {
    let server = server().await;
    let mut record = types::LeadRecord::try_from(lead("5555550100")).unwrap();
    record.language = Some("Klingon".repeat(8));
    let body = types::UploadLeadsRequest::builder().records([record]);
    let result = client(&server).upload_leads().body(body).send().await;
    let (argument, reason) = refused(&server, result, "Klingon");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        ("body.records[0].language", "is longer than 50 characters")
    );

    let mut update = types::UpdateProviderRequest::try_from(
        types::UpdateProviderRequest::builder().is_primary_provider(true),
    )
    .unwrap();
    update.specialty = Patch::Set("Cardiology".repeat(26));
    let result = client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body(update)
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "Cardiology");
    assert_eq!(
        (argument.as_str(), reason.as_str()),
        ("body.specialty", "is longer than 255 characters")
    );
}

#[tokio::test]
async fn a_uuid_the_documents_pattern_refuses_is_refused() {
    let server = server().await;
    let version_zero = "87d8e330-2878-0742-a86f-dbbb3bf522ac";
    let result = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(|b| b.member_id(carecycle::uuid::Uuid::parse_str(version_zero).unwrap()))
        .send()
        .await;
    let (argument, reason) = refused(&server, result, version_zero);
    assert_eq!(argument, "body.memberId");
    assert!(reason.starts_with("does not match the pattern"), "{reason}");
}

#[tokio::test]
async fn nested_builders_values_and_iterators_are_taken_in_place() {
    let server = TestServer::scripted(vec![
        Reply::json(200, json!({"succeeded": 2, "failed": 0, "errors": []})),
        Reply::json(200, json!({"succeeded": 3, "failed": 0, "errors": []})),
    ])
    .await;
    let client = client(&server);
    let field = types::LeadCustomField::builder()
        .field_key("utm_campaign")
        .value(json!("spring"));
    client
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550100").custom_fields([field]),
                lead("5555550101"),
            ])
        })
        .send()
        .await
        .unwrap();
    let built: Vec<types::LeadRecord> = (0..3)
        .map(|i| types::LeadRecord::try_from(lead(&format!("555555020{i}"))).unwrap())
        .collect();
    client
        .upload_leads()
        .body_map(|b| b.records(built))
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"records": [
            {"phoneNumber": "5555550100", "postalCode": "30301", "customFields": [{"fieldKey": "utm_campaign", "value": "spring"}]},
            {"phoneNumber": "5555550101", "postalCode": "30301"}
        ]})
    );
    assert_eq!(
        requests[1].json()["records"].as_array().map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn an_unrecognized_enum_value_is_refused_at_its_path_and_never_shown() {
    let server = server().await;
    let unknown = || types::Gender::Unrecognized("Quintessa-gender".to_owned());
    let result = client(&server)
        .upload_leads()
        .body_map(|b| b.records([lead("5555550100"), lead("5555550101").gender(unknown())]))
        .send()
        .await;
    let (argument, reason) = refused(&server, result, "Quintessa");
    assert_eq!(argument, "body.records[1].gender");
    assert!(reason.contains("does not know"), "{reason}");

    // A PATCH field set by hand after building, through `Patch`.
    let mut body =
        types::UpdateCustomerRequest::try_from(types::UpdateCustomerRequest::builder()).unwrap();
    body.gender = Patch::Set(unknown());
    let result = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body(body)
        .send()
        .await;
    let (argument, _) = refused(&server, result, "Quintessa");
    assert_eq!(argument, "body.gender");
}
