//! Pass: progenitor's `api-version` header is not built.
//!
//! progenitor adds to every request an `api-version` header holding the document's version;
//! careCycle does not use it, so the request goes without it (the operations tests check
//! that it is not on the wire). In each builder's `send()` the header is found by its value,
//! `HeaderValue::from_static(super::Client::api_version())`, the second argument of a
//! `header_map.append(..)` statement. That statement goes; a header map left with nothing to
//! hold goes too, with the `.headers(header_map)` that hands it to the request.

use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Lit, Stmt};

use super::module_items;

const MAP: &str = "header_map";

pub fn api_version_header(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, &["builder"]) else {
        return;
    };
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        for impl_item in &mut block.items {
            if let ImplItem::Fn(function) = impl_item
                && function.sig.ident == "send"
            {
                drop_api_version(&mut function.block.stmts);
            }
        }
    }
}

fn drop_api_version(statements: &mut Vec<Stmt>) {
    let before = statements.len();
    statements.retain(|stmt| !appends_api_version(stmt));
    let removed = before - statements.len();
    if removed == 0 {
        return;
    }
    let Some(index) = statements
        .iter()
        .position(|stmt| map_capacity(stmt).is_some())
    else {
        return;
    };
    let capacity = map_capacity(&statements[index]).unwrap_or(0);
    let left = capacity.saturating_sub(removed);
    if left > 0 {
        if let Stmt::Local(local) = &mut statements[index]
            && let Some(init) = &mut local.init
        {
            *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::with_capacity(#left));
        }
        return;
    }
    statements.remove(index);
    let mut handed_over = WithoutHeaders;
    for stmt in statements.iter_mut() {
        handed_over.visit_stmt_mut(stmt);
    }
}

/// `header_map.append(name, HeaderValue::from_static(super::Client::api_version()));`
fn appends_api_version(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    let on_map = matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident(MAP));
    if !on_map || call.method != "append" || call.args.len() != 2 {
        return false;
    }
    let Some(Expr::Call(from_static)) = call.args.last() else {
        return false;
    };
    let [Expr::Call(value)] = from_static.args.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    ends_with(&from_static.func, "from_static") && ends_with(&value.func, "api_version")
}

fn ends_with(func: &Expr, name: &str) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The capacity of `let mut header_map = HeaderMap::with_capacity(N);`.
fn map_capacity(stmt: &Stmt) -> Option<usize> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(binding) = &local.pat else {
        return None;
    };
    if binding.ident != MAP {
        return None;
    }
    let Expr::Call(call) = &*local.init.as_ref()?.expr else {
        return None;
    };
    if !ends_with(&call.func, "with_capacity") {
        return None;
    }
    match call.args.first()? {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(n), ..
        }) => n.base10_parse().ok(),
        _ => None,
    }
}

/// `request.headers(header_map)` becomes `request`.
struct WithoutHeaders;

impl VisitMut for WithoutHeaders {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && matches!(call.args.first(), Some(Expr::Path(p)) if p.path.is_ident(MAP))
        {
            *expr = (*call.receiver).clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    fn builder(extra_header: &str) -> String {
        format!(
            r#"pub mod builder {{
                impl<'a> GetThing<'a> {{
                    pub async fn send(self) -> Result<(), crate::Error> {{
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity({}usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        {extra_header}
                        #[allow(unused_mut)]
                        let mut request = client.client.get(url).headers(header_map).build()?;
                        crate::runtime::send_empty(client, request).await
                    }}
                }}
            }}"#,
            if extra_header.is_empty() { 1 } else { 2 }
        )
    }

    #[test]
    fn the_api_version_header_and_its_empty_map_go() {
        let mut file = parse_file(&builder(""));
        api_version_header(&mut file);
        let out = pretty(&file);
        assert!(
            !out.contains("api_version") && !out.contains("header_map"),
            "{out}"
        );
        assert!(
            has(&out, "let mut request = client.client.get(url).build()?;"),
            "{out}"
        );
    }

    #[test]
    fn a_map_with_other_headers_stays_one_smaller() {
        let mut file = parse_file(&builder(
            r#"header_map.append("x-trace", value.to_string().try_into()?);"#,
        ));
        api_version_header(&mut file);
        let out = pretty(&file);
        assert!(!out.contains("api_version"), "{out}");
        assert!(has(&out, "HeaderMap::with_capacity(1usize)"), "{out}");
        assert!(has(&out, "header_map.append(\"x-trace\""), "{out}");
        assert!(has(&out, ".get(url).headers(header_map).build()?"), "{out}");
    }
}
