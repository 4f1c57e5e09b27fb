//! The `builder!` macro of `types::builder`: one call per builder instead of its seven items.
//!
//! A call lists the builder's fields, one a line:
//!
//! ```text
//! builder! {
//!     UpdateThing redacted {
//!         name: required<::std::string::String> = "name" redacted,
//!         nickname: patch(clear_nickname)<::std::string::String> = "nickname",
//!         owner: optional nested<super::Person> = "owner",
//!         records: defaulted nested_list<super::Record> = "records",
//!     }
//! }
//! ```
//!
//! How a field is kept: `optional` (an `Option`), `patch(clear_x)` (a `crate::Patch`, with the
//! method that clears it), `required` (no default: building fails without it), `nullable`
//! (required, kept as an `Option`), `defaulted` (starts as its type's default). How its setter takes the value: as anything that converts
//! into the type, or, after `nested`, as the value or its builder (`crate::Builds`), or, after
//! `nested_list`, as an iterator of those. Then the field's name on the wire, and `redacted`
//! for a field whose value `Debug` hides; `redacted` after the builder's name says that its
//! `Debug` is written out (otherwise it is derived).
//!
//! The items a call stands for ([`expand`]) and the `macro_rules!` written into the generated
//! file ([`definition`]) come from the same templates: the macro's rules are those templates
//! with `$field`, `$ty` and `$wire` in place of a field's values.

use proc_macro2::TokenStream;
#[cfg(test)]
use quote::ToTokens;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Item, LitStr, Token};

/// The macro's name, called as `builder! { .. }` in `types::builder`.
pub const MACRO: &str = "builder";

/// How a builder keeps a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keep {
    Optional,
    /// A three-state PATCH field, with the method that sets it to `null`.
    Patch(Ident),
    Required,
    /// Required, and kept as an `Option` (a nullable property the type requires).
    Nullable,
    Defaulted,
}

/// How a field's setter takes its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Take {
    /// Anything that converts into the type (`TryInto`).
    Converted,
    /// The value or its builder (`crate::Builds`).
    Nested,
    /// An iterator of values or builders, kept as a `Vec`.
    NestedList,
}

const KEEPS: [&str; 5] = ["optional", "patch", "required", "nullable", "defaulted"];
const TAKES: [(Take, Option<&str>); 3] = [
    (Take::Converted, None),
    (Take::Nested, Some("nested")),
    (Take::NestedList, Some("nested_list")),
];

impl Keep {
    pub(super) fn word(&self) -> &'static str {
        match self {
            Keep::Optional => KEEPS[0],
            Keep::Patch(_) => KEEPS[1],
            Keep::Required => KEEPS[2],
            Keep::Nullable => KEEPS[3],
            Keep::Defaulted => KEEPS[4],
        }
    }

    /// The variant a word names; a patch field's clearing method is filled in by the caller.
    fn of_word(word: &str, clear: Option<Ident>) -> Option<Keep> {
        Some(match (word, clear) {
            ("optional", None) => Keep::Optional,
            ("patch", Some(clear)) => Keep::Patch(clear),
            ("required", None) => Keep::Required,
            ("nullable", None) => Keep::Nullable,
            ("defaulted", None) => Keep::Defaulted,
            _ => return None,
        })
    }
}

impl Take {
    fn word(self) -> Option<&'static str> {
        TAKES
            .iter()
            .find(|(take, _)| *take == self)
            .and_then(|(_, word)| *word)
    }
}

/// One field of a builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub ident: Ident,
    pub keep: Keep,
    pub take: Take,
    /// The value's type: inside the `Option` or `Patch`; for `nested_list`, the item's type.
    pub ty: syn::Type,
    pub wire: String,
    pub redacted: bool,
}

/// One builder: what a call of the macro says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub name: Ident,
    /// `Debug` written out, printing `<redacted>` for the redacted fields; derived otherwise.
    pub redacting_debug: bool,
    pub fields: Vec<Field>,
}

/// What a template puts in for one field: its values, or the macro's `$` variables.
pub(super) struct Slots {
    pub(super) field: TokenStream,
    pub(super) ty: TokenStream,
    pub(super) wire: TokenStream,
}

impl Field {
    #[cfg(test)]
    fn slots(&self) -> Slots {
        Slots {
            field: self.ident.to_token_stream(),
            ty: self.ty.to_token_stream(),
            wire: LitStr::new(&self.wire, proc_macro2::Span::call_site()).to_token_stream(),
        }
    }
}

fn variables() -> Slots {
    Slots {
        field: quote!($field),
        ty: quote!($ty),
        wire: quote!($wire),
    }
}

// Templates, one per part of a builder.

/// The type a field keeps inside its `Result`.
pub(super) fn kept_type(keep: &Keep, take: Take, ty: &TokenStream) -> TokenStream {
    let value = match take {
        Take::NestedList => quote!(::std::vec::Vec<#ty>),
        Take::Converted | Take::Nested => ty.clone(),
    };
    match keep {
        Keep::Optional | Keep::Nullable => quote!(::std::option::Option<#value>),
        Keep::Patch(_) => quote!(crate::Patch<#value>),
        Keep::Required | Keep::Defaulted => value,
    }
}

/// A field's value in `Default`: a refusal for a required field.
pub(super) fn default_value(keep: &Keep, wire: &TokenStream) -> TokenStream {
    match keep {
        Keep::Required | Keep::Nullable => quote!(Err(crate::builds::required(#wire))),
        _ => quote!(Ok(Default::default())),
    }
}

pub(super) fn setter(keep: &Keep, take: Take, slots: &Slots) -> TokenStream {
    let Slots { field, ty, wire } = slots;
    let wrap = match keep {
        Keep::Optional | Keep::Nullable => quote!(.map(::std::option::Option::Some)),
        Keep::Patch(_) => quote!(.map(crate::Patch::Set)),
        Keep::Required | Keep::Defaulted => TokenStream::new(),
    };
    match take {
        Take::Converted => quote! {
            pub fn #field<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<#ty>,
                T::Error: ::std::fmt::Display,
            {
                self.#field = value.try_into()#wrap.map_err(|e| crate::builds::refused(#wire, e));
                self
            }
        },
        Take::Nested => quote! {
            pub fn #field<T>(mut self, value: T) -> Self
            where
                T: crate::Builds<#ty>,
            {
                self.#field = crate::Builds::build(value)#wrap.map_err(|e| crate::builds::nested(#wire, e));
                self
            }
        },
        Take::NestedList => quote! {
            pub fn #field<I>(mut self, value: I) -> Self
            where
                I: ::std::iter::IntoIterator,
                I::Item: crate::Builds<#ty>,
            {
                self.#field = crate::builds::build_all(value)#wrap.map_err(|e| crate::builds::nested(#wire, e));
                self
            }
        },
    }
}

/// A patch field's `clear_x()`; `doc` is its doc text (an expression).
pub(super) fn clear(field: &TokenStream, clear: &TokenStream, doc: &TokenStream) -> TokenStream {
    quote! {
        #[doc = #doc]
        pub fn #clear(mut self) -> Self {
            self.#field = Ok(crate::Patch::Clear);
            self
        }
    }
}

pub(super) fn clear_doc(field: &Ident) -> TokenStream {
    let doc = format!("Clears `{field}`: the request sends `null` for it.");
    quote!(#doc)
}

/// What a written `Debug` prints for a field.
pub(super) fn debug_value(redacted: bool, field: &TokenStream) -> TokenStream {
    if redacted {
        quote!(&crate::redact::Redacted)
    } else {
        quote!(&self.#field)
    }
}

/// The tokens of each part of a builder, for all its fields.
pub(super) struct Parts {
    pub(super) name: TokenStream,
    /// The builder's name as a string expression.
    pub(super) label: TokenStream,
    pub(super) redacting_debug: bool,
    pub(super) fields: TokenStream,
    pub(super) defaults: TokenStream,
    pub(super) setters: TokenStream,
    pub(super) clears: TokenStream,
    pub(super) taken: TokenStream,
    pub(super) taken_fields: TokenStream,
    pub(super) kept: TokenStream,
    pub(super) debug_entries: TokenStream,
}

pub(super) fn field_decl(field: &TokenStream, kept: &TokenStream) -> TokenStream {
    quote!(#field: ::std::result::Result<#kept, ::std::string::String>,)
}

/// One field taken into a local, as `passes::linear_conversions` writes a `TryFrom`: one
/// `?` at a time, so that the debug code grows with the fields, not their square.
pub(super) fn taken(field: &TokenStream) -> TokenStream {
    quote!(let #field = value.#field?;)
}

/// The local of [`taken`] put into the type.
pub(super) fn taken_field(field: &TokenStream) -> TokenStream {
    quote!(#field,)
}

pub(super) fn kept(field: &TokenStream) -> TokenStream {
    quote!(#field: Ok(value.#field),)
}

pub(super) fn debug_entry(label: &TokenStream, value: &TokenStream) -> TokenStream {
    quote!(.field(#label, #value))
}

pub(super) fn items(parts: &Parts) -> TokenStream {
    let Parts {
        name,
        label,
        fields,
        defaults,
        setters,
        clears,
        taken,
        taken_fields,
        kept,
        debug_entries,
        ..
    } = parts;
    let (derive, debug) = if parts.redacting_debug {
        let debug = quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label)#debug_entries.finish()
                }
            }
        };
        (quote!(#[derive(Clone)]), debug)
    } else {
        (quote!(#[derive(Clone, Debug)]), TokenStream::new())
    };
    quote! {
        #derive
        pub struct #name {
            #fields
        }
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self {
                    #defaults
                }
            }
        }
        impl #name {
            #setters
            #clears
        }
        impl ::std::convert::TryFrom<#name> for super::#name {
            type Error = super::error::ConversionError;
            fn try_from(value: #name) -> ::std::result::Result<Self, super::error::ConversionError> {
                #taken
                Ok(Self {
                    #taken_fields
                })
            }
        }
        impl ::std::convert::From<super::#name> for #name {
            fn from(value: super::#name) -> Self {
                Self {
                    #kept
                }
            }
        }
        impl crate::Builds<super::#name> for #name {
            fn build(self) -> ::std::result::Result<super::#name, ::std::string::String> {
                super::#name::try_from(self).map_err(|e| e.to_string())
            }
        }
        #debug
    }
}

/// The items a call stands for, in the order typify and the passes write them.
pub fn expand(spec: &Spec) -> Vec<Item> {
    super::builder_expansion::expand(spec)
}

/// [`expand`] by quoting the templates with the spec's values and parsing the result: the
/// definition of what a call stands for, which [`expand`] computes faster (from the same
/// templates, parsed once) and a test compares.
#[cfg(test)]
pub(super) fn expand_by_parsing(spec: &Spec) -> Vec<Item> {
    let mut parts = Parts {
        name: spec.name.to_token_stream(),
        label: LitStr::new(&spec.name.to_string(), spec.name.span()).to_token_stream(),
        redacting_debug: spec.redacting_debug,
        fields: TokenStream::new(),
        defaults: TokenStream::new(),
        setters: TokenStream::new(),
        clears: TokenStream::new(),
        taken: TokenStream::new(),
        taken_fields: TokenStream::new(),
        kept: TokenStream::new(),
        debug_entries: TokenStream::new(),
    };
    for field in &spec.fields {
        let slots = field.slots();
        let name = &slots.field;
        parts.fields.extend(field_decl(
            name,
            &kept_type(&field.keep, field.take, &slots.ty),
        ));
        let value = default_value(&field.keep, &slots.wire);
        parts.defaults.extend(quote!(#name: #value,));
        parts
            .setters
            .extend(setter(&field.keep, field.take, &slots));
        if let Keep::Patch(method) = &field.keep {
            parts.clears.extend(clear(
                name,
                &method.to_token_stream(),
                &clear_doc(&field.ident),
            ));
        }
        parts.taken.extend(taken(name));
        parts.taken_fields.extend(taken_field(name));
        parts.kept.extend(kept(name));
        let label = LitStr::new(&field.ident.to_string(), field.ident.span()).to_token_stream();
        parts
            .debug_entries
            .extend(debug_entry(&label, &debug_value(field.redacted, name)));
    }
    let file: syn::File = syn::parse2(items(&parts)).expect("the builder templates are items");
    file.items
}

/// The `macro_rules!` that every call expands through: [`items`] over `$( .. )*` repetitions,
/// and one internal rule per kind of field for the parts that differ by kind.
pub fn definition() -> Item {
    let macro_name = format_ident!("{MACRO}");
    let Slots { field, ty, wire } = variables();
    let kind = quote!([$keep $($take)?]);
    let redacted_entry = debug_entry(
        &quote!(stringify!(#field)),
        &quote!(#macro_name!(@debug $($redacted)? &self.#field)),
    );
    let clear_doc = quote!(concat!(
        "Clears `",
        stringify!(#field),
        "`: the request sends `null` for it."
    ));
    let clear_method = clear(&field, &quote!($clear), &clear_doc);
    let parts = |redacting_debug: bool| Parts {
        name: quote!($name),
        label: quote!(stringify!($name)),
        redacting_debug,
        fields: repeat(field_decl(&field, &quote!(#macro_name!(@kept #kind #ty)))),
        defaults: repeat(quote!(#field: #macro_name!(@default $keep #wire),)),
        setters: repeat(quote!(#macro_name!(@setter #kind #field #wire #ty);)),
        clears: repeat(quote!($(#clear_method)?)),
        taken: repeat(taken(&field)),
        taken_fields: repeat(taken_field(&field)),
        kept: repeat(kept(&field)),
        debug_entries: repeat(redacted_entry.clone()),
    };
    let field_pattern = |redacted: TokenStream| quote!($($field:ident: $keep:ident $(($clear:ident))? $($take:ident)? <$ty:ty> = $wire:literal #redacted),* $(,)?);
    let with_redaction = field_pattern(quote!($($redacted:ident)?));
    let without = field_pattern(TokenStream::new());
    let (redacting, derived) = (items(&parts(true)), items(&parts(false)));
    let mut rules = quote! {
        ($name:ident redacted { #with_redaction }) => { #redacting };
        ($name:ident { #without }) => { #derived };
    };
    let variables = variables();
    for keep_word in KEEPS {
        let keep = Keep::of_word(
            keep_word,
            (keep_word == "patch").then(|| format_ident!("clear")),
        )
        .expect("a keep word");
        let keep_ident = format_ident!("{keep_word}");
        let default = default_value(&keep, &variables.wire);
        rules.extend(quote!((@default #keep_ident $wire:literal) => { #default };));
        for (take, take_word) in TAKES {
            let take_ident = take_word.map(|w| format_ident!("{w}"));
            let kept = kept_type(&keep, take, &variables.ty);
            let setter = setter(&keep, take, &variables);
            rules.extend(quote! {
                (@kept [#keep_ident #take_ident] $ty:ty) => { #kept };
                (@setter [#keep_ident #take_ident] $field:ident $wire:literal $ty:ty) => { #setter };
            });
        }
    }
    let redacted = debug_value(true, &variables.field);
    rules.extend(quote! {
        (@debug redacted $value:expr) => { #redacted };
        (@debug $value:expr) => { $value };
    });
    syn::parse_quote! {
        /// One builder of `types`: its struct, `Default`, setters, conversions from and to the
        /// type, `crate::Builds` and `Debug`, from one line per field (see the calls below).
        #[allow(unused_macros)]
        macro_rules! #macro_name {
            #rules
        }
    }
}

/// `$( tokens )*`: the tokens once per field of a call.
fn repeat(tokens: TokenStream) -> TokenStream {
    quote!($(#tokens)*)
}

/// The call standing for `spec`'s items; `attrs` (a `cfg`) apply to all of them.
pub fn call(spec: &Spec, attrs: &[syn::Attribute]) -> Item {
    let name = &spec.name;
    let redacted = spec.redacting_debug.then(|| quote!(redacted));
    let fields = spec.fields.iter().map(|f| {
        let ident = &f.ident;
        let keep = format_ident!("{}", f.keep.word());
        let clear = match &f.keep {
            Keep::Patch(method) => quote!((#method)),
            _ => TokenStream::new(),
        };
        let take = f.take.word().map(|w| format_ident!("{w}"));
        let ty = &f.ty;
        let wire = LitStr::new(&f.wire, proc_macro2::Span::call_site());
        let redacted = f.redacted.then(|| quote!(redacted));
        quote!(#ident: #keep #clear #take <#ty> = #wire #redacted)
    });
    // Built as the item it parses into: parsing it copied every token twice, once per builder.
    Item::Macro(syn::ItemMacro {
        attrs: attrs.to_vec(),
        ident: None,
        mac: syn::Macro {
            path: format_ident!("{MACRO}").into(),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens: quote! {
                #name #redacted {
                    #(#fields,)*
                }
            },
        },
        semi_token: None,
    })
}

impl Parse for Spec {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        let redacting_debug = input.peek(Ident);
        if redacting_debug {
            expect_word(input, "redacted")?;
        }
        let body;
        syn::braced!(body in input);
        let fields = body.parse_terminated(Field::parse, Token![,])?;
        Ok(Spec {
            name,
            redacting_debug,
            fields: fields.into_iter().collect(),
        })
    }
}

impl Parse for Field {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let ident: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let keep_word: Ident = input.parse()?;
        let clear = if input.peek(syn::token::Paren) {
            let inner;
            syn::parenthesized!(inner in input);
            Some(inner.parse::<Ident>()?)
        } else {
            None
        };
        let keep = Keep::of_word(&keep_word.to_string(), clear)
            .ok_or_else(|| syn::Error::new(keep_word.span(), "unknown kind of field"))?;
        let take = if input.peek(Ident) {
            let word: Ident = input.parse()?;
            TAKES
                .iter()
                .find(|(_, w)| *w == Some(word.to_string().as_str()))
                .map(|(take, _)| *take)
                .ok_or_else(|| syn::Error::new(word.span(), "unknown kind of setter"))?
        } else {
            Take::Converted
        };
        input.parse::<Token![<]>()?;
        let ty: syn::Type = input.parse()?;
        input.parse::<Token![>]>()?;
        input.parse::<Token![=]>()?;
        let wire: LitStr = input.parse()?;
        let redacted = input.peek(Ident);
        if redacted {
            expect_word(input, "redacted")?;
        }
        Ok(Field {
            ident,
            keep,
            take,
            ty,
            wire: wire.value(),
            redacted,
        })
    }
}

fn expect_word(input: ParseStream, word: &str) -> syn::Result<()> {
    let found: Ident = input.parse()?;
    if found == word {
        Ok(())
    } else {
        Err(syn::Error::new(found.span(), format!("expected `{word}`")))
    }
}

/// The spec of a call of the macro, or `None` when `item` is no such call.
pub fn spec_of(item: &Item) -> Option<Spec> {
    let Item::Macro(call) = item else { return None };
    if call.ident.is_some() || !call.mac.path.is_ident(MACRO) {
        return None;
    }
    syn::parse2(call.mac.tokens.clone()).ok()
}

/// The items a call stands for, each with the call's attributes, or `None` when `item` is no
/// such call: what the public-API listing shows in its place.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let spec = spec_of(item)?;
    let Item::Macro(call) = item else { return None };
    let mut items = expand(&spec);
    for item in &mut items {
        if let Some(attrs) = item_attrs(item) {
            attrs.extend(call.attrs.iter().cloned());
        }
    }
    Some(items)
}

/// The outer attributes of a struct or impl.
pub(crate) fn item_attrs(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        Item::Struct(s) => Some(&mut s.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenTree;

    /// The rules of the generated `macro_rules!`: (matcher, body) pairs.
    fn rules() -> Vec<(TokenStream, TokenStream)> {
        let Item::Macro(definition) = definition() else {
            panic!("a macro_rules! item")
        };
        let trees: Vec<TokenTree> = definition.mac.tokens.into_iter().collect();
        trees
            .split(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ';'))
            .filter(|rule| !rule.is_empty())
            .map(|rule| match (rule.first(), rule.last()) {
                (Some(TokenTree::Group(matcher)), Some(TokenTree::Group(body))) => {
                    (matcher.stream(), body.stream())
                }
                _ => panic!("a rule is (matcher) => {{ body }}"),
            })
            .collect()
    }

    /// `body` with each `$name` replaced by its tokens.
    fn substitute(body: TokenStream, bindings: &[(&str, TokenStream)]) -> TokenStream {
        let mut out = TokenStream::new();
        let mut trees = body.into_iter();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Punct(p) if p.as_char() == '$' => {
                    let name = trees.next().unwrap().to_string();
                    out.extend(
                        bindings
                            .iter()
                            .find(|(n, _)| *n == name)
                            .unwrap_or_else(|| panic!("${name}"))
                            .1
                            .clone(),
                    );
                }
                TokenTree::Group(g) => out.extend([TokenTree::Group(proc_macro2::Group::new(
                    g.delimiter(),
                    substitute(g.stream(), bindings),
                ))]),
                other => out.extend([other]),
            }
        }
        out
    }

    fn field(keep: Keep, take: Take) -> Field {
        Field {
            ident: format_ident!("owner"),
            keep,
            take,
            ty: syn::parse_quote!(super::Person),
            wire: "ownerId".into(),
            redacted: false,
        }
    }

    #[test]
    fn the_macro_definition_is_well_formed_macro_rules() {
        let file = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![definition()],
        };
        // prettyplease refuses (panics on) anything but `(matcher) => { body };` rules.
        let text = prettyplease::unparse(&file);
        assert!(text.starts_with("/// One builder of `types`"), "{text}");
        assert!(syn::parse_file(&text).is_ok());
        assert_eq!(rules().len(), 2 + KEEPS.len() * (1 + 2 * TAKES.len()) + 2);
    }

    /// Each rule for one kind of field is the template of [`expand`] with `$field`, `$wire`
    /// and `$ty` in place of the field's values.
    #[test]
    fn the_rules_for_each_kind_are_the_templates_of_the_expansion() {
        let rules = rules();
        let rule = |prefix: &str| {
            rules
                .iter()
                .find(|(matcher, _)| matcher.to_string().starts_with(prefix))
                .unwrap_or_else(|| panic!("no rule {prefix}"))
                .1
                .clone()
        };
        let keeps = [
            Keep::Optional,
            Keep::Patch(format_ident!("clear_owner")),
            Keep::Required,
            Keep::Nullable,
            Keep::Defaulted,
        ];
        for keep in keeps {
            for (take, take_word) in TAKES {
                let field = field(keep.clone(), take);
                let spec = Spec {
                    name: format_ident!("Thing"),
                    redacting_debug: false,
                    fields: vec![field.clone()],
                };
                let items = expand(&spec);
                let bindings = [
                    ("field", quote!(owner)),
                    ("wire", quote!("ownerId")),
                    ("ty", quote!(super::Person)),
                ];
                let kind = format!("{} {}", keep.word(), take_word.unwrap_or(""))
                    .trim()
                    .to_string();
                let Item::Impl(setters) = &items[2] else {
                    panic!("the inherent impl third")
                };
                let setter: syn::ImplItemFn =
                    syn::parse2(substitute(rule(&format!("@ setter [{kind}]")), &bindings))
                        .unwrap();
                assert_eq!(syn::ImplItem::Fn(setter), setters.items[0], "{kind}");
                let Item::Struct(builder) = &items[0] else {
                    panic!("the struct first")
                };
                let kept: syn::Type =
                    syn::parse2(substitute(rule(&format!("@ kept [{kind}]")), &bindings)).unwrap();
                assert_eq!(
                    Some(&kept),
                    crate::passes::generic_arg(&builder.fields.iter().next().unwrap().ty, "Result"),
                    "{kind}"
                );
                let Item::Impl(default) = &items[1] else {
                    panic!("Default second")
                };
                let value: syn::Expr = syn::parse2(substitute(
                    rule(&format!("@ default {}", keep.word())),
                    &bindings,
                ))
                .unwrap();
                assert!(
                    quote!(#default)
                        .to_string()
                        .contains(&quote!(owner: #value).to_string()),
                    "{kind}"
                );
            }
        }
    }

    /// The fast expansion (templates parsed once, filled in) is the quoted and parsed one.
    #[test]
    fn the_expansion_is_the_templates_quoted_and_parsed() {
        let keeps = [
            Keep::Optional,
            Keep::Patch(format_ident!("clear_owner")),
            Keep::Required,
            Keep::Nullable,
            Keep::Defaulted,
        ];
        let mut fields = Vec::new();
        for (index, keep) in keeps.into_iter().enumerate() {
            for (take, _) in TAKES {
                let mut field = field(keep.clone(), take);
                field.ident = format_ident!("field_{}_{}", index, fields.len());
                field.wire = format!("wire{}", fields.len());
                field.redacted = fields.len() % 2 == 0;
                if let Keep::Patch(_) = field.keep {
                    field.keep = Keep::Patch(format_ident!("clear_{}", field.ident));
                }
                fields.push(field);
            }
        }
        for redacting_debug in [false, true] {
            for count in [0, 1, fields.len()] {
                let spec = Spec {
                    name: format_ident!("Thing"),
                    redacting_debug,
                    fields: fields[..count].to_vec(),
                };
                assert_eq!(
                    expand(&spec),
                    expand_by_parsing(&spec),
                    "{count} fields, redacting {redacting_debug}"
                );
            }
        }
    }

    #[test]
    fn a_call_reads_back_into_its_spec() {
        let spec = Spec {
            name: format_ident!("Thing"),
            redacting_debug: true,
            fields: vec![
                Field {
                    redacted: true,
                    ..field(Keep::Patch(format_ident!("clear_owner")), Take::Nested)
                },
                field(Keep::Defaulted, Take::NestedList),
            ],
        };
        let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = "mock")]);
        let call = call(&spec, std::slice::from_ref(&gate));
        assert_eq!(spec_of(&call), Some(spec.clone()));
        let items = expansion(&call).unwrap();
        assert_eq!(items.len(), 7, "with a written Debug");
        assert!(items.iter().all(|item| match item {
            Item::Struct(s) => s.attrs.contains(&gate),
            Item::Impl(i) => i.attrs.contains(&gate),
            _ => false,
        }));
    }
}
