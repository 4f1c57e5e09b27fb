//! Tests that catch drift between the document, the generator and the committed client, and
//! that every broken document ends in a clear error.

mod broken_documents;
mod constructs;
mod freshness;
mod fuzz;
mod snapshots;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The curated document.
pub fn document_path() -> PathBuf {
    root().join("openapi/carecycle.yaml")
}

/// Where the generated files are committed.
pub fn generated_dir() -> PathBuf {
    root().join("generated-client/src")
}
