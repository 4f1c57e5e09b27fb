//! Pass: query and header parameters go on the wire under the document's name.
//!
//! A parameter named like a builder's own method (`send`, `timeout`, …) is handed to the
//! generator under its builder name (`send_param`, see `lower::rename_parameters`), which
//! progenitor also writes where the name goes on the wire. Here those places get the
//! document's name back: in the builder's `send()`, `QueryParam::new(name, ..)` and
//! `header_map.append(name, ..)`; in the typed mocks' `…When`, `query_param(name, ..)`,
//! `query_param_missing(name)`, `header(name, ..)` and `header_missing(name)`.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item};

use super::{module_items, operation_id};
use crate::plan::{Plan, operation_key};

pub fn wire_names(file: &mut syn::File, plan: &Plan) {
    let Some(items) = module_items(&mut file.items, &["builder"]) else {
        return;
    };
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let Some(names) =
                operation_id(function).and_then(|id| plan.wire_names.get(&operation_key(&id)))
            else {
                continue;
            };
            Restore { names, mock: false }.visit_block_mut(&mut function.block);
        }
    }
}

pub fn wire_names_in_mocks(file: &mut syn::File, plan: &Plan) {
    let Some(items) = module_items(&mut file.items, &["operations"]) else {
        return;
    };
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(operation) = name.strip_suffix("When") else {
            continue;
        };
        let Some(names) = plan.wire_names.get(&operation_key(operation)) else {
            continue;
        };
        Restore { names, mock: true }.visit_item_impl_mut(block);
    }
}

/// Replaces a builder name by the wire name where it is the first argument of a call that
/// names a query parameter or header.
struct Restore<'a> {
    names: &'a BTreeMap<String, String>,
    mock: bool,
}

impl Restore<'_> {
    fn restore(&self, name: &mut Expr) {
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = name
        else {
            return;
        };
        if let Some(wire) = self.names.get(&text.value()) {
            *text = syn::LitStr::new(wire, text.span());
        }
    }
}

impl VisitMut for Restore<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let Expr::Path(func) = &*call.func else {
            return;
        };
        let segments: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if !self.mock
            && segments.ends_with(&["QueryParam".to_owned(), "new".to_owned()])
            && let Some(name) = call.args.first_mut()
        {
            self.restore(name);
        }
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let names_a_parameter = if self.mock {
            [
                "query_param",
                "query_param_missing",
                "header",
                "header_missing",
            ]
            .iter()
            .any(|m| call.method == m)
        } else {
            call.method == "append"
                && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("header_map"))
        };
        if names_a_parameter && let Some(name) = call.args.first_mut() {
            self.restore(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let names = [("send_param", "send"), ("timeout_param", "Timeout")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()));
        plan.wire_names
            .insert("listthings".into(), names.into_iter().collect());
        plan
    }

    #[test]
    fn renamed_parameters_keep_their_wire_names() {
        let mut file = parse_file(
            r#"pub mod builder {
                impl<'a> ListThings<'a> {
                    pub fn send_param<V>(mut self, value: V) -> Self { self }
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                        header_map.append("timeout_param", timeout_param.to_string().try_into()?);
                        let mut request = client.client.get(url)
                            .query(&progenitor_client::QueryParam::new("send_param", &send_param))
                            .query(&progenitor_client::QueryParam::new("other_param", &other_param))
                            .headers(header_map).build()?;
                        let info = OperationInfo { operation_id: "list_things" };
                    }
                }
            }"#,
        );
        wire_names(&mut file, &plan());
        let out = pretty(&file);
        assert!(
            has(
                &out,
                r#"header_map.append("Timeout", timeout_param.to_string().try_into()?)"#
            ),
            "{out}"
        );
        assert!(
            has(&out, r#"QueryParam::new("send", &send_param)"#),
            "{out}"
        );
        assert!(
            has(&out, r#"QueryParam::new("other_param", &other_param)"#),
            "{out}"
        );
        assert!(has(&out, "pub fn send_param<V>"), "{out}");
    }

    #[test]
    fn mocks_match_the_wire_names() {
        let mut file = parse_file(
            r#"pub mod operations {
                impl ListThingsWhen {
                    pub fn send_param<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> {
                        if let Some(value) = value.into() { Self(self.0.query_param("send_param", value.to_string())) } else { Self(self.0.query_param_missing("send_param")) }
                    }
                    pub fn timeout_param(self, value: i64) -> Self { Self(self.0.header("timeout_param", value.to_string())) }
                }
                impl OtherWhen {
                    pub fn send_param(self, value: &str) -> Self { Self(self.0.query_param("send_param", value.to_string())) }
                }
            }"#,
        );
        wire_names_in_mocks(&mut file, &plan());
        let out = pretty(&file);
        assert!(
            has(&out, r#"self.0.query_param("send", value.to_string())"#),
            "{out}"
        );
        assert!(has(&out, r#"self.0.query_param_missing("send")"#), "{out}");
        assert!(
            has(&out, r#"self.0.header("Timeout", value.to_string())"#),
            "{out}"
        );
        assert_eq!(
            out.matches(r#"query_param("send_param""#).count(),
            1,
            "another operation keeps its names: {out}"
        );
    }
}
