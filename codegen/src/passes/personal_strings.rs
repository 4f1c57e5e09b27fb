//! Pass: a personal string of a request type is a `crate::Personal`, whose `Debug` is redacted.
//!
//! The `Debug` of a type with personal fields prints `<redacted>` for them (`redact_debug`),
//! but a field's value printed on its own would show a plain `String`. Every field the
//! document marks `x-personal-data` whose value is a string, in a type that not only what the
//! client receives holds (`plan.received_only`: those stay as they decode), becomes
//! `crate::Personal` (through `Option` and `Patch`): in the type, in its builder's field, and
//! in the bound of the builder's setter, which then takes `&str` or `String` as before.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item};

use super::{Positions, field_names, generic_arg, module_items, option_inner};
use crate::plan::Plan;

pub fn personal_strings(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let type_positions = Positions::of(types);
    let builders = module_items(types, &["builder"]).ok_or("no `types::builder` module")?;
    let builder_positions = Positions::of(builders);
    for (type_name, wire_names) in plan
        .personal_fields
        .iter()
        .filter(|(name, _)| !plan.received_only.contains(*name))
    {
        let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
        let Some(item) = type_positions.struct_named(types, type_name) else {
            continue;
        };
        let names: BTreeSet<String> = field_names(item)
            .into_iter()
            .filter(|(wire, _)| wire_names.contains(wire))
            .map(|(_, ident)| ident.to_string())
            .collect();
        let Fields::Named(named) = &mut item.fields else {
            continue;
        };
        let mut changed = BTreeSet::new();
        for field in named.named.iter_mut() {
            let ident = field
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            if names.contains(&ident) && holds_string(&field.ty) {
                StringToPersonal.visit_type_mut(&mut field.ty);
                changed.insert(ident);
            }
        }
        if changed.is_empty() {
            continue;
        }
        let builders = module_items(&mut file.items, &["types", "builder"])
            .ok_or("no `types::builder` module")?;
        if let Some(builder) = builder_positions.struct_named(builders, type_name)
            && let Fields::Named(named) = &mut builder.fields
        {
            for field in named.named.iter_mut().filter(|f| {
                f.ident
                    .as_ref()
                    .is_some_and(|i| changed.contains(&i.to_string()))
            }) {
                // `Result<T, String>`: the value's type only, not the refusal's.
                if let Some(kept) = first_type_arg(&mut field.ty) {
                    StringToPersonal.visit_type_mut(kept);
                }
            }
        }
        // The builder's inherent impls, by position (scanning the module for each type grew
        // with the square of the document).
        for &position in builder_positions.inherent_impls(type_name) {
            let Some(Item::Impl(block)) = builders.get_mut(position) else {
                continue;
            };
            if !matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident(type_name.as_str()))
            {
                continue;
            }
            for impl_item in &mut block.items {
                if let ImplItem::Fn(setter) = impl_item
                    && changed.contains(&setter.sig.ident.to_string())
                    && let Some(clause) = &mut setter.sig.generics.where_clause
                {
                    StringToPersonal.visit_where_clause_mut(clause);
                }
            }
        }
    }
    Ok(())
}

/// Whether a field holds a `String`, alone or through `Option` or `Patch`.
fn holds_string(ty: &syn::Type) -> bool {
    let inner = option_inner(ty)
        .or_else(|| generic_arg(ty, "Patch"))
        .unwrap_or(ty);
    is_string(inner)
}

fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none()))
}

/// `T` of `Result<T, E>` (or of any generic type), to change in place.
fn first_type_arg(ty: &mut syn::Type) -> Option<&mut syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &mut path.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    args.args.iter_mut().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// Every `String` in a type becomes `crate::Personal`.
struct StringToPersonal;

impl VisitMut for StringToPersonal {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if is_string(ty) {
            *ty = syn::parse_quote!(crate::Personal);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const TYPES: &str = r#"
        pub mod types {
            pub struct Dependent {
                pub ssn: ::std::option::Option<::std::string::String>,
                #[serde(rename = "firstName")]
                pub first_name: ::std::string::String,
                pub notes: crate::Patch<::std::string::String>,
                pub tags: ::std::vec::Vec<::std::string::String>,
                pub relation: ::std::option::Option<::std::string::String>,
            }
            pub struct Customer { pub ssn: ::std::option::Option<::std::string::String> }
            pub mod builder {
                pub struct Dependent {
                    ssn: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    first_name: ::std::result::Result<::std::string::String, ::std::string::String>,
                }
                impl Dependent {
                    pub fn ssn<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.ssn = value.try_into().map(::std::option::Option::Some).map_err(|e| e.to_string());
                        self
                    }
                }
            }
        }
    "#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let personal = ["ssn", "firstName", "notes", "tags"]
            .map(String::from)
            .into();
        plan.personal_fields.insert("Dependent".into(), personal);
        plan.personal_fields
            .insert("Customer".into(), ["ssn".to_string()].into());
        plan.received_only.insert("Customer".into());
        plan
    }

    #[test]
    fn personal_strings_of_requests_become_personal_in_the_type_builder_and_setter() {
        let mut file = parse_file(TYPES);
        personal_strings(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        assert!(
            has(&out, "pub ssn: ::std::option::Option<crate::Personal>,"),
            "{out}"
        );
        assert!(has(&out, "pub first_name: crate::Personal,"), "{out}");
        assert!(
            has(&out, "pub notes: crate::Patch<crate::Personal>,"),
            "{out}"
        );
        assert!(
            has(&out, "pub tags: ::std::vec::Vec<::std::string::String>,"),
            "an array stays: {out}"
        );
        assert!(
            has(
                &out,
                "pub relation: ::std::option::Option<::std::string::String>,"
            ),
            "not personal: {out}"
        );
        assert!(
            has(
                &out,
                "ssn: ::std::result::Result<::std::option::Option<crate::Personal>, ::std::string::String"
            ),
            "{out}"
        );
        assert!(
            has(&out, "T: ::std::convert::TryInto<crate::Personal>,"),
            "{out}"
        );
        assert!(
            has(
                &out,
                "pub struct Customer { pub ssn: ::std::option::Option<::std::string::String>, }"
            ),
            "a response type stays: {out}"
        );
    }
}
