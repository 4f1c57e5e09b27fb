//! Sends requests and reads responses for the generated builders.
//!
//! progenitor builds each request; the `runtime_send` pass of codegen makes every builder's
//! `send()` end in [`send_json`], [`send_text`], [`send_bytes`] or [`send_empty`]. Here the request is authenticated, paced,
//! retried as the [`RetryPolicy`] allows, traced, and its response turned into a value or an
//! [`Error`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::Client;
pub use crate::call::CallOptions;
use crate::error::{Error, RawBody, TransportKind, asked_wait, classify};
use crate::hooks::{Attempt, Observers};
use crate::pacer::Pacer;
use crate::redact::ApiKey;
use crate::response::{ResponseValue, debug_length};
use crate::retry::{Asked, Decision, Outcome, RetryPolicy, asked_by_header, decide};
use crate::untrusted::{self, IssuePath};

/// The state every clone of a [`Client`] carries: the key, the retry policy, the pacer
/// (shared by all clones) and the largest response body it reads.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) api_key: ApiKey,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Option<Arc<Pacer>>,
    pub(crate) max_response_bytes: u64,
    pub(crate) observers: Observers,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("api_key", &self.api_key)
            .field("retry", &self.retry)
            .field("pacing", &self.pacer.as_ref().map(|_| "on"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("observers", &self.observers)
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
pub async fn send_json<T: DeserializeOwned + std::fmt::Debug>(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    path: &'static str,
    options: CallOptions,
) -> Result<ResponseValue<T>, Error> {
    let reply = execute(client, request, info, path, options).await?;
    check_status(client, &reply)?;
    match decode(&reply.body) {
        Ok(value) => Ok(success(
            client,
            value,
            reply.status,
            reply.headers,
            <T as std::fmt::Debug>::fmt,
        )),
        Err((path, e)) => Err(undecodable(client, reply, &path, &e)),
    }
}

/// A success as the caller receives it, with the request id recognised as in errors.
fn success<T>(
    client: &Client,
    value: T,
    status: reqwest::StatusCode,
    headers: HeaderMap,
    debug_value: fn(&T, &mut std::fmt::Formatter<'_>) -> std::fmt::Result,
) -> ResponseValue<T> {
    let request_id = request_id(&headers, &client.inner.api_key);
    ResponseValue::with_request_id(value, status, headers, request_id, debug_value)
}

/// The body as `T`, or where it went wrong. Bytes after the JSON value are an error too.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, serde_json::Error)> {
    // The fast path; only a body that fails is decoded again to find the path of the failure.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut decoder = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize::<_, T>(&mut decoder)
        .map_err(|e| (printable_path(e.path()), e.into_inner()))?;
    decoder.end().map_err(|e| (String::new(), e))?;
    Ok(value)
}

/// A decoding path that prints: map keys come from the service, so a segment prints only when
/// it is a field name of the document or a small index after an array.
fn printable_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let texts: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_owned(),
        })
        .collect();
    if texts.is_empty() {
        return String::new();
    }
    IssuePath::recognise(texts.iter().map(String::as_str)).to_string()
}

/// Sends the request; expects a success without a body.
// Generated code calls it for operations whose success has no body; the document has none
// today.
#[allow(dead_code)]
pub async fn send_empty(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    path: &'static str,
    options: CallOptions,
) -> Result<ResponseValue<()>, Error> {
    let reply = execute(client, request, info, path, options).await?;
    check_status(client, &reply)?;
    Ok(success(
        client,
        (),
        reply.status,
        reply.headers,
        <() as std::fmt::Debug>::fmt,
    ))
}

/// Sends the request asking for `text/plain`; a success body is returned as text. A body
/// that is not UTF-8 is [`Error::UndecodableResponse`] (it says at which byte, never the text).
// Generated code calls it for operations with a `text/plain` success body; the document has
// none today.
#[allow(dead_code)]
pub async fn send_text(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    path: &'static str,
    options: CallOptions,
) -> Result<ResponseValue<String>, Error> {
    let reply = send_raw(client, request, info, path, options, "text/plain").await?;
    match String::from_utf8(reply.body.to_vec()) {
        Ok(text) => Ok(success(
            client,
            text,
            reply.status,
            reply.headers,
            debug_length,
        )),
        Err(e) => {
            let reason = format!(
                "the body is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            );
            Err(Error::UndecodableResponse {
                status: reply.status.as_u16(),
                request_id: request_id(&reply.headers, &client.inner.api_key),
                reason,
                body: RawBody(e.into_bytes()),
            })
        }
    }
}

/// Sends the request asking for `application/octet-stream`; a success body is returned as
/// its bytes.
// Generated code calls it for operations with an `application/octet-stream` success body;
// the document has none today.
#[allow(dead_code)]
pub async fn send_bytes(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    path: &'static str,
    options: CallOptions,
) -> Result<ResponseValue<Vec<u8>>, Error> {
    let reply = send_raw(
        client,
        request,
        info,
        path,
        options,
        "application/octet-stream",
    )
    .await?;
    Ok(success(
        client,
        reply.body.to_vec(),
        reply.status,
        reply.headers,
        debug_length,
    ))
}

/// Sends the request asking for `accept` (unless the call set its own `Accept`); the success
/// reply, read whole within the size limit like any other.
async fn send_raw(
    client: &Client,
    mut request: reqwest::Request,
    info: &OperationInfo,
    path: &'static str,
    options: CallOptions,
    accept: &'static str,
) -> Result<Reply, Error> {
    request
        .headers_mut()
        .entry(reqwest::header::ACCEPT)
        .or_insert(reqwest::header::HeaderValue::from_static(accept));
    let reply = execute(client, request, info, path, options).await?;
    check_status(client, &reply)?;
    Ok(reply)
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
/// prints no statuses); anything else becomes its error. Whatever the service wrote in it is
/// untrusted text (see `untrusted.rs`): it may echo the key or what the request sent.
fn check_status(client: &Client, reply: &Reply) -> Result<(), Error> {
    if reply.status.is_success() {
        return Ok(());
    }
    Err(classify(
        reply.status.as_u16(),
        request_id(&reply.headers, &client.inner.api_key),
        &reply.body,
        retry_after_header(&reply.headers),
    ))
}

/// Why a success body did not decode: where and what kind of mismatch, never the values
/// (serde's messages quote them, and they may be personal data).
fn undecodable(client: &Client, reply: Reply, path: &str, inner: &serde_json::Error) -> Error {
    Error::UndecodableResponse {
        status: reply.status.as_u16(),
        request_id: request_id(&reply.headers, &client.inner.api_key),
        reason: decode_failure(path, inner),
        body: RawBody(reply.body.to_vec()),
    }
}

/// Where and what kind of mismatch a failed [`decode`] was, without the values.
pub(crate) fn decode_failure(path: &str, inner: &serde_json::Error) -> String {
    let what = match inner.classify() {
        serde_json::error::Category::Syntax => "the body is not valid JSON",
        serde_json::error::Category::Eof => "the body ends too early",
        serde_json::error::Category::Data => "a value does not have the documented type",
        serde_json::error::Category::Io => "the body could not be read",
    };
    let at = if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    };
    format!(
        "{what}{at} (line {}, column {})",
        inner.line(),
        inner.column()
    )
}

/// The request id header, when it looks like an id (see `untrusted::request_id`).
fn request_id(headers: &HeaderMap, api_key: &ApiKey) -> Option<String> {
    let header = ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok());
    untrusted::request_id(header, api_key.expose())
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
    path: &'static str,
    options: CallOptions,
) -> Result<Reply, Error> {
    let runtime = &client.inner;
    let policy = options
        .apply(&mut request, &runtime.api_key)?
        .unwrap_or(runtime.retry);
    let headers = request.headers_mut();
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
        let sent = send_once(&client.client, attempt, runtime)
            .instrument(span.clone())
            .await;
        let elapsed = started.elapsed();
        let latency_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
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
                let ended = Ended::TooLarge {
                    status,
                    request_id: request_id.as_deref(),
                };
                observe(
                    runtime,
                    info,
                    path,
                    &method,
                    retry + 1,
                    elapsed,
                    ended,
                    false,
                );
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
                if let Some(id) = request_id(&reply.headers, &runtime.api_key) {
                    span.record("request_id", id);
                }
                span.in_scope(|| tracing::debug!(status, latency_ms, "careCycle answered"));
                Outcome::Status(status)
            }
            Err(e) => {
                let kind = TransportKind::of(e);
                let failure = match kind {
                    TransportKind::Timeout => "timeout",
                    TransportKind::Connect => "connect",
                    TransportKind::Tls => "tls",
                    TransportKind::Interrupted => "interrupted",
                };
                span.in_scope(|| tracing::debug!(failure, latency_ms, "careCycle request failed"));
                // A connect timeout, like any failure to connect, sent nothing.
                if kind == TransportKind::Tls {
                    Outcome::TlsRefused
                } else if e.is_connect() {
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
        let ended = match &result {
            Ok(reply) => Ended::Reply(reply),
            Err(e) => Ended::Failed(e),
        };
        observe(
            runtime,
            info,
            path,
            &method,
            retry + 1,
            elapsed,
            ended,
            wait.is_some(),
        );
        let Some(wait) = wait else {
            return result.map_err(Error::from);
        };
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        span.in_scope(|| tracing::debug!(wait_ms, "retrying"));
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

/// How one attempt ended, for the observers.
enum Ended<'a> {
    /// A response read whole.
    Reply(&'a Reply),
    /// No response, or one that broke off.
    Failed(&'a reqwest::Error),
    /// A response whose body is over the limit; reading stopped.
    TooLarge {
        status: u16,
        request_id: Option<&'a str>,
    },
}

/// Tells the client's observers how one attempt went. Every attempt ends in exactly one call.
#[allow(clippy::too_many_arguments)]
fn observe(
    runtime: &Runtime,
    info: &OperationInfo,
    path: &'static str,
    method: &reqwest::Method,
    attempt: u32,
    elapsed: Duration,
    ended: Ended<'_>,
    will_retry: bool,
) {
    if runtime.observers.0.is_empty() {
        return;
    }
    let (status, failure, request_id, response_too_large) = match ended {
        Ended::Reply(reply) => (
            Some(reply.status.as_u16()),
            None,
            request_id(&reply.headers, &runtime.api_key),
            false,
        ),
        Ended::Failed(e) => (None, Some(TransportKind::of(e)), None, false),
        Ended::TooLarge { status, request_id } => {
            (Some(status), None, request_id.map(str::to_owned), true)
        }
    };
    runtime.observers.notify(&Attempt {
        operation: info.operation_id,
        method: method.as_str(),
        path,
        attempt,
        status,
        failure,
        elapsed,
        request_id: request_id.as_deref(),
        will_retry,
        response_too_large,
    });
}

/// Sends one attempt and reads its body, at most `limit` bytes of it. A body that announces
/// more is refused before reading; one that grows past the limit stops being read. Either way
/// the response is dropped, and with it the connection.
async fn send_once(
    http: &reqwest::Client,
    request: reqwest::Request,
    runtime: &Runtime,
) -> Result<Reply, Failed> {
    let limit = runtime.max_response_bytes;
    let mut response = http.execute(request).await.map_err(Failed::Transport)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let too_large = || Failed::TooLarge {
        status: status.as_u16(),
        request_id: request_id(&headers, &runtime.api_key),
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

/// Text and bytes success bodies, through the whole runtime against a loopback server. The
/// document has no such operation, so these call the runtime as a generated `send()` does.
#[cfg(test)]
mod raw_body_tests {
    use std::sync::{Arc, Mutex};

    use harness::{Reply, TestServer};

    use super::*;
    use crate::RetryPolicy;

    const SECRET: &str = "SSN 123-45-6789";

    fn client(
        server: &TestServer,
        max_response_bytes: u64,
        attempts: Arc<Mutex<Vec<u16>>>,
    ) -> Client {
        let fast = RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        };
        Client::builder()
            .api_key("cc_test_raw_bodies")
            .base_url(server.url())
            .pacing(None)
            .retry_policy(fast)
            .max_response_bytes(max_response_bytes)
            .observer(move |a: &Attempt<'_>| attempts.lock().unwrap().push(a.status.unwrap_or(0)))
            .build()
            .unwrap()
    }

    fn request(client: &Client) -> reqwest::Request {
        client
            .client
            .get(format!("{}/v2/notes/1", client.baseurl))
            .build()
            .unwrap()
    }

    const INFO: OperationInfo = OperationInfo {
        operation_id: "get_note",
    };

    #[tokio::test]
    async fn text_is_read_after_a_retry_and_observed() {
        let text = "Notiz für Sie\nline two";
        let server = TestServer::scripted(vec![
            Reply::json(503, serde_json::json!({"code": "unavailable"})),
            Reply::raw(200, "text/plain; charset=utf-8", text),
        ])
        .await;
        let attempts = Arc::new(Mutex::new(Vec::new()));
        let client = client(&server, 1024, attempts.clone());
        let reply = send_text(
            &client,
            request(&client),
            &INFO,
            "/v2/notes/{id}",
            CallOptions::default(),
        )
        .await
        .unwrap();
        let printed = format!("{reply:?}");
        assert!(
            printed.contains("value: <redacted: 23 bytes>") && !printed.contains("Notiz"),
            "the text is the service's: {printed}"
        );
        assert_eq!(reply.into_inner(), text);
        assert_eq!(*attempts.lock().unwrap(), [503, 200]);
        let sent = server.requests();
        assert_eq!(sent[1].header("accept"), Some("text/plain"));
        assert_eq!(sent[1].header("x-api-key"), Some("cc_test_raw_bodies"));
    }

    #[tokio::test]
    async fn text_that_is_not_utf8_is_undecodable_and_not_printed() {
        let mut body = SECRET.as_bytes().to_vec();
        body.push(0xFF);
        let server = TestServer::scripted(vec![Reply::Respond {
            status: 200,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.clone(),
        }])
        .await;
        let client = client(&server, 1024, Arc::default());
        let error = send_text(
            &client,
            request(&client),
            &INFO,
            "/v2/notes/{id}",
            CallOptions::default(),
        )
        .await
        .unwrap_err();
        let Error::UndecodableResponse {
            status: 200,
            reason,
            body: kept,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(
            reason,
            &format!("the body is not UTF-8 text (byte {})", SECRET.len())
        );
        assert_eq!(kept.0, body, "the body is kept for the caller");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("123-45-6789"), "{shown}");
        }
    }

    #[tokio::test]
    async fn text_and_bytes_over_the_size_limit_are_refused() {
        let server =
            TestServer::scripted(vec![Reply::raw(200, "text/plain", &"x".repeat(100))]).await;
        let client = client(&server, 64, Arc::default());
        let text = send_text(
            &client,
            request(&client),
            &INFO,
            "/v2/notes/{id}",
            CallOptions::default(),
        )
        .await;
        assert!(
            matches!(
                text,
                Err(Error::ResponseTooLarge {
                    status: 200,
                    limit: 64,
                    ..
                })
            ),
            "{text:?}"
        );
        let bytes = send_bytes(
            &client,
            request(&client),
            &INFO,
            "/v2/notes/{id}",
            CallOptions::default(),
        )
        .await;
        assert!(
            matches!(
                bytes,
                Err(Error::ResponseTooLarge {
                    status: 200,
                    limit: 64,
                    ..
                })
            ),
            "{bytes:?}"
        );
    }

    #[tokio::test]
    async fn bytes_are_returned_as_sent() {
        let body = vec![0x00, 0xFF, 0x10, b'a', 0x80];
        let server = TestServer::scripted(vec![Reply::Respond {
            status: 200,
            headers: vec![("content-type".into(), "application/octet-stream".into())],
            body: body.clone(),
        }])
        .await;
        let client = client(&server, 1024, Arc::default());
        let reply = send_bytes(
            &client,
            request(&client),
            &INFO,
            "/v2/exports/{id}",
            CallOptions::default(),
        )
        .await
        .unwrap();
        assert!(
            format!("{reply:?}").contains("value: <redacted: 5 bytes>"),
            "{reply:?}"
        );
        assert_eq!(reply.into_inner(), body);
        assert_eq!(
            server.requests()[0].header("accept"),
            Some("application/octet-stream")
        );
    }

    #[tokio::test]
    async fn an_error_status_is_its_typed_error_and_its_text_is_not_printed() {
        let server = TestServer::scripted(vec![Reply::raw(404, "text/plain", SECRET)]).await;
        let client = client(&server, 1024, Arc::default());
        let error = send_text(
            &client,
            request(&client),
            &INFO,
            "/v2/notes/{id}",
            CallOptions::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(error.status(), Some(404));
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("123-45-6789"), "{shown}");
        }
    }
}
