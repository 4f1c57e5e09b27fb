//! Pass: progenitor's usage sketches in method docs are shown as text.
//!
//! They are fragments (`client`, `id` and `body` come from nowhere), so rustdoc cannot compile
//! them; marked `ignore`, each would count as an ignored test in every test run.

use syn::visit_mut::VisitMut;

pub fn doc_examples(file: &mut syn::File) {
    SketchesAsText.visit_file_mut(file);
}

struct SketchesAsText;

impl VisitMut for SketchesAsText {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("doc")
            && let syn::Meta::NameValue(doc) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value
            && text.value().contains("```ignore")
        {
            *text = syn::LitStr::new(&text.value().replace("```ignore", "```text"), text.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{parse_file, pretty};

    #[test]
    fn ignored_sketches_become_text_and_other_docs_stay() {
        let mut file = parse_file(
            "impl Client {\n#[doc = \"Sends a thing\\n```ignore\\nlet r = client.get().send();\\n```\"]\npub fn get(&self) {}\n#[doc = \"```\\nlet x = 1;\\n```\"]\npub fn other(&self) {}\n}",
        );
        doc_examples(&mut file);
        let out = pretty(&file);
        assert!(out.contains("```text\nlet r = client.get().send();"), "{out}");
        assert!(!out.contains("```ignore"), "{out}");
        assert!(out.contains("```\nlet x = 1;"), "{out}");
    }
}
