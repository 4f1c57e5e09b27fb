//! Snapshots a reviewer reads as a changelog: the document's API surface and the generated
//! crate's public Rust API. A document change fails these until the new snapshots are
//! reviewed (`cargo insta review`) and accepted.

use crate::document_path;

#[test]
fn api_surface() {
    let document =
        carecycle_codegen::load::load(&document_path()).unwrap_or_else(|e| panic!("{e}"));
    // The fingerprint makes every edit of the document, descriptions included, a snapshot
    // change that someone reviews; the lines below it say what the edit does to the surface.
    let fingerprint = carecycle_codegen::fingerprint::fingerprint(&document.bytes);
    let surface = carecycle_codegen::surface::summary(&document.value);
    insta::assert_snapshot!(
        "api_surface",
        format!("document sha256:{fingerprint}\n{surface}")
    );
}

#[test]
fn public_rust_api() {
    let files = carecycle_codegen::generate(&document_path()).unwrap_or_else(|e| panic!("{e}"));
    let client = files
        .iter()
        .find(|f| f.name == carecycle_codegen::CLIENT_FILE)
        .expect("the pipeline produces the client file");
    let file = syn::parse_file(&client.contents).expect("the generated client parses");
    insta::assert_snapshot!(
        "public_rust_api",
        carecycle_codegen::public_api::listing(&file)
    );
}
