//! docs/spec-diff.md carries the rule table generated from the catalogue. When the table is
//! stale this test rewrites it and fails, so that the fix is to commit the rewritten file.

use std::path::Path;

use carecycle_codegen::diff::rules::markdown_table;

const START: &str = "<!-- rule table: generated from codegen/src/diff/rules.rs -->\n";
const END: &str = "<!-- end of rule table -->";

#[test]
fn the_rule_table_in_the_docs_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/spec-diff.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        panic!(
            "{} has no rule table markers ({START:?} … {END:?})",
            path.display()
        );
    };
    let current = format!(
        "{}{START}{}{}",
        &text[..start],
        markdown_table(),
        &text[end..]
    );
    if current != text {
        std::fs::write(&path, &current)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        panic!(
            "{} was stale; it has been regenerated: review and commit it",
            path.display()
        );
    }
}
