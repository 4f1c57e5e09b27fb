//! The report as Markdown, ready to paste into a pull request: counts, the verdict, any
//! disagreement between the two signals, then the changes by level, each level with its rule
//! findings and the public Rust items behind it.

use super::{NO_BREAKING_CHANGES, SECTIONS, exceeds_note, rust_items, semver_sentence, where_};
use crate::diff::Report;
use crate::diff::rules::Level;
use crate::diff::rust_api::{ApiChange, RustApi};

/// More public items than this are folded into a `<details>` block.
const FOLD_AFTER: usize = 8;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## API change report\n\n");
    out.push_str(&format!(
        "Comparing `{}` with `{}`.\n\n",
        report.old_label, report.new_label
    ));
    out.push_str("| | Breaking | Warnings | Info |\n|---|---:|---:|---:|\n");
    out.push_str(&format!(
        "| Rule findings | {} | {} | {} |\n",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info)
    ));
    if let RustApi::Compared(_) = &report.rust_api {
        let (breaking, added) = (
            rust_items(report, Level::Breaking),
            rust_items(report, Level::Info),
        );
        out.push_str(&format!(
            "| Public Rust items | {} | | {} |\n",
            breaking.len(),
            added.len()
        ));
    }
    out.push('\n');
    if !report.has_breaking() {
        out.push_str(NO_BREAKING_CHANGES);
        out.push(' ');
    }
    out.push_str(&format!("**Semver:** {}\n", semver_sentence(report)));
    match &report.rust_api {
        RustApi::Missing(reason) => out.push_str(&format!(
            "\n**Rust API not compared:** {}. The verdict rests on the rules alone.\n",
            reason.replace('\n', " ")
        )),
        RustApi::NotCompared => {}
        RustApi::Compared(_) => {}
    }
    let disagreements = report.disagreements();
    if !disagreements.is_empty() {
        out.push_str(&format!(
            "\n### Rules and Rust API disagree ({})\n\nA rule to correct in `codegen/src/diff/rules.rs`:\n\n",
            disagreements.len()
        ));
        for disagreement in &disagreements {
            let at = disagreement
                .pointer
                .as_ref()
                .map(|p| format!(" (`#{p}`)"))
                .unwrap_or_default();
            out.push_str(&format!("- {}{at}\n", disagreement.message));
        }
    }
    if report.changes.is_empty() && report.rust_api.changes().is_empty() {
        out.push_str("\nNo changes to the API.\n");
        return out;
    }
    for (level, heading) in SECTIONS {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.level() == level)
            .collect();
        let items = rust_items(report, level);
        if changes.is_empty() && items.is_empty() {
            continue;
        }
        let count = if items.is_empty() {
            changes.len().to_string()
        } else {
            format!(
                "{} rule finding(s), {} public Rust item(s)",
                changes.len(),
                items.len()
            )
        };
        out.push_str(&format!("\n### {heading} ({count})\n\n"));
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
        if !items.is_empty() {
            push_items(&mut out, level, &items);
        }
    }
    out
}

fn push_items(out: &mut String, level: Level, items: &[&ApiChange]) {
    let what = if level == Level::Breaking {
        "removed or changed"
    } else {
        "added"
    };
    let title = format!(
        "{} public Rust item(s) {what} in the generated crate",
        items.len()
    );
    let folded = items.len() > FOLD_AFTER;
    if folded {
        out.push_str(&format!("\n<details><summary>{title}</summary>\n\n"));
    } else {
        out.push_str(&format!("\n{title}:\n\n"));
    }
    for item in items {
        match (&item.old, &item.new) {
            (Some(old), Some(new)) => {
                out.push_str(&format!("- changed: `{old}`  \n  now: `{new}`\n"));
            }
            (Some(old), None) => out.push_str(&format!("- removed: `{old}`\n")),
            (None, Some(new)) => out.push_str(&format!("- added: `{new}`\n")),
            (None, None) => {}
        }
    }
    if folded {
        out.push_str("\n</details>\n");
    }
}
