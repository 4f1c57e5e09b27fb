//! Pass: every operation's builder takes per-call options.
//!
//! `.header(name, value)`, `.query(name, value)`, `.timeout(duration)` and
//! `.retry_policy(policy)` collect into a `crate::runtime::CallOptions` field that `send()`
//! hands to the runtime with the request (after `runtime_send` has made it end there). The
//! runtime checks the options and applies them to the request progenitor built. The methods
//! are written once, in the client crate's `call_option_methods!`: each builder gets one call
//! of it after its impl (a test checks that the macro expands to [`methods`]).
//!
//! An operation builder is found by its role: a struct of the `builder` module holding the
//! `client: &super::Client` it sends with, generic over that one lifetime; its inherent impl
//! has `new` (which builds `Self { .. }`) and `send` (which destructures `let Self { .. } =
//! self` and ends in the runtime).

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, ImplItem, Item, Pat, Stmt};

use syn::parse::Parser;

use super::module_items;
use super::template::{Fill, Template};

/// The field the options live in, and the binding `send()` hands to the runtime.
pub(crate) const FIELD: &str = "call_options";
/// The methods this pass adds; a builder that already has one is an error.
pub(crate) const METHODS: [&str; 4] = ["header", "query", "timeout", "retry_policy"];
/// The client crate's macro that writes them.
const MACRO: &str = "call_option_methods";

pub fn call_options(file: &mut syn::File) -> Result<(), String> {
    let Some(items) = module_items(&mut file.items, &["builder"]) else {
        return Err("the generated file has no `builder` module".into());
    };
    let code = Code::new();
    let mut builders = BTreeMap::new();
    for item in items.iter_mut() {
        let Item::Struct(builder) = item else {
            continue;
        };
        if let Fields::Named(fields) = &mut builder.fields
            && fields.named.iter().any(holds_the_client)
        {
            if !matches!(
                builder.generics.params.iter().collect::<Vec<_>>()[..],
                [syn::GenericParam::Lifetime(_)]
            ) {
                return Err(format!(
                    "builder {}: expected one lifetime parameter, the client's",
                    builder.ident
                ));
            }
            if fields
                .named
                .iter()
                .any(|f| f.ident.as_ref().is_some_and(|i| i == FIELD))
            {
                return Err(format!(
                    "builder {}: a parameter is named `{FIELD}`",
                    builder.ident
                ));
            }
            fields.named.push(code.field.clone());
            builders.insert(builder.ident.to_string(), builder.ident.clone());
        }
    }
    let mut extended = BTreeSet::new();
    for item in std::mem::take(items) {
        let call = match &item {
            Item::Impl(block) if block.trait_.is_none() => self_name(&block.self_ty)
                .and_then(|n| builders.get(&n))
                .filter(|name| !extended.contains(&name.to_string())),
            _ => None,
        };
        let Some(name) = call else {
            items.push(item);
            continue;
        };
        let Item::Impl(mut block) = item else {
            unreachable!("matched as an impl above")
        };
        extend(&code, &mut block).map_err(|e| format!("builder {name}: {e}"))?;
        extended.insert(name.to_string());
        items.push(Item::Impl(block));
        items.push(
            code.call
                .fill(&mut [("__BUILDER", Fill::Ident(name.clone()))]),
        );
    }
    if let Some(missed) = builders.keys().find(|name| !extended.contains(*name)) {
        return Err(format!(
            "builder {missed}: no impl with `new` and `send` was found"
        ));
    }
    Ok(())
}

/// The impl a call of `call_option_methods!` stands for, or `None` when `item` is no such
/// call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let Item::Macro(call) = item else { return None };
    if call.mac.path.segments.last()?.ident != MACRO {
        return None;
    }
    let name: syn::Ident = syn::parse2(call.mac.tokens.clone()).ok()?;
    let methods = methods();
    Some(vec![syn::parse_quote!(impl<'a> #name<'a> { #(#methods)* })])
}

/// `client: &'a super::Client`: the field an operation builder sends with.
fn holds_the_client(field: &syn::Field) -> bool {
    let syn::Type::Reference(reference) = &field.ty else {
        return false;
    };
    let syn::Type::Path(path) = reference.elem.as_ref() else {
        return false;
    };
    field.ident.as_ref().is_some_and(|i| i == "client")
        && path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Client")
}

fn self_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    Some(path.path.segments.last()?.ident.to_string())
}

/// What this pass writes in every builder, parsed once per pass.
struct Code {
    field: syn::Field,
    initial: syn::FieldValue,
    binding: syn::FieldPat,
    argument: Expr,
    call: Template<Item>,
}

impl Code {
    fn new() -> Self {
        let field = syn::Ident::new(FIELD, proc_macro2::Span::call_site());
        Code {
            field: syn::Field::parse_named
                .parse2(quote::quote!(#field: crate::runtime::CallOptions))
                .expect("a field"),
            initial: syn::parse_quote!(#field: ::std::default::Default::default()),
            binding: syn::FieldPat {
                attrs: Vec::new(),
                member: syn::Member::Named(field.clone()),
                colon_token: None,
                pat: Box::new(syn::parse_quote!(#field)),
            },
            argument: syn::parse_quote!(#field),
            call: Template::new(syn::parse_quote!(crate::call::call_option_methods!(__BUILDER);)),
        }
    }
}

fn extend(code: &Code, block: &mut syn::ItemImpl) -> Result<(), String> {
    let mut found_new = false;
    let mut found_send = false;
    for impl_item in &mut block.items {
        let ImplItem::Fn(function) = impl_item else {
            continue;
        };
        let name = function.sig.ident.to_string();
        if METHODS.contains(&name.as_str()) {
            return Err(format!(
                "it already has a method `{name}` (a parameter of that name?)"
            ));
        }
        if name == "new" {
            initialise(code, function)?;
            found_new = true;
        } else if name == "send" {
            hand_over(code, function)?;
            found_send = true;
        }
    }
    if !found_new || !found_send {
        return Err("its impl lacks `new` or `send`".into());
    }
    Ok(())
}

/// `new` ends in `Self { .. }`: the options start empty.
fn initialise(code: &Code, function: &mut syn::ImplItemFn) -> Result<(), String> {
    let Some(Stmt::Expr(Expr::Struct(init), None)) = function.block.stmts.last_mut() else {
        return Err("new() does not end in `Self { .. }`".into());
    };
    init.fields.push(code.initial.clone());
    Ok(())
}

/// `send` takes the options out of `self` with the other fields and passes them, as the last
/// argument, to the `crate::runtime` function it ends in.
fn hand_over(code: &Code, function: &mut syn::ImplItemFn) -> Result<(), String> {
    let destructure = function.block.stmts.iter_mut().find_map(|stmt| match stmt {
        Stmt::Local(local) => match &mut local.pat {
            Pat::Struct(pattern) if pattern.path.is_ident("Self") => Some(pattern),
            _ => None,
        },
        _ => None,
    });
    let pattern = destructure.ok_or("send() does not destructure `let Self { .. } = self`")?;
    pattern.fields.push(code.binding.clone());
    let mut runtime_calls = RuntimeCalls(0, &code.argument);
    runtime_calls.visit_block_mut(&mut function.block);
    match runtime_calls.0 {
        1 => Ok(()),
        n => Err(format!(
            "send() has {n} calls into `crate::runtime`, expected 1"
        )),
    }
}

/// Appends `call_options` to calls of `crate::runtime::*`, counting them.
struct RuntimeCalls<'a>(usize, &'a Expr);

impl VisitMut for RuntimeCalls<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let Expr::Path(path) = call.func.as_ref() {
            let segments = &path.path.segments;
            if segments.len() == 3 && segments[0].ident == "crate" && segments[1].ident == "runtime"
            {
                call.args.push(self.1.clone());
                self.0 += 1;
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

/// The per-call methods, as `call_option_methods!` writes them.
fn methods() -> Vec<ImplItem> {
    let block: syn::ItemImpl = syn::parse_quote! {
        impl Methods {
            /// Adds a header to this call, replacing one the client would send under the same
            /// name (several calls with one name send every value). `send()` refuses, naming
            /// the header: `x-api-key` in any case (the client sends the key itself),
            /// `host`, `content-length`, `transfer-encoding`, `connection`, a name HTTP does
            /// not allow, a value with a control character or non-ASCII text, and a value
            /// holding the API key. See the crate documentation, "Per-call options".
            pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                self.call_options = self.call_options.header(name.as_ref(), value.as_ref());
                self
            }
            /// Adds a query parameter the operation does not name (a filter or paging
            /// parameter the reference leaves out), percent-encoded. `send()` refuses an empty
            /// name, a parameter the operation sets itself (use its setter), and a value
            /// holding the API key.
            pub fn query(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                self.call_options = self.call_options.query(name.as_ref(), value.as_ref());
                self
            }
            /// How long each attempt of this call may take, instead of the client's
            /// `request_timeout`. Zero is refused by `send()`.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call_options = self.call_options.timeout(timeout);
                self
            }
            /// How this call is retried, instead of the client's policy.
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.call_options = self.call_options.retry_policy(policy);
                self
            }
        }
    };
    block.items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    const BUILDER: &str = r#"
        pub mod builder {
            #[derive(Debug, Clone)]
            pub struct GetThing<'a> {
                client: &'a super::Client,
                id: Result<::uuid::Uuid, String>,
            }
            impl<'a> GetThing<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self { client: client, id: Err("id was not initialized".to_string()) }
                }
                pub fn id<V>(mut self, value: V) -> Self { self }
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, crate::Error> {
                    let Self { client, id } = self;
                    let id = id.map_err(crate::Error::invalid_request)?;
                    let info = OperationInfo { operation_id: "get_thing" };
                    crate::runtime::send_json(client, request, &info, "/things/{id}").await
                }
            }
        }
    "#;

    #[test]
    fn builders_carry_options_to_the_runtime() {
        let mut file = parse_file(BUILDER);
        call_options(&mut file).unwrap();
        let out = pretty(&file);
        assert!(
            has(&out, "call_options: crate::runtime::CallOptions,"),
            "{out}"
        );
        assert!(
            has(&out, "call_options: ::std::default::Default::default()"),
            "{out}"
        );
        assert!(
            has(&out, "let Self { client, id, call_options } = self;"),
            "{out}"
        );
        assert!(
            has(
                &out,
                "send_json(client, request, &info, \"/things/{id}\", call_options"
            ),
            "{out}"
        );
        assert!(
            has(&out, "crate::call::call_option_methods!(GetThing);"),
            "{out}"
        );
        let call = match &file.items[0] {
            Item::Mod(m) => m.content.as_ref().unwrap().1.last().unwrap(),
            _ => unreachable!(),
        };
        let methods = pretty(&syn::File {
            items: expansion(call).expect("the macro call expands"),
            ..parse_file("")
        });
        assert!(has(&methods, "impl<'a> GetThing<'a>"), "{methods}");
        for method in METHODS {
            assert!(
                has(&methods, &format!("pub fn {method}(mut self")),
                "{method}: {methods}"
            );
        }
    }

    /// The client crate's `macro_rules!` expands to exactly [`methods`].
    #[test]
    fn the_runtime_macro_is_the_methods() {
        let source = include_str!("../../../generated-client/src/call.rs");
        let body =
            crate::passes::expand_runtime_macro(source, MACRO, &[("name", quote::quote!(Example))]);
        // Formatted, so that doc comments compare by their text, not their literal's form.
        let expanded: syn::File = syn::parse2(body).unwrap();
        let expected =
            expansion(&syn::parse_quote!(crate::call::call_option_methods!(Example);)).unwrap();
        assert_eq!(
            pretty(&expanded),
            pretty(&syn::File {
                items: expected,
                ..parse_file("")
            })
        );
    }

    #[test]
    fn a_builder_with_other_generics_is_an_error_naming_it() {
        let source = BUILDER.replace("pub struct GetThing<'a>", "pub struct GetThing<'a, T>");
        let error = call_options(&mut parse_file(&source)).unwrap_err();
        assert!(
            error.contains("GetThing") && error.contains("lifetime"),
            "{error}"
        );
    }

    #[test]
    fn a_parameter_named_like_a_method_is_an_error_naming_the_builder() {
        let source = BUILDER.replace("pub fn id<V>", "pub fn query<V>");
        let error = call_options(&mut parse_file(&source)).unwrap_err();
        assert!(
            error.contains("GetThing") && error.contains("`query`"),
            "{error}"
        );
    }

    #[test]
    fn a_send_that_does_not_reach_the_runtime_is_an_error() {
        let source = BUILDER.replace("crate::runtime::send_json", "other::send_json");
        let error = call_options(&mut parse_file(&source)).unwrap_err();
        assert!(
            error.contains("GetThing") && error.contains("0 calls"),
            "{error}"
        );
    }

    #[test]
    fn structs_without_the_client_are_left_alone() {
        let source = BUILDER.replace("client: &'a super::Client,", "client: u8,");
        let mut file = parse_file(&source);
        call_options(&mut file).unwrap();
        assert!(!pretty(&file).contains("call_options"));
    }
}
