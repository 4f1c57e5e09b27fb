//! Per-call options on the wire: extra headers and query parameters, a per-call timeout and
//! retry policy, and what `send()` refuses before anything is sent.

use std::time::Duration;

use carecycle::{Client, Error, RetryPolicy, TransportKind};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_test_call_options_key";
const CAMPAIGN: &str = "8b1f6a5e-2c3d-4e5f-9a0b-1c2d3e4f5a6b";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn busy() -> Reply {
    Reply::json(503, json!({"message": "busy", "code": "INTERNAL_ERROR"}))
}

#[tokio::test]
async fn extra_headers_and_query_reach_the_server_next_to_the_key() {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    client(&server)
        .get_customer()
        .id(CUSTOMER_ID)
        .header("X-Correlation-Id", "req-42")
        .header("Prefer", "code=200")
        .query("include", "policies,dependents")
        .query("note", "a&b c")
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.path,
        format!("/v2/customers/{CUSTOMER_ID}?include=policies%2Cdependents&note=a%26b+c")
    );
    assert_eq!(request.header("x-correlation-id"), Some("req-42"));
    assert_eq!(request.header("prefer"), Some("code=200"));
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn an_extra_query_parameter_goes_after_the_ones_the_operation_sets() {
    let body = json!({"sources": [], "stateBreakdown": []});
    let server = TestServer::scripted(vec![Reply::json(200, body)]).await;
    client(&server)
        .get_source_performance()
        .campaign_id(CAMPAIGN)
        .query("page", "2")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].path,
        format!("/v2/sources/performance?campaignId={CAMPAIGN}&page=2")
    );
}

#[tokio::test]
async fn refused_options_name_what_and_send_nothing() {
    let server = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    let client = client(&server);
    let get = || client.get_customer().id(CUSTOMER_ID);
    let cases = [
        (
            get().header("X-API-KEY", "cc_other_key"),
            "header X-API-KEY",
        ),
        (get().header("x-trace", "a\r\nb"), "header x-trace"),
        (
            get().header("Transfer-Encoding", "chunked"),
            "header Transfer-Encoding",
        ),
        (get().header("x-echo", KEY), "header x-echo"),
        (get().query("api_key", KEY), "query api_key"),
        (get().timeout(Duration::ZERO), "timeout"),
    ];
    for (builder, named) in cases {
        let error = builder.send().await.unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { argument, .. } if argument == named),
            "{named}: {error:?}"
        );
        assert!(!error.to_string().contains(KEY), "{error}");
    }
    let performance = client
        .get_source_performance()
        .campaign_id(CAMPAIGN)
        .query("campaignId", "other")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&performance, Error::InvalidRequest { argument, .. } if argument == "query campaignId"),
        "{performance:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_per_call_timeout_replaces_the_clients_for_that_call_only() {
    let slow = Reply::json(200, fixtures::customer()).after(Duration::from_millis(600));
    let server = TestServer::scripted(vec![slow]).await;
    let client = client(&server);
    let error = client
        .get_customer()
        .id(CUSTOMER_ID)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    // Without it, the client's 30 s request timeout lets the slow answer arrive.
    client.get_customer().id(CUSTOMER_ID).send().await.unwrap();
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients_for_that_call_only() {
    let ok = || Reply::json(200, fixtures::customer());
    let server = TestServer::scripted(vec![busy(), busy(), ok(), busy(), ok()]).await;
    let client = client(&server);
    let retrying = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    };
    client
        .get_customer()
        .id(CUSTOMER_ID)
        .retry_policy(retrying)
        .send()
        .await
        .unwrap();
    assert_eq!(server.count(), 3);
    let error = client
        .get_customer()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503), "{error:?}");
    assert_eq!(
        server.count(),
        4,
        "the client's policy (no retries) applies again"
    );
}
