//! Pass: generated structs and enums are `#[non_exhaustive]`.
//!
//! The service adds fields and enum values over time. With `#[non_exhaustive]`, consumers
//! build values through builders and match enums with a wildcard arm, so a new field or enum
//! value in the document is a minor release of the crate, not a breaking one.

use syn::{Fields, Item};

use super::module_items;

pub fn non_exhaustive(file: &mut syn::File) {
    let Some(items) = module_items(&mut file.items, &["types"]) else {
        return;
    };
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) if matches!(s.fields, Fields::Named(_)) => {
                s.attrs.push(syn::parse_quote!(#[non_exhaustive]))
            }
            Item::Enum(e) => e.attrs.push(syn::parse_quote!(#[non_exhaustive])),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::{has, parse_file, pretty};

    #[test]
    fn structs_with_fields_and_enums_become_non_exhaustive_newtypes_do_not() {
        let mut file = parse_file(
            "pub mod types { pub struct A { pub x: i32 } pub struct Name(String); pub enum E { X } pub mod builder { pub struct A { x: i32 } } }",
        );
        non_exhaustive(&mut file);
        let out = pretty(&file);
        assert!(
            has(&out, "#[non_exhaustive] pub struct A { pub x: i32,"),
            "{out}"
        );
        assert!(has(&out, "#[non_exhaustive] pub enum E"), "{out}");
        assert!(
            has(&out, "pub struct Name(String);")
                && !has(&out, "#[non_exhaustive] pub struct Name"),
            "{out}"
        );
        assert!(
            has(&out, "pub struct A { x: i32,") && out.matches("non_exhaustive").count() == 2,
            "{out}"
        );
    }
}
