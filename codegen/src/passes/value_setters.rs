//! Pass: builder setters of optional fields take the value itself.
//!
//! typify's setter for an optional field takes `TryInto<Option<T>>`, so a consumer must write
//! `.specialty(Some("Cardiology".parse()?))`. Leaving a field unset already means `None`, so
//! the setter here takes `TryInto<T>`: `.specialty("Cardiology")`, checked when sent.

use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

use super::{is_ident_expr, module_items, option_inner, plain_type_name};

pub fn value_setters(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, &["types", "builder"]) else {
        return;
    };
    let conversion = wrapped_conversion(syn::parse_quote!(::std::option::Option::Some));
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        for impl_item in &mut block.items {
            if let ImplItem::Fn(setter) = impl_item {
                // Setters of required fields and of Patch fields do not take an Option.
                let _ = take_value(setter, &conversion);
            }
        }
    }
}

/// `value.try_into().map(wrap)`: what [`take_value`] puts in a setter, built once per pass
/// (parsing it for each setter cost more than the rest of the pass).
pub(super) fn wrapped_conversion(wrap: syn::Path) -> Expr {
    syn::parse_quote!(value.try_into().map(#wrap))
}

/// Makes a setter bounded by `T: TryInto<Option<X>>` take `T: TryInto<X>` and store
/// `conversion` (from [`wrapped_conversion`]). Fails, changing nothing, when the setter has
/// no such bound.
pub(super) fn take_value(setter: &mut syn::ImplItemFn, conversion: &Expr) -> Result<(), String> {
    let name = setter.sig.ident.to_string();
    let bound = setter
        .sig
        .generics
        .where_clause
        .as_mut()
        .into_iter()
        .flat_map(|w| w.predicates.iter_mut())
        .find_map(|predicate| match predicate {
            syn::WherePredicate::Type(p)
                if plain_type_name(&p.bounded_ty).is_some_and(|t| t == "T") =>
            {
                p.bounds.iter_mut().find_map(|b| match b {
                    syn::TypeParamBound::Trait(t) => Some(t),
                    _ => None,
                })
            }
            _ => None,
        })
        .ok_or_else(|| format!("setter `{name}` has no `T: TryInto<..>` bound"))?;
    let last = bound.path.segments.last_mut().ok_or("empty bound")?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return Err(format!("setter `{name}` is not bounded by TryInto<..>"));
    };
    let target = args
        .args
        .iter_mut()
        .find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .ok_or_else(|| format!("setter `{name}` has no TryInto target"))?;
    let inner = option_inner(target)
        .ok_or_else(|| format!("setter `{name}` does not take an Option"))?
        .clone();
    *target = inner;
    WrapConversion(conversion).visit_block_mut(&mut setter.block);
    Ok(())
}

/// `value.try_into()` becomes the wrapped conversion.
struct WrapConversion<'a>(&'a Expr);

impl VisitMut for WrapConversion<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "try_into"
            && is_ident_expr(&call.receiver, "value")
        {
            *expr = self.0.clone();
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const BUILDER: &str = r#"
        pub mod types {
            pub mod builder {
                impl CreateThing {
                    pub fn kind<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<super::Kind>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.kind = value.try_into().map_err(|e| format!("error converting supplied value for kind: {e}"));
                        self
                    }
                    pub fn notes<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<super::CreateThingNotes>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.notes = value.try_into().map_err(|e| format!("error converting supplied value for notes: {e}"));
                        self
                    }
                }
            }
        }
    "#;

    #[test]
    fn optional_setters_take_the_value_and_required_ones_are_unchanged() {
        let mut file = parse_file(BUILDER);
        value_setters(&mut file);
        let out = pretty(&file);
        assert!(
            has(&out, "T: ::std::convert::TryInto<super::CreateThingNotes>"),
            "{out}"
        );
        assert!(
            has(
                &out,
                "value.try_into().map(::std::option::Option::Some).map_err("
            ),
            "{out}"
        );
        assert!(
            has(&out, "T: ::std::convert::TryInto<super::Kind>"),
            "{out}"
        );
        assert_eq!(
            out.matches(".map(::std::option::Option::Some)").count(),
            1,
            "{out}"
        );
    }
}
