//! Pass: the impls every open string enum shares become one macro call.
//!
//! typify writes, for each string enum of `types`, `Display`, `FromStr`, `TryFrom<&str>` and
//! `TryFrom<String>`, all made of the variants and their wire values; `open_enums` has given
//! `Display` an arm for `Unrecognized`. When an enum with that variant has exactly the impls of
//! [`shared_impls`], they are replaced by
//! `crate::enums::string_enum!(X { Variant = "wire value", .. });`, whose `macro_rules!` in the
//! client crate expands to the same impls (a test compares the two). An enum whose impls differ
//! keeps them as they are. Its `JsonSchema` that `json_schema` wrote (feature `schemars`)
//! becomes `crate::enums::string_enum_schema!(X, "description", ["wire value", ..]);` the same
//! way.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Fields, Item, ItemEnum};

use super::string_newtypes::same_tokens;
use super::template::{Fill, Template};
use super::{json_schema, module_items, plain_type_name, serde_rename};

/// The names the generated code calls the macros by.
const MACRO: &str = "string_enum";
const SCHEMA_MACRO: &str = "string_enum_schema";

pub fn string_enums(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    // Each open enum by name: its position and its variants' wire values.
    let enums: HashMap<String, (usize, Vec<(syn::Ident, String)>)> = types
        .iter()
        .enumerate()
        .filter_map(|(index, item)| match item {
            Item::Enum(e) => Some((e.ident.to_string(), (index, wire_values(e)?))),
            _ => None,
        })
        .collect();
    let mut impls_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, item) in types.iter().enumerate() {
        if let Item::Impl(block) = item
            && block.trait_.is_some()
            && let Some((name, _)) = plain_type_name(&block.self_ty)
                .and_then(|name| enums.get_key_value(&name.to_string()))
        {
            impls_of.entry(name).or_default().push(index);
        }
    }
    let mut replaced = BTreeSet::new();
    let mut removed = BTreeSet::new();
    let mut schemas = HashMap::new();
    for (name, indices) in impls_of {
        let (position, values) = &enums[name];
        let Item::Enum(e) = &types[*position] else {
            continue;
        };
        let ident = &e.ident;
        let shared = shared_tokens(ident, values);
        let found: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| {
                // Only these traits are worth writing out as tokens (typify adds `From<&Self>`,
                // `json_schema` a `JsonSchema`, the document may give a `Default`).
                if !["Display", "FromStr", "TryFrom"]
                    .iter()
                    .any(|name| is_impl_of(&types[i], name))
                {
                    return false;
                }
                let written = types[i].to_token_stream();
                shared
                    .iter()
                    .any(|impl_| same_tokens(written.clone(), impl_.clone()))
            })
            .collect();
        if found.len() == shared.len() {
            removed.extend(found);
            replaced.insert(*position);
        }
        // Its `JsonSchema`, when it is exactly what `json_schema` writes for it.
        let mut written = None;
        for index in indices
            .into_iter()
            .filter(|&i| is_impl_of(&types[i], "JsonSchema"))
        {
            let written = written
                .get_or_insert_with(|| json_schema::documented_values_only(e).to_token_stream());
            if same_tokens(written.clone(), types[index].to_token_stream()) {
                let (description, values) = json_schema::documented_values(e);
                schemas.insert(index, schema_call(ident, &description, &values));
            }
        }
    }
    let items = std::mem::take(types);
    for (index, item) in items.into_iter().enumerate() {
        if removed.contains(&index) {
            continue;
        }
        let call = match &item {
            Item::Enum(e) if replaced.contains(&index) => {
                Some(call(&e.ident, &enums[&e.ident.to_string()].1))
            }
            _ => None,
        };
        types.push(schemas.remove(&index).unwrap_or(item));
        types.extend(call);
    }
}

/// Whether `item` is an impl of the trait named `name` (by the last segment of its path).
fn is_impl_of(item: &Item, name: &str) -> bool {
    matches!(item, Item::Impl(block) if block.trait_.as_ref().and_then(|(path, _)| path.segments.last()).is_some_and(|s| s.ident == name))
}

/// Each unit variant with its wire value (its serde `rename`, or its name), for an enum whose
/// other variant is `Unrecognized(..)` (an open enum).
fn wire_values(e: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let mut open = false;
    let mut values = Vec::new();
    for variant in &e.variants {
        match &variant.fields {
            Fields::Unit => values.push((variant.ident.clone(), variant_wire_name(variant))),
            Fields::Unnamed(_) if variant.ident == "Unrecognized" => open = true,
            _ => return None,
        }
    }
    open.then_some(values)
}

/// A variant's `#[serde(rename = "..")]`, or its name.
fn variant_wire_name(variant: &syn::Variant) -> String {
    serde_rename(&variant.attrs)
        .unwrap_or_else(|| syn::ext::IdentExt::unraw(&variant.ident).to_string())
}

/// The `string_enum_schema!` call in place of the `JsonSchema` impl of an open enum.
fn schema_call(name: &syn::Ident, description: &str, values: &[String]) -> Item {
    CALLS.with(|code| {
        code.schema_call.fill(&mut [
            ("__TYPE", Fill::Ident(name.clone())),
            (
                "__ARGUMENTS",
                Fill::Tokens(quote!(#name, #description, [#(#values),*])),
            ),
        ])
    })
}

fn call(name: &syn::Ident, values: &[(syn::Ident, String)]) -> Item {
    let entries = values
        .iter()
        .map(|(variant, value)| quote!(#variant = #value));
    CALLS.with(|code| {
        code.call
            .fill(&mut [("__ENTRIES", Fill::Tokens(quote!(#name { #(#entries),* })))])
    })
}

/// The calls this pass writes, parsed once per thread and copied for each enum.
struct Calls {
    call: Template<Item>,
    schema_call: Template<Item>,
}

thread_local! {
    static CALLS: Calls = Calls {
        call: Template::new(syn::parse_quote!(crate::enums::string_enum!(__ENTRIES);)),
        schema_call: Template::new(syn::parse_quote! {
            #[cfg(feature = "schemars")]
            crate::enums::string_enum_schema!(__ARGUMENTS);
        }),
    };
}

/// The impls the macro stands for, for the enum `name` with these variants and wire values.
pub fn shared_impls(name: &syn::Ident, values: &[(syn::Ident, String)]) -> Vec<Item> {
    let file: syn::File = syn::parse2(shared_tokens(name, values).into_iter().collect())
        .expect("the shared impls parse");
    file.items
}

/// The tokens of [`shared_impls`], one stream per impl: what the pass compares typify's impls
/// with, token for token (parsing them for each enum cost most of the pass).
fn shared_tokens(name: &syn::Ident, values: &[(syn::Ident, String)]) -> [TokenStream; 4] {
    let (variants, values): (Vec<_>, Vec<_>) = values.iter().cloned().unzip();
    [
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(Self::#variants => f.write_str(#values),)*
                        Self::Unrecognized(value) => f.write_str(value),
                    }
                }
            }
        },
        quote! {
            impl ::std::str::FromStr for #name {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    match value {
                        #(#values => Ok(Self::#variants),)*
                        _ => Err("invalid value".into()),
                    }
                }
            }
        },
        quote! {
            impl ::std::convert::TryFrom<&str> for #name {
                type Error = self::error::ConversionError;
                fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    value.parse()
                }
            }
        },
        quote! {
            impl ::std::convert::TryFrom<::std::string::String> for #name {
                type Error = self::error::ConversionError;
                fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, self::error::ConversionError> {
                    value.parse()
                }
            }
        },
    ]
}

/// The items a call of either macro stands for, or `None` when `item` is no such call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let Item::Macro(call) = item else { return None };
    if call.mac.path.segments.last()?.ident == SCHEMA_MACRO {
        return schema_expansion(call);
    }
    let (name, values) = super::named_call(item, MACRO, |pair| {
        let variant: syn::Ident = pair.parse()?;
        pair.parse::<syn::Token![=]>()?;
        Ok((variant, pair.parse::<syn::LitStr>()?.value()))
    })?;
    Some(shared_impls(&name, &values))
}

/// The `JsonSchema` impl a `string_enum_schema!` call stands for, behind the call's `cfg`.
fn schema_expansion(call: &syn::ItemMacro) -> Option<Vec<Item>> {
    let parser = |input: syn::parse::ParseStream| {
        let name: syn::Ident = input.parse()?;
        input.parse::<syn::Token![,]>()?;
        let description: syn::LitStr = input.parse()?;
        input.parse::<syn::Token![,]>()?;
        let content;
        syn::bracketed!(content in input);
        let values = content.parse_terminated(
            |v: syn::parse::ParseStream| v.parse::<syn::LitStr>(),
            syn::Token![,],
        )?;
        Ok((
            name,
            description.value(),
            values.iter().map(syn::LitStr::value).collect::<Vec<_>>(),
        ))
    };
    let (name, description, values) =
        syn::parse::Parser::parse2(parser, call.mac.tokens.clone()).ok()?;
    let mut schema = json_schema::documented_values_schema(&name, &description, &values);
    if let Item::Impl(block) = &mut schema {
        block.attrs.extend(call.attrs.iter().cloned());
    }
    Some(vec![schema])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::string_newtypes::tokens;
    use crate::passes::{has, module_items, parse_file, pretty};
    use quote::ToTokens;

    fn values() -> Vec<(syn::Ident, String)> {
        vec![
            (syn::parse_quote!(Male), "Male".into()),
            (syn::parse_quote!(NonBinary), "Non-Binary".into()),
        ]
    }

    fn enum_with(impls: &[Item]) -> String {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub enum Gender {
                    Male,
                    #[serde(rename = "Non-Binary")]
                    NonBinary,
                    #[serde(untagged, serialize_with = "crate::runtime::refuse_unknown_value")]
                    Unrecognized(::std::string::String),
                }
                #(#impls)*
                impl Default for Gender {
                    fn default() -> Self { Self::Male }
                }
            }
        };
        prettyplease::unparse(&file)
    }

    #[test]
    fn the_shared_impls_become_one_call_naming_the_wire_values() {
        let name: syn::Ident = syn::parse_quote!(Gender);
        let mut file = parse_file(&enum_with(&shared_impls(&name, &values())));
        string_enums(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"crate::enums::string_enum!(Gender { Male = "Male", NonBinary = "Non-Binary" });"#
            ),
            "{out}"
        );
        assert!(
            !out.contains("FromStr") && !out.contains("Display") && !out.contains("TryFrom"),
            "{out}"
        );
        assert!(has(&out, "impl Default for Gender"), "{out}");
        let Item::Mod(m) = &file.items[0] else {
            unreachable!()
        };
        let call = m
            .content
            .as_ref()
            .unwrap()
            .1
            .iter()
            .find(|item| matches!(item, Item::Macro(_)))
            .unwrap();
        let expected: Vec<String> = shared_impls(&name, &values()).iter().map(tokens).collect();
        assert_eq!(
            expansion(call)
                .unwrap()
                .iter()
                .map(tokens)
                .collect::<Vec<_>>(),
            expected
        );
    }

    #[test]
    fn an_enum_whose_impls_differ_keeps_them() {
        let name: syn::Ident = syn::parse_quote!(Gender);
        let mut impls = shared_impls(&name, &values());
        impls[1] = syn::parse_quote! {
            impl ::std::str::FromStr for Gender {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    Ok(Self::Unrecognized(value.to_string()))
                }
            }
        };
        let before = enum_with(&impls);
        let mut file = parse_file(&before);
        string_enums(&mut file);
        assert_eq!(pretty(&file), before);
    }

    #[test]
    fn the_documented_values_schema_becomes_one_call_behind_its_feature() {
        let name: syn::Ident = syn::parse_quote!(Gender);
        let source = enum_with(&shared_impls(&name, &values()));
        let mut file = parse_file(&source);
        let e = module_items(&mut file.items, &["types"])
            .unwrap()
            .iter()
            .find_map(|i| match i {
                Item::Enum(e) => Some(e.clone()),
                _ => None,
            })
            .unwrap();
        let schema = json_schema::documented_values_only(&e);
        module_items(&mut file.items, &["types"])
            .unwrap()
            .push(schema.clone());
        let mut file = parse_file(&pretty(&file));
        string_enums(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"#[cfg(feature = "schemars")] crate::enums::string_enum_schema!(Gender, "", ["Male", "Non-Binary"]);"#
            ),
            "{out}"
        );
        assert!(!out.contains("impl ::schemars::JsonSchema"), "{out}");
        let types = module_items(&mut file.items, &["types"]).unwrap();
        let call = types.iter().find(|i| matches!(i, Item::Macro(m) if m.mac.path.segments.last().unwrap().ident == SCHEMA_MACRO)).unwrap();
        assert_eq!(
            expansion(call)
                .unwrap()
                .iter()
                .map(tokens)
                .collect::<Vec<_>>(),
            vec![tokens(&schema)]
        );
    }

    /// The client crate's `string_enum_schema!` expands to exactly the impl `json_schema` writes
    /// (its `cfg` sits on the call).
    #[test]
    fn the_runtime_schema_macro_is_the_written_impl() {
        let name: syn::Ident = syn::parse_quote!(Example);
        let values = vec!["Male".to_string(), "Non-Binary".to_string()];
        let source = include_str!("../../../generated-client/src/enums.rs");
        let lit = |v: &str| syn::LitStr::new(v, proc_macro2::Span::call_site()).to_token_stream();
        let body = crate::passes::expand_runtime_macro_repeated(
            source,
            SCHEMA_MACRO,
            &[
                ("name", name.to_token_stream()),
                ("description", lit("Who.")),
            ],
            &[("value", values.iter().map(|v| lit(v)).collect())],
        );
        let expanded: syn::File = syn::parse2(body).unwrap();
        let expected = json_schema::documented_values_schema(&name, "Who.", &values);
        assert_eq!(
            expanded.items.iter().map(tokens).collect::<Vec<_>>(),
            vec![tokens(&expected)]
        );
    }

    /// The client crate's `macro_rules!` expands to exactly [`shared_impls`].
    #[test]
    fn the_runtime_macro_is_the_shared_impls() {
        let name: syn::Ident = syn::parse_quote!(Example);
        let source = include_str!("../../../generated-client/src/enums.rs");
        let (variants, wire): (Vec<syn::Ident>, Vec<String>) = values().into_iter().unzip();
        let body = crate::passes::expand_runtime_macro_repeated(
            source,
            MACRO,
            &[("name", name.to_token_stream())],
            &[
                (
                    "variant",
                    variants.iter().map(ToTokens::to_token_stream).collect(),
                ),
                (
                    "value",
                    wire.iter()
                        .map(|v| {
                            syn::LitStr::new(v, proc_macro2::Span::call_site()).to_token_stream()
                        })
                        .collect(),
                ),
            ],
        );
        let expanded: syn::File = syn::parse2(body).unwrap();
        let expected: Vec<String> = shared_impls(&name, &values()).iter().map(tokens).collect();
        let actual: Vec<String> = expanded.items.iter().map(tokens).collect();
        assert_eq!(actual, expected);
    }
}
