//! Typed errors from real responses: the body's `code` decides first, the status second; every
//! error from a response carries its status and request id; Display is one line without the
//! API key.

use std::time::Duration;

use carecycle::{Client, Error, ErrorCode, IssueCode, RetryPolicy, ServiceText};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_live_errors_secret_key";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn update_customer(server: &TestServer) -> Error {
    client(server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(|b| b.email("quintessa.v@example.org"))
        .send()
        .await
        .expect_err("an error response")
}

fn assert_one_line_without_the_key(error: &Error) {
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(
        !text.contains(KEY) && !format!("{error:?}").contains(KEY),
        "{text}"
    );
}

#[tokio::test]
async fn each_documented_error_becomes_its_kind_with_status_and_request_id() {
    type Check = fn(&Error) -> bool;
    let cases: Vec<(u16, serde_json::Value, Check)> = vec![
        (
            400,
            fixtures::error_body("BAD_REQUEST", "Invalid request"),
            |e| matches!(e, Error::BadRequest(_)),
        ),
        (
            401,
            fixtures::error_body("UNAUTHORIZED", "Invalid or missing API key"),
            |e| matches!(e, Error::Unauthorized(_)),
        ),
        (
            403,
            fixtures::error_body("FORBIDDEN", "API key lacks required permissions"),
            |e| matches!(e, Error::Forbidden(_)),
        ),
        (
            404,
            fixtures::error_body("NOT_FOUND", "Customer not found"),
            |e| matches!(e, Error::NotFound(_)),
        ),
        (
            422,
            fixtures::validation_error(&[("email", "invalid_string")]),
            |e| matches!(e, Error::Validation { .. }),
        ),
        (
            429,
            fixtures::rate_limited(120),
            |e| matches!(e, Error::RateLimited { retry_after: Some(w), .. } if *w == Duration::from_secs(120)),
        ),
        (
            500,
            fixtures::error_body("INTERNAL_ERROR", "Internal server error"),
            |e| matches!(e, Error::Server(_)),
        ),
        (
            409,
            fixtures::error_body("CONFLICT", "Already exists"),
            |e| matches!(e, Error::UnexpectedStatus(_)),
        ),
    ];
    for (status, body, expected) in cases {
        let server = TestServer::scripted(vec![
            Reply::json(status, body)
                .with_header("x-request-id", &format!("req_7f3a9c2e4b-{status}")),
        ])
        .await;
        let error = update_customer(&server).await;
        assert!(expected(&error), "{status}: {error:?}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(
            error.request_id(),
            Some(format!("req_7f3a9c2e4b-{status}").as_str())
        );
        assert!(
            error.to_string().contains(&format!("status {status}")),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .contains(&format!("(request id req_7f3a9c2e4b-{status})")),
            "{error}"
        );
        assert_one_line_without_the_key(&error);
        assert_eq!(server.count(), 1, "{status}");
    }
}

#[tokio::test]
async fn the_body_code_decides_before_the_inferred_status() {
    // The reference does not say whether validation errors are 400 or 422.
    let server = TestServer::scripted(vec![Reply::json(
        400,
        fixtures::validation_error(&[("ssn", "too_big")]),
    )])
    .await;
    let error = update_customer(&server).await;
    assert!(
        matches!(error, Error::Validation { ref issues, .. } if issues.len() == 1),
        "{error:?}"
    );

    let server = TestServer::scripted(vec![Reply::json(
        400,
        fixtures::error_body("NOT_FOUND", "Customer not found"),
    )])
    .await;
    assert!(matches!(update_customer(&server).await, Error::NotFound(_)));

    let server = TestServer::scripted(vec![Reply::json(
        403,
        fixtures::error_body("SOMETHING_NEW", "New"),
    )])
    .await;
    assert!(
        matches!(update_customer(&server).await, Error::Forbidden(_)),
        "an unknown code falls back to the status"
    );
}

#[tokio::test]
async fn a_validation_error_keeps_every_issue_and_prints_paths_and_codes_only() {
    let body = json!({
        "message": "Validation failed",
        "code": "VALIDATION_ERROR",
        "errors": [
            {"path": ["email"], "message": "Invalid email quintessa.v@example.org", "expected": "email", "received": "quintessa.v@example.org", "code": "invalid_string"},
            {"path": ["multiSelectValue", 0], "message": "Too long", "expected": "string", "received": "string", "code": "too_big"}
        ]
    });
    let server = TestServer::scripted(vec![
        Reply::json(422, body).with_header("x-request-id", "req_v7f3a9c2e4b1d8f6"),
    ])
    .await;
    let error = update_customer(&server).await;
    let Error::Validation {
        ref issues,
        error: ref api,
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(api.code, Some(ErrorCode::ValidationError));
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0].path.to_string(), "email");
    // The service echoed the email that was sent: the text is there for the caller who
    // exposes it, and prints nowhere.
    let exposed = |text: &Option<ServiceText>| text.as_ref().map(|t| t.expose().to_owned());
    assert_eq!(
        exposed(&issues[0].message).as_deref(),
        Some("Invalid email quintessa.v@example.org")
    );
    assert_eq!(exposed(&issues[0].expected).as_deref(), Some("email"));
    assert_eq!(
        exposed(&issues[0].received).as_deref(),
        Some("quintessa.v@example.org")
    );
    assert_eq!(issues[0].code, Some(IssueCode::Known("invalid_string")));
    assert_eq!(issues[1].path.to_string(), "multiSelectValue.0");
    assert_eq!(
        error.to_string(),
        "careCycle found 2 validation issue(s) (status 422 VALIDATION_ERROR, message <redacted: 17 bytes> \
         (request id req_v7f3a9c2e4b1d8f6)); email: invalid_string; multiSelectValue.0: too_big"
    );
    assert!(!format!("{error:?}").contains("quintessa"), "{error:?}");
}

#[tokio::test]
async fn the_service_message_prints_as_its_length_and_an_undocumented_code_too() {
    let body = fixtures::error_body(
        "BAD_REQUEST",
        "Email QUINTESSA.V@EXAMPLE.ORG is taken in CA",
    );
    let server = TestServer::scripted(vec![Reply::json(400, body)]).await;
    let error = update_customer(&server).await;
    assert_eq!(
        error.to_string(),
        "careCycle rejected the request (status 400 <redacted: 11 bytes>, message <redacted: 44 bytes>)"
    );
    let Error::BadRequest(ref api) = error else {
        panic!("{error:?}")
    };
    assert_eq!(
        api.message.as_ref().map(ServiceText::expose),
        Some("Email QUINTESSA.V@EXAMPLE.ORG is taken in CA")
    );
}

#[tokio::test]
async fn a_key_the_service_echoes_prints_nowhere() {
    let body = fixtures::error_body("UNAUTHORIZED", &format!("Unknown API key {KEY}"));
    let server = TestServer::scripted(vec![Reply::json(401, body)]).await;
    let error = update_customer(&server).await;
    assert!(
        matches!(error, Error::Unauthorized(ref e) if e.code == Some(ErrorCode::Unauthorized)),
        "{error:?}"
    );
    assert_one_line_without_the_key(&error);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_key_does_not_travel_to_its_target() {
    let elsewhere = TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await;
    let location = format!("{}/v2/customers/{CUSTOMER_ID}", elsewhere.url());
    let server = TestServer::scripted(vec![
        Reply::raw(307, "text/plain", "").with_header("location", &location),
    ])
    .await;
    let error = update_customer(&server).await;
    assert!(
        matches!(error, Error::UnexpectedStatus(ref e) if e.status == 307),
        "{error:?}"
    );
    assert_eq!(elsewhere.count(), 0);
}

#[tokio::test]
async fn errors_from_responses_and_transport_errors_are_one_clear_line() {
    let server = TestServer::scripted(vec![Reply::Reset]).await;
    let error = client(&server)
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .send()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("the connection to careCycle failed: "),
        "{text}"
    );
    assert!(!text.contains(CUSTOMER_ID), "no URL: {text}");
    assert_one_line_without_the_key(&error);
    assert_eq!((error.status(), error.request_id()), (None, None));
}
