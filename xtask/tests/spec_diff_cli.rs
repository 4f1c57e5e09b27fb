//! `cargo xtask spec-diff` end to end: the binary's exit codes and messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn curated() -> PathBuf {
    workspace().join("openapi/carecycle.yaml")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("spec-diff")
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("the xtask binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `contents` to a file of this test run and returns its path.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("spec-diff-{name}"));
    std::fs::write(&path, contents).expect("the scratch file is written");
    path
}

/// The curated document without its dependents path, as JSON.
fn without_dependents() -> PathBuf {
    let mut document = carecycle_codegen::load::load(&curated())
        .expect("curated document loads")
        .value;
    document["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/v2/customers/{id}/dependents");
    scratch(
        "without-dependents.json",
        &serde_json::to_vec(&document).unwrap(),
    )
}

fn assert_one_line_error(output: &Output, needle: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    let message = stderr(output);
    assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    assert!(message.starts_with("error: "), "{message}");
    assert!(message.contains(needle), "`{needle}` in: {message}");
    assert!(
        !message.contains("panicked") && !message.contains("backtrace"),
        "{message}"
    );
}

#[test]
fn the_same_document_twice_exits_0_with_no_breaking_changes() {
    let curated = curated();
    let path = curated.to_str().unwrap();
    let output = xtask(&[path, path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("No breaking changes."),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_breaking_change_exits_1_unless_allowed() {
    let (old, new) = (curated(), without_dependents());
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let output = xtask(&[old, new, "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("### Breaking changes (1 rule finding(s), "),
        "{report}"
    );
    assert!(report.contains("`path-removed`"), "{report}");
    // The second signal: the generated crate loses the method.
    assert!(
        report.contains("- removed: `fn Client::create_customer_dependent(&self)"),
        "{report}"
    );
    assert!(!report.contains("No breaking changes."), "{report}");
    assert!(
        stderr(&output).contains("--allow-breaking"),
        "{}",
        stderr(&output)
    );

    let allowed = xtask(&[old, new, "--allow-breaking", "--format", "json"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    let json: Value = serde_json::from_str(&stdout(&allowed)).expect("JSON output parses");
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["changes"][0]["id"], "path-removed");
    assert_eq!(json["changes"][0]["level"], "breaking");
    assert_eq!(json["rust_api"]["status"], "compared");
    assert_eq!(json["summary"]["verdict"], "breaking");
    assert!(
        json["summary"]["rust_api_breaking"].as_u64().unwrap() > 0,
        "{json}"
    );
    assert_eq!(json["disagreements"], serde_json::json!([]));
}

#[test]
fn a_document_codegen_refuses_is_still_diffed_by_the_rules_and_says_why() {
    let mut document = carecycle_codegen::load::load(&curated())
        .expect("curated document loads")
        .value;
    document["paths"]["/v2/customers/{id}"]["get"]["security"] = serde_json::json!([]);
    let new = scratch("no-security.json", &serde_json::to_vec(&document).unwrap());
    let old = curated();
    let output = xtask(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("`security-requirement-removed`"),
        "{report}"
    );
    assert!(
        report.contains("**Rust API not compared:** the new document does not generate: ")
            && report.contains("has no security requirement"),
        "{report}"
    );
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    let curated = curated();
    let output = xtask(&[curated.to_str().unwrap(), "no/such/document.yaml"]);
    assert_one_line_error(&output, "no/such/document.yaml: cannot read the document");
}

#[test]
fn a_yaml_syntax_error_exits_2_with_its_line() {
    let broken = scratch(
        "broken.yaml",
        b"openapi: 3.0.3\ninfo:\n  title: [unclosed\n",
    );
    let curated = curated();
    let output = xtask(&[curated.to_str().unwrap(), broken.to_str().unwrap()]);
    assert_one_line_error(&output, "invalid YAML");
    assert!(stderr(&output).contains("line "), "{}", stderr(&output));
}

#[test]
fn an_unknown_git_ref_exits_2() {
    let output = xtask(&["--base", "no-such-ref-for-spec-diff"]);
    assert_one_line_error(&output, "unknown git ref `no-such-ref-for-spec-diff`");
}

#[test]
fn a_bad_format_exits_2() {
    let output = xtask(&["--base", "HEAD", "--format", "html"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown format `html`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn against_head_it_reports_with_the_crate_version() {
    let output = xtask(&["--base", "HEAD", "--format", "json", "--allow-breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON output parses");
    assert!(json["crate"]["old"].is_string(), "{json}");
    assert!(json["old"].as_str().unwrap().contains("at HEAD"), "{json}");
}
