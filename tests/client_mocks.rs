//! How a consumer tests its own code with the typed mocks (`carecycle::mock`, feature `mock`):
//! an httpmock server, one typed method per operation, typed `when` and `then`.

use carecycle::httpmock::MockServer;
use carecycle::mock::MockServerExt;
use carecycle::{Client, Error, Patch, RetryPolicy, types};
use harness::fixtures::{self, CUSTOMER_ID, PROVIDER_ID};
use uuid::Uuid;

/// Consumer code under test: moves a provider to a new practice and clears the old fax
/// number; tells a validation error apart from other failures.
async fn move_practice(
    client: &Client,
    customer: Uuid,
    provider: Uuid,
    practice: &str,
) -> Result<String, String> {
    let result = client
        .update_customer_provider()
        .id(customer)
        .provider_id(provider)
        .body_map(|b| b.practice_name(practice).clear_fax())
        .send()
        .await;
    match result {
        Ok(provider) => Ok(provider.practice_name.clone().unwrap_or_default()),
        Err(Error::Validation { issues, .. }) => Err(format!(
            "rejected: {}",
            issues
                .iter()
                .map(|i| i.path.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Err(other) => Err(format!("failed: {other}")),
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("cc_test_mock_key")
        .base_url(server.base_url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn ids() -> (Uuid, Uuid) {
    (CUSTOMER_ID.parse().unwrap(), PROVIDER_ID.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_sends_the_new_practice_and_clears_the_fax() {
    let server = MockServer::start_async().await;
    let (customer, provider) = ids();
    let mut expected = types::UpdateProviderRequest::default();
    expected.practice_name = Patch::Set("Valley Cardiology".into());
    expected.fax = Patch::Clear;
    let mut moved = fixtures::provider();
    moved["practiceName"] = "Valley Cardiology".into();
    moved["fax"] = serde_json::Value::Null;
    let moved: types::Provider = serde_json::from_value(moved).unwrap();

    let mock = server.update_customer_provider(|when, then| {
        when.id(&customer).provider_id(&provider).body(&expected);
        then.ok(&moved);
    });

    let practice = move_practice(&client(&server), customer, provider, "Valley Cardiology").await;
    assert_eq!(practice, Ok("Valley Cardiology".to_owned()));
    mock.assert_async().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumer_reports_the_paths_of_a_validation_error() {
    let server = MockServer::start_async().await;
    let (customer, provider) = ids();
    let issue = types::ValidationIssue::builder()
        .path(vec!["practiceName".to_owned()])
        .message("Too long")
        .expected("string")
        .received("string")
        .code("too_big");
    let error = types::ApiErrorBody::builder()
        .code("VALIDATION_ERROR")
        .message("Validation failed")
        .errors([issue]);
    let error: types::ApiErrorBody = error.try_into().unwrap();

    let mock = server.update_customer_provider(|when, then| {
        when.id(&customer).provider_id(&provider);
        then.unprocessable_entity(&error);
    });

    let result = move_practice(&client(&server), customer, provider, "Valley Cardiology").await;
    assert_eq!(result, Err("rejected: practiceName".to_owned()));
    mock.assert_async().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_mock_does_not_expect_is_not_matched() {
    let server = MockServer::start_async().await;
    let (customer, provider) = ids();
    let mut expected = types::UpdateProviderRequest::default();
    expected.practice_name = Patch::Set("Another Practice".into());
    let mock = server.update_customer_provider(|when, then| {
        when.id(&customer).provider_id(&provider).body(&expected);
        then.ok(&serde_json::from_value(fixtures::provider()).unwrap());
    });

    // The consumer also clears the fax: the body differs, httpmock answers 404.
    let result = move_practice(&client(&server), customer, provider, "Another Practice").await;
    assert!(
        result
            .as_ref()
            .is_err_and(|e| e.starts_with("failed: not found")),
        "{result:?}"
    );
    assert_eq!(mock.calls_async().await, 0);
}
