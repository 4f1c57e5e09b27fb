//! Pass: the `builder()` functions of `types` become one macro call.
//!
//! typify gives each struct of `types` `impl X { pub fn builder() -> builder::X {
//! Default::default() } }`, five lines for one name; `response_builders` puts some of them
//! behind `mock`. Each impl that is exactly [`builder_impl`] is removed, and the names are
//! listed in one call of the runtime's `builder_functions!` (one more behind `mock` for the
//! gated ones), which expands to the same impls (a test compares the two).

use syn::{ImplItem, Item};

use super::string_newtypes::tokens;
use super::{module_items, plain_type_name};

/// The name the generated code calls the macro by.
const MACRO: &str = "builder_functions";

pub fn builder_functions(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    let mut plain = Vec::new();
    let mut gated = Vec::new();
    types.retain(|item| {
        let Item::Impl(block) = item else { return true };
        let Some(name) = plain_type_name(&block.self_ty).filter(|_| block.trait_.is_none()) else {
            return true;
        };
        let [ImplItem::Fn(function)] = &block.items[..] else {
            return true;
        };
        if function.sig.ident != "builder" {
            return true;
        }
        let written = tokens(item);
        for (mock, names) in [(false, &mut plain), (true, &mut gated)] {
            if written == tokens(&builder_impl(name, mock)) {
                names.push(name.clone());
                return false;
            }
        }
        true
    });
    if !plain.is_empty() {
        types.push(syn::parse_quote!(crate::builds::builder_functions!(#(#plain),*);));
    }
    if !gated.is_empty() {
        types.push(syn::parse_quote!(#[cfg(feature = "mock")] crate::builds::builder_functions!(#(#gated),*);));
    }
}

/// typify's `builder()` of the struct `name`, behind `mock` when `response_builders` put it
/// there.
pub fn builder_impl(name: &syn::Ident, mock: bool) -> Item {
    let gate: Option<syn::Attribute> = mock.then(|| syn::parse_quote!(#[cfg(feature = "mock")]));
    syn::parse_quote! {
        impl #name {
            #gate
            pub fn builder() -> builder::#name {
                Default::default()
            }
        }
    }
}

/// The items a call of the macro stands for, or `None` when `item` is no such call.
pub fn expansion(item: &Item) -> Option<Vec<Item>> {
    let Item::Macro(call) = item else { return None };
    if call.mac.path.segments.last()?.ident != MACRO {
        return None;
    }
    let names = call
        .mac
        .parse_body_with(
            syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated,
        )
        .ok()?;
    let mock = call.attrs.iter().any(|a| a.path().is_ident("cfg"));
    Some(names.iter().map(|name| builder_impl(name, mock)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};
    use quote::ToTokens;

    #[test]
    fn builder_functions_become_one_call_and_one_behind_mock() {
        let (a, b, c): (syn::Ident, syn::Ident, syn::Ident) = (
            syn::parse_quote!(A),
            syn::parse_quote!(B),
            syn::parse_quote!(C),
        );
        let (a_fn, b_fn, c_fn) = (
            builder_impl(&a, false),
            builder_impl(&b, true),
            builder_impl(&c, false),
        );
        let mut file = parse_file(&pretty(&syn::parse_quote! {
            pub mod types {
                pub struct A {}
                #a_fn
                pub struct B {}
                #b_fn
                #c_fn
                impl C { pub fn other() {} }
            }
        }));
        builder_functions(&mut file);
        let out = pretty(&file);
        assert!(!out.contains("pub fn builder"), "{out}");
        assert!(has(&out, "impl C { pub fn other() {} }"), "{out}");
        assert!(
            has(
                &out,
                "crate::builds::builder_functions!(A, C); #[cfg(feature = \"mock\")] crate::builds::builder_functions!(B);"
            ),
            "{out}"
        );
        let types = module_items(&mut file.items, &["types"]).unwrap();
        let expanded: Vec<String> = types
            .iter()
            .filter_map(expansion)
            .flatten()
            .map(|i| tokens(&i))
            .collect();
        assert_eq!(expanded, [&a_fn, &c_fn, &b_fn].map(tokens));
    }

    /// The client crate's `macro_rules!` expands to exactly [`builder_impl`].
    #[test]
    fn the_runtime_macro_is_the_builder_impl() {
        let names: Vec<syn::Ident> = vec![syn::parse_quote!(A), syn::parse_quote!(B)];
        let source = include_str!("../../../generated-client/src/builds.rs");
        let body = crate::passes::expand_runtime_macro_repeated(
            source,
            MACRO,
            &[],
            &[(
                "name",
                names.iter().map(ToTokens::to_token_stream).collect(),
            )],
        );
        let expanded: syn::File = syn::parse2(body).unwrap();
        let expected: Vec<String> = names
            .iter()
            .map(|n| tokens(&builder_impl(n, false)))
            .collect();
        assert_eq!(
            expanded.items.iter().map(tokens).collect::<Vec<_>>(),
            expected
        );
    }
}
