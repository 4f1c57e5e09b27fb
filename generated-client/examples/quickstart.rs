//! Quickstart: create a provider, clear a field with PATCH, handle a validation error, upload
//! leads built in place (and see a broken one refused before anything is sent).
//!
//! It runs offline: a loopback stand-in (the `mock` feature's httpmock) answers like careCycle
//! would.
//!
//! ```sh
//! cargo run -p carecycle --features mock --example quickstart
//! ```
//!
//! Against the real service, build the client with `Client::from_env()` (it reads
//! `CARECYCLE_API_KEY`) and call [`run`] the same way.

use carecycle::httpmock::{Method, MockServer};
use carecycle::{Client, Error, RetryPolicy, types};
use serde_json::{Value, json};

/// The customer the quickstart works on.
pub const CUSTOMER_ID: &str = "87d8e330-2878-4742-a86f-dbbb3bf522ac";
/// The provider the stand-in creates.
pub const PROVIDER_ID: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

/// What the quickstart did.
#[derive(Debug)]
pub struct Outcome {
    /// The provider it created.
    pub provider_id: uuid::Uuid,
    /// The provider's specialty after the PATCH that cleared it.
    pub specialty_after_clear: Option<String>,
    /// The paths of the validation issues the service reported.
    pub rejected_paths: Vec<String>,
    /// How many leads the upload created.
    pub leads_uploaded: Option<i64>,
    /// The field the client refused in an upload, before sending it.
    pub refused_before_sending: String,
}

/// The consumer code: the calls any service could make.
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

    // 4. Upload leads: nested values are written as builders, in place. Every check (required
    //    fields, lengths, patterns, item counts) runs in `send()`, in nested values too.
    let lead = |phone: &str| {
        types::LeadRecord::builder()
            .phone_number(phone)
            .postal_code("30301")
    };
    let uploaded = client
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550100").first_name("Ann").custom_fields([
                    types::LeadCustomField::builder()
                        .field_key("utm_campaign")
                        .value("spring"),
                ]),
                lead("5555550101"),
            ])
        })
        .send()
        .await?
        .into_inner();
    println!("uploaded {:?} leads", uploaded.succeeded);

    // A record without its phone number is refused by the client, which names the field's
    // path; nothing is sent.
    let refused_before_sending = match client
        .upload_leads()
        .body_map(|b| {
            b.records([
                lead("5555550102"),
                types::LeadRecord::builder().postal_code("30301"),
            ])
        })
        .send()
        .await
    {
        Err(Error::InvalidRequest { argument, reason }) => {
            println!("refused before sending: {argument} {reason}");
            argument
        }
        other => {
            println!("unexpected: {other:?}");
            String::new()
        }
    };

    Ok(Outcome {
        provider_id: provider.id,
        specialty_after_clear: updated.specialty,
        rejected_paths,
        leads_uploaded: uploaded.succeeded,
        refused_before_sending,
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

/// A loopback stand-in that answers the quickstart's calls like careCycle: it creates a
/// provider, clears its specialty, refuses an email without `@`, and takes the two leads.
pub async fn fake_carecycle() -> MockServer {
    let server = MockServer::start_async().await;
    let providers = format!("/v2/customers/{CUSTOMER_ID}/providers");
    let provider_path = format!("{providers}/{PROVIDER_ID}");
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path(providers.as_str());
            then.status(201).json_body(provider(json!({})));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::PATCH)
                .path(provider_path.as_str())
                .body_includes("not-an-email");
            then.status(422).json_body(json!({
                "message": "Validation failed", "code": "VALIDATION_ERROR",
                "errors": [{"path": ["email"], "message": "Invalid email", "expected": "email",
                            "received": "string", "code": "invalid_string"}]
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::PATCH)
                .path(provider_path.as_str())
                .json_body(json!({"specialty": null, "isPrimaryProvider": true}));
            then.status(200).json_body(provider(
                json!({"specialty": null, "isPrimaryProvider": true}),
            ));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v2/leads/upload")
                .json_body(json!({"records": [
                    {"phoneNumber": "5555550100", "postalCode": "30301", "firstName": "Ann",
                     "customFields": [{"fieldKey": "utm_campaign", "value": "spring"}]},
                    {"phoneNumber": "5555550101", "postalCode": "30301"}
                ]}));
            then.status(201)
                .json_body(json!({"succeeded": 2, "failed": 0, "errors": []}));
        })
        .await;
    server
}

/// A provider as careCycle returns it, with `changes` applied.
fn provider(changes: Value) -> Value {
    let mut provider = json!({
        "id": PROVIDER_ID,
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": "2024-01-02T10:00:00Z",
        "customerId": CUSTOMER_ID,
        "providerType": "Specialist",
        "specialty": "Cardiology",
        "providerName": "Dr. Lee",
        "practiceName": null,
        "npi": null,
        "phone": null,
        "fax": null,
        "email": null,
        "address": null,
        "address2": null,
        "city": null,
        "state": null,
        "postalCode": null,
        "isPrimaryProvider": false,
        "isActive": true,
        "notes": null
    });
    if let Value::Object(changes) = changes {
        for (name, value) in changes {
            provider[name] = value;
        }
    }
    provider
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = fake_carecycle().await;
    println!("a careCycle stand-in listens on {}", server.base_url());
    let client = client_for(&server.base_url())?;
    let outcome = run(&client, CUSTOMER_ID).await?;
    println!("done: {outcome:?}");
    Ok(())
}
