//! Typed Rust client for the [careCycle API](https://docs.carecycle.ai/api-reference/overview):
//! customers, their providers, dependents and custom fields.
//!
//! The client is generated from the curated OpenAPI document (`openapi/carecycle.yaml`) by
//! `cargo xtask codegen`; this crate adds what a production service needs around it:
//!
//! - **Auth**: the API key travels in the `x-api-key` header and is printed nowhere.
//! - **Typed errors**: one [`Error`] to `match` on, decided by the body's `code` first.
//! - **PATCH that can clear**: [`Patch<T>`] fields, `.field(v)` and `.clear_field()` setters.
//! - **Strict requests, tolerant responses**: limits, enums and uuids are checked before
//!   sending; responses decode with unknown enum values (`Unrecognized(String)`), unknown fields
//!   and over-long strings.
//! - **Retries and pacing**: 429s wait for `retryAfter`; transient failures back off; a POST
//!   that may have been processed is never sent twice; a shared pacer keeps a bulk job under
//!   60 requests a minute.
//! - **Redaction**: personal fields print `<redacted>` in `Debug`; `tracing` spans carry the
//!   operation, method, status, attempt and latency, never bodies.
//!
//! # Quickstart
//!
//! ```no_run
//! use carecycle::{Client, Error, types};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::from_env()?; // CARECYCLE_API_KEY, optional CARECYCLE_BASE_URL
//! let customer_id = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
//!
//! // Create a provider: required fields are checked before anything is sent.
//! let provider = client
//!     .create_customer_provider()
//!     .id(customer_id)
//!     .body_map(|b| b.provider_type(types::ProviderType::PrimaryCare).provider_name("Dr. Lee"))
//!     .send()
//!     .await?
//!     .into_inner();
//!
//! // Clear a field with PATCH: `.clear_notes()` sends `"notes": null`.
//! client
//!     .update_customer_provider()
//!     .id(customer_id)
//!     .provider_id(provider.id)
//!     .body_map(|b| b.specialty("Cardiology").clear_notes())
//!     .send()
//!     .await?;
//!
//! // Handle a validation error.
//! match client.update_customer().id(customer_id).body_map(|b| b.email("x")).send().await {
//!     Err(Error::Validation { issues, .. }) => {
//!         for issue in issues {
//!             eprintln!("{}: {:?}", issue.path.join("."), issue.code);
//!         }
//!     }
//!     other => { other?; }
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod config;
mod error;
#[allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
mod generated;
mod pacer;
mod patch;
#[doc(hidden)]
pub mod redact;
mod retry;
#[doc(hidden)]
pub mod runtime;

pub use config::{API_KEY_VAR, BASE_URL_VAR, ClientBuilder, DEFAULT_BASE_URL, USER_AGENT};
pub use error::{ApiError, Error, TransportKind, ValidationIssue};
pub use generated::{Client, ResponseValue, builder, types};
pub use pacer::Pacing;
pub use patch::Patch;
pub use retry::RetryPolicy;

/// The [httpmock](https://docs.rs/httpmock) crate the [`mock`] helpers are built for, so that
/// consumers' tests use the same version (`carecycle::httpmock::MockServer`).
#[cfg(feature = "mock")]
#[doc(no_inline)]
pub use httpmock;

/// Typed [httpmock](https://docs.rs/httpmock) helpers for consumers' tests: one method per
/// operation on `httpmock::MockServer` (through [`mock::MockServerExt`]), with typed `when`
/// and `then` builders. Generated with the client by `cargo xtask codegen`.
#[cfg(feature = "mock")]
#[allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
#[path = "generated_mock.rs"]
pub mod mock;
