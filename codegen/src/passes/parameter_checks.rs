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

use proc_macro2::{Literal, Span};
use syn::{Expr, ImplItem, Item, Stmt};

use super::template::{Fill, Template};
use super::{module_items, operation_id};
use crate::plan::{ParameterFacts, Plan, operation_key};

pub fn parameter_checks(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let Some(items) = module_items(&mut file.items, &["builder"]) else {
        return Ok(());
    };
    let code = Code::new();
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(builder) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let Some(rules) =
                operation_id(function).and_then(|id| plan.parameter_rules.get(&operation_key(&id)))
            else {
                continue;
            };
            let mut last = None;
            for facts in rules {
                let position = function
                    .block
                    .stmts
                    .iter()
                    .position(|stmt| takes_out(stmt, &facts.setter));
                let Some(position) = position else {
                    return Err(format!(
                        "builder {builder} has no `let {0} = {0}.map_err(..)?;` in its `send` for the parameter `{0}`",
                        facts.setter
                    ));
                };
                last = last.max(Some(position));
            }
            let checks: Vec<Stmt> = rules.iter().map(|facts| code.check_call(facts)).collect();
            let at = last.map_or(0, |position| position + 1);
            function.block.stmts.splice(at..at, checks);
        }
    }
    Ok(())
}

/// Whether `stmt` is `let <setter> = <setter>.map_err(..)?;`.
fn takes_out(stmt: &Stmt, setter: &str) -> bool {
    let Stmt::Local(local) = stmt else {
        return false;
    };
    let syn::Pat::Ident(binding) = &local.pat else {
        return false;
    };
    let Some(init) = &local.init else {
        return false;
    };
    let syn::Expr::Try(tried) = &*init.expr else {
        return false;
    };
    let syn::Expr::MethodCall(call) = &*tried.expr else {
        return false;
    };
    binding.ident == setter
        && call.method == "map_err"
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(setter))
}

/// The check this pass writes, parsed once per pass: a check with every field of the rule,
/// filled in and cut down to the fields the parameter has (parsing a check per parameter cost
/// most of the pass).
struct Code {
    check: Template<Stmt>,
    /// The values checked, by (required, array).
    values: [Template<Expr>; 4],
}

impl Code {
    fn new() -> Self {
        Code {
            check: Template::new(syn::parse_quote! {
                crate::parameters::check("__NAME", __VALUES, __ARRAY, &crate::parameters::Rule {
                    min_length: Some(__MIN_LENGTH),
                    max_length: Some(__MAX_LENGTH),
                    pattern: Some("__PATTERN"),
                    allowed: __ALLOWED,
                    minimum: Some(crate::parameters::Bound { value: __MINIMUM, exclusive: __MINIMUM_EXCLUSIVE }),
                    maximum: Some(crate::parameters::Bound { value: __MAXIMUM, exclusive: __MAXIMUM_EXCLUSIVE }),
                    min_items: Some(__MIN_ITEMS),
                    max_items: Some(__MAX_ITEMS),
                    ..crate::parameters::Rule::NONE
                })?;
            }),
            values: [
                Template::new(syn::parse_quote!(Some(::std::slice::from_ref(&__VALUE)))),
                Template::new(syn::parse_quote!(
                    __VALUE.as_ref().map(::std::slice::from_ref)
                )),
                Template::new(syn::parse_quote!(Some(__VALUE.as_slice()))),
                Template::new(syn::parse_quote!(__VALUE.as_deref())),
            ],
        }
    }

    /// `crate::parameters::check("name", values, array, &Rule { .. })?;`: the values are the one
    /// value of a scalar or the items of an array, `None` when an optional one is not set.
    fn check_call(&self, facts: &ParameterFacts) -> Stmt {
        let values = match (facts.required, facts.array) {
            (true, false) => &self.values[0],
            (false, false) => &self.values[1],
            (true, true) => &self.values[2],
            (false, true) => &self.values[3],
        };
        let values = values.fill(&mut [("__VALUE", Fill::ident(&facts.setter))]);
        let literal = |literal: Literal| {
            Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::new(literal),
            })
        };
        let boolean = |value: bool| {
            Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())),
            })
        };
        let count =
            |value: Option<u64>| value.map(|v| literal(Literal::usize_suffixed(v as usize)));
        let mut fills = vec![
            ("__NAME", Fill::Str(facts.setter.clone())),
            ("__VALUES", Fill::expr(values)),
            ("__ARRAY", Fill::expr(boolean(facts.array))),
        ];
        // The rule's fields the parameter has, each with its placeholders' fills.
        let mut fields = Vec::new();
        let mut field = |name: &'static str, fill: Vec<(&'static str, Fill)>| {
            fields.push(name);
            fills.extend(fill);
        };
        if let Some(value) = count(facts.min_length) {
            field("min_length", vec![("__MIN_LENGTH", Fill::expr(value))]);
        }
        if let Some(value) = count(facts.max_length) {
            field("max_length", vec![("__MAX_LENGTH", Fill::expr(value))]);
        }
        if let Some(pattern) = &facts.pattern {
            field("pattern", vec![("__PATTERN", Fill::Str(pattern.clone()))]);
        }
        if !facts.allowed.is_empty() {
            let elems = facts
                .allowed
                .iter()
                .map(|value| literal(Literal::string(value)))
                .collect();
            let array = Expr::Array(syn::ExprArray {
                attrs: Vec::new(),
                bracket_token: Default::default(),
                elems,
            });
            let allowed = Expr::Reference(syn::ExprReference {
                attrs: Vec::new(),
                and_token: Default::default(),
                mutability: None,
                expr: Box::new(array),
            });
            field("allowed", vec![("__ALLOWED", Fill::expr(allowed))]);
        }
        if let Some((value, exclusive)) = facts.minimum {
            field(
                "minimum",
                vec![
                    (
                        "__MINIMUM",
                        Fill::expr(literal(Literal::f64_suffixed(value))),
                    ),
                    ("__MINIMUM_EXCLUSIVE", Fill::expr(boolean(exclusive))),
                ],
            );
        }
        if let Some((value, exclusive)) = facts.maximum {
            field(
                "maximum",
                vec![
                    (
                        "__MAXIMUM",
                        Fill::expr(literal(Literal::f64_suffixed(value))),
                    ),
                    ("__MAXIMUM_EXCLUSIVE", Fill::expr(boolean(exclusive))),
                ],
            );
        }
        if let Some(value) = count(facts.min_items) {
            field("min_items", vec![("__MIN_ITEMS", Fill::expr(value))]);
        }
        if let Some(value) = count(facts.max_items) {
            field("max_items", vec![("__MAX_ITEMS", Fill::expr(value))]);
        }
        let mut check = self.check.fill(&mut fills);
        if let Some(rule) = rule_of(&mut check) {
            let mut kept = syn::punctuated::Punctuated::new();
            for value in std::mem::take(&mut rule.fields) {
                if matches!(&value.member, syn::Member::Named(name) if fields.iter().any(|f| name == f))
                {
                    kept.push(value);
                }
            }
            if !kept.is_empty() {
                kept.push_punct(Default::default());
            }
            rule.fields = kept;
        }
        check
    }
}

/// The `Rule { .. }` of the check template.
fn rule_of(check: &mut Stmt) -> Option<&mut syn::ExprStruct> {
    let Stmt::Expr(Expr::Try(tried), _) = check else {
        return None;
    };
    let Expr::Call(call) = &mut *tried.expr else {
        return None;
    };
    let Expr::Reference(rule) = call.args.iter_mut().nth(3)? else {
        return None;
    };
    match &mut *rule.expr {
        Expr::Struct(rule) => Some(rule),
        _ => None,
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
        let id = ParameterFacts {
            setter: "id".into(),
            required: true,
            pattern: Some("^[0-9a-f-]+$".into()),
            ..Default::default()
        };
        let limit = ParameterFacts {
            setter: "limit".into(),
            minimum: Some((1.0, false)),
            maximum: Some((100.0, true)),
            ..Default::default()
        };
        let tags = ParameterFacts {
            setter: "tags".into(),
            array: true,
            max_length: Some(5),
            allowed: vec!["a".into(), "b".into()],
            max_items: Some(3),
            ..Default::default()
        };
        plan.parameter_rules
            .insert("listthings".into(), vec![id, limit, tags]);
        plan
    }

    #[test]
    fn each_constrained_parameter_is_checked_after_it_is_taken_out_and_before_the_url() {
        let mut file = parse_file(SEND);
        parameter_checks(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        let id = r#"crate::parameters::check("id", Some(::std::slice::from_ref(&id)), false, &crate::parameters::Rule { pattern: Some("^[0-9a-f-]+$"), ..crate::parameters::Rule::NONE },)?;"#;
        assert!(has(&out, id), "{out}");
        assert!(
            has(
                &out,
                r#"limit.as_ref().map(::std::slice::from_ref), false, &crate::parameters::Rule { minimum: Some(crate::parameters::Bound { value: 1f64, exclusive: false, }), maximum: Some(crate::parameters::Bound { value: 100f64, exclusive: true, }),"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"crate::parameters::check("tags", tags.as_deref(), true, &crate::parameters::Rule { max_length: Some(5usize), allowed: &["a", "b"], max_items: Some(3usize),"#
            ),
            "{out}"
        );
        let taken = out.find("let tags = tags.map_err").unwrap();
        let checked = out.find("crate::parameters::check(").unwrap();
        let url = out.find("let url").unwrap();
        assert!(taken < checked && checked < url, "{out}");
    }

    #[test]
    fn a_constrained_parameter_without_its_statement_is_an_error_naming_the_builder() {
        let mut file = parse_file(&SEND.replace(
            "let limit = limit.map_err(crate::Error::invalid_request)?;",
            "",
        ));
        let error = parameter_checks(&mut file, &plan()).unwrap_err();
        assert!(
            error.contains("ListThings") && error.contains("let limit = limit.map_err(..)?;"),
            "{error}"
        );
    }
}
