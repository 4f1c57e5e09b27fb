//! Pass: the structs of `types` get a lean `Deserialize` of ours instead of serde's derive.
//!
//! serde's derive writes, for every struct, a field enum with a visitor of three methods and
//! its own `Deserialize`, a sequence visitor and a map visitor (and, for a struct with a
//! `#[serde(flatten)]` catch-all, a buffer of every entry): type-checking them was half of
//! the crate's compile. What a JSON object needs is one map visitor: the impl written here
//! finds a key's field through one non-generic `match` on the key, and shares the key
//! visitors and the checks of `crate::de` with every other struct.
//!
//! It decodes what the derive decodes: the same keys (`rename`), unknown keys skipped (or
//! kept in the catch-all, as the derive's `flatten` keeps them), a repeated key refused, a
//! missing field refused unless it has `default` or is an `Option` (a required nullable
//! field, typify's `deserialize_with = "Option::deserialize"`, is refused when missing).
//! Only a struct whose every serde attribute is one of those is rewritten; any other keeps
//! the derive. The impl is `#[automatically_derived]`: it stands for the derive, and the
//! public-API listing leaves it out as it leaves out derives.

use proc_macro2::TokenTree;
use quote::quote;
use syn::{Attribute, Fields, Item, ItemStruct};

use super::template::{Fill, Template};
use super::{derives, list_entries, module_items, option_inner, remove_derive};

pub fn deserialize_impls(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    // Each call goes right after its struct: the module is written anew, in one pass
    // (inserting each call in place moved every item after it, for every struct).
    let items = std::mem::take(types);
    types.reserve(items.len() * 2);
    for mut item in items {
        let written = match &mut item {
            Item::Struct(item) => readable(item).map(|fields| {
                remove_derive(&mut item.attrs, "Deserialize");
                deserialize_impl(item, &fields)
            }),
            _ => None,
        };
        types.push(item);
        types.extend(written);
    }
}

/// How one field is read.
struct FieldRead {
    ident: syn::Ident,
    ty: syn::Type,
    wire: String,
    /// What a missing key gives: the field's default, or an error.
    when_missing: Missing,
    /// The `#[serde(flatten)]` catch-all: every key the struct does not name.
    catch_all: bool,
}

enum Missing {
    Default,
    Refused,
}

/// The fields of a struct this pass can read, or `None` when it keeps serde's derive.
fn readable(item: &ItemStruct) -> Option<Vec<FieldRead>> {
    if !derives(&item.attrs, "Deserialize") || !derives(&item.attrs, "Serialize") {
        // Without `Serialize`, nothing would be left to carry the `#[serde]` attributes.
        return None;
    }
    if !item.generics.params.is_empty() || item.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None;
    }
    let Fields::Named(named) = &item.fields else {
        return None;
    };
    let mut out = Vec::new();
    for field in &named.named {
        let ident = field.ident.clone()?;
        let serde = serde_attrs(&field.attrs)?;
        let option = option_inner(&field.ty).is_some();
        let when_missing = if serde.default || (option && !serde.required_nullable) {
            Missing::Default
        } else {
            Missing::Refused
        };
        if serde.required_nullable && !option {
            return None;
        }
        out.push(FieldRead {
            wire: serde.rename.unwrap_or_else(|| unraw(&ident)),
            ident,
            ty: field.ty.clone(),
            when_missing,
            catch_all: serde.flatten,
        });
    }
    let catch_alls = out.iter().filter(|f| f.catch_all).count();
    let catch_all_is_a_map = out
        .iter()
        .filter(|f| f.catch_all)
        .all(|f| is_string_map(&f.ty));
    (catch_alls <= 1 && catch_all_is_a_map).then_some(out)
}

/// The name serde gives a field without `rename`: its identifier, without `r#`.
fn unraw(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map_or(text.clone(), str::to_owned)
}

/// A map keyed by strings that a catch-all can collect into (`serde_json::Map<String, _>`,
/// `HashMap<String, _>`, `BTreeMap<String, _>`).
fn is_string_map(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    ["Map", "HashMap", "BTreeMap"]
        .iter()
        .any(|name| last.ident == name)
        && matches!(
            &last.arguments,
            syn::PathArguments::AngleBracketed(args)
                if matches!(args.args.first(), Some(syn::GenericArgument::Type(syn::Type::Path(key)))
                    if key.path.segments.last().is_some_and(|s| s.ident == "String"))
        )
}

/// What a field's `#[serde(...)]` attributes say about reading it.
#[derive(Default)]
struct SerdeAttrs {
    rename: Option<String>,
    default: bool,
    flatten: bool,
    /// `deserialize_with = "::std::option::Option::deserialize"`: typify's required nullable field.
    required_nullable: bool,
}

/// `None` for an attribute this pass does not read the way serde does. Read from the
/// attributes' tokens: every form it understands is a word or `word = "literal"`, and
/// anything else keeps the derive.
fn serde_attrs(attrs: &[Attribute]) -> Option<SerdeAttrs> {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let syn::Meta::List(list) = &attr.meta else {
            return None;
        };
        for entry in list_entries(list.tokens.clone()) {
            match &entry[..] {
                [TokenTree::Ident(key)] if key == "default" => out.default = true,
                [TokenTree::Ident(key)] if key == "flatten" => out.flatten = true,
                [
                    TokenTree::Ident(key),
                    TokenTree::Punct(eq),
                    TokenTree::Literal(value),
                ] if eq.as_char() == '=' => {
                    let syn::Lit::Str(value) = syn::Lit::new(value.clone()) else {
                        return None;
                    };
                    if key == "rename" {
                        out.rename = Some(value.value());
                    } else if key == "deserialize_with" {
                        // Writing only: `skip_serializing_if`, `serialize_with`.
                        let path = value.parse::<syn::Path>().ok()?;
                        let names: Vec<String> =
                            path.segments.iter().map(|s| s.ident.to_string()).collect();
                        if names != ["std", "option", "Option", "deserialize"] {
                            return None;
                        }
                        out.required_nullable = true;
                    } else if key != "skip_serializing_if" && key != "serialize_with" {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }
    Some(out)
}

/// The call of `crate::de::deserialize_struct!` standing for the derive, after the struct
/// and under the same `cfg`s: one line per field, `name[index]: Type = "wire" required` (or
/// `optional`), and the catch-all last as `.. name: Type`.
fn deserialize_impl(item: &ItemStruct, fields: &[FieldRead]) -> Item {
    let name = &item.ident;
    let cfgs = item.attrs.iter().filter(|a| a.path().is_ident("cfg"));
    let named = fields
        .iter()
        .filter(|f| !f.catch_all)
        .enumerate()
        .map(|(index, field)| {
            let FieldRead {
                ident, ty, wire, ..
            } = field;
            let missing = match field.when_missing {
                Missing::Default => quote!(optional),
                Missing::Refused => quote!(required),
            };
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote!(#ident[#index]: #ty = #wire #missing,)
        });
    let rest = fields.iter().find(|f| f.catch_all).map(|field| {
        let FieldRead { ident, ty, .. } = field;
        quote!(.. #ident: #ty)
    });
    thread_local! {
        static CALL: Template<Item> = Template::new(syn::parse_quote!(crate::de::deserialize_struct! { __BODY }));
    }
    let mut call = CALL.with(|call| {
        call.fill(&mut [("__BODY", Fill::Tokens(quote!(#name { #(#named)* #rest })))])
    });
    if let Item::Macro(call) = &mut call {
        call.attrs.extend(cfgs.cloned());
    }
    call
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    fn rewritten(source: &str) -> String {
        let mut file = parse_file(source);
        deserialize_impls(&mut file);
        pretty(&file)
    }

    #[test]
    fn a_struct_reads_its_keys_through_one_map_visitor() {
        let out = rewritten(
            r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Policy {
                    #[serde(rename = "planName")]
                    pub plan_name: ::std::string::String,
                    #[serde(rename = "endDate", skip_serializing_if = "::std::option::Option::is_none")]
                    pub end_date: ::std::option::Option<::std::string::String>,
                    #[serde(rename = "closedAt", deserialize_with = "::std::option::Option::deserialize")]
                    pub closed_at: ::std::option::Option<::std::string::String>,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub members: ::std::vec::Vec<::std::string::String>,
                    pub r#type: ::std::string::String,
                }
            }"#,
        );
        assert!(
            has(
                &out,
                "#[derive(::serde::Serialize, Clone, Debug)] pub struct Policy"
            ),
            "{out}"
        );
        // Required, optional, required nullable, defaulted; `r#type` is `type` on the wire.
        assert!(
            has(
                &out,
                r#"crate::de::deserialize_struct! { Policy {
                    plan_name[0]: ::std::string::String = "planName" required,
                    end_date[1]: ::std::option::Option<::std::string::String> = "endDate" optional,
                    closed_at[2]: ::std::option::Option<::std::string::String> = "closedAt" required,
                    members[3]: ::std::vec::Vec<::std::string::String> = "members" optional,
                    r#type[4]: ::std::string::String = "type" required,
                } }"#
            ),
            "{out}"
        );
    }

    #[test]
    fn a_catch_all_keeps_the_keys_the_struct_does_not_name() {
        let out = rewritten(
            r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[cfg(feature = "mock")]
                pub struct Page {
                    pub total: i64,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            }"#,
        );
        assert!(
            has(
                &out,
                r#"#[cfg(feature = "mock")] crate::de::deserialize_struct! { Page {
                    total[0]: i64 = "total" required,
                    .. extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>
                } }"#
            ),
            "{out}"
        );
    }

    #[test]
    fn what_the_pass_does_not_read_keeps_the_derive() {
        let out = rewritten(
            r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Aliased {
                    #[serde(alias = "old")]
                    pub name: ::std::string::String,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(deny_unknown_fields)]
                pub struct Strict { pub name: ::std::string::String }
                #[derive(::serde::Deserialize)]
                pub struct ReadOnly { pub name: ::std::string::String }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Wrapper(pub ::std::string::String);
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum Kind { A, B }
            }"#,
        );
        assert!(!out.contains("deserialize_struct!"), "{out}");
        assert_eq!(out.matches("::serde::Deserialize").count(), 5, "{out}");
    }
}
