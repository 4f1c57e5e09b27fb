//! `cargo xtask fuzz-codegen [--seeds N] [--from S] [--compile K] [--combined C]`
//!
//! Runs the codegen fuzzer (`carecycle_codegen::fuzz`) over seeds `S..S+N`: every mutant of
//! the curated document must generate or be refused with a location. Then compiles the first
//! `K` mutants that generated, and (when `C` > 0) the document with the constructs the curated
//! one does not use (`fuzz::with_constructs`) and `C` combined documents (many accepted edits
//! together), each as the `carecycle` crate in a copy of the workspace: `cargo check` must
//! pass without a warning. A mutant that hangs or overflows the stack stops the run; the seed it was on is
//! printed before it runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use carecycle_codegen::OutputFile;
use carecycle_codegen::fuzz::{self, Verdict};

use crate::{Failure, take_value, workspace_root};

/// A mutant that takes longer than this has hung.
const HANG: Duration = Duration::from_secs(120);

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut args = args.to_vec();
    let number = |args: &mut Vec<String>, name: &str, default: u64| -> Result<u64, Failure> {
        take_value(args, name)?.map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| Failure::Usage(format!("{name} takes a number")))
        })
    };
    let seeds = number(&mut args, "--seeds", 400)?;
    let from = number(&mut args, "--from", 1000)?;
    let compile = number(&mut args, "--compile", 3)? as usize;
    let combined = number(&mut args, "--combined", 2)?;
    if let Some(extra) = args.first() {
        return Err(Failure::Usage(format!("unexpected argument `{extra}`")));
    }
    let root = workspace_root();
    let spec = root.join("openapi/carecycle.yaml");
    let text = std::fs::read_to_string(&spec)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", spec.display())))?;
    let base = carecycle_codegen::load::load(&spec)
        .map_err(|e| Failure::Input(e.to_string()))?
        .value;
    let watchdog = start_watchdog();

    let (mut generated, mut refused, mut broken) = (Vec::new(), 0, Vec::new());
    for seed in from..from + seeds {
        let mutant = fuzz::mutant(&base, &text, seed);
        watchdog.store(seed + 1, Ordering::SeqCst);
        let started = Instant::now();
        let verdict = fuzz::run(&mutant);
        if started.elapsed() > Duration::from_secs(10) {
            eprintln!("seed {seed} took {:?}", started.elapsed());
        }
        match verdict {
            Verdict::Generated(files) => generated.push((seed, files)),
            Verdict::Refused(_) => refused += 1,
            Verdict::Broken(why) => {
                broken.push(format!("seed {seed} ({}): {why}", mutant.edits.join("; ")))
            }
        }
    }
    watchdog.store(0, Ordering::SeqCst);
    println!(
        "{seeds} mutants: {} generated, {refused} refused, {} broke a promise",
        generated.len(),
        broken.len()
    );
    if !broken.is_empty() {
        return Err(Failure::Check(broken.join("\n")));
    }

    let mut samples: Vec<(String, Vec<OutputFile>)> = generated
        .into_iter()
        .take(compile)
        .map(|(seed, files)| (format!("seed {seed}"), files))
        .collect();
    let generate = |name: &str, document: &serde_json::Value| -> Result<Vec<OutputFile>, Failure> {
        let bytes = serde_json::to_vec(document).map_err(|e| Failure::Input(e.to_string()))?;
        let loaded = carecycle_codegen::load::parse(Path::new(name), bytes)
            .map_err(|e| Failure::Input(e.to_string()))?;
        carecycle_codegen::generate_document(&loaded).map_err(|e| Failure::Input(e.to_string()))
    };
    if combined > 0 {
        // The constructs the curated document does not use, each in an operation of its own.
        let document = fuzz::with_constructs(&base).ok_or_else(|| {
            Failure::Input("the document has no GET with a path parameter to copy".into())
        })?;
        samples.push((
            "constructs document".into(),
            generate("constructs.json", &document)?,
        ));
    }
    for seed in 0..combined {
        let (document, edits) = fuzz::combined(&base, seed, 24);
        let files = generate("combined.json", &document)?;
        println!(
            "combined document {seed}: {} edits kept: {}",
            edits.len(),
            edits.join("; ")
        );
        samples.push((format!("combined document {seed}"), files));
    }
    if samples.is_empty() {
        return Ok(());
    }
    let copy = copy_workspace(&root)?;
    for (name, files) in samples {
        print!("{name}: cargo check … ");
        check_compiles(&root, &copy, &files).map_err(|e| {
            Failure::Check(format!(
                "{name} generated code that does not compile cleanly:\n{e}"
            ))
        })?;
        println!("clean");
    }
    Ok(())
}

/// Stops the process when one mutant runs longer than [`HANG`], naming its seed.
fn start_watchdog() -> &'static AtomicU64 {
    static CURRENT: AtomicU64 = AtomicU64::new(0);
    std::thread::spawn(|| {
        let mut last = (0, Instant::now());
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let now = CURRENT.load(Ordering::SeqCst);
            if now != last.0 {
                last = (now, Instant::now());
            } else if now != 0 && last.1.elapsed() > HANG {
                eprintln!("seed {} hangs: no outcome after {HANG:?}", now - 1);
                std::process::exit(1);
            }
        }
    });
    &CURRENT
}

/// A copy of the workspace's sources (no `target/`, no `.git`) to generate into.
fn copy_workspace(root: &Path) -> Result<PathBuf, Failure> {
    let copy = root.join("target/fuzz-codegen/workspace");
    let _ = std::fs::remove_dir_all(&copy);
    crate::copy_workspace(root, &copy).map_err(|e| {
        Failure::Input(format!(
            "cannot copy the workspace to {}: {e}",
            copy.display()
        ))
    })?;
    Ok(copy)
}

/// Writes the generated files into the copy and checks the `carecycle` crate with every
/// feature; an error or a warning fails. Builds in the workspace's `target/`, so that the
/// dependencies are compiled once.
fn check_compiles(root: &Path, copy: &Path, files: &[OutputFile]) -> Result<(), String> {
    for file in files {
        std::fs::write(
            copy.join("generated-client/src").join(file.name),
            &file.contents,
        )
        .map_err(|e| e.to_string())?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "-p",
            "carecycle",
            "--lib",
            "--all-features",
            "--message-format",
            "short",
        ])
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let is_complaint = |l: &&str| {
        ["warning", "error"]
            .iter()
            .any(|w| l.starts_with(w) || l.contains(&format!(": {w}")))
    };
    let complaints: Vec<&str> = stderr.lines().filter(is_complaint).collect();
    if output.status.success() && complaints.is_empty() {
        Ok(())
    } else {
        Err(complaints.join("\n"))
    }
}
