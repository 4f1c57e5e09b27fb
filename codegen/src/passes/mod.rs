//! Step 5: syn passes over the generated file. Each pass changes one thing about the code
//! progenitor wrote, and is tested on its own.

mod api_version_header;
mod builder_expansion;
mod builder_functions;
mod builder_macro;
mod call_options;
mod catch_all_defaults;
mod compact_builders;
mod compact_checks;
pub(crate) mod deferred_builders;
mod deserialize_impls;
mod doc_examples;
mod expression_rewrites;
mod field_name_list;
mod header_values;
mod http_methods;
mod json_schema;
mod linear_conversions;
mod mock_json_answers;
mod mock_raw_bodies;
mod mock_values;
mod nested_builders;
mod non_exhaustive;
mod open_enums;
mod parameter_checks;
mod patch_fields;
mod personal_strings;
mod private_constructors;
mod redact_debug;
mod request_checks;
mod response_builders;
mod runtime_send;
mod serde_attributes;
mod shared_patterns;
mod split_attributes;
mod string_enums;
mod string_newtypes;
mod template;
mod typify_builder;
mod value_setters;
mod webhook_events;
mod wire_names;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use syn::{Attribute, Fields, Item, ItemStruct, Meta};

use crate::plan::Plan;

pub use api_version_header::api_version_header;
pub use builder_functions::builder_functions;
pub(crate) use call_options::METHODS as CALL_OPTION_METHODS;
pub use call_options::call_options;
pub use catch_all_defaults::catch_all_defaults;
pub use compact_builders::compact_builders;
pub use compact_checks::compact_checks;
pub use deserialize_impls::deserialize_impls;
pub use expression_rewrites::expression_rewrites;
pub use field_name_list::field_name_list;
pub use json_schema::json_schema;
pub use linear_conversions::linear_conversions;
pub use mock_json_answers::mock_json_answers;
pub use mock_raw_bodies::mock_raw_bodies;
pub use mock_values::mock_values;
pub use nested_builders::nested_builders;
pub use non_exhaustive::non_exhaustive;
pub use open_enums::open_enums;
pub use parameter_checks::parameter_checks;
pub use patch_fields::patch_fields;
pub use personal_strings::personal_strings;
pub use private_constructors::private_constructors;
pub use redact_debug::redact_debug;
pub use request_checks::request_checks;
pub use response_builders::response_builders;
pub use runtime_send::runtime_send;
pub use serde_attributes::serde_attributes;
pub use shared_patterns::shared_patterns;
pub use split_attributes::split_attributes;
pub use string_enums::string_enums;
pub use string_newtypes::string_newtypes;
pub use value_setters::value_setters;
pub use webhook_events::webhook_events;
pub use wire_names::{wire_names, wire_names_in_mocks};

/// A pass over the client file.
type Pass = fn(&mut syn::File, &Plan) -> Result<(), String>;

/// Every pass on the client file, in order. The order matters in five places:
/// `wire_names` runs first, so that `header_values` names a header as it is on the wire;
/// `call_options` extends the `send()` that `runtime_send` rewrote, and patch fields take
/// their setters before `value_setters` gives the remaining optional ones theirs, and
/// `nested_builders` rewrites the setters last.
/// `response_builders` runs after every pass that changes builders, so that they find all of
/// them whatever the document holds; `compact_builders` runs after them, on the finished
/// builders. `expression_rewrites` runs after `json_schema`, which copies an enum's doc text
/// into its schema as the document wrote it. `serde_attributes` runs last: the passes before
/// it read each field's wire name from its own `rename`.
const PASSES: &[(&str, Pass)] = &[
    ("wire_names", |file, plan| {
        wire_names(file, plan);
        Ok(())
    }),
    ("parameter_checks", parameter_checks),
    ("runtime_send", runtime_send),
    ("call_options", |file, _| call_options(file)),
    ("api_version_header", |file, _| {
        api_version_header(file);
        Ok(())
    }),
    ("private_constructors", |file, _| private_constructors(file)),
    ("open_enums", |file, _| {
        open_enums(file);
        Ok(())
    }),
    ("patch_fields", patch_fields),
    ("value_setters", |file, _| {
        value_setters(file);
        Ok(())
    }),
    ("personal_strings", personal_strings),
    ("catch_all_defaults", |file, _| {
        catch_all_defaults(file);
        Ok(())
    }),
    ("nested_builders", |file, _| nested_builders(file)),
    ("request_checks", request_checks),
    ("redact_debug", redact_debug),
    ("response_builders", |file, _| response_builders(file)),
    ("json_schema", json_schema),
    ("webhook_events", webhook_events),
    ("non_exhaustive", |file, _| {
        non_exhaustive(file);
        Ok(())
    }),
    ("doc_examples, header_values, http_methods", |file, _| {
        expression_rewrites(file);
        Ok(())
    }),
    ("field_name_list", |file, _| {
        field_name_list(file);
        Ok(())
    }),
    ("string_newtypes", |file, _| {
        string_newtypes(file);
        Ok(())
    }),
    ("linear_conversions", |file, _| {
        linear_conversions(file);
        Ok(())
    }),
    ("compact_builders", compact_builders),
    ("string_enums", |file, _| {
        string_enums(file);
        Ok(())
    }),
    ("builder_functions", |file, _| {
        builder_functions(file);
        Ok(())
    }),
    ("shared_patterns", |file, _| {
        shared_patterns(file);
        Ok(())
    }),
    ("compact_checks", |file, _| {
        compact_checks(file);
        Ok(())
    }),
    ("deserialize_impls", |file, _| {
        deserialize_impls(file);
        Ok(())
    }),
    ("serde_attributes", |file, _| {
        serde_attributes(file);
        Ok(())
    }),
    ("split_attributes", |file, _| {
        split_attributes(file);
        Ok(())
    }),
];

/// Runs every pass on the client file, in order.
pub fn apply(file: &mut syn::File, plan: &Plan) -> Result<(), String> {
    apply_timed(file, plan, &mut Vec::new())
}

/// [`apply`], recording how long each pass took (for the codegen benchmark).
pub fn apply_timed(
    file: &mut syn::File,
    plan: &Plan,
    times: &mut Vec<(&'static str, Duration)>,
) -> Result<(), String> {
    for (name, pass) in PASSES {
        let started = Instant::now();
        pass(file, plan).map_err(|e| format!("the syn pass `{name}` failed: {e}"))?;
        times.push((name, started.elapsed()));
    }
    Ok(())
}

/// The items a call of one of the client crate's macros (`string_newtype!`, `string_enum!`,
/// `string_enum_schema!`, `redacted_debug!`, `check_fields!`, `builder_functions!`,
/// `call_option_methods!`) or of the generated `builder!` stands for, or
/// `None` when `item` is no such call: what the public-API listing shows in its place.
pub fn macro_expansion(item: &Item) -> Option<Vec<Item>> {
    string_newtypes::expansion(item)
        .or_else(|| string_enums::expansion(item))
        .or_else(|| redact_debug::expansion(item))
        .or_else(|| compact_checks::expansion(item))
        .or_else(|| builder_functions::expansion(item))
        .or_else(|| call_options::expansion(item))
        .or_else(|| builder_macro::expansion(item))
}

/// The name and entries of a call `path!(Name { entry, .. })` of the macro named `macro_name`
/// (the shape of the compacting passes' calls), each entry read by `entry`; `None` when `item`
/// is no such call.
pub(crate) fn named_call<T>(
    item: &Item,
    macro_name: &str,
    entry: fn(syn::parse::ParseStream) -> syn::Result<T>,
) -> Option<(syn::Ident, Vec<T>)> {
    let Item::Macro(call) = item else { return None };
    if call.mac.path.segments.last()?.ident != macro_name {
        return None;
    }
    let parser = |input: syn::parse::ParseStream| {
        let name: syn::Ident = input.parse()?;
        let content;
        syn::braced!(content in input);
        let entries = content.parse_terminated(entry, syn::Token![,])?;
        Ok((name, entries.into_iter().collect()))
    };
    syn::parse::Parser::parse2(parser, call.mac.tokens.clone()).ok()
}

/// The names an operation builder has of its own, which a parameter's setter may not take:
/// progenitor's (`client`, `new`, `send`, `body`, `body_map`) and the per-call options'; and
/// the locals of `send()` that a parameter of that name would be confused with (`request`,
/// which `runtime_send` hands over; `header_map`, progenitor's).
pub(crate) fn builder_names() -> Vec<&'static str> {
    let mut names = vec![
        "client",
        "new",
        "send",
        "body",
        "body_map",
        "request",
        "header_map",
        call_options::FIELD,
    ];
    names.extend(call_options::METHODS);
    names
}

/// Runs every pass on the typed httpmock helpers.
pub fn apply_mock(file: &mut syn::File, plan: &Plan) {
    wire_names_in_mocks(file, plan);
    mock_values(file);
    mock_raw_bodies(file, plan);
    mock_json_answers(file);
}

/// The operation's id, the `operation_id` of the `OperationInfo { .. }` that a builder's
/// `send()` builds: the key to what the plan says of the operation.
pub(crate) fn operation_id(send: &mut syn::ImplItemFn) -> Option<String> {
    struct OperationId(Option<String>);
    impl syn::visit_mut::VisitMut for OperationId {
        fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
            if expr.path.is_ident("OperationInfo") {
                for field in &expr.fields {
                    if let (syn::Member::Named(name), syn::Expr::Lit(lit)) =
                        (&field.member, &field.expr)
                        && name == "operation_id"
                        && let syn::Lit::Str(id) = &lit.lit
                    {
                        self.0 = Some(id.value());
                    }
                }
            }
            syn::visit_mut::visit_expr_struct_mut(self, expr);
        }
    }
    let mut found = OperationId(None);
    syn::visit_mut::VisitMut::visit_block_mut(&mut found, &mut send.block);
    found.0
}

/// The items of the module at `path` (for example `["types", "builder"]`).
pub(crate) fn module_items<'a>(items: &'a mut [Item], path: &[&str]) -> Option<&'a mut Vec<Item>> {
    let (first, rest) = path.split_first()?;
    let module = items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == first => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })?;
    if rest.is_empty() {
        Some(module)
    } else {
        module_items(module, rest)
    }
}

/// Where each struct, and each inherent impl by the name of its self type, is among a
/// module's items, found in one walk: a pass that looks up many types by name does not scan
/// the module once per lookup (which grows with the square of the document). Passes only
/// append items, so the positions stay valid while one runs.
pub(crate) struct Positions {
    structs: HashMap<String, usize>,
    impls: HashMap<String, Vec<usize>>,
    modules: HashMap<String, usize>,
}

impl Positions {
    pub(crate) fn of(items: &[Item]) -> Self {
        let mut positions = Positions {
            structs: HashMap::new(),
            impls: HashMap::new(),
            modules: HashMap::new(),
        };
        for (index, item) in items.iter().enumerate() {
            match item {
                Item::Struct(s) => {
                    positions
                        .structs
                        .entry(s.ident.to_string())
                        .or_insert(index);
                }
                Item::Mod(m) => {
                    positions
                        .modules
                        .entry(m.ident.to_string())
                        .or_insert(index);
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    if let syn::Type::Path(path) = &*block.self_ty
                        && let Some(last) = path.path.segments.last()
                    {
                        positions
                            .impls
                            .entry(last.ident.to_string())
                            .or_default()
                            .push(index);
                    }
                }
                _ => {}
            }
        }
        positions
    }

    /// The struct named `name`.
    pub(crate) fn struct_named<'a>(
        &self,
        items: &'a mut [Item],
        name: &str,
    ) -> Option<&'a mut ItemStruct> {
        match items.get_mut(*self.structs.get(name)?)? {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The items of the inline module named `name`.
    pub(crate) fn module<'a>(
        &self,
        items: &'a mut [Item],
        name: &str,
    ) -> Option<&'a mut Vec<Item>> {
        match items.get_mut(*self.modules.get(name)?)? {
            Item::Mod(m) => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        }
    }

    /// The positions of the inherent impls of the type named `name`.
    pub(crate) fn inherent_impls(&self, name: &str) -> &[usize] {
        self.impls.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The name a field has on the wire: its `#[serde(rename = "...")]`, or its identifier.
pub(crate) fn wire_name(field: &syn::Field) -> String {
    serde_rename(&field.attrs).unwrap_or_else(|| {
        field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    })
}

/// The string of the last `rename = "..."` among `#[serde(...)]` attributes.
pub(crate) fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    serde_entries(attrs)
        .into_iter()
        .filter(|(key, _)| key == "rename")
        .filter_map(|(_, value)| match syn::Lit::new(value?) {
            syn::Lit::Str(text) => Some(text.value()),
            _ => None,
        })
        .last()
}

/// The top-level entries of every `#[serde(...)]` among `attrs`, in order: each key, with the
/// literal of `key = "literal"`. Read from the attribute's tokens: serde's values are string
/// literals, and parsing each as an expression (`parse_nested_meta`) made reading the wire
/// names of every field the largest cost of several passes.
pub(crate) fn serde_entries(
    attrs: &[Attribute],
) -> Vec<(proc_macro2::Ident, Option<proc_macro2::Literal>)> {
    use proc_macro2::TokenTree;
    let mut entries = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let Meta::List(list) = &attr.meta else {
            continue;
        };
        let mut tokens = list.tokens.clone().into_iter().peekable();
        while let Some(token) = tokens.next() {
            let TokenTree::Ident(key) = token else {
                continue;
            };
            let is_comma = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ',');
            let value = match tokens.peek() {
                Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                    tokens.next();
                    match tokens.peek() {
                        Some(TokenTree::Literal(literal)) => Some(literal.clone()),
                        _ => None,
                    }
                }
                _ => None,
            };
            entries.push((key, value));
            // The rest of the entry (its value, or a nested list) up to the next comma.
            while tokens.next_if(|t| !is_comma(t)).is_some() {}
        }
    }
    entries
}

/// Type name → (field identifier → wire name), for every struct among `types`' items.
pub(crate) fn wire_names_by_type(types: &[Item]) -> HashMap<String, HashMap<String, String>> {
    types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((
                s.ident.to_string(),
                field_names(s)
                    .into_iter()
                    .map(|(wire, ident)| (ident.to_string(), wire))
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// (wire name, Rust identifier) of each named field of a struct.
pub(crate) fn field_names(item: &ItemStruct) -> Vec<(String, syn::Ident)> {
    match &item.fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter_map(|f| Some((wire_name(f), f.ident.clone()?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The name of a type written as one plain identifier (`Policy`: no path, no generics).
pub(crate) fn plain_type_name(ty: &syn::Type) -> Option<&syn::Ident> {
    let syn::Type::Path(p) = ty else { return None };
    let [segment] = p.path.segments.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    (p.qself.is_none() && p.path.leading_colon.is_none() && segment.arguments.is_none())
        .then_some(&segment.ident)
}

/// Whether an expression is the plain identifier `name` (`value`, `self`).
pub(crate) fn is_ident_expr(expr: &syn::Expr, name: &str) -> bool {
    matches!(expr, syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// The entries of an attribute's list, split at its top-level commas (a trailing comma makes
/// no entry): `rename = "x", default` is `[rename = "x"]` and `[default]`.
pub(crate) fn list_entries(tokens: proc_macro2::TokenStream) -> Vec<Vec<proc_macro2::TokenTree>> {
    let mut entries = vec![Vec::new()];
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
            other => entries.last_mut().expect("one entry at least").push(other),
        }
    }
    entries.retain(|entry| !entry.is_empty());
    entries
}

/// Entries joined by commas: the tokens of an attribute's list.
pub(crate) fn joined_entries(
    entries: Vec<Vec<proc_macro2::TokenTree>>,
) -> proc_macro2::TokenStream {
    let mut tokens = proc_macro2::TokenStream::new();
    for (index, entry) in entries.into_iter().enumerate() {
        if index > 0 {
            tokens.extend([proc_macro2::TokenTree::Punct(proc_macro2::Punct::new(
                ',',
                proc_macro2::Spacing::Alone,
            ))]);
        }
        tokens.extend(entry);
    }
    tokens
}

/// Whether a `#[derive(...)]` names the trait `name` (by the last segment of its path). Read
/// from the attribute's tokens: a derived path's last identifier is its last segment, and
/// parsing every derive list cost the passes that ask more than their own work.
pub(crate) fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| match &attr.meta {
        Meta::List(list) if list.path.is_ident("derive") => list_entries(list.tokens.clone())
            .iter()
            .any(|entry| matches!(entry.last(), Some(proc_macro2::TokenTree::Ident(ident)) if ident == name)),
        _ => false,
    })
}

/// Whether a `#[serde(...)]` holds the word `flag` (`flatten`, `untagged`).
pub(crate) fn has_serde_flag(attrs: &[Attribute], flag: &str) -> bool {
    serde_entries(attrs).iter().any(|(key, _)| key == flag)
}

/// Removes `name` from every `#[derive(...)]`; returns whether it was there.
pub(crate) fn remove_derive(attrs: &mut [Attribute], name: &str) -> bool {
    let mut removed = false;
    for attr in attrs.iter_mut() {
        let Meta::List(list) = &attr.meta else {
            continue;
        };
        if !list.path.is_ident("derive") {
            continue;
        }
        let entries = list_entries(list.tokens.clone());
        let count = entries.len();
        let kept: Vec<_> = entries
            .into_iter()
            .filter(|entry| !matches!(entry.last(), Some(proc_macro2::TokenTree::Ident(ident)) if ident == name))
            .collect();
        if kept.len() != count {
            removed = true;
            *attr = template::list_attribute("derive", joined_entries(kept));
        }
    }
    removed
}

/// The type inside `Option<..>`, if `ty` is an `Option`.
pub(crate) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_arg(ty, "Option")
}

/// The first type argument of `ty` when its last path segment is `wrapper`.
pub(crate) fn generic_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

#[cfg(test)]
pub(crate) fn parse_file(source: &str) -> syn::File {
    syn::parse_file(source).expect("test input parses")
}

#[cfg(test)]
pub(crate) fn pretty(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// Whether `code` contains `needle`, ignoring whitespace (prettyplease wraps long lines).
#[cfg(test)]
pub(crate) fn has(code: &str, needle: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squash(code).contains(&squash(needle))
}

/// The body of the client crate's `macro_rules! name` in `source` (one rule), with each
/// `$var` replaced by its tokens from `bindings`: what a call expands to.
#[cfg(test)]
pub(crate) fn expand_runtime_macro(
    source: &str,
    name: &str,
    bindings: &[(&str, proc_macro2::TokenStream)],
) -> proc_macro2::TokenStream {
    expand_runtime_macro_repeated(source, name, bindings, &[])
}

/// [`expand_runtime_macro`] for a macro with repetitions: `$( .. ) sep *` is expanded once per
/// item of the `repeated` bindings it names (all of the same length), joined by `sep`.
#[cfg(test)]
pub(crate) fn expand_runtime_macro_repeated(
    source: &str,
    name: &str,
    bindings: &[(&str, proc_macro2::TokenStream)],
    repeated: &[(&str, Vec<proc_macro2::TokenStream>)],
) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    let file: syn::File = syn::parse_str(source).expect("the client crate's module parses");
    let rules = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == name) => {
                Some(m.mac.tokens.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no macro_rules! {name}"));
    // `(pattern) => { body };`: the body is the first braced group.
    let body = rules
        .into_iter()
        .find_map(|tree| match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g.stream()),
            _ => None,
        })
        .expect("one rule with a braced body");
    type Bindings<'a> = [(&'a str, TokenStream)];
    type Repeated<'a> = [(&'a str, Vec<TokenStream>)];
    /// The names of the `$var`s in a stream, nested groups included.
    fn vars(stream: TokenStream, out: &mut Vec<String>) {
        let mut trees = stream.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Punct(p) if p.as_char() == '$' => {
                    if let Some(TokenTree::Ident(i)) = trees.peek() {
                        out.push(i.to_string());
                    }
                }
                TokenTree::Group(g) => vars(g.stream(), out),
                _ => {}
            }
        }
    }
    fn substitute(
        stream: TokenStream,
        bindings: &Bindings<'_>,
        repeated: &Repeated<'_>,
    ) -> TokenStream {
        let mut out = TokenStream::new();
        let mut trees = stream.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Punct(p) if p.as_char() == '$' => match trees
                    .next()
                    .expect("a name or a group after `$`")
                {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                        // `$( .. ) sep? op`: a separator is any punctuation before `*`, `+` or `?`.
                        let mut separator = None;
                        match trees.next().expect("a repetition operator") {
                            TokenTree::Punct(op) if matches!(op.as_char(), '*' | '+' | '?') => {}
                            sep => {
                                // `,*` makes the comma joint; between items it stands alone.
                                separator = Some(match sep {
                                    TokenTree::Punct(p) => {
                                        TokenTree::Punct(proc_macro2::Punct::new(
                                            p.as_char(),
                                            proc_macro2::Spacing::Alone,
                                        ))
                                    }
                                    other => other,
                                });
                                trees
                                    .next()
                                    .expect("a repetition operator after the separator");
                            }
                        }
                        let mut names = Vec::new();
                        vars(g.stream(), &mut names);
                        let here: Vec<&(&str, Vec<TokenStream>)> = repeated
                            .iter()
                            .filter(|(n, _)| names.iter().any(|v| v == n))
                            .collect();
                        let count = here.first().map_or(0, |(_, items)| items.len());
                        assert!(
                            here.iter().all(|(_, items)| items.len() == count),
                            "repeated bindings of one length"
                        );
                        for index in 0..count {
                            if index > 0 {
                                out.extend(separator.clone());
                            }
                            let mut inner: Vec<(&str, TokenStream)> = bindings.to_vec();
                            inner.extend(here.iter().map(|(n, items)| (*n, items[index].clone())));
                            out.extend(substitute(g.stream(), &inner, repeated));
                        }
                    }
                    var => {
                        let var = var.to_string();
                        let (_, tokens) = bindings
                            .iter()
                            .find(|(n, _)| *n == var)
                            .unwrap_or_else(|| panic!("no binding for ${var}"));
                        out.extend(tokens.clone());
                    }
                },
                TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(
                        g.delimiter(),
                        substitute(g.stream(), bindings, repeated),
                    );
                    group.set_span(g.span());
                    out.extend([TokenTree::Group(group)]);
                }
                other => out.extend([other]),
            }
        }
        out
    }
    substitute(body, bindings, repeated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_found_by_structure() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        assert_eq!(plain_type_name(&ty("Policy")).unwrap(), "Policy");
        for not_plain in ["super::Policy", "Vec<Policy>", "::Policy", "&Policy"] {
            assert!(plain_type_name(&ty(not_plain)).is_none(), "{not_plain}");
        }

        let item: syn::ItemStruct = syn::parse_quote! {
            #[derive(Clone, ::serde::Deserialize)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct S {
                #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
                extra: Map,
            }
        };
        assert!(derives(&item.attrs, "Deserialize") && !derives(&item.attrs, "Serialize"));
        assert!(
            has_serde_flag(&item.attrs, "deny_unknown_fields")
                && !has_serde_flag(&item.attrs, "flatten")
        );
        let Fields::Named(fields) = &item.fields else {
            unreachable!()
        };
        assert!(has_serde_flag(&fields.named[0].attrs, "flatten"));
        let deserialize_text: syn::Attribute = syn::parse_quote!(#[doc = "derive(Deserialize)"]);
        assert!(
            !derives(&[deserialize_text], "Deserialize"),
            "a doc comment is not a derive"
        );
    }
}
