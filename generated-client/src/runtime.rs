//! Sends requests and reads responses for the generated builders.
//!
//! progenitor builds each request; the `runtime_send` pass of codegen makes every builder's
//! `send()` end in [`send_json`] or [`send_empty`]. Here the request is authenticated, paced,
//! retried as the [`RetryPolicy`] allows, traced, and its response turned into a value or an
//! [`Error`].

use std::sync::Arc;
use std::time::Instant;

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::Client;
pub use crate::call::CallOptions;
use crate::error::{Error, RawBody, asked_wait, classify};
use crate::pacer::Pacer;
use crate::redact::ApiKey;
use crate::retry::{Asked, Decision, Outcome, RetryPolicy, asked_by_header, decide};

/// The state every clone of a [`Client`] carries: the key, the retry policy, the pacer
/// (shared by all clones) and the largest response body it reads.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) api_key: ApiKey,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Option<Arc<Pacer>>,
    pub(crate) max_response_bytes: u64,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .field("pacing", &self.pacer.as_ref().map(|_| "on"))
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// A response read to the end.
struct Reply {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// Why an attempt has no response to return.
enum Failed {
    /// The request or the response did not complete.
    Transport(reqwest::Error),
    /// The response body is larger than the client reads; reading stopped.
    TooLarge {
        status: u16,
        request_id: Option<String>,
    },
}

/// Sends the request; decodes a success (any 2xx) body as `T`. Every other status becomes
/// its [`Error`].
pub async fn send_json<T: DeserializeOwned>(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    options: CallOptions,
) -> Result<ResponseValue<T>, Error> {
    let sent = sent_body(&request);
    let reply = execute(client, request, info, options).await?;
    check_status(client, &reply, &sent)?;
    match decode(&reply.body) {
        Ok(value) => Ok(ResponseValue::new(value, reply.status, reply.headers)),
        Err((path, e)) => Err(undecodable(reply, &path, &e)),
    }
}

/// The body as `T`, or where it went wrong. Bytes after the JSON value are an error too.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, serde_json::Error)> {
    // The fast path; only a body that fails is decoded again to find the path of the failure.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut decoder = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize::<_, T>(&mut decoder)
        .map_err(|e| (e.path().to_string(), e.into_inner()))?;
    decoder.end().map_err(|e| (String::new(), e))?;
    Ok(value)
}

/// Sends the request; expects a success without a body.
pub async fn send_empty(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    options: CallOptions,
) -> Result<ResponseValue<()>, Error> {
    let sent = sent_body(&request);
    let reply = execute(client, request, info, options).await?;
    check_status(client, &reply, &sent)?;
    Ok(ResponseValue::new((), reply.status, reply.headers))
}

/// Serialising an enum's `Unrecognized` variant fails, so a request carrying one is refused
/// before it is sent (used by the generated enums).
pub fn refuse_unknown_value<S: serde::Serializer>(
    _value: &str,
    _serializer: S,
) -> Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom(
        "a field holds an enum value this crate does not know (`Unrecognized`); requests take documented values only",
    ))
}

/// A 2xx status passes (the creates are documented with 200 and 201, and the reference
/// prints no statuses); anything else becomes its error.
fn check_status(client: &Client, reply: &Reply, sent: &[u8]) -> Result<(), Error> {
    if reply.status.is_success() {
        return Ok(());
    }
    let error = classify(
        reply.status.as_u16(),
        request_id(&reply.headers),
        &reply.body,
        retry_after_header(&reply.headers),
    );
    // The service may echo the key or a value that was sent (an email, an SSN) in its
    // messages; error messages get printed and logged, so those never reach them.
    let values = sent_strings(sent);
    let mut secrets: Vec<&str> = values.iter().map(String::as_str).collect();
    secrets.push(client.inner.api_key.expose());
    Err(error.scrub(&secrets))
}

/// The request's body, kept to scrub an error response of what it echoes.
fn sent_body(request: &reqwest::Request) -> bytes::Bytes {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .map(bytes::Bytes::copy_from_slice)
        .unwrap_or_default()
}

/// The string values of a JSON body, longest first (so that a value inside another is not
/// scrubbed first), from 4 characters: shorter ones (`CA`, `Yes`) say nothing of a person and
/// would garble the message.
fn sent_strings(body: &[u8]) -> Vec<String> {
    fn walk(value: serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.chars().count() >= 4 => out.push(s),
            serde_json::Value::Array(items) => items.into_iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.into_iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice(body) {
        walk(value, &mut out);
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Why a success body did not decode: where and what kind of mismatch, never the values
/// (serde's messages quote them, and they may be personal data).
fn undecodable(reply: Reply, path: &str, inner: &serde_json::Error) -> Error {
    let what = match inner.classify() {
        serde_json::error::Category::Syntax => "the body is not valid JSON",
        serde_json::error::Category::Eof => "the body ends too early",
        serde_json::error::Category::Data => "a value does not have the documented type",
        serde_json::error::Category::Io => "the body could not be read",
    };
    let at = if path == "." || path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    };
    Error::UndecodableResponse {
        status: reply.status.as_u16(),
        request_id: request_id(&reply.headers),
        reason: format!(
            "{what}{at} (line {}, column {})",
            inner.line(),
            inner.column()
        ),
        body: RawBody(reply.body.to_vec()),
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The wait `Retry-After` asks for, in seconds or as an HTTP date.
fn retry_after_header(headers: &HeaderMap) -> Asked {
    let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or("\u{0}"));
    asked_by_header(
        text(reqwest::header::RETRY_AFTER),
        text(reqwest::header::DATE),
        std::time::SystemTime::now(),
    )
}

/// Sends the request, retrying as the policy allows; returns the last response read whole.
async fn execute(
    client: &Client,
    mut request: reqwest::Request,
    info: &OperationInfo,
    options: CallOptions,
) -> Result<Reply, Error> {
    let runtime = &client.inner;
    let policy = options
        .apply(&mut request, &runtime.api_key)?
        .unwrap_or(runtime.retry);
    let headers = request.headers_mut();
    // progenitor sends the document's version; careCycle does not use the header.
    headers.remove(HeaderName::from_static("api-version"));
    headers.insert(
        HeaderName::from_static("x-api-key"),
        runtime.api_key.header_value(),
    );
    let is_post = request.method() == reqwest::Method::POST;
    let method = request.method().clone();

    let mut retry = 0;
    loop {
        let attempt = request.try_clone().ok_or_else(|| {
            Error::invalid_request("the request body cannot be sent twice".into())
        })?;
        if let Some(pacer) = &runtime.pacer {
            pacer.acquire().await;
        }
        let span = tracing::info_span!(
            "carecycle.request",
            operation = info.operation_id,
            method = %method,
            attempt = retry + 1,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let started = Instant::now();
        let sent = send_once(&client.client, attempt, runtime.max_response_bytes)
            .instrument(span.clone())
            .await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("latency_ms", latency_ms);
        let result = match sent {
            Ok(reply) => Ok(reply),
            Err(Failed::Transport(e)) => Err(e),
            Err(Failed::TooLarge { status, request_id }) => {
                span.record("status", status);
                if let Some(id) = &request_id {
                    span.record("request_id", id.as_str());
                }
                let limit = runtime.max_response_bytes;
                span.in_scope(|| tracing::debug!(status, limit, "response body over the limit"));
                // Another attempt would meet the same body.
                return Err(Error::ResponseTooLarge {
                    status,
                    request_id,
                    limit,
                });
            }
        };
        let outcome = match &result {
            Ok(reply) => {
                let status = reply.status.as_u16();
                span.record("status", status);
                if let Some(id) = request_id(&reply.headers) {
                    span.record("request_id", id);
                }
                span.in_scope(|| tracing::debug!(status, latency_ms, "careCycle answered"));
                Outcome::Status(status)
            }
            Err(e) => {
                let failure = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connect"
                } else {
                    "interrupted"
                };
                span.in_scope(|| tracing::debug!(failure, latency_ms, "careCycle request failed"));
                if e.is_connect() {
                    Outcome::ConnectFailed
                } else {
                    Outcome::Interrupted
                }
            }
        };
        // The wait a 429 or 503 asks for, and whether the client is willing to wait that long.
        let asked = match &result {
            Ok(reply) if matches!(outcome, Outcome::Status(429 | 503)) => {
                asked_wait(&reply.body, retry_after_header(&reply.headers))
            }
            _ => Asked::Nothing,
        };
        let acceptable = asked
            .duration()
            .filter(|wait| *wait <= policy.max_rate_limit_wait);
        if let (Some(wait), Some(pacer)) = (acceptable, &runtime.pacer) {
            // Clones share the pacer: hold them all back rather than let them meet the
            // same limit, whether or not this call retries.
            let now = tokio::time::Instant::now();
            pacer.defer(now.checked_add(wait).unwrap_or(now));
        }
        let wait = match decide(outcome, is_post) {
            _ if retry >= policy.max_retries => None,
            Decision::Stop => None,
            Decision::Backoff => Some(policy.backoff(retry)),
            Decision::AsAsked if asked == Asked::Nothing => Some(policy.backoff(retry)),
            // A wait past the cap, or one that is no usable duration, returns the error
            // rather than sleeping.
            Decision::AsAsked => acceptable,
        };
        let Some(wait) = wait else {
            return result.map_err(Error::from);
        };
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        span.in_scope(|| tracing::debug!(wait_ms, "retrying"));
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

/// Sends one attempt and reads its body, at most `limit` bytes of it. A body that announces
/// more is refused before reading; one that grows past the limit stops being read. Either way
/// the response is dropped, and with it the connection.
async fn send_once(
    http: &reqwest::Client,
    request: reqwest::Request,
    limit: u64,
) -> Result<Reply, Failed> {
    let mut response = http.execute(request).await.map_err(Failed::Transport)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let too_large = || Failed::TooLarge {
        status: status.as_u16(),
        request_id: request_id(&headers),
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Failed::Transport)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply {
        status,
        headers,
        body: body.into(),
    })
}
