//! Personal strings of requests, kept out of `Debug` wherever they are printed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::redact::MARKER;

/// A string that carries personal data (a name, an SSN, a date of birth, an address) in a
/// request body: every field the document marks `x-personal-data` whose value is a string.
///
/// It is the value for your code (`as_str()`, `Deref` to `str`, `String::from`) and
/// `<redacted>` in `Debug`, on its own as inside the types that hold it. The setters take
/// `&str` or `String`; to assign a field yourself, write `"...".into()`. Its limits (length,
/// pattern) are checked by `send()` like any other field's.
///
/// ```
/// use carecycle::Personal;
///
/// let ssn = Personal::from("123-45-6789");
/// assert_eq!(format!("{ssn:?}"), "Personal(<redacted>)");
/// assert_eq!(ssn.as_str(), "123-45-6789");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Personal(String);

impl Personal {
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Personal({MARKER})")
    }
}

impl std::ops::Deref for Personal {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Personal {
    fn from(value: String) -> Self {
        Personal(value)
    }
}

impl From<&str> for Personal {
    fn from(value: &str) -> Self {
        Personal(value.to_owned())
    }
}

impl From<&String> for Personal {
    fn from(value: &String) -> Self {
        Personal(value.clone())
    }
}

impl From<Personal> for String {
    fn from(value: Personal) -> Self {
        value.0
    }
}

impl PartialEq<str> for Personal {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Personal {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl crate::check::Check for Personal {
    fn check(
        &self,
        at: &crate::check::Path<'_>,
        rule: &crate::check::Rule,
    ) -> Result<(), crate::Error> {
        crate::check::Check::check(&self.0, at, rule)
    }
}

/// The schema of the string it holds.
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Personal {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "String".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value_and_serde_sees_a_string() {
        let name = Personal::from("Quintessa");
        assert!(!format!("{name:?} {:?}", Some(&name)).contains("Quintessa"));
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"Quintessa\"");
        let back: Personal = serde_json::from_str("\"Quintessa\"").unwrap();
        assert_eq!(back, "Quintessa");
        assert_eq!(Some(back.clone()).as_deref(), Some("Quintessa"));
        assert_eq!(String::from(back), "Quintessa");
    }
}
