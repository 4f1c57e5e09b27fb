//! Pass: an attribute that lists several things is written as one attribute per thing where
//! one would not fit on a line.
//!
//! typify derives eight or nine traits on each enum in one `#[derive(..)]`, which the printer
//! lays out one trait a line; `json_schema` gives a field one `schemars(..)` holding its
//! type, limits and annotation, which no longer fits on a line either. serde's derives get their
//! own `#[derive(..)]` beside the others, and a field's `schemars(..)` with several entries
//! becomes one `cfg_attr` per entry: schemars and the compiler read several attributes as
//! one, so the derived impls and the JSON Schemas stay the same.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::{Attribute, Item, Meta};

use super::template::list_attribute;
use super::{joined_entries, list_entries, module_items};

/// More traits than this beside serde's in one `#[derive(..)]` make it wrap.
const DERIVES_ON_ONE_LINE: usize = 4;

pub fn split_attributes(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    for item in types.iter_mut() {
        match item {
            Item::Enum(e) => split_derives(&mut e.attrs),
            Item::Struct(s) => {
                split_derives(&mut s.attrs);
                for field in s.fields.iter_mut() {
                    split_schemars(&mut field.attrs);
                }
            }
            _ => {}
        }
    }
}

/// `#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, ..)]` becomes
/// `#[derive(::serde::Deserialize, ::serde::Serialize)]` and `#[derive(Clone, Debug, ..)]`.
/// Attributes are read and written as tokens (a derived path's first identifier is its first
/// segment): parsing them cost more than the rest of the pass.
fn split_derives(attrs: &mut Vec<Attribute>) {
    let mut split = Vec::with_capacity(attrs.len() + 1);
    for attr in attrs.drain(..) {
        let paths = match &attr.meta {
            Meta::List(list) if list.path.is_ident("derive") => list_entries(list.tokens.clone()),
            _ => {
                split.push(attr);
                continue;
            }
        };
        let (serde, others): (Vec<_>, Vec<_>) = paths.into_iter().partition(|path| {
            path.iter()
                .find_map(|t| match t {
                    TokenTree::Ident(i) => Some(i == "serde"),
                    _ => None,
                })
                .unwrap_or(false)
        });
        if serde.is_empty() || others.len() <= DERIVES_ON_ONE_LINE {
            split.push(attr);
            continue;
        }
        split.push(list_attribute("derive", joined_entries(serde)));
        split.push(list_attribute("derive", joined_entries(others)));
    }
    *attrs = split;
}

/// `#[cfg_attr(feature = "schemars", schemars(a, b))]` becomes one `cfg_attr` for `a` and
/// one for `b`.
fn split_schemars(attrs: &mut Vec<Attribute>) {
    let mut split = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        match schemars_entries(&attr) {
            Some((condition, entries)) if entries.len() > 1 => {
                split.extend(entries.into_iter().map(|entry| {
                    let entry: TokenStream = entry.into_iter().collect();
                    list_attribute("cfg_attr", quote!(#condition, schemars(#entry)))
                }));
            }
            _ => split.push(attr),
        }
    }
    *attrs = split;
}

/// The condition and the entries of `#[cfg_attr(<condition>, schemars(<entries>))]`.
fn schemars_entries(attr: &Attribute) -> Option<(TokenStream, Vec<Vec<TokenTree>>)> {
    let Meta::List(list) = &attr.meta else {
        return None;
    };
    if !list.path.is_ident("cfg_attr") {
        return None;
    }
    let [condition, schemars] =
        <[Vec<TokenTree>; 2]>::try_from(list_entries(list.tokens.clone())).ok()?;
    let [TokenTree::Ident(name), TokenTree::Group(entries)] = &schemars[..] else {
        return None;
    };
    if name != "schemars" || entries.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    Some((
        condition.into_iter().collect(),
        list_entries(entries.stream()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn serdes_derives_go_apart_from_a_long_list() {
        let mut file = parse_file(
            r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
                pub enum Gender { Male }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Short { pub a: i32 }
            }"#,
        );
        split_attributes(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "#[derive(::serde::Deserialize, ::serde::Serialize)] #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)] pub enum Gender"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)] pub struct Short"
            ),
            "{out}"
        );
        assert!(
            crate::passes::derives(&file_enum_attrs(&file), "PartialOrd")
                && crate::passes::derives(&file_enum_attrs(&file), "Serialize")
        );
    }

    fn file_enum_attrs(file: &syn::File) -> Vec<Attribute> {
        let Item::Mod(m) = &file.items[0] else {
            unreachable!()
        };
        let Item::Enum(e) = &m.content.as_ref().unwrap().1[0] else {
            unreachable!()
        };
        e.attrs.clone()
    }

    #[test]
    fn a_fields_schemars_entries_become_one_attribute_each() {
        let mut file = parse_file(
            r#"pub mod types {
                pub struct Customer {
                    #[serde(skip_serializing_if = "crate::wire::is_none")]
                    #[cfg_attr(feature = "schemars", schemars(with = "::std::string::String", length(max = 255), extend("x-personal-data" = true)))]
                    pub name: ::std::option::Option<::std::string::String>,
                    #[cfg_attr(feature = "schemars", schemars(length(max = 50)))]
                    pub city: ::std::string::String,
                }
            }"#,
        );
        split_attributes(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"#[serde(skip_serializing_if = "crate::wire::is_none")]
                #[cfg_attr(feature = "schemars", schemars(with = "::std::string::String"))]
                #[cfg_attr(feature = "schemars", schemars(length(max = 255)))]
                #[cfg_attr(feature = "schemars", schemars(extend("x-personal-data" = true)))]
                pub name"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"#[cfg_attr(feature = "schemars", schemars(length(max = 50)))] pub city"#
            ),
            "{out}"
        );
    }
}
