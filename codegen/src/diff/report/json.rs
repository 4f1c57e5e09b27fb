//! The report as JSON, for tools. Field names are stable.

use serde_json::{Value, json};

use crate::diff::rules::Level;
use crate::diff::{Report, RustApi};

pub fn render(report: &Report) -> String {
    let bump = report.required_bump();
    let versions = report.versions.as_ref().map(|v| {
        json!({
            "old": v.old.to_string(),
            "new": v.new.to_string(),
            "allowed_bump": v.allowed_bump(),
            "required_version": v.required_version(bump).to_string(),
            "sufficient": v.allows(bump),
        })
    });
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            json!({
                "id": change.rule.id,
                "level": change.level(),
                "bump": change.bump(),
                "operations": change.operations,
                "pointer": change.pointer,
                "message": change.message,
                "rust": change.rust,
                "exceeds_version_change": report.exceeds_version_change(change),
            })
        })
        .collect();
    let rust_api = match &report.rust_api {
        RustApi::NotCompared => json!({"status": "not compared"}),
        RustApi::Missing(reason) => json!({"status": "missing", "reason": reason}),
        RustApi::Compared(changes) => json!({"status": "compared", "changes": changes}),
    };
    let disagreements: Vec<Value> = report
        .disagreements()
        .into_iter()
        .map(|d| json!({"rule": d.rule, "pointer": d.pointer, "message": d.message}))
        .collect();
    let document = json!({
        "old": report.old_label,
        "new": report.new_label,
        "summary": {
            "breaking": report.count(Level::Breaking),
            "warning": report.count(Level::Warning),
            "info": report.count(Level::Info),
            "required_bump": bump,
            "verdict": if report.has_breaking() { "breaking" } else { "compatible" },
            "rust_api_breaking": report.rust_api.breaking(),
            "rust_api_added": report.rust_api.changes().len() - report.rust_api.breaking(),
        },
        "crate": versions,
        "changes": changes,
        "rust_api": rust_api,
        "disagreements": disagreements,
    });
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
