//! Pass: a request body is checked where the request is assembled, nested values included.
//!
//! typify would check string limits in a newtype per limited field, ignores item counts, and
//! says neither which field nor where in a nested value. Lowering takes the string limits off
//! the component properties (`lower::lift_property_limits`), so those fields are `String`s,
//! and the plan keeps the limits. Here each struct of `types` that holds something to check
//! gets `impl crate::check::Check`, one line per field: the field's rule (string limits for
//! the types requests hold, item counts) or, for a field holding such a struct, its own
//! checks. Each operation's `send()` builds its body through `crate::check::request_body`,
//! which converts the builder and runs those checks, and its `body()` takes `crate::Builds`.
//! Responses are decoded without checks and stay tolerant.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item};

use super::template::{Fill, Template};
use super::{field_names, generic_arg, module_items, option_inner};
use crate::plan::Plan;

pub fn request_checks(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    let code = Code::new();
    let bodies = body_types(&code, file)?;
    let types = module_items(&mut file.items, &["types"]).ok_or("no `types` module")?;
    let structs: BTreeMap<String, &syn::ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) if matches!(s.fields, Fields::Named(_)) => {
                Some((s.ident.to_string(), s))
            }
            _ => None,
        })
        .collect();
    let rules: BTreeMap<String, Vec<FieldRule>> = structs
        .iter()
        .map(|(name, item)| (name.clone(), field_rules(name, item, plan)))
        .collect();

    // An open enum's `Unrecognized` serialises as an error that cannot say where it sits, so a
    // request field holding one is checked like a rule: the refusal names the field's path.
    let open_enums: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if e.variants.iter().any(|v| v.ident == "Unrecognized") => {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let holds_open_enum = |fields: &Vec<FieldRule>| {
        fields
            .iter()
            .any(|f| f.holds.as_ref().is_some_and(|h| open_enums.contains(h)))
    };

    // A struct is checked when a field has a rule, holds a checked struct, or (in a type requests
    // hold) an open enum.
    let mut checked: BTreeSet<String> = rules
        .iter()
        .filter(|(name, fields)| {
            fields.iter().any(|f| f.rule.is_some())
                || (!plan.received_only.contains(*name) && holds_open_enum(fields))
        })
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let more: Vec<String> = rules
            .iter()
            .filter(|(name, fields)| {
                !checked.contains(*name)
                    && fields
                        .iter()
                        .any(|f| f.holds.as_ref().is_some_and(|h| checked.contains(h)))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        checked.extend(more);
    }

    let held_enums: BTreeSet<String> = checked
        .iter()
        .flat_map(|name| rules[name].iter().filter_map(|f| f.holds.clone()))
        .filter(|held| open_enums.contains(held))
        .collect();

    // Items of a counted array are checked by their own type, which needs an impl too.
    let defined: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let counted: BTreeSet<String> = rules
        .values()
        .flatten()
        .filter(|field| field.rule.is_some())
        .filter_map(|field| field.holds.clone())
        .filter(|held| defined.contains(held) && !checked.contains(held))
        .collect();
    let mut impls: Vec<Item> = counted
        .iter()
        .filter(|name| !bodies.contains(*name))
        .map(|name| code.no_checks.fill(&mut [("__TYPE", Fill::ident(name))]))
        .collect();
    if !held_enums.is_empty() {
        let names = held_enums
            .iter()
            .map(|name| syn::Ident::new(name, proc_macro2::Span::call_site()));
        impls.push(syn::parse_quote!(crate::check::open_enums!(#(#names),*);));
    }
    // Many fields share a rule (`Rule::max_length(255usize)`): each is parsed once.
    let mut parsed: HashMap<String, syn::Expr> = HashMap::new();
    for (name, fields) in &rules {
        if checked.contains(name) {
            let lines = fields
                .iter()
                .filter_map(|field| {
                    let rule = match (&field.rule, &field.holds) {
                        (Some(rule), _) => parsed
                            .entry(rule.to_string())
                            .or_insert_with(|| syn::parse2(rule.clone()).expect("a rule parses"))
                            .clone(),
                        (None, Some(held))
                            if checked.contains(held) || held_enums.contains(held) =>
                        {
                            code.no_rule.clone()
                        }
                        _ => return None,
                    };
                    Some(code.line.fill(&mut [
                        ("__FIELD", Fill::Ident(field.ident.clone())),
                        ("__WIRE", Fill::Str(field.wire.clone())),
                        ("__RULE", Fill::expr(rule)),
                    ]))
                })
                .collect();
            impls.push(code.checks.fill(&mut [
                ("__TYPE", Fill::ident(name)),
                ("__LINES", Fill::Stmts(lines)),
            ]));
        } else if bodies.contains(name) {
            impls.push(code.no_checks.fill(&mut [("__TYPE", Fill::ident(name))]));
        }
    }
    if let Some(missing) = bodies.iter().find(|body| !rules.contains_key(*body)) {
        return Err(format!(
            "the request body type `{missing}` is not a struct of the generated types"
        ));
    }
    types.extend(impls);
    Ok(())
}

/// The code this pass writes for every type or field, parsed once per pass (parsing it for
/// each of them cost more than the rest of the pass).
struct Code {
    no_checks: Template<Item>,
    /// A `Check` impl; `__LINES` stands for one statement per field.
    checks: Template<Item>,
    line: Template<syn::Stmt>,
    no_rule: syn::Expr,
    body_setter: Template<syn::ImplItemFn>,
    checked_body: Template<syn::Expr>,
}

impl Code {
    fn new() -> Self {
        Code {
            no_checks: Template::new(syn::parse_quote!(impl crate::check::Check for __TYPE {})),
            checks: Template::new(syn::parse_quote! {
                impl crate::check::Check for __TYPE {
                    fn check(&self, at: &crate::check::Path<'_>, _: &crate::check::Rule) -> ::std::result::Result<(), crate::Error> {
                        use crate::check::{Check as _, Rule};
                        __LINES;
                        Ok(())
                    }
                }
            }),
            line: Template::new(
                syn::parse_quote!(self.__FIELD.check(&at.field("__WIRE"), &__RULE)?;),
            ),
            no_rule: syn::parse_quote!(Rule::NONE),
            body_setter: Template::new(syn::parse_quote! {
                fn body<V>(mut self, value: V) -> Self
                where
                    V: crate::Builds<types::__TYPE>,
                {
                    self.body = crate::Builds::build(value).map(::std::convert::From::from);
                    self
                }
            }),
            checked_body: Template::new(syn::parse_quote!(crate::check::request_body::<
                types::__TYPE,
                _,
            >(body)?)),
        }
    }
}

/// One field of a struct: its rule, and the struct of `types` it holds (through `Option`,
/// `Patch`, `Vec`, `Box`).
struct FieldRule {
    ident: syn::Ident,
    wire: String,
    rule: Option<TokenStream>,
    holds: Option<String>,
}

fn field_rules(name: &str, item: &syn::ItemStruct, plan: &Plan) -> Vec<FieldRule> {
    let Fields::Named(named) = &item.fields else {
        return Vec::new();
    };
    let requested = !plan.received_only.contains(name);
    let facts = plan.objects.get(name).filter(|_| requested);
    let items = plan.item_limits.get(name).filter(|_| requested);
    field_names(item)
        .into_iter()
        .map(|(wire, ident)| {
            let ty = &named
                .named
                .iter()
                .find(|f| f.ident.as_ref() == Some(&ident))
                .expect("named field")
                .ty;
            let held = held_type(ty);
            let count = items
                .and_then(|limits| limits.get(&wire))
                .map(|(min, max)| {
                    let (min, max) = (bound(*min), bound(*max));
                    quote!(Rule::items(#min, #max))
                });
            let text = facts
                .and_then(|facts| facts.properties.get(&wire))
                .filter(|p| p.min_length.is_some() || p.max_length.is_some() || p.pattern.is_some())
                .filter(|_| {
                    held.as_deref()
                        .is_some_and(|h| ["String", "Personal", "Uuid"].contains(&h))
                })
                .map(|p| match (p.min_length, p.max_length, &p.pattern) {
                    (None, Some(max), None) => {
                        let max = max as usize;
                        quote!(Rule::max_length(#max))
                    }
                    (None, None, Some(pattern)) => quote!(Rule::pattern(#pattern)),
                    _ => {
                        let (min, max) = (bound(p.min_length), bound(p.max_length));
                        let pattern = match &p.pattern {
                            Some(pattern) => quote!(Some(#pattern)),
                            None => quote!(None),
                        };
                        quote!(Rule::text(#min, #max, #pattern))
                    }
                });
            FieldRule {
                ident,
                wire,
                rule: count.or(text),
                holds: held,
            }
        })
        .collect()
}

fn bound(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = value as usize;
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

/// The last segment of the type a field holds, through `Option`, `Patch`, `Vec` and `Box`.
fn held_type(ty: &syn::Type) -> Option<String> {
    let mut ty = ty;
    while let Some(inner) = option_inner(ty).or_else(|| {
        ["Patch", "Vec", "Box"]
            .into_iter()
            .find_map(|w| generic_arg(ty, w))
    }) {
        ty = inner;
    }
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The body types of the operations, found by their builder's `body: Result<types::builder::X,
/// String>` field; each such builder's `send()` and `body()` are rewritten on the way.
fn body_types(code: &Code, file: &mut syn::File) -> Result<BTreeSet<String>, String> {
    let operations = module_items(&mut file.items, &["builder"]).ok_or("no `builder` module")?;
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    for item in operations.iter() {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &s.fields else {
            continue;
        };
        let body = named
            .named
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"));
        if let Some(body_type) = body
            .and_then(|f| generic_arg(&f.ty, "Result"))
            .and_then(builder_of)
        {
            bodies.insert(s.ident.to_string(), body_type);
        }
    }
    for item in operations.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = (match &*block.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }) else {
            continue;
        };
        let Some(body_type) = bodies.get(&builder) else {
            continue;
        };
        let ty = syn::Ident::new(body_type, proc_macro2::Span::call_site());
        let mut rewrote_send = false;
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident == "send" {
                let mut body = BodyStatement(
                    code.checked_body
                        .fill(&mut [("__TYPE", Fill::Ident(ty.clone()))]),
                    false,
                );
                body.visit_block_mut(&mut function.block);
                rewrote_send = body.1;
            } else if function.sig.ident == "body" {
                let mut setter = code
                    .body_setter
                    .fill(&mut [("__TYPE", Fill::Ident(ty.clone()))]);
                setter.attrs = std::mem::take(&mut function.attrs);
                setter.vis = function.vis.clone();
                *function = setter;
            }
        }
        if !rewrote_send {
            return Err(format!(
                "builder {builder}: send() binds no `let body = ..;` to check"
            ));
        }
    }
    Ok(bodies.into_values().collect())
}

/// `X` of `types::builder::X`.
fn builder_of(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [types, builder, name] if types == "types" && builder == "builder" => Some(name.clone()),
        _ => None,
    }
}

/// In `send()`, `let body = ..;` becomes `let body = crate::check::request_body::<types::X,
/// _>(body)?;`.
struct BodyStatement(syn::Expr, bool);

impl VisitMut for BodyStatement {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let syn::Pat::Ident(pat) = &local.pat
            && pat.ident == "body"
            && let Some(init) = &mut local.init
        {
            *init.expr = self.0.clone();
            self.1 = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};
    use crate::plan::{ObjectFacts, PropertyFacts};

    const CODE: &str = r#"
        pub mod types {
            pub struct Upload {
                pub records: ::std::vec::Vec<Record>,
                pub note: ::std::option::Option<::std::string::String>,
            }
            pub struct Record {
                #[serde(rename = "firstName")]
                pub first_name: ::std::option::Option<::std::string::String>,
                pub count: i64,
                pub kind: ::std::option::Option<Kind>,
            }
            pub enum Kind { Lead, Unrecognized(::std::string::String) }
            pub enum Shade { Dark, Unrecognized(::std::string::String) }
            pub struct Plain { pub flag: bool }
            pub struct Reply { pub name: ::std::string::String, pub shade: Shade }
            pub struct Note { pub text: ::std::string::String, pub code: ::std::string::String }
            pub mod builder {}
        }
        pub mod builder {
            pub struct UploadThings<'a> {
                client: &'a super::Client,
                body: Result<types::builder::Upload, String>,
            }
            impl<'a> UploadThings<'a> {
                pub fn body<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<types::Upload>,
                    <V as std::convert::TryInto<types::Upload>>::Error: std::fmt::Display,
                {
                    self.body = value.try_into().map(From::from).map_err(|s| format!("conversion failed: {}", s));
                    self
                }
                pub async fn send(self) -> Result<ResponseValue<()>, crate::Error> {
                    let Self { client, body } = self;
                    let body = body.and_then(|v| types::Upload::try_from(v).map_err(|e| e.to_string())).map_err(crate::Error::invalid_request)?;
                    todo!()
                }
            }
            pub struct TogglePlain<'a> {
                client: &'a super::Client,
                body: Result<types::builder::Plain, String>,
            }
            impl<'a> TogglePlain<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, crate::Error> {
                    let Self { client, body } = self;
                    let body = body.and_then(|v| types::Plain::try_from(v).map_err(|e| e.to_string())).map_err(crate::Error::invalid_request)?;
                    todo!()
                }
            }
        }
    "#;

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let name = PropertyFacts {
            max_length: Some(255),
            pattern: Some("^[A-Z]".into()),
            ..PropertyFacts::default()
        };
        plan.objects.insert(
            "Record".into(),
            ObjectFacts {
                properties: [("firstName".to_string(), name)].into(),
                ..ObjectFacts::default()
            },
        );
        let reply = PropertyFacts {
            max_length: Some(3),
            ..PropertyFacts::default()
        };
        plan.objects.insert(
            "Reply".into(),
            ObjectFacts {
                properties: [("name".to_string(), reply)].into(),
                ..ObjectFacts::default()
            },
        );
        plan.item_limits.insert(
            "Upload".into(),
            [("records".to_string(), (Some(1), Some(200)))].into(),
        );
        let text = PropertyFacts {
            max_length: Some(80),
            ..PropertyFacts::default()
        };
        let code = PropertyFacts {
            pattern: Some("^[a-z]+$".into()),
            ..PropertyFacts::default()
        };
        plan.objects.insert(
            "Note".into(),
            ObjectFacts {
                properties: [("text".to_string(), text), ("code".to_string(), code)].into(),
                ..ObjectFacts::default()
            },
        );
        plan.received_only.insert("Reply".into());
        plan
    }

    fn run() -> String {
        let mut file = parse_file(CODE);
        request_checks(&mut file, &plan()).unwrap();
        pretty(&file)
    }

    #[test]
    fn each_field_with_a_rule_or_a_checked_type_is_one_line() {
        let out = run();
        assert!(has(&out, "impl crate::check::Check for Record"), "{out}");
        assert!(
            has(
                &out,
                r#"self.first_name.check(&at.field("firstName"), &Rule::text(None, Some(255usize), Some("^[A-Z]"))"#
            ),
            "{out}"
        );
        assert!(!has(&out, "self.count.check"), "{out}");
        assert!(
            has(
                &out,
                r#"self.records.check(&at.field("records"), &Rule::items(Some(1usize), Some(200usize))"#
            ),
            "{out}"
        );
        assert!(!has(&out, "self.note.check"), "{out}");
        assert!(
            has(
                &out,
                r#"self.text.check(&at.field("text"), &Rule::max_length(80usize))?;"#
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                r#"self.code.check(&at.field("code"), &Rule::pattern("^[a-z]+$"))?;"#
            ),
            "{out}"
        );
    }

    #[test]
    fn an_open_enum_in_a_request_is_checked_at_its_field() {
        let out = run();
        assert!(
            has(&out, r#"self.kind.check(&at.field("kind"), &Rule::NONE)?;"#),
            "{out}"
        );
        assert!(
            has(&out, "crate::check::open_enums!(Kind);"),
            "an enum only responses hold is not checked: {out}"
        );
    }

    #[test]
    fn a_body_without_checks_gets_an_empty_impl_and_responses_none() {
        let out = run();
        assert!(has(&out, "impl crate::check::Check for Plain {}"), "{out}");
        assert!(
            !has(&out, "Check for Reply"),
            "a response-only type is not checked: {out}"
        );
    }

    #[test]
    fn send_checks_the_body_and_body_takes_builds() {
        let out = run();
        assert!(
            has(
                &out,
                "let body = crate::check::request_body::<types::Upload, _>(body)?;"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "let body = crate::check::request_body::<types::Plain, _>(body)?;"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "pub fn body<V>(mut self, value: V) -> Self where V: crate::Builds<types::Upload>,"
            ),
            "{out}"
        );
        assert!(
            has(
                &out,
                "self.body = crate::Builds::build(value).map(::std::convert::From::from);"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_send_without_a_body_statement_is_an_error() {
        let source = CODE.replacen("let body = body.and_then", "let other = body.and_then", 1);
        let error = request_checks(&mut parse_file(&source), &plan()).unwrap_err();
        assert!(error.contains("UploadThings"), "{error}");
    }
}
