//! A consumer program against a careCycle that misbehaves in every way at once: it echoes the
//! key and patients' data in every field and in the headers of a success, asks for absurd
//! waits, sends endless and oversized bodies, resets, stalls, redirects, floods headers and
//! breaks its JSON. The program also passes a path parameter the document's pattern refuses.
//! It logs every outcome the way a service would (`Display`, `Debug` of errors and of
//! successes, an observer of every attempt, traces at TRACE level) and the test checks what it
//! sees: no panic, no POST sent twice, the refused parameter never sent, every attempt observed
//! once, no key or personal value anywhere.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use carecycle::{Attempt, Client, Error, RetryPolicy, types};
use harness::capture::Capture;
use harness::fixtures::{CUSTOMER_ID, PROVIDER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_live_misbehaving_supersecret";
const NAME: &str = "Quintessa Vanderhoeven";
const SSN: &str = "123-45-6789";

/// Everything the program must never show, in the forms the server sends it.
const NEVER_SHOWN: &[&str] = &[
    KEY,
    "CC_LIVE_MISBEHAVING_SUPERSECRET",
    "cc_live_misbehav",
    NAME,
    "QUINTESSA",
    "Vanderhoeven",
    "vanderhoeven",
    SSN,
    "123456789",
    "Quintessa\nVanderhoeven",
];

/// One misbehaviour per request, in the order the program sends them.
fn misbehaviours(elsewhere: &str) -> Vec<Reply> {
    let echo = json!(format!("{KEY} {NAME} {SSN}"));
    vec![
        // 1. POST: 500 echoing everything in every field.
        Reply::json(
            500,
            json!({"message": echo, "code": echo, "detail": echo, "retryAfter": 123456789}),
        )
        .with_header("x-request-id", KEY),
        // 2. POST: validation error echoing in each issue field and the path.
        Reply::json(
            422,
            json!({"message": echo, "code": "VALIDATION_ERROR", "errors": [
                {"path": ["notes", NAME, 123456789], "message": echo, "expected": NAME,
                 "received": SSN, "code": "QUINTESSA"}]}),
        ),
        // 3. POST: a reset after reading the request.
        Reply::Reset,
        // 4. POST: no answer within the request timeout.
        Reply::json(200, json!({})).after(Duration::from_secs(5)),
        // 5. POST: a redirect that would carry the key elsewhere.
        Reply::raw(307, "text/plain", "").with_header("location", elsewhere),
        // 6. POST: a success whose JSON is broken and full of personal data.
        Reply::raw(
            200,
            "application/json",
            &format!(r#"{{"notes": "{NAME}", "ssn": {SSN}"#),
        ),
        // 7. POST: a body announced as 2 GiB.
        Reply::stream(200, Some(2 << 30), true),
        // 8. POST: an endless chunked body.
        Reply::stream(200, None, false),
        // 9. POST: a 1 MiB header.
        Reply::json(200, json!({})).with_header("x-padding", &"Quintessa ".repeat(100_000)),
        // 10. PATCH: 429 asking for 1e300 seconds (no retry, no backoff).
        Reply::json(
            429,
            json!({"code": "RATE_LIMIT_EXCEEDED", "retryAfter": 1e300}),
        ),
        // 11. PATCH: 503 asking to wait until the year 9999.
        Reply::json(503, json!({"message": echo}))
            .with_header("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
        // 12. PATCH: a body that trickles forever.
        Reply::trickle(200, Duration::from_millis(50)),
        // 13. PATCH: a success whose headers echo everything, in names and values.
        Reply::json(200, provider_with_notes(&format!("{NAME} {SSN}")))
            .with_header("x-echo", &format!("{KEY} {NAME} {SSN}"))
            .with_header("x-request-id", KEY)
            .with_header("x-quintessa-vanderhoeven", "1"),
    ]
}

fn provider_with_notes(notes: &str) -> serde_json::Value {
    let mut provider = harness::fixtures::provider();
    provider["notes"] = json!(notes);
    // The fixture's NPI (a provider's public number, printed) holds the SSN's digits.
    provider["npi"] = json!("1987654320");
    provider
}

#[tokio::test]
async fn a_consumer_against_a_misbehaving_service_sees_errors_only_never_a_leak_or_a_second_post() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let elsewhere = TestServer::scripted(vec![Reply::json(200, json!({}))]).await;
    let target = format!("{}/v2/customers/{CUSTOMER_ID}/providers", elsewhere.url());
    let server = TestServer::scripted(misbehaviours(&target)).await;
    let observed = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = observed.clone();
    let client = Client::builder()
        .api_key(KEY)
        .observer(move |attempt: &Attempt<'_>| sink.lock().unwrap().push(format!("{attempt:?}")))
        .base_url(server.url())
        .pacing(None)
        .request_timeout(Duration::from_secs(1))
        .retry_policy(RetryPolicy {
            max_retries: 0,
            initial_backoff: Duration::from_secs(3600),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();

    // The consumer program: creates, then updates, logging every outcome.
    let mut log = String::new();
    for _ in 0..9 {
        let outcome = client
            .create_customer_provider()
            .id(CUSTOMER_ID)
            .body_map(|b| {
                b.provider_type(types::ProviderType::PrimaryCare)
                    .notes(format!("{NAME} {SSN}"))
            })
            .send()
            .await;
        log_outcome(&mut log, outcome.map(drop));
    }
    for _ in 0..3 {
        let outcome = client
            .update_customer_provider()
            .id(CUSTOMER_ID)
            .provider_id(PROVIDER_ID)
            .body_map(|b| b.notes(format!("{NAME} {SSN}")))
            .send()
            .await;
        log_outcome(&mut log, outcome.map(drop));
    }
    // A uuid that parses, but whose version digit (0) the document's pattern refuses.
    let outcome = client
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id("87d8e330-2878-0742-a86f-dbbb3bf522ac")
        .body_map(|b| b.notes(format!("{NAME} {SSN}")))
        .send()
        .await;
    log_outcome(&mut log, outcome.map(drop));
    // A success: the program logs it whole, and its headers.
    let success = client
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(|b| b.notes(format!("{NAME} {SSN}")))
        .send()
        .await
        .expect("the last reply is a success");
    log.push_str(&format!(
        "{success:?}\n{success:#?}\n{:?}\n",
        success.headers()
    ));
    assert_eq!(
        success.headers().get("x-echo").map(|t| t.len()),
        Some(format!("{KEY} {NAME} {SSN}").len()),
        "read on purpose only"
    );
    assert_eq!(
        success.request_id(),
        None,
        "a request id that is the key is not one"
    );
    let counted = format!("headers: <{} headers>", success.headers().len());
    assert!(
        log.contains("status: 200") && log.contains(&counted),
        "{log}"
    );

    let kinds: Vec<&str> = log
        .lines()
        .filter_map(|l| l.strip_prefix("kind "))
        .collect();
    assert_eq!(
        kinds,
        [
            "Server",
            "Validation",
            "Transport",
            "Transport",
            "UnexpectedStatus",
            "UndecodableResponse",
            "ResponseTooLarge",
            "ResponseTooLarge",
            "Transport",
            "RateLimited",
            "Server",
            "Transport",
            "InvalidRequest",
        ],
        "{log}"
    );
    let methods: Vec<String> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(
        methods.iter().filter(|m| *m == "POST").count(),
        9,
        "each POST sent once: {methods:?}"
    );
    assert_eq!(
        methods.len(),
        13,
        "nothing retried, and the refused parameter never sent: {methods:?}"
    );
    assert!(
        !server
            .requests()
            .iter()
            .any(|r| r.path.contains("2878-0742")),
        "never on the wire"
    );

    // Every attempt observed exactly once, the oversized bodies (7 and 8) too.
    let observed = observed.lock().unwrap().clone();
    assert_eq!(observed.len(), 13, "{observed:#?}");
    let too_large: Vec<usize> = (0..13)
        .filter(|i| observed[*i].contains("response_too_large: true"))
        .collect();
    assert_eq!(too_large, [6, 7], "{observed:#?}");
    log.push_str(&observed.join("\n"));
    assert_eq!(elsewhere.count(), 0, "the redirect was not followed");

    let everything = format!("{log}\n{}", capture.everything());
    for never in NEVER_SHOWN {
        assert!(
            !everything.contains(never),
            "{never:?} shown:\n{everything}"
        );
    }
}

/// What a service logs: the kind, `Display` and `Debug` of every error.
fn log_outcome(log: &mut String, outcome: Result<(), Error>) {
    match outcome {
        Ok(()) => log.push_str("kind Ok\n"),
        Err(error) => {
            let debug = format!("{error:?}");
            let kind = debug
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_owned();
            log.push_str(&format!("kind {kind}\n{error}\n{debug}\n{error:#?}\n"));
        }
    }
}
