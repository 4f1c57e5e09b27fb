//! Times the whole pipeline (`generate_document`: lint, lowering, progenitor, syn passes,
//! prettyplease) on the curated document and on synthetic documents of 10, 100 and 1,000
//! operations. The documents are loaded once, outside the timings.
//!
//! The reference, timed in the same runs (interleaved): progenitor alone on the same lowered
//! document, the client and the httpmock helpers with the same interface settings, each
//! parsed and printed with prettyplease; nothing of ours.
//!
//! Then each stage's median (lint, plan, lowering, progenitor, parsing, every syn pass,
//! rendering; `generate_document_timed`) for the curated document and the largest one: where
//! to look when the ratio grows.
//!
//! Run: `cargo bench -p carecycle-codegen --bench codegen`

use std::path::Path;
use std::time::{Duration, Instant};

use carecycle_codegen::{
    Document, StageTimes, generate_document, generate_document_timed, load, lower, synth,
};
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

/// Targets from the workspace issue.
const CURATED_TARGET: Duration = Duration::from_millis(100);
const LARGE_TARGET: Duration = Duration::from_secs(5);
/// Our pipeline against progenitor alone.
const RATIO_TARGET: f64 = 1.5;

struct Row {
    label: String,
    operations: usize,
    runs: usize,
    median: Duration,
    min: Duration,
    /// progenitor alone: median and min.
    reference: (Duration, Duration),
    /// Each stage of the pipeline: its median over the runs.
    stages: Vec<(&'static str, Duration)>,
}

fn main() {
    let curated_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml");
    let curated = load::load(&curated_path).unwrap_or_else(|e| panic!("{e}"));
    let curated_ops = operations(&curated);

    let mut rows = vec![measure(
        "curated (openapi/carecycle.yaml)",
        &curated,
        curated_ops,
        21,
    )];
    for (n, runs) in [(10, 21), (100, 7), (1000, 3)] {
        let document = synth::load(n).unwrap_or_else(|e| panic!("{e}"));
        rows.push(measure(&format!("synthetic {n}"), &document, n, runs));
    }

    println!();
    println!(
        "| document | operations | runs | median | min | per operation (median) | growth vs previous | progenitor alone (median) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, row) in rows.iter().enumerate() {
        // Growth: how much the median grows per tenfold growth in operations (10.0 is linear).
        let growth = match i {
            0 | 1 => "".to_owned(),
            _ => {
                let previous = &rows[i - 1];
                let time = row.median.as_secs_f64() / previous.median.as_secs_f64();
                let size = row.operations as f64 / previous.operations as f64;
                format!("{time:.1}x time for {size:.0}x operations")
            }
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} |",
            row.label,
            row.operations,
            row.runs,
            ms(row.median),
            ms(row.min),
            ms(row.median / row.operations as u32),
            growth,
            ms(row.reference.0),
            row.ratio()
        );
    }
    print_stages(&rows);
    println!();
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let large = rows.last().expect("rows");
    println!(
        "target curated < {}: {} ({})",
        ms(CURATED_TARGET),
        verdict(rows[0].median < CURATED_TARGET),
        ms(rows[0].median)
    );
    println!(
        "target 1,000 operations < {}: {} ({})",
        ms(LARGE_TARGET),
        verdict(large.median < LARGE_TARGET),
        ms(large.median)
    );
    for row in &rows {
        println!(
            "target {} at most {RATIO_TARGET}x progenitor alone: {} ({:.2}x)",
            row.label,
            verdict(row.ratio() <= RATIO_TARGET),
            row.ratio()
        );
    }
}

impl Row {
    /// Our median over progenitor's.
    fn ratio(&self) -> f64 {
        self.median.as_secs_f64() / self.reference.0.as_secs_f64()
    }
}

/// Runs the pipeline and the reference once each to warm up, then `runs` times each,
/// alternating.
fn measure(label: &str, document: &Document, operations: usize, runs: usize) -> Row {
    let files = generate_document(document).unwrap_or_else(|e| panic!("{label}: {e}"));
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let mut lowered = document.value.clone();
    lower::lower(&mut lowered).unwrap_or_else(|e| panic!("{label}: {e:?}"));
    let lowered: openapiv3::OpenAPI =
        serde_json::from_value(lowered).expect("the lowered document is OpenAPI");
    std::hint::black_box(progenitor_alone(&lowered));
    let mut times = Vec::new();
    let mut reference = Vec::new();
    let mut stage_runs: Vec<StageTimes> = Vec::new();
    for _ in 0..runs {
        let mut stages = StageTimes::new();
        let started = Instant::now();
        let files = generate_document_timed(document, &mut stages).expect("generated once already");
        times.push(started.elapsed());
        stage_runs.push(stages);
        std::hint::black_box(files);
        let started = Instant::now();
        std::hint::black_box(progenitor_alone(&lowered));
        reference.push(started.elapsed());
    }
    times.sort();
    reference.sort();
    let row = Row {
        label: label.to_owned(),
        operations,
        runs,
        median: times[times.len() / 2],
        min: times[0],
        reference: (reference[reference.len() / 2], reference[0]),
        stages: median_stages(&stage_runs),
    };
    eprintln!(
        "{label}: {operations} operations, {} KiB generated, median {} min {} over {runs} runs; \
         progenitor alone median {} min {}",
        bytes / 1024,
        ms(row.median),
        ms(row.min),
        ms(row.reference.0),
        ms(row.reference.1)
    );
    row
}

/// progenitor's client and httpmock helpers for `spec`, printed by prettyplease.
fn progenitor_alone(spec: &openapiv3::OpenAPI) -> (String, String) {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    let print =
        |tokens| prettyplease::unparse(&syn::parse2(tokens).expect("progenitor's output parses"));
    let client = Generator::new(&settings)
        .generate_tokens(spec)
        .expect("progenitor takes the lowered document");
    let mock = Generator::new(&settings)
        .httpmock(spec, "crate")
        .expect("progenitor takes the lowered document");
    (print(client), print(mock))
}

/// The median of each stage over the runs (every run has the same stages, in order).
fn median_stages(runs: &[StageTimes]) -> Vec<(&'static str, Duration)> {
    let first = runs.first().map(Vec::as_slice).unwrap_or_default();
    (0..first.len())
        .map(|i| {
            let mut times: Vec<Duration> = runs.iter().map(|run| run[i].1).collect();
            times.sort();
            (first[i].0, times[times.len() / 2])
        })
        .collect()
}

/// Where the time goes, stage by stage, for the curated document and the largest one.
fn print_stages(rows: &[Row]) {
    let (curated, large) = (&rows[0], rows.last().expect("rows"));
    println!();
    println!("| stage (median) | {} | {} |", curated.label, large.label);
    println!("|---|---:|---:|");
    for ((stage, small), (_, big)) in curated.stages.iter().zip(&large.stages) {
        println!("| {stage} | {} | {} |", ms(*small), ms(*big));
    }
    println!(
        "| progenitor alone (reference: client, mock, parse, print) | {} | {} |",
        ms(curated.reference.0),
        ms(large.reference.0)
    );
}

fn operations(document: &Document) -> usize {
    document.spec.operations().count()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
