//! A cheap staleness check at build time, without progenitor: when the document's fingerprint
//! differs from the one recorded in the generated client, cargo prints a warning that says how
//! to fix it. (The tests fail in that case too; this tells you before they run.)

#[path = "codegen/src/fingerprint.rs"]
mod fingerprint;

const DOCUMENT: &str = "openapi/carecycle.yaml";
const GENERATED: &str = "generated-client/src/generated.rs";

fn main() {
    println!("cargo:rerun-if-changed={DOCUMENT}");
    println!("cargo:rerun-if-changed={GENERATED}");
    let document = std::fs::read(DOCUMENT);
    let generated = std::fs::read_to_string(GENERATED);
    let warning = match (document, generated) {
        (Err(e), _) => Some(format!("cannot read {DOCUMENT} ({e})")),
        (_, Err(_)) => Some(format!("{GENERATED} is missing: run `cargo xtask codegen`")),
        (Ok(document), Ok(generated)) => match fingerprint::recorded_fingerprint(&generated) {
            Some(recorded) if recorded == fingerprint::fingerprint(&document) => None,
            Some(_) => Some(format!(
                "{DOCUMENT} changed since {GENERATED} was generated: run `cargo xtask codegen`"
            )),
            None => Some(format!(
                "{GENERATED} records no document fingerprint: run `cargo xtask codegen`"
            )),
        },
    };
    if let Some(warning) = warning {
        println!("cargo:warning={warning}");
    }
}
