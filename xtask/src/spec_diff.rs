//! `cargo xtask spec-diff (--base REF | OLD NEW) [--format F] [--allow-breaking]`
//!
//! Compares two versions of the document and prints what the change does to consumers of the
//! client crate. Exit 0: nothing breaking (or `--allow-breaking`); 1: a breaking change;
//! 2: bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

use carecycle_codegen::diff::report::{self, Format};
use carecycle_codegen::diff::{self, CrateVersions, Report};
use carecycle_codegen::load::{self, Document};

use crate::{Failure, take_flag, take_value, workspace_root};

const SPEC: &str = "openapi/carecycle.yaml";
const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut args = args.to_vec();
    let allow_breaking = take_flag(&mut args, "--allow-breaking");
    let format = match take_value(&mut args, "--format")? {
        Some(name) => name.parse::<Format>().map_err(Failure::Usage)?,
        None => Format::Text,
    };
    let base = take_value(&mut args, "--base")?;
    if let Some(flag) = args.iter().find(|a| a.starts_with("--")) {
        return Err(Failure::Usage(format!("unknown option `{flag}`")));
    }
    let report = match (base, args.as_slice()) {
        (Some(reference), []) => against_ref(&workspace_root(), &reference)?,
        (None, [old, new]) => between_files(Path::new(old), Path::new(new))?,
        (Some(_), _) => {
            return Err(Failure::Usage(
                "give either --base REF or two files, not both".into(),
            ));
        }
        (None, _) => {
            return Err(Failure::Usage(
                "spec-diff needs --base REF or two files OLD NEW".into(),
            ));
        }
    };
    print!("{}", report::render(&report, format));
    if report.exit_code(allow_breaking) == 1 {
        return Err(Failure::Check(format!(
            "spec-diff: {} breaking change(s); pass --allow-breaking when they are intended",
            report.count(diff::Level::Breaking)
        )));
    }
    Ok(())
}

fn between_files(old: &Path, new: &Path) -> Result<Report, Failure> {
    let old = load_file(old)?;
    let new = load_file(new)?;
    Ok(diff::diff(&old, &new))
}

fn load_file(path: &Path) -> Result<Document, Failure> {
    load::load(path).map_err(|e| Failure::Input(e.to_string()))
}

/// The document at `reference` against the working tree, with the client crate's versions.
fn against_ref(root: &Path, reference: &str) -> Result<Report, Failure> {
    verify_ref(root, reference)?;
    let old_bytes = git_show(root, reference, SPEC)?;
    let old = load::parse(&PathBuf::from(format!("{reference}:{SPEC}")), old_bytes)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let new = load_file(&root.join(SPEC))?;
    let report = diff::diff(&old, &new).with_labels(
        format!("{SPEC} at {reference}"),
        format!("{SPEC} (working tree)"),
    );
    let old_manifest = git_show(root, reference, CLIENT_MANIFEST)?;
    let new_manifest = std::fs::read(root.join(CLIENT_MANIFEST))
        .map_err(|e| Failure::Input(format!("cannot read {CLIENT_MANIFEST}: {e}")))?;
    let old_version = package_version(&old_manifest, &format!("{CLIENT_MANIFEST} at {reference}"))?;
    let new_version = package_version(&new_manifest, CLIENT_MANIFEST)?;
    let versions = CrateVersions::parse(&old_version, &new_version)
        .map_err(|e| Failure::Input(format!("{CLIENT_MANIFEST}: {e}")))?;
    Ok(report.with_versions(versions))
}

fn verify_ref(root: &Path, reference: &str) -> Result<(), Failure> {
    if reference.starts_with('-') {
        return Err(Failure::Usage(format!("`{reference}` is not a git ref")));
    }
    let output = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "unknown git ref `{reference}`: no such branch, tag or commit"
        )))
    }
}

fn git_show(root: &Path, reference: &str, file: &str) -> Result<Vec<u8>, Failure> {
    let output = git(root, &["show", &format!("{reference}:{file}")])?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .next()
        .unwrap_or("git show failed")
        .trim_start_matches("fatal: ");
    Err(Failure::Input(format!(
        "cannot read {file} at git ref `{reference}`: {reason}"
    )))
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, Failure> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Failure::Input(format!("cannot run git: {e}")))
}

/// `package.version` of a Cargo manifest; `name` says which manifest in errors.
fn package_version(manifest: &[u8], name: &str) -> Result<String, Failure> {
    let text = std::str::from_utf8(manifest)
        .map_err(|e| Failure::Input(format!("{name}: not UTF-8: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Failure::Input(format!("{name}: invalid TOML: {}", e.message()))
    })?;
    table
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Failure::Input(format!("{name}: no `package.version` string")))
}
