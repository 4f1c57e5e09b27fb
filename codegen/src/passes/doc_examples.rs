//! Pass: progenitor's usage sketches in method docs are shown as text.
//!
//! They are fragments (`client`, `id` and `body` come from nowhere), so rustdoc cannot compile
//! them; marked `ignore`, each would count as an ignored test in every test run.
//!
//! Every attribute of the file reaches it through the one walk of `expression_rewrites`.

/// A doc attribute's ```` ```ignore ```` fences become ```` ```text ````.
pub(super) fn sketch_as_text(attr: &mut syn::Attribute) {
    if attr.path().is_ident("doc")
        && let syn::Meta::NameValue(doc) = &mut attr.meta
        && let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        && text.value().contains("```ignore")
    {
        *text = syn::LitStr::new(&text.value().replace("```ignore", "```text"), text.span());
    }
}

#[cfg(test)]
mod tests {
    use crate::passes::expression_rewrites::expression_rewrites;
    use crate::passes::{parse_file, pretty};

    #[test]
    fn ignored_sketches_become_text_and_other_docs_stay() {
        let mut file = parse_file(
            "impl Client {\n#[doc = \"Sends a thing\\n```ignore\\nlet r = client.get().send();\\n```\"]\npub fn get(&self) {}\n#[doc = \"```\\nlet x = 1;\\n```\"]\npub fn other(&self) {}\n}",
        );
        expression_rewrites(&mut file);
        let out = pretty(&file);
        assert!(
            out.contains("```text\nlet r = client.get().send();"),
            "{out}"
        );
        assert!(!out.contains("```ignore"), "{out}");
        assert!(out.contains("```\nlet x = 1;"), "{out}");
    }
}
