//! The committed client is what the document and the generator produce now.

use crate::{document_path, generated_dir};

#[test]
fn committed_generated_files_are_current() {
    let files = carecycle_codegen::generate(&document_path()).unwrap_or_else(|e| panic!("{e}"));
    let mut stale = Vec::new();
    for file in &files {
        let path = generated_dir().join(file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            let diff = similar::TextDiff::from_lines(&committed, &file.contents)
                .unified_diff()
                .context_radius(2)
                .header("committed", "generated")
                .to_string();
            let shown: String = diff.lines().take(80).map(|l| format!("{l}\n")).collect();
            stale.push(format!("{} is stale:\n{shown}", path.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nThe generated files do not match openapi/carecycle.yaml. Run `cargo xtask codegen`, \
         review the snapshot changes with `cargo insta review`, and commit the result.",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let first = carecycle_codegen::generate(&document_path()).unwrap_or_else(|e| panic!("{e}"));
    let second = carecycle_codegen::generate(&document_path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, second);
}

#[test]
fn generated_files_record_the_documents_fingerprint() {
    let document = std::fs::read(document_path()).unwrap();
    let expected = carecycle_codegen::fingerprint::fingerprint(&document);
    for name in [carecycle_codegen::CLIENT_FILE, carecycle_codegen::MOCK_FILE] {
        let generated = std::fs::read_to_string(generated_dir().join(name)).unwrap();
        assert!(
            generated.starts_with("// @generated"),
            "{name} lacks the do-not-edit header"
        );
        assert_eq!(
            carecycle_codegen::fingerprint::recorded_fingerprint(&generated),
            Some(expected.as_str()),
            "{name} was generated from another version of the document: run `cargo xtask codegen`"
        );
    }
}
