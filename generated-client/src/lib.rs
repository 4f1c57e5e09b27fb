// The crate documentation is the README, so that both say the same and its examples compile.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod builds;
mod call;
mod check;
mod config;
mod de;
mod enums;
mod error;
// Laid out by the generator (prettyplease and `codegen/src/layout.rs`), not by rustfmt.
#[rustfmt::skip]
#[allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
mod generated;
mod hooks;
#[cfg(feature = "mock")]
mod mock_answer;
mod newtype;
mod pacer;
mod pages;
mod parameters;
mod patch;
mod personal;
mod redact;
mod response;
mod retry;
mod runtime;
mod tls;
mod untrusted;
pub mod webhooks;
mod wire;

pub use builds::Builds;
pub use config::{
    API_KEY_VAR, BASE_URL_VAR, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    USER_AGENT,
};
pub use error::{ApiError, Error, RawBody, TransportKind, ValidationIssue};
pub use generated::{Client, builder, types};
pub use hooks::{Attempt, AttemptObserver};
pub use pacer::Pacing;
pub use pages::{Page, Pages};
pub use patch::Patch;
pub use personal::Personal;
pub use response::{ResponseHeaders, ResponseValue};
pub use retry::RetryPolicy;
pub use untrusted::{
    ErrorCode, IssueCode, IssuePath, KNOWN_ISSUE_CODES, MAX_PRINTED_INDEX, PathSegment, ServiceText,
};

/// The [chrono](https://docs.rs/chrono) crate the generated types use for `date-time` fields
/// (`chrono::DateTime<chrono::Utc>`), so that callers name them without a version to match.
pub use chrono;
/// The [uuid](https://docs.rs/uuid) crate the generated types and path parameters use
/// (`uuid::Uuid`).
pub use uuid;

/// The [httpmock](https://docs.rs/httpmock) crate the [`mock`] helpers are built for, so that
/// consumers' tests use the same version (`carecycle::httpmock::MockServer`).
#[cfg(feature = "mock")]
#[doc(no_inline)]
pub use httpmock;

/// Typed [httpmock](https://docs.rs/httpmock) helpers for consumers' tests: one method per
/// operation on `httpmock::MockServer` (through [`mock::MockServerExt`]), with typed `when`
/// and `then` builders. Generated with the client by `cargo xtask codegen`.
#[cfg(feature = "mock")]
#[rustfmt::skip]
#[allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
#[path = "generated_mock.rs"]
pub mod mock;
