//! The report as plain text for a terminal: the verdict, any disagreement between the two
//! signals, then one block per change, breaking ones first, public Rust items after the rule
//! findings of their level.

use super::{NO_BREAKING_CHANGES, SECTIONS, exceeds_note, rust_items, semver_sentence};
use crate::diff::Report;
use crate::diff::rules::Level;
use crate::diff::rust_api::RustApi;

pub fn render(report: &Report) -> String {
    let mut out = format!("spec-diff: {} -> {}\n", report.old_label, report.new_label);
    out.push_str(&format!(
        "rules: {} breaking, {} warnings, {} info\n",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info)
    ));
    match &report.rust_api {
        RustApi::Compared(_) => out.push_str(&format!(
            "rust api: {} breaking, {} added\n",
            rust_items(report, Level::Breaking).len(),
            rust_items(report, Level::Info).len()
        )),
        RustApi::Missing(reason) => {
            out.push_str(&format!(
                "rust api: not compared: {}\n",
                reason.replace('\n', " ")
            ));
        }
        RustApi::NotCompared => {}
    }
    if !report.has_breaking() {
        out.push_str(NO_BREAKING_CHANGES);
        out.push('\n');
    }
    out.push_str(&format!(
        "semver: {}\n",
        semver_sentence(report).replace('`', "")
    ));
    for disagreement in report.disagreements() {
        out.push_str(&format!(
            "\nDISAGREE {}\n",
            disagreement.message.replace('`', "")
        ));
        if let Some(pointer) = &disagreement.pointer {
            out.push_str(&format!("  at:   #{pointer}\n"));
        }
    }
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
        let items = rust_items(report, level);
        if !items.is_empty() {
            out.push_str(&format!(
                "\n{:<8} public Rust items\n",
                level.as_str().to_uppercase()
            ));
            for item in items {
                let line = item
                    .new
                    .as_ref()
                    .or(item.old.as_ref())
                    .map_or("", String::as_str);
                out.push_str(&format!("  {:<8} {line}\n", item.change.as_str()));
                if let (Some(old), Some(_)) = (&item.old, &item.new) {
                    out.push_str(&format!("  {:<8} {old}\n", "was"));
                }
            }
        }
    }
    out
}
