//! The two calls the fault and limit tests make, one that may be retried and one that may not.

use carecycle::{Client, Error, types};
use harness::Reply;
use harness::fixtures::{self, CUSTOMER_ID, PROVIDER_ID};

/// A PATCH: retried on transient failures.
pub async fn patch_provider(client: &Client) -> Result<types::Provider, Error> {
    client
        .update_customer_provider()
        .id(CUSTOMER_ID)
        .provider_id(PROVIDER_ID)
        .body_map(|b| b.specialty("Cardiology"))
        .send()
        .await
        .map(|r| r.into_inner())
}

/// A POST: never sent twice when the service may have processed it.
pub async fn create_provider(client: &Client) -> Result<types::Provider, Error> {
    client
        .create_customer_provider()
        .id(CUSTOMER_ID)
        .body_map(|b| b.provider_type(types::ProviderType::PrimaryCare))
        .send()
        .await
        .map(|r| r.into_inner())
}

pub fn ok() -> Reply {
    Reply::json(200, fixtures::provider())
}
