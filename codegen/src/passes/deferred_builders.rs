//! The client file parsed without the builders `compact_builders` would replace.
//!
//! typify writes five items for every struct of `types` into `types::builder` (the builder
//! struct, `Default`, the setters, `TryFrom` into the type, `From` the type): two thirds of
//! progenitor's client. The passes rewrite them, and `compact_builders` then replaces nearly
//! all of them by one `builder!` call each, which it can write from the struct of `types` alone.
//! Parsing and rewriting those items cost more than any pass.
//!
//! So the builder module is kept as tokens ([`parse_client`]): its items are found by an
//! item-boundary scan, and a builder whose tokens are exactly what typify writes for its struct
//! of `types` (`typify_builder::recognise`, matched token for token) is not parsed. A placeholder item
//! `deferred_builder! { Name { field required, field defaulted, .. } }` stands in its place,
//! with what the struct does not say (whether `Default` refuses the field). The passes that
//! change builders leave placeholders alone, except `response_builders`, which gates them, and
//! `compact_builders` writes each one's `builder!` call from the final struct of `types`
//! (`compact_builders::deferred_spec`). Any other item of the module is parsed and goes
//! through the passes as before. Tests generate the curated, constructs and synthetic
//! documents, the fuzzer's mutants and a combined document both ways and compare the files
//! byte for byte.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Item, ItemStruct};

use super::{module_items, typify_builder};

/// The placeholder macro's name; it never reaches the generated file.
const PLACEHOLDER: &str = "deferred_builder";

/// How the client file is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parsing {
    /// Every item parsed: the reference the fast path is tested against.
    Whole,
    /// typify's builders left as placeholders.
    DeferBuilders,
}

/// progenitor's client tokens as a file, typify's builders left as placeholders when
/// `parsing` says so.
pub fn parse_client(tokens: TokenStream, parsing: Parsing) -> Result<syn::File, String> {
    let parse = |tokens| {
        syn::parse2::<syn::File>(tokens)
            .map_err(|e| format!("the generator produced code that does not parse: {e}"))
    };
    if parsing == Parsing::Whole {
        return parse(tokens);
    }
    let mut builder_trees = Vec::new();
    let without = take_module_body(tokens.clone(), &["types", "builder"], &mut builder_trees);
    let Some(without) = without else {
        return parse(tokens);
    };
    let mut file = parse(without)?;
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return parse(tokens);
    };
    let defined: HashSet<String> = types.iter().filter_map(type_name).collect();
    let structs: HashMap<String, &ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let items = builder_items(&builder_trees, &structs, &defined)
        .map_err(|e| format!("the generator produced code that does not parse: {e}"))?;
    let builders =
        module_items(&mut file.items, &["types", "builder"]).ok_or("no `types::builder` module")?;
    *builders = items;
    Ok(file)
}

/// The builder module's items: a placeholder for each builder typify wrote as
/// `typify_builder::recognise` says, every other run of items parsed.
fn builder_items(
    trees: &[TokenTree],
    structs: &HashMap<String, &ItemStruct>,
    defined: &HashSet<String>,
) -> syn::Result<Vec<Item>> {
    let bounds = item_bounds(trees);
    let mut items = Vec::new();
    let mut pending = TokenStream::new();
    let mut index = 0;
    while index < bounds.len() {
        let deferred = struct_name(&trees[bounds[index].clone()])
            .and_then(|name| structs.get(&name.to_string()))
            .filter(|_| index + BUILDER_ITEMS <= bounds.len())
            .and_then(|item| {
                let written = &trees[bounds[index].start..bounds[index + BUILDER_ITEMS - 1].end];
                typify_builder::recognise(written, item, defined)
                    .map(|fields| placeholder(&item.ident, &fields))
            });
        match deferred {
            Some(placeholder) => {
                items.extend(syn::parse2::<syn::File>(std::mem::take(&mut pending))?.items);
                items.push(placeholder);
                index += BUILDER_ITEMS;
            }
            None => {
                pending.extend(trees[bounds[index].clone()].iter().cloned());
                index += 1;
            }
        }
    }
    items.extend(syn::parse2::<syn::File>(pending)?.items);
    Ok(items)
}

/// The items typify writes for one builder.
const BUILDER_ITEMS: usize = 5;

/// The name of a struct or enum.
fn type_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        _ => None,
    }
}

/// `stream` with the body of the module at `path` (nested inline modules) taken out into
/// `body`; `None` when there is no such module.
fn take_module_body(
    stream: TokenStream,
    path: &[&str],
    body: &mut Vec<TokenTree>,
) -> Option<TokenStream> {
    let (first, rest) = path.split_first()?;
    let mut trees: Vec<TokenTree> = stream.into_iter().collect();
    let position = (2..trees.len()).find(|&i| {
        matches!(&trees[i - 2], TokenTree::Ident(m) if m == "mod")
            && matches!(&trees[i - 1], TokenTree::Ident(name) if name == first)
            && matches!(&trees[i], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
    })?;
    let TokenTree::Group(module) = &trees[position] else {
        return None;
    };
    let inner = if rest.is_empty() {
        body.extend(module.stream());
        TokenStream::new()
    } else {
        take_module_body(module.stream(), rest, body)?
    };
    let mut group = Group::new(Delimiter::Brace, inner);
    group.set_span(module.span());
    trees[position] = TokenTree::Group(group);
    Some(trees.into_iter().collect())
}

/// Where each item of a module's body starts and ends: outer attributes, then tokens up to a
/// braced group (and a `;` right after it) or a `;`.
fn item_bounds(trees: &[TokenTree]) -> Vec<std::ops::Range<usize>> {
    let mut bounds = Vec::new();
    let (mut start, mut index) = (0, 0);
    while index < trees.len() {
        let ends = match &trees[index] {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                if matches!(trees.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                    index += 1;
                }
                true
            }
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        index += 1;
        if ends {
            bounds.push(start..index);
            start = index;
        }
    }
    if start < trees.len() {
        bounds.push(start..trees.len());
    }
    bounds
}

/// The name of an item `#[..].. pub struct Name ..`.
fn struct_name(item: &[TokenTree]) -> Option<&Ident> {
    let mut index = 0;
    while matches!(&item.get(index), Some(TokenTree::Punct(p)) if p.as_char() == '#') {
        index += 2;
    }
    match item.get(index..index + 3)? {
        [
            TokenTree::Ident(visibility),
            TokenTree::Ident(keyword),
            TokenTree::Ident(name),
        ] if visibility == "pub" && keyword == "struct" => Some(name),
        _ => None,
    }
}

/// A field of a deferred builder: its identifier, and whether `Default` refuses it.
pub(super) type DeferredField = (syn::Ident, bool);

/// A field's type as the builder module names it: each type of `types` (`defined`) as
/// `super::Name`, as typify scopes them.
pub(super) fn builder_type(ty: &syn::Type, defined: &HashSet<String>) -> syn::Type {
    struct Scope<'a>(&'a HashSet<String>);
    impl VisitMut for Scope<'_> {
        fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
            syn::visit_mut::visit_type_path_mut(self, path);
            if path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path.path.segments.len() == 1
                && self.0.contains(&path.path.segments[0].ident.to_string())
            {
                path.path.segments.insert(
                    0,
                    syn::PathSegment::from(syn::Ident::new("super", Span::call_site())),
                );
            }
        }
    }
    let mut scoped = ty.clone();
    Scope(defined).visit_type_mut(&mut scoped);
    scoped
}

/// The item standing for a builder until `compact_builders` writes its call.
fn placeholder(name: &syn::Ident, fields: &[DeferredField]) -> Item {
    let entries = fields.iter().map(|(ident, required)| {
        let word = syn::Ident::new(
            if *required { "required" } else { "defaulted" },
            Span::call_site(),
        );
        quote!(#ident #word,)
    });
    Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syn::Ident::new(PLACEHOLDER, Span::call_site()).into(),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens: quote!(#name { #(#entries)* }),
        },
        semi_token: None,
    })
}

/// A builder left as a placeholder: its name and fields.
pub(super) struct Deferred {
    pub(super) name: syn::Ident,
    pub(super) fields: Vec<DeferredField>,
}

/// The builder a placeholder stands for, or `None` when `item` is no placeholder.
pub(super) fn deferred(item: &Item) -> Option<Deferred> {
    let Item::Macro(call) = item else { return None };
    if !call.mac.path.is_ident(PLACEHOLDER) {
        return None;
    }
    let mut trees = call.mac.tokens.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) = (trees.next(), trees.next())
    else {
        return None;
    };
    let words: Vec<TokenTree> = body.stream().into_iter().collect();
    let fields = words
        .chunks(3)
        .map(|entry| match entry {
            [
                TokenTree::Ident(field),
                TokenTree::Ident(word),
                TokenTree::Punct(_),
            ] => Some((field.clone(), word == "required")),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Deferred { name, fields })
}

/// The name of the builder a placeholder stands for.
pub(super) fn deferred_name(item: &Item) -> Option<String> {
    let Item::Macro(call) = item else { return None };
    if !call.mac.path.is_ident(PLACEHOLDER) {
        return None;
    }
    match call.mac.tokens.clone().into_iter().next() {
        Some(TokenTree::Ident(name)) => Some(name.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;

    fn curated() -> Document {
        crate::load::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml"),
        )
        .expect("the curated document loads")
    }

    /// Generated with the builders deferred and with every item parsed, a document gives the
    /// same files, byte for byte.
    fn same_both_ways(document: &Document) {
        let fast =
            crate::generate_document_parsed(document, Parsing::DeferBuilders).expect("generates");
        let slow = crate::generate_document_parsed(document, Parsing::Whole).expect("generates");
        assert_eq!(fast.len(), slow.len());
        for (fast, slow) in fast.iter().zip(&slow) {
            assert!(
                fast == slow,
                "{} differs:\n{}",
                fast.name,
                first_difference(&fast.contents, &slow.contents)
            );
        }
    }

    fn first_difference(fast: &str, slow: &str) -> String {
        let line = fast
            .lines()
            .zip(slow.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(fast.lines().count().min(slow.lines().count()));
        let around = |text: &str| {
            text.lines()
                .skip(line.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "line {}\n--- deferred\n{}\n--- parsed\n{}",
            line + 1,
            around(fast),
            around(slow)
        )
    }

    fn client_tokens(document: &Document) -> TokenStream {
        let mut lowered = document.value.clone();
        crate::lower::lower(&mut lowered).expect("lowers");
        let spec: openapiv3::OpenAPI = serde_json::from_value(lowered).expect("OpenAPI");
        crate::generator::client(&spec).expect("progenitor takes it")
    }

    fn builder_module(file: &mut syn::File) -> Vec<Item> {
        module_items(&mut file.items, &["types", "builder"])
            .expect("a builder module")
            .clone()
    }

    #[test]
    fn typify_builders_are_deferred_and_the_others_parsed() {
        let mut file =
            parse_client(client_tokens(&curated()), Parsing::DeferBuilders).expect("parses");
        let items = builder_module(&mut file);
        let names: Vec<String> = items.iter().filter_map(deferred_name).collect();
        assert_eq!(names.len(), 49, "{names:?}");
        // Its field `value` would be taken through another local: parsed, left to the passes.
        let parsed: Vec<String> = items
            .iter()
            .filter_map(|item| match item {
                Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(parsed, ["LeadCustomField"]);
        assert_eq!(items.len(), 49 + BUILDER_ITEMS);
        let create = items
            .iter()
            .filter_map(deferred)
            .find(|d| d.name == "CreateAgentSourceRestrictionRequest")
            .expect("deferred");
        let fields: Vec<(String, bool)> = create
            .fields
            .iter()
            .map(|(ident, required)| (ident.to_string(), *required))
            .collect();
        assert_eq!(
            fields,
            [
                ("member_id".to_owned(), true),
                ("source_id".to_owned(), true)
            ]
        );
    }

    #[test]
    fn items_are_found_by_their_boundaries() {
        let trees: Vec<TokenTree> = quote! {
            #[derive(Clone)]
            #[doc = "a"]
            pub struct A { a: i64 }
            impl ::std::convert::From<super::A> for A where A: Clone { fn from(value: super::A) -> Self { todo!() } }
            use super::{b, c};
            pub struct Tuple(i64);
            const D: E = E { f: [1; 2] };
            mod empty {}
        }
        .into_iter()
        .collect();
        let items: Vec<String> = item_bounds(&trees)
            .into_iter()
            .map(|b| {
                trees[b]
                    .iter()
                    .cloned()
                    .collect::<TokenStream>()
                    .to_string()
            })
            .collect();
        assert_eq!(items.len(), 6, "{items:#?}");
        assert!(
            items[0].starts_with("# [derive (Clone)] # [doc = \"a\"] pub struct A"),
            "{}",
            items[0]
        );
        assert!(
            items[2].ends_with(";") && items[4].ends_with(";"),
            "{items:#?}"
        );
        let names: Vec<Option<String>> = item_bounds(&trees)
            .into_iter()
            .map(|b| struct_name(&trees[b]).map(ToString::to_string))
            .collect();
        assert_eq!(
            names,
            [
                Some("A".to_owned()),
                None,
                None,
                Some("Tuple".to_owned()),
                None,
                None
            ]
        );
    }

    #[test]
    fn a_module_body_is_taken_out_by_its_path() {
        let file = quote! {
            pub mod builder { pub struct Operation; }
            pub mod types {
                pub struct A;
                pub mod builder { pub struct A; impl A {} }
            }
        };
        let mut body = Vec::new();
        let rest = take_module_body(file, &["types", "builder"], &mut body).expect("found");
        assert_eq!(
            body.iter().cloned().collect::<TokenStream>().to_string(),
            quote!(pub struct A; impl A {}).to_string()
        );
        assert_eq!(
            rest.to_string(),
            quote!(
                pub mod builder {
                    pub struct Operation;
                }
                pub mod types {
                    pub struct A;
                    pub mod builder {}
                }
            )
            .to_string()
        );
        assert!(
            take_module_body(
                quote!(
                    mod types {}
                ),
                &["types", "builder"],
                &mut Vec::new()
            )
            .is_none()
        );
    }

    /// `tokens` with every string literal `from` replaced by `to`.
    fn replace_literal(tokens: TokenStream, from: &str, to: &str) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Literal(l) if l.to_string() == format!("{from:?}") => {
                    TokenTree::Literal(proc_macro2::Literal::string(to))
                }
                TokenTree::Group(g) => {
                    let mut group =
                        Group::new(g.delimiter(), replace_literal(g.stream(), from, to));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }

    /// A builder that is not what typify writes for its struct is parsed, goes through the
    /// passes, and the file is the same as with every item parsed.
    #[test]
    fn a_builder_typify_did_not_write_so_is_parsed_and_the_file_is_the_same() {
        let document = curated();
        let changed = replace_literal(
            client_tokens(&document),
            "no value supplied for member_id",
            "member_id is missing",
        );
        let plan = crate::plan::Plan::of(&document.value);
        let generate = |parsing| {
            let mut file = parse_client(changed.clone(), parsing).expect("parses");
            let parsed: Vec<String> = builder_module(&mut file)
                .iter()
                .filter_map(|item| match item {
                    Item::Struct(s) => Some(s.ident.to_string()),
                    _ => None,
                })
                .collect();
            super::super::apply(&mut file, &plan).expect("the passes take it");
            (
                parsed,
                crate::render::render(&file, "carecycle.yaml", "fingerprint"),
            )
        };
        let (parsed, fast) = generate(Parsing::DeferBuilders);
        assert!(
            parsed.contains(&"CreateAgentSourceRestrictionRequest".to_owned()),
            "{parsed:?}"
        );
        assert!(parsed.len() < 10, "the others are deferred: {parsed:?}");
        let (_, slow) = generate(Parsing::Whole);
        assert!(fast == slow, "{}", first_difference(&fast, &slow));
    }

    #[test]
    fn the_curated_document_generates_the_same_with_builders_deferred() {
        same_both_ways(&curated());
    }

    #[test]
    fn the_constructs_document_generates_the_same_with_builders_deferred() {
        let document =
            crate::fuzz::with_constructs(&curated().value).expect("a GET with a path parameter");
        let bytes = serde_json::to_vec(&document).expect("serialises");
        same_both_ways(
            &crate::load::parse(std::path::Path::new("constructs.json"), bytes).expect("loads"),
        );
    }

    /// The fuzzer's mutants of the curated document (schemas, properties, required lists and
    /// types edited) generate the same both ways, or fail the same way.
    #[test]
    fn mutants_generate_the_same_with_builders_deferred() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/carecycle.yaml"),
        )
        .expect("reads");
        let base = curated().value;
        let mut generated = 0;
        for seed in 0..MUTANTS {
            let mutant = crate::fuzz::mutant(&base, &text, seed);
            let Ok(document) = crate::load::parse(std::path::Path::new(&mutant.name), mutant.bytes)
            else {
                continue;
            };
            match (
                crate::generate_document_parsed(&document, Parsing::DeferBuilders),
                crate::generate_document_parsed(&document, Parsing::Whole),
            ) {
                (Ok(fast), Ok(slow)) => {
                    assert!(fast == slow, "seed {seed}: the files differ");
                    generated += 1;
                }
                (Err(fast), Err(slow)) => {
                    assert_eq!(fast.to_string(), slow.to_string(), "seed {seed}")
                }
                (fast, slow) => panic!(
                    "seed {seed}: {:?} deferred, {:?} parsed",
                    fast.err(),
                    slow.err()
                ),
            }
        }
        assert!(
            generated > MUTANTS / 4,
            "{generated} of {MUTANTS} mutants generated"
        );
    }

    const MUTANTS: u64 = 16;

    /// One document carrying many construct edits at once (what `cargo xtask fuzz-codegen
    /// --combined` compiles): edits that interact, which single mutants do not reach.
    #[test]
    fn a_combined_document_generates_the_same_with_builders_deferred() {
        let (value, edits) = crate::fuzz::combined(&curated().value, 0, 24);
        assert!(
            edits.len() >= 8,
            "the combined document keeps many edits: {edits:?}"
        );
        let bytes = serde_json::to_vec(&value).expect("serialises");
        same_both_ways(
            &crate::load::parse(std::path::Path::new("combined.json"), bytes).expect("loads"),
        );
    }

    #[test]
    fn synthetic_documents_generate_the_same_with_builders_deferred() {
        for operations in [1, 10, 40] {
            let document = crate::synth::load(operations).expect("a synthetic document loads");
            let mut file =
                parse_client(client_tokens(&document), Parsing::DeferBuilders).expect("parses");
            let items = builder_module(&mut file);
            assert!(
                items.iter().all(|item| deferred_name(item).is_some()),
                "{operations}: every builder deferred"
            );
            same_both_ways(&document);
        }
    }
}
