//! The operations beyond the five seeds, end to end against a loopback server: the request on
//! the wire (method, path, query, API key, JSON body), the decoded response, and one error
//! case each. Also PATCH clearing, the customer's catch-all of unnamed properties, request
//! checks before sending, and redacted Debug output.

use std::time::{Duration, SystemTime};

use carecycle::{Client, Error, RetryPolicy, types};
use harness::fixtures::{
    CUSTOMER_ID as CUSTOMER, FIELD_DEFINITION_ID as FIELD_DEFINITION,
    FIELD_VALUE_ID as CUSTOM_FIELD_VALUE, PROVIDER_ID as PROVIDER, error_body, validation_error,
};
use harness::{Recorded, Reply, TestServer};
use serde_json::{Value, json};

const CAMPAIGN: &str = "8b1f6a5e-2c3d-4e5f-9a0b-1c2d3e4f5a6b";
const MEMBER: &str = "3c6e0b8a-9c0f-4b8e-8d5a-2f1e7c9b4a10";
const SOURCE: &str = "6f9d2c1b-7a4e-4c3d-9b2a-1e0f8d7c6b5a";
const RESTRICTION: &str = "c2a7e0f4-5b6d-4e8f-a1b2-c3d4e5f6a7b8";
const ENROLLMENT: &str = "d4c3b2a1-0f9e-4d8c-b7a6-958473625140";
const KEY: &str = "cc_test_key";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The one request the server read, after checking that it is the only one.
fn only_request(server: &TestServer) -> Recorded {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.into_iter().next().unwrap()
}

fn assert_request(request: &Recorded, method: &str, path: &str) {
    assert_eq!(request.method, method);
    assert_eq!(request.path, path);
    assert_eq!(request.header("x-api-key"), Some(KEY));
}

fn not_found() -> Reply {
    Reply::json(404, error_body("NOT_FOUND", "Not found"))
}

fn validation_failed(path: &str) -> Reply {
    Reply::json(422, validation_error(&[(path, "invalid_type")]))
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(Error::NotFound(error)) => {
            assert_eq!(error.status, 404);
            assert_eq!(error.code, Some(carecycle::ErrorCode::NotFound));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

fn assert_validation<T: std::fmt::Debug>(result: Result<T, Error>, path: &str) {
    match result {
        Err(Error::Validation { error, issues }) => {
            assert_eq!(error.status, 422);
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].path.to_string(), path);
            assert_eq!(
                issues[0].code,
                Some(carecycle::IssueCode::Known("invalid_type"))
            );
        }
        other => panic!("expected Validation, got {other:?}"),
    }
}

fn customer_json() -> Value {
    json!({
        "id": CUSTOMER, "createdAt": "2024-03-01T10:00:00Z", "createdBy": null,
        "updatedAt": "2024-03-02T10:00:00Z", "updatedBy": null,
        "clientId": "11111111-2222-4333-8444-555555555555", "clientCustomerId": "crm-17",
        "status": "Lead", "qualificationStatus": "Qualified", "intent": "High",
        "firstName": "Maria", "lastName": "Gonzalez", "callerId": "+15555550123",
        "lineType": "mobile", "email": "maria@example.test", "dateOfBirth": "1958-04-12",
        "gender": "Female", "state": "GA", "mbiNumber": "1EG4-TE5-MK72", "medicaid": false,
        "householdIncome": 42000, "existingCoverage": "Original Medicare", "testCustomer": false,
        "dependents": [{"id": "5b0f0c2e-4d1a-4f6b-9c3e-2a1d0e9f8b7c", "firstName": "Luis", "ssn": "123-45-6789"}],
        "policies": [{"id": "9e8d7c6b-5a49-4382-a716-151413121110", "planName": "Gold PPO"}],
        "customFields": []
    })
}

fn custom_field_value_json(text: Value) -> Value {
    json!({
        "id": CUSTOM_FIELD_VALUE, "createdAt": "2024-03-01", "updatedAt": "2024-03-02",
        "fieldDefinitionId": FIELD_DEFINITION, "recordId": CUSTOMER, "recordType": "customers",
        "textValue": text, "numberValue": "12.5", "booleanValue": null, "dateValue": null,
        "selectValue": "gold", "multiSelectValue": ["a", "b"]
    })
}

fn restriction_json() -> Value {
    json!({
        "id": RESTRICTION, "createdAt": null, "updatedAt": null, "campaignId": CAMPAIGN,
        "memberId": MEMBER, "sourceId": SOURCE, "campaignName": "Spring AEP",
        "memberName": "Agent Smith", "sourceName": "Mailers"
    })
}

// GET /v2/customers/{id}

#[tokio::test]
async fn get_customer_reads_the_customer_and_keeps_unnamed_collections_as_raw_json() {
    let server = TestServer::scripted(vec![Reply::json(200, customer_json())]).await;
    let customer = client(&server)
        .get_customer()
        .id(CUSTOMER)
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_request(&request, "GET", &format!("/v2/customers/{CUSTOMER}"));
    assert!(request.body.is_empty(), "a GET has no body");

    assert_eq!(
        customer.id.map(|id| id.to_string()).as_deref(),
        Some(CUSTOMER)
    );
    assert_eq!(customer.first_name.as_deref(), Some("Maria"));
    assert_eq!(customer.status, Some(types::CustomerStatus::Lead));
    assert_eq!(customer.line_type, Some(types::LineType::Mobile));
    assert_eq!(customer.household_income, Some(42000));
    assert_eq!(customer.test_customer, Some(false));
    // Properties the document does not name stay reachable, as the service sent them.
    assert_eq!(
        customer.extra.get("dependents"),
        Some(&customer_json()["dependents"])
    );
    assert_eq!(customer.extra["policies"][0]["planName"], json!("Gold PPO"));
    assert_eq!(customer.extra.get("customFields"), Some(&json!([])));
    assert!(
        !customer.extra.contains_key("firstName"),
        "named properties are not repeated in the catch-all"
    );
}

#[tokio::test]
async fn get_customer_reads_a_sparse_customer_with_unknown_enum_values() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"id": CUSTOMER, "status": "Archived", "salutation": "x".repeat(300)}),
    )])
    .await;
    let customer = client(&server)
        .get_customer()
        .id(CUSTOMER)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        customer.status,
        Some(types::CustomerStatus::Unrecognized("Archived".into()))
    );
    assert_eq!(
        customer.salutation.map(|s| s.len()),
        Some(300),
        "response limits are not enforced"
    );
    assert_eq!(customer.email, None);
    assert!(customer.extra.is_empty());
}

#[tokio::test]
async fn get_customer_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(client(&server).get_customer().id(CUSTOMER).send().await);
    assert_request(
        &only_request(&server),
        "GET",
        &format!("/v2/customers/{CUSTOMER}"),
    );
}

#[tokio::test]
async fn get_customer_refuses_an_id_that_is_not_a_uuid_before_sending() {
    let server = TestServer::scripted(vec![Reply::json(200, customer_json())]).await;
    let result = client(&server).get_customer().id("not-a-uuid").send().await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn customer_debug_redacts_its_named_personal_fields() {
    let customer: types::Customer = serde_json::from_value(customer_json()).unwrap();
    let debug = format!("{customer:?}");
    for value in [
        "Maria",
        "Gonzalez",
        "+15555550123",
        "maria@example.test",
        "1958-04-12",
        "1EG4-TE5-MK72",
        "42000",
    ] {
        assert!(!debug.contains(value), "Debug shows `{value}`: {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(
        debug.contains("crm-17"),
        "fields that are not personal stay visible: {debug}"
    );
}

#[tokio::test]
async fn customer_debug_redacts_the_catch_all() {
    let customer: types::Customer = serde_json::from_value(customer_json()).unwrap();
    let debug = format!("{customer:?}");
    for value in ["Luis", "123-45-6789", "Gold PPO"] {
        assert!(!debug.contains(value), "Debug shows `{value}`: {debug}");
    }
}

// DELETE /v2/customers/{id}/providers/{providerId}

#[tokio::test]
async fn delete_customer_provider_sends_a_delete_and_reads_the_result() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"success": true, "message": "Provider deleted"}),
    )])
    .await;
    let result = client(&server)
        .delete_customer_provider()
        .id(CUSTOMER)
        .provider_id(PROVIDER)
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "DELETE",
        &format!("/v2/customers/{CUSTOMER}/providers/{PROVIDER}"),
    );
    assert!(request.body.is_empty());
    assert!(result.success);
    assert_eq!(result.message, "Provider deleted");
}

#[tokio::test]
async fn delete_customer_provider_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(
        client(&server)
            .delete_customer_provider()
            .id(CUSTOMER)
            .provider_id(PROVIDER)
            .send()
            .await,
    );
    assert_eq!(server.count(), 1);
}

// PATCH /v2/customers/{id}/custom-fields/{customFieldId}

#[tokio::test]
async fn update_custom_field_value_sets_and_clears_and_leaves_the_rest_out() {
    let server =
        TestServer::scripted(vec![Reply::json(200, custom_field_value_json(Value::Null))]).await;
    let value = client(&server)
        .update_customer_custom_field_value()
        .id(CUSTOMER)
        .custom_field_id(CUSTOM_FIELD_VALUE)
        .body_map(|b| {
            b.clear_text_value()
                .number_value("12.5")
                .multi_select_value(vec!["a".to_owned(), "b".to_owned()])
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_request(
        &request,
        "PATCH",
        &format!("/v2/customers/{CUSTOMER}/custom-fields/{CUSTOM_FIELD_VALUE}"),
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"textValue": null, "numberValue": "12.5", "multiSelectValue": ["a", "b"]})
    );

    assert_eq!(value.id.to_string(), CUSTOM_FIELD_VALUE);
    assert_eq!(value.record_type, types::RecordType::Customers);
    assert_eq!(value.text_value, None);
    assert_eq!(value.number_value.as_deref(), Some("12.5"));
    assert_eq!(
        value.multi_select_value,
        Some(vec!["a".to_owned(), "b".to_owned()])
    );
}

#[tokio::test]
async fn update_custom_field_value_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("numberValue")]).await;
    let result = client(&server)
        .update_customer_custom_field_value()
        .id(CUSTOMER)
        .custom_field_id(CUSTOM_FIELD_VALUE)
        .body_map(|b| b.number_value("twelve"))
        .send()
        .await;
    assert_validation(result, "numberValue");
    assert_eq!(
        only_request(&server).json(),
        json!({"numberValue": "twelve"})
    );
}

// DELETE /v2/customers/{id}/custom-fields/{customFieldId}

#[tokio::test]
async fn delete_custom_field_value_sends_a_delete_and_reads_the_result() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"success": true, "message": "Custom field value deleted"}),
    )])
    .await;
    let result = client(&server)
        .delete_customer_custom_field_value()
        .id(CUSTOMER)
        .custom_field_id(CUSTOM_FIELD_VALUE)
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "DELETE",
        &format!("/v2/customers/{CUSTOMER}/custom-fields/{CUSTOM_FIELD_VALUE}"),
    );
    assert!(request.body.is_empty());
    assert!(result.success);
    assert_eq!(result.message, "Custom field value deleted");
}

#[tokio::test]
async fn delete_custom_field_value_forbidden() {
    let server = TestServer::scripted(vec![Reply::json(
        403,
        error_body("FORBIDDEN", "API key lacks required permissions"),
    )])
    .await;
    let result = client(&server)
        .delete_customer_custom_field_value()
        .id(CUSTOMER)
        .custom_field_id(CUSTOM_FIELD_VALUE)
        .send()
        .await;
    assert!(
        matches!(&result, Err(Error::Forbidden(e)) if e.status == 403),
        "{result:?}"
    );
}

// PATCH /v2/customers/campaign-status

#[tokio::test]
async fn update_campaign_status_sends_the_three_fields_and_reads_the_change() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"success": true, "previousStatus": "in_progress", "newStatus": "completed", "customerCampaignId": ENROLLMENT}),
    )])
    .await;
    let change = client(&server)
        .update_customer_campaign_status()
        .body_map(|b| {
            b.customer_id(CUSTOMER)
                .campaign_id(CAMPAIGN)
                .status(types::CustomerCampaignStatus::Completed)
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(&request, "PATCH", "/v2/customers/campaign-status");
    assert_eq!(
        request.json(),
        json!({"customerId": CUSTOMER, "campaignId": CAMPAIGN, "status": "completed"})
    );
    assert_eq!(change.success, Some(true));
    assert_eq!(change.previous_status.as_deref(), Some("in_progress"));
    assert_eq!(change.new_status.as_deref(), Some("completed"));
    assert_eq!(
        change
            .customer_campaign_id
            .map(|id| id.to_string())
            .as_deref(),
        Some(ENROLLMENT)
    );
}

#[tokio::test]
async fn update_campaign_status_refuses_a_body_without_its_required_fields() {
    let server = TestServer::scripted(vec![Reply::json(200, json!({}))]).await;
    let result = client(&server)
        .update_customer_campaign_status()
        .body_map(|b| {
            b.customer_id(CUSTOMER)
                .status(types::CustomerCampaignStatus::Failed)
        })
        .send()
        .await;
    match result {
        Err(Error::InvalidRequest { argument, reason }) => {
            assert_eq!(argument, "body.campaignId");
            assert!(reason.contains("required"), "{reason}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn update_campaign_status_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("status")]).await;
    let result = client(&server)
        .update_customer_campaign_status()
        .body_map(|b| {
            b.customer_id(CUSTOMER)
                .campaign_id(CAMPAIGN)
                .status(types::CustomerCampaignStatus::Pending)
        })
        .send()
        .await;
    assert_validation(result, "status");
}

// GET /v2/custom-fields/{id}

#[tokio::test]
async fn get_custom_field_definition_reads_the_definition() {
    let definition = json!({
        "id": FIELD_DEFINITION, "createdAt": "2024-01-01", "updatedAt": null,
        "clientId": "11111111-2222-4333-8444-555555555555", "recordType": "customers",
        "fieldKey": "lead_source", "fieldLabel": "Lead source", "fieldDescription": "Where the lead came from",
        "fieldType": "multi_select", "isRequired": false, "options": ["web", "mail"],
        "validationRules": {"maxSelections": 2}
    });
    let server = TestServer::scripted(vec![Reply::json(200, definition)]).await;
    let got = client(&server)
        .get_custom_field_definition()
        .id(FIELD_DEFINITION)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_request(
        &only_request(&server),
        "GET",
        &format!("/v2/custom-fields/{FIELD_DEFINITION}"),
    );
    assert_eq!(got.id.to_string(), FIELD_DEFINITION);
    assert_eq!(got.field_key, "lead_source");
    assert_eq!(got.field_label, "Lead source");
    assert_eq!(got.field_type, types::CustomFieldType::MultiSelect);
    assert_eq!(got.record_type, types::RecordType::Customers);
    assert_eq!(got.is_required, Some(false));
    assert_eq!(got.options, Some(vec!["web".to_owned(), "mail".to_owned()]));
    assert_eq!(
        got.validation_rules,
        json!({"maxSelections": 2}),
        "validation rules stay raw JSON"
    );
    assert_eq!(got.updated_at, None);
}

#[tokio::test]
async fn get_custom_field_definition_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(
        client(&server)
            .get_custom_field_definition()
            .id(FIELD_DEFINITION)
            .send()
            .await,
    );
}

// GET and POST /v2/campaigns/{campaignId}/agent-source-restrictions

#[tokio::test]
async fn list_agent_source_restrictions_reads_the_list() {
    let mut dated = restriction_json();
    dated["createdAt"] = json!("2024-03-01T10:00:00Z");
    dated["updatedAt"] = json!(1_709_287_200_000_i64);
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"restrictions": [restriction_json(), dated]}),
    )])
    .await;
    let list = client(&server)
        .list_agent_source_restrictions()
        .campaign_id(CAMPAIGN)
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "GET",
        &format!("/v2/campaigns/{CAMPAIGN}/agent-source-restrictions"),
    );
    assert!(request.body.is_empty());
    assert_eq!(list.restrictions.len(), 2);
    let restriction = &list.restrictions[0];
    assert_eq!(
        restriction.id.map(|id| id.to_string()).as_deref(),
        Some(RESTRICTION)
    );
    assert_eq!(
        restriction.member_id.map(|id| id.to_string()).as_deref(),
        Some(MEMBER)
    );
    assert_eq!(restriction.source_name.as_deref(), Some("Mailers"));
    assert_eq!(restriction.created_at, None, "null reads as absent");
    // The timestamps' type is not documented: whatever the service sends stays raw JSON.
    assert_eq!(
        list.restrictions[1].created_at,
        Some(json!("2024-03-01T10:00:00Z"))
    );
    assert_eq!(
        list.restrictions[1].updated_at,
        Some(json!(1_709_287_200_000_i64))
    );
}

#[tokio::test]
async fn list_agent_source_restrictions_unauthorized() {
    let server = TestServer::scripted(vec![Reply::json(
        401,
        error_body("UNAUTHORIZED", "Invalid or missing API key"),
    )])
    .await;
    let result = client(&server)
        .list_agent_source_restrictions()
        .campaign_id(CAMPAIGN)
        .send()
        .await;
    assert!(
        matches!(&result, Err(Error::Unauthorized(e)) if e.status == 401),
        "{result:?}"
    );
}

#[tokio::test]
async fn create_agent_source_restriction_sends_the_ids_and_reads_a_201() {
    let server = TestServer::scripted(vec![Reply::json(
        201,
        json!({"restriction": restriction_json()}),
    )])
    .await;
    let created = client(&server)
        .create_agent_source_restriction()
        .campaign_id(CAMPAIGN)
        .body_map(|b| b.member_id(MEMBER).source_id(SOURCE))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "POST",
        &format!("/v2/campaigns/{CAMPAIGN}/agent-source-restrictions"),
    );
    assert_eq!(
        request.json(),
        json!({"memberId": MEMBER, "sourceId": SOURCE})
    );
    assert_eq!(
        created
            .restriction
            .campaign_id
            .map(|id| id.to_string())
            .as_deref(),
        Some(CAMPAIGN)
    );
    assert_eq!(
        created.restriction.member_name.as_deref(),
        Some("Agent Smith")
    );
}

#[tokio::test]
async fn create_agent_source_restriction_reads_a_200_too() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"restriction": restriction_json()}),
    )])
    .await;
    let created = client(&server)
        .create_agent_source_restriction()
        .campaign_id(CAMPAIGN)
        .body_map(|b| b.member_id(MEMBER).source_id(SOURCE))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        created
            .restriction
            .source_id
            .map(|id| id.to_string())
            .as_deref(),
        Some(SOURCE)
    );
}

#[tokio::test]
async fn create_agent_source_restriction_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("memberId")]).await;
    let result = client(&server)
        .create_agent_source_restriction()
        .campaign_id(CAMPAIGN)
        .body_map(|b| b.member_id(MEMBER).source_id(SOURCE))
        .send()
        .await;
    assert_validation(result, "memberId");
}

#[tokio::test]
async fn create_agent_source_restriction_refuses_a_member_id_that_is_not_a_uuid() {
    let server = TestServer::scripted(vec![Reply::json(
        201,
        json!({"restriction": restriction_json()}),
    )])
    .await;
    let result = client(&server)
        .create_agent_source_restriction()
        .campaign_id(CAMPAIGN)
        .body_map(|b| b.member_id("agent-7").source_id(SOURCE))
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
    assert_eq!(server.count(), 0);
}

// GET /v2/sources/performance

#[tokio::test]
async fn get_source_performance_sends_the_query_and_reads_the_metrics() {
    let body = json!({
        "sources": [{
            "sourceId": SOURCE, "name": "Mailers", "leads_dialed": 120, "contact_rate": 0.45,
            "transfer_rate": 0.2, "total_usage_cost": 310.5, "cost_per_acquisition": 88.25
        }],
        "stateBreakdown": [{"state": "GA", "leads_dialed": 80, "contact_rate": 0.5, "transfer_rate": 0.25}]
    });
    let server = TestServer::scripted(vec![Reply::json(200, body)]).await;
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_067_200); // 2024-01-01T00:00:00Z
    let end = SystemTime::UNIX_EPOCH + Duration::from_secs(1_706_745_600); // 2024-02-01T00:00:00Z
    let performance = client(&server)
        .get_source_performance()
        .campaign_id(CAMPAIGN)
        .start_date(start)
        .end_date(end)
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("x-api-key"), Some(KEY));
    let (path, query) = request.path.split_once('?').expect("a query string");
    assert_eq!(path, "/v2/sources/performance");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            format!("campaignId={CAMPAIGN}").as_str(),
            "endDate=2024-02-01T00%3A00%3A00Z",
            "startDate=2024-01-01T00%3A00%3A00Z",
        ]
    );

    let source = &performance.sources[0];
    assert_eq!(source.source_id.as_deref(), Some(SOURCE));
    assert_eq!(source.name.as_deref(), Some("Mailers"));
    assert_eq!(source.leads_dialed, Some(120.0));
    assert_eq!(source.contact_rate, Some(0.45));
    assert_eq!(source.cost_per_acquisition, Some(88.25));
    assert_eq!(source.spend, None);
    assert_eq!(performance.state_breakdown[0].state.as_deref(), Some("GA"));
    assert_eq!(performance.state_breakdown[0].transfer_rate, Some(0.25));
}

#[tokio::test]
async fn get_source_performance_leaves_out_the_dates_it_is_not_given() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"sources": [], "stateBreakdown": []}),
    )])
    .await;
    let performance = client(&server)
        .get_source_performance()
        .campaign_id(CAMPAIGN)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        only_request(&server).path,
        format!("/v2/sources/performance?campaignId={CAMPAIGN}")
    );
    assert!(performance.sources.is_empty() && performance.state_breakdown.is_empty());
}

#[tokio::test]
async fn get_source_performance_requires_the_campaign() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"sources": [], "stateBreakdown": []}),
    )])
    .await;
    let result = client(&server).get_source_performance().send().await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn get_source_performance_rate_limited() {
    let server = TestServer::scripted(vec![Reply::json(
        429,
        json!({"message": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED", "retryAfter": 60}),
    )])
    .await;
    let result = client(&server)
        .get_source_performance()
        .campaign_id(CAMPAIGN)
        .send()
        .await;
    match result {
        Err(Error::RateLimited { error, retry_after }) => {
            assert_eq!(error.status, 429);
            assert_eq!(retry_after, Some(Duration::from_secs(60)));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.count(), 1, "no retries with RetryPolicy::none()");
}

// POST /v2/leads/upload

fn lead(phone: &str) -> types::builder::LeadRecord {
    types::LeadRecord::builder()
        .phone_number(phone)
        .postal_code("30301")
        .first_name("Maria")
        .last_name("Gonzalez")
        .date_of_birth("04-12-1958")
        .gender(types::Gender::Female)
        .household_income(42000)
        .do_not_sms(true)
        .external_id("crm-17")
}

fn records(count: usize) -> Vec<types::LeadRecord> {
    (0..count)
        .map(|i| types::LeadRecord::try_from(lead(&format!("+1555555{i:04}"))).unwrap())
        .collect()
}

#[tokio::test]
async fn upload_leads_sends_the_records_and_reads_the_outcome() {
    let reply = json!({
        "succeeded": 1, "failed": 1,
        "errors": [{"id": CUSTOMER, "externalId": "crm-18", "error": "Invalid phone number"}],
        "results": [{"event_type": "customer.created", "id": CUSTOMER, "firstName": "Maria", "phoneNumber": "+15555550100"}]
    });
    let server = TestServer::scripted(vec![Reply::json(201, reply)]).await;
    let custom_field = types::LeadCustomField::try_from(
        types::LeadCustomField::builder()
            .field_key("lead_source")
            .value(json!("spring mailing")),
    )
    .unwrap();
    let first = types::LeadRecord::try_from(
        lead("+15555550100")
            .custom_fields(vec![custom_field])
            .source_id(json!("spring-mailers"))
            .lead_cost(json!(12.5)),
    )
    .unwrap();
    let second = types::LeadRecord::try_from(
        types::LeadRecord::builder()
            .phone_number("5555550101")
            .timezone("America/New_York"),
    )
    .unwrap();
    let outcome = client(&server)
        .upload_leads()
        .body_map(|b| b.records(vec![first, second]))
        .send()
        .await
        .unwrap();
    assert_eq!(outcome.status().as_u16(), 201);
    let outcome = outcome.into_inner();

    let request = only_request(&server);
    assert_request(&request, "POST", "/v2/leads/upload");
    assert_eq!(
        request.json(),
        json!({"records": [
            {
                "phoneNumber": "+15555550100", "postalCode": "30301", "firstName": "Maria", "lastName": "Gonzalez",
                "dateOfBirth": "04-12-1958", "gender": "Female", "householdIncome": 42000, "doNotSMS": true,
                "externalId": "crm-17", "sourceId": "spring-mailers", "leadCost": 12.5,
                "customFields": [{"fieldKey": "lead_source", "value": "spring mailing"}]
            },
            {"phoneNumber": "5555550101", "timezone": "America/New_York"}
        ]})
    );
    assert_eq!(outcome.succeeded, Some(1));
    assert_eq!(outcome.failed, Some(1));
    assert_eq!(outcome.errors[0].external_id.as_deref(), Some("crm-18"));
    assert_eq!(
        outcome.errors[0].error.as_deref(),
        Some("Invalid phone number")
    );
    assert_eq!(
        outcome.results[0]["firstName"],
        json!("Maria"),
        "each uploaded customer, as raw JSON"
    );
    let debug = format!("{outcome:?}");
    assert!(
        !debug.contains("Maria") && !debug.contains("+15555550100"),
        "the customer records are personal: {debug}"
    );
}

#[tokio::test]
async fn upload_leads_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("records")]).await;
    let result = client(&server)
        .upload_leads()
        .body_map(|b| b.records(records(1)))
        .send()
        .await;
    assert_validation(result, "records");
}

#[tokio::test]
async fn upload_leads_takes_two_hundred_records() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"succeeded": 200, "failed": 0, "errors": []}),
    )])
    .await;
    let outcome = client(&server)
        .upload_leads()
        .body_map(|b| b.records(records(200)))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(outcome.succeeded, Some(200));
    assert_eq!(
        only_request(&server).json()["records"]
            .as_array()
            .map(Vec::len),
        Some(200)
    );
}

#[tokio::test]
async fn upload_leads_refuses_zero_and_201_records_before_sending() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"succeeded": 0, "failed": 0, "errors": []}),
    )])
    .await;
    for count in [0, 201] {
        let result = client(&server)
            .upload_leads()
            .body_map(|b| b.records(records(count)))
            .send()
            .await;
        assert!(
            matches!(result, Err(Error::InvalidRequest { .. })),
            "{count} records: {result:?}"
        );
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn lead_records_are_checked_when_sent() {
    let server = TestServer::scripted(vec![
        Reply::json(
            200,
            json!({"succeeded": 1, "failed": 0, "errors": []})
        );
        2
    ])
    .await;
    let client = client(&server);
    let upload = |record: types::builder::LeadRecord| {
        client
            .upload_leads()
            .body_map(|b| b.records([record]))
            .send()
    };
    let refused = |result: Result<_, Error>| match result {
        Err(Error::InvalidRequest { argument, .. }) => argument,
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    let phone = || types::LeadRecord::builder().phone_number("5555550100");
    let bad_birth_date = upload(phone().date_of_birth("1958-04-12")).await;
    assert_eq!(
        refused(bad_birth_date),
        "body.records[0].dateOfBirth",
        "dates of birth are MM-DD-YYYY or MM/DD/YYYY"
    );
    let long_first_name = upload(phone().first_name("x".repeat(256))).await;
    assert_eq!(
        refused(long_first_name),
        "body.records[0].firstName",
        "first names have at most 255 characters"
    );
    let no_phone = upload(types::LeadRecord::builder().postal_code("30301")).await;
    assert_eq!(
        refused(no_phone),
        "body.records[0].phoneNumber",
        "the phone number is required"
    );
    assert_eq!(server.count(), 0);
    upload(phone().date_of_birth("04/12/1958")).await.unwrap();
    // The newer version of the reference page states no length for postal codes.
    upload(phone().postal_code("30301-1234")).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[test]
fn lead_record_debug_shows_no_personal_values() {
    let custom_field = types::LeadCustomField::try_from(
        types::LeadCustomField::builder()
            .field_key("utm_campaign")
            .value(json!("diabetes-outreach")),
    )
    .unwrap();
    let builder = lead("+15555550100").custom_fields(vec![custom_field]);
    let builder_debug = format!("{builder:?}");
    let record = types::LeadRecord::try_from(builder).unwrap();
    let debug = format!("{record:?}");
    for shown in [&debug, &builder_debug] {
        for value in [
            "+15555550100",
            "30301",
            "Maria",
            "Gonzalez",
            "04-12-1958",
            "42000",
            "crm-17",
            "diabetes-outreach",
        ] {
            assert!(!shown.contains(value), "Debug shows `{value}`: {shown}");
        }
        assert!(shown.contains("<redacted>"), "{shown}");
    }
    assert!(
        debug.contains("utm_campaign"),
        "custom field keys are not personal: {debug}"
    );
    assert!(
        debug.contains("Female"),
        "fields that are not personal stay visible: {debug}"
    );
}

#[test]
fn lead_upload_error_debug_shows_no_personal_values() {
    let error: types::LeadUploadError = serde_json::from_value(
        json!({"id": CUSTOMER, "externalId": "crm-18", "error": "Phone 5555550199 is invalid"}),
    )
    .unwrap();
    let debug = format!("{error:?}");
    assert!(
        !debug.contains("crm-18") && !debug.contains("5555550199"),
        "{debug}"
    );
    assert!(debug.contains(CUSTOMER), "{debug}");
}

// GET /v2/customers

const PRESCRIPTION: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const CALL: &str = "f0e1d2c3-b4a5-4968-8776-655443322110";

fn definition_json() -> Value {
    json!({
        "id": FIELD_DEFINITION, "createdAt": "2024-01-01", "updatedAt": null,
        "clientId": "11111111-2222-4333-8444-555555555555", "recordType": "customers",
        "fieldKey": "lead_source", "fieldLabel": "Lead source", "fieldDescription": "Where the lead came from",
        "fieldType": "select", "isRequired": true, "options": ["Mailer", "Web"], "validationRules": {"maxLength": 40}
    })
}

#[tokio::test]
async fn list_customers_reads_a_page_of_customers() {
    let page = json!({"itemsTotal": 51, "currentPage": 1, "nextPage": 2, "prevPage": null, "items": [customer_json()]});
    let server = TestServer::scripted(vec![Reply::json(200, page)]).await;
    let page = client(&server)
        .list_customers()
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(&request, "GET", "/v2/customers");
    assert!(request.body.is_empty());
    assert_eq!(
        (
            page.items_total,
            page.current_page,
            page.next_page,
            page.prev_page
        ),
        (Some(51), Some(1), Some(2), None)
    );
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].first_name.as_deref(), Some("Maria"));
    assert_eq!(
        page.items[0].extra["policies"][0]["planName"],
        json!("Gold PPO"),
        "unnamed properties kept"
    );
}

#[tokio::test]
async fn list_customers_unauthorized() {
    let server = TestServer::scripted(vec![Reply::json(
        401,
        error_body("UNAUTHORIZED", "Invalid or missing API key"),
    )])
    .await;
    let result = client(&server).list_customers().send().await;
    assert!(
        matches!(&result, Err(Error::Unauthorized(e)) if e.status == 401),
        "{result:?}"
    );
}

#[tokio::test]
async fn pages_walk_a_list_until_the_last_page() {
    let page = |number: i64, next: Option<i64>, ids: &[&str]| {
        let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        Reply::json(
            200,
            json!({"itemsTotal": 3, "currentPage": number, "nextPage": next, "items": items}),
        )
    };
    let server = TestServer::scripted(vec![
        page(1, Some(2), &[CUSTOMER, PRESCRIPTION]),
        page(2, None, &[CALL]),
    ])
    .await;
    let client = client(&server);
    let mut pages = carecycle::Pages::new(|number| {
        client
            .list_customers()
            .query("page", number.to_string())
            .send()
    });
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await.unwrap() {
        ids.extend(
            page.items
                .into_iter()
                .filter_map(|c| c.id)
                .map(|id| id.to_string()),
        );
    }
    assert_eq!(ids, [CUSTOMER, PRESCRIPTION, CALL]);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v2/customers?page=1", "/v2/customers?page=2"]);
    assert!(
        pages.next().await.unwrap().is_none(),
        "the walk stays finished"
    );
}

#[tokio::test]
async fn pages_stop_on_an_empty_page_or_a_next_page_that_does_not_move_forward() {
    let server = TestServer::scripted(vec![
        Reply::json(
            200,
            json!({"currentPage": 3, "nextPage": 3, "items": [{"id": CUSTOMER}]}),
        ),
        Reply::json(200, json!({"currentPage": 1, "nextPage": 2, "items": []})),
    ])
    .await;
    let client = client(&server);
    let mut repeating = carecycle::Pages::starting_at(3, |number| {
        client
            .list_customers()
            .query("page", number.to_string())
            .send()
    });
    assert!(repeating.next().await.unwrap().is_some());
    assert!(
        repeating.next().await.unwrap().is_none(),
        "nextPage 3 after page 3 ends the walk"
    );
    let mut empty = carecycle::Pages::new(|_| client.list_customers().send());
    assert!(empty.next().await.unwrap().is_some());
    assert!(
        empty.next().await.unwrap().is_none(),
        "a page without items ends the walk"
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn pages_fetch_the_same_page_again_after_an_error() {
    let server = TestServer::scripted(vec![
        Reply::json(500, error_body("INTERNAL_ERROR", "Internal server error")),
        Reply::json(200, json!({"currentPage": 1, "items": [{"id": CUSTOMER}]})),
    ])
    .await;
    let client = client(&server);
    let mut pages = carecycle::Pages::new(|number| {
        client
            .list_customers()
            .query("page", number.to_string())
            .send()
    });
    assert!(pages.next().await.is_err());
    let page = pages.next().await.unwrap().expect("page 1 again");
    assert_eq!(page.items.len(), 1);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v2/customers?page=1", "/v2/customers?page=1"]);
}

// GET /v2/customers/{id}/calls

#[tokio::test]
async fn list_customer_calls_reads_a_page_of_calls() {
    let call = json!({
        "id": CALL, "campaignId": CAMPAIGN, "disposition": "transferred", "callerId": "+15555550123",
        "twilioSid": "CA123", "service": "vapi", "testFlag": false, "direction": "inbound",
        "recordingUrl": "https://recordings.example.test/1", "summary": "Asked about Medicare plans",
        "transcript": "Hello, this is Maria", "durationMs": 183_000, "createdAt": "2024-03-01T10:00:00Z",
        "isTestNumber": false, "sourceName": "Mailers", "assistantType": null
    });
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"itemsTotal": 1, "currentPage": 1, "items": [call]}),
    )])
    .await;
    let page = client(&server)
        .list_customer_calls()
        .id(CUSTOMER)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_request(
        &only_request(&server),
        "GET",
        &format!("/v2/customers/{CUSTOMER}/calls"),
    );
    let call = &page.items[0];
    assert_eq!(call.id.map(|id| id.to_string()).as_deref(), Some(CALL));
    assert_eq!(call.direction.as_deref(), Some("inbound"));
    assert_eq!(call.duration_ms, Some(183_000));
    assert_eq!(call.assistant_type, None, "null reads as absent");
    let debug = format!("{call:?}");
    for value in [
        "+15555550123",
        "Hello, this is Maria",
        "Asked about Medicare plans",
        "recordings.example.test",
    ] {
        assert!(!debug.contains(value), "Debug shows `{value}`: {debug}");
    }
    assert!(debug.contains("Mailers"), "{debug}");
}

#[tokio::test]
async fn list_customer_calls_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(
        client(&server)
            .list_customer_calls()
            .id(CUSTOMER)
            .send()
            .await,
    );
}

// GET, POST /v2/custom-fields and PUT /v2/custom-fields/{id}

#[tokio::test]
async fn list_custom_field_definitions_reads_a_page() {
    let server = TestServer::scripted(vec![Reply::json(
        200,
        json!({"itemsTotal": 1, "currentPage": 1, "nextPage": null, "items": [definition_json()]}),
    )])
    .await;
    let page = client(&server)
        .list_custom_field_definitions()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_request(&only_request(&server), "GET", "/v2/custom-fields");
    assert_eq!(page.next_page, None);
    assert_eq!(page.items[0].field_type, types::CustomFieldType::Select);
    assert_eq!(page.items[0].validation_rules, json!({"maxLength": 40}));
}

#[tokio::test]
async fn list_custom_field_definitions_forbidden() {
    let server = TestServer::scripted(vec![Reply::json(
        403,
        error_body("FORBIDDEN", "API key lacks required permissions"),
    )])
    .await;
    let result = client(&server).list_custom_field_definitions().send().await;
    assert!(
        matches!(&result, Err(Error::Forbidden(e)) if e.status == 403),
        "{result:?}"
    );
}

#[tokio::test]
async fn create_custom_field_definition_sends_the_definition_and_reads_a_201() {
    let server = TestServer::scripted(vec![Reply::json(201, definition_json())]).await;
    let mut rules = serde_json::Map::new();
    rules.insert("maxLength".into(), json!(40));
    let created = client(&server)
        .create_custom_field_definition()
        .body_map(|b| {
            b.record_type(types::RecordType::Customers)
                .field_label("Lead source")
                .field_description("Where the lead came from")
                .field_type(types::CustomFieldType::Select)
                .options(vec!["Mailer".to_owned(), "Web".to_owned()])
                .validation_rules(rules)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let request = only_request(&server);
    assert_request(&request, "POST", "/v2/custom-fields");
    assert_eq!(
        request.json(),
        json!({"recordType": "customers", "fieldLabel": "Lead source", "fieldDescription": "Where the lead came from",
               "fieldType": "select", "options": ["Mailer", "Web"], "validationRules": {"maxLength": 40}})
    );
    assert_eq!(created.into_inner().field_key, "lead_source");
}

#[tokio::test]
async fn create_custom_field_definition_refuses_a_body_without_its_required_fields() {
    let server = TestServer::scripted(vec![Reply::json(201, definition_json())]).await;
    let result = client(&server)
        .create_custom_field_definition()
        .body_map(|b| b.field_label("Lead source"))
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn create_custom_field_definition_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("fieldLabel")]).await;
    let result = client(&server)
        .create_custom_field_definition()
        .body_map(|b| {
            b.record_type(types::RecordType::Customers)
                .field_label("")
                .field_description("d")
                .field_type(types::CustomFieldType::Text)
        })
        .send()
        .await;
    assert_validation(result, "fieldLabel");
}

#[tokio::test]
async fn update_custom_field_definition_sets_and_clears_and_leaves_the_rest_out() {
    let server = TestServer::scripted(vec![Reply::json(200, definition_json())]).await;
    let updated = client(&server)
        .update_custom_field_definition()
        .id(FIELD_DEFINITION)
        .body_map(|b| {
            b.field_label("Lead source (2025)")
                .clear_options()
                .clear_is_required()
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "PUT",
        &format!("/v2/custom-fields/{FIELD_DEFINITION}"),
    );
    assert_eq!(
        request.json(),
        json!({"fieldLabel": "Lead source (2025)", "options": null, "isRequired": null})
    );
    assert_eq!(updated.id.to_string(), FIELD_DEFINITION);
}

#[tokio::test]
async fn update_custom_field_definition_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(
        client(&server)
            .update_custom_field_definition()
            .id(FIELD_DEFINITION)
            .body_map(|b| b.field_label("x"))
            .send()
            .await,
    );
}

// GET /v2/campaigns/{campaignId}

#[tokio::test]
async fn get_campaign_reads_the_campaign_and_keeps_the_rest_as_raw_json() {
    let campaign = json!({
        "id": CAMPAIGN, "createdAt": "2024-03-01T10:00:00Z", "startDate": "2024-03-02T00:00:00Z", "endDate": null,
        "dialAfterhours": true, "name": "Spring AEP", "status": "active", "maxConcurrentCalls": 4,
        "maxAttempts": 3, "requiredVars": ["firstName"], "client": {"id": "11111111-2222-4333-8444-555555555555", "smsCompanyName": "Acme Health"},
        "customerStats": {"total": 120, "totalCalls": 300, "todayCalls": 12, "statusCounts": {"pending": 40, "completed": 70, "exceeded_max_calls": 10}},
        "features": {"sms": true}
    });
    let server = TestServer::scripted(vec![Reply::json(200, json!({"campaign": campaign}))]).await;
    let got = client(&server)
        .get_campaign()
        .campaign_id(CAMPAIGN)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_request(
        &only_request(&server),
        "GET",
        &format!("/v2/campaigns/{CAMPAIGN}"),
    );
    let campaign = got.campaign.expect("the campaign");
    assert_eq!(campaign.name.as_deref(), Some("Spring AEP"));
    assert_eq!(campaign.end_date, None);
    assert_eq!(campaign.max_concurrent_calls, Some(4));
    assert_eq!(
        campaign.client.and_then(|c| c.sms_company_name).as_deref(),
        Some("Acme Health")
    );
    let stats = campaign.customer_stats.expect("stats");
    assert_eq!(
        stats.status_counts.and_then(|s| s.exceeded_max_calls),
        Some(10)
    );
    assert_eq!(
        campaign.extra.get("features"),
        Some(&json!({"sms": true})),
        "unnamed properties kept"
    );
}

#[tokio::test]
async fn get_campaign_not_found() {
    let server = TestServer::scripted(vec![not_found()]).await;
    assert_not_found(
        client(&server)
            .get_campaign()
            .campaign_id(CAMPAIGN)
            .send()
            .await,
    );
}

// PATCH /v2/customers/{id}/prescriptions/{prescriptionId}

#[tokio::test]
async fn update_prescription_sets_and_clears_and_leaves_the_rest_out() {
    let reply = json!({
        "id": PRESCRIPTION, "createdAt": "2024-03-01", "updatedAt": "2024-03-02", "customerId": CUSTOMER,
        "name": "Atorvastatin", "dosage": "20 mg", "frequency": null, "route": null, "status": "Discontinued",
        "prescriber": "Dr. Lee"
    });
    let server = TestServer::scripted(vec![Reply::json(200, reply)]).await;
    let prescription = client(&server)
        .update_customer_prescription()
        .id(CUSTOMER)
        .prescription_id(PRESCRIPTION)
        .body_map(|b| {
            b.dosage("20 mg")
                .status(types::PrescriptionStatus::Discontinued)
                .clear_route()
                .clear_frequency()
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(
        &request,
        "PATCH",
        &format!("/v2/customers/{CUSTOMER}/prescriptions/{PRESCRIPTION}"),
    );
    assert_eq!(
        request.json(),
        json!({"dosage": "20 mg", "status": "Discontinued", "route": null, "frequency": null})
    );
    assert_eq!(
        prescription.status,
        Some(types::PrescriptionStatus::Discontinued)
    );
    assert_eq!(prescription.route, None);
    assert_eq!(
        prescription.extra.get("prescriber"),
        Some(&json!("Dr. Lee"))
    );
    let debug = format!("{prescription:?}");
    assert!(
        !debug.contains("Atorvastatin") && !debug.contains("Dr. Lee"),
        "{debug}"
    );
}

#[tokio::test]
async fn update_prescription_validation_error() {
    let server = TestServer::scripted(vec![validation_failed("dosage")]).await;
    let result = client(&server)
        .update_customer_prescription()
        .id(CUSTOMER)
        .prescription_id(PRESCRIPTION)
        .body_map(|b| b.dosage("twenty"))
        .send()
        .await;
    assert_validation(result, "dosage");
}

// POST /v2/sync/aca

fn aca_record() -> types::builder::AcaSyncRecord {
    let policy = types::AcaSyncPolicy::try_from(
        types::AcaSyncPolicy::builder()
            .plan_name(json!("Silver 70"))
            .status(json!("Active"))
            .health_sherpa_policy_id(json!("hsp-2001")),
    )
    .unwrap();
    types::AcaSyncRecord::builder()
        .first_name("Maria")
        .last_name("Gonzalez")
        .phone_number("+15555550100")
        .postal_code("30301")
        .gender(types::Gender::Female)
        .health_sherpa_customer_id("hs-1001")
        .policies(vec![policy])
}

#[tokio::test]
async fn sync_aca_sends_the_records_and_reads_the_outcome() {
    let reply = json!({
        "succeeded": 1, "failed": 0, "errors": [],
        "results": [{"event_type": "customer.updated", "id": CUSTOMER, "firstName": "Maria", "policies": [{"status": "Active", "previousStatus": null}]}]
    });
    let server = TestServer::scripted(vec![Reply::json(200, reply)]).await;
    let record = types::AcaSyncRecord::try_from(aca_record()).unwrap();
    let outcome = client(&server)
        .sync_aca()
        .body_map(|b| b.records(vec![record]))
        .send()
        .await
        .unwrap()
        .into_inner();
    let request = only_request(&server);
    assert_request(&request, "POST", "/v2/sync/aca");
    assert_eq!(
        request.json(),
        json!({"records": [{
            "firstName": "Maria", "lastName": "Gonzalez", "phoneNumber": "+15555550100", "postalCode": "30301",
            "gender": "Female", "healthSherpaCustomerId": "hs-1001",
            "policies": [{"planName": "Silver 70", "status": "Active", "healthSherpaPolicyId": "hsp-2001"}]
        }]})
    );
    assert_eq!(outcome.succeeded, Some(1));
    assert_eq!(outcome.results[0]["policies"][0]["status"], json!("Active"));
    assert!(
        !format!("{outcome:?}").contains("Maria"),
        "the synced customers are personal"
    );
}

#[tokio::test]
async fn sync_aca_refuses_a_record_without_a_last_name_and_101_records() {
    let without_last_name = types::AcaSyncRecord::try_from(
        types::AcaSyncRecord::builder()
            .first_name("Maria")
            .phone_number("5555550100"),
    );
    assert!(without_last_name.is_err());
    let server = TestServer::scripted(vec![Reply::json(200, json!({"succeeded": 0}))]).await;
    let records: Vec<_> = (0..101)
        .map(|_| types::AcaSyncRecord::try_from(aca_record()).unwrap())
        .collect();
    let result = client(&server)
        .sync_aca()
        .body_map(|b| b.records(records))
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn sync_aca_rate_limited() {
    let server =
        TestServer::scripted(vec![Reply::json(429, harness::fixtures::rate_limited(60))]).await;
    let record = types::AcaSyncRecord::try_from(aca_record()).unwrap();
    let result = client(&server)
        .sync_aca()
        .body_map(|b| b.records(vec![record]))
        .send()
        .await;
    assert!(
        matches!(&result, Err(Error::RateLimited { retry_after: Some(wait), .. }) if wait.as_secs() == 60),
        "{result:?}"
    );
}
