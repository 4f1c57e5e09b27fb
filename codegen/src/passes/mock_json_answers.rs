//! Pass on the typed httpmock helpers: a JSON answer is one call of the client crate's
//! `mock_answer::json`.
//!
//! progenitor writes every method of an operation's `…Then` that answers JSON (each
//! documented status: the success and the seven errors) as the same chain,
//! `Self(self.0.status(N).header("content-type", "application/json").json_body_obj(value))`.
//! The chain is found by its shape, and becomes `Self(crate::mock_answer::json(self.0, N,
//! value))`, which does the same. A method answering otherwise (text, bytes, no body) stays.

use syn::{Expr, ExprMethodCall, ImplItem, Item, Lit, Stmt};

use super::module_items;
use super::template::{Fill, Template};

pub fn mock_json_answers(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, &["operations"]) else {
        return;
    };
    // Parsed once, copied for each answer.
    let answer = Template::new(syn::parse_quote!(crate::mock_answer::json(
        self.0, __STATUS, value
    )));
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        if !self_ty
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident.to_string().ends_with("Then"))
        {
            continue;
        }
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            let [Stmt::Expr(Expr::Call(wrap), None)] = &mut function.block.stmts[..] else {
                continue;
            };
            let is_self = matches!(&*wrap.func, Expr::Path(p) if p.path.is_ident("Self"));
            if !is_self || wrap.args.len() != 1 {
                continue;
            }
            if let Some(status) = json_answer_status(&wrap.args[0]) {
                wrap.args[0] = answer.fill(&mut [("__STATUS", Fill::expr(status))]);
            }
        }
    }
}

/// The status of `self.0.status(N).header("content-type", "application/json").json_body_obj(value)`.
fn json_answer_status(expr: &Expr) -> Option<Expr> {
    let body = method_call(expr, "json_body_obj", 1)?;
    if !matches!(&body.args[0], Expr::Path(p) if p.path.is_ident("value")) {
        return None;
    }
    let header = method_call(&body.receiver, "header", 2)?;
    let is_json_content_type = string_literal(&header.args[0])
        .is_some_and(|name| name.eq_ignore_ascii_case("content-type"))
        && string_literal(&header.args[1]).as_deref() == Some("application/json");
    if !is_json_content_type {
        return None;
    }
    let status = method_call(&header.receiver, "status", 1)?;
    let Expr::Field(inner) = &*status.receiver else {
        return None;
    };
    let on_self = matches!(&*inner.base, Expr::Path(p) if p.path.is_ident("self"))
        && matches!(&inner.member, syn::Member::Unnamed(index) if index.index == 0);
    on_self.then(|| status.args[0].clone())
}

fn method_call<'a>(expr: &'a Expr, method: &str, arguments: usize) -> Option<&'a ExprMethodCall> {
    match expr {
        Expr::MethodCall(call) if call.method == method && call.args.len() == arguments => {
            Some(call)
        }
        _ => None,
    }
}

fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const THEN: &str = r#"
        pub mod operations {
            pub struct GetThingThen(::httpmock::Then);
            impl GetThingThen {
                pub fn ok(self, value: &types::Thing) -> Self {
                    Self(self.0.status(200u16).header("content-type", "application/json").json_body_obj(value))
                }
                pub fn ok_text(self, value: &str) -> Self {
                    Self(self.0.status(200u16).header("content-type", "text/plain").body(value))
                }
                pub fn no_content(self) -> Self {
                    Self(self.0.status(204u16))
                }
            }
        }
    "#;

    #[test]
    fn json_answers_become_one_call_and_others_stay() {
        let mut file = parse_file(THEN);
        mock_json_answers(&mut file);
        let out = pretty(&file);
        assert!(
            has(
                &out,
                "pub fn ok(self, value: &types::Thing) -> Self { Self(crate::mock_answer::json(self.0, 200u16, value)) }"
            ),
            "{out}"
        );
        assert!(
            has(&out, r#".header("content-type", "text/plain").body(value)"#),
            "{out}"
        );
        assert!(has(&out, "Self(self.0.status(204u16))"), "{out}");
        assert_eq!(out.matches("json_body_obj").count(), 0, "{out}");
    }

    #[test]
    fn another_content_type_stays() {
        let source = THEN.replace(
            r#""content-type", "application/json""#,
            r#""content-type", "application/problem+json""#,
        );
        let mut file = parse_file(&source);
        mock_json_answers(&mut file);
        assert!(pretty(&file).contains("json_body_obj"));
    }
}
