//! The checks of a request body, where the request is assembled.
//!
//! Every operation's `send()` turns its body (built with `body_map`, or passed whole with
//! `body`) into the body type through [`request_body`], which then checks the value: the
//! document's string limits (`maxLength`, `minLength`, `pattern`) and item counts
//! (`minItems`, `maxItems`), in nested values too. The codegen pass `request_checks` writes a
//! [`Check`] impl for each type of `types` that holds something to check, one line per field;
//! the rules themselves live here. A value is checked when it is sent, so a field changed
//! after the value was built is checked too. A refusal names the field by its path in the
//! document's names (`body.records[2].customFields[0].fieldId`) and the rule, never the value.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use crate::Error;
use crate::patch::Patch;

/// Where a value sits in the request, built up only when a check fails.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The request's body.
    Body,
    /// A named field of the value at the parent path.
    Field(&'a Path<'a>, &'static str),
    /// An item of the array at the parent path.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The field `name` (its name in the document) of the value at this path.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Body => f.write_str("body"),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// What the document allows of one field. A rule with no bound allows everything.
#[derive(Clone, Copy, Default)]
pub struct Rule {
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<&'static str>,
    min_items: Option<usize>,
    max_items: Option<usize>,
}

impl Rule {
    /// No bound: for a field whose value is checked by its own type.
    pub const NONE: Rule = Rule {
        min_length: None,
        max_length: None,
        pattern: None,
        min_items: None,
        max_items: None,
    };

    /// A string's length in characters, and its pattern (ECMAScript syntax, as JSON Schema).
    pub const fn text(
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<&'static str>,
    ) -> Rule {
        Rule {
            min_length,
            max_length,
            pattern,
            ..Rule::NONE
        }
    }

    /// A string's greatest length in characters, the most common rule.
    pub const fn max_length(max_length: usize) -> Rule {
        Rule::text(None, Some(max_length), None)
    }

    /// A string's pattern.
    pub const fn pattern(pattern: &'static str) -> Rule {
        Rule::text(None, None, Some(pattern))
    }

    /// An array's item count.
    pub const fn items(min_items: Option<usize>, max_items: Option<usize>) -> Rule {
        Rule {
            min_items,
            max_items,
            ..Rule::NONE
        }
    }

    fn check_text(&self, text: &str, at: &Path<'_>) -> Result<(), Error> {
        if self.min_length.is_some() || self.max_length.is_some() {
            let length = text.chars().count();
            if let Some(max) = self.max_length.filter(|max| length > *max) {
                return Err(refused(at, format!("is longer than {max} characters")));
            }
            if let Some(min) = self.min_length.filter(|min| length < *min) {
                return Err(refused(at, format!("is shorter than {min} characters")));
            }
        }
        match self.pattern {
            Some(pattern) if !matches(pattern, text) => Err(refused(
                at,
                format!("does not match the pattern `{pattern}`"),
            )),
            _ => Ok(()),
        }
    }

    fn check_count(&self, count: usize, at: &Path<'_>) -> Result<(), Error> {
        let words = match (self.min_items, self.max_items) {
            (Some(min), Some(max)) if !(min..=max).contains(&count) => {
                format!("from {min} to {max}")
            }
            (Some(min), None) if count < min => format!("at least {min}"),
            (None, Some(max)) if count > max => format!("at most {max}"),
            _ => return Ok(()),
        };
        Err(refused(
            at,
            format!("must hold {words} items; it holds {count}"),
        ))
    }
}

/// Whether `text` matches `pattern`. Each pattern is compiled once; the document's patterns
/// are checked to compile when the client is generated, so one that does not matches nothing.
pub(crate) fn matches(pattern: &'static str, text: &str) -> bool {
    /// Each pattern, compiled (`None`: it does not compile).
    type Compiled = HashMap<&'static str, Option<Arc<regress::Regex>>>;
    static COMPILED: OnceLock<Mutex<Compiled>> = OnceLock::new();
    let regex = {
        let mut compiled = COMPILED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        compiled
            .entry(pattern)
            .or_insert_with(|| regress::Regex::new(pattern).ok().map(Arc::new))
            .clone()
    };
    regex.is_some_and(|regex| regex.find(text).is_some())
}

/// [`Check`] for the open enums that requests hold: `Unrecognized` (a value the service sent
/// that this crate does not know) is refused at its path, never sent and never printed. The
/// codegen pass `request_checks` calls this once with every such enum of `types`.
macro_rules! open_enums {
    ($($name:ident),*) => {
        $(impl crate::check::Check for $name {
            fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                crate::check::documented_value(matches!(self, Self::Unrecognized(_)), at)
            }
        })*
    };
}

pub(crate) use open_enums;

/// The [`Check`] of a struct of `types`: each listed field checked against its rule at its
/// path, named as in the document. The codegen pass `compact_checks` writes one call per
/// checked struct in place of the impl `request_checks` wrote.
#[allow(unused_macros)]
macro_rules! check_fields {
    ($name:ident { $($field:ident($wire:literal) => $rule:expr),* $(,)? }) => {
        impl crate::check::Check for $name {
            fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                use crate::check::{Check as _, Rule};
                $(self.$field.check(&at.field($wire), &$rule)?;)*
                Ok(())
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use check_fields;

/// What [`open_enums!`] checks: refuses `Unrecognized` at its path.
pub fn documented_value(unrecognized: bool, at: &Path<'_>) -> Result<(), Error> {
    match unrecognized {
        true => Err(refused(
            at,
            "holds a value this version of the crate does not know (`Unrecognized`); requests take \
             documented values only"
                .to_owned(),
        )),
        false => Ok(()),
    }
}

fn refused(at: &Path<'_>, reason: String) -> Error {
    Error::InvalidRequest {
        argument: at.to_string(),
        reason,
    }
}

/// A value that can be checked against the rule of the field that holds it.
pub trait Check {
    /// Checks the value at `at`; the generated impls of the body types check their fields.
    fn check(&self, _at: &Path<'_>, _rule: &Rule) -> Result<(), Error> {
        Ok(())
    }
}

impl Check for String {
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        rule.check_text(self, at)
    }
}

impl Check for uuid::Uuid {
    /// A uuid field may carry a pattern (which versions the service takes).
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        match rule.pattern {
            Some(_) => rule.check_text(&self.hyphenated().to_string(), at),
            None => Ok(()),
        }
    }
}

/// Values the document gives no string rule: an array of them may still be counted.
macro_rules! unchecked {
    ($($ty:ty),*) => {
        $(impl Check for $ty {})*
    };
}

unchecked!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    serde_json::Value
);
unchecked!(chrono::DateTime<chrono::Utc>, chrono::NaiveDate);

impl<K, V> Check for serde_json::Map<K, V> {}

impl<T: Check> Check for Option<T> {
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        self.as_ref().map_or(Ok(()), |value| value.check(at, rule))
    }
}

impl<T: Check> Check for Patch<T> {
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        self.as_set().map_or(Ok(()), |value| value.check(at, rule))
    }
}

impl<T: Check> Check for Box<T> {
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        (**self).check(at, rule)
    }
}

/// The rule counts the items; each item is checked by its own type.
impl<T: Check> Check for Vec<T> {
    fn check(&self, at: &Path<'_>, rule: &Rule) -> Result<(), Error> {
        rule.check_count(self.len(), at)?;
        self.iter()
            .enumerate()
            .try_for_each(|(index, item)| item.check(&at.index(index), &Rule::NONE))
    }
}

/// The body of a request, from what its operation builder holds: converted into the body type
/// (a required field that was not set, or a nested value that did not build, is refused here)
/// and checked. Every generated `send()` with a body calls this before anything is sent.
pub fn request_body<T, B>(built: Result<B, String>) -> Result<T, Error>
where
    B: TryInto<T>,
    B::Error: fmt::Display,
    T: Check,
{
    let value = built
        .and_then(|built| built.try_into().map_err(|e| e.to_string()))
        .map_err(|message| {
            let (path, reason) = crate::builds::split(&message);
            let argument = if path.is_empty() {
                "body".to_owned()
            } else {
                format!("body.{path}")
            };
            Error::InvalidRequest {
                argument,
                reason: reason.to_owned(),
            }
        })?;
    value.check(&Path::Body, &Rule::NONE)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(result: Result<(), Error>) -> (String, String) {
        match result {
            Err(Error::InvalidRequest { argument, reason }) => (argument, reason),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn paths_print_in_the_documents_names() {
        let body = Path::Body;
        let records = body.field("records");
        let second = records.index(2);
        let fields = second.field("customFields");
        assert_eq!(
            fields.index(0).field("fieldId").to_string(),
            "body.records[2].customFields[0].fieldId"
        );
    }

    #[test]
    fn string_rules_name_the_rule_and_never_the_value() {
        let at = Path::Body;
        let name = at.field("firstName");
        let (argument, reason) =
            refusal(Rule::text(None, Some(3), None).check_text("Annabel", &name));
        assert_eq!(
            (argument.as_str(), reason.as_str()),
            ("body.firstName", "is longer than 3 characters")
        );
        let (_, reason) = refusal(Rule::text(Some(5), None, None).check_text("Ann", &name));
        assert_eq!(reason, "is shorter than 5 characters");
        let (_, reason) =
            refusal(Rule::text(None, None, Some("^[0-9]+$")).check_text("12a", &name));
        assert_eq!(reason, "does not match the pattern `^[0-9]+$`");
        assert!(
            Rule::text(Some(1), Some(3), Some("^[0-9]+$"))
                .check_text("123", &name)
                .is_ok()
        );
        assert!(
            Rule::max_length(3).check_text("ééé", &name).is_ok(),
            "characters, not bytes"
        );
        assert!(Rule::max_length(3).check_text("éééé", &name).is_err());
        assert!(Rule::pattern("^[0-9]+$").check_text("12a", &name).is_err());
    }

    #[test]
    fn item_counts_are_checked_and_items_checked_by_their_type() {
        let at = Path::Body;
        let tags = at.field("tags");
        let (argument, reason) =
            refusal(vec![String::new(); 3].check(&tags, &Rule::items(Some(1), Some(2))));
        assert_eq!(
            (argument.as_str(), reason.as_str()),
            ("body.tags", "must hold from 1 to 2 items; it holds 3")
        );
        let (_, reason) = refusal(Vec::<String>::new().check(&tags, &Rule::items(Some(1), None)));
        assert_eq!(reason, "must hold at least 1 items; it holds 0");
        assert!(
            Some(vec![String::new()])
                .check(&tags, &Rule::items(None, Some(1)))
                .is_ok()
        );
        assert!(
            None::<Vec<String>>
                .check(&tags, &Rule::items(Some(1), None))
                .is_ok(),
            "absent is not counted"
        );
    }

    #[test]
    fn a_uuid_is_checked_against_a_pattern_in_its_hyphenated_form() {
        let at = Path::Body;
        let id = at.field("memberId");
        let v4: uuid::Uuid = "87d8e330-2878-4742-a86f-dbbb3bf522ac".parse().unwrap();
        let rule = Rule::text(None, None, Some("^[0-9a-f]{8}-[0-9a-f]{4}-4"));
        assert!(v4.check(&id, &rule).is_ok());
        let v0: uuid::Uuid = "87d8e330-2878-0742-a86f-dbbb3bf522ac".parse().unwrap();
        assert!(v0.check(&id, &rule).is_err());
        assert!(v0.check(&id, &Rule::NONE).is_ok());
    }

    #[test]
    fn patch_checks_a_set_value_only() {
        let at = Path::Body;
        let notes = at.field("notes");
        let rule = Rule::text(None, Some(1), None);
        assert!(Patch::<String>::Clear.check(&notes, &rule).is_ok());
        assert!(Patch::Set("ab".to_owned()).check(&notes, &rule).is_err());
    }
}
