//! The report as Markdown, ready to paste into a pull request: counts, the semver verdict,
//! then the changes, breaking ones first.

use super::{NO_BREAKING_CHANGES, SECTIONS, exceeds_note, semver_sentence, where_};
use crate::diff::Report;
use crate::diff::rules::Level;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## API change report\n\n");
    out.push_str(&format!(
        "Comparing `{}` with `{}`.\n\n",
        report.old_label, report.new_label
    ));
    out.push_str("| Breaking | Warnings | Info |\n|---:|---:|---:|\n");
    out.push_str(&format!(
        "| {} | {} | {} |\n\n",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info)
    ));
    if !report.has_breaking() {
        out.push_str(NO_BREAKING_CHANGES);
        out.push(' ');
    }
    out.push_str(&format!("**Semver:** {}\n", semver_sentence(report)));
    if report.changes.is_empty() {
        out.push_str("\nNo changes to the API.\n");
        return out;
    }
    for (level, heading) in SECTIONS {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.level() == level)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {heading} ({})\n\n", changes.len()));
        for change in changes {
            out.push_str(&format!(
                "- **`{}`**: {}  \n",
                change.rule.id, change.message
            ));
            out.push_str(&format!("  {}  \n", where_(change)));
            let note = exceeds_note(report, change)
                .map(|n| format!(" **⚠ {n}**"))
                .unwrap_or_default();
            out.push_str(&format!("  Rust: {}{note}\n", change.rust));
        }
    }
    out
}
