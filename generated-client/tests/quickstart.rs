//! Runs the quickstart example's code against its loopback server and checks what it did.
//!
//! The example's source is compiled into this test (rather than run as a process), so that
//! `cargo test` runs it every time and a change that breaks it fails here.

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)] // the example's `main` is not called here
mod quickstart;

use harness::fixtures::{CUSTOMER_ID, PROVIDER_ID};
use serde_json::json;

#[tokio::test]
async fn the_quickstart_creates_clears_and_handles_a_validation_error() {
    let server = quickstart::fake_carecycle().await;
    let client = quickstart::client_for(server.url()).unwrap();
    let outcome = quickstart::run(&client, CUSTOMER_ID).await.unwrap();

    assert_eq!(outcome.provider_id.to_string(), PROVIDER_ID);
    assert_eq!(outcome.specialty_after_clear, None);
    assert_eq!(outcome.rejected_paths, ["email"]);

    let requests = server.requests();
    let wire: Vec<(&str, &str, serde_json::Value)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.json()))
        .collect();
    let providers = format!("/v2/customers/{CUSTOMER_ID}/providers");
    let provider = format!("{providers}/{PROVIDER_ID}");
    assert_eq!(
        wire,
        [
            (
                "POST",
                providers.as_str(),
                json!({"providerType": "Specialist", "providerName": "Dr. Lee", "specialty": "Cardiology"})
            ),
            (
                "PATCH",
                provider.as_str(),
                json!({"specialty": null, "isPrimaryProvider": true})
            ),
            ("PATCH", provider.as_str(), json!({"email": "not-an-email"})),
        ]
    );
}
