//! `cargo xtask codegen` from the outside: files written, `--check` exit codes and messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn document() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carecycle-xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn writes_then_checks_clean_then_reports_a_stale_file_with_a_diff() {
    let out = scratch("check");
    let (spec, out_dir) = (document(), out.to_str().unwrap().to_owned());
    let spec = spec.to_str().unwrap();

    let write = xtask(&["codegen", "--spec", spec, "--out", &out_dir]);
    assert!(write.status.success(), "{}", text(&write.stderr));
    assert!(out.join("generated.rs").is_file() && out.join("generated_mock.rs").is_file());

    let clean = xtask(&["codegen", "--check", "--spec", spec, "--out", &out_dir]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));

    let generated = out.join("generated.rs");
    let edited = std::fs::read_to_string(&generated).unwrap().replacen(
        "pub struct Client",
        "pub struct Klient",
        1,
    );
    std::fs::write(&generated, edited).unwrap();
    let stale = xtask(&["codegen", "--check", "--spec", spec, "--out", &out_dir]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(
        stderr.contains("-pub struct Klient") && stderr.contains("+pub struct Client"),
        "{stderr}"
    );
    assert!(stderr.contains("Run `cargo xtask codegen`"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_input_and_bad_usage_exit_2_with_one_clear_line() {
    let out = scratch("bad");
    let broken = out.join("broken.yaml");
    std::fs::write(
        &broken,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let refused = xtask(&[
        "codegen",
        "--spec",
        broken.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("broken.yaml")
            && stderr.contains("3.1.0 is not supported"),
        "{stderr}"
    );
    assert!(
        !out.join("generated.rs").exists(),
        "nothing is written for a refused document"
    );

    let missing = xtask(&["codegen", "--spec", "/nonexistent/carecycle.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read the document"));

    for args in [
        &["codegen", "--bogus"][..],
        &["codegen", "--spec"][..],
        &["frobnicate"][..],
        &[][..],
    ] {
        let usage = xtask(args);
        assert_eq!(usage.status.code(), Some(2), "{args:?}");
        assert!(
            text(&usage.stderr).contains("usage: cargo xtask"),
            "{args:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
