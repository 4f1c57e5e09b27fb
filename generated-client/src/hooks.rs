//! Observing each attempt, for metrics and logs: what was tried and how it went, never the
//! key, the headers, the URL's values or a body.

use std::sync::Arc;
use std::time::Duration;

use crate::TransportKind;

/// One attempt of a call, as an [`AttemptObserver`] sees it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation, as the client's method is named (`get_customer`).
    pub operation: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'a str,
    /// The path as the document writes it, parameters unfilled (`/v2/customers/{id}`): it
    /// names the endpoint without carrying an id.
    pub path: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The response's status; `None` when no response came.
    pub status: Option<u16>,
    /// Why no response came, when none did.
    pub failure: Option<TransportKind>,
    /// From sending to the end of the response (or the failure); pacing waits excluded.
    pub elapsed: Duration,
    /// The response's `x-request-id`, if any.
    pub request_id: Option<&'a str>,
    /// Whether the client will try again.
    pub will_retry: bool,
    /// The response's body was longer than `max_response_bytes`: reading stopped, the
    /// connection was dropped, and the call returns `Error::ResponseTooLarge`. `status` is the
    /// response's.
    pub response_too_large: bool,
}

/// Called after every attempt of every call, on the task that made the call. Keep it quick
/// (count, record, log): the call waits for it.
///
/// Any `Fn(&Attempt<'_>) + Send + Sync` is an observer:
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::sync::Arc;
///
/// let failures = Arc::new(AtomicU64::new(0));
/// let counted = failures.clone();
/// let client = carecycle::Client::builder()
///     .api_key("cc_test_key")
///     .observer(move |attempt: &carecycle::Attempt<'_>| {
///         if attempt.status.is_none_or(|s| s >= 500) {
///             counted.fetch_add(1, Ordering::Relaxed);
///         }
///     })
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
pub trait AttemptObserver: Send + Sync {
    /// One attempt ended.
    fn on_attempt(&self, attempt: &Attempt<'_>);
}

impl<F> AttemptObserver for F
where
    F: Fn(&Attempt<'_>) + Send + Sync,
{
    fn on_attempt(&self, attempt: &Attempt<'_>) {
        self(attempt)
    }
}

/// The observers of a client, shared by its clones.
#[derive(Clone, Default)]
pub(crate) struct Observers(pub(crate) Vec<Arc<dyn AttemptObserver>>);

impl Observers {
    pub(crate) fn notify(&self, attempt: &Attempt<'_>) {
        for observer in &self.0 {
            observer.on_attempt(attempt);
        }
    }
}

impl std::fmt::Debug for Observers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} observer(s)", self.0.len())
    }
}
