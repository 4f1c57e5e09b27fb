//! `cargo xtask`: the workspace's commands. A thin command line over `carecycle-codegen`.
//!
//! Exit codes: 0 done; 1 the check failed (stale output); 2 bad input or usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod build_bench;
mod codegen;
mod fuzz_codegen;
mod spec_diff;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--spec PATH] [--out DIR]
      Generate the client crate's files from the OpenAPI document.
      --check      change nothing; exit 1 with a diff when the committed files are stale
      --spec PATH  the document (default: openapi/carecycle.yaml)
      --out DIR    where to write (default: generated-client/src)

  fuzz-codegen [--seeds N] [--from S] [--compile K] [--combined C]
      Mutate the document (seeds S..S+N, default 1000..1400): each mutant must generate or be
      refused with a location, without a panic. Then `cargo check` the client generated from
      the first K mutants that generated (default 3) and from C documents that combine many
      accepted edits (default 2), each without a warning. Exit: 0 clean; 1 a broken promise.

  spec-diff (--base REF | OLD NEW) [--format markdown|json|text] [--allow-breaking]
      Say what a change to the document does to consumers of the client crate: every change
      with its rule id, level and Rust impact, and the semver bump the crate needs.
      --base REF        compare openapi/carecycle.yaml at git REF with the working tree, and
                        the crate version in generated-client/Cargo.toml at REF with the tree's
      OLD NEW           compare two document files
      --format F        markdown (for pull requests), json (for tools) or text (default)
      --allow-breaking  exit 0 even when a change is breaking
      Exit: 0 nothing breaking; 1 a breaking change; 2 bad input.

  build-bench [--sizes-only] [--features LIST] [--no-default-features]
      What the generated crate costs its consumers: generated lines and bytes per operation
      (curated and synthetic 100-operation documents), then a fresh consumer crate built cold
      with `cargo build --timings` (carecycle's compile time next to reqwest's) and rebuilt
      after a one-field change to the document. Works in a temporary directory.
      --sizes-only               only the generated sizes
      --features LIST            features of carecycle for the consumer
      --no-default-features      without carecycle's default features
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("spec-diff") => spec_diff::run(&args[1..]),
        Some("fuzz-codegen") => fuzz_codegen::run(&args[1..]),
        Some("build-bench") => build_bench::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(Failure::Usage(format!("unknown command `{other}`"))),
        None => Err(Failure::Usage("no command given".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Check(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Why a command did not succeed.
pub enum Failure {
    /// A check found a difference (exit 1).
    Check(String),
    /// The command line was wrong (exit 2).
    Usage(String),
    /// The input could not be used (exit 2).
    Input(String),
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Takes `--name VALUE` out of `args`.
pub fn take_value(args: &mut Vec<String>, name: &str) -> Result<Option<String>, Failure> {
    let Some(index) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    if index + 1 >= args.len() {
        return Err(Failure::Usage(format!("{name} needs a value")));
    }
    let value = args.remove(index + 1);
    args.remove(index);
    Ok(Some(value))
}

/// Takes `--name` out of `args`.
pub fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != name);
    args.len() != before
}

/// Copies the workspace at `from` to `to`, leaving out `target/` and `.git`: the benchmarks and
/// the fuzzer build their copies there, never in the checkout.
pub(crate) fn copy_workspace(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (source, destination) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_workspace(&source, &destination)?;
        } else {
            std::fs::copy(&source, &destination)?;
        }
    }
    Ok(())
}
