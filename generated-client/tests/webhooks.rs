//! `carecycle::webhooks` against the Standard Webhooks test vectors and against deliveries
//! signed by an implementation of the scheme written independently of the crate's (RustCrypto
//! `hmac` and `sha2`, the `base64` crate), checked first against the same vectors.

mod signer;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use carecycle::types::{CustomerStatus, WebhookEvent};
use carecycle::webhooks::{Verifier, WebhookError};
use http::{HeaderMap, HeaderValue};
use signer::{SECRET, customer_created, headers, now, sign};

/// Signatures published by the Standard Webhooks project
/// (https://github.com/standard-webhooks/standard-webhooks, commit b2fa7b8):
/// `libraries/python/tests/test_webhooks.py::test_sign_function` and
/// `libraries/rust/src/lib.rs::test_sign`. (secret, id, timestamp, payload, signature)
const VECTORS: [(&str, &str, i64, &str, &str); 2] = [
    (
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        r#"{"test": 2432232314}"#,
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ),
    (
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1649367553,
        r#"{"email":"test@example.com","username":"test_user"}"#,
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    ),
];

fn at(unix: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix as u64)
}

#[test]
fn the_independent_signer_reproduces_the_published_vectors() {
    for (secret, id, timestamp, payload, signature) in VECTORS {
        assert_eq!(sign(secret, id, timestamp, payload.as_bytes()), signature);
    }
}

#[test]
fn the_published_vectors_verify_and_one_changed_byte_does_not() {
    for (secret, id, timestamp, payload, signature) in VECTORS {
        let verifier = Verifier::new(secret).unwrap();
        // The vectors' payloads are no careCycle events: a delivery that gets as far as
        // decoding has passed the signature check, which comes before it.
        let passed = verifier.verify_at(
            &headers(id, timestamp, signature),
            payload.as_bytes(),
            at(timestamp),
        );
        assert!(
            matches!(&passed, Err(WebhookError::UndecodablePayload { reason }) if reason.contains("no `event_type`")),
            "{passed:?}"
        );
        let mut changed = signature.to_owned();
        changed.replace_range(5..6, if &signature[5..6] == "A" { "B" } else { "A" });
        let refused = verifier.verify_at(
            &headers(id, timestamp, &changed),
            payload.as_bytes(),
            at(timestamp),
        );
        assert_eq!(refused.unwrap_err(), WebhookError::NoMatchingSignature);
    }
}

#[test]
fn secrets_are_taken_with_or_without_prefix_and_padding() {
    // Secrets of 23 and 25 bytes: without padding their base64 lacks one and two `=`.
    for key in [
        &b"a key of twenty-three b"[..],
        &b"a key of twenty-five byte"[..],
    ] {
        let padded = signer::encode(key);
        let secret = padded.trim_end_matches('=');
        assert_ne!(secret, padded);
        let body = customer_created();
        let signature = sign(&padded, "msg_1", now(), &body);
        for given in [
            secret.to_owned(),
            format!("whsec_{secret}"),
            format!("  whsec_{padded}\n"),
        ] {
            let delivery = Verifier::new(&given)
                .unwrap()
                .verify(&headers("msg_1", now(), &signature), &body);
            assert!(delivery.is_ok(), "{given:?}: {delivery:?}");
        }
    }
}

#[test]
fn a_bad_secret_is_refused_without_printing_it() {
    for secret in ["", "whsec_", "whsec_not base64!", "whsec_%%%%"] {
        let error = Verifier::new(secret).unwrap_err();
        assert!(
            matches!(error, WebhookError::BadSecret { .. }),
            "{secret:?}: {error:?}"
        );
        let shown = format!("{error} {error:?}");
        assert!(secret.len() < 7 || !shown.contains(&secret[6..]), "{shown}");
    }
}

#[test]
fn a_signed_customer_event_decodes_into_its_variant() {
    let body = customer_created();
    let delivery = Verifier::new(SECRET)
        .unwrap()
        .verify(
            &headers("msg_2", now(), &sign(SECRET, "msg_2", now(), &body)),
            &body,
        )
        .unwrap();
    assert_eq!(delivery.id, "msg_2");
    assert_eq!(delivery.event.event_type(), "customer.created");
    let WebhookEvent::CustomerCreated(customer) = delivery.event else {
        panic!("not a customer.created: {:?}", delivery.event)
    };
    assert_eq!(customer.first_name.as_deref(), Some("Marcus"));
    assert_eq!(customer.phone_number.as_deref(), Some("+13128471928"));
    assert_eq!(customer.status, Some(CustomerStatus::Lead));
    assert_eq!(customer.has_medicaid, Some(false));
    assert_eq!(customer.extra["vaNumber"], "VA-5531");
}

#[test]
fn personal_fields_of_an_event_print_redacted() {
    let body = customer_created();
    let delivery = Verifier::new(SECRET)
        .unwrap()
        .verify(
            &headers("msg_3", now(), &sign(SECRET, "msg_3", now(), &body)),
            &body,
        )
        .unwrap();
    let shown = format!("{delivery:?}");
    for personal in [
        "Marcus",
        "Delacroix",
        "+13128471928",
        "1958-04-12",
        "1EG4TE5MK73",
        "Westbrook",
        "CRM-48213",
        "VA-5531",
        "marcus.",
    ] {
        assert!(!shown.contains(personal), "`{personal}` in {shown}");
    }
    assert!(
        shown.contains("<redacted>") && shown.contains("Lead"),
        "{shown}"
    );
}

#[test]
fn an_unknown_event_type_is_kept_not_refused_and_its_payload_is_redacted() {
    let body = br#"{"event_type":"policy.created","id":"b1f7c0e2-3a4d-4e5f-8a9b-0c1d2e3f4a5b","ssn":"123-45-6789"}"#;
    let delivery = Verifier::new(SECRET)
        .unwrap()
        .verify(
            &headers("msg_4", now(), &sign(SECRET, "msg_4", now(), body)),
            body,
        )
        .unwrap();
    let WebhookEvent::Unrecognized(event) = &delivery.event else {
        panic!("not unrecognized: {:?}", delivery.event)
    };
    assert_eq!(event.event_type(), "policy.created");
    assert_eq!(event.payload()["ssn"], "123-45-6789");
    let shown = format!("{delivery:?}");
    assert!(
        shown.contains("policy.created") && !shown.contains("123-45-6789"),
        "{shown}"
    );
    assert!(!WebhookEvent::KNOWN_EVENT_TYPES.contains(&"policy.created"));
}

#[test]
fn a_call_event_keeps_every_property_it_does_not_name() {
    let body = br#"{"event_type":"call.completed","transcript":"Hello, this is Marcus","durationMs":61000}"#;
    let delivery = Verifier::new(SECRET)
        .unwrap()
        .verify(
            &headers("msg_5", now(), &sign(SECRET, "msg_5", now(), body)),
            body,
        )
        .unwrap();
    let WebhookEvent::CallCompleted(call) = &delivery.event else {
        panic!("not a call.completed: {:?}", delivery.event)
    };
    assert_eq!(call.extra["durationMs"], 61000);
    assert!(!format!("{delivery:?}").contains("Marcus"));
}

#[test]
fn tampering_a_wrong_secret_and_rotation() {
    let body = customer_created();
    let signature = sign(SECRET, "msg_6", now(), &body);
    let verifier = Verifier::new(SECRET).unwrap();

    let mut tampered = body.clone();
    let at = tampered.windows(6).position(|w| w == b"Marcus").unwrap();
    tampered[at] = b'N';
    let error = verifier
        .verify(&headers("msg_6", now(), &signature), &tampered)
        .unwrap_err();
    assert_eq!(error, WebhookError::NoMatchingSignature);
    // The id and the timestamp are signed too.
    let error = verifier
        .verify(&headers("msg_7", now(), &signature), &body)
        .unwrap_err();
    assert_eq!(error, WebhookError::NoMatchingSignature);
    let error = verifier
        .verify(&headers("msg_6", now() - 1, &signature), &body)
        .unwrap_err();
    assert_eq!(error, WebhookError::NoMatchingSignature);

    let other = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    assert_eq!(
        other
            .verify(&headers("msg_6", now(), &signature), &body)
            .unwrap_err(),
        WebhookError::NoMatchingSignature
    );

    // While a secret is rotated, careCycle signs with the old and the new one: each verifies.
    let old = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let both = format!("{} {signature}", sign(old, "msg_6", now(), &body));
    assert!(
        verifier
            .verify(&headers("msg_6", now(), &both), &body)
            .is_ok()
    );
    assert!(other.verify(&headers("msg_6", now(), &both), &body).is_ok());
    // Signatures of other versions (`v1a` is asymmetric) and stray entries are skipped.
    let noisy = format!(
        "v1a,{} garbage v2,{} {signature}",
        &signature[3..],
        &signature[3..]
    );
    assert!(
        verifier
            .verify(&headers("msg_6", now(), &noisy), &body)
            .is_ok()
    );
    let only_other_versions = format!("v1a,{} v2,{}", &signature[3..], &signature[3..]);
    assert_eq!(
        verifier
            .verify(&headers("msg_6", now(), &only_other_versions), &body)
            .unwrap_err(),
        WebhookError::NoMatchingSignature
    );
}

#[test]
fn replayed_and_future_deliveries_are_refused_by_the_tolerance() {
    let body = customer_created();
    let verifier = Verifier::new(SECRET).unwrap();
    let signed_at =
        |timestamp: i64| headers("msg_8", timestamp, &sign(SECRET, "msg_8", timestamp, &body));

    let error = verifier.verify(&signed_at(now() - 301), &body).unwrap_err();
    assert!(
        matches!(error, WebhookError::TooOld { tolerance, .. } if tolerance == Duration::from_secs(300)),
        "{error:?}"
    );
    let error = verifier.verify(&signed_at(now() + 301), &body).unwrap_err();
    assert!(matches!(error, WebhookError::TooNew { .. }), "{error:?}");
    assert!(verifier.verify(&signed_at(now() - 290), &body).is_ok());
    assert!(verifier.verify(&signed_at(now() + 290), &body).is_ok());

    let strict = verifier.clone().with_tolerance(Duration::from_secs(30));
    let error = strict.verify(&signed_at(now() - 60), &body).unwrap_err();
    assert!(
        error.to_string().contains("more than the tolerance of 30s"),
        "{error}"
    );
    let lenient = verifier.with_tolerance(Duration::from_secs(3600));
    assert!(lenient.verify(&signed_at(now() - 1800), &body).is_ok());
    assert!(lenient.verify(&signed_at(i64::MIN), &body).is_err());
    assert!(lenient.verify(&signed_at(i64::MAX), &body).is_err());
}

#[test]
fn missing_and_malformed_headers_are_named() {
    let body = customer_created();
    let full = headers("msg_9", now(), &sign(SECRET, "msg_9", now(), &body));
    let verifier = Verifier::new(SECRET).unwrap();
    for name in ["svix-id", "svix-timestamp", "svix-signature"] {
        let mut without = full.clone();
        without.remove(name);
        let error = verifier.verify(&without, &body).unwrap_err();
        assert_eq!(
            error,
            WebhookError::MissingHeader {
                name: match name {
                    "svix-id" => "svix-id",
                    "svix-timestamp" => "svix-timestamp",
                    _ => "svix-signature",
                }
            }
        );
        assert!(error.to_string().contains(name), "{error}");
    }
    let mut bad = full.clone();
    bad.insert(
        "svix-timestamp",
        HeaderValue::from_static("2026-11-23T19:00:00Z"),
    );
    assert!(matches!(
        verifier.verify(&bad, &body),
        Err(WebhookError::InvalidHeader {
            name: "svix-timestamp",
            ..
        })
    ));

    // The Standard Webhooks header names work too.
    let mut standard = HeaderMap::new();
    for (name, value) in &full {
        standard.insert(
            name.as_str()
                .replace("svix-", "webhook-")
                .parse::<http::HeaderName>()
                .unwrap(),
            value.clone(),
        );
    }
    assert!(verifier.verify(&standard, &body).is_ok());
}

#[test]
fn a_body_over_the_limit_is_refused_before_anything_else() {
    let verifier = Verifier::new(SECRET).unwrap();
    let huge = vec![b' '; verifier.max_body_bytes() + 1];
    let error = verifier.verify(&HeaderMap::new(), &huge).unwrap_err();
    assert_eq!(error, WebhookError::BodyTooLarge { limit: 1024 * 1024 });

    let small = Verifier::new(SECRET).unwrap().with_max_body_bytes(64);
    let body = customer_created();
    let error = small
        .verify(
            &headers("m", now(), &sign(SECRET, "m", now(), &body)),
            &body,
        )
        .unwrap_err();
    assert_eq!(error, WebhookError::BodyTooLarge { limit: 64 });
}

#[test]
fn errors_and_debug_never_show_the_secret_or_the_payload() {
    let verifier = Verifier::new(SECRET).unwrap();
    let secret = SECRET.trim_start_matches("whsec_");
    assert!(!format!("{verifier:?}").contains(secret), "{verifier:?}");

    let body = br#"{"event_type":"customer.created","firstName":["Marcus"],"ssn":"123-45-6789"}"#;
    let error = verifier
        .verify(&headers("m", now(), &sign(SECRET, "m", now(), body)), body)
        .unwrap_err();
    let WebhookError::UndecodablePayload { reason } = &error else {
        panic!("{error:?}")
    };
    assert!(reason.contains("`firstName`"), "{reason}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(
            !shown.contains("Marcus") && !shown.contains("123-45") && !shown.contains(secret),
            "{shown}"
        );
    }
}
