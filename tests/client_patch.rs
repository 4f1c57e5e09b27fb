//! PATCH bodies have three states per nullable field: leave alone (absent), clear (`null`), set.
//! Create bodies keep plain optional fields. Every assertion is on the JSON the server read.

use carecycle::{Client, Patch, RetryPolicy, types};
use harness::fixtures::{self, CUSTOMER_ID, PROVIDER_ID};
use harness::{Reply, TestServer};
use serde_json::{Value, json};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key("cc_test_patch_key")
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Sends one provider PATCH built by `body`; returns the JSON the server read.
async fn provider_patch_on_the_wire(
    body: impl FnOnce(types::builder::UpdateProviderRequest) -> types::builder::UpdateProviderRequest,
) -> Value {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::provider())]).await;
    client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(body)
        .send()
        .await
        .unwrap();
    server.requests()[0].json()
}

/// Sends one customer PATCH built by `body`; returns the JSON the server read.
async fn customer_patch_on_the_wire(
    body: impl FnOnce(types::builder::UpdateCustomerRequest) -> types::builder::UpdateCustomerRequest,
) -> Value {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(body)
        .send()
        .await
        .unwrap();
    server.requests()[0].json()
}

#[tokio::test]
async fn provider_fields_left_alone_are_absent() {
    assert_eq!(provider_patch_on_the_wire(|b| b).await, json!({}));
    assert_eq!(
        provider_patch_on_the_wire(|b| b.npi("1234567893")).await,
        json!({"npi": "1234567893"})
    );
}

#[tokio::test]
async fn provider_fields_cleared_are_sent_as_null() {
    let wire =
        provider_patch_on_the_wire(|b| b.clear_specialty().clear_is_active().clear_notes()).await;
    assert_eq!(
        wire,
        json!({"specialty": null, "isActive": null, "notes": null})
    );
}

#[tokio::test]
async fn provider_fields_set_are_sent_with_their_value() {
    let wire = provider_patch_on_the_wire(|b| {
        b.specialty("Cardiology")
            .is_active(false)
            .provider_type(types::ProviderType::Hospital)
    })
    .await;
    assert_eq!(
        wire,
        json!({"specialty": "Cardiology", "isActive": false, "providerType": "Hospital"})
    );
}

#[tokio::test]
async fn the_last_setter_wins_between_set_and_clear() {
    let wire = provider_patch_on_the_wire(|b| {
        b.specialty("Cardiology")
            .clear_specialty()
            .clear_fax()
            .fax("+1-555-0101")
    })
    .await;
    assert_eq!(wire, json!({"specialty": null, "fax": "+1-555-0101"}));
}

#[tokio::test]
async fn customer_fields_of_every_kind_have_the_three_states() {
    // Left alone: nothing but what was touched.
    let wire = customer_patch_on_the_wire(|b| b.do_not_call(true)).await;
    assert_eq!(wire, json!({"doNotCall": true}));

    // Cleared: strings, enums, booleans, integers and uuids alike.
    let wire = customer_patch_on_the_wire(|b| {
        b.clear_email()
            .clear_status()
            .clear_do_not_sms()
            .clear_annual_income()
            .clear_member_id()
            .clear_date_of_birth()
    })
    .await;
    assert_eq!(
        wire,
        json!({"email": null, "status": null, "doNotSMS": null, "annualIncome": null, "memberId": null, "dateOfBirth": null})
    );

    // Set.
    let member = "5d2e8f1a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
        .parse::<uuid::Uuid>()
        .unwrap();
    let wire = customer_patch_on_the_wire(|b| {
        b.email("q@example.org")
            .status(types::CustomerStatus::Inactive)
            .do_not_sms(false)
            .annual_income(50_000)
            .member_id(member)
            .date_of_birth("1957-11-23")
    })
    .await;
    assert_eq!(
        wire,
        json!({"email": "q@example.org", "status": "Inactive", "doNotSMS": false, "annualIncome": 50000,
               "memberId": member.to_string(), "dateOfBirth": "1957-11-23"})
    );
}

#[tokio::test]
async fn a_patch_body_built_from_values_has_the_same_three_states() {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::provider())]).await;
    let mut body = types::UpdateProviderRequest::default();
    body.specialty = Patch::Set("Oncology".into());
    body.notes = Patch::Clear;
    body.fax = Patch::Absent;
    client(&server)
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].json(),
        json!({"specialty": "Oncology", "notes": null})
    );
}

#[tokio::test]
async fn create_bodies_keep_plain_optional_fields() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::provider())]).await;
    let body = types::CreateProviderRequest::builder()
        .provider_type(types::ProviderType::Pharmacy)
        .specialty("Compounding");
    let body = types::CreateProviderRequest::try_from(body).unwrap();
    // Plain `Option`s: a field is there or not; there is no third state to send `null`.
    let specialty: &Option<String> = &body.specialty;
    let notes: &Option<carecycle::Personal> = &body.notes;
    assert_eq!(specialty.as_deref(), Some("Compounding"));
    assert!(notes.is_none());

    client(&server)
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].json(),
        json!({"providerType": "Pharmacy", "specialty": "Compounding"})
    );
}
