//! What every string newtype of `types` shares, written once.
//!
//! typify writes a newtype around `String` for each string with limits (length, pattern), and
//! the same five impls for each. The limits of component properties are lifted before
//! generation and checked by `check.rs` instead, so only limits elsewhere (an array's items,
//! an inline object's properties) still make newtypes; the curated document has none. The codegen pass `string_newtypes` replaces those impls by one
//! call of [`string_newtype!`] when they are exactly the impls below; each newtype keeps its
//! own `FromStr`, which holds its checks.

/// `Deref` to `String`, `From<X> for String`, `TryFrom<&str>` and `TryFrom<String>` through
/// `FromStr`, and a `Deserialize` that checks through `FromStr` too. Called in `types`, whose
/// `error::ConversionError` the impls name.
#[allow(unused_macros)]
macro_rules! string_newtype {
    ($name:ident) => {
        impl ::std::ops::Deref for $name {
            type Target = ::std::string::String;
            fn deref(&self) -> &::std::string::String {
                &self.0
            }
        }
        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
        impl ::std::convert::TryFrom<&str> for $name {
            type Error = self::error::ConversionError;
            fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = self::error::ConversionError;
            fn try_from(
                value: ::std::string::String,
            ) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                ::std::string::String::deserialize(deserializer)?
                    .parse()
                    .map_err(|e: self::error::ConversionError| {
                        <D::Error as ::serde::de::Error>::custom(e.to_string())
                    })
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use string_newtype;
