//! Pass: a builder's conversion into its type takes one field at a time.
//!
//! typify writes `TryFrom<builder::X> for X` as one struct expression,
//! `Ok(Self { a: value.a?, b: value.b?, .. })`. In a debug build every `?` in it leaves
//! behind its own clean-up of all the fields not yet taken, so the function grows with the
//! square of the fields: the conversions of the largest request types were a third of the
//! crate's machine code. Taking each field into a local first (`let a = value.a?;`), in the
//! same order, gives the same conversion and the same first error, with code that grows
//! with the fields.

use syn::{Expr, ImplItem, Item, Stmt};

use super::{is_ident_expr, module_items};

pub fn linear_conversions(file: &mut syn::File) {
    let Some(builders) = module_items(&mut file.items, &["types", "builder"]) else {
        return;
    };
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let is_try_from = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "TryFrom"));
        if !is_try_from {
            continue;
        }
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident == "try_from" {
                take_one_at_a_time(&mut function.block);
            }
        }
    }
}

/// `Ok(Self { a: value.a?, .. })` → `let a = value.a?; .. Ok(Self { a, .. })`; any other
/// body is left as it is.
fn take_one_at_a_time(block: &mut syn::Block) {
    let [Stmt::Expr(Expr::Call(ok), None)] = &block.stmts[..] else {
        return;
    };
    let is_ok = matches!(&*ok.func, Expr::Path(p) if p.path.is_ident("Ok"));
    let [Expr::Struct(init)] = &ok.args.iter().collect::<Vec<_>>()[..] else {
        return;
    };
    if !is_ok || init.rest.is_some() || !init.path.is_ident("Self") {
        return;
    }
    let mut taken = Vec::new();
    for field in &init.fields {
        let (syn::Member::Named(name), Expr::Try(tried)) = (&field.member, &field.expr) else {
            return;
        };
        let Expr::Field(access) = &*tried.expr else {
            return;
        };
        if !is_ident_expr(&access.base, "value") || access.member != field.member {
            return;
        }
        taken.push(name.clone());
    }
    // A field named `value` would hide the builder from the fields after it: the builder
    // then goes by a name no field has.
    let mut source = quote::format_ident!("value");
    let mut statements: Vec<Stmt> = Vec::new();
    if taken.iter().any(|name| name == &source) {
        let mut candidate = String::from("builder");
        while taken.iter().any(|name| name == candidate.as_str()) {
            candidate.push('_');
        }
        source = quote::format_ident!("{candidate}");
        statements.push(syn::parse_quote!(let #source = value;));
    }
    statements.extend(
        taken
            .iter()
            .map(|name| -> Stmt { syn::parse_quote!(let #name = #source.#name?;) }),
    );
    statements.push(Stmt::Expr(
        syn::parse_quote!(Ok(Self { #(#taken,)* })),
        None,
    ));
    block.stmts = statements;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn each_field_is_taken_into_a_local_in_order() {
        let mut file = parse_file(
            r#"pub mod types {
                pub mod builder {
                    impl ::std::convert::TryFrom<Policy> for super::Policy {
                        type Error = super::error::ConversionError;
                        fn try_from(value: Policy) -> ::std::result::Result<Self, super::error::ConversionError> {
                            Ok(Self { plan_name: value.plan_name?, members: value.members? })
                        }
                    }
                    impl ::std::convert::TryFrom<Odd> for super::Odd {
                        type Error = super::error::ConversionError;
                        fn try_from(value: Odd) -> ::std::result::Result<Self, super::error::ConversionError> {
                            Ok(Self { name: value.other? })
                        }
                    }
                }
            }"#,
        );
        linear_conversions(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "let plan_name = value.plan_name?; let members = value.members?; Ok(Self { plan_name, members })"
            ),
            "{out}"
        );
        // A body of another shape is not ours to change.
        assert!(has(&out, "Ok(Self { name: value.other? })"), "{out}");
    }

    #[test]
    fn a_field_named_value_does_not_hide_the_builder() {
        let mut file = parse_file(
            r#"pub mod types {
                pub mod builder {
                    impl ::std::convert::TryFrom<Entry> for super::Entry {
                        type Error = super::error::ConversionError;
                        fn try_from(value: Entry) -> ::std::result::Result<Self, super::error::ConversionError> {
                            Ok(Self { value: value.value?, builder: value.builder?, key: value.key? })
                        }
                    }
                }
            }"#,
        );
        linear_conversions(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "let builder_ = value; let value = builder_.value?; let builder = builder_.builder?; let key = builder_.key?; Ok(Self { value, builder, key })"
            ),
            "{out}"
        );
    }
}
