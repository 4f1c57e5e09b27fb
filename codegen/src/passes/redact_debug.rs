//! Pass: `Debug` never shows personal data.
//!
//! Fields marked `x-personal-data: true` in the document print `<redacted>` in the `Debug`
//! output of their type, of that type's builder, and of the newtype that holds the value (for
//! example a length-checked `ssn` string), so logging a request or response leaks nothing.

use std::collections::BTreeSet;

use syn::{Expr, Fields, Item, ItemStruct};

use super::template::{Fill, Template};
use super::{
    Positions, field_names, generic_arg, has_serde_flag, module_items, option_inner,
    plain_type_name, remove_derive,
};
use crate::plan::{CATCH_ALL, Plan};

pub fn redact_debug(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let code = DebugCode::new();
    let mut newtypes = BTreeSet::new();
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let type_positions = Positions::of(types);
    let builder_positions =
        module_items(types, &["builder"]).map(|builders| Positions::of(builders));
    for (type_name, wire_names) in &plan.personal_fields {
        let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
        let item = type_positions
            .struct_named(types, type_name)
            .ok_or_else(|| {
                format!("type `{type_name}` with personal data is not in the generated types")
            })?;
        let personal = personal_fields(item, wire_names);
        newtypes.extend(value_types(item, &personal));
        if let Some(debug) = redacted_debug_call(&code, item, &personal) {
            types.push(debug);
        }
        if let Some(builders) = type_positions.module(types, "builder")
            && let Some(builder) = builder_positions
                .as_ref()
                .and_then(|p| p.struct_named(builders, type_name))
            && let Some(debug) = redacted_debug(&code, builder, &personal)
        {
            builders.push(debug);
        }
    }
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    for name in newtypes {
        if let Some(newtype) = type_positions.struct_named(types, &name)
            && let Some(debug) = redacted_debug(&code, newtype, &BTreeSet::new())
        {
            types.push(debug);
        }
    }
    Ok(())
}

/// The identifiers of the fields of `item` whose `Debug` is `<redacted>`: those of the
/// `wire_names` the plan lists as personal, and its catch-all when the plan lists that.
pub(super) fn personal_fields(
    item: &ItemStruct,
    wire_names: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut personal: BTreeSet<String> = field_names(item)
        .into_iter()
        .filter(|(wire, _)| wire_names.contains(wire))
        .map(|(_, ident)| ident.to_string())
        .collect();
    if wire_names.contains(CATCH_ALL) {
        personal.extend(flattened_fields(item));
    }
    personal
}

/// The path the generated code calls the macro by.
const MACRO: &str = "redacted_debug";

/// Replaces the derived `Debug` of a struct of `types` with one call of the runtime's
/// `redacted_debug!`, which prints `<redacted>` for the named fields; a struct without named
/// fields gets the impl written out ([`redacted_debug`]). Returns the new item.
fn redacted_debug_call(
    code: &DebugCode,
    item: &mut ItemStruct,
    personal: &BTreeSet<String>,
) -> Option<Item> {
    let Fields::Named(fields) = &item.fields else {
        return redacted_debug(code, item, personal);
    };
    let (idents, hows): (Vec<&syn::Ident>, Vec<syn::Ident>) = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .map(|ident| (ident, how(personal.contains(&ident.to_string()))))
        .unzip();
    if !remove_derive(&mut item.attrs, "Debug") {
        return None;
    }
    let name = &item.ident;
    Some(syn::parse_quote!(crate::redact::redacted_debug!(#name { #(#idents: #hows),* });))
}

/// The function of `crate::redact` a field's value goes through in `Debug`.
fn how(personal: bool) -> syn::Ident {
    quote::format_ident!("{}", if personal { "redacted" } else { "shown" })
}

/// The impl a call of `redacted_debug!` stands for: each field through `crate::redact::shown`
/// or `crate::redact::redacted`.
pub fn debug_impl(name: &syn::Ident, fields: &[(syn::Ident, syn::Ident)]) -> Item {
    let (idents, hows): (Vec<_>, Vec<_>) = fields.iter().cloned().unzip();
    syn::parse_quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!(#name))
                    #(.field(stringify!(#idents), crate::redact::#hows(&self.#idents)))*
                    .finish()
            }
        }
    }
}

/// The items a call of the macro stands for, or `None` when `item` is no such call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let (name, fields) = super::named_call(item, MACRO, |field| {
        let ident = syn::ext::IdentExt::parse_any(field)?;
        field.parse::<syn::Token![:]>()?;
        Ok((ident, field.parse::<syn::Ident>()?))
    })?;
    Some(vec![debug_impl(&name, &fields)])
}

/// Replaces the derived `Debug` of `item` with one that prints `<redacted>` for the named
/// fields, and for every field of a tuple struct. Returns the new impl.
fn redacted_debug(
    code: &DebugCode,
    item: &mut ItemStruct,
    personal: &BTreeSet<String>,
) -> Option<Item> {
    if !remove_derive(&mut item.attrs, "Debug") {
        return None;
    }
    let label = item.ident.to_string();
    let body =
        match &item.fields {
            Fields::Named(fields) => {
                let start = code.debug_struct.fill(&mut [("__LABEL", Fill::Str(label))]);
                let chain = fields.named.iter().filter_map(|f| f.ident.as_ref()).fold(
                    start,
                    |chain, ident| {
                        let name = ident.to_string();
                        let field = if personal.contains(&name) {
                            &code.redacted_field
                        } else {
                            &code.field
                        };
                        field.fill(&mut [
                            ("__CHAIN", Fill::expr(chain)),
                            ("__NAME", Fill::Str(name)),
                            ("__FIELD", Fill::Ident(ident.clone())),
                        ])
                    },
                );
                code.finish.fill(&mut [("__CHAIN", Fill::expr(chain))])
            }
            Fields::Unnamed(fields) => {
                let start = code.debug_tuple.fill(&mut [("__LABEL", Fill::Str(label))]);
                let chain = fields.unnamed.iter().fold(start, |chain, _| {
                    code.redacted_item
                        .fill(&mut [("__CHAIN", Fill::expr(chain))])
                });
                code.finish.fill(&mut [("__CHAIN", Fill::expr(chain))])
            }
            Fields::Unit => code.write_label.fill(&mut [("__LABEL", Fill::Str(label))]),
        };
    Some(code.debug_impl.fill(&mut [
        ("__TYPE", Fill::Ident(item.ident.clone())),
        ("__BODY", Fill::expr(body)),
    ]))
}

/// The pieces of a redacted `Debug` impl, parsed once per pass.
struct DebugCode {
    debug_impl: Template<Item>,
    debug_struct: Template<Expr>,
    field: Template<Expr>,
    redacted_field: Template<Expr>,
    debug_tuple: Template<Expr>,
    redacted_item: Template<Expr>,
    finish: Template<Expr>,
    write_label: Template<Expr>,
}

impl DebugCode {
    fn new() -> Self {
        DebugCode {
            debug_impl: Template::new(syn::parse_quote! {
                impl ::std::fmt::Debug for __TYPE {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        __BODY
                    }
                }
            }),
            debug_struct: Template::new(syn::parse_quote!(f.debug_struct("__LABEL"))),
            field: Template::new(syn::parse_quote!(__CHAIN.field("__NAME", &self.__FIELD))),
            redacted_field: Template::new(syn::parse_quote!(
                __CHAIN.field("__NAME", &crate::redact::Redacted)
            )),
            debug_tuple: Template::new(syn::parse_quote!(f.debug_tuple("__LABEL"))),
            redacted_item: Template::new(syn::parse_quote!(
                __CHAIN.field(&crate::redact::Redacted)
            )),
            finish: Template::new(syn::parse_quote!(__CHAIN.finish())),
            write_label: Template::new(syn::parse_quote!(f.write_str("__LABEL"))),
        }
    }
}

/// The `#[serde(flatten)]` fields of a struct: where typify keeps unnamed properties.
fn flattened_fields(item: &ItemStruct) -> Vec<String> {
    let Fields::Named(fields) = &item.fields else {
        return Vec::new();
    };
    fields
        .named
        .iter()
        .filter(|f| has_serde_flag(&f.attrs, "flatten"))
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect()
}

/// Names of the local types that hold the personal fields' values (inside Option or Patch).
fn value_types(item: &ItemStruct, personal: &BTreeSet<String>) -> Vec<String> {
    let Fields::Named(fields) = &item.fields else {
        return Vec::new();
    };
    fields
        .named
        .iter()
        .filter(|f| {
            f.ident
                .as_ref()
                .is_some_and(|i| personal.contains(&i.to_string()))
        })
        .filter_map(|f| {
            let ty = option_inner(&f.ty)
                .or_else(|| generic_arg(&f.ty, "Patch"))
                .unwrap_or(&f.ty);
            plain_type_name(ty).map(ToString::to_string)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    /// The file with each macro call of `types` replaced by the items it stands for.
    fn expanded(file: &syn::File) -> String {
        let mut file = file.clone();
        let types = module_items(&mut file.items, &["types"]).unwrap();
        *types = std::mem::take(types)
            .into_iter()
            .flat_map(|item| crate::passes::macro_expansion(&item).unwrap_or_else(|| vec![item]))
            .collect();
        pretty(&file)
    }

    const TYPES: &str = r#"
        pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Dependent {
                pub id: ::uuid::Uuid,
                pub ssn: ::std::option::Option<DependentSsn>,
            }
            #[derive(::serde::Serialize, Clone, Debug, Eq, PartialEq)]
            #[serde(transparent)]
            pub struct DependentSsn(::std::string::String);
            pub mod builder {
                #[derive(Clone, Debug)]
                pub struct Dependent {
                    id: ::std::result::Result<::uuid::Uuid, ::std::string::String>,
                    ssn: ::std::result::Result<::std::option::Option<super::DependentSsn>, ::std::string::String>,
                }
            }
        }
    "#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        plan.personal_fields
            .insert("Dependent".into(), ["ssn".to_string()].into());
        plan
    }

    #[test]
    fn personal_fields_print_redacted_in_the_type_its_builder_and_its_newtype() {
        let mut file = parse_file(TYPES);
        redact_debug(&mut file, &plan()).unwrap();
        assert!(
            has(
                &pretty(&file),
                "crate::redact::redacted_debug!(Dependent { id: shown, ssn: redacted });"
            ),
            "{}",
            pretty(&file)
        );
        let out = expanded(&file);
        assert_eq!(
            out.matches("impl ::std::fmt::Debug for Dependent {")
                .count(),
            2,
            "{out}"
        );
        assert!(
            has(
                &out,
                r#".field(stringify!(ssn), crate::redact::redacted(&self.ssn))"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#".field(stringify!(id), crate::redact::shown(&self.id))"#
            ),
            "{out}"
        );
        assert!(
            has(&out, r#".field("ssn", &crate::redact::Redacted)"#),
            "the builder's: {out}"
        );
        assert!(
            has(&out, r#".field("id", &self.id)"#),
            "the builder's: {out}"
        );
        assert!(
            has(&out, "impl ::std::fmt::Debug for DependentSsn"),
            "{out}"
        );
        assert!(!has(&out, "Clone, Debug"), "derived Debug is gone: {out}");
    }

    #[test]
    fn a_personal_catch_all_prints_redacted() {
        let mut file = parse_file(
            r#"pub mod types {
                #[derive(Clone, Debug)]
                pub struct Customer {
                    pub id: ::uuid::Uuid,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            }"#,
        );
        let mut plan = Plan::default();
        plan.personal_fields
            .insert("Customer".into(), [CATCH_ALL.to_string()].into());
        redact_debug(&mut file, &plan).unwrap();
        let out = expanded(&file);
        assert!(
            has(
                &out,
                r#".field(stringify!(extra), crate::redact::redacted(&self.extra))"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#".field(stringify!(id), crate::redact::shown(&self.id))"#
            ),
            "{out}"
        );
    }

    #[test]
    fn a_plan_naming_a_missing_type_is_an_error() {
        let mut plan = Plan::default();
        plan.personal_fields
            .insert("Nope".into(), ["ssn".to_string()].into());
        assert!(
            redact_debug(&mut parse_file(TYPES), &plan)
                .unwrap_err()
                .contains("Nope")
        );
    }

    /// The client crate's `macro_rules!` expands to exactly [`debug_impl`].
    #[test]
    fn the_runtime_macro_is_the_pass_impl() {
        use quote::ToTokens;
        let name: syn::Ident = syn::parse_quote!(Example);
        let fields: Vec<(syn::Ident, syn::Ident)> = vec![
            (syn::parse_quote!(id), how(false)),
            (syn::parse_quote!(ssn), how(true)),
        ];
        let source = include_str!("../../../generated-client/src/redact.rs");
        let body = crate::passes::expand_runtime_macro_repeated(
            source,
            MACRO,
            &[("name", name.to_token_stream())],
            &[
                (
                    "field",
                    fields.iter().map(|(f, _)| f.to_token_stream()).collect(),
                ),
                (
                    "how",
                    fields.iter().map(|(_, h)| h.to_token_stream()).collect(),
                ),
            ],
        );
        let expanded: syn::File = syn::parse2(body).unwrap();
        let tokens = crate::passes::string_newtypes::tokens;
        assert_eq!(
            expanded.items.iter().map(tokens).collect::<Vec<_>>(),
            vec![tokens(&debug_impl(&name, &fields))]
        );
    }
}
