//! The fingerprint of the document that the generated file records.
//!
//! This file is also compiled into the workspace's build script (with `#[path]`), which must
//! stay cheap: it depends on `sha2` alone.

use sha2::{Digest, Sha256};

/// The line in a generated file that records the fingerprint of its document.
pub const MARKER: &str = "// Document fingerprint: sha256:";

/// SHA-256 of the document with line endings normalised, as lowercase hex.
pub fn fingerprint(document: &[u8]) -> String {
    let mut hasher = Sha256::new();
    let mut rest = document;
    // Normalise CRLF to LF so a checkout with autocrlf has the same fingerprint.
    while let Some(pos) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..pos]);
        hasher.update(b"\n");
        rest = &rest[pos + 2..];
    }
    hasher.update(rest);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The fingerprint a generated file records, if it records one.
pub fn recorded_fingerprint(generated: &str) -> Option<&str> {
    generated
        .lines()
        .take(20)
        .find_map(|line| line.strip_prefix(MARKER))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_do_not_change_the_fingerprint_and_content_does() {
        assert_eq!(
            fingerprint(b"a: 1\r\nb: 2\r\n"),
            fingerprint(b"a: 1\nb: 2\n")
        );
        assert_ne!(fingerprint(b"a: 1\n"), fingerprint(b"a: 2\n"));
        assert_eq!(fingerprint(b"").len(), 64);
    }

    #[test]
    fn the_recorded_fingerprint_is_read_from_the_header() {
        let file = format!("// @generated\n{MARKER}abc123\n\npub struct Client;\n");
        assert_eq!(recorded_fingerprint(&file), Some("abc123"));
        assert_eq!(recorded_fingerprint("pub struct Client;\n"), None);
    }
}
