//! The spec diff: what a change to the document does to consumers of the generated crate.
//!
//! Two signals, side by side. The rules read the documents: both are walked side by side with
//! `$ref`s resolved ([`schema`]), area by area ([`operations`], [`parameters`], [`bodies`],
//! [`responses`], [`security`], [`schemas`]).
//! Every difference becomes a [`Change`] under a rule of the catalogue ([`rules`]), which gives
//! it a level, the semver bump it needs and its effect on the crate's Rust API. [`semver`]
//! compares the needed bump with the client crate's version change; [`report`] renders the
//! result as Markdown, JSON or plain text. The Rust API ([`rust_api`]) generates the crate from
//! both documents and compares their public items. The verdict is breaking when either signal
//! says so, and a rule whose claim about the Rust API the generated crates contradict is
//! reported as a [`Disagreement`].

mod bodies;
mod collect;
mod naming;
mod operations;
mod parameters;
pub mod report;
mod responses;
pub mod rules;
pub mod rust_api;
mod schema;
mod schemas;
mod security;
pub mod semver;

use serde_json::Value;

use crate::load::Document;

pub use rules::{Api, Bump, Level, RULES, Rule};
pub use rust_api::{ApiChange, ItemChange, RustApi};
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
    /// The second signal: the public items of the two generated crates.
    pub rust_api: RustApi,
    pub versions: Option<CrateVersions>,
}

/// A rule finding and the generated Rust API that contradict each other: a rule to correct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The rule whose claim is contradicted, when one is.
    pub rule: Option<&'static str>,
    /// Where, as the finding says (a JSON pointer), when a finding is involved.
    pub pointer: Option<String>,
    pub message: String,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level() == level).count()
    }

    /// Breaking by either signal: a breaking rule finding or a breaking Rust API change.
    pub fn has_breaking(&self) -> bool {
        self.count(Level::Breaking) > 0 || self.rust_api.breaking() > 0
    }

    /// The largest bump any change needs, rule finding or public item.
    pub fn required_bump(&self) -> Bump {
        let rules = self.changes.iter().map(Change::bump);
        let items = self.rust_api.changes().iter().map(|c| c.bump);
        rules.chain(items).max().unwrap_or(Bump::None)
    }

    /// Rule findings and Rust API changes that contradict each other.
    pub fn disagreements(&self) -> Vec<Disagreement> {
        let RustApi::Compared(items) = &self.rust_api else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let predicts = |apis: &[Api]| self.changes.iter().any(|c| apis.contains(&c.rule.api));
        let breaking: Vec<&ApiChange> = items.iter().filter(|c| c.is_breaking()).collect();
        if !breaking.is_empty() && !predicts(&[Api::Breaks, Api::Varies]) {
            out.push(Disagreement {
                rule: None,
                pointer: None,
                message: format!(
                    "The generated Rust API breaks ({} item(s), first `{}`), but no rule finding says so.",
                    breaking.len(),
                    breaking[0].path
                ),
            });
        }
        let added = items.iter().find(|c| c.change == ItemChange::Added);
        if let Some(first) = added
            && !predicts(&[Api::Added, Api::Breaks, Api::Varies])
        {
            out.push(Disagreement {
                rule: None,
                pointer: None,
                message: format!(
                    "The generated Rust API gains items (first `{}`), but no rule finding says so.",
                    first.path
                ),
            });
        }
        for change in &self.changes {
            let contradiction = match change.rule.api {
                Api::Breaks if breaking.is_empty() => {
                    "says a public item is removed or changes, but the generated Rust API has no breaking change"
                }
                Api::Added if items.is_empty() => {
                    "says public items are added, but the generated Rust API is unchanged"
                }
                _ => continue,
            };
            out.push(Disagreement {
                rule: Some(change.rule.id),
                pointer: Some(change.pointer.clone()),
                message: format!("`{}` {contradiction}.", change.rule.id),
            });
        }
        out
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

/// Compares two loaded documents with both signals: the rules, and the public Rust API of the
/// crates generated from them (the two generated in parallel).
pub fn diff(old: &Document, new: &Document) -> Report {
    let labels = (
        old.path.display().to_string(),
        new.path.display().to_string(),
    );
    if old.value == new.value {
        // Generation is deterministic: the same document gives the same crate.
        let report = diff_values(&old.value, &new.value);
        return Report {
            rust_api: RustApi::Compared(Vec::new()),
            ..report
        }
        .with_labels(labels.0, labels.1);
    }
    let (report, rust_api) = std::thread::scope(|scope| {
        let old_api = scope.spawn(|| rust_api::public_api(old));
        let new_api = rust_api::public_api(new);
        let report = diff_values(&old.value, &new.value);
        let old_api = old_api
            .join()
            .unwrap_or_else(|_| Err("the generator stopped unexpectedly".into()));
        (report, rust_api::signal(old_api, new_api))
    });
    Report { rust_api, ..report }.with_labels(
        old.path.display().to_string(),
        new.path.display().to_string(),
    )
}

/// Compares two documents given as JSON trees (already validated by [`crate::load`]) by the
/// rules only: no code is generated.
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
        rust_api: RustApi::NotCompared,
        versions: None,
    }
}
