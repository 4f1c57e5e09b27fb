//! What every open string enum of `types` shares, written once.
//!
//! typify writes `Display`, `FromStr`, `TryFrom<&str>` and `TryFrom<String>` for each string
//! enum, and the codegen pass `open_enums` gives `Display` an arm for `Unrecognized`. The pass
//! `string_enums` replaces those four impls by one call of [`string_enum!`], naming each
//! variant with its wire value, when they are exactly what the macro expands to.

/// `Display` (the wire value; an `Unrecognized` value as it came), `FromStr` (documented values
/// only), and `TryFrom<&str>` and `TryFrom<String>` through `FromStr`. Called in `types`, whose
/// `error::ConversionError` the impls name.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant => f.write_str($value),)*
                    Self::Unrecognized(value) => f.write_str(value),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                match value {
                    $($value => Ok(Self::$variant),)*
                    _ => Err("invalid value".into()),
                }
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
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use string_enum;

/// The `JsonSchema` of an open enum (feature `schemars`): its description and documented
/// values as a string enum; `Unrecognized` cannot be serialised and is left out. The codegen
/// pass `string_enums` writes one call, behind the feature, per open enum.
#[allow(unused_macros)]
macro_rules! string_enum_schema {
    ($name:ident, $description:literal, [$($value:literal),* $(,)?]) => {
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "description": $description,
                    "type": "string",
                    "enum": [$($value),*],
                })
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use string_enum_schema;
