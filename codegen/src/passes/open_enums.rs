//! Pass: every string enum gains an `Unrecognized(String)` variant.
//!
//! The service may add enum values at any time. A response carrying a value this crate does
//! not know decodes into `Unrecognized`, keeping the string; a request carrying `Unrecognized`
//! is refused before it is sent (serialising it fails): requests take documented values only.

use quote::format_ident;
use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item, ItemEnum};

use super::{derives, is_ident_expr, module_items, plain_type_name, remove_derive};

pub fn open_enums(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    let mut opened = Vec::new();
    for item in items.iter_mut() {
        if let Item::Enum(e) = item
            && is_string_enum(e)
        {
            open(e);
            opened.push(e.ident.to_string());
        }
    }
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let self_ty = plain_type_name(&block.self_ty)
            .map(ToString::to_string)
            .unwrap_or_default();
        let is_display = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "Display"));
        if is_display && opened.contains(&self_ty) {
            for impl_item in &mut block.items {
                if let ImplItem::Fn(function) = impl_item {
                    DisplayUnrecognized.visit_block_mut(&mut function.block);
                }
            }
        }
    }
}

/// An enum whose variants are all unit variants, decoded from strings.
fn is_string_enum(e: &ItemEnum) -> bool {
    derives(&e.attrs, "Deserialize")
        && !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
}

fn open(e: &mut ItemEnum) {
    // `Unrecognized` holds a String, so the enum can no longer be `Copy`.
    remove_derive(&mut e.attrs, "Copy");
    let name = format_ident!("Unrecognized");
    e.variants.push(syn::parse_quote! {
        /// A value this version of the crate does not know, kept as the service sent it.
        /// Requests refuse it: they carry documented values only.
        #[serde(untagged, serialize_with = "crate::runtime::refuse_unknown_value")]
        #name(::std::string::String)
    });
}

/// `match *self { .. }` in `Display` becomes `match self { .., Self::Unrecognized(v) => f.write_str(v) }`.
struct DisplayUnrecognized;

impl VisitMut for DisplayUnrecognized {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let is_deref_self = matches!(&*m.expr, syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) && is_ident_expr(&u.expr, "self"));
        if is_deref_self {
            *m.expr = syn::parse_quote!(self);
            m.arms
                .push(syn::parse_quote!(Self::Unrecognized(value) => f.write_str(value),));
        }
        syn::visit_mut::visit_expr_match_mut(self, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const ENUM: &str = r#"
        pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, PartialEq)]
            pub enum Gender {
                Male,
                #[serde(rename = "Prefer Not to Say")]
                PreferNotToSay,
            }
            impl ::std::fmt::Display for Gender {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self {
                        Self::Male => f.write_str("Male"),
                        Self::PreferNotToSay => f.write_str("Prefer Not to Say"),
                    }
                }
            }
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub enum Shape { Circle { radius: f64 } }
        }
    "#;

    #[test]
    fn string_enums_gain_an_unknown_variant_that_refuses_to_serialize() {
        let mut file = parse_file(ENUM);
        open_enums(&mut file);
        let out = pretty(&file);
        assert!(has(&out, "Unrecognized(::std::string::String)"), "{out}");
        assert!(
            has(
                &out,
                r#"serialize_with = "crate::runtime::refuse_unknown_value""#
            ),
            "{out}"
        );
        assert!(
            has(&out, "Self::Unrecognized(value) => f.write_str(value)"),
            "{out}"
        );
        assert!(has(&out, "match self {"), "{out}");
        assert!(!has(&out, "Copy"), "{out}");
    }

    #[test]
    fn enums_with_data_are_left_alone() {
        let mut file = parse_file(ENUM);
        open_enums(&mut file);
        let out = pretty(&file);
        assert_eq!(
            out.matches("Unrecognized(").count(),
            2,
            "only Gender and its Display change: {out}"
        );
    }
}
