//! What the service sends cannot make the client hold unbounded memory, wait forever, or wait
//! less than it asked: body size limits, slow bodies, and `Retry-After` in all its forms, each
//! against a loopback server.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carecycle::{Client, DEFAULT_MAX_RESPONSE_BYTES, Error, RetryPolicy, TransportKind};
use harness::fixtures;
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_test_limits_key";

fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn builder(server: &TestServer) -> carecycle::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(fast())
}

fn client(server: &TestServer) -> Client {
    builder(server).build().unwrap()
}

#[path = "common/provider_calls.rs"]
mod provider_calls;
use provider_calls::{create_provider, ok, patch_provider};

fn assert_too_large(error: &Error, status: u16, expected_limit: u64) {
    let Error::ResponseTooLarge {
        status: s, limit, ..
    } = error
    else {
        panic!("not ResponseTooLarge: {error:?}")
    };
    assert_eq!((*s, *limit), (status, expected_limit), "{error}");
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
}

// ---- response size -----------------------------------------------------------------------

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_is_refused_before_it_is_read() {
    let two_gib = 2 * 1024 * 1024 * 1024;
    let server = TestServer::scripted(vec![
        Reply::stream(200, Some(two_gib), true).with_header("x-request-id", "req_7f3a9c2e4b-huge"),
        ok(),
    ])
    .await;
    let client = client(&server);
    let error = patch_provider(&client).await.unwrap_err();
    assert_too_large(&error, 200, DEFAULT_MAX_RESPONSE_BYTES);
    assert_eq!(error.request_id(), Some("req_7f3a9c2e4b-huge"));
    assert_eq!(server.count(), 1, "not retried, even for a PATCH");

    // The connection was dropped; the next call opens another and succeeds.
    patch_provider(&client).await.unwrap();
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_chunked_body_that_grows_past_the_default_limit_stops_being_read() {
    let server = TestServer::scripted(vec![Reply::stream(200, Some(64 << 20), false)]).await;
    let error = patch_provider(&client(&server)).await.unwrap_err();
    assert_too_large(&error, 200, DEFAULT_MAX_RESPONSE_BYTES);
}

#[tokio::test]
async fn an_endless_body_ends_at_the_limit_for_success_and_error_statuses() {
    for status in [200, 500, 429] {
        let server = TestServer::scripted(vec![Reply::stream(status, None, false)]).await;
        let client = builder(&server)
            .max_response_bytes(1 << 20)
            .build()
            .unwrap();
        let error = create_provider(&client).await.unwrap_err();
        assert_too_large(&error, status, 1 << 20);
        assert_eq!(server.count(), 1, "{status}: sent once");
    }
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let body = fixtures::provider().to_string();
    let size = body.len() as u64;
    let server = TestServer::scripted(vec![Reply::raw(200, "application/json", &body)]).await;
    let exact = builder(&server).max_response_bytes(size).build().unwrap();
    patch_provider(&exact).await.unwrap();
    let short = builder(&server)
        .max_response_bytes(size - 1)
        .build()
        .unwrap();
    assert_too_large(&patch_provider(&short).await.unwrap_err(), 200, size - 1);

    // The same without a content-length: the limit holds while reading the chunks.
    let server = TestServer::scripted(vec![Reply::stream(200, Some(size), false)]).await;
    let short = builder(&server)
        .max_response_bytes(size - 1)
        .build()
        .unwrap();
    assert_too_large(&patch_provider(&short).await.unwrap_err(), 200, size - 1);
}

#[tokio::test]
async fn a_body_that_trickles_without_end_ends_in_the_request_timeout_and_a_post_is_not_repeated() {
    let server = TestServer::scripted(vec![Reply::trickle(200, Duration::from_millis(50))]).await;
    let client = builder(&server)
        .request_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
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

/// Each attempt an observer saw: (status, failure, response too large, will retry).
type Seen = Arc<Mutex<Vec<(Option<u16>, Option<TransportKind>, bool, bool)>>>;

fn observed(server: &TestServer) -> (carecycle::ClientBuilder, Seen) {
    let seen = Seen::default();
    let sink = seen.clone();
    let builder = builder(server).observer(move |attempt: &carecycle::Attempt<'_>| {
        sink.lock().unwrap().push((
            attempt.status,
            attempt.failure,
            attempt.response_too_large,
            attempt.will_retry,
        ));
    });
    (builder, seen)
}

#[tokio::test]
async fn every_attempt_is_observed_once_also_when_its_body_is_too_large_or_breaks_off() {
    // A 503 retried, then a body announced over the limit.
    let server = TestServer::scripted(vec![busy(), Reply::stream(200, Some(2 << 30), true)]).await;
    let (builder, seen) = observed(&server);
    let client = builder.max_response_bytes(1 << 20).build().unwrap();
    assert_too_large(&patch_provider(&client).await.unwrap_err(), 200, 1 << 20);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (Some(503), None, false, true),
            (Some(200), None, true, false)
        ]
    );

    // A body that grows past the limit while it is read, on an error status.
    let server = TestServer::scripted(vec![Reply::stream(500, None, false)]).await;
    let (builder, seen) = observed(&server);
    let client = builder.max_response_bytes(1 << 20).build().unwrap();
    assert_too_large(&create_provider(&client).await.unwrap_err(), 500, 1 << 20);
    assert_eq!(*seen.lock().unwrap(), [(Some(500), None, true, false)]);

    // A body that trickles past the request timeout: the attempt is observed as a timeout.
    let server = TestServer::scripted(vec![Reply::trickle(200, Duration::from_millis(50))]).await;
    let (builder, seen) = observed(&server);
    let client = builder
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    create_provider(&client).await.unwrap_err();
    assert_eq!(
        *seen.lock().unwrap(),
        [(None, Some(TransportKind::Timeout), false, false)]
    );
}

#[test]
fn a_zero_response_limit_is_refused() {
    let error = Client::builder()
        .api_key(KEY)
        .max_response_bytes(0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidConfig {
                setting: "max_response_bytes",
                ..
            }
        ),
        "{error:?}"
    );
}

// ---- Retry-After -------------------------------------------------------------------------

/// A response `Date` and a `Retry-After` date one second later: the wait is measured from the
/// response's own clock.
const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
const ONE_SECOND_LATER: &str = "Sun, 06 Nov 1994 08:49:38 GMT";

fn limited() -> Reply {
    Reply::json(
        429,
        fixtures::error_body("RATE_LIMIT_EXCEEDED", "Rate limit exceeded"),
    )
}

fn busy() -> Reply {
    Reply::json(503, fixtures::error_body("INTERNAL_ERROR", "busy"))
}

#[tokio::test]
async fn a_429_waits_until_the_http_date_of_its_retry_after() {
    let server = TestServer::scripted(vec![
        limited()
            .with_header("date", DATE)
            .with_header("retry-after", ONE_SECOND_LATER),
        ok(),
    ])
    .await;
    let started = Instant::now();
    create_provider(&client(&server)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_retries_at_once() {
    let server = TestServer::scripted(vec![limited().with_header("retry-after", DATE), ok()]).await;
    // A backoff this long would show; a date in the past asks for no wait at all.
    let client = builder(&server)
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_secs(3600),
            max_backoff: Duration::from_secs(3600),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(60), patch_provider(&client))
        .await
        .expect("no backoff")
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_wait_that_is_absurd_or_unusable_returns_rate_limited_at_once_without_a_retry() {
    let cases = [
        limited().with_header("retry-after", "1e300"),
        limited().with_header("retry-after", "99999999999999999999999999"),
        limited().with_header("retry-after", "-5"),
        limited().with_header("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
        limited().with_header("retry-after", "later, maybe"),
        Reply::json(
            429,
            json!({"code": "RATE_LIMIT_EXCEEDED", "retryAfter": 1e300}),
        ),
        Reply::json(
            429,
            json!({"code": "RATE_LIMIT_EXCEEDED", "retryAfter": 18446744073709551615u64}),
        ),
        Reply::json(
            429,
            json!({"code": "RATE_LIMIT_EXCEEDED", "retryAfter": "NaN"}),
        )
        .with_header("retry-after", "1"),
    ];
    for (n, reply) in cases.into_iter().enumerate() {
        let server = TestServer::scripted(vec![reply, ok()]).await;
        // A huge backoff: falling back to it would not return within the test's timeout.
        let client = builder(&server)
            .retry_policy(RetryPolicy {
                initial_backoff: Duration::from_secs(3600),
                max_backoff: Duration::from_secs(3600),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        let error = tokio::time::timeout(Duration::from_secs(60), patch_provider(&client))
            .await
            .unwrap_or_else(|_| panic!("case {n} fell back to backoff"))
            .unwrap_err();
        assert!(
            matches!(error, Error::RateLimited { .. }),
            "case {n}: {error:?}"
        );
        assert_eq!(server.count(), 1, "case {n}: not retried");
    }
}

#[tokio::test]
async fn a_503_with_retry_after_waits_that_long_before_its_retry() {
    let server = TestServer::scripted(vec![busy().with_header("retry-after", "1"), ok()]).await;
    let started = Instant::now();
    patch_provider(&client(&server)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 2);

    let server = TestServer::scripted(vec![
        busy()
            .with_header("date", DATE)
            .with_header("retry-after", ONE_SECOND_LATER),
        ok(),
    ])
    .await;
    let started = Instant::now();
    patch_provider(&client(&server)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_503_asking_for_more_than_the_cap_or_nonsense_is_returned_at_once() {
    for retry_after in ["3600", "1e300", "never"] {
        let server =
            TestServer::scripted(vec![busy().with_header("retry-after", retry_after), ok()]).await;
        let error = patch_provider(&client(&server)).await.unwrap_err();
        assert!(
            matches!(error, Error::Server(ref e) if e.status == 503),
            "{retry_after}: {error:?}"
        );
        assert_eq!(server.count(), 1, "{retry_after}: not retried");
    }
}

#[tokio::test]
async fn a_503_on_a_post_is_not_retried_whatever_wait_it_asks_for() {
    let server = TestServer::scripted(vec![busy().with_header("retry-after", "0"), ok()]).await;
    let error = create_provider(&client(&server)).await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(server.count(), 1);
}
