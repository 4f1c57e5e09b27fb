//! `Client::from_env()` reads `CARECYCLE_API_KEY` and `CARECYCLE_BASE_URL`.
//!
//! Environment variables are global to the process, so this file holds one test that changes
//! them in sequence, before any other thread runs.

use carecycle::{API_KEY_VAR, BASE_URL_VAR, Client, ClientBuilder, Error};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary has one test and sets variables before starting any thread
    // that could read the environment concurrently (the runtime below is single-threaded
    // and only reads it inside `from_env`, on this thread).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn from_env_reads_the_key_and_the_base_url() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = TestServer::scripted(vec![Reply::json(201, fixtures::dependent())]).await;

        // Both set: requests go to the base URL with the key.
        set(API_KEY_VAR, Some("cc_env_key_0123"));
        set(BASE_URL_VAR, Some(server.url()));
        let client = Client::from_env().unwrap();
        client
            .create_customer_dependent()
            .id(CUSTOMER_ID)
            .send()
            .await
            .unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.header("x-api-key"), Some("cc_env_key_0123"));
        assert!(!format!("{client:?}").contains("cc_env_key_0123"));

        // Settings made after `from_env` win over the environment.
        let client = ClientBuilder::from_env()
            .base_url("https://sandbox.carecycle.example")
            .build()
            .unwrap();
        assert!(
            format!("{client:?}").contains("https://sandbox.carecycle.example"),
            "{client:?}"
        );

        // No base URL, or an empty one: the production API.
        for base_url in [None, Some("")] {
            set(BASE_URL_VAR, base_url);
            let client = Client::from_env().unwrap();
            assert!(
                format!("{client:?}").contains(carecycle::DEFAULT_BASE_URL),
                "{client:?}"
            );
        }

        // A base URL that is plain http on a host that is not loopback is refused.
        set(BASE_URL_VAR, Some("http://api.carecycle.ai"));
        let error = Client::from_env().unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "base_url",
                    ..
                }
            ),
            "{error}"
        );
        set(BASE_URL_VAR, None);

        // A malformed key is refused without being echoed.
        set(API_KEY_VAR, Some("sk_live_not_carecycle"));
        let error = Client::from_env().unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "api_key",
                    ..
                }
            ),
            "{error}"
        );
        assert!(!format!("{error} {error:?}").contains("sk_live_not_carecycle"));

        // A key with a trailing new line (a common copy-paste) is refused, not trimmed.
        set(API_KEY_VAR, Some("cc_env_key_0123\n"));
        let error = Client::from_env().unwrap_err();
        assert!(error.to_string().contains("whitespace"), "{error}");

        // No key: the error names the variable.
        set(API_KEY_VAR, None);
        let error = Client::from_env().unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "api_key",
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains(API_KEY_VAR), "{error}");

        assert_eq!(server.count(), 1, "only the first client sent a request");
    });
}
