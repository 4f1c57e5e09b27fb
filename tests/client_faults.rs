//! The fault matrix against a loopback server: each fault, the outcome the caller sees, and
//! how many requests the server read.

use std::time::{Duration, Instant};

use carecycle::{Client, Error, RetryPolicy, TransportKind, types};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_test_faults_key";

/// Short backoffs so that the matrix runs quickly; the default 2 retries.
fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn client_with(server: &TestServer, policy: RetryPolicy, request_timeout: Duration) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(policy)
        .request_timeout(request_timeout)
        .build()
        .unwrap()
}

fn client(server: &TestServer) -> Client {
    client_with(server, fast(), Duration::from_secs(10))
}

#[path = "common/provider_calls.rs"]
mod provider_calls;
use provider_calls::{create_provider, ok, patch_provider};

// ---- 429 -------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_waits_for_the_bodys_retry_after_then_retries_even_a_post() {
    let server =
        TestServer::scripted(vec![Reply::json(429, fixtures::rate_limited(1)), ok()]).await;
    let started = Instant::now();
    let provider = create_provider(&client(&server)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(provider.provider_name.as_deref(), Some("Dr. Lee"));
    assert_eq!(
        server.count(),
        2,
        "a 429 was not processed, so the POST is sent again"
    );
}

#[tokio::test]
async fn a_429_waits_for_the_retry_after_header_when_the_body_has_none() {
    let limited = Reply::json(
        429,
        fixtures::error_body("RATE_LIMIT_EXCEEDED", "Rate limit exceeded"),
    )
    .with_header("Retry-After", "1");
    let server = TestServer::scripted(vec![limited, ok()]).await;
    let started = Instant::now();
    patch_provider(&client(&server)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_cap_is_returned_without_waiting_for_it() {
    let limited = Reply::json(429, fixtures::rate_limited(3600))
        .with_header("x-request-id", "req_7f3a9c2e4b-429");
    let server = TestServer::scripted(vec![limited, ok()]).await;
    let policy = RetryPolicy {
        max_rate_limit_wait: Duration::from_secs(30),
        ..fast()
    };
    let error = create_provider(&client_with(&server, policy, Duration::from_secs(10)))
        .await
        .unwrap_err();
    let Error::RateLimited {
        retry_after,
        ref error,
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(error.status, 429);
    assert_eq!(error.request_id.as_deref(), Some("req_7f3a9c2e4b-429"));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn repeated_429s_end_in_the_rate_limited_error_when_the_retries_are_used_up() {
    let server = TestServer::scripted(vec![Reply::json(429, fixtures::rate_limited(0))]).await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(wait), .. } if wait.is_zero()),
        "{error:?}"
    );
    assert_eq!(server.count(), 3, "the first attempt and 2 retries");
}

// ---- transient failures ----------------------------------------------------------------

#[tokio::test]
async fn a_503_then_200_on_patch_is_retried_and_succeeds() {
    let busy = Reply::json(503, fixtures::error_body("INTERNAL_ERROR", "busy"));
    let server = TestServer::scripted(vec![busy, ok()]).await;
    let provider = patch_provider(&client(&server)).await.unwrap();
    assert_eq!(provider.specialty.as_deref(), Some("Cardiology"));
    assert_eq!(server.count(), 2);
    let bodies: Vec<_> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        [
            json!({"specialty": "Cardiology"}),
            json!({"specialty": "Cardiology"})
        ],
        "the same body both times"
    );
}

#[tokio::test]
async fn a_408_502_and_504_on_patch_are_retried() {
    for status in [408, 502, 504] {
        let server =
            TestServer::scripted(vec![Reply::raw(status, "text/plain", "try again"), ok()]).await;
        patch_provider(&client(&server))
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(server.count(), 2, "{status}");
    }
}

#[tokio::test]
async fn a_503_that_persists_ends_in_a_server_error_after_two_retries() {
    let server = TestServer::scripted(vec![Reply::json(
        503,
        fixtures::error_body("INTERNAL_ERROR", "busy"),
    )])
    .await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::Server(ref e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn retries_are_configurable_per_client_and_per_call() {
    let busy = || Reply::json(503, fixtures::error_body("INTERNAL_ERROR", "busy"));
    let server = TestServer::scripted(vec![busy()]).await;
    let client = client_with(
        &server,
        RetryPolicy {
            max_retries: 4,
            ..fast()
        },
        Duration::from_secs(10),
    );
    patch_provider(&client).await.unwrap_err();
    assert_eq!(server.count(), 5, "per client: 4 retries");

    let server = TestServer::scripted(vec![busy()]).await;
    let client = client_with(&server, fast(), Duration::from_secs(10));
    patch_provider(&client.with_retry_policy(RetryPolicy::none()))
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1, "per call: no retries");
    patch_provider(&client).await.unwrap_err();
    assert_eq!(server.count(), 4, "the client itself keeps its 2 retries");
}

#[tokio::test]
async fn a_500_on_post_is_returned_and_sent_once() {
    let failed = Reply::json(
        500,
        fixtures::error_body("INTERNAL_ERROR", "Internal server error"),
    )
    .with_header("x-request-id", "req_7f3a9c2e4b-500");
    let server = TestServer::scripted(vec![failed, ok()]).await;
    let error = create_provider(&client(&server)).await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.request_id(), Some("req_7f3a9c2e4b-500"));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_503_on_post_is_returned_and_sent_once() {
    let server = TestServer::scripted(vec![
        Reply::json(503, fixtures::error_body("INTERNAL_ERROR", "busy")),
        ok(),
    ])
    .await;
    let error = create_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::Server(ref e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(server.count(), 1);
}

// ---- broken connections ----------------------------------------------------------------

#[tokio::test]
async fn a_connection_reset_on_patch_is_retried() {
    let server = TestServer::scripted(vec![Reply::Reset, ok()]).await;
    patch_provider(&client(&server)).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_connection_reset_on_post_is_returned_and_sent_once() {
    let server = TestServer::scripted(vec![Reply::Reset, ok()]).await;
    let error = create_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Interrupted,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.count(), 1, "the service may have processed it");
}

#[tokio::test]
async fn a_read_timeout_on_patch_is_retried_and_then_returned() {
    let server = TestServer::scripted(vec![ok().after(Duration::from_secs(5))]).await;
    let client = client_with(&server, fast(), Duration::from_millis(300));
    let error = patch_provider(&client).await.unwrap_err();
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
    assert!(
        error
            .to_string()
            .starts_with("the request to careCycle timed out"),
        "{error}"
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_read_timeout_on_post_is_returned_and_sent_once() {
    let server = TestServer::scripted(vec![ok().after(Duration::from_secs(5)), ok()]).await;
    let client = client_with(&server, fast(), Duration::from_millis(300));
    let error = create_provider(&client).await.unwrap_err();
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
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_with_backoff_even_for_a_post() {
    // A port with nothing listening: the request is never sent.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let backoff = RetryPolicy {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
        ..RetryPolicy::default()
    };
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .pacing(None)
        .retry_policy(backoff)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = create_provider(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{error:?}"
    );
    // Two backoffs of at least 75 ms and 150 ms (the jitter takes at most a quarter off).
    assert!(
        started.elapsed() >= Duration::from_millis(225),
        "{:?}: not retried",
        started.elapsed()
    );
    assert!(!error.to_string().contains(KEY));
}

// ---- bodies that do not decode -----------------------------------------------------------

#[tokio::test]
async fn malformed_json_on_success_is_undecodable_with_status_and_raw_body_kept() {
    let broken = r#"{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "notes": "diagnosed with"#;
    let server = TestServer::scripted(vec![
        Reply::raw(200, "application/json", broken)
            .with_header("x-request-id", "req_7f3a9c2e4b-bad"),
    ])
    .await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    let Error::UndecodableResponse {
        status,
        ref body,
        ref reason,
        ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status, 200);
    assert_eq!(&body[..], broken.as_bytes());
    assert!(reason.contains("ends too early"), "{reason}");
    assert_eq!(error.request_id(), Some("req_7f3a9c2e4b-bad"));
    let printed = format!("{error} {error:?}");
    assert!(
        !printed.contains("diagnosed"),
        "the body is never printed: {printed}"
    );
    assert_eq!(server.count(), 1, "a success is never retried");
}

#[tokio::test]
async fn a_success_body_with_a_wrong_type_says_where_without_the_value() {
    let mut provider = fixtures::provider();
    provider["isActive"] = json!("diagnosed-yes");
    let server = TestServer::scripted(vec![Reply::json(200, provider)]).await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("at `isActive`") && text.contains("documented type"),
        "{text}"
    );
    assert!(!text.contains("diagnosed-yes"), "{text}");
}

#[tokio::test]
async fn trailing_bytes_after_the_json_are_undecodable() {
    let body = format!("{} <html>", fixtures::provider());
    let server = TestServer::scripted(vec![Reply::raw(200, "application/json", &body)]).await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::UndecodableResponse { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_html_error_page_is_classified_by_its_status() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::scripted(vec![Reply::raw(502, "text/html", page)]).await;
    let error = create_provider(&client(&server)).await.unwrap_err();
    let Error::Server(ref api) = error else {
        panic!("{error:?}")
    };
    assert_eq!((api.status, &api.code, &api.message), (502, &None, &None));
    assert_eq!(server.count(), 1, "a POST is not retried on 502");

    let server =
        TestServer::scripted(vec![Reply::raw(404, "text/html", "<html>Not here</html>")]).await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound(ref e) if e.message.is_none()),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_empty_error_body_is_classified_by_its_status() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check); 4] = [
        (401, |e| matches!(e, Error::Unauthorized(_))),
        (403, |e| matches!(e, Error::Forbidden(_))),
        (
            422,
            |e| matches!(e, Error::Validation { issues, .. } if issues.is_empty()),
        ),
        (500, |e| matches!(e, Error::Server(_))),
    ];
    for (status, expected) in cases {
        let server = TestServer::scripted(vec![Reply::raw(status, "application/json", "")]).await;
        let error = patch_provider(&client(&server)).await.unwrap_err();
        assert!(expected(&error), "{status}: {error:?}");
        assert_eq!(error.status(), Some(status));
        assert!(!error.to_string().contains('\n'));
        assert_eq!(server.count(), 1, "{status}");
    }
}

// ---- tolerant responses ------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_enum_value_decodes_into_unrecognized_keeping_the_string() {
    let mut provider = fixtures::provider();
    provider["providerType"] = json!("Telehealth");
    let server = TestServer::scripted(vec![Reply::json(200, provider)]).await;
    let provider = patch_provider(&client(&server)).await.unwrap();
    assert_eq!(
        provider.provider_type,
        types::ProviderType::Unrecognized("Telehealth".into())
    );
    assert_eq!(provider.provider_type.to_string(), "Telehealth");
}

#[tokio::test]
async fn an_unknown_field_is_ignored() {
    let mut provider = fixtures::provider();
    provider["telehealthUrl"] = json!("https://meet.example/dr-lee");
    provider["ratings"] = json!({"stars": 5, "reviews": [1, 2]});
    let server = TestServer::scripted(vec![Reply::json(200, provider)]).await;
    let provider = patch_provider(&client(&server)).await.unwrap();
    assert_eq!(provider.provider_name.as_deref(), Some("Dr. Lee"));
}

#[tokio::test]
async fn a_string_longer_than_the_documented_maximum_still_decodes() {
    let long = "x".repeat(5000);
    let mut provider = fixtures::provider();
    provider["specialty"] = json!(long); // maxLength 255
    provider["state"] = json!("A state name far longer than fifty characters, as legacy data has");
    let server = TestServer::scripted(vec![Reply::json(200, provider)]).await;
    let provider = patch_provider(&client(&server)).await.unwrap();
    assert_eq!(provider.specialty.as_deref(), Some(long.as_str()));
}

#[tokio::test]
async fn a_customer_with_new_values_everywhere_still_decodes() {
    let mut customer = fixtures::customer();
    customer["status"] = json!("Archived");
    customer["gender"] = json!("Two-Spirit");
    customer["lineType"] = json!("satellite");
    customer["loyaltyTier"] = json!("gold");
    customer["address"] = json!("y".repeat(1000));
    let server = TestServer::scripted(vec![Reply::json(200, customer)]).await;
    let customer = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(|b| b.do_not_call(true))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        customer.status,
        Some(types::CustomerStatus::Unrecognized("Archived".into()))
    );
    assert_eq!(
        customer.gender,
        Some(types::Gender::Unrecognized("Two-Spirit".into()))
    );
    assert_eq!(
        customer.line_type,
        Some(types::LineType::Unrecognized("satellite".into()))
    );
    assert_eq!(customer.address.map(|a| a.len()), Some(1000));
}
