//! The one error type of the client.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::redact::MARKER;

/// Everything that can go wrong with a call, in kinds a consumer can `match` on.
///
/// The kind of an error response is decided by the body's `code` first and the HTTP status
/// second: the reference documents the codes, and the statuses are inferred.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent: which argument, and why.
    InvalidRequest { message: String },
    /// The client could not be built: which setting, and why. Never contains the API key.
    InvalidConfig { setting: &'static str, reason: String },
    /// The service could not read the request (400).
    BadRequest(ApiError),
    /// The API key is missing or not valid (`UNAUTHORIZED`, 401).
    Unauthorized(ApiError),
    /// The API key lacks a permission (`FORBIDDEN`, 403).
    Forbidden(ApiError),
    /// The resource does not exist (`NOT_FOUND`, 404).
    NotFound(ApiError),
    /// The body failed validation (`VALIDATION_ERROR`); every issue is listed.
    Validation { error: ApiError, issues: Vec<ValidationIssue> },
    /// The rate limit was hit (`RATE_LIMIT_EXCEEDED`, 429) and the wait it asks for is longer
    /// than the client's cap, or the retries are used up.
    RateLimited { error: ApiError, retry_after: Option<Duration> },
    /// The service failed (`INTERNAL_ERROR`, 5xx).
    Server(ApiError),
    /// An error status and code that the document does not describe.
    UnexpectedStatus(ApiError),
    /// The request did not complete: no connection, a timeout, a reset.
    Transport { kind: TransportKind, message: String },
    /// A success status with a body that does not decode. The raw body is kept; it is not
    /// printed, since it may hold personal data.
    UndecodableResponse {
        status: u16,
        request_id: Option<String>,
        reason: String,
        body: Vec<u8>,
    },
}

/// What an error response said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The body's `code`, when the body had one.
    pub code: Option<String>,
    /// The body's `message`, or the status's reason when the body had none.
    pub message: String,
    /// The `x-request-id` (or `request-id`) header, when the service sent one.
    pub request_id: Option<String>,
}

/// One issue of a validation error.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationIssue {
    /// Where the issue is: property names from the body's root.
    #[serde(default)]
    pub path: Vec<String>,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub expected: Option<String>,
    /// What the service received; it may echo a value that was sent, so Debug hides it.
    #[serde(default)]
    pub received: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

impl fmt::Debug for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidationIssue")
            .field("path", &self.path)
            .field("code", &self.code)
            .field("expected", &self.expected)
            .field("message", &MARKER)
            .field("received", &MARKER)
            .finish()
    }
}

/// Why a request did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made; the request was not sent.
    Connect,
    /// The connect or request timeout passed.
    Timeout,
    /// The connection failed while the request or response was under way.
    Interrupted,
}

impl Error {
    /// An argument was refused before sending (used by the generated builders).
    pub fn invalid_request(message: String) -> Error {
        // progenitor prints paths with spaces (`:: uuid :: Uuid`); tidy them for people.
        Error::InvalidRequest {
            message: message.replace(" :: ", "::").replace(":: ", "::"),
        }
    }

    /// The HTTP status, for errors that come from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UndecodableResponse { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The request id the service sent, for errors that come from a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::UndecodableResponse { request_id, .. } => request_id.as_deref(),
            other => other.api_error().and_then(|e| e.request_id.as_deref()),
        }
    }

    /// What the error response said, for errors that come from one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e)
            | Error::Validation { error: e, .. }
            | Error::RateLimited { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { message } => write!(f, "invalid request, nothing was sent: {message}"),
            Error::InvalidConfig { setting, reason } => write!(f, "invalid client setting `{setting}`: {reason}"),
            Error::BadRequest(e) => write!(f, "careCycle rejected the request ({e})"),
            Error::Unauthorized(e) => write!(f, "careCycle did not accept the API key ({e})"),
            Error::Forbidden(e) => write!(f, "the API key lacks a permission for this call ({e})"),
            Error::NotFound(e) => write!(f, "not found ({e})"),
            Error::Validation { error, issues } => {
                write!(f, "careCycle found {} validation issue(s) ({error})", issues.len())?;
                // Paths and codes only: messages may echo values that were sent.
                for issue in issues.iter().take(5) {
                    let path = if issue.path.is_empty() { "<body>".to_owned() } else { issue.path.join(".") };
                    write!(f, "; {path}: {}", issue.code.as_deref().unwrap_or("invalid"))?;
                }
                Ok(())
            }
            Error::RateLimited { error, retry_after } => {
                write!(f, "rate limited ({error})")?;
                if let Some(wait) = retry_after {
                    write!(f, "; the service asks to wait {} s", wait.as_secs())?;
                }
                Ok(())
            }
            Error::Server(e) => write!(f, "careCycle failed ({e})"),
            Error::UnexpectedStatus(e) => write!(f, "unexpected error response ({e})"),
            Error::Transport { kind, message } => {
                let what = match kind {
                    TransportKind::Connect => "could not connect to careCycle",
                    TransportKind::Timeout => "the request to careCycle timed out",
                    TransportKind::Interrupted => "the connection to careCycle failed",
                };
                write!(f, "{what}: {message}")
            }
            Error::UndecodableResponse { status, request_id, reason, body } => {
                write!(f, "the response (status {status}, {} bytes) does not decode: {reason}", body.len())?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<reqwest::Error> for Error {
    /// Errors from building or sending a request.
    fn from(error: reqwest::Error) -> Error {
        if error.is_builder() {
            // For example a value that refuses to serialise (an unknown enum value).
            return Error::InvalidRequest {
                message: chain(&error.without_url()),
            };
        }
        let kind = if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Interrupted
        };
        Error::Transport {
            kind,
            message: chain(&error.without_url()),
        }
    }
}

/// The error and its sources on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// The error body, read tolerantly: every field optional, unknown fields ignored.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorBody {
    pub message: Option<String>,
    pub code: Option<String>,
    #[serde(default)]
    pub errors: Vec<ValidationIssue>,
    pub retry_after: Option<f64>,
}

/// Decides the kind of an error response: the body's `code` first, the status second.
pub(crate) fn classify(status: u16, request_id: Option<String>, body: &[u8], retry_after_header: Option<Duration>) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let body = parsed.unwrap_or_default();
    let message = body.message.clone().unwrap_or_else(|| {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no reason given")
            .to_owned()
    });
    let error = ApiError {
        status,
        code: body.code.clone(),
        message,
        request_id,
    };
    let retry_after = body
        .retry_after
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .or(retry_after_header);
    match (body.code.as_deref(), status) {
        (Some("VALIDATION_ERROR"), _) | (None, 422) => Error::Validation { error, issues: body.errors },
        (Some("RATE_LIMIT_EXCEEDED"), _) | (None, 429) => Error::RateLimited { error, retry_after },
        (Some("UNAUTHORIZED"), _) | (None, 401) => Error::Unauthorized(error),
        (Some("FORBIDDEN"), _) | (None, 403) => Error::Forbidden(error),
        (Some("NOT_FOUND"), _) | (None, 404) => Error::NotFound(error),
        (Some("INTERNAL_ERROR"), _) => Error::Server(error),
        (_, 400) => Error::BadRequest(error),
        (_, 401) => Error::Unauthorized(error),
        (_, 403) => Error::Forbidden(error),
        (_, 404) => Error::NotFound(error),
        (_, 422) => Error::Validation { error, issues: body.errors },
        (_, 429) => Error::RateLimited { error, retry_after },
        (_, 500..=599) => Error::Server(error),
        _ => Error::UnexpectedStatus(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str) -> Error {
        classify(status, Some("req-1".into()), body.as_bytes(), None)
    }

    #[test]
    fn the_body_code_decides_before_the_status() {
        assert!(matches!(kind(400, r#"{"message":"m","code":"NOT_FOUND"}"#), Error::NotFound(_)));
        assert!(matches!(kind(400, r#"{"message":"m","code":"VALIDATION_ERROR","errors":[]}"#), Error::Validation { .. }));
        assert!(matches!(kind(500, r#"{"message":"m","code":"UNAUTHORIZED"}"#), Error::Unauthorized(_)));
    }

    #[test]
    fn the_status_decides_when_the_body_has_no_code() {
        assert!(matches!(kind(401, ""), Error::Unauthorized(_)));
        assert!(matches!(kind(502, "<html>Bad gateway</html>"), Error::Server(_)));
        assert!(matches!(kind(409, "{}"), Error::UnexpectedStatus(_)));
        assert!(matches!(kind(400, r#"{"message":"m","code":"SOMETHING_NEW"}"#), Error::BadRequest(_)));
    }

    #[test]
    fn rate_limit_waits_come_from_the_body_or_the_header() {
        let Error::RateLimited { retry_after, .. } = kind(429, r#"{"message":"m","code":"RATE_LIMIT_EXCEEDED","retryAfter":60}"#) else {
            panic!("not rate limited")
        };
        assert_eq!(retry_after, Some(Duration::from_secs(60)));
        let Error::RateLimited { retry_after, .. } = classify(429, None, b"", Some(Duration::from_secs(7))) else {
            panic!("not rate limited")
        };
        assert_eq!(retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn display_is_one_line_with_status_code_and_request_id_and_no_issue_messages() {
        let error = kind(
            422,
            r#"{"message":"Validation failed","code":"VALIDATION_ERROR","errors":[{"path":["ssn"],"message":"received 123-45-6789","expected":"string","received":"123-45-6789","code":"too_big"}]}"#,
        );
        let text = error.to_string();
        assert_eq!(
            text,
            "careCycle found 1 validation issue(s) (status 422 VALIDATION_ERROR: Validation failed (request id req-1)); ssn: too_big"
        );
        assert!(!format!("{error:?}").contains("123-45-6789"));
        assert_eq!(error.status(), Some(422));
        assert_eq!(error.request_id(), Some("req-1"));
    }
}
