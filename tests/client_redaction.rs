//! Personal data and the API key never reach Debug output, traces or errors.
//!
//! The fixtures fill every field with distinctive values (`fixtures::PERSONAL_VALUES`); each
//! test searches what it captured for all of them.

use std::time::Duration;

use carecycle::{Client, Error, RetryPolicy, types};
use harness::capture::Capture;
use harness::fixtures::{self, CUSTOMER_ID, PERSONAL_VALUES};
use harness::{Reply, TestServer};
use serde_json::json;

const KEY: &str = "cc_live_redaction_supersecret";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .pacing(None)
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// Fails naming every personal value, or the key, that `text` contains.
fn assert_nothing_personal(what: &str, text: &str) {
    let leaked: Vec<&str> = PERSONAL_VALUES
        .iter()
        .copied()
        .chain([KEY])
        .filter(|v| text.contains(v))
        .collect();
    assert!(leaked.is_empty(), "{what} shows {leaked:?}:\n{text}");
}

#[test]
fn debug_of_a_fully_filled_customer_and_dependent_redacts_every_personal_field() {
    let customer: types::Customer = serde_json::from_value(fixtures::customer()).unwrap();
    let dependent: types::Dependent = serde_json::from_value(fixtures::dependent()).unwrap();
    let customer_debug = format!("{customer:?}");
    let dependent_debug = format!("{dependent:#?}");
    assert_nothing_personal("Debug of a customer", &customer_debug);
    assert_nothing_personal("Debug of a dependent", &dependent_debug);

    for field in [
        "ssn",
        "date_of_birth",
        "first_name",
        "last_name",
        "middle_name",
        "email",
        "phone",
        "notes",
        "annual_income",
    ] {
        assert!(
            dependent_debug.contains(&format!("{field}: <redacted>")),
            "{field}:\n{dependent_debug}"
        );
    }
    for field in [
        "date_of_birth",
        "mbi_number",
        "medicaid_number",
        "va_number",
        "first_name",
        "middle_name",
        "last_name",
        "preferred_name",
        "email",
        "caller_id",
        "address",
        "address2",
        "city",
        "county",
        "postal_code",
    ] {
        assert!(
            customer_debug.contains(&format!("{field}: <redacted>")),
            "{field}:\n{customer_debug}"
        );
    }
    // Fields that are not personal stay readable.
    assert!(
        customer_debug.contains("status: Some(Active)"),
        "{customer_debug}"
    );
    assert!(
        customer_debug.contains("plan_name: Some(\"Plan G\")"),
        "{customer_debug}"
    );
    assert!(
        dependent_debug.contains("relationship_type: Some(\n        Child,"),
        "{dependent_debug}"
    );
}

#[test]
fn debug_of_a_provider_redacts_its_notes() {
    let provider: types::Provider = serde_json::from_value(fixtures::provider()).unwrap();
    let debug = format!("{provider:?}");
    assert!(
        debug.contains("notes: <redacted>") && !debug.contains("diagnosed"),
        "{debug}"
    );
}

#[test]
fn debug_of_request_bodies_builders_and_field_values_redacts_personal_fields() {
    let server_url = "http://127.0.0.1:9";
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server_url)
        .build()
        .unwrap();
    let request = client.update_customer().id(CUSTOMER_ID).body_map(|b| {
        b.first_name("Quintessa")
            .last_name("Vanderhoeven")
            .date_of_birth("1957-11-23")
            .mbi_number("1EG4-TE5-MK73")
            .medicaid_number("MCD-00998877")
            .va_number("VA-55443322")
            .email("quintessa.v@example.org")
            .caller_id("+1-555-0142")
            .address("742 Evergreen Terrace")
            .custom_data(serde_json::json!({"diagnosis": "diagnosed with condition X"}))
            .status(types::CustomerStatus::Active)
    });
    let debug = format!("{request:?}");
    assert_nothing_personal("Debug of an update_customer request", &debug);
    assert!(
        debug.contains("Active"),
        "the non-personal status stays readable: {debug}"
    );

    let dependent = types::CreateDependentRequest::builder()
        .first_name("Alexandrina")
        .ssn("123-45-6789")
        .date_of_birth("2012-03-09")
        .phone("+1-555-0199")
        .notes("allergic to penicillin");
    assert_nothing_personal(
        "Debug of a dependent body builder",
        &format!("{dependent:?}"),
    );
    let dependent = types::CreateDependentRequest::try_from(dependent).unwrap();
    assert_nothing_personal("Debug of a dependent body", &format!("{dependent:?}"));
    assert_nothing_personal(
        "Debug of a dependent request",
        &format!("{:?}", client.create_customer_dependent().body(dependent)),
    );

    // A personal field's value on its own: a `Personal`, redacted too.
    let dependent = types::CreateDependentRequest::try_from(
        types::CreateDependentRequest::builder()
            .first_name("Alexandrina")
            .ssn("123-45-6789"),
    )
    .unwrap();
    let ssn: &carecycle::Personal = dependent.ssn.as_ref().unwrap();
    assert_eq!(format!("{ssn:?}"), "Personal(<redacted>)");
    assert_eq!(
        ssn.as_str(),
        "123-45-6789",
        "the value itself is there for the caller"
    );
    let mut update = types::UpdateCustomerRequest::default();
    update.email = carecycle::Patch::Set("quintessa.v@example.org".into());
    assert_nothing_personal(
        "Debug of a patch field",
        &format!("{:?} {update:?}", update.email),
    );
}

#[test]
fn the_key_is_in_no_debug_of_the_client_or_its_builder() {
    let builder = Client::builder().api_key(KEY);
    assert_nothing_personal("Debug of a client builder", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_nothing_personal(
        "Debug of a client",
        &format!("{client:?} {:?}", client.clone()),
    );
}

#[tokio::test]
async fn the_key_and_personal_values_are_in_no_error_of_any_kind() {
    // The service echoes the key and values that were sent; none of them reaches an error.
    let echo = format!("key {KEY} for Quintessa Vanderhoeven");
    let replies = vec![
        Reply::json(401, fixtures::error_body("UNAUTHORIZED", &echo)),
        Reply::json(
            422,
            serde_json::json!({"message": "Validation failed", "code": "VALIDATION_ERROR", "errors": [
            {"path": ["ssn"], "message": "123-45-6789 is not valid", "expected": "string", "received": "123-45-6789", "code": "invalid"}]}),
        ),
        Reply::json(429, fixtures::rate_limited(999)),
        Reply::json(404, fixtures::error_body("NOT_FOUND", "Customer not found")),
        Reply::raw(
            500,
            "text/html",
            "<html>Quintessa 742 Evergreen Terrace</html>",
        ),
        Reply::raw(
            200,
            "application/json",
            r#"{"firstName": "Quintessa", "ssn": 123-45-6789}"#,
        ),
        Reply::Reset,
    ];
    let count = replies.len();
    let server = TestServer::scripted(replies).await;
    let client = client(&server).with_retry_policy(RetryPolicy::none());
    for _ in 0..count {
        let error = client
            .create_customer_dependent()
            .id(CUSTOMER_ID)
            .body_map(|b| {
                b.ssn("123-45-6789")
                    .first_name("Quintessa")
                    .last_name("Vanderhoeven")
            })
            .send()
            .await
            .unwrap_err();
        assert_nothing_personal(
            &format!("the error {error:?}"),
            &format!("{error} {error:?}"),
        );
    }
    let invalid = client
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .body_map(|b| b.ssn("123-45-67890"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(invalid, Error::InvalidRequest { .. }));
    assert_nothing_personal("an invalid request", &format!("{invalid} {invalid:?}"));
    assert_eq!(server.count(), count);
}

// ---- traces ------------------------------------------------------------------------------

#[tokio::test]
async fn each_attempt_has_a_span_with_operation_method_status_attempt_and_latency_and_no_body() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let busy = Reply::json(503, fixtures::error_body("INTERNAL_ERROR", "busy"));
    let server = TestServer::scripted(vec![
        busy,
        Reply::json(200, fixtures::customer()).with_header("x-request-id", "req_7f3a9c2e4b-77"),
    ])
    .await;
    let customer = client(&server)
        .update_customer()
        .id(CUSTOMER_ID)
        .body_map(|b| {
            b.first_name("Quintessa")
                .date_of_birth("1957-11-23")
                .mbi_number("1EG4-TE5-MK73")
        })
        .send()
        .await
        .unwrap();
    assert_eq!(customer.first_name.as_deref(), Some("Quintessa"));
    assert_eq!(server.count(), 2);

    let spans = capture.spans_named("carecycle.request");
    assert_eq!(spans.len(), 2, "{spans:?}");
    for (span, (attempt, status)) in spans.iter().zip([("1", "503"), ("2", "200")]) {
        assert_eq!(
            span.fields.get("operation").map(String::as_str),
            Some("update_customer"),
            "{span:?}"
        );
        assert_eq!(
            span.fields.get("method").map(String::as_str),
            Some("PATCH"),
            "{span:?}"
        );
        assert_eq!(
            span.fields.get("attempt").map(String::as_str),
            Some(attempt),
            "{span:?}"
        );
        assert_eq!(
            span.fields.get("status").map(String::as_str),
            Some(status),
            "{span:?}"
        );
        assert!(
            span.fields
                .get("latency_ms")
                .is_some_and(|ms| ms.parse::<u64>().is_ok()),
            "{span:?}"
        );
    }
    assert_eq!(
        spans[1].fields.get("request_id").map(String::as_str),
        Some("req_7f3a9c2e4b-77")
    );
    let events = capture.events();
    assert!(
        events
            .iter()
            .any(|e| e.fields.get("message").is_some_and(|m| m == "retrying")
                && e.fields.contains_key("wait_ms")),
        "{events:?}"
    );

    let everything = capture.everything();
    assert_nothing_personal("the traces", &everything);
    assert!(
        !everything.contains("busy"),
        "no error body in traces: {everything}"
    );
    assert!(
        !everything.contains("Plan G"),
        "no response body in traces: {everything}"
    );
}

#[tokio::test]
async fn a_failed_attempt_is_traced_without_the_key_or_the_body() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = TestServer::scripted(vec![Reply::Reset]).await;
    client(&server)
        .create_customer_dependent()
        .id(CUSTOMER_ID)
        .body_map(|b| b.ssn("123-45-6789").notes("allergic to penicillin"))
        .send()
        .await
        .unwrap_err();
    let spans = capture.spans_named("carecycle.request");
    assert_eq!(
        spans.len(),
        1,
        "a POST is not retried after a reset: {spans:?}"
    );
    assert_eq!(
        spans[0].fields.get("method").map(String::as_str),
        Some("POST")
    );
    assert!(
        !spans[0].fields.contains_key("status"),
        "no response, no status: {spans:?}"
    );
    let events = capture.events();
    assert!(
        events
            .iter()
            .any(|e| e.fields.get("failure").is_some_and(|f| f == "interrupted")),
        "{events:?}"
    );
    assert_nothing_personal("the traces", &capture.everything());
}

// ---- echoes in every field of every error shape --------------------------------------------

/// What the service may echo: the key and personal values, each as sent and changed (case,
/// a line break, cut short, digits only, as a number), and short names.
fn echoed_forms() -> Vec<serde_json::Value> {
    let values = [
        KEY,
        "Quintessa Vanderhoeven",
        "123-45-6789",
        "1957-11-23",
        "1EG4-TE5-MK73",
        "quintessa.v@example.org",
        "742 Evergreen Terrace",
        "Ky",
        "Jo",
    ];
    let mut forms = Vec::new();
    for value in values {
        let middle = value.len() / 2;
        forms.push(json!(value));
        forms.push(json!(value.to_uppercase()));
        forms.push(json!(value.to_lowercase()));
        forms.push(json!(format!("{}\n{}", &value[..middle], &value[middle..])));
        if value.len() > 4 {
            forms.push(json!(&value[..value.len() * 2 / 3]));
        }
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 3 {
            forms.push(json!(digits));
            forms.push(json!(digits.parse::<u64>().unwrap()));
        }
    }
    forms
}

/// The strings to search every output for: each form as text, and for a form with a line
/// break, each line and the form with the break folded into a space.
fn needles(form: &serde_json::Value) -> Vec<String> {
    let text = match form {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = vec![text.replace('\n', " "), text.replace('\n', "")];
    out.extend(
        text.split('\n')
            .filter(|line| line.len() >= 2)
            .map(str::to_owned),
    );
    out
}

/// Every place an error response can carry `form`: each field of each documented error shape,
/// an undocumented code, unknown fields, the wait, the request id header, and a success body
/// that does not decode.
fn replies_echoing(form: &serde_json::Value) -> Vec<Reply> {
    let issue = |field: &str| {
        let mut issue = json!({"path": ["email"], "message": "Invalid", "expected": "string",
                               "received": "number", "code": "invalid_type"});
        issue[field] = form.clone();
        issue
    };
    let validation = |issue: serde_json::Value| json!({"message": "Validation failed", "code": "VALIDATION_ERROR", "errors": [issue]});
    let mut replies = Vec::new();
    for (status, code) in [
        (400, "VALIDATION_ERROR"),
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (409, "CONFLICT"),
        (429, "RATE_LIMIT_EXCEEDED"),
        (500, "INTERNAL_ERROR"),
        (503, "INTERNAL_ERROR"),
    ] {
        replies.push(Reply::json(status, json!({"message": form, "code": code})));
        replies.push(Reply::json(status, json!({"message": "m", "code": form})));
        replies.push(Reply::json(
            status,
            json!({"message": "m", "code": code, "detail": form}),
        ));
        replies.push(Reply::json(
            status,
            json!({"code": code, "retryAfter": form}),
        ));
    }
    for field in ["message", "expected", "received", "code", "unknown"] {
        replies.push(Reply::json(422, validation(issue(field))));
    }
    let mut in_path = issue("message");
    in_path["path"] = json!(["records", 0, form, "firstName"]);
    replies.push(Reply::json(422, validation(in_path)));
    let mut as_path = issue("message");
    as_path["path"] = form.clone();
    replies.push(Reply::json(422, validation(as_path)));
    replies.push(Reply::json(200, json!({"id": form})));
    replies.push(Reply::json(
        200,
        json!({"customData": {"x": 1}, "isActive": form}),
    ));
    if let Some(text) = form.as_str().filter(|t| !t.contains('\n')) {
        for status in [404, 200] {
            let body = if status == 200 {
                json!({"id": 5})
            } else {
                json!({})
            };
            replies.push(Reply::json(status, body).with_header("x-request-id", text));
        }
        replies.push(Reply::json(503, json!({})).with_header("retry-after", text));
    }
    replies
}

#[tokio::test]
async fn no_echo_of_the_key_or_a_personal_value_in_any_form_reaches_display_debug_or_traces() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let forms = echoed_forms();
    let cases: Vec<(usize, Reply)> = forms
        .iter()
        .enumerate()
        .flat_map(|(n, form)| replies_echoing(form).into_iter().map(move |r| (n, r)))
        .collect();
    let replies: Vec<Reply> = cases.iter().map(|(_, reply)| reply.clone()).collect();
    let server = TestServer::start(move |_, index| replies[index].clone()).await;
    let client = client(&server).with_retry_policy(RetryPolicy::none());

    let mut outputs = String::new();
    for (n, _) in &cases {
        let error = client
            .update_customer_provider()
            .id(CUSTOMER_ID)
            .provider_id(fixtures::PROVIDER_ID)
            .body_map(|b| b.notes("Quintessa Vanderhoeven 123-45-6789"))
            .send()
            .await
            .expect_err("every case is an error");
        let shown = format!("{error}\n{error:?}\n{error:#?}\n");
        for needle in needles(&forms[*n]) {
            assert!(!shown.contains(&needle), "{needle:?} in\n{shown}");
        }
        outputs.push_str(&shown);
    }
    assert_eq!(server.count(), cases.len(), "one request per case");
    let everything = format!("{outputs}\n{}", capture.everything());
    for needle in forms.iter().flat_map(needles) {
        assert!(
            !everything.contains(&needle),
            "{needle:?} in the output or the traces"
        );
    }
    assert_nothing_personal("the errors and traces", &everything);
    assert!(
        everything.contains("<redacted: "),
        "the texts are there, as their lengths"
    );
}
