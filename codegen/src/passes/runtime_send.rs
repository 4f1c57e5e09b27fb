//! Pass: the runtime sends the request and reads the response.
//!
//! progenitor builds each request well (URL, path encoding, query, body) but its response
//! handling decodes strictly, loses the status of an undecodable body and has no retries.
//! This pass keeps the request half of every builder's `send()` and hands the rest to
//! `crate::runtime`, which paces, retries, and turns every outcome into `crate::Error`.
//! A success is the crate's own `ResponseValue` (`generated-client/src/response.rs`), whose
//! `Debug` does not print the service's text: the file's re-export of progenitor's
//! `ResponseValue`, which every `send()` signature names, becomes a re-export of it.

use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Pat, Stmt};

use super::template::{Fill, Template};
use super::{module_items, operation_id};
use crate::plan::{Plan, RawMedia, operation_key};

pub fn runtime_send(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let Some(items) = module_items(&mut file.items, &["builder"]) else {
        return Err("the generated file has no `builder` module".into());
    };
    let code = Code::new();
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident == "send"
                && let Err(e) = rewrite_send(&code, function, plan)
            {
                return Err(format!("builder {}: {e}", block.self_ty.to_token_stream()));
            }
        }
    }
    crate_response_value(file)
}

/// `pub use progenitor_client::{.., ResponseValue, ..};` at the file's root loses
/// `ResponseValue`, and `pub use crate::response::ResponseValue;` follows it.
fn crate_response_value(file: &mut syn::File) -> Result<(), String> {
    let is_response_value =
        |tree: &syn::UseTree| matches!(tree, syn::UseTree::Name(n) if n.ident == "ResponseValue");
    let position = file.items.iter_mut().position(|item| {
        let Item::Use(used) = item else { return false };
        let syn::UseTree::Path(path) = &mut used.tree else {
            return false;
        };
        let syn::UseTree::Group(group) = &mut *path.tree else {
            return false;
        };
        if path.ident != "progenitor_client" || !group.items.iter().any(is_response_value) {
            return false;
        }
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|tree| !is_response_value(tree))
            .collect();
        true
    });
    let position = position
        .ok_or("the generated file does not re-export progenitor_client's `ResponseValue`")?;
    file.items.insert(
        position + 1,
        syn::parse_quote!(
            pub use crate::response::ResponseValue;
        ),
    );
    Ok(())
}

/// Which runtime function reads the success body.
#[derive(PartialEq)]
enum SuccessBody {
    Json,
    Empty,
    /// progenitor's `ResponseValue::stream`, for any body that is not JSON; the document says
    /// whether it is text or bytes.
    Raw,
}

/// What this pass writes in every `send()`, parsed once per pass.
struct Code {
    /// The hand-over to each runtime function, for the operation's path `"__PATH"`.
    send_json: Template<Expr>,
    send_empty: Template<Expr>,
    send_text: Template<Expr>,
    send_bytes: Template<Expr>,
    invalid_request: syn::ExprPath,
    error: syn::GenericArgument,
}

impl Code {
    fn new() -> Self {
        Code {
            send_json: Template::new(syn::parse_quote!(
                crate::runtime::send_json(client, request, &info, "__PATH").await
            )),
            send_empty: Template::new(syn::parse_quote!(
                crate::runtime::send_empty(client, request, &info, "__PATH").await
            )),
            send_text: Template::new(syn::parse_quote!(
                crate::runtime::send_text(client, request, &info, "__PATH").await
            )),
            send_bytes: Template::new(syn::parse_quote!(
                crate::runtime::send_bytes(client, request, &info, "__PATH").await
            )),
            invalid_request: syn::parse_quote!(crate::Error::invalid_request),
            error: syn::parse_quote!(crate::Error),
        }
    }
}

fn rewrite_send(code: &Code, function: &mut syn::ImplItemFn, plan: &Plan) -> Result<(), String> {
    let id = operation_id(function)
        .ok_or("send() builds no `OperationInfo { operation_id: \"..\" }`")?;
    let key = operation_key(&id);
    let path = plan
        .operation_paths
        .get(&key)
        .ok_or_else(|| format!("operation `{id}` is not in the document"))?;
    let statements = &mut function.block.stmts;
    let hand_over = statements
        .iter()
        .position(is_pre_hook)
        .ok_or("send() has no `client.pre(..)` call to hand over at")?;
    let Some(Stmt::Expr(Expr::Match(outcome), None)) = statements.last() else {
        return Err("send() does not end in a match on the response status".into());
    };
    let (runtime_fn, success_type) = match (success_body(outcome)?, plan.raw_success.get(&key)) {
        (SuccessBody::Json, _) => (&code.send_json, None),
        (SuccessBody::Empty, _) => (&code.send_empty, None),
        (SuccessBody::Raw, Some(RawMedia::Text)) => {
            (&code.send_text, Some(quote!(::std::string::String)))
        }
        (SuccessBody::Raw, Some(RawMedia::Bytes)) => {
            (&code.send_bytes, Some(quote!(::std::vec::Vec<u8>)))
        }
        (SuccessBody::Raw, None) => {
            return Err(format!(
                "operation `{id}` has a success body the document gives no text or bytes media type"
            ));
        }
    };
    statements.truncate(hand_over);
    statements.push(Stmt::Expr(
        runtime_fn.fill(&mut [("__PATH", Fill::Str(path.clone()))]),
        None,
    ));
    ErrorPaths(&code.invalid_request).visit_block_mut(&mut function.block);
    set_result_types(
        &mut function.sig.output,
        success_type.map(|t| syn::parse_quote!(ResponseValue<#t>)),
        &code.error,
    )
}

/// Whether a statement is `client.pre(..).await?;`, the hook before the request is sent.
fn is_pre_hook(statement: &Stmt) -> bool {
    let Stmt::Expr(Expr::Try(attempt), Some(_)) = statement else {
        return false;
    };
    let Expr::Await(awaited) = &*attempt.expr else {
        return false;
    };
    let Expr::MethodCall(call) = &*awaited.base else {
        return false;
    };
    call.method == "pre" && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("client"))
}

/// How the success bodies are read, from the match arms that produce `Ok`. (Which statuses
/// succeed is the runtime's business: every 2xx.)
fn success_body(outcome: &syn::ExprMatch) -> Result<SuccessBody, String> {
    let mut body = None;
    for arm in &outcome.arms {
        // Error arms are `Err(..)`, bare or in a block; `_` catches unexpected statuses.
        let calls = called_paths(&arm.body);
        if calls.iter().any(|c| c.as_slice() == ["Err"]) || matches!(arm.pat, Pat::Wild(_)) {
            continue;
        }
        let status = arm.pat.to_token_stream();
        let calls_response_value = |name: &str| {
            calls
                .iter()
                .any(|c| c.as_slice() == ["ResponseValue", name])
        };
        let this = if calls_response_value("from_response") {
            SuccessBody::Json
        } else if calls_response_value("empty") {
            SuccessBody::Empty
        } else if calls_response_value("stream") {
            SuccessBody::Raw
        } else {
            return Err(format!(
                "success status {status} has a body that is neither JSON, raw nor empty"
            ));
        };
        if body.as_ref().is_some_and(|before| *before != this) {
            return Err("success statuses mix JSON, raw and empty bodies".into());
        }
        body = Some(this);
    }
    body.ok_or_else(|| "send() has no success status".into())
}

/// The paths of the functions an expression calls (`Err`, `ResponseValue::empty`), as segments.
fn called_paths(expr: &Expr) -> Vec<Vec<String>> {
    struct Calls(Vec<Vec<String>>);
    impl<'a> syn::visit::Visit<'a> for Calls {
        fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
            if let Expr::Path(path) = &*call.func {
                self.0.push(path_segments(&path.path));
            }
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut calls = Calls(Vec::new());
    syn::visit::Visit::visit_expr(&mut calls, expr);
    calls.0
}

fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// `Error::InvalidRequest` (progenitor's) becomes `crate::Error::invalid_request`.
struct ErrorPaths<'a>(&'a syn::ExprPath);

impl VisitMut for ErrorPaths<'_> {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        let segments = &expr.path.segments;
        if segments.len() == 2
            && segments[0].ident == "Error"
            && segments[1].ident == "InvalidRequest"
        {
            *expr = self.0.clone();
        }
        syn::visit_mut::visit_expr_path_mut(self, expr);
    }
}

/// `Result<ResponseValue<T>, Error<..>>` becomes `Result<ResponseValue<T>, crate::Error>`, and
/// `Result<success, crate::Error>` when the success type changes (a raw body: progenitor's
/// `ByteStream` becomes the text or the bytes the runtime read).
fn set_result_types(
    output: &mut syn::ReturnType,
    success: Option<syn::Type>,
    crate_error: &syn::GenericArgument,
) -> Result<(), String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return Err("send() returns nothing".into());
    };
    let syn::Type::Path(path) = ty.as_mut() else {
        return Err("send() does not return a Result".into());
    };
    let last = path
        .path
        .segments
        .last_mut()
        .ok_or("send() has an empty return type")?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return Err("send() does not return a Result<T, E>".into());
    };
    let mut args = args.args.iter_mut();
    let (Some(ok), Some(error)) = (args.next(), args.next()) else {
        return Err("send() does not return a Result<T, E>".into());
    };
    if let Some(success) = success {
        *ok = syn::GenericArgument::Type(success);
    }
    *error = crate_error.clone();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    fn plan() -> Plan {
        let mut plan = Plan::default();
        plan.operation_paths
            .insert("getthing".into(), "/things/{id}".into());
        plan
    }

    const SEND: &str = r#"
        pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
        pub mod builder {
            impl<'a> GetThing<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiErrorBody>> {
                    let Self { client, id } = self;
                    let id = id.map_err(Error::InvalidRequest)?;
                    let mut request = client.client.get(url).build()?;
                    let info = OperationInfo { operation_id: "get_thing" };
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        201u16 => ResponseValue::from_response(response).await,
                        404u16 => {
                            Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                        }
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        }
    "#;

    #[test]
    fn hands_the_response_to_the_runtime() {
        let mut file = parse_file(SEND);
        runtime_send(&mut file, &plan()).unwrap();
        let out = pretty(&file);
        assert!(
            has(&out, "Result<ResponseValue<types::Thing>, crate::Error>"),
            "{out}"
        );
        assert!(
            has(
                &out,
                "crate::runtime::send_json(client, request, &info, \"/things/{id}\").await"
            ),
            "{out}"
        );
        assert!(
            has(&out, "id.map_err(crate::Error::invalid_request)?"),
            "{out}"
        );
        assert!(!has(&out, "client.pre"), "{out}");
        assert!(!has(&out, "match response"), "{out}");
        assert!(
            has(
                &out,
                "pub use progenitor_client::{ByteStream, ClientInfo, Error};\npub use crate::response::ResponseValue;"
            ),
            "{out}"
        );
    }

    #[test]
    fn empty_success_bodies_use_send_empty() {
        let source = SEND.replace(
            "200u16 => ResponseValue::from_response(response).await,\n                        201u16 => ResponseValue::from_response(response).await,",
            "204u16 => Ok(ResponseValue::empty(response)),",
        );
        let mut file = parse_file(&source);
        runtime_send(&mut file, &plan()).unwrap();
        assert!(has(
            &pretty(&file),
            "crate::runtime::send_empty(client, request, &info, \"/things/{id}\").await"
        ));
    }

    #[test]
    fn a_range_of_success_statuses_is_handed_over_too() {
        let source = SEND.replace("201u16 =>", "202u16..=299u16 =>");
        let mut file = parse_file(&source);
        runtime_send(&mut file, &plan()).unwrap();
        assert!(has(
            &pretty(&file),
            "crate::runtime::send_json(client, request, &info, \"/things/{id}\").await"
        ));
    }

    #[test]
    fn mixed_success_bodies_are_an_error_naming_the_builder() {
        let source = SEND.replace(
            "201u16 => ResponseValue::from_response(response).await,",
            "204u16 => Ok(ResponseValue::empty(response)),",
        );
        let error = runtime_send(&mut parse_file(&source), &plan()).unwrap_err();
        assert!(
            error.contains("GetThing") && error.contains("mix JSON, raw and empty"),
            "{error}"
        );
    }

    #[test]
    fn raw_success_bodies_become_text_or_bytes_as_the_document_says() {
        let source = SEND.replace(
            "ResponseValue::from_response(response).await,",
            "Ok(ResponseValue::stream(response)),",
        );
        let source = source.replace("ResponseValue<types::Thing>", "ResponseValue<ByteStream>");
        for (media, function, success) in [
            (
                RawMedia::Text,
                "send_text",
                "ResponseValue<::std::string::String>",
            ),
            (
                RawMedia::Bytes,
                "send_bytes",
                "ResponseValue<::std::vec::Vec<u8>>",
            ),
        ] {
            let mut plan = plan();
            plan.raw_success.insert("getthing".into(), media);
            let mut file = parse_file(&source);
            runtime_send(&mut file, &plan).unwrap();
            let out = pretty(&file);
            assert!(
                has(&out, &format!("Result<{success}, crate::Error>")),
                "{out}"
            );
            assert!(
                has(
                    &out,
                    &format!(
                        "crate::runtime::{function}(client, request, &info, \"/things/{{id}}\").await"
                    )
                ),
                "{out}"
            );
        }
        let error = runtime_send(&mut parse_file(&source), &plan()).unwrap_err();
        assert!(
            error.contains("`get_thing`") && error.contains("no text or bytes media type"),
            "{error}"
        );
    }

    #[test]
    fn an_operation_the_document_lacks_is_an_error() {
        let source = SEND.replace("\"get_thing\"", "\"get_other\"");
        let error = runtime_send(&mut parse_file(&source), &plan()).unwrap_err();
        assert!(
            error.contains("`get_other` is not in the document"),
            "{error}"
        );
    }

    #[test]
    fn a_send_without_hooks_is_an_error() {
        let source = SEND.replace("client.pre(&mut request, &info).await?;", "");
        let error = runtime_send(&mut parse_file(&source), &plan()).unwrap_err();
        assert!(error.contains("client.pre"), "{error}");
    }
}
