//! Nested values in builders, and where a builder's refusal sits.
//!
//! The setter of a field that holds a type of `types` (`records`, `customFields`) takes
//! [`Builds`]: the value itself or its builder, or for an array any iterator of either. A
//! builder that does not build (a required field not set) is refused by the operation's
//! `send()`, naming the field's path. The builders of `types` keep their refusals as text,
//! `"<path>: <reason>"`, the path in the document's field names relative to the builder
//! (`records[2].phoneNumber: is required and was not set`); the codegen pass `nested_builders`
//! makes every builder write them through the functions here.

use std::fmt::Display;

/// A value of `T`, or what builds one: `T` itself, or `T`'s builder (`types::builder::T`).
///
/// The setters of fields that hold a type of `carecycle::types` take it, so a nested value is
/// written in place without converting it first:
///
/// ```
/// use carecycle::types;
///
/// let body = types::UploadLeadsRequest::builder().records([
///     types::LeadRecord::builder().phone_number("5555550100").first_name("Ann"),
///     types::LeadRecord::builder().phone_number("5555550101").timezone("America/Chicago"),
/// ]);
/// # let _ = body;
/// ```
///
/// A builder that lacks a required field is refused when the request is sent, as
/// `Error::InvalidRequest` naming the field (`body.records[1].phoneNumber`).
pub trait Builds<T> {
    /// The value, or the refusal as `"<path>: <reason>"`.
    #[doc(hidden)]
    fn build(self) -> Result<T, String>;
}

impl<T> Builds<T> for T {
    fn build(self) -> Result<T, String> {
        Ok(self)
    }
}

/// Why a required field is refused.
pub(crate) const REQUIRED: &str = "is required and was not set";

/// The refusal of a required field that was not set.
pub(crate) fn required(field: &str) -> String {
    format!("{field}: {REQUIRED}")
}

/// The refusal of a value given to the setter of `field`, for `reason`.
pub(crate) fn refused(field: &str, reason: impl Display) -> String {
    format!("{field}: {reason}")
}

/// The refusal of a nested value, moved under `field`.
pub(crate) fn nested(field: &str, refusal: String) -> String {
    if refusal.starts_with('[') || refusal.starts_with(':') {
        format!("{field}{refusal}")
    } else {
        format!("{field}.{refusal}")
    }
}

/// Every item built, or the first refusal, under its index.
pub(crate) fn build_all<T, I>(items: I) -> Result<Vec<T>, String>
where
    I: IntoIterator,
    I::Item: Builds<T>,
{
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            item.build()
                .map_err(|refusal| nested(&format!("[{index}]"), refusal))
        })
        .collect()
}

/// A refusal's path and reason (no path: the refusal is about the value as a whole).
pub(crate) fn split(refusal: &str) -> (&str, &str) {
    match refusal.split_once(": ") {
        Some((path, reason)) if !path.contains(' ') => (path, reason),
        _ => ("", refusal.trim_start_matches(": ")),
    }
}

/// `builder()` for each named struct of `types`: its builder of `types::builder`, empty. The
/// codegen pass `builder_functions` writes one call for all of them (and one behind `mock`).
#[allow(unused_macros)]
macro_rules! builder_functions {
    ($($name:ident),* $(,)?) => {
        $(impl $name {
            pub fn builder() -> builder::$name {
                Default::default()
            }
        })*
    };
}

#[allow(unused_imports)]
pub(crate) use builder_functions;

#[cfg(test)]
mod tests {
    use super::*;

    struct Fails(&'static str);

    impl Builds<u8> for Fails {
        fn build(self) -> Result<u8, String> {
            Err(self.0.to_owned())
        }
    }

    #[test]
    fn refusals_are_moved_under_their_field_and_index() {
        assert_eq!(
            split(&nested("records", required("phoneNumber"))),
            ("records.phoneNumber", REQUIRED)
        );
        let items = [
            Fails("ok"),
            Fails("phoneNumber: is required and was not set"),
        ];
        let refusal = build_all::<u8, _>(items.into_iter().skip(1)).unwrap_err();
        assert_eq!(refusal, "[0].phoneNumber: is required and was not set");
        assert_eq!(
            nested("records", refusal),
            "records[0].phoneNumber: is required and was not set"
        );
        assert_eq!(
            split(&refused("memberId", "invalid character: expected hex")),
            ("memberId", "invalid character: expected hex")
        );
        assert_eq!(
            split("a whole value: refused"),
            ("", "a whole value: refused")
        );
    }

    #[test]
    fn a_value_builds_itself() {
        assert_eq!(build_all::<u8, _>([1u8, 2]).unwrap(), [1, 2]);
    }
}
