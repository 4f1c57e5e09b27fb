//! The shortest path through the client: build it, send one request to a loopback server,
//! read the typed response.

use carecycle::{Client, RetryPolicy, types};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

#[tokio::test]
async fn smoke() {
    let server = TestServer::scripted(vec![Reply::json(201, fixtures::provider())]).await;
    let client = Client::builder()
        .api_key("cc_test_key")
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let provider = client
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.provider_type(types::ProviderType::PrimaryCare)
                .provider_name("Dr. Lee")
        })
        .send()
        .await
        .unwrap();
    assert_eq!(provider.provider_name.as_deref(), Some("Dr. Lee"));
    assert_eq!(server.count(), 1);
    assert_eq!(
        server.requests()[0].json(),
        json!({"providerType": "Primary Care", "providerName": "Dr. Lee"})
    );
}
