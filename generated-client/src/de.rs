//! What the `Deserialize` impls of `types` share (written by the `deserialize_impls` pass of
//! codegen in place of serde's derive).
//!
//! serde's derive writes, for every struct, a field enum with three visitors of its own and
//! both a sequence and a map visitor: half of this crate's compile. The generated impls keep
//! one map visitor per struct, and find a key's field through one non-generic function per
//! struct; the key visitors and the checks live here, compiled once.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// A key of a JSON object, as the index of the struct's field it names (`None`: a key the
/// struct does not know, whose value is skipped).
pub struct Field(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((self.0)(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(key).ok().and_then(self.0))
    }
}

/// A key of a JSON object whose struct keeps the keys it does not know (a
/// `#[serde(flatten)]` catch-all): the field's index, or the key itself.
pub struct FieldOrKey(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for FieldOrKey {
    type Value = Result<usize, String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldOrKey {
    type Value = Result<usize, String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((self.0)(key).ok_or_else(|| key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok((self.0)(&key).ok_or(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        let key = std::str::from_utf8(key)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(key), &self))?;
        self.visit_str(key)
    }
}

/// A field seen a second time is an error, as with serde's derive; checked before its value
/// is read.
pub fn vacant<E: de::Error>(taken: bool, name: &'static str) -> Result<(), E> {
    if taken {
        Err(E::duplicate_field(name))
    } else {
        Ok(())
    }
}

/// The value of a field the object must hold.
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// `Deserialize` for a struct of `types`, from one line per field:
/// `field[index]: Type = "wireName" required` (or `optional`: missing gives the type's
/// default), and for a struct with a catch-all a last `.. extra: Map<String, Value>`, which
/// keeps every key the struct does not name. The impl stands for serde's derive.
#[allow(unused_macros)]
macro_rules! deserialize_struct {
    ($name:ident { $($field:ident [$index:literal]: $ty:ty = $wire:literal $missing:ident),* $(,)? }) => {
        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                fn __field(key: &str) -> ::std::option::Option<usize> {
                    match key {
                        $($wire => ::std::option::Option::Some($index),)*
                        _ => ::std::option::Option::None,
                    }
                }
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)*
                        while let ::std::option::Option::Some(key) = map.next_key_seed($crate::de::Field(__field))? {
                            match key {
                                $(::std::option::Option::Some($index) => {
                                    $crate::de::vacant($field.is_some(), $wire)?;
                                    $field = ::std::option::Option::Some(map.next_value()?);
                                })*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::de::deserialize_struct!(@missing $missing $field $wire),)*
                        })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), &[$($wire),*], __Visitor)
            }
        }
    };
    ($name:ident { $($field:ident [$index:literal]: $ty:ty = $wire:literal $missing:ident,)* .. $rest:ident: $rest_ty:ty $(,)? }) => {
        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                fn __field(key: &str) -> ::std::option::Option<usize> {
                    match key {
                        $($wire => ::std::option::Option::Some($index),)*
                        _ => ::std::option::Option::None,
                    }
                }
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)*
                        let mut $rest: $rest_ty = ::std::default::Default::default();
                        while let ::std::option::Option::Some(key) = map.next_key_seed($crate::de::FieldOrKey(__field))? {
                            match key {
                                $(::std::result::Result::Ok($index) => {
                                    $crate::de::vacant($field.is_some(), $wire)?;
                                    $field = ::std::option::Option::Some(map.next_value()?);
                                })*
                                ::std::result::Result::Err(key) => {
                                    $rest.insert(key, map.next_value()?);
                                }
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::de::deserialize_struct!(@missing $missing $field $wire),)*
                            $rest,
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@missing required $field:ident $wire:literal) => {
        $crate::de::required($field, $wire)?
    };
    (@missing optional $field:ident $wire:literal) => {
        $field.unwrap_or_default()
    };
}

#[allow(unused_imports)]
pub(crate) use deserialize_struct;

#[cfg(test)]
mod tests {
    use super::*;

    fn index(key: &str) -> Option<usize> {
        ["firstName", "lastName"]
            .iter()
            .position(|name| *name == key)
    }

    #[test]
    fn keys_name_fields_by_index_and_unknown_keys_are_kept_only_when_asked() {
        let field = |json: &str| {
            Field(index)
                .deserialize(&mut serde_json::Deserializer::from_str(json))
                .unwrap()
        };
        assert_eq!(field("\"lastName\""), Some(1));
        assert_eq!(
            field("\"last\\u004eame\""),
            Some(1),
            "an escaped key is the same key"
        );
        assert_eq!(field("\"nickname\""), None);
        let kept = |json: &str| {
            FieldOrKey(index)
                .deserialize(&mut serde_json::Deserializer::from_str(json))
                .unwrap()
        };
        assert_eq!(kept("\"firstName\""), Ok(0));
        assert_eq!(kept("\"nickname\""), Err("nickname".to_owned()));
    }

    #[test]
    fn a_repeated_or_missing_field_is_an_error_naming_it() {
        let repeated: serde_json::Error = vacant(true, "firstName").unwrap_err();
        assert_eq!(repeated.to_string(), "duplicate field `firstName`");
        assert!(vacant::<serde_json::Error>(false, "firstName").is_ok());
        let missing: serde_json::Error = required::<u8, _>(None, "lastName").unwrap_err();
        assert_eq!(missing.to_string(), "missing field `lastName`");
        assert_eq!(
            required::<u8, serde_json::Error>(Some(3), "lastName").unwrap(),
            3
        );
    }
}
