//! The checks of path, query and header parameters, before anything is sent.
//!
//! The codegen pass `parameter_checks` makes every operation's `send()` call [`check`] for each
//! parameter the document constrains, right after the builder's values are taken out, with the
//! document's rule written in place. A value is checked as the text that goes on the wire (a
//! uuid hyphenated in lower case, a number in decimal), so a uuid that parses but whose version
//! or variant digits break the document's pattern is refused like any other string. A refusal
//! is `Error::InvalidRequest` naming the parameter (its builder method) and the rule, never the
//! value.

use std::fmt::Display;

use crate::Error;

/// What the document allows of one parameter: of its value, or of each item of an array.
/// A rule with no bound allows everything.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Length in characters.
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// ECMAScript syntax, as JSON Schema; compiled once (`check::matches`).
    pub pattern: Option<&'static str>,
    /// The `enum` values as they go on the wire; empty: any value.
    pub allowed: &'static [&'static str],
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// The item count of an array parameter.
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

/// A numeric bound; `exclusive`: the bound itself is not allowed.
#[derive(Clone, Copy)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

impl Rule {
    /// No bound; the generated rules set what the document states and take the rest from here.
    pub const NONE: Rule = Rule {
        min_length: None,
        max_length: None,
        pattern: None,
        allowed: &[],
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
    };

    fn check_value(&self, text: &str) -> Result<(), String> {
        if self.min_length.is_some() || self.max_length.is_some() {
            let length = text.chars().count();
            if let Some(max) = self.max_length.filter(|max| length > *max) {
                return Err(format!("is longer than {max} characters"));
            }
            if let Some(min) = self.min_length.filter(|min| length < *min) {
                return Err(format!("is shorter than {min} characters"));
            }
        }
        if let Some(pattern) = self
            .pattern
            .filter(|pattern| !crate::check::matches(pattern, text))
        {
            return Err(format!("does not match the pattern `{pattern}`"));
        }
        if !self.allowed.is_empty() && !self.allowed.contains(&text) {
            return Err(format!(
                "is not one of the documented values ({})",
                self.allowed.join(", ")
            ));
        }
        if self.minimum.is_some() || self.maximum.is_some() {
            let Ok(number) = text.parse::<f64>() else {
                return Err("is not a number".to_owned());
            };
            if let Some(Bound { value, exclusive }) = self.minimum {
                if exclusive && number <= value {
                    return Err(format!("must be greater than {value}"));
                }
                if number < value {
                    return Err(format!("must be at least {value}"));
                }
            }
            if let Some(Bound { value, exclusive }) = self.maximum {
                if exclusive && number >= value {
                    return Err(format!("must be less than {value}"));
                }
                if number > value {
                    return Err(format!("must be at most {value}"));
                }
            }
        }
        Ok(())
    }

    fn check_count(&self, count: usize) -> Result<(), String> {
        let words = match (self.min_items, self.max_items) {
            (Some(min), Some(max)) if !(min..=max).contains(&count) => {
                format!("from {min} to {max}")
            }
            (Some(min), None) if count < min => format!("at least {min}"),
            (None, Some(max)) if count > max => format!("at most {max}"),
            _ => return Ok(()),
        };
        Err(format!("must hold {words} items; it holds {count}"))
    }
}

/// Checks one parameter: `values` is `None` when an optional parameter is not set, one value
/// for a scalar, the items for an array (`array`: the argument then names the item,
/// `tags[2]`). `name` is the parameter's builder method.
pub fn check<T: Display>(
    name: &'static str,
    values: Option<&[T]>,
    array: bool,
    rule: &Rule,
) -> Result<(), Error> {
    let Some(values) = values else { return Ok(()) };
    let refused = |argument: String, reason: String| Error::InvalidRequest { argument, reason };
    if array {
        rule.check_count(values.len())
            .map_err(|reason| refused(name.to_owned(), reason))?;
    }
    for (index, value) in values.iter().enumerate() {
        rule.check_value(&value.to_string()).map_err(|reason| {
            refused(
                if array {
                    format!("{name}[{index}]")
                } else {
                    name.to_owned()
                },
                reason,
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

    fn refusal(result: Result<(), Error>) -> (String, String) {
        match result {
            Err(Error::InvalidRequest { argument, reason }) => (argument, reason),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_uuid_is_checked_as_the_text_on_the_wire() {
        let rule = Rule {
            pattern: Some(UUID),
            ..Rule::NONE
        };
        let v4: uuid::Uuid = "87d8e330-2878-4742-a86f-dbbb3bf522ac".parse().unwrap();
        assert!(check("id", Some(std::slice::from_ref(&v4)), false, &rule).is_ok());
        let version_0: uuid::Uuid = "87D8E330-2878-0742-A86F-DBBB3BF522AC".parse().unwrap();
        let (argument, reason) = refusal(check(
            "id",
            Some(std::slice::from_ref(&version_0)),
            false,
            &rule,
        ));
        assert_eq!(argument, "id");
        assert_eq!(reason, format!("does not match the pattern `{UUID}`"));
        assert!(
            !reason.contains("87d8e330") && !reason.to_lowercase().contains("87d8e330"),
            "never the value"
        );
    }

    #[test]
    fn strings_enums_and_numbers_name_the_rule_and_never_the_value() {
        let text = Rule {
            min_length: Some(2),
            max_length: Some(4),
            ..Rule::NONE
        };
        assert_eq!(
            refusal(check("q", Some(&["abcdef"]), false, &text)).1,
            "is longer than 4 characters"
        );
        assert_eq!(
            refusal(check("q", Some(&["a"]), false, &text)).1,
            "is shorter than 2 characters"
        );
        let sort = Rule {
            allowed: &["asc", "desc"],
            ..Rule::NONE
        };
        assert_eq!(
            refusal(check("sort", Some(&["sideways"]), false, &sort)).1,
            "is not one of the documented values (asc, desc)"
        );
        assert!(check("sort", Some(&["desc"]), false, &sort).is_ok());
        let limit = Rule {
            minimum: Some(Bound {
                value: 1.0,
                exclusive: false,
            }),
            maximum: Some(Bound {
                value: 100.0,
                exclusive: false,
            }),
            ..Rule::NONE
        };
        assert_eq!(
            refusal(check("limit", Some(&[101_u64]), false, &limit)).1,
            "must be at most 100"
        );
        assert_eq!(
            refusal(check("limit", Some(&[0_i64]), false, &limit)).1,
            "must be at least 1"
        );
        assert!(check("limit", Some(&[100_u64]), false, &limit).is_ok());
        let ratio = Rule {
            minimum: Some(Bound {
                value: 0.0,
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: 1.5,
                exclusive: true,
            }),
            ..Rule::NONE
        };
        assert_eq!(
            refusal(check("ratio", Some(&[0.0_f64]), false, &ratio)).1,
            "must be greater than 0"
        );
        assert_eq!(
            refusal(check("ratio", Some(&[1.5_f64]), false, &ratio)).1,
            "must be less than 1.5"
        );
        assert!(check("ratio", Some(&[0.5_f64]), false, &ratio).is_ok());
    }

    #[test]
    fn arrays_count_their_items_and_name_the_item_that_fails() {
        let tags = Rule {
            max_length: Some(3),
            min_items: Some(1),
            max_items: Some(2),
            ..Rule::NONE
        };
        assert_eq!(
            refusal(check("tags", Some(&["a", "b", "c"]), true, &tags)),
            (
                "tags".into(),
                "must hold from 1 to 2 items; it holds 3".into()
            )
        );
        assert_eq!(
            refusal(check("tags", Some(&["ab", "abcd"]), true, &tags)),
            ("tags[1]".into(), "is longer than 3 characters".into())
        );
        assert!(
            check::<&str>("tags", None, true, &tags).is_ok(),
            "an optional parameter left out is not counted"
        );
    }
}
