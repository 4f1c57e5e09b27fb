//! When to try a request again, and how long to wait first.

use std::time::Duration;

/// How a client retries failed requests.
///
/// A failed request is retried when it cannot have been processed (no connection, 408, 429)
/// or when sending it again is harmless (a timeout, reset, 502, 503 or 504 of a request that
/// is not a POST). A POST that may have reached the service is never sent twice.
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
    /// The longest wait a 429 may ask for before the client gives up and returns
    /// [`Error::RateLimited`](crate::Error::RateLimited) instead of sleeping (default 60 s).
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
        let jittered = full.as_secs_f64() * (1.0 - 0.25 * rand::random::<f64>());
        Duration::try_from_secs_f64(jittered).map_or(full, |wait| wait.min(full))
    }
}

/// What happened to one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this status.
    Status(u16),
    /// No connection could be made: the request was not sent.
    ConnectFailed,
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
    /// Wait what the 429 asks for (or the backoff when it asks nothing), then retry.
    RateLimited,
}

/// Whether an attempt may be retried. `is_post` marks requests that are not safe to repeat.
pub(crate) fn decide(outcome: Outcome, is_post: bool) -> Decision {
    match outcome {
        Outcome::ConnectFailed => Decision::Backoff,
        Outcome::Interrupted if !is_post => Decision::Backoff,
        Outcome::Status(429) => Decision::RateLimited,
        Outcome::Status(408) => Decision::Backoff,
        Outcome::Status(502..=504) if !is_post => Decision::Backoff,
        _ => Decision::Stop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_are_retried_only_when_they_cannot_have_been_processed() {
        assert_eq!(decide(Outcome::ConnectFailed, true), Decision::Backoff);
        assert_eq!(decide(Outcome::Status(429), true), Decision::RateLimited);
        assert_eq!(decide(Outcome::Status(408), true), Decision::Backoff);
        assert_eq!(decide(Outcome::Status(503), true), Decision::Stop);
        assert_eq!(decide(Outcome::Status(500), true), Decision::Stop);
        assert_eq!(decide(Outcome::Interrupted, true), Decision::Stop);
    }

    #[test]
    fn other_methods_are_retried_on_transient_failures() {
        for status in [502, 503, 504, 408] {
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
