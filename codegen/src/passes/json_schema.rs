//! Pass: under the client crate's `schemars` feature, every type of `types` implements
//! `schemars::JsonSchema`, with what the document says about it.
//!
//! The schema describes the JSON a value of the type serialises to, which is what the document
//! allows: the document's `required` list, no `null` where the document does not allow it, the
//! string limits and patterns the type enforces, item limits, documented enum values only (an
//! `Unrecognized` value cannot be serialised), and `x-personal-data` kept as an annotation.
//! Everything sits behind `cfg_attr`, so the default build derives nothing.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{Attribute, Fields, Item};

use super::template::{Fill, Template, list_attribute};
use super::{Positions, derives, field_names, generic_arg, module_items, option_inner};
use crate::plan::{CATCH_ALL, Plan, PropertyFacts};

pub fn json_schema(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let mut described = Vec::new();
    let mut open_enums = Vec::new();
    for item in types.iter_mut() {
        match item {
            Item::Struct(s) if is_data(&s.attrs) => {
                s.attrs.push(derive());
                if is_newtype(s) {
                    // A newtype is a constrained string: shown in place, not as a definition,
                    // and described by the field that holds it (typify's doc is its name).
                    s.attrs.push(schemars(quote!(inline, description = "")));
                } else {
                    described.push(s.ident.clone());
                }
            }
            Item::Enum(e) if is_data(&e.attrs) => {
                if is_open_string_enum(e) {
                    open_enums.push(documented_values_only(e));
                } else {
                    e.attrs.push(derive());
                }
                described.push(e.ident.clone());
            }
            _ => {}
        }
    }
    types.extend(open_enums);

    let positions = Positions::of(types);
    for (type_name, object) in &plan.objects {
        let item = positions.struct_named(types, type_name).ok_or_else(|| {
            format!("object `{type_name}` of the document is not in the generated types")
        })?;
        let personal = plan.personal_fields.get(type_name);
        let limits = plan.item_limits.get(type_name);
        // Requests are strict: their schemas carry the string limits the client checks.
        let requested = !plan.received_only.contains(type_name);
        let names: BTreeMap<String, syn::Ident> = field_names(item).into_iter().collect();
        let Fields::Named(named) = &mut item.fields else {
            return Err(format!("`{type_name}` has no named fields"));
        };
        for (wire, facts) in &object.properties {
            let ident = names.get(wire).ok_or_else(|| {
                format!("property `{wire}` of `{type_name}` is not a field of the generated type")
            })?;
            let field = named
                .named
                .iter_mut()
                .find(|f| f.ident.as_ref() == Some(ident))
                .expect("named field");
            let mut metas = Vec::new();
            if let Some(inner) = option_inner(&field.ty).filter(|_| !facts.nullable) {
                // `Option` admits `null`; the document does not: describe the value alone.
                let path = inner.to_token_stream().to_string().replace(' ', "");
                metas.push(quote!(with = #path));
            }
            if let Some((min, max)) = limits.and_then(|l| l.get(wire)) {
                metas.extend(length(*min, *max));
            } else if requested && holds_text(&field.ty) {
                metas.extend(string_limits(facts));
            }
            if personal.is_some_and(|p| p.contains(wire)) {
                metas.push(quote!(extend("x-personal-data" = true)));
            }
            if !metas.is_empty() {
                field.attrs.push(schemars(quote!(#(#metas),*)));
            }
        }
        // The document's list, also where it is empty: schemars would count a field whose
        // `Option` is described as its value (above) as required.
        let required = &object.required;
        item.attrs
            .push(schemars(quote!(extend("required" = [#(#required),*]))));
        if personal.is_some_and(|p| p.contains(CATCH_ALL)) {
            item.attrs.push(schemars(
                quote!(extend("additionalProperties" = {"x-personal-data": true})),
            ));
        }
    }

    types.push(syn::parse_quote! {
        /// A JSON Schema document (draft 2020-12) whose `$defs` hold every type of this module,
        /// under its name (feature `schemars`).
        #[cfg(feature = "schemars")]
        pub fn json_schema() -> ::schemars::Schema {
            let mut generator = ::schemars::SchemaGenerator::default();
            #(generator.subschema_for::<#described>();)*
            let definitions = generator.take_definitions(true);
            ::schemars::json_schema!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$defs": definitions,
            })
        }
    });
    Ok(())
}

/// The schema of an enum opened by `open_enums`: its documented values. `Unrecognized` holds
/// what the service may add, cannot be serialised, and is left out. (schemars' derive cannot
/// skip a variant that has `serialize_with`.)
pub(crate) fn documented_values_only(e: &syn::ItemEnum) -> Item {
    let (description, values) = documented_values(e);
    let mut schema = documented_values_schema(&e.ident, &description, &values);
    if let Item::Impl(block) = &mut schema {
        block
            .attrs
            .push(list_attribute("cfg", quote!(feature = "schemars")));
    }
    schema
}

/// An open enum's description (its doc comment) and documented values.
pub(crate) fn documented_values(e: &syn::ItemEnum) -> (String, Vec<String>) {
    let values: Vec<String> = e
        .variants
        .iter()
        .filter(|v| v.ident != "Unrecognized")
        .map(variant_wire_name)
        .collect();
    let description: Vec<String> = e
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    (description.join("\n").trim().to_owned(), values)
}

/// The `JsonSchema` of an open enum, without its `cfg`: what the runtime's
/// `string_enum_schema!` expands to. Copied from a template parsed once per thread: this pass
/// writes one per open enum, `string_enums` and the public-API listing build it again.
pub(crate) fn documented_values_schema(
    name: &syn::Ident,
    description: &str,
    values: &[String],
) -> Item {
    thread_local! {
        static SCHEMA: Template<Item> = Template::new(syn::parse_quote! {
            impl ::schemars::JsonSchema for __TYPE {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::stringify!(__TYPE).into()
                }
                fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    ::schemars::json_schema!(__SCHEMA)
                }
            }
        });
    }
    let schema = quote!({
        "description": #description,
        "type": "string",
        "enum": [#(#values),*],
    });
    SCHEMA.with(|template| {
        template.fill(&mut [
            ("__TYPE", Fill::Ident(name.clone())),
            ("__SCHEMA", Fill::Tokens(schema)),
        ])
    })
}

/// A string enum `open_enums` gave an `Unrecognized(String)` variant: every other variant is
/// a unit variant.
fn is_open_string_enum(e: &syn::ItemEnum) -> bool {
    let (unrecognized, documented): (Vec<_>, Vec<_>) =
        e.variants.iter().partition(|v| v.ident == "Unrecognized");
    !unrecognized.is_empty() && documented.iter().all(|v| matches!(v.fields, Fields::Unit))
}

/// The name a unit variant has on the wire: its `#[serde(rename = "...")]`, or its identifier.
fn variant_wire_name(variant: &syn::Variant) -> String {
    super::serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string())
}

/// A type serde reads or writes (typify's builders and errors are neither).
fn is_data(attrs: &[Attribute]) -> bool {
    derives(attrs, "Serialize") || derives(attrs, "Deserialize")
}

fn is_newtype(item: &syn::ItemStruct) -> bool {
    matches!(&item.fields, Fields::Unnamed(f) if f.unnamed.len() == 1)
}

/// Whether a field holds a `String` (a `Personal` one too) or a uuid (through `Option` and
/// `Patch`), whose limits the client checks where the request is assembled.
fn holds_text(ty: &syn::Type) -> bool {
    let ty = option_inner(ty)
        .or_else(|| generic_arg(ty, "Patch"))
        .unwrap_or(ty);
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| ["String", "Personal", "Uuid"].iter().any(|t| s.ident == t)),
        _ => false,
    }
}

/// `length(..)` and `regex(pattern = ..)` of a string's limits.
fn string_limits(facts: &PropertyFacts) -> Vec<TokenStream> {
    let mut metas: Vec<TokenStream> = length(facts.min_length, facts.max_length)
        .into_iter()
        .collect();
    if let Some(pattern) = &facts.pattern {
        metas.push(quote!(regex(pattern = #pattern)));
    }
    metas
}

/// `length(min = .., max = ..)` (string length or item count), when there is a bound.
fn length(min: Option<u64>, max: Option<u64>) -> Option<TokenStream> {
    let bounds: Vec<TokenStream> = [("min", min), ("max", max)]
        .into_iter()
        .filter_map(|(name, bound)| {
            let (name, bound) = (format_ident!("{name}"), Literal::u64_unsuffixed(bound?));
            Some(quote!(#name = #bound))
        })
        .collect();
    (!bounds.is_empty()).then(|| quote!(length(#(#bounds),*)))
}

fn derive() -> Attribute {
    list_attribute(
        "cfg_attr",
        quote!(feature = "schemars", derive(::schemars::JsonSchema)),
    )
}

fn schemars(metas: TokenStream) -> Attribute {
    list_attribute("cfg_attr", quote!(feature = "schemars", schemars(#metas)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};
    use crate::plan::ObjectFacts;

    const TYPES: &str = r#"
        pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Provider {
                #[serde(rename = "providerType")]
                pub provider_type: ProviderType,
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub npi: ::std::option::Option<::std::string::String>,
                #[serde(default, skip_serializing_if = "crate::Patch::is_absent")]
                pub notes: crate::Patch<crate::Personal>,
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
            #[derive(::serde::Serialize, Clone)]
            #[serde(transparent)]
            pub struct ProviderNpi(::std::string::String);
            ///The kind of provider.
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub enum ProviderType {
                Specialist,
                #[serde(rename = "Primary Care")]
                PrimaryCare,
                #[serde(untagged, serialize_with = "crate::runtime::refuse_unknown_value")]
                Unrecognized(::std::string::String),
            }
            #[derive(::serde::Serialize, Clone, Debug)]
            pub enum Shape { Circle { radius: f64 } }
            pub mod builder {
                #[derive(Clone, Debug)]
                pub struct Provider { provider_type: Result<super::ProviderType, String> }
            }
        }
    "#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let facts = |nullable, max_length, pattern: Option<&str>| PropertyFacts {
            nullable,
            max_length,
            pattern: pattern.map(str::to_owned),
            ..PropertyFacts::default()
        };
        let properties = [
            ("providerType".to_string(), facts(false, None, None)),
            ("npi".to_string(), facts(false, Some(50), Some("^[0-9]+$"))),
            ("notes".to_string(), facts(true, Some(1000), None)),
            ("tags".to_string(), facts(true, None, None)),
        ];
        plan.objects.insert(
            "Provider".into(),
            ObjectFacts {
                required: vec!["providerType".into()],
                properties: properties.into(),
            },
        );
        plan.personal_fields.insert(
            "Provider".into(),
            ["notes".to_string(), CATCH_ALL.to_string()].into(),
        );
        plan.item_limits.insert(
            "Provider".into(),
            [("tags".to_string(), (Some(1), Some(5)))].into(),
        );
        plan
    }

    fn run() -> String {
        let mut file = parse_file(TYPES);
        json_schema(&mut file, &plan()).unwrap();
        pretty(&file)
    }

    #[test]
    fn data_types_derive_json_schema_behind_the_feature_builders_do_not() {
        let out = run();
        assert_eq!(
            out.matches(r#"#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]"#)
                .count(),
            3,
            "{out}"
        );
        assert!(
            !has(&out, "impl ::schemars::JsonSchema for Shape"),
            "an enum with data derives: {out}"
        );
        assert!(
            has(
                &out,
                r#"#[cfg_attr(feature = "schemars", schemars(inline, description = ""))] pub struct ProviderNpi"#
            ),
            "{out}"
        );
        assert!(
            has(&out, "pub fn json_schema() -> ::schemars::Schema"),
            "{out}"
        );
        assert!(
            has(
                &out,
                "generator.subschema_for::<Provider>(); generator.subschema_for::<ProviderType>();"
            ),
            "{out}"
        );
        assert!(
            !has(&out, "subschema_for::<ProviderNpi>"),
            "newtypes are inlined: {out}"
        );
    }

    #[test]
    fn the_document_facts_become_schemars_attributes() {
        let out = run();
        assert!(
            has(&out, r#"schemars(extend("required" = ["providerType"]))"#),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"schemars(extend("additionalProperties" = { "x-personal-data" : true }))"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"schemars(with = "::std::string::String", length(max = 50), regex(pattern = "^[0-9]+$")))] pub npi"#
            ),
            "not nullable, with the string limits of a request: {out}"
        );
        assert!(
            has(
                &out,
                r#"schemars(length(max = 1000), extend("x-personal-data" = true)))] pub notes"#
            ),
            "through Patch: {out}"
        );
        assert!(
            has(&out, r#"schemars(length(min = 1, max = 5)))] pub tags"#),
            "{out}"
        );
    }

    #[test]
    fn a_response_type_has_no_string_limits() {
        let mut plan = plan();
        plan.received_only.insert("Provider".into());
        let mut file = parse_file(TYPES);
        json_schema(&mut file, &plan).unwrap();
        let out = pretty(&file);
        assert!(!out.contains("max = 50") && !out.contains("regex"), "{out}");
        assert!(
            has(&out, r#"schemars(length(min = 1, max = 5)))] pub tags"#),
            "item limits stay: {out}"
        );
    }

    #[test]
    fn open_enums_list_their_documented_values_only() {
        let out = run();
        assert!(
            has(
                &out,
                "#[cfg(feature = \"schemars\")] impl ::schemars::JsonSchema for ProviderType"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#""description": "The kind of provider.", "type": "string", "enum": ["Specialist", "Primary Care"]"#
            ),
            "{out}"
        );
    }

    #[test]
    fn a_document_object_missing_from_the_code_is_an_error() {
        let mut plan = plan();
        plan.objects.insert("Nope".into(), ObjectFacts::default());
        let error = json_schema(&mut parse_file(TYPES), &plan).unwrap_err();
        assert!(error.contains("`Nope`"), "{error}");
    }
}
