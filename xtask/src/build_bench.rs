//! `cargo xtask build-bench`: what the generated crate costs its consumers.
//!
//! 1. Generated lines and bytes per operation, on the curated document and on a synthetic
//!    100-operation document (`codegen::synth`).
//! 2. A fresh consumer crate in a temporary directory, depending by path on a copy of this
//!    workspace: a cold `cargo build --timings` (the whole build, and `carecycle`'s own compile
//!    time next to `reqwest`'s from the same build), then the document gets one more field, the
//!    copy is regenerated and the rebuild is timed.
//!
//! The checkout itself is never written to.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use carecycle_codegen::{Document, OutputFile, generate_document, load, synth};
use serde_json::{Value, json};

use crate::{Failure, take_flag, take_value, workspace_root};

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut args = args.to_vec();
    let sizes_only = take_flag(&mut args, "--sizes-only");
    let no_default = take_flag(&mut args, "--no-default-features");
    let features = take_value(&mut args, "--features")?.unwrap_or_default();
    if let Some(extra) = args.first() {
        return Err(Failure::Usage(format!("unexpected argument `{extra}`")));
    }
    let root = workspace_root();
    let curated = load::load(&root.join("openapi/carecycle.yaml")).map_err(input)?;
    let synthetic = synth::load(100).map_err(input)?;

    println!(
        "| document | operations | file | lines | bytes | lines per operation | KiB per operation |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|");
    let mut lean_files = Vec::new();
    for (label, document) in [("curated", &curated), ("synthetic", &synthetic)] {
        lean_files.push((
            label,
            document.spec.operations().count(),
            size_rows(label, document)?,
        ));
    }
    for (label, operations, lean) in &lean_files {
        weight_rows(label, *operations, lean)?;
    }
    if sizes_only {
        return Ok(());
    }

    let scratch =
        std::env::temp_dir().join(format!("carecycle-build-bench-{}", std::process::id()));
    let result = consumer_builds(&root, &scratch, &curated, no_default, &features);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn input(error: carecycle_codegen::Error) -> Failure {
    Failure::Input(error.to_string())
}

/// Returns the client file as a build without `mock` compiles it.
fn size_rows(label: &str, document: &Document) -> Result<String, Failure> {
    let operations = document.spec.operations().count();
    let files = generate_document(document).map_err(input)?;
    let mut total = (0, 0);
    for file in &files {
        let lines = file.contents.lines().count();
        row(label, operations, file.name, lines, file.contents.len());
        total = (total.0 + lines, total.1 + file.contents.len());
    }
    row(label, operations, "both", total.0, total.1);
    // What a build without the `mock` feature compiles of the client file.
    let client = &files
        .iter()
        .find(|f| f.name == carecycle_codegen::CLIENT_FILE)
        .expect("the client file")
        .contents;
    let lean =
        carecycle_codegen::render::without_feature(client, "mock").map_err(Failure::Input)?;
    row(
        label,
        operations,
        "generated.rs without `mock`",
        lean.lines().count(),
        lean.len(),
    );
    Ok(lean)
}

/// Where the lines of the client file without `mock` go, per operation.
fn weight_rows(label: &str, operations: usize, lean: &str) -> Result<(), Failure> {
    let kinds = carecycle_codegen::weight::weigh(lean).map_err(Failure::Input)?;
    let mut rows: Vec<_> = kinds.into_iter().collect();
    rows.sort_by(|a, b| b.1.lines.cmp(&a.1.lines).then_with(|| a.0.cmp(&b.0)));
    println!();
    println!("{label} document, generated.rs without `mock`, by kind of item:");
    println!();
    println!("| kind | lines | per operation | of which doc comments |");
    println!("|---|---:|---:|---:|");
    for (kind, weight) in rows {
        let per_operation = weight.lines as f64 / operations as f64;
        println!(
            "| {kind} | {} | {per_operation:.1} | {} |",
            weight.lines, weight.doc_lines
        );
    }
    Ok(())
}

fn row(label: &str, operations: usize, file: &str, lines: usize, bytes: usize) {
    println!(
        "| {label} | {operations} | {file} | {lines} | {bytes} | {:.0} | {:.1} |",
        lines as f64 / operations as f64,
        bytes as f64 / 1024.0 / operations as f64
    );
}

/// The cold build, then the rebuild after a one-field change to the document.
fn consumer_builds(
    root: &Path,
    scratch: &Path,
    curated: &Document,
    no_default: bool,
    features: &str,
) -> Result<(), Failure> {
    let workspace = scratch.join("workspace");
    crate::copy_workspace(root, &workspace)
        .map_err(|e| Failure::Input(format!("cannot copy the workspace: {e}")))?;
    let consumer = scratch.join("consumer");
    write_consumer(&workspace, &consumer, no_default, features)
        .map_err(|e| Failure::Input(format!("cannot write the consumer crate: {e}")))?;
    let target = scratch.join("target");

    eprintln!(
        "cold build of a fresh consumer in {} ...",
        consumer.display()
    );
    let cold = cargo_build(&consumer, &target)?;
    let units = unit_times(&target)?;
    let own = |name: &str| {
        units
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, d)| *d)
            .sum::<f64>()
    };
    let (carecycle, reqwest) = (own("carecycle"), own("reqwest"));

    // One more optional field on a request body.
    let mut edited = curated.value.clone();
    let customer = &mut edited["components"]["schemas"]["UpdateCustomerRequest"]["properties"];
    let Some(properties) = customer.as_object_mut() else {
        return Err(Failure::Input(
            "the document has no UpdateCustomerRequest properties".into(),
        ));
    };
    properties.insert(
        "benchNote".into(),
        json!({"type": "string", "maxLength": 100}),
    );
    let files = generate_edited(&edited)?;
    let out = workspace.join("generated-client/src");
    for file in &files {
        std::fs::write(out.join(file.name), &file.contents)
            .map_err(|e| Failure::Input(format!("cannot write {}: {e}", file.name)))?;
    }
    eprintln!("rebuild after the one-field change ...");
    let rebuild = cargo_build(&consumer, &target)?;
    let rebuilt = unit_times(&target)?;
    let rebuilt_carecycle: f64 = rebuilt
        .iter()
        .filter(|(n, _)| n == "carecycle")
        .map(|(_, d)| d)
        .sum();

    let features = match (no_default, features) {
        (false, "") => "default".to_owned(),
        (true, "") => "no default features".to_owned(),
        (false, f) => format!("default + {f}"),
        (true, f) => f.to_owned(),
    };
    println!();
    println!("consumer build (features: {features}, jobs: {})", jobs());
    println!();
    println!("| measure | seconds |");
    println!("|---|---:|");
    println!(
        "| cold consumer build, wall clock | {:.1} |",
        cold.as_secs_f64()
    );
    println!("| `carecycle` compile (cargo --timings) | {carecycle:.1} |");
    println!("| `reqwest` compile, same build | {reqwest:.1} |");
    println!("| ratio carecycle / reqwest | {:.2} |", carecycle / reqwest);
    println!(
        "| rebuild after a one-field document change, wall clock | {:.1} |",
        rebuild.as_secs_f64()
    );
    println!("| `carecycle` compile in that rebuild | {rebuilt_carecycle:.1} |");
    println!();
    println!("slowest units of the cold build:");
    let mut slowest = units;
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, seconds) in slowest.iter().take(8) {
        println!("  {name}: {seconds:.1} s");
    }
    Ok(())
}

fn generate_edited(edited: &Value) -> Result<Vec<OutputFile>, Failure> {
    let bytes = serde_json::to_vec_pretty(edited).expect("a JSON value serialises");
    let document = load::parse(Path::new("carecycle-edited.json"), bytes).map_err(input)?;
    generate_document(&document).map_err(input)
}

/// The consumer: a binary that builds a client and names one operation.
fn write_consumer(
    workspace: &Path,
    consumer: &Path,
    no_default: bool,
    features: &str,
) -> std::io::Result<()> {
    std::fs::create_dir_all(consumer.join("src"))?;
    let mut dependency = format!(
        "path = {:?}",
        workspace.join("generated-client").display().to_string()
    );
    if no_default {
        dependency.push_str(", default-features = false");
    }
    if !features.is_empty() {
        let list: Vec<String> = features
            .split(',')
            .map(|f| format!("{:?}", f.trim()))
            .collect();
        dependency.push_str(&format!(", features = [{}]", list.join(", ")));
    }
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncarecycle = {{ {dependency} }}\n\n[workspace]\n"
        ),
    )?;
    std::fs::write(
        consumer.join("src/main.rs"),
        "fn main() {\n    let client = carecycle::Client::builder().api_key(\"bench\").build();\n    \
         if let Ok(client) = client {\n        let _request = client.get_customer();\n    }\n}\n",
    )?;
    // The versions the workspace tests with, not whatever the registry has today.
    std::fs::copy(workspace.join("Cargo.lock"), consumer.join("Cargo.lock"))?;
    Ok(())
}

fn cargo_build(consumer: &Path, target: &Path) -> Result<Duration, Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let status = Command::new(cargo)
        .args(["build", "--timings", "--quiet"])
        .current_dir(consumer)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| Failure::Input(format!("cannot run cargo: {e}")))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(Failure::Input(format!(
            "the consumer build failed ({status})"
        )));
    }
    Ok(elapsed)
}

/// (crate name, seconds) of each compiled unit, from the last `--timings` report. Build
/// scripts count under their own name.
fn unit_times(target: &Path) -> Result<Vec<(String, f64)>, Failure> {
    let path = target.join("cargo-timings/cargo-timing.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    let missing = || Failure::Input(format!("{} has no UNIT_DATA", path.display()));
    let start = html.find("const UNIT_DATA = ").ok_or_else(missing)? + "const UNIT_DATA = ".len();
    let end = start + html[start..].find(";\n").ok_or_else(missing)?;
    let units: Vec<Value> = serde_json::from_str(&html[start..end]).map_err(|e| {
        Failure::Input(format!(
            "cannot read the timings of {}: {e}",
            path.display()
        ))
    })?;
    Ok(units
        .iter()
        .map(|unit| {
            let name = unit["name"].as_str().unwrap_or("?");
            let target = unit["target"].as_str().unwrap_or("").trim();
            let label = if target.is_empty() {
                name.to_owned()
            } else {
                format!("{name} ({target})")
            };
            (label, unit["duration"].as_f64().unwrap_or(0.0))
        })
        .collect())
}

fn jobs() -> String {
    std::thread::available_parallelism().map_or_else(|_| "?".into(), |n| n.to_string())
}
