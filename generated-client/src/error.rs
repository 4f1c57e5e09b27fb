//! The one error type of the client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::retry::{Asked, asked_seconds};
use crate::untrusted::{ErrorCode, IssueCode, IssuePath, ServiceText};

/// Everything that can go wrong with a call, in kinds a consumer can `match` on.
///
/// The kind of an error response is decided by the body's `code` first and the HTTP status
/// second: the reference documents the codes, and the statuses are inferred. Every error that
/// comes from a response carries its status and request id ([`status`](Error::status),
/// [`request_id`](Error::request_id)). `Display` is one line.
///
/// What the service sends is untrusted: it may echo the API key or a patient's data in any
/// field. `Display` and `Debug` print only what the client recognised (the status, a
/// documented [`ErrorCode`], a request id that looks like one, issue paths made of the
/// document's field names, known [`IssueCode`]s); every other text the service sent is a
/// [`ServiceText`] that prints as its length, readable through
/// [`ServiceText::expose`](crate::ServiceText::expose).
///
/// ```
/// # async fn demo(client: &carecycle::Client) {
/// use carecycle::Error;
///
/// let id = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
/// match client.update_customer().id(id).body_map(|b| b.email("x")).send().await {
///     Ok(customer) => println!("updated {:?}", customer.id),
///     Err(Error::Validation { issues, .. }) => {
///         for issue in &issues {
///             // The path and a known code print; the message is the service's own text.
///             println!("{}: {:?}", issue.path, issue.code);
///         }
///     }
///     Err(Error::RateLimited { retry_after, .. }) => println!("try again in {retry_after:?}"),
///     Err(Error::InvalidRequest { argument, reason }) => println!("nothing sent: {argument} {reason}"),
///     Err(other) => println!("{other} (request id {:?})", other.request_id()),
/// }
/// # }
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent: a required argument is missing, a
    /// value is too long, not a uuid, or not a documented enum value.
    InvalidRequest {
        /// Which argument: a path parameter (`id`) or a body field by its path in the
        /// document's names (`body.email`, `body.records[2].firstName`).
        argument: String,
        /// Why it was refused, without the value.
        reason: String,
    },
    /// The client could not be built: which setting, and why. Never contains the API key.
    InvalidConfig {
        /// The [`ClientBuilder`](crate::ClientBuilder) setting, such as `api_key` or `base_url`.
        setting: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The service could not read the request (400 without a more specific code).
    BadRequest(ApiError),
    /// The API key is missing or not valid (`UNAUTHORIZED`, 401).
    Unauthorized(ApiError),
    /// The API key lacks a permission (`FORBIDDEN`, 403).
    Forbidden(ApiError),
    /// The resource does not exist (`NOT_FOUND`, 404).
    NotFound(ApiError),
    /// The body failed validation (`VALIDATION_ERROR`, 422 or 400); every issue is listed.
    Validation {
        /// The status, code, message and request id.
        error: ApiError,
        /// Every issue the service found.
        issues: Vec<ValidationIssue>,
    },
    /// The rate limit was hit (`RATE_LIMIT_EXCEEDED`, 429) and the wait it asks for is longer
    /// than [`RetryPolicy::max_rate_limit_wait`](crate::RetryPolicy::max_rate_limit_wait), or
    /// the retries are used up.
    RateLimited {
        /// The status, code, message and request id.
        error: ApiError,
        /// How long the service asked to wait (body `retryAfter`, else `Retry-After`); `None`
        /// when it named no usable wait. Like any text, a number the service sent may be a
        /// value it echoed, so `Display` and `Debug` say whether there is a wait, not how long.
        retry_after: Option<Duration>,
    },
    /// The service failed (`INTERNAL_ERROR`, 5xx).
    Server(ApiError),
    /// An error status and code that the document does not describe (a 409 or a redirect).
    UnexpectedStatus(ApiError),
    /// The request did not complete: no connection, a refused TLS handshake, a timeout, a
    /// reset.
    Transport {
        /// What failed.
        kind: TransportKind,
        /// The cause, as the HTTP library tells it (without the URL).
        message: String,
        /// The HTTP library's error (a `reqwest::Error` without the URL), also returned by
        /// [`source`](std::error::Error::source) to walk the causes or downcast them.
        source: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The response body is larger than
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes): the
    /// client stopped reading it and dropped the connection. Whatever the request did has
    /// happened; it is not sent again.
    ResponseTooLarge {
        /// The HTTP status.
        status: u16,
        /// The `x-request-id` (or `request-id`) header, when the service sent one.
        request_id: Option<String>,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A success status with a body that does not decode. The raw body is kept for the caller;
    /// it is never printed, since it may hold personal data.
    UndecodableResponse {
        /// The HTTP status.
        status: u16,
        /// The `x-request-id` (or `request-id`) header, when the service sent one.
        request_id: Option<String>,
        /// Where and what kind of mismatch (a JSON path and a category, or the byte at which a
        /// text body stops being UTF-8; never a value).
        reason: String,
        /// The body as received (`Debug` shows its length only).
        body: RawBody,
    },
}

/// What an error response said. Unknown fields of the body are not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The body's `code`, when the body had one.
    pub code: Option<ErrorCode>,
    /// The body's `message`, when it had one (untrusted: it prints as its length).
    pub message: Option<ServiceText>,
    /// The `x-request-id` (or `request-id`) header, when it looks like an id (16 to 128
    /// letters, digits and `-_.:`, with letters and digits, and nothing of the API key).
    pub request_id: Option<String>,
}

/// One issue of a validation error. The service may echo what was sent in any of its fields,
/// so only the path's field names and indexes and a known code print; the rest are
/// [`ServiceText`]s (`issue.received.as_ref().map(ServiceText::expose)` reads one).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ValidationIssue {
    /// Where the issue is: field names (and array indexes) from the body's root.
    pub path: IssuePath,
    /// What is wrong, for people.
    pub message: Option<ServiceText>,
    /// The type or value the service expected.
    pub expected: Option<ServiceText>,
    /// The type or value the service received.
    pub received: Option<ServiceText>,
    /// The kind of issue, for programs (`invalid_type`, `too_big`, ...).
    pub code: Option<IssueCode>,
}

/// Why a request did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made; the request was not sent.
    Connect,
    /// The TLS handshake failed: the server's certificate is not trusted (unknown issuer, wrong
    /// name, expired) or there is no protocol in common; the request was not sent. Not retried:
    /// every attempt would meet the same server. Told apart from
    /// [`Connect`](TransportKind::Connect) by the TLS library's error type: with rustls
    /// (`rustls`, `rustls-ring`) and with `native-tls` on OpenSSL; on Secure Transport and
    /// SChannel such a failure is a `Connect`.
    Tls,
    /// The connect or request timeout passed.
    Timeout,
    /// The connection failed while the request or response was under way.
    Interrupted,
}

impl TransportKind {
    pub(crate) fn of(error: &reqwest::Error) -> TransportKind {
        if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() && crate::tls::refused_handshake(error) {
            TransportKind::Tls
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Interrupted
        }
    }
}

impl Error {
    /// Whether the same call may succeed when made again later: a 429, 408, 502, 503 or 504,
    /// or a transport failure other than a refused TLS handshake
    /// ([`TransportKind::Tls`]). The client has already retried it as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows. A create (POST) that timed out or was
    /// interrupted may have been processed: look before sending it again.
    pub fn is_retryable(&self) -> bool {
        use crate::retry::{Decision, Outcome, decide};
        match self {
            Error::Transport { kind, .. } => *kind != TransportKind::Tls,
            other => other
                .status()
                .is_some_and(|status| decide(Outcome::Status(status), false) != Decision::Stop),
        }
    }

    /// An argument was refused before sending. The generated operation builders call this
    /// with progenitor's messages about parameters; it finds the argument and the reason.
    #[doc(hidden)]
    pub fn invalid_request(message: String) -> Error {
        let (argument, reason) = argument_and_reason(&tidy(&message));
        Error::InvalidRequest { argument, reason }
    }

    /// The HTTP status, for errors that come from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UndecodableResponse { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The request id the service sent, for errors that come from a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::UndecodableResponse { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
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

/// progenitor prints paths with spaces (`:: uuid :: Uuid`); tidy them for people.
fn tidy(message: &str) -> String {
    message
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
}

/// Splits the operation builders' messages about their parameters into the argument and the
/// reason (a body's refusals are made with their path by `check::request_body`):
///
/// - `id was not initialized` (a path parameter that was not set)
/// - ``conversion to `::uuid::Uuid` for id failed`` (a path parameter that does not convert)
fn argument_and_reason(message: &str) -> (String, String) {
    const REQUIRED: &str = "is required and was not set";
    if let Some(argument) = message.strip_suffix(" was not initialized") {
        return (argument.to_owned(), REQUIRED.to_owned());
    }
    if let Some((ty, rest)) = message
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.split_once("` for "))
    {
        let (argument, inner) = match rest.split_once(" failed") {
            Some((argument, inner)) => (argument, inner.trim_start_matches(": ")),
            None => (rest, ""),
        };
        if inner.is_empty() {
            let reason = if ty.ends_with("Uuid") {
                "is not a valid uuid".to_owned()
            } else if ty.contains("DateTime") {
                "is not a valid date and time".to_owned()
            } else {
                format!("does not convert to `{ty}`")
            };
            return (argument.to_owned(), reason);
        }
        return (argument.to_owned(), inner.to_owned());
    }
    ("request".to_owned(), message.to_owned())
}

/// A response body kept in an error, for the caller to inspect. It may hold personal data, so
/// its `Debug` shows the length only.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(pub Vec<u8>);

impl std::ops::Deref for RawBody {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ", message {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// `retry_after` as `Debug` prints it: whether there is a wait, not its length (a number the
/// service sent may be a value it echoed).
struct PrintedWait(Option<Duration>);

impl fmt::Debug for PrintedWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(<redacted>)"),
            None => f.write_str("None"),
        }
    }
}

// By hand for `retry_after` alone; every other field prints through its own safe `Debug`.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { argument, reason } => f
                .debug_struct("InvalidRequest")
                .field("argument", argument)
                .field("reason", reason)
                .finish(),
            Error::InvalidConfig { setting, reason } => f
                .debug_struct("InvalidConfig")
                .field("setting", setting)
                .field("reason", reason)
                .finish(),
            Error::BadRequest(e) => f.debug_tuple("BadRequest").field(e).finish(),
            Error::Unauthorized(e) => f.debug_tuple("Unauthorized").field(e).finish(),
            Error::Forbidden(e) => f.debug_tuple("Forbidden").field(e).finish(),
            Error::NotFound(e) => f.debug_tuple("NotFound").field(e).finish(),
            Error::Validation { error, issues } => f
                .debug_struct("Validation")
                .field("error", error)
                .field("issues", issues)
                .finish(),
            Error::RateLimited { error, retry_after } => f
                .debug_struct("RateLimited")
                .field("error", error)
                .field("retry_after", &PrintedWait(*retry_after))
                .finish(),
            Error::Server(e) => f.debug_tuple("Server").field(e).finish(),
            Error::UnexpectedStatus(e) => f.debug_tuple("UnexpectedStatus").field(e).finish(),
            Error::Transport { kind, message, .. } => f
                .debug_struct("Transport")
                .field("kind", kind)
                .field("message", message)
                .finish(),
            Error::ResponseTooLarge {
                status,
                request_id,
                limit,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("status", status)
                .field("request_id", request_id)
                .field("limit", limit)
                .finish(),
            Error::UndecodableResponse {
                status,
                request_id,
                reason,
                body,
            } => f
                .debug_struct("UndecodableResponse")
                .field("status", status)
                .field("request_id", request_id)
                .field("reason", reason)
                .field("body", body)
                .finish(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { argument, reason } => {
                write!(
                    f,
                    "invalid request, nothing was sent: `{argument}`: {reason}"
                )
            }
            Error::InvalidConfig { setting, reason } => {
                write!(f, "invalid client setting `{setting}`: {reason}")
            }
            Error::BadRequest(e) => write!(f, "careCycle rejected the request ({e})"),
            Error::Unauthorized(e) => write!(f, "careCycle did not accept the API key ({e})"),
            Error::Forbidden(e) => write!(f, "the API key lacks a permission for this call ({e})"),
            Error::NotFound(e) => write!(f, "not found ({e})"),
            Error::Validation { error, issues } => {
                write!(
                    f,
                    "careCycle found {} validation issue(s) ({error})",
                    issues.len()
                )?;
                // Paths and codes only: messages may echo values that were sent.
                for issue in issues.iter().take(5) {
                    write!(f, "; {}", issue.path)?;
                    match &issue.code {
                        Some(code) => write!(f, ": {code}")?,
                        None => f.write_str(": invalid")?,
                    }
                }
                if issues.len() > 5 {
                    write!(f, "; and {} more", issues.len() - 5)?;
                }
                Ok(())
            }
            Error::RateLimited { error, retry_after } => {
                write!(f, "rate limited ({error})")?;
                if retry_after.is_some() {
                    f.write_str("; the service asked for a wait (`retry_after`)")?;
                }
                Ok(())
            }
            Error::Server(e) => write!(f, "careCycle failed ({e})"),
            Error::UnexpectedStatus(e) => write!(f, "unexpected response ({e})"),
            Error::Transport { kind, message, .. } => {
                let what = match kind {
                    TransportKind::Connect => "could not connect to careCycle",
                    TransportKind::Tls => "could not establish a secure connection to careCycle",
                    TransportKind::Timeout => "the request to careCycle timed out",
                    TransportKind::Interrupted => "the connection to careCycle failed",
                };
                write!(f, "{what}: {message}")
            }
            Error::ResponseTooLarge {
                status,
                request_id,
                limit,
            } => {
                write!(
                    f,
                    "the response (status {status}) is larger than the client reads ({limit} bytes, \
                     ClientBuilder::max_response_bytes); reading stopped"
                )?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            Error::UndecodableResponse {
                status,
                request_id,
                reason,
                body,
            } => {
                write!(
                    f,
                    "the response (status {status}, {} bytes) does not decode: {reason}",
                    body.len()
                )?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    /// Errors from building or sending a request.
    fn from(error: reqwest::Error) -> Error {
        if error.is_builder() {
            // For example a value that refuses to serialise (an unknown enum value).
            // reqwest says "builder error"; the cause says what is wrong.
            let error = error.without_url();
            let reason = std::error::Error::source(&error).map_or_else(|| chain(&error), chain);
            return Error::InvalidRequest {
                argument: "body".to_owned(),
                reason,
            };
        }
        let error = error.without_url();
        Error::Transport {
            kind: TransportKind::of(&error),
            message: chain(&error),
            source: Arc::new(error),
        }
    }
}

/// The error and its sources on one line.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
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
    one_line(&out)
}

/// Control characters (new lines) become spaces, so that `Display` stays one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The error body, read tolerantly: every field is optional, a field of an unexpected type
/// is ignored rather than failing the whole body, and unknown fields are ignored.
struct ErrorBody {
    message: Option<ServiceText>,
    code: Option<ErrorCode>,
    errors: Vec<ValidationIssue>,
    retry_after: Asked,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> ErrorBody {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
            return ErrorBody {
                message: None,
                code: None,
                errors: Vec::new(),
                retry_after: Asked::Nothing,
            };
        };
        let string = |key: &str| object.get(key).and_then(scalar);
        ErrorBody {
            message: string("message").map(ServiceText::new),
            code: string("code").map(|code| ErrorCode::parse(&code)),
            errors: object
                .get("errors")
                .and_then(Value::as_array)
                .map(|issues| issues.iter().filter_map(issue).collect())
                .unwrap_or_default(),
            retry_after: object.get("retryAfter").map_or(Asked::Nothing, seconds),
        }
    }
}

/// A string, number or boolean as text; anything else is left out.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn issue(value: &Value) -> Option<ValidationIssue> {
    let object = value.as_object()?;
    let text = |key: &str| object.get(key).and_then(scalar).map(ServiceText::new);
    Some(ValidationIssue {
        path: IssuePath::parse(object.get("path")),
        message: text("message"),
        expected: text("expected"),
        received: text("received"),
        code: object
            .get("code")
            .and_then(scalar)
            .map(|code| IssueCode::parse(&code)),
    })
}

/// Seconds as a number or a numeric string (`null` names no wait); anything else, negative or
/// too large a number included, is no usable wait.
fn seconds(value: &Value) -> Asked {
    let seconds = match value {
        Value::Null => return Asked::Nothing,
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    seconds.map_or(Asked::Unusable, asked_seconds)
}

/// Decides the kind of an error response: the body's `code` first, the status second.
pub(crate) fn classify(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
    retry_after_header: Asked,
) -> Error {
    let body = ErrorBody::parse(body);
    let code = body.code.as_ref().and_then(ErrorCode::as_documented);
    let error = ApiError {
        status,
        code: body.code,
        message: body.message,
        request_id,
    };
    let retry_after = body.retry_after.or(retry_after_header).duration();
    match (code, status) {
        (Some("VALIDATION_ERROR"), _) => Error::Validation {
            error,
            issues: body.errors,
        },
        (Some("RATE_LIMIT_EXCEEDED"), _) => Error::RateLimited { error, retry_after },
        (Some("UNAUTHORIZED"), _) => Error::Unauthorized(error),
        (Some("FORBIDDEN"), _) => Error::Forbidden(error),
        (Some("NOT_FOUND"), _) => Error::NotFound(error),
        (Some("INTERNAL_ERROR"), _) => Error::Server(error),
        (_, 400) => Error::BadRequest(error),
        (_, 401) => Error::Unauthorized(error),
        (_, 403) => Error::Forbidden(error),
        (_, 404) => Error::NotFound(error),
        (_, 422) => Error::Validation {
            error,
            issues: body.errors,
        },
        (_, 429) => Error::RateLimited { error, retry_after },
        (_, 500..=599) => Error::Server(error),
        _ => Error::UnexpectedStatus(error),
    }
}

/// The wait an error response asks for: the body's `retryAfter`, else the `Retry-After`
/// header.
pub(crate) fn asked_wait(body: &[u8], retry_after_header: Asked) -> Asked {
    ErrorBody::parse(body).retry_after.or(retry_after_header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str) -> Error {
        classify(
            status,
            Some("req_7f3a9c2e4b1d8f60".into()),
            body.as_bytes(),
            Asked::Nothing,
        )
    }

    #[test]
    fn the_body_code_decides_before_the_status() {
        assert!(matches!(
            kind(400, r#"{"message":"m","code":"NOT_FOUND"}"#),
            Error::NotFound(_)
        ));
        assert!(matches!(
            kind(
                400,
                r#"{"message":"m","code":"VALIDATION_ERROR","errors":[]}"#
            ),
            Error::Validation { .. }
        ));
        assert!(matches!(
            kind(500, r#"{"message":"m","code":"UNAUTHORIZED"}"#),
            Error::Unauthorized(_)
        ));
        assert!(matches!(
            kind(400, r#"{"message":"m","code":"RATE_LIMIT_EXCEEDED"}"#),
            Error::RateLimited { .. }
        ));
    }

    #[test]
    fn the_status_decides_when_the_body_has_no_known_code() {
        assert!(matches!(kind(401, ""), Error::Unauthorized(_)));
        assert!(matches!(
            kind(502, "<html>Bad gateway</html>"),
            Error::Server(_)
        ));
        assert!(matches!(kind(409, "{}"), Error::UnexpectedStatus(_)));
        assert!(matches!(
            kind(400, r#"{"message":"m","code":"SOMETHING_NEW"}"#),
            Error::BadRequest(_)
        ));
        assert!(matches!(kind(422, "[]"), Error::Validation { .. }));
    }

    #[test]
    fn a_field_of_an_unexpected_type_does_not_lose_the_rest_of_the_body() {
        let body = r#"{"message":"Validation failed","code":"VALIDATION_ERROR","extra":{"a":1},
            "errors":[{"path":["multiSelectValue",0],"message":"Too long","expected":"string","received":5,"code":"too_big"},
                      "not an issue"]}"#;
        let Error::Validation { issues, error } = kind(400, body) else {
            panic!("not a validation error")
        };
        assert_eq!(error.code, Some(ErrorCode::ValidationError));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].path.to_string(), "multiSelectValue.0");
        assert_eq!(
            issues[0].received.as_ref().map(ServiceText::expose),
            Some("5")
        );
        assert_eq!(issues[0].code, Some(IssueCode::Known("too_big")));
    }

    #[test]
    fn rate_limit_waits_come_from_the_body_or_the_header() {
        let Error::RateLimited { retry_after, .. } = kind(
            429,
            r#"{"message":"m","code":"RATE_LIMIT_EXCEEDED","retryAfter":60}"#,
        ) else {
            panic!("not rate limited")
        };
        assert_eq!(retry_after, Some(Duration::from_secs(60)));
        let Error::RateLimited { retry_after, .. } =
            classify(429, None, b"", Asked::Wait(Duration::from_secs(7)))
        else {
            panic!("not rate limited")
        };
        assert_eq!(retry_after, Some(Duration::from_secs(7)));
        let header = Asked::Wait(Duration::from_secs(1));
        assert_eq!(asked_wait(br#"{"retryAfter":-3}"#, header), Asked::Unusable);
        assert_eq!(
            asked_wait(br#"{"retryAfter":"2"}"#, Asked::Nothing),
            Asked::Wait(Duration::from_secs(2))
        );
        assert_eq!(
            asked_wait(br#"{"retryAfter":1e300}"#, header),
            Asked::Unusable,
            "an absurd wait in the body is not replaced by the header's"
        );
        assert_eq!(asked_wait(br#"{"retryAfter":null}"#, header), header);
        assert_eq!(asked_wait(br#"{"retryAfter":{}}"#, header), Asked::Unusable);
        assert_eq!(asked_wait(b"not json", header), header);
    }

    #[test]
    fn display_is_one_line_with_status_code_and_request_id_and_no_issue_messages() {
        let error = kind(
            422,
            r#"{"message":"Validation\nfailed","code":"VALIDATION_ERROR","errors":[{"path":["ssn"],"message":"received 123-45-6789","expected":"string","received":"123-45-6789","code":"too_big"}]}"#,
        );
        let text = error.to_string();
        assert_eq!(
            text,
            "careCycle found 1 validation issue(s) (status 422 VALIDATION_ERROR, message <redacted: 17 bytes> (request id req_7f3a9c2e4b1d8f60)); ssn: too_big"
        );
        assert!(!format!("{error:?}").contains("123-45-6789"));
        assert_eq!(error.status(), Some(422));
        assert_eq!(error.request_id(), Some("req_7f3a9c2e4b1d8f60"));
    }

    #[test]
    fn builder_messages_name_the_argument_and_the_reason() {
        let cases = [
            (
                "id was not initialized",
                "id",
                "is required and was not set",
            ),
            (
                "conversion to `:: uuid :: Uuid` for provider_id failed",
                "provider_id",
                "is not a valid uuid",
            ),
            (
                "conversion to `:: chrono :: DateTime < :: chrono :: offset :: Utc >` for end_date failed",
                "end_date",
                "is not a valid date and time",
            ),
            (
                "conversion to `:: std :: num :: NonZeroU64` for limit failed",
                "limit",
                "does not convert to `::std::num::NonZeroU64`",
            ),
            ("something else", "request", "something else"),
        ];
        for (message, argument, reason) in cases {
            let Error::InvalidRequest {
                argument: a,
                reason: r,
            } = Error::invalid_request(message.into())
            else {
                panic!("not an invalid request")
            };
            assert_eq!((a.as_str(), r.as_str()), (argument, reason), "{message}");
        }
    }

    #[test]
    fn every_text_the_service_sent_prints_as_its_length_and_stays_readable_by_expose() {
        let body = r#"{"message":"unknown key cc_live_secret","code":"Quintessa",
            "errors":[{"path":["ssn","123456789"],"message":"bad 123-45-6789","expected":"Al",
                       "received":123456789,"code":"CC_LIVE_SECRET"}],"retryAfter":123456789}"#;
        let error = kind(401, body);
        let Error::Unauthorized(api) = &error else {
            panic!("{error:?}")
        };
        let shown = format!("{error} {error:?}");
        for echoed in [
            "cc_live_secret",
            "CC_LIVE_SECRET",
            "Quintessa",
            "123-45-6789",
            "123456789",
        ] {
            assert!(!shown.contains(echoed), "{echoed}: {shown}");
        }
        assert_eq!(
            api.message.as_ref().map(ServiceText::expose),
            Some("unknown key cc_live_secret")
        );
        let error = kind(
            429,
            r#"{"code":"RATE_LIMIT_EXCEEDED","retryAfter":123456789}"#,
        );
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("123456789"), "{shown}");
        assert!(shown.contains("retry_after: Some(<redacted>)"), "{shown}");
        let error = Error::UndecodableResponse {
            status: 200,
            request_id: None,
            reason: "r".into(),
            body: RawBody(br#"{"ssn":"123-45-6789"}"#.to_vec()),
        };
        assert!(format!("{error:?}").contains("<21 bytes>"), "{error:?}");
    }
}
