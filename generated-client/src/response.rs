//! What a successful call returns: the decoded value with the response's status and headers.
//!
//! The headers are the service's text (names and values alike) and may echo what the request
//! sent, so `Debug` shows how many there are, never one of them; the value prints as its type's
//! `Debug` does (personal fields `<redacted>`), and a text or bytes body as its length. The
//! headers themselves are read through [`ResponseHeaders::get`], as [`ServiceText`], or
//! [`ResponseHeaders::expose`]. The codegen pass `runtime_send` makes the generated `send()`s
//! return this type instead of progenitor's, whose `Debug` would print a text body.

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::ServiceText;

/// A successful response: the decoded value (`Deref`s to it; [`into_inner`](Self::into_inner)
/// takes it), the status and the headers.
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: ResponseHeaders,
    request_id: Option<String>,
    /// How `Debug` prints the value: its type's `Debug`, or only its length for a text or
    /// bytes body, which is the service's text.
    debug_value: fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result,
}

impl<T: fmt::Debug> ResponseValue<T> {
    /// A response with this value, status and headers: for test fixtures. `Debug` prints the
    /// value as its type does.
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        ResponseValue::with_request_id(inner, status, headers, None, <T as fmt::Debug>::fmt)
    }
}

impl<T> ResponseValue<T> {
    /// What the runtime returns: the request id is the one it recognised (see
    /// `untrusted::request_id`).
    pub(crate) fn with_request_id(
        inner: T,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        debug_value: fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result,
    ) -> Self {
        ResponseValue {
            inner,
            status,
            headers: ResponseHeaders(headers),
            request_id,
            debug_value,
        }
    }

    /// The value, without the status and headers.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers, as the service sent them.
    pub fn headers(&self) -> &ResponseHeaders {
        &self.headers
    }

    /// The `x-request-id` header when it looks like an id (the same check as in errors), for
    /// logs and support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `content-length` header as a number, when present and valid.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .0
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for ResponseValue<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Value<'a, T>(&'a ResponseValue<T>);
        impl<T> fmt::Debug for Value<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                (self.0.debug_value)(&self.0.inner, f)
            }
        }
        f.debug_struct("ResponseValue")
            .field("status", &self.status.as_u16())
            .field("request_id", &self.request_id)
            .field("headers", &self.headers)
            .field("value", &Value(self))
            .finish()
    }
}

/// `Debug` of a text or bytes body: its length only.
pub(crate) fn debug_length<T: AsRef<[u8]>>(body: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "<redacted: {} bytes>", body.as_ref().len())
}

/// The headers of a successful response. Names and values are the service's text: `Debug`
/// prints how many there are, never a name or a value.
#[derive(Clone)]
pub struct ResponseHeaders(HeaderMap);

impl ResponseHeaders {
    /// The first value of the header `name` (in any case), as the service's text; `None` when
    /// it is absent or not visible ASCII.
    pub fn get(&self, name: &str) -> Option<ServiceText> {
        self.0.get(name)?.to_str().ok().map(ServiceText::new)
    }

    /// Whether the response has the header `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// How many header values the response has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the response has no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The headers as the service sent them. A value may echo what the request sent (personal
    /// data, the key): read the one you need, never log them whole.
    pub fn expose(&self) -> &HeaderMap {
        &self.0
    }
}

impl fmt::Debug for ResponseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} headers>", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echoing_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", "Quintessa 123-45-6789".parse().unwrap());
        headers.insert("x-quintessa", "1".parse().unwrap());
        headers
    }

    #[test]
    fn debug_shows_the_status_and_the_value_and_counts_the_headers() {
        let response = ResponseValue::new(vec!["typed"], StatusCode::CREATED, echoing_headers());
        let printed = format!("{response:?} {:?} {response:#?}", response.headers());
        assert!(
            printed.contains("status: 201")
                && printed.contains("<2 headers>")
                && printed.contains("typed"),
            "{printed}"
        );
        assert!(
            !printed.contains("Quintessa")
                && !printed.contains("quintessa")
                && !printed.contains("6789"),
            "{printed}"
        );
        assert_eq!(
            response
                .headers()
                .get("X-Echo")
                .map(|t| t.expose().to_owned())
                .as_deref(),
            Some("Quintessa 123-45-6789")
        );
        assert_eq!(
            format!("{:?}", response.headers().get("x-echo").unwrap()),
            "<redacted: 21 bytes>"
        );
    }

    #[test]
    fn a_text_body_prints_as_its_length() {
        let text = "Quintessa Vanderhoeven".to_owned();
        let response = ResponseValue::with_request_id(
            text,
            StatusCode::OK,
            HeaderMap::new(),
            None,
            debug_length,
        );
        let printed = format!("{response:?}");
        assert!(
            printed.contains("<redacted: 22 bytes>") && !printed.contains("Quintessa"),
            "{printed}"
        );
        assert_eq!(response.into_inner(), "Quintessa Vanderhoeven");
    }
}
