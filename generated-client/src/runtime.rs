//! Sends requests and reads responses for the generated builders.
//!
//! progenitor builds each request; the `runtime_send` pass of codegen makes every builder's
//! `send()` end in [`send_json`] or [`send_empty`]. Here the request is authenticated, paced,
//! retried as the [`RetryPolicy`] allows, traced, and its response turned into a value or an
//! [`Error`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{Error, classify};
use crate::pacer::Pacer;
use crate::redact::ApiKey;
use crate::retry::{Decision, Outcome, RetryPolicy, decide};
use crate::Client;

/// The state every clone of a [`Client`] carries: the key, the retry policy and the pacer
/// (shared by all clones).
#[derive(Clone)]
pub struct Runtime {
    pub(crate) api_key: ApiKey,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Option<Arc<Pacer>>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .field("pacing", &self.pacer.as_ref().map(|_| "on"))
            .finish()
    }
}

/// A response read to the end.
struct Reply {
    status: reqwest::StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// Sends the request; decodes a success body as `T`.
pub async fn send_json<T: DeserializeOwned>(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    success: &[u16],
) -> Result<ResponseValue<T>, Error> {
    let reply = execute(client, request, info).await?;
    check_status(&reply, success)?;
    let mut decoder = serde_json::Deserializer::from_slice(&reply.body);
    match serde_path_to_error::deserialize::<_, T>(&mut decoder) {
        Ok(value) => Ok(ResponseValue::new(value, reply.status, reply.headers)),
        Err(e) => Err(undecodable(reply, &e)),
    }
}

/// Sends the request; expects a success without a body.
pub async fn send_empty(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    success: &[u16],
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(client, request, info).await?;
    check_status(&reply, success)?;
    Ok(ResponseValue::new((), reply.status, reply.headers))
}

/// Serialising an enum's `Unrecognized` variant fails, so a request carrying one is refused
/// before it is sent (used by the generated enums).
pub fn refuse_unknown_value<S: serde::Serializer>(_value: &str, _serializer: S) -> Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom(
        "a field holds an enum value this crate does not know (`Unrecognized`); requests take documented values only",
    ))
}

/// A documented success status (or any other 2xx) passes; anything else becomes its error.
fn check_status(reply: &Reply, success: &[u16]) -> Result<(), Error> {
    let status = reply.status.as_u16();
    if success.contains(&status) || reply.status.is_success() {
        return Ok(());
    }
    Err(classify(status, request_id(&reply.headers), &reply.body, retry_after_header(&reply.headers)))
}

/// Why a success body did not decode: where and what kind of mismatch, never the values
/// (serde's messages quote them, and they may be personal data).
fn undecodable(reply: Reply, error: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    let inner = error.inner();
    let what = match inner.classify() {
        serde_json::error::Category::Syntax => "the body is not valid JSON",
        serde_json::error::Category::Eof => "the body ends too early",
        serde_json::error::Category::Data => "a value does not have the documented type",
        serde_json::error::Category::Io => "the body could not be read",
    };
    let path = error.path().to_string();
    let at = if path == "." || path.is_empty() { String::new() } else { format!(" at `{path}`") };
    Error::UndecodableResponse {
        status: reply.status.as_u16(),
        request_id: request_id(&reply.headers),
        reason: format!("{what}{at} (line {}, column {})", inner.line(), inner.column()),
        body: reply.body.to_vec(),
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by careCycle and is ignored).
fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// The wait a 429 asks for: the body's `retryAfter`, else the `Retry-After` header.
fn rate_limit_wait(reply: &Reply) -> Option<Duration> {
    match classify(429, None, &reply.body, retry_after_header(&reply.headers)) {
        Error::RateLimited { retry_after, .. } => retry_after,
        _ => None,
    }
}

/// Sends the request, retrying as the policy allows; returns the last response read whole.
async fn execute(client: &Client, mut request: reqwest::Request, info: &OperationInfo) -> Result<Reply, Error> {
    let runtime = &client.inner;
    let policy = runtime.retry;
    let headers = request.headers_mut();
    // progenitor sends the document's version; careCycle does not use the header.
    headers.remove(HeaderName::from_static("api-version"));
    headers.insert(HeaderName::from_static("x-api-key"), runtime.api_key.header_value());
    let is_post = request.method() == reqwest::Method::POST;
    let method = request.method().clone();

    let mut retry = 0;
    loop {
        let attempt = request
            .try_clone()
            .ok_or_else(|| Error::invalid_request("the request body cannot be sent twice".into()))?;
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
        );
        let started = Instant::now();
        let result = send_once(&client.client, attempt).instrument(span.clone()).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let outcome = match &result {
            Ok(reply) => {
                span.record("status", reply.status.as_u16());
                Outcome::Status(reply.status.as_u16())
            }
            Err(e) if e.is_connect() => Outcome::ConnectFailed,
            Err(_) => Outcome::Interrupted,
        };
        let wait = match decide(outcome, is_post) {
            _ if retry >= policy.max_retries => None,
            Decision::Stop => None,
            Decision::Backoff => Some(policy.backoff(retry)),
            Decision::RateLimited => {
                let reply = result.as_ref().expect("a 429 is a response");
                match rate_limit_wait(reply) {
                    Some(wait) if wait > policy.max_rate_limit_wait => None,
                    Some(wait) => Some(wait),
                    None => Some(policy.backoff(retry)),
                }
            }
        };
        let Some(wait) = wait else {
            return result.map_err(Error::from);
        };
        span.in_scope(|| tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying"));
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

async fn send_once(http: &reqwest::Client, request: reqwest::Request) -> Result<Reply, reqwest::Error> {
    let response = http.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(Reply { status, headers, body })
}
