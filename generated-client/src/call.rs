//! Per-call options: the extra headers, extra query parameters, timeout and retry policy that
//! every operation's builder takes (`.header(..)`, `.query(..)`, `.timeout(..)`,
//! `.retry_policy(..)`, written once in `call_option_methods!`, which the `call_options` pass
//! of codegen calls for every builder).
//!
//! A setter cannot fail (builders chain), so the first refused value is kept and reported by
//! `send()` as [`Error::InvalidRequest`] before anything is sent.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::Error;
use crate::redact::ApiKey;
use crate::retry::RetryPolicy;

/// Headers no caller sets: the key has its own setting (and stays marked sensitive), and
/// the HTTP library owns the message's framing and its target.
pub(crate) const RESERVED_HEADERS: [&str; 5] = [
    "x-api-key",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
];

/// What one call adds to, or changes in, the client's settings.
#[derive(Clone, Default)]
pub struct CallOptions {
    headers: HeaderMap,
    query: Vec<(String, String)>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    /// The first refused setting: (argument, reason).
    refused: Option<(String, String)>,
}

/// Names only: header and query values may be personal data (a search by email).
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl CallOptions {
    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        match checked_header(name, value) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(reason) => self.refuse(format!("header {}", printable(name)), reason),
        }
        self
    }

    pub(crate) fn query(mut self, name: &str, value: &str) -> Self {
        if name.is_empty() {
            self.refuse("query".into(), "the parameter name is empty".into());
        } else {
            self.query.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        if timeout.is_zero() {
            self.refuse(
                "timeout".into(),
                "the timeout must be longer than zero".into(),
            );
        }
        self.timeout = Some(timeout);
        self
    }

    pub(crate) fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    fn refuse(&mut self, argument: String, reason: String) {
        self.refused.get_or_insert((argument, reason));
    }

    /// Adds the headers and query parameters to the request the builder made, and sets its
    /// timeout; returns the retry policy for the call (`None`: the client's).
    pub(crate) fn apply(
        self,
        request: &mut reqwest::Request,
        api_key: &ApiKey,
    ) -> Result<Option<RetryPolicy>, Error> {
        let refuse = |argument: String, reason: &str| Error::InvalidRequest {
            argument,
            reason: reason.to_owned(),
        };
        if let Some((argument, reason)) = self.refused {
            return Err(Error::InvalidRequest { argument, reason });
        }
        // The key travels in `x-api-key` only, marked sensitive: never in a header or URL
        // that proxies and servers log.
        let key = api_key.expose();
        const HOLDS_KEY: &str = "the value holds the API key; the client sends the key itself";
        for (name, value) in &self.headers {
            if value
                .as_bytes()
                .windows(key.len())
                .any(|w| w == key.as_bytes())
            {
                return Err(refuse(format!("header {name}"), HOLDS_KEY));
            }
        }
        for (name, value) in &self.query {
            if value.contains(key) || name.contains(key) {
                return Err(refuse(format!("query {}", printable(name)), HOLDS_KEY));
            }
            if request
                .url()
                .query_pairs()
                .any(|(set, _)| set == name.as_str())
            {
                return Err(refuse(
                    format!("query {name}"),
                    "the operation sets this parameter itself; use its setter",
                ));
            }
        }
        if !self.query.is_empty() {
            request
                .url_mut()
                .query_pairs_mut()
                .extend_pairs(&self.query);
        }
        // Replaces what the builder set under the same names (`accept`, say); several values
        // under one name are all sent.
        request.headers_mut().extend(self.headers);
        if let Some(timeout) = self.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(self.retry)
    }
}

/// A header name and value as HTTP allows them, the name not reserved.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)")?;
    if RESERVED_HEADERS.contains(&name.as_str()) {
        let reason = if name.as_str() == "x-api-key" {
            "the API key is set with `ClientBuilder::api_key`, not as a header"
        } else {
            "the HTTP library sets this header itself"
        };
        return Err(reason.into());
    }
    let value = HeaderValue::from_str(value)
        .map_err(|_| "the value holds a control character (a line break, say) or non-ASCII text")?;
    Ok((name, value))
}

/// A name as an error message may show it: at most 40 visible ASCII characters.
fn printable(name: &str) -> String {
    let shown: String = name
        .chars()
        .take(40)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    shown
}

/// The per-call methods of an operation's builder, written once: the `call_options` pass of
/// codegen puts `crate::call::call_option_methods!(Builder);` after each builder's impl.
/// The builder, generic over one lifetime, holds the options in its `call_options` field.
macro_rules! call_option_methods {
    ($name:ident) => {
        impl<'a> $name<'a> {
            /// Adds a header to this call, replacing one the client would send under the same
            /// name (several calls with one name send every value). `send()` refuses, naming
            /// the header: `x-api-key` in any case (the client sends the key itself),
            /// `host`, `content-length`, `transfer-encoding`, `connection`, a name HTTP does
            /// not allow, a value with a control character or non-ASCII text, and a value
            /// holding the API key. See the crate documentation, "Per-call options".
            pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                self.call_options = self.call_options.header(name.as_ref(), value.as_ref());
                self
            }
            /// Adds a query parameter the operation does not name (a filter or paging
            /// parameter the reference leaves out), percent-encoded. `send()` refuses an empty
            /// name, a parameter the operation sets itself (use its setter), and a value
            /// holding the API key.
            pub fn query(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                self.call_options = self.call_options.query(name.as_ref(), value.as_ref());
                self
            }
            /// How long each attempt of this call may take, instead of the client's
            /// `request_timeout`. Zero is refused by `send()`.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call_options = self.call_options.timeout(timeout);
                self
            }
            /// How this call is retried, instead of the client's policy.
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.call_options = self.call_options.retry_policy(policy);
                self
            }
        }
    };
}

pub(crate) use call_option_methods;

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap())
    }

    fn key() -> ApiKey {
        ApiKey::new("cc_test_secret_key").unwrap()
    }

    fn refused(options: CallOptions) -> (String, String) {
        match options.apply(&mut request("https://h/v2/x"), &key()) {
            Err(Error::InvalidRequest { argument, reason }) => (argument, reason),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn adds_headers_query_and_timeout() {
        let mut req = request("https://h/v2/contacts?page=2");
        let policy = CallOptions::default()
            .header("X-Correlation-Id", "abc-123")
            .header("accept", "application/json; q=1")
            .query("status", "active & new")
            .timeout(Duration::from_secs(3))
            .retry_policy(RetryPolicy::none())
            .apply(&mut req, &key())
            .unwrap();
        assert_eq!(policy, Some(RetryPolicy::none()));
        assert_eq!(req.url().query(), Some("page=2&status=active+%26+new"));
        assert_eq!(req.headers()["x-correlation-id"], "abc-123");
        assert_eq!(req.headers()["accept"], "application/json; q=1");
        assert_eq!(req.timeout(), Some(&Duration::from_secs(3)));
    }

    #[test]
    fn the_key_header_is_refused_in_any_case() {
        for name in ["x-api-key", "X-API-KEY", "X-Api-Key"] {
            let (argument, reason) = refused(CallOptions::default().header(name, "cc_other"));
            assert!(argument.contains(name), "{argument}");
            assert!(reason.contains("api_key"), "{reason}");
        }
    }

    #[test]
    fn bad_names_values_and_framing_headers_are_refused_naming_them() {
        for (options, named) in [
            (
                CallOptions::default().header("bad name", "v"),
                "header bad?name",
            ),
            (
                CallOptions::default().header("x-note", "a\r\nx-api-key: b"),
                "header x-note",
            ),
            (
                CallOptions::default().header("Content-Length", "0"),
                "header Content-Length",
            ),
            (CallOptions::default().query("", "v"), "query"),
            (CallOptions::default().timeout(Duration::ZERO), "timeout"),
        ] {
            let (argument, reason) = refused(options);
            assert_eq!(argument, named, "{reason}");
            assert!(
                !reason.contains("x-api-key: b"),
                "the value is not echoed: {reason}"
            );
        }
    }

    #[test]
    fn the_key_in_a_value_and_a_parameter_the_operation_sets_are_refused() {
        let (argument, _) =
            refused(CallOptions::default().header("authorization", "Bearer cc_test_secret_key"));
        assert_eq!(argument, "header authorization");
        let (argument, reason) = refused(CallOptions::default().query("k", "cc_test_secret_key"));
        assert_eq!(argument, "query k");
        assert!(!reason.contains("cc_test_secret_key"), "{reason}");
        let mut req = request("https://h/v2/x?page=1");
        let error = CallOptions::default()
            .query("page", "2")
            .apply(&mut req, &key())
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { argument, reason }
                if argument == "query page" && reason.contains("its setter")),
            "{error:?}"
        );
    }

    #[test]
    fn debug_shows_names_not_values() {
        let options = CallOptions::default()
            .header("x-note", "jane@example.com")
            .query("email", "jane@example.com");
        let text = format!("{options:?}");
        assert!(text.contains("x-note") && text.contains("email"), "{text}");
        assert!(!text.contains("jane"), "{text}");
    }
}
