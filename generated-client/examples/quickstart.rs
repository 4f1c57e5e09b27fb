//! Quickstart: create a provider, clear a field with PATCH, handle a validation error.
//!
//! It runs offline: a loopback server started here answers like careCycle would.
//!
//! ```sh
//! cargo run -p carecycle --example quickstart
//! ```
//!
//! Against the real service, build the client with `Client::from_env()` (it reads
//! `CARECYCLE_API_KEY`) and call [`run`] the same way.

use carecycle::{Client, Error, RetryPolicy, types};
use harness::fixtures::{self, CUSTOMER_ID};
use harness::{Reply, TestServer};
use serde_json::{Value, json};

/// What the quickstart did.
#[derive(Debug)]
pub struct Outcome {
    /// The provider it created.
    pub provider_id: uuid::Uuid,
    /// The provider's specialty after the PATCH that cleared it.
    pub specialty_after_clear: Option<String>,
    /// The paths of the validation issues the service reported.
    pub rejected_paths: Vec<String>,
}

/// The consumer code: three calls any service could make.
pub async fn run(client: &Client, customer_id: &str) -> Result<Outcome, Error> {
    // 1. Create a provider. Required fields and limits are checked before anything is sent.
    let provider = client
        .create_customer_provider()
        .id(customer_id)
        .body_map(|b| {
            b.provider_type(types::ProviderType::Specialist)
                .provider_name("Dr. Lee")
                .specialty("Cardiology")
        })
        .send()
        .await?
        .into_inner();
    println!(
        "created provider {} ({:?})",
        provider.id, provider.specialty
    );

    // 2. Clear a field: `.clear_specialty()` sends `"specialty": null`; fields not touched
    //    are left out of the body and stay as they are.
    let updated = client
        .update_customer_provider()
        .id(customer_id)
        .provider_id(provider.id)
        .body_map(|b| b.clear_specialty().is_primary_provider(true))
        .send()
        .await?
        .into_inner();
    println!("cleared the specialty: now {:?}", updated.specialty);

    // 3. Handle a validation error: the service checks what the client cannot (an email's
    //    format); each issue says where and what.
    let mut rejected_paths = Vec::new();
    match client
        .update_customer_provider()
        .id(customer_id)
        .provider_id(provider.id)
        .body_map(|b| b.email("not-an-email"))
        .send()
        .await
    {
        Ok(_) => println!("the email was accepted"),
        Err(Error::Validation { issues, error }) => {
            println!("careCycle refused the update (status {}):", error.status);
            for issue in issues {
                // The path and a known code print; the service's message is untrusted text
                // (it may echo what was sent) and prints as its length unless exposed.
                let path = issue.path.to_string();
                let code = issue.code.map_or("invalid".to_owned(), |c| c.to_string());
                println!("  {path}: {code}");
                rejected_paths.push(path);
            }
        }
        Err(other) => return Err(other),
    }

    Ok(Outcome {
        provider_id: provider.id,
        specialty_after_clear: updated.specialty,
        rejected_paths,
    })
}

/// The client for a base URL: no pacing and short retries suit a local server.
pub fn client_for(base_url: &str) -> Result<Client, Error> {
    Client::builder()
        .api_key("cc_quickstart_demo_key")
        .base_url(base_url)
        .user_agent("quickstart/1.0")
        .pacing(None)
        .retry_policy(RetryPolicy::none())
        .build()
}

/// A loopback server that answers the quickstart's calls like careCycle: it creates and
/// patches a provider, and refuses an email without `@`.
pub async fn fake_carecycle() -> TestServer {
    TestServer::start(|request, _| {
        let body = request.json();
        let mut provider = fixtures::provider();
        if let Value::Object(fields) = &body {
            if fields
                .get("email")
                .and_then(Value::as_str)
                .is_some_and(|email| !email.contains('@'))
            {
                return Reply::json(
                    422,
                    json!({"message": "Validation failed", "code": "VALIDATION_ERROR", "errors": [
                        {"path": ["email"], "message": "Invalid email", "expected": "email",
                         "received": "string", "code": "invalid_string"}]}),
                );
            }
            for (name, value) in fields {
                provider[name] = value.clone();
            }
        }
        match request.method.as_str() {
            "POST" => Reply::json(201, provider),
            "PATCH" => Reply::json(200, provider),
            _ => Reply::json(404, json!({"message": "Not found", "code": "NOT_FOUND"})),
        }
    })
    .await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = fake_carecycle().await;
    println!("a careCycle stand-in listens on {}", server.url());
    let client = client_for(server.url())?;
    let outcome = run(&client, CUSTOMER_ID).await?;
    println!(
        "done: {outcome:?}; the server read {} requests",
        server.count()
    );
    Ok(())
}
