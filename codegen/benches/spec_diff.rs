//! How long the spec diff takes, each signal on its own and both together, against generating
//! the crate once (what `cargo xtask codegen` does), measured in the same run:
//!
//! - the curated document against a modified copy;
//! - a 1,000-operation synthetic pair: the curated operations cloned under renamed paths
//!   (`synth::cloned`), before and after the same modification.
//!
//! Documents are loaded once, outside the timings. Prints the median of repeated runs.
//!
//! Run: `cargo bench -p carecycle-codegen --bench spec_diff`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use carecycle_codegen::{Document, diff, generate_document, load, synth};
use serde_json::{Value, json};

/// Targets: both signals together.
const CURATED_TARGET: Duration = Duration::from_millis(300);
const LARGE_TARGET: Duration = Duration::from_secs(5);

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml");
    let curated = load::load(&path).unwrap_or_else(|e| fail(&e.to_string()));
    let modified = document("modified.json", &modify(&curated.value));
    compare("curated document", &curated, &modified, 21);

    let big_old = document("synthetic-old.json", &synth::cloned(&curated.value, 1000));
    let big_new = document("synthetic-new.json", &synth::cloned(&modified.value, 1000));
    compare("synthetic pair", &big_old, &big_new, 3);
}

/// Times the rules, generation of one document, and both signals on the pair.
fn compare(name: &str, old: &Document, new: &Document, runs: usize) {
    let operations = count_operations(&old.value);
    let report = diff::diff(old, new);
    let items = match &report.rust_api {
        diff::RustApi::Compared(items) => items.len(),
        other => fail(&format!("{name}: the Rust API was not compared: {other:?}")),
    };
    println!(
        "{name} ({operations} operations): {} rule findings, {items} public Rust items changed",
        report.changes.len()
    );
    let rules = time(runs, || {
        diff::diff_values(black_box(&old.value), black_box(&new.value))
            .changes
            .len()
    });
    let generation = time(runs, || match generate_document(black_box(old)) {
        Ok(files) => files.len(),
        Err(e) => fail(&e.to_string()),
    });
    let both = time(runs, || {
        diff::diff(black_box(old), black_box(new)).changes.len()
    });
    let target = if operations >= 1000 {
        LARGE_TARGET
    } else {
        CURATED_TARGET
    };
    println!("| measurement | median | min | max |\n|---|---:|---:|---:|");
    for (label, times) in [
        ("rules only (`diff_values`)", &rules),
        (
            "generating one document (`generate_document`, the reference)",
            &generation,
        ),
        ("both signals (`diff::diff`)", &both),
    ] {
        println!(
            "| {label} | {} | {} | {} |",
            ms(times.median),
            ms(times.min),
            ms(times.max)
        );
    }
    println!(
        "both signals / generating one document: {:.2}x; target {}: {}\n",
        both.median.as_secs_f64() / generation.median.as_secs_f64(),
        ms(target),
        if both.median < target {
            "met"
        } else {
            "NOT met"
        }
    );
}

struct Times {
    median: Duration,
    min: Duration,
    max: Duration,
}

/// One warm-up run, then `runs` timed ones.
fn time(runs: usize, mut run: impl FnMut() -> usize) -> Times {
    black_box(run());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    Times {
        median: times[runs / 2],
        min: times[0],
        max: times[runs - 1],
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn document(name: &str, value: &Value) -> Document {
    let bytes = serde_json::to_vec(value).unwrap_or_else(|e| fail(&e.to_string()));
    load::parse(Path::new(name), bytes).unwrap_or_else(|e| fail(&e.to_string()))
}

/// A realistic change: fields removed and added, an enum value, a limit, a status, a summary.
fn modify(document: &Value) -> Value {
    let mut modified = document.clone();
    let mut set = |pointer: &str, value: Value| {
        if let Some(place) = modified.pointer_mut(pointer) {
            *place = value;
        }
    };
    set(
        "/components/schemas/Provider/properties/fax",
        json!({"type": "integer", "format": "int64"}),
    );
    set(
        "/components/schemas/CreateProviderRequest/properties/specialty/maxLength",
        json!(100),
    );
    set(
        "/components/schemas/Customer/properties/website",
        json!({"type": "string", "nullable": true}),
    );
    set(
        "/components/schemas/ErrorBody/properties/requestId",
        json!({"type": "string"}),
    );
    if let Some(values) = modified
        .pointer_mut("/components/schemas/Gender/enum")
        .and_then(Value::as_array_mut)
    {
        let at = values.len().saturating_sub(1); // before the trailing null
        values.insert(at, json!("Unknown"));
    }
    if let Some(paths) = modified.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(patch) = item.get_mut("patch") {
                patch["summary"] = json!("Changed summary");
                patch["responses"]["409"] = json!({"$ref": "#/components/responses/BadRequest"});
            }
        }
    }
    modified
}

fn count_operations(document: &Value) -> usize {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flat_map(|m| m.keys()))
        .filter(|k| {
            [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&k.as_str())
        })
        .count()
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}
