use carecycle::{Client, Error, Pacing, RetryPolicy, types};
use harness::{Reply, TestServer};
use serde_json::json;

fn provider_json() -> serde_json::Value {
    json!({
        "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "createdAt": "2024-01-01", "updatedAt": null,
        "customerId": "87d8e330-2878-4742-a86f-dbbb3bf522ac", "providerType": "Primary Care",
        "specialty": null, "providerName": "Dr. Lee", "practiceName": null, "npi": null, "phone": null,
        "fax": null, "email": null, "address": null, "address2": null, "city": null, "state": null,
        "postalCode": null, "isPrimaryProvider": true, "isActive": true, "notes": null
    })
}

#[tokio::test]
async fn smoke() {
    let server = TestServer::scripted(vec![Reply::json(201, provider_json())]).await;
    let client = Client::builder().api_key("cc_test_key").base_url(server.url()).pacing(None).retry_policy(RetryPolicy::none()).build().unwrap();
    let provider = client
        .create_customer_provider()
        .id("87d8e330-2878-4742-a86f-dbbb3bf522ac")
        .body_map(|b| b.provider_type(types::ProviderType::PrimaryCare).provider_name("Dr. Lee"))
        .send()
        .await
        .unwrap();
    assert_eq!(provider.provider_name.as_deref(), Some("Dr. Lee"));
    let req = &server.requests()[0];
    println!("{req:?}");
    assert_eq!(req.json(), json!({"providerType": "Primary Care", "providerName": "Dr. Lee"}));
    let _ = (Error::invalid_request(String::new()), Pacing::default());
}
