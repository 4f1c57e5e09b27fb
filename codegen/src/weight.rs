//! Where the lines of a generated file go, by the kind of item: what `cargo xtask build-bench`
//! reports so that the next size reduction starts from a measurement.
//!
//! Each item (and each method of an impl) is formatted on its own as the generated file is
//! (`render::unparse`) and its lines counted; doc comment lines are counted inside each kind as
//! well. A `macro_rules!` counts as a macro definition, any other macro item as a call.

use std::collections::BTreeMap;

use syn::{ImplItem, Item};

/// Lines and doc comment lines of one kind of item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weight {
    pub lines: usize,
    pub doc_lines: usize,
}

/// The lines of `contents` (a generated client file) by kind of item, in a stable order.
pub fn weigh(contents: &str) -> Result<BTreeMap<String, Weight>, String> {
    let file = syn::parse_file(contents).map_err(|e| format!("the file does not parse: {e}"))?;
    let mut kinds = BTreeMap::new();
    walk(&file.items, &[], &mut kinds);
    Ok(kinds)
}

fn walk(items: &[Item], module: &[String], kinds: &mut BTreeMap<String, Weight>) {
    let place = if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    };
    for item in items {
        match item {
            Item::Mod(inner) => {
                if let Some((_, content)) = &inner.content {
                    let mut path = module.to_vec();
                    path.push(inner.ident.to_string());
                    walk(content, &path, kinds);
                }
            }
            Item::Impl(block) if module == ["builder"] && block.trait_.is_none() => {
                // Operation builders: their methods by role.
                for method in &block.items {
                    let role = match method {
                        ImplItem::Fn(f) => match f.sig.ident.to_string().as_str() {
                            "new" => "new",
                            "send" => "send",
                            name if crate::passes::CALL_OPTION_METHODS.contains(&name) => {
                                "per-call options"
                            }
                            _ => "parameter setters",
                        },
                        _ => "other",
                    };
                    let mut alone = block.clone();
                    alone.items = vec![method.clone()];
                    // The impl's own first and last line count once, under "impl".
                    add(
                        kinds,
                        &format!("{place}: operation builder {role}"),
                        &Item::Impl(alone),
                        2,
                    );
                }
                // `impl .. {` and `}`.
                kinds
                    .entry(format!("{place}: operation builder impl"))
                    .or_default()
                    .lines += 2;
            }
            Item::Impl(block) => {
                let what = match &block.trait_ {
                    Some((path, _)) => {
                        let name = path
                            .segments
                            .last()
                            .map_or_else(String::new, |s| s.ident.to_string());
                        format!("impl {name}")
                    }
                    None => "inherent impl".to_owned(),
                };
                add(kinds, &format!("{place}: {what}"), item, 0);
            }
            Item::Struct(_) | Item::Enum(_) => {
                add(kinds, &format!("{place}: type definitions"), item, 0)
            }
            Item::Macro(m) if m.ident.is_some() => {
                add(kinds, &format!("{place}: macro definitions"), item, 0)
            }
            Item::Macro(_) => add(kinds, &format!("{place}: macro calls"), item, 0),
            _ => add(kinds, &format!("{place}: other items"), item, 0),
        }
    }
}

fn add(kinds: &mut BTreeMap<String, Weight>, kind: &str, item: &Item, shared_lines: usize) {
    let file: syn::File = syn::parse_quote!(#item);
    let text = crate::render::unparse(&file);
    let weight = kinds.entry(kind.to_owned()).or_default();
    weight.lines += text.lines().count().saturating_sub(shared_lines);
    weight.doc_lines += doc_lines(&text);
}

/// Lines of `///` comments and of `/** .. */` blocks.
fn doc_lines(text: &str) -> usize {
    let mut count = 0;
    let mut in_block = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if in_block {
            count += 1;
            in_block = !trimmed.contains("*/");
        } else if trimmed.starts_with("///") {
            count += 1;
        } else if trimmed.starts_with("/**") {
            count += 1;
            in_block = !trimmed.contains("*/");
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_by_kind_and_role() {
        let source = "pub mod types {\n    /// A.\n    pub struct A;\n    impl ::std::fmt::Debug for A {\n        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(\"A\") }\n    }\n}\n\
            pub mod builder {\n    pub struct Op;\n    impl Op {\n        pub fn new() -> Self { Op }\n        /// Sets it.\n        pub fn timeout(self) -> Self { self }\n    }\n}\n";
        let kinds = weigh(source).unwrap();
        assert_eq!(
            kinds["types: type definitions"],
            Weight {
                lines: 2,
                doc_lines: 1
            }
        );
        assert_eq!(kinds["types: impl Debug"].lines, 5);
        assert_eq!(
            kinds["builder: operation builder per-call options"],
            Weight {
                lines: 4,
                doc_lines: 1
            }
        );
        assert_eq!(kinds["builder: operation builder new"].lines, 3);
        assert_eq!(kinds["builder: operation builder impl"].lines, 2);
    }
}
