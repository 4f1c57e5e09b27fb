//! What Debug output prints instead of secrets and personal data.

use std::fmt;

/// Prints `<redacted>` whatever it stands for. The generated `Debug` impls of types with
/// personal fields (marked `x-personal-data` in the document) print it in their place.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

/// The marker personal fields and secrets print as.
pub const MARKER: &str = "<redacted>";

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MARKER)
    }
}

/// An API key. It is sent in the `x-api-key` header (marked sensitive) and printed nowhere.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    key: String,
    header: reqwest::header::HeaderValue,
}

impl ApiKey {
    /// Checks the key's shape: it begins with `cc_` and has no whitespace. The error never
    /// contains the key.
    pub fn new(key: impl Into<String>) -> Result<ApiKey, &'static str> {
        let key = key.into();
        if key.is_empty() {
            return Err("the API key is empty");
        }
        if key.chars().any(char::is_whitespace) {
            return Err("the API key contains whitespace");
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the API key contains characters other than visible ASCII");
        }
        if !key.starts_with("cc_") || key.len() == 3 {
            return Err("careCycle API keys begin with `cc_` followed by the key");
        }
        let mut header = reqwest::header::HeaderValue::from_str(&key)
            .map_err(|_| "the API key is not a valid header value")?;
        // Sensitive: HTTP libraries print it as `Sensitive`, never the value.
        header.set_sensitive(true);
        Ok(ApiKey { key, header })
    }

    /// The header value, marked sensitive.
    pub(crate) fn header_value(&self) -> reqwest::header::HeaderValue {
        self.header.clone()
    }

    /// The key itself, to keep a request id that resembles it out of errors and traces.
    pub(crate) fn expose(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(")?;
        f.write_str(MARKER)?;
        f.write_str(")")
    }
}

/// What a field shows in the `Debug` of a type with personal fields: its value.
pub(crate) fn shown<T: fmt::Debug>(value: &T) -> &dyn fmt::Debug {
    value
}

/// What a personal field shows in the `Debug` of its type: `<redacted>`.
pub(crate) fn redacted<T>(_: &T) -> &'static dyn fmt::Debug {
    &Redacted
}

/// The `Debug` of a struct of `types` with personal fields: each field in order, through
/// [`shown`] or [`redacted`] as the call says (the codegen pass `redact_debug` writes one call
/// per such struct).
#[allow(unused_macros)]
macro_rules! redacted_debug {
    ($name:ident { $($field:ident: $how:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), crate::redact::$how(&self.$field)))*
                    .finish()
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use redacted_debug;
