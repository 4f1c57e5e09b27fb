//! Pass: the serde attributes of `types` say the same in fewer words.
//!
//! typify renames each field on its own (`#[serde(rename = "agentName")]`) and skips an absent
//! `Option` through `"::std::option::Option::is_none"`, so most fields carry a four-line
//! attribute. When serde's `camelCase` rule gives most fields' wire names from their
//! identifiers, the struct gets `#[serde(rename_all = "camelCase")]` and those fields lose
//! their `rename` (a field the rule would name otherwise gets or keeps its own, which serde
//! prefers); an absent `Option` is skipped through `crate::wire::is_none`. The wire names and
//! the JSON Schemas (schemars reads serde's attributes) stay the same.
//!
//! Other passes read the per-field renames (`passes::wire_name`), so this one runs last.

use proc_macro2::{Literal, TokenTree};
use quote::quote;
use syn::{Attribute, Fields, Item, ItemStruct, Meta};

use super::template::list_attribute;
use super::{derives, joined_entries, list_entries, module_items, serde_entries};

/// The function an absent `Option` is skipped through, and the path typify writes.
const IS_NONE: &str = "crate::wire::is_none";
const TYPIFY_IS_NONE: &str = "::std::option::Option::is_none";

/// One entry of a `#[serde(..)]` list, as tokens: serde attributes are read and edited as
/// tokens (parsing each as `Meta`s and back cost more than the rest of the pass).
type Entry = Vec<TokenTree>;

pub fn serde_attributes(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    for item in types.iter_mut() {
        if let Item::Struct(s) = item
            && (derives(&s.attrs, "Serialize") || derives(&s.attrs, "Deserialize"))
        {
            shorten_skips(s);
            rename_all_camel_case(s);
        }
    }
}

/// `skip_serializing_if` through typify's `Option::is_none` becomes `crate::wire::is_none`.
fn shorten_skips(item: &mut ItemStruct) {
    for field in item.fields.iter_mut() {
        edit_serde_entries(&mut field.attrs, |entries| {
            for entry in entries.iter_mut() {
                if let [
                    TokenTree::Ident(key),
                    TokenTree::Punct(eq),
                    TokenTree::Literal(value),
                ] = &mut entry[..]
                    && key == "skip_serializing_if"
                    && eq.as_char() == '='
                    && is_typify_is_none(value)
                {
                    *value = Literal::string(IS_NONE);
                }
            }
        });
    }
}

/// Whether a literal is the string of typify's `Option::is_none` path (compared as paths).
fn is_typify_is_none(value: &Literal) -> bool {
    let syn::Lit::Str(text) = syn::Lit::new(value.clone()) else {
        return false;
    };
    let text = text.value();
    text == TYPIFY_IS_NONE
        || syn::parse_str::<syn::Path>(&text)
            .is_ok_and(|path| Some(path) == syn::parse_str::<syn::Path>(TYPIFY_IS_NONE).ok())
}

/// Moves the fields' renames to one `rename_all = "camelCase"` when that removes more renames
/// than it adds.
fn rename_all_camel_case(item: &mut ItemStruct) {
    let Fields::Named(fields) = &item.fields else {
        return;
    };
    if has_container_rename(&item.attrs) {
        return;
    }
    // (identifier without `r#`, wire name, has its own rename) of each field.
    let mut names = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { return };
        let ident = syn::ext::IdentExt::unraw(ident).to_string();
        // serde's rule slices the first byte: only ASCII identifiers are safe to give it.
        if !ident.is_ascii() || ident.is_empty() {
            return;
        }
        let rename = own_rename(&field.attrs);
        names.push((
            ident.clone(),
            rename.clone().unwrap_or(ident),
            rename.is_some(),
        ));
    }
    let removed = names
        .iter()
        .filter(|(ident, wire, renamed)| *renamed && camel_case(ident) == *wire)
        .count();
    let added = names
        .iter()
        .filter(|(ident, wire, _)| camel_case(ident) != *wire && ident == wire)
        .count();
    if removed <= added {
        return;
    }
    for (field, (ident, wire, renamed)) in item.fields.iter_mut().zip(names) {
        if camel_case(&ident) == wire {
            if renamed {
                edit_serde_entries(&mut field.attrs, |entries| {
                    entries.retain(|entry| !is_rename(entry))
                });
            }
        } else if !renamed {
            let after_docs = field
                .attrs
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            field
                .attrs
                .insert(after_docs, list_attribute("serde", quote!(rename = #wire)));
        }
    }
    let position = item
        .attrs
        .iter()
        .position(|a| a.path().is_ident("derive"))
        .map_or(0, |i| i + 1);
    item.attrs.insert(
        position,
        list_attribute("serde", quote!(rename_all = "camelCase")),
    );
}

/// What serde's `rename_all = "camelCase"` makes of a field's identifier (`serde_derive`'s
/// `RenameRule::CamelCase`): each `_` dropped and the letter after it upper-cased, the first
/// character lower-cased.
fn camel_case(ident: &str) -> String {
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in ident.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

/// The field's `#[serde(rename = "..")]`.
fn own_rename(attrs: &[Attribute]) -> Option<String> {
    serde_entries(attrs)
        .into_iter()
        .find_map(|(key, value)| match syn::Lit::new(value?) {
            syn::Lit::Str(text) if key == "rename" => Some(text.value()),
            _ => None,
        })
}

/// Whether the struct renames itself or its fields already (`rename_all`, or serialization
/// and deserialization named apart, which one rule could not say).
fn has_container_rename(attrs: &[Attribute]) -> bool {
    serde_entries(attrs)
        .iter()
        .any(|(key, _)| key == "rename_all" || key == "rename_all_fields")
}

/// Whether an entry is `rename = ..`.
fn is_rename(entry: &Entry) -> bool {
    matches!(&entry[..], [TokenTree::Ident(key), TokenTree::Punct(eq), ..] if key == "rename" && eq.as_char() == '=')
}

/// Applies `edit` to the entries of each `#[serde(...)]`, written anew; one left empty is
/// removed.
fn edit_serde_entries(attrs: &mut Vec<Attribute>, mut edit: impl FnMut(&mut Vec<Entry>)) {
    attrs.retain_mut(|attr| {
        let Meta::List(list) = &attr.meta else {
            return true;
        };
        if !list.path.is_ident("serde") {
            return true;
        }
        let mut entries = list_entries(list.tokens.clone());
        edit(&mut entries);
        if entries.is_empty() {
            return false;
        }
        *attr = list_attribute("serde", joined_entries(entries));
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty, wire_name};

    fn run(source: &str) -> (syn::File, String) {
        let mut file = parse_file(source);
        serde_attributes(&mut file);
        let out = pretty(&file);
        (file, out)
    }

    #[test]
    fn camel_case_is_serdes_rule() {
        for (ident, camel) in [
            ("agent_name", "agentName"),
            ("address2", "address2"),
            ("npi", "npi"),
            ("date_of_birth", "dateOfBirth"),
            ("a_b_c", "aBC"),
            ("x__y", "xY"),
            ("_id", "id"),
            ("type", "type"),
        ] {
            assert_eq!(camel_case(ident), camel, "{ident}");
        }
    }

    #[test]
    fn renames_the_rule_gives_move_to_the_struct_and_others_stay() {
        let (file, out) = run(r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
                pub struct Customer {
                    #[serde(rename = "agentName", skip_serializing_if = "::std::option::Option::is_none")]
                    pub agent_name: ::std::option::Option<String>,
                    #[serde(rename = "dateOfBirth")]
                    pub date_of_birth: String,
                    pub city: String,
                    #[serde(rename = "NPI")]
                    pub npi: String,
                    pub snake_case: String,
                    #[serde(rename = "type")]
                    pub type_: String,
                }
            }"#);
        assert!(
            has(
                &out,
                r#"#[derive(::serde::Deserialize, ::serde::Serialize, Clone)] #[serde(rename_all = "camelCase")] pub struct Customer"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"#[serde(skip_serializing_if = "crate::wire::is_none")] pub agent_name"#
            ),
            "{out}"
        );
        assert!(
            !out.contains("dateOfBirth") && !out.contains("agentName"),
            "{out}"
        );
        assert!(has(&out, r#"#[serde(rename = "NPI")] pub npi"#), "{out}");
        assert!(
            has(&out, r#"#[serde(rename = "snake_case")] pub snake_case"#),
            "{out}"
        );
        assert!(
            has(&out, "pub snake_case: String, pub type_: String,"),
            "the rule names `type_` `type`: {out}"
        );
        // Each field's wire name under the struct's rule is what it was.
        let Item::Mod(m) = &file.items[0] else {
            unreachable!()
        };
        let Item::Struct(s) = &m.content.as_ref().unwrap().1[0] else {
            unreachable!()
        };
        let wire: Vec<String> = s
            .fields
            .iter()
            .map(|f| {
                if own_rename(&f.attrs).is_some() {
                    wire_name(f)
                } else {
                    camel_case(&f.ident.as_ref().unwrap().to_string())
                }
            })
            .collect();
        assert_eq!(
            wire,
            [
                "agentName",
                "dateOfBirth",
                "city",
                "NPI",
                "snake_case",
                "type"
            ]
        );
    }

    #[test]
    fn a_struct_the_rule_does_not_fit_keeps_its_renames() {
        let source = r#"pub mod types {
                #[derive(::serde::Serialize)]
                pub struct Row {
                    #[serde(rename = "rowId")]
                    pub row_id: String,
                    pub first_name: String,
                    pub last_name: String,
                }
                pub struct NotSerde {
                    #[serde(rename = "aB")]
                    pub a_b: String,
                }
            }"#;
        let (_, out) = run(source);
        assert_eq!(out, pretty(&parse_file(source)));
    }

    #[test]
    fn other_skips_and_flags_are_kept() {
        let (_, out) = run(r#"pub mod types {
                #[derive(::serde::Deserialize)]
                pub struct Body {
                    #[serde(rename = "someField", default, skip_serializing_if = "crate::Patch::is_absent")]
                    pub some_field: crate::Patch<String>,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<String, ::serde_json::Value>,
                }
            }"#);
        assert!(
            has(
                &out,
                r#"#[serde(default, skip_serializing_if = "crate::Patch::is_absent")] pub some_field"#
            ),
            "{out}"
        );
        assert!(has(&out, "#[serde(flatten)] pub extra"), "{out}");
    }
}
