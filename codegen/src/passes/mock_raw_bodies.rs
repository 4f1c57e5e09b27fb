//! Pass on the typed httpmock helpers: a text or bytes success body is answered as one.
//!
//! For any body that is not JSON, progenitor's `then` methods take a `serde_json::Value` and
//! answer it as JSON, which the client would then read as the text of that JSON. Here the
//! methods of the `…Then` of an operation with a raw success body take `&str` (text) or
//! `&[u8]` (bytes) and answer them as they are, with the document's media type.

use syn::visit_mut::VisitMut;
use syn::{Expr, ExprMethodCall, FnArg, ImplItem, Item, Pat};

use super::module_items;
use crate::plan::{Plan, RawMedia, operation_key};

pub fn mock_raw_bodies(file: &mut syn::File, plan: &Plan) {
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
        let Some(operation) = name.strip_suffix("Then") else {
            continue;
        };
        let Some(media) = plan.raw_success.get(&operation_key(operation)).copied() else {
            continue;
        };
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            let mut answer = RawAnswer {
                media,
                found: false,
            };
            answer.visit_block_mut(&mut function.block);
            if answer.found {
                set_value_type(function, media);
            }
        }
    }
}

/// `.header("content-type", "application/json").json_body(value)` becomes
/// `.header("content-type", <media>).body(value)`.
struct RawAnswer {
    media: RawMedia,
    found: bool,
}

impl VisitMut for RawAnswer {
    fn visit_expr_method_call_mut(&mut self, call: &mut ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let takes_value = call.args.len() == 1
            && matches!(&call.args[0], Expr::Path(p) if p.path.is_ident("value"));
        if call.method == "json_body" && takes_value {
            call.method = syn::Ident::new("body", call.method.span());
            self.found = true;
            if let Expr::MethodCall(header) = &mut *call.receiver
                && header.method == "header"
                && header.args.len() == 2
                && matches!(&header.args[0], Expr::Lit(l) if matches!(&l.lit, syn::Lit::Str(s) if s.value().eq_ignore_ascii_case("content-type")))
            {
                let media = self.media.media_type();
                header.args[1] = syn::parse_quote!(#media);
            }
        }
    }
}

fn set_value_type(function: &mut syn::ImplItemFn, media: RawMedia) {
    for input in &mut function.sig.inputs {
        let FnArg::Typed(typed) = input else { continue };
        if matches!(&*typed.pat, Pat::Ident(p) if p.ident == "value") {
            *typed.ty = match media {
                RawMedia::Text => syn::parse_quote!(&str),
                RawMedia::Bytes => syn::parse_quote!(&[u8]),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const THEN: &str = r#"
        pub mod operations {
            impl GetNoteThen {
                pub fn ok(self, value: ::serde_json::Value) -> Self {
                    Self(self.0.status(200u16).header("content-type", "application/json").json_body(value))
                }
                pub fn not_found(self, value: &types::ApiErrorBody) -> Self {
                    Self(self.0.status(404u16).header("content-type", "application/json").json_body_obj(value))
                }
            }
            impl GetThingThen {
                pub fn ok(self, value: ::serde_json::Value) -> Self {
                    Self(self.0.status(200u16).header("content-type", "application/json").json_body(value))
                }
            }
        }
    "#;

    #[test]
    fn raw_success_bodies_are_answered_as_text_or_bytes() {
        for (media, ty, content_type) in [
            (RawMedia::Text, "&str", "text/plain; charset=utf-8"),
            (RawMedia::Bytes, "&[u8]", "application/octet-stream"),
        ] {
            let mut plan = Plan::default();
            plan.raw_success.insert("getnote".into(), media);
            let mut file = parse_file(THEN);
            mock_raw_bodies(&mut file, &plan);
            let out = pretty(&file);
            assert!(
                has(&out, &format!("pub fn ok(self, value: {ty}) -> Self")),
                "{out}"
            );
            assert!(
                has(
                    &out,
                    &format!(".header(\"content-type\", \"{content_type}\").body(value)")
                ),
                "{out}"
            );
            // Error answers stay JSON, and operations without a raw body are left alone.
            assert!(has(&out, "value: &types::ApiErrorBody"), "{out}");
            assert!(has(&out, "json_body_obj(value)"), "{out}");
            assert_eq!(out.matches(".json_body(value)").count(), 1, "{out}");
        }
    }
}
