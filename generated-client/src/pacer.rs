//! A client-side pacer, so that a bulk job runs at the rate limit without meeting 429s.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How fast a client may send requests.
///
/// The default is careCycle's limit: 60 requests a minute, one a second, no burst, so no
/// window of a minute ever holds more than 60 requests. Every attempt (retries included) of
/// every clone of a client takes its turn; a 429 within the retry policy's cap holds them all
/// back for the wait it asks.
///
/// ```
/// use std::time::Duration;
/// use carecycle::{Client, Pacing};
///
/// // Two processes share a key: each takes half of the limit, with bursts of up to 5.
/// let pacing = Pacing::per_minute(30).with_burst(5);
/// assert_eq!(pacing.interval, Duration::from_secs(2));
/// let client = Client::builder().api_key("cc_live_0123456789").pacing(Some(pacing)).build().unwrap();
/// # let _ = client;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pacing {
    /// The time between two requests at the steady rate.
    pub interval: Duration,
    /// How many requests may go at once after a quiet period (at least 1).
    pub burst: u32,
}

impl Pacing {
    /// `requests` per minute, evenly spaced, no burst.
    pub fn per_minute(requests: u32) -> Pacing {
        Pacing {
            interval: Duration::from_secs(60) / requests.max(1),
            burst: 1,
        }
    }

    /// `requests` per second, evenly spaced, no burst.
    pub fn per_second(requests: u32) -> Pacing {
        Pacing {
            interval: Duration::from_secs(1) / requests.max(1),
            burst: 1,
        }
    }

    /// Allows `burst` requests at once after a quiet period.
    pub fn with_burst(self, burst: u32) -> Pacing {
        Pacing {
            burst: burst.max(1),
            ..self
        }
    }
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing::per_minute(60)
    }
}

/// A token bucket in its GCRA form: one timestamp, the theoretical arrival time of the next
/// request. Each caller reserves its slot under the lock and sleeps outside it.
#[derive(Debug)]
pub(crate) struct Pacer {
    pacing: Pacing,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    pub fn new(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            next: Mutex::new(None),
        }
    }

    /// Waits until this request may go.
    pub async fn acquire(&self) {
        let start = self.reserve(Instant::now());
        tokio::time::sleep_until(start).await;
    }

    /// Holds every request back until `until`: the service asked for a pause (a 429), and
    /// the other clones should not spend their requests meeting the same limit.
    pub fn defer(&self, until: Instant) {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tolerance = self.tolerance();
        // The slot after the burst's tolerance starts at `until`.
        let arrival = until.checked_add(tolerance).unwrap_or(until);
        *next = Some(next.map_or(arrival, |t| t.max(arrival)));
    }

    /// Reserves the next slot at or after `now`; returns when it starts.
    fn reserve(&self, now: Instant) -> Instant {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let arrival = next.map_or(now, |t| t.max(now));
        let start = arrival
            .checked_sub(self.tolerance())
            .map_or(now, |t| t.max(now));
        *next = Some(arrival.checked_add(self.pacing.interval).unwrap_or(arrival));
        start
    }

    /// How far ahead of the steady rate a burst may run.
    fn tolerance(&self) -> Duration {
        self.pacing
            .interval
            .saturating_mul(self.pacing.burst.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_spaced_by_the_interval() {
        let pacer = Pacer::new(Pacing::per_second(10));
        let now = Instant::now();
        let slots: Vec<Duration> = (0..4).map(|_| pacer.reserve(now) - now).collect();
        assert_eq!(slots, [0, 100, 200, 300].map(Duration::from_millis));
    }

    #[test]
    fn a_burst_goes_at_once_then_the_steady_rate_follows() {
        let pacer = Pacer::new(Pacing::per_second(10).with_burst(3));
        let now = Instant::now();
        let slots: Vec<Duration> = (0..5).map(|_| pacer.reserve(now) - now).collect();
        assert_eq!(slots, [0, 0, 0, 100, 200].map(Duration::from_millis));
    }

    #[test]
    fn a_deferral_holds_every_request_back_until_it_ends() {
        let pacer = Pacer::new(Pacing::per_second(10).with_burst(2));
        let now = Instant::now();
        pacer.defer(now + Duration::from_secs(2));
        let slots: Vec<Duration> = (0..3).map(|_| pacer.reserve(now) - now).collect();
        assert_eq!(slots, [2000, 2100, 2200].map(Duration::from_millis));
    }

    #[test]
    fn a_zero_burst_set_by_hand_does_not_panic() {
        let pacer = Pacer::new(Pacing {
            interval: Duration::from_millis(100),
            burst: 0,
        });
        let now = Instant::now();
        assert_eq!(pacer.reserve(now), now);
        assert_eq!(pacer.reserve(now), now + Duration::from_millis(100));
    }

    #[test]
    fn a_quiet_period_does_not_bank_more_than_the_burst() {
        let pacer = Pacer::new(Pacing::per_second(10));
        let start = Instant::now();
        pacer.reserve(start);
        let later = start + Duration::from_secs(5);
        assert_eq!(pacer.reserve(later), later);
        assert_eq!(pacer.reserve(later), later + Duration::from_millis(100));
    }
}
