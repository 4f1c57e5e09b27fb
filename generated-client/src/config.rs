//! Building a [`Client`]: the API key, where to send requests, timeouts, retries, pacing,
//! default headers, proxy, root certificates and observers.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::call::checked_header;
use crate::hooks::{AttemptObserver, Observers};

use crate::pacer::{Pacer, Pacing};
use crate::redact::{ApiKey, MARKER};
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::{Client, Error, tls};

/// The user agent every request carries: the crate's name and version
/// (`carecycle/<version>`), after the product given to [`ClientBuilder::user_agent`].
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.carecycle.ai";
/// The largest response body a client reads unless told otherwise (16 MiB). The largest
/// documented response, a page of 100 customers, is a few MiB at most.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// The environment variable [`ClientBuilder::from_env`] reads the API key from.
pub const API_KEY_VAR: &str = "CARECYCLE_API_KEY";
/// The environment variable [`ClientBuilder::from_env`] reads the base URL from, if set.
pub const BASE_URL_VAR: &str = "CARECYCLE_BASE_URL";

/// Configures and builds a [`Client`]. Every setting but the API key has a default.
///
/// ```
/// use std::time::Duration;
/// use carecycle::{Client, Pacing, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("cc_live_0123456789")
///     .request_timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy { max_retries: 3, ..RetryPolicy::default() })
///     .pacing(Some(Pacing::per_minute(60)))
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: String,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    pacing: Option<Pacing>,
    max_response_bytes: u64,
    default_headers: Vec<(String, String)>,
    proxy: Option<String>,
    no_proxy: Option<String>,
    root_certificates: Vec<Vec<u8>>,
    observers: Observers,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| MARKER))
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("pacing", &self.pacing)
            .field("max_response_bytes", &self.max_response_bytes)
            // Names only: a header value may be a credential of the caller's.
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            // A proxy URL may carry a user and password.
            .field("proxy", &self.proxy.as_ref().map(|_| MARKER))
            .field("no_proxy", &self.no_proxy)
            .field("root_certificates", &self.root_certificates.len())
            .field("observers", &self.observers)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            user_agent: None,
            retry: RetryPolicy::default(),
            pacing: Some(Pacing::default()),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            default_headers: Vec::new(),
            proxy: None,
            no_proxy: None,
            root_certificates: Vec::new(),
            observers: Observers::default(),
        }
    }
}

impl ClientBuilder {
    /// A builder with every default and no API key.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the API key from `CARECYCLE_API_KEY` and, when set and not empty, the
    /// base URL from `CARECYCLE_BASE_URL`. A missing or malformed key is reported by
    /// [`build`](Self::build); settings made after this call override the environment.
    ///
    /// ```no_run
    /// let client = carecycle::ClientBuilder::from_env()
    ///     .user_agent("billing-sync/2.1")
    ///     .build()?;
    /// # Ok::<(), carecycle::Error>(())
    /// ```
    pub fn from_env() -> Self {
        let api_key = std::env::var_os(API_KEY_VAR).map(|key| {
            // A key that is not unicode is refused by `build` without being printed.
            key.into_string().unwrap_or_else(|_| "\u{0}".to_owned())
        });
        let base_url = std::env::var_os(BASE_URL_VAR)
            .filter(|url| !url.is_empty())
            .map_or_else(
                || DEFAULT_BASE_URL.to_owned(),
                |url| url.to_string_lossy().into_owned(),
            );
        ClientBuilder {
            api_key,
            base_url,
            ..Self::default()
        }
    }

    /// The API key (required). It begins with `cc_` and has no whitespace; it is sent in the
    /// `x-api-key` header, marked sensitive, and printed nowhere.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Where requests go (default `https://api.carecycle.ai`). Plain `http://` is refused
    /// unless the host is loopback or [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Allows a plain `http://` base URL on a host that is not loopback. The API key and
    /// personal data then travel unencrypted: only for networks you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the end of the response (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// A product name to put before the crate's own user agent (`carecycle/<version>`), for
    /// example `billing-sync/2.1`: the request then says `billing-sync/2.1 carecycle/0.2.0`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// How failed requests are retried (default: 2 retries, 0.5 s doubling up to 8 s, 429
    /// waits up to 60 s). [`Client::with_retry_policy`] changes it for some calls only.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Client-side pacing (default 60 requests a minute); `None` turns it off. Every clone of
    /// the client shares one pacer.
    pub fn pacing(mut self, pacing: Option<Pacing>) -> Self {
        self.pacing = pacing;
        self
    }

    /// The largest response body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB). A response that announces a longer body is
    /// refused before its body is read; one that grows past it stops being read. Either ends
    /// in [`Error::ResponseTooLarge`] and drops the connection, so that memory stays bounded
    /// whatever the service sends.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// A header sent with every request (a correlation or tenant header, say). A header of
    /// the same name given to one call's `.header(..)` replaces it for that call. Refused by
    /// [`build`](Self::build) as for `.header(..)`: `x-api-key` in any case (use
    /// [`api_key`](Self::api_key)), `host`, `content-length`, `transfer-encoding`,
    /// `connection`, a name HTTP does not allow, a value with a control character, a value
    /// holding the API key.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Sends every request through this proxy: `http://proxy.internal:3128`, with
    /// `http://user:password@...` for basic authentication. HTTPS requests go through a
    /// `CONNECT` tunnel, so the proxy sees the host, not the key. Without this setting, the
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` variables apply, as reqwest reads
    /// them. A plain-http base URL through a proxy that is not on loopback is refused unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set (the key would cross the
    /// network unencrypted).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Hosts that bypass the [`proxy`](Self::proxy), as `NO_PROXY` writes them: a
    /// comma-separated list of host names (`.internal` matches its subdomains), IP addresses
    /// and CIDR blocks (`10.0.0.0/8`).
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Trusts the certificates of this PEM bundle (one or more `BEGIN CERTIFICATE` blocks) as
    /// roots, besides the system's (a corporate TLS-inspecting proxy's CA, say).
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Calls `observer` after every attempt of every call, with what was tried and how it
    /// went (see [`Attempt`](crate::Attempt)); never the key, headers or bodies. Several
    /// observers are called in the order they were added.
    pub fn observer(mut self, observer: impl AttemptObserver + 'static) -> Self {
        self.observers.0.push(Arc::new(observer));
        self
    }

    /// Checks every setting and builds the client. Nothing is sent.
    ///
    /// Fails with [`Error::InvalidConfig`] naming the setting: no API key, a key that does not
    /// begin with `cc_` or holds whitespace (the error never shows the key), a base URL that is
    /// not absolute http(s), plain http to a host that is not loopback, a zero timeout, a user
    /// agent that is not a valid header value, pacing with a zero interval or burst, a zero
    /// response size limit, a default header refused as described at
    /// [`default_header`](Self::default_header), a proxy that is not an http(s) URL, or root
    /// certificates that are not PEM.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |setting, reason: String| Error::InvalidConfig { setting, reason };
        let key = self.api_key.ok_or_else(|| {
            invalid(
                "api_key",
                format!("no API key was given (set it, or the {API_KEY_VAR} variable)"),
            )
        })?;
        let api_key = ApiKey::new(key).map_err(|reason| invalid("api_key", reason.to_owned()))?;
        let base_url = checked_base_url(&self.base_url, self.allow_insecure_http)
            .map_err(|reason| invalid("base_url", reason))?;
        if base_url.starts_with("https:") && !tls::AVAILABLE {
            return Err(invalid(
                "base_url",
                "carecycle was built without a TLS feature (`rustls`, `rustls-ring`, `native-tls`)"
                    .into(),
            ));
        }
        if self.request_timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(invalid(
                "timeout",
                "timeouts must be longer than zero".into(),
            ));
        }
        let crate_agent = USER_AGENT;
        let user_agent = match &self.user_agent {
            Some(product)
                if product.is_empty()
                    || !product.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) =>
            {
                return Err(invalid(
                    "user_agent",
                    "use visible ASCII characters and spaces only".into(),
                ));
            }
            Some(product) => format!("{product} {crate_agent}"),
            None => crate_agent.to_owned(),
        };
        if let Some(pacing) = &self.pacing
            && (pacing.interval.is_zero()
                || pacing.interval > Duration::from_secs(24 * 3600)
                || pacing.burst == 0)
        {
            return Err(invalid(
                "pacing",
                "the interval must be longer than zero and at most a day, and the burst at least 1 \
                 (use pacing(None) to turn pacing off)"
                    .into(),
            ));
        }
        if self.max_response_bytes == 0 {
            return Err(invalid(
                "max_response_bytes",
                "the response size limit must be at least 1 byte".into(),
            ));
        }
        let mut default_headers = reqwest::header::HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = checked_header(name, value).map_err(|reason| {
                invalid("default_headers", format!("header `{name}`: {reason}"))
            })?;
            if value
                .as_bytes()
                .windows(api_key.expose().len())
                .any(|w| w == api_key.expose().as_bytes())
            {
                return Err(invalid(
                    "default_headers",
                    format!(
                        "header `{name}`: the value holds the API key; the client sends the key itself"
                    ),
                ));
            }
            default_headers.append(name, value);
        }
        let mut http = reqwest::Client::builder()
            .default_headers(default_headers)
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(user_agent);
        if let Some(proxy) = &self.proxy {
            http = http.proxy(checked_proxy(
                proxy,
                self.no_proxy.as_deref(),
                &base_url,
                self.allow_insecure_http,
            )?);
        }
        http = tls::configure(http, &self.root_certificates)?;
        // Set last, so that nothing above can undo them. A redirect would carry the
        // `x-api-key` header to wherever it points; plain http is for loopback only (or
        // allowed explicitly).
        let http = http
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!base_url.starts_with("http:"))
            .build()
            .map_err(|e| invalid("http_client", crate::error::chain(&e)))?;
        let runtime = Runtime {
            api_key,
            retry: self.retry,
            pacer: self.pacing.map(|p| Arc::new(Pacer::new(p))),
            max_response_bytes: self.max_response_bytes,
            observers: self.observers,
        };
        Ok(Client::new_with_client(&base_url, http, runtime))
    }
}

/// The proxy for every request, if its URL is http(s) and it does not carry the key in the
/// clear across the network.
fn checked_proxy(
    raw: &str,
    no_proxy: Option<&str>,
    base_url: &str,
    allow_insecure_http: bool,
) -> Result<reqwest::Proxy, Error> {
    let invalid = |reason: String| Error::InvalidConfig {
        setting: "proxy",
        reason,
    };
    // The URL may hold a password: errors name the host at most.
    let url =
        reqwest::Url::parse(raw).map_err(|_| invalid("the proxy is not an absolute URL".into()))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "the proxy `{host}` has scheme `{}`; use http or https",
            url.scheme()
        )));
    }
    if base_url.starts_with("http:") && !allow_insecure_http && !is_loopback(&url) {
        return Err(invalid(format!(
            "the base URL is plain http, so the API key would reach the proxy `{host}` unencrypted \
             (use https, or allow_insecure_http(true) for a network you trust)"
        )));
    }
    let proxy =
        reqwest::Proxy::all(url).map_err(|_| invalid(format!("the proxy `{host}` was refused")))?;
    Ok(proxy.no_proxy(no_proxy.and_then(reqwest::NoProxy::from_string)))
}

/// The base URL without a trailing slash, if it is absolute, http(s), and not plain http on
/// a host that is not loopback (unless allowed).
fn checked_base_url(raw: &str, allow_insecure_http: bool) -> Result<String, String> {
    let url =
        reqwest::Url::parse(raw).map_err(|e| format!("`{raw}` is not an absolute URL: {e}"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{raw}` has a query or fragment; give the base URL only"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the base URL must not carry credentials".into());
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "`{raw}` is plain http on a host that is not loopback; the API key would travel \
                 unencrypted (use https, or allow_insecure_http(true) for a network you trust)"
            ));
        }
        other => return Err(format!("`{raw}` has scheme `{other}`; use https")),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl Client {
    /// A builder for a client. See [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `CARECYCLE_API_KEY` and `CARECYCLE_BASE_URL`, with every
    /// other setting at its default. See [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// The same client with another retry policy, for the calls made through it. It shares
    /// the connection pool and the pacer with `self`, and costs a clone.
    ///
    /// ```
    /// # let client = carecycle::Client::builder().api_key("cc_test_key").build().unwrap();
    /// use carecycle::RetryPolicy;
    /// let no_retries = client.with_retry_policy(RetryPolicy::none());
    /// # let _ = no_retries;
    /// ```
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        let mut client = self.clone();
        client.inner.retry = policy;
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(builder: ClientBuilder) -> Result<Client, Error> {
        builder.build()
    }

    #[test]
    fn keys_must_begin_with_cc_and_errors_never_echo_them() {
        for bad in [
            "sk_live_secret123",
            "cc_",
            "cc_with space",
            "",
            "cc_tab\tsecret",
            "cc_ünïcode",
            "cc_key\n",
        ] {
            let error = build(Client::builder().api_key(bad)).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(
                matches!(
                    error,
                    Error::InvalidConfig {
                        setting: "api_key",
                        ..
                    }
                ),
                "{text}"
            );
            if bad.len() > 3 {
                assert!(!text.contains(bad), "the key leaked: {text}");
            }
        }
        assert!(build(Client::builder()).is_err(), "a key is required");
        assert!(build(Client::builder().api_key("cc_test_abc")).is_ok());
    }

    #[test]
    fn plain_http_is_refused_unless_loopback_or_allowed() {
        let key = || Client::builder().api_key("cc_test_abc");
        for ok in [
            "https://api.carecycle.ai",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(build(key().base_url(ok)).is_ok(), "{ok}");
        }
        let error = build(key().base_url("http://api.carecycle.ai")).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "base_url",
                    ..
                }
            ),
            "{error}"
        );
        assert!(build(key().base_url("http://10.0.0.5").allow_insecure_http(true)).is_ok());
        assert!(build(key().base_url("ftp://x")).is_err());
        assert!(build(key().base_url("not a url")).is_err());
    }

    #[test]
    fn bad_user_agents_and_pacing_are_refused_by_setting() {
        let key = || Client::builder().api_key("cc_test_abc");
        let error = build(key().user_agent("sync\r\nx-api-key: other")).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "user_agent",
                    ..
                }
            ),
            "{error}"
        );
        for pacing in [
            Pacing {
                interval: Duration::ZERO,
                burst: 1,
            },
            Pacing {
                interval: Duration::from_secs(1),
                burst: 0,
            },
        ] {
            let error = build(key().pacing(Some(pacing))).unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::InvalidConfig {
                        setting: "pacing",
                        ..
                    }
                ),
                "{error}"
            );
        }
        let error = build(key().request_timeout(Duration::ZERO)).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidConfig {
                    setting: "timeout",
                    ..
                }
            ),
            "{error}"
        );
        assert!(build(key().user_agent("billing-sync/2.1").pacing(None)).is_ok());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let builder = Client::builder().api_key("cc_live_supersecret");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("supersecret"), "{client:?}");
    }
}
