//! The client's TLS ways in, on real calls against loopback HTTPS: a root added with
//! `add_root_certificates_pem` is trusted in the handshake, and without it (or with another)
//! the call fails before the key is sent, after one attempt, since no retry would change the
//! certificate; a connection refused or a server that hangs up mid-handshake is still retried;
//! through `proxy`, https goes in a `CONNECT` tunnel the proxy cannot read, and `no_proxy`
//! bypasses it.
//!
//! Each test runs with the TLS stack the build selects: `cargo test --workspace` tests the
//! default (rustls with aws-lc-rs), and `.ci/run` runs this file again with
//! `-F carecycle/rustls-ring` and with `-F carecycle/native-tls` (OpenSSL here), so every stack
//! the crate offers makes these handshakes.

#[path = "common/tls.rs"]
mod tls;

use std::sync::{Arc, Mutex};

use carecycle::{Attempt, Client, ClientBuilder, Error, TransportKind};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use tls::{ConnectProxy, HangUp, HttpsFront, TestCa};

const KEY: &str = "cc_test_tls_key_0123456789";

async fn customer_server() -> TestServer {
    TestServer::scripted(vec![Reply::json(200, fixtures::customer())]).await
}

/// A client for `base_url` with the default retry policy.
fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .pacing(None)
}

/// Each attempt as the client's observer saw it: (failure, will retry).
type Seen = Arc<Mutex<Vec<(Option<TransportKind>, bool)>>>;

fn observed(builder: ClientBuilder) -> (ClientBuilder, Seen) {
    let seen = Seen::default();
    let sink = Arc::clone(&seen);
    let builder = builder.observer(move |attempt: &Attempt<'_>| {
        sink.lock()
            .unwrap()
            .push((attempt.failure, attempt.will_retry));
    });
    (builder, seen)
}

async fn get_customer(client: &Client) -> Result<(), Error> {
    client.get_customer().id(CUSTOMER_ID).send().await.map(drop)
}

#[tokio::test]
async fn an_added_root_is_trusted_and_the_key_reaches_the_server() {
    let ca = TestCa::new("careCycle test root");
    let server = customer_server().await;
    let front = HttpsFront::start(&ca, &server).await;
    let client = builder(front.url())
        .add_root_certificates_pem(ca.pem())
        .build()
        .unwrap();

    get_customer(&client).await.unwrap();

    assert_eq!(front.handshakes(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].path, format!("/v2/customers/{CUSTOMER_ID}"));
    assert_eq!(requests[0].header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn without_the_right_root_the_call_fails_once_as_tls_before_the_key_is_sent() {
    let ca = TestCa::new("careCycle test root");
    let other_ca = TestCa::new("another test root");
    for (roots, case) in [
        (None, "the system's roots only"),
        (Some(other_ca.pem()), "another root"),
    ] {
        let server = customer_server().await;
        let front = HttpsFront::start(&ca, &server).await;
        let mut builder = builder(front.url());
        if let Some(pem) = roots {
            builder = builder.add_root_certificates_pem(pem);
        }
        let (builder, seen) = observed(builder);
        let client = builder.build().unwrap();

        let error = get_customer(&client).await.unwrap_err();

        assert!(
            matches!(
                error,
                Error::Transport {
                    kind: TransportKind::Tls,
                    ..
                }
            ),
            "{case}: {error:?}"
        );
        assert!(!error.is_retryable(), "{case}");
        let text = error.to_string();
        assert!(
            text.starts_with("could not establish a secure connection to careCycle: "),
            "{case}: {text}"
        );
        assert!(
            text.to_lowercase().contains("certificate"),
            "{case}: says why: {text}"
        );
        assert!(!text.contains(KEY), "{case}: {text}");
        assert_eq!(
            front.connections(),
            1,
            "{case}: one attempt, under the default retry policy"
        );
        assert_eq!(
            *seen.lock().unwrap(),
            [(Some(TransportKind::Tls), false)],
            "{case}"
        );
        assert_eq!(front.handshakes(), 0, "{case}: the handshake failed");
        assert_eq!(server.count(), 0, "{case}: no request, so no key, was sent");
    }
}

#[tokio::test]
async fn a_connection_refused_is_a_connect_failure_and_retried() {
    let port = tls::unused_loopback_port();
    let (builder, seen) = observed(builder(&format!("https://127.0.0.1:{port}")));
    let client = builder.build().unwrap();

    let error = get_customer(&client).await.unwrap_err();

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
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("could not connect to careCycle: "),
        "{error}"
    );
    let connect = Some(TransportKind::Connect);
    assert_eq!(
        *seen.lock().unwrap(),
        [(connect, true), (connect, true), (connect, false)],
        "the first attempt and the default policy's two retries"
    );
}

#[tokio::test]
async fn a_server_that_hangs_up_mid_handshake_is_a_connect_failure_and_retried() {
    let server = HangUp::start().await;
    let (builder, seen) = observed(builder(server.url()));
    let client = builder.build().unwrap();

    let error = get_customer(&client).await.unwrap_err();

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
    assert!(error.is_retryable());
    assert_eq!(server.hellos(), 3, "the first attempt and two retries");
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn https_through_a_proxy_is_a_tunnel_the_proxy_cannot_read() {
    let ca = TestCa::new("careCycle test root");
    let server = customer_server().await;
    let front = HttpsFront::start(&ca, &server).await;
    let proxy = ConnectProxy::start().await;
    let client = builder(front.url())
        .add_root_certificates_pem(ca.pem())
        .proxy(proxy.url())
        .default_header("x-correlation-id", "batch-2024-11")
        .build()
        .unwrap();

    get_customer(&client).await.unwrap();

    let connects = proxy.connects();
    assert_eq!(connects.len(), 1, "{connects:?}");
    let connect = &connects[0];
    assert_eq!(connect.target, front.authority(), "{}", connect.head);
    // The proxy learns the host and the user agent, and no header meant for the service.
    for secret in [KEY, "batch-2024-11"] {
        assert!(!connect.head.contains(secret), "{}", connect.head);
    }
    assert!(connect.head.contains("carecycle/"), "{}", connect.head);
    // The tunnel carried TLS (a handshake record comes first), with the key inside it.
    assert_eq!(
        connect.tunnelled.first(),
        Some(&0x16),
        "a TLS handshake record"
    );
    assert!(
        !connect
            .tunnelled
            .windows(KEY.len())
            .any(|w| w == KEY.as_bytes()),
        "the key crossed the proxy in the clear"
    );
    assert_eq!(server.requests()[0].header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn no_proxy_sends_https_to_that_host_directly() {
    let ca = TestCa::new("careCycle test root");
    let server = customer_server().await;
    let front = HttpsFront::start(&ca, &server).await;
    let proxy = ConnectProxy::start().await;
    let client = builder(front.url())
        .add_root_certificates_pem(ca.pem())
        .proxy(proxy.url())
        .no_proxy("127.0.0.1")
        .build()
        .unwrap();

    get_customer(&client).await.unwrap();

    assert_eq!(proxy.connections(), 0, "the proxy was bypassed");
    assert_eq!(front.handshakes(), 1);
    assert_eq!(server.requests()[0].header("x-api-key"), Some(KEY));
}
