//! Pass: a builder's catch-all of unnamed properties starts empty.
//!
//! typify gives an object with `additionalProperties` a `#[serde(flatten)]` map, and its
//! builder's `Default` starts that map as "no value supplied", so building a value without
//! calling `.extra(..)` fails. An empty map is the right start: no unnamed properties.

use std::collections::{BTreeMap, BTreeSet};

use syn::{Expr, Fields, ImplItem, Item};

use super::{has_serde_flag, module_items, plain_type_name};

pub fn catch_all_defaults(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    let flattened = flattened_fields(types);
    let Some(builders) = module_items(types, &["builder"]) else {
        return;
    };
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let is_default = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"));
        let Some(fields) =
            plain_type_name(&block.self_ty).and_then(|name| flattened.get(&name.to_string()))
        else {
            continue;
        };
        if !is_default {
            continue;
        }
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            for statement in &mut function.block.stmts {
                let syn::Stmt::Expr(Expr::Struct(init), _) = statement else {
                    continue;
                };
                for field in init.fields.iter_mut() {
                    if let syn::Member::Named(ident) = &field.member
                        && fields.contains(&ident.to_string())
                    {
                        field.expr = syn::parse_quote!(Ok(Default::default()));
                    }
                }
            }
        }
    }
}

/// Type name → its `#[serde(flatten)]` fields.
fn flattened_fields(types: &[Item]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::<String, BTreeSet<String>>::new();
    for item in types {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &s.fields else {
            continue;
        };
        for field in &named.named {
            let flatten = has_serde_flag(&field.attrs, "flatten");
            if let (true, Some(ident)) = (flatten, &field.ident) {
                out.entry(s.ident.to_string())
                    .or_default()
                    .insert(ident.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn a_flattened_catch_all_starts_empty_and_other_fields_stay_unset() {
        let mut file = parse_file(
            r#"pub mod types {
                pub struct Policy {
                    #[serde(rename = "planName")]
                    pub plan_name: Option<String>,
                    #[serde(flatten)]
                    pub extra: Map<String, Value>,
                }
                pub struct Plain { pub name: String }
                pub mod builder {
                    impl ::std::default::Default for Policy {
                        fn default() -> Self {
                            Self {
                                plan_name: Ok(Default::default()),
                                extra: Err("no value supplied for extra".to_string()),
                            }
                        }
                    }
                    impl ::std::default::Default for Plain {
                        fn default() -> Self {
                            Self { name: Err("no value supplied for name".to_string()) }
                        }
                    }
                }
            }"#,
        );
        catch_all_defaults(&mut file);
        let out = pretty(&file);
        assert!(has(&out, "extra: Ok(Default::default())"), "{out}");
        assert!(
            has(
                &out,
                r#"name: Err("no value supplied for name".to_string())"#
            ),
            "{out}"
        );
    }
}
