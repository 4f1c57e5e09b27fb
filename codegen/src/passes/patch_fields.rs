//! Pass: nullable fields of PATCH bodies take three states, through `crate::Patch<T>`.
//!
//! typify makes an optional nullable field `Option<T>` that is skipped when `None`, so a PATCH
//! could never send `null` and a consumer could never clear a field. Here such a field becomes
//! `Patch<T>` (absent, `null`, or a value) in the body type, and its builder gains a
//! `clear_<field>()` method next to the setter, which now takes the value itself.

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use syn::{Fields, ImplItem, Item};

use super::template::{Fill, Template, list_attribute};
use super::{Positions, field_names, generic_arg, module_items, option_inner};
use crate::plan::Plan;

pub fn patch_fields(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let code = Code::new();
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let type_positions = Positions::of(types);
    let builder_positions =
        module_items(types, &["builder"]).map(|builders| Positions::of(builders));
    // A builder left as a placeholder (`deferred_builders`) gets its patch fields from the
    // struct's when `compact_builders` writes its call.
    let deferred: BTreeSet<String> = module_items(types, &["builder"])
        .map(|builders| {
            builders
                .iter()
                .filter_map(super::deferred_builders::deferred_name)
                .collect()
        })
        .unwrap_or_default();
    for (type_name, wire_names) in &plan.patch_fields {
        let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
        let body = type_positions
            .struct_named(types, type_name)
            .ok_or_else(|| {
                format!("PATCH body type `{type_name}` is not in the generated types")
            })?;
        let idents: BTreeSet<String> = field_names(body)
            .into_iter()
            .filter(|(wire, _)| wire_names.contains(wire))
            .map(|(_, ident)| ident.to_string())
            .collect();
        rewrite_body_struct(&code, body, &idents)?;
        let builders = type_positions
            .module(types, "builder")
            .ok_or("no `types::builder` module")?;
        let positions = builder_positions
            .as_ref()
            .ok_or("no `types::builder` module")?;
        if !deferred.contains(type_name) {
            rewrite_builder(&code, builders, positions, type_name, &idents)?;
        }
    }
    Ok(())
}

/// The code this pass writes for every field, parsed once per pass (parsing it for each field
/// cost more than the rest of the pass).
struct Code {
    /// `crate::Patch<T>`.
    patch: Template<syn::Type>,
    /// The builder's `Result<crate::Patch<T>, String>`.
    kept_patch: Template<syn::Type>,
    /// Stores `crate::Patch::Set(value)`.
    conversion: syn::Expr,
    clear: Template<syn::ImplItemFn>,
}

impl Code {
    fn new() -> Self {
        Code {
            patch: Template::new(syn::parse_quote!(crate::Patch<__INNER>)),
            kept_patch: Template::new(syn::parse_quote!(
                ::std::result::Result<crate::Patch<__INNER>, ::std::string::String>
            )),
            conversion: super::value_setters::wrapped_conversion(syn::parse_quote!(
                crate::Patch::Set
            )),
            clear: Template::new(syn::parse_quote! {
                #[doc = "__DOC"]
                pub fn __CLEAR(mut self) -> Self {
                    self.__FIELD = Ok(crate::Patch::Clear);
                    self
                }
            }),
        }
    }
}

fn rewrite_body_struct(
    code: &Code,
    body: &mut syn::ItemStruct,
    idents: &BTreeSet<String>,
) -> Result<(), String> {
    let Fields::Named(fields) = &mut body.fields else {
        return Err(format!("`{}` has no named fields", body.ident));
    };
    for field in fields.named.iter_mut() {
        let ident = field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !idents.contains(&ident) {
            continue;
        }
        let inner = option_inner(&field.ty)
            .ok_or_else(|| format!("`{}.{ident}` is not an Option", body.ident))?
            .clone();
        field.ty = code.patch.fill(&mut [("__INNER", Fill::Type(inner))]);
        let rename = field
            .attrs
            .iter()
            .find(|a| a.path().is_ident("serde"))
            .and_then(rename_of);
        field.attrs.retain(|a| !a.path().is_ident("serde"));
        field.attrs.push(match rename {
            Some(wire) => list_attribute(
                "serde",
                quote!(rename = #wire, default, skip_serializing_if = "crate::Patch::is_absent"),
            ),
            None => list_attribute(
                "serde",
                quote!(default, skip_serializing_if = "crate::Patch::is_absent"),
            ),
        });
    }
    Ok(())
}

fn rename_of(attr: &syn::Attribute) -> Option<syn::LitStr> {
    let mut rename = None;
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("rename") {
            rename = Some(meta.value()?.parse()?);
        } else if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        }
        Ok(())
    });
    rename
}

fn rewrite_builder(
    code: &Code,
    items: &mut [Item],
    positions: &Positions,
    type_name: &str,
    idents: &BTreeSet<String>,
) -> Result<(), String> {
    let builder = positions
        .struct_named(items, type_name)
        .ok_or_else(|| format!("PATCH body builder `{type_name}` is not in the generated types"))?;
    if let Fields::Named(fields) = &mut builder.fields {
        for field in fields.named.iter_mut() {
            let ident = field
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            if !idents.contains(&ident) {
                continue;
            }
            let inner = generic_arg(&field.ty, "Result")
                .and_then(option_inner)
                .ok_or_else(|| {
                    format!(
                        "builder field `{type_name}.{ident}` is not a Result<Option<T>, String>"
                    )
                })?
                .clone();
            field.ty = code.kept_patch.fill(&mut [("__INNER", Fill::Type(inner))]);
        }
    }
    for &index in positions.inherent_impls(type_name) {
        let Item::Impl(block) = &mut items[index] else {
            continue;
        };
        let mut clears = Vec::new();
        for impl_item in &mut block.items {
            let ImplItem::Fn(setter) = impl_item else {
                continue;
            };
            let name = setter.sig.ident.to_string();
            if idents.contains(&name) {
                super::value_setters::take_value(setter, &code.conversion)?;
                clears.push(ImplItem::Fn(code.clear.fill(&mut [
                    (
                        "__DOC",
                        Fill::Str(format!("Clears `{name}`: the request sends `null` for it.")),
                    ),
                    ("__CLEAR", Fill::Ident(format_ident!("clear_{}", name))),
                    ("__FIELD", Fill::Ident(setter.sig.ident.clone())),
                ])));
            }
        }
        block.items.extend(clears);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const BODY: &str = r#"
        pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
            pub struct UpdateThing {
                #[serde(rename = "firstName", skip_serializing_if = "::std::option::Option::is_none")]
                pub first_name: ::std::option::Option<UpdateThingFirstName>,
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub kind: ::std::option::Option<Kind>,
            }
            pub mod builder {
                #[derive(Clone, Debug)]
                pub struct UpdateThing {
                    first_name: ::std::result::Result<::std::option::Option<super::UpdateThingFirstName>, ::std::string::String>,
                    kind: ::std::result::Result<::std::option::Option<super::Kind>, ::std::string::String>,
                }
                impl UpdateThing {
                    pub fn first_name<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<super::UpdateThingFirstName>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.first_name = value
                            .try_into()
                            .map_err(|e| format!("error converting supplied value for first_name: {e}"));
                        self
                    }
                }
            }
        }
    "#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        plan.patch_fields
            .insert("UpdateThing".into(), ["firstName".to_string()].into());
        plan
    }

    #[test]
    fn nullable_patch_fields_become_patch_with_a_clear_method() {
        let mut file = parse_file(BODY);
        patch_fields(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        assert!(
            has(&out, "pub first_name: crate::Patch<UpdateThingFirstName>"),
            "{out}"
        );
        assert!(
            has(&out, r#"rename = "firstName""#)
                && has(&out, r#"skip_serializing_if = "crate::Patch::is_absent""#),
            "{out}"
        );
        assert!(
            has(&out, "pub kind: ::std::option::Option<Kind>"),
            "fields not in the plan stay: {out}"
        );
        assert!(
            has(
                &out,
                "first_name: ::std::result::Result<crate::Patch<super::UpdateThingFirstName>,"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "T: ::std::convert::TryInto<super::UpdateThingFirstName>"
            ),
            "{out}"
        );
        assert!(has(&out, ".map(crate::Patch::Set)"), "{out}");
        assert!(
            has(&out, "pub fn clear_first_name(mut self) -> Self"),
            "{out}"
        );
        assert!(
            has(&out, "self.first_name = Ok(crate::Patch::Clear)"),
            "{out}"
        );
    }

    #[test]
    fn a_plan_naming_a_missing_type_is_an_error() {
        let mut plan = Plan::default();
        plan.patch_fields
            .insert("Nope".into(), ["x".to_string()].into());
        let error = patch_fields(&mut parse_file(BODY), &plan).unwrap_err();
        assert!(error.contains("Nope"), "{error}");
    }
}
