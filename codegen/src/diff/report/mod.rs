//! Renders a [`Report`] for people (Markdown for pull requests, plain text for terminals) and
//! for tools (JSON).

mod json;
mod markdown;
mod text;

use std::str::FromStr;

use super::rules::{Bump, Level};
use super::{ApiChange, Change, Report};

/// The sentence a report carries when, and only when, nothing is breaking.
pub const NO_BREAKING_CHANGES: &str = "No breaking changes.";

/// The crate the report is about.
pub const CLIENT_CRATE: &str = "carecycle";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Text,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            other => Err(format!(
                "unknown format `{other}`; use markdown, json or text"
            )),
        }
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Json => json::render(report),
        Format::Text => text::render(report),
    }
}

/// Levels in report order, with their headings.
const SECTIONS: [(Level, &str); 3] = [
    (Level::Breaking, "Breaking changes"),
    (Level::Warning, "Warnings"),
    (Level::Info, "Info"),
];

/// One sentence on the semver bump the changes need and whether the crate's version has it.
fn semver_sentence(report: &Report) -> String {
    let bump = report.required_bump();
    let word = super::semver::bump_word(bump);
    match &report.versions {
        None if bump == Bump::None => format!("The `{CLIENT_CRATE}` crate needs no new release."),
        None => format!(
            "The `{CLIENT_CRATE}` crate needs a {word} release{}.",
            if bump == Bump::Major {
                " (a new major version; for 0.x a new minor)"
            } else {
                ""
            }
        ),
        Some(v) if bump == Bump::None => {
            format!(
                "The `{CLIENT_CRATE}` crate needs no new release (its version: {} → {}).",
                v.old, v.new
            )
        }
        Some(v) => {
            let required = v.required_version(bump);
            let verdict = if v.allows(bump) {
                "the version change covers it".to_owned()
            } else {
                format!(
                    "the version change does not cover it: set version = \"{required}\" or later in generated-client/Cargo.toml"
                )
            };
            format!(
                "{word}: requires {required} (`{CLIENT_CRATE}` {} → {}); {verdict}.",
                v.old, v.new
            )
        }
    }
}

/// The public Rust items shown under a level: breaking ones under breaking, additions under
/// info (warnings have none).
fn rust_items(report: &Report, level: Level) -> Vec<&ApiChange> {
    report
        .rust_api
        .changes()
        .iter()
        .filter(|c| match level {
            Level::Breaking => c.is_breaking(),
            Level::Warning => false,
            Level::Info => !c.is_breaking(),
        })
        .collect()
}

/// "needs 0.2.0" for a change larger than the crate's version change, if it is.
fn exceeds_note(report: &Report, change: &Change) -> Option<String> {
    let versions = report.versions.as_ref()?;
    report
        .exceeds_version_change(change)
        .then(|| format!("needs {}", versions.required_version(change.bump())))
}

fn where_(change: &Change) -> String {
    let operations = if change.operations.is_empty() {
        String::new()
    } else {
        format!(
            "{} · ",
            change
                .operations
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!("{operations}`#{}`", change.pointer)
}
