//! Pass: the impls every string newtype shares become one macro call.
//!
//! typify writes, for each newtype around `String` in `types`, the same five impls (`Deref`,
//! `From<X> for String`, `TryFrom<&str>`, `TryFrom<String>`, `Deserialize` through `FromStr`).
//! When a newtype has exactly the impls of [`shared_impls`], they are replaced by
//! `crate::newtype::string_newtype!(X);`, whose `macro_rules!` in the client crate expands to
//! the same impls (a test compares the two). A newtype whose impls differ keeps them as typify
//! wrote them. Its `FromStr`, which holds the checks, stays either way.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{Fields, Item};

use super::module_items;

/// The path the generated code calls the macro by.
const MACRO: &str = "string_newtype";

pub fn string_newtypes(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    let newtypes: BTreeSet<syn::Ident> = types.iter().filter_map(string_newtype).collect();
    // The impls that concern each newtype, found in one walk.
    let mut impls_of: BTreeMap<&syn::Ident, Vec<usize>> = BTreeMap::new();
    for (index, item) in types.iter().enumerate() {
        if let Item::Impl(block) = item
            && let Some(name) = concerned(block).and_then(|name| newtypes.get(name))
        {
            impls_of.entry(name).or_default().push(index);
        }
    }
    let mut replaced = BTreeSet::new();
    let mut removed = BTreeSet::new();
    for (name, indices) in impls_of {
        let shared: Vec<String> = shared_impls(name).iter().map(tokens).collect();
        let found: Vec<usize> = indices
            .into_iter()
            .filter(|&i| shared.contains(&tokens(&types[i])))
            .collect();
        if found.len() == shared.len() {
            removed.extend(found);
            replaced.insert(name.clone());
        }
    }
    let items = std::mem::take(types);
    for (index, item) in items.into_iter().enumerate() {
        if removed.contains(&index) {
            continue;
        }
        let call = match &item {
            Item::Struct(s) if replaced.contains(&s.ident) => {
                let name = &s.ident;
                Some(syn::parse_quote!(crate::newtype::string_newtype!(#name);))
            }
            _ => None,
        };
        types.push(item);
        types.extend(call);
    }
}

/// The newtype an impl is about: its self type, or `X` of `impl From<X> for String`.
fn concerned(block: &syn::ItemImpl) -> Option<&syn::Ident> {
    let syn::Type::Path(self_ty) = &*block.self_ty else {
        return None;
    };
    let last = self_ty.path.segments.last()?;
    if last.ident != "String" {
        return Some(&last.ident);
    }
    let (path, _) = block.trait_.as_ref()?;
    let syn::PathArguments::AngleBracketed(args) = &path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(arg)) => {
            arg.path.segments.last().map(|s| &s.ident)
        }
        _ => None,
    }
}

/// The newtype's name, for a tuple struct of one `String`.
fn string_newtype(item: &Item) -> Option<syn::Ident> {
    let Item::Struct(s) = item else { return None };
    let Fields::Unnamed(fields) = &s.fields else {
        return None;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let string: syn::Type = syn::parse_quote!(::std::string::String);
    (field.ty == string).then(|| s.ident.clone())
}

/// The impls the macro stands for, for the newtype `name`.
pub fn shared_impls(name: &syn::Ident) -> Vec<Item> {
    let file: syn::File = syn::parse_quote! {
        impl ::std::ops::Deref for #name {
            type Target = ::std::string::String;
            fn deref(&self) -> &::std::string::String {
                &self.0
            }
        }
        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(value: #name) -> Self {
                value.0
            }
        }
        impl ::std::convert::TryFrom<&str> for #name {
            type Error = self::error::ConversionError;
            fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = self::error::ConversionError;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                ::std::string::String::deserialize(deserializer)?
                    .parse()
                    .map_err(|e: self::error::ConversionError| {
                        <D::Error as ::serde::de::Error>::custom(e.to_string())
                    })
            }
        }
    };
    file.items
}

/// The items a call of the macro stands for, or `None` when `item` is no such call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let Item::Macro(call) = item else { return None };
    if call.mac.path.segments.last()?.ident != MACRO {
        return None;
    }
    let name: syn::Ident = syn::parse2(call.mac.tokens.clone()).ok()?;
    Some(shared_impls(&name))
}

/// An item's tokens as text, without the trailing commas a printer may add or leave out.
pub(crate) fn tokens(item: &Item) -> String {
    without_trailing_commas(item.to_token_stream()).to_string()
}

/// Whether two token streams are the same tokens, but for the trailing commas a printer may add
/// or leave out: what comparing their [`tokens`] says, without writing either out as text.
pub(crate) fn same_tokens(a: proc_macro2::TokenStream, b: proc_macro2::TokenStream) -> bool {
    use proc_macro2::TokenTree;
    fn trees(stream: proc_macro2::TokenStream) -> Vec<TokenTree> {
        let mut trees: Vec<TokenTree> = stream.into_iter().collect();
        if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            trees.pop();
        }
        trees
    }
    let (a, b) = (trees(a), trees(b));
    a.len() == b.len()
        && a.into_iter().zip(b).all(|pair| match pair {
            (TokenTree::Group(a), TokenTree::Group(b)) => {
                a.delimiter() == b.delimiter() && same_tokens(a.stream(), b.stream())
            }
            (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
            (TokenTree::Punct(a), TokenTree::Punct(b)) => {
                a.as_char() == b.as_char() && a.spacing() == b.spacing()
            }
            (TokenTree::Literal(a), TokenTree::Literal(b)) => a.to_string() == b.to_string(),
            _ => false,
        })
}

fn without_trailing_commas(stream: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, TokenTree};
    let mut trees: Vec<TokenTree> = stream
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => TokenTree::Group(Group::new(
                g.delimiter(),
                without_trailing_commas(g.stream()),
            )),
            other => other,
        })
        .collect();
    if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        trees.pop();
    }
    trees.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    fn newtype_with(impls: &[Item]) -> String {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Name(::std::string::String);
                impl ::std::str::FromStr for Name {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        Ok(Self(value.to_string()))
                    }
                }
                #(#impls)*
                pub struct Count(i64);
            }
        };
        prettyplease::unparse(&file)
    }

    #[test]
    fn the_shared_impls_become_one_call_and_from_str_stays() {
        let name: syn::Ident = syn::parse_quote!(Name);
        let mut file = parse_file(&newtype_with(&shared_impls(&name)));
        string_newtypes(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "pub struct Name(::std::string::String); crate::newtype::string_newtype!(Name);"
            ),
            "{out}"
        );
        assert!(has(&out, "impl ::std::str::FromStr for Name"), "{out}");
        assert!(!out.contains("Deref"), "{out}");
        assert!(!out.contains("Deserialize"), "{out}");
        let types = match &file.items[0] {
            Item::Mod(m) => &m.content.as_ref().unwrap().1,
            _ => unreachable!(),
        };
        let call = types
            .iter()
            .find(|item| matches!(item, Item::Macro(_)))
            .unwrap();
        assert_eq!(expansion(call).unwrap().len(), 5);
    }

    #[test]
    fn a_newtype_whose_impls_differ_keeps_them() {
        let name: syn::Ident = syn::parse_quote!(Name);
        let mut impls = shared_impls(&name);
        impls[0] = syn::parse_quote! {
            impl ::std::ops::Deref for Name {
                type Target = ::std::string::String;
                fn deref(&self) -> &::std::string::String { unimplemented!() }
            }
        };
        let before = newtype_with(&impls);
        let mut file = parse_file(&before);
        string_newtypes(&mut file);
        assert_eq!(pretty(&file), before);
    }

    /// The client crate's `macro_rules!` expands to exactly [`shared_impls`].
    #[test]
    fn the_runtime_macro_is_the_shared_impls() {
        let name: syn::Ident = syn::parse_quote!(Example);
        let source = include_str!("../../../generated-client/src/newtype.rs");
        let body =
            crate::passes::expand_runtime_macro(source, MACRO, &[("name", name.to_token_stream())]);
        let expanded: syn::File = syn::parse2(body).unwrap();
        let expected: Vec<String> = shared_impls(&name).iter().map(tokens).collect();
        let actual: Vec<String> = expanded.items.iter().map(tokens).collect();
        assert_eq!(actual, expected);
    }
}
