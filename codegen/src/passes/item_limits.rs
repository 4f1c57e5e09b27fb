//! Pass: array fields with `minItems`/`maxItems` are checked before sending.
//!
//! typify ignores item-count limits. The check goes where typify's builder turns into the
//! value (`TryFrom<builder::X> for X`), so a request body that breaks a limit never leaves the
//! client; decoding a response does not go through the builder and stays tolerant.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item};

use super::{field_names, module_items, option_inner, struct_named};
use crate::plan::Plan;

pub fn item_limits(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    for (type_name, limits) in &plan.item_limits {
        let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
        let item = struct_named(types, type_name)
            .ok_or_else(|| format!("type `{type_name}` with item limits is not in the generated types"))?;
        let Fields::Named(named) = &item.fields else {
            return Err(format!("`{type_name}` has no named fields"));
        };
        let mut checks = Vec::new();
        for (wire, ident) in field_names(item) {
            let Some((min, max)) = limits.get(&wire) else { continue };
            let field = named.named.iter().find(|f| f.ident.as_ref() == Some(&ident)).expect("named field");
            let optional = option_inner(&field.ty).is_some();
            checks.push(check(&ident, &wire, *min, *max, optional));
        }
        let builders = module_items(&mut file.items, &["types", "builder"]).ok_or("no `types::builder` module")?;
        let conversion = builders
            .iter_mut()
            .find_map(|item| match item {
                Item::Impl(block)
                    if block.trait_.as_ref().is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "TryFrom"))
                        && block.self_ty.to_token_stream().to_string() == format!("super :: {type_name}") =>
                {
                    block.items.iter_mut().find_map(|i| match i {
                        ImplItem::Fn(f) => Some(f),
                        _ => None,
                    })
                }
                _ => None,
            })
            .ok_or_else(|| format!("no builder conversion into `{type_name}`"))?;
        let Some(syn::Stmt::Expr(syn::Expr::Call(ok), None)) = conversion.block.stmts.last() else {
            return Err(format!("the builder conversion into `{type_name}` does not end in Ok(Self {{ .. }})"));
        };
        let construction = ok.args.first().cloned().ok_or("Ok() without a value")?;
        conversion.block.stmts = syn::parse_quote! {
            let value = #construction;
            #(#checks)*
            Ok(value)
        };
    }
    Ok(())
}

fn check(ident: &syn::Ident, wire: &str, min: Option<u64>, max: Option<u64>, optional: bool) -> syn::Stmt {
    let (range, words) = match (min, max) {
        (Some(min), Some(max)) => {
            let (min, max) = (min as usize, max as usize);
            (quote::quote!(#min..=#max), format!("from {min} to {max}"))
        }
        (Some(min), None) => {
            let min = min as usize;
            (quote::quote!(#min..), format!("at least {min}"))
        }
        (None, Some(max)) => {
            let max = max as usize;
            (quote::quote!(..=#max), format!("at most {max}"))
        }
        (None, None) => unreachable!("the plan lists fields with a limit only"),
    };
    let message = format!("`{wire}` must hold {words} items; it holds {{}}");
    if optional {
        syn::parse_quote! {
            if let Some(items) = &value.#ident && !(#range).contains(&items.len()) {
                return Err(format!(#message, items.len()).into());
            }
        }
    } else {
        syn::parse_quote! {
            if !(#range).contains(&value.#ident.len()) {
                return Err(format!(#message, value.#ident.len()).into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const TYPES: &str = r#"
        pub mod types {
            pub struct Upload {
                pub records: ::std::vec::Vec<Record>,
                #[serde(rename = "extraTags")]
                pub extra_tags: ::std::option::Option<::std::vec::Vec<String>>,
            }
            pub mod builder {
                impl ::std::convert::TryFrom<Upload> for super::Upload {
                    type Error = super::error::ConversionError;
                    fn try_from(value: Upload) -> ::std::result::Result<Self, super::error::ConversionError> {
                        Ok(Self { records: value.records?, extra_tags: value.extra_tags? })
                    }
                }
            }
        }
    "#;

    #[test]
    fn the_builder_conversion_checks_item_counts() {
        let mut file = parse_file(TYPES);
        let mut plan = Plan::default();
        plan.item_limits.insert(
            "Upload".into(),
            [("records".to_string(), (Some(1), Some(200))), ("extraTags".to_string(), (None, Some(5)))].into(),
        );
        item_limits(&mut file, &plan).unwrap();
        let out = pretty(&file);
        assert!(has(&out, "let value = Self { records: value.records?, extra_tags: value.extra_tags?, };"), "{out}");
        assert!(has(&out, "if !(1usize..=200usize).contains(&value.records.len())"), "{out}");
        assert!(has(&out, "format!(\"`records` must hold from 1 to 200 items; it holds {}\", value.records.len())"), "{out}");
        assert!(has(&out, "if let Some(items) = &value.extra_tags && !(..=5usize).contains(&items.len())"), "{out}");
        assert!(has(&out, "Ok(value)"), "{out}");
    }

    #[test]
    fn a_plan_naming_a_missing_type_is_an_error() {
        let mut plan = Plan::default();
        plan.item_limits.insert("Nope".into(), [("x".to_string(), (Some(1), None))].into());
        assert!(item_limits(&mut parse_file(TYPES), &plan).unwrap_err().contains("Nope"));
    }
}
