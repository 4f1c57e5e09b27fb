//! A consumer's set-up through the public API only: a correlation header on every call, an
//! extra query parameter on one, every request through an HTTP proxy on loopback, each
//! attempt recorded by an observer; and the protections that stay: the key never follows a
//! redirect, the key header cannot be set another way.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use carecycle::{Attempt, Client, Error, RetryPolicy, TransportKind};
use harness::fixtures::{self, CUSTOMER_ID, PROVIDER_ID};
use harness::{Reply, TestProxy, TestServer};
use serde_json::json;

const KEY: &str = "cc_test_front_doors_key";

/// What the observer keeps of an attempt.
#[derive(Debug, PartialEq)]
struct Seen {
    operation: &'static str,
    method: String,
    path: &'static str,
    attempt: u32,
    status: Option<u16>,
    failure: Option<TransportKind>,
    request_id: Option<String>,
    will_retry: bool,
}

fn recording_client(server_url: &str, proxy_url: &str) -> (Client, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server_url)
        .default_header("X-Correlation-Id", "batch-2024-11")
        .proxy(proxy_url)
        .observer(move |attempt: &Attempt<'_>| {
            sink.lock().unwrap().push(Seen {
                operation: attempt.operation,
                method: attempt.method.to_owned(),
                path: attempt.path,
                attempt: attempt.attempt,
                status: attempt.status,
                failure: attempt.failure,
                request_id: attempt.request_id.map(str::to_owned),
                will_retry: attempt.will_retry,
            });
        })
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .pacing(None)
        .build()
        .unwrap();
    (client, seen)
}

#[tokio::test]
async fn headers_query_proxy_and_observer_on_real_calls() {
    let busy = Reply::json(503, json!({"message": "busy", "code": "INTERNAL_ERROR"}));
    let server = TestServer::scripted(vec![
        Reply::json(200, fixtures::customer())
            .with_header("x-request-id", "req-0001-aaaa-bbbb-cccc"),
        busy,
        Reply::json(200, fixtures::provider())
            .with_header("x-request-id", "req-0003-aaaa-bbbb-cccc"),
    ])
    .await;
    let proxy = TestProxy::start().await;
    let (client, seen) = recording_client(server.url(), proxy.url());

    client
        .get_customer()
        .id(CUSTOMER_ID)
        .query("include", "policies")
        .send()
        .await
        .unwrap();
    client
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(|b| b.specialty("Cardiology"))
        .send()
        .await
        .unwrap();

    // The proxy saw every request, in absolute form, with the key and the correlation
    // header; the server saw what the proxy passed on.
    let through_proxy = proxy.requests();
    let at_server = server.requests();
    assert_eq!(through_proxy.len(), 3, "{through_proxy:?}");
    assert_eq!(at_server.len(), 3, "{at_server:?}");
    assert_eq!(
        through_proxy[0].path,
        format!(
            "{}/v2/customers/{CUSTOMER_ID}?include=policies",
            server.url()
        )
    );
    assert_eq!(
        at_server[0].path,
        format!("/v2/customers/{CUSTOMER_ID}?include=policies")
    );
    assert_eq!(
        at_server[1].path,
        format!("/v2/customers/{CUSTOMER_ID}/providers/{PROVIDER_ID}"),
        "the extra parameter was for one call only"
    );
    for request in through_proxy.iter().chain(&at_server) {
        assert_eq!(request.header("x-correlation-id"), Some("batch-2024-11"));
        assert_eq!(request.header("x-api-key"), Some(KEY));
    }

    let seen = seen.lock().unwrap();
    let attempt =
        |operation, method: &str, path, attempt, status, request_id: Option<&str>, will_retry| {
            Seen {
                operation,
                method: method.to_owned(),
                path,
                attempt,
                status: Some(status),
                failure: None,
                request_id: request_id.map(str::to_owned),
                will_retry,
            }
        };
    let provider_path = "/v2/customers/{id}/providers/{providerId}";
    assert_eq!(
        *seen,
        [
            attempt(
                "get_customer",
                "GET",
                "/v2/customers/{id}",
                1,
                200,
                Some("req-0001-aaaa-bbbb-cccc"),
                false
            ),
            attempt(
                "update_customer_provider",
                "PATCH",
                provider_path,
                1,
                503,
                None,
                true
            ),
            attempt(
                "update_customer_provider",
                "PATCH",
                provider_path,
                2,
                200,
                Some("req-0003-aaaa-bbbb-cccc"),
                false
            ),
        ]
    );
}

#[tokio::test]
async fn through_the_proxy_the_key_still_never_follows_a_redirect() {
    let elsewhere = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    let target = format!("{}/v2/customers/{CUSTOMER_ID}", elsewhere.url());
    let server = TestServer::scripted(vec![
        Reply::raw(302, "text/plain", "").with_header("location", &target),
    ])
    .await;
    let proxy = TestProxy::start().await;
    let (client, seen) = recording_client(server.url(), proxy.url());

    let error = client
        .get_customer()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status(), Some(302));
    assert!(!error.is_retryable());
    assert_eq!(elsewhere.count(), 0, "the redirect was not followed");
    assert_eq!(
        proxy.requests().len(),
        1,
        "only the first request passed the proxy"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_connection_is_observed_with_its_kind() {
    let proxy = TestProxy::start().await;
    // A port that nothing listens on: the proxy cannot connect and closes the connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (client, seen) = recording_client(&url, proxy.url());
    let client = client.with_retry_policy(RetryPolicy::none());
    let error = client
        .get_customer()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        std::error::Error::source(&error).is_some(),
        "a transport error keeps its cause"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!((seen[0].status, seen[0].failure.is_some()), (None, true));
}

#[test]
fn the_key_header_cannot_be_a_default_header() {
    for name in ["x-api-key", "X-Api-Key"] {
        let error = Client::builder()
            .api_key(KEY)
            .default_header(name, "cc_another_key")
            .build()
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidConfig { setting: "default_headers", reason } if reason.contains(name)),
            "{error:?}"
        );
    }
    let error = Client::builder()
        .api_key(KEY)
        .default_header("x-copy", KEY)
        .build()
        .unwrap_err();
    assert!(!error.to_string().contains(KEY), "{error}");
}

#[test]
fn a_plain_http_base_url_through_a_remote_proxy_is_refused() {
    let error = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .proxy("http://user:hunter2@proxy.example:3128")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidConfig {
                setting: "proxy",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
    let builder = Client::builder()
        .api_key(KEY)
        .proxy("http://user:hunter2@proxy.example:3128");
    assert!(!format!("{builder:?}").contains("hunter2"));
    assert!(
        builder.build().is_ok(),
        "https through a remote proxy is fine"
    );
    for bad in ["socks5://127.0.0.1:1080", "not a url"] {
        let error = Client::builder()
            .api_key(KEY)
            .proxy(bad)
            .build()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "proxy",
                    ..
                }
            ),
            "{bad}: {error:?}"
        );
    }
}

#[test]
fn root_certificates_are_pem() {
    // A self-signed root made for these tests (`openssl req -x509`).
    let root = include_str!("support/test-root.pem");
    let client = Client::builder()
        .api_key(KEY)
        .add_root_certificates_pem(root)
        .build();
    assert!(client.is_ok(), "{client:?}");
    let error = Client::builder()
        .api_key(KEY)
        .add_root_certificates_pem("not a certificate")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidConfig {
                setting: "root_certificates",
                ..
            }
        ),
        "{error:?}"
    );
}
