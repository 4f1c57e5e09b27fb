//! Errors of the pipeline: every one says what is wrong and where.

use std::fmt;
use std::path::PathBuf;

/// Where in the document a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The document as a whole.
    Document,
    /// A place in the source text (1-based), for syntax errors.
    Line { line: usize, column: usize },
    /// A JSON pointer into the document, with the operation it belongs to when there is one.
    Pointer {
        pointer: String,
        operation: Option<String>,
    },
}

impl Location {
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Location::Pointer {
            pointer: pointer.into(),
            operation: None,
        }
    }

    pub fn in_operation(method: &str, path: &str, pointer: impl Into<String>) -> Self {
        Location::Pointer {
            pointer: pointer.into(),
            operation: Some(format!("{} {}", method.to_uppercase(), path)),
        }
    }
}

/// One thing wrong with the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Problem {
            location,
            message: message.into(),
        }
    }
}

/// The pipeline could not turn the document into code.
#[derive(Debug)]
pub struct Error {
    /// The document (or output file) the problems are in.
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

impl Error {
    pub fn one(file: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Error {
            file: file.into(),
            problems: vec![Problem::new(location, message)],
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Document => write!(f, "{}", self.message),
            Location::Line { line, column } => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            Location::Pointer {
                pointer,
                operation: Some(operation),
            } => write!(f, "{operation} (#{pointer}): {}", self.message),
            Location::Pointer {
                pointer,
                operation: None,
            } => write!(f, "#{pointer}: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match self.problems.as_slice() {
            [one] => write!(f, "{file}: {one}"),
            many => {
                write!(f, "{file}: {} problems", many.len())?;
                for problem in many {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    let mut escaped = String::with_capacity(segment.len());
    push_escaped(&mut escaped, segment);
    escaped
}

/// Appends `/` and the escaped `segment` to `pointer`, without a copy of its own: the walks
/// over the document extend a pointer by every key.
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    push_escaped(pointer, segment);
}

fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Appends `/` and an array index to `pointer`.
pub fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(pointer, "/{index}");
}

/// Reads one escaped JSON pointer segment back (RFC 6901).
pub fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
