//! What the service sends, by type: text it may have filled with anything, and the few kinds of
//! values that are safe to print because the client checked them against its own vocabulary.
//!
//! The service may echo what a request carried (a patient's name, an SSN, the API key) in any
//! field of an error and in any form: case changed, lines folded, cut short, digits only. So no
//! text it sends is printed: [`ServiceText`] prints as its length, and its content is reachable
//! only through [`ServiceText::expose`]. What does print was recognised, not filtered: a
//! documented error code ([`ErrorCode`]), a known validation issue code ([`IssueCode`]), a path
//! segment that is a field name of the document, or a small index right after a field that holds
//! an array ([`PathSegment`]), and a request id that looks like one.

use std::fmt;

use crate::generated::{ARRAY_FIELD_NAMES, FIELD_NAMES};

/// Text the service sent. `Display` and `Debug` print `<redacted: N bytes>`; the text itself is
/// [`expose`](Self::expose)d on purpose only.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ServiceText(String);

impl ServiceText {
    pub(crate) fn new(text: impl Into<String>) -> ServiceText {
        ServiceText(text.into())
    }

    /// The text as the service sent it. It may hold personal data or the API key, echoed from
    /// the request: show it to a person who may see that data, never to a log.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ServiceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted: {} bytes>", self.0.len())
    }
}

impl fmt::Debug for ServiceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An error body's `code`: one the reference documents, or another the service sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `UNAUTHORIZED`: the API key is missing or not valid.
    Unauthorized,
    /// `FORBIDDEN`: the API key lacks a permission.
    Forbidden,
    /// `NOT_FOUND`: the resource does not exist.
    NotFound,
    /// `VALIDATION_ERROR`: the body failed validation.
    ValidationError,
    /// `RATE_LIMIT_EXCEEDED`: too many requests.
    RateLimitExceeded,
    /// `INTERNAL_ERROR`: the service failed.
    InternalError,
    /// A code the reference does not document; untrusted, so it prints as its length.
    Undocumented(ServiceText),
}

const ERROR_CODES: [(&str, ErrorCode); 6] = [
    ("UNAUTHORIZED", ErrorCode::Unauthorized),
    ("FORBIDDEN", ErrorCode::Forbidden),
    ("NOT_FOUND", ErrorCode::NotFound),
    ("VALIDATION_ERROR", ErrorCode::ValidationError),
    ("RATE_LIMIT_EXCEEDED", ErrorCode::RateLimitExceeded),
    ("INTERNAL_ERROR", ErrorCode::InternalError),
];

impl ErrorCode {
    pub(crate) fn parse(code: &str) -> ErrorCode {
        ERROR_CODES
            .iter()
            .find(|(text, _)| *text == code)
            .map_or_else(
                || ErrorCode::Undocumented(ServiceText::new(code)),
                |(_, c)| c.clone(),
            )
    }

    /// The documented code as the reference spells it; `None` for an undocumented one.
    pub fn as_documented(&self) -> Option<&'static str> {
        ERROR_CODES
            .iter()
            .find(|(_, c)| c == self)
            .map(|(text, _)| *text)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.as_documented(), self) {
            (Some(text), _) => f.write_str(text),
            (None, ErrorCode::Undocumented(text)) => write!(f, "{text}"),
            (None, _) => Ok(()),
        }
    }
}

/// The issue codes a validation issue's `code` prints as: the reference does not list them,
/// and its issues have the shape of zod's (`path`, `message`, `expected`, `received`, `code`),
/// so these are zod's issue codes (versions 3 and 4).
pub const KNOWN_ISSUE_CODES: &[&str] = &[
    "custom",
    "invalid_arguments",
    "invalid_date",
    "invalid_element",
    "invalid_enum_value",
    "invalid_format",
    "invalid_intersection_types",
    "invalid_key",
    "invalid_literal",
    "invalid_return_type",
    "invalid_string",
    "invalid_type",
    "invalid_union",
    "invalid_union_discriminator",
    "invalid_value",
    "not_finite",
    "not_multiple_of",
    "too_big",
    "too_small",
    "unrecognized_keys",
];

/// A validation issue's `code`: one of [`KNOWN_ISSUE_CODES`], or another the service sent.
#[derive(Clone, PartialEq, Eq)]
pub enum IssueCode {
    /// A code from [`KNOWN_ISSUE_CODES`].
    Known(&'static str),
    /// Any other code; untrusted, so it prints as its length.
    Other(ServiceText),
}

impl IssueCode {
    pub(crate) fn parse(code: &str) -> IssueCode {
        KNOWN_ISSUE_CODES
            .iter()
            .find(|known| **known == code)
            .map_or_else(
                || IssueCode::Other(ServiceText::new(code)),
                |known| IssueCode::Known(known),
            )
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueCode::Known(code) => f.write_str(code),
            IssueCode::Other(text) => write!(f, "{text}"),
        }
    }
}

impl fmt::Debug for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Array indexes below this print (right after a field that holds an array); a larger number,
/// or a number anywhere else, may be a value (a ZIP code, a house number) rather than a
/// position, and prints as its length.
pub const MAX_PRINTED_INDEX: u64 = 1000;

/// One segment of a validation issue's path.
#[derive(Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A field name the document defines (`firstName`).
    Field(&'static str),
    /// An array index below [`MAX_PRINTED_INDEX`].
    Index(u64),
    /// Anything else; untrusted, so it prints as its length.
    Other(ServiceText),
}

impl PathSegment {
    /// A segment, given the one before it: a field name of the document, an index right after
    /// a field that holds an array, or untrusted text.
    fn recognise(text: &str, previous: Option<&PathSegment>) -> PathSegment {
        if let Ok(at) = FIELD_NAMES.binary_search(&text) {
            return PathSegment::Field(FIELD_NAMES[at]);
        }
        let after_array =
            matches!(previous, Some(PathSegment::Field(name)) if ARRAY_FIELD_NAMES.contains(name));
        let index = (after_array && text.len() <= 3 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u64>().ok())
            .flatten()
            .filter(|i| *i < MAX_PRINTED_INDEX);
        index.map_or_else(
            || PathSegment::Other(ServiceText::new(text)),
            PathSegment::Index,
        )
    }
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Field(name) => f.write_str(name),
            PathSegment::Index(i) => write!(f, "{i}"),
            PathSegment::Other(text) => write!(f, "{text}"),
        }
    }
}

impl fmt::Debug for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A validation issue's path from the body's root; `Display` joins the segments with `.`
/// (`records.0.firstName`), `<body>` when it is empty.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IssuePath(pub Vec<PathSegment>);

impl IssuePath {
    /// A path from its segments as text (strings, or numbers written out).
    pub(crate) fn recognise<'a>(texts: impl IntoIterator<Item = &'a str>) -> IssuePath {
        let mut segments: Vec<PathSegment> = Vec::new();
        for text in texts {
            let segment = PathSegment::recognise(text, segments.last());
            segments.push(segment);
        }
        IssuePath(segments)
    }

    /// A path as the service sent it: an array of strings and numbers, or one of them.
    pub(crate) fn parse(path: Option<&serde_json::Value>) -> IssuePath {
        let as_text = |value: &serde_json::Value| match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let texts: Vec<String> = match path {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::Array(parts)) => parts.iter().map(as_text).collect(),
            Some(other) => vec![as_text(other)],
        };
        IssuePath::recognise(texts.iter().map(String::as_str))
    }
}

impl std::ops::Deref for IssuePath {
    type Target = [PathSegment];

    fn deref(&self) -> &[PathSegment] {
        &self.0
    }
}

impl fmt::Display for IssuePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("<body>");
        }
        for (n, segment) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(".")?;
            }
            write!(f, "{segment}")?;
        }
        Ok(())
    }
}

/// The request id header, kept when it looks like an id: 16 to 128 characters of ASCII
/// letters, digits and `-_.:`, with at least one letter and one digit (uuids and `req_…` ids
/// do), and nothing in common with the API key. Anything else may be a value the service
/// echoed, and is left out.
pub(crate) fn request_id(header: Option<&str>, api_key: &str) -> Option<String> {
    let id = header?.trim();
    let shaped = (16..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        && id.bytes().any(|b| b.is_ascii_alphabetic())
        && id.bytes().any(|b| b.is_ascii_digit());
    (shaped && !shares_with_key(id, api_key)).then(|| id.to_owned())
}

/// Whether `text`, reduced to lowercase letters and digits, contains any 8 consecutive
/// characters of the key reduced alike (the whole key when it is shorter).
fn shares_with_key(text: &str, api_key: &str) -> bool {
    let reduce = |s: &str| -> Vec<u8> {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase())
            .collect()
    };
    let (text, key) = (reduce(text), reduce(api_key));
    let window = key.len().min(8);
    window > 0
        && key
            .windows(window)
            .any(|part| text.windows(window).any(|t| t == part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_text_prints_its_length_only() {
        let text = ServiceText::new("Quintessa 123-45-6789");
        assert_eq!(text.to_string(), "<redacted: 21 bytes>");
        assert_eq!(format!("{text:?}"), "<redacted: 21 bytes>");
        assert_eq!(text.expose(), "Quintessa 123-45-6789");
    }

    #[test]
    fn documented_codes_print_and_others_do_not() {
        assert_eq!(ErrorCode::parse("NOT_FOUND"), ErrorCode::NotFound);
        assert_eq!(ErrorCode::parse("NOT_FOUND").to_string(), "NOT_FOUND");
        assert_eq!(
            ErrorCode::parse("not_found").to_string(),
            "<redacted: 9 bytes>"
        );
        assert_eq!(IssueCode::parse("too_big").to_string(), "too_big");
        assert_eq!(
            format!("{:?}", IssueCode::parse("Quintessa")),
            "<redacted: 9 bytes>"
        );
        assert!(KNOWN_ISSUE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn path_segments_print_when_they_are_field_names_or_small_indexes_after_an_array() {
        assert!(
            FIELD_NAMES.windows(2).all(|w| w[0] < w[1]),
            "sorted for the search"
        );
        let path = |value| IssuePath::parse(Some(&value)).to_string();
        assert_eq!(
            path(serde_json::json!(["records", 0, "firstName"])),
            "records.0.firstName"
        );
        assert_eq!(path(serde_json::json!(["records", "999"])), "records.999");
        assert_eq!(
            path(serde_json::json!([
                "records",
                1000,
                "742",
                7,
                "Quintessa",
                "FIRSTNAME"
            ])),
            "records.<redacted: 4 bytes>.<redacted: 3 bytes>.<redacted: 1 bytes>\
             .<redacted: 9 bytes>.<redacted: 9 bytes>"
        );
        assert_eq!(path(serde_json::json!("ssn")), "ssn");
        assert_eq!(IssuePath::parse(None).to_string(), "<body>");
    }

    #[test]
    fn request_ids_are_kept_when_they_look_like_ids_and_not_like_the_key() {
        let key = "cc_live_redaction_supersecret";
        for id in [
            "497f6eca-6276-4993-bfeb-53cbbbba6f08",
            "req_01HZX3K9M2ABCDEF",
        ] {
            assert_eq!(request_id(Some(id), key).as_deref(), Some(id));
        }
        for not_an_id in [
            "req-77",
            "123-45-6789",
            "1EG4-TE5-MK73",
            "Quintessa Vanderhoeven",
            "quintessa.v@example.org",
            "12345678901234567890",
            "abcdefghijklmnopqrstuvwxyz",
            key,
            "CC_LIVE_REDACTION_SUPERSECRET",
            "req1-cc_live_redac",
            "x9-SUPERSECRET-redaction",
        ] {
            assert_eq!(request_id(Some(not_an_id), key), None, "{not_an_id}");
        }
    }
}
