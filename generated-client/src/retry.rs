//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

/// How a client retries failed requests.
///
/// A failed request is retried when it cannot have been processed (no connection, 408, 429)
/// or when sending it again is harmless (a timeout, reset, 502, 503 or 504 of a request that
/// is not a POST). A POST that may have reached the service is never sent twice. A TLS
/// handshake the client refuses ([`TransportKind::Tls`](crate::TransportKind::Tls): a
/// certificate it does not trust, no protocol in common) is not retried: every attempt would
/// meet the same server.
///
/// A 429, and a 503 of a request that is not a POST, wait what the service asks for (the body's
/// `retryAfter`, else the `Retry-After` header in seconds or as an HTTP date) when it is at
/// most [`max_rate_limit_wait`](Self::max_rate_limit_wait). A longer wait, or one that is not a
/// usable duration (negative, `1e300`, a date that does not parse), returns the error at once:
/// the client never guesses a shorter wait than the service asked for.
///
/// Set it per client with [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy),
/// or per call with [`Client::with_retry_policy`](crate::Client::with_retry_policy):
///
/// ```
/// use std::time::Duration;
/// use carecycle::{Client, RetryPolicy};
///
/// let patient = RetryPolicy { max_retries: 5, max_backoff: Duration::from_secs(4), ..RetryPolicy::default() };
/// let client = Client::builder().api_key("cc_live_0123456789").retry_policy(patient).build().unwrap();
/// let fail_fast = client.with_retry_policy(RetryPolicy::none());
/// # let _ = fail_fast;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The first backoff (default 0.5 s); each retry doubles it.
    pub initial_backoff: Duration,
    /// The longest backoff (default 8 s).
    pub max_backoff: Duration,
    /// The longest wait a 429 (or a 503) may ask for before the client gives up and returns
    /// the error ([`Error::RateLimited`](crate::Error::RateLimited), or
    /// [`Error::Server`](crate::Error::Server) for a 503) instead of sleeping (default 60 s).
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The backoff before retry number `retry` (0-based): `initial × 2^retry`, at most
    /// `max_backoff`, less up to a quarter at random so that clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)))
            .min(self.max_backoff);
        let jittered = full.as_secs_f64() * (1.0 - 0.25 * unit_random());
        Duration::try_from_secs_f64(jittered).map_or(full, |wait| wait.min(full))
    }
}

/// A number in [0, 1), different on every call: enough for jitter, not for secrets. The
/// standard library seeds each `RandomState` at random; hashing nothing with it draws one.
fn unit_random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    // The top 53 bits, as many as an f64 holds exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// What happened to one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this status.
    Status(u16),
    /// No connection could be made: the request was not sent.
    ConnectFailed,
    /// The TLS library refused the handshake (a certificate it does not trust, no protocol in
    /// common): the request was not sent, and another attempt would meet the same server.
    TlsRefused,
    /// A timeout or a broken connection after the request may have been sent.
    Interrupted,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Return the outcome to the caller.
    Stop,
    /// Wait the policy's backoff, then retry.
    Backoff,
    /// Wait what the response asks for (or the backoff when it asks nothing), then retry.
    AsAsked,
}

/// Whether an attempt may be retried. `is_post` marks requests that are not safe to repeat.
/// A 503 may come from a proxy after the service processed the request, so a POST is not
/// retried on it, whatever wait it asks for.
pub(crate) fn decide(outcome: Outcome, is_post: bool) -> Decision {
    match outcome {
        Outcome::ConnectFailed => Decision::Backoff,
        Outcome::TlsRefused => Decision::Stop,
        Outcome::Interrupted if !is_post => Decision::Backoff,
        Outcome::Status(429) => Decision::AsAsked,
        Outcome::Status(503) if !is_post => Decision::AsAsked,
        Outcome::Status(408) => Decision::Backoff,
        Outcome::Status(502 | 504) if !is_post => Decision::Backoff,
        _ => Decision::Stop,
    }
}

/// The wait a response asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Asked {
    /// It names no wait.
    Nothing,
    /// Wait this long.
    Wait(Duration),
    /// It names a wait that is no usable duration: negative, not a number, too large to
    /// represent, a date that does not parse. Treated as a wait past any cap.
    Unusable,
}

impl Asked {
    /// The first of two sources that names a wait.
    pub(crate) fn or(self, other: Asked) -> Asked {
        match self {
            Asked::Nothing => other,
            named => named,
        }
    }

    /// The wait, when there is a usable one.
    pub(crate) fn duration(self) -> Option<Duration> {
        match self {
            Asked::Wait(wait) => Some(wait),
            _ => None,
        }
    }
}

/// Whole or fractional seconds, as the body's `retryAfter` gives them.
pub(crate) fn asked_seconds(seconds: f64) -> Asked {
    Duration::try_from_secs_f64(seconds).map_or(Asked::Unusable, Asked::Wait)
}

/// A `Retry-After` header (RFC 9110, section 10.2.3): delay seconds, or an HTTP date measured
/// from the response's `Date` header when it has one (so that clock skew does not count), else
/// from `now`. A date in the past asks for no wait.
pub(crate) fn asked_by_header(
    retry_after: Option<&str>,
    date: Option<&str>,
    now: SystemTime,
) -> Asked {
    let Some(value) = retry_after.map(str::trim) else {
        return Asked::Nothing;
    };
    if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
        return value
            .parse::<u64>()
            .map_or(Asked::Unusable, |s| Asked::Wait(Duration::from_secs(s)));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return asked_seconds(seconds);
    }
    let Ok(until) = httpdate::parse_http_date(value) else {
        return Asked::Unusable;
    };
    let now = date
        .and_then(|d| httpdate::parse_http_date(d.trim()).ok())
        .unwrap_or(now);
    Asked::Wait(until.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_are_retried_only_when_they_cannot_have_been_processed() {
        assert_eq!(decide(Outcome::ConnectFailed, true), Decision::Backoff);
        assert_eq!(decide(Outcome::Status(429), true), Decision::AsAsked);
        assert_eq!(decide(Outcome::Status(408), true), Decision::Backoff);
        assert_eq!(decide(Outcome::Status(503), true), Decision::Stop);
        assert_eq!(decide(Outcome::Status(500), true), Decision::Stop);
        assert_eq!(decide(Outcome::Interrupted, true), Decision::Stop);
    }

    #[test]
    fn a_refused_tls_handshake_is_never_retried() {
        for is_post in [true, false] {
            assert_eq!(decide(Outcome::TlsRefused, is_post), Decision::Stop);
        }
    }

    #[test]
    fn other_methods_are_retried_on_transient_failures() {
        assert_eq!(decide(Outcome::Status(503), false), Decision::AsAsked);
        for status in [502, 504, 408] {
            assert_eq!(
                decide(Outcome::Status(status), false),
                Decision::Backoff,
                "{status}"
            );
        }
        assert_eq!(decide(Outcome::Interrupted, false), Decision::Backoff);
        assert_eq!(decide(Outcome::Status(500), false), Decision::Stop);
        assert_eq!(decide(Outcome::Status(404), false), Decision::Stop);
    }

    #[test]
    fn retry_after_takes_seconds_and_http_dates_and_marks_what_is_unusable() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let header = |value| asked_by_header(Some(value), None, now);
        assert_eq!(header("120"), Asked::Wait(Duration::from_secs(120)));
        assert_eq!(header(" 1.5 "), Asked::Wait(Duration::from_millis(1500)));
        assert_eq!(
            header("Sun, 06 Nov 1994 08:50:07 GMT"),
            Asked::Wait(Duration::from_secs(30))
        );
        assert_eq!(
            header("Sunday, 06-Nov-94 08:49:47 GMT"),
            Asked::Wait(Duration::from_secs(10))
        );
        assert_eq!(
            header("Sun Nov  6 08:49:57 1994"),
            Asked::Wait(Duration::from_secs(20))
        );
        assert_eq!(
            header("Sun, 06 Nov 1994 08:00:00 GMT"),
            Asked::Wait(Duration::ZERO)
        );
        assert_eq!(
            asked_by_header(
                Some("Sun, 06 Nov 1994 08:50:07 GMT"),
                Some("Sun, 06 Nov 1994 08:50:00 GMT"),
                now
            ),
            Asked::Wait(Duration::from_secs(7)),
            "measured from the response's Date"
        );
        for unusable in [
            "-3",
            "1e300",
            "NaN",
            "inf",
            "99999999999999999999999",
            "soon",
            "",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(header(unusable), Asked::Unusable, "{unusable:?}");
        }
        assert_eq!(asked_by_header(None, None, now), Asked::Nothing);
        assert_eq!(asked_seconds(f64::MAX), Asked::Unusable);
        assert_eq!(asked_seconds(-0.5), Asked::Unusable);
        assert_eq!(Asked::Nothing.or(Asked::Unusable), Asked::Unusable);
        assert_eq!(
            Asked::Wait(Duration::ZERO).or(Asked::Unusable),
            Asked::Wait(Duration::ZERO)
        );
    }

    #[test]
    fn random_units_are_in_range_and_vary() {
        let draws: Vec<f64> = (0..64).map(|_| unit_random()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)), "{draws:?}");
        let distinct: std::collections::BTreeSet<u64> = draws.iter().map(|x| x.to_bits()).collect();
        assert!(distinct.len() > 60, "{draws:?}");
    }

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight_with_at_most_a_quarter_of_jitter() {
        let policy = RetryPolicy::default();
        for (retry, full_ms) in [
            (0, 500),
            (1, 1000),
            (2, 2000),
            (3, 4000),
            (4, 8000),
            (5, 8000),
            (40, 8000),
        ] {
            for _ in 0..50 {
                let wait = policy.backoff(retry).as_millis();
                assert!(
                    wait <= full_ms && wait >= full_ms * 3 / 4,
                    "retry {retry}: {wait} ms"
                );
            }
        }
    }

    #[test]
    fn extreme_policies_set_by_hand_do_not_panic() {
        let policy = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert!(policy.backoff(u32::MAX) >= Duration::from_secs(u64::MAX / 2));
        let zero = RetryPolicy {
            initial_backoff: Duration::ZERO,
            ..RetryPolicy::default()
        };
        assert_eq!(zero.backoff(3), Duration::ZERO);
    }
}
