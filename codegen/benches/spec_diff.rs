//! How long the spec diff takes: the curated document against a modified copy, and a
//! 1,000-operation synthetic document (the curated operations cloned under renamed paths)
//! against its modified copy. Prints the median of repeated runs.
//!
//! Run: `cargo bench -p carecycle-codegen --bench spec_diff`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use carecycle_codegen::{diff, load, synth};
use serde_json::{Value, json};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    let curated = load::parse(&path, bytes.clone()).unwrap_or_else(|e| fail(&e.to_string()));
    let modified = modify(&curated.value);
    let operations = count_operations(&curated.value);

    let changes = diff::diff_values(&curated.value, &modified).changes.len();
    report(
        &format!("curated document ({operations} operations, {changes} changes), diff only"),
        50,
        || {
            diff::diff_values(black_box(&curated.value), black_box(&modified))
                .changes
                .len()
        },
    );
    let modified_bytes = serde_json::to_vec(&modified).unwrap_or_default();
    report(
        &format!("curated document ({operations} operations), load both + diff"),
        20,
        || {
            let old = load::parse(&path, bytes.clone()).map(|d| d.value);
            let new =
                load::parse(Path::new("modified.json"), modified_bytes.clone()).map(|d| d.value);
            match (old, new) {
                (Ok(old), Ok(new)) => diff::diff_values(&old, &new).changes.len(),
                _ => fail("the benchmark documents do not load"),
            }
        },
    );

    let big_old = synth::cloned(&curated.value, 1000);
    let big_new = synth::cloned(&modified, 1000);
    let big_changes = diff::diff_values(&big_old, &big_new).changes.len();
    report(
        &format!(
            "synthetic document ({} operations, {big_changes} changes), diff only",
            count_operations(&big_old)
        ),
        10,
        || {
            diff::diff_values(black_box(&big_old), black_box(&big_new))
                .changes
                .len()
        },
    );
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
        values.push(json!("Unknown"));
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

fn report(name: &str, runs: usize, mut run: impl FnMut() -> usize) {
    black_box(run()); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: median {:.2} ms (min {:.2}, max {:.2}, {runs} runs)",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}
