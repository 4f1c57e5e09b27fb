//! Times the whole pipeline (`generate_document`: lint, lowering, progenitor, syn passes,
//! prettyplease) on the curated document and on synthetic documents of 10, 100 and 1,000
//! operations. The documents are loaded once, outside the timings.
//!
//! Run: `cargo bench -p carecycle-codegen --bench codegen`

use std::path::Path;
use std::time::{Duration, Instant};

use carecycle_codegen::{Document, generate_document, load, synth};

/// Targets from the workspace issue.
const CURATED_TARGET: Duration = Duration::from_millis(100);
const LARGE_TARGET: Duration = Duration::from_secs(5);

struct Row {
    label: String,
    operations: usize,
    runs: usize,
    median: Duration,
    min: Duration,
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
        "| document | operations | runs | median | min | per operation (median) | growth vs previous |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
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
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.label,
            row.operations,
            row.runs,
            ms(row.median),
            ms(row.min),
            ms(row.median / row.operations as u32),
            growth
        );
    }
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
}

/// Runs the pipeline once to warm up, then `runs` times.
fn measure(label: &str, document: &Document, operations: usize, runs: usize) -> Row {
    let files = generate_document(document).unwrap_or_else(|e| panic!("{label}: {e}"));
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let files = generate_document(document).expect("generated once already");
            let elapsed = started.elapsed();
            std::hint::black_box(files);
            elapsed
        })
        .collect();
    times.sort();
    let row = Row {
        label: label.to_owned(),
        operations,
        runs,
        median: times[times.len() / 2],
        min: times[0],
    };
    eprintln!(
        "{label}: {operations} operations, {} KiB generated, median {} min {} over {runs} runs",
        bytes / 1024,
        ms(row.median),
        ms(row.min)
    );
    row
}

fn operations(document: &Document) -> usize {
    document.spec.operations().count()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
