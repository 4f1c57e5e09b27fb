//! Whether tokens are the builder typify writes for a struct of `types` (typify-impl's
//! `output_struct`), matched in place against one pattern built once per thread: the tokens
//! are walked once, and nothing is built for a builder but its fields' types.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Literal, Spacing, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{Fields, ItemStruct};

use super::deferred_builders::{DeferredField, builder_type};
use super::{option_inner, serde_entries};

/// One token of the pattern, or a place the builder's own values go.
#[derive(Debug)]
enum Pattern {
    Ident(String),
    Punct(char, Spacing),
    Literal(String),
    Group(Delimiter, Vec<Pattern>),
    /// The builder's name.
    Name,
    /// `value`, or `_value` for a builder without fields.
    Value,
    /// Once per field, in order.
    Fields(Vec<Pattern>),
    /// The field's identifier.
    Field,
    /// The field's type as the builder module names it.
    Type,
    /// `Err("no value supplied for ..".to_string())` or `Ok(Default::default())`.
    Default,
    /// The refusal's text in `Default`.
    Missing,
    /// The conversion error's format string in the setter.
    Error,
}

/// The template, with placeholders: what typify writes for one builder.
fn template() -> TokenStream {
    quote! {
        #[derive(Clone, Debug)]
        pub struct __Name {
            __fields(__field: ::std::result::Result<__Ty, ::std::string::String>,)
        }
        impl ::std::default::Default for __Name {
            fn default() -> Self {
                Self {
                    __fields(__field: __default,)
                }
            }
        }
        impl __Name {
            __fields(
                pub fn __field<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<__Ty>,
                        T::Error: ::std::fmt::Display,
                {
                    self.__field = value.try_into()
                        .map_err(|e| format!(__error));
                    self
                }
            )
        }
        impl ::std::convert::TryFrom<__Name> for super::__Name {
            type Error = super::error::ConversionError;
            fn try_from(__value: __Name) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    __fields(__field: value.__field?,)
                })
            }
        }
        impl ::std::convert::From<super::__Name> for __Name {
            fn from(__value: super::__Name) -> Self {
                Self {
                    __fields(__field: Ok(value.__field),)
                }
            }
        }
    }
}

struct Patterns {
    builder: Vec<Pattern>,
    required: Vec<Pattern>,
    defaulted: Vec<Pattern>,
}

thread_local! {
    static PATTERNS: Patterns = Patterns {
        builder: pattern(template()),
        required: pattern(quote!(Err(__missing.to_string()))),
        defaulted: pattern(quote!(Ok(Default::default()))),
    };
}

fn pattern(tokens: TokenStream) -> Vec<Pattern> {
    let mut out = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        out.push(match tree {
            TokenTree::Ident(ident) => match ident.to_string().as_str() {
                "__Name" => Pattern::Name,
                "__value" => Pattern::Value,
                "__field" => Pattern::Field,
                "__Ty" => Pattern::Type,
                "__default" => Pattern::Default,
                "__missing" => Pattern::Missing,
                "__error" => Pattern::Error,
                "__fields" => match trees.next() {
                    Some(TokenTree::Group(body)) => Pattern::Fields(pattern(body.stream())),
                    _ => unreachable!("`__fields` is followed by its body in the template"),
                },
                other => Pattern::Ident(other.to_owned()),
            },
            TokenTree::Punct(punct) => Pattern::Punct(punct.as_char(), punct.spacing()),
            TokenTree::Literal(literal) => Pattern::Literal(literal.to_string()),
            TokenTree::Group(group) => Pattern::Group(group.delimiter(), pattern(group.stream())),
        });
    }
    out
}

/// What typify writes for one field.
struct FieldFacts {
    ident: syn::Ident,
    ty: Vec<Pattern>,
    required: bool,
    missing: String,
    error: String,
}

struct Builder<'a> {
    name: &'a syn::Ident,
    value: &'static str,
    fields: Vec<FieldFacts>,
}

/// Each field of `item` and whether its builder's `Default` refuses it, when `written` is
/// exactly the builder typify writes for `item`; `None` otherwise, and for a struct whose
/// builder the passes shape otherwise than `builder!`: a field named `value` (which
/// `linear_conversions` takes through another local), or a field with a default function.
pub(super) fn recognise(
    written: &[TokenTree],
    item: &ItemStruct,
    defined: &HashSet<String>,
) -> Option<Vec<DeferredField>> {
    let builder = facts(item, defined)?;
    let matched = PATTERNS.with(|patterns| {
        let mut trees = written.iter().cloned();
        matches(&patterns.builder, &mut trees, &builder, None, patterns) && trees.next().is_none()
    });
    matched.then(|| {
        builder
            .fields
            .into_iter()
            .map(|f| (f.ident, f.required))
            .collect()
    })
}

fn facts<'a>(item: &'a ItemStruct, defined: &HashSet<String>) -> Option<Builder<'a>> {
    let Fields::Named(named) = &item.fields else {
        return None;
    };
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref()?;
        if ident == "value" {
            return None;
        }
        // typify's rule: a field serde defaults, or an optional `Option` (a required one is
        // read through `deserialize_with`), starts as its type's default.
        let entries = serde_entries(&field.attrs);
        let required = match entries.iter().find(|(key, _)| key == "default") {
            Some((_, Some(_))) => return None,
            Some((_, None)) => false,
            None => {
                option_inner(&field.ty).is_none()
                    || entries.iter().any(|(key, _)| key == "deserialize_with")
            }
        };
        fields.push(FieldFacts {
            ident: ident.clone(),
            ty: pattern(builder_type(&field.ty, defined).into_token_stream()),
            required,
            missing: Literal::string(&format!("no value supplied for {ident}")).to_string(),
            error: Literal::string(&format!(
                "error converting supplied value for {ident}: {{e}}"
            ))
            .to_string(),
        });
    }
    Some(Builder {
        name: &item.ident,
        value: if fields.is_empty() { "_value" } else { "value" },
        fields,
    })
}

/// Whether the next trees of `written` are `patterns` for `builder` (and `field`, inside a
/// repetition), consuming them.
fn matches(
    patterns: &[Pattern],
    written: &mut dyn Iterator<Item = TokenTree>,
    builder: &Builder,
    field: Option<&FieldFacts>,
    all: &Patterns,
) -> bool {
    let ident_is = |tree: Option<TokenTree>, expected: &dyn Fn(&proc_macro2::Ident) -> bool| matches!(tree, Some(TokenTree::Ident(i)) if expected(&i));
    let literal_is = |tree: Option<TokenTree>, expected: &str| matches!(tree, Some(TokenTree::Literal(l)) if l.to_string() == expected);
    patterns.iter().all(|pattern| match pattern {
        Pattern::Ident(expected) => ident_is(written.next(), &|i| i == expected),
        Pattern::Punct(c, spacing) => matches!(written.next(), Some(TokenTree::Punct(p)) if p.as_char() == *c && p.spacing() == *spacing),
        Pattern::Literal(expected) => literal_is(written.next(), expected),
        Pattern::Group(delimiter, inner) => match written.next() {
            Some(TokenTree::Group(group)) if group.delimiter() == *delimiter => {
                let mut trees = group.stream().into_iter();
                matches(inner, &mut trees, builder, field, all) && trees.next().is_none()
            }
            _ => false,
        },
        Pattern::Name => ident_is(written.next(), &|i| i == builder.name),
        Pattern::Value => ident_is(written.next(), &|i| i == builder.value),
        Pattern::Fields(body) => builder.fields.iter().all(|f| matches(body, written, builder, Some(f), all)),
        Pattern::Field => field.is_some_and(|f| ident_is(written.next(), &|i| *i == f.ident)),
        Pattern::Type => field.is_some_and(|f| matches(&f.ty, written, builder, Some(f), all)),
        Pattern::Default => field.is_some_and(|f| matches(if f.required { &all.required } else { &all.defaulted }, written, builder, Some(f), all)),
        Pattern::Missing => field.is_some_and(|f| literal_is(written.next(), &f.missing)),
        Pattern::Error => field.is_some_and(|f| literal_is(written.next(), &f.error)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structs() -> (Vec<ItemStruct>, HashSet<String>) {
        let file: syn::File = syn::parse_quote! {
            pub struct Upload {
                #[serde(rename = "batchName", skip_serializing_if = "::std::option::Option::is_none")]
                pub batch_name: ::std::option::Option<::std::string::String>,
                pub count: i64,
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub records: ::std::vec::Vec<Record>,
                #[serde(deserialize_with = "::std::option::Option::deserialize")]
                pub owner: ::std::option::Option<Record>,
            }
            pub struct Empty {}
            pub enum Record { A }
        };
        let structs = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Struct(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        (
            structs,
            ["Upload", "Empty", "Record"]
                .map(String::from)
                .into_iter()
                .collect(),
        )
    }

    /// What typify-impl 0.8's `output_struct` writes for the builder of `Upload` and `Empty`,
    /// copied by hand (`> >`: typify's nested generics end in two lone `>`).
    fn written(name: &str) -> Vec<TokenTree> {
        let tokens = match name {
            "Upload" => quote! {
                #[derive(Clone, Debug)]
                pub struct Upload {
                    batch_name: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    count: ::std::result::Result<i64, ::std::string::String>,
                    records: ::std::result::Result<::std::vec::Vec<super::Record>, ::std::string::String>,
                    owner: ::std::result::Result<::std::option::Option<super::Record>, ::std::string::String>,
                }
                impl ::std::default::Default for Upload {
                    fn default() -> Self {
                        Self {
                            batch_name: Ok(Default::default()),
                            count: Err("no value supplied for count".to_string()),
                            records: Ok(Default::default()),
                            owner: Err("no value supplied for owner".to_string()),
                        }
                    }
                }
                impl Upload {
                    pub fn batch_name<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<::std::string::String> >,
                            T::Error: ::std::fmt::Display,
                    {
                        self.batch_name = value.try_into()
                            .map_err(|e| format!("error converting supplied value for batch_name: {e}"));
                        self
                    }
                    pub fn count<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<i64>,
                            T::Error: ::std::fmt::Display,
                    {
                        self.count = value.try_into()
                            .map_err(|e| format!("error converting supplied value for count: {e}"));
                        self
                    }
                    pub fn records<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::vec::Vec<super::Record> >,
                            T::Error: ::std::fmt::Display,
                    {
                        self.records = value.try_into()
                            .map_err(|e| format!("error converting supplied value for records: {e}"));
                        self
                    }
                    pub fn owner<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<super::Record> >,
                            T::Error: ::std::fmt::Display,
                    {
                        self.owner = value.try_into()
                            .map_err(|e| format!("error converting supplied value for owner: {e}"));
                        self
                    }
                }
                impl ::std::convert::TryFrom<Upload> for super::Upload {
                    type Error = super::error::ConversionError;
                    fn try_from(value: Upload) -> ::std::result::Result<Self, super::error::ConversionError> {
                        Ok(Self {
                            batch_name: value.batch_name?,
                            count: value.count?,
                            records: value.records?,
                            owner: value.owner?,
                        })
                    }
                }
                impl ::std::convert::From<super::Upload> for Upload {
                    fn from(value: super::Upload) -> Self {
                        Self {
                            batch_name: Ok(value.batch_name),
                            count: Ok(value.count),
                            records: Ok(value.records),
                            owner: Ok(value.owner),
                        }
                    }
                }
            },
            _ => quote! {
                #[derive(Clone, Debug)]
                pub struct Empty {}
                impl ::std::default::Default for Empty {
                    fn default() -> Self {
                        Self {}
                    }
                }
                impl Empty {}
                impl ::std::convert::TryFrom<Empty> for super::Empty {
                    type Error = super::error::ConversionError;
                    fn try_from(_value: Empty) -> ::std::result::Result<Self, super::error::ConversionError> {
                        Ok(Self {})
                    }
                }
                impl ::std::convert::From<super::Empty> for Empty {
                    fn from(_value: super::Empty) -> Self {
                        Self {}
                    }
                }
            },
        };
        tokens.into_iter().collect()
    }

    #[test]
    fn typifys_builder_is_recognised_with_its_required_fields() {
        let (structs, defined) = structs();
        let fields = recognise(&written("Upload"), &structs[0], &defined).expect("recognised");
        let fields: Vec<(String, bool)> = fields
            .into_iter()
            .map(|(i, r)| (i.to_string(), r))
            .collect();
        let expected = [
            ("batch_name", false),
            ("count", true),
            ("records", false),
            ("owner", true),
        ];
        assert_eq!(fields, expected.map(|(f, r)| (f.to_owned(), r)));
        assert_eq!(
            recognise(&written("Empty"), &structs[1], &defined).expect("recognised"),
            []
        );
    }

    /// `tokens` with every tree `from` (as printed) replaced by `to`.
    fn replace(tokens: &[TokenTree], from: &str, to: TokenTree) -> Vec<TokenTree> {
        tokens
            .iter()
            .map(|tree| match tree {
                TokenTree::Group(g) => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    TokenTree::Group(proc_macro2::Group::new(
                        g.delimiter(),
                        replace(&inner, from, to.clone()).into_iter().collect(),
                    ))
                }
                other if other.to_string() == from => to.clone(),
                other => other.clone(),
            })
            .collect()
    }

    #[test]
    fn any_other_builder_is_not() {
        let (structs, defined) = structs();
        let upload = written("Upload");
        let ident =
            |s: &str| TokenTree::Ident(proc_macro2::Ident::new(s, proc_macro2::Span::call_site()));
        let changed = [
            replace(
                &upload,
                "\"no value supplied for count\"",
                TokenTree::Literal(Literal::string("count is missing")),
            ),
            replace(&upload, "i64", ident("i32")),
            replace(&upload, "map_err", ident("map")),
            upload[..upload.len() - 1].to_vec(),
            [upload.clone(), written("Empty")].concat(),
        ];
        for tokens in changed {
            assert!(
                recognise(&tokens, &structs[0], &defined).is_none(),
                "{}",
                tokens.iter().cloned().collect::<TokenStream>()
            );
        }
        // The struct no longer as typify wrote it: another type, a field named `value`.
        let mut other = structs[0].clone();
        if let Fields::Named(named) = &mut other.fields {
            named.named[1].ty = syn::parse_quote!(i32);
        }
        assert!(recognise(&upload, &other, &defined).is_none());
        let with_value: ItemStruct = syn::parse_quote!(
            pub struct Upload {
                pub value: i64,
            }
        );
        assert!(recognise(&upload, &with_value, &defined).is_none());
    }
}
