//! Code parsed once and copied: a pass that writes the same shape of code for many types or
//! fields parses that shape once, as a template, and fills in each copy's names. Parsing a
//! `parse_quote!` per type or field cost more than everything else such a pass does; copying
//! the parsed template costs a fraction of it.
//!
//! A template is ordinary Rust with placeholders, names in capitals that start with `__`:
//! `impl ::std::fmt::Debug for __TYPE { .. }`. A placeholder stands for an identifier, for an
//! expression or a type written as that name alone, for a string literal `"__NAME"`, or, as a
//! statement `__NAME;`, for statements.

use proc_macro2::{Ident, Span, TokenStream};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Type};

/// What a placeholder is replaced by.
pub(crate) enum Fill {
    Ident(Ident),
    Str(String),
    /// An expression, moved into the one place its placeholder takes.
    Expr(Option<Expr>),
    Type(Type),
    /// Statements, moved into the one place their placeholder takes.
    Stmts(Vec<syn::Stmt>),
    /// A macro call's tokens, where the placeholder is all the call holds: `json_schema!(__SCHEMA)`.
    Tokens(TokenStream),
}

impl Fill {
    pub(crate) fn ident(name: &str) -> Fill {
        Fill::Ident(Ident::new(name, Span::call_site()))
    }

    pub(crate) fn expr(expr: Expr) -> Fill {
        Fill::Expr(Some(expr))
    }
}

/// Syntax a template can hold.
pub(crate) trait Syntax: Clone {
    fn visit_with(&mut self, visitor: &mut impl VisitMut);
}

impl Syntax for syn::Item {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_item_mut(self);
    }
}

impl Syntax for syn::ImplItemFn {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_impl_item_fn_mut(self);
    }
}

impl Syntax for Expr {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_expr_mut(self);
    }
}

impl Syntax for syn::Stmt {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_stmt_mut(self);
    }
}

impl Syntax for syn::Attribute {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_attribute_mut(self);
    }
}

impl Syntax for Type {
    fn visit_with(&mut self, visitor: &mut impl VisitMut) {
        visitor.visit_type_mut(self);
    }
}

pub(crate) struct Template<T>(T);

impl<T: Syntax> Template<T> {
    pub(crate) fn new(code: T) -> Self {
        Template(code)
    }

    /// A copy with each placeholder replaced by its fill.
    pub(crate) fn fill(&self, fills: &mut [(&str, Fill)]) -> T {
        let mut code = self.0.clone();
        code.visit_with(&mut Filler(fills));
        code
    }
}

struct Filler<'a, 'b>(&'a mut [(&'b str, Fill)]);

impl Filler<'_, '_> {
    /// The fill of the placeholder `name` is, if it is one.
    fn fill_of(&mut self, name: &(impl PartialEq<str> + ?Sized)) -> Option<&mut Fill> {
        self.0
            .iter_mut()
            .find(|(placeholder, _)| name == *placeholder)
            .map(|(_, fill)| fill)
    }
}

impl VisitMut for Filler<'_, '_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(Fill::Ident(with)) = self.fill_of(&*ident) {
            *ident = with.clone();
        }
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        let text = literal.value();
        if let Some(Fill::Str(with)) = self.fill_of(text.as_str()) {
            *literal = syn::LitStr::new(with, literal.span());
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut stmts = Vec::with_capacity(block.stmts.len());
        for mut stmt in std::mem::take(&mut block.stmts) {
            if let syn::Stmt::Expr(Expr::Path(path), Some(_)) = &stmt
                && let Some(ident) = path.path.get_ident()
                && let Some(Fill::Stmts(with)) = self.fill_of(ident)
            {
                stmts.append(with);
                continue;
            }
            self.visit_stmt_mut(&mut stmt);
            stmts.push(stmt);
        }
        block.stmts = stmts;
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(path) = &*expr
            && path.qself.is_none()
            && let Some(ident) = path.path.get_ident()
            && let Some(Fill::Expr(with)) = self.fill_of(ident)
        {
            *expr = with.take().expect("an expression placeholder appears once");
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    /// A macro call holding one placeholder alone: `stringify!(__TYPE)` takes an identifier's
    /// fill, `json_schema!(__SCHEMA)` a fill of tokens (a macro's tokens are not syntax the
    /// other placeholders are found in).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let mut trees = mac.tokens.clone().into_iter();
        if let (Some(proc_macro2::TokenTree::Ident(placeholder)), None) =
            (trees.next(), trees.next())
        {
            match self.fill_of(&placeholder) {
                Some(Fill::Ident(with)) => mac.tokens = quote::ToTokens::to_token_stream(with),
                Some(Fill::Tokens(with)) => mac.tokens = with.clone(),
                _ => {}
            }
        }
        visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = &*ty
            && path.qself.is_none()
            && let Some(ident) = path.path.get_ident()
            && let Some(Fill::Type(with)) = self.fill_of(ident)
        {
            *ty = with.clone();
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// `#[path(tokens)]`, built without parsing: an attribute keeps what its parentheses hold
/// as tokens, so quoting them is all it takes.
pub(crate) fn list_attribute(path: &str, tokens: TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: Ident::new(path, Span::call_site()).into(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn placeholders_are_filled_and_the_rest_is_kept() {
        let template: Template<syn::Item> = Template::new(syn::parse_quote! {
            impl Show for __TYPE {
                fn show(&self) -> __OUT { let __TYPE = 1; __STEPS; describe("__NAME", __VALUE, "__OTHER") }
            }
        });
        let mut fills = [
            ("__TYPE", Fill::ident("Customer")),
            ("__NAME", Fill::Str("first \"name\"".into())),
            (
                "__VALUE",
                Fill::expr(syn::parse_quote!(self.first_name.len())),
            ),
            ("__OUT", Fill::Type(syn::parse_quote!(Vec<u8>))),
            (
                "__STEPS",
                Fill::Stmts(vec![
                    syn::parse_quote!(first();),
                    syn::parse_quote!(let second = 2;),
                ]),
            ),
        ];
        let filled = template.fill(&mut fills);
        let expected: syn::Item = syn::parse_quote! {
            impl Show for Customer {
                fn show(&self) -> Vec<u8> { let Customer = 1; first(); let second = 2; describe("first \"name\"", self.first_name.len(), "__OTHER") }
            }
        };
        assert_eq!(
            filled.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
    }

    #[test]
    fn a_list_attribute_is_the_parsed_one() {
        let built = list_attribute("serde", quote::quote!(rename = "firstName", default));
        let parsed: syn::Attribute = syn::parse_quote!(#[serde(rename = "firstName", default)]);
        assert_eq!(built, parsed);
    }
}
