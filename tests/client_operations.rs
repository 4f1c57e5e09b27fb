//! Every seed operation against a loopback server: the request on the wire (method, path,
//! headers, JSON body) and the decoded response.

use carecycle::{Client, RetryPolicy, types};
use harness::fixtures::{
    self, CUSTOMER_ID, DEPENDENT_ID, FIELD_DEFINITION_ID, FIELD_VALUE_ID, PROVIDER_ID,
};
use harness::{Recorded, Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_test_operations_key";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .user_agent("ops-test/1.0")
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The headers every request carries: the key, the user agent, JSON both ways, and not
/// progenitor's `api-version`.
fn assert_common_headers(request: &Recorded) {
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(
        request.header("user-agent"),
        Some(format!("ops-test/1.0 {}", carecycle::USER_AGENT).as_str())
    );
    assert!(
        carecycle::USER_AGENT.starts_with("carecycle/"),
        "{}",
        carecycle::USER_AGENT
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("api-version"), None, "{:?}", request.headers);
}

fn only_request(server: &TestServer) -> Recorded {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn create_customer_provider() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::provider())]).await;
    let provider = client(&server)
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.provider_type(types::ProviderType::Specialist)
                .provider_name("Dr. Lee")
                .specialty("Cardiology")
                .is_primary_provider(false)
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/v2/customers/{CUSTOMER_ID}/providers")
    );
    assert_common_headers(&request);
    assert_eq!(
        request.json(),
        json!({"providerType": "Specialist", "providerName": "Dr. Lee", "specialty": "Cardiology", "isPrimaryProvider": false})
    );

    assert_eq!(provider.status().as_u16(), 201);
    let provider = provider.into_inner();
    assert_eq!(provider.id.to_string(), PROVIDER_ID);
    assert_eq!(provider.customer_id.to_string(), CUSTOMER_ID);
    assert_eq!(provider.provider_type, types::ProviderType::PrimaryCare);
    assert_eq!(provider.provider_name.as_deref(), Some("Dr. Lee"));
    assert_eq!(provider.postal_code.as_deref(), Some("94607"));
    assert_eq!(provider.is_primary_provider, Some(true));
}

#[tokio::test]
async fn update_customer_provider() {
    let mut body = fixtures::provider();
    body["specialty"] = json!(null);
    body["notes"] = json!(null);
    let server = TestServer::scripted(vec![Reply::json(200, body)]).await;
    let provider = client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(|b| {
            b.clear_specialty()
                .clear_notes()
                .phone("+1-555-0111")
                .is_active(true)
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.path,
        format!("/v2/customers/{CUSTOMER_ID}/providers/{PROVIDER_ID}")
    );
    assert_common_headers(&request);
    assert_eq!(
        request.json(),
        json!({"specialty": null, "notes": null, "phone": "+1-555-0111", "isActive": true})
    );

    assert_eq!(provider.specialty, None);
    assert_eq!(provider.notes, None);
    assert_eq!(provider.npi.as_deref(), Some("1234567893"));
}

#[tokio::test]
async fn create_customer_dependent() {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::dependent())]).await;
    let dependent = client(&server)
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.first_name("Alexandrina")
                .relationship_type(types::RelationshipType::Child)
                .is_covered(true)
                .ssn("123-45-6789")
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/v2/customers/{CUSTOMER_ID}/dependents")
    );
    assert_common_headers(&request);
    assert_eq!(
        request.json(),
        json!({"firstName": "Alexandrina", "relationshipType": "Child", "isCovered": true, "ssn": "123-45-6789"})
    );

    assert_eq!(dependent.id.to_string(), DEPENDENT_ID);
    assert_eq!(dependent.gender, Some(types::Gender::Female));
    assert_eq!(
        dependent.relationship_type,
        Some(types::RelationshipType::Child)
    );
    assert_eq!(dependent.ssn.as_deref(), Some("123-45-6789"));
    assert_eq!(dependent.annual_income, Some(24681));
}

#[tokio::test]
async fn create_customer_dependent_with_an_empty_body() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::dependent())]).await;
    client(&server)
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).json(),
        json!({}),
        "no body field is required"
    );
}

#[tokio::test]
async fn update_customer() {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    let customer = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.status(types::CustomerStatus::Active)
                .preferred_name("Sam")
                .do_not_sms(true)
                .clear_disqualification_reason()
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path, format!("/v2/customers/{CUSTOMER_ID}"));
    assert_common_headers(&request);
    assert_eq!(
        request.json(),
        json!({"status": "Active", "preferredName": "Sam", "doNotSMS": true, "disqualificationReason": null})
    );

    assert_eq!(
        customer.id.map(|id| id.to_string()).as_deref(),
        Some(CUSTOMER_ID)
    );
    assert_eq!(customer.status, Some(types::CustomerStatus::Active));
    assert_eq!(customer.line_type, Some(types::LineType::Mobile));
    assert_eq!(
        customer.existing_coverage,
        Some(types::ExistingCoverage::OriginalMedicare)
    );
    assert_eq!(customer.mbi_number.as_deref(), Some("1EG4-TE5-MK73"));
    assert_eq!(customer.do_not_sms, Some(true));
    assert_eq!(customer.test_customer, Some(false));
}

#[tokio::test]
async fn create_customer_custom_field_value() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::custom_field_value())]).await;
    let value = client(&server)
        .create_customer_custom_field_value()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.field_definition_id(FIELD_DEFINITION_ID)
                .text_value("referred by a friend")
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/v2/customers/{CUSTOMER_ID}/custom-fields")
    );
    assert_common_headers(&request);
    assert_eq!(
        request.json(),
        json!({"fieldDefinitionId": FIELD_DEFINITION_ID, "textValue": "referred by a friend"})
    );

    assert_eq!(value.id.to_string(), FIELD_VALUE_ID);
    assert_eq!(value.record_id.to_string(), CUSTOMER_ID);
    assert_eq!(value.record_type, types::RecordType::Customers);
    assert_eq!(value.text_value.as_deref(), Some("referred by a friend"));
    assert_eq!(value.multi_select_value, None);
}

#[tokio::test]
async fn the_default_user_agent_is_the_crates_name_and_version() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::dependent())]).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .build()
        .unwrap();
    client
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).header("user-agent"),
        Some(carecycle::USER_AGENT)
    );
}

#[tokio::test]
async fn the_client_is_clone_send_sync_and_clones_share_one_connection_pool() {
    fn assert_clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    assert_clone_send_sync::<Client>();

    let server = TestServer::scripted(vec![Reply::json(201, fixtures::dependent())]).await;
    let client = client(&server);
    for clone in [
        client.clone(),
        client.clone(),
        client.with_retry_policy(RetryPolicy::default()),
    ] {
        clone
            .create_customer_dependent()
            .id(CUSTOMER_ID)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(server.count(), 3);
    assert_eq!(
        server.connections(),
        1,
        "the clones reused one kept-alive connection"
    );

    let other = Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .build()
        .unwrap();
    other
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.connections(),
        2,
        "a client built apart has its own pool"
    );
}
