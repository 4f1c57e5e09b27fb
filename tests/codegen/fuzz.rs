//! The fast subset of the codegen fuzzer (`cargo xtask fuzz-codegen` runs more seeds and
//! compiles what generates): every mutant of the curated document generates, or is refused
//! with the file and a location; none panics.

use carecycle_codegen::fuzz::{self, Verdict};

use crate::document_path;

/// Fixed seeds: the same mutants on every run.
const SEEDS: std::ops::Range<u64> = 0..40;

#[test]
fn mutants_of_the_curated_document_generate_or_are_refused_with_a_location() {
    let text = std::fs::read_to_string(document_path()).unwrap();
    let base = carecycle_codegen::load::load(&document_path())
        .unwrap()
        .value;
    let (mut generated, mut refused, mut broken) = (0, 0, Vec::new());
    // Mutants that generated with a construct the curated document does not use.
    let (mut raw_bodies, mut renamed_parameters) = (0, 0);
    for seed in SEEDS {
        let mutant = fuzz::mutant(&base, &text, seed);
        match fuzz::run(&mutant) {
            Verdict::Generated(files) => {
                generated += 1;
                let client = &files
                    .iter()
                    .find(|f| f.name == carecycle_codegen::CLIENT_FILE)
                    .expect("the client file")
                    .contents;
                raw_bodies += usize::from(
                    client.contains("crate::runtime::send_text")
                        || client.contains("crate::runtime::send_bytes"),
                );
                renamed_parameters += usize::from(client.contains("_param<V>("));
            }
            Verdict::Refused(_) => refused += 1,
            Verdict::Broken(why) => {
                broken.push(format!("seed {seed} ({}): {why}", mutant.edits.join("; ")))
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} mutants broke a promise:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(
        generated > 0 && refused > 0,
        "the seeds exercise both outcomes: {generated} generated, {refused} refused"
    );
    assert!(
        raw_bodies > 0 && renamed_parameters > 0,
        "the seeds exercise text or bytes success bodies ({raw_bodies} mutants) and renamed parameters ({renamed_parameters})"
    );
}
