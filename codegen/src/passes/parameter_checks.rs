//! Pass: `send()` checks every constraint the document states on a path, query or header
//! parameter before anything is sent.
//!
//! progenitor's `send()` takes each parameter out of the builder with
//! `let name = name.map_err(..)?;`. After the last of those statements of an operation the plan
//! constrains, one call of `crate::parameters::check` per constrained parameter is inserted, with
//! the document's rule written in place (`lower::lift_parameter_limits` has taken the string
//! limits off the schemas, so progenitor's types no longer check them on their own). The
//! builder is found by the `operation_id` of its `OperationInfo`; a constrained parameter whose
//! statement is missing is an error naming the builder.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Item, ImplItem, Stmt};

use super::{module_items, operation_id};
use crate::plan::{ParameterFacts, Plan, operation_key};

pub fn parameter_checks(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let Some(items) = module_items(&mut file.items, &["builder"]) else { return Ok(()) };
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let syn::Type::Path(self_ty) = &*block.self_ty else { continue };
        let Some(builder) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else { continue };
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else { continue };
            if function.sig.ident != "send" {
                continue;
            }
            let Some(rules) = operation_id(function).and_then(|id| plan.parameter_rules.get(&operation_key(&id))) else { continue };
            let mut last = None;
            for facts in rules {
                let position = function.block.stmts.iter().position(|stmt| takes_out(stmt, &facts.setter));
                let Some(position) = position else {
                    return Err(format!("builder {builder} has no `let {0} = {0}.map_err(..)?;` in its `send` for the parameter `{0}`", facts.setter));
                };
                last = last.max(Some(position));
            }
            let checks = rules.iter().map(|facts| syn::parse2::<Stmt>(check_call(facts)).expect("a check call parses"));
            let at = last.map_or(0, |position| position + 1);
            function.block.stmts.splice(at..at, checks);
        }
    }
    Ok(())
}

/// Whether `stmt` is `let <setter> = <setter>.map_err(..)?;`.
fn takes_out(stmt: &Stmt, setter: &str) -> bool {
    let Stmt::Local(local) = stmt else { return false };
    let syn::Pat::Ident(binding) = &local.pat else { return false };
    let Some(init) = &local.init else { return false };
    let syn::Expr::Try(tried) = &*init.expr else { return false };
    let syn::Expr::MethodCall(call) = &*tried.expr else { return false };
    binding.ident == setter
        && call.method == "map_err"
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(setter))
}

/// `crate::parameters::check("name", values, array, &Rule { .. })?;`: the values are the one
/// value of a scalar or the items of an array, `None` when an optional one is not set.
fn check_call(facts: &ParameterFacts) -> TokenStream {
    let name = &facts.setter;
    let variable = syn::Ident::new(name, proc_macro2::Span::call_site());
    let values = match (facts.required, facts.array) {
        (true, false) => quote!(Some(::std::slice::from_ref(&#variable))),
        (false, false) => quote!(#variable.as_ref().map(::std::slice::from_ref)),
        (true, true) => quote!(Some(#variable.as_slice())),
        (false, true) => quote!(#variable.as_deref()),
    };
    let array = facts.array;
    let mut fields = Vec::new();
    let usize_field = |field: &str, value: Option<u64>| {
        let field = syn::Ident::new(field, proc_macro2::Span::call_site());
        value.map(|v| {
            let v = v as usize;
            quote!(#field: Some(#v))
        })
    };
    fields.extend(usize_field("min_length", facts.min_length));
    fields.extend(usize_field("max_length", facts.max_length));
    if let Some(pattern) = &facts.pattern {
        fields.push(quote!(pattern: Some(#pattern)));
    }
    if !facts.allowed.is_empty() {
        let allowed = &facts.allowed;
        fields.push(quote!(allowed: &[#(#allowed),*]));
    }
    for (field, bound) in [("minimum", facts.minimum), ("maximum", facts.maximum)] {
        let field = syn::Ident::new(field, proc_macro2::Span::call_site());
        if let Some((value, exclusive)) = bound {
            fields.push(quote!(#field: Some(crate::parameters::Bound { value: #value, exclusive: #exclusive })));
        }
    }
    fields.extend(usize_field("min_items", facts.min_items));
    fields.extend(usize_field("max_items", facts.max_items));
    quote! {
        crate::parameters::check(#name, #values, #array, &crate::parameters::Rule { #(#fields,)* ..crate::parameters::Rule::NONE })?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const SEND: &str = r#"pub mod builder {
        impl<'a> ListThings<'a> {
            pub async fn send(self) -> Result<ResponseValue<()>, crate::Error> {
                let Self { client, id, limit, tags, call_options } = self;
                let id = id.map_err(crate::Error::invalid_request)?;
                let limit = limit.map_err(crate::Error::invalid_request)?;
                let tags = tags.map_err(crate::Error::invalid_request)?;
                let url = format!("{}/things/{}", client.baseurl, encode_path(&id.to_string()));
                let info = OperationInfo { operation_id: "list_things" };
                crate::runtime::send_json(client, request, &info, "/things/{id}", call_options).await
            }
        }
    }"#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let id = ParameterFacts { setter: "id".into(), required: true, pattern: Some("^[0-9a-f-]+$".into()), ..Default::default() };
        let limit = ParameterFacts { setter: "limit".into(), minimum: Some((1.0, false)), maximum: Some((100.0, true)), ..Default::default() };
        let tags = ParameterFacts { setter: "tags".into(), array: true, max_length: Some(5), allowed: vec!["a".into(), "b".into()], max_items: Some(3), ..Default::default() };
        plan.parameter_rules.insert("listthings".into(), vec![id, limit, tags]);
        plan
    }

    #[test]
    fn each_constrained_parameter_is_checked_after_it_is_taken_out_and_before_the_url() {
        let mut file = parse_file(SEND);
        parameter_checks(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        let id = r#"crate::parameters::check("id", Some(::std::slice::from_ref(&id)), false, &crate::parameters::Rule { pattern: Some("^[0-9a-f-]+$"), ..crate::parameters::Rule::NONE },)?;"#;
        assert!(has(&out, id), "{out}");
        assert!(has(&out, r#"limit.as_ref().map(::std::slice::from_ref), false, &crate::parameters::Rule { minimum: Some(crate::parameters::Bound { value: 1f64, exclusive: false, }), maximum: Some(crate::parameters::Bound { value: 100f64, exclusive: true, }),"#), "{out}");
        assert!(has(&out, r#"crate::parameters::check("tags", tags.as_deref(), true, &crate::parameters::Rule { max_length: Some(5usize), allowed: &["a", "b"], max_items: Some(3usize),"#), "{out}");
        let taken = out.find("let tags = tags.map_err").unwrap();
        let checked = out.find("crate::parameters::check(").unwrap();
        let url = out.find("let url").unwrap();
        assert!(taken < checked && checked < url, "{out}");
    }

    #[test]
    fn a_constrained_parameter_without_its_statement_is_an_error_naming_the_builder() {
        let mut file = parse_file(&SEND.replace("let limit = limit.map_err(crate::Error::invalid_request)?;", ""));
        let error = parameter_checks(&mut file, &plan()).unwrap_err();
        assert!(error.contains("ListThings") && error.contains("let limit = limit.map_err(..)?;"), "{error}");
    }
}
