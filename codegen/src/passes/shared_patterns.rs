//! Pass: a pattern the document gives several fields is written once in `types`.
//!
//! A request field's pattern appears twice in the generated code, in its JSON Schema
//! (`schemars(regex(pattern = ".."))`, feature `schemars`) and in its `Check`
//! (`Rule::pattern("..")`, `Rule::text(.., Some(".."))`), and the document gives the same
//! pattern (a uuid's, a date's) to many fields; a long pattern spreads its attribute over eight
//! lines. A pattern written more than once becomes `const PATTERN_<n>: &str` in `types`, named
//! by the order it first appears in, and both places name the const: the same `&'static str`
//! for the check, the same string in the schema.

use std::collections::BTreeMap;

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Expr, Item, Meta, Token};

use super::template::list_attribute;
use super::{is_ident_expr, module_items};

pub fn shared_patterns(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    // Count first, in the order the patterns appear, then replace those seen more than once.
    let mut seen = Patterns::default();
    walk(types, &mut |pattern: &mut Expr| seen.note(pattern));
    let names: BTreeMap<String, syn::Ident> = seen
        .order
        .iter()
        .filter(|p| seen.count[*p] > 1)
        .enumerate()
        .map(|(index, pattern)| (pattern.clone(), quote::format_ident!("PATTERN_{index}")))
        .collect();
    if names.is_empty() {
        return;
    }
    walk(types, &mut |pattern: &mut Expr| {
        if let Some(name) = literal(pattern).and_then(|text| names.get(&text)) {
            *pattern = Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: name.clone().into(),
            });
        }
    });
    let mut consts: Vec<(&syn::Ident, &String)> = names
        .iter()
        .map(|(pattern, name)| (name, pattern))
        .collect();
    consts.sort_by_key(|(name, _)| {
        name.to_string()
            .trim_start_matches("PATTERN_")
            .parse::<usize>()
            .unwrap_or(0)
    });
    for (name, pattern) in consts {
        types.push(syn::parse_quote! {
            /// A pattern the document gives several fields: their JSON Schemas and checks name it.
            #[allow(dead_code)] // Without `schemars`, a pattern only schemas name is unused.
            const #name: &str = #pattern;
        });
    }
}

#[derive(Default)]
struct Patterns {
    order: Vec<String>,
    count: BTreeMap<String, usize>,
}

impl Patterns {
    fn note(&mut self, pattern: &Expr) {
        if let Some(text) = literal(pattern) {
            let count = self.count.entry(text.clone()).or_insert(0);
            if *count == 0 {
                self.order.push(text);
            }
            *count += 1;
        }
    }
}

/// The text of a string literal.
fn literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Calls `visit` on every pattern of the structs' schemars attributes and of the `Check` impls.
fn walk(types: &mut [Item], visit: &mut dyn FnMut(&mut Expr)) {
    for item in types.iter_mut() {
        match item {
            Item::Struct(s) => {
                for field in s.fields.iter_mut() {
                    for attr in field.attrs.iter_mut() {
                        schemars_patterns(attr, visit);
                    }
                }
            }
            Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Check")
                }) =>
            {
                RulePatterns(visit).visit_item_impl_mut(block);
            }
            _ => {}
        }
    }
}

/// The `pattern = ..` of `regex(..)` in `#[cfg_attr(<condition>, schemars(..))]`; the
/// attribute is rebuilt only when it holds one.
fn schemars_patterns(attr: &mut Attribute, visit: &mut dyn FnMut(&mut Expr)) {
    // Most attributes hold no `regex(..)`: looking for the word costs a fraction of parsing.
    let Meta::List(list) = &attr.meta else { return };
    if !list.path.is_ident("cfg_attr") || !mentions(list.tokens.clone(), "regex") {
        return;
    }
    let Ok(mut args) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
        return;
    };
    let mut found = false;
    for arg in args.iter_mut() {
        let Meta::List(schemars) = arg else { continue };
        if !schemars.path.is_ident("schemars") {
            continue;
        }
        let Ok(mut entries) =
            schemars.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            continue;
        };
        for entry in entries.iter_mut() {
            let Meta::List(regex) = entry else { continue };
            if !regex.path.is_ident("regex") {
                continue;
            }
            let Ok(mut values) = regex
                .parse_args_with(Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated)
            else {
                continue;
            };
            for value in values.iter_mut().filter(|v| v.path.is_ident("pattern")) {
                visit(&mut value.value);
                found = true;
            }
            regex.tokens = quote::quote!(#values);
        }
        schemars.tokens = quote::quote!(#entries);
    }
    if found {
        *attr = list_attribute("cfg_attr", quote::quote!(#args));
    }
}

/// Whether the identifier `word` is among `tokens`, in groups too.
fn mentions(tokens: proc_macro2::TokenStream, word: &str) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == word,
        proc_macro2::TokenTree::Group(group) => mentions(group.stream(), word),
        _ => false,
    })
}

/// The pattern argument of `Rule::pattern(..)` and `Rule::text(.., Some(..))`.
struct RulePatterns<'a>(&'a mut dyn FnMut(&mut Expr));

impl VisitMut for RulePatterns<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let Expr::Path(function) = &*call.func {
            let segments = &function.path.segments;
            let is = |name: &str| {
                segments.len() == 2 && segments[0].ident == "Rule" && segments[1].ident == name
            };
            if is("pattern") {
                if let Some(pattern) = call.args.first_mut() {
                    (self.0)(pattern);
                }
            } else if is("text")
                && let Some(Expr::Call(some)) = call.args.iter_mut().nth(2)
                && is_ident_expr(&some.func, "Some")
                && let Some(pattern) = some.args.first_mut()
            {
                (self.0)(pattern);
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn a_pattern_written_twice_is_one_const_and_one_written_once_stays() {
        let mut file = parse_file(
            r#"pub mod types {
                pub struct Request {
                    #[cfg_attr(feature = "schemars", schemars(with = "::uuid::Uuid", regex(pattern = "^[0-9a-f-]+$")))]
                    pub member_id: ::uuid::Uuid,
                    #[cfg_attr(feature = "schemars", schemars(regex(pattern = "^[A-Z]$")))]
                    pub code: ::std::string::String,
                }
                impl crate::check::Check for Request {
                    fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                        use crate::check::{Check as _, Rule};
                        self.member_id.check(&at.field("memberId"), &Rule::pattern("^[0-9a-f-]+$"))?;
                        self.other.check(&at.field("other"), &Rule::text(None, Some(5usize), Some("^[0-9a-f-]+$")))?;
                        Ok(())
                    }
                }
            }"#,
        );
        shared_patterns(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"schemars(with = "::uuid::Uuid", regex(pattern = PATTERN_0)))] pub member_id"#
            ),
            "{out}"
        );
        assert!(
            has(&out, r#"schemars(regex(pattern = "^[A-Z]$")))] pub code"#),
            "{out}"
        );
        assert!(has(&out, "&Rule::pattern(PATTERN_0))?;"), "{out}");
        assert!(
            has(&out, "&Rule::text(None, Some(5usize), Some(PATTERN_0))"),
            "{out}"
        );
        assert!(
            has(&out, r#"const PATTERN_0: &str = "^[0-9a-f-]+$";"#),
            "{out}"
        );
        assert_eq!(out.matches("^[0-9a-f-]+$").count(), 1, "{out}");
    }

    #[test]
    fn a_file_without_shared_patterns_is_unchanged() {
        let source = r#"pub mod types {
            pub struct Request {
                #[cfg_attr(feature = "schemars", schemars(regex(pattern = "^[A-Z]$")))]
                pub code: ::std::string::String,
            }
        }"#;
        let mut file = parse_file(source);
        shared_patterns(&mut file);
        assert_eq!(pretty(&file), pretty(&parse_file(source)));
    }
}
