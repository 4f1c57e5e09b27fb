//! The example webhook receiver on loopback, sent deliveries over real HTTP: signed by an
//! implementation of the scheme apart from the crate's (`signer`) and by the Standard Webhooks
//! project's own Rust library, then tampered with, replayed, signed with the wrong secret,
//! stripped of headers, and too large.
//!
//! The example's source is compiled into this test, so that `cargo test` runs it.

mod signer;
#[path = "../examples/webhook_receiver.rs"]
#[allow(dead_code)] // the example's `main` is not called here
mod webhook_receiver;

use carecycle::webhooks::Verifier;
use reqwest::StatusCode;
use signer::{SECRET, customer_created, now, sign};
use webhook_receiver::{Handler, router, serve};

struct Receiver {
    url: String,
    handler: Handler,
    http: reqwest::Client,
}

async fn start() -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/webhooks/carecycle",
        listener.local_addr().unwrap()
    );
    let handler = Handler::default();
    tokio::spawn(serve(
        listener,
        router(Verifier::new(SECRET).unwrap(), handler.clone()),
    ));
    Receiver {
        url,
        handler,
        http: reqwest::Client::new(),
    }
}

impl Receiver {
    /// POSTs `body` with the given signature headers (`None` leaves one out).
    async fn post(
        &self,
        id: Option<&str>,
        timestamp: Option<i64>,
        signature: Option<&str>,
        body: Vec<u8>,
    ) -> StatusCode {
        let mut request = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(id) = id {
            request = request.header("svix-id", id);
        }
        if let Some(timestamp) = timestamp {
            request = request.header("svix-timestamp", timestamp.to_string());
        }
        if let Some(signature) = signature {
            request = request.header("svix-signature", signature);
        }
        request.send().await.unwrap().status()
    }

    async fn signed(&self, id: &str, timestamp: i64, secret: &str, body: Vec<u8>) -> StatusCode {
        let signature = sign(secret, id, timestamp, &body);
        self.post(Some(id), Some(timestamp), Some(&signature), body)
            .await
    }
}

#[tokio::test]
async fn a_signed_delivery_is_verified_decoded_and_dispatched() {
    let receiver = start().await;
    assert_eq!(
        receiver
            .signed("msg_a", now(), SECRET, customer_created())
            .await,
        StatusCode::NO_CONTENT
    );
    let updated = String::from_utf8(customer_created())
        .unwrap()
        .replace("customer.created", "customer.updated");
    assert_eq!(
        receiver
            .signed("msg_b", now(), SECRET, updated.into_bytes())
            .await,
        StatusCode::NO_CONTENT
    );
    let call =
        br#"{"event_type":"call.completed","durationMs":61000,"disposition":"completed"}"#.to_vec();
    assert_eq!(
        receiver.signed("msg_c", now(), SECRET, call).await,
        StatusCode::NO_CONTENT
    );
    let unknown = br#"{"event_type":"policy.created","id":"x"}"#.to_vec();
    assert_eq!(
        receiver.signed("msg_d", now(), SECRET, unknown).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        receiver.handler.seen(),
        [
            "msg_a: new customer b1f7c0e2-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
            "msg_b: customer b1f7c0e2-3a4d-4e5f-8a9b-0c1d2e3f4a5b changed",
            "msg_c: call completed (2 properties)",
            "msg_d: ignored policy.created",
        ]
    );
}

#[tokio::test]
async fn a_delivery_signed_by_the_standard_webhooks_library_is_accepted() {
    let receiver = start().await;
    let body = customer_created();
    let signature = standardwebhooks::Webhook::new(SECRET)
        .unwrap()
        .sign("msg_lib", now(), &body)
        .unwrap();
    assert_eq!(
        receiver
            .post(Some("msg_lib"), Some(now()), Some(&signature), body)
            .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(receiver.handler.seen().len(), 1);
}

#[tokio::test]
async fn tampered_wrongly_signed_replayed_and_future_deliveries_are_refused() {
    let receiver = start().await;
    let body = customer_created();
    let signature = sign(SECRET, "msg_e", now(), &body);
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("Marcus", "Mallory")
        .into_bytes();
    assert_eq!(
        receiver
            .post(Some("msg_e"), Some(now()), Some(&signature), tampered)
            .await,
        StatusCode::BAD_REQUEST
    );

    let other_secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    assert_eq!(
        receiver
            .signed("msg_f", now(), other_secret, body.clone())
            .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        receiver
            .signed("msg_g", now() - 10 * 60, SECRET, body.clone())
            .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        receiver
            .signed("msg_h", now() + 10 * 60, SECRET, body.clone())
            .await,
        StatusCode::BAD_REQUEST
    );
    assert!(
        receiver.handler.seen().is_empty(),
        "{:?}",
        receiver.handler.seen()
    );

    // A secret being rotated: careCycle signs with the other secret and this one.
    let both = format!(
        "{} {}",
        sign(other_secret, "msg_i", now(), &body),
        sign(SECRET, "msg_i", now(), &body)
    );
    assert_eq!(
        receiver
            .post(Some("msg_i"), Some(now()), Some(&both), body)
            .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(receiver.handler.seen().len(), 1);
}

#[tokio::test]
async fn deliveries_without_their_headers_are_refused() {
    let receiver = start().await;
    let body = customer_created();
    let signature = sign(SECRET, "msg_j", now(), &body);
    let ts = Some(now());
    assert_eq!(
        receiver
            .post(None, ts, Some(&signature), body.clone())
            .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        receiver
            .post(Some("msg_j"), None, Some(&signature), body.clone())
            .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        receiver.post(Some("msg_j"), ts, None, body.clone()).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        receiver
            .post(Some("msg_j"), ts, Some(&signature), body)
            .await,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_huge_body_is_refused_before_it_is_read_whole() {
    let receiver = start().await;
    // Signed correctly: only its size is wrong.
    let mut huge = customer_created();
    huge.pop();
    huge.extend_from_slice(br#","notes":""#);
    huge.resize(3 * 1024 * 1024, b'a');
    huge.extend_from_slice(br#""}"#);
    assert_eq!(
        receiver.signed("msg_k", now(), SECRET, huge).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert!(receiver.handler.seen().is_empty());
    // The server is still there.
    assert_eq!(
        receiver
            .signed("msg_l", now(), SECRET, customer_created())
            .await,
        StatusCode::NO_CONTENT
    );
}
