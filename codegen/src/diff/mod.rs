//! The spec diff: what a change to the document does to consumers of the generated crate.
//!
//! Both documents are walked side by side with `$ref`s resolved ([`schema`]), area by area
//! ([`operations`], [`parameters`], [`bodies`], [`responses`], [`security`], [`schemas`]).
//! Every difference becomes a [`Change`] under a rule of the catalogue ([`rules`]), which gives
//! it a level, the semver bump it needs and its effect on the crate's Rust API. [`semver`]
//! compares the needed bump with the client crate's version change; [`report`] renders the
//! result as Markdown, JSON or plain text.

mod bodies;
mod collect;
mod naming;
mod operations;
mod parameters;
pub mod report;
mod responses;
pub mod rules;
mod schema;
mod schemas;
mod security;
pub mod semver;

use serde_json::Value;

use crate::load::Document;

pub use rules::{Bump, Level, RULES, Rule};
pub use semver::CrateVersions;

/// One change between the two documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub rule: &'static Rule,
    /// The operations it affects (`METHOD /path`), in document order.
    pub operations: Vec<String>,
    /// A JSON pointer to the place: in the new document, or in the old one for removals.
    pub pointer: String,
    /// One sentence: what changed.
    pub message: String,
    /// One sentence: what it does to the crate's Rust API.
    pub rust: String,
}

impl Change {
    pub fn level(&self) -> Level {
        self.rule.level
    }

    pub fn bump(&self) -> Bump {
        self.rule.bump
    }
}

/// Every change, breaking ones first, and the client crate's version change when known.
#[derive(Clone, Debug)]
pub struct Report {
    /// What the old document is (a file, or a file at a git ref).
    pub old_label: String,
    pub new_label: String,
    pub changes: Vec<Change>,
    pub versions: Option<CrateVersions>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level() == level).count()
    }

    pub fn has_breaking(&self) -> bool {
        self.count(Level::Breaking) > 0
    }

    /// The largest bump any change needs.
    pub fn required_bump(&self) -> Bump {
        self.changes
            .iter()
            .map(Change::bump)
            .max()
            .unwrap_or(Bump::None)
    }

    /// Whether a change needs more than the crate's version change gives.
    pub fn exceeds_version_change(&self, change: &Change) -> bool {
        self.versions
            .as_ref()
            .is_some_and(|v| change.bump() > v.allowed_bump())
    }

    /// The command's exit code: 1 when a breaking change is found and not allowed, else 0.
    pub fn exit_code(&self, allow_breaking: bool) -> u8 {
        u8::from(self.has_breaking() && !allow_breaking)
    }

    pub fn with_versions(mut self, versions: CrateVersions) -> Self {
        self.versions = Some(versions);
        self
    }

    pub fn with_labels(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.old_label = old.into();
        self.new_label = new.into();
        self
    }
}

/// Compares two loaded documents.
pub fn diff(old: &Document, new: &Document) -> Report {
    diff_values(&old.value, &new.value).with_labels(
        old.path.display().to_string(),
        new.path.display().to_string(),
    )
}

/// Compares two documents given as JSON trees (already validated by [`crate::load`]).
pub fn diff_values(old: &Value, new: &Value) -> Report {
    let mut collector = collect::Collector::default();
    operations::compare(&mut collector, old, new);
    let mut changes = collector.into_changes();
    // Stable: within a level, changes stay in document order.
    changes.sort_by_key(Change::level);
    Report {
        old_label: "old".into(),
        new_label: "new".into(),
        changes,
        versions: None,
    }
}
