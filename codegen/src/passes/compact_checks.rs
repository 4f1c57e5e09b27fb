//! Pass: each `Check` impl of `types` that `request_checks` wrote becomes one macro call.
//!
//! A checked struct's `Check` is one statement per field, `self.<field>.check(&at.field("<wire
//! name>"), &<rule>)?;`, which the printer often spreads over four lines. When an impl is
//! exactly [`check_impl`] of its fields, it is replaced by
//! `crate::check::check_fields!(X { field("wireName") => Rule::.., .. });`, whose
//! `macro_rules!` in the client crate expands to the same impl (a test compares the two).

use proc_macro2::TokenStream;
use syn::{Expr, ImplItem, Item, Stmt};

use quote::ToTokens;

use super::string_newtypes::same_tokens;
use super::template::{Fill, Template};
use super::{is_ident_expr, module_items, plain_type_name};

/// The name the generated code calls the macro by.
const MACRO: &str = "check_fields";

/// One checked field: its identifier, its name in the document and its rule.
type Field = (syn::Ident, syn::LitStr, Expr);

pub fn compact_checks(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    for item in types.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(name) = plain_type_name(&block.self_ty).cloned() else {
            continue;
        };
        let Some(fields) = checked_fields(block) else {
            continue;
        };
        if same_tokens(check_tokens(&name, &fields), item.to_token_stream()) {
            *item = call(&name, &fields);
        }
    }
}

/// The fields an impl of `crate::check::Check` checks, read from its statements; `None` for
/// any other item.
fn checked_fields(block: &syn::ItemImpl) -> Option<Vec<Field>> {
    let (path, _) = block.trait_.as_ref()?;
    if path.segments.last()?.ident != "Check" {
        return None;
    }
    let [ImplItem::Fn(check)] = &block.items[..] else {
        return None;
    };
    let statements = &check.block.stmts;
    let [Stmt::Item(Item::Use(_)), checks @ .., Stmt::Expr(_, None)] = &statements[..] else {
        return None;
    };
    checks.iter().map(checked_field).collect()
}

/// `(field, wire name, rule)` of `self.<field>.check(&at.field("<wire>"), &<rule>)?;`.
fn checked_field(statement: &Stmt) -> Option<Field> {
    let Stmt::Expr(Expr::Try(attempt), Some(_)) = statement else {
        return None;
    };
    let Expr::MethodCall(call) = &*attempt.expr else {
        return None;
    };
    let Expr::Field(field) = &*call.receiver else {
        return None;
    };
    let syn::Member::Named(ident) = &field.member else {
        return None;
    };
    let [Expr::Reference(at), Expr::Reference(rule)] = call.args.iter().collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let Expr::MethodCall(at) = &*at.expr else {
        return None;
    };
    let [
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(wire),
            ..
        }),
    ] = at.args.iter().collect::<Vec<_>>()[..]
    else {
        return None;
    };
    (is_ident_expr(&field.base, "self")
        && call.method == "check"
        && is_ident_expr(&at.receiver, "at"))
    .then(|| (ident.clone(), wire.clone(), (*rule.expr).clone()))
}

fn call(name: &syn::Ident, fields: &[Field]) -> Item {
    thread_local! {
        static CALL: Template<Item> = Template::new(syn::parse_quote!(crate::check::check_fields!(__ENTRIES);));
    }
    let entries = fields
        .iter()
        .map(|(ident, wire, rule)| quote::quote!(#ident(#wire) => #rule));
    CALL.with(|call| {
        call.fill(&mut [(
            "__ENTRIES",
            Fill::Tokens(quote::quote!(#name { #(#entries),* })),
        )])
    })
}

/// The impl the macro stands for: what `request_checks` writes for these fields.
pub fn check_impl(name: &syn::Ident, fields: &[Field]) -> Item {
    syn::parse2(check_tokens(name, fields)).expect("a Check impl parses")
}

/// The tokens of [`check_impl`]: what the pass compares a written impl with, token for token
/// (parsing the impl for each type cost most of the pass).
fn check_tokens(name: &syn::Ident, fields: &[Field]) -> TokenStream {
    let lines = fields.iter().map(|(ident, wire, rule)| -> TokenStream {
        quote::quote!(self.#ident.check(&at.field(#wire), &#rule)?;)
    });
    quote::quote! {
        impl crate::check::Check for #name {
            fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                use crate::check::{Check as _, Rule};
                #(#lines)*
                Ok(())
            }
        }
    }
}

/// The items a call of the macro stands for, or `None` when `item` is no such call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let (name, fields) = super::named_call(item, MACRO, |field| {
        let ident = syn::ext::IdentExt::parse_any(field)?;
        let wire;
        syn::parenthesized!(wire in field);
        let wire: syn::LitStr = wire.parse()?;
        field.parse::<syn::Token![=>]>()?;
        Ok((ident, wire, field.parse::<Expr>()?))
    })?;
    Some(vec![check_impl(&name, &fields)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::string_newtypes::tokens;
    use crate::passes::{has, parse_file, pretty};

    fn fields() -> Vec<Field> {
        vec![
            (
                syn::parse_quote!(first_name),
                syn::parse_quote!("firstName"),
                syn::parse_quote!(Rule::max_length(255usize)),
            ),
            (
                syn::parse_quote!(records),
                syn::parse_quote!("records"),
                syn::parse_quote!(Rule::items(None, Some(50usize))),
            ),
        ]
    }

    #[test]
    fn a_written_check_becomes_one_call_that_expands_back() {
        let name: syn::Ident = syn::parse_quote!(Record);
        let written = check_impl(&name, &fields());
        let mut file = parse_file(&pretty(
            &syn::parse_quote!(pub mod types { #written impl crate::check::Check for Plain {} }),
        ));
        compact_checks(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"crate::check::check_fields!(Record { first_name("firstName") => Rule::max_length(255usize), records("records") => Rule::items(None, Some(50usize)) });"#
            ),
            "{out}"
        );
        assert!(has(&out, "impl crate::check::Check for Plain {}"), "{out}");
        let types = module_items(&mut file.items, &["types"]).unwrap();
        assert_eq!(
            expansion(&types[0])
                .unwrap()
                .iter()
                .map(tokens)
                .collect::<Vec<_>>(),
            vec![tokens(&written)]
        );
    }

    #[test]
    fn an_impl_that_differs_stays() {
        let source = r#"pub mod types {
            impl crate::check::Check for Record {
                fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                    use crate::check::{Check as _, Rule};
                    self.first_name.check(&at.field("firstName"), &Rule::max_length(255usize))?;
                    self.extra.check(&at, &Rule::NONE)?;
                    Ok(())
                }
            }
        }"#;
        let mut file = parse_file(source);
        compact_checks(&mut file);
        assert_eq!(pretty(&file), pretty(&parse_file(source)));
    }

    /// The client crate's `macro_rules!` expands to exactly [`check_impl`].
    #[test]
    fn the_runtime_macro_is_the_written_impl() {
        let name: syn::Ident = syn::parse_quote!(Example);
        let source = include_str!("../../../generated-client/src/check.rs");
        let body = crate::passes::expand_runtime_macro_repeated(
            source,
            MACRO,
            &[("name", name.to_token_stream())],
            &[
                (
                    "field",
                    fields()
                        .iter()
                        .map(|(f, _, _)| f.to_token_stream())
                        .collect(),
                ),
                (
                    "wire",
                    fields()
                        .iter()
                        .map(|(_, w, _)| w.to_token_stream())
                        .collect(),
                ),
                (
                    "rule",
                    fields()
                        .iter()
                        .map(|(_, _, r)| r.to_token_stream())
                        .collect(),
                ),
            ],
        );
        let expanded: syn::File = syn::parse2(body).unwrap();
        assert_eq!(
            expanded.items.iter().map(tokens).collect::<Vec<_>>(),
            vec![tokens(&check_impl(&name, &fields()))]
        );
    }
}
