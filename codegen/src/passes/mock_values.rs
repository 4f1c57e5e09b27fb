//! Pass on the typed httpmock helpers: values that are not references, and array query
//! parameters, match as the client sends them.
//!
//! progenitor's mock helpers take `value: &T` for named types and `value: T` for primitives,
//! but always call `json_body_obj(value)`, which needs a reference; and they match an array
//! query parameter with `value.to_string()`, which a `Vec` does not have. The client sends an
//! array as the parameter repeated, once per item.

use syn::visit_mut::VisitMut;
use syn::{Expr, ExprMethodCall, FnArg, ImplItemFn, Pat, Type};

use super::{generic_arg, option_inner};

pub fn mock_values(file: &mut syn::File) {
    MockFns.visit_file_mut(file);
}

struct MockFns;

impl VisitMut for MockFns {
    fn visit_impl_item_fn_mut(&mut self, function: &mut ImplItemFn) {
        let Some(ty) = value_type(function) else {
            return;
        };
        let mut fix = ValueUses {
            by_value: !matches!(ty, Type::Reference(_)) && !is_generic(&ty, function),
            array: array_bound(function),
        };
        fix.visit_block_mut(&mut function.block);
    }
}

/// The type of the function's `value` argument.
fn value_type(function: &ImplItemFn) -> Option<Type> {
    function.sig.inputs.iter().find_map(|input| match input {
        FnArg::Typed(typed) if matches!(&*typed.pat, Pat::Ident(p) if p.ident == "value") => {
            Some((*typed.ty).clone())
        }
        _ => None,
    })
}

fn is_generic(ty: &Type, function: &ImplItemFn) -> bool {
    let Type::Path(path) = ty else { return false };
    function
        .sig
        .generics
        .type_params()
        .any(|param| path.path.is_ident(&param.ident))
}

/// Whether the function's generic `value` is `Into<Option<&Vec<_>>>`.
fn array_bound(function: &ImplItemFn) -> bool {
    let predicates = function
        .sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| w.predicates.iter());
    let bounds = function
        .sig
        .generics
        .type_params()
        .flat_map(|p| p.bounds.iter())
        .chain(predicates.flat_map(|p| match p {
            syn::WherePredicate::Type(t) => t.bounds.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        }));
    bounds
        .filter_map(|bound| match bound {
            syn::TypeParamBound::Trait(t) => t.path.segments.last(),
            _ => None,
        })
        .filter(|segment| segment.ident == "Into")
        .any(|segment| {
            let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
                return false;
            };
            args.args.iter().any(|arg| match arg {
                syn::GenericArgument::Type(ty) => option_inner(ty)
                    .map(|inner| match inner {
                        Type::Reference(r) => &*r.elem,
                        other => other,
                    })
                    .is_some_and(|inner| generic_arg(inner, "Vec").is_some()),
                _ => false,
            })
        })
}

struct ValueUses {
    by_value: bool,
    array: bool,
}

fn is_value(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident("value"))
}

impl VisitMut for ValueUses {
    fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if self.by_value
            && call.method == "json_body_obj"
            && call.args.len() == 1
            && is_value(&call.args[0])
        {
            call.args[0] = syn::parse_quote!(&value);
        }
        if self.array && call.method == "query_param" && call.args.len() == 2 {
            let is_value_string = matches!(&call.args[1], Expr::MethodCall(m) if m.method == "to_string" && is_value(&m.receiver));
            if is_value_string {
                let receiver = &call.receiver;
                let name = &call.args[0];
                *call = syn::parse_quote!(value.iter().fold(#receiver, |when, item| when.query_param(#name, item.to_string())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn primitive_bodies_are_borrowed_and_arrays_match_each_item() {
        let mut file = parse_file(
            r#"impl T {
                pub fn ok(self, value: i64) -> Self { Self(self.0.status(200u16).json_body_obj(value)) }
                pub fn named(self, value: &types::Thing) -> Self { Self(self.0.json_body_obj(value)) }
                pub fn tags<'a, T>(self, value: T) -> Self where T: Into<Option<&'a ::std::vec::Vec<::std::string::String>>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("tags", value.to_string())) } else { Self(self.0.query_param_missing("tags")) }
                }
                pub fn name<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> {
                    if let Some(value) = value.into() { Self(self.0.query_param("name", value.to_string())) } else { Self(self.0) }
                }
            }"#,
        );
        mock_values(&mut file);
        let out = pretty(&file);
        assert!(
            has(&out, "self.0.status(200u16).json_body_obj(&value)"),
            "{out}"
        );
        assert!(has(&out, "Self(self.0.json_body_obj(value))"), "{out}");
        assert!(
            has(
                &out,
                "value.iter().fold(self.0, |when, item| when.query_param(\"tags\", item.to_string())"
            ),
            "{out}"
        );
        assert!(
            has(&out, "self.0.query_param(\"name\", value.to_string())"),
            "{out}"
        );
    }
}
