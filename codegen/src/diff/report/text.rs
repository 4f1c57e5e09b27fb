//! The report as plain text for a terminal: one block per change, breaking ones first.

use super::{NO_BREAKING_CHANGES, SECTIONS, exceeds_note, semver_sentence};
use crate::diff::Report;
use crate::diff::rules::Level;

pub fn render(report: &Report) -> String {
    let mut out = format!("spec-diff: {} -> {}\n", report.old_label, report.new_label);
    out.push_str(&format!(
        "{} breaking, {} warnings, {} info\n",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info)
    ));
    if !report.has_breaking() {
        out.push_str(NO_BREAKING_CHANGES);
        out.push('\n');
    }
    out.push_str(&format!(
        "semver: {}\n",
        semver_sentence(report).replace('`', "")
    ));
    for (level, _) in SECTIONS {
        for change in report.changes.iter().filter(|c| c.level() == level) {
            out.push_str(&format!(
                "\n{:<8} {}\n",
                level.as_str().to_uppercase(),
                change.rule.id
            ));
            if !change.operations.is_empty() {
                out.push_str(&format!("  in:   {}\n", change.operations.join(", ")));
            }
            out.push_str(&format!("  at:   #{}\n", change.pointer));
            out.push_str(&format!("  what: {}\n", change.message.replace('`', "")));
            out.push_str(&format!("  rust: {}\n", change.rust.replace('`', "")));
            if let Some(note) = exceeds_note(report, change) {
                out.push_str(&format!("  semver: {note}\n"));
            }
        }
    }
    out
}
