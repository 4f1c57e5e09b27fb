//! Receiving careCycle's webhooks: verify a delivery's signature, then decode its event.
//!
//! careCycle signs every delivery with the [Standard Webhooks] scheme: an HMAC-SHA256 of
//! `{svix-id}.{svix-timestamp}.{body}` under the endpoint's signing secret (`whsec_...`), sent
//! base64-encoded in the `svix-signature` header, which may list several signatures (while a
//! secret is rotated). [`Verifier::verify`] checks, in this order: the body's size, the three
//! headers, the timestamp against a tolerance (replays of old deliveries fail), a signature
//! that matches (compared in constant time), and only then decodes the payload into a
//! [`WebhookEvent`]. The signing itself is the `standardwebhooks` crate's.
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header map `verify` reads (the `http` crate's, which axum, hyper and reqwest use).
pub use http::HeaderMap;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::redact::Redacted;
use crate::runtime::{decode, decode_failure};
pub use crate::types::WebhookEvent;

/// How far a delivery's timestamp may be from now, unless set with
/// [`Verifier::with_tolerance`]: five minutes, as the Standard Webhooks libraries use.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The largest body [`Verifier::verify`] reads, unless set with
/// [`Verifier::with_max_body_bytes`]: 1 MiB, many times the size of a customer event.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// The headers careCycle sends. The names of the Standard Webhooks specification
/// (`webhook-id`, `webhook-timestamp`, `webhook-signature`) are accepted too.
pub const ID_HEADER: &str = "svix-id";
/// The Unix time (seconds) the delivery was signed at.
pub const TIMESTAMP_HEADER: &str = "svix-timestamp";
/// A space-separated list of `v1,<base64 signature>`.
pub const SIGNATURE_HEADER: &str = "svix-signature";

const SECRET_PREFIX: &str = "whsec_";
const SIGNATURE_VERSION: &str = "v1";

/// Verifies deliveries for one webhook endpoint. Cheap to clone; its `Debug` never shows
/// the secret.
#[derive(Clone)]
pub struct Verifier {
    key: Arc<standardwebhooks::Webhook>,
    tolerance: Duration,
    max_body_bytes: usize,
}

impl Verifier {
    /// A verifier for the endpoint's signing secret, as the careCycle dashboard shows it
    /// (`whsec_` and base64; surrounding whitespace is ignored). The error never contains
    /// the secret.
    pub fn new(secret: &str) -> Result<Verifier, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix(SECRET_PREFIX).unwrap_or(encoded);
        if encoded.trim_end_matches('=').is_empty() {
            return Err(WebhookError::BadSecret {
                reason: "it is empty",
            });
        }
        // Secrets may come without base64 padding; the Standard Webhooks libraries accept both.
        let padding = "=".repeat((4 - encoded.len() % 4) % 4);
        let key = standardwebhooks::Webhook::new(&format!("{encoded}{padding}")).map_err(|_| {
            WebhookError::BadSecret {
                reason: "it is not base64 after the `whsec_` prefix",
            }
        })?;
        Ok(Verifier {
            key: Arc::new(key),
            tolerance: DEFAULT_TOLERANCE,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// How far a delivery's timestamp may be from now, either way (default
    /// [`DEFAULT_TOLERANCE`]). An older delivery is refused as a possible replay.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// The largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`]). A receiver should
    /// stop reading a request past this size, too (the example receiver does).
    pub fn with_max_body_bytes(mut self, limit: usize) -> Verifier {
        self.max_body_bytes = limit;
        self
    }

    /// The largest body accepted.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Verifies a delivery from its headers and its raw body (exactly as received: parsing
    /// and re-serialising the JSON would change the signed bytes), then decodes its event.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if the time were `now`: for tests, and for deliveries
    /// stored when they arrived and verified later.
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge {
                limit: self.max_body_bytes,
            });
        }
        let id = header(headers, ID_HEADER, "webhook-id")?;
        let timestamp = header(headers, TIMESTAMP_HEADER, "webhook-timestamp")?
            .parse::<i64>()
            .map_err(|_| WebhookError::InvalidHeader {
                name: TIMESTAMP_HEADER,
                reason: "it is not a whole number of seconds",
            })?;
        let signatures = header(headers, SIGNATURE_HEADER, "webhook-signature")?;
        self.check_timestamp(timestamp, now)?;
        self.check_signature(id, timestamp, body, signatures)?;
        Ok(Delivery {
            id: id.to_owned(),
            timestamp: unix_time(timestamp).unwrap_or(now),
            event: decode_event(body)?,
        })
    }

    fn check_timestamp(&self, timestamp: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        let age = now.saturating_sub(timestamp);
        if age > tolerance {
            return Err(WebhookError::TooOld {
                age: secs(age),
                tolerance: self.tolerance,
            });
        }
        if age < -tolerance {
            return Err(WebhookError::TooNew {
                ahead: secs(age),
                tolerance: self.tolerance,
            });
        }
        Ok(())
    }

    fn check_signature(
        &self,
        id: &str,
        timestamp: i64,
        body: &[u8],
        signatures: &str,
    ) -> Result<(), WebhookError> {
        // `sign` formats the signed content as text; a body that is not UTF-8 is no JSON event.
        let expected =
            self.key
                .sign(id, timestamp, body)
                .map_err(|_| WebhookError::UndecodablePayload {
                    reason: "the body is not UTF-8 text".to_owned(),
                })?;
        let expected = expected
            .split_once(',')
            .map_or(expected.as_str(), |(_, signature)| signature);
        // Every listed signature is compared, each in constant time.
        let mut matched = subtle::Choice::from(0);
        for entry in signatures.split(' ') {
            if let Some((SIGNATURE_VERSION, signature)) = entry.split_once(',') {
                matched |= signature.as_bytes().ct_eq(expected.as_bytes());
            }
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &Redacted)
            .field("tolerance", &self.tolerance)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// A verified delivery.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Delivery {
    /// The message id (`svix-id`). careCycle may deliver a message more than once (it retries
    /// until the receiver acknowledges): use the id to process each message once.
    pub id: String,
    /// When careCycle signed this delivery (`svix-timestamp`); a retry has a newer one.
    pub timestamp: SystemTime,
    /// The event.
    pub event: WebhookEvent,
}

/// An event whose `event_type` this version of the crate does not know. Its `Debug` shows
/// the event type only: the payload may hold personal data.
#[derive(Clone, serde::Deserialize)]
pub struct UnrecognizedEvent {
    event_type: String,
    #[serde(flatten)]
    payload: serde_json::Map<String, serde_json::Value>,
}

impl UnrecognizedEvent {
    /// The payload's `event_type`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The payload's other properties, as careCycle sent them.
    pub fn payload(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.payload
    }
}

impl fmt::Debug for UnrecognizedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnrecognizedEvent")
            .field("event_type", &self.event_type)
            .field("payload", &Redacted)
            .finish()
    }
}

/// Why a delivery was refused. No variant holds, and no message prints, the secret or any
/// part of the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signing secret given to [`Verifier::new`] is not a `whsec_` base64 secret.
    BadSecret {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A signature header is missing.
    MissingHeader {
        /// The header careCycle sends (`svix-id`, `svix-timestamp` or `svix-signature`).
        name: &'static str,
    },
    /// A signature header is not what the scheme sends.
    InvalidHeader {
        /// The header.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No signature in `svix-signature` matches the body under this secret: the body was
    /// changed on the way, the delivery was not signed by careCycle, or the secret is not the
    /// endpoint's.
    NoMatchingSignature,
    /// The delivery was signed longer ago than the tolerance allows (a replay, or a clock far
    /// behind).
    TooOld {
        /// How long ago it was signed.
        age: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The delivery's timestamp is further in the future than the tolerance allows.
    TooNew {
        /// How far ahead of now it is.
        ahead: Duration,
        /// The tolerance.
        tolerance: Duration,
    },
    /// The body is larger than the verifier accepts.
    BodyTooLarge {
        /// The largest body accepted, in bytes.
        limit: usize,
    },
    /// The signature matched, but the payload is not an event of the documented shape.
    UndecodablePayload {
        /// Where and what kind of mismatch, never the values.
        reason: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::BadSecret { reason } => {
                write!(f, "the webhook signing secret is unusable: {reason}")
            }
            WebhookError::MissingHeader { name } => {
                write!(f, "the webhook delivery has no `{name}` header")
            }
            WebhookError::InvalidHeader { name, reason } => {
                write!(
                    f,
                    "the webhook delivery's `{name}` header is invalid: {reason}"
                )
            }
            WebhookError::NoMatchingSignature => f.write_str(
                "no signature of the webhook delivery matches its body under this secret \
                 (a changed body, a sender other than careCycle, or another endpoint's secret)",
            ),
            WebhookError::TooOld { age, tolerance } => write!(
                f,
                "the webhook delivery was signed {}s ago, more than the tolerance of {}s (a replay?)",
                age.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::TooNew { ahead, tolerance } => write!(
                f,
                "the webhook delivery's timestamp is {}s in the future, more than the tolerance of {}s",
                ahead.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::BodyTooLarge { limit } => {
                write!(
                    f,
                    "the webhook delivery's body is larger than the limit of {limit} bytes"
                )
            }
            WebhookError::UndecodablePayload { reason } => {
                write!(
                    f,
                    "the webhook delivery is signed but its payload is not a careCycle event: {reason}"
                )
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// The header `name`, or its Standard Webhooks equivalent, as text.
fn header<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
    standard_name: &str,
) -> Result<&'a str, WebhookError> {
    let value = headers
        .get(name)
        .or_else(|| headers.get(standard_name))
        .ok_or(WebhookError::MissingHeader { name })?;
    let text = value.to_str().map_err(|_| WebhookError::InvalidHeader {
        name,
        reason: "it is not visible ASCII",
    })?;
    if text.is_empty() {
        return Err(WebhookError::InvalidHeader {
            name,
            reason: "it is empty",
        });
    }
    Ok(text)
}

fn unix_time(seconds: i64) -> Option<SystemTime> {
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(secs(seconds))
    } else {
        UNIX_EPOCH.checked_sub(secs(seconds))
    }
}

/// A number of seconds either way, as a length of time.
fn secs(seconds: i64) -> Duration {
    Duration::from_secs(seconds.unsigned_abs())
}

/// The event of a verified payload, by its `event_type`.
fn decode_event(payload: &[u8]) -> Result<WebhookEvent, WebhookError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        event_type: Option<String>,
    }
    let envelope: Envelope = decode_payload(payload)?;
    let event_type = envelope
        .event_type
        .ok_or_else(|| WebhookError::UndecodablePayload {
            reason: "the payload has no `event_type`".to_owned(),
        })?;
    WebhookEvent::decode(&event_type, payload)
}

/// The payload as `T` (used by the generated [`WebhookEvent`] for each event's type).
pub(crate) fn decode_payload<T: DeserializeOwned>(payload: &[u8]) -> Result<T, WebhookError> {
    decode(payload).map_err(|(path, e)| WebhookError::UndecodablePayload {
        reason: decode_failure(&path, &e),
    })
}
